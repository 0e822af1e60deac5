"""secrets_rs against the interpreter's own secrets and SystemRandom.

For many generated argument combinations (ints big, small and negative,
bools, floats, None, strings, empty and odd sequences, ``__index__``
objects, Fractions), each function is called on both sides: both must raise
the same exception type and warn the same warning categories, or both
succeed with results of the same type in the same domain. The arguments come
from a seeded generator, so a failure names a reproducible case.
"""

import array
import math
import random
import secrets
import warnings
from fractions import Fraction

import pytest

import secrets_rs


class Index:
    """An object usable as an int through __index__ only."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value

    def __repr__(self):
        return f'Index({self.value})'


class IntSub(int):
    pass


class Odd(list):
    """A list subclass whose truth value raises (like a NumPy array)."""

    def __bool__(self):
        raise RuntimeError('no truth value')


INTS = [0, 1, 2, 3, 7, 10, 62, 255, 256, 1000, 10 ** 6, 2 ** 53, 2 ** 63 - 1, 2 ** 63,
        2 ** 64, 2 ** 100, 10 ** 30, -1, -2, -7, -1000, -2 ** 63, -2 ** 64, -10 ** 30]
SCALARS = INTS + [True, False, 0.0, 1.0, 2.5, -3.5, 1e300, float('inf'), float('nan'),
                  None, '3', b'3', Index(5), Index(-5), Index(2 ** 70), IntSub(9),
                  Fraction(3, 1), Fraction(7, 2), 3 + 0j]
SEQUENCES = [[], [1], [1, 2, 3], list(range(62)), (), (4, 5), 'abc', '', range(0),
             range(10), range(-5, 20, 3), range(10 ** 30), range(2 ** 62, 2 ** 62 + 5),
             Odd([1, 2]), Odd([]), {1, 2, 3}, frozenset(), {'a': 1}, b'xyz',
             bytearray(b'ab'), 5, None]
WEIGHTS = [None, [1, 2, 3], [0, 0, 0], [1.0, 0.5], [-1, 2, 3], [float('inf'), 1],
           [float('nan'), 1, 1], [Fraction(1, 3)] * 3, [True, False, True], (1, 1),
           range(3), 'abc', 5, [1, None, 2], [10 ** 30, 1, 1], [1e-323, 1e-323],
           array.array('d', [1.0, 2.0, 3.0]), array.array('i', [1, 0, 2]),
           array.array('Q', [2 ** 60, 1, 1]), array.array('f', [0.5, 0.25, 0.25]), array.array('d')]


def outcome(function, args, kwargs):
    """('ok', value) or ('raise', exception type), and the warnings seen."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            result = ('ok', function(*args, **kwargs))
        except Exception as err:  # PanicException is not an Exception: it escapes
            result = ('raise', type(err))
    return result, sorted({w.category.__name__ for w in caught})


def same_domain(ours, theirs, case):
    """Both results of the same type and in the same set of possible values."""
    assert type(ours) is type(theirs), (case, ours, theirs)
    finite_args = all(math.isfinite(a) for a in case[1] if isinstance(a, float))
    if isinstance(ours, float) and finite_args:
        # (With an infinite argument, nan or inf depends on the draw.)
        assert math.isnan(ours) == math.isnan(theirs), (case, ours, theirs)
        assert math.isinf(ours) == math.isinf(theirs), (case, ours, theirs)
    if isinstance(ours, (bytes, str)) and case[0] != 'choice':
        assert len(ours) == len(theirs), (case, ours, theirs)
    if isinstance(ours, list):
        assert len(ours) == len(theirs), (case, ours, theirs)


def compare(name, ours_fn, theirs_fn, args, kwargs=None, domain=None):
    kwargs = kwargs or {}
    case = (name, args, kwargs)
    ours, ours_warn = outcome(ours_fn, args, kwargs)
    theirs, theirs_warn = outcome(theirs_fn, args, kwargs)
    assert ours[0] == theirs[0], (case, ours, theirs)
    assert ours_warn == theirs_warn, (case, ours_warn, theirs_warn)
    if ours[0] == 'raise':
        assert ours[1] is theirs[1], (case, ours, theirs)
        return
    same_domain(ours[1], theirs[1], case)
    if domain is not None:
        assert domain(ours[1]), (case, ours[1])


OURS = secrets_rs.SystemRandom()
THEIRS = random.SystemRandom()


def pick(rng, pool, n):
    return [rng.choice(pool) for _ in range(n)]


def in_range(*args):
    try:
        allowed = range(*args)
    except (TypeError, ValueError):
        return None
    return lambda v: v in allowed


CASES = 400


@pytest.mark.parametrize('seed', range(3))
def test_randrange_randint_differential(seed):
    gen = random.Random(seed)
    for _ in range(CASES):
        n = gen.randrange(1, 4)
        args = tuple(pick(gen, SCALARS, n))
        domain = in_range(*args) if all(type(a) is int for a in args) else None
        compare('randrange', OURS.randrange, THEIRS.randrange, args, domain=domain)
        a, b = pick(gen, SCALARS, 2)
        domain = (lambda v, a=a, b=b: a <= v <= b) if type(a) is type(b) is int else None
        compare('randint', OURS.randint, THEIRS.randint, (a, b), domain=domain)
    compare('randrange', OURS.randrange, THEIRS.randrange, (10,), {'step': 2})
    compare('randrange', OURS.randrange, THEIRS.randrange, (10,), {'stop': 20})


@pytest.mark.parametrize('seed', range(2))
def test_scalar_methods_differential(seed):
    gen = random.Random(seed)
    for _ in range(CASES):
        x, y = pick(gen, SCALARS, 2)
        compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, (x,),
                domain=(lambda v, x=x: 0 <= v < 2 ** x) if type(x) is int else None)
        if hasattr(THEIRS, 'randbytes') and not (type(x) is int and x > 10 ** 7):
            compare('randbytes', OURS.randbytes, THEIRS.randbytes, (x,))
        compare('uniform', OURS.uniform, THEIRS.uniform, (x, y))
        compare('gauss', OURS.gauss, THEIRS.gauss, (x, y))
        compare('randbelow', secrets_rs.randbelow, secrets.randbelow, (x,),
                domain=(lambda v, x=x: 0 <= v < x) if type(x) is int else None)
        compare('randbits', secrets_rs.randbits, secrets.randbits, (x,))
        if not (type(x) is int and x > 10 ** 7):
            for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
                compare(name, getattr(secrets_rs, name), getattr(secrets, name), (x,))
    compare('random', OURS.random, THEIRS.random, ())
    compare('random', OURS.random, THEIRS.random, (1,))
    compare('gauss', OURS.gauss, THEIRS.gauss, ())
    compare('gauss', OURS.gauss, THEIRS.gauss, (1.0,))
    compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, ())
    for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
        compare(name, getattr(secrets_rs, name), getattr(secrets, name), ())
        compare(name, getattr(secrets_rs, name), getattr(secrets, name), (None,))
        compare(name, getattr(secrets_rs, name), getattr(secrets, name), (), {'nbytes': 3})


