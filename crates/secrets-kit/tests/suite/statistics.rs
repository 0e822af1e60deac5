//! Statistical tests of the samplers against the kernel source.
//!
//! False-alarm rate: every chi-square test rejects at the critical value of
//! significance 1e-6 (computed with `statrs`), so a correct sampler fails
//! one such test once in a million runs. The moment tests compare sample
//! means and variances with their known values and reject beyond 6
//! standard errors: a nominal 2e-9 per check under the normal
//! approximation, leaving room for the heavier tails of the variance
//! estimate with skewed distributions; over the ~60 checks of this file the
//! total stays below 1e-6.
//!
//! Power: 1e-6 at 100 000 draws still catches a 2% bias in one cell of a
//! 3-cell chi-square, and the moment checks catch a mean off by 2% of a
//! standard deviation.

// Big integers appear throughout; the file needs the default feature.
#![cfg(feature = "bigint")]

use crate::common;

use std::collections::HashMap;

use common::assert_uniform;
use num_bigint::BigUint;
use secrets_kit::{SystemRandom, sequences::Weights};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::gamma::gamma;

/// Significance of every chi-square test.
const ALPHA: f64 = 1e-6;
/// Standard errors allowed in the moment tests.
const Z: f64 = 6.0;

/// Counts of `draw()` over `n` draws, for values in `0..cells`.
fn tally(cells: usize, n: usize, mut draw: impl FnMut() -> usize) -> Vec<u64> {
    let mut counts = vec![0u64; cells];
    for _ in 0..n {
        counts[draw()] += 1;
    }
    counts
}

#[test]
fn randbelow_3_7_and_257_are_uniform() {
    let n = 200_000;
    for bound in [3u16, 7, 257] {
        let counts = tally(usize::from(bound), n, || {
            usize::from(secrets_kit::randbelow(bound))
        });
        assert_uniform(&format!("randbelow({bound})"), &counts);
    }
    // 2^k + 1 in other widths: the worst case for rejection (almost half).
    let counts = tally(65_537, 1_000_000, || {
        usize::try_from(secrets_kit::randbelow(65_537u64)).unwrap()
    });
    assert_uniform("randbelow(65537u64)", &counts);
}

#[test]
fn wide_and_big_randbelow_are_uniform_in_their_top_part() {
    // n = 3 * 2^125 (u128) and n = 3 * 2^300 (BigUint): the value's top part,
    // value / 2^125 or value / 2^300, must be uniform over 0..3.
    let n = 100_000;
    let bound = 3u128 << 125;
    let counts = tally(3, n, || {
        usize::try_from(secrets_kit::randbelow(bound) >> 125).unwrap()
    });
    assert_uniform("randbelow(3 << 125)", &counts);
    let big: BigUint = BigUint::from(3u8) << 300;
    let counts = tally(3, n, || {
        let top: BigUint = secrets_kit::randbelow(big.clone()) >> 300;
        usize::try_from(top).unwrap()
    });
    assert_uniform("randbelow(3 << 300)", &counts);
}

#[test]
fn randint_over_a_whole_type_is_uniform() {
    // The full-width path (the range does not fit the type): i8 and u8.
    let rng = SystemRandom::new();
    let counts = tally(256, 512_000, || {
        usize::from(rng.randint(i8::MIN, i8::MAX).unwrap() as u8)
    });
    assert_uniform("randint(i8::MIN, i8::MAX)", &counts);
    let counts = tally(256, 512_000, || {
        usize::from(rng.randint(0u8, u8::MAX).unwrap())
    });
    assert_uniform("randint(0, u8::MAX)", &counts);
}

#[test]
fn randrange_with_steps_is_uniform() {
    let rng = SystemRandom::new();
    // 10, 7, 4, 1.
    let counts = tally(4, 100_000, || {
        usize::try_from((10 - rng.randrange_step(10i32, 0, -3).unwrap()) / 3).unwrap()
    });
    assert_uniform("randrange(10, 0, -3)", &counts);
}

#[test]
fn choice_is_uniform() {
    let rng = SystemRandom::new();
    let items = ["a", "b", "c", "d", "e"];
    let counts = tally(5, 100_000, || {
        let pick = rng.choice(&items).unwrap();
        items.iter().position(|i| i == pick).unwrap()
    });
    assert_uniform("choice of 5", &counts);
    let counts = tally(5, 100_000, || {
        let pick = secrets_kit::choice(&items).unwrap();
        items.iter().position(|i| i == pick).unwrap()
    });
    assert_uniform("secrets_kit::choice of 5", &counts);
}

