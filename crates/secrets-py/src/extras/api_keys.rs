//! `api_key` and `verify_api_key`: checksummed API keys
//! (`secrets_kit_tokens::apikey`): a prefix, 30 random base62 characters
//! and a 6-character CRC-32 checksum, so that a scanner can tell a key from
//! a look-alike without a database.

use pyo3::prelude::*;
use pyo3::types::PyString;
use secrets_kit_tokens::apikey;

use super::OrRaise as _;

/// A new API key: ``prefix``, 30 random base62 characters (about 178.6
/// bits) and a 6-character checksum of them.
///
/// ``prefix`` is a lower-case letter, 1 to 9 lower-case letters or digits,
/// then ``_`` (like ``"ghp_"``); anything else raises ``ValueError``.
///
/// >>> import secrets_rs
/// >>> key = secrets_rs.api_key("acme_")
/// >>> key.startswith("acme_") and len(key) == 41
/// True
/// >>> secrets_rs.verify_api_key(key, "acme_")
/// True
#[pyfunction]
pub(crate) fn api_key(prefix: &str) -> PyResult<String> {
    apikey::api_key(prefix).or_raise()
}

/// Whether ``key`` is an API key as :func:`api_key` makes them: the form
/// and its checksum (which says nothing of whether the key was issued; look
/// that up, comparing with :func:`compare_digest`). With ``prefix``, the
/// key must also have that prefix (a malformed ``prefix`` raises
/// ``ValueError``).
///
/// >>> import secrets_rs
/// >>> secrets_rs.verify_api_key("acme_" + "0" * 36)
/// False
#[pyfunction]
#[pyo3(signature = (key, prefix=None))]
pub(crate) fn verify_api_key(key: &Bound<'_, PyString>, prefix: Option<&str>) -> PyResult<bool> {
    if let Some(prefix) = prefix {
        apikey::check_prefix(prefix).or_raise()?;
    }
    // A key is ASCII, so its length in characters (which the str knows)
    // is its length in bytes: a str of another length is refused before
    // the interpreter makes its UTF-8 copy, which for 10^7 characters
    // beyond ASCII held the GIL for about 37 ms. (Only for a str itself:
    // a subclass's `len` is whatever its `__len__` says.)
    if key.is_exact_instance_of::<PyString>()
        && !(apikey::MIN_KEY_CHARS..=apikey::MAX_KEY_CHARS).contains(&key.len()?)
    {
        return Ok(false);
    }
    let key = key.to_cow()?;
    Ok(match prefix {
        Some(prefix) => apikey::verify_api_key_for(&key, prefix).is_ok(),
        None => apikey::verify_api_key(&key).is_ok(),
    })
}
