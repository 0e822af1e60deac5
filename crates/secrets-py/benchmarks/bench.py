"""secrets_rs against its floor and against the interpreter's own secrets.

    python crates/secrets-py/benchmarks/bench.py [--rounds N] [--processes N] [--quick]

Run with an interpreter that has the secrets-rs wheel installed. For each
hot call, in the same process and round by round (so a busy machine slows
all alike; the best round of each is kept), it times:

- ours: the call through secrets_rs;
- Python: the same call through the standard library;
- the floor: what the call cannot go below, the sum of
  - a no-op call into the extension with the same arguments
    (``_secrets_rs._noop``; for a method, ``self`` and its arguments), and
  - the library's own draw of the same size, as the call draws it, timed
    in Rust (``_secrets_rs._floor``: 32 bytes drawn and hex-encoded into a
    buffer of the result's size, as ``token_hex`` writes the new string's
    own characters, ``randbelow(10**6)``,
    ``try_shuffle`` of 1,000 items, ...).

A call that returns a new object (an int, a float, bytes, a str, a list)
pays for making it; the no-op, which returns ``None``, does not. So a third
floor, "with result", times ``_secrets_rs._noop_like``: the same no-op
call (for a method, inside the method's own code), returning a new object
like the call's result (set once by ``_set_like``: an int of the same
value, made as the calls make a drawn int, a kept one below 1024; bytes
or an ASCII str of the same length copied from a constant, a
new list of the same length, of ints made anew where the call makes its items as
``sample`` of a ``range`` does; for a call that returns an object it did
not make, such as ``choice``, the floor it had), plus the draw. Both ratios
are printed.

For a method (``SystemRandom().random()``, ...), a second floor: the
method's own Python code with the extension function it calls replaced by
the no-op (a no-op *Python method*, on a subclass of ``SystemRandom``, so
that its instance has the shape every ``SystemRandom`` has), plus the draw.
Module functions are bound to a name first (the call alone is timed, as the
no-op's is). A real method (one ``inspect.ismethod`` accepts,
whose signature names ``self``, as issue 18 asks) runs a Python frame, which
the first floor leaves out.

All of that runs in five processes of their own, one after another
(``--processes``), and each figure printed is the median of the five
processes' best rounds: where a process's code and data fall in memory
moves a single call by up to 20% for the whole life of that process
(``choice(L)`` took 54 ns in one process, 78 ns in the next), which no
number of rounds inside one process averages out.

Prints a Markdown table: nanoseconds per call, ours over each floor (the
target is at most 1.3x: for module functions of the floor, for methods of
the method floor), and the speed-up over the standard library. Then, for
each call over its floor, whether any implementation could be within it:
where the no-op that makes an object like the call's result is itself
past 1.3x of the floor, making the result alone rules the target out
(`sample` of a `range` returns 1000 new ints, which cost more than half
the library's whole draw). Exit status 0 either way: the figures are for
BENCHMARKS.md, not a gate.
"""

import argparse
import json
import platform
import random
import secrets
import statistics
import string
import subprocess
import sys
import timeit
import types

import secrets_rs
from secrets_rs import _secrets_rs as ext

ALNUM = list(string.ascii_letters + string.digits)  # 62 items
assert len(ALNUM) == 62
BIG_A = secrets.token_bytes(1 << 20)
BIG_B = bytes(bytearray(BIG_A))  # equal, and a different object
SMALL_A = BIG_A[:32]
SMALL_B = bytes(bytearray(SMALL_A))
BIG_S = BIG_A.hex()[:1 << 20]  # a token's text: ASCII
BIG_T = BIG_S.encode().decode()  # equal, and a different object
SMALL_S = BIG_S[:32]
SMALL_T = SMALL_S.encode().decode()
POP = range(1000000)

TARGET = 1.3

