"""Fork stress: no value is ever seen twice across forked processes.

glibc's tst-arc4random-thread idea, for the Python methods: threads draw
while the main thread forks 200 times; each child starts threads of its own
and draws; every value drawn anywhere goes back to the parent, which checks
that none repeats. Each value carries at least 60 random bits, so with the
few tens of thousands drawn a chance repeat has probability below 1e-9: a
repeat means a child replayed its parent's draws.
"""

import os
import sys
import threading
import warnings

import pytest

import secrets_rs

FORKS = 200
CHILD_THREADS = 2
CHILD_ROUNDS = 3

R = secrets_rs.SystemRandom()


def draws():
    """One value from every public API that draws, each as a hashable key."""
    shuffled = list(range(25))  # 25! > 2**83 orders
    R.shuffle(shuffled)
    values = [
        ('token_bytes', secrets_rs.token_bytes(16)),
        ('token_hex', secrets_rs.token_hex(16)),
        ('token_urlsafe', secrets_rs.token_urlsafe(16)),
        ('randbits', secrets_rs.randbits(128)),
        ('randbelow', secrets_rs.randbelow(2 ** 128)),
        ('choice', tuple(secrets_rs.choice(range(2 ** 62)) for _ in range(2))),
        ('random', tuple(R.random() for _ in range(2))),
        ('getrandbits', R.getrandbits(128)),
        ('randrange', R.randrange(2 ** 62)),
        ('randint', R.randint(0, 2 ** 62)),
        ('shuffle', tuple(shuffled)),
        ('sample', tuple(R.sample(range(2 ** 62), 2))),
        ('choices', tuple(R.choices(range(2 ** 31), k=4))),
        ('uniform', tuple(R.uniform(0.0, 1.0) for _ in range(2))),
    ]
    if hasattr(R, 'randbytes'):
        values.append(('randbytes', R.randbytes(16)))
    return values


def drawing_threads(count, rounds, sink):
    def work():
        for _ in range(rounds):
            sink.extend(draws())
    threads = [threading.Thread(target=work) for _ in range(count)]
    for t in threads:
        t.start()
    return threads


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='needs os.fork')
def test_no_value_repeats_across_200_forks_with_threads_drawing():
    seen = []
    stop = threading.Event()

    def background():
        while not stop.is_set():
            seen.extend(draws())

    parents = [threading.Thread(target=background) for _ in range(2)]
    for t in parents:
        t.start()
    children = []
    try:
        with warnings.catch_warnings():
            # 3.12+: forking a multi-threaded process warns; that is the test.
            warnings.simplefilter('ignore', DeprecationWarning)
            for _ in range(FORKS):
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:  # child
                    code = 1
                    try:
                        os.close(r)
                        mine = draws()
                        threads = drawing_threads(CHILD_THREADS, CHILD_ROUNDS, mine)
                        for t in threads:
                            t.join()
                        payload = repr(mine).encode()
                        while payload:
                            payload = payload[os.write(w, payload):]
                        code = 0
                    finally:
                        os._exit(code)
                os.close(w)
                children.append((pid, r))
                seen.extend(draws())
    finally:
        stop.set()
        for t in parents:
            t.join()
    from ast import literal_eval
    for pid, r in children:
        chunks = []
        while True:
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(r)
        _, status = os.waitpid(pid, 0)
        assert status == 0, status
        child = literal_eval(b''.join(chunks).decode())
        assert len(child) == len(draws()) * (1 + CHILD_THREADS * CHILD_ROUNDS)
        seen.extend(child)
    by_api = {}
    for api, value in seen:
        by_api.setdefault(api, []).append(value)
    for api, values in by_api.items():
        assert len(set(values)) == len(values), f'{api}: a value repeated across fork'
    assert len(by_api) >= 14
    print(f'{FORKS} forks, {len(seen)} values, 0 repeats', file=sys.stderr)
