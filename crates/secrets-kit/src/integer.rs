//! Unbiased random integers of any size: `randbelow`, `randbits`, `choice`,
//! and the integer traits behind `SystemRandom`'s `randrange` and `randint`.
//!
//! # The algorithm
//!
//! CPython's: `randbelow(n)` takes `k`, the bit length of `n`, draws
//! `ceil(k / 8)` bytes, reads them as a big-endian number, keeps its top
//! `k` bits, and starts again while the result is `>= n`, exactly as
//! `random.SystemRandom._randbelow` does. Given the same bytes from the
//! kernel, every function here returns what Python returns; the tests
//! replay Python's own vectors through a scripted
//! [`EntropySource`](crate::EntropySource). The sampler itself, and the
//! proof that it is exactly uniform, are in `sample.rs`, next to the
//! batched sampler the symbol generators use; the traits here only check
//! arguments and call it.

use std::fmt::Display;

use crate::sample::ParityDraw;
use crate::{EntropySource, Error, ErrorKind, OsEntropy, Result};
use sealed::Unsigned as _;

/// An integer type that [`randbelow`] and [`randbits`] can produce: every
/// primitive integer (`u8` to `u128`, `usize`, `i8` to `i128`, `isize`)
/// and, with the default feature `bigint`, [`num_bigint::BigUint`] of any
/// size.
///
/// Results are never negative. With a signed type, as with Python's ints,
/// a negative bound is an error like 0, and `randbits` gives at most
/// `BITS - 1` bits (31 for `i32`). Signed types are there so that a plain
/// literal works: `randbelow(6)` is an `i32`.
///
/// The trait is sealed: its methods are internal, and only this crate
/// implements it.
///
/// # Examples
///
/// ```
/// use secrets_kit::integers::RandomInteger;
///
/// fn roll<T: RandomInteger + From<u8>>() -> T {
///     secrets_kit::randbelow(T::from(6))
/// }
/// let die: u64 = roll();
/// assert!(die < 6);
/// assert!((0..6).contains(&secrets_kit::randbelow(6)));
/// ```
pub trait RandomInteger: sealed::Draw {}

/// An integer type that `SystemRandom`'s `randrange` and `randint` can
/// produce: every primitive integer, signed or unsigned (`i8` to `i128`,
/// `isize`, `u8` to `u128`, `usize`), and, with the feature `bigint`,
/// [`num_bigint::BigInt`] and [`num_bigint::BigUint`].
///
/// The difference between two values of a type is counted in the unsigned
/// type of the same width, so `randint(i64::MIN, i64::MAX)` works. The
/// trait is sealed.
///
/// # Examples
///
/// ```
/// use secrets_kit::{integers::RangeInteger, SystemRandom};
///
/// fn around<T: RangeInteger>(rng: &SystemRandom, low: T, high: T) -> T {
///     rng.randint(low, high).expect("low <= high")
/// }
/// let rng = SystemRandom::new();
/// assert!((-3..=3).contains(&around(&rng, -3i8, 3)));
/// ```
pub trait RangeInteger: sealed::Signed {}

pub(crate) mod sealed {
    use super::*;

    /// What `randbelow` and `randbits` need from a type.
    pub trait Draw: Sized + Display {
        /// The most random bits a value can hold, or `None` for no limit.
        const MAX_BITS: Option<usize>;

        /// `self > 0`.
        fn is_positive(&self) -> bool;

        /// `getrandbits(k)`; the caller has checked `k` against `MAX_BITS`.
        fn draw_bits<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self>;

        /// `_randbelow(n)`; the caller has checked `n > 0`.
        fn draw_below<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self>;
    }

    /// The operations the samplers need from an unsigned integer type.
    pub trait Unsigned: ParityDraw + Clone + Ord + Display {
        /// Python's `getrandbits(k)`. The caller has checked `k` against
        /// `MAX_BITS`.
        #[inline]
        fn bits_from<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self> {
            Self::bits(source, k)
        }

