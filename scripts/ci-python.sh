#!/usr/bin/env bash
# The Python package (crates/secrets-py): build the one abi3 wheel, then prove
# it on every CPython from 3.9 on that pyenv has.
#
#   bash scripts/ci-python.sh            # what .ci/run does
#   SECRETS_PY_BENCH=1 bash scripts/ci-python.sh   # also the benchmark
#
# Needs: pyenv's CPython 3.9 and newer, each with its `test` package (the
# project's image has 3.9 to 3.13), and the Python package registry for
# maturin, pytest and mypy. Everything is built under target/python-ci.
#
# 1. The wheel is built once, with pip from the package directory (the
#    README's `pip install ./crates/secrets-py` path; maturin is the build
#    backend).
# 2. For each interpreter, a fresh virtual environment gets that wheel and:
#    - CPython's own test_secrets and test_random's SystemRandom tests,
#      unmodified, by substitution (tests/conformance.py), plus the newest
#      interpreter's test files compared against this interpreter's own
#      SystemRandom;
#    - our pytest suites (tests/test_*.py).
# 3. mypy --strict on the example program, with the shipped stubs; then the
#    names beyond the standard library checked by the tools users trust
#    (pyotp, oathtool, cryptography, uuid, python-ulid, a passwordrules
#    checker over the real-sites corpus; scripts/ci-python-extras.sh, on
#    the newest interpreter; under a minute warm).
# 4. The same wheel on the releases pyenv lacks, 3.14 and 3.15, in a Debian
#    unstable chroot kept under ~/.cache/secrets-ci
#    (scripts/ci-python-debian.sh; needs root).
# 5. The consumers' own tests (Werkzeug, pyotp, passlib, shortuuid), from
#    their pinned source distributions, stock and with secrets_rs
#    substituted: the same outcome, test by test
#    (scripts/ci-python-consumers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

work=target/python-ci
pkg=crates/secrets-py
root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"

interpreters=()
for minor in $(seq 9 20); do
    best="$(pyenv_newest 3."$minor")"
    [ -n "$best" ] || continue
    if [ -x "$best/bin/python3" ] && [ -f "$best/lib/python3.$minor/test/test_random.py" ]; then
        interpreters+=("$best")
    else
        echo "skipping $best: no python3 or no test package" >&2
    fi
done
if [ "${#interpreters[@]}" -eq 0 ]; then
    echo "error: no CPython 3.9+ with its test package under $root/versions" >&2
    exit 1
fi
newest="${interpreters[-1]}"
newest_minor="$(basename "$newest" | cut -d. -f1,2)"
newest_tests="$newest/lib/python$newest_minor/test"
echo "interpreters: ${interpreters[*]##*/}"

rm -rf "$work"
mkdir -p "$work/wheels"

echo "--- building the wheel (pip wheel ./$pkg, maturin backend)"
"$newest/bin/python3" -m venv "$work/build"
"$work/build/bin/python" -m pip install -q --upgrade pip
# The release build's target directory is kept in the cache, so a warm run
# compiles only the workspace's crates, not every dependency again. Those
# are cleaned first: cargo judges a path crate fresh by the files its last
# build read, and a build from another checkout (another path, still on
# disk) would otherwise pass for this one's.
wheel_target="${XDG_CACHE_HOME:-$HOME/.cache}/secrets-ci/wheel-target"
CARGO_TARGET_DIR="$wheel_target" cargo clean -q --release \
    -p secrets-kit -p secrets-kit-gen -p secrets-kit-otp -p secrets-kit-tokens -p secrets-kit-py
CARGO_TARGET_DIR="$wheel_target" \
    "$work/build/bin/python" -m pip wheel -q --no-deps -w "$work/wheels" "./$pkg"
wheels=("$work"/wheels/secrets_rs-*-abi3-*.whl)
if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then
    echo "error: expected exactly one abi3 wheel in $work/wheels" >&2
    ls -l "$work/wheels" >&2
    exit 1