#[test]
fn shuffle_gives_all_24_orders_of_4_equally() {
    let rng = SystemRandom::new();
    let mut index: HashMap<[u8; 4], usize> = HashMap::new();
    let counts = tally(24, 240_000, || {
        let mut items = [0u8, 1, 2, 3];
        rng.shuffle(&mut items);
        let next = index.len();
        *index.entry(items).or_insert(next)
    });
    assert_eq!(index.len(), 24);
    assert_uniform("shuffle of 4", &counts);
}

#[test]
fn sample_gives_all_ordered_pairs_equally() {
    // Both of Python's methods: the pool (n = 5) and the set (n = 30, k = 2,
    // binned by the first pick and whether the second is above it).
    let rng = SystemRandom::new();
    let population = [0usize, 1, 2, 3, 4];
    let counts = tally(20, 200_000, || {
        let pair = rng.sample(&population, 2).unwrap();
        let (a, b) = (*pair[0], *pair[1]);
        a * 4 + if b > a { b - 1 } else { b }
    });
    assert_uniform("sample(5, 2)", &counts);

    let population: Vec<usize> = (0..30).collect();
    let counts = tally(30 * 29, 870_000, || {
        let pair = rng.sample(&population, 2).unwrap();
        let (a, b) = (*pair[0], *pair[1]);
        a * 29 + if b > a { b - 1 } else { b }
    });
    assert_uniform("sample(30, 2)", &counts);

    // With counts: 1 'a', 2 'b', 3 'c' drawn one at a time is weighted 1:2:3,
    // so 'b' and 'c' scaled down match 'a'.
    let draws = 120_000;
    let mut by_item = [0u64; 3];
    for _ in 0..draws {
        let pick = rng.sample_counts(&[0usize, 1, 2], &[1, 2, 3], 1).unwrap();
        by_item[*pick[0]] += 1;
    }
    let expected = [1.0, 2.0, 3.0].map(|w| w / 6.0 * f64::from(draws));
    let statistic: f64 = by_item
        .iter()
        .zip(expected)
        .map(|(&o, e)| (o as f64 - e).powi(2) / e)
        .sum();
    let critical = ChiSquared::new(2.0).unwrap().inverse_cdf(1.0 - ALPHA);
    assert!(statistic < critical, "sample counts: {by_item:?}");
}

#[test]
fn choices_follow_their_weights() {
    let rng = SystemRandom::new();
    let population = [0usize, 1, 2, 3];
    let weights = [1.0, 2.0, 3.0, 4.0];
    let draws = 200_000usize;
    for (name, w) in [
        ("weights", Weights::Relative(&weights)),
        ("cum_weights", Weights::Cumulative(&[1.0, 3.0, 6.0, 10.0])),
    ] {
        let mut counts = [0u64; 4];
        for pick in rng.choices(&population, w, draws).unwrap() {
            counts[*pick] += 1;
        }
        let statistic: f64 = counts
            .iter()
            .zip(weights)
            .map(|(&o, w)| {
                let e = w / 10.0 * draws as f64;
                (o as f64 - e).powi(2) / e
            })
            .sum();
        let critical = ChiSquared::new(3.0).unwrap().inverse_cdf(1.0 - ALPHA);
        assert!(statistic < critical, "{name}: {counts:?}");
    }
    let counts = tally(4, draws, || {
        *rng.choices(&population, Weights::Equal, 1).unwrap()[0]
    });
    assert_uniform("choices unweighted", &counts);
}

/// Known moments of a distribution: mean, variance and excess kurtosis
/// (for the standard error of the sample variance).
struct Moments {
    mean: f64,
    variance: f64,
    excess_kurtosis: f64,
}

impl Moments {
    /// Uniform on `[a, b)`.
    fn uniform(a: f64, b: f64) -> Self {
        Moments {
            mean: (a + b) / 2.0,
            variance: (b - a).powi(2) / 12.0,
            excess_kurtosis: -1.2,
        }
    }

