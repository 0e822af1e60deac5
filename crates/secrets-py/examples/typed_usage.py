"""A program using secrets_rs as the standard library's secrets module.

CI checks it with ``mypy --strict`` against the shipped stubs and runs it.
"""

import string

import secrets_rs as secrets


def new_password(length: int = 16) -> str:
    """A password of letters and digits, with at least one digit."""
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in password):
            return password


def main() -> None:
    token: str = secrets.token_urlsafe()
    key: bytes = secrets.token_bytes(32)
    rng = secrets.SystemRandom()
    roll: int = rng.randint(1, 6)
    deck = list(range(52))
    rng.shuffle(deck)
    hand: list[int] = rng.sample(deck, 5)
    weighted: list[str] = rng.choices(["a", "b"], weights=[9, 1], k=3)
    level: float = rng.uniform(0.0, 1.0)
    same: bool = secrets.compare_digest(token, token)
    below: int = secrets.randbelow(10) + secrets.randbits(8)
    print(new_password(), len(key), roll, hand, weighted, level, same, below)


if __name__ == "__main__":
    main()
