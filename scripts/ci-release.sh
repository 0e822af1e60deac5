#!/usr/bin/env bash
# Ready to publish (issue 19): what a packager would check on a clean clone.
#
#   bash scripts/ci-release.sh          # what .ci/run does
#
# 1. Supply chain: no unused dependency (cargo machete); cargo-deny's
#    licences, bans (one version per crate in shipped code) and sources,
#    offline (advisories need the network: run them by hand); every normal
#    and build dependency of the shipped crates declares a rust-version no
#    newer than ours.
# 2. Crates: `cargo package` of every publishable workspace crate (read from
#    cargo metadata, so new crates are covered), with the licence files and
#    README in each, then the core crate's tests from its extracted package.
# 3. Reproducible builds: the command's release binary (built with
#    cargo-auditable, which embeds its dependency list: the binary's SBOM)
#    and the manylinux2014 wheel (maturin --zig), each built twice from
#    scratch in two directories with SOURCE_DATE_EPOCH set; the SHA-256 sums
#    must match.
# 4. The wheel and sdist: auditwheel shows manylinux_2_17; twine check
#    --strict; License-File and the licence texts in both; the wheel's
#    CycloneDX SBOM; the sdist builds and installs alone in a fresh venv.
# 5. The man page (`secrets man`) renders with `man -l` and lists every
#    subcommand of `secrets --help`.
#
# Tools are installed on first use and cached: cargo tools in ~/.cargo/bin,
# the Python ones (maturin, ziglang, auditwheel, twine) in a venv under
# ~/.cache/secrets-release. Everything else goes under target/release-ci.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

work="$repo/target/release-ci"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-release"
started=$SECONDS
phase() { printf '\n--- %s [%d s]\n' "$*" $((SECONDS - started)); }
fail() {
    echo "error: $*" >&2
    exit 1
}
rm -rf "$work"
mkdir -p "$work" "$cache"

phase "tools"
# cargo tools, pinned, installed once into ~/.cargo/bin.
installed_tools="$(cargo install --list)"
cargo_tool() {
    local crate=$1 version=$2
    if ! grep -qxF "$crate v$version:" <<<"$installed_tools"; then
        cargo install --locked "$crate@$version"
    fi
}
cargo_tool cargo-deny 0.20.2
cargo_tool cargo-machete 0.9.2
cargo_tool cargo-auditable 0.7.7
if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends man-db groff-base
fi
venv="$cache/venv"
python_tools=(maturin==1.16.0 ziglang==0.17.1 auditwheel==6.8.2 twine==7.0.0)
# (Output kept in variables before grep -q: with pipefail, a writer cut off
# by grep -q's early exit would fail the test.)
installed_python="$("$venv/bin/python" -m pip freeze 2>/dev/null || true)"
missing=0
for tool in "${python_tools[@]}"; do
    grep -qxF "$tool" <<<"$installed_python" || missing=1
done
if [ "$missing" = 1 ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
    "$venv/bin/python" -m pip install -q "${python_tools[@]}"
fi
export PATH="$venv/bin:$PATH"

phase "supply chain: unused dependencies (cargo machete)"
cargo machete

phase "supply chain: licences, bans, sources (cargo deny, offline)"
cargo deny --offline check licenses bans sources

phase "minimum Rust version honoured by the lock file"
cargo metadata --format-version 1 --locked >"$work/metadata.json"
shipped="$(python3 - "$work/metadata.json" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
members = set(meta["workspace_members"])
print(" ".join(p["name"] for p in meta["packages"] if p["id"] in members))
EOF
)"
for crate in $shipped; do
    cargo tree --locked -p "$crate" --all-features -e normal,build --prefix none \
        --format '{p}' | sed 's/ (.*//'
