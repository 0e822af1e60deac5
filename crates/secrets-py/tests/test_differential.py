"""secrets_rs against the interpreter's own secrets and SystemRandom.

For many generated argument combinations (ints big, small and negative,
bools, floats, None, strings, empty and odd sequences, ``__index__``
objects, Fractions), each function is called on both sides: both must raise
the same exception type and warn the same warning categories, or both
succeed with results of the same type in the same domain. The arguments come
from a seeded generator, so a failure names a reproducible case.
"""

import math
import random
import secrets
import warnings
from fractions import Fraction

import pytest

import secrets_rs


class Index:
    """An object usable as an int through __index__ only."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value

    def __repr__(self):
        return f'Index({self.value})'


class IntSub(int):
    pass


class Odd(list):
    """A list subclass whose truth value raises (like a NumPy array)."""

    def __bool__(self):
        raise RuntimeError('no truth value')


INTS = [0, 1, 2, 3, 7, 10, 62, 255, 256, 1000, 10 ** 6, 2 ** 53, 2 ** 63 - 1, 2 ** 63,
        2 ** 64, 2 ** 100, 10 ** 30, -1, -2, -7, -1000, -2 ** 63, -2 ** 64, -10 ** 30]
SCALARS = INTS + [True, False, 0.0, 1.0, 2.5, -3.5, 1e300, float('inf'), float('nan'),
                  None, '3', b'3', Index(5), Index(-5), Index(2 ** 70), IntSub(9),
                  Fraction(3, 1), Fraction(7, 2), 3 + 0j]
SEQUENCES = [[], [1], [1, 2, 3], list(range(62)), (), (4, 5), 'abc', '', range(0),
             range(10), range(-5, 20, 3), range(10 ** 30), range(2 ** 62, 2 ** 62 + 5),
             Odd([1, 2]), Odd([]), {1, 2, 3}, frozenset(), {'a': 1}, b'xyz',
             bytearray(b'ab'), 5, None]
WEIGHTS = [None, [1, 2, 3], [0, 0, 0], [1.0, 0.5], [-1, 2, 3], [float('inf'), 1],
           [float('nan'), 1, 1], [Fraction(1, 3)] * 3, [True, False, True], (1, 1),
           range(3), 'abc', 5, [None, 1, 2], [10 ** 30, 1, 1], [1e-323, 1e-323]]


def outcome(function, args, kwargs):
    """('ok', value) or ('raise', exception type), and the warnings seen."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        try:
            result = ('ok', function(*args, **kwargs))
        except Exception as err:  # PanicException is not an Exception: it escapes
            result = ('raise', type(err))
    return result, sorted({w.category.__name__ for w in caught})


def same_domain(ours, theirs, case):
    """Both results of the same type and in the same set of possible values."""
    assert type(ours) is type(theirs), (case, ours, theirs)
    finite_args = all(math.isfinite(a) for a in case[1] if isinstance(a, float))
    if isinstance(ours, float) and finite_args:
        # (With an infinite argument, nan or inf depends on the draw.)
        assert math.isnan(ours) == math.isnan(theirs), (case, ours, theirs)
        assert math.isinf(ours) == math.isinf(theirs), (case, ours, theirs)
    if isinstance(ours, (bytes, str)) and case[0] != 'choice':
        assert len(ours) == len(theirs), (case, ours, theirs)
    if isinstance(ours, list):
        assert len(ours) == len(theirs), (case, ours, theirs)


def compare(name, ours_fn, theirs_fn, args, kwargs=None, domain=None):
    kwargs = kwargs or {}
    case = (name, args, kwargs)
    ours, ours_warn = outcome(ours_fn, args, kwargs)
    theirs, theirs_warn = outcome(theirs_fn, args, kwargs)
    assert ours[0] == theirs[0], (case, ours, theirs)
    assert ours_warn == theirs_warn, (case, ours_warn, theirs_warn)
    if ours[0] == 'raise':
        assert ours[1] is theirs[1], (case, ours, theirs)
        return
    same_domain(ours[1], theirs[1], case)
    if domain is not None:
        assert domain(ours[1]), (case, ours[1])


OURS = secrets_rs.SystemRandom()
THEIRS = random.SystemRandom()


def pick(rng, pool, n):
    return [rng.choice(pool) for _ in range(n)]


def in_range(*args):
    try:
        allowed = range(*args)
    except (TypeError, ValueError):
        return None
    return lambda v: v in allowed


CASES = 400


@pytest.mark.parametrize('seed', range(3))
def test_randrange_randint_differential(seed):
    gen = random.Random(seed)
    for _ in range(CASES):
        n = gen.randrange(1, 4)
        args = tuple(pick(gen, SCALARS, n))
        domain = in_range(*args) if all(type(a) is int for a in args) else None
        compare('randrange', OURS.randrange, THEIRS.randrange, args, domain=domain)
        a, b = pick(gen, SCALARS, 2)
        domain = (lambda v, a=a, b=b: a <= v <= b) if type(a) is type(b) is int else None
        compare('randint', OURS.randint, THEIRS.randint, (a, b), domain=domain)
    compare('randrange', OURS.randrange, THEIRS.randrange, (10,), {'step': 2})
    compare('randrange', OURS.randrange, THEIRS.randrange, (10,), {'stop': 20})


