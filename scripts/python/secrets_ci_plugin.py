"""A pytest plugin for scripts/ci-python-consumers.sh: which ``secrets`` ran.

Loaded with ``-p secrets_ci_plugin`` in both runs of a project's tests. The
environment says what to expect:

- ``SECRETS_CI_IMPL``: ``stock`` (the standard library's ``secrets`` and
  ``random.SystemRandom``) or ``ours`` (``secrets_rs`` substituted for both
  by ``substitute/sitecustomize.py``);
- ``SECRETS_CI_USERS``: space-separated ``module:attribute`` names in the
  project that must hold the expected ``secrets`` module, or an instance of
  the expected ``SystemRandom``;
- ``SECRETS_CI_REPORT``: where to write the findings as JSON.

Before collection, ``secrets`` and ``random.SystemRandom`` must be the
expected ones; after the run, every listed project attribute must hold them
and, for ``ours``, the tests must have called into the Rust extension. Any
problem is printed and makes pytest exit with status 3, and the JSON report
lists it, so a substitution that silently failed cannot look like a pass.
"""

import importlib
import json
import os
import random
import sys
import sysconfig

IMPL = os.environ.get('SECRETS_CI_IMPL', '')
USERS = os.environ.get('SECRETS_CI_USERS', '').split()
REPORT = os.environ.get('SECRETS_CI_REPORT', '')

_problems = []
_calls_before = None


def _expected():
    """The expected ``secrets`` module and ``SystemRandom`` class."""
    if IMPL == 'ours':
        import secrets_rs
        return secrets_rs, secrets_rs.SystemRandom
    import secrets
    return secrets, random.SystemRandom


def _check_start():
    if IMPL not in ('stock', 'ours'):
        _problems.append(f'SECRETS_CI_IMPL is {IMPL!r}, not stock or ours')
        return
    import secrets
    if IMPL == 'ours':
        import secrets_rs
        if secrets is not secrets_rs:
            _problems.append(f'import secrets gave {secrets!r}, not secrets_rs')
        if random.SystemRandom is not secrets_rs.SystemRandom:
            _problems.append(f'random.SystemRandom is {random.SystemRandom!r}, not secrets_rs\'s')
        if not secrets.token_bytes.__module__.startswith('secrets_rs'):
            _problems.append(f'secrets.token_bytes comes from {secrets.token_bytes.__module__}')
    else:
        stdlib = os.path.realpath(sysconfig.get_paths()['stdlib'])
        where = os.path.realpath(getattr(secrets, '__file__', '') or '')
        if os.path.dirname(where) != stdlib:
            _problems.append(f'stock run: secrets is {where}, not from {stdlib}')
        if secrets.token_bytes.__module__ != 'secrets':
            _problems.append(f'stock run: token_bytes comes from {secrets.token_bytes.__module__}')
        if random.SystemRandom.__module__ != 'random':
            _problems.append(f'stock run: random.SystemRandom is {random.SystemRandom!r}')
        if 'secrets_rs' in sys.modules:
            _problems.append('stock run: secrets_rs was imported')


def _rust_calls():
    counter = getattr(sys.modules.get('secrets_rs'), '_rust_calls', None)
    return counter() if counter is not None else None


def _check_end():
    module, cls = _expected()
    for user in USERS:
        name, _, attr = user.partition(':')
        try:
            value = getattr(importlib.import_module(name), attr)
        except Exception as exc:  # the report names whatever went wrong
            _problems.append(f'{user}: cannot read it ({exc!r})')
            continue
        if value is module or type(value) is cls:
            continue
        _problems.append(f'{user} is {value!r}, not the expected '
                         f'{module.__name__} or a {cls.__module__}.{cls.__name__}')
    if IMPL == 'ours' and _calls_before is not None:
        calls = _rust_calls() - _calls_before
        if calls <= 0:
            _problems.append('the tests made no call into the Rust extension')
        return calls
    return None


def pytest_configure(config):
    global _calls_before
    _check_start()
    _calls_before = _rust_calls() if IMPL == 'ours' else None


def pytest_sessionfinish(session, exitstatus):
    calls = _check_end()
    if REPORT:
        with open(REPORT, 'w', encoding='utf-8') as out:
            json.dump({'impl': IMPL, 'users': USERS, 'rust_calls': calls,
                       'problems': _problems}, out)
    if _problems:
        for problem in _problems:
            sys.stderr.write(f'secrets_ci_plugin: {problem}\n')
        session.exitstatus = 3


def pytest_report_header(config):
    import secrets
    return (f'secrets_ci_plugin: {IMPL} run, secrets is {secrets.__name__}, '
            f'random.SystemRandom from {random.SystemRandom.__module__}')
