"""uuid7() values read by Python's uuid module; on 3.14 and newer, compared
with the standard library's own uuid.uuid7(), field for field.

    python check_uuid7.py

Everywhere: 100,000 values are uuid.UUID, version 7, RFC 4122/9562
variant, strictly increasing, their 48-bit millisecond time within the
run's wall-clock window; the same across 4 threads (each thread's values
increase, and all values are distinct and increase in the order a lock
hands them out); the text round-trips through uuid.UUID.
On Python 3.14+: stdlib and ours interleaved (ours, stdlib, ours, ...)
have the same version, variant, length and text shape; their millisecond
timestamps agree within a few milliseconds, and each sequence alone is
strictly increasing. (Between the two, order is not promised: each keeps
its own counter within a millisecond.)
"""

import sys
import threading
import time
import uuid

import secrets_rs

N = 100_000
SLACK_MS = 5


def ms(u):
    return u.int >> 80


def check_values(ids, before, after):
    for u in ids:
        assert type(u) is uuid.UUID, type(u)
        assert u.version == 7 and u.variant == uuid.RFC_4122, u
        assert uuid.UUID(str(u)) == u and uuid.UUID(bytes=u.bytes) == u
    assert all(a < b for a, b in zip(ids, ids[1:])), 'not strictly increasing'
    assert before <= ms(ids[0]) and ms(ids[-1]) <= after + SLACK_MS, (before, ms(ids[0]), ms(ids[-1]), after)


def check_threads(threads, each, make=None):
    """`threads` threads make `each` values apiece while the others do:
    each thread's values increase, and all of them are distinct and
    increase in the order a lock hands them out. (test_extras.py runs
    this too, on every interpreter of the pyenv step.)"""
    make = make or secrets_rs.uuid7
    lock, shared = threading.Lock(), []
    per_thread = {}

    def work(name):
        mine = []
        for _ in range(each):
            with lock:
                u = make()
                shared.append(u)
            mine.append(u)
        per_thread[name] = mine

    before = time.time_ns() // 1_000_000
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    after = time.time_ns() // 1_000_000
    assert len(per_thread) == threads
    for mine in per_thread.values():
        assert all(a < b for a, b in zip(mine, mine[1:]))
    check_values(shared, before, after)
    assert len(set(shared)) == len(shared) == threads * each


def main():
    before = time.time_ns() // 1_000_000
    ids = [secrets_rs.uuid7() for _ in range(N)]
    after = time.time_ns() // 1_000_000
    check_values(ids, before, after)
    print(f'ok uuid7: {N} values, version 7, RFC variant, strictly increasing, '
          f'time within [{before}, {after}] ms')

    check_threads(4, 25_000)
    print('ok uuid7 across 4 threads: 100000 values distinct and increasing in hand-out order')

    if not hasattr(uuid, 'uuid7'):
        print(f'uuid7 vs the standard library: skipped, Python {sys.version.split()[0]} has no uuid.uuid7')
        return 0
    ours, theirs = [], []
    for _ in range(20_000):
        ours.append(secrets_rs.uuid7())
        theirs.append(uuid.uuid7())
    for a, b in zip(ours, theirs):
        assert (a.version, a.variant) == (b.version, b.variant) == (7, uuid.RFC_4122)
        assert len(a.bytes) == len(b.bytes) == 16 and len(str(a)) == len(str(b)) == 36
        assert abs(ms(a) - ms(b)) <= SLACK_MS, (a, b)
        # uuid.UUID.time on 3.14 is the 48-bit Unix milliseconds for v7.
        assert abs(a.time - b.time) <= SLACK_MS, (a.time, b.time)
    assert all(x < y for x, y in zip(ours, ours[1:]))
    assert all(x < y for x, y in zip(theirs, theirs[1:]))
    print(f'ok uuid7 vs the standard library uuid.uuid7 (Python {sys.version.split()[0]}): '
          f'20000 interleaved pairs, same version/variant/shape, times within {SLACK_MS} ms, '
          'both strictly increasing')
    return 0


if __name__ == '__main__':
    sys.exit(main())
