"""Beyond the standard library: the library's generators, one call each.

Passwords under a policy, a site's ``passwordrules`` or a style;
passphrases; checksummed API keys; TOTP enrolments with their QR codes;
UUIDv7 and ULID that keep their order; framework keys; and what a secret's
strength means. Everything is drawn and counted by the Rust library (its
``secrets-kit-gen``, ``-otp`` and ``-tokens`` crates); this module only
turns the UUID text into :class:`uuid.UUID`.

These names are importable from ``secrets_rs`` but are not in its
``__all__``: ``from secrets_rs import *`` stays exactly the standard
library's ``secrets``.
"""

import uuid as _uuid

from ._secrets_rs import (
    TOTP,
    Explanation,
    _uuid7,
    api_key,
    django_secret_key,
    explain,
    fernet_key,
    key,
    passphrase,
    password,
    totp,
    ulid,
    verify_api_key,
)

__all__ = [
    'password', 'passphrase', 'api_key', 'verify_api_key', 'totp', 'TOTP',
    'uuid7', 'ulid', 'key', 'fernet_key', 'django_secret_key', 'explain',
    'Explanation',
]

_UUID = _uuid.UUID
_new_object = object.__new__
_set_slot = object.__setattr__
_SAFE_UNKNOWN = _uuid.SafeUUID.unknown


def uuid7():
    """A version 7 UUID (RFC 9562): the Unix time in milliseconds, then 74
    random bits.

    UUIDs from one process are strictly increasing, across threads too, as
    Python 3.14's ``uuid.uuid7`` promises: within one millisecond the next
    one adds a random increment (1 to 2**32) to the last one's random bits,
    so it cannot be guessed from the one before.

    >>> import secrets_rs
    >>> a, b = secrets_rs.uuid7(), secrets_rs.uuid7()
    >>> a.version, a < b
    (7, True)
    """
    # What ``uuid.UUID(int=...)`` makes, as Python 3.14's own ``uuid7`` makes
    # it (``UUID._from_int``): the value is valid by construction, so the
    # constructor's parsing and checks are skipped. UUID is immutable
    # through ``__setattr__``, hence ``object.__setattr__`` on its slots.
    value = _new_object(_UUID)
    _set_slot(value, 'int', _uuid7())
    _set_slot(value, 'is_safe', _SAFE_UNKNOWN)
    return value


for _function in (password, passphrase, api_key, verify_api_key, totp, ulid, key,
                  fernet_key, django_secret_key, explain):
    try:
        _function.__module__ = 'secrets_rs'
    except (AttributeError, TypeError):
        pass
del _function
