#!/usr/bin/env bash
# Runs the criterion benchmarks of crates/secrets-kit/benches/sources.rs (once
# with the vDSO, once more with SECRETS_FORCE_SYSCALL=1 for the crate's own
# rows) and Python's `secrets` equivalents with timeit, in one go, and
# prints a ratio table against the performance targets. A few minutes on 2
# cores.
#
# usage: scripts/bench-vs-python.sh [--markdown FILE] [--strict]
#   MEASURE_SECS=N  criterion measurement time per benchmark (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."

measure="${MEASURE_SECS:-1}"
target_dir="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
criterion_dir="$target_dir/criterion"
# Old rows (say, of a benchmark since renamed) would mix into the table.
rm -rf "$criterion_dir"

echo "== machine" >&2
uname -srm >&2
grep -m1 'model name' /proc/cpuinfo >&2 || true
nproc >&2

echo "== Rust, default source" >&2
cargo bench -p secrets-kit --all-features --bench sources -- --measurement-time "$measure"

echo "== Rust, SECRETS_FORCE_SYSCALL=1 (this crate's own rows)" >&2
SECRETS_FORCE_SYSCALL=1 cargo bench -p secrets-kit --all-features --bench sources -- \
    --measurement-time "$measure" \
    '^(token_bytes_32|token_hex_32|token_urlsafe_32|randbelow_1000|randbelow_2pow256|choice_62|password_16)/secrets-getrandom-syscall'

echo "== Python, and the report" >&2
python3 scripts/bench_report.py "$criterion_dir" "$@"
