"""Passwords under every rule of the real-sites corpus, judged by a
passwordrules checker written here from the specification, independent of
the library's own parser.

    python check_password_rules.py [CORPUS]

CORPUS defaults to ../shared/data/password-rules/password-rules.json beside
the repository clone (Apple's password-manager-resources, MIT; read in
place, never copied into the repository). A missing corpus is an error.

For each site, its rules string goes to secrets_rs.password(rules=...) and
its domain to secrets_rs.password(site=..., rules_file=CORPUS), several
draws each; every password must satisfy the rules as this checker reads
them, or the library must refuse the rules with a ValueError (counted and
listed by message). Anything else fails the run.
"""

import json
import string
import sys
import warnings
from collections import Counter
from pathlib import Path

import secrets_rs

DRAWS = 20

# The specification's named classes.
UPPER = frozenset(string.ascii_uppercase)
LOWER = frozenset(string.ascii_lowercase)
DIGIT = frozenset(string.digits)
SPECIAL = frozenset('-~!@#$%^&*_+=`|(){}[:;"\'<>,.?] ')
ASCII_PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7F))
UNICODE = None  # any character
NAMED = {'upper': UPPER, 'lower': LOWER, 'digit': DIGIT, 'special': SPECIAL,
         'ascii-printable': ASCII_PRINTABLE, 'unicode': UNICODE}


class Rules:
    def __init__(self):
        self.minlength = None
        self.maxlength = None
        self.max_consecutive = None
        self.required = []   # list of sets (None: any character)
        self.allowed = []    # list of sets


def custom_class(text, i):
    """A [...] class starting at text[i] == '['. As the specification
    says: ASCII printable characters only (others dropped), '-' only as
    the first character (elsewhere dropped), ']' literal when doubled at
    the end ("[abc]]")."""
    i += 1
    chars, start = [], i
    while i < len(text):
        c = text[i]
        i += 1
        if c == ']':
            if i < len(text) and text[i] == ']':
                chars.append(']')
                i += 1
            return frozenset(chars), i
        if c not in ASCII_PRINTABLE:
            continue
        if c == '-' and i - 1 > start:
            continue
        chars.append(c)
    raise ValueError('unterminated character class')


def parse(text):
    rules = Rules()
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in ' \t;':
            i += 1
        if i >= n:
            break
        colon = text.find(':', i)
        if colon < 0:
            break
        name = text[i:colon].strip().lower()
        i = colon + 1
        if name in ('minlength', 'maxlength', 'max-consecutive'):
            end = text.find(';', i)
            end = n if end < 0 else end
            value = int(text[i:end].strip())
            i = end
            if name == 'minlength':
                rules.minlength = value if rules.minlength is None else max(rules.minlength, value)
            elif name == 'maxlength':
                rules.maxlength = value if rules.maxlength is None else min(rules.maxlength, value)
            else:
                rules.max_consecutive = (value if rules.max_consecutive is None
                                         else min(rules.max_consecutive, value))
            continue
        classes = []
        while i < n:
            while i < n and text[i] in ' \t':
                i += 1
            if i < n and text[i] == '[':
                chars, i = custom_class(text, i)
                classes.append(chars)
            else:
                j = i
                while j < n and text[j] not in ',;':
                    j += 1
                word = text[i:j].strip().lower()
                i = j
                if word:
                    if word not in NAMED:
                        raise ValueError(f'unknown class {word!r}')
                    classes.append(NAMED[word])
            while i < n and text[i] in ' \t':
                i += 1
            if i < n and text[i] == ',':
                i += 1
                continue
            break
        if name == 'required':
            union = None if any(c is None for c in classes) else frozenset().union(*classes)
            rules.required.append(union)
        elif name == 'allowed':
            rules.allowed.extend(classes)
    return rules


