#!/usr/bin/env bash
# "Nothing gets slower": the benchmarks of an older commit and of this tree,
# built side by side and run interleaved in one session (round after round,
# old and new alternating), so both see the same machine load; prints the
# new/old ratios. The older commit is checked out in a throwaway worktree
# (removed at the end) and built in its own target directory.
#
# usage: scripts/bench-before-after.sh BEFORE_REV [ROUNDS]
#   ROUNDS  interleaved rounds (default 5); each figure is the fastest
#           round (library) or the median round (command)
#   BEFORE_TARGET_DIR  target directory for the old build (default: a
#           directory next to this checkout, kept between runs so a second
#           run skips the old build)
#   BEFORE_WORKTREE  an existing checkout of BEFORE_REV to build instead of
#           a throwaway worktree (left in place)
# Needs python3 and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
before_rev="${1:?usage: scripts/bench-before-after.sh BEFORE_REV [ROUNDS]}"
rounds="${2:-5}"

# Builds the command and the two library benchmarks in the current
# directory; prints the secrets binary, then the overhead and sources
# bench executables.
# The packages are found by their targets (the one with the `secrets`
# binary, the one with the `overhead` bench), not by name, so that a commit
# from before the crates were renamed builds too.
build() {
    local target_dir cli_pkg core_pkg
    { read -r target_dir; read -r cli_pkg; read -r core_pkg; } < <(
        cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
meta = json.load(sys.stdin)
print(meta["target_directory"])
def owner(kind, name):
    return next(p["name"] for p in meta["packages"]
                if any(kind in t["kind"] and t["name"] == name for t in p["targets"]))
print(owner("bin", "secrets")); print(owner("bench", "overhead"))')
    cargo build --release -q -p "$cli_pkg" >&2
    echo "$target_dir/release/secrets"
    cargo bench --no-run -q -p "$core_pkg" --all-features --bench overhead --bench sources --message-format=json 2>/dev/null |
        python3 -c '
import json, sys
found = {}
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
        found[msg["target"]["name"]] = msg["executable"]
print(found["overhead"]); print(found["sources"])'
}

if [[ -n ${BEFORE_WORKTREE:-} ]]; then
    worktree="$BEFORE_WORKTREE"
else
    worktree="$(mktemp -d)/before"
    git worktree add --detach -q "$worktree" "$before_rev"
    trap 'git worktree remove --force "$worktree"' EXIT
fi
before_target="${BEFORE_TARGET_DIR:-$(dirname "$(pwd)")/.bench-before-target}"

echo "building $before_rev (old) in a throwaway worktree" >&2
mapfile -t old < <(cd "$worktree" && CARGO_TARGET_DIR="$before_target" build)
echo "building this tree (new)" >&2
mapfile -t new < <(build)

python3 scripts/bench_before_after.py --rounds "$rounds" \
    --old "${old[@]}" --new "${new[@]}" --before-rev "$(git rev-parse --short "$before_rev")" \
    --after-rev "$(git rev-parse --short HEAD)"
