# Type stubs for secrets_rs: the same types as the standard library's
# secrets module (typeshed), so code typed against one checks with the other.
import random
import sys
from collections.abc import Sequence
from typing import Final, TypeVar, overload

from _typeshed import ReadableBuffer

__all__ = [
    "choice",
    "randbelow",
    "randbits",
    "SystemRandom",
    "token_bytes",
    "token_hex",
    "token_urlsafe",
    "compare_digest",
]

_T = TypeVar("_T")

__version__: Final[str]
DEFAULT_ENTROPY: Final[int]

class SystemRandom(random.SystemRandom):
    """random.SystemRandom of the running interpreter, drawing through Rust."""

def randbelow(exclusive_upper_bound: int) -> int: ...
def randbits(k: int) -> int: ...
def choice(seq: Sequence[_T]) -> _T: ...
def token_bytes(nbytes: int | None = None) -> bytes: ...
def token_hex(nbytes: int | None = None) -> str: ...
def token_urlsafe(nbytes: int | None = None) -> str: ...
# Both bytes-like, or both str: a str and a bytes together raise TypeError,
# so the checker rejects them.
@overload
def compare_digest(a: ReadableBuffer, b: ReadableBuffer, /) -> bool: ...
@overload
def compare_digest(a: str, b: str, /) -> bool: ...

# Beyond the standard library (secrets_rs._extras; not in __all__).
from secrets_rs._extras import (
    TOTP as TOTP,
    Explanation as Explanation,
    api_key as api_key,
    django_secret_key as django_secret_key,
    explain as explain,
    fernet_key as fernet_key,
    key as key,
    passphrase as passphrase,
    password as password,
    totp as totp,
    ulid as ulid,
    uuid7 as uuid7,
    verify_api_key as verify_api_key,
)
