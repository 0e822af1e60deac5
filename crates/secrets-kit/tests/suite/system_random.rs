//! `SystemRandom` and the integer functions through the public API: every
//! error case with its kind, the edges of every integer type, failures of
//! the source, and property tests of ranges and lengths.

// Big integers appear throughout; the file needs the default feature.
#![cfg(feature = "bigint")]

use std::cell::Cell;

use num_bigint::{BigInt, BigUint};
use proptest::prelude::*;
use secrets_kit::{EntropySource, Error, ErrorKind, Result, SystemRandom, sequences::Weights};

use crate::common;
use common::{Broken, Constant, Counting, Script};

/// The naive model of Python's `_randbelow(n)` over a byte string: the
/// result and the bytes it read, or `None` when the bytes run out.
fn model_randbelow(bytes: &[u8], n: u128) -> Option<(u128, usize)> {
    let k = (128 - n.leading_zeros()) as usize;
    let len = k.div_ceil(8);
    let mut read = 0;
    loop {
        let draw = bytes.get(read..read + len)?;
        read += len;
        let value = draw
            .iter()
            .fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
        let candidate = value >> (8 * len - k);
        if candidate < n {
            return Some((candidate, read));
        }
    }
}

fn kind<T: std::fmt::Debug>(result: Result<T>) -> ErrorKind {
    result.unwrap_err().kind()
}

// ----- Error cases ----------------------------------------------------------