fi
wheel="${wheels[0]}"
echo "wheel: ${wheel##*/}"
# The stubs and marker ship in the wheel.
"$work/build/bin/python" - "$wheel" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
for needed in ('secrets_rs/__init__.py', 'secrets_rs/__init__.pyi', 'secrets_rs/py.typed'):
    assert needed in names, f'{needed} missing from the wheel: {sorted(names)}'
print('wheel holds __init__.py, __init__.pyi, py.typed')
EOF

for interp in "${interpreters[@]}"; do
    version="$(basename "$interp")"
    venv="$work/venv-$version"
    echo "--- CPython $version"
    "$interp/bin/python3" -m venv "$venv"
    "$venv/bin/python" -m pip install -q "$wheel" pytest
    newer=()
    if [ "$interp" != "$newest" ]; then
        newer=(--newer "$newest_tests")
    fi
    # Run from outside the repository, so only the installed wheel is seen.
    (cd "$work" && "$OLDPWD/$venv/bin/python" "$OLDPWD/$pkg/tests/conformance.py" "${newer[@]}" 2>conformance-"$version".log) ||
        { cat "$work/conformance-$version.log" >&2; exit 1; }
    status=0
    (cd "$work" && "$OLDPWD/$venv/bin/python" -m pytest -q -p no:cacheprovider "$OLDPWD/$pkg/tests") || status=$?
    pytest_passed "$status" "$version"
done

echo "--- typing: mypy --strict on the example, with the shipped stubs"
venv="$work/venv-$(basename "$newest")"
"$venv/bin/python" -m pip install -q mypy
(cd "$work" && "$OLDPWD/$venv/bin/python" -m mypy --strict --no-incremental "$OLDPWD/$pkg/examples/typed_usage.py")
(cd "$work" && "$OLDPWD/$venv/bin/python" "$OLDPWD/$pkg/examples/typed_usage.py" >/dev/null)
# The names beyond the standard library, every one used (tests/test_extras.py
# runs the same check where pytest has mypy).
(cd "$work" && "$OLDPWD/$venv/bin/python" -m mypy --strict --no-incremental "$OLDPWD/$pkg/tests/typing_extras.py")
(cd "$work" && "$OLDPWD/$venv/bin/python" "$OLDPWD/$pkg/tests/typing_extras.py" >/dev/null)

echo "--- benchmark smoke run (figures: SECRETS_PY_BENCH=1, or BENCHMARKS.md)"
"$venv/bin/python" "$pkg/benchmarks/bench.py" --quick >/dev/null
"$venv/bin/python" "$pkg/benchmarks/gil.py" --size 1000 >/dev/null
"$venv/bin/python" "$pkg/benchmarks/gil.py" --size 1000 --extras >/dev/null

echo "--- beyond the standard library, by the tools users trust (scripts/ci-python-extras.sh)"
start=$SECONDS; bash scripts/ci-python-extras.sh "$wheel" "$newest/bin/python3"; echo "    ($((SECONDS - start)) s)"

echo "--- CPython 3.14 and 3.15: Debian unstable in a chroot (scripts/ci-python-debian.sh)"
start=$SECONDS
bash scripts/ci-python-debian.sh "$wheel" "$venv/bin/python"
echo "    ($((SECONDS - start)) s)"

echo "--- the consumers' own tests (scripts/ci-python-consumers.sh)"
start=$SECONDS
bash scripts/ci-python-consumers.sh "$wheel"
echo "    ($((SECONDS - start)) s)"

if [ "${SECRETS_PY_BENCH:-0}" = 1 ]; then
    echo "--- benchmark"
    for interp in "${interpreters[@]}"; do
        "$work/venv-$(basename "$interp")/bin/python" "$pkg/benchmarks/bench.py"
    done
fi
echo "python package: all interpreters passed (${interpreters[*]##*/}, 3.14, 3.15), and the consumers' tests"
