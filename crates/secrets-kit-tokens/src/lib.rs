#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "api-key")]
pub mod apikey;
#[cfg(feature = "bulk")]
pub mod bulk;
#[cfg(feature = "formats")]
pub mod formats;
#[cfg(feature = "framework-keys")]
pub mod keys;

/// The core's seam and error type, re-exported so a user of this crate
/// alone can name them.
pub use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};
