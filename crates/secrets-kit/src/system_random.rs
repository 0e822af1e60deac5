//! `SystemRandom`: Python's `random.SystemRandom`, the whole `random.Random`
//! API over the kernel's CSPRNG.
//!
//! This file holds the type, its entropy primitives (`random`,
//! `getrandbits`, `randbytes`) and the integer methods (`randbelow`,
//! `randrange`, `randint`). The sequence methods live in `sequence.rs` and
//! the real-valued distributions in `distributions.rs`.

use std::fmt;

use zeroize::Zeroize;

use crate::integer::sealed::Unsigned;
use crate::integer::{randbelow_ref_with, randbits_with};
use crate::integers::{RandomInteger, RangeInteger};
use crate::{EntropySource, Error, OsEntropy, Result};

/// `2^-53`: the spacing of the values `random()` returns.
const RECIP_2_POW_53: f64 = 1.0 / 9_007_199_254_740_992.0;

/// Python's `random.SystemRandom`: every method of `random.Random`, drawing
/// from the operating system's CSPRNG.
///
/// The methods use CPython's algorithms and read the same bytes: given the
/// same kernel output, each returns what Python returns (the crate's tests
/// replay Python's vectors through a scripted [`EntropySource`]).
///
/// | Python | Rust |
/// |---|---|
/// | `random()` | [`random`](Self::random) / [`try_random`](Self::try_random) |
/// | `getrandbits(k)` | [`getrandbits::<T>(k)`](Self::getrandbits) |
/// | `randbytes(n)` | [`randbytes`](Self::randbytes) / [`try_randbytes`](Self::try_randbytes) |
/// | `_randbelow(n)` / `secrets.randbelow` | [`randbelow`](Self::randbelow) |
/// | `randrange(stop)` | [`randrange(stop)`](Self::randrange) |
/// | `randrange(start, stop)` | [`randrange_from(start, stop)`](Self::randrange_from) |
/// | `randrange(start, stop, step)` | [`randrange_step(start, stop, step)`](Self::randrange_step) |
/// | `randint(a, b)` | [`randint`](Self::randint) |
/// | `choice(seq)` | [`choice`](Self::choice) (`Option`) / [`try_choice`](Self::try_choice) |
/// | `choices(pop, weights, cum_weights=, k=)` | [`choices(pop, Weights::…, k)`](Self::choices) |
/// | `sample(pop, k)` / `sample(pop, k, counts=)` | [`sample`](Self::sample) / [`sample_counts`](Self::sample_counts) |
/// | `shuffle(x)` | [`shuffle`](Self::shuffle) / [`try_shuffle`](Self::try_shuffle) |
/// | `uniform`, `triangular`, `normalvariate`, `gauss` | same names, and `try_` forms |
/// | `lognormvariate`, `expovariate`, `vonmisesvariate`, `gammavariate`, `betavariate`, `paretovariate`, `weibullvariate`, `binomialvariate` | same names, returning `Result` |
/// | `seed(x)` | [`seed`](Self::seed), a no-op kept for ports |
/// | `getstate()`, `setstate(s)`, pickling, `copy` | not provided: see *State* below |
///
/// # Errors and panics
///
/// A method that Python can make raise for its *arguments* returns
/// [`Result`](crate::Result), and the error's [`ErrorKind`](crate::ErrorKind)
/// names the Python exception (`ValueError` → `InvalidValue`, `IndexError` →
/// `EmptySequence`, `ZeroDivisionError` → `ZeroDivision`, `OverflowError` →
/// `Overflow`); the same `Result` carries a failure of the source.
///
/// A method that no argument can make fail (`random`, `uniform`,
/// `triangular`, `normalvariate`, `gauss`, `shuffle`, `randbytes`,
/// `choice`) returns its value directly and panics only if the source fails,
/// as [`token_bytes`](crate::token_bytes) does; each has a `try_` twin that
/// returns `Result` instead. The kernel source does not fail on a working
/// system; a scripted source in a test may run out.
///
/// Arguments that Python would reject with `TypeError` (a float where an
/// integer belongs, a negative count into a `usize`, both `weights` and
/// `cum_weights`) are rejected by the compiler here.
///
/// # State
///
/// `SystemRandom` has no state to seed, save or restore: every value comes
/// fresh from the kernel. Python's `seed()` is a stub there, and
/// `getstate`/`setstate`, pickling and copying raise `NotImplementedError`.
/// In Rust, [`seed`](Self::seed) is kept as a documented no-op so ported
/// code compiles, and `getstate`/`setstate` do not exist, so a call to them
/// is a compile error rather than a run-time one. For reproducible
/// sequences, which a secrets library must not offer by accident, use a
/// seeded generator from `rand` or a scripted [`EntropySource`] in tests.
///
/// The one piece of memory is `gauss`'s cache of its second value, as in
/// Python. It is wiped on drop, left out of `Debug`, and not copied by
/// `clone()`: a clone must never repeat its original's next output.
///
/// # Examples
///
/// ```
/// use secrets_kit::SystemRandom;
///
/// let rng = SystemRandom::new();
/// let x = rng.random();
/// assert!((0.0..1.0).contains(&x));
/// let die = rng.randint(1, 6)?;
/// assert!((1..=6).contains(&die));
/// let mut deck: Vec<u8> = (1..=52).collect();
/// rng.shuffle(&mut deck);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct SystemRandom<S: EntropySource = OsEntropy> {
    pub(crate) source: S,
    /// `gauss()`'s second value, as Python's `gauss_next`.
    pub(crate) gauss_next: Option<f64>,
}

