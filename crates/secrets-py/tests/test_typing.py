"""The shipped stubs type-check good code and reject what fails at run time.

Runs mypy --strict on small programs against the installed package's stubs.
Skipped when mypy is not installed (CI installs it: scripts/ci-python.sh).
"""

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip('mypy', reason='needs mypy: pip install mypy')


def mypy(tmp_path, source):
    path = tmp_path / 'program.py'
    path.write_text(textwrap.dedent(source))
    done = subprocess.run([sys.executable, '-m', 'mypy', '--strict', '--no-incremental',
                           '--cache-dir', str(tmp_path / 'cache'), str(path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)
    return done.returncode, done.stdout


def test_good_calls_check(tmp_path):
    code, out = mypy(tmp_path, '''
        import secrets_rs
        ok: bool = secrets_rs.compare_digest(b"a", b"b")
        ok = secrets_rs.compare_digest("a", "b")
        ok = secrets_rs.compare_digest(bytearray(b"a"), memoryview(b"b"))
        version: str = secrets_rs.__version__
        token: str = secrets_rs.token_hex(16)
    ''')
    assert code == 0, out


@pytest.mark.parametrize('call', ['secrets_rs.compare_digest("a", b"b")',
                                  'secrets_rs.compare_digest(b"a", "b")',
                                  'secrets_rs.compare_digest(a=b"a", b=b"b")'])
def test_calls_that_raise_are_rejected(tmp_path, call):
    code, out = mypy(tmp_path, f'''
        import secrets_rs
        {call}
    ''')
    assert code == 1 and 'error' in out, out
