"""The names beyond the standard library: password, passphrase, api_key,
verify_api_key, totp, uuid7, ulid, key, fernet_key, django_secret_key and
explain.

Each output is checked by code written here, independently of the library:
lengths, alphabets, classes, rules, the RFC 6238 codes (computed with
hmac), UUID and ULID layouts and order, key formats. Uniformity is checked
by one chi-square harness (assert_cells, built on stats.py), applied to
every generator; each check raises a false alarm with probability
stats.ALPHA (about 1e-6) when the generator is right.
"""

import base64
import copy
import doctest
import hashlib
import hmac
import json
import math
import re
import string
import struct
import subprocess
import os
import sys
import threading
import pickle
import time
import tracemalloc
import urllib.parse
import uuid
import warnings
import weakref
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

import secrets_rs
from stats import ALPHA, chi_square_sf

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
SYMBOLS = string.punctuation
CLASSES = (LOWER, UPPER, DIGITS, SYMBOLS)
PRINTABLE = LOWER + UPPER + DIGITS + SYMBOLS
CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
BASE62 = DIGITS + UPPER + LOWER
DJANGO = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'
HERE = Path(__file__).resolve().parent


# --- the chi-square harness ---------------------------------------------


def assert_cells(groups, what):
    """Fail, with false-alarm rate ALPHA, unless every group of counts fits
    its probabilities.

    `groups` is a list of (observed counts, probabilities) pairs, each an
    independent multinomial (a position of a string, or one class at one
    position); Pearson's statistic is summed over all of them, with the
    sum of their degrees of freedom.
    """
    statistic, dof = 0.0, 0
    for observed, probabilities in groups:
        assert len(observed) == len(probabilities) > 1
        assert abs(math.fsum(probabilities) - 1) < 1e-9, probabilities
        total = sum(observed)
        expected = [p * total for p in probabilities]
        assert min(expected) >= 5, f'{what}: too few samples ({min(expected):.1f} expected)'
        statistic += math.fsum((o - e) ** 2 / e for o, e in zip(observed, expected))
        dof += len(observed) - 1
    p = chi_square_sf(statistic, dof)
    assert p > ALPHA, f'{what}: chi-square {statistic:.1f} on {dof} dof, p = {p:.3g}'


def positions(samples, probability):
    """Groups for assert_cells: one per position of equal-length samples,
    `probability(position)` giving {character: probability}."""
    length = len(samples[0])
    assert all(len(s) == length for s in samples)
    groups = []
    for i in range(length):
        expected = probability(i)
        counts = Counter(s[i] for s in samples)
        assert set(counts) <= set(expected), f'unexpected {set(counts) - set(expected)}'
        chars = sorted(expected)
        groups.append(([counts[c] for c in chars], [expected[c] for c in chars]))
    return groups


def within_classes(samples, classes):
    """Groups for assert_cells: at each position, the characters of each
    class, uniform within it (what an exactly uniform draw over any set
    closed under swapping a class's characters gives)."""
    groups = []
    for i in range(len(samples[0])):
        column = Counter(s[i] for s in samples)
        for chars in classes:
            counts = [column[c] for c in chars]
            if sum(counts) >= 5 * len(chars):
                groups.append((counts, [1 / len(chars)] * len(chars)))
    assert groups
    return groups


def uniform(chars):
    return {c: 1 / len(chars) for c in chars}


def exact_class_marginal(length, sizes, ok):
    """P(class j at one position) for a string drawn uniformly among those
    whose class counts k satisfy ok(k): counts by multinomials, no library.
    """
    def count(n, need_one_of):
        total = 0
        for k in product(range(n + 1), repeat=len(sizes)):
            if sum(k) != n:
                continue
            full = list(k)
            if need_one_of is not None:
                full[need_one_of] += 1
            if not ok(full):
                continue
            multinomial = math.factorial(n)
            for kj in k:
                multinomial //= math.factorial(kj)
            total += multinomial * math.prod(s ** kj for s, kj in zip(sizes, k))
        return total

    everything = count(length, None)
    return [sizes[j] * count(length - 1, j) / everything for j in range(len(sizes))]


def class_probabilities(length, classes, ok):
    """{character: probability} at one position (all positions alike)."""
    marginal = exact_class_marginal(length, [len(c) for c in classes], ok)
    return {ch: p / len(chars) for chars, p in zip(classes, marginal) for ch in chars}


def class_of(c):
    return next(i for i, chars in enumerate(CLASSES) if c in chars)


# --- password --------------------------------------------------------------


def test_the_default_password_has_every_class():
    for _ in range(200):
        p = secrets_rs.password()
        assert len(p) == 16
        assert set(p) <= set(PRINTABLE)
        assert all(any(c in chars for c in p) for chars in CLASSES)


def test_the_seed_recipes_are_one_call_each():
    # "an eight-character alphanumeric password"
    for _ in range(200):
        p = secrets_rs.password(8, alphabet=string.ascii_letters + DIGITS)
        assert len(p) == 8 and p.isalnum() and p.isascii()
    # "ten characters with a lower-case letter, an upper-case letter and
    # at least three digits"
    for _ in range(200):
        p = secrets_rs.password(10, symbols=False, digits=3)
        assert len(p) == 10 and p.isalnum() and p.isascii()
        assert any(c.islower() for c in p) and any(c.isupper() for c in p)
        assert sum(c.isdigit() for c in p) >= 3