impl SystemRandom<OsEntropy> {
    /// A generator over the kernel's CSPRNG. It holds no state; creating
    /// one costs nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert!(rng.random() < 1.0);
    /// ```
    #[must_use]
    pub fn new() -> Self {
        SystemRandom::with_source(OsEntropy)
    }
}

impl Default for SystemRandom<OsEntropy> {
    fn default() -> Self {
        SystemRandom::new()
    }
}

impl<S: EntropySource> SystemRandom<S> {
    /// A generator over another byte source.
    ///
    /// # Security
    ///
    /// Meant for tests: with scripted bytes, every method's result is known
    /// in advance. Only [`OsEntropy`] is fit for secrets.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{EntropySource, SystemRandom};
    ///
    /// /// Returns zero bytes only: for tests only.
    /// struct Zeros;
    /// impl EntropySource for Zeros {
    ///     fn fill_bytes(&self, dest: &mut [u8]) -> secrets_kit::Result<()> {
    ///         dest.fill(0);
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let rng = SystemRandom::with_source(Zeros);
    /// assert_eq!(rng.random(), 0.0);
    /// assert_eq!(rng.randint(1, 6)?, 1);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn with_source(source: S) -> Self {
        SystemRandom {
            source,
            gauss_next: None,
        }
    }

    /// The byte source this generator reads.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{OsEntropy, SystemRandom};
    /// assert_eq!(*SystemRandom::new().source(), OsEntropy);
    /// ```
    pub fn source(&self) -> &S {
        &self.source
    }

    /// Does nothing, as Python's `SystemRandom.seed`: the kernel cannot be
    /// seeded. Kept so that ported code compiles; it accepts any value and
    /// does not clear `gauss`'s cache (neither does Python's).
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// rng.seed(100);
    /// rng.seed("any value");
    /// ```
    pub fn seed<T>(&self, seed: T) {
        drop(seed);
    }

    // ----- Entropy primitives ---------------------------------------------

    /// A random float in `[0.0, 1.0)`: Python's `random()`.
    ///
    /// Reads 7 bytes, keeps 53 bits and scales them by `2^-53`, so every
    /// multiple of `2^-53` below 1.0, including 0.0, is equally likely.
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_random`](Self::try_random).
    ///
    /// # Examples
    ///
    /// ```
    /// let x = secrets_kit::SystemRandom::new().random();
    /// assert!((0.0..1.0).contains(&x));
    /// ```
    #[track_caller]
    pub fn random(&self) -> f64 {
        self.try_random().unwrap_or_else(|err| crate::fail(err))
    }

    /// A random float in `[0.0, 1.0)`, or the source's error.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`](crate::ErrorKind::Os) when the source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let x = secrets_kit::SystemRandom::new().try_random()?;
    /// assert!(x < 1.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[inline]
    pub fn try_random(&self) -> Result<f64> {
        let mut word = [0u8; 8];
        self.source.fill_bytes(&mut word[1..])?;
        let bits = u64::from_be_bytes(word) >> 3;
        #[allow(clippy::cast_precision_loss)] // 53 bits: exact.
        Ok(bits as f64 * RECIP_2_POW_53)
    }

    /// An integer with `k` random bits: Python's `getrandbits(k)`.
    ///
    /// Reads `ceil(k / 8)` bytes and keeps the top `k` bits of their
    /// big-endian value. `getrandbits(0)` reads nothing and returns 0.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when `k` is more
    /// bits than `T` holds (one fewer than `T::BITS` for a signed type), [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge)
    /// when a `BigUint`'s bytes cannot be allocated, and the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let id: u64 = rng.getrandbits(48)?;
    /// assert!(id < 1 << 48);
    /// assert!(rng.getrandbits::<u8>(9).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn getrandbits<T: RandomInteger>(&self, k: usize) -> Result<T> {
        randbits_with(&self.source, k)
    }

    /// `n` random bytes: Python's `randbytes(n)`, which for `SystemRandom`
    /// is `os.urandom(n)`.
    ///
    /// # Panics
    ///
    /// If the source fails or `n` bytes cannot be allocated; see
    /// [`try_randbytes`](Self::try_randbytes).
    ///
    /// # Examples
    ///
    /// ```
    /// let nonce = secrets_kit::SystemRandom::new().randbytes(12);
    /// assert_eq!(nonce.len(), 12);
    /// ```
    #[must_use]
    #[track_caller]
    pub fn randbytes(&self, n: usize) -> Vec<u8> {
        self.try_randbytes(n).unwrap_or_else(|err| crate::fail(err))
    }

    /// `n` random bytes, or an error.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when `n` bytes
    /// cannot be allocated (Python: `OverflowError` or `MemoryError`), and
    /// the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::ErrorKind;
    ///
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert_eq!(rng.try_randbytes(0)?, b"");
    /// assert_eq!(rng.try_randbytes(usize::MAX).unwrap_err().kind(), ErrorKind::TooLarge);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_randbytes(&self, n: usize) -> Result<Vec<u8>> {
        let mut out = crate::token::try_alloc(n, "randbytes")?;
        out.resize(n, 0);
        if let Err(err) = self.source.fill_bytes(&mut out) {
            out.zeroize();
            return Err(err);
        }
        Ok(out)
    }

    // ----- Integers ------------------------------------------------------

    /// A random integer in `0..exclusive_upper_bound`: Python's
    /// `secrets.randbelow` (and `SystemRandom._randbelow`) over this
    /// generator's source.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when the
    /// bound is 0 or negative, [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when
    /// a big integer's draw cannot be allocated, and the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert!(rng.randbelow(10u32)? < 10);
    /// assert!(rng.randbelow(0u32).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn randbelow<T: RandomInteger>(&self, exclusive_upper_bound: T) -> Result<T> {
        randbelow_ref_with(&self.source, &exclusive_upper_bound)
    }

    /// A random integer in `0..stop`: Python's `randrange(stop)`.
    ///
    /// Works for every primitive integer type, signed or unsigned, and for
    /// `BigInt`/`BigUint` of any size.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `stop <= 0` (Python: `ValueError: empty range for randrange()`), and
    /// the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert!((0..10).contains(&rng.randrange(10)?));
    /// assert!(rng.randrange(-721).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn randrange<T: RangeInteger>(&self, stop: T) -> Result<T> {
        let zero = T::zero();
        if stop <= zero {
            return Err(Error::invalid(format!(
                "empty range for randrange(): randrange({stop}) needs a stop above 0"
            )));
        }
        self.draw_in(&zero, &stop)
    }

    /// A random integer in `start..stop`: Python's `randrange(start, stop)`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `stop <= start` (Python: `ValueError: empty range in
    /// randrange(start, stop)`), and the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let year = rng.randrange_from(1970, 2038)?;
    /// assert!((1970..2038).contains(&year));
    /// assert!(rng.randrange_from(3, 3).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn randrange_from<T: RangeInteger>(&self, start: T, stop: T) -> Result<T> {
        if stop <= start {
            return Err(Error::invalid(format!(
                "empty range in randrange({start}, {stop}): stop must be greater than start"
            )));
        }
        self.draw_in(&start, &stop)
    }

    /// `start + _randbelow(stop - start)`, the draw of both `randrange`
    /// forms; the caller has checked `start < stop`.
    fn draw_in<T: RangeInteger>(&self, start: &T, stop: &T) -> Result<T> {
        let offset = T::Width::below_from(&self.source, &T::distance(start, stop))?;
        Ok(start.offset(&offset, true))
    }

    /// A random element of `start, start + step, …` before `stop`: Python's
    /// `randrange(start, stop, step)`.
    ///
    /// A negative step counts down from `start` towards `stop`, as in
    /// Python; with an unsigned type the step is positive, so use a signed
    /// type to count down.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `step` is 0 (Python: `ValueError: zero step for randrange()`,
    /// reported before an empty range) or the range holds no value, and the
    /// source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let even = rng.randrange_step(0, 10, 2)?;
    /// assert_eq!(even % 2, 0);
    /// let countdown = rng.randrange_step(10, 0, -3)?;
    /// assert!([10, 7, 4, 1].contains(&countdown));
    /// assert!(rng.randrange_step(0, 42, 0).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn randrange_step<T: RangeInteger>(&self, start: T, stop: T, step: T) -> Result<T> {
        let zero = T::zero();
        if step == zero {
            return Err(Error::invalid(format!(
                "zero step for randrange({start}, {stop}, {step}): the step must not be 0"
            )));
        }
        let upward = step > zero;
        let (low, high) = if upward {
            (&start, &stop)
        } else {
            (&stop, &start)
        };
        if high <= low {
            let direction = if upward {
                "a positive step needs stop > start"
            } else {
                "a negative step needs stop < start"
            };
            return Err(Error::invalid(format!(
                "empty range in randrange({start}, {stop}, {step}): {direction}"
            )));
        }
        let width = T::distance(low, high);
        let stride = if upward {
            T::distance(&zero, &step)
        } else {
            T::distance(&step, &zero)
        };
        // Python: n = (width + step - 1) // step, mirrored for a negative
        // step; the ceiling division below is the same number without the
        // overflow of `width + step`.
        let count = width.div_ceil_positive(&stride);
        let index = T::Width::below_from(&self.source, &count)?;
        Ok(start.offset(&stride.times(&index), upward))
    }

    /// A random integer in `a..=b`, both ends included: Python's
    /// `randint(a, b)`.
    ///
    /// Any range of the type works, including `randint(i64::MIN, i64::MAX)`
    /// and `randint(0, u128::MAX)`. `randint(a, a)` is `a` (and still reads
    /// a byte, as Python does).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `b < a` (Python: `ValueError: empty range in randint(a, b)`), and the
    /// source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let die = rng.randint(1, 6)?;
    /// assert!((1..=6).contains(&die));
    /// assert_eq!(rng.randint(2, 2)?, 2);
    /// assert!(rng.randint(5, 2).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn randint<T: RangeInteger>(&self, a: T, b: T) -> Result<T> {
        if b < a {
            return Err(Error::invalid(format!(
                "empty range in randint({a}, {b}): b must be at least a"
            )));
        }
        let max = T::distance(&a, &b);
        let offset = T::Width::up_to_from(&self.source, &max)?;
        Ok(a.offset(&offset, true))
    }
}

/// A clone reads the same source but starts with an empty `gauss` cache,
/// so it never repeats its original's next output.
impl<S: EntropySource + Clone> Clone for SystemRandom<S> {
    fn clone(&self) -> Self {
        SystemRandom::with_source(self.source.clone())
    }
}

/// Shows the source only: the `gauss` cache is a secret-derived value.
impl<S: EntropySource + fmt::Debug> fmt::Debug for SystemRandom<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SystemRandom")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl<S: EntropySource> Drop for SystemRandom<S> {
    fn drop(&mut self) {
        self.gauss_next.zeroize();
    }
}
