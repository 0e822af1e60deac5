# Type stubs for secrets_rs._extras: the names beyond the standard library,
# re-exported by secrets_rs (not in its __all__).
import os
import uuid
from typing import Literal, final

__all__ = [
    "password",
    "passphrase",
    "api_key",
    "verify_api_key",
    "totp",
    "TOTP",
    "uuid7",
    "ulid",
    "key",
    "fernet_key",
    "django_secret_key",
    "explain",
    "Explanation",
]

_Style = Literal["apple", "pronounceable", "pin", "alnum"]
_Capitalize = Literal["all", "one", "random"]
_Algorithm = Literal["SHA1", "SHA256", "SHA512", "sha1", "sha256", "sha512"]
_KeyFormat = Literal["fernet", "django", "flask", "rails", "jwt-hs256", "jwt-hs512"]

def password(
    length: int | None = None,
    *,
    lower: bool | int | None = None,
    upper: bool | int | None = None,
    digits: bool | int | None = None,
    symbols: bool | int | None = None,
    alphabet: str | None = None,
    rules: str | None = None,
    site: str | None = None,
    rules_file: str | os.PathLike[str] | None = None,
    at_least_classes: int | None = None,
    exclude_ambiguous: bool = False,
    max_consecutive: int | None = None,
    style: _Style | None = None,
    bits: int | None = None,
) -> str: ...
def passphrase(
    words: int | None = None,
    *,
    wordlist: str | os.PathLike[str] = "eff-long",
    separator: str = " ",
    capitalize: _Capitalize | None = None,
    digit: bool = False,
    symbol: bool = False,
    max_length: int | None = None,
    rules: str | None = None,
    bits: int | None = None,
) -> str: ...
def api_key(prefix: str) -> str: ...
def verify_api_key(key: str, prefix: str | None = None) -> bool: ...
@final
class TOTP:
    """A TOTP enrolment (RFC 6238); made by totp(). Frozen."""

    @property
    def secret(self) -> str: ...
    @property
    def uri(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def digits(self) -> int: ...
    @property
    def period(self) -> int: ...
    @property
    def algorithm(self) -> Literal["SHA1", "SHA256", "SHA512"]: ...
    def now(self) -> str: ...
    def at(self, timestamp: int | float) -> str: ...
    def verify(self, code: str, *, window: int = 1, at: int | float | None = None) -> bool: ...
    def qr_svg(self, *, scale: int = 8) -> str: ...
    def qr_png(self, *, scale: int = 8) -> bytes: ...

def totp(
    issuer: str,
    account: str,
    *,
    digits: int = 6,
    period: int = 30,
    algorithm: _Algorithm = "SHA1",
) -> TOTP: ...
def uuid7() -> uuid.UUID: ...
def ulid() -> str: ...
def key(format: _KeyFormat) -> str: ...
def fernet_key() -> str: ...
def django_secret_key() -> str: ...
@final
class Explanation:
    """What a secret drawn uniformly from a set means; made by explain(). Frozen."""

    @property
    def set_size(self) -> int | None: ...
    @property
    def entropy_bits(self) -> float: ...
    @property
    def among(self) -> int: ...
    @property
    def collision_probability(self) -> float: ...
    @property
    def collision_probability_log10(self) -> float: ...
    @property
    def guess_seconds(self) -> float: ...
    @property
    def guess_seconds_log10(self) -> float: ...
    @property
    def guess_rate(self) -> float: ...
    def collision_probability_among(self, n: int) -> float: ...
    def guess_time(self, rate: float) -> float: ...

def explain(
    set_size: int | None = None,
    *,
    bits: int | float | None = None,
    among: int = 1_000_000_000,
    guess_rate: float = 1e12,
) -> Explanation: ...