    /// Triangular on `[a, b]` with mode `c`.
    fn triangular(a: f64, b: f64, c: f64) -> Self {
        Moments {
            mean: (a + b + c) / 3.0,
            variance: (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0,
            excess_kurtosis: -0.6,
        }
    }

    /// Normal with mean `mu` and standard deviation `sigma`.
    fn normal(mu: f64, sigma: f64) -> Self {
        Moments {
            mean: mu,
            variance: sigma * sigma,
            excess_kurtosis: 0.0,
        }
    }
}

fn assert_moments(what: &str, n: usize, expected: &Moments, mut draw: impl FnMut() -> f64) {
    let xs: Vec<f64> = (0..n).map(|_| draw()).collect();
    let nf = n as f64;
    let mean = xs.iter().sum::<f64>() / nf;
    let variance = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0);
    let mean_error = (expected.variance / nf).sqrt();
    let variance_error = expected.variance * ((expected.excess_kurtosis + 2.0) / nf).sqrt();
    assert!(
        (mean - expected.mean).abs() <= Z * mean_error,
        "{what}: mean {mean} vs {} (standard error {mean_error})",
        expected.mean
    );
    assert!(
        (variance - expected.variance).abs() <= Z * variance_error,
        "{what}: variance {variance} vs {} (standard error {variance_error})",
        expected.variance
    );
}

const N: usize = 100_000;

#[test]
fn uniform_and_triangular_moments() {
    let rng = SystemRandom::new();
    assert_moments("uniform(2, 5)", N, &Moments::uniform(2.0, 5.0), || {
        rng.uniform(2.0, 5.0)
    });
    assert_moments("random()", N, &Moments::uniform(0.0, 1.0), || rng.random());
    let moments = Moments::triangular(0.0, 10.0, 2.0);
    assert_moments("triangular(0, 10, 2)", N, &moments, || {
        rng.triangular(0.0, 10.0, 2.0)
    });
    // No mode: the midpoint.
    let moments = Moments::triangular(0.0, 1.0, 0.5);
    assert_moments("triangular(0, 1)", N, &moments, || {
        rng.triangular(0.0, 1.0, None)
    });
}

#[test]
fn normal_gauss_and_lognormal_moments() {
    let rng = SystemRandom::new();
    assert_moments("normalvariate(3, 2)", N, &Moments::normal(3.0, 2.0), || {
        rng.normalvariate(3.0, 2.0)
    });
    let mut gauss_rng = SystemRandom::new();
    assert_moments("gauss(-1, 0.5)", N, &Moments::normal(-1.0, 0.5), || {
        gauss_rng.gauss(-1.0, 0.5)
    });
    let s2: f64 = 0.25;
    let moments = Moments {
        mean: (s2 / 2.0).exp(),
        variance: (s2.exp() - 1.0) * s2.exp(),
        excess_kurtosis: (4.0 * s2).exp() + 2.0 * (3.0 * s2).exp() + 3.0 * (2.0 * s2).exp() - 6.0,
    };
    assert_moments("lognormvariate(0, 0.5)", N, &moments, || {
        rng.lognormvariate(0.0, 0.5).unwrap()
    });
}

#[test]
fn exponential_pareto_and_weibull_moments() {
    let rng = SystemRandom::new();
    let moments = Moments {
        mean: 1.0 / 1.5,
        variance: 1.0 / 2.25,
        excess_kurtosis: 6.0,
    };
    assert_moments("expovariate(1.5)", N, &moments, || {
        rng.expovariate(1.5).unwrap()
    });
    // Pareto(alpha) with x_m = 1.
    let a: f64 = 10.0;
    let moments = Moments {
        mean: a / (a - 1.0),
        variance: a / ((a - 1.0).powi(2) * (a - 2.0)),
        excess_kurtosis: 6.0 * (a.powi(3) + a.powi(2) - 6.0 * a - 2.0)
            / (a * (a - 3.0) * (a - 4.0)),
    };
    assert_moments("paretovariate(10)", N, &moments, || {
        rng.paretovariate(a).unwrap()
    });
    // Weibull(scale, shape): raw moments scale^n Gamma(1 + n / shape).
    let (scale, shape) = (2.0f64, 1.5f64);
    let raw = |n: f64| scale.powf(n) * gamma(1.0 + n / shape);
    let (m1, m2, m3, m4) = (raw(1.0), raw(2.0), raw(3.0), raw(4.0));
    let variance = m2 - m1 * m1;
    let fourth = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1.powi(4);
    let moments = Moments {
        mean: m1,
        variance,
        excess_kurtosis: fourth / variance.powi(2) - 3.0,
    };
    assert_moments("weibullvariate(2, 1.5)", N, &moments, || {
        rng.weibullvariate(scale, shape).unwrap()
    });
}

