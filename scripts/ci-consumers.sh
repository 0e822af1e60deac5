#!/usr/bin/env bash
# CI's consumer checks (issue 11): what the command makes is read back by
# the independent programs that consume it.
#   - Python cryptography's Fernet accepts `key --format fernet` (an
#     encrypt/decrypt round trip);
#   - pyotp parses the `totp` URI (same secret, issuer, account, algorithm,
#     digits, period) and its code for a given time equals ours;
#   - oathtool --totp accepts the base32 secret and gives the same code;
#   - zbarimg decodes the PNG (and the SVG, drawn by rsvg-convert) back to
#     exactly the URI.
# Installs oathtool and zbar-tools (apt) and a virtual environment with
# pyotp and cryptography when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${CONSUMERS_VENV:-target/consumers-venv}"

install_tools() {
    local missing=()
    command -v oathtool >/dev/null || missing+=(oathtool)
    command -v zbarimg >/dev/null || missing+=(zbar-tools)
    # rsvg-convert turns the SVG into pixels for zbarimg.
    command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
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

echo "--- TOTP enrolments in pyotp, oathtool and zbarimg"
# Names with spaces, '@', ':' (in the account), non-ASCII; every algorithm,
# both digit counts, two periods.
cases=(
    "Example Co|alice@example.com|SHA1|6|30"
    "Ünïcødé Bank|bob:admin@exämple.org|SHA256|8|60"
    "ACME|carol+totp@example.com|SHA512|8|30"
    "Snowman ☃|dave|SHA1|8|30"
)
for case in "${cases[@]}"; do
    IFS='|' read -r issuer account algorithm digits period <<<"$case"
    "$bin" totp --issuer "$issuer" --account "$account" --algorithm "$algorithm" \
        --digits "$digits" --period "$period" --json --qr-png "$work/qr.png" \
        --qr-svg "$work/qr.svg" >"$work/record.json"
    "$py" - "$work/record.json" "$issuer" "$account" "$algorithm" "$digits" "$period" <<'PY'
import hashlib, json, sys, time
import pyotp
record = json.load(open(sys.argv[1]))
issuer, account, algorithm, digits, period = sys.argv[2:7]
otp = pyotp.parse_uri(record["value"])
assert isinstance(otp, pyotp.TOTP), otp
assert otp.secret == record["secret"], (otp.secret, record["secret"])
assert otp.issuer == issuer, (otp.issuer, issuer)
assert otp.name == account, (otp.name, account)
assert otp.digest is getattr(hashlib, algorithm.lower()), (otp.digest, algorithm)
assert otp.digits == int(digits), otp.digits
assert otp.interval == int(period), otp.interval
assert otp.at(record["time"]) == record["code"], (otp.at(record["time"]), record["code"])
# now() is the same code while the period of the record lasts.
if int(time.time()) // otp.interval == record["time"] // otp.interval:
    assert otp.now() == record["code"]
print(f"ok pyotp: {issuer!r} / {account!r} {algorithm} {digits} digits {period} s")
PY
    secret="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$work/record.json")"
    uri="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["value"])' "$work/record.json")"
    when="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["time"])' "$work/record.json")"
    ours="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["code"])' "$work/record.json")"
    theirs="$(oathtool --totp="$algorithm" -b -d "$digits" -s "${period}s" --now "@$when" "$secret")"
    if [ "$theirs" != "$ours" ]; then
        echo "oathtool gives $theirs for the secret at $when, we gave $ours" >&2
        exit 1
    fi
    echo "ok oathtool: $theirs"
    for image in png svg; do
        if [ "$image" = svg ]; then
            rsvg-convert "$work/qr.svg" -o "$work/qr-svg.png"
            file="$work/qr-svg.png"
        else
            file="$work/qr.png"
        fi
        decoded="$(zbarimg -q --raw "$file" 2>/dev/null)"
        if [ "$decoded" != "$uri" ]; then
            echo "zbarimg read '$decoded' from the $image, not the URI '$uri'" >&2
            exit 1
        fi
        echo "ok zbarimg: the $image holds exactly the URI"
    done
done

echo "--- the terminal QR code, drawn as pixels the way a terminal shows it, in zbarimg"
# A block character is light (the terminal's text colour on a dark
# background); a space is the dark background.
"$bin" totp --issuer "Example Co" --account "alice@example.com" --qr >"$work/terminal.txt"
"$py" - "$work/terminal.txt" "$work/terminal.pgm" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
uri, drawing = lines[0], lines[1:]
halves = {"█": (255, 255), "▀": (255, 0), "▄": (0, 255), " ": (0, 0)}
rows = []
for line in drawing:
    top = [halves[c][0] for c in line]
    bottom = [halves[c][1] for c in line]
    rows += [top, bottom]
scale = 8
width = len(rows[0]) * scale
with open(sys.argv[2], "wb") as out:
    out.write(b"P5 %d %d 255\n" % (width, len(rows) * scale))
    for row in rows:
        pixels = bytes(v for v in row for _ in range(scale))
        out.write(pixels * scale)
open(sys.argv[2] + ".uri", "w").write(uri)
PY
decoded="$(zbarimg -q --raw "$work/terminal.pgm" 2>/dev/null)"
if [ "$decoded" != "$(cat "$work/terminal.pgm.uri")" ]; then
    echo "zbarimg read '$decoded' from the terminal drawing, not the URI" >&2
    exit 1
fi
echo "ok zbarimg: the terminal drawing holds exactly the URI"
