#!/usr/bin/env bash
# The full-length proof for a release (not run by CI, which runs the
# shorter scripts/ci-proof.sh): the release profile of the batteries, the
# long constant-time run and a few minutes of fuzzing per target. Writes
# the logs and a Markdown table of the batteries to DIR (default
# target/release-proof), for TESTING.md. Takes about an hour on two cores.
#
#   scripts/release-proof.sh [DIR]
#   FUZZ_SECONDS=300 CT_MEASUREMENTS=4000000 scripts/release-proof.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/proof-tools.sh

out=${1:-target/release-proof}
mkdir -p "$out"
started=$SECONDS
elapsed() { printf '[%s: %d s]\n' "$1" $((SECONDS - started)) | tee -a "$out/timings.txt"; }
: >"$out/timings.txt"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "kernel: $(uname -sr), $(nproc) cores"
    echo "tools: $(dpkg-query -W -f='${Package} ${Version}, ' rng-tools5 ent dieharder 2>/dev/null || true)"
} | tee "$out/environment.txt"

proof_install_tools
proof_build
elapsed "build"

mapfile -t streams < <(proof_streams)
status=0
python3 scripts/proof_batteries.py --profile release --report "$out/batteries.md" "${streams[@]}" \
    2>&1 | tee "$out/batteries.log" || status=1
elapsed "batteries"

# Nothing else runs now, so the timings are as quiet as this machine gets.
CT_MEASUREMENTS=${CT_MEASUREMENTS:-2000000} \
    cargo test --profile test -p secrets-kit --all-features --test constant_time -- --ignored --nocapture \
    2>&1 | tee "$out/constant-time.log" || status=1
elapsed "constant time"

scripts/fuzz.sh "${FUZZ_SECONDS:-180}" 2>&1 | tee "$out/fuzz.log" || status=1
elapsed "fuzzing"
exit "$status"
