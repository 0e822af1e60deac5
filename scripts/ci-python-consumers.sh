#!/usr/bin/env bash
# The consumers' own tests: projects that use `secrets` or
# `random.SystemRandom`, tested from their source distributions on the
# Python package registry, once stock and once with secrets_rs substituted;
# every test must have the same outcome in both runs.
#
#   bash scripts/ci-python-consumers.sh [WHEEL]   # scripts/ci-python.sh calls it
#
# WHEEL defaults to the one wheel in target/python-ci/wheels. Runs on pyenv's
# newest CPython 3.13 (SECRETS_CI_CONSUMERS_PYTHON: another minor version).
#
# - The source distributions are pinned below (version and sha256), fetched
#   with `pip download --no-binary NAME --no-deps` once and kept under
#   ~/.cache/secrets-ci/sdists (SECRETS_CI_CACHE). Beside them, a wheelhouse
#   made once with `pip wheel`: the projects built from those sdists, their
#   dependencies and the pinned test dependencies.
# - One virtual environment gets our wheel and everything else from that
#   wheelhouse (`pip install --no-index`). Each project's tests run from its
#   unpacked sdist, with its own pytest configuration.
# - The substituted run puts scripts/python/substitute first on PYTHONPATH:
#   its sitecustomize.py sets sys.modules['secrets'] and random.SystemRandom
#   to secrets_rs's before pytest or the project is imported. Both runs load
#   the plugin scripts/python/secrets_ci_plugin.py, which checks that the
#   expected `secrets` is the one the project's modules hold (and, when
#   substituted, that the tests called into the Rust extension).
# - scripts/python/compare_junit.py compares the two JUnit reports test by
#   test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
repo="$PWD"

cache="${SECRETS_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/secrets-ci}"
sdists="$cache/sdists"
work=target/python-ci/consumers
minor="${SECRETS_CI_CONSUMERS_PYTHON:-3.13}"

projects=(werkzeug pyotp passlib shortuuid)
# The pinned source distributions; each of these holds its tests.
declare -A version=(
    [werkzeug]=3.1.9
    [pyotp]=2.12.1
    [passlib]=1.7.4
    [shortuuid]=1.0.13
)
declare -A sha256=(
    [werkzeug]=55ca7c70a75689be937aa27f8ff4b018f06ff4838fc73045560bf0f5a1291060
    [pyotp]=8d0c4192f3c5d1b1a8792df23b9d8acbb7e70abd2b160962af55c5700edbd236
    [passlib]=defd50f72b65c5402ab2c573830a6978e5f202ad0d984793c8dde2c4152ebe04
    [shortuuid]=3bb9cf07f606260584b1df46399c0b87dd84773e7b25912b7e391e30797c5e72
)
# The test files run, relative to the unpacked sdist.
declare -A tests=(
    [werkzeug]=tests/test_security.py
    [pyotp]=test.py
    [passlib]=passlib/tests/test_pwd.py
    [shortuuid]=shortuuid/test_shortuuid.py
)
# Where each project keeps the `secrets` module or the SystemRandom it
# draws from: the plugin checks these hold the substituted objects.
declare -A users=(
    [werkzeug]="werkzeug.security:secrets"
    [pyotp]="pyotp.compat:random"
    [passlib]="passlib.utils:rng passlib.pwd:rng"
    [shortuuid]="shortuuid.main:secrets"
)
# The test dependencies: pytest, Werkzeug's conftest's port helper, and
# setuptools for pkg_resources, which passlib.pwd imports. pytest 8, not 9:
# pytest 9 prints each unittest subtest's progress while the test runs, and
# pyotp's test_oversized_otp_is_not_normalized, which patches the global
# unicodedata.normalize and asserts it is never called, then counts the
# terminal's own width computations and fails in both runs.
test_deps=(pytest==8.4.2 ephemeral-port-reserve==1.1.4 setuptools==80.9.0)

wheel="$(realpath "$(ci_wheel "${1:-}")")"

interp="$(pyenv_newest "$minor")"
if [ -z "$interp" ] || [ ! -x "$interp/bin/python3" ]; then
    echo "error: no pyenv CPython $minor" >&2
    exit 1
fi
python="$interp/bin/python3"
echo "--- consumers' tests on CPython $(basename "$interp"): ${projects[*]}"

sdist_of() { echo "$sdists/$1-${version[$1]}.tar.gz"; }
hash_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

