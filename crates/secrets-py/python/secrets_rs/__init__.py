"""Python's ``secrets`` module, rebuilt in Rust: a faster drop-in.

``import secrets_rs as secrets`` changes nothing in a program but its speed
and where the bytes come from (the Rust ``secrets`` library: the vDSO
``getrandom`` on Linux 6.11+, the ``getrandom`` system call elsewhere).

The names, ``__all__``, signatures, defaults, return types and exceptions
are those of the standard library's ``secrets`` module, and
:class:`SystemRandom` is a subclass of the running interpreter's own
``random.SystemRandom``: on Python 3.11 it behaves as 3.11's does, on 3.13
as 3.13's does. Its hot methods run in Rust; unusual arguments and every
error case go to the interpreter's own code, whose inner draws come back to
Rust.
"""

import hmac as _hmac
import random as _random
import sys as _sys

from . import _secrets_rs as _rs
# The methods below call these as module globals: one dictionary look-up
# per call, not a global and an attribute.
from ._secrets_rs import (
    sr_random as _rs_random,
    sr_getrandbits as _rs_getrandbits,
    sr_randbytes as _rs_randbytes,
    sr_randbelow as _rs_randbelow,
    sr_randrange as _rs_randrange,
    sr_randint as _rs_randint,
    sr_choice as _rs_choice,
    sr_choices as _rs_choices,
    sr_shuffle as _rs_shuffle,
    sr_sample as _rs_sample,
    sr_uniform as _rs_uniform,
    sr_gauss as _rs_gauss,
)

__all__ = ['choice', 'randbelow', 'randbits', 'SystemRandom',
           'token_bytes', 'token_hex', 'token_urlsafe',
           'compare_digest',
           ]

_ONE = 1

_Base = _random.SystemRandom


class SystemRandom(_Base):
    """Alternate random number generator using the operating system's
    random source, through the Rust ``secrets`` library.

    A subclass of the running interpreter's ``random.SystemRandom``: every
    method it has is here, behaving as it does. It does not rely on software
    state, and sequences are not reproducible: ``seed()`` does nothing, and
    ``getstate()``, ``setstate()`` and pickling raise ``NotImplementedError``.
    """

    __slots__ = ()

    def random(self):
        """Get the next random number in the range 0.0 <= X < 1.0."""
        return _rs_random()

    def getrandbits(self, k):
        """getrandbits(k) -> x.  Generates an int with k random bits."""
        return _rs_getrandbits(self, k)

    if hasattr(_Base, 'randbytes'):
        def randbytes(self, n):
            """Generate n random bytes."""
            return _rs_randbytes(self, n)

    def _randbelow(self, n):
        """Return a random int in the range [0,n).  Defined for n > 0."""
        return _rs_randbelow(self, n)

    # The class's randrange is a builtin (see _secrets_rs.randrange): one
    # Python frame less per call. Subclasses get this method instead.
    randrange = _rs.randrange

    def _randrange_method(self, start, stop=None, step=_ONE):
        """Choose a random item from range(stop) or range(start, stop[, step]).

        Roughly equivalent to ``choice(range(start, stop, step))`` but
        supports arbitrarily large ranges and is optimized for common cases.
        """
        return _rs_randrange(self, start, stop, step)

    def __init_subclass__(cls, /, **kwargs):
        """Give subclasses randrange as a method, so it sees their self."""
        super().__init_subclass__(**kwargs)
        if cls.randrange is _rs.randrange:
            cls.randrange = SystemRandom._randrange_method

    def randint(self, a, b):
        """Return random integer in range [a, b], including both end points."""
        return _rs_randint(self, a, b)

    def choice(self, seq):
        """Choose a random element from a non-empty sequence."""
        return _rs_choice(self, seq)

    if _sys.version_info >= (3, 11):
        def shuffle(self, x):
            """Shuffle list x in place, and return None."""
            return _rs_shuffle(self, x)
    else:
        def shuffle(self, x, random=None):
            """Shuffle list x in place, and return None.

            The optional argument *random* is deprecated since Python 3.9
            and handled by the interpreter's own code.
            """
            if random is not None:
                return _Base.shuffle(self, x, random)
            return _rs_shuffle(self, x)

    def sample(self, population, k, *, counts=None):
        """Chooses k unique random elements from a population sequence.

        Returns a new list containing elements from the population while
        leaving the original population unchanged. Repeated elements can be
        given with *counts*, as in ``random.sample``.
        """
        return _rs_sample(self, population, k, counts)

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        """Return a k sized list of population elements chosen with replacement.

        If the relative weights or cumulative weights are not specified,
        the selections are made with equal probability.
        """
        return _rs_choices(self, population, weights, cum_weights, k)

    def uniform(self, a, b):
        """Get a random number in the range [a, b) or [a, b] depending on rounding."""
        return _rs_uniform(self, a, b)

    if _sys.version_info >= (3, 11):
        def gauss(self, mu=0.0, sigma=1.0):
            """Gaussian distribution.

            mu is the mean, and sigma is the standard deviation. Not
            thread-safe without a lock, as in the standard library: it
            caches a second value in ``gauss_next``.
            """
            return _rs_gauss(self, mu, sigma)
    else:
        def gauss(self, mu, sigma):
            """Gaussian distribution.

            mu is the mean, and sigma is the standard deviation. Not
            thread-safe without a lock, as in the standard library: it
            caches a second value in ``gauss_next``.
            """
            return _rs_gauss(self, mu, sigma)


SystemRandom._randrange_method.__name__ = 'randrange'
SystemRandom._randrange_method.__qualname__ = 'SystemRandom.randrange'

_sysrand = SystemRandom()
_rs._install(SystemRandom, _Base, _sysrand, _hmac.compare_digest)

randbits = _rs.randbits
choice = _rs.choice
randbelow = _rs.randbelow

DEFAULT_ENTROPY = 32  # number of bytes to return by default

token_bytes = _rs.token_bytes
token_hex = _rs.token_hex
token_urlsafe = _rs.token_urlsafe
compare_digest = _rs.compare_digest


def _rust_calls():
    """How many times Python called into the Rust extension (for tests)."""
    return _rs._rust_calls()
