"""Fernet keys loaded and used by cryptography's Fernet.

    python check_fernet.py

fernet_key() and key('fernet'): each key loads in
cryptography.fernet.Fernet, a message encrypted with it decrypts to the
same bytes, and a token made under one key does not decrypt under another.
"""

import sys

import cryptography
from cryptography.fernet import Fernet, InvalidToken

import secrets_rs

N = 500


def main():
    keys = [secrets_rs.fernet_key() for _ in range(N)] + [secrets_rs.key('fernet') for _ in range(N)]
    assert len(set(keys)) == len(keys)
    previous = None
    for k in keys:
        f = Fernet(k)
        message = k.encode()[::-1]
        token = f.encrypt(message)
        assert f.decrypt(token) == message
        if previous is not None:
            try:
                previous.decrypt(token)
            except InvalidToken:
                pass
            else:
                raise AssertionError('a token decrypted under another key')
        previous = f
    print(f'cryptography {cryptography.__version__}: {len(keys)} Fernet keys load, encrypt and '
          'decrypt; no token opens under another key')
    return 0


if __name__ == '__main__':
    sys.exit(main())