        /// Python's `_randbelow(n)`. The caller has checked `n > 0`.
        #[inline]
        fn below_from<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self> {
            Self::below(source, n)
        }

        /// A uniform value in `0..=max`, reading the same bytes as
        /// `_randbelow(max + 1)` even when `max + 1` does not fit the type.
        #[inline]
        fn up_to_from<S: EntropySource + ?Sized>(source: &S, max: &Self) -> Result<Self> {
            Self::up_to(source, max)
        }

        /// `ceil(self / divisor)`, both positive.
        fn div_ceil_positive(&self, divisor: &Self) -> Self;

        /// `self * factor`; the caller knows the product fits.
        fn times(&self, factor: &Self) -> Self;
    }

    /// The operations `randrange` and `randint` need from any integer type.
    pub trait Signed: Sized + Clone + Ord + Display + Default {
        /// The unsigned type that holds the distance between two values.
        type Width: Unsigned;

        /// The value 0, which is what `Default` gives for every integer
        /// type, primitive or big.
        #[inline]
        fn zero() -> Self {
            Self::default()
        }

        /// `high - low` as a width; the caller guarantees `low <= high`.
        fn distance(low: &Self, high: &Self) -> Self::Width;

        /// `self ± delta`; the caller guarantees the result is in range.
        fn offset(&self, delta: &Self::Width, upward: bool) -> Self;
    }
}

/// [`RandomInteger`](crate::integers::RandomInteger) and [`RangeInteger`](crate::integers::RangeInteger) for a primitive `$t`, working
/// in the unsigned type `$u` of the same width (`$t` itself when unsigned).
/// Draws in `$u` read the same bytes as Python for the same (positive)
/// bound; a signed type holds one random bit fewer.
macro_rules! primitive_integer {
    ($t:ty => $u:ty, $max_bits:expr) => {
        impl RandomInteger for $t {}

        impl sealed::Draw for $t {
            const MAX_BITS: Option<usize> = Some($max_bits);

            #[inline]
            fn is_positive(&self) -> bool {
                *self > 0
            }

            #[inline]
            fn draw_bits<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self> {
                // k <= MAX_BITS, so the value fits `$t`.
                Ok(<$u>::bits(source, k)? as $t)
            }

            #[inline]
            fn draw_below<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self> {
                // 0 < n, and the result is below n.
                Ok(<$u>::below(source, &(*n as $u))? as $t)
            }
        }

        impl RangeInteger for $t {}

        impl sealed::Signed for $t {
            type Width = $u;

            #[inline]
            fn distance(low: &Self, high: &Self) -> $u {
                // Two's complement: the wrapped difference is the true one
                // whenever it is non-negative, and it fits the unsigned type.
                high.wrapping_sub(*low) as $u
            }

            #[inline]
            fn offset(&self, delta: &$u, upward: bool) -> Self {
                // The true result lies in the type's range, so wrapping
                // arithmetic on the bit pattern gives it exactly.
                let bits = *self as $u;
                let moved = if upward {
                    bits.wrapping_add(*delta)
                } else {
                    bits.wrapping_sub(*delta)
                };
                moved as $t
            }
        }
    };
}

macro_rules! unsigned_primitive {
    ($($t:ty),* $(,)?) => {$(
        primitive_integer!($t => $t, <$t>::BITS as usize);

        impl sealed::Unsigned for $t {
            #[inline]
            fn div_ceil_positive(&self, divisor: &Self) -> Self {
                self.div_ceil(*divisor)
            }

            #[inline]
            fn times(&self, factor: &Self) -> Self {
                self * factor
            }
        }
    )*};
}

unsigned_primitive!(u8, u16, u32, u64, u128, usize);

macro_rules! signed_primitive {
    ($($t:ty => $u:ty),* $(,)?) => {$(
        primitive_integer!($t => $u, <$t>::BITS as usize - 1);
    )*};
}

