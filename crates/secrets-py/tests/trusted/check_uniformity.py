"""Uniformity of passwords under real sites' rules, by the project's one
chi-square harness (assert_cells in crates/secrets-py/tests/test_extras.py,
imported, not copied; it needs pytest installed).

    python check_uniformity.py [CORPUS]

test_extras.py already applies the harness to password (several option
sets), passphrase, the styles, API-key bodies, framework keys, TOTP
secrets and the random bits of uuid7/ulid. This extends it to the
real-sites corpus (../shared/data/password-rules/password-rules.json
beside the clone; missing is an error): for each of SITES rule sets,
3,000 passwords. Two characters that belong to exactly the same sets of
the rules (every required set and the allowed set, as
check_password_rules.py reads them) can be swapped throughout a password
without breaking any rule (runs too are kept), so a password drawn
uniformly from all that the rules allow has them equally likely at each
position (the space aside: the library leaves it out of the named
classes and draws it only where a custom set lists it). Each site is one
chi-square test over every (length, position,
such class) cell with at least 5 expected.

False alarms: each test is run at 1e-6 / SITES (Bonferroni), so the whole
script raises a false alarm with probability at most 1e-6 when the
generator is right. A site the checker rejects (check_password_rules.py
reports it) is skipped and named here.
"""

import json
import sys
import warnings
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
import test_extras  # noqa: E402  (the harness)
from check_password_rules import ASCII_PRINTABLE, SPECIAL, check, parse  # noqa: E402

import secrets_rs  # noqa: E402

SITES = 12
SAMPLES = 3_000
TOTAL_ALPHA = 1e-6


def pick(corpus):
    """A fixed, varied choice: sites with custom sets, with max-consecutive,
    and with named classes only, in name order."""
    custom = [s for s, e in sorted(corpus.items()) if '[' in e['password-rules']]
    runs = [s for s, e in sorted(corpus.items()) if 'max-consecutive' in e['password-rules']]
    plain = [s for s, e in sorted(corpus.items()) if '[' not in e['password-rules']
             and 'max-consecutive' not in e['password-rules']]
    chosen = []
    for group, k in ((custom, 6), (runs, 3), (plain, 3)):
        # Spread over the list, not its first few names.
        step = max(1, len(group) // k)
        chosen += [s for s in group[::step] if s not in chosen][:k]
    return chosen[:SITES]


def groups_for(samples, rules):
    # What the rules allow (as check_password_rules.py reads them), split
    # by membership in each required set.
    sets = rules.allowed + rules.required
    if any(x is None for x in sets):
        universe = set(ASCII_PRINTABLE).union(*map(set, samples))
    elif sets:
        universe = set().union(*sets)
    else:
        universe = set(ASCII_PRINTABLE)
    # The library leaves the space out of the named classes (special,
    # ascii-printable), as sites often trim it; it draws it only where a
    # custom set lists it. A subset still meets the rules; uniformity is
    # judged over what the library draws from.
    if not any(' ' in x for x in sets if x is not None and x not in (SPECIAL, ASCII_PRINTABLE)):
        universe.discard(' ')
    classes = defaultdict(list)
    for c in sorted(universe):
        classes[tuple(need is None or c in need for need in rules.required)].append(c)
    by_length = defaultdict(list)
    for s in samples:
        by_length[len(s)].append(s)
    groups = []
    for length, same in by_length.items():
        for i in range(length):
            column = Counter(s[i] for s in same)
            for chars in classes.values():
                counts = [column[c] for c in chars]
                if len(chars) > 1 and sum(counts) >= 5 * len(chars):
                    groups.append((counts, [1 / len(chars)] * len(chars)))
    return groups


def main():
    repo = HERE.parents[3]
    default = repo.parent / 'shared' / 'data' / 'password-rules' / 'password-rules.json'
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    if not path.is_file():
        print(f'error: the corpus {path} is missing', file=sys.stderr)
        return 2
    corpus = json.loads(path.read_text(encoding='utf-8'))
    test_extras.ALPHA = TOTAL_ALPHA / SITES
    tested, skipped, cells = [], [], 0
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for site in pick(corpus):
            text = corpus[site]['password-rules']
            rules = parse(text)
            samples = [secrets_rs.password(rules=text) for _ in range(SAMPLES)]
            bad = next((p for p in samples if check(p, rules)), None)
            if bad is not None:
                skipped.append(f'{site} ({bad!r}: {check(bad, rules)})')
                continue
            groups = groups_for(samples, rules)
            if not groups:
                skipped.append(f'{site} (no class of 2+ characters with enough samples)')
                continue
            test_extras.assert_cells(groups, f'passwords under the rules of {site}')
            cells += sum(len(g[0]) for g in groups)
            tested.append(site)
    for s in skipped:
        print(f'skipped: {s}')
    print(f'uniformity: {len(tested)} sites x {SAMPLES} passwords, {cells} cells, each site at '
          f'alpha {test_extras.ALPHA:.2g} (total {TOTAL_ALPHA:g}): {" ".join(tested)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
