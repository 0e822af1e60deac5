#!/usr/bin/env bash
# The Python package on the CPython releases pyenv lacks (3.14 and 3.15):
# Debian unstable in a chroot, with the same abi3 wheel that
# scripts/ci-python.sh built and tested on 3.9 to 3.13.
#
#   bash scripts/ci-python-debian.sh [WHEEL [HOST_PYTHON]]   # scripts/ci-python.sh calls it
#
# WHEEL defaults to the one wheel in target/python-ci/wheels. Needs root
# (debootstrap, chroot, mount), a Debian host, and its Debian archive mirror.
#
# 1. A minimal Debian unstable (sid) system, made by debootstrap with
#    python3.X, its venv package and libpython3.X-testsuite (CPython's own
#    Lib/test) for each version below. It is kept between runs under
#    ~/.cache/secrets-ci (SECRETS_CI_CACHE), reused while it is complete
#    and younger than SECRETS_CI_CHROOT_DAYS days (7), else rebuilt beside
#    the old one and swapped in (the old one stays in use, with a warning,
#    if unstable cannot be installed that day).
# 2. The mirror is the host's own Debian archive, read from its apt sources
#    at run time (SECRETS_CI_DEBIAN_MIRROR overrides it).
# 3. For each version, in the chroot with /proc and /dev bound: a fresh
#    virtual environment (Debian's python3.X-venv, pip from ensurepip) gets
#    the wheel with `pip install --no-index`, then the package's own runner
#    (crates/secrets-py/tests/conformance.py) runs that interpreter's
#    test_secrets and test_random's SystemRandom_TestBasicOps, unmodified,
#    by substitution, exactly as on 3.9 to 3.13; then
#    crates/secrets-py/tests/trusted/check_uuid7.py compares uuid7() with
#    that interpreter's own uuid.uuid7, field for field. (Not the newest release's
#    files on the older one: 3.15's test_random needs test.support helpers
#    3.14 lacks, which the runner's stand-ins do not cover.) Last, the
#    package's own pytest suite (crates/secrets-py/tests), as on 3.9 to
#    3.13: pytest's wheels are fetched on the host, by HOST_PYTHON's pip
#    (`python3` if not given), and installed with `--no-index`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

versions=(3.14 3.15)
cache="${SECRETS_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/secrets-ci}"
chroot_dir="$cache/debian-sid"
max_days="${SECRETS_CI_CHROOT_DAYS:-7}"
runner=crates/secrets-py/tests/conformance.py
# uuid7() against the standard library's own uuid.uuid7 (stdlib only).
uuid7_check=crates/secrets-py/tests/trusted/check_uuid7.py

wheel="$(ci_wheel "${1:-}")"
host_python="${2:-python3}"
if [ "$(id -u)" -ne 0 ]; then
    echo "error: debootstrap, chroot and mount need root" >&2
    exit 1
fi

packages=()
for v in "${versions[@]}"; do
    packages+=("python$v" "python$v-venv" "libpython$v-testsuite")
done
include="$(IFS=,; echo "${packages[*]}")"
# What a usable chroot was made from; a different list means a rebuild.
stamp_text="debootstrap --variant=minbase --include=$include sid"

# The host's Debian archive: the first enabled `deb` source for the host's
# own release (its codename exactly, not -security or -updates), from the
# one-line lists and from deb822 .sources files.
debian_mirror() {
    if [ -n "${SECRETS_CI_DEBIAN_MIRROR:-}" ]; then
        echo "$SECRETS_CI_DEBIAN_MIRROR"
        return
    fi
    local id codename
    id="$(. /etc/os-release && echo "${ID:-}")"
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    if [ "$id" != debian ] || [ -z "$codename" ]; then
        echo "error: not a Debian host ($id); set SECRETS_CI_DEBIAN_MIRROR to a Debian archive mirror" >&2
        return 1
    fi
    local lists=() sources=() f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] && lists+=("$f")
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && sources+=("$f")
    done
    local found=""
    if [ "${#lists[@]}" -gt 0 ]; then
        found="$(awk -v suite="$codename" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                if ($(i + 1) == suite) { print $i; exit }
            }' "${lists[@]}")"
    fi
    if [ -z "$found" ] && [ "${#sources[@]}" -gt 0 ]; then
        found="$(awk -v suite="$codename" '
            function flush() {
                if (deb && enabled && hit && uri != "" && !done) { print uri; done = 1 }
                deb = 0; enabled = 1; hit = 0; uri = ""
            }
            BEGIN { enabled = 1 }
            FNR == 1 { flush() }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
            tolower($1) == "uris:" { uri = $2 }
            tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
            tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
            END { flush() }' "${sources[@]}")"
    fi
    if [ -z "$found" ]; then
        echo "error: no apt source for Debian $codename found; set SECRETS_CI_DEBIAN_MIRROR" >&2
        return 1
    fi
    echo "${found%/}"
}

# Unmount everything mounted under $1 (deepest first), then delete it
# without crossing into any other file system.
remove_tree() {
    local dir="$1" m
    [ -e "$dir" ] || return 0
    while read -r m; do
        [ -n "$m" ] && { umount "$m" 2>/dev/null || umount -l "$m"; }
    done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
    rm -rf --one-file-system "$dir"
}