signed_primitive!(i8 => u8, i16 => u16, i32 => u32, i64 => u64, i128 => u128, isize => usize);

#[cfg(feature = "bigint")]
mod big {
    use num_bigint::{BigInt, BigUint, Sign};
    use num_integer::Integer as _;

    use super::*;

    impl RandomInteger for BigUint {}

    impl sealed::Draw for BigUint {
        const MAX_BITS: Option<usize> = None;

        fn is_positive(&self) -> bool {
            !num_traits::Zero::is_zero(self)
        }

        fn draw_bits<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self> {
            // Not `Self::bits`: that is `BigUint`'s own bit length.
            <Self as ParityDraw>::bits(source, k)
        }

        fn draw_below<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self> {
            Self::below(source, n)
        }
    }

    impl sealed::Unsigned for BigUint {
        fn div_ceil_positive(&self, divisor: &Self) -> Self {
            self.div_ceil(divisor)
        }

        fn times(&self, factor: &Self) -> Self {
            self * factor
        }
    }

    impl RangeInteger for BigUint {}

    impl sealed::Signed for BigUint {
        type Width = BigUint;

        fn distance(low: &Self, high: &Self) -> BigUint {
            high - low
        }

        fn offset(&self, delta: &BigUint, upward: bool) -> Self {
            if upward { self + delta } else { self - delta }
        }
    }

    impl RangeInteger for BigInt {}

    impl sealed::Signed for BigInt {
        type Width = BigUint;

        fn distance(low: &Self, high: &Self) -> BigUint {
            (high - low).into_parts().1
        }

        fn offset(&self, delta: &BigUint, upward: bool) -> Self {
            let delta = BigInt::from_biguint(Sign::Plus, delta.clone());
            if upward { self + delta } else { self - delta }
        }
    }
}

/// Checks `k` against the bits of `T`: Python's `OverflowError` when a
/// fixed-width type cannot hold `k` bits.
pub(crate) fn check_bits<T: RandomInteger>(k: usize) -> Result<()> {
    match T::MAX_BITS {
        Some(max) if k > max => Err(Error::new(
            ErrorKind::Overflow,
            format!(
                "cannot draw {k} random bits into {}, which holds at most {max}; \
                 ask for at most {max} bits, or use a wider type or BigUint",
                std::any::type_name::<T>()
            ),
        )),
        _ => Ok(()),
    }
}

/// [`try_randbelow`](crate::fallible::try_randbelow) drawing from `source` instead of the kernel: with
/// the same bytes, the same result as CPython's `_randbelow`.
///
/// # Errors
///
/// As [`try_randbelow`](crate::fallible::try_randbelow), with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert!(secrets_kit::with_source::randbelow_with(&secrets_kit::OsEntropy, 10u32)? < 10);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn randbelow_with<T: RandomInteger, S: EntropySource + ?Sized>(
    source: &S,
    exclusive_upper_bound: T,
) -> Result<T> {
    randbelow_ref_with(source, &exclusive_upper_bound)
}

/// `randbelow` over any source, with Python's check of the bound.
pub(crate) fn randbelow_ref_with<T: RandomInteger, S: EntropySource + ?Sized>(
    source: &S,
    exclusive_upper_bound: &T,
) -> Result<T> {
    if !exclusive_upper_bound.is_positive() {
        return Err(Error::invalid(format!(
            "Upper bound must be positive: randbelow(n) returns a value in 0..n, \
             so n must be at least 1 (got {exclusive_upper_bound})"
        )));
    }
    T::draw_below(source, exclusive_upper_bound)
}

/// [`try_randbits`](crate::fallible::try_randbits) drawing from `source` instead of the kernel.
///
/// # Errors
///
/// As [`try_randbits`](crate::fallible::try_randbits), with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// let byte: u8 = secrets_kit::with_source::randbits_with(&secrets_kit::OsEntropy, 8)?;
/// # let _ = byte;
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn randbits_with<T: RandomInteger, S: EntropySource + ?Sized>(
    source: &S,
    k: usize,
) -> Result<T> {
    check_bits::<T>(k)?;
    T::draw_bits(source, k)
}

