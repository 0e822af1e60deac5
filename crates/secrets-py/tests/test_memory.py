"""Exhausted memory raises MemoryError where CPython raises it, never aborts.

Each input-sized path runs in a child process under an address-space limit
(``ulimit -v``, set with ``resource.setrlimit``), once with the standard
library and once with secrets_rs: the outcome (the exception's type, or
success) must be the same, and the child must never die of a signal (an
aborted allocation ends in SIGABRT).
"""

import os
import subprocess
import sys
import textwrap

import pytest

resource = pytest.importorskip('resource', reason='needs resource.setrlimit (POSIX)')

MiB = 1 << 20

# (label, limit in MiB, setup, call): `S` is the secrets module and `R` a
# SystemRandom of the implementation under test.
CASES = [
    ('token_bytes(1 GiB)', 512, '', 'S.token_bytes(1 << 30)'),
    ('token_hex(256 MiB)', 512, '', 'S.token_hex(1 << 28)'),
    ('token_urlsafe(384 MiB)', 512, '', 'S.token_urlsafe(384 << 20)'),
    ('token_hex(16 MiB) fits', 512, '', 'S.token_hex(1 << 24)'),
    ('randbytes(1 GiB)', 512, '', 'R.randbytes(1 << 30)'),
    ('getrandbits(8 Gbit)', 512, '', 'R.getrandbits(1 << 33)'),
    ('randbits(8 Gbit)', 512, '', 'S.randbits(1 << 33)'),
    ('sample(range(2**62), 15M)', 256, '', 'R.sample(range(2 ** 62), 15_000_000)'),
    ('sample(range(10**9), 10**8)', 512, '', 'R.sample(range(10 ** 9), 10 ** 8)'),
    ('sample pool of 10**7 fits', 512, 'x = list(range(10 ** 6))', 'R.sample(x, 10 ** 5)'),
    ('choices weights 10**7', 256, 'w = [1.0] * 10 ** 7', 'R.choices(range(10 ** 7), w, k=10)'),
    ('choices weights 10**6 fits', 256, 'w = [1.0] * 10 ** 6',
     'R.choices(range(10 ** 6), w, k=10)'),
]


def run(impl, limit_mib, setup, call):
    code = textwrap.dedent(f'''
        import random, sys
        if {impl!r} == 'ours':
            import secrets_rs as S
        else:
            import secrets as S
        R = S.SystemRandom()
        {setup}
        # The outcome is printed once the exception is gone: its traceback
        # keeps the failed call's frames, and their memory, alive. Until
        # then nothing may allocate: not a built-in type's __name__ (a new
        # str at each read), nor a new global (the module's namespace may
        # have to grow), so `outcome` exists before the call.
        outcome = 'ok'
        try:
            {call}
        except MemoryError:
            outcome = 'MemoryError'
        except BaseException as err:
            outcome = type(err).__name__
        print(outcome)
    ''')

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_mib * MiB, limit_mib * MiB))

    env = dict(os.environ, MALLOC_ARENA_MAX='1')
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          preexec_fn=limit, env=env, timeout=600)
    assert done.returncode == 0, (impl, call, done.returncode, done.stderr[-2000:])
    return done.stdout.strip()


@pytest.mark.parametrize('label, limit_mib, setup, call', CASES, ids=[c[0] for c in CASES])
def test_memory_errors_as_cpython(label, limit_mib, setup, call):
    theirs = run('cpython', limit_mib, setup, call)
    ours = run('ours', limit_mib, setup, call)
    # Where CPython runs out only because its objects are larger (10**7
    # float objects against our 8-byte floats), ours may succeed; it must
    # never fail where CPython succeeds, nor fail differently.
    assert ours == theirs or (theirs, ours) == ('MemoryError', 'ok'), (label, ours, theirs)


def test_shuffle_works_in_place_under_a_small_limit():
    # 20M items: the list takes 160 MiB, and the limit leaves too little
    # for a second copy of it. CPython shuffles in place, so it succeeds
    # (not run here: it takes minutes at CPython's speed); so must ours.
    code = textwrap.dedent('''
        import secrets_rs
        x = [0] * 20_000_000
        x[0] = 1
        secrets_rs.SystemRandom().shuffle(x)
        assert sum(x) == 1 and len(x) == 20_000_000
        print('ok')
    ''')

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (300 * MiB, 300 * MiB))

    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          preexec_fn=limit, env=dict(os.environ, MALLOC_ARENA_MAX='1'),
                          timeout=600)
    assert (done.returncode, done.stdout.strip()) == (0, 'ok'), done.stderr[-2000:]


def test_choices_too_many_for_memory_raise_memory_error():
    # CPython's choices grows its list to k items, one random() each, and
    # runs out of memory on the way (at CPython's speed, minutes of draws:
    # not run here). Ours makes the k slots first, so it raises the same
    # MemoryError before drawing.
    assert run('ours', 160, '', 'R.choices([1, 2], k=1 << 25)') == 'MemoryError'
    assert run('ours', 160, '', 'R.choices(range(10), k=1 << 25)') == 'MemoryError'
