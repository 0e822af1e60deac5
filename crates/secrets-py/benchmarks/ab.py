"""Two builds of secrets_rs, call by call, in alternating processes.

    python crates/secrets-py/benchmarks/ab.py OLD_PYTHON NEW_PYTHON [--runs N]

OLD_PYTHON and NEW_PYTHON are interpreters (of one CPython version) with
one wheel each installed, typically two virtual environments. Each run
starts one process per interpreter, the order swapped every run, and each
process keeps the best of 25 rounds of 20,000 calls of every statement.
Prints, per call, the median over the runs and the range, in ns.

A change that moves the code of the extension moves single rows by a few
ns either way (where each function falls in memory), which one
``bench.py`` run cannot tell from the change itself; alternating many
short processes can. Exit status 0: the figures are for BENCHMARKS.md.
"""

import argparse
import json
import statistics
import subprocess

STATEMENTS = {
    'randbelow(1000)': 'randbelow(1000)',
    'token_hex(32)': 'token_hex(32)',
    'token_urlsafe(32)': 'token_urlsafe(32)',
    'token_bytes(32)': 'token_bytes(32)',
    'choice(62-item list)': 'choice(L)',
    'compare_digest(32 bytes)': 'compare_digest(x, y)',
    'SystemRandom().randrange(10**6)': 'randrange(1000000)',
    'SystemRandom().getrandbits(32)': 'getrandbits(32)',
}

SETUP = (
    'import string\n'
    'from secrets_rs import randbelow, token_hex, token_urlsafe, token_bytes, choice, '
    'compare_digest, SystemRandom\n'
    'L = list(string.ascii_letters + string.digits)\n'
    'x = bytes(32); y = bytes(bytearray(32))\n'
    'randrange = SystemRandom().randrange; getrandbits = SystemRandom().getrandbits\n'
)

CHILD = '''
import json, sys, timeit
setup, statements = sys.argv[1], json.loads(sys.argv[2])
best = {}
for label, statement in statements.items():
    timer = timeit.Timer(statement, setup)
    best[label] = min(timer.timeit(20000) for _ in range(25)) / 20000 * 1e9
print(json.dumps(best))
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('old', help='the interpreter with the old wheel')
    parser.add_argument('new', help='the interpreter with the new wheel')
    parser.add_argument('--runs', type=int, default=12, help='processes per interpreter')
    args = parser.parse_args()
    pythons = [('old', args.old), ('new', args.new)]
    figures = {name: {label: [] for label in STATEMENTS} for name, _ in pythons}
    for run in range(args.runs):
        for name, python in pythons if run % 2 == 0 else pythons[::-1]:
            out = subprocess.check_output([python, '-c', CHILD, SETUP, json.dumps(STATEMENTS)])
            for label, ns in json.loads(out).items():
                figures[name][label].append(ns)
    print('| call | old | new | old range | new range |')
    print('| --- | ---: | ---: | ---: | ---: |')
    for label in STATEMENTS:
        old, new = figures['old'][label], figures['new'][label]
        print(f'| `{label}` | {statistics.median(old):.1f} | {statistics.median(new):.1f} '
              f'| {min(old):.1f}-{max(old):.1f} | {min(new):.1f}-{max(new):.1f} |')


if __name__ == '__main__':
    main()
