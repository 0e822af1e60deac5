"""Chi-square and z tests without third-party packages.

Every check here is built to raise a false alarm with probability ALPHA
(about 1e-6) when the generator is right, so a suite of a few dozen checks
fails by chance about once in ten thousand runs; a biased generator fails
them almost surely at the sample sizes used.
"""

import math
import sys
from pathlib import Path

# The chi-square tail is the one scripts/proof_batteries.py judges ent's
# output with: one implementation for both. The tests run from a clone, so
# the script is three folders up from here.
sys.path.append(str(Path(__file__).resolve().parents[3] / 'scripts'))
from proof_batteries import chi_square_sf  # noqa: E402

ALPHA = 1e-6

# Two-sided normal tail: P(|Z| > 4.89) = 1.0e-6.
Z_LIMIT = 4.89


def chi_square_p(observed, expected):
    """The p-value of Pearson's chi-square statistic (df = bins - 1)."""
    assert len(observed) == len(expected) and len(observed) > 1
    assert min(expected) >= 5, 'too few expected counts per bin for chi-square'
    stat = sum((o - e) ** 2 / e for o, e in zip(observed, expected))
    return chi_square_sf(stat, len(observed) - 1)


def assert_uniform(counts, total=None, probabilities=None, what='counts'):
    """Fail (with false-alarm rate ALPHA) unless counts fit the distribution."""
    total = sum(counts) if total is None else total
    if probabilities is None:
        probabilities = [1 / len(counts)] * len(counts)
    expected = [p * total for p in probabilities]
    p = chi_square_p(counts, expected)
    assert p > ALPHA, f'{what}: chi-square p = {p:.3g} <= {ALPHA} for {counts}'


def assert_mean(samples, mean, variance, what='mean'):
    """Fail (false-alarm rate ALPHA) unless the sample mean fits `mean`."""
    n = len(samples)
    z = (math.fsum(samples) / n - mean) / math.sqrt(variance / n)
    assert abs(z) < Z_LIMIT, f'{what}: z = {z:.2f}, limit {Z_LIMIT}'
