"""ULIDs read by python-ulid.

    python check_ulid.py

100,000 ulid() values: ulid.ULID.from_str parses each, gives back the same
text, its timestamp lies in the run's wall-clock window, and the values
are strictly increasing as text, as bytes and as ULID objects (the
monotonic order the ULID specification describes and python-ulid
compares by).
"""

import sys
import time

import ulid

import secrets_rs

N = 100_000
SLACK_MS = 5


def main():
    before = time.time_ns() // 1_000_000
    texts = [secrets_rs.ulid() for _ in range(N)]
    after = time.time_ns() // 1_000_000
    parsed = [ulid.ULID.from_str(t) for t in texts]
    for t, u in zip(texts, parsed):
        assert str(u) == t, (t, str(u))
        assert ulid.ULID.from_bytes(u.bytes) == u
    first, last = parsed[0].milliseconds, parsed[-1].milliseconds
    assert before <= first and last <= after + SLACK_MS, (before, first, last, after)
    assert abs(parsed[0].timestamp - before / 1000) < 1
    assert all(a < b for a, b in zip(texts, texts[1:]))
    assert all(a < b for a, b in zip(parsed, parsed[1:]))
    assert all(a.bytes < b.bytes for a, b in zip(parsed, parsed[1:]))
    print(f'python-ulid: {N} ULIDs parse, round-trip, time within [{before}, {after}] ms, '
          'strictly increasing')
    return 0


if __name__ == '__main__':
    sys.exit(main())
