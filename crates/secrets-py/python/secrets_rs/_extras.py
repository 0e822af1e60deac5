"""Beyond the standard library: the library's generators, one call each.

Passwords under a policy, a site's ``passwordrules`` or a style;
passphrases; checksummed API keys; TOTP enrolments with their QR codes;
UUIDv7 and ULID that keep their order; framework keys; and what a secret's
strength means. Everything is drawn and counted by the Rust library (its
``secrets-kit-gen``, ``-otp`` and ``-tokens`` crates); this module only
re-exports them.

These names are importable from ``secrets_rs`` but are not in its
``__all__``: ``from secrets_rs import *`` stays exactly the standard
library's ``secrets``.
"""

from ._secrets_rs import (
    TOTP,
    Explanation,
    api_key,
    django_secret_key,
    explain,
    fernet_key,
    key,
    passphrase,
    password,
    totp,
    ulid,
    uuid7,
    verify_api_key,
)

__all__ = [
    'password', 'passphrase', 'api_key', 'verify_api_key', 'totp', 'TOTP',
    'uuid7', 'ulid', 'key', 'fernet_key', 'django_secret_key', 'explain',
    'Explanation',
]

for _function in (password, passphrase, api_key, verify_api_key, totp, ulid, uuid7, key,
                  fernet_key, django_secret_key, explain):
    try:
        _function.__module__ = 'secrets_rs'
    except (AttributeError, TypeError):
        pass
del _function