@pytest.mark.parametrize('seed', range(2))
def test_sequence_methods_differential(seed):
    gen = random.Random(seed)
    for _ in range(CASES):
        seq = gen.choice(SEQUENCES)
        k = gen.choice(SCALARS[:12] + [-1, 2.0, None, True, Index(2)])
        member = (lambda v, s=seq: v in s) if isinstance(seq, (list, tuple, str, range)) else None
        compare('choice', OURS.choice, THEIRS.choice, (seq,), domain=member)
        compare('choice', secrets_rs.choice, secrets.choice, (seq,), domain=member)
        compare('sample', OURS.sample, THEIRS.sample, (seq, k))
        weights = gen.choice(WEIGHTS)
        kind = gen.randrange(3)
        kwargs = {'k': k} if type(k) is int and k < 10 ** 5 else {}
        if kind == 0:
            compare('choices', OURS.choices, THEIRS.choices, (seq, weights), kwargs)
        elif kind == 1:
            compare('choices', OURS.choices, THEIRS.choices, (seq,),
                    dict(kwargs, cum_weights=weights))
        else:
            compare('choices', OURS.choices, THEIRS.choices, (seq,),
                    dict(kwargs, weights=weights, cum_weights=weights))
        counts = gen.choice([None, [1] * 3, [2, 0, 1], 5, (1, 2, 3), [0, 0, 0], [1, -1, 1],
                             [1.0, 1, 1], [True, 1, 1], [2 ** 70, 1, 1], [1, 1], [0, 0, 5],
                             [3] * 62, [Index(1)] * 3, [IntSub(1)] * 3,
                             array.array('q', [1, 0, 2]), array.array('d', [1.0, 1.0, 1.0])])
        for k_counted in (2, 0, -1, 3, 6, True, 2.0):
            compare('sample', OURS.sample, THEIRS.sample, (seq, k_counted), {'counts': counts})
        small = isinstance(seq, list) or (isinstance(seq, range) and abs(seq.stop - seq.start) < 1000)
        compare('shuffle', OURS.shuffle, THEIRS.shuffle, (list(seq) if small else seq,))
        if isinstance(seq, list):
            compare('shuffle', lambda x: (OURS.shuffle(x), sorted(x))[1],
                    lambda x: (THEIRS.shuffle(x), sorted(x))[1], (list(seq),))


def test_compare_digest_differential():
    values = ['abc', 'abd', '', 'é', 'ab\udc80', b'abc', b'abd', b'', bytearray(b'abc'),
              memoryview(b'abc'), 1, None, ['abc'], IntSub(3), array_of(b'abc')]
    import hmac
    for a in values:
        for b in values:
            compare('compare_digest', secrets_rs.compare_digest, hmac.compare_digest, (a, b))
            ours, _ = outcome(secrets_rs.compare_digest, (a, b), {})
            theirs, _ = outcome(hmac.compare_digest, (a, b), {})
            assert ours == theirs, (a, b, ours, theirs)


def array_of(data):
    import array
    return array.array('B', data)


def test_huge_sizes_raise_like_cpython():
    for size in (2 ** 45, 2 ** 62, 2 ** 63 - 1):
        for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
            compare(name, getattr(secrets_rs, name), getattr(secrets, name), (size,))
            # CPython: MemoryError, or OverflowError within 2**63 of the limit.
            with pytest.raises(MemoryError if size < 2 ** 63 - 1 else OverflowError):
                getattr(secrets_rs, name)(size)
        compare('randbytes', OURS.randbytes, THEIRS.randbytes, (size,))
        compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, (size * 8,))
    for size in (2 ** 63, 2 ** 64, 10 ** 30):
        for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
            compare(name, getattr(secrets_rs, name), getattr(secrets, name), (size,))
            with pytest.raises(OverflowError):
                getattr(secrets_rs, name)(size)
        compare('randbytes', OURS.randbytes, THEIRS.randbytes, (size,))
        compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, (size * 8,))
    with pytest.raises(MemoryError):
        OURS.choices([1, 2], k=2 ** 62)
    # Big but possible: any size of int goes through.
    assert 0 <= secrets_rs.randbelow(2 ** 4000) < 2 ** 4000
    assert OURS.getrandbits(100000).bit_length() <= 100000
    assert 10 ** 40 <= OURS.randrange(10 ** 40, 10 ** 41, 7) < 10 ** 41


