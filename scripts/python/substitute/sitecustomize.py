"""The substituted run of scripts/ci-python-consumers.sh.

This directory goes first on PYTHONPATH, so Python imports this file while it
starts, before pytest or the project under test: from then on ``import
secrets`` gives ``secrets_rs`` and ``random.SystemRandom`` is
``secrets_rs.SystemRandom``, as a user who substitutes them at start-up gets.
The pytest plugin ``secrets_ci_plugin`` checks that it held.
"""

import random
import sys

import secrets_rs

sys.modules['secrets'] = secrets_rs
random.SystemRandom = secrets_rs.SystemRandom
