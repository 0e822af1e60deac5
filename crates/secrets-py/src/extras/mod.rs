//! The names beyond the standard library's `secrets`: passwords under
//! policies, passphrases, API keys, TOTP enrolments, time-ordered IDs,
//! framework keys and what a secret's strength means, each one call into
//! the library's crates (`secrets-kit-gen`, `-otp`, `-tokens`).
//!
//! One module per concern; [`register`] adds them all to the extension
//! module. The Python half (`python/secrets_rs/_extras.py`) wraps what
//! needs Python objects (`uuid.UUID`) and re-exports the rest.

mod api_keys;
mod args;
mod cache;
mod explain;
mod ids;
mod keys;
mod passphrases;
mod passwords;
mod totp;

use pyo3::exceptions::PyUserWarning;
use pyo3::prelude::*;

/// Adds the extras' functions and classes to the extension module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(passwords::password, m)?)?;
    m.add_function(wrap_pyfunction!(passphrases::passphrase, m)?)?;
    m.add_function(wrap_pyfunction!(api_keys::api_key, m)?)?;
    m.add_function(wrap_pyfunction!(api_keys::verify_api_key, m)?)?;
    m.add_class::<totp::Totp>()?;
    m.add_function(wrap_pyfunction!(totp::totp, m)?)?;
    m.add_function(wrap_pyfunction!(ids::_uuid7, m)?)?;
    m.add_function(wrap_pyfunction!(ids::ulid, m)?)?;
    m.add_function(wrap_pyfunction!(keys::key, m)?)?;
    m.add_function(wrap_pyfunction!(keys::fernet_key, m)?)?;
    m.add_function(wrap_pyfunction!(keys::django_secret_key, m)?)?;
    m.add_class::<explain::Explanation>()?;
    m.add_function(wrap_pyfunction!(explain::explain, m)?)?;
    Ok(())
}

/// The drop-in's one mapping of library errors to Python exceptions.
pub(crate) use crate::errors::OrRaise;

/// Issues each of the library's warnings as a `UserWarning` at the
/// caller's line (what the command prints as `warning:` lines).
pub(crate) fn warn_all<W: std::fmt::Display>(py: Python<'_>, warnings: &[W]) -> PyResult<()> {
    let category = py.get_type::<PyUserWarning>();
    for warning in warnings {
        let text = std::ffi::CString::new(warning.to_string().replace('\0', " "))
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        PyErr::warn(py, &category, &text, 1)?;
    }
    Ok(())
}
