//! Collision probabilities against exact values: the birthday product
//! computed in integers, for small sets and for large ones (where the
//! library uses its series), and guess times against the definition.

use num_bigint::BigUint;
use secrets_kit_gen::explain::{DEFAULT_AMONG, SetSize};

/// `1 - prod_{i<n} (size - i) / size`, exactly in integers, then as f64
/// with about 60 significant bits.
fn exact_collision(size: u64, n: u64) -> f64 {
    if n > size {
        return 1.0;
    }
    let size_big = BigUint::from(size);
    let mut product = BigUint::from(1u8);
    for i in 0..n {
        product *= size - i;
    }
    let denominator = size_big.pow(n as u32);
    let numerator = &denominator - &product;
    if numerator.bits() == 0 {
        return 0.0;
    }
    let shift = (denominator.bits() - numerator.bits()) + 60;
    let scaled = (numerator << shift) / &denominator;
    let digits: Vec<u64> = scaled.iter_u64_digits().collect();
    let mut value = 0.0;
    for (k, d) in digits.iter().enumerate() {
        value += (*d as f64) * 2f64.powi(64 * k as i32);
    }
    value * 2f64.powi(-(shift as i32))
}

fn relative_error(got: f64, want: f64) -> f64 {
    if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    }
}

#[test]
fn the_birthday_problem() {
    let days = SetSize::power(365, 1).unwrap();
    for n in [2u64, 10, 22, 23, 30, 50, 57, 70, 100, 366, 400] {
        let got = days.collision_probability(n).value();
        let want = exact_collision(365, n);
        assert!(
            relative_error(got, want) < 1e-13,
            "n = {n}: {got} vs {want}"
        );
    }
    assert!((days.collision_probability(23).value() - 0.507_297_234_323_985_7).abs() < 1e-15);
}

/// The collision probability of `n` values in `set` (of `size` elements),
/// for each `n`, is the exact product to 1e-12.
fn assert_matches_exact(set: &SetSize, size: u64, ns: &[u64]) {
    for &n in ns {
        let got = set.collision_probability(n).value();
        let want = exact_collision(size, n);
        assert!(
            relative_error(got, want) < 1e-12,
            "|S| = {size}, n = {n}: {got} vs {want}"
        );
    }
}

#[test]
fn small_sets_match_exact_values() {
    for size in [2u64, 3, 10, 62, 100, 256, 1000, 7776, 1_000_000] {
        let set = SetSize::power(size, 1).unwrap();
        assert_matches_exact(&set, size, &[2, 3, 5, 17, 100, 1000, 2000]);
    }
}

#[test]
fn large_sets_use_the_series_and_still_match_exact_values() {
    // |S| = 2^60 and 3^40 (not below 2^53, so the series path), against the
    // exact product.
    for (set, size) in [
        (SetSize::bits(60), 1u64 << 60),
        (SetSize::power(3, 40).unwrap(), 3u64.pow(40)),
    ] {
        assert_matches_exact(&set, size, &[2, 100, 1000, 5000]);
    }
}

#[test]
fn many_values_in_a_mid_sized_set() {
    // n = 2^21 (past the direct sum) in 2^40: against a compensated direct
    // sum of log1p(-i/|S|) written here.
    let n = 1u64 << 21;
    let size = (1u64 << 40) as f64;
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for i in 1..n {
        let y = (-(i as f64) / size).ln_1p() - carry;
        let t = sum + y;
        carry = (t - sum) - y;
        sum = t;
    }
    let want = -sum.exp_m1();
    let got = SetSize::bits(40).collision_probability(n).value();
    assert!(relative_error(got, want) < 1e-10, "{got} vs {want}");
}

#[test]
fn tiny_probabilities_are_not_zero() {
    // 2^256 among a billion: n(n-1)/(2 * 2^256) to full precision.
    let n = DEFAULT_AMONG as f64;
    let want = n * (n - 1.0) / 2.0 / 2f64.powi(256);
    let got = SetSize::bits(256).collision_probability(DEFAULT_AMONG);
    assert!(relative_error(got.value(), want) < 1e-12);
    // 2^4096: beyond f64, kept in logarithms.
    let got = SetSize::bits(4096).collision_probability(DEFAULT_AMONG);
    let want_log10 = (n * (n - 1.0) / 2.0).log10() - 4096.0 * 2f64.log10();
    assert!((got.log10() - want_log10).abs() < 1e-9, "{}", got.log10());
    assert!(got.log10() < -1000.0);
}

#[test]
fn guess_time_is_half_the_set_over_the_rate() {
    for (bits, rate) in [(20u64, 1e12), (64, 1e12), (128, 1e9)] {
        let want = 2f64.powi(bits as i32) / 2.0 / rate;
        let got = SetSize::bits(bits).guess_seconds(rate).value();
        assert!(relative_error(got, want) < 1e-12, "{bits}: {got} vs {want}");
    }
}

#[test]
fn exact_sizes_give_exact_decimals() {
    let big = BigUint::from(3u8).pow(100);
    let set = SetSize::exact(big.clone()).unwrap();
    assert_eq!(set.to_decimal(), big.to_string());
    assert!((set.log2() - 100.0 * 3f64.log2()).abs() < 1e-10);
    assert_eq!(
        SetSize::power(62, 30).unwrap().to_decimal(),
        BigUint::from(62u8).pow(30).to_string()
    );
}
