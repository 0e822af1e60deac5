//! Time-ordered IDs (`secrets_kit_tokens::formats`): version 7 UUIDs and
//! ULIDs, strictly increasing within the process (the library's monotonic
//! state, one mutex per kind, shared by every thread), within a
//! millisecond too. `uuid7` returns a `uuid.UUID`, built as the standard
//! library's own `uuid7` builds it.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::{intern, types::PyType};

use super::OrRaise as _;
use crate::capi::{SlotPair, generic_setattr, new_instance};

/// What a `uuid.UUID` is made of, looked up once: the class,
/// `uuid.SafeUUID.unknown`, and where an instance keeps `int` and
/// `is_safe` (`None` if they could not be found: then they are set by
/// name).
struct UuidParts {
    class: Py<PyType>,
    safe_unknown: Py<PyAny>,
    slots: Option<SlotPair>,
}

static UUID_PARTS: PyOnceLock<UuidParts> = PyOnceLock::new();

impl UuidParts {
    fn get(py: Python<'_>) -> PyResult<&'static UuidParts> {
        UUID_PARTS.get_or_try_init(py, || {
            let uuid = py.import("uuid")?;
            let class = uuid.getattr("UUID")?.cast_into::<PyType>()?;
            let safe_unknown = uuid.getattr("SafeUUID")?.getattr("unknown")?;
            // A sample with both slots set by name, then found by value:
            // an int no other object is (made here) and the enum member.
            let sample = new_instance(&class)?;
            let marker = (u128::MAX - 12_345).into_pyobject(py)?.into_any();
            generic_setattr(&sample, intern!(py, "int"), &marker)?;
            generic_setattr(&sample, intern!(py, "is_safe"), &safe_unknown)?;
            let slots = SlotPair::find(&class, &sample, &marker, &safe_unknown);
            Ok(UuidParts {
                class: class.unbind(),
                safe_unknown: safe_unknown.unbind(),
                slots,
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
    let value = secrets_kit_tokens::formats::uuid_v7_value().or_raise()?;
    uuid_from_value(py, value)
}

/// The `uuid.UUID` whose `int` is `value`, made as Python 3.14's own
/// `uuid7` makes its result (`UUID._from_int`): the value is valid by
/// construction, so `UUID.__init__`'s parsing and checks are skipped, the
/// instance is made as `object.__new__` makes it, and the two slots are
/// filled as `object.__setattr__` fills them (a `UUID` refuses its own
/// `__setattr__`): straight at their offsets ([`SlotPair`]) when those
/// were found, else by name.
pub(crate) fn uuid_from_value(py: Python<'_>, value: u128) -> PyResult<Bound<'_, PyAny>> {
    let parts = UuidParts::get(py)?;
    let class = parts.class.bind(py);
    let int = value.into_pyobject(py)?.into_any();
    if let Some(slots) = parts.slots {
        return slots.new_instance(class, int, parts.safe_unknown.bind(py).clone());
    }
    let uuid = new_instance(class)?;
    generic_setattr(&uuid, intern!(py, "int"), &int)?;
    generic_setattr(&uuid, intern!(py, "is_safe"), parts.safe_unknown.bind(py))?;
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