#[test]
fn randbelow_zero_is_invalid_for_every_type() {
    use secrets_kit::fallible::try_randbelow;
    let kinds = [
        kind(try_randbelow(0u8)),
        kind(try_randbelow(0u16)),
        kind(try_randbelow(0u32)),
        kind(try_randbelow(0u64)),
        kind(try_randbelow(0u128)),
        kind(try_randbelow(0usize)),
    ];
    assert_eq!(kinds, [ErrorKind::InvalidValue; 6]);
    for negative in [-1i64, i64::MIN, -5] {
        assert_eq!(
            kind(secrets_kit::fallible::try_randbelow(negative)),
            ErrorKind::InvalidValue
        );
    }
    assert_eq!(
        kind(secrets_kit::fallible::try_randbelow(0i128)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(secrets_kit::fallible::try_randbelow(isize::MIN)),
        ErrorKind::InvalidValue
    );
    assert!(
        secrets_kit::fallible::try_randbelow(-1)
            .unwrap_err()
            .message()
            .contains("got -1")
    );
    let err = secrets_kit::fallible::try_randbelow(BigUint::ZERO).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(err.message().contains("Upper bound must be positive"));
    assert!(err.message().contains("at least 1"), "says what is allowed");
}

#[test]
#[should_panic(expected = "Upper bound must be positive")]
fn randbelow_zero_panics_with_the_reason() {
    let _ = secrets_kit::randbelow(0u32);
}

#[test]
fn randbits_wider_than_the_type_is_overflow() {
    fn check<T: secrets_kit::integers::RandomInteger + std::fmt::Debug>(bits: usize) {
        assert!(secrets_kit::fallible::try_randbits::<T>(bits).is_ok());
        let err = secrets_kit::fallible::try_randbits::<T>(bits + 1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Overflow);
        assert!(err.message().contains(&format!("at most {bits} bits")));
        assert_eq!(
            kind(secrets_kit::fallible::try_randbits::<T>(usize::MAX)),
            ErrorKind::Overflow
        );
    }
    check::<u8>(8);
    check::<u16>(16);
    check::<u32>(32);
    check::<u64>(64);
    check::<u128>(128);
    check::<usize>(usize::BITS as usize);
    check::<i8>(7);
    check::<i32>(31);
    check::<i128>(127);
    check::<isize>(isize::BITS as usize - 1);
}

#[test]
fn signed_types_give_python_results_for_positive_bounds() {
    // A signed bound reads the same bytes as the unsigned one; results are
    // never negative, even at the type's extremes.
    for _ in 0..1000 {
        assert!((0..i8::MAX).contains(&secrets_kit::randbelow(i8::MAX)));
        assert!(secrets_kit::randbelow(i128::MAX) >= 0);
        let bits: i64 = secrets_kit::randbits(63);
        assert!(bits >= 0);
        let bits: i8 = secrets_kit::randbits(7);
        assert!(bits >= 0);
    }
    assert_eq!(secrets_kit::randbelow(1), 0);
}

#[test]
fn randbits_of_an_unallocatable_biguint_is_too_large() {
    assert_eq!(
        kind(secrets_kit::fallible::try_randbits::<BigUint>(usize::MAX)),
        ErrorKind::TooLarge
    );
}

#[test]
#[should_panic(expected = "at most 8 bits")]
fn randbits_overflow_panics_with_the_reason() {
    let _: u8 = secrets_kit::randbits(9);
}

#[test]
fn randbits_zero_is_zero_and_reads_nothing() {
    let rng = SystemRandom::with_source(Counting::default());
    assert_eq!(rng.getrandbits::<u64>(0).unwrap(), 0);
    assert_eq!(rng.getrandbits::<BigUint>(0).unwrap(), BigUint::ZERO);
    assert_eq!(rng.source().read(), 0);
    assert_eq!(secrets_kit::randbits::<u8>(0), 0);
}

#[test]
fn draws_read_only_the_bytes_they_need() {
    let rng = SystemRandom::with_source(Counting::default());
    let reads = || rng.source().read();
    let _ = rng.getrandbits::<u128>(9).unwrap();
    assert_eq!(reads(), 2);
    let _ = rng.random();
    assert_eq!(reads(), 9);
    let _ = rng.randbytes(5);
    assert_eq!(reads(), 14);
    // randbelow(1000) draws 2 bytes per try.
    let before = reads();
    let _ = rng.randbelow(1000u64).unwrap();
    assert_eq!((reads() - before) % 2, 0);
}

#[test]
fn randrange_errors() {
    let rng = SystemRandom::new();
    assert_eq!(kind(rng.randrange(0)), ErrorKind::InvalidValue);
    assert_eq!(kind(rng.randrange(-1i64)), ErrorKind::InvalidValue);
    assert_eq!(kind(rng.randrange(0u8)), ErrorKind::InvalidValue);
    assert_eq!(
        kind(rng.randrange(BigInt::from(-5))),
        ErrorKind::InvalidValue
    );
    assert_eq!(kind(rng.randrange(BigUint::ZERO)), ErrorKind::InvalidValue);
    assert_eq!(kind(rng.randrange_from(5, 5)), ErrorKind::InvalidValue);
    assert_eq!(kind(rng.randrange_from(6u16, 5)), ErrorKind::InvalidValue);
    let err = rng.randrange_from(3, 3).unwrap_err();
    assert!(err.message().contains("randrange(3, 3)"), "{err}");
    assert!(err.message().contains("greater than start"), "{err}");
    // Zero step is reported before an empty range.
    let err = rng.randrange_step(5, 5, 0).unwrap_err();
    assert!(err.message().contains("zero step"), "{err}");
    assert_eq!(
        kind(rng.randrange_step(0u32, 10, 0)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(rng.randrange_step(0, 100, -12)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(rng.randrange_step(100, 0, 12)),
        ErrorKind::InvalidValue
    );
    assert_eq!(kind(rng.randrange_step(0, 0, 1)), ErrorKind::InvalidValue);
    let err = rng.randrange_step(0, 100, -12).unwrap_err();
    assert!(
        err.message().contains("negative step needs stop < start"),
        "{err}"
    );
}

#[test]
fn randint_errors() {
    let rng = SystemRandom::new();
    let err = rng.randint(5, 2).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(err.message().contains("empty range in randint(5, 2)"));
    assert_eq!(kind(rng.randint(1u128, 0)), ErrorKind::InvalidValue);
    assert_eq!(
        kind(rng.randint(BigInt::from(1), BigInt::from(0))),
        ErrorKind::InvalidValue
    );
}

#[test]
fn sequence_errors() {
    let rng = SystemRandom::new();
    let empty: [u32; 0] = [];
    assert_eq!(secrets_kit::choice(&empty), None);
    assert_eq!(rng.choice(&empty), None);
    let err = secrets_kit::fallible::try_choice(&empty).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::EmptySequence);
    assert!(
        err.message()
            .contains("Cannot choose from an empty sequence")
    );
    assert_eq!(kind(rng.try_choice(&empty)), ErrorKind::EmptySequence);
    assert_eq!(
        kind(rng.choices(&empty, Weights::Equal, 1)),
        ErrorKind::EmptySequence
    );
    assert_eq!(
        kind(rng.choices(&[1], Weights::Relative(&[1.0, 2.0]), 1)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(rng.choices(&[1, 2], Weights::Cumulative(&[1.0]), 1)),
        ErrorKind::InvalidValue
    );
    // Overflowing totals are not finite.
    assert_eq!(
        kind(rng.choices(&[1, 2], Weights::Relative(&[1e308, 1e308]), 1)),
        ErrorKind::InvalidValue
    );
    // Middle negative or NaN values pass, as in Python: only the total counts.
    assert!(
        rng.choices(&[1, 2, 3], Weights::Relative(&[3.0, -1.0, 1.0]), 5)
            .is_ok()
    );
    assert!(
        rng.choices(&[1, 2], Weights::Cumulative(&[f64::NAN, 1.0]), 5)
            .is_ok()
    );
    assert_eq!(
        kind(rng.choices(&[1], Weights::Equal, usize::MAX)),
        ErrorKind::TooLarge
    );
    assert_eq!(kind(rng.sample(&[1, 2], 3)), ErrorKind::InvalidValue);
    assert_eq!(
        kind(rng.sample_counts(&[1, 2], &[1], 1)),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(rng.sample_counts(&[1, 2], &[usize::MAX, 1], 1)),
        ErrorKind::Overflow
    );
}

#[test]
fn distribution_errors() {
    let rng = SystemRandom::new();
    assert_eq!(kind(rng.expovariate(0.0)), ErrorKind::ZeroDivision);
    assert_eq!(kind(rng.expovariate(-0.0)), ErrorKind::ZeroDivision);
    assert_eq!(kind(rng.paretovariate(0.0)), ErrorKind::ZeroDivision);
    assert_eq!(kind(rng.weibullvariate(1.0, 0.0)), ErrorKind::ZeroDivision);
    assert_eq!(kind(rng.lognormvariate(1000.0, 0.0)), ErrorKind::Overflow);
    assert_eq!(
        kind(rng.vonmisesvariate(0.0, f64::NAN)),
        ErrorKind::InvalidValue
    );
    for (a, b) in [
        (0.0, 1.0),
        (1.0, 0.0),
        (-1.0, 1.0),
        (f64::NAN, 1.0),
        (1.0, f64::NAN),
    ] {
        assert_eq!(
            kind(rng.gammavariate(a, b)),
            ErrorKind::InvalidValue,
            "{a} {b}"
        );
        assert_eq!(
            kind(rng.betavariate(a, b)),
            ErrorKind::InvalidValue,
            "{a} {b}"
        );
    }
    assert_eq!(
        kind(rng.gammavariate(f64::INFINITY, 1.0)),
        ErrorKind::InvalidValue
    );
    for p in [-0.1, 1.1, f64::NAN, f64::INFINITY] {
        assert_eq!(kind(rng.binomialvariate(10, p)), ErrorKind::InvalidValue);
    }
    // Python raises OverflowError from `**` when the result leaves f64:
    // with random() ~ 0.75, pareto's 0.25^-1000 and weibull's
    // ln(4)^10000 do.
    let fixed = SystemRandom::with_source(Constant(0xc0));
    assert_eq!(kind(fixed.paretovariate(1e-3)), ErrorKind::Overflow);
    assert_eq!(kind(fixed.weibullvariate(1.0, 1e-4)), ErrorKind::Overflow);
    // 0.0 to a negative power: random() = 0 makes weibull's base -ln(1) = 0.
    let zero = SystemRandom::with_source(Constant(0));
    assert_eq!(
        kind(zero.weibullvariate(1.0, -1.0)),
        ErrorKind::ZeroDivision
    );
}

#[test]
fn a_broken_source_is_reported_by_every_fallible_method() {
    let mut rng = SystemRandom::with_source(Broken);
    let os = ErrorKind::Os;
    assert_eq!(kind(rng.try_random()), os);
    assert_eq!(kind(rng.getrandbits::<u32>(5)), os);
    assert_eq!(kind(rng.getrandbits::<BigUint>(500)), os);
    assert_eq!(kind(rng.try_randbytes(4)), os);
    assert_eq!(kind(rng.randbelow(10u8)), os);
    assert_eq!(kind(rng.randbelow(BigUint::from(10u8) << 200)), os);
    assert_eq!(kind(rng.randrange(10)), os);
    assert_eq!(kind(rng.randrange_from(-5, 5)), os);
    assert_eq!(kind(rng.randrange_step(0, 10, 2)), os);
    assert_eq!(kind(rng.randint(i64::MIN, i64::MAX)), os);
    assert_eq!(kind(rng.try_choice(&[1, 2])), os);
    assert_eq!(kind(rng.choices(&[1, 2], Weights::Equal, 1)), os);
    assert_eq!(kind(rng.sample(&[1, 2], 1)), os);
    assert_eq!(kind(rng.sample_counts(&[1, 2], &[3, 4], 1)), os);
    assert_eq!(kind(rng.try_shuffle(&mut [1, 2])), os);
    assert_eq!(kind(rng.try_uniform(0.0, 1.0)), os);
    assert_eq!(kind(rng.try_triangular(0.0, 1.0, None)), os);
    assert_eq!(kind(rng.try_normalvariate(0.0, 1.0)), os);
    assert_eq!(kind(rng.try_gauss(0.0, 1.0)), os);
    assert_eq!(kind(rng.lognormvariate(0.0, 1.0)), os);
    assert_eq!(kind(rng.expovariate(1.0)), os);
    assert_eq!(kind(rng.vonmisesvariate(0.0, 1.0)), os);
    assert_eq!(kind(rng.gammavariate(2.0, 1.0)), os);
    assert_eq!(kind(rng.betavariate(2.0, 1.0)), os);
    assert_eq!(kind(rng.paretovariate(1.0)), os);
    assert_eq!(kind(rng.weibullvariate(1.0, 1.0)), os);
    assert_eq!(kind(rng.binomialvariate(100, 0.3)), os);
    assert_eq!(rng.try_randbytes(4).unwrap_err().raw_os_error(), Some(5));
    // Calls that need no entropy still succeed.
    assert_eq!(rng.getrandbits::<u8>(0).unwrap(), 0);
    assert_eq!(rng.binomialvariate(10, 1.0).unwrap(), 10);
    assert!(rng.try_shuffle(&mut [1]).is_ok());
    assert!(rng.sample(&[1, 2], 0).unwrap().is_empty());
}

#[test]
#[should_panic(expected = "secrets: the operating system's random source failed")]
fn a_broken_source_panics_in_the_infallible_forms() {
    let _ = SystemRandom::with_source(Broken).random();
}

#[test]
fn shuffle_keeps_a_permutation_when_the_source_fails() {
    /// Serves `budget` bytes, then fails.
    #[derive(Debug)]
    struct Budget(Cell<usize>);
    impl EntropySource for Budget {
        fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
            let left = self.0.get();
            if left < dest.len() {
                return Err(Error::new(ErrorKind::Os, "budget spent"));
            }
            self.0.set(left - dest.len());
            secrets_kit::try_fill_bytes(dest)
        }
    }
    let rng = SystemRandom::with_source(Budget(Cell::new(5)));
    let mut items: Vec<u32> = (0..100).collect();
    assert!(rng.try_shuffle(&mut items).is_err());
    items.sort_unstable();
    assert_eq!(items, (0..100).collect::<Vec<_>>());
}

// ----- Ranges and edges -----------------------------------------------------

#[test]
fn edges_of_every_primitive() {
    let rng = SystemRandom::new();
    assert_eq!(secrets_kit::randbelow(1u8), 0);
    assert_eq!(secrets_kit::randbelow(1u128), 0);
    assert!(secrets_kit::randbelow(u128::MAX) < u128::MAX);
    assert!(secrets_kit::randbelow(u64::MAX) < u64::MAX);
    assert!(secrets_kit::randbelow(usize::MAX) < usize::MAX);
    let _: u128 = secrets_kit::randbits(128);
    assert!(rng.randint(u128::MIN, u128::MAX).is_ok());
    assert!(rng.randint(i128::MIN, i128::MAX).is_ok());
    assert_eq!(rng.randint(i128::MAX, i128::MAX).unwrap(), i128::MAX);
    assert_eq!(rng.randint(u64::MAX, u64::MAX).unwrap(), u64::MAX);
    let x = rng.randrange_from(i64::MIN, i64::MAX).unwrap();
    assert!(x < i64::MAX);
    let x = rng.randrange_step(i64::MAX, i64::MIN, -1).unwrap();
    assert!(x > i64::MIN);
    let x = rng.randrange_step(i8::MIN, i8::MAX, 127).unwrap();
    assert!([-128, -1, 126].contains(&x));
    let x = rng.randrange_step(0u8, 255, 254).unwrap();
    assert!([0, 254].contains(&x));
}

#[test]
fn full_width_randint_reaches_both_ends() {
    // 4000 draws over 256 values miss one end with odds 2 * (255/256)^4000,
    // about 3e-7.
    let rng = SystemRandom::new();
    let draws: Vec<i8> = (0..4000)
        .map(|_| rng.randint(i8::MIN, i8::MAX).unwrap())
        .collect();
    assert!(draws.contains(&i8::MIN) && draws.contains(&i8::MAX));
    let draws: Vec<u8> = (0..4000)
        .map(|_| rng.randint(0, u8::MAX).unwrap())
        .collect();
    assert!(draws.contains(&0) && draws.contains(&u8::MAX));
}

#[test]
fn big_integers_of_hundreds_of_bits() {
    let rng = SystemRandom::new();
    let bound: BigUint = (BigUint::from(1u8) << 333) + 12345u32;
    for _ in 0..200 {
        assert!(secrets_kit::randbelow(bound.clone()) < bound);
        let bits: BigUint = secrets_kit::randbits(301);
        assert!(bits.bits() <= 301);
    }
    let low: BigInt = -(BigInt::from(1) << 400usize);
    let high: BigInt = BigInt::from(1) << 350usize;
    for _ in 0..200 {
        let x = rng.randint(low.clone(), high.clone()).unwrap();
        assert!(low <= x && x <= high);
        let step = BigInt::from(7) << 300usize;
        let y = rng
            .randrange_step(high.clone(), low.clone(), -step.clone())
            .unwrap();
        assert!(low < y && y <= high);
        assert_eq!((&high - &y) % &step, BigInt::ZERO);
    }
}

#[test]
fn unweighted_choices_read_seven_bytes_each_and_weighted_too() {
    let rng = SystemRandom::with_source(Counting::default());
    let _ = rng.choices(&[1, 2, 3], Weights::Equal, 4).unwrap();
    assert_eq!(rng.source().read(), 28);
    let _ = rng
        .choices(&[1, 2, 3], Weights::Relative(&[1.0, 1.0, 1.0]), 2)
        .unwrap();
    assert_eq!(rng.source().read(), 42);
}

#[test]
fn seed_clone_default_and_source() {
    let rng = SystemRandom::default();
    rng.seed(42);
    let copy = rng.clone();
    assert_eq!(copy.source(), rng.source());
    assert!(copy.random() < 1.0);
}

// ----- Properties -------------------------------------------------------------

macro_rules! signed_properties {
    ($($name:ident: $t:ty),* $(,)?) => {$(
        proptest! {
            #[test]
            fn $name(n in any::<$t>(), k in 0..<$t>::BITS as usize) {
                match secrets_kit::fallible::try_randbelow(n) {
                    Ok(value) => prop_assert!(n > 0 && 0 <= value && value < n),
                    Err(err) => {
                        prop_assert!(n <= 0);
                        prop_assert_eq!(err.kind(), ErrorKind::InvalidValue);
                    }
                }
                let bits: $t = secrets_kit::randbits(k);
                prop_assert!(0 <= bits && (bits as u128) < 1u128 << k);
            }
        }
    )*};
}

signed_properties!(
    randbelow_i8: i8,
    randbelow_i16: i16,
    randbelow_i32: i32,
    randbelow_i64: i64,
    randbelow_i128: i128,
    randbelow_isize: isize,
);

macro_rules! below_properties {
    ($($name:ident: $t:ty),* $(,)?) => {$(
        proptest! {
            #[test]
            fn $name(n in 1..=<$t>::MAX, k in 0..=<$t>::BITS as usize) {
                prop_assert!(secrets_kit::randbelow(n) < n);
                let bits: $t = secrets_kit::randbits(k);
                prop_assert!(k == <$t>::BITS as usize || bits < (1 as $t) << k);
                prop_assert_eq!(
                    secrets_kit::fallible::try_randbits::<$t>(<$t>::BITS as usize + 1 + k).unwrap_err().kind(),
                    ErrorKind::Overflow
                );
            }
        }
    )*};
}

below_properties!(
    randbelow_u8: u8,
    randbelow_u16: u16,
    randbelow_u32: u32,
    randbelow_u64: u64,
    randbelow_u128: u128,
    randbelow_usize: usize,
);

proptest! {
    /// Every integer type reads exactly the bytes of the naive model of
    /// Python's algorithm and returns its value.
    #[test]
    fn randbelow_matches_the_naive_model(
        n in 1..=u128::MAX,
        shift in 0u32..128,
        bytes in prop::collection::vec(any::<u8>(), 0..96),
    ) {
        let n = (n >> shift).max(1);
        let expected = model_randbelow(&bytes, n);
        let check = |got: Result<u128>, left: usize| -> std::result::Result<(), TestCaseError> {
            match expected {
                Some((value, read)) => {
                    prop_assert_eq!(got.unwrap(), value);
                    prop_assert_eq!(bytes.len() - left, read);
                }
                None => prop_assert_eq!(got.unwrap_err().kind(), ErrorKind::Os),
            }
            Ok(())
        };
        let rng = SystemRandom::with_source(Script::new(&bytes));
        check(rng.randbelow(n), rng.source().left())?;
        let rng = SystemRandom::with_source(Script::new(&bytes));
        let got = rng.randbelow(BigUint::from(n)).map(|v| u128::try_from(v).unwrap());
        check(got, rng.source().left())?;
        if let Ok(n64) = u64::try_from(n) {
            let rng = SystemRandom::with_source(Script::new(&bytes));
            check(rng.randbelow(n64).map(u128::from), rng.source().left())?;
        }
        if let Ok(n32) = i32::try_from(n) {
            let rng = SystemRandom::with_source(Script::new(&bytes));
            let got = rng.randbelow(n32).map(|v| u128::try_from(v).unwrap());
            check(got, rng.source().left())?;
        }
        if let Ok(n16) = u16::try_from(n) {
            let rng = SystemRandom::with_source(Script::new(&bytes));
            check(rng.randbelow(n16).map(u128::from), rng.source().left())?;
        }
    }

    /// `randint(0, max)` reads the bytes of `_randbelow(max + 1)`, also when
    /// `max + 1` does not fit the type.
    #[test]
    fn randint_matches_the_naive_model(
        max in any::<u64>(),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let expected = model_randbelow(&bytes, u128::from(max) + 1);
        let rng = SystemRandom::with_source(Script::new(&bytes));
        let got = rng.randint(0, max);
        match expected {
            Some((value, read)) => {
                prop_assert_eq!(u128::from(got.unwrap()), value);
                prop_assert_eq!(bytes.len() - rng.source().left(), read);
            }
            None => prop_assert_eq!(got.unwrap_err().kind(), ErrorKind::Os),
        }
    }
}

fn big(bytes: &[u8]) -> BigUint {
    BigUint::from_bytes_be(bytes)
}

proptest! {
    #[test]
    fn randbelow_biguint_up_to_600_bits(bytes in prop::collection::vec(any::<u8>(), 1..76)) {
        let n = big(&bytes);
        if n == BigUint::ZERO {
            prop_assert_eq!(secrets_kit::fallible::try_randbelow(n).unwrap_err().kind(), ErrorKind::InvalidValue);
        } else {
            prop_assert!(secrets_kit::randbelow(n.clone()) < n);
        }
    }

    #[test]
    fn randbits_biguint(k in 0usize..2000) {
        let value: BigUint = secrets_kit::randbits(k);
        prop_assert!(value.bits() <= k as u64);
    }

    #[test]
    fn randrange_from_i64(a in any::<i64>(), b in any::<i64>()) {
        let rng = SystemRandom::new();
        match rng.randrange_from(a, b) {
            Ok(x) => prop_assert!(a < b && a <= x && x < b),
            Err(err) => {
                prop_assert!(b <= a);
                prop_assert_eq!(err.kind(), ErrorKind::InvalidValue);
            }
        }
    }

    #[test]
    fn randrange_step_i32(start in any::<i32>(), stop in any::<i32>(), step in any::<i32>()) {
        let rng = SystemRandom::new();
        let nonempty = (step > 0 && stop > start) || (step < 0 && stop < start);
        match rng.randrange_step(start, stop, step) {
            Ok(x) => {
                prop_assert!(nonempty);
                if step > 0 {
                    prop_assert!(start <= x && x < stop);
                } else {
                    prop_assert!(stop < x && x <= start);
                }
                prop_assert_eq!((i64::from(x) - i64::from(start)) % i64::from(step), 0);
            }
            Err(err) => {
                prop_assert!(!nonempty);
                prop_assert_eq!(err.kind(), ErrorKind::InvalidValue);
            }
        }
    }

    #[test]
    fn randrange_step_u16(start in any::<u16>(), stop in any::<u16>(), step in 1..=u16::MAX) {
        let rng = SystemRandom::new();
        match rng.randrange_step(start, stop, step) {
            Ok(x) => {
                prop_assert!(start <= x && x < stop);
                prop_assert_eq!((x - start) % step, 0);
            }
            Err(_) => prop_assert!(stop <= start),
        }
    }

    #[test]
    fn randint_i128(a in any::<i128>(), b in any::<i128>()) {
        let rng = SystemRandom::new();
        match rng.randint(a, b) {
            Ok(x) => prop_assert!(a <= x && x <= b),
            Err(err) => {
                prop_assert!(b < a);
                prop_assert_eq!(err.kind(), ErrorKind::InvalidValue);
            }
        }
    }

    #[test]
    fn randint_bigint(a in prop::collection::vec(any::<u8>(), 0..50), b in prop::collection::vec(any::<u8>(), 0..50), negative in any::<bool>()) {
        let rng = SystemRandom::new();
        let mut low = BigInt::from(big(&a));
        if negative {
            low = -low;
        }
        let high = &low + BigInt::from(big(&b));
        let x = rng.randint(low.clone(), high.clone()).unwrap();
        prop_assert!(low <= x && x <= high);
    }

    #[test]
    fn sample_shuffle_choices_lengths(n in 0usize..300, k in 0usize..300) {
        let rng = SystemRandom::new();
        let population: Vec<usize> = (0..n).collect();
        match rng.sample(&population, k) {
            Ok(sample) => {
                prop_assert!(k <= n);
                prop_assert_eq!(sample.len(), k);
                let mut seen = sample.clone();
                seen.sort_unstable();
                seen.dedup();
                prop_assert_eq!(seen.len(), k);
            }
            Err(err) => {
                prop_assert!(k > n);
                prop_assert_eq!(err.kind(), ErrorKind::InvalidValue);
            }
        }
        let mut shuffled = population.clone();
        rng.shuffle(&mut shuffled);
        shuffled.sort_unstable();
        prop_assert_eq!(&shuffled, &population);
        if n > 0 {
            prop_assert_eq!(rng.choices(&population, Weights::Equal, k).unwrap().len(), k);
            prop_assert!(rng.choice(&population).unwrap() < &n);
        }
        prop_assert_eq!(rng.randbytes(k).len(), k);
    }

    #[test]
    fn real_distributions_stay_in_their_ranges(a in 0.01f64..100.0, b in 0.01f64..100.0) {
        let mut rng = SystemRandom::new();
        let (low, high) = (a.min(b), a.max(b));
        let x = rng.uniform(low, high);
        prop_assert!(low <= x && x <= high);
        let t = rng.triangular(low, high, (low + high) / 2.0);
        prop_assert!(low <= t && t <= high);
        prop_assert!(rng.expovariate(a).unwrap() >= 0.0);
        prop_assert!(rng.gammavariate(a, b).unwrap() >= 0.0);
        let beta = rng.betavariate(a, b).unwrap();
        prop_assert!((0.0..=1.0).contains(&beta));
        prop_assert!(rng.paretovariate(a).unwrap() >= 1.0);
        prop_assert!(rng.weibullvariate(a, b).unwrap() >= 0.0);
        prop_assert!(rng.lognormvariate(0.0, a.min(10.0)).unwrap() >= 0.0);
        let angle = rng.vonmisesvariate(a, b).unwrap();
        prop_assert!((0.0..=std::f64::consts::TAU).contains(&angle));
        prop_assert!(rng.gauss(a, b).is_finite());
        prop_assert!(rng.normalvariate(a, b).is_finite());
    }

    #[test]
    fn binomial_stays_in_range(n in 0u64..100_000, p in 0.0f64..=1.0) {
        let rng = SystemRandom::new();
        prop_assert!(rng.binomialvariate(n, p).unwrap() <= n);
    }
}

// ----- The sequence methods a step at a time ---------------------------------

/// A byte string read in order by the naive models below.
struct Bytes<'a> {
    bytes: &'a [u8],
    read: usize,
}

impl Bytes<'_> {
    /// Python's `_randbelow(n)` over the next bytes (the naive model above).
    fn randbelow(&mut self, n: usize) -> usize {
        let (value, used) = model_randbelow(&self.bytes[self.read..], n as u128).unwrap();
        self.read += used;
        usize::try_from(value).unwrap()
    }

    /// Python's `random()`: seven bytes, big-endian, shifted right by 3.
    fn random(&mut self) -> f64 {
        let seven = &self.bytes[self.read..self.read + 7];
        self.read += 7;
        let value = seven.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)) >> 3;
        #[allow(clippy::cast_precision_loss)] // Below 2^53: exact.
        let value = value as f64;
        value / 9_007_199_254_740_992.0
    }
}

