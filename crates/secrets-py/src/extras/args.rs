//! Reading the extras' arguments: sizes and counts as the library's
//! `usize`/`u64`, with CPython's exceptions for the wrong type (`TypeError`)
//! and for a negative or impossible value (`ValueError`).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

/// A non-negative int argument named `what`. Booleans are refused: a
/// `True` length is a mistake, not 1.
pub(crate) fn size(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<u64> {
    if ob.is_instance_of::<PyBool>() || !ob.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an int, not {}",
            ob.get_type().name()?
        )));
    }
    // Any int that fits is non-negative; only a refusal needs the
    // comparison with 0 (a Python call, slower than the conversion).
    if let Ok(n) = ob.extract::<u64>() {
        return Ok(n);
    }
    if ob.lt(0)? {
        return Err(PyValueError::new_err(format!(
            "{what} must not be negative"
        )));
    }
    Err(PyValueError::new_err(format!("{what} is too large")))
}

/// [`size`] as a `usize`.
pub(crate) fn size_usize(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<usize> {
    usize::try_from(size(ob, what)?)
        .map_err(|_| PyValueError::new_err(format!("{what} is too large")))
}

/// [`size`] for an optional argument.
pub(crate) fn opt_size(ob: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<u64>> {
    ob.map(|ob| size(ob, what)).transpose()
}

/// [`size_usize`] for an optional argument.
pub(crate) fn opt_usize(ob: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<usize>> {
    ob.map(|ob| size_usize(ob, what)).transpose()
}

/// `length` and `bits` both given: the command refuses the pair too.
pub(crate) fn length_or_bits<A, B>(
    length: &Option<A>,
    bits: &Option<B>,
    length_name: &str,
) -> PyResult<()> {
    if length.is_some() && bits.is_some() {
        return Err(PyValueError::new_err(format!(
            "give {length_name} or bits, not both: each sets the size"
        )));
    }
    Ok(())
}