done | sort -u >"$work/shipped-deps.txt"
python3 - "$work/metadata.json" "$work/shipped-deps.txt" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
wanted = {tuple(line.split()[:2]) for line in open(sys.argv[2]) if line.strip()}
ours = {p["rust_version"] for p in meta["packages"] if p["id"] in meta["workspace_members"]}
assert len(ours) == 1, f"the workspace crates disagree on rust-version: {ours}"
msrv = ours.pop()
key = lambda v: (tuple(int(x) for x in v.split(".")) + (0, 0))[:3]
newer = [
    f'{p["name"]} {p["version"]} needs {p["rust_version"]}'
    for p in meta["packages"]
    if (p["name"], "v" + p["version"]) in wanted
    and p["rust_version"] and key(p["rust_version"]) > key(msrv)
]
if newer:
    sys.exit(f"dependencies newer than rust-version {msrv}: {newer}")
print(f"{len(wanted)} normal and build dependencies, all within rust-version {msrv}")
EOF

phase "crates: cargo package of every publishable crate"
publishable="$(python3 - "$work/metadata.json" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
members = set(meta["workspace_members"])
# publish = false is an empty list; anything else may be published.
print(" ".join(p["name"] for p in meta["packages"]
               if p["id"] in members and p["publish"] != []))
EOF
)"
[ -n "$publishable" ] || fail "no publishable crate in the workspace"
echo "publishable: $publishable"
# One command for all: cargo packages them in dependency order and verifies
# each against the others' freshly packaged .crate files (a local overlay),
# so a crate that depends on an unpublished sibling still verifies.
package_args=()
for crate in $publishable; do package_args+=(-p "$crate"); done
# The verification builds go to a target directory kept in the cache, so a
# warm run compiles only the packaged crates, not every dependency again.
package_target="$cache/package-target"
# cargo unpacks each sibling's fresh .crate into the registry's source
# folder under its name and version, and takes a folder already there, and
# a build of it in the target directory, as they are (a registry's crates
# do not change): on a machine that ran this before, the verification would
# build against an earlier commit's siblings. Remove both for our crates.
for crate in $publishable; do
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$crate"-[0-9]* \
        "$package_target"/*/.fingerprint/"$crate"-[0-9a-f]*
done
CARGO_TARGET_DIR="$package_target" cargo package --locked "${package_args[@]}"
for crate in $publishable; do
    file="$(ls "$package_target"/package/"$crate"-[0-9]*.crate)"
    listing="$(tar tzf "$file")"
    for needed in LICENSE-MIT LICENSE-APACHE README.md Cargo.toml Cargo.lock; do
        grep -qx "[^/]*/$needed" <<<"$listing" || fail "$needed missing from $file"
    done
    echo "$file: licences, README and Cargo.lock inside"
done

phase "the core crate's tests from its extracted package"
# Outside the repository, so cargo sees no workspace around it. The
# workspace's test profile (opt-level 3, line tables only) is not part of
# a package; the statistical tests need it to run in reasonable time.
extract="$cache/extracted"
rm -rf "$extract"
mkdir -p "$extract"
# -m: the files get the time of extraction, not the fixed time cargo
# package stamps on them (2006), which is older than the cached build of
# the last run: cargo would take that build as current and test old code.
tar xzmf "$(ls "$package_target"/package/secrets-kit-[0-9]*.crate)" -C "$extract"
(cd "$extract"/secrets-kit-* &&
    CARGO_PROFILE_TEST_OPT_LEVEL=3 CARGO_PROFILE_TEST_DEBUG=line-tables-only \
        CARGO_TARGET_DIR="$cache/extracted-target" \
        cargo test --locked 2>&1 | tee "$work/extracted-tests.log" | grep -E '^test result|Running')
passed="$(awk '/^test result/ {sum += $4} END {print sum + 0}' "$work/extracted-tests.log")"
echo "the extracted secrets-kit package: $passed tests passed"
[ "$passed" -gt 0 ] || fail "no test ran in the extracted package"

