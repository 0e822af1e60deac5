"""Python: beyond the standard library, against the tools people use.

    python crates/secrets-py/benchmarks/extras.py [--rounds N] [--quick]

Run with an interpreter that has the secrets-rs wheel installed; the
peers are optional (pip install passlib==1.7.4 'setuptools<81'
xkcdpass==1.30.0 pyotp==2.12.1 uuid6==2025.0.1 uuid-utils==1.2.0
python-ulid==4.1.0; passlib 1.7.4 imports pkg_resources, which newer
setuptools no longer has). A missing peer is skipped and named in the
output; Python 3.14+'s uuid.uuid7 is used where it exists.

Each row times, side by side in one process and round by round (a busy
machine slows all alike; the best round of each is kept), one call of
secrets_rs and one call of a peer producing the same thing:

- the seed's two password recipes (Python's secrets documentation, the
  loops as written) against password() with the same options;
- password(16) over passlib's ascii_72 set against passlib's genword;
- passphrase(6) (EFF long list) against xkcdpass and passlib's genphrase
  (both with the EFF long list, 6 words);
- totp(...).uri against pyotp.random_base32() plus provisioning_uri;
- uuid7() against uuid.uuid7 (3.14+), uuid6.uuid7 and uuid-utils (its
  compat.uuid7 returns the same uuid.UUID ours does; its uuid7 its own
  compiled type);
- ulid() (text) against str(ulid.ULID()) from python-ulid.

Targets: at least 5x faster than each pure-Python peer; where the peer is
compiled (uuid-utils), ours within 1.3x of the extension-call floor. The
bare floor, a no-op call into the extension returning None
(_secrets_rs._noop()), is printed beside each compiled row, but no call
that returns a uuid.UUID can come near it: making the object is several
times the call. The floor such a row is held to is the one
benchmarks/bench.py uses for every call, the call plus the library's own
draw, with the call returning what uuid7() returns: a no-op call that
returns a fixed uuid.UUID made as uuid7 makes its own
(_secrets_rs._noop_uuid()) plus the library's uuid_v7_value() timed in
Rust (_secrets_rs._floor('uuid7', ...)), both in the same rounds.
Prints a Markdown table; exit status 0 either way (figures for
BENCHMARKS.md, not a gate).
"""

import argparse
import os
import platform
import secrets
import string
import sys
import timeit
import warnings

import secrets_rs
from secrets_rs import _secrets_rs as ext

# The documentation's recipes, as written, shared with scripts/bench-cli.sh.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', '..', 'scripts', 'python'))
from seed_recipes import recipe_1 as seed_recipe_1, recipe_2 as seed_recipe_2  # noqa: E402

ALPHANUM = string.ascii_letters + string.digits
ASCII_72 = ALPHANUM + '!@#$%^&*?/'  # passlib's ascii_72
SPEEDUP = 5.0
FLOOR_TARGET = 1.3


def peers():
    """(row, our call, [(peer name, peer call or None, why skipped, compiled)])"""
    rows = []
    rows.append(('seed recipe 1: 8 alphanumeric', lambda: secrets_rs.password(8, alphabet=ALPHANUM),
                 [('the recipe\'s loop', seed_recipe_1, None, False)]))
    rows.append(('seed recipe 2: 10, lower+upper+3 digits',
                 lambda: secrets_rs.password(10, symbols=False, digits=3),
                 [('the recipe\'s rejection loop', seed_recipe_2, None, False)]))

    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            import passlib.pwd as pwd
        genword = (lambda: pwd.genword(length=16, charset='ascii_72'), None)
        genphrase = (lambda: pwd.genphrase(length=6, wordset='eff_long'), None)
    except ImportError as e:
        genword = genphrase = (None, f'passlib: {e}')
    rows.append(('password(16), passlib ascii_72', lambda: secrets_rs.password(16, alphabet=ASCII_72),
                 [('passlib genword', *genword, False)]))

    try:
        from xkcdpass import xkcd_password as xp
        words = xp.generate_wordlist(wordfile=xp.locate_wordfile(), min_length=1, max_length=99)
        assert len(words) == 7776, len(words)  # the EFF long list, whole
        xkcd = (lambda: xp.generate_xkcdpassword(words, numwords=6, delimiter=' '), None)
    except ImportError as e:
        xkcd = (None, f'xkcdpass: {e}')
    rows.append(('passphrase(6), EFF long list', lambda: secrets_rs.passphrase(6, wordlist='eff-long'),
                 [('xkcdpass generate_xkcdpassword', *xkcd, False),
                  ('passlib genphrase', *genphrase, False)]))

    try:
        import pyotp
        otp = (lambda: pyotp.TOTP(pyotp.random_base32()).provisioning_uri(
            name='alice@example.com', issuer_name='Example'), None)
    except ImportError as e:
        otp = (None, f'pyotp: {e}')
    rows.append(('totp(issuer, account).uri', lambda: secrets_rs.totp('Example', 'alice@example.com').uri,
                 [('pyotp random_base32 + provisioning_uri', *otp, False)]))

    import uuid
    uuid_peers = []
    if hasattr(uuid, 'uuid7'):
        uuid_peers.append(('uuid.uuid7 (standard library)', uuid.uuid7, None, False))
    else:
        uuid_peers.append(('uuid.uuid7 (standard library)', None,
                           f'Python {platform.python_version()} has no uuid.uuid7', False))
    try:
        import uuid6
        uuid_peers.append(('uuid6.uuid7', uuid6.uuid7, None, False))
    except ImportError as e:
        uuid_peers.append(('uuid6.uuid7', None, f'uuid6: {e}', False))
    try:
        import uuid_utils
        import uuid_utils.compat
        uuid_peers.append(('uuid_utils.compat.uuid7 (compiled; uuid.UUID)', uuid_utils.compat.uuid7, None, True))
        uuid_peers.append(('uuid_utils.uuid7 (compiled; its own type)', uuid_utils.uuid7, None, True))
    except ImportError as e:
        uuid_peers.append(('uuid-utils', None, f'uuid-utils: {e}', True))
    rows.append(('uuid7()', secrets_rs.uuid7, uuid_peers))

    try:
        import ulid
        ulid_peer = (lambda: str(ulid.ULID()), None)
    except ImportError as e:
        ulid_peer = (None, f'python-ulid: {e}')
    rows.append(('ulid() (text)', secrets_rs.ulid, [('python-ulid str(ULID())', *ulid_peer, False)]))
    return rows


