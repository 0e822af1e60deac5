//! Time-ordered IDs (`secrets_kit_tokens::formats`): version 7 UUIDs and
//! ULIDs, strictly increasing within the process (the library's monotonic
//! state, one mutex per kind, shared by every thread), within a
//! millisecond too.

use pyo3::prelude::*;

use super::OrRaise as _;

/// The next version 7 UUID of this process as its 128-bit integer;
/// ``secrets_rs.uuid7`` makes the ``uuid.UUID`` from it without parsing
/// text in Python.
#[pyfunction]
pub(crate) fn _uuid7() -> PyResult<u128> {
    let text = secrets_kit_tokens::formats::uuid_v7().or_raise()?;
    // 32 hexadecimal digits and 4 hyphens, as the library writes them.
    Ok(text
        .bytes()
        .filter_map(|b| char::from(b).to_digit(16))
        .fold(0u128, |value, digit| value << 4 | u128::from(digit)))
}

/// A ULID: 26 Crockford base32 characters, the Unix time in milliseconds
/// (48 bits) then 80 random bits. ULIDs from one process are strictly
/// increasing, as strings too: within a millisecond the next one adds a
/// random increment (1 to 2^32) to the last one's random field.
///
/// >>> import secrets_rs
/// >>> a, b = secrets_rs.ulid(), secrets_rs.ulid()
/// >>> len(a), a < b
/// (26, True)
#[pyfunction]
pub(crate) fn ulid() -> PyResult<String> {
    secrets_kit_tokens::formats::ulid().or_raise()
}