phase "reproducible builds: the binary and the wheel, twice each"
# Two copies of the committed tree at different paths, each built from
# scratch. Paths are remapped so neither the directory nor the cargo home
# ends up in the output; SOURCE_DATE_EPOCH fixes the wheel's timestamps.
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH="$(git log -1 --format=%ct 2>/dev/null || echo 1700000000)"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
build_once() {
    local dir=$1
    rm -rf "$dir"
    mkdir -p "$dir/src"
    git ls-files -z | xargs -0 cp -P --parents -t "$dir/src"
    (
        cd "$dir/src"
        export CARGO_TARGET_DIR="$dir/target"
        export RUSTFLAGS="--remap-path-prefix=$dir/src=/build --remap-path-prefix=$cargo_home=/cargo"
        cargo auditable build --release --locked -p secrets-kit-cli -q
        maturin build --release --locked --zig --compatibility manylinux2014 \
            -m crates/secrets-py/Cargo.toml -o "$dir/dist" -q
    )
}
# Side by side: the release profile's fat LTO ends on one core, so two
# builds at once finish sooner than one after the other.
build_once "$work/repro-a" >"$work/repro-a.log" 2>&1 &
build_a=$!
build_once "$work/repro-bb" >"$work/repro-bb.log" 2>&1 &
build_b=$!
wait "$build_a" || { cat "$work/repro-a.log" >&2; fail "the first build failed"; }
wait "$build_b" || { cat "$work/repro-bb.log" >&2; fail "the second build failed"; }
bin_a="$work/repro-a/target/release/secrets"
bin_b="$work/repro-bb/target/release/secrets"
wheel_a="$(ls "$work"/repro-a/dist/*.whl)"
wheel_b="$(ls "$work"/repro-bb/dist/*.whl)"
sha256sum "$bin_a" "$bin_b" "$wheel_a" "$wheel_b" | tee "$work/sha256.txt"
[ "$(sha256sum <"$bin_a")" = "$(sha256sum <"$bin_b")" ] || fail "the two release binaries differ"
echo "reproducible: the two release binaries are identical"
# The wheel: every member must be identical except the SBOM that maturin
# embeds (made by cargo-cyclonedx, which writes a random serialNumber, the
# build time and bom-refs holding the build directory, with no option to
# leave them out) and RECORD, which lists the SBOM's hash. Should the two
# wheels match whole one day, the check says so.
python3 - "$wheel_a" "$wheel_b" <<'EOF'
import hashlib, sys, zipfile
a, b = (zipfile.ZipFile(path) for path in sys.argv[1:3])
names = a.namelist()
if names != b.namelist():
    sys.exit(f"the wheels hold different files: {names} / {b.namelist()}")
differing = [n for n in names if a.read(n) != b.read(n) or
             a.getinfo(n).date_time != b.getinfo(n).date_time]
allowed = [n for n in differing if "/sboms/" in n or n.endswith(".dist-info/RECORD")]
if set(differing) - set(allowed):
    sys.exit(f"the two wheels differ in {sorted(set(differing) - set(allowed))}")
so = next(n for n in names if n.endswith(".so"))
if differing:
    print(f"the two wheels differ only in {differing} (the SBOM's serial number, time and "
          f"build paths); every other member is identical, the extension module "
          f"{so} included (sha256 {hashlib.sha256(a.read(so)).hexdigest()})")
else:
    print("reproducible: the two wheels are identical")
EOF

phase "the binary's SBOM (cargo-auditable's .dep-v0 section)"
objcopy --dump-section .dep-v0="$work/dep-v0.z" "$bin_a" /dev/null 2>/dev/null ||
    objcopy -O binary --only-section=.dep-v0 "$bin_a" "$work/dep-v0.z"
python3 - "$work/dep-v0.z" <<'EOF'
import json, sys, zlib
sbom = json.loads(zlib.decompress(open(sys.argv[1], "rb").read()))
names = {p["name"] for p in sbom["packages"]}
for needed in ("secrets-kit-cli", "secrets-kit", "clap", "getrandom"):
    assert needed in names, f"{needed} missing from the binary's dependency list"
print(f"the binary lists {len(names)} packages")
EOF

