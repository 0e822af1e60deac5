"""Generate cryptographically strong pseudo-random numbers suitable for
managing secrets such as account authentication, tokens, and similar.

A drop-in for the standard library's ``secrets`` module, built in Rust:
``import secrets_rs as secrets`` changes nothing in a program but its speed
and where the bytes come from (the Rust ``secrets`` library: the vDSO
``getrandom`` on Linux 6.11+, the ``getrandom`` system call elsewhere).

The names, signatures, defaults, return types, exceptions and warnings are
those of the running interpreter's ``secrets`` module, and
:class:`SystemRandom` is a subclass of its ``random.SystemRandom``: on
Python 3.11 everything behaves as 3.11's does, on 3.13 as 3.13's does.
Patches behave as they do there too: replacing ``SystemRandom._randbelow``
(on the class or an instance), ``token_bytes``, ``DEFAULT_ENTROPY`` or
``_sysrand`` on this module, a global of ``random`` (``random._urandom``),
a method of the interpreter's ``random.SystemRandom`` or ``random.Random``,
or the encoders (``base64.urlsafe_b64encode``) changes the other functions
exactly as it would change CPython's. (A patch is an assignment, ``setattr``,
``delattr`` or ``unittest.mock``; a method written straight into an
instance's ``__dict__``, or by ``object.__setattr__`` or
``type.__setattr__``, bypassing the class's own, is not noticed.)

See the standard library's documentation of ``secrets`` and
``random.SystemRandom`` for the functions themselves.
"""

import base64
import hmac as _hmac
from itertools import islice as _islice
import random as _random
import sys as _sys
import types as _types
import warnings as _warnings

if _sys.version_info < (3, 12):
    import binascii

from . import _secrets_rs as _rs
# The methods below call these as module globals: one dictionary look-up
# per call.
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
    _instance_patched as _rs_instance_patched,
)

__version__ = _rs.__version__

__all__ = ['choice', 'randbelow', 'randbits', 'SystemRandom',
           'token_bytes', 'token_hex', 'token_urlsafe',
           'compare_digest',
           ]

_Base = _random.SystemRandom
# The methods CPython's code calls on `self`: setting or deleting one on an
# instance tells the extension to look in instances' namespaces from then on.
_CALLED_ON_SELF = frozenset(('random', 'getrandbits', '_randbelow', 'randbytes', 'randrange',
                            'sample'))
_ONE = 1  # random's default step: the same (cached) int object


# CPython's own methods, run when a fast path steps aside (a patch, a
# subclass override, an unusual argument, an error). They are the very code
# objects of the running interpreter's random module, with two changes: its
# warnings are attributed one frame further out, past the method of ours
# that called them, so a DeprecationWarning names the caller's file and
# line exactly as CPython's does; and its list() calls take their items in
# steps, so no other thread waits long for the GIL.
def _warn_past_our_method(message, category=None, stacklevel=1, source=None):
    # +1 for this function, +1 for our method between CPython's and its caller.
    _warnings.warn(message, category, stacklevel + 2, source)


_STEP = 1024  # items per step, as the extension's (draw::STEP)


def _list_in_steps(iterable=()):
    """list(iterable), taking the items _STEP at a time: between steps a
    waiting thread gets the GIL, as in any Python loop. CPython's methods
    call list() on input-sized iterables (counts, weights, a population to
    copy), and one list() call over 10**7 items keeps every other thread
    waiting for half a second."""
    items = []
    extend = items.extend
    iterator = iter(iterable)
    while True:
        had = len(items)
        extend(_islice(iterator, _STEP))
        if len(items) - had < _STEP:
            return items


# The globals CPython's methods run with here: random's, but for the two
# names above. A copy; the extension brings it up to date
# (_sync_cpython_globals) when random's namespace changes, so a patch of
# random._urandom (say) reaches these methods as it reaches CPython's.
_CPYTHON_OVERRIDES = {'_warn': _warn_past_our_method, 'list': _list_in_steps}
_CPYTHON_GLOBALS = dict(vars(_random), **_CPYTHON_OVERRIDES)