# (label, statement on `S`/`R` (ours, or Python's), no-op statement with
#  the same arguments, the library draw (what, n, k), setup, calls per round,
#  an expression for what the call returns, given to `_set_like`: 'None' for
#  a call that returns an object it did not make).
# A statement on `R` is a method: its second floor runs the same statement on
# `P`, whose methods are ours calling the no-op (method_floor).
CASES = [
    ('token_bytes(32)', 'S.token_bytes(32)', 'N(32)', ('token_bytes', 32, 0), '', 20000, 'SMALL_A'),
    ('token_hex(32)', 'S.token_hex(32)', 'N(32)', ('token_hex', 32, 0), '', 20000, "'ab' * 32"),
    ('token_urlsafe(32)', 'S.token_urlsafe(32)', 'N(32)', ('token_urlsafe', 32, 0), '', 20000, "'a' * 43"),
    ('randbelow(1000)', 'S.randbelow(1000)', 'N(1000)', ('randbelow', 1000, 0), '', 20000, '999'),
    ('choice(62-item list)', 'S.choice(ALNUM)', 'N(ALNUM)', ('randbelow', 62, 0), '', 20000, 'None'),
    ('compare_digest(32 bytes, equal)', 'S.compare_digest(SMALL_A, SMALL_B)',
     'N(SMALL_A, SMALL_B)', ('compare_digest', 32, 0), '', 20000, 'None'),
    ('compare_digest(1 MiB, equal)', 'S.compare_digest(BIG_A, BIG_B)', 'N(BIG_A, BIG_B)',
     ('compare_digest', 1 << 20, 0), '', 20, 'None'),
    ('compare_digest(32-char str, equal)', 'S.compare_digest(SMALL_S, SMALL_T)',
     'N(SMALL_S, SMALL_T)', ('compare_digest', 32, 0), '', 20000, 'None'),
    ('compare_digest(1 Mi-char str, equal)', 'S.compare_digest(BIG_S, BIG_T)',
     'N(BIG_S, BIG_T)', ('compare_digest', 1 << 20, 0), '', 20, 'None'),
    ('SystemRandom().random()', 'R.random()', 'N(R)', ('random', 0, 0), '', 20000, '0.5'),
    ('randrange(10**6)', 'R.randrange(1000000)', 'N(R, 1000000, None, 1)',
     ('randbelow', 1000000, 0), '', 20000, '999999'),
    ('randint(1, 6)', 'R.randint(1, 6)', 'N(R, 1, 6)', ('randbelow', 6, 0), '', 20000, '6'),
    ('getrandbits(32)', 'R.getrandbits(32)', 'N(R, 32)', ('getrandbits', 32, 0), '', 20000, '2**32 - 1'),
    ('randbytes(32)', 'R.randbytes(32)', 'N(R, 32)', ('token_bytes', 32, 0), '', 20000, 'SMALL_A'),
    ('SystemRandom().choice(62-item list)', 'R.choice(ALNUM)', 'N(R, ALNUM)',
     ('randbelow', 62, 0), '', 20000, 'None'),
    ('shuffle(1,000-item list)', 'R.shuffle(LIST)', 'N(R, LIST)', ('shuffle', 1000, 0),
     'LIST = list(range(1000))', 50, 'None'),
    ('sample(range(10**6), 1000)', 'R.sample(POP, 1000)', 'N(R, POP, 1000, None)',
     ('sample', 1000000, 1000), '', 50, 'list(range(999000, 1000000))'),
    ('choices(62 items, k=1000)', 'R.choices(ALNUM, k=1000)', 'N(R, ALNUM, None, None, 1000)',
     ('choices', 62, 1000), '', 50, 'ALNUM * 16'),
]


def method_floor(noop):
    """A SystemRandom whose methods are our methods' own code, with every
    extension function they call replaced by the no-op: what a real (Python)
    method costs before any work."""
    names = {}
    for name, method in vars(secrets_rs.SystemRandom).items():
        if isinstance(method, types.FunctionType) and not name.startswith('__'):
            code = method.__code__
            # Our module's globals, with every extension function the
            # methods call replaced by the no-op.
            scope = dict(vars(sys.modules[secrets_rs.SystemRandom.__module__]))
            scope.update(dict.fromkeys((n for n in code.co_names if n.startswith('_rs_')), noop))
            names[name] = types.FunctionType(code, scope, name, method.__defaults__)
            names[name].__kwdefaults__ = method.__kwdefaults__
    # A subclass of ours, so that the instance has the very shape of a
    # SystemRandom (a subclass of `random.SystemRandom`, whose C base keeps
    # the generator's state): on 3.13 a method call on such an instance
    # costs about 25 ns more than on a plain object's (its method look-up
    # is not the specialised one), a cost every SystemRandom method pays.
    base = secrets_rs.SystemRandom
    return type(base)('MethodFloor', (base,), names)()