/// CPython's `sample(range(n), k)`, transcribed: `setsize` computed with
/// integers (3k is never a power of 4, so the float logarithm's ceiling is
/// the least power of 4 above 3k), then the pool or the set.
fn model_sample(bytes: &mut Bytes<'_>, n: usize, k: usize) -> Vec<usize> {
    let mut setsize = 21;
    if k > 5 {
        let mut power = 1;
        while power <= 3 * k {
            power *= 4;
        }
        setsize += power;
    }
    let mut result = Vec::new();
    if n <= setsize {
        let mut pool: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = bytes.randbelow(n - i);
            result.push(pool[j]);
            pool[j] = pool[n - i - 1];
        }
    } else {
        let mut selected = Vec::new();
        for _ in 0..k {
            let mut j = bytes.randbelow(n);
            while selected.contains(&j) {
                j = bytes.randbelow(n);
            }
            selected.push(j);
            result.push(j);
        }
    }
    result
}

/// Fresh kernel bytes, enough for every model below.
fn kernel_bytes() -> Vec<u8> {
    let mut bytes = vec![0u8; 1 << 16];
    secrets_kit::try_fill_bytes(&mut bytes).unwrap();
    bytes
}

/// Steps of uneven sizes (1, 2, 4, ... wrapping at 64) that add up to `k`.
fn steps(k: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    let (mut left, mut size) = (k, 1);
    while left > 0 {
        sizes.push(size.min(left));
        left -= size.min(left);
        size = if size >= 64 { 1 } else { size * 2 };
    }
    sizes
}

