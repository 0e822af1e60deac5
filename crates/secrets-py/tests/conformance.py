"""CPython's own tests, run unmodified against secrets_rs by substitution.

Run with the interpreter under test, in a virtual environment where the
secrets-rs wheel is installed:

    python conformance.py                   # this interpreter's own test files
    python conformance.py --newer DIR ...   # also a newer release's Lib/test

The test files are never copied: they are imported from the interpreter's
own ``test`` package (or, for ``--newer``, loaded from the given directory
of another CPython's ``Lib/test``). Before a test module runs,
``sys.modules['secrets']`` is ``secrets_rs`` and ``random.SystemRandom`` is
``secrets_rs.SystemRandom``; afterwards the script checks that the test
module really held our objects and that the tests called into the Rust
extension, so a substitution that silently failed cannot pass.

For a newer release's files, some tests check behaviour this interpreter
does not have. Each such file runs twice in fresh processes, once against
secrets_rs and once against the interpreter's own ``random.SystemRandom``
and ``secrets``, and every test's outcome must be the same in both.

Exit status 0 when everything held; the closing line reads
``conformance: N passed, N failed``.
"""

import argparse
import importlib
import importlib.util
import json
import os
import random
import subprocess
import sys
import unittest

TESTS = {
    # file name -> the test classes to run (None: the whole module)
    'test_secrets': None,
    'test_random': ['SystemRandom_TestBasicOps'],
}


class OutcomeResult(unittest.TextTestResult):
    """A result that remembers each test's outcome by test id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def _set(self, test, outcome):
        test_id = test.id().split('.', 1)[-1]  # drop the module's name
        # A test with failing subtests counts as failed.
        if self.outcomes.get(test_id) in ('fail', 'error'):
            return
        self.outcomes[test_id] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._set(test, 'pass')

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, 'fail')

    def addError(self, test, err):
        super().addError(test, err)
        self._set(test, 'error')

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._set(test, 'skip')

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._set(test, 'fail' if failed else 'error')

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, 'xfail')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, 'xpass')


def substitute(impl):
    """Make 'secrets' and 'random.SystemRandom' ours (impl == 'ours')."""
    if impl == 'ours':
        import secrets_rs
        sys.modules['secrets'] = secrets_rs
        random.SystemRandom = secrets_rs.SystemRandom
        return secrets_rs
    import secrets
    return secrets


def load(name, directory):
    """The test module `name`: this interpreter's own, or from `directory`."""
    if directory is None:
        return importlib.import_module('test.' + name)
    allow_newer_support_names()
    path = os.path.join(directory, name + '.py')
    spec = importlib.util.spec_from_file_location('newer_' + name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def allow_newer_support_names():
    """Let a newer test file import on an older interpreter.

    A newer file's module body may use helpers this interpreter's
    ``test.support`` lacks (``requires_fork`` in 3.13's test_random, for
    classes not run here). Unknown names become decorators that skip what
    they decorate. Both runs being compared (ours and the interpreter's own)
    see the same stand-ins, so they cannot favour either side.
    """
    import test.support

    def missing(name):
        def stand_in(*args, **kwargs):
            if len(args) == 1 and callable(args[0]) and not kwargs:
                return unittest.skip(f'test.support.{name} is newer')(args[0])
            return unittest.skip(f'test.support.{name} is newer')
        return stand_in

    test.support.__getattr__ = missing


def check_substitution(name, module, ours):
    """Raise unless `module` holds our objects."""
    if name == 'test_secrets':
        if module.secrets is not ours:
            raise AssertionError(f'{name}.secrets is {module.secrets!r}, not secrets_rs')
    else:
        gen = module.SystemRandom_TestBasicOps.gen
        if not isinstance(gen, ours.SystemRandom):
            raise AssertionError(f'{name}: gen is {gen!r}, not a secrets_rs.SystemRandom')
        if module.random.SystemRandom is not ours.SystemRandom:
            raise AssertionError(f'{name}: random.SystemRandom is not ours')


def run_file(name, directory, impl, verbosity):
    """Run one test file; return {test id: outcome} and the Rust calls made."""
    ours = substitute(impl)
    module = load(name, directory)
    if impl == 'ours':
        check_substitution(name, module, ours)
    loader = unittest.TestLoader()
    classes = TESTS[name]
    if classes is None:
        suite = loader.loadTestsFromModule(module)
    else:
        suite = unittest.TestSuite(
            loader.loadTestsFromTestCase(getattr(module, c)) for c in classes)
    before = ours._rust_calls() if impl == 'ours' else 0
    runner = unittest.TextTestRunner(verbosity=verbosity, resultclass=OutcomeResult,
                                     stream=sys.stderr)
    result = runner.run(suite)
    calls = (ours._rust_calls() - before) if impl == 'ours' else 0
    return result.outcomes, calls


def child(args):
    """One file, one implementation, in this process: print the outcomes."""
    outcomes, calls = run_file(args.child, args.directory, args.impl, 0)
    print(json.dumps({'outcomes': outcomes, 'calls': calls}))


def run_child(name, directory, impl):
    cmd = [sys.executable, os.path.abspath(__file__), '--child', name, '--impl', impl]
    if directory is not None:
        cmd += ['--directory', directory]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f'{name} ({impl}) crashed with status {done.returncode}')
    return json.loads(done.stdout.strip().splitlines()[-1])