/// [`try_choice`](crate::fallible::try_choice) drawing from `source` instead of the kernel.
///
/// # Errors
///
/// As [`try_choice`](crate::fallible::try_choice), with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(*secrets_kit::with_source::choice_with(&secrets_kit::OsEntropy, &["only"])?, "only");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn choice_with<'a, T, S: EntropySource + ?Sized>(source: &S, seq: &'a [T]) -> Result<&'a T> {
    if seq.is_empty() {
        return Err(Error::new(
            ErrorKind::EmptySequence,
            "Cannot choose from an empty sequence; give at least one element",
        ));
    }
    let index = usize::below_from(source, &seq.len())?;
    Ok(&seq[index])
}

/// Returns a random integer in `0..exclusive_upper_bound`, uniformly:
/// Python's `secrets.randbelow`.
///
/// Works for every primitive integer type and, with the default feature
/// `bigint`, for [`num_bigint::BigUint`] of any size; see
/// [`RandomInteger`](crate::integers::RandomInteger). A plain literal is an `i32`: `randbelow(6)` works.
///
/// # Algorithm
///
/// CPython's: with `k` the bit length of the bound, draw `ceil(k / 8)`
/// bytes, keep the top `k` bits of their big-endian value, and draw again
/// while the result is not below the bound. Rejection of whole candidates
/// is exactly uniform (no modulo bias) for every width, one algorithm
/// serves `u8` and 3000-bit integers alike (Lemire's multiply-and-reject
/// needs a double-width product that `u128` and big integers lack), and
/// the bytes read are Python's, so a port can be checked value for value
/// against Python with the same kernel bytes. Fewer than two draws are
/// needed on average, each reading only the bytes it needs:
/// `randbelow(1000u32)` is one 2-byte request to the kernel.
///
/// # Panics
///
/// If `exclusive_upper_bound` is 0 or negative (Python: `ValueError`),
/// if the kernel's random source fails, and if a `BigUint` draw (as many
/// bytes as the bound has) cannot be allocated. Use [`try_randbelow`](crate::fallible::try_randbelow) for
/// bounds that come from input.
///
/// # Examples
///
/// ```
/// let die = secrets_kit::randbelow(6) + 1;
/// assert!((1..=6).contains(&die));
/// let byte = secrets_kit::randbelow(256u16);
/// assert!(byte < 256);
///
/// # #[cfg(feature = "bigint")] {
/// use num_bigint::BigUint;
/// let bound: BigUint = BigUint::from(1u8) << 300;
/// assert!(secrets_kit::randbelow(bound.clone()) < bound);
/// # }
/// ```
#[inline]
#[track_caller]
pub fn randbelow<T: RandomInteger>(exclusive_upper_bound: T) -> T {
    match randbelow_ref_with(&OsEntropy, &exclusive_upper_bound) {
        Ok(value) => value,
        Err(err) => crate::fail(err),
    }
}

/// Returns a random integer in `0..exclusive_upper_bound`, or an error.
///
/// # Errors
///
/// - [`ErrorKind::InvalidValue`] when `exclusive_upper_bound` is 0 or
///   negative (Python: `ValueError: Upper bound must be positive.`);
/// - [`ErrorKind::TooLarge`] when a big integer's draw cannot be allocated;
/// - [`ErrorKind::Os`] when the kernel's random source fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::ErrorKind;
///
/// assert!(secrets_kit::fallible::try_randbelow(10u64)? < 10);
/// assert_eq!(secrets_kit::fallible::try_randbelow(0u64).unwrap_err().kind(), ErrorKind::InvalidValue);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[inline]
pub fn try_randbelow<T: RandomInteger>(exclusive_upper_bound: T) -> Result<T> {
    randbelow_ref_with(&OsEntropy, &exclusive_upper_bound)
}

