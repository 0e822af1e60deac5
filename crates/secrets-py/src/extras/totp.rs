//! `totp`: a TOTP enrolment (RFC 6238) from `secrets_kit_otp`: its secret,
//! its `otpauth://` URI, its codes and its QR code. The secret lives on the
//! Rust side only, wiped when the object is freed (the library's
//! `Enrolment` holds it in `Zeroizing` buffers), and never shown by
//! `repr`.

use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat};
use secrets_kit_otp::totp::{Algorithm, Enrolment, TotpOptions};

use super::OrRaise as _;
use super::args::size;

/// Pixels per module of the QR images by default (the command's).
const QR_SCALE: usize = 8;

/// Windows wider than this release the GIL while the codes are computed.
const DETACH_WINDOW: u64 = 64;

/// The widest window `verify` takes: 1000 periods each side (over 16 hours
/// at 30 seconds). Each period more is one more code an attacker's guess
/// may match, and the work grows with it.
const MAX_WINDOW: u64 = 1000;

/// A TOTP enrolment: a random secret and what an authenticator app needs
/// to make its codes. Made by :func:`totp`.
///
/// The secret is kept by the Rust side and wiped when the object is freed;
/// ``repr`` never shows it (``secret`` and ``uri`` do: show them only to
/// the user enrolling).
#[pyclass(frozen, name = "TOTP", module = "secrets_rs")]
pub(crate) struct Totp {
    enrolment: Enrolment,
}

fn algorithm_named(name: &str) -> PyResult<Algorithm> {
    match name.to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(PyValueError::new_err(format!(
            "algorithm must be \"SHA1\", \"SHA256\" or \"SHA512\", not {}",
            secrets::Error::quoted(name)
        ))),
    }
}

/// Unix seconds from an int or a float (floored), refusing times before
/// 1970.
fn unix_seconds(ob: &Bound<'_, PyAny>) -> PyResult<u64> {
    if let Ok(float) = ob.cast::<PyFloat>() {
        let t = float.value();
        if !t.is_finite() || t < 0.0 || t >= 2f64.powi(63) {
            return Err(PyValueError::new_err(format!(
                "the time must be a finite number of seconds from 1970 on, not {t}"
            )));
        }
        return Ok(t.floor() as u64);
    }
    size(ob, "the time")
}

fn now_seconds() -> PyResult<u64> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| PyValueError::new_err("the system clock reads before 1970"))
}

/// A new TOTP enrolment for ``account`` at ``issuer``, its 20-byte (160-bit)
/// secret drawn from the kernel.
///
/// ``digits`` is 6, 7 or 8; ``period`` 1 to 3600 seconds; ``algorithm``
/// ``"SHA1"`` (what every app supports), ``"SHA256"`` or ``"SHA512"``. The
/// issuer may not contain ``:``. Bad values raise ``ValueError``.
///
/// >>> import secrets_rs
/// >>> otp = secrets_rs.totp("Example", "alice@example.com")
/// >>> otp.uri.startswith("otpauth://totp/Example:alice%40example.com?secret=")
/// True
/// >>> otp.verify(otp.now())
/// True
#[pyfunction]
#[pyo3(signature = (issuer, account, *, digits=6, period=30, algorithm="SHA1"))]
pub(crate) fn totp(
    issuer: String,
    account: String,
    digits: u32,
    period: u32,
    algorithm: &str,
) -> PyResult<Totp> {
    let options = TotpOptions::new(issuer, account)
        .digits(digits)
        .period(period)
        .algorithm(algorithm_named(algorithm)?);
    Ok(Totp {
        enrolment: Enrolment::new(&options).or_raise()?,
    })
}

#[pymethods]
impl Totp {
    /// The secret in base32 (RFC 4648, no padding), as apps take it typed in.
    #[getter]
    fn secret(&self) -> &str {
        self.enrolment.secret_base32()
    }

    /// The ``otpauth://totp/...`` enrolment URI (Google's Key URI Format).
    #[getter]
    fn uri(&self) -> &str {
        self.enrolment.uri()
    }

