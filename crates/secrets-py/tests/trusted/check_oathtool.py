"""TOTP codes computed by oathtool (OATH Toolkit) from our base32 secret.

    python check_oathtool.py

For every algorithm, digits 6 and 8, periods 30 and 60: oathtool's code at
fixed timestamps (period edges, the 32-bit boundary, and later) and now
equals ours. One oathtool process per timestamp window (-w), so the whole
check is a few dozen processes.
"""

import shutil
import subprocess
import sys
import time

import secrets_rs

STAMPS = [59, 1_111_111_109, 1_111_111_111, 1_234_567_890, 2_000_000_000, 2 ** 31 - 1,
          2 ** 31, 20_000_000_000]
WINDOW = 20


def oathtool(algorithm, digits, period, secret, when):
    """oathtool's codes for `WINDOW + 1` periods starting at `when`."""
    out = subprocess.run(
        ['oathtool', f'--totp={algorithm}', '-b', '-d', str(digits), '-s', f'{period}s',
         '-w', str(WINDOW), '-N', f'@{when}', secret],
        check=True, capture_output=True, text=True).stdout.split()
    assert len(out) == WINDOW + 1, out
    return out


def main():
    if shutil.which('oathtool') is None:
        print('error: oathtool is not installed (apt package oathtool)', file=sys.stderr)
        return 2
    checked = 0
    for algorithm in ('SHA1', 'SHA256', 'SHA512'):
        for digits in (6, 8):
            for period in (30, 60):
                t = secrets_rs.totp('Example', 'bob', digits=digits, period=period,
                                    algorithm=algorithm)
                for when in STAMPS:
                    start = when - when % period
                    theirs = oathtool(algorithm, digits, period, t.secret, start)
                    ours = [t.at(start + k * period) for k in range(WINDOW + 1)]
                    assert ours == theirs, f'{algorithm}/{digits}/{period} from {start}: {ours} != {theirs}'
                    checked += len(ours)
                # Away from the period's edges: oathtool's time() reads the
                # kernel's coarse clock, which lags the one Python and Rust
                # read by up to a few milliseconds, so at an edge the two
                # can see different periods even when time.time() says both
                # ran in the same one.
                while not 1 <= time.time() % period <= period - 2:
                    time.sleep(0.25)
                theirs = subprocess.run(
                    ['oathtool', f'--totp={algorithm}', '-b', '-d', str(digits), '-s',
                     f'{period}s', t.secret], check=True, capture_output=True,
                    text=True).stdout.strip()
                ours = t.now()
                assert ours == theirs, (ours, theirs)
                checked += 1
                print(f'ok oathtool {algorithm} digits={digits} period={period}')
    version = subprocess.run(['oathtool', '--version'], capture_output=True, text=True).stdout
    print(f'{version.splitlines()[0]}: 12 enrolments, {checked} codes equal')
    return 0


if __name__ == '__main__':
    sys.exit(main())