#[test]
fn sample_indices_in_steps_are_one_sample_and_the_naive_model() {
    use secrets_kit::sequences::SampleIndices;
    // Both methods: the pool (n at most setsize) and the set (n above it),
    // at and beside the switch-over points.
    for (n, k) in [
        (10, 4),
        (21, 5),
        (22, 5),
        (85, 6),
        (86, 6),
        (300, 80),
        (5000, 300),
        (1_000_000, 1000),
    ] {
        let bytes = kernel_bytes();
        let model = model_sample(
            &mut Bytes {
                bytes: &bytes,
                read: 0,
            },
            n,
            k,
        );
        let stepped_rng = SystemRandom::with_source(Script::new(&bytes));
        let mut picks = SampleIndices::new(n, k).unwrap();
        let mut stepped = Vec::new();
        for size in steps(k) {
            let mut step = vec![usize::MAX; size];
            picks.fill(&stepped_rng, &mut step).unwrap();
            stepped.extend(step);
        }
        assert_eq!(picks.remaining(), 0);
        assert_eq!(stepped, model, "n = {n}, k = {k}");
        let whole_rng = SystemRandom::with_source(Script::new(&bytes));
        let population: Vec<usize> = (0..n).collect();
        let whole: Vec<usize> = whole_rng
            .sample(&population, k)
            .unwrap()
            .into_iter()
            .copied()
            .collect();
        assert_eq!(whole, model, "n = {n}, k = {k}");
        assert_eq!(stepped_rng.source().left(), whole_rng.source().left());
        // Past the last pick: an error, and nothing drawn.
        let left = stepped_rng.source().left();
        assert_eq!(
            kind(picks.fill(&stepped_rng, &mut [0])),
            ErrorKind::InvalidValue
        );
        assert_eq!(stepped_rng.source().left(), left);
    }
    assert_eq!(kind(SampleIndices::new(3, 4)), ErrorKind::InvalidValue);
    assert_eq!(
        kind(SampleIndices::new(usize::MAX, usize::MAX)),
        ErrorKind::TooLarge
    );
    // Debug shows the sizes, never the pool or the picks.
    assert_eq!(
        format!("{:?}", SampleIndices::new(3, 2).unwrap()),
        "SampleIndices { n: 3, k: 2, done: 0, .. }"
    );
}

