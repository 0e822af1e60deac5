//! The names beyond the standard library's `secrets`: passwords under
//! policies, passphrases, API keys, TOTP enrolments, time-ordered IDs,
//! framework keys and what a secret's strength means, each one call into
//! the library's crates (`secrets-kit-gen`, `-otp`, `-tokens`).
//!
//! One module per concern; [`register`] adds them all to the extension
//! module; the Python half (`python/secrets_rs/_extras.py`) re-exports
//! them.

mod api_keys;
mod args;
mod cache;
mod explain;
pub(crate) mod ids;
mod keys;
mod passphrases;
mod passwords;
mod totp;

use pyo3::exceptions::PyUserWarning;
use pyo3::prelude::*;

/// Adds the extras' functions and classes to the extension module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    /// `m.add_function(wrap_pyfunction!(f, m)?)?` for each `f`.
    macro_rules! add_functions {
        ($($function:path),* $(,)?) => {
            $(m.add_function(wrap_pyfunction!($function, m)?)?;)*
        };
    }
    add_functions!(
        passwords::password,
        passphrases::passphrase,
        api_keys::api_key,
        api_keys::verify_api_key,
        totp::totp,
        ids::uuid7,
        ids::ulid,
        keys::key,
        keys::fernet_key,
        keys::django_secret_key,
        explain::explain,
    );
    m.add_class::<totp::Totp>()?;
    m.add_class::<explain::Explanation>()?;
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
