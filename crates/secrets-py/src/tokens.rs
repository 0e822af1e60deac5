//! The `secrets` module's functions: `token_bytes`, `token_hex`,
//! `token_urlsafe`, `randbelow` (`randbits` and `choice` are `_sysrand`'s
//! bound methods, as in CPython's module).
//!
//! They follow CPython's `secrets.py`: `token_hex` and `token_urlsafe`
//! encode the module's `token_bytes`, which reads `DEFAULT_ENTROPY` and
//! calls `_sysrand.randbytes`; `randbelow` calls `_sysrand._randbelow`;
//! `randbits` and `choice` are `_sysrand`'s methods as the module was
//! imported. When nothing on that path is replaced, the library draws and
//! encodes (its token module's encoders); otherwise the Python version of
//! the function (CPython's code, in `__init__.py`) runs, and sees the
//! replacement as CPython's would.

use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyString;
use secrets::batch::TokenEncoding;
use secrets::fallible::{try_token_hex, try_token_urlsafe};
use zeroize::Zeroize;

use crate::capi::{arg, fast_fn};
use crate::draw::{self, DETACH_AT, exact_i64};
use crate::errors::OrRaise;
use crate::hooks::{Uses, count, hooks};
use crate::system_random::randbelow_read;

/// The largest `bytes` CPython can make: `PY_SSIZE_T_MAX` less the object
/// header (33 bytes on 64-bit). Past it `os.urandom` raises `OverflowError`;
/// below it, a size too large for memory raises `MemoryError`.
#[allow(clippy::cast_sign_loss)] // isize::MAX is positive.
const BYTES_MAX: usize = isize::MAX as usize - 33;

/// The size `token_bytes(nbytes)` would draw, when `nbytes` is `None` (the
/// module's `DEFAULT_ENTROPY`) or an exact non-negative int; `None` for
/// anything else, which CPython's code then handles.
fn token_size(py: Python<'_>, nbytes: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    Ok(match nbytes {
        Some(ob) if !ob.is_none() => exact_i64(ob).and_then(|n| usize::try_from(n).ok()),
        _ => hooks(py)?.default_entropy(py),
    })
}

/// The arguments to pass on to the Python version of a token function.
fn args<'py>(py: Python<'py>, nbytes: Option<&Bound<'py, PyAny>>) -> Vec<Bound<'py, PyAny>> {
    vec![nbytes.map_or_else(|| py.None().into_bound(py), Clone::clone)]
}

fast_fn! {
    /// `token_bytes([nbytes=None])`.
    pub(crate) struct TokenBytes = "token_bytes", "(nbytes=None)",
        "Return a random byte string containing *nbytes* bytes.\n\nIf *nbytes* is ``None`` or not supplied, a reasonable default is used.";
    params [; "nbytes"], keywords true;
    reference crate::hooks::reference;
    |py, args| token_bytes(py, args[0].as_deref())
}

fn token_bytes<'py>(
    py: Python<'py>,
    nbytes: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    let hooks = hooks(py)?;
    if hooks.token_bytes_pristine(py) {
        if let Some(n) = token_size(py, nbytes)? {
            return Ok(draw::random_bytes(py, n)?.into_any());
        }
    }
    hooks.python(py, intern!(py, "token_bytes"), &args(py, nbytes))
}

/// `token_hex` or `token_urlsafe`: the library's token, written straight
/// into the new Python string where the interpreter allows it, or else
/// made by the library and copied (the Rust copy then wiped).
fn token_text<'py>(
    py: Python<'py>,
    nbytes: Option<&Bound<'py, PyAny>>,
    encoding: TokenEncoding,
    name: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    let hooks = hooks(py)?;
    if hooks.token_text_pristine(py) {
        if let Some(n) = token_size(py, nbytes)? {
            if n > BYTES_MAX {
                // What os.urandom raises for this size.
                return Err(PyOverflowError::new_err("byte string is too large"));
            }
            let fill = |buf: &mut [u8]| {
                if n < DETACH_AT {
                    encoding.fill(n, buf)
                } else {
                    // The new string is no one else's yet.
                    py.detach(|| encoding.fill(n, buf))
                }
                .or_raise()
            };
            if let Some(len) = encoding.encoded_len(n) {
                if let Some(made) = crate::capi::new_ascii(py, len, fill) {
                    return Ok(made?.into_any());
                }
            }
            return Ok(copied_token(py, n, encoding)?.into_any());
        }
    }
    hooks.python(py, name, &args(py, nbytes))
}

/// The library's token of `n` bytes as a Python string, copied from the
/// library's own `String`, which is wiped once Python has its copy.
fn copied_token(
    py: Python<'_>,
    n: usize,
    encoding: TokenEncoding,
) -> PyResult<Bound<'_, PyString>> {
    let encode = match encoding {
        TokenEncoding::Hex => try_token_hex,
        _ => try_token_urlsafe,
    };
    let mut text = if n < DETACH_AT {
        encode(n)
    } else {
        py.detach(|| encode(n))
    }
    .or_raise()?;
    let made = PyString::new(py, &text);
    if text.len() < DETACH_AT {
        text.zeroize();
    } else {
        // Wiped and freed (20 MB for 10**7 bytes) without the GIL.
        py.detach(move || {
            text.zeroize();
            drop(text);
        });
    }
    Ok(made)
}

fast_fn! {
    /// `token_hex([nbytes=None])`.
    pub(crate) struct TokenHex = "token_hex", "(nbytes=None)",
        "Return a random text string, in hexadecimal.\n\nThe string has *nbytes* random bytes, each byte converted to two hex\ndigits. If *nbytes* is ``None`` or not supplied, a reasonable default is\nused.";
    params [; "nbytes"], keywords true;
    reference crate::hooks::reference;
    |py, args| token_text(py, args[0].as_deref(), TokenEncoding::Hex, intern!(py, "token_hex"))
}

fast_fn! {
    /// `token_urlsafe([nbytes=None])`.
    pub(crate) struct TokenUrlsafe = "token_urlsafe", "(nbytes=None)",
        "Return a random URL-safe text string, in Base64 encoding.\n\nThe string has *nbytes* random bytes. If *nbytes* is ``None`` or not\nsupplied, a reasonable default is used.";
    params [; "nbytes"], keywords true;
    reference crate::hooks::reference;
    |py, args| token_text(py, args[0].as_deref(), TokenEncoding::UrlSafe, intern!(py, "token_urlsafe"))
}

fast_fn! {
    /// `randbelow(exclusive_upper_bound)`.
    pub(crate) struct Randbelow = "randbelow", "(exclusive_upper_bound)",
        "Return a random int in the range [0, n).";
    params ["exclusive_upper_bound"], keywords true;
    reference crate::hooks::reference;
    |py, args| randbelow(py, arg(args, 0)?)
}

fn randbelow<'py>(
    py: Python<'py>,
    exclusive_upper_bound: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    let hooks = hooks(py)?;
    let n = exact_i64(exclusive_upper_bound);
    if n.is_some_and(|n| n <= 0) {
        return Err(PyValueError::new_err("Upper bound must be positive."));
    }
    if hooks.sysrand_pristine(py, Uses::RANDBELOW) {
        // The bound as already read: no second read.
        if let Some(value) = randbelow_read(py, exclusive_upper_bound, n)? {
            return Ok(value);
        }
    }
    hooks.python(
        py,
        intern!(py, "randbelow"),
        std::slice::from_ref(exclusive_upper_bound),
    )
}
