#!/usr/bin/env bash
# CI's proof step (issue 5): third-party statistical batteries on every
# stream the library and the command make, then a short fuzzing run. The
# constant-time, bad-input and scale tests are ordinary cargo tests and run
# with the rest of the suite. Sized to finish in about ten minutes on two
# cores; scripts/release-proof.sh is the full-length version.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/proof-tools.sh

started=$SECONDS
elapsed() { printf '[%s: %d s]\n' "$1" $((SECONDS - started)); }

proof_install_tools
elapsed "tools"
proof_build
elapsed "build"

# First show that the judgement can fail: a modulo-biased stream must be
# caught (a few seconds).
python3 scripts/proof_batteries.py --profile ci --only ent --only rngtest --expect-failure \
    --derived "modulo-biased=$STREAM_BIN modulo-biased"
mapfile -t streams < <(proof_streams)
python3 scripts/proof_batteries.py --profile ci "${streams[@]}"
elapsed "batteries"

# The fuzz targets' sanitizer builds (about 3 of this stage's minutes) are
# kept between CI runs on one machine, beside CI's other caches; cargo
# rebuilds whatever changed.
FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-${SECRETS_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/secrets-ci}/fuzz-target}" \
    scripts/fuzz.sh "${FUZZ_SECONDS:-15}"
elapsed "fuzzing"