start=$SECONDS
mkdir -p "$sdists"
# One run at a time fills the cache.
exec 9>"$cache/consumers.lock"
flock 9
for p in "${projects[@]}"; do
    sdist="$(sdist_of "$p")"
    if ! hash_ok "$sdist" "${sha256[$p]}"; then
        rm -f "$sdist"
        "$python" -m pip download -q --disable-pip-version-check --no-deps \
            --no-binary "$p" -d "$sdists" "$p==${version[$p]}"
        if ! hash_ok "$sdist" "${sha256[$p]}"; then
            echo "error: $sdist is missing or does not have the pinned sha256 ${sha256[$p]}" >&2
            exit 1
        fi
    fi
done

# Every wheel the environment needs, made once: the projects' built from
# their sdists, their dependencies and the test dependencies. Named after
# what went into it, so a change of pin or interpreter makes a new one; a
# warm run installs from it without the network.
sdist_files=()
requirements=()
for p in "${projects[@]}"; do
    sdist_files+=("$(sdist_of "$p")")
    requirements+=("$p==${version[$p]}")
done
key="$(printf '%s\n' "$("$python" -c 'import sys; print(sys.version)')" "${sha256[@]}" "${test_deps[@]}" |
    sha256sum | cut -c1-16)"
house="$cache/consumers-wheelhouse-$key"
if [ ! -f "$house/complete" ]; then
    # Older wheelhouses (other pins) go; this one is made afresh.
    rm -rf "$cache"/consumers-wheelhouse-*
    "$python" -m pip wheel -q --disable-pip-version-check -w "$house.tmp" \
        "${sdist_files[@]}" "${test_deps[@]}"
    touch "$house.tmp/complete"
    mv "$house.tmp" "$house"
fi

rm -rf "$work"
mkdir -p "$work/src" "$work/reports"
venv="$work/venv"
# No pip of its own: the interpreter's pip installs into it (faster).
"$python" -m venv --without-pip "$venv"
for p in "${projects[@]}"; do
    tar -xzf "$(sdist_of "$p")" -C "$work/src"
done
"$python" -m pip --python "$venv/bin/python" install -q --disable-pip-version-check \
    --no-index --find-links "$house" "$wheel" "${requirements[@]}" "${test_deps[@]}"
echo "    (sdists, builds and environment ready in $((SECONDS - start)) s)"

status=0
for p in "${projects[@]}"; do
    src="$work/src/$p-${version[$p]}"
    for test in ${tests[$p]}; do
        if [ ! -f "$src/$test" ]; then
            echo "error: the $p ${version[$p]} sdist has no $test" >&2
            exit 1
        fi
    done
    start=$SECONDS
    for impl in stock ours; do
        path="$repo/scripts/python"
        if [ "$impl" = ours ]; then
            path="$repo/scripts/python/substitute:$path"
        fi
        report="$repo/$work/reports/$p-$impl"
        run=0
        (cd "$src" && PYTHONPATH="$path" SECRETS_CI_IMPL="$impl" SECRETS_CI_USERS="${users[$p]}" \
            SECRETS_CI_REPORT="$report.json" PYTHONDONTWRITEBYTECODE=1 \
            "$repo/$venv/bin/python" -m pytest -q -p secrets_ci_plugin -p no:cacheprovider \
            --junitxml="$report.xml" ${tests[$p]} >"$report.log" 2>&1) || run=$?
        # 0: all passed, 1: some failed (compared below); anything else,
        # or a missing or unhappy plugin report, is a broken run.
        if [ "$run" -gt 1 ] || [ ! -f "$report.json" ] || [ ! -f "$report.xml" ] ||
            ! "$venv/bin/python" -c 'import json, sys; sys.exit(bool(json.load(open(sys.argv[1]))["problems"]))' "$report.json"; then
            cat "$report.log" >&2
            echo "error: $p ($impl) did not run cleanly (pytest status $run)" >&2
            exit 1
        fi
    done
    calls="$("$venv/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["rust_calls"])' "$work/reports/$p-ours.json")"
    "$venv/bin/python" scripts/python/compare_junit.py "$p ${version[$p]}" \
        "$work/reports/$p-stock.xml" "$work/reports/$p-ours.xml" || status=1
    echo "    ($p: ${users[$p]} held secrets_rs's objects; $calls calls into Rust; both runs in $((SECONDS - start)) s)"
done
if [ "$status" -ne 0 ]; then
    echo "error: a consumer's tests did not give the same outcome with secrets_rs (reports in $work/reports)" >&2
    exit 1
fi
echo "consumers: ${projects[*]} gave the same outcome, test by test, with secrets_rs"
