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
mod compare;
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

pub use compare::{compare_digest, compare_digest_str};
#[cfg(feature = "compare-hidden")]
pub use compare_hidden::{
    compare_length_hidden, compare_length_hidden_padded, compare_length_hidden_padded_with,
    compare_length_hidden_with,
};
pub use entropy::{Backend, EntropySource, OsEntropy, backend, fill_bytes, try_fill_bytes};
#[doc(hidden)]
pub use entropy::{fuzz_api as __fuzz, test_api as __private};
pub use error::{Error, ErrorKind, Result};
pub use integer::{
    RandomInteger, RangeInteger, choice, choice_with, randbelow, randbelow_with, randbits,
    randbits_with, try_choice, try_randbelow, try_randbits,
};
/// The arbitrary-size integer crate behind `BigUint`/`BigInt` support,
/// re-exported so callers need not pin its version themselves.
#[cfg(feature = "bigint")]
pub use num_bigint;
pub use sample::Uniform;
pub use sequence::Weights;
pub use system_random::SystemRandom;
pub use token::{
    DEFAULT_ENTROPY, TokenBatch, TokenEncoding, token_bytes, token_bytes_with, token_hex,
    token_hex_with, token_urlsafe, token_urlsafe_with, try_token_bytes, try_token_hex,
    try_token_urlsafe,
};

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
