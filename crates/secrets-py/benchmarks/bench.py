"""secrets_rs against the interpreter's own secrets and SystemRandom.

    python crates/secrets-py/benchmarks/bench.py [--rounds N] [--quick]

Run with an interpreter that has the secrets-rs wheel installed. Each case
is timed with timeit, ours and the standard library's interleaved round by
round in the same process (so a busy machine slows both alike); the best
round of each is kept. Prints a Markdown table: nanoseconds per call, the
speed-up, the issue's target and whether it was met. Exit status 0 either
way: the figures are for BENCHMARKS.md, not a pass/fail gate.
"""

import argparse
import platform
import random
import secrets
import string
import sys
import timeit

import secrets_rs

ALNUM = list(string.ascii_letters + string.digits)  # 62 items
assert len(ALNUM) == 62
BIG_A = secrets.token_bytes(1 << 20)
BIG_B = bytes(bytearray(BIG_A))  # equal, and a different object

# (label, statement on `s`/`r` (ours) and on `secrets`/`o` (Python's),
#  setup run before each round, calls per round, target speed-up)
CASES = [
    ('token_bytes(32)', 'S.token_bytes(32)', '', 5000, 3),
    ('token_hex(32)', 'S.token_hex(32)', '', 5000, 3),
    ('token_urlsafe(32)', 'S.token_urlsafe(32)', '', 5000, 3),
    ('randbelow(1000)', 'S.randbelow(1000)', '', 5000, 8),
    ('choice(62-item list)', 'S.choice(ALNUM)', '', 5000, 8),
    ('SystemRandom().random()', 'R.random()', '', 5000, 5),
    ('randrange(10**6)', 'R.randrange(1000000)', '', 5000, 8),
    ('shuffle(1,000-item list)', 'R.shuffle(LIST)', 'LIST = list(range(1000))', 20, 20),
    ('sample(range(10**6), 1000)', 'R.sample(range(1000000), 1000)', '', 20, 10),
    ('choices(62 items, k=1000)', 'R.choices(ALNUM, k=1000)', '', 20, 10),
    ('compare_digest(1 MiB, equal)', 'S.compare_digest(BIG_A, BIG_B)', '', 20, 10),
]


def measure(stmt, setup, number, names):
    timer = timeit.Timer(stmt, setup, globals=names)
    return timer.timeit(number) / number


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=15)
    parser.add_argument('--quick', action='store_true', help='few calls, for a smoke test')
    args = parser.parse_args()

    ours_names = {'S': secrets_rs, 'R': secrets_rs.SystemRandom(), 'ALNUM': ALNUM,
                  'BIG_A': BIG_A, 'BIG_B': BIG_B}
    theirs_names = {'S': secrets, 'R': random.SystemRandom(), 'ALNUM': ALNUM,
                    'BIG_A': BIG_A, 'BIG_B': BIG_B}
    print(f'Python {platform.python_version()} ({sys.executable}), '
          f'{platform.system()} {platform.release()} {platform.machine()}')
    print()
    print('| call | Python | secrets_rs | speed-up | target | met |')
    print('| --- | ---: | ---: | ---: | ---: | --- |')
    missed = 0
    for label, stmt, setup, number, target in CASES:
        if args.quick:
            number = max(1, number // 100)
        ours = []
        theirs = []
        for _ in range(1 if args.quick else args.rounds):
            theirs.append(measure(stmt, setup, number, theirs_names))
            ours.append(measure(stmt, setup, number, ours_names))
        t_ours, t_theirs = min(ours), min(theirs)
        ratio = t_theirs / t_ours
        met = ratio >= target
        missed += not met
        print(f'| `{label}` | {fmt(t_theirs)} | {fmt(t_ours)} | {ratio:.1f}x | {target}x | '
              f'{"yes" if met else "**no**"} |')
    print()
    print(f'{len(CASES) - missed} of {len(CASES)} targets met')
    return 0


def fmt(seconds):
    ns = seconds * 1e9
    if ns >= 1e6:
        return f'{ns / 1e6:.2f} ms'
    if ns >= 1e4:
        return f'{ns / 1e3:.1f} µs'
    return f'{ns:.0f} ns'


if __name__ == '__main__':
    sys.exit(main())
