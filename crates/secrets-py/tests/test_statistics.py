"""Uniformity and moments: what CPython's own tests do not check.

Each assertion has a false-alarm rate of about 1e-6 (see stats.py); the
sample sizes make a real bias of a few percent fail almost surely.
"""

import array
import collections
import itertools
import math
import random

import pytest

import secrets_rs
from stats import assert_mean, assert_uniform, chi_square_p, ALPHA

RNG = secrets_rs.SystemRandom()


def test_chi_square_helper_matches_known_quantiles():
    # Table values: df = 10, chi2 = 18.307 has p = 0.05; df = 1, 10.828 has 0.001.
    def p_of(stat, df):
        expected = [100.0] * (df + 1)
        observed = [100.0 + math.sqrt(stat * 100.0 / 2)] + [100.0] * (df - 1) + \
                   [100.0 - math.sqrt(stat * 100.0 / 2)]
        return chi_square_p(observed, expected)
    assert abs(p_of(18.307, 10) - 0.05) < 1e-4
    assert abs(p_of(10.828, 1) - 0.001) < 1e-5
    # And a biased die is caught.
    assert chi_square_p([1200, 1000, 1000, 1000, 1000, 800], [1000] * 6) < ALPHA


def counts_of(values, bins):
    counter = collections.Counter(values)
    assert set(counter) <= set(bins), set(counter) - set(bins)
    return [counter[b] for b in bins]


@pytest.mark.parametrize('n', [2, 7, 10, 255, 1000])
def test_randbelow_uniform(n):
    draws = 200 * n if n > 10 else 20000
    values = [secrets_rs.randbelow(n) for _ in range(draws)]
    assert_uniform(counts_of(values, range(n)), what=f'randbelow({n})')


