#!/usr/bin/env bash
# The names beyond the standard library (issue 20), checked by the tools
# their users already trust, against the installed wheel:
#
#   bash scripts/ci-python-extras.sh [WHEEL [PYTHON]]   # scripts/ci-python.sh calls it
#
# WHEEL defaults to the one wheel in target/python-ci/wheels, PYTHON to
# python3. A fresh virtual environment (target/python-ci/venv-extras) gets
# the wheel and the pinned checkers (pip's downloads cached under
# ~/.cache/pip); oathtool is installed with apt-get when missing (needs
# root then). Each script in crates/secrets-py/tests/trusted runs from
# outside the repository, so only the installed wheel is seen:
#   check_pyotp.py          TOTP secrets, URIs, codes by pyotp
#   check_oathtool.py       TOTP codes by oathtool
#   check_fernet.py         Fernet keys by cryptography
#   check_uuid7.py          uuid7() by Python's uuid (and 3.14+'s uuid7)
#   check_ulid.py           ulid() by python-ulid
#   check_api_keys.py       verify_api_key on every key and one-character change
#   check_password_rules.py the real-sites corpus, by a passwordrules checker
#                           written from the specification
#                           (../shared/data/password-rules/password-rules.json
#                           beside the clone; missing is an error)
#   check_uniformity.py     the project's one chi-square harness (assert_cells
#                           of crates/secrets-py/tests/test_extras.py, hence
#                           pytest) on passwords under 12 of those sites'
#                           rules; false-alarm rate 1e-6 in all
# test_extras.py applies the same harness to every other generator (run by
# pytest in ci-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

PINS=(pyotp==2.12.1 cryptography==50.0.2 python-ulid==4.1.0 pytest==9.2.0)
work=target/python-ci
venv="$work/venv-extras"
trusted=crates/secrets-py/tests/trusted
corpus="$PWD/../shared/data/password-rules/password-rules.json"

source scripts/lib.sh
wheel="$(ci_wheel "${1:-}")"
python="${2:-python3}"
if [ ! -f "$corpus" ]; then
    echo "error: the password-rules corpus is missing: ../shared/data/password-rules/password-rules.json beside the clone" >&2
    exit 1
fi

start=$SECONDS
if ! command -v oathtool >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq oathtool >/dev/null
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --cache-dir "${XDG_CACHE_HOME:-$HOME/.cache}/pip" \
    "$wheel" "${PINS[@]}"
echo "    set-up: $((SECONDS - start)) s ($("$venv/bin/python" -c 'import platform; print(platform.python_version())'), ${PINS[*]}, $(oathtool --version | head -n 1))"

failed=()
for check in check_pyotp check_oathtool check_fernet check_uuid7 check_ulid check_api_keys check_password_rules check_uniformity; do
    start=$SECONDS
    args=()
    case "$check" in check_password_rules | check_uniformity) args=("$corpus") ;; esac
    if (cd "$work" && "$OLDPWD/$venv/bin/python" "$OLDPWD/$trusted/$check.py" "${args[@]}" >"$check.log" 2>&1); then
        grep -v "^ok " "$work/$check.log" || true
    else
        cat "$work/$check.log" >&2
        failed+=("$check")
    fi
    echo "    $check: $((SECONDS - start)) s"
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "error: failed: ${failed[*]}" >&2
    exit 1
fi
echo "the names beyond the standard library: every trusted checker agrees"
