"""Compare two pytest JUnit XML reports test by test.

    python compare_junit.py NAME STOCK.xml OURS.xml

Each test's outcome (passed, failed, error, skipped) is read from both
reports; the exit status is 0 only when both hold the same tests with the
same outcome each, at least one test passed, and no test failed in either.
A test failing in both runs is reported too: it means the project's tests do
not pass here at all, so they prove nothing about the substitution.
"""

import sys
import xml.etree.ElementTree as ET

RANK = {'passed': 0, 'skipped': 1, 'failed': 2, 'error': 3}


def outcomes(path):
    """{test id: outcome} from one report; a test's worst outcome wins."""
    found = {}
    for case in ET.parse(path).getroot().iter('testcase'):
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome = 'passed'
        for child in case:
            if child.tag in ('failure', 'error', 'skipped'):
                kind = 'failed' if child.tag == 'failure' else child.tag
                if RANK[kind] > RANK[outcome]:
                    outcome = kind
        if RANK[outcome] >= RANK.get(found.get(test, 'passed'), 0):
            found[test] = outcome
    return found


def main(name, stock_path, ours_path):
    stock = outcomes(stock_path)
    ours = outcomes(ours_path)
    problems = []
    for test in sorted(set(stock) | set(ours)):
        a, b = stock.get(test, 'missing'), ours.get(test, 'missing')
        if a != b:
            problems.append(f'{test}: stock {a}, secrets_rs {b}')
        elif a in ('failed', 'error'):
            problems.append(f'{test}: {a} in both runs')
    counts = {kind: sum(o == kind for o in ours.values()) for kind in RANK}
    if counts['passed'] == 0:
        problems.append('no test passed')
    print(f'{name}: {len(ours)} tests, same outcome in both runs: '
          f'{counts["passed"]} passed, {counts["skipped"]} skipped, '
          f'{counts["failed"] + counts["error"]} failed' if not problems else
          f'{name}: {len(problems)} problem(s) over {len(set(stock) | set(ours))} tests')
    for problem in problems:
        print(f'FAILED: {name}: {problem}')
    return 1 if problems else 0


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
