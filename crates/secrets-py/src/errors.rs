//! The library's errors as the exceptions CPython raises for the same
//! cause, and fallible allocation for every input-sized buffer.
//!
//! The fast paths only take arguments CPython accepts, so the library's
//! argument errors rarely reach Python: a rejected argument goes to
//! CPython's own code, which raises its own exception and message. What
//! does reach Python is a failed draw (`OSError`, as `os.urandom` raises)
//! and an allocation that cannot be made (`MemoryError`).

use pyo3::exceptions::{
    PyIndexError, PyMemoryError, PyOSError, PyOverflowError, PyTypeError, PyValueError,
    PyZeroDivisionError,
};
use pyo3::prelude::*;
use secrets::{Error, ErrorKind};

/// The Python exception for a library error: the one CPython raises for
/// the same cause.
pub(crate) fn to_py_err(err: &Error) -> PyErr {
    let msg = err.to_string();
    match err.kind() {
        // A file that cannot be read (a word list, a rules file), as
        // `open` raises it; Python shows no cause chain, so the message
        // carries the cause.
        ErrorKind::Io => PyOSError::new_err(match std::error::Error::source(err) {
            Some(cause) => format!("{msg}: {cause}"),
            None => msg,
        }),
        ErrorKind::Os => match err.raw_os_error() {
            Some(code) => PyOSError::new_err((code, msg)),
            None => PyOSError::new_err(msg),
        },
        ErrorKind::TooLarge => PyMemoryError::new_err(msg),
        ErrorKind::Overflow => PyOverflowError::new_err(msg),
        ErrorKind::InvalidInput => PyTypeError::new_err(msg),
        ErrorKind::EmptySequence => PyIndexError::new_err(msg),
        ErrorKind::ZeroDivision => PyZeroDivisionError::new_err(msg),
        _ => PyValueError::new_err(msg),
    }
}

/// `Result<T, secrets::Error>` to `PyResult<T>`.
pub(crate) trait OrRaise<T> {
    /// The value, or the Python exception for the library's error.
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for secrets::Result<T> {
    #[inline]
    fn or_raise(self) -> PyResult<T> {
        self.map_err(|e| to_py_err(&e))
    }
}

/// An empty vector with room for `n` items, or `MemoryError` (what
/// CPython raises when a list of that size cannot be made) instead of an
/// abort.
pub(crate) fn try_vec<T>(n: usize) -> PyResult<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| PyMemoryError::new_err(()))?;
    Ok(v)
}