#[test]
fn choices_indices_in_steps_are_one_choices_and_the_naive_model() {
    let cum = [0.5, 0.5, 2.0, 7.25, 7.5];
    for weights in [
        Weights::Equal,
        Weights::Cumulative(&cum),
        Weights::Relative(&[0.5, 0.0, 1.5, 5.25, 0.25]),
    ] {
        let (n, k) = (cum.len(), 300);
        let bytes = kernel_bytes();
        let mut model_bytes = Bytes {
            bytes: &bytes,
            read: 0,
        };
        let model: Vec<usize> = (0..k)
            .map(|_| {
                let u = model_bytes.random();
                if weights == Weights::Equal {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let index = (u * n as f64).floor() as usize;
                    index
                } else {
                    // bisect_right(cum, u * total, 0, n - 1), by a scan.
                    let target = u * cum[n - 1];
                    (0..n - 1).find(|&i| target < cum[i]).unwrap_or(n - 1)
                }
            })
            .collect();
        let stepped_rng = SystemRandom::with_source(Script::new(&bytes));
        let mut stepped = Vec::new();
        for size in steps(k) {
            let mut step = vec![usize::MAX; size];
            stepped_rng.choices_indices(n, weights, &mut step).unwrap();
            stepped.extend(step);
        }
        assert_eq!(stepped, model, "{weights:?}");
        let whole_rng = SystemRandom::with_source(Script::new(&bytes));
        let population: Vec<usize> = (0..n).collect();
        let whole: Vec<usize> = whole_rng
            .choices(&population, weights, k)
            .unwrap()
            .into_iter()
            .copied()
            .collect();
        assert_eq!(whole, model, "{weights:?}");
        assert_eq!(bytes.len() - stepped_rng.source().left(), 7 * k);
    }
    let rng = SystemRandom::new();
    assert_eq!(
        kind(rng.choices_indices(0, Weights::Equal, &mut [0])),
        ErrorKind::EmptySequence
    );
    assert!(rng.choices_indices(0, Weights::Equal, &mut []).is_ok());
    assert_eq!(
        kind(rng.choices_indices(2, Weights::Cumulative(&[1.0]), &mut [0])),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        kind(rng.choices_indices(1, Weights::Cumulative(&[0.0]), &mut [0])),
        ErrorKind::InvalidValue
    );
}

