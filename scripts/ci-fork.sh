#!/usr/bin/env bash
# CI's fork, signal and system-call checks (issue 16), the anchors' own
# tests adapted, run with their figures printed:
#   - glibc's tst-arc4random-thread: threads draw while the process forks
#     256 times, children draw on threads of their own; no value repeats
#     (tests/fork_stress.rs);
#   - LD_PRELOAD shims that stall the vDSO probe and the state mapping
#     500 ms, with a fork or a signal landed inside; the child finishes in
#     under 2 s, the handler returns (tests/fork_shims.rs, tests/shims/);
#   - a signal storm: per-thread timers whose handlers draw during draws
#     (tests/signals.rs);
#   - Go's crypto/rand tests: incompressible output, every byte value,
#     concurrent readers (tests/go_rand.rs), no allocation per draw
#     (tests/alloc_free.rs);
#   - BoringSSL's urandom_test idea: the exact system calls of the first
#     draw, the steady state, a forked child's first draw and the forced
#     fallback, traced with strace (tests/syscalls.rs, ignored by default).
# Where the kernel has the vDSO getrandom, the run requires it
# (SECRETS_TEST_REQUIRE_VDSO=1: a case that silently fell back fails);
# elsewhere the vDSO trace is skipped, with the reason printed.
# Installs strace (apt) when it is missing; the shim needs `cc`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v strace >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace >/dev/null
fi
if ! command -v "${CC:-cc}" >/dev/null; then
    echo "ci-fork: no C compiler (${CC:-cc}) to build the LD_PRELOAD shim" >&2
    exit 1
fi

# Whether this kernel's vDSO has getrandom for this architecture (Linux
# 6.11+ on x86_64; 6.12+ on aarch64, s390x and loongarch64; 6.16+ on
# riscv64), as the library's backend expects.
has_vdso_getrandom() {
    local need release major minor
    [ "$(uname -s)" = Linux ] || return 1
    case "$(uname -m)" in
        x86_64) need=11 ;;
        aarch64 | s390x | loongarch64) need=12 ;;
        riscv64) need=16 ;;
        *) return 1 ;;
    esac
    release="$(uname -r)"
    major="${release%%.*}"
    minor="${release#*.}"
    minor="${minor%%[!0-9]*}"
    [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge "$need" ]; }
}

# --all-features: the build the earlier test steps made, so nothing is
# rebuilt here.
run_tests() {
    cargo test -p secrets-kit --all-features --no-fail-fast \
        --test fork_stress --test fork_shims --test signals --test go_rand --test alloc_free \
        --test syscalls -- --include-ignored --nocapture "$@"
}
if has_vdso_getrandom; then
    echo "ci-fork: Linux $(uname -r) on $(uname -m) has the vDSO getrandom: required"
    SECRETS_TEST_REQUIRE_VDSO=1 run_tests
else
    echo "ci-fork: Linux $(uname -r) on $(uname -m) has no vDSO getrandom:" \
        "skipping vdso_path_system_calls (the shim cases report themselves skipped)"
    run_tests --skip vdso_path_system_calls
fi
echo "ci-fork: done in ${SECONDS} s"
