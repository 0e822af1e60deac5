"""Every name beyond the standard library, used as its stubs type it.

mypy --strict must accept this file with the stubs the wheel ships
(test_extras.py::test_stubs_accept_the_typing_example runs it), and it runs
as a program too.
"""

import pathlib
import uuid

import secrets_rs
from secrets_rs import TOTP, Explanation


def main() -> None:
    plain: str = secrets_rs.password()
    recipe: str = secrets_rs.password(10, symbols=False, digits=3)
    ruled: str = secrets_rs.password(rules="minlength: 12; required: upper; allowed: lower")
    some: str = secrets_rs.password(12, at_least_classes=3, exclude_ambiguous=True,
                                    max_consecutive=2, lower=True, upper=2)
    listed: str = secrets_rs.password(alphabet="abcdef", bits=64)
    styled: str = secrets_rs.password(style="apple", length=3)
    rules_file: pathlib.Path | None = None
    if rules_file is not None:
        secrets_rs.password(site="example.com", rules_file=rules_file)

    phrase: str = secrets_rs.passphrase()
    phrase = secrets_rs.passphrase(4, wordlist="eff-short-1", separator="-",
                                   capitalize="one", digit=True, symbol=False,
                                   max_length=40, rules=None, bits=None)

    key: str = secrets_rs.api_key("acme_")
    valid: bool = secrets_rs.verify_api_key(key) and secrets_rs.verify_api_key(key, "acme_")

    otp: TOTP = secrets_rs.totp("Example", "alice", digits=8, period=60, algorithm="SHA256")
    secret: str = otp.secret
    uri: str = otp.uri
    code: str = otp.now()
    code = otp.at(59)
    ok: bool = otp.verify(code, window=1, at=59.5)
    svg: str = otp.qr_svg(scale=4)
    png: bytes = otp.qr_png()
    period: int = otp.period
    algorithm: str = otp.algorithm

    stamp: uuid.UUID = secrets_rs.uuid7()
    sortable: str = secrets_rs.ulid()

    fernet: str = secrets_rs.key("fernet")
    fernet = secrets_rs.fernet_key()
    django: str = secrets_rs.django_secret_key()

    e: Explanation = secrets_rs.explain(365, among=23)
    size: int | None = e.set_size
    bits: float = e.entropy_bits
    p: float = e.collision_probability + e.collision_probability_among(10)
    seconds: float = e.guess_seconds + e.guess_time(1e9)
    e = secrets_rs.explain(bits=128, guess_rate=1e9)

    print(plain, recipe, ruled, some, listed, styled, phrase, valid, secret, uri, ok,
          len(svg), len(png), period, algorithm, stamp, sortable, fernet, django, size,
          bits, p, seconds, e)


if __name__ == '__main__':
    main()