def test_class_options_include_exclude_and_count():
    for _ in range(100):
        p = secrets_rs.password(12, lower=False, symbols=False)
        assert set(p) <= set(UPPER + DIGITS) and any(c.isupper() for c in p)
        assert any(c.isdigit() for c in p)
        p = secrets_rs.password(20, symbols=5, upper=0)
        assert sum(c in SYMBOLS for c in p) >= 5 and any(c in LOWER for c in p)
        p = secrets_rs.password(6, lower=True, upper=False, digits=False, symbols=False)
        assert set(p) <= set(LOWER)
    # upper=0: allowed, not needed; over many draws some have none.
    assert any(not any(c.isupper() for c in secrets_rs.password(4, upper=0, symbols=False))
               for _ in range(2000))


def test_length_and_bits():
    assert len(secrets_rs.password(40)) == 40
    # Digits only: 10**19 < 2**64 <= 10**20.
    p = secrets_rs.password(bits=64, lower=False, upper=False, symbols=False, digits=0)
    assert len(p) == 20 and p.isdigit()


def test_alphabet_exclude_ambiguous_and_runs():
    for _ in range(200):
        p = secrets_rs.password(30, alphabet='ab', max_consecutive=2)
        assert set(p) <= {'a', 'b'} and 'aaa' not in p and 'bbb' not in p
        p = secrets_rs.password(64, exclude_ambiguous=True)
        assert not set(p) & set('0Oo1lIi|B8G6\'"`')


def passwordrules_ok(password, minlength, maxlength, required, allowed):
    """A checker of passwordrules written here: each required set appears,
    every character is allowed, the length is in range."""
    return (minlength <= len(password) <= maxlength
            and all(any(c in chars for c in password) for chars in required)
            and set(password) <= set(allowed) | set().union(*map(set, required)))


def test_rules_are_met():
    rules = 'minlength: 12; maxlength: 16; required: upper; required: digit, [!@#]; allowed: lower'
    for _ in range(300):
        with pytest.warns(UserWarning, match='at most 16 characters'):
            p = secrets_rs.password(rules=rules)
        assert passwordrules_ok(p, 12, 16, [UPPER, DIGITS + '!@#'], LOWER)
    p = secrets_rs.password(rules='required: digit; max-consecutive: 1', length=30)
    assert p.isdigit() and not re.search(r'(.)\1', p)


def test_a_site_from_the_rules_file(tmp_path, monkeypatch):
    path = tmp_path / 'password-rules.json'
    path.write_text(json.dumps({
        'bank.example': {'password-rules': 'minlength: 6; maxlength: 6; required: digit',
                         'exact-domain-match-only': True},
        'shop.example': {'password-rules': 'minlength: 20; required: lower; required: upper'},
    }))
    with pytest.warns(UserWarning, match='19.93 bits'):
        p = secrets_rs.password(site='bank.example', rules_file=path)
    assert re.fullmatch(r'[0-9]{6}', p)
    p = secrets_rs.password(site='www.shop.example', rules_file=str(path))
    assert len(p) >= 20 and set(p) <= set(LOWER + UPPER)
    monkeypatch.setenv('SECRETS_PASSWORD_RULES_FILE', str(path))
    with pytest.warns(UserWarning):
        assert secrets_rs.password(site='bank.example').isdigit()
    # Exact-only: a subdomain gets the default policy, and is told so.
    with pytest.warns(UserWarning, match='no entry for www.bank.example .*default policy'):
        p = secrets_rs.password(site='www.bank.example')
    assert len(p) == 16 and all(any(c in chars for c in p) for chars in CLASSES)
    with pytest.raises(OSError, match='missing.json'):
        secrets_rs.password(site='x.example', rules_file=tmp_path / 'missing.json')
    monkeypatch.delenv('SECRETS_PASSWORD_RULES_FILE')
    with pytest.raises(ValueError, match='SECRETS_PASSWORD_RULES_FILE'):
        secrets_rs.password(site='bank.example')


def test_at_least_classes():
    for _ in range(300):
        p = secrets_rs.password(8, at_least_classes=3)
        assert len(p) == 8 and sum(any(c in chars for c in p) for chars in CLASSES) >= 3
    # Among the classes allowed, and an int count still applies.
    for _ in range(100):
        p = secrets_rs.password(8, symbols=False, digits=2, at_least_classes=2)
        assert p.isalnum() and sum(c.isdigit() for c in p) >= 2


def test_styles():
    for _ in range(100):
        p = secrets_rs.password(style='apple')
        assert re.fullmatch(r'[a-zA-Z0-9]{6}-[a-zA-Z0-9]{6}-[a-zA-Z0-9]{6}', p)
        body = p.replace('-', '')
        assert sum(c.isupper() for c in body) == 1 and sum(c.isdigit() for c in body) == 1
        assert len(secrets_rs.password(style='apple', length=4)) == 27
        assert re.fullmatch(r'[0-9]{6}', secrets_rs.password(style='pin'))
        assert re.fullmatch(r'[0-9]{12}', secrets_rs.password(style='pin', length=12))
        assert re.fullmatch(r'[A-Za-z0-9]{17}', secrets_rs.password(style='alnum'))
        p = secrets_rs.password(style='pronounceable')
        assert len(p) == 22 and re.fullmatch(r'(?:[bcdfghjklmnprstvwz][aeiou][bcdfghjklmnprstvwz]?)+', p)
    # bits: the fewest digits reaching 40 bits.
    assert len(secrets_rs.password(style='pin', bits=40)) == 13