@pytest.mark.parametrize('seed', range(2))
def test_scalar_methods_differential(seed):
    gen = random.Random(seed)
    for _ in range(CASES):
        x, y = pick(gen, SCALARS, 2)
        compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, (x,),
                domain=(lambda v, x=x: 0 <= v < 2 ** x) if type(x) is int else None)
        if hasattr(THEIRS, 'randbytes') and not (type(x) is int and x > 10 ** 7):
            compare('randbytes', OURS.randbytes, THEIRS.randbytes, (x,))
        compare('uniform', OURS.uniform, THEIRS.uniform, (x, y))
        compare('gauss', OURS.gauss, THEIRS.gauss, (x, y))
        compare('randbelow', secrets_rs.randbelow, secrets.randbelow, (x,),
                domain=(lambda v, x=x: 0 <= v < x) if type(x) is int else None)
        compare('randbits', secrets_rs.randbits, secrets.randbits, (x,))
        if not (type(x) is int and x > 10 ** 7):
            for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
                compare(name, getattr(secrets_rs, name), getattr(secrets, name), (x,))
    compare('random', OURS.random, THEIRS.random, ())
    compare('random', OURS.random, THEIRS.random, (1,))
    compare('gauss', OURS.gauss, THEIRS.gauss, ())
    compare('gauss', OURS.gauss, THEIRS.gauss, (1.0,))
    compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, ())
    for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
        compare(name, getattr(secrets_rs, name), getattr(secrets, name), ())
        compare(name, getattr(secrets_rs, name), getattr(secrets, name), (None,))
        compare(name, getattr(secrets_rs, name), getattr(secrets, name), (), {'nbytes': 3})


@pytest.mark.parametrize('seed', range(2))
def test_sequence_methods_differential(seed):
    gen = random.Random(seed)
    for _ in range(CASES):
        seq = gen.choice(SEQUENCES)
        k = gen.choice(SCALARS[:12] + [-1, 2.0, None, True, Index(2)])
        member = (lambda v, s=seq: v in s) if isinstance(seq, (list, tuple, str, range)) else None
        compare('choice', OURS.choice, THEIRS.choice, (seq,), domain=member)
        compare('choice', secrets_rs.choice, secrets.choice, (seq,), domain=member)
        compare('sample', OURS.sample, THEIRS.sample, (seq, k))
        weights = gen.choice(WEIGHTS)
        kind = gen.randrange(3)
        kwargs = {'k': k} if type(k) is int and k < 10 ** 5 else {}
        if kind == 0:
            compare('choices', OURS.choices, THEIRS.choices, (seq, weights), kwargs)
        elif kind == 1:
            compare('choices', OURS.choices, THEIRS.choices, (seq,),
                    dict(kwargs, cum_weights=weights))
        else:
            compare('choices', OURS.choices, THEIRS.choices, (seq,),
                    dict(kwargs, weights=weights, cum_weights=weights))
        counts = gen.choice([None, [1] * 3, [2, 0, 1], 5])
        compare('sample', OURS.sample, THEIRS.sample, (seq, 2), {'counts': counts})
        small = isinstance(seq, list) or (isinstance(seq, range) and abs(seq.stop - seq.start) < 1000)
        compare('shuffle', OURS.shuffle, THEIRS.shuffle, (list(seq) if small else seq,))
        if isinstance(seq, list):
            compare('shuffle', lambda x: (OURS.shuffle(x), sorted(x))[1],
                    lambda x: (THEIRS.shuffle(x), sorted(x))[1], (list(seq),))


def test_compare_digest_differential():
    values = ['abc', 'abd', '', 'é', 'ab\udc80', b'abc', b'abd', b'', bytearray(b'abc'),
              memoryview(b'abc'), 1, None, ['abc'], IntSub(3), array_of(b'abc')]
    import hmac
    for a in values:
        for b in values:
            compare('compare_digest', secrets_rs.compare_digest, hmac.compare_digest, (a, b))
            ours, _ = outcome(secrets_rs.compare_digest, (a, b), {})
            theirs, _ = outcome(hmac.compare_digest, (a, b), {})
            assert ours == theirs, (a, b, ours, theirs)


def array_of(data):
    import array
    return array.array('B', data)