phase "the wheel: manylinux2014, metadata, licences, SBOM"
auditwheel show "$wheel_a" | tee "$work/auditwheel.txt"
grep -q 'platform tag: "manylinux_2_17_x86_64"' <<<"$(tr -s ' \n' ' ' <"$work/auditwheel.txt")" ||
    fail "auditwheel does not confirm manylinux_2_17_x86_64"
case "$wheel_a" in
*manylinux_2_17_x86_64*) ;;
*) fail "the wheel is not tagged manylinux_2_17_x86_64: $wheel_a" ;;
esac
python3 - "$wheel_a" <<'EOF'
import json, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
meta = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
for licence in ("LICENSE-MIT", "LICENSE-APACHE"):
    assert f"License-File: {licence}" in meta, f"no License-File: {licence}"
    assert any(n.endswith(f".dist-info/licenses/{licence}") for n in names), licence
assert "License-Expression: MIT OR Apache-2.0" in meta
for minor in range(9, 16):
    assert f"Programming Language :: Python :: 3.{minor}\n" in meta, f"no 3.{minor} classifier"
assert meta.count("Project-URL: ") >= 4, "Project-URLs missing"
sboms = [n for n in names if "/sboms/" in n]
assert sboms, "no SBOM in the wheel"
sbom = json.loads(wheel.read(sboms[0]))
components = {c["name"] for c in sbom.get("components", [])}
for needed in ("secrets-kit", "pyo3"):
    assert needed in components, f"{needed} missing from {sboms[0]}"
print(f"wheel: License-File x2, classifiers 3.9-3.15, SBOM {sboms[0]} "
      f"({len(components)} components)")
EOF

phase "the sdist: licences, twine, builds and installs alone"
maturin sdist -m crates/secrets-py/Cargo.toml -o "$work/dist"
sdist="$(ls "$work"/dist/secrets_rs-*.tar.gz)"
sdist_files="$(tar tzf "$sdist")"
sdist_info="$(tar xzf "$sdist" -O --wildcards '*/PKG-INFO')"
for licence in LICENSE-MIT LICENSE-APACHE; do
    grep -qx "[^/]*/$licence" <<<"$sdist_files" || fail "$licence missing from the sdist"
    grep -qx "License-File: $licence" <<<"$sdist_info" ||
        fail "no License-File: $licence in the sdist's PKG-INFO"
done
twine check --strict "$wheel_a" "$sdist"
python3 -m venv "$work/sdist-venv"
"$work/sdist-venv/bin/python" -m pip install -q --upgrade pip
# pip builds the sdist in an isolated environment (maturin from the
# registry); the cargo target directory is cached to keep warm runs short.
CARGO_TARGET_DIR="$cache/sdist-target" "$work/sdist-venv/bin/python" -m pip install -q "$sdist"
(cd "$work" && "$work/sdist-venv/bin/python" - <<'EOF'
import secrets_rs
token = secrets_rs.token_hex()
assert len(token) == 64 and int(token, 16) >= 0, token
assert 0 <= secrets_rs.randbelow(10) < 10
print("installed from the sdist:", secrets_rs.__file__)
EOF
)

phase "the man page"
"$bin_a" man >"$work/secrets.1"
MANWIDTH=100 man -l "$work/secrets.1" 2>"$work/man.err" | col -b >"$work/man.txt"
[ ! -s "$work/man.err" ] || { cat "$work/man.err" >&2; fail "man -l warned"; }
subcommands="$("$bin_a" --help | awk '/^Commands:/ {on = 1; next} /^$/ {on = 0} on && /^  [a-z]/ {print $1}' |
    grep -vx help)"
count=0
for sub in $subcommands; do
    grep -Eq "^ *secrets $sub( |$)" "$work/man.txt" || fail "the man page does not list '$sub'"
    count=$((count + 1))
done
[ "$count" -ge 20 ] || fail "only $count subcommands found in secrets --help"
echo "the man page renders ($(wc -l <"$work/man.txt") lines) and lists all $count subcommands"

# The two build trees are about 300 MB each and never reused.
rm -rf "$work/repro-a" "$work/repro-bb" "$work/sdist-venv"
phase "release checks passed"