    /// The issuer name.
    #[getter]
    fn issuer(&self) -> &str {
        self.enrolment.options().issuer_value()
    }

    /// The account name.
    #[getter]
    fn account(&self) -> &str {
        self.enrolment.options().account_value()
    }

    /// Digits per code: 6, 7 or 8.
    #[getter]
    fn digits(&self) -> u32 {
        self.enrolment.options().digits_value()
    }

    /// Seconds per code.
    #[getter]
    fn period(&self) -> u32 {
        self.enrolment.options().period_value()
    }

    /// The HMAC hash: ``"SHA1"``, ``"SHA256"`` or ``"SHA512"``.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.enrolment.options().algorithm_value().name()
    }

    /// The code for the current time.
    fn now(&self) -> PyResult<String> {
        self.enrolment.code_at(now_seconds()?).or_raise()
    }

    /// The code at ``timestamp`` (Unix seconds, an int or a float).
    fn at(&self, timestamp: &Bound<'_, PyAny>) -> PyResult<String> {
        self.enrolment.code_at(unix_seconds(timestamp)?).or_raise()
    }

    /// Whether ``code`` is the code of the current time (or of ``at``), or
    /// of up to ``window`` periods before or after it (clock drift; 0 to
    /// 1000). Every candidate is compared in constant time, with no early
    /// exit.
    #[pyo3(signature = (code, *, window=None, at=None),
        text_signature = "($self, code, *, window=1, at=None)")]
    fn verify(
        &self,
        py: Python<'_>,
        code: &Bound<'_, PyAny>,
        window: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        let Ok(code) = code.extract::<String>() else {
            return Err(PyTypeError::new_err(format!(
                "code must be a str, not {}",
                code.get_type().name()?
            )));
        };
        let window = match window {
            Some(window) => size(window, "window")?,
            None => 1,
        };
        if window > MAX_WINDOW {
            return Err(PyValueError::new_err(format!(
                "a window of {window} periods was asked for; the most is {MAX_WINDOW} (each \
                 period more is one more code a guess may match)"
            )));
        }
        let now = match at {
            Some(at) if !at.is_none() => unix_seconds(at)?,
            _ => now_seconds()?,
        };
        let period = u64::from(self.period());
        let check = || -> secrets::Result<bool> {
            let mut matched = false;
            let first = now.saturating_sub(window.saturating_mul(period));
            let last = now.saturating_add(window.saturating_mul(period));
            let mut t = first;
            while t <= last {
                let expected = self.enrolment.code_at(t)?;
                matched |= secrets::compare_digest(expected.as_bytes(), code.as_bytes());
                match t.checked_add(period) {
                    Some(next) => t = next,
                    None => break,
                }
            }
            Ok(matched)
        };
        if window > DETACH_WINDOW {
            py.detach(check).or_raise()
        } else {
            check().or_raise()
        }
    }

    /// The enrolment URI as a QR code in SVG, ``scale`` pixels per module.
    #[pyo3(signature = (*, scale=QR_SCALE))]
    fn qr_svg(&self, scale: usize) -> PyResult<String> {
        Ok(self.enrolment.qr().or_raise()?.to_svg(scale))
    }

    /// The enrolment URI as a QR code in PNG (8-bit grey), ``scale`` pixels
    /// per module.
    #[pyo3(signature = (*, scale=QR_SCALE))]
    fn qr_png<'py>(&self, py: Python<'py>, scale: usize) -> PyResult<Bound<'py, PyBytes>> {
        // A large image takes long to draw (scale=100 about 0.2 s): drawn
        // without the GIL, from a QR code this call owns.
        let qr = self.enrolment.qr().or_raise()?;
        let png = py.detach(|| qr.to_png(scale)).or_raise()?;
        // The image encodes the secret: wiped once Python has its copy.
        let png = zeroize::Zeroizing::new(png);
        Ok(PyBytes::new(py, &png))
    }

    fn __repr__(&self) -> String {
        format!(
            "TOTP(issuer={:?}, account={:?}, digits={}, period={}, algorithm={:?})",
            self.issuer(),
            self.account(),
            self.digits(),
            self.period(),
            self.algorithm()
        )
    }
}