/// Returns an integer with `k` random bits, in `0..2^k`: Python's
/// `secrets.randbits`. `randbits(0)` is 0.
///
/// # Panics
///
/// If `k` is more bits than `T` holds (`T::BITS`, one fewer for a signed
/// type; use `u128` or `BigUint` for more), if a big integer's bytes cannot be allocated,
/// and if the kernel's random source fails. Use [`try_randbits`](crate::fallible::try_randbits) for `k`
/// that comes from input.
///
/// # Examples
///
/// ```
/// let salt: u32 = secrets_kit::randbits(20);
/// assert!(salt < 1 << 20);
/// assert_eq!(secrets_kit::randbits::<u8>(0), 0);
/// ```
#[inline]
#[track_caller]
pub fn randbits<T: RandomInteger>(k: usize) -> T {
    match randbits_with(&OsEntropy, k) {
        Ok(value) => value,
        Err(err) => crate::fail(err),
    }
}

/// Returns an integer with `k` random bits, or an error.
///
/// # Errors
///
/// - [`ErrorKind::Overflow`] when `k` is more bits than `T` holds
///   (`T::BITS`, one fewer for a signed type; Python: `OverflowError`);
/// - [`ErrorKind::TooLarge`] when the bytes for a `BigUint` of `k` bits
///   cannot be allocated;
/// - [`ErrorKind::Os`] when the kernel's random source fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::ErrorKind;
///
/// assert!(secrets_kit::fallible::try_randbits::<u64>(64).is_ok());
/// assert_eq!(secrets_kit::fallible::try_randbits::<u64>(65).unwrap_err().kind(), ErrorKind::Overflow);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[inline]
pub fn try_randbits<T: RandomInteger>(k: usize) -> Result<T> {
    randbits_with(&OsEntropy, k)
}

/// Returns a uniformly chosen element of `seq`, or `None` when it is
/// empty: Python's `secrets.choice`, where the empty case is an
/// `IndexError`.
///
/// # Panics
///
/// Only if the kernel's random source fails. [`try_choice`](crate::fallible::try_choice) reports both
/// that and the empty case as errors.
///
/// # Examples
///
/// ```
/// let colours = ["red", "green", "blue"];
/// let pick = secrets_kit::choice(&colours).expect("not empty");
/// assert!(colours.contains(pick));
/// assert_eq!(secrets_kit::choice::<u8>(&[]), None);
/// ```
#[inline]
#[track_caller]
pub fn choice<T>(seq: &[T]) -> Option<&T> {
    match choice_with(&OsEntropy, seq) {
        Ok(item) => Some(item),
        Err(err) if err.kind() == ErrorKind::EmptySequence => None,
        Err(err) => crate::fail(err),
    }
}

/// Returns a uniformly chosen element of `seq`, or an error.
///
/// # Errors
///
/// - [`ErrorKind::EmptySequence`] when `seq` is empty (Python:
///   `IndexError: Cannot choose from an empty sequence`);
/// - [`ErrorKind::Os`] when the kernel's random source fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::ErrorKind;
///
/// assert_eq!(*secrets_kit::fallible::try_choice(&[42])?, 42);
/// assert_eq!(secrets_kit::fallible::try_choice::<u8>(&[]).unwrap_err().kind(), ErrorKind::EmptySequence);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[inline]
pub fn try_choice<T>(seq: &[T]) -> Result<&T> {
    choice_with(&OsEntropy, seq)
}

#[cfg(test)]
mod tests {
    use super::sealed::Signed;

    #[test]
    fn signed_distance_and_offset_cover_the_whole_type() {
        assert_eq!(i8::distance(&i8::MIN, &i8::MAX), u8::MAX);
        assert_eq!(i8::MIN.offset(&u8::MAX, true), i8::MAX);
        assert_eq!(i8::MAX.offset(&u8::MAX, false), i8::MIN);
        assert_eq!(i64::distance(&-5, &5), 10);
        assert_eq!(5i64.offset(&10, false), -5);
    }
}
