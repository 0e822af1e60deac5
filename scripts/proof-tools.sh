# Shared by the proof scripts (sourced, not run): installs the batteries
# when missing and builds the programs that make the streams.

# Installs rngtest, ent and dieharder from Debian's packages when any is
# missing. CI runs as root; elsewhere a missing tool is an error that says
# what to install.
proof_install_tools() {
    local missing=()
    command -v rngtest >/dev/null || missing+=(rng-tools5)
    command -v ent >/dev/null || missing+=(ent)
    command -v dieharder >/dev/null || missing+=(dieharder)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    if [[ $(id -u) != 0 ]]; then
        echo "error: missing ${missing[*]}; install with: apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Builds the stream example and the command with optimisation, in the
# `test` profile so CI reuses what `cargo test` already compiled. Sets
# STREAM_BIN and SECRETS_BIN.
proof_build() {
    cargo build --profile test -p secrets-kit-tokens --features bulk --example stream_battery -p secrets-kit-cli --bin secrets
    local target_dir
    target_dir=${CARGO_TARGET_DIR:-target}
    STREAM_BIN=$target_dir/debug/examples/stream_battery
    SECRETS_BIN=$target_dir/debug/secrets
}

# The six streams of issue 5 and the library's bulk output (issue 10), as
# arguments for scripts/proof_batteries.py.
proof_streams() {
    printf '%s\n' \
        "vdso-bytes=$STREAM_BIN bytes" \
        "syscall-bytes=env SECRETS_FORCE_SYSCALL=1 $STREAM_BIN bytes" \
        "cli-bytes=$SECRETS_BIN bytes" \
        "bulk-stream=$STREAM_BIN bulk" \
        "bulk-chacha20=$STREAM_BIN bulk-chacha20" \
        "--derived=randbelow256=$STREAM_BIN randbelow256" \
        "--derived=choice256=$STREAM_BIN choice256" \
        "--derived=getrandbits8=$STREAM_BIN getrandbits8"
}
