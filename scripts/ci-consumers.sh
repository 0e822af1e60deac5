#!/usr/bin/env bash
# CI's consumer checks (issue 11): what the command makes is read back by
# the independent programs that consume it.
#   - Python cryptography's Fernet accepts `key --format fernet` (an
#     encrypt/decrypt round trip);
#   - pyotp parses the `totp` URI (same secret, issuer, account, algorithm,
#     digits, period) and its code for a given time equals ours;
#   - oathtool --totp accepts the base32 secret and gives the same code;
#   - zbarimg decodes the PNG (and the SVG, converted) back to the URI.
# Installs oathtool and zbar-tools (apt) and a virtual environment with
# pyotp and cryptography when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${CONSUMERS_VENV:-target/consumers-venv}"

install_tools() {
    local missing=()
    command -v oathtool >/dev/null || missing+=(oathtool)
    command -v zbarimg >/dev/null || missing+=(zbar-tools)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ! "$venv/bin/python" -c 'import pyotp, cryptography' 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q pyotp cryptography
    fi
}

install_tools
cargo build --release -q
bin=target/release/secrets
py="$venv/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "--- Fernet keys in cryptography.fernet.Fernet"
"$bin" key --format fernet --count 20 >"$work/fernet"
"$py" - "$work/fernet" <<'PY'
import sys
from cryptography.fernet import Fernet
keys = open(sys.argv[1]).read().split()
assert len(keys) == 20, keys
for key in keys:
    f = Fernet(key.encode())
    token = f.encrypt(b"consumer check")
    assert f.decrypt(token) == b"consumer check"
print(f"ok: {len(keys)} keys accepted, each round-tripped")
PY