def _sync_cpython_globals(cpython_globals=_CPYTHON_GLOBALS, overrides=_CPYTHON_OVERRIDES):
    # The dictionaries are bound here: after a reload, the extension keeps
    # the first install's methods, whose globals are the first copy.
    cpython_globals.clear()
    cpython_globals.update(vars(_random))
    cpython_globals.update(overrides)


def _globals_read_by(functions, namespace):
    """The names of `namespace` the code of `functions` may read as globals:
    the names their code (nested code included) uses, but for the methods
    of random.Random, which the code reads as `self.<name>`."""
    used = set()
    codes = [function.__code__ for function in functions]
    while codes:
        code = codes.pop()
        used.update(code.co_names)
        codes.extend(const for const in code.co_consts if isinstance(const, _types.CodeType))
    return sorted((used & namespace.keys()) - set(dir(_random.Random)) - set(_CPYTHON_OVERRIDES))


def _cpython_method(name):
    original = getattr(_Base, name)
    method = _types.FunctionType(original.__code__, _CPYTHON_GLOBALS, original.__name__,
                                 original.__defaults__, original.__closure__)
    method.__kwdefaults__ = original.__kwdefaults__
    method.__qualname__ = original.__qualname__
    method.__doc__ = original.__doc__
    return method


_CPYTHON = {name: _cpython_method(name)
            for name in ('random', 'getrandbits', 'randbytes', '_randbelow', 'randrange', 'randint',
                         'choice', 'shuffle', 'sample', 'choices', 'uniform', 'gauss')}


class SystemRandom(_Base):
    """Alternate random number generator using sources provided
    by the operating system (the kernel's CSPRNG, read through the Rust
    ``secrets`` library).

     Not available on all systems (see os.urandom() for details).

    """

    def __setattr__(self, name, value):
        """Implement setattr(self, name, value)."""
        if name in _CALLED_ON_SELF:
            _rs_instance_patched()
        super().__setattr__(name, value)

    def __delattr__(self, name):
        """Implement delattr(self, name)."""
        if name in _CALLED_ON_SELF:
            _rs_instance_patched()
        super().__delattr__(name)

    def random(self):
        return _rs_random(self)

    def getrandbits(self, k):
        return _rs_getrandbits(self, k)

    def randbytes(self, n):
        return _rs_randbytes(self, n)

    def _randbelow(self, n):
        return _rs_randbelow(self, n)

    def randrange(self, start, stop=None, step=_ONE):
        return _rs_randrange(self, start, stop, step)

    def randint(self, a, b):
        return _rs_randint(self, a, b)

    def choice(self, seq):
        return _rs_choice(self, seq)

    if _sys.version_info >= (3, 11):
        def shuffle(self, x):
            return _rs_shuffle(self, x)
    else:
        def shuffle(self, x, random=None):
            return _rs_shuffle(self, x, random)

    def sample(self, population, k, *, counts=None):
        return _rs_sample(self, population, k, counts)

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        return _rs_choices(self, population, weights, cum_weights, k)

    def uniform(self, a, b):
        return _rs_uniform(self, a, b)

    if _sys.version_info >= (3, 11):
        def gauss(self, mu=0.0, sigma=1.0):
            return _rs_gauss(self, mu, sigma)
    else:
        def gauss(self, mu, sigma):
            return _rs_gauss(self, mu, sigma)


# The user-facing descriptions and names: CPython's own. A method CPython
# defines on random.Random keeps that qualified name (Random.choice), which
# is how a call's TypeError names it on 3.10 and later.
# Each method carries CPython's names (the function's and its code's: 3.9
# and 3.10 word argument errors by the code's name, tracebacks show it) and
# docstring: `_randbelow` is CPython's `_randbelow_with_getrandbits`.
for _name, _method in list(vars(SystemRandom).items()):
    if isinstance(_method, _types.FunctionType) and not _name.startswith('__'):
        _theirs = getattr(_Base, _name)
        _method.__doc__ = _theirs.__doc__
        _method.__name__ = _theirs.__name__
        _method.__qualname__ = _theirs.__qualname__
        if _sys.version_info >= (3, 11):
            _method.__code__ = _method.__code__.replace(
                co_name=_theirs.__code__.co_name, co_qualname=_theirs.__code__.co_qualname)
        else:
            _method.__code__ = _method.__code__.replace(co_name=_theirs.__code__.co_name)
