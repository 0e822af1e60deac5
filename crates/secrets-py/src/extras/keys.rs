//! Framework keys in their exact formats (`secrets_kit_tokens::keys`):
//! Fernet, Django, Flask, Rails, JWT HS256/HS512.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use secrets_kit_tokens::keys::{KeyFormat, framework_key};

use super::OrRaise as _;

/// A new secret key in the format a framework expects: ``"fernet"`` (URL-safe
/// base64 of 32 bytes, as ``Fernet.generate_key()``), ``"django"`` (50
/// characters of Django's ``get_random_secret_key`` alphabet), ``"flask"``,
/// ``"rails"``, ``"jwt-hs256"`` or ``"jwt-hs512"``. An unknown name raises
/// ``ValueError`` listing them.
///
/// >>> import secrets_rs
/// >>> len(secrets_rs.key("django"))
/// 50
#[pyfunction]
pub(crate) fn key(format: &str) -> PyResult<String> {
    let Some(format) = KeyFormat::from_name(format) else {
        let names: Vec<&str> = KeyFormat::ALL.iter().map(|f| f.name()).collect();
        return Err(PyValueError::new_err(format!(
            "no key format is named {}; they are {}",
            secrets::Error::quoted(format),
            names.join(", ")
        )));
    };
    framework_key(format).or_raise()
}

/// A new Fernet key: URL-safe base64 of 32 random bytes (``key("fernet")``).
///
/// >>> import base64, secrets_rs
/// >>> len(base64.urlsafe_b64decode(secrets_rs.fernet_key()))
/// 32
#[pyfunction]
pub(crate) fn fernet_key() -> PyResult<String> {
    framework_key(KeyFormat::Fernet).or_raise()
}

/// A new Django ``SECRET_KEY``: 50 characters as Django's own
/// ``get_random_secret_key()`` makes them (``key("django")``).
///
/// >>> import secrets_rs
/// >>> len(secrets_rs.django_secret_key())
/// 50
#[pyfunction]
pub(crate) fn django_secret_key() -> PyResult<String> {
    framework_key(KeyFormat::Django).or_raise()
}