def test_huge_sizes_raise_like_cpython():
    for size in (2 ** 45, 2 ** 62, 2 ** 63 - 1):
        for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
            compare(name, getattr(secrets_rs, name), getattr(secrets, name), (size,))
            # CPython: MemoryError, or OverflowError within 2**63 of the limit.
            with pytest.raises(MemoryError if size < 2 ** 63 - 1 else OverflowError):
                getattr(secrets_rs, name)(size)
        compare('randbytes', OURS.randbytes, THEIRS.randbytes, (size,))
        compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, (size * 8,))
    for size in (2 ** 63, 2 ** 64, 10 ** 30):
        for name in ('token_bytes', 'token_hex', 'token_urlsafe'):
            compare(name, getattr(secrets_rs, name), getattr(secrets, name), (size,))
            with pytest.raises(OverflowError):
                getattr(secrets_rs, name)(size)
        compare('randbytes', OURS.randbytes, THEIRS.randbytes, (size,))
        compare('getrandbits', OURS.getrandbits, THEIRS.getrandbits, (size * 8,))
    with pytest.raises(MemoryError):
        OURS.choices([1, 2], k=2 ** 62)
    # Big but possible: any size of int goes through.
    assert 0 <= secrets_rs.randbelow(2 ** 4000) < 2 ** 4000
    assert OURS.getrandbits(100000).bit_length() <= 100000
    assert 10 ** 40 <= OURS.randrange(10 ** 40, 10 ** 41, 7) < 10 ** 41


def test_public_face_matches_secrets():
    import inspect
    assert secrets_rs.__all__ == secrets.__all__
    assert secrets_rs.DEFAULT_ENTROPY == secrets.DEFAULT_ENTROPY == 32
    for name in secrets.__all__:
        assert hasattr(secrets_rs, name), name
        assert getattr(secrets_rs, name).__doc__, name
    for name in ('token_bytes', 'token_hex', 'token_urlsafe', 'randbelow'):
        ours = inspect.signature(getattr(secrets_rs, name))
        theirs = inspect.signature(getattr(secrets, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        assert [p.default for p in ours.parameters.values()] == \
               [p.default for p in theirs.parameters.values()], name
    assert issubclass(secrets_rs.SystemRandom, random.SystemRandom)
    assert isinstance(OURS, random.Random)
    for name in dir(random.SystemRandom):
        if not name.startswith('__'):
            assert hasattr(OURS, name), name
    for name, member in vars(secrets_rs.SystemRandom).items():
        if name.startswith('__') or not callable(member):
            continue
        assert inspect.isfunction(member), name
        assert member.__doc__ == getattr(random.SystemRandom, name).__doc__, name
        ours = [(p.name, p.kind, p.default) for p in inspect.signature(member).parameters.values()]
        theirs = [(p.name, p.kind, p.default)
                  for p in inspect.signature(getattr(random.SystemRandom, name)).parameters.values()]
        assert ours == theirs, name
        assert inspect.ismethod(getattr(OURS, name)), name


def test_randrange_called_every_way():
    cls = secrets_rs.SystemRandom
    for call in (lambda: OURS.randrange(10), lambda: cls.randrange(OURS, 10),
                 lambda: OURS.randrange(3, 10), lambda: cls.randrange(OURS, 3, 10, 2),
                 lambda: OURS.randrange(start=3, stop=10), lambda: OURS.randrange(3, 10, step=2),
                 lambda: cls.randrange(random.Random(5), 10),
                 lambda: random.SystemRandom.randrange(random.Random(5), 10)):
        value = call()
        assert type(value) is int and 0 <= value < 10
    with pytest.raises(TypeError):
        OURS.randrange()
    with pytest.raises(TypeError):
        OURS.randrange(1, 2, 3, 4)
    with pytest.raises(TypeError):
        cls.randrange()

    class Sub(cls):
        pass

    class Zero(cls):
        def _randbelow(self, n):
            return 0

    class Keeps(Zero):
        def randrange(self, start, stop=None, step=1):
            return -1

    class Inherits(Keeps):
        pass

    assert 0 <= Sub().randrange(10) < 10
    assert Zero().randrange(5, 10) == 5
    assert Inherits().randrange(5, 10) == -1
    assert cls.randrange(Zero(), 5, 10) == 5


def test_state_and_pickling_as_cpython():
    import copy
    import pickle
    OURS.seed(12)
    assert OURS.seed() is None
    OURS.gauss_next = 0.25
    assert OURS.gauss(0.0, 1.0) == 0.25 and OURS.gauss_next is None
    for call in (OURS.getstate, lambda: OURS.setstate(None), lambda: pickle.dumps(OURS),
                 lambda: copy.copy(OURS)):
        with pytest.raises(NotImplementedError):
            call()
    assert type(OURS.randbytes(3) if hasattr(OURS, 'randbytes') else b'') is bytes
    assert type(OURS.random()) is float
    assert type(OURS.choices([1], k=2)) is list
    assert type(secrets_rs.compare_digest(b'a', b'a')) is bool


def test_subclass_overrides_are_honoured():
    class Fixed(secrets_rs.SystemRandom):
        def random(self):
            return 0.0

        def getrandbits(self, k):
            return 0

    fixed = Fixed()
    assert fixed.uniform(2.0, 3.0) == 2.0
    assert fixed.choices('xyz', k=3) == ['x', 'x', 'x']
    assert fixed.randrange(10) == 0
    assert fixed.choice('xyz') == 'x'
    x = [1, 2, 3]
    fixed.shuffle(x)
    assert x == [2, 3, 1]  # as CPython's algorithm with j = 0 every time