def test_public_face_matches_secrets():
    import inspect
    assert secrets_rs.__all__ == secrets.__all__
    assert secrets_rs.DEFAULT_ENTROPY == secrets.DEFAULT_ENTROPY == 32
    for name in secrets.__all__:
        assert hasattr(secrets_rs, name), name
        assert getattr(secrets_rs, name).__doc__, name
    for name in ('token_bytes', 'token_hex', 'token_urlsafe', 'randbelow'):
        ours = inspect.signature(getattr(secrets_rs, name))
        theirs = inspect.signature(getattr(secrets, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        assert [p.default for p in ours.parameters.values()] == \
               [p.default for p in theirs.parameters.values()], name
    assert issubclass(secrets_rs.SystemRandom, random.SystemRandom)
    assert isinstance(OURS, random.Random)
    for name in dir(random.SystemRandom):
        if not name.startswith('__'):
            assert hasattr(OURS, name), name
    for name, member in vars(secrets_rs.SystemRandom).items():
        if name.startswith('__') or not callable(member):
            continue
        assert inspect.isfunction(member), name
        assert member.__doc__ == getattr(random.SystemRandom, name).__doc__, name
        ours = [(p.name, p.kind, p.default) for p in inspect.signature(member).parameters.values()]
        theirs = [(p.name, p.kind, p.default)
                  for p in inspect.signature(getattr(random.SystemRandom, name)).parameters.values()]
        assert ours == theirs, name
        assert inspect.ismethod(getattr(OURS, name)), name


def test_randrange_called_every_way():
    cls = secrets_rs.SystemRandom
    for call in (lambda: OURS.randrange(10), lambda: cls.randrange(OURS, 10),
                 lambda: OURS.randrange(3, 10), lambda: cls.randrange(OURS, 3, 10, 2),
                 lambda: OURS.randrange(start=3, stop=10), lambda: OURS.randrange(3, 10, step=2),
                 lambda: cls.randrange(random.Random(5), 10),
                 lambda: random.SystemRandom.randrange(random.Random(5), 10)):
        value = call()
        assert type(value) is int and 0 <= value < 10
    with pytest.raises(TypeError):
        OURS.randrange()
    with pytest.raises(TypeError):
        OURS.randrange(1, 2, 3, 4)
    with pytest.raises(TypeError):
        cls.randrange()

    class Sub(cls):
        pass

    class Zero(cls):
        def _randbelow(self, n):
            return 0

    class Keeps(Zero):
        def randrange(self, start, stop=None, step=1):
            return -1

    class Inherits(Keeps):
        pass

    assert 0 <= Sub().randrange(10) < 10
    assert Zero().randrange(5, 10) == 5
    assert Inherits().randrange(5, 10) == -1
    assert cls.randrange(Zero(), 5, 10) == 5


def test_state_and_pickling_as_cpython():
    import copy
    import pickle
    OURS.seed(12)
    assert OURS.seed() is None
    OURS.gauss_next = 0.25
    assert OURS.gauss(0.0, 1.0) == 0.25 and OURS.gauss_next is None
    for call in (OURS.getstate, lambda: OURS.setstate(None), lambda: pickle.dumps(OURS),
                 lambda: copy.copy(OURS)):
        with pytest.raises(NotImplementedError):
            call()
    assert type(OURS.randbytes(3) if hasattr(OURS, 'randbytes') else b'') is bytes
    assert type(OURS.random()) is float
    assert type(OURS.choices([1], k=2)) is list
    assert type(secrets_rs.compare_digest(b'a', b'a')) is bool


def test_subclass_overrides_are_honoured():
    class Fixed(secrets_rs.SystemRandom):
        def random(self):
            return 0.0

        def getrandbits(self, k):
            return 0

    fixed = Fixed()
    assert fixed.uniform(2.0, 3.0) == 2.0
    assert fixed.choices('xyz', k=3) == ['x', 'x', 'x']
    assert fixed.randrange(10) == 0
    assert fixed.choice('xyz') == 'x'
    x = [1, 2, 3]
    fixed.shuffle(x)
    assert x == [2, 3, 1]  # as CPython's algorithm with j = 0 every time


# ---------------------------------------------------------------------------
# What a program sees besides values: patches, unbound calls, introspection,
# autospec, pickling, warnings, return types. Each scenario runs against the
# interpreter's own random.SystemRandom and secrets, then against ours; the
# two must agree.

import copy
import inspect
import os
import pickle
import string
import subprocess
import sys
import traceback
import types
from unittest import mock

IMPLS = [('cpython', random.SystemRandom, secrets), ('ours', secrets_rs.SystemRandom, secrets_rs)]
ALPHABET = string.ascii_letters + string.digits  # 62: chance coincidences are negligible


def observations(r):
    """Calls whose result is random unless a patch makes it fixed."""
    def shuffled():
        x = list(range(20))
        r.shuffle(x)
        return x
    return {
        'choice': lambda: r.choice(ALPHABET),
        'randrange': lambda: r.randrange(10 ** 6),
        'randrange_step': lambda: r.randrange(3, 3 * 10 ** 6, 3),
        'randint': lambda: r.randint(1, 10 ** 6),
        'shuffle': shuffled,
        # k=1: with a patched _randbelow fixed at one value, k > 1 never ends.
        'sample': lambda: r.sample(range(10 ** 6), 1),
        'choices': lambda: r.choices(ALPHABET, k=8),
        'choices_weighted': lambda: r.choices(ALPHABET, range(1, 63), k=8),
        'uniform': lambda: r.uniform(1.0, 3.0),
        'gauss': lambda: r.gauss(0.0, 1.0),
        '_randbelow': lambda: r._randbelow(10 ** 6),
        'getrandbits': lambda: r.getrandbits(40),
        'random': lambda: r.random(),
    }


RUNS = 6  # a random observation repeats 6 times by chance with p < 1e-9


def fixed_or_random(observe):
    """('fixed', value) when all runs agree, else ('random', None)."""
    values = [observe() for _ in range(RUNS)]
    if all(v == values[0] for v in values):
        return ('fixed', values[0])
    return ('random', None)


def outcome_of(observe):
    try:
        return fixed_or_random(observe)
    except Exception as err:
        return ('raise', type(err))


PATCHES = {
    '_randbelow': dict(return_value=0),
    'getrandbits': dict(return_value=0),
    'random': dict(return_value=0.5),
    'randrange': dict(return_value=3),
    'randbytes': dict(return_value=b'\x00' * 4),
}


@pytest.mark.parametrize('where', ['instance', 'class'])
@pytest.mark.parametrize('name', sorted(PATCHES))
def test_patched_methods_are_used_as_cpython_uses_them(name, where):
    seen = {}
    for label, cls, _ in IMPLS:
        r = cls()
        target = r if where == 'instance' else cls
        with mock.patch.object(target, name, **PATCHES[name]):
            seen[label] = {key: outcome_of(f) for key, f in observations(r).items()}
    assert seen['ours'] == seen['cpython']
    # The patch is visible somewhere (so the comparison means something).
    if name != 'randbytes':
        assert any(kind == 'fixed' for kind, _ in seen['cpython'].values())


def run_fresh(code, timeout=60):
    """Runs `code` in a fresh interpreter, which must print 'ok' and
    nothing else: for what this process's earlier tests may have changed
    (flags raised, classes patched or reloaded)."""
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0 and done.stdout == 'ok\n', done.stderr


def test_first_instance_patch_is_seen_in_a_fresh_interpreter():
    # Instances' namespaces are not read until some instance gets one of the
    # methods CPython's code calls on self (SystemRandom.__setattr__ raises
    # a flag then). In this process earlier tests may have raised the
    # flags already, so the first patches run in a fresh interpreter, after
    # fast calls, by plain assignment (not mock). The last check fails with
    # probability 1000**-49.
    code = (
        "import secrets_rs\n"
        "r = secrets_rs.SystemRandom()\n"
        "assert 0 <= r.choice(range(10)) < 10 and 0 <= r.randrange(10) < 10\n"
        "r.gauss_next = None; r.note = 'not a method'\n"
        "r._randbelow = lambda n: 0\n"
        "assert [r.choice('abcdef') for _ in range(20)] == ['a'] * 20\n"
        "assert [r.randrange(3, 10) for _ in range(20)] == [3] * 20\n"
        "del r._randbelow\n"
        "assert r.choice('abcdef') in 'abcdef'\n"
        "cls = secrets_rs.SystemRandom\n"
        "class Sub(cls): pass\n"
        "ours = cls.__dict__['_randbelow']\n"
        "cls._randbelow = lambda self, n: 1\n"
        "assert r.choice('abcdef') == 'b' and Sub().choice('abcdef') == 'b'\n"
        "cls._randbelow = ours\n"
        "assert len({r.choice(range(1000)) for _ in range(50)}) > 1\n"
        "secrets_rs._sysrand._randbelow = lambda n: 2\n"
        "assert secrets_rs.choice('abcdef') == 'c'\n"
        "assert secrets_rs.randbelow(10) == 2\n"
        "print('ok')\n"
    )
    run_fresh(code)


def test_patched_class_method_reaches_subclasses_as_in_cpython():
    seen = {}
    for label, cls, _ in IMPLS:
        class Sub(cls):
            pass
        with mock.patch.object(cls, '_randbelow', return_value=1):
            seen[label] = {key: outcome_of(f) for key, f in observations(Sub()).items()}
    assert seen['ours'] == seen['cpython']


def module_observations(mod):
    return {
        'token_bytes': lambda: mod.token_bytes(5),
        'token_bytes_default': lambda: len(mod.token_bytes()),
        'token_hex': lambda: mod.token_hex(4),
        'token_hex_default': lambda: len(mod.token_hex()),
        'token_urlsafe': lambda: mod.token_urlsafe(4),
        'token_urlsafe_default': lambda: len(mod.token_urlsafe()),
        'randbelow': lambda: mod.randbelow(10 ** 6),
        'randbits': lambda: mod.randbits(40),
        'choice': lambda: mod.choice(ALPHABET),
    }


def fake_sysrand():
    fake = mock.Mock()
    fake.randbytes.side_effect = lambda n: b'\x01' * n
    fake._randbelow.return_value = 7
    return fake


MODULE_PATCHES = {
    'base64': lambda mod: mock.patch.object(
        mod, 'base64', types.SimpleNamespace(urlsafe_b64encode=lambda raw: b'fake==')),
    'token_bytes': lambda mod: mock.patch.object(mod, 'token_bytes', return_value=b'\x00' * 4),
    'DEFAULT_ENTROPY': lambda mod: mock.patch.object(mod, 'DEFAULT_ENTROPY', 8),
    '_sysrand': lambda mod: mock.patch.object(mod, '_sysrand', fake_sysrand()),
    '_sysrand._randbelow': lambda mod: mock.patch.object(mod._sysrand, '_randbelow',
                                                         return_value=2),
    '_sysrand.randbytes': lambda mod: mock.patch.object(mod._sysrand, 'randbytes',
                                                        side_effect=lambda n: b'\x02' * n),
    'SystemRandom.getrandbits': lambda mod: mock.patch.object(mod.SystemRandom, 'getrandbits',
                                                              return_value=0),
}


@pytest.mark.parametrize('name', sorted(MODULE_PATCHES))
def test_module_patches_change_the_other_functions_as_in_cpython(name):
    seen = {}
    for label, _, mod in IMPLS:
        with MODULE_PATCHES[name](mod):
            seen[label] = {key: outcome_of(f) for key, f in module_observations(mod).items()}
        # And everything is as before once the patch is gone.
        seen[label + ' after'] = {key: outcome_of(f)[0]
                                  for key, f in module_observations(mod).items()}
    assert seen['ours'] == seen['cpython']
    assert seen['ours after'] == seen['cpython after']
    assert any(kind == 'fixed' and key not in ('token_bytes_default', 'token_hex_default',
                                               'token_urlsafe_default')
               for key, (kind, _) in seen['cpython'].items()) or name == 'DEFAULT_ENTROPY'


# Patches of what CPython's code reads from other modules: they reach the
# standard library's secrets and SystemRandom and ours alike.
LIBRARY_PATCHES = {
    'random._urandom': lambda: mock.patch('random._urandom', side_effect=lambda n: b'\x00' * n),
    'random._floor': lambda: mock.patch('random._floor', return_value=0),
    'random._bisect': lambda: mock.patch('random._bisect', return_value=1),
    'random._log': lambda: mock.patch('random._log', return_value=-2.0),
    'base64.urlsafe_b64encode': lambda: mock.patch('base64.urlsafe_b64encode',
                                                   return_value=b'xyz=='),
    'base64.b64encode': lambda: mock.patch('base64.b64encode', return_value=b'ab+/'),
    'binascii.b2a_base64': lambda: mock.patch('binascii.b2a_base64', return_value=b'Zm9v'),
    'binascii.hexlify': lambda: mock.patch('binascii.hexlify', return_value=b'cafe'),
}
if hasattr(random, '_index'):
    LIBRARY_PATCHES['random._index'] = lambda: mock.patch('random._index', return_value=5)


def observe_everything():
    """Every module function and method, of the standard library's and ours:
    {'cpython': {call: outcome}, 'ours': {...}}."""
    seen = {}
    for label, cls, mod in IMPLS:
        calls = dict({'module ' + key: f for key, f in module_observations(mod).items()},
                     **observations(cls()))
        seen[label] = {key: outcome_of(f) for key, f in calls.items()}
    return seen


@pytest.mark.parametrize('name', sorted(LIBRARY_PATCHES))
def test_library_patches_reach_ours_as_cpythons(name):
    observe = observe_everything
    with LIBRARY_PATCHES[name]():
        seen = observe()
    assert seen['ours'] == seen['cpython']
    # The patch shows somewhere (so the comparison means something), but
    # for hexlify, which CPython's token_hex calls only before 3.12.
    if name != 'binascii.hexlify' or sys.version_info < (3, 12):
        assert any(kind == 'fixed' for kind, _ in seen['cpython'].values()), seen['cpython']
    # Once the patch is gone, ours is random again, as CPython's is.
    after = observe()
    assert after['ours'] == after['cpython']
    assert all(kind == 'random' for key, (kind, _) in after['ours'].items()
               if not key.endswith('_default')), after['ours']


# Patches of the interpreter's random.SystemRandom and random.Random, which in
# CPython are secrets.SystemRandom's own methods (not substituted here).
BASE_PATCHES = {
    'SystemRandom._randbelow': dict(return_value=0),
    'SystemRandom.random': dict(return_value=0.25),
    'SystemRandom.getrandbits': dict(return_value=0),
    'SystemRandom.randbytes': dict(side_effect=lambda self, n: b'\x01' * n, autospec=True),
    'Random.choice': dict(return_value='Z'),
    'Random.randrange': dict(return_value=3),
    'Random.shuffle': dict(return_value=None),
    'Random.sample': dict(return_value=[7]),
    'Random.choices': dict(return_value=['Q']),
    'Random.uniform': dict(return_value=2.5),
    'Random.randint': dict(return_value=4),
}


@pytest.mark.parametrize('name', sorted(BASE_PATCHES))
def test_patches_of_the_standard_librarys_classes_reach_ours_as_cpythons(name):
    observe = observe_everything

    cls_name, attribute = name.split('.')
    with mock.patch.object(getattr(random, cls_name), attribute, **BASE_PATCHES[name]):
        seen = observe()
    # Known difference: CPython's module `choice` and `randbits` are bound to
    # the functions as imported, and a later patch of those two on the
    # class does not reach them; ours are bound to our class's methods,
    # which defer to the patched ones (as `_sysrand.choice` must).
    for key in {'choice': ['module choice'], 'getrandbits': ['module randbits']}.get(attribute, []):
        del seen['ours'][key], seen['cpython'][key]
    assert seen['ours'] == seen['cpython']
    assert any(kind == 'fixed' for key, (kind, _) in seen['cpython'].items()
               if not key.endswith('_default')) or attribute == 'shuffle'
    after = observe()
    assert after['ours'] == after['cpython']
    assert all(kind == 'random' for key, (kind, _) in after['ours'].items()
               if not key.endswith('_default')), after['ours']


def test_unbound_calls_as_cpython():
    for name, args in [('_randbelow', (10 ** 6,)), ('randrange', (10 ** 6,)),
                       ('randrange', (5, 10 ** 6, 7)), ('randint', (1, 10 ** 6)),
                       ('choice', (ALPHABET,)), ('sample', (range(10 ** 6), 3)),
                       ('choices', (ALPHABET,)), ('uniform', (0.0, 1.0))]:
        results = []
        for _, cls, _ in IMPLS:
            # A foreign self is used as CPython's plain functions use it: a
            # seeded Mersenne Twister gives the same value to both.
            results.append(getattr(cls, name)(random.Random(42), *args))
        assert results[0] == results[1], name
    for _, cls, _ in IMPLS:
        with pytest.raises(TypeError):
            cls.randrange(10)
        with pytest.raises(TypeError):
            cls().randrange(random.Random(), 10)
        with pytest.raises(TypeError):
            cls.choice('abc')


def test_methods_introspect_as_cpython():
    (_, theirs, _), (_, ours, _) = IMPLS
    t, o = theirs(), ours()
    for name in sorted(set(dir(theirs))):
        if name.startswith('__'):
            continue
        a, b = getattr(theirs, name), getattr(ours, name)
        assert callable(a) == callable(b), name
        if not callable(a) or isinstance(a, type):
            continue
        assert inspect.ismethod(getattr(t, name)) == inspect.ismethod(getattr(o, name)), name
        assert inspect.isfunction(a) == inspect.isfunction(b), name
        assert str(inspect.signature(a)) == str(inspect.signature(b)), name
        assert str(inspect.signature(getattr(t, name))) == str(inspect.signature(getattr(o, name)))
        assert (a.__doc__ or '') == (b.__doc__ or ''), name


def test_autospec_checks_arguments_as_cpython():
    for _, cls, _ in IMPLS:
        spec = mock.create_autospec(cls, instance=True)
        spec.randrange(5)
        spec.randrange(1, 5, 2)
        with pytest.raises(TypeError):
            spec.randrange(1, 2, 3, 4)
        with pytest.raises(TypeError):
            spec.choice()
        with pytest.raises(TypeError):
            spec.sample([1, 2], 1, counts=None, extra=1)
        spec.choices([1], k=1)


def test_pickling_and_copying_raise_as_cpython():
    for _, cls, _ in IMPLS:
        r = cls()
        for thing in (r, r.randrange, r.random, r.choice):
            with pytest.raises(NotImplementedError):
                pickle.dumps(thing)
        with pytest.raises(NotImplementedError):
            copy.copy(r)
        with pytest.raises(NotImplementedError):
            copy.deepcopy(r)


def caught(call):
    """The warnings `call` emits: category, message, and the file and line
    they are attributed to."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter('always')
        try:
            call()
        except Exception as err:
            seen.append(type(err))
    return [w if isinstance(w, type) else
            (w.category, str(w.message), os.path.basename(w.filename), w.lineno) for w in seen]


WARNING_CALLS = {
    'randrange float': lambda r: r.randrange(10.0),
    'randrange float stop': lambda r: r.randrange(0, 10.0),
    'randrange float step': lambda r: r.randrange(0, 10, 2.0),
    'randint floats': lambda r: r.randint(1.0, 6.0),
    'shuffle random': lambda r: r.shuffle([1, 2, 3], lambda: 0.5),
    'sample set': lambda r: r.sample({1, 2, 3}, 2),
}


@pytest.mark.parametrize('subclass', [False, True])
@pytest.mark.parametrize('name', sorted(WARNING_CALLS))
def test_warnings_name_the_caller_as_cpython(name, subclass):
    results = []
    for _, cls, _ in IMPLS:
        if subclass:
            cls = type('Sub', (cls,), {})
        r = cls()
        call = WARNING_CALLS[name]
        results.append(caught(lambda: call(r)))  # one line: the same caller
    assert results[0] == results[1]


def test_deprecation_warning_of_a_subclass_shows_when_run_as_a_script(tmp_path):
    script = tmp_path / 'script.py'
    outputs = []
    for impl in ('random', 'secrets_rs'):
        script.write_text(f'import {impl}\n'
                          f'class Sub({impl}.SystemRandom):\n'
                          f'    pass\n'
                          f'try:\n'
                          f'    Sub().randrange(10.0)\n'
                          f'except TypeError:\n'
                          f'    print("TypeError")\n')
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                              cwd=tmp_path, timeout=60)
        outputs.append((done.stdout, done.stderr.replace(impl, 'IMPL')))
    assert outputs[0] == outputs[1]


def test_gauss_returns_what_cpythons_arithmetic_gives():
    for cached in (5, Fraction(1, 2), 0.25, True, -3):
        for args in ((0, 1), (0.0, 1.0), (1, 2), (Fraction(1, 3), 3)):
            results = []
            for _, cls, _ in IMPLS:
                r = cls()
                r.gauss_next = cached
                value = r.gauss(*args)
                results.append((type(value), value, r.gauss_next))
            assert results[0] == results[1], (cached, args)


def test_module_surface_as_cpython():
    theirs = {name for name in vars(secrets) if not name.startswith('__')}
    ours = {name for name in vars(secrets_rs) if not name.startswith('__')}
    assert theirs <= ours, theirs - ours
    for name in theirs - {'_sysrand'}:
        value = getattr(secrets, name)
        if isinstance(value, type(os)):  # a module: base64, binascii
            assert getattr(secrets_rs, name) is value, name
    assert isinstance(secrets_rs.__version__, str) and secrets_rs.__version__
    assert secrets_rs.SystemRandom.__doc__ and 'Rust' in secrets_rs.SystemRandom.__doc__
    for name in secrets.__all__:
        assert getattr(secrets_rs, name).__module__ == 'secrets_rs', name


def test_compare_digest_is_positional_only():
    import hmac
    for compare_digest in (hmac.compare_digest, secrets_rs.compare_digest):
        with pytest.raises(TypeError):
            compare_digest(a=b'x', b=b'x')
        with pytest.raises(TypeError):
            compare_digest(b'x', b=b'x')
        with pytest.raises(TypeError):
            compare_digest('a', b'b')
    assert str(inspect.signature(secrets_rs.compare_digest)) == '(a, b, /)'


# Calls the signatures refuse: every count of positional arguments up to
# two past the most, alone and with keywords unknown, duplicated or valid.
# The extension parses its own arguments (the caller's array, no tuple);
# a call that does not fit goes to CPython's own function, so the error is
# the interpreter's, word for word.
EXTRA_KEYWORDS = [{}, {'x': 1}, {'nbytes': 1}, {'exclusive_upper_bound': 3}, {'k': 1},
                  {'seq': 'ab'}, {'a': b'x'}, {'a': b'x', 'b': b'x'}, {'nbytes': 1, 'x': 2}]
MODULE_SIGNATURES = {'token_bytes': 1, 'token_hex': 1, 'token_urlsafe': 1, 'randbelow': 1,
                     'randbits': 1, 'choice': 1, 'compare_digest': 2}
# The value each positional argument gets: one every function accepts.
ARGUMENT = {'choice': 'ab', 'compare_digest': b'x'}


def bad_calls():
    for name, most in MODULE_SIGNATURES.items():
        for count in range(most + 3):
            for kwargs in EXTRA_KEYWORDS:
                yield name, (ARGUMENT.get(name, 3),) * count, kwargs


def test_bad_calls_raise_as_cpython():
    refused = 0
    for name, args, kwargs in bad_calls():
        try:
            getattr(secrets, name)(*args, **kwargs)
        except TypeError as err:
            theirs = str(err)
        else:
            continue
        with pytest.raises(TypeError) as ours:
            getattr(secrets_rs, name)(*args, **kwargs)
        # randbits and choice word theirs as CPython's bound methods
        # (SystemRandom.getrandbits, Random.choice on 3.10 and later),
        # compare_digest as its builtin: ours too.
        assert str(ours.value) == theirs, (name, args, kwargs)
        refused += 1
    assert refused > 100


def test_methods_carry_cpythons_names():
    for name in METHOD_ARITY:
        ours, theirs = getattr(secrets_rs.SystemRandom, name), getattr(random.SystemRandom, name)
        for attribute in ('__name__', '__qualname__', '__doc__'):
            assert getattr(ours, attribute) == getattr(theirs, attribute), (name, attribute)
        assert ours.__code__.co_name == theirs.__code__.co_name, name


METHOD_ARITY = {'random': 0, 'getrandbits': 1, 'randbytes': 1, '_randbelow': 1,
                'randrange': 3, 'randint': 2, 'choice': 1, 'shuffle': 1, 'sample': 2,
                'choices': 2, 'uniform': 2, 'gauss': 2}


# shuffle(x, random) warns on 3.9 and 3.10 on both sides; the warnings have a test of their own.
@pytest.mark.filterwarnings('ignore::DeprecationWarning')
def test_bad_method_calls_raise_as_cpython():
    """A method's refused arguments raise CPython's message, word for word:
    the methods keep CPython's names (the function's, and on 3.9 and 3.10,
    whose messages name the code object, the code's: _randbelow's is
    CPython's _randbelow_with_getrandbits)."""
    refused = 0
    theirs_r, ours_r = random.SystemRandom(), secrets_rs.SystemRandom()
    for name, most in METHOD_ARITY.items():
        for count in range(most + 3):
            for kwargs in EXTRA_KEYWORDS + [{'counts': [1]}, {'mu': 1}, {'stop': 2}]:
                args = ([1, 2, 3],) * count
                try:
                    getattr(theirs_r, name)(*args, **kwargs)
                except Exception as err:  # noqa: BLE001 (any error: ours must match)
                    theirs = err
                else:
                    continue
                with pytest.raises(type(theirs)) as ours:
                    getattr(ours_r, name)(*args, **kwargs)
                assert str(ours.value) == str(theirs), (name, args, kwargs)
                refused += isinstance(theirs, TypeError)
    assert refused > 100


def test_good_calls_by_keyword_as_cpython():
    assert len(secrets_rs.token_bytes(nbytes=5)) == 5
    assert len(secrets_rs.token_hex(nbytes=5)) == 10
    assert len(secrets_rs.token_urlsafe(nbytes=6)) == 8
    assert secrets_rs.randbelow(exclusive_upper_bound=1) == 0
    assert secrets_rs.choice(seq='a') == 'a'
    assert 0 <= secrets_rs.randbits(k=3) < 8
    assert str(inspect.signature(secrets_rs.token_bytes)) == '(nbytes=None)'


@pytest.mark.parametrize('call', [
    lambda: secrets_rs.randbelow(0), lambda: secrets_rs.token_bytes(-1),
    lambda: secrets_rs.token_hex(2.0), lambda: secrets_rs.SystemRandom().randrange(0),
    lambda: secrets_rs.SystemRandom().choice([]), lambda: secrets_rs.compare_digest(1, 2),
    lambda: secrets_rs.SystemRandom().sample([1], 2),
])
def test_tracebacks_name_secrets_rs_not_the_extension(call):
    with pytest.raises(Exception):
        try:
            call()
        except Exception:
            text = traceback.format_exc()
            assert '_secrets_rs' not in text, text
            raise


def test_the_benchmark_floors_return_what_they_say():
    """bench.py's floors: the no-op returns None whatever it is given, and
    the no-op with a result returns a new object like the one _set_like was
    given (same type, and the same value or length; a list of ints is made
    of ints counting up from its first, as `sample` of a `range` makes its
    items; an int below 1024 is the kept one the calls return)."""
    from secrets_rs import _secrets_rs as ext
    assert ext._noop() is None and ext._noop(1, 2, 3, 4, 5) is None
    with pytest.raises(TypeError):
        ext._noop(1, 2, 3, 4, 5, 6)
    try:
        for like, check in [
            (10**6 + 1, lambda r: r == 10**6 + 1),
            (0.25, lambda r: r == 0.25),
            (b'\x00' * 32, lambda r: type(r) is bytes and len(r) == 32),
            ('ab' * 32, lambda r: type(r) is str and len(r) == 64),
            (list(range(1000, 1007)), lambda r: r == list(range(1000, 1007))),
            (['a', 'b', 'c'], lambda r: r == [None] * 3),
            (None, lambda r: r is None),
        ]:
            ext._set_like(like)
            made = ext._noop_like(1, 2)
            assert type(made) is type(like) and check(made), (like, made)
            if like is not None:
                assert made is not ext._noop_like(), like  # a new object each call
        # An int below 1024 is the kept one, as the calls return a drawn int.
        ext._set_like(999)
        assert ext._noop_like() == 999 and ext._noop_like() is ext._noop_like()
        assert ext._noop_like() is secrets_rs.SystemRandom().randrange(999, 1000)
        with pytest.raises(ValueError):
            ext._set_like(b'x' * 257)
        with pytest.raises(OverflowError):
            ext._set_like(2**64)
    finally:
        ext._set_like(None)


def test_randbelow_method_over_every_width():
    """SystemRandom._randbelow reads an int that fits i64 in one call and
    a wider one as u128 (or by CPython's code beyond): every positive bound
    of INTS, at each side of 2**63 and 2**64, gives values in [0, n), and
    bound 1 gives 0 alone, and for n >= 256 the values reach the top of
    the range: the chance that 50 draws all fall below n / 256 is
    256**-50, about 1e-120. (CPython's own loops for ever on 0, so no
    bound below 1 is tried.)"""
    r = secrets_rs.SystemRandom()
    for n in [n for n in INTS if n > 0] + [2 ** 64 - 1, 2 ** 64 + 1, 2 ** 128 - 1, 2 ** 128]:
        values = [r._randbelow(n) for _ in range(50)]
        assert all(type(v) is int and 0 <= v < n for v in values), n
        if n >= 256:
            assert max(values) >= n // 256, n
    assert {r._randbelow(1) for _ in range(20)} == {0}


def test_drawn_ints_below_1024_are_kept_ints_of_the_right_value():
    """Every way a drawn int is returned (randrange, randint, _randbelow,
    getrandbits, the module's randbelow and randbits, sample of a range)
    gives the right value for each of 0..2047, as an exact int; those
    below 1024 are the extension's kept ints (the same object each time,
    as CPython's own small ints are: below 257, below 1025 from 3.15),
    those above are made anew. A range of one value leaves nothing to
    chance."""
    r = secrets_rs.SystemRandom()

    def cpythons_own(v):
        # The interpreter's own small ints: made from text twice, the same object.
        return int(str(v)) is int(str(v))

    assert cpythons_own(256) and not cpythons_own(2047)
    for v in range(2048):
        ways = [r.randrange(v, v + 1), r.randint(v, v), r.sample(range(v, v + 1), 1)[0],
                r.randrange(v, v + 3, 3), v + r._randbelow(1), v + secrets_rs.randbelow(1)]
        assert all(type(w) is int and w == v for w in ways), v
        first, again = r.randrange(v, v + 1), r.randrange(v, v + 1)
        assert (first is again) == (v < 1024 or cpythons_own(v)), v
    assert all(type(x) is int and 0 <= x < 1024 for x in
               [r.getrandbits(10) for _ in range(100)] + [secrets_rs.randbits(10) for _ in range(100)])
    assert {r.getrandbits(0), secrets_rs.randbits(0), secrets_rs.randbelow(1)} == {0}
    # Each one handed out is a reference the interpreter counts and
    # releases: before 3.12, 10,000 held add 10,000 to the count, and their
    # release takes them off again; from 3.12 the kept ints are immortal,
    # as CPython's own small ints are, and no count moves.
    kept = r.randrange(700, 701)
    immortal = sys.version_info >= (3, 12)
    if hasattr(sys, '_is_immortal'):
        assert sys._is_immortal(kept) and not sys._is_immortal(r.randrange(1025, 1026))
    before = sys.getrefcount(kept)
    held = [r.randrange(700, 701) for _ in range(10_000)]
    assert sys.getrefcount(kept) == before + (0 if immortal else 10_000)
    assert held[-1] is kept
    del held
    assert sys.getrefcount(kept) == before


def test_sample_with_counts_takes_each_item_as_often_as_counted():
    # k = total: every item exactly as often as its count, for each kind of
    # population and counts the fast path reads; smaller k: never more.
    for population in (list('abcde'), tuple('abcde'), 'abcde', range(10, 15)):
        for counts in ([1, 0, 2, 3, 4], (0, 0, 5, 0, 1), [0, 1, 0, 1, 0],
                       array.array('q', [2, 2, 0, 0, 1])):
            expected = sorted(x for x, c in zip(population, counts) for _ in range(c))
            for r in (OURS, secrets_rs._sysrand):
                assert sorted(r.sample(population, sum(counts), counts=counts)) == expected
                some = r.sample(population, 2, counts=counts)
                assert all(some.count(x) <= c for x, c in zip(population, counts)), some


@pytest.mark.parametrize('where', ['instance', 'class'])
def test_sample_with_counts_samples_through_self_sample_as_cpython(where):
    seen = {}
    for label, cls, _ in IMPLS:
        r = cls()
        calls = []
        original = cls.sample

        def spy(self, population, k, *, counts=None, original=original, calls=calls):
            calls.append((type(population).__name__, k, counts))
            return original(self, population, k, counts=counts)

        if where == 'class':
            with mock.patch.object(cls, 'sample', spy):
                result = r.sample('abc', 6, counts=[1, 2, 3])
        else:
            with mock.patch.object(r, 'sample', spy.__get__(r)):
                result = r.sample('abc', 6, counts=[1, 2, 3])
        seen[label] = (calls, sorted(result))
    assert seen['ours'] == seen['cpython']
    assert seen['ours'][0] == [('str', 6, [1, 2, 3]), ('range', 6, None)]


def test_cpythons_list_calls_take_items_in_steps_with_the_same_result():
    steps = secrets_rs._list_in_steps
    # Each made twice, fresh: once for list(), once for ours.
    makers = [lambda n=n: range(n) for n in (0, 1, 1023, 1024, 1025, 5000)] + [
        lambda: 'text', lambda: {'a': 1, 'b': 2}, lambda: (x * x for x in range(3000)),
        lambda: [None] * 2048, lambda: iter(range(2049))]
    for make in makers:
        assert steps(make()) == list(make())
    assert steps() == []
    for bad in (5, None):
        with pytest.raises(TypeError) as ours:
            steps(bad)
        with pytest.raises(TypeError) as theirs:
            list(bad)
        assert str(ours.value) == str(theirs.value)


def test_long_strings_compare_as_cpython():
    # 64 KiB and more: compared without the GIL.
    a = 'x' * (1 << 17)
    # An equal string that is another object, one that differs last, a short one.
    for b, equal in (('x' * (1 << 17), True), ('x' * ((1 << 17) - 1) + 'y', False),
                     ('x' * 5, False)):
        assert secrets_rs.compare_digest(a, b) is equal is secrets.compare_digest(a, b)
    for b in ('\u00e9' * (1 << 17), '\ud800' * (1 << 17)):
        with pytest.raises(TypeError) as ours:
            secrets_rs.compare_digest(a, b)
        with pytest.raises(TypeError) as theirs:
            secrets.compare_digest(a, b)
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize('length', [0, 1, 2, 32, 511, 512, 513, 1 << 16])
def test_strings_of_every_length_compare_as_cpython(length):
    # ASCII strings are compared by the library, on their own characters
    # (their kind read from the string's state bits); any other by CPython.
    a = 'k' * length
    cases = [a, 'k' * length, 'j' + a[1:], a[:-1] + 'j', a + 'k', a[:-1], a[:-1] + '\u00e9',
             '\u00e9' + a[1:], a[:-1] + '\udc80', a[:-1] + '\U0001f600', StrSub(a),
             a.encode(), ('\u00e9' + a)[1:], ('\U0001f600' + a)[1:], sys.intern(a + 'q'),
             str(a.encode(), 'ascii'), ''.join(reversed(a)), a.lower()]

    def verdict(compare, x, y):
        try:
            return compare(x, y)
        except Exception as err:
            return type(err), str(err)

    for x in cases:
        for y in cases:
            ours = verdict(secrets_rs.compare_digest, x, y)
            theirs = verdict(secrets.compare_digest, x, y)
            assert ours == theirs, (len(x), len(y), ours, theirs)


class StrSub(str):
    pass


@pytest.mark.skipif(sys.platform == 'win32', reason='Windows: every str takes CPython\'s path')
def test_ascii_strings_are_read_in_place():
    # The layout of a str was confirmed on sample strings at first use; on
    # every CPython from 3.9 to 3.15 it is found. (If it were not, strings
    # would still compare right, through CPython's function, only slower.)
    assert secrets_rs.compare_digest('abc', 'abc') is True
    assert secrets_rs._rs._ascii_in_place() is True


@pytest.mark.parametrize('length', [32, 4096])
@pytest.mark.parametrize('char', ['\u00e9', '\u20ac', '\U0001f600'])
def test_compare_digest_leaves_a_string_as_it_was(length, char):
    # Asking a str that is not ASCII for its UTF-8 form makes CPython keep
    # that form in the string (sys.getsizeof counts it); CPython's
    # compare_digest never asks, and neither may ours.
    ascii_text = 'k' * length
    for first, second in ((char * length, ascii_text), (ascii_text, char * length)):
        sizes = sys.getsizeof(first), sys.getsizeof(second)
        with pytest.raises(TypeError):
            secrets_rs.compare_digest(first, second)
        assert (sys.getsizeof(first), sys.getsizeof(second)) == sizes


def test_subclasses_mix_with_other_metaclasses_as_cpythons():
    # CPython's SystemRandom is a plain class (its type is `type`), so a
    # subclass may also derive from an ABC, a Protocol, or a class with a
    # metaclass of its own; ours must allow the same.
    import abc
    import typing

    class Meta(type):
        pass

    class WithMeta(metaclass=Meta):
        pass

    class Proto(typing.Protocol):
        def random(self) -> float: ...

    for cls in (random.SystemRandom, secrets_rs.SystemRandom):
        assert type(cls) is type

        class WithABC(cls, abc.ABC):
            pass

        class WithABCMeta(cls, metaclass=abc.ABCMeta):
            pass

        class WithProtocol(cls, Proto):
            pass

        class MetaFirst(WithMeta, cls):
            pass

        for made in (WithABC, WithABCMeta, WithProtocol, MetaFirst):
            assert 0 <= made().randrange(10) < 10


def test_a_method_set_by_type_setattr_is_used_as_in_cpython():
    # Without a metaclass, any change of the class counts, even by
    # type.__setattr__ (reported by a type watcher from 3.12; before, the
    # class's namespace is read at each call).
    for cls in (random.SystemRandom, secrets_rs.SystemRandom):
        rng = cls()
        original = cls.__dict__['_randbelow'] if '_randbelow' in cls.__dict__ else None
        type.__setattr__(cls, '_randbelow', lambda self, n: n - 1)
        try:
            assert [rng.randrange(10), rng.choice('abc'), rng.randint(1, 6)] == [9, 'c', 6]
        finally:
            if original is None:
                type.__delattr__(cls, '_randbelow')
            else:
                type.__setattr__(cls, '_randbelow', original)
        assert 0 <= rng.randrange(10) < 10


def test_module_randbits_and_choice_are_sysrands_bound_methods_as_in_cpython():
    for mod in (secrets, secrets_rs):
        for name, method in (('randbits', 'getrandbits'), ('choice', 'choice')):
            function = getattr(mod, name)
            assert inspect.ismethod(function) and function.__self__ is mod._sysrand
            assert function == getattr(mod._sysrand, method)
            assert function.__name__ == method
            assert function.__qualname__ == getattr(random.SystemRandom, method).__qualname__
            for copier in (pickle.dumps, copy.deepcopy):
                with pytest.raises(NotImplementedError):
                    copier(function)
            assert copy.copy(function) == function


def test_a_subclass_reading_attributes_its_own_way_is_obeyed_as_in_cpython():
    # CPython's code reads self._randbelow and self.random through the
    # class's __getattribute__; ours must not go around it.
    def make(base):
        class Reader(base):
            def __getattribute__(self, name):
                if name == '_randbelow':
                    return lambda n: 0
                if name == 'random':
                    return lambda: 0.0
                return super().__getattribute__(name)
        return Reader()

    theirs, ours = make(random.SystemRandom), make(secrets_rs.SystemRandom)
    for rng in (theirs, ours):
        assert [rng.choice('abcdefghij'), rng.randrange(1000), rng.randint(5, 9),
                rng.uniform(1.0, 2.0), rng.sample('abc', 2), rng.choices('xyz', k=2)] == \
            ['a', 0, 5, 1.0, ['a', 'c'], ['x', 'x']]


def test_gauss_sets_gauss_next_as_cpython_does():
    def log_of(base):
        log = []

        class Logged(base):
            def __setattr__(self, name, value):
                log.append((name, type(value).__name__))
                super().__setattr__(name, value)

        rng = Logged()
        log.clear()  # what __init__ set
        rng.gauss(0.0, 1.0)
        rng.gauss(0.0, 1.0)
        return log

    assert log_of(secrets_rs.SystemRandom) == log_of(random.SystemRandom) == [
        ('gauss_next', 'NoneType'), ('gauss_next', 'float'), ('gauss_next', 'NoneType')]


def test_after_a_reload_the_module_sees_patches_as_in_cpython():
    # Run in a fresh interpreter: a reload makes new classes, which the
    # rest of this process's tests should not meet.
    code = (
        "import importlib, secrets_rs\n"
        "from unittest import mock\n"
        "importlib.reload(secrets_rs)\n"
        "with mock.patch.object(secrets_rs.SystemRandom, '_randbelow', return_value=0):\n"
        "    assert [secrets_rs.choice('abcdefgh') for _ in range(20)] == ['a'] * 20\n"
        "    assert [secrets_rs.randbelow(100) for _ in range(20)] == [0] * 20\n"
        "assert len({secrets_rs.choice(range(1000)) for _ in range(50)}) > 1  # by chance: 1000**-49\n"
        # A patch of random's globals reaches the methods after the reload too.
        "with mock.patch('random._urandom', side_effect=lambda n: bytes(n)):\n"
        "    assert secrets_rs.SystemRandom().random() == 0.0\n"
        "    assert secrets_rs.token_bytes(3) == bytes(3)\n"
        "print('ok')\n"
    )
    run_fresh(code)


def test_every_change_of_the_module_namespace_is_seen_however_made():
    # The module's namespace is read again only after it changed: a
    # dictionary watcher reports changes from 3.12, the dictionary's version
    # shows them before. Every way of writing it must be seen, each write
    # following a call on the unchanged namespace (a stale reading would
    # show). Run in a fresh interpreter: the namespace is changed for good.
    code = (
        "import sys, secrets_rs\n"
        "assert secrets_rs._rs._module_watch() == "
        "('watcher' if sys.version_info >= (3, 12) else 'version')\n"
        "ns = vars(secrets_rs)\n"
        "ours = ns['token_bytes']\n"
        "fake = lambda n=None: b'\\x00' * (4 if n is None else n)\n"
        "writes = [\n"
        "    lambda: ns.__setitem__('token_bytes', fake),\n"
        "    lambda: setattr(secrets_rs, 'token_bytes', fake),\n"
        "    lambda: ns.update(token_bytes=fake),\n"
        "    lambda: exec('def token_bytes(n=None): return bytes(4 if n is None else n)', ns),\n"
        "    lambda: ns.pop('token_bytes') and ns.setdefault('token_bytes', fake),\n"
        "]\n"
        "for i in range(300):\n"
        "    ns['token_bytes'] = ours\n"
        "    ns['DEFAULT_ENTROPY'] = 32\n"
        "    assert secrets_rs.token_hex(8) != '0' * 16  # by chance: 2**-64\n"
        "    assert len(secrets_rs.token_bytes()) == 32\n"
        "    writes[i % len(writes)]()\n"
        "    assert secrets_rs.token_hex(4) == '00000000', i\n"
        "    assert secrets_rs.token_urlsafe(4) == 'AAAAAA', i\n"
        "    ns['token_bytes'] = ours\n"
        "    ns['DEFAULT_ENTROPY'] = (8, True, 8.0)[i % 3]\n"
        "    try:\n"
        "        assert len(secrets_rs.token_bytes()) == (8, 1)[i % 3], i\n"
        "    except TypeError:\n"
        "        assert i % 3 == 2  # os.urandom(8.0) raises, as in CPython\n"
        "    del ns['DEFAULT_ENTROPY']\n"
        "    try:\n"
        "        secrets_rs.token_bytes()\n"
        "        raise AssertionError(i)\n"
        "    except NameError:\n"
        "        pass\n"
        "print('ok')\n"
    )
    run_fresh(code, timeout=120)


def test_one_flag_serves_while_nothing_is_patched_and_never_hides_a_patch():
    # While nothing changed, one check stands for all (the module's
    # namespace, random's, the class's methods, no instance patch): a flag
    # the watchers clear from 3.12, the flag and one sum of every watched
    # namespace's version before. Each kind of patch must be seen at once
    # (and, where watchers report it, clear the flag); undone, and each part
    # read again by a call, the flag serves again; an instance patch clears
    # it for good. Run in a fresh interpreter: an instance patch is for good.
    code = (
        "import random, sys, secrets_rs\n"
        "from unittest import mock\n"
        "flag = secrets_rs._rs._all_ours\n"
        "new = sys.version_info >= (3, 12)\n"
        "rng = secrets_rs.SystemRandom()\n"
        "def calls():\n"
        "    secrets_rs.token_hex(4); secrets_rs.randbelow(10); rng.choice('ab'); rng.random()\n"
        "calls()\n"
        "assert flag()\n"
        "patches = [\n"
        "    (lambda: mock.patch.object(secrets_rs, 'token_bytes', lambda n=None: bytes(4)),\n"
        "     lambda: secrets_rs.token_hex(4) == '00000000'),\n"
        "    (lambda: mock.patch.object(secrets_rs.SystemRandom, '_randbelow', lambda self, n: 0),\n"
        "     lambda: all(secrets_rs.randbelow(1000) == 0 for _ in range(3))),\n"
        "    (lambda: mock.patch.object(random.SystemRandom, 'randbytes', lambda self, n: bytes(n)),\n"
        "     lambda: secrets_rs.token_bytes(5) == bytes(5)),\n"
        "    (lambda: mock.patch('random._urandom', lambda n: bytes(n)),\n"
        "     lambda: rng.random() == 0.0),\n"
        "    (lambda: mock.patch('base64.urlsafe_b64encode', lambda b: b'Zz'),\n"
        "     lambda: secrets_rs.token_urlsafe(4) == 'Zz'),\n"
        "]\n"
        "for i in range(200):\n"
        "    patch, seen = patches[i % len(patches)]\n"
        "    with patch():\n"
        "        assert not flag() or not new, i\n"
        "        assert seen(), i\n"
        "        assert not flag(), i  # read again by the call: not all ours\n"
        "        assert seen(), i\n"
        "    calls(); calls()\n"
        "    assert flag(), i\n"
        "    assert not seen(), i  # by chance: at most 1000**-3 each\n"
        "rng.getrandbits = lambda k: 0\n"
        "assert not flag() and rng.randrange(10**6) == 0\n"
        "del rng.getrandbits\n"
        "calls(); calls()\n"
        "assert not flag()\n"
        "print('ok')\n"
    )
    run_fresh(code, timeout=120)


@pytest.mark.parametrize('clear', [False, True])
@pytest.mark.parametrize('shift', [0, 1])
def test_every_one_of_thousands_of_class_patches_is_seen(shift, clear):
    # From 3.12 the class's changes reach the extension through a type
    # watcher (before, through its namespace's version), which CPython 3.13 stops serving a class changed about 1000
    # times; each patch must still be seen, before and after that point
    # (whether the watch is given up after a patch or after an undoing:
    # `shift` unrelated changes first move that point by one), and after the
    # interpreter's type cache is cleared (`clear`). Each patch follows a call on the
    # unpatched class, so a stale reading of it would show. Run in a fresh
    # interpreter, whose class has not been changed yet.
    code = (
        "import sys, secrets_rs\n"
        "watched = secrets_rs._rs._class_watched\n"
        "assert watched() == (sys.version_info >= (3, 12))\n"
        # Before 3.12 the class's namespace is watched by its version.
        "assert secrets_rs._rs._class_versioned() == (sys.version_info < (3, 12))\n"
        "cls = secrets_rs.SystemRandom\n"
        "rng = cls()\n"
        "ours = cls.__dict__['_randbelow']\n"
        f"for _ in range({shift}):\n"
        "    cls.unrelated = 1\n"
        "    rng.choice('ab')\n"
        "for i in range(3000):\n"
        f"    if {clear} and i % 7 == 0:\n"
        "        sys._clear_type_cache()\n"
        "    cls._randbelow = ours\n"
        "    rng.choice(range(10))\n"
        "    cls._randbelow = lambda self, n, i=i: i % n\n"
        "    assert rng.choice(range(10)) == i % 10, i\n"
        "    assert secrets_rs.randbelow(1000) == i % 1000, i\n"
        "cls._randbelow = ours\n"
        "assert len({rng.choice(range(1000)) for _ in range(50)}) > 1  # by chance: 1000**-49\n"
        # 3.13 gives the watch up on the way (about 1000 changes of a
        # class), so both ways were taken there; 3.12 has no such limit.
        "assert not watched() or sys.version_info[:2] != (3, 13)\n"
        "print('ok')\n"
    )
    run_fresh(code, timeout=120)
