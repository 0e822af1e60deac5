#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod exact_text;
#[cfg(feature = "qr")]
pub mod qr;
pub mod totp;

/// The core's seam and error type, re-exported so a user of this crate
/// alone can name them.
pub use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};
