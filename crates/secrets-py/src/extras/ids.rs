//! Time-ordered IDs (`secrets_kit_tokens::formats`): version 7 UUIDs and
//! ULIDs, strictly increasing within the process (the library's monotonic
//! state, one mutex per kind, shared by every thread), within a
//! millisecond too. `uuid7` returns a `uuid.UUID`, built as the standard
//! library's own `uuid7` builds it.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::{intern, types::PyType};

use super::OrRaise as _;

/// What a `uuid.UUID` is made of, looked up once: the class,
/// `object.__new__`, `object.__setattr__` (a `UUID` refuses its own
/// `__setattr__`) and `uuid.SafeUUID.unknown`.
struct UuidParts {
    class: Py<PyType>,
    new_object: Py<PyAny>,
    set_slot: Py<PyAny>,
    safe_unknown: Py<PyAny>,
}

static UUID_PARTS: PyOnceLock<UuidParts> = PyOnceLock::new();

impl UuidParts {
    fn get(py: Python<'_>) -> PyResult<&'static UuidParts> {
        UUID_PARTS.get_or_try_init(py, || {
            let uuid = py.import("uuid")?;
            let object = py.get_type::<pyo3::types::PyAny>();
            Ok(UuidParts {
                class: uuid.getattr("UUID")?.cast_into::<PyType>()?.unbind(),
                new_object: object.getattr("__new__")?.unbind(),
                set_slot: object.getattr("__setattr__")?.unbind(),
                safe_unknown: uuid.getattr("SafeUUID")?.getattr("unknown")?.unbind(),
            })
        })
    }
}

/// A version 7 UUID (RFC 9562) as a :class:`uuid.UUID`: the Unix time in
/// milliseconds, then 74 random bits.
///
/// UUIDs from one process are strictly increasing, across threads too, as
/// Python 3.14's ``uuid.uuid7`` promises: within one millisecond the next
/// one adds a random increment (1 to 2**32) to the last one's random bits,
/// so it cannot be guessed from the one before.
///
/// >>> import secrets_rs
/// >>> a, b = secrets_rs.uuid7(), secrets_rs.uuid7()
/// >>> a.version, a < b
/// (7, True)
#[pyfunction]
pub(crate) fn uuid7(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let parts = UuidParts::get(py)?;
    let value = secrets_kit_tokens::formats::ordered_uuid_v7()
        .or_raise()?
        .value;
    // What Python 3.14's own `uuid7` does (`UUID._from_int`): the value is
    // valid by construction, so `UUID.__init__`'s parsing and checks are
    // skipped and the two slots are set directly.
    let uuid = parts.new_object.bind(py).call1((parts.class.bind(py),))?;
    let set_slot = parts.set_slot.bind(py);
    set_slot.call1((&uuid, intern!(py, "int"), value))?;
    set_slot.call1((&uuid, intern!(py, "is_safe"), parts.safe_unknown.bind(py)))?;
    Ok(uuid)
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