def bound_methods(rng):
    """`rng`'s methods as the module binds `_sysrand`'s, by the module's
    names (`randbits` is `getrandbits`)."""
    return types.SimpleNamespace(choice=rng.choice, randbits=rng.getrandbits)


def measure(stmt, setup, number, names):
    """Seconds per run of `stmt`. A module-level function (`S.name(...)`,
    or a no-op `N(...)`) is bound to a local once, in the untimed setup,
    so each statement times the call alone: otherwise ours and the
    standard library's would pay a module attribute look-up (about 28 ns
    on 3.9, 2 ns on 3.13) that the no-op, a bare name, does not. Methods
    (`R.name(...)`, `P.name(...)`) keep their look-up: binding the method
    is part of a method call, and their floors pay it alike."""
    if not stmt.startswith(('R.', 'P.', 'PL.')):
        callee, paren, rest = stmt.partition('(')
        stmt, setup = f'F{paren}{rest}', f'F = {callee}\n{setup}'
    return timeit.Timer(stmt, setup, globals=names).timeit(number) / number


def timings(rounds, quick):
    """This process's best round of each quantity, case by case, in
    seconds: {label: {'theirs', 'ours', 'call', 'method', 'like', 'draw'}}
    ('method' and 'like' None where a case has no such floor)."""
    shared = {'ALNUM': ALNUM, 'BIG_A': BIG_A, 'BIG_B': BIG_B, 'SMALL_A': SMALL_A,
              'SMALL_B': SMALL_B, 'BIG_S': BIG_S, 'BIG_T': BIG_T, 'SMALL_S': SMALL_S,
              'SMALL_T': SMALL_T, 'POP': POP, 'N': ext._noop, 'NL': ext._noop_like}
    ours_names = dict(shared, S=secrets_rs, R=secrets_rs.SystemRandom())
    theirs_names = dict(shared, S=secrets, R=random.SystemRandom())
    floor_rng, floor_rng_like = method_floor(ext._noop), method_floor(ext._noop_like)
    noop_names = dict(shared, R=ours_names['R'], P=floor_rng, PL=floor_rng_like,
                      # The module's bound methods (`choice`, `randbits`), as the
                      # method floor's: bound once, like `S.name` in `measure`.
                      PS=bound_methods(floor_rng), PLS=bound_methods(floor_rng_like))
    found = {}
    for label, stmt, noop, (what, n, k), setup, number, like in CASES:
        if quick:
            rounds, number = 1, max(1, number // 100)
        bound = stmt.startswith('S.') and isinstance(
            getattr(secrets_rs, stmt[2:].partition('(')[0]), types.MethodType)
        is_method = stmt.startswith('R.') or bound
        # The method floor's statement: `P.name(...)`, or `PS.name(...)` for
        # a bound method of the module (CPython's `secrets.choice` is
        # `_sysrand.choice`, and so is ours).
        method_stmt = ('PS' + stmt[1:]) if bound else ('P' + stmt[1:])
        ext._set_like(eval(like, dict(shared)))
        # A call that returns an object it did not make (None, a bool, an
        # item of the sequence) has the floor it had: nothing more to time.
        makes_result = like != 'None'
        noop_like = ('PL' + method_stmt[1:]) if is_method else ('NL' + noop[1:])
        ours, theirs, calls, methods, likes, draws = [], [], [], [], [], []
        for _ in range(rounds):
            theirs.append(measure(stmt, setup, number, theirs_names))
            ours.append(measure(stmt, setup, number, ours_names))
            calls.append(measure(noop, setup, number, noop_names))
            if is_method:
                methods.append(measure(method_stmt, setup, number, noop_names))
            if makes_result:
                likes.append(measure(noop_like, setup, number, noop_names))
            draws.append(ext._floor(what, n, k, number) * 1e-9)
        found[label] = {'theirs': min(theirs), 'ours': min(ours), 'call': min(calls),
                        'method': min(methods) if methods else None,
                        'like': min(likes) if likes else None, 'draw': min(draws)}
    ext._set_like(None)
    return found


def in_processes(args):
    """The median over `args.processes` runs of this script, each in a
    process of its own, of each quantity: where a process's code and data
    fall in memory moves single calls by up to 20% for the whole life of
    the process, which no number of rounds inside it averages out."""
    runs = []
    for _ in range(args.processes):
        child = subprocess.run([sys.executable, __file__, '--json', '--rounds', str(args.rounds)],
                               capture_output=True, text=True)
        if child.returncode != 0:
            # The child's own error, once (its traceback is on its stderr).
            sys.exit(f'error: a timing process failed (exit {child.returncode}):\n'
                     f'{child.stderr.strip()}')
        runs.append(json.loads(child.stdout))
    found = {}
    for label in runs[0]:
        found[label] = {
            name: (None if runs[0][label][name] is None
                   else statistics.median(run[label][name] for run in runs))
            for name in runs[0][label]
        }
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=25, help='rounds in each process')
    parser.add_argument('--processes', type=int, default=5,
                        help='processes, each timing every call (the median is reported)')
    parser.add_argument('--quick', action='store_true',
                        help='few calls in this one process, for a smoke test')
    parser.add_argument('--json', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(timings(args.rounds, False)))
        return 0
    if args.quick or args.processes <= 1:
        found, runs = timings(args.rounds, args.quick), '1 process'
    else:
        found, runs = in_processes(args), f'median of {args.processes} processes'

    print(f'Python {platform.python_version()} ({sys.executable}), '
          f'{platform.system()} {platform.release()} {platform.machine()}; {runs}')
    print()
    print('Floor: a no-op extension call with the same arguments + the library\'s draw. '
          'Method floor (methods only): a no-op Python method with the same signature '
          'calling that no-op + the draw. Floor with result: the same, with a no-op that '
          'returns a new object like the call\'s result (_noop_like), which the bare '
          'no-op (returning None) does not make.')
    print()
    print('| call | Python | secrets_rs | floor (call + draw) | over floor '
          '| method floor | over method floor | floor with result | over it | speed-up |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    missed = missed_result = 0
    over_floor = []  # (label, over its floor, its result alone over that floor, over floor + result)
    for label, t in found.items():
        t_ours, t_theirs, t_call, t_draw = t['ours'], t['theirs'], t['call'], t['draw']
        floor = t_call + t_draw
        over = t_ours / floor
        if t['method'] is not None:
            method = t['method'] + t_draw
            over_method = t_ours / method
            method_cells = (f'{fmt(method)} | {over_method:.2f}x'
                            f'{"" if over_method <= TARGET else " **over**"}')
            missed += over_method > TARGET
            target_floor, over_target = method, over_method
        else:
            method_cells = '| '
            missed += over > TARGET
            target_floor, over_target = floor, over
        if t['like'] is not None:
            with_result = t['like'] + t_draw
        else:
            with_result = method if t['method'] is not None else floor
        over_result = t_ours / with_result
        missed_result += over_result > TARGET
        if over_target > TARGET:
            over_floor.append((label, over_target, with_result / target_floor, over_result))
        print(f'| `{label}` | {fmt(t_theirs)} | {fmt(t_ours)} | {fmt(floor)} '
              f'({fmt(t_call)} + {fmt(t_draw)}) | {over:.2f}x | {method_cells} '
              f'| {fmt(with_result)} | {over_result:.2f}x'
              f'{"" if over_result <= TARGET else " **over**"} '
              f'| {t_theirs / t_ours:.1f}x |')
    print()
    print(f'{len(found) - missed} of {len(found)} calls within {TARGET}x of their floor '
          '(methods: of their method floor)')
    print(f'{len(found) - missed_result} of {len(found)} calls within {TARGET}x of their '
          'floor with result')
    # A call over its floor whose result alone (the no-op returning an
    # object like it) takes the floor past the target cannot meet it, by
    # any implementation that returns that object.
    unreachable = [row for row in over_floor if row[2] > TARGET]
    if over_floor:
        print(f'Of the {len(over_floor)} over their floor, {len(unreachable)} cannot be within '
              f'{TARGET}x of it: making the result alone takes the floor past {TARGET}x')
    for label, over_target, result_alone, over_result in over_floor:
        why = ('out of reach' if result_alone > TARGET else 'within reach')
        print(f'- `{label}`: {over_target:.2f}x its floor; its result alone makes the floor '
              f'{result_alone:.2f}x ({why}); {over_result:.2f}x the floor with result')
    return 0


def fmt(seconds):
    ns = seconds * 1e9
    if ns >= 1e6:
        return f'{ns / 1e6:.2f} ms'
    if ns >= 1e4:
        return f'{ns / 1e3:.1f} µs'
    return f'{ns:.0f} ns'


if __name__ == '__main__':
    sys.exit(main())