#[test]
fn gamma_and_beta_moments() {
    let rng = SystemRandom::new();
    // All three algorithms: GS (alpha < 1), alpha == 1, Cheng (alpha > 1).
    for alpha in [0.3, 1.0, 2.5, 20.0] {
        let beta = 2.0;
        let moments = Moments {
            mean: alpha * beta,
            variance: alpha * beta * beta,
            excess_kurtosis: 6.0 / alpha,
        };
        assert_moments(&format!("gammavariate({alpha}, 2)"), N, &moments, || {
            rng.gammavariate(alpha, beta).unwrap()
        });
    }
    for (a, b) in [(2.0f64, 5.0f64), (0.5, 0.5)] {
        let sum = a + b;
        let moments = Moments {
            mean: a / sum,
            variance: a * b / (sum * sum * (sum + 1.0)),
            excess_kurtosis: 6.0 * ((a - b).powi(2) * (sum + 1.0) - a * b * (sum + 2.0))
                / (a * b * (sum + 2.0) * (sum + 3.0)),
        };
        assert_moments(&format!("betavariate({a}, {b})"), N, &moments, || {
            rng.betavariate(a, b).unwrap()
        });
    }
}

#[test]
fn von_mises_moments() {
    // For the von Mises distribution, E[cos(x - mu)] = I1(kappa) / I0(kappa)
    // and E[sin(x - mu)] = 0; both have variance at most 1. kappa = 0 is
    // uniform on [0, 2pi).
    let rng = SystemRandom::new();
    for (mu, kappa) in [(3.0f64, 4.0f64), (0.5, 1.0), (6.0, 50.0)] {
        let ratio = bessel_i(1, kappa) / bessel_i(0, kappa);
        let n = N as f64;
        let (mut cos_sum, mut sin_sum) = (0.0, 0.0);
        for _ in 0..N {
            let x = rng.vonmisesvariate(mu, kappa).unwrap();
            assert!((0.0..=std::f64::consts::TAU).contains(&x));
            cos_sum += (x - mu).cos();
            sin_sum += (x - mu).sin();
        }
        let bound = Z / n.sqrt();
        assert!((cos_sum / n - ratio).abs() <= bound, "kappa {kappa}: cos");
        assert!((sin_sum / n).abs() <= bound, "kappa {kappa}: sin");
    }
    let moments = Moments::uniform(0.0, std::f64::consts::TAU);
    assert_moments("vonmisesvariate(1, 0)", N, &moments, || {
        rng.vonmisesvariate(1.0, 0.0).unwrap()
    });
}

/// The modified Bessel function of the first kind, by its power series.
fn bessel_i(order: i32, x: f64) -> f64 {
    let half = x / 2.0;
    let mut term = half.powi(order) / gamma(f64::from(order) + 1.0);
    let mut sum = term;
    for k in 1..500 {
        let k = f64::from(k);
        term *= half * half / (k * (k + f64::from(order)));
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

#[test]
fn binomial_moments() {
    let rng = SystemRandom::new();
    // n = 1 fast path, BG (n p < 10), BTRS, and the p > 0.5 reflection of
    // each.
    for (n, p) in [
        (1u64, 0.3),
        (20, 0.3),
        (20, 0.7),
        (200, 0.3),
        (200, 0.8),
        (5000, 0.5),
    ] {
        let nf = n as f64;
        let q = 1.0 - p;
        let moments = Moments {
            mean: nf * p,
            variance: nf * p * q,
            excess_kurtosis: (1.0 - 6.0 * p * q) / (nf * p * q),
        };
        assert_moments(&format!("binomialvariate({n}, {p})"), N, &moments, || {
            rng.binomialvariate(n, p).unwrap() as f64
        });
    }
    // Small counts exactly: B(4, 0.25) against its probabilities.
    let draws = 200_000u64;
    let mut counts = [0u64; 5];
    for _ in 0..draws {
        counts[usize::try_from(rng.binomialvariate(4, 0.25).unwrap()).unwrap()] += 1;
    }
    let probabilities = [81.0, 108.0, 54.0, 12.0, 1.0].map(|c| c / 256.0);
    let statistic: f64 = counts
        .iter()
        .zip(probabilities)
        .map(|(&o, p)| {
            let e = p * draws as f64;
            (o as f64 - e).powi(2) / e
        })
        .sum();
    let critical = ChiSquared::new(4.0).unwrap().inverse_cdf(1.0 - ALPHA);
    assert!(statistic < critical, "B(4, 0.25): {counts:?}");
}