del _name, _method, _theirs

_sysrand = SystemRandom()

# The Python versions of the module functions: CPython's code, under
# CPython's names, run when something they use (token_bytes,
# DEFAULT_ENTROPY, _sysrand) is replaced, and to raise CPython's own
# TypeError when a call's arguments do not fit the signature. The
# extension keeps them (_PYTHON) before the Rust functions take the public
# names; the names inside them are read from this module at each call, as
# in CPython.
def randbelow(exclusive_upper_bound):
    if exclusive_upper_bound <= 0:
        raise ValueError("Upper bound must be positive.")
    return _sysrand._randbelow(exclusive_upper_bound)


def token_bytes(nbytes=None):
    if nbytes is None:
        nbytes = DEFAULT_ENTROPY
    return _sysrand.randbytes(nbytes)


if _sys.version_info >= (3, 12):
    def token_hex(nbytes=None):
        return token_bytes(nbytes).hex()
else:
    def token_hex(nbytes=None):
        return binascii.hexlify(token_bytes(nbytes)).decode('ascii')


def token_urlsafe(nbytes=None):
    tok = token_bytes(nbytes)
    return base64.urlsafe_b64encode(tok).rstrip(b'=').decode('ascii')


_PYTHON = {
    'randbelow': randbelow, 'token_bytes': token_bytes, 'token_hex': token_hex,
    'token_urlsafe': token_urlsafe,
    # What CPython's module binds, for its argument errors: `compare_digest`
    # is hmac's.
    'compare_digest': _hmac.compare_digest,
}

# As CPython's module: `randbits` is `_sysrand.getrandbits` and `choice` is
# `_sysrand.choice`, bound methods made when the module was imported (so
# they introspect, pickle and see patches as CPython's do).
randbits = _sysrand.getrandbits
choice = _sysrand.choice
randbelow = _rs.randbelow

DEFAULT_ENTROPY = 32  # number of bytes to return by default

token_bytes = _rs.token_bytes
token_hex = _rs.token_hex
token_urlsafe = _rs.token_urlsafe
compare_digest = _rs.compare_digest

for _function in (randbelow, token_bytes, token_hex, token_urlsafe, compare_digest):
    _function.__module__ = __name__
del _function

# What the fast paths depend on beyond this module and the class, as
# CPython's code reads it at each call: random's globals, and the methods of
# random.SystemRandom and random.Random, which in CPython are
# secrets.SystemRandom's own (every method); the encoders token_urlsafe
# (and, before 3.12, token_hex) calls.
_WATCHED = [
    ('random', vars(_random), _globals_read_by(
        [getattr(_Base, name) for name in _CPYTHON], vars(_random))),
    *[('random', _cls, sorted(_CPYTHON)) for _cls in (_Base, _random.Random)],
    ('encoders', globals(), ['base64'] + (['binascii'] if _sys.version_info < (3, 12) else [])),
    ('encoders', vars(base64), ['urlsafe_b64encode'] + _globals_read_by(
        [base64.urlsafe_b64encode, base64.b64encode], vars(base64))),
    ('encoders', vars(base64.binascii),
     ['b2a_base64'] + (['hexlify'] if _sys.version_info < (3, 12) else [])),
]
_rs._install(SystemRandom, _CPYTHON, globals(), _PYTHON, _WATCHED)
del _WATCHED, _globals_read_by, _sync_cpython_globals


def _rust_calls():
    """How many times Python called into the Rust extension (for tests)."""
    return _rs._rust_calls()


# Beyond the standard library (secrets_rs._extras): importable from here,
# not in __all__, so the drop-in's names and star-import do not change.
from ._extras import (  # noqa: E402
    TOTP, Explanation, api_key, django_secret_key, explain, fernet_key, key, passphrase,
    password, totp, ulid, uuid7, verify_api_key,
)
