#!/usr/bin/env python3
"""Runs the old and the new build's benchmarks interleaved and prints the
ratios; called by scripts/bench-before-after.sh (see there).

Per round, in this order, old then new each time:
- benches/overhead.rs: token_bytes(32) against a bare vDSO call (its own
  interleaved harness; the ratio to the bare call is what is compared);
- benches/sources.rs (criterion) for token_bytes_32, randbelow_1000 and
  password_16, this crate's row;
- the command: `bytes 1000000000` and `openssl rand 1000000000`, and
  `password --length 10 --classes lower,upper,digits --min-digits 3
  --count 100000`, `pin --digits 8 --count 100000` and a long policy
  password (`--length 64`, four classes, two minimums, `--count 2000`),
  output to /dev/null, user + system CPU time and wall
  time.

Library figures keep the fastest round; command figures the median round.
A ratio new/old above 1 means the new build is slower.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import time

CRITERION_ROWS = ["token_bytes_32", "randbelow_1000", "password_16"]
GIB = "1000000000"


def overhead(binary: str) -> dict[str, float]:
    out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
    bare = re.search(r"bare vDSO call, 32 B:\s+([\d.]+) ns", out)
    token = re.search(r"token_bytes\(32\):\s+([\d.]+) ns", out)
    if not bare or not token:
        raise SystemExit(f"cannot read the overhead benchmark's output:\n{out}")
    return {"bare vDSO call (ns)": float(bare.group(1)),
            "token_bytes(32) (ns)": float(token.group(1)),
            "token_bytes(32) / bare": float(token.group(1)) / float(bare.group(1))}


def criterion(binary: str) -> dict[str, float]:
    figures = {}
    for row in CRITERION_ROWS:
        name = f"{row}/secrets-vdso-getrandom"
        out = subprocess.run([binary, "--bench", f"^{re.escape(name)}$"], check=True,
                             capture_output=True, text=True).stdout
        match = re.search(r"time:\s+\[\S+ \S+ ([\d.]+) (ns|µs|us|ms)", out)
        if not match:
            raise SystemExit(f"cannot read criterion's output for {name}:\n{out}")
        scale = {"ns": 1, "µs": 1e3, "us": 1e3, "ms": 1e6}[match.group(2)]
        figures[f"{row} (ns)"] = float(match.group(1)) * scale
    return figures


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(command, check=True, stdout=sink)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def command(binary: str) -> dict[str, tuple[float, float]]:
    return {
        "secrets bytes 1000000000": timed([binary, "bytes", GIB]),
        "secrets password --count 100000": timed(
            [binary, "password", "--length", "10", "--classes", "lower,upper,digits",
             "--min-digits", "3", "--count", "100000"]),
        "secrets pin --digits 8 --count 100000": timed(
            [binary, "pin", "--digits", "8", "--count", "100000"]),
        "secrets password --length 64 --count 2000": timed(
            [binary, "password", "--length", "64", "--classes", "lower,upper,digits,symbols",
             "--min-digits", "3", "--min-symbols", "2", "--count", "2000"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--old", nargs=3, required=True, metavar=("SECRETS", "OVERHEAD", "SOURCES"))
    parser.add_argument("--new", nargs=3, required=True, metavar=("SECRETS", "OVERHEAD", "SOURCES"))
    parser.add_argument("--before-rev", default="old")
    parser.add_argument("--after-rev", default="new")
    args = parser.parse_args()

    lib = {"old": {}, "new": {}}
    cli = {"old": {}, "new": {}, "openssl": {}}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1} of {args.rounds}", flush=True)
        for side, (secrets_bin, overhead_bin, sources_bin) in (("old", args.old), ("new", args.new)):
            for key, value in {**overhead(overhead_bin), **criterion(sources_bin)}.items():
                lib[side].setdefault(key, []).append(value)
        for side, binary in (("old", args.old[0]), ("new", args.new[0])):
            for key, value in command(binary).items():
                cli[side].setdefault(key, []).append(value)
        cli["openssl"].setdefault("openssl rand 1000000000", []).append(
            timed(["openssl", "rand", GIB]))

    print()
    print(f"| library (fastest of {args.rounds} rounds) | {args.before_rev} (before) "
          f"| {args.after_rev} (after) | after / before |")
    print("|---|---:|---:|---:|")
    for key in lib["old"]:
        old, new = min(lib["old"][key]), min(lib["new"][key])
        print(f"| {key} | {old:.3f} | {new:.3f} | {new / old:.3f} |")
    print()
    print(f"| command (median of {args.rounds} rounds) | before: wall / CPU s "
          f"| after: wall / CPU s | after / before (CPU) |")
    print("|---|---:|---:|---:|")
    for key in cli["old"]:
        old = [statistics.median(x) for x in zip(*cli["old"][key])]
        new = [statistics.median(x) for x in zip(*cli["new"][key])]
        print(f"| {key} | {old[0]:.3f} / {old[1]:.3f} | {new[0]:.3f} / {new[1]:.3f} "
              f"| {new[1] / old[1]:.3f} |")
    ossl = [statistics.median(x) for x in zip(*cli["openssl"]["openssl rand 1000000000"])]
    for side in ("old", "new"):
        ours = [statistics.median(x) for x in zip(*cli[side]["secrets bytes 1000000000"])]
        label = "before" if side == "old" else "after"
        print(f"| openssl rand / secrets bytes, {label} | wall {ossl[0] / ours[0]:.2f}x "
              f"| CPU {ossl[1] / ours[1]:.2f}x | |")


if __name__ == "__main__":
    main()