@pytest.mark.parametrize('call, error, message', [
    (lambda: secrets_rs.password(-1), ValueError, 'length must not be negative'),
    (lambda: secrets_rs.password('8'), TypeError, 'length must be an int, not str'),
    (lambda: secrets_rs.password(True), TypeError, 'length must be an int'),
    (lambda: secrets_rs.password(0), ValueError, 'password length 0 is out of range'),
    (lambda: secrets_rs.password(4, digits=5), ValueError, 'no password of length 4'),
    (lambda: secrets_rs.password(8, bits=64), ValueError, 'length or bits, not both'),
    (lambda: secrets_rs.password(lower=1.5), TypeError, 'lower must be a bool or an int'),
    (lambda: secrets_rs.password(alphabet='aab'), ValueError, 'more than once'),
    (lambda: secrets_rs.password(alphabet='ab', rules='required: lower'), ValueError,
     'one of alphabet, rules and site'),
    (lambda: secrets_rs.password(alphabet='abc', digits=False), ValueError, 'digits=False'),
    (lambda: secrets_rs.password(rules='required: uper'), ValueError, 'uper'),
    (lambda: secrets_rs.password(style='xkcd'), ValueError, 'apple, pronounceable, pin, alnum'),
    (lambda: secrets_rs.password(style='pin', digits=3), ValueError, 'style= replaces the policy'),
    (lambda: secrets_rs.password(rules_file='x.json'), ValueError, 'give site too'),
    (lambda: secrets_rs.password(8, at_least_classes=5), ValueError, 'at least 5 of 4 classes'),
    (lambda: secrets_rs.password(8, max_consecutive=0), ValueError, 'max-consecutive 0'),
])
def test_password_errors(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        secrets_rs.password(12, True)  # type: ignore[misc]
    with pytest.raises(TypeError):
        secrets_rs.passphrase(4, 'eff-long')  # type: ignore[misc]


def test_a_weak_policy_warns():
    # The library's warning, at the caller's line, on every call.
    for _ in range(2):
        with pytest.warns(UserWarning, match='19.93 bits') as caught:
            secrets_rs.password(rules='maxlength: 6; allowed: digit')
        assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        secrets_rs.password()


# --- passphrase ------------------------------------------------------------


WORDS = ['apple', 'brick', 'cloud', 'dune', 'ember', 'frost']


@pytest.fixture
def word_file(tmp_path):
    path = tmp_path / 'words.txt'
    path.write_text('\n'.join(WORDS) + '\n')
    return path


def test_the_default_passphrase():
    phrase = secrets_rs.passphrase()
    words = phrase.split(' ')
    assert len(words) == 6 and all(re.fullmatch(r'[a-z-]+', w) for w in words)
    assert len(secrets_rs.passphrase(bits=100).split(' ')) == 8  # 7776**8 >= 2**100
    assert len(secrets_rs.passphrase(3, wordlist='eff-short-1', separator='.').split('.')) == 3


def test_passphrase_options(word_file):
    for _ in range(200):
        phrase = secrets_rs.passphrase(3, wordlist=word_file, separator='-')
        assert all(w in WORDS for w in phrase.split('-'))
        phrase = secrets_rs.passphrase(3, wordlist=str(word_file), capitalize='all')
        assert all(w[0].isupper() and w.lower() in WORDS for w in phrase.split(' '))
        phrase = secrets_rs.passphrase(3, wordlist=word_file, capitalize='one', digit=True,
                                       symbol=True)
        words = phrase.split(' ')
        assert sum(w[0].isupper() for w in words) == 1
        assert sum(c.isdigit() for c in phrase) == 1
        assert sum(c in SYMBOLS for c in phrase) == 1
        assert len(secrets_rs.passphrase(4, max_length=20)) <= 20
    # (With words=None and a minlength rule the library finds no phrase, in
    # the command too: a library issue, so the count is given here.)
    phrase = secrets_rs.passphrase(5, rules='minlength: 20; required: upper; required: digit')
    assert len(phrase) >= 20 and any(c.isupper() for c in phrase)
    assert any(c.isdigit() for c in phrase)


@pytest.mark.parametrize('call, error, message', [
    (lambda: secrets_rs.passphrase(0), ValueError, 'at least 1 word'),
    (lambda: secrets_rs.passphrase(65), ValueError, 'the most is 64'),
    (lambda: secrets_rs.passphrase(4, bits=50), ValueError, 'words or bits, not both'),
    (lambda: secrets_rs.passphrase(capitalize='some'), ValueError, 'capitalize must be'),
    (lambda: secrets_rs.passphrase(wordlist='no-such-list'), OSError, 'no embedded word list'),
    (lambda: secrets_rs.passphrase(wordlist=3), TypeError, 'wordlist must be a str'),
    (lambda: secrets_rs.passphrase(2, max_length=3), ValueError, 'no phrase of 2 words fits'),
    (lambda: secrets_rs.passphrase(separator='-' * 33), ValueError,
     'a separator of 33 characters was given; the most is 32'),
    (lambda: secrets_rs.passphrase(separator='-' * 33, digit=True), ValueError,
     'a separator of 33 characters was given; the most is 32'),
    # Refused before any work: each word is checked joined to the separator.
    (lambda: secrets_rs.passphrase(separator='x' * 10**7), ValueError,
     'a separator of 10000000 characters was given'),
])
def test_passphrase_errors(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_passphrase_separator_of_32_characters():
    for separator in ['-' * 32, '\u00e9' * 32]:
        for options in [{}, {'digit': True}]:
            phrase = secrets_rs.passphrase(3, separator=separator, **options)
            assert phrase.count(separator) == 2, phrase


# --- API keys --------------------------------------------------------------


def base62_checksum(body):
    """The key's checksum as the format states it: CRC-32 (zlib's) of the
    body, 6 base62 digits."""
    import zlib
    value, digits = zlib.crc32(body.encode()), ''
    for _ in range(6):
        value, r = divmod(value, 62)
        digits = BASE62[r] + digits
    return digits


def test_api_keys_and_their_checksums():
    for _ in range(200):
        key = secrets_rs.api_key('acme_')
        assert re.fullmatch(r'acme_[0-9A-Za-z]{36}', key)
        assert key[-6:] == base62_checksum(key[5:35])
        assert secrets_rs.verify_api_key(key) and secrets_rs.verify_api_key(key, 'acme_')
        assert not secrets_rs.verify_api_key(key, 'acme2_')
        flipped = key[:10] + ('A' if key[10] != 'A' else 'B') + key[11:]
        assert not secrets_rs.verify_api_key(flipped)
    assert not secrets_rs.verify_api_key('')
    assert not secrets_rs.verify_api_key('acme_' + 'é' * 36)
    with pytest.raises(ValueError, match='prefix'):
        secrets_rs.api_key('ACME_')
    with pytest.raises(ValueError, match='prefix'):
        secrets_rs.verify_api_key('x', 'no')

    # Of another length, or beyond ASCII: no key, and no error.
    assert not secrets_rs.verify_api_key('acme_' + 'é' * 10**6)
    assert not secrets_rs.verify_api_key('x' * 47 + 'é')
    # A str of no key's length is refused before its UTF-8 copy is made:
    # lone surrogates, which have no UTF-8 form, would raise there.
    assert not secrets_rs.verify_api_key('\ud800' * 48)
    assert not secrets_rs.verify_api_key('\ud800' * 10**6)
    with pytest.raises(UnicodeEncodeError):
        secrets_rs.verify_api_key('\ud800' * 41)
    with pytest.raises(TypeError):
        secrets_rs.verify_api_key(b'acme_' + b'0' * 36)  # type: ignore[arg-type]

    # A str subclass is read for its characters, whatever its __len__ says.
    class Lying(str):
        def __len__(self):
            return 0

    key = secrets_rs.api_key('acme_')
    assert secrets_rs.verify_api_key(Lying(key))
    assert not secrets_rs.verify_api_key(Lying(key[:-1]))


HUGE = 'x' * 10**7


@pytest.mark.parametrize('call, error, message', [
    (lambda: secrets_rs.password(rules=HUGE), ValueError,
     'password rules: in `' + 'x' * 80 + '...` (10000000 characters): unknown rule "'
     + 'x' * 40 + '"... (10000000 characters); the rules are'),
    (lambda: secrets_rs.password(rules='required: ' + HUGE), ValueError,
     'unknown class "' + 'x' * 40 + '"... (10000000 characters)'),
    (lambda: secrets_rs.password(rules='required: [' + HUGE), ValueError,
     '` (10000011 characters): the set of characters has no closing'),
    (lambda: secrets_rs.password(style=HUGE), ValueError,
     'no password style is named "' + 'x' * 40 + '"... (10000000 characters); they are'),
    (lambda: secrets_rs.passphrase(capitalize=HUGE), ValueError,
     'not "' + 'x' * 40 + '"... (10000000 characters)'),
    (lambda: secrets_rs.passphrase(wordlist=HUGE), OSError,
     'no embedded word list is named "' + 'x' * 40 + '"... (10000000 characters)'),
    (lambda: secrets_rs.key(HUGE), ValueError,
     'no key format is named "' + 'x' * 40 + '"... (10000000 characters)'),
    (lambda: secrets_rs.api_key(HUGE), ValueError,
     'the API-key prefix "' + 'x' * 40 + '"... (10000000 characters) is not allowed'),
    (lambda: secrets_rs.totp('a', 'b', algorithm=HUGE), ValueError,
     'not "' + 'x' * 40 + '"... (10000000 characters)'),
])
def test_a_huge_argument_is_shown_by_its_start_and_length(call, error, message):
    """An error names a bad argument of 10**7 characters by its first
    characters and its length (as CPython's own messages cut theirs), in a
    message of a few hundred characters, not one of megabytes."""
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
    assert len(str(info.value)) < 500


# --- TOTP --------------------------------------------------------------------


def hotp(key, counter, digits, digestmod):
    """RFC 4226 section 5.3, with Python's hmac."""
    mac = hmac.new(key, struct.pack('>Q', counter), digestmod).digest()
    offset = mac[-1] & 0x0F
    code = int.from_bytes(mac[offset:offset + 4], 'big') & 0x7FFFFFFF
    return str(code % 10 ** digits).zfill(digits)


HASHES = {'SHA1': hashlib.sha1, 'SHA256': hashlib.sha256, 'SHA512': hashlib.sha512}


def test_the_reference_reproduces_rfc_6238():
    # RFC 6238 appendix B: the seeds and the codes at 59 and 1111111109 s.
    seeds = {'SHA1': b'12345678901234567890', 'SHA256': b'12345678901234567890' + b'123456789012',
             'SHA512': b'1234567890' * 6 + b'1234'}
    codes = {59: ('94287082', '46119246', '90693936'),
             1111111109: ('07081804', '68084774', '25091201'),
             2000000000: ('69279037', '90698825', '38618901')}
    for t, expected in codes.items():
        for name, code in zip(HASHES, expected):
            assert hotp(seeds[name], t // 30, 8, HASHES[name]) == code


@pytest.mark.parametrize('algorithm, digits, period', [('SHA1', 6, 30), ('SHA256', 8, 60),
                                                       ('SHA512', 7, 15)])
def test_totp_codes_agree_with_rfc_6238(algorithm, digits, period):
    otp = secrets_rs.totp('Example', 'alice@example.com', digits=digits, period=period,
                          algorithm=algorithm)
    key = base64.b32decode(otp.secret)
    assert len(key) == 20
    for t in (0, 59, 1111111109, 1234567890, 2000000000, 20000000000):
        assert otp.at(t) == hotp(key, t // period, digits, HASHES[algorithm])
    assert otp.at(59.9) == otp.at(59)
    now = time.time()
    code = otp.now()
    assert code in {hotp(key, int(t) // period, digits, HASHES[algorithm])
                    for t in (now - 1, now, now + 1)}


def test_totp_verify_window():
    otp = secrets_rs.totp('Example', 'alice')
    t = 1_700_000_015
    assert otp.verify(otp.at(t), at=t)
    assert otp.verify(otp.at(t - 30), at=t) and otp.verify(otp.at(t + 30), at=t)
    assert not otp.verify(otp.at(t - 30), at=t, window=0)
    assert otp.verify(otp.at(t - 90), at=t, window=3)
    assert not otp.verify(otp.at(t - 90), at=t)
    assert not otp.verify('12345', at=t) and not otp.verify('', at=t)
    wrong = str((int(otp.at(t)) + 1) % 10 ** 6).zfill(6)
    assert not otp.verify(wrong, at=t, window=0)
    assert otp.verify(otp.now())
    with pytest.raises(TypeError):
        otp.verify(123456)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        otp.verify('123456', window=-1)
    assert otp.verify(otp.at(t - 1000 * 30), at=t, window=1000)  # the widest window
    with pytest.raises(ValueError, match='the most is 1000'):
        otp.verify('123456', window=1001)


def test_totp_uri_and_attributes():
    otp = secrets_rs.totp('Ünï Co', 'al ice@x.org', digits=8, period=60, algorithm='sha256')
    parsed = urllib.parse.urlparse(otp.uri)
    assert (parsed.scheme, parsed.netloc) == ('otpauth', 'totp')
    assert urllib.parse.unquote(parsed.path) == '/Ünï Co:al ice@x.org'
    query = dict(urllib.parse.parse_qsl(parsed.query))
    assert query == {'secret': otp.secret, 'issuer': 'Ünï Co', 'algorithm': 'SHA256',
                     'digits': '8', 'period': '60'}
    assert re.fullmatch(r'[A-Z2-7]{32}', otp.secret)
    assert (otp.issuer, otp.account, otp.digits, otp.period, otp.algorithm) == (
        'Ünï Co', 'al ice@x.org', 8, 60, 'SHA256')
    assert otp.secret not in repr(otp) and 'TOTP(' in repr(otp)
    with pytest.raises(AttributeError):
        otp.digits = 6  # type: ignore[misc]


def test_totp_qr_codes():
    otp = secrets_rs.totp('Example', 'alice')
    png = otp.qr_png()
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and png[12:16] == b'IHDR'
    width, height = struct.unpack('>II', png[16:24])
    assert width == height and width % 8 == 0 and (width // 8 - 8 - 21) % 4 == 0
    assert struct.unpack('>I', otp.qr_png(scale=2)[16:20])[0] == width // 4
    svg = otp.qr_svg()
    assert svg.startswith('<?xml') and '<svg' in svg and svg.rstrip().endswith('</svg>')
    assert f'width="{width}"' in svg


@pytest.mark.parametrize('kwargs, message', [
    (dict(digits=5), '6, 7 or 8'), (dict(period=0), 'period'),
    (dict(algorithm='MD5'), 'SHA1'),
])
def test_totp_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        secrets_rs.totp('Example', 'alice', **kwargs)
    with pytest.raises(ValueError, match="':'"):
        secrets_rs.totp('Ex:ample', 'alice')
    with pytest.raises(ValueError, match='empty'):
        secrets_rs.totp('', 'alice')


# --- UUIDv7 and ULID -------------------------------------------------------


def test_uuid7_layout_and_order():
    before = time.time_ns() // 1_000_000
    ids = [secrets_rs.uuid7() for _ in range(100_000)]
    after = time.time_ns() // 1_000_000
    assert all(isinstance(u, uuid.UUID) for u in ids[:10])
    # Built from its integer: the same object uuid.UUID makes from its text,
    # equal, hashing alike, with the same safety field and pickle.
    for u in ids[:100]:
        again = uuid.UUID(str(u))
        assert u == again and hash(u) == hash(again) and u.int == again.int
        assert u.is_safe is again.is_safe
        assert pickle.loads(pickle.dumps(u)) == u
    u = ids[0]
    assert type(u) is uuid.UUID and weakref.ref(u)() is u
    assert copy.copy(u) == u and copy.deepcopy(u) == u
    with pytest.raises(TypeError, match='immutable'):
        u.int = 0
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in ids)
    assert all(a < b for a, b in zip(ids, ids[1:]))
    assert all(str(a) < str(b) for a, b in zip(ids[:1000], ids[1:1000]))
    # The 48-bit timestamp, ahead of the clock by at most what 100,000 IDs
    # can push it (each millisecond holds about 2**41 / 2**31 IDs at least).
    assert before <= ids[0].int >> 80 <= after
    assert ids[-1].int >> 80 <= after + 100


def test_uuid7_keeps_no_reference():
    # The instance and its slots are made through the C API: a reference
    # taken and never given back would show as a count that grows.
    safe = uuid.SafeUUID.unknown
    for _ in range(1000):
        secrets_rs.uuid7()
    before = sys.getrefcount(safe), sys.getrefcount(uuid.UUID)
    for _ in range(10_000):
        secrets_rs.uuid7()
    assert (sys.getrefcount(safe), sys.getrefcount(uuid.UUID)) == before
    tracemalloc.start()
    try:
        for _ in range(1000):
            secrets_rs.uuid7()
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(50_000):
            secrets_rs.uuid7()
        # 50,000 UUIDs kept would be megabytes.
        assert tracemalloc.get_traced_memory()[0] - start < 64 * 1024
    finally:
        tracemalloc.stop()


def test_uuid7_is_increasing_across_threads():
    # The trusted check's own threaded run (tests/trusted/check_uuid7.py),
    # here on every interpreter of the pyenv step.
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'trusted'))
    try:
        import check_uuid7
    finally:
        sys.path.pop(0)
    check_uuid7.check_threads(4, 20_000)


@pytest.mark.skipif(not hasattr(uuid, 'uuid7'), reason='the standard uuid7 is in Python 3.14+')
def test_uuid7_fields_match_the_standard_library():
    theirs = uuid.uuid7()
    ours = secrets_rs.uuid7()
    later = uuid.uuid7()
    assert (ours.version, ours.variant) == (theirs.version, theirs.variant)
    assert theirs.time <= ours.time <= later.time


def crockford_value(text):
    return sum(CROCKFORD.index(c) << (5 * (25 - i)) for i, c in enumerate(text))


def test_ulid_layout_and_order():
    before = time.time_ns() // 1_000_000
    ids = [secrets_rs.ulid() for _ in range(100_000)]
    after = time.time_ns() // 1_000_000
    assert all(len(u) == 26 and set(u) <= set(CROCKFORD) and u[0] <= '7' for u in ids)
    assert all(a < b for a, b in zip(ids, ids[1:]))
    assert before <= crockford_value(ids[0]) >> 80 <= after
    assert crockford_value(ids[-1]) >> 80 <= after + 100


def fresh_ids(make, value, n=1000):
    """n IDs each first of its millisecond (all random bits fresh)."""
    out, last = [], None
    while len(out) < n:
        time.sleep(0.0011)
        v = value(make())
        if last is None or v >> 80 > last >> 80:
            out.append(v)
        last = v
    return out


def nibble_groups(values, bits):
    """Groups for assert_cells: each 4-bit field (and the top bits) of the
    random fields, uniform."""
    groups = []
    for shift in range(0, bits, 4):
        width = min(4, bits - shift)
        counts = Counter((v >> shift) & ((1 << width) - 1) for v in values)
        groups.append(([counts[k] for k in range(1 << width)], [1 / (1 << width)] * (1 << width)))
    return groups


def uuid7_random(u):
    # rand_a (12 bits) above rand_b (62 bits).
    return (((u.int >> 64) & 0xFFF) << 62) | (u.int & ((1 << 62) - 1))


def test_uniformity_of_uuid7_and_ulid_random_bits():
    # First IDs of their millisecond: all 74 or 80 random bits fresh.
    fresh = fresh_ids(secrets_rs.uuid7, lambda u: u.int)
    assert_cells(nibble_groups([uuid7_random(uuid.UUID(int=v)) for v in fresh], 74),
                 'uuid7 random field')
    fresh = fresh_ids(secrets_rs.ulid, crockford_value)
    assert_cells(nibble_groups([v & ((1 << 80) - 1) for v in fresh], 80), 'ulid random field')
    # Every ID: the low 32 bits take a uniform increment of 1 to 2**32, so
    # they stay uniform within a millisecond too.
    many = [secrets_rs.uuid7().int & 0xFFFFFFFF for _ in range(20_000)]
    assert_cells(nibble_groups(many, 32), 'uuid7 low 32 bits')
    many = [crockford_value(secrets_rs.ulid()) & 0xFFFFFFFF for _ in range(20_000)]
    assert_cells(nibble_groups(many, 32), 'ulid low 32 bits')


# --- framework keys ----------------------------------------------------------


def test_framework_keys():
    for _ in range(100):
        fernet = secrets_rs.fernet_key()
        assert len(fernet) == 44 and len(base64.urlsafe_b64decode(fernet)) == 32
        assert base64.urlsafe_b64encode(base64.urlsafe_b64decode(fernet)).decode() == fernet
        assert len(base64.urlsafe_b64decode(secrets_rs.key('fernet'))) == 32
        django = secrets_rs.django_secret_key()
        assert len(django) == 50 and set(django) <= set(DJANGO)
        assert re.fullmatch(r'[0-9a-f]{64}', secrets_rs.key('flask'))
        assert re.fullmatch(r'[0-9a-f]{128}', secrets_rs.key('rails'))
        for name, size in (('jwt-hs256', 32), ('jwt-hs512', 64)):
            text = secrets_rs.key(name)
            assert len(base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))) == size
    with pytest.raises(ValueError, match='fernet, django, flask, rails, jwt-hs256, jwt-hs512'):
        secrets_rs.key('laravel')


# --- explain -----------------------------------------------------------------


def test_explain():
    e = secrets_rs.explain(365, among=23)  # the birthday problem
    exact = 1 - math.prod((365 - i) / 365 for i in range(23))
    assert abs(e.collision_probability - exact) < 1e-13
    assert e.set_size == 365 and e.among == 23
    assert abs(e.entropy_bits - math.log2(365)) < 1e-12
    assert abs(e.guess_seconds - 365 / 2 / 1e12) < 1e-22 and e.guess_rate == 1e12
    assert abs(e.guess_time(1.0) - 182.5) < 1e-9
    assert e.collision_probability_among(1) == 0 and e.collision_probability_among(366) == 1
    e = secrets_rs.explain(bits=128)
    assert e.set_size == 2 ** 128 and e.entropy_bits == 128 and e.among == 10 ** 9
    # n(n-1)/2 / 2**128 to first order.
    assert abs(e.collision_probability / (1e9 * (1e9 - 1) / 2 / 2 ** 128) - 1) < 1e-6
    huge = secrets_rs.explain(2 ** 20000)
    assert huge.set_size == 2 ** 20000 and huge.collision_probability == 0.0
    assert abs(huge.collision_probability_log10 - math.log10(1e9 * (1e9 - 1) / 2) + 20000 *
               math.log10(2)) < 1e-6
    assert secrets_rs.explain(bits=10.5).set_size is None
    assert secrets_rs.explain(bits=65536).set_size == 2 ** 65536
    assert secrets_rs.explain(bits=65537).set_size is None
    assert secrets_rs.explain(bits=65537).entropy_bits == 65537
    big = 3 ** 200_000  # returned as given, not through decimal text
    assert secrets_rs.explain(big).set_size is big
    with pytest.raises(AttributeError):
        e.entropy_bits = 1.0  # type: ignore[misc]
    for call, error in ((lambda: secrets_rs.explain(0), ValueError),
                        (lambda: secrets_rs.explain(), TypeError),
                        (lambda: secrets_rs.explain(10, bits=3), TypeError),
                        (lambda: secrets_rs.explain('10'), TypeError),
                        (lambda: secrets_rs.explain(bits=-1), ValueError),
                        (lambda: secrets_rs.explain(10, guess_rate=0), ValueError)):
        with pytest.raises(error):
            call()


# --- uniformity of every generator -----------------------------------------


@pytest.mark.filterwarnings('ignore:the best password these rules allow:UserWarning')
def test_uniformity_of_passwords_under_a_policy():
    # Length 6, one of each of the four classes at least: the chance of
    # each character at each position, counted here by multinomials.
    samples = [secrets_rs.password(6) for _ in range(20_000)]
    expected = class_probabilities(6, CLASSES, lambda k: all(x >= 1 for x in k))
    assert_cells(positions(samples, lambda i: expected), 'password(6)')
    # At least 3 digits, one letter of each case, no symbols.
    classes = (LOWER, UPPER, DIGITS)
    samples = [secrets_rs.password(6, symbols=False, digits=3) for _ in range(20_000)]
    expected = class_probabilities(6, classes, lambda k: k[0] >= 1 and k[1] >= 1 and k[2] >= 3)
    assert_cells(positions(samples, lambda i: expected), 'password(6, digits=3)')
    # k of n classes: at least 3 of the 4 present.
    samples = [secrets_rs.password(5, at_least_classes=3) for _ in range(20_000)]
    expected = class_probabilities(5, CLASSES, lambda k: sum(x > 0 for x in k) >= 3)
    assert_cells(positions(samples, lambda i: expected), 'password(5, at_least_classes=3)')
    # An alphabet and passwordrules: uniform within each class.
    samples = [secrets_rs.password(8, alphabet='abcdefgh') for _ in range(2_000)]
    assert_cells(positions(samples, lambda i: uniform('abcdefgh')), 'alphabet')
    samples = [secrets_rs.password(rules='minlength: 8; maxlength: 8; required: digit; '
                                         'allowed: upper') for _ in range(5_000)]
    assert_cells(within_classes(samples, [UPPER, DIGITS]), 'rules')


def test_uniformity_of_styles():
    samples = [secrets_rs.password(style='pin') for _ in range(2_000)]
    assert_cells(positions(samples, lambda i: uniform(DIGITS)), 'pin')
    samples = [secrets_rs.password(style='alnum') for _ in range(2_000)]
    assert_cells(positions(samples, lambda i: uniform(BASE62)), 'alnum')
    # Apple: 18 characters, one capital and one digit at distinct
    # positions, the rest lower case.
    samples = [secrets_rs.password(style='apple').replace('-', '') for _ in range(6_000)]
    apple = {**{c: 16 / 18 / 26 for c in LOWER}, **{c: 1 / 18 / 26 for c in UPPER},
             **{c: 1 / 18 / 10 for c in DIGITS}}
    assert_cells(positions(samples, lambda i: apple), 'apple')
    samples = [secrets_rs.password(style='pronounceable') for _ in range(4_000)]
    assert_cells(within_classes(samples, ['bcdfghjklmnprstvwz', 'aeiou']), 'pronounceable')


def test_uniformity_of_passphrases(word_file):
    samples = [secrets_rs.passphrase(3, wordlist=word_file).split(' ') for _ in range(3_000)]
    assert_cells(positions(samples, lambda i: uniform(WORDS)), 'passphrase words')
    # One capital, one digit: which word, which digit.
    samples = [secrets_rs.passphrase(3, wordlist=word_file, capitalize='one', digit=True)
               for _ in range(3_000)]
    capital = Counter(next(i for i, w in enumerate(s.split(' ')) if w[0].isupper())
                      for s in samples)
    digit_word = Counter(next(i for i, w in enumerate(s.split(' ')) if w[-1].isdigit())
                         for s in samples)
    digit = Counter(next(c for c in s if c.isdigit()) for s in samples)
    assert_cells([([capital[i] for i in range(3)], [1 / 3] * 3),
                  ([digit_word[i] for i in range(3)], [1 / 3] * 3),
                  ([digit[d] for d in DIGITS], [1 / 10] * 10)], 'passphrase extras')
    # An embedded list: each word as often as the others at each position.
    # The list is read from what is drawn, so the draws are enough that all
    # 1,296 words show up but with probability 1296 * (1 - 1/1296)**32_000,
    # about 3e-8 (8,000 pairs, 16,000 words, missed one word in 170 runs).
    samples = [secrets_rs.passphrase(2, wordlist='eff-short-1').split(' ')
               for _ in range(16_000)]
    listed = sorted({w for s in samples for w in s})
    assert len(listed) == 1296
    assert_cells(positions(samples, lambda i: uniform(listed)), 'eff-short-1')


def test_uniformity_of_api_keys_and_framework_keys():
    bodies = [secrets_rs.api_key('ab_')[3:33] for _ in range(2_000)]
    assert_cells(positions(bodies, lambda i: uniform(BASE62)), 'api_key body')
    keys = [base64.urlsafe_b64decode(secrets_rs.fernet_key()) for _ in range(2_000)]
    assert_cells(positions(keys, lambda i: {b: 1 / 256 for b in range(256)}), 'fernet bytes')
    keys = [secrets_rs.django_secret_key() for _ in range(2_000)]
    assert_cells(positions(keys, lambda i: uniform(DJANGO)), 'django key')
    secrets = [base64.b32decode(secrets_rs.totp('E', 'a').secret) for _ in range(2_000)]
    assert_cells(positions(secrets, lambda i: {b: 1 / 256 for b in range(256)}), 'TOTP secret')


def test_the_harness_catches_a_bias():
    # The harness itself: a generator off by 6% in one cell fails it.
    biased = ([1060 * 20] + [1000 * 20] * 9, [0.1] * 10)
    with pytest.raises(AssertionError):
        assert_cells([biased], 'biased')
    # And the class marginals are right: for one required class the
    # chance of the class is known in closed form.
    p = exact_class_marginal(3, [2, 3], lambda k: k[0] >= 1)
    # Strings over 5 symbols with at least one of the 2: 5**3 - 3**3 = 98;
    # those starting with class 0: 2 * 25 = 50.
    assert abs(p[0] - 50 / 98) < 1e-15 and abs(p[1] - 48 / 98) < 1e-15


# --- docs and types ----------------------------------------------------------


NAMES = ['password', 'passphrase', 'api_key', 'verify_api_key', 'totp', 'TOTP', 'uuid7', 'ulid',
         'key', 'fernet_key', 'django_secret_key', 'explain', 'Explanation']


def test_the_names_are_importable_but_not_in_all():
    for name in NAMES:
        assert hasattr(secrets_rs, name), name
        assert name not in secrets_rs.__all__
    namespace = {}
    exec('from secrets_rs import *', namespace)
    assert not set(NAMES) & set(namespace)


@pytest.mark.parametrize('name', [n for n in NAMES if n not in ('TOTP', 'Explanation')])
def test_docstring_examples_run(name):
    function = getattr(secrets_rs, name)
    assert function.__doc__ and '>>>' in function.__doc__, name
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(function, name, globs={}):
        runner.run(test)
    assert runner.failures == 0 and runner.tries > 0, name


def test_stubs_accept_the_typing_example(tmp_path):
    pytest.importorskip('mypy', reason='needs mypy: pip install mypy')
    done = subprocess.run([sys.executable, '-m', 'mypy', '--strict', '--no-incremental',
                           '--cache-dir', str(tmp_path / 'cache'),
                           str(HERE / 'typing_extras.py')],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout
    subprocess.run([sys.executable, str(HERE / 'typing_extras.py')], check=True,
                   capture_output=True, timeout=600)


@pytest.mark.parametrize('call', ['secrets_rs.password(12, True)',
                                  'secrets_rs.password(style="xkcd")',
                                  'secrets_rs.totp("a", "b").digits = 8',
                                  'x: int = secrets_rs.uuid7()',
                                  'secrets_rs.key("laravel")'])
def test_stubs_reject_misuse(tmp_path, call):
    pytest.importorskip('mypy', reason='needs mypy: pip install mypy')
    path = tmp_path / 'program.py'
    path.write_text(f'import secrets_rs\n{call}\n')
    done = subprocess.run([sys.executable, '-m', 'mypy', '--strict', '--no-incremental',
                           '--cache-dir', str(tmp_path / 'cache'), str(path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 1 and 'error' in done.stdout, done.stdout


def test_the_readme_examples_run(tmp_path, monkeypatch):
    readme = HERE.parent / 'README.md'
    text = readme.read_text(encoding='utf-8')
    section = text[text.index('## Beyond the standard library'):text.index('## Speed')]
    blocks = re.findall(r'```python\n(.*?)```', section, re.S)
    assert len(blocks) == 2
    # The site example reads a rules file from the working directory.
    (tmp_path / 'password-rules.json').write_text(json.dumps(
        {'example.com': {'password-rules': 'minlength: 20; required: lower; required: digit'}}))
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for block in blocks:
        exec(compile(block, str(readme), 'exec'), namespace)
    assert len(namespace['password']) == 10 and namespace['url'].startswith('https://')
    assert namespace['e'].entropy_bits == 128
