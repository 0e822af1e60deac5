//! `compare_digest(a, b, /)`: the library's constant-time comparison for
//! bytes and ASCII strings, `hmac.compare_digest` for everything else.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString};

use crate::capi::{arg, fast_fn};
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
        let (x, y) = (x.as_bytes(), y.as_bytes());
        let equal = if x.len().max(y.len()) >= DETACH_AT {
            py.detach(|| secrets::compare_digest(x, y))
        } else {
            secrets::compare_digest(x, y)
        };
        return Ok(PyBool::new(py, equal).to_owned().into_any());
    }
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyString>(), b.cast_exact::<PyString>()) {
        // One UTF-8 copy of each (the limited API lends none before 3.10),
        // held here: the comparison of long ones runs without the GIL.
        if let (Ok(x), Ok(y)) = (x.encode_utf8(), y.encode_utf8()) {
            let (x, y) = (x.as_bytes(), y.as_bytes());
            let compare = || match (std::str::from_utf8(x), std::str::from_utf8(y)) {
                (Ok(x), Ok(y)) => secrets::compare::compare_digest_str(x, y).ok(),
                _ => None,
            };
            let equal = if x.len().max(y.len()) >= DETACH_AT {
                py.detach(compare)
            } else {
                compare()
            };
            if let Some(equal) = equal {
                return Ok(PyBool::new(py, equal).to_owned().into_any());
            }
        }
    }
    // Other buffers, str subclasses, non-ASCII text, wrong types: the
    // interpreter's own hmac.compare_digest decides, errors included.
    hooks(py)?.hmac_compare_digest.bind(py).call1((a, b))
}