# A chroot is usable when its stamp matches and every interpreter runs
# with its test package and venv module.
chroot_ok() {
    local dir="$1" v
    [ -f "$dir/.secrets-ci-stamp" ] || return 1
    [ "$(head -n 1 "$dir/.secrets-ci-stamp")" = "$stamp_text" ] || return 1
    for v in "${versions[@]}"; do
        [ -x "$dir/usr/bin/python$v" ] || return 1
        [ -f "$dir/usr/lib/python$v/test/test_secrets.py" ] || return 1
        [ -f "$dir/usr/lib/python$v/test/test_random.py" ] || return 1
        [ -d "$dir/usr/lib/python$v/ensurepip" ] || return 1
        chroot "$dir" "/usr/bin/python$v" -c 'import ensurepip, test.support, venv' 2>/dev/null || return 1
    done
}

chroot_fresh() {
    [ -n "$(find "$1/.secrets-ci-stamp" -mtime -"$max_days" 2>/dev/null)" ]
}

build_chroot() {
    local target="$1" mirror
    mirror="$(debian_mirror)"
    if ! command -v debootstrap >/dev/null; then
        echo "--- installing debootstrap"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    echo "--- debootstrap of Debian unstable from $mirror into $target"
    remove_tree "$target"
    mkdir -p "$(dirname "$target")"
    if ! debootstrap --variant=minbase --include="$include" sid "$target" "$mirror" \
        >"$cache/debootstrap.log" 2>&1; then
        tail -n 30 "$cache/debootstrap.log" >&2
        remove_tree "$target"
        return 1
    fi
    # Leave nothing that only this run needs: the downloaded packages.
    rm -f "$target"/var/cache/apt/archives/*.deb
    printf '%s\n%s\n' "$stamp_text" "$(date -u +%FT%TZ) from $mirror" >"$target/.secrets-ci-stamp"
}

# On any exit: unmount what this run mounted, and remove a half-made chroot
# (debootstrap mounts /proc and /sys inside it while it works).
mounted=()
unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}"
    done
    mounted=()
}
cleanup() {
    unmount_all
    if [ "$building" = 1 ]; then
        remove_tree "$chroot_dir.new"
    fi
}
building=0
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$cache"
# One run at a time uses (or rebuilds) the chroot.
exec 9>"$cache/debian-sid.lock"
flock 9
if chroot_ok "$chroot_dir" && chroot_fresh "$chroot_dir"; then
    echo "--- reusing the Debian unstable chroot ($(sed -n 2p "$chroot_dir/.secrets-ci-stamp"))"
elif building=1 && build_chroot "$chroot_dir.new" && chroot_ok "$chroot_dir.new"; then
    remove_tree "$chroot_dir"
    mv "$chroot_dir.new" "$chroot_dir"
    building=0
elif chroot_ok "$chroot_dir"; then
    remove_tree "$chroot_dir.new"
    echo "warning: could not rebuild the Debian unstable chroot; using the one from $(sed -n 2p "$chroot_dir/.secrets-ci-stamp")" >&2
else
    remove_tree "$chroot_dir.new"
    echo "error: no usable Debian unstable chroot (see $cache/debootstrap.log)" >&2
    exit 1
fi

for fs in proc dev; do
    mount --bind "/$fs" "$chroot_dir/$fs"
    mounted+=("$chroot_dir/$fs")
done

# pytest and what it needs on these versions: pure-Python wheels.
pytest_wheels="$cache/pytest-wheels"
rm -rf "$pytest_wheels"
"$host_python" -m pip download -q --disable-pip-version-check --only-binary=:all: \
    --python-version "${versions[0]}" -d "$pytest_wheels" pytest

# The wheel, the runner, pytest's wheels and the package's tests (with the
# files they read: the package README, scripts/ for the statistics) are
# copied in fresh; nothing else is shared.
inside=/var/tmp/secrets-ci
rm -rf --one-file-system "${chroot_dir:?}$inside"
mkdir -p "$chroot_dir$inside/wheels" "$chroot_dir$inside/repo"
cp "$wheel" "$runner" "$uuid7_check" "$chroot_dir$inside/"
cp "$pytest_wheels"/*.whl "$chroot_dir$inside/wheels/"
tar -cf - crates/secrets-py/tests crates/secrets-py/README.md scripts | tar -xf - -C "$chroot_dir$inside/repo"
wheel_name="$(basename "$wheel")"
in_chroot() {
    chroot "$chroot_dir" /usr/bin/env -i HOME="$inside" LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
        /bin/sh -c "cd $inside && $1"
}

for v in "${versions[@]}"; do
    echo "--- CPython $(in_chroot "python$v -c 'import platform; print(platform.python_version())'") (Debian unstable)"
    in_chroot "python$v -m venv venv-$v && venv-$v/bin/python -m pip install -q --no-index $wheel_name"
    in_chroot "venv-$v/bin/python conformance.py 2>conformance-$v.log" ||
        { cat "$chroot_dir$inside/conformance-$v.log" >&2; exit 1; }
    start=$SECONDS
    in_chroot "venv-$v/bin/python check_uuid7.py >uuid7-$v.log 2>&1" ||
        { cat "$chroot_dir$inside/uuid7-$v.log" >&2; exit 1; }
    tail -n 1 "$chroot_dir$inside/uuid7-$v.log"
    echo "    uuid7 vs the standard library: $((SECONDS - start)) s"
    in_chroot "venv-$v/bin/python -m pip install -q --no-index --find-links wheels pytest"
    status=0
    in_chroot "venv-$v/bin/python -m pytest -q -p no:cacheprovider repo/crates/secrets-py/tests" || status=$?
    pytest_passed "$status" "$v"
done
rm -rf --one-file-system "${chroot_dir:?}$inside"
unmount_all
echo "python package on Debian unstable: ${versions[*]} passed"
