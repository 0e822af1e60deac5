#!/usr/bin/env python3
"""Runs rngtest (FIPS 140-2), ent and dieharder on byte streams and judges
each result against what a perfect generator would score.

Called by scripts/ci-proof.sh (profile "ci", sized for CI) and
scripts/release-proof.sh (profile "release", full length). Each stream is
given as NAME=COMMAND; the command must write random bytes to standard
output, and gets the number of bytes wanted appended as its last argument.

False alarms (a perfect generator judged as failing), per stream:
- rngtest: the number of failed 20000-bit blocks is compared with the upper
  binomial bound at alpha 1e-7 for that many blocks, taking a per-block
  failure rate of 1e-3 for a perfect generator (the FIPS 140-2 tests fail
  about 0.08% of blocks of ideal input; 1e-3 rounds that up so the bound
  stays valid). No retry: alpha <= 1e-7.
- ent: the chi-square statistic of the byte counts (255 degrees of freedom)
  fails only when its p-value is below 1e-4 or above 1 - 1e-4; a failure is
  retried once with a fresh sample: alpha = (2e-4)^2 = 4e-8.
- dieharder: a test fails when any of its lines says FAILED (dieharder says
  that for p < 1e-6 or p > 1 - 1e-6, so 2e-6 per line); a failed test is
  run again once on a fresh sample and fails the stream only if it fails
  again: alpha <= lines * (2e-6)^2, about 1e-10 for 20 lines. WEAK lines are
  reported, never judged.
That is about 1.4e-7 per stream; with the eight streams of
scripts/ci-proof.sh the whole run raises a false alarm with probability
below about 1.2e-6.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

FIPS_BLOCK_BYTES = 2500  # 20000 bits per FIPS 140-2 block
FIPS_PERFECT_FAILURE_RATE = 1e-3
RNGTEST_ALPHA = 1e-7
ENT_TAIL = 1e-4
UNLIMITED = 10**12  # "until the battery stops reading"

# Dieharder tests per profile: test number -> (arguments for raw streams,
# arguments for derived streams). Derived streams (one library call per
# byte) run at a few MB/s, so they get fewer samples; every test still ends
# in a Kolmogorov-Smirnov p-value over its p-samples (or, for the dab_
# tests, one p-value). Both -t and -p are always given: with only -p,
# dieharder reads far more input than the samples need. Fewer than 20
# p-samples are never used: dieharder's Kolmogorov-Smirnov p-value is not
# uniform for so few (p = 1.000 "FAILED" on good input was seen with 3).
# The diehard_ tests keep their default -t: they are calibrated for it
# (count_1s_byt with -t 50000 fails /dev/urandom with p = 0).
# The CI subset is
# chosen for speed and for tests that see byte-level bias (byte
# distribution, 8-bit tuples, count-the-ones on bytes, DCT); the release
# profile runs the tests dieharder rates "Good" at their default sizes.
DIEHARDER_CI = {
    0: ("", "-t 100 -p 50"),                     # birthdays
    3: ("", "-t 100000 -p 20"),                  # 6x8 binary rank
    4: ("", None),                               # bitstream (fixed 2^21 words)
    9: ("", "-t 256000 -p 20"),                  # count the 1s, bytes
    15: ("", "-t 100000 -p 50"),                 # runs
    100: ("", "-t 100000 -p 50"),                # STS monobit
    200: ("-n 8 -t 10000 -p 100", "-n 8 -t 2000 -p 100"),  # 8-bit tuples
    204: ("", "-t 10000 -p 100"),                # RGB Kolmogorov-Smirnov
    205: ("-t 10000000", "-t 2000000"),          # byte distribution
    206: ("", "-t 20000"),                       # DCT
}
DIEHARDER_RELEASE = {
    t: ({200: "-n 8", 201: "-n 2"}.get(t, ""), None) for t in (0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 15, 16,
                            100, 101, 102, 200, 201, 202, 203, 204, 205, 206,
                            207, 208, 209)
}
# Left out of the release run: 17 (Marsaglia-Tsang GCD) reads 8 GB and
# takes about four minutes per stream here; 14 is rated "Do Not Use" and
# 5-7 "Suspect" by dieharder itself. 200 and 201 need an explicit tuple
# size: without -n, 200 refuses to run and 201 (n = 0) takes 20 minutes
# and reports FAILED on /dev/urandom.
# Derived streams in a release run: the CI subset at the raw streams' CI
# sizes (about ten times the derived CI sizes).
for _test, (_raw, _) in DIEHARDER_CI.items():
    DIEHARDER_RELEASE[_test] = (DIEHARDER_RELEASE[_test][0], _raw)

PROFILES = {
    # (rngtest blocks, ent bytes) for raw and derived streams.
    "ci": {"rngtest_blocks": (20_000, 10_000), "ent_bytes": (64 << 20, 32 << 20),
           "dieharder": DIEHARDER_CI},
    "release": {"rngtest_blocks": (1_000_000, 100_000),
                "ent_bytes": (1 << 30, 256 << 20),
                "dieharder": DIEHARDER_RELEASE},
}


# ----------------------------------------------------------------------------
# Statistics


def binomial_upper_bound(trials: int, rate: float, alpha: float) -> int:
    """Smallest c with P(Binomial(trials, rate) > c) <= alpha."""
    # Walk the probability mass function upward in log space.
    log_pmf = trials * math.log1p(-rate)  # P(X = 0)
    cdf = math.exp(log_pmf)
    c = 0
    while 1.0 - cdf > alpha and c < trials:
        log_pmf += math.log((trials - c) / (c + 1)) + math.log(rate / (1 - rate))
        c += 1
        cdf += math.exp(log_pmf)
    return c


def chi_square_sf(statistic: float, dof: int) -> float:
    """P(X >= statistic) for X ~ chi-square(dof): the regularized upper
    incomplete gamma function Q(dof/2, statistic/2), by its power series
    below a + 1 and its continued fraction above (Numerical Recipes'
    split; both converge fast there).

    The Python package's statistical tests (crates/secrets-py/tests/stats.py)
    import this too, on every interpreter from 3.9: keep this module
    importable there, with no third-party imports."""
    a, x = dof / 2.0, statistic / 2.0
    if x <= 0:
        return 1.0
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * 1e-16:
            n += 1
            term *= x / n
            total += term
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    # Lentz's method for the continued fraction.
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return math.exp(log_prefix) * h


# ----------------------------------------------------------------------------
# Running one battery on one stream


@dataclass
class Stream:
    name: str
    command: list[str]
    derived: bool = False
    source: str = "?"


@dataclass
class Outcome:
    stream: str
    battery: str
    passed: bool
    summary: str
    attempts: int = 1
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def run_pipeline(stream: Stream, nbytes: int, battery: list[str]):
    """Pipes `nbytes` of the stream into the battery; returns the battery's
    standard output and error, and how many bytes the generator wrote when
    it says so. Raises when the generator fails (other than
    by the battery closing the pipe early)."""
    generator = subprocess.Popen(
        stream.command + [str(nbytes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader = subprocess.run(
        battery, stdin=generator.stdout, capture_output=True, text=True
    )
    generator.stdout.close()
    try:
        _, gen_err = generator.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        generator.kill()
        _, gen_err = generator.communicate()
    gen_err = gen_err.decode(errors="replace")
    match = re.search(r"^source: (\S+)", gen_err, re.M)
    if match:
        stream.source = match.group(1)
    written = re.search(r"^bytes written: (\d+)", gen_err, re.M)
    if generator.returncode not in (0, -13):  # -13: killed by SIGPIPE
        raise RuntimeError(
            f"{stream.name}: generator exited with {generator.returncode}: "
            f"{gen_err.strip()[-400:]}"
        )
    return reader.stdout, reader.stderr, int(written.group(1)) if written else None


def rngtest(stream: Stream, blocks: int) -> Outcome:
    start = time.monotonic()
    # rngtest reads 32 bits before the first block to seed its continuous test.
    _, err, _ = run_pipeline(
        stream, blocks * FIPS_BLOCK_BYTES + 4, ["rngtest", "-c", str(blocks)]
    )
    successes = re.search(r"FIPS 140-2 successes: (\d+)", err)
    failures = re.search(r"FIPS 140-2 failures: (\d+)", err)
    if not (successes and failures):
        raise RuntimeError(f"{stream.name}: cannot read rngtest output: {err[-400:]}")
    ok, bad = int(successes.group(1)), int(failures.group(1))
    tested = ok + bad
    bound = binomial_upper_bound(tested, FIPS_PERFECT_FAILURE_RATE, RNGTEST_ALPHA)
    detail = ", ".join(
        f"{m.group(1)} {m.group(2)}"
        for m in re.finditer(r"FIPS 140-2\(\S+\) ([A-Za-z ]+): (\d+)", err)
        if m.group(2) != "0"
    )
    summary = f"{bad} of {tested} blocks failed (bound {bound})"
    if detail:
        summary += f" [{detail}]"
    return Outcome(
        stream.name, "rngtest", tested == blocks and bad <= bound, summary,
        seconds=time.monotonic() - start,
    )


def ent_once(stream: Stream, nbytes: int) -> tuple[float, float, str]:
    out, err, _ = run_pipeline(stream, nbytes, ["ent", "-t"])
    rows = [line.split(",") for line in out.strip().splitlines()]
    if len(rows) < 2 or len(rows[1]) < 7:
        raise RuntimeError(f"{stream.name}: cannot read ent output: {out}{err}")
    _, size, entropy, chi, mean, pi, serial = rows[1][:7]
    if int(size) != nbytes:
        raise RuntimeError(f"{stream.name}: ent read {size} bytes, wanted {nbytes}")
    chi = float(chi)
    p = chi_square_sf(chi, 255)
    text = (f"chi2 {chi:.1f} p={p:.4f}, entropy {float(entropy):.6f}, "
            f"mean {float(mean):.4f}, pi {float(pi):.5f}, "
            f"serial corr {float(serial):+.6f}")
    return chi, p, text


def ent(stream: Stream, nbytes: int) -> Outcome:
    start = time.monotonic()
    notes = []
    for attempt in (1, 2):
        _, p, text = ent_once(stream, nbytes)
        if ENT_TAIL <= p <= 1 - ENT_TAIL:
            return Outcome(stream.name, "ent", True, text, attempt,
                           time.monotonic() - start, notes)
        notes.append(f"attempt {attempt} extreme: {text}")
    return Outcome(stream.name, "ent", False, text, 2,
                   time.monotonic() - start, notes)


DIEHARDER_LINE = re.compile(
    r"^\s*(\S+)\|\s*(\d+)\|\s*(\d+)\|\s*(\d+)\|\s*([0-9.eE+-]+)\|\s*(\S+)"
)


def dieharder_once(stream: Stream, test: int, extra: list[str]):
    out, err, nbytes = run_pipeline(
        stream, UNLIMITED, ["dieharder", "-g", "200", "-d", str(test), *extra]
    )
    lines = [m.groups() for m in map(DIEHARDER_LINE.match, out.splitlines()) if m]
    if not lines:
        raise RuntimeError(
            f"{stream.name}: no result from dieharder -d {test}: {out[-400:]}{err[-400:]}"
        )
    return lines, nbytes


def dieharder(stream: Stream, test: int, extra: list[str]) -> Outcome:
    start = time.monotonic()
    notes = []
    for attempt in (1, 2):
        lines, nbytes = dieharder_once(stream, test, extra)
        name = lines[0][0]
        failed = [line for line in lines if line[5] == "FAILED"]
        weak = [line for line in lines if line[5] == "WEAK"]
        pvalues = " ".join(f"{float(line[4]):.3f}" for line in lines)
        summary = f"{name} {' '.join(extra)}: p = {pvalues}"
        if nbytes:
            summary += f" ({nbytes / 1e6:.0f} MB)"
        if weak:
            summary += f"; WEAK (informational): {len(weak)}"
        if not failed:
            return Outcome(stream.name, f"dieharder -d {test}", True, summary,
                           attempt, time.monotonic() - start, notes)
        notes.append(f"attempt {attempt}: FAILED lines: {failed}")
    return Outcome(stream.name, f"dieharder -d {test}", False, summary, 2,
                   time.monotonic() - start, notes)


# ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=PROFILES, default="ci")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", choices=["rngtest", "ent", "dieharder"],
                        action="append", help="run only these batteries")
    parser.add_argument("--report", help="also write the results table here")
    parser.add_argument("--dieharder-tests", type=lambda text: {int(t) for t in text.split(",")},
                        metavar="N,N,...", help="run only these dieharder tests of the profile")
    parser.add_argument("--derived", action="append", default=[],
                        metavar="NAME=COMMAND",
                        help="a slow stream (one library call per byte)")
    parser.add_argument("--expect-failure", action="store_true",
                        help="self-check on flawed streams: succeed only if "
                             "every stream fails at least one judgement")
    parser.add_argument("streams", nargs="*", metavar="NAME=COMMAND",
                        help="a raw byte stream")
    args = parser.parse_args()
    profile = PROFILES[args.profile]
    batteries = set(args.only or ["rngtest", "ent", "dieharder"])

    streams = []
    specs = [(spec, False) for spec in args.streams]
    specs += [(spec, True) for spec in args.derived]
    for spec, derived in specs:
        name, sep, command = spec.partition("=")
        if not sep:
            parser.error(f"stream {spec!r} is not NAME=COMMAND")
        streams.append(Stream(name, shlex.split(command), derived))

    jobs = []
    for stream in streams:
        size = int(stream.derived)
        if "rngtest" in batteries:
            jobs.append((rngtest, stream, profile["rngtest_blocks"][size]))
        if "ent" in batteries:
            jobs.append((ent, stream, profile["ent_bytes"][size]))
        if "dieharder" in batteries:
            for test, arguments in profile["dieharder"].items():
                if args.dieharder_tests and test not in args.dieharder_tests:
                    continue
                if arguments[size] is not None:
                    jobs.append((dieharder, stream, test, arguments[size].split()))
    # Longest first, so the pool does not end on one slow job.
    jobs.sort(key=lambda job: job[0] is not dieharder)

    started = time.monotonic()
    outcomes: list[Outcome] = []
    errors: list[str] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(job[0], *job[1:]) for job in jobs]
        for future in concurrent.futures.as_completed(futures):
            try:
                outcome = future.result()
            except Exception as err:  # a broken generator or battery
                errors.append(str(err))
                print(f"ERROR {err}", flush=True)
                continue
            outcomes.append(outcome)
            verdict = "pass" if outcome.passed else "FAIL"
            print(f"{verdict:4} {outcome.stream:14} {outcome.battery:15} "
                  f"{outcome.seconds:6.1f}s  {outcome.summary}", flush=True)
            for note in outcome.notes:
                print(f"       {note}", flush=True)

    order = {s.name: i for i, s in enumerate(streams)}
    outcomes.sort(key=lambda o: (order[o.stream], o.battery))
    table = ["| stream | source | battery | verdict | tries | result |",
             "| --- | --- | --- | --- | --- | --- |"]
    sources = {s.name: s.source for s in streams}
    for o in outcomes:
        table.append(f"| {o.stream} | {sources[o.stream]} | {o.battery} | "
                     f"{'pass' if o.passed else 'FAIL'} | {o.attempts} | {o.summary} |")
    elapsed = time.monotonic() - started
    failures = [o for o in outcomes if not o.passed]
    footer = (f"batteries: {len(outcomes) - len(failures)} pass, {len(failures)} fail, "
              f"{len(errors)} errors (profile {args.profile}, {elapsed:.0f} s)")
    if args.expect_failure:
        missed = [s.name for s in streams
                  if not any(o.stream == s.name and not o.passed for o in outcomes)]
        print("\n".join(table))
        if missed or errors:
            print(f"self-check: the batteries did not catch {missed} ({len(errors)} errors)")
            return 1
        print(f"self-check: the batteries caught every flawed stream ({len(streams)})")
        return 0
    if args.report:
        with open(args.report, "w") as report:
            report.write("\n".join(table) + "\n\n" + footer + "\n")
    print("\n".join(table))
    print(footer)
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
