"""The two password recipes of Python's ``secrets`` documentation, as written
there: the loops the benchmarks time our one-call forms against
(``scripts/bench-cli.sh`` and ``crates/secrets-py/benchmarks/extras.py``).

    >>> len(recipe_1()), len(recipe_2())
    (8, 10)
"""

import secrets
import string


def recipe_1():
    """Generate an eight-character alphanumeric password."""
    alphabet = string.ascii_letters + string.digits
    password = ''.join(secrets.choice(alphabet) for i in range(8))
    return password


def recipe_2():
    """A ten-character alphanumeric password with at least one lowercase
    character, at least one uppercase character, and at least three digits."""
    alphabet = string.ascii_letters + string.digits
    while True:
        password = ''.join(secrets.choice(alphabet) for i in range(10))
        if (any(c.islower() for c in password)
                and any(c.isupper() for c in password)
                and sum(c.isdigit() for c in password) >= 3):
            break
    return password
