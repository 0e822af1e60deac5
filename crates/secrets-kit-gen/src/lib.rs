#![doc = include_str!("../README.md")]
#![doc(test(attr(deny(warnings))))]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod charset;
mod engine;
pub mod explain;
mod generate;
pub mod password;
pub mod read;
#[cfg(feature = "wordlist")]
mod room;
mod warning;
#[cfg(feature = "wordlist")]
pub mod wordlist;

pub use generate::Generate;
#[cfg(feature = "wordlist")]
pub use generate::SizedPassphrase;
pub use warning::Warning;

/// The core's seam and error type, re-exported so a user of this crate
/// alone can name them.
pub use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};

// The unit tests' shared helpers: the core's integration-test helpers, and
// this crate's enumeration and chi-square helpers.
#[cfg(test)]
mod naive;
#[cfg(test)]
#[path = "../../secrets-kit/tests/common/mod.rs"]
mod test_common;
#[cfg(test)]
mod test_support;