def best(fn, number, rounds):
    timer = timeit.Timer(fn)
    return min(timer.timeit(number) for _ in range(rounds)) / number


def calls_for(fn):
    """Calls per round so that a round takes about 20 ms."""
    t = timeit.Timer(fn).timeit(20) / 20
    return max(20, min(200_000, int(0.02 / max(t, 1e-9))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=30)
    parser.add_argument('--quick', action='store_true', help='few calls, for a smoke test')
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds

    load = os.getloadavg() if hasattr(os, 'getloadavg') else None
    print(f'Python {platform.python_version()} ({sys.executable}), '
          f'{platform.system()} {platform.release()} {platform.machine()}, '
          f'{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}'
          if load else '')
    noop = ext._noop
    floor_n = 20 if args.quick else calls_for(noop)
    floor = best(noop, floor_n, rounds)
    print(f'extension-call floor (_secrets_rs._noop()): {floor * 1e9:.0f} ns '
          '(measured again beside each compiled peer)')
    print()
    print('| call | ours ns/op | peer | peer ns/op | peer / ours | target | met |')
    print('|---|---:|---|---:|---:|---|---|')
    skipped, missed = [], []
    with warnings.catch_warnings():
        # A weak policy warns once per call; the warning is not what is timed.
        warnings.simplefilter('ignore')
        for label, ours_fn, peer_list in peers():
            number = 20 if args.quick else calls_for(ours_fn)
            for name, peer_fn, why, compiled in peer_list:
                if peer_fn is None:
                    skipped.append(f'{name} ({why})')
                    continue
                peer_number = 20 if args.quick else calls_for(peer_fn)
                # Interleaved rounds: ours, peer, the floor, ours, peer, ...
                ours_t, peer_t, floor_t = float('inf'), float('inf'), float('inf')
                result_t, draw_t = float('inf'), float('inf')
                for _ in range(rounds):
                    ours_t = min(ours_t, timeit.Timer(ours_fn).timeit(number) / number)
                    peer_t = min(peer_t, timeit.Timer(peer_fn).timeit(peer_number) / peer_number)
                    if compiled:
                        floor_t = min(floor_t, timeit.Timer(noop).timeit(floor_n) / floor_n)
                        result_t = min(result_t,
                                       timeit.Timer(ext._noop_uuid).timeit(floor_n) / floor_n)
                        draw_t = min(draw_t, ext._floor('uuid7', 0, 0, floor_n) * 1e-9)
                ratio = peer_t / ours_t
                if compiled:
                    over_result = ours_t / (result_t + draw_t)
                    target = (f'ours <= {FLOOR_TARGET}x floor: {over_result:.2f}x the floor '
                              f'({result_t * 1e9:.0f} ns uuid.UUID call + {draw_t * 1e9:.0f} ns '
                              f'draw); {ours_t / (floor_t + draw_t):.1f}x the bare call '
                              f'({floor_t * 1e9:.0f} ns) + draw')
                    met = over_result <= FLOOR_TARGET
                else:
                    target = f'>= {SPEEDUP:g}x'
                    met = ratio >= SPEEDUP
                if not met:
                    missed.append(f'{label} vs {name}')
                print(f'| {label} | {ours_t * 1e9:,.0f} | {name} | {peer_t * 1e9:,.0f} | '
                      f'{ratio:.1f}x | {target} | {"yes" if met else "NO"} |')
    print()
    for s in skipped:
        print(f'skipped: {s}')
    for m in missed:
        print(f'target missed: {m}')
    load = os.getloadavg() if hasattr(os, 'getloadavg') else None
    if load:
        print(f'load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
