#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "api-key")]
pub mod apikey;
mod compare;
mod compare_hidden;
mod distributions;
mod entropy;
mod error;
pub mod formats;
mod integer;
#[cfg(feature = "framework-keys")]
pub mod keys;
#[cfg(feature = "bigint")]
pub mod password;
#[cfg(feature = "qr")]
pub mod qr;
mod sequence;
mod sys;
mod system_random;
mod token;
#[cfg(feature = "totp")]
pub mod totp;
pub mod wordlist;

#[cfg(feature = "rand_core")]
mod rand_core_impl;

pub use compare::{compare_digest, compare_digest_str};
pub use compare_hidden::{compare_length_hidden, compare_length_hidden_padded};
pub use entropy::{EntropySource, OsEntropy, fill_bytes, try_fill_bytes};
pub use error::{Error, ErrorKind, Result};
pub use integer::{
    RandomInteger, RangeInteger, choice, randbelow, randbits, try_choice, try_randbelow,
    try_randbits,
};
/// The arbitrary-size integer crate behind `BigUint`/`BigInt` support,
/// re-exported so callers need not pin its version themselves.
#[cfg(feature = "bigint")]
pub use num_bigint;
pub use sequence::Weights;
pub use sys::{Source, source};
#[doc(hidden)]
pub use sys::{fuzz_api as __fuzz, test_api as __private};
pub use system_random::SystemRandom;
pub use token::{
    DEFAULT_ENTROPY, token_bytes, token_hex, token_urlsafe, try_token_bytes, try_token_hex,
    try_token_urlsafe,
};

/// The panicking forms end here: with the error's message, so the cause is
/// never lost.
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn fail(err: Error) -> ! {
    panic!("secrets: {err}")
}
