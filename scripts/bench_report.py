#!/usr/bin/env python3
"""Times Python's `secrets` equivalents of the Rust benchmarks, reads the
criterion results of the same run, and prints a ratio table against the
targets of the vDSO issue.

Used by scripts/bench-vs-python.sh; run it from there.
usage: bench_report.py CRITERION_DIR [--markdown FILE] [--repeat N] [--strict]
"""

import argparse
import json
import os
import platform
import statistics
import sys
import timeit

SETUP = "import os, secrets, string; A = string.ascii_letters + string.digits; B = 2**256"

# Python statement for each criterion group; setup adds inputs where needed.
PYTHON_OPS = {
    "token_bytes_4": ("secrets.token_bytes(4)", ""),
    "token_bytes_32": ("secrets.token_bytes(32)", ""),
    "token_bytes_256": ("secrets.token_bytes(256)", ""),
    "token_bytes_1MiB": ("secrets.token_bytes(1048576)", ""),
    "token_hex_32": ("secrets.token_hex(32)", ""),
    "token_urlsafe_32": ("secrets.token_urlsafe(32)", ""),
    "randbelow_1000": ("secrets.randbelow(1000)", ""),
    "randbelow_2pow256": ("secrets.randbelow(B)", ""),
    "choice_62": ("secrets.choice(A)", ""),
    # The recipe from the `secrets` documentation.
    "password_16": ("''.join(secrets.choice(A) for i in range(16))", ""),
    "compare_digest_32": ("secrets.compare_digest(a, b)", "a = os.urandom(32); b = bytes(bytearray(a))"),
    "compare_digest_1MiB": (
        "secrets.compare_digest(a, b)",
        "a = os.urandom(1048576); b = bytes(bytearray(a))",
    ),
}


def time_python(stmt, extra_setup, repeat):
    """Fastest time per call in ns over `repeat` runs of an autoranged loop
    (the minimum, as timeit's documentation advises: slower runs measure
    the machine's other work, not the statement)."""
    timer = timeit.Timer(stmt, setup=SETUP + "; " + extra_setup if extra_setup else SETUP)
    loops, _ = timer.autorange()
    runs = timer.repeat(repeat=repeat, number=loops)
    return min(runs) / loops * 1e9


def read_criterion(root):
    """{group: {function: ns}} from criterion's sample.json files: the
    fastest sample's time per iteration, the estimate least disturbed by
    other processes on a busy machine (the same rule as for Python)."""
    results = {}
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "sample.json" not in files:
            continue
        rel = os.path.relpath(os.path.dirname(dirpath), root).split(os.sep)
        if rel[0] == "report" or len(rel) < 2:
            continue
        with open(os.path.join(dirpath, "sample.json")) as f:
            sample = json.load(f)
        best = min(t / i for t, i in zip(sample["times"], sample["iters"]))
        results.setdefault(rel[0], {})["/".join(rel[1:])] = best
    return results


def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("criterion_dir")
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    rust = read_criterion(args.criterion_dir)
    if not rust:
        sys.exit(f"no criterion results under {args.criterion_dir}")
    python = {}
    for group, (stmt, setup) in PYTHON_OPS.items():
        python[group] = time_python(stmt, setup, args.repeat)
        print(f"python {group}: {fmt_ns(python[group])}", file=sys.stderr)

    def get(group, function):
        return rust.get(group, {}).get(function)

    vdso = "secrets-vdso-getrandom"
    syscall = "secrets-getrandom-syscall"
    # The crate's own row: the vDSO when this machine has it.
    ours = vdso if get("token_bytes_32", vdso) is not None else syscall

    lines = []
    out = lines.append
    out(f"Python {platform.python_version()}, {platform.machine()}, "
        f"kernel {platform.release()}; fastest sample per row (Rust: criterion sample, Python: timeit repeat); 'x Python' = Python time / Rust time.")
    out("")
    out("| operation | implementation | time | x Python |")
    out("|---|---|---:|---:|")
    for group in sorted(rust, key=lambda g: (list(PYTHON_OPS).index(g) if g in PYTHON_OPS else 99, g)):
        py = python.get(group)
        for function, ns in sorted(rust[group].items(), key=lambda kv: kv[1]):
            ratio = f"{py / ns:.1f}x" if py else "-"
            out(f"| {group} | {function} | {fmt_ns(ns)} | {ratio} |")
        if py is not None:
            out(f"| {group} | Python `{PYTHON_OPS[group][0]}` | {fmt_ns(py)} | 1.0x |")

    def ratio(a, b):
        return a / b if a is not None and b is not None else None

    targets = [
        ("token_bytes(32) vs getrandom crate", ratio(get("token_bytes_32", "getrandom"), get("token_bytes_32", ours)), ">=", 3.0),
        ("token_bytes(32) / bare vDSO call", ratio(get("token_bytes_32", ours), get("token_bytes_32", "bare-vdso")), "<=", 1.2),
        ("token_bytes(32) vs Python", ratio(python["token_bytes_32"], get("token_bytes_32", ours)), ">=", 4.5),
        ("token_hex(32) vs Python", ratio(python["token_hex_32"], get("token_hex_32", ours)), ">=", 5.0),
        ("randbelow(1000) vs Python", ratio(python["randbelow_1000"], get("randbelow_1000", ours)), ">=", 25.0),
        ("16-char password vs Python recipe", ratio(python["password_16"], get("password_16", ours)), ">=", 100.0),
        ("compare_digest 1 MiB vs Python", ratio(python["compare_digest_1MiB"], get("compare_digest_1MiB", "secrets/equal")), ">=", 10.0),
        ("compare_digest 32 B, ns", get("compare_digest_32", "secrets/equal"), "<", 10.0),
    ]
    out("")
    out(f"Targets (this crate's row: `{ours}`):")
    out("")
    out("| target | measured | wanted | met |")
    out("|---|---:|---:|:---:|")
    missed = 0
    for name, value, op, wanted in targets:
        if value is None:
            met = "n/a"
        else:
            ok = {">=": value >= wanted, "<=": value <= wanted, "<": value < wanted}[op]
            met = "yes" if ok else "NO"
            missed += not ok
        shown = "-" if value is None else (f"{value:.2f}" if value < 100 else f"{value:.0f}")
        out(f"| {name} | {shown} | {op} {wanted:g} | {met} |")

    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.strict and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