def test_randbelow_big_bound_uniform_in_top_bits():
    n = 3 * 2 ** 200  # not a power of two: rejection sampling matters
    values = [secrets_rs.randbelow(n) * 12 // n for _ in range(24000)]
    assert_uniform(counts_of(values, range(12)), what='randbelow(3 * 2**200)')


@pytest.mark.parametrize('population', [list('abcdefghij'), tuple(range(10)), 'abcdefghij',
                                        range(100, 110)])
def test_choice_uniform(population):
    values = [secrets_rs.choice(population) for _ in range(30000)]
    assert_uniform(counts_of(values, list(population)), what='choice')
    values = [RNG.choice(population) for _ in range(30000)]
    assert_uniform(counts_of(values, list(population)), what='SystemRandom.choice')


def test_shuffle_uniform_over_permutations():
    perms = list(itertools.permutations(range(4)))
    seen = []
    for _ in range(24000):
        x = [0, 1, 2, 3]
        RNG.shuffle(x)
        seen.append(tuple(x))
    assert_uniform(counts_of(seen, perms), what='shuffle of 4')


def test_shuffle_large_list_positions_uniform():
    # Where element 0 of a 50-item list lands: uniform over 50 positions.
    landed = []
    for _ in range(10000):
        x = list(range(50))
        RNG.shuffle(x)
        landed.append(x.index(0))
    assert_uniform(counts_of(landed, range(50)), what='shuffle of 50')


def test_sample_small_population_uniform_over_arrangements():
    arrangements = list(itertools.permutations(range(5), 2))
    seen = [tuple(RNG.sample(range(5), 2)) for _ in range(20000)]
    assert_uniform(counts_of(seen, arrangements), what='sample(range(5), 2)')


def test_sample_large_population_uniform():
    # The set-based path (n much larger than k): each value's decile.
    seen = []
    for _ in range(2000):
        picks = RNG.sample(range(10 ** 6), 10)
        assert len(set(picks)) == 10
        seen.extend(p // 10 ** 5 for p in picks)
    assert_uniform(counts_of(seen, range(10)), what='sample(range(10**6), 10)')


def test_sample_list_population_uniform_inclusion():
    population = list('abcdefghijklmnopqrst')
    seen = []
    for _ in range(5000):
        seen.extend(RNG.sample(population, 4))
    assert_uniform(counts_of(seen, population), what='sample of a list')


def test_sample_with_counts_matches_counts():
    # Counts 0 to 4: each item is drawn in proportion to its count, and a
    # zero count never.
    counts = [1, 0, 2, 3, 4]
    values = [RNG.sample('abcde', 1, counts=counts)[0] for _ in range(30_000)]
    assert_uniform(counts_of(values, 'acde'), probabilities=[0.1, 0.2, 0.3, 0.4],
                   what='sample with counts')


def test_choices_unweighted_uniform():
    values = RNG.choices('abcdefgh', k=40000)
    assert_uniform(counts_of(values, 'abcdefgh'), what='choices')


def test_choices_weighted_matches_weights():
    weights = [1, 2, 3, 4, 10]
    values = RNG.choices('abcde', weights, k=40000)
    probabilities = [w / sum(weights) for w in weights]
    assert_uniform(counts_of(values, 'abcde'), probabilities=probabilities,
                   what='choices(weights=)')


def test_choices_float_weights_matches_weights():
    weights = [0.5, 1.5, 2.0]
    values = RNG.choices([10, 20, 30], weights=weights, k=30000)
    probabilities = [w / 4.0 for w in weights]
    assert_uniform(counts_of(values, [10, 20, 30]), probabilities=probabilities,
                   what='choices(float weights)')


def test_choices_array_weights_matches_weights():
    weights = array.array('d', [1.0, 2.0, 3.0, 4.0])
    values = RNG.choices('wxyz', weights, k=30_000)
    assert_uniform(counts_of(values, 'wxyz'), probabilities=[0.1, 0.2, 0.3, 0.4],
                   what='choices with array weights')


def test_choices_cumulative_matches_weights():
    cum = [1, 3, 6, 10]
    values = RNG.choices('wxyz', cum_weights=cum, k=40000)
    assert_uniform(counts_of(values, 'wxyz'), probabilities=[0.1, 0.2, 0.3, 0.4],
                   what='choices(cum_weights=)')


def test_choices_fraction_weights_matches_weights():
    from fractions import Fraction
    weights = [Fraction(1, 3), Fraction(2, 3)]
    values = RNG.choices('ab', weights, k=30000)
    assert_uniform(counts_of(values, 'ab'), probabilities=[1 / 3, 2 / 3],
                   what='choices(Fraction weights)')


@pytest.mark.parametrize('args', [(3, 100, 7), (100, 3, -7), (-50, 50, 5), (0, 10 ** 20, 10 ** 19)])
def test_randrange_with_step_uniform(args):
    allowed = list(range(*args))
    values = [RNG.randrange(*args) for _ in range(500 * len(allowed))]
    assert_uniform(counts_of(values, allowed), what=f'randrange{args}')


def test_randint_uniform_including_both_ends():
    values = [RNG.randint(-3, 3) for _ in range(14000)]
    assert_uniform(counts_of(values, range(-3, 4)), what='randint(-3, 3)')


def test_getrandbits_bits_balanced():
    # Every bit position of getrandbits(100) is 1 half the time.
    n = 20000
    ones = [0] * 100
    for _ in range(n):
        v = RNG.getrandbits(100)
        for i in range(100):
            ones[i] += (v >> i) & 1
    for i, count in enumerate(ones):
        assert_uniform([count, n - count], what=f'getrandbits bit {i}')


def test_randbytes_byte_values_uniform():
    data = RNG.randbytes(256 * 200)
    assert_uniform(counts_of(data, range(256)), what='randbytes')
    data = secrets_rs.token_bytes(256 * 200)
    assert_uniform(counts_of(data, range(256)), what='token_bytes')


N = 200000


def sample_of(method, *args):
    return [method(*args) for _ in range(N)]


def test_random_moments():
    xs = sample_of(RNG.random)
    assert all(0.0 <= x < 1.0 for x in xs)
    assert_mean(xs, 0.5, 1 / 12, 'random mean')
    assert_mean([(x - 0.5) ** 2 for x in xs], 1 / 12, 1 / 180, 'random variance')


def test_uniform_moments():
    xs = sample_of(RNG.uniform, -2.0, 6.0)
    assert all(-2.0 <= x <= 6.0 for x in xs)
    assert_mean(xs, 2.0, 64 / 12, 'uniform mean')


def test_gauss_moments():
    xs = sample_of(RNG.gauss, 1.0, 2.0)
    assert_mean(xs, 1.0, 4.0, 'gauss mean')
    # E[((x - mu) / sigma)^2] = 1, Var = 2 for a normal.
    assert_mean([((x - 1.0) / 2.0) ** 2 for x in xs], 1.0, 2.0, 'gauss variance')


def test_normalvariate_moments():
    xs = sample_of(RNG.normalvariate, -3.0, 0.5)
    assert_mean(xs, -3.0, 0.25, 'normalvariate mean')
    assert_mean([((x + 3.0) / 0.5) ** 2 for x in xs], 1.0, 2.0, 'normalvariate variance')


def test_expovariate_moments():
    xs = sample_of(RNG.expovariate, 4.0)
    assert_mean(xs, 0.25, 1 / 16, 'expovariate mean')


def test_triangular_moments():
    xs = sample_of(RNG.triangular, 0.0, 3.0, 1.0)
    mean = (0.0 + 3.0 + 1.0) / 3
    variance = (0 + 9 + 1 - 0 - 0 - 3) / 18
    assert_mean(xs, mean, variance, 'triangular mean')


def test_betavariate_moments():
    a, b = 2.0, 5.0
    xs = sample_of(RNG.betavariate, a, b)
    mean = a / (a + b)
    variance = a * b / ((a + b) ** 2 * (a + b + 1))
    assert_mean(xs, mean, variance, 'betavariate mean')


def test_gammavariate_moments():
    xs = sample_of(RNG.gammavariate, 3.0, 2.0)
    assert_mean(xs, 6.0, 12.0, 'gammavariate mean')


@pytest.mark.skipif(not hasattr(random.Random, 'binomialvariate'),
                    reason='binomialvariate is new in Python 3.12')
def test_binomialvariate_moments():
    xs = sample_of(RNG.binomialvariate, 20, 0.3)
    assert_mean(xs, 6.0, 20 * 0.3 * 0.7, 'binomialvariate mean')
