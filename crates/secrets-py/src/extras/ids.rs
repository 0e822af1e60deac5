//! Time-ordered IDs (`secrets_kit_tokens::formats`): version 7 UUIDs and
//! ULIDs, strictly increasing within the process (the library's monotonic
//! state, one mutex per kind, shared by every thread), within a
//! millisecond too.

use pyo3::prelude::*;

use super::OrRaise as _;

/// The next version 7 UUID of this process as text; ``secrets_rs.uuid7``
/// makes the ``uuid.UUID``.
#[pyfunction]
pub(crate) fn _uuid7() -> PyResult<String> {
    secrets_kit_tokens::formats::uuid_v7().or_raise()
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
