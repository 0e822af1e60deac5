"""How long can a secrets_rs call keep other threads waiting for the GIL?

    python crates/secrets-py/benchmarks/gil.py [--size N] [--stdlib] [--extras]

A thread ticks every 1 ms (time.sleep(0.001), then notes the time) while
the main thread makes one long call on an input of up to N elements (10**7
by default). The longest gap between two ticks, less the 1 ms sleep, is the
longest wait the call caused. Prints a Markdown table with each call's
duration and longest wait; the target is under 20 ms. With --stdlib the
standard library's calls are timed the same way, for comparison; with
--extras, the package's names beyond the standard library (passwords,
passphrases, TOTP, API keys, explain) instead of the drop-in's. Exit status
0 either way: the figures are for BENCHMARKS.md.
"""

import argparse
import array
import platform
import random
import secrets
import sys
import threading
import time

import secrets_rs

TARGET_MS = 20.0


def cases(n, mod, rng):
    big = list(range(n))
    weights = [1.0] * n
    blob = mod.token_bytes(n)
    twin = bytes(bytearray(blob))
    text = blob.hex()[:n]
    text_twin = text[:-1] + text[-1]  # equal, and a different object
    counts = [1] * n
    array_weights = array.array('d', weights)
    return [
        (f'shuffle({n:,}-item list)', lambda: rng.shuffle(big)),
        (f'choices(range(10), k={n:,})', lambda: rng.choices(range(10), k=n)),
        (f'choices({n:,}-item list, k={n:,})', lambda: rng.choices(big, k=n)),
        (f'choices({n:,} weights, k=1,000)', lambda: rng.choices(big, weights, k=1000)),
        (f'sample(range(10**12), {n // 10:,})', lambda: rng.sample(range(10 ** 12), n // 10)),
        (f'sample({n:,}-item list, {n:,})', lambda: rng.sample(big, n)),
        (f'sample({n:,}-item list, 1,000, counts={n:,} ones)',
         lambda: rng.sample(big, 1000, counts=counts)),
        (f'choices({n:,} weights in an array, k=1,000)',
         lambda: rng.choices(big, array_weights, k=1000)),
        (f'token_bytes({n:,})', lambda: mod.token_bytes(n)),
        (f'token_hex({n:,})', lambda: mod.token_hex(n)),
        (f'token_urlsafe({n:,})', lambda: mod.token_urlsafe(n)),
        (f'randbytes({n:,})', lambda: rng.randbytes(n)),
        (f'getrandbits({8 * n:,})', lambda: rng.getrandbits(8 * n)),
        (f'compare_digest({n:,} bytes)', lambda: mod.compare_digest(blob, twin)),
        (f'compare_digest({n:,}-character str)', lambda: mod.compare_digest(text, text_twin)),
    ]


def longest_wait(call):
    ticks = []
    running = threading.Event()
    done = threading.Event()

    def ticker():
        running.set()
        while not done.is_set():
            time.sleep(0.001)
            ticks.append(time.perf_counter())

    thread = threading.Thread(target=ticker)
    thread.start()
    running.wait()
    time.sleep(0.01)
    start = time.perf_counter()
    kept = call()
    end = time.perf_counter()
    done.set()
    thread.join()
    del kept  # freeing the result is the caller's business, not the call's
    inside = [t for t in ticks if start <= t <= end + 0.05]
    points = [start] + inside
    gaps = [b - a for a, b in zip(points, points[1:])]
    if not inside or inside[-1] < end:
        gaps.append(end - points[-1])
    wait = max(gaps) - 0.001
    return end - start, max(wait, 0.0)

def returning_error(call):
    """`call`, returning the ValueError it raises: a refused input is timed
    as a call, since making the error is the call's work too."""
    def run():
        try:
            return call()
        except ValueError as err:
            return err
    return run


def extras_cases(n):
    """The names beyond the standard library on inputs of about n
    characters (rules, keys) or as large as their limits allow."""
    enrolment = secrets_rs.totp('Example', 'alice@example.com')
    rule = 'required: upper, digit; '
    rules = rule * (n // len(rule))
    return [
        ('TOTP.qr_png(scale=100)', lambda: enrolment.qr_png(scale=100)),
        (f'password(rules=...) of {len(rules):,} characters', lambda: secrets_rs.password(rules=rules)),
        (f'password(rules=...) of {n + 10:,} characters, refused',
         returning_error(lambda: secrets_rs.password(rules='required: ' + 'x' * n))),
        (f'verify_api_key() of {n:,} characters beyond ASCII',
         lambda: secrets_rs.verify_api_key('\u00e9' * n)),
        ('password(4096, at_least_classes=4, exclude_ambiguous=True)',
         lambda: secrets_rs.password(4096, at_least_classes=4, exclude_ambiguous=True)),
        ('passphrase(64, rules=...)',
         lambda: secrets_rs.passphrase(64, rules='minlength: 20; required: upper; required: digit')),
        ('explain(10**100000)', lambda: secrets_rs.explain(10 ** 100000)),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=10 ** 7)
    parser.add_argument('--stdlib', action='store_true', help='time the standard library too')
    parser.add_argument('--extras', action='store_true',
                        help='time the names beyond the standard library instead')
    args = parser.parse_args()
    print(f'Python {platform.python_version()}, {platform.system()} {platform.release()} '
          f'{platform.machine()}; switch interval {sys.getswitchinterval() * 1000:.0f} ms')
    print()
    impls = [('secrets_rs', secrets_rs, secrets_rs.SystemRandom())]
    if args.stdlib and not args.extras:
        impls.append(('Python', secrets, random.SystemRandom()))
    print('| call | ' + ' | '.join(f'{name} time | {name} longest wait' for name, _, _ in impls)
          + ' |')
    print('| --- |' + ' ---: | ---: |' * len(impls))
    rows = {}
    over = 0
    for name, mod, rng in impls:
        listed = extras_cases(args.size) if args.extras else cases(args.size, mod, rng)
        for label, call in listed:
            took, wait = longest_wait(call)
            rows.setdefault(label, []).append(f'{took * 1000:.0f} ms | {wait * 1000:.1f} ms')
            if name == 'secrets_rs' and wait * 1000 >= TARGET_MS:
                over += 1
                rows[label][-1] += ' **over**'
    # Calibration: what this machine shows when the GIL is free (the main
    # thread sleeps) and when CPython's own loop runs (switching threads
    # every switch interval). A loaded machine raises both.
    free = longest_wait(lambda: time.sleep(1))[1]
    items = list(range(args.size))
    loop = longest_wait(lambda: [None for _ in items])[1]
    print(f'| (GIL free: main thread sleeping 1 s) | {free * 1000:.1f} ms |'
          + ' |' * (2 * len(impls) - 1))
    print(f'| (CPython loop over {args.size:,} items) | {loop * 1000:.1f} ms |'
          + ' |' * (2 * len(impls) - 1))
    for label, cells in rows.items():
        print(f'| `{label}` | ' + ' | '.join(cells) + ' |')
    print()
    print(f'{len(rows) - over} of {len(rows)} calls kept every wait under {TARGET_MS:.0f} ms')
    return 0


if __name__ == '__main__':
    sys.exit(main())
