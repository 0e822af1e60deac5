//! `compare_digest(a, b, /)`: the library's constant-time comparison for
//! bytes and ASCII strings; CPython's own (`hmac.compare_digest`) for
//! everything else.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString};

use crate::capi::{arg, ascii_text, fast_fn};
use crate::draw::DETACH_AT;
use crate::hooks::{count, hooks};

fast_fn! {
    /// `compare_digest(a, b, /)`.
    pub(crate) struct CompareDigest = "compare_digest", "(a, b, /)",
        "Return 'a == b'.\n\nThis function uses an approach designed to prevent\ntiming analysis, making it appropriate for cryptography.\n\na and b must both be of the same type: either str (ASCII only),\nor any bytes-like object.\n\nNote: If a and b are of different lengths, or if an error occurs,\na timing attack could theoretically reveal information about the\ntypes and lengths of a and b--but not their values.";
    params ["a", "b"], keywords false;
    reference crate::hooks::reference;
    |py, args| compare_digest(py, arg(args, 0)?, arg(args, 1)?)
}

fn compare_digest<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyBytes>(), b.cast_exact::<PyBytes>()) {
        // Bytes are immutable and held by the caller: safe to read
        // without the GIL.
        return Ok(equal(py, x.as_bytes(), y.as_bytes()));
    }
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyString>(), b.cast_exact::<PyString>()) {
        // Two ASCII strings (CPython compares no other), read in place:
        // no copy, and long ones are compared without the GIL. The second
        // is not read when the first is not ASCII.
        if let Some(x) = ascii_text(x) {
            if let Some(y) = ascii_text(y) {
                return Ok(equal(py, x, y));
            }
        }
    }
    // Other buffers, str subclasses, non-ASCII text, wrong types: the
    // interpreter's own hmac.compare_digest decides, errors included.
    hooks(py)?.compare_with_cpython(py, a, b)
}

/// Are ASCII strings read in place (for tests): was the layout of a str
/// confirmed?
#[pyfunction]
pub(crate) fn _ascii_in_place(py: Python<'_>) -> bool {
    crate::capi::ascii_in_place(py)
}

/// The library's comparison of two immutable buffers the caller holds;
/// long ones are compared without the GIL.
fn equal<'py>(py: Python<'py>, x: &[u8], y: &[u8]) -> Bound<'py, PyAny> {
    let equal = if x.len().max(y.len()) >= DETACH_AT {
        py.detach(|| secrets::compare_digest(x, y))
    } else {
        secrets::compare_digest(x, y)
    };
    PyBool::new(py, equal).to_owned().into_any()
}
