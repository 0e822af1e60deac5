# Shell shared by the CI scripts: `source scripts/lib.sh` from the
# repository's root. Functions only; nothing runs when it is sourced.

# The newest pyenv CPython of one minor version (e.g. 3.13): prints its
# directory (under `pyenv root`), or nothing when there is none.
pyenv_newest() {
    local root
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    ls -d "$root"/versions/"$1".* 2>/dev/null | grep -E '/3\.[0-9]+\.[0-9]+$' | sort -V | tail -n 1 || true
}

# The wheel a Python CI script tests: its argument when given (it must
# exist), else the one abi3 wheel scripts/ci-python.sh built in
# target/python-ci/wheels. Prints the path; exits with an error line
# otherwise.
ci_wheel() {
    local wheel="${1:-}" wheels
    if [ -z "$wheel" ]; then
        wheels=(target/python-ci/wheels/secrets_rs-*-abi3-*.whl)
        if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then
            echo "error: no single abi3 wheel in target/python-ci/wheels; run scripts/ci-python.sh first" >&2
            exit 1
        fi
        wheel="${wheels[0]}"
    fi
    if [ ! -f "$wheel" ]; then
        echo "error: wheel $wheel not found" >&2
        exit 1
    fi
    echo "$wheel"
}

# Ends the script unless pytest passed: its exit status $1 (5: it collected
# no tests, which fails too), on interpreter $2.
pytest_passed() {
    local status="$1" version="$2"
    if [ "$status" -eq 5 ]; then
        echo "error: pytest collected no tests on $version" >&2
        exit 1
    elif [ "$status" -ne 0 ]; then
        exit "$status"
    fi
}
