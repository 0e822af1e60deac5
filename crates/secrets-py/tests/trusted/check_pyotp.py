"""TOTP enrolments read by pyotp: secret, otpauth:// URI and codes.

    python check_pyotp.py

For every algorithm (SHA1, SHA256, SHA512), digits 6 and 8 and periods 30
and 60: pyotp.parse_uri(t.uri) gives back the issuer, account, secret,
digits, period and algorithm; pyotp's code equals ours at 2,000 timestamps
(fixed ones around period edges and the 32-bit boundary, and random ones),
pyotp accepts our now(), and we accept pyotp's now().
"""

import base64
import hashlib
import importlib.metadata
import random
import sys
import time

import pyotp

import secrets_rs

FIXED = [0, 1, 29, 30, 31, 59, 60, 61, 1_111_111_109, 1_234_567_890, 2_000_000_000,
         2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 20_000_000_000]
DIGESTS = {'SHA1': hashlib.sha1, 'SHA256': hashlib.sha256, 'SHA512': hashlib.sha512}


def main():
    rng = random.Random(20)  # which timestamps; not a secret
    checked = 0
    for algorithm, digest in DIGESTS.items():
        for digits in (6, 8):
            for period in (30, 60):
                t = secrets_rs.totp('Example Co', 'alice@example.com', digits=digits,
                                    period=period, algorithm=algorithm)
                theirs = pyotp.parse_uri(t.uri)
                assert isinstance(theirs, pyotp.TOTP), t.uri
                assert theirs.secret == t.secret, (theirs.secret, t.secret)
                assert theirs.issuer == 'Example Co' and theirs.name == 'alice@example.com', t.uri
                assert (theirs.digits, theirs.interval) == (digits, period), t.uri
                assert theirs.digest is digest, (theirs.digest, algorithm)
                assert len(base64.b32decode(t.secret + '=' * (-len(t.secret) % 8))) >= 20
                stamps = FIXED + [rng.randrange(0, 2 ** 33) for _ in range(2_000 - len(FIXED))]
                for ts in stamps:
                    ours, want = t.at(ts), theirs.at(ts)
                    assert ours == want, f'{algorithm}/{digits}/{period} at {ts}: {ours} != {want}'
                    assert t.verify(want, at=ts), (ts, want)
                    assert theirs.verify(ours, for_time=ts), (ts, ours)
                # now() against now(), retried across a period boundary.
                for _ in range(3):
                    before = int(time.time()) // period
                    ours, want = t.now(), theirs.now()
                    if int(time.time()) // period == before:
                        break
                assert ours == want and theirs.verify(ours) and t.verify(want), (ours, want)
                checked += len(stamps)
                print(f'ok pyotp {algorithm} digits={digits} period={period}: parse_uri, now, '
                      f'verify, {len(stamps)} timestamps')
    print(f'pyotp {importlib.metadata.version("pyotp")}: '
          f'12 enrolments, {checked} codes equal')
    return 0


if __name__ == '__main__':
    sys.exit(main())