def check(password, rules):
    """None if the password meets the rules, else why not."""
    if rules.minlength is not None and len(password) < rules.minlength:
        return f'shorter than minlength {rules.minlength}'
    if rules.maxlength is not None and len(password) > rules.maxlength:
        return f'longer than maxlength {rules.maxlength}'
    for need in rules.required:
        if need is not None and not any(c in need for c in password):
            return f'no character of required {"".join(sorted(need))!r}'
        if need is None and not password:
            return 'empty'
    sets = rules.allowed + rules.required
    if not any(s is None for s in sets):
        allowed = frozenset().union(*sets) if sets else ASCII_PRINTABLE
        bad = set(password) - allowed
        if bad:
            return f'characters not allowed: {"".join(sorted(bad))!r}'
    if rules.max_consecutive is not None:
        run = 1
        for a, b in zip(password, password[1:]):
            run = run + 1 if a == b else 1
            if run > rules.max_consecutive:
                return f'more than {rules.max_consecutive} identical in a row'
    return None


def self_test():
    """The checker itself rejects what it must (so a lax checker cannot
    pass everything)."""
    r = parse('minlength: 8; maxlength: 10; required: upper; required: digit, [!#]; '
              'allowed: lower, [-_]]; max-consecutive: 2')
    assert check('Abcdefg1', r) is None
    assert check('Abc_]-d#', r) is None
    assert check('Abcdef1', r)            # too short
    assert check('Abcdefghij1', r)        # too long
    assert check('abcdefg1', r)           # no upper
    assert check('Abcdefgh', r)           # no digit or ! #
    assert check('Abcdefg1@', r)          # @ not allowed
    assert check('Abbbcdefg1', r)         # three b in a row
    assert parse('allowed: [a-c]').allowed == [frozenset('a-c') - {'-'}]
    assert parse('allowed: [-a]').allowed == [frozenset('-a')]
    assert check('~', parse('minlength: 1')) is None
    assert check('é', parse('minlength: 1'))
    assert check('é', parse('allowed: unicode')) is None


def main():
    repo = Path(__file__).resolve().parents[4]
    default = repo.parent / 'shared' / 'data' / 'password-rules' / 'password-rules.json'
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    if not path.is_file():
        print(f'error: the corpus {path} is missing', file=sys.stderr)
        return 2
    self_test()
    corpus = json.loads(path.read_text(encoding='utf-8'))
    passed, refused, failures, warned, failed_sites = [], Counter(), [], 0, []
    for site, entry in sorted(corpus.items()):
        text = entry['password-rules']
        rules = parse(text)
        outcomes = []
        for how in ('rules', 'site'):
            try:
                for _ in range(DRAWS):
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter('always')
                        if how == 'rules':
                            p = secrets_rs.password(rules=text)
                        else:
                            p = secrets_rs.password(site=site, rules_file=path)
                    warned += bool(caught)
                    why = check(p, rules)
                    if why:
                        failures.append(f'{site} ({how}=): {p!r} fails {text!r}: {why}')
                        break
                outcomes.append('ok')
            except ValueError as e:
                outcomes.append(str(e))
        if outcomes[0] != outcomes[1]:
            failures.append(f'{site}: rules= and site= disagree: {outcomes}')
        if any(f.startswith(f'{site} ') or f.startswith(f'{site}:') for f in failures):
            failed_sites.append(site)
        elif outcomes[0] == 'ok':
            passed.append(site)
        else:
            refused[outcomes[0]] += 1
            print(f'refused {site}: {text!r}: {outcomes[0]}')
    total = len(corpus)
    print(f'password rules: {total} sites, {len(passed)} passed ({DRAWS} draws each, by rules= '
          f'and by site=), {sum(refused.values())} refused with a ValueError, '
          f'{len(failed_sites)} FAILED; '
          f'{warned} draws warned of a weak policy')
    for message, count in refused.most_common():
        print(f'  refused {count}: {message}')
    for f in failures:
        print('FAIL', f, file=sys.stderr)
    if failed_sites:
        print(f'FAILED sites ({len(failed_sites)}): {" ".join(failed_sites)}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