#[test]
fn shuffle_partners_in_steps_are_one_shuffle_and_the_naive_model() {
    for len in [2usize, 3, 10, 257, 1000] {
        let bytes = kernel_bytes();
        let mut model_bytes = Bytes {
            bytes: &bytes,
            read: 0,
        };
        let mut model: Vec<usize> = (0..len).collect();
        for i in (1..len).rev() {
            let j = model_bytes.randbelow(i + 1);
            model.swap(i, j);
        }
        let stepped_rng = SystemRandom::with_source(Script::new(&bytes));
        let mut stepped: Vec<usize> = (0..len).collect();
        let mut top = len - 1;
        for size in steps(len - 1) {
            let mut partners = vec![usize::MAX; size];
            stepped_rng.shuffle_partners(top, &mut partners).unwrap();
            for (t, &j) in partners.iter().enumerate() {
                assert!(j <= top - t);
                stepped.swap(top - t, j);
            }
            top -= size;
        }
        assert_eq!(top, 0);
        assert_eq!(stepped, model, "len = {len}");
        let whole_rng = SystemRandom::with_source(Script::new(&bytes));
        let mut whole: Vec<usize> = (0..len).collect();
        whole_rng.try_shuffle(&mut whole).unwrap();
        assert_eq!(whole, model, "len = {len}");
        assert_eq!(stepped_rng.source().left(), whole_rng.source().left());
    }
    let rng = SystemRandom::with_source(Script::new([0u8; 0]));
    assert_eq!(
        kind(rng.shuffle_partners(2, &mut [0; 3])),
        ErrorKind::InvalidValue
    );
    assert!(rng.shuffle_partners(0, &mut []).is_ok());
}
