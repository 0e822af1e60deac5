"""API keys: verify_api_key accepts every key api_key makes, and refuses
every key with any one character changed.

    python check_api_keys.py
"""

import string
import sys

import secrets_rs

ALPHABET = string.ascii_letters + string.digits + '_'


def main():
    keys, changed = 0, 0
    for prefix in ('acme_', 'ghp_', 'acme2_'):
        for _ in range(40):
            k = secrets_rs.api_key(prefix)
            assert k.startswith(prefix)
            assert secrets_rs.verify_api_key(k) is True, k
            assert secrets_rs.verify_api_key(k, prefix) is True, k
            keys += 1
            for i in range(len(k)):
                for c in ALPHABET:
                    if c == k[i]:
                        continue
                    other = k[:i] + c + k[i + 1:]
                    # With the prefix given, every one-character change must
                    # fail; without it, a change inside the prefix that
                    # leaves another valid prefix is still a different key,
                    # and must fail too unless the checksum happens to hold.
                    assert secrets_rs.verify_api_key(other, prefix) is False, (k, other)
                    changed += 1
            # Dropping or adding a character also fails.
            assert secrets_rs.verify_api_key(k[:-1], prefix) is False
            assert secrets_rs.verify_api_key(k + 'a', prefix) is False
    print(f'api keys: {keys} keys verify; all {changed} one-character changes refused')
    return 0


if __name__ == '__main__':
    sys.exit(main())
