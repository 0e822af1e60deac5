"""Chi-square and z tests without third-party packages.

Every check here is built to raise a false alarm with probability ALPHA
(about 1e-6) when the generator is right, so a suite of a few dozen checks
fails by chance about once in ten thousand runs; a biased generator fails
them almost surely at the sample sizes used.
"""

import math

ALPHA = 1e-6

# Two-sided normal tail: P(|Z| > 4.89) = 1.0e-6.
Z_LIMIT = 4.89


def _upper_gamma_regularized(a, x):
    """Q(a, x) = Gamma(a, x) / Gamma(a), by series or continued fraction."""
    if x <= 0:
        return 1.0
    gln = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return 1.0 - total * math.exp(-x + a * math.log(x) - gln)
    # Lentz's continued fraction.
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - gln) * h


def chi_square_p(observed, expected):
    """The p-value of Pearson's chi-square statistic (df = bins - 1)."""
    assert len(observed) == len(expected) and len(observed) > 1
    assert min(expected) >= 5, 'too few expected counts per bin for chi-square'
    stat = sum((o - e) ** 2 / e for o, e in zip(observed, expected))
    return _upper_gamma_regularized((len(observed) - 1) / 2, stat / 2)


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
