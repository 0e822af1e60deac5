#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Lets the unit tests share the integration tests' helpers, which name the
// crate `secrets`.
#[cfg(test)]
extern crate self as secrets_kit;
#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod test_common;

pub mod buffer;
pub mod charset;
pub mod compare;
#[cfg(feature = "compare-hidden")]
mod compare_hidden;
mod distributions;
mod entropy;
mod error;
mod integer;
mod sample;
mod sequence;
pub mod strength;
mod system_random;
mod token;

#[cfg(feature = "rand_core")]
mod rand_core_impl;

pub use compare::compare_digest;
pub use entropy::{Backend, EntropySource, OsEntropy, backend, fill_bytes, try_fill_bytes};
#[doc(hidden)]
pub use entropy::{fuzz_api as __fuzz, test_api as __private};
pub use error::{Error, ErrorKind, Result};
pub use integer::{choice, randbelow, randbits};
pub use sample::Uniform;
pub use system_random::SystemRandom;
pub use token::{DEFAULT_ENTROPY, token_bytes, token_hex, token_urlsafe};

/// The forms of Python's functions that return an [`Error`] instead of
/// panicking: for sizes and bounds that come from untrusted input.
///
/// Each `try_*` function returns exactly what its namesake at the crate
/// root returns, or the error the panicking form would have panicked with
/// ([`ErrorKind::TooLarge`] for a size that cannot be allocated,
/// [`ErrorKind::InvalidValue`] for a bound Python rejects, [`ErrorKind::Os`] when
/// the kernel's random source fails).
///
/// # Examples
///
/// ```
/// use secrets_kit::{ErrorKind, fallible};
///
/// assert_eq!(fallible::try_token_hex(16)?.len(), 32);
/// assert!(fallible::try_randbelow(10u32)? < 10);
/// assert_eq!(fallible::try_randbelow(0u32).unwrap_err().kind(), ErrorKind::InvalidValue);
/// assert_eq!(fallible::try_choice::<u8>(&[]).unwrap_err().kind(), ErrorKind::EmptySequence);
/// assert_eq!(fallible::try_token_bytes(usize::MAX).unwrap_err().kind(), ErrorKind::TooLarge);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub mod fallible {
    pub use crate::integer::{try_choice, try_randbelow, try_randbits};
    pub use crate::token::{try_token_bytes, try_token_hex, try_token_urlsafe};
}

/// Python's functions drawing from a given [`EntropySource`] instead of
/// the kernel: for tests that replay scripted bytes, and for callers with
/// their own source.
///
/// Given the same bytes, each `*_with` function returns what its namesake
/// returns (and what Python returns); they never panic.
///
/// # Examples
///
/// ```
/// use secrets_kit::{OsEntropy, with_source};
///
/// assert_eq!(with_source::token_hex_with(&OsEntropy, 4)?.len(), 8);
/// assert!(with_source::randbelow_with(&OsEntropy, 6u8)? < 6);
/// assert_eq!(with_source::randbits_with::<u8, _>(&OsEntropy, 0)?, 0);
/// assert_eq!(*with_source::choice_with(&OsEntropy, &["only"])?, "only");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub mod with_source {
    pub use crate::integer::{choice_with, randbelow_with, randbits_with};
    pub use crate::token::{token_bytes_with, token_hex_with, token_urlsafe_with};
}

/// The integer types Python's integer functions accept: [`RandomInteger`](crate::integers::RandomInteger)
/// (the bound of [`randbelow`] and the result of
/// [`randbits`]) and [`RangeInteger`](crate::integers::RangeInteger) (the arguments of
/// [`SystemRandom::randrange`](crate::SystemRandom::randrange) and
/// [`SystemRandom::randint`](crate::SystemRandom::randint)). Both are
/// sealed: the crate implements them for the machine integers (and for
/// `num_bigint`'s `BigUint`/`BigInt` with the `bigint` feature).
///
/// # Examples
///
/// ```
/// use secrets_kit::integers::RandomInteger;
///
/// fn die<T: RandomInteger + From<u8>>() -> T {
///     secrets_kit::randbelow(T::from(6u8))
/// }
/// assert!(die::<u64>() < 6);
/// ```
pub mod integers {
    pub use crate::integer::{RandomInteger, RangeInteger};
}

/// The argument types of [`SystemRandom`]'s sequence
/// methods: [`Weights`](crate::sequences::Weights), the relative or cumulative weights of
/// [`SystemRandom::choices`](crate::SystemRandom::choices); and
/// [`SampleIndices`](crate::sequences::SampleIndices), the picks of
/// [`SystemRandom::sample`](crate::SystemRandom::sample) a step at a time.
///
/// # Examples
///
/// ```
/// use secrets_kit::{SystemRandom, sequences::Weights};
///
/// let rng = SystemRandom::new();
/// let picks = rng.choices(&["a", "b"], Weights::Relative(&[0.0, 1.0]), 3)?;
/// assert_eq!(picks, [&"b"; 3]);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub mod sequences {
    pub use crate::sequence::{SampleIndices, Weights};
}

/// Many tokens of one size and encoding at a time: [`TokenBatch`](crate::batch::TokenBatch) draws a
/// batch of them per kernel call (the fast way to make a million tokens),
/// in fork-safe memory; [`TokenEncoding`](crate::batch::TokenEncoding) says how each is written.
///
/// # Examples
///
/// ```
/// use secrets_kit::batch::{TokenBatch, TokenEncoding};
///
/// let mut count = 0;
/// TokenBatch::new(16, TokenEncoding::Hex)?.for_each(100, |token| {
///     assert_eq!(token.len(), 32);
///     count += 1;
///     Ok::<(), secrets_kit::Error>(())
/// })?;
/// assert_eq!(count, 100);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub mod batch {
    pub use crate::token::{TokenBatch, TokenEncoding};
}

/// Fallible allocation: a buffer whose size comes from input is reserved
/// with [`alloc::try_alloc`], so that a request too large for memory is a
/// [`ErrorKind::TooLarge`] error instead of an abort. The crates beside this
/// one use it for the same reason.
pub mod alloc {
    pub use crate::token::try_alloc;
}

/// The panicking forms end here: with the error's message, so the cause is
/// never lost.
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn fail(err: Error) -> ! {
    panic!("secrets: {err}")
}