# Fewer calls than this into Rust means the tests did not use our objects
# (test_random's SystemRandom tests make tens of thousands).
MIN_CALLS = {'test_secrets': 50, 'test_random': 10000}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--newer', action='append', default=[],
                        help="another CPython's Lib/test directory")
    parser.add_argument('--child', help=argparse.SUPPRESS)
    parser.add_argument('--impl', default='ours', help=argparse.SUPPRESS)
    parser.add_argument('--directory', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0

    version = '%d.%d' % sys.version_info[:2]
    passed = failed = 0
    problems = []
    for name in TESTS:
        got = run_child(name, None, 'ours')
        outcomes = got['outcomes']
        bad = sorted(t for t, o in outcomes.items() if o not in ('pass', 'skip'))
        ran = sum(o == 'pass' for o in outcomes.values())
        print(f'{version} own {name}: {ran} passed, {len(bad)} failed, '
              f'{len(outcomes) - ran - len(bad)} skipped; {got["calls"]} calls into Rust')
        if got['calls'] < MIN_CALLS[name]:
            problems.append(f'{name}: only {got["calls"]} calls into Rust')
        if ran == 0:
            problems.append(f'{name}: no test ran')
        problems += [f'{version} own {name}: {t} {outcomes[t]}' for t in bad]
        passed += ran
        failed += len(bad)

    for directory in args.newer:
        for name in TESTS:
            ours = run_child(name, directory, 'ours')
            own = run_child(name, directory, 'own')
            same = differ = 0
            lacking = []
            for test in sorted(set(ours['outcomes']) | set(own['outcomes'])):
                a = ours['outcomes'].get(test, 'missing')
                b = own['outcomes'].get(test, 'missing')
                if a == b:
                    same += 1
                    if a in ('fail', 'error'):
                        lacking.append(test)
                else:
                    differ += 1
                    problems.append(f'{version} newer {directory} {name}: {test}: '
                                    f'secrets_rs {a}, own SystemRandom {b}')
            note = ('; failing on both (behaviour this interpreter lacks): '
                    + ', '.join(lacking)) if lacking else ''
            print(f'{version} newer {name} from {directory}: {same} same outcome, '
                  f'{differ} different{note}; {ours["calls"]} calls into Rust')
            if ours['calls'] < MIN_CALLS[name]:
                problems.append(f'newer {name}: only {ours["calls"]} calls into Rust')
            passed += same
            failed += differ

    for problem in problems:
        print('FAILED:', problem)
    print(f'conformance: {passed} passed, {failed} failed')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
