//! The Rust half of the Python package `secrets-rs` (`import secrets_rs`).
//!
//! Python's `secrets` module and `random.SystemRandom`, drawing from the
//! `secrets` crate (the vDSO `getrandom` on Linux 6.11+). The Python half,
//! `python/secrets_rs/__init__.py`, defines `SystemRandom` as a subclass of
//! the running interpreter's own `random.SystemRandom`, whose hot methods
//! call the functions here.
//!
//! Every function has a fast path for the common, exactly typed arguments
//! (`type(x) is int`, lists, tuples, strings, ranges) that succeed; anything
//! else (other types, every error case) is handed to the interpreter's own
//! `random.SystemRandom` method, so argument handling, warnings, exception
//! types and messages are those of the interpreter that imported us. Its
//! inner calls (`self._randbelow`, `self.getrandbits`, `self.random`) come
//! back here, so the bytes still come from this library.

use std::sync::atomic::{AtomicU64, Ordering};

use num_bigint::BigUint;
use pyo3::exceptions::{
    PyIndexError, PyMemoryError, PyOSError, PyOverflowError, PyRuntimeError, PyTypeError,
    PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use pyo3::{PyTypeInfo, intern};
use secrets::{Error, ErrorKind};
use zeroize::Zeroize;

/// Draws at or above this size release the GIL while the kernel fills them.
const DETACH_AT: usize = 64 * 1024;

/// The largest `bytes` CPython can make: `PY_SSIZE_T_MAX` less the object
/// header (33 bytes on 64-bit). Past it `os.urandom` raises `OverflowError`,
/// below it a size too large for memory raises `MemoryError`.
#[allow(clippy::cast_sign_loss)] // isize::MAX is positive.
const BYTES_MAX: usize = isize::MAX as usize - 33;

/// Bytes fetched at a time by the many-draw methods (shuffle, sample,
/// choices): one library call for many indices instead of one each.
const STREAM_CHUNK: usize = 1024;

/// How many times Python entered this module: the conformance runner reads
/// it to prove CPython's tests exercised our code and not Python's.
static CALLS: AtomicU64 = AtomicU64::new(0);

#[inline]
fn count() {
    CALLS.fetch_add(1, Ordering::Relaxed);
}

/// The Python objects the fallbacks and type checks need, given once by
/// `secrets_rs/__init__.py` through `_install`.
struct Hooks {
    ours: Py<PyType>,
    base: Py<PyType>,
    /// `random.Random`: what a first argument must be to count as `self`.
    random_class: Py<PyAny>,
    sysrand: Py<PyAny>,
    hmac_compare_digest: Py<PyAny>,
    range_type: Py<PyType>,
    /// `ours.random`, `ours.getrandbits`, `ours._randbelow`, `ours.randrange`:
    /// a subclass that keeps all four may take the fast paths.
    primitives: [Py<PyAny>; 4],
}

static HOOKS: PyOnceLock<Hooks> = PyOnceLock::new();

fn hooks(py: Python<'_>) -> PyResult<&'static Hooks> {
    HOOKS
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("secrets_rs._secrets_rs used before _install()"))
}

const PRIMITIVE_NAMES: [&str; 4] = ["random", "getrandbits", "_randbelow", "randrange"];

/// Connects the Rust functions to the Python class built on them.
#[pyfunction]
fn _install(
    py: Python<'_>,
    ours: Bound<'_, PyType>,
    base: Bound<'_, PyType>,
    sysrand: Bound<'_, PyAny>,
    hmac_compare_digest: Bound<'_, PyAny>,
) -> PyResult<()> {
    let range_type = py
        .import("builtins")?
        .getattr("range")?
        .cast_into::<PyType>()?;
    let mut primitives = Vec::with_capacity(PRIMITIVE_NAMES.len());
    for name in PRIMITIVE_NAMES {
        primitives.push(ours.getattr(name)?.unbind());
    }
    let primitives: [Py<PyAny>; 4] = primitives
        .try_into()
        .map_err(|_| PyRuntimeError::new_err("primitive list"))?;
    let random_class = py.import("random")?.getattr("Random")?.unbind();
    let installed = Hooks {
        ours: ours.unbind(),
        base: base.unbind(),
        random_class,
        sysrand: sysrand.unbind(),
        hmac_compare_digest: hmac_compare_digest.unbind(),
        range_type: range_type.unbind(),
        primitives,
    };
    // A second import of the module (a fresh interpreter state) keeps the
    // first hooks, which describe the same classes.
    let _ = HOOKS.set(py, installed);
    Ok(())
}

/// The number of calls Python made into this module so far.
#[pyfunction]
fn _rust_calls() -> u64 {
    CALLS.load(Ordering::Relaxed)
}

fn to_py_err(err: &Error) -> PyErr {
    let msg = err.to_string();
    match err.kind() {
        ErrorKind::Os => match err.raw_os_error() {
            Some(code) => PyOSError::new_err((code, msg)),
            None => PyOSError::new_err(msg),
        },
        ErrorKind::TooLarge => PyMemoryError::new_err(msg),
        ErrorKind::Overflow => PyOverflowError::new_err(msg),
        ErrorKind::InvalidInput => PyTypeError::new_err(msg),
        ErrorKind::EmptySequence => PyIndexError::new_err(msg),
        _ => PyValueError::new_err(msg),
    }
}

fn fill(py: Python<'_>, buf: &mut [u8]) -> PyResult<()> {
    let result = if buf.len() >= DETACH_AT {
        py.detach(|| secrets::try_fill_bytes(buf))
    } else {
        secrets::try_fill_bytes(buf)
    };
    result.map_err(|e| to_py_err(&e))
}

/// `n` fresh random bytes as a Python `bytes`; `MemoryError` when they
/// cannot be allocated, as `os.urandom` gives.
fn random_bytes(py: Python<'_>, n: usize) -> PyResult<Bound<'_, PyBytes>> {
    if isize::try_from(n).is_err() {
        return Err(PyOverflowError::new_err(
            "Python int too large to convert to C ssize_t",
        ));
    }
    PyBytes::new_with(py, n, |buf| fill(py, buf))
}

/// `Some(v)` for an exact `int` (not a subclass, not `bool`) that fits.
#[inline]
fn exact_i64(ob: &Bound<'_, PyAny>) -> Option<i64> {
    if ob.is_exact_instance_of::<PyInt>() {
        ob.extract::<i64>().ok()
    } else {
        None
    }
}

/// An exact `float`, or an exact `int` whose conversion to float Python
/// would round the same way (every `i64` does).
#[inline]
fn exact_f64(ob: &Bound<'_, PyAny>) -> Option<f64> {
    if ob.is_exact_instance_of::<PyFloat>() {
        ob.extract::<f64>().ok()
    } else {
        #[allow(clippy::cast_precision_loss)] // As Python's float(int).
        exact_i64(ob).map(|v| v as f64)
    }
}

/// May `slf` skip its own methods and use ours directly? Yes for our class
/// and for subclasses that keep our primitives.
fn fast_ok(py: Python<'_>, hooks: &Hooks, slf: &Bound<'_, PyAny>) -> bool {
    let ty = slf.get_type();
    if ty.is(hooks.ours.bind(py)) {
        return true;
    }
    PRIMITIVE_NAMES
        .iter()
        .zip(&hooks.primitives)
        .all(|(name, ours)| ty.getattr(*name).is_ok_and(|attr| attr.is(ours.bind(py))))
}

/// `method(slf, *args, **kwargs)`.
fn call_with_self<'py>(
    method: &Bound<'py, PyAny>,
    slf: &Bound<'py, PyAny>,
    args: impl ExactSizeIterator<Item = Bound<'py, PyAny>>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut all: Vec<Bound<'py, PyAny>> = Vec::with_capacity(args.len() + 1);
    all.push(slf.clone());
    all.extend(args);
    method.call(PyTuple::new(method.py(), all)?, kwargs)
}

/// Calls the interpreter's own `random.SystemRandom.<name>(slf, *args)`.
fn defer<'py>(
    py: Python<'py>,
    name: &Bound<'py, PyString>,
    slf: &Bound<'py, PyAny>,
    args: &[&Bound<'py, PyAny>],
) -> PyResult<Bound<'py, PyAny>> {
    defer_with_keywords(py, name, slf, args, &[])
}

/// [`defer`] for methods with keyword-only parameters: those are passed
/// by keyword, as the interpreter's method takes them.
fn defer_with_keywords<'py>(
    py: Python<'py>,
    name: &Bound<'py, PyString>,
    slf: &Bound<'py, PyAny>,
    args: &[&Bound<'py, PyAny>],
    keywords: &[(&Bound<'py, PyString>, &Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyAny>> {
    let method = hooks(py)?.base.bind(py).getattr(name)?;
    let kwargs = if keywords.is_empty() {
        None
    } else {
        let kwargs = PyDict::new(py);
        for (key, value) in keywords {
            kwargs.set_item(key, value)?;
        }
        Some(kwargs)
    };
    let args = args.iter().map(|a| (*a).clone());
    call_with_self(&method, slf, args, kwargs.as_ref())
}

/// What a fast path gives: `Ok(None)` when it does not take the arguments
/// (the caller then defers), `Err` only for a failed draw.
type Fast<'py> = PyResult<Option<Bound<'py, PyAny>>>;

/// Defines one `SystemRandom` method as a `#[pyfunction]` whose arguments
/// are all Python objects: `slf`, the method's positional parameters, then
/// after `;` its keyword-only ones (the Python wrapper in `__init__.py`
/// passes them all by position). The body counts the call, then runs the
/// given block, the fast path, which returns when it takes the arguments;
/// everything it lets through goes to the interpreter's own method of the
/// given name, with the same arguments.
///
/// ```text
/// system_random_method! {
///     /// Doc comment.
///     fn sr_name(py, slf, a, b; keyword) else "name" {
///         // fast path: `return Ok(value);` or fall through
///     }
/// }
/// ```
macro_rules! system_random_method {
    (
        $(#[$doc:meta])*
        fn $name:ident($py:ident, $slf:ident, $($arg:ident),+ $(; $($kw:ident),+)?)
            else $method:literal $fast:block
    ) => {
        $(#[$doc])*
        #[pyfunction]
        fn $name<'py>(
            $py: Python<'py>,
            $slf: &Bound<'py, PyAny>,
            $($arg: &Bound<'py, PyAny>,)+
            $($($kw: &Bound<'py, PyAny>,)+)?
        ) -> PyResult<Bound<'py, PyAny>> {
            count();
            $fast;
            defer_with_keywords(
                $py,
                intern!($py, $method),
                $slf,
                &[$($arg),+],
                &[$($((intern!($py, stringify!($kw)), $kw)),+)?],
            )
        }
    };
}

// ---------------------------------------------------------------------------
// Drawing

#[inline]
fn random_f64() -> PyResult<f64> {
    secrets::SystemRandom::new()
        .try_random()
        .map_err(|e| to_py_err(&e))
}

#[inline]
fn below_u64(n: u64) -> PyResult<u64> {
    secrets::try_randbelow(n).map_err(|e| to_py_err(&e))
}

#[inline]
fn below_u128(n: u128) -> PyResult<u128> {
    secrets::try_randbelow(n).map_err(|e| to_py_err(&e))
}

/// A uniform draw in [0, n) for `n > 0`, by the 64-bit path when n fits.
#[inline]
fn below_i128(n: i128) -> PyResult<i128> {
    #[allow(clippy::cast_sign_loss)] // n > 0.
    Ok(match u64::try_from(n) {
        Ok(n) => i128::from(below_u64(n)?),
        Err(_) => below_u128(n as u128)? as i128,
    })
}

/// Random bytes fetched a chunk at a time for methods that draw many small
/// values; wiped when dropped, as they decide secret orderings.
struct Stream {
    buf: [u8; STREAM_CHUNK],
    pos: usize,
}

impl Stream {
    fn new() -> Self {
        Self {
            buf: [0; STREAM_CHUNK],
            pos: STREAM_CHUNK,
        }
    }

    /// The next `n` (at most 16) bytes.
    #[inline]
    fn take(&mut self, n: usize) -> PyResult<&[u8]> {
        if self.pos + n > STREAM_CHUNK {
            secrets::try_fill_bytes(&mut self.buf).map_err(|e| to_py_err(&e))?;
            self.pos = 0;
        }
        let start = self.pos;
        self.pos += n;
        Ok(&self.buf[start..self.pos])
    }

    /// Python's `random()`: 53 bits from 7 bytes.
    #[inline]
    fn random(&mut self) -> PyResult<f64> {
        let mut word = [0u8; 8];
        word[1..].copy_from_slice(self.take(7)?);
        #[allow(clippy::cast_precision_loss)] // 53 bits: exact.
        Ok((u64::from_be_bytes(word) >> 3) as f64 * (1.0 / 9_007_199_254_740_992.0))
    }

    /// Python's `_randbelow_with_getrandbits(n)` for `n >= 1`: the top
    /// `bit_length(n)` bits of `ceil(bits / 8)` bytes, redrawn until below.
    #[inline]
    fn below(&mut self, n: u64) -> PyResult<u64> {
        let bits = 64 - n.leading_zeros();
        let nbytes = bits.div_ceil(8) as usize;
        let shift = nbytes as u32 * 8 - bits;
        loop {
            let mut word = [0u8; 8];
            word[8 - nbytes..].copy_from_slice(self.take(nbytes)?);
            let r = u64::from_be_bytes(word) >> shift;
            if r < n {
                return Ok(r);
            }
        }
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

// ---------------------------------------------------------------------------
// Sequences

/// The population types the fast paths read directly.
enum Seq<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
    /// `str` (and `range` with bounds too large for `i64`): indexed through
    /// the sequence protocol.
    Indexed(Bound<'py, PyAny>, usize),
    Range {
        start: i64,
        step: i64,
        len: usize,
    },
}

impl<'py> Seq<'py> {
    fn of(py: Python<'py>, hooks: &Hooks, ob: &Bound<'py, PyAny>) -> Option<Self> {
        if let Ok(list) = ob.cast_exact::<PyList>() {
            return Some(Seq::List(list.clone()));
        }
        if let Ok(tuple) = ob.cast_exact::<PyTuple>() {
            return Some(Seq::Tuple(tuple.clone()));
        }
        if ob.is_exact_instance_of::<PyString>() {
            return ob.len().ok().map(|n| Seq::Indexed(ob.clone(), n));
        }
        if ob.get_type().is(hooks.range_type.bind(py)) {
            let len = ob.len().ok()?;
            let start = ob.getattr(intern!(py, "start")).ok()?;
            let step = ob.getattr(intern!(py, "step")).ok()?;
            let (Ok(start), Ok(step)) = (start.extract::<i64>(), step.extract::<i64>()) else {
                return Some(Seq::Indexed(ob.clone(), len));
            };
            // The last element must fit too.
            let last = i128::from(start) + i128::from(step) * (len as i128 - 1).max(0);
            if i64::try_from(last).is_err() {
                return Some(Seq::Indexed(ob.clone(), len));
            }
            return Some(Seq::Range { start, step, len });
        }
        None
    }

    fn len(&self) -> usize {
        match self {
            Seq::List(l) => l.len(),
            Seq::Tuple(t) => t.len(),
            Seq::Indexed(_, n) => *n,
            Seq::Range { len, .. } => *len,
        }
    }

    fn get(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Seq::List(l) => l.get_item(i),
            Seq::Tuple(t) => t.get_item(i),
            Seq::Indexed(ob, _) => ob.get_item(i),
            #[allow(clippy::cast_possible_wrap)] // i < len, which Seq::of checked.
            Seq::Range { start, step, .. } => {
                Ok((start + step * i as i64).into_pyobject(py)?.into_any())
            }
        }
    }
}

fn try_vec<T>(n: usize) -> PyResult<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| PyMemoryError::new_err(()))?;
    Ok(v)
}

// ---------------------------------------------------------------------------
// The secrets module

fn resolve_nbytes(py: Python<'_>, nbytes: Option<&Bound<'_, PyAny>>) -> Option<usize> {
    let _ = py;
    match nbytes {
        None => Some(32),
        Some(ob) if ob.is_none() => Some(32),
        Some(ob) => exact_i64(ob).and_then(|n| usize::try_from(n).ok()),
    }
}

/// The bytes of `token_bytes(nbytes)` for arguments the fast path does not
/// take: the interpreter's own `SystemRandom.randbytes` decides.
fn token_bytes_slow<'py>(
    py: Python<'py>,
    nbytes: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let hooks = hooks(py)?;
    let sysrand = hooks.sysrand.bind(py);
    Ok(defer(py, intern!(py, "randbytes"), sysrand, &[nbytes])?.cast_into::<PyBytes>()?)
}

/// Return a random byte string containing *nbytes* bytes.
///
/// If *nbytes* is ``None`` or not supplied, a reasonable default is used.
#[pyfunction]
#[pyo3(signature = (nbytes=None))]
fn token_bytes<'py>(
    py: Python<'py>,
    nbytes: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    count();
    match resolve_nbytes(py, nbytes) {
        Some(n) => random_bytes(py, n),
        None => token_bytes_slow(py, nbytes.expect("None resolves")),
    }
}

/// A library token function: `nbytes` random bytes, encoded.
type Encoder = fn(usize) -> secrets::Result<String>;

fn token_text<'py>(
    py: Python<'py>,
    nbytes: Option<&Bound<'py, PyAny>>,
    hex: bool,
) -> PyResult<Bound<'py, PyString>> {
    let encode: Encoder = if hex {
        secrets::try_token_hex
    } else {
        secrets::try_token_urlsafe
    };
    let encode_bytes: fn(&[u8]) -> String = if hex { hex_of } else { urlsafe_of };
    let resolved = resolve_nbytes(py, nbytes);
    if let Some(n) = resolved.filter(|&n| n <= SMALL_TOKEN) {
        return small_token(py, n, hex);
    }
    let text = match resolved {
        Some(n) if n > BYTES_MAX => {
            return Err(PyOverflowError::new_err("byte string is too large"));
        }
        Some(n) if n < DETACH_AT => encode(n),
        Some(n) => py.detach(|| encode(n)),
        None => {
            let bytes = token_bytes_slow(py, nbytes.expect("None resolves"))?;
            Ok(encode_bytes(bytes.as_bytes()))
        }
    }
    .map_err(|e| to_py_err(&e))?;
    Ok(PyString::new(py, &text))
}

/// Return a random text string, in hexadecimal.
///
/// The string has *nbytes* random bytes, each byte converted to two hex
/// digits. If *nbytes* is ``None`` or not supplied, a reasonable default is
/// used.
#[pyfunction]
#[pyo3(signature = (nbytes=None))]
fn token_hex<'py>(
    py: Python<'py>,
    nbytes: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    count();
    token_text(py, nbytes, true)
}

/// Return a random URL-safe text string, in Base64 encoding.
///
/// The string has *nbytes* random bytes. If *nbytes* is ``None`` or not
/// supplied, a reasonable default is used.
#[pyfunction]
#[pyo3(signature = (nbytes=None))]
fn token_urlsafe<'py>(
    py: Python<'py>,
    nbytes: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    count();
    token_text(py, nbytes, false)
}

/// Tokens up to this many bytes are drawn and encoded on the stack.
const SMALL_TOKEN: usize = 128;

fn small_token<'py>(py: Python<'py>, n: usize, hex: bool) -> PyResult<Bound<'py, PyString>> {
    let mut raw = [0u8; SMALL_TOKEN];
    fill(py, &mut raw[..n])?;
    let out = if hex {
        // The hot case, token_hex(32): encoded on the stack, no heap string.
        let mut text = [0u8; 2 * SMALL_TOKEN];
        for (pair, byte) in text.chunks_exact_mut(2).zip(&raw[..n]) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(*byte)]);
        }
        let made = std::str::from_utf8(&text[..2 * n]).map(|t| PyString::new(py, t));
        text[..2 * n].zeroize();
        made.map_err(|e| PyRuntimeError::new_err(e.to_string()))?
    } else {
        let mut text = urlsafe_of(&raw[..n]);
        let made = PyString::new(py, &text);
        text.zeroize();
        made
    };
    raw[..n].zeroize();
    Ok(out)
}

/// The two lowercase hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    table
};

fn hex_of(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn urlsafe_of(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Return a random int in the range [0, n).
#[pyfunction]
fn randbelow<'py>(
    py: Python<'py>,
    exclusive_upper_bound: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    if exclusive_upper_bound.is_exact_instance_of::<PyInt>() {
        if let Ok(n) = exclusive_upper_bound.extract::<i64>() {
            if n <= 0 {
                return Err(PyValueError::new_err("Upper bound must be positive."));
            }
            #[allow(clippy::cast_sign_loss)] // n > 0.
            return Ok(below_u64(n as u64)?.into_pyobject(py)?.into_any());
        }
    }
    // Python's own code: compare with 0, then SystemRandom._randbelow.
    if exclusive_upper_bound.le(0)? {
        return Err(PyValueError::new_err("Upper bound must be positive."));
    }
    let sysrand = hooks(py)?.sysrand.bind(py);
    sysrand.call_method1(intern!(py, "_randbelow"), (exclusive_upper_bound,))
}

/// Return an int with *k* random bits: ``secrets.randbits``.
#[pyfunction]
fn randbits<'py>(py: Python<'py>, k: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    count();
    match getrandbits_fast(py, k)? {
        Some(value) => Ok(value),
        None => defer(
            py,
            intern!(py, "getrandbits"),
            hooks(py)?.sysrand.bind(py),
            &[k],
        ),
    }
}

/// Choose a random element from a non-empty sequence.
#[pyfunction]
fn choice<'py>(py: Python<'py>, seq: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    count();
    let hooks = hooks(py)?;
    let sysrand = hooks.sysrand.bind(py);
    match choice_fast(py, hooks, sysrand, seq)? {
        Some(value) => Ok(value),
        None => defer(py, intern!(py, "choice"), sysrand, &[seq]),
    }
}

/// Return ``a == b``, in time that does not depend on where they differ.
///
/// As ``hmac.compare_digest``: both bytes-like, or both ``str`` of ASCII
/// characters; anything else raises ``TypeError``.
#[pyfunction]
fn compare_digest<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyBytes>(), b.cast_exact::<PyBytes>()) {
        let equal = secrets::compare_digest(x.as_bytes(), y.as_bytes());
        return Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any());
    }
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyString>(), b.cast_exact::<PyString>()) {
        if let (Ok(x), Ok(y)) = (x.to_cow(), y.to_cow()) {
            if let Ok(equal) = secrets::compare_digest_str(&x, &y) {
                return Ok(pyo3::types::PyBool::new(py, equal).to_owned().into_any());
            }
        }
    }
    // Other buffers, str subclasses, non-ASCII text, wrong types: the
    // interpreter's own hmac.compare_digest decides, errors included.
    hooks(py)?.hmac_compare_digest.bind(py).call1((a, b))
}

// ---------------------------------------------------------------------------
// SystemRandom

/// ``SystemRandom.random``: a float in [0.0, 1.0).
#[pyfunction]
fn sr_random(py: Python<'_>) -> PyResult<Bound<'_, PyFloat>> {
    count();
    Ok(PyFloat::new(py, random_f64()?))
}

/// `getrandbits(k)` for an exact int `k >= 0`; `None` for anything else.
fn getrandbits_fast<'py>(py: Python<'py>, k: &Bound<'py, PyAny>) -> Fast<'py> {
    let Some(bits) = exact_i64(k).and_then(|k| usize::try_from(k).ok()) else {
        return Ok(None);
    };
    let nbytes = bits.div_ceil(8);
    let shift = nbytes * 8 - bits;
    if bits <= 64 {
        let mut word = [0u8; 8];
        fill(py, &mut word[8 - nbytes..])?;
        let value = u64::from_be_bytes(word)
            .checked_shr(shift as u32)
            .unwrap_or(0);
        word.zeroize();
        return Ok(Some(value.into_pyobject(py)?.into_any()));
    }
    let bytes = random_bytes(py, nbytes)?;
    let value = PyInt::type_object(py).call_method1(intern!(py, "from_bytes"), (bytes, "big"))?;
    Ok(Some(if shift == 0 {
        value
    } else {
        value.rshift(shift)?
    }))
}

system_random_method! {
    /// ``SystemRandom.getrandbits(k)``.
    fn sr_getrandbits(py, slf, k) else "getrandbits" {
        if let Some(value) = getrandbits_fast(py, k)? {
            return Ok(value);
        }
    }
}

system_random_method! {
    /// ``SystemRandom.randbytes(n)``.
    fn sr_randbytes(py, slf, n) else "randbytes" {
        if let Some(n) = exact_i64(n).and_then(|n| usize::try_from(n).ok()) {
            return Ok(random_bytes(py, n)?.into_any());
        }
    }
}

system_random_method! {
    /// ``SystemRandom._randbelow(n)``: an int in [0, n), any size of n.
    fn sr_randbelow(py, slf, n) else "_randbelow" {
        if n.is_exact_instance_of::<PyInt>() {
            if let Ok(small) = n.extract::<u64>() {
                if small > 0 {
                    return Ok(below_u64(small)?.into_pyobject(py)?.into_any());
                }
            } else if let Ok(big) = n.extract::<BigUint>() {
                let r = secrets::try_randbelow(big).map_err(|e| to_py_err(&e))?;
                return Ok(r.into_pyobject(py)?.into_any());
            }
        }
    }
}

/// Python's `//` on ints: rounds toward negative infinity.
fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// A Python int from an `i128`: the `i64` conversion is a single C call,
/// the 128-bit one is several under the stable ABI.
fn int_from_i128(py: Python<'_>, v: i128) -> PyResult<Bound<'_, PyAny>> {
    Ok(match i64::try_from(v) {
        Ok(small) => small.into_pyobject(py)?.into_any(),
        Err(_) => v.into_pyobject(py)?.into_any(),
    })
}

fn randrange_fast(start: i64, stop: Option<i64>, step: i64) -> PyResult<Option<i128>> {
    let start = i128::from(start);
    let step = i128::from(step);
    let Some(stop) = stop else {
        return Ok(if step == 1 && start > 0 {
            #[allow(clippy::cast_sign_loss)] // start > 0.
            Some(i128::from(below_u64(start as u64)?))
        } else {
            None
        });
    };
    let width = i128::from(stop) - start;
    let n = if step == 1 {
        width
    } else if step > 0 {
        floor_div(width + step - 1, step)
    } else if step < 0 {
        floor_div(width + step + 1, step)
    } else {
        return Ok(None);
    };
    if n <= 0 {
        return Ok(None);
    }
    Ok(Some(start + step * below_i128(n)?))
}

/// `randrange(start, stop, step)` for exact ints that fit in `i64`, `stop`
/// `None` or missing and `step` missing as Python allows, when the range is
/// not empty; `None` for anything else.
#[inline]
fn randrange_exact<'py>(
    py: Python<'py>,
    start: &Bound<'py, PyAny>,
    stop: Option<&Bound<'py, PyAny>>,
    step: Option<&Bound<'py, PyAny>>,
) -> Fast<'py> {
    let stop = match stop {
        Some(stop) if !stop.is_none() => exact_i64(stop).map(Some),
        _ => Some(None),
    };
    let step = step.map_or(Some(1), exact_i64);
    if let (Some(a), Some(b), Some(s)) = (exact_i64(start), stop, step) {
        if let Some(r) = randrange_fast(a, b, s)? {
            return int_from_i128(py, r).map(Some);
        }
    }
    Ok(None)
}

system_random_method! {
    /// ``SystemRandom.randrange(start, stop=None, step=1)``.
    fn sr_randrange(py, slf, start, stop, step) else "randrange" {
        if fast_ok(py, hooks(py)?, slf) {
            if let Some(value) = randrange_exact(py, start, Some(stop), Some(step))? {
                return Ok(value);
            }
        }
    }
}

/// ``SystemRandom.randrange`` itself, the attribute of the class: a builtin,
/// so a call skips a Python frame (the issue's 8x for `randrange(10**6)`
/// needs it). Through an instance (`rng.randrange(10)`) it receives no
/// `self`; called on the class (`SystemRandom.randrange(rng, 10)`) it
/// receives the instance first. Subclasses get the Python method that
/// passes `self` (`__init_subclass__`), so their overrides are honoured.
#[pyfunction]
#[pyo3(signature = (*args, **kwargs), text_signature = "(start, stop=None, step=1)")]
fn randrange<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    let hooks = hooks(py)?;
    let n = args.len();
    // A leading instance (a call on the class) is `self`; an exact int,
    // the common case, cannot be one, which saves the isinstance call.
    let skip = match args.get_item(0) {
        Ok(first) if !first.is_exact_instance_of::<PyInt>() => {
            usize::from(first.is_instance(hooks.random_class.bind(py))?)
        }
        _ => 0,
    };
    let no_kwargs = kwargs.is_none_or(|k| k.is_empty());
    if skip == 0 && no_kwargs && (1..=3).contains(&n) {
        let start = args.get_item(0)?;
        let stop = (n >= 2).then(|| args.get_item(1)).transpose()?;
        let step = (n >= 3).then(|| args.get_item(2)).transpose()?;
        if let Some(value) = randrange_exact(py, &start, stop.as_ref(), step.as_ref())? {
            return Ok(value);
        }
    }
    let slf = if skip == 1 {
        args.get_item(0)?
    } else {
        hooks.sysrand.bind(py).clone()
    };
    let method = if skip == 1 && fast_ok(py, hooks, &slf) {
        // SystemRandom.randrange(instance, ...): the method form does the rest.
        hooks
            .ours
            .bind(py)
            .getattr(intern!(py, "_randrange_method"))?
    } else {
        hooks.base.bind(py).getattr(intern!(py, "randrange"))?
    };
    call_with_self(&method, &slf, args.get_slice(skip, n).iter(), kwargs)
}

system_random_method! {
    /// ``SystemRandom.randint(a, b)``.
    fn sr_randint(py, slf, a, b) else "randint" {
        if fast_ok(py, hooks(py)?, slf) {
            if let (Some(lo), Some(hi)) = (exact_i64(a), exact_i64(b)) {
                if lo <= hi {
                    let r = below_i128(i128::from(hi) - i128::from(lo) + 1)?;
                    return int_from_i128(py, i128::from(lo) + r);
                }
            }
        }
    }
}

/// `choice(seq)` for the sequences [`Seq`] reads, when not empty and `slf`
/// may take the fast paths.
fn choice_fast<'py>(
    py: Python<'py>,
    hooks: &Hooks,
    slf: &Bound<'py, PyAny>,
    seq: &Bound<'py, PyAny>,
) -> Fast<'py> {
    if fast_ok(py, hooks, slf) {
        if let Some(s) = Seq::of(py, hooks, seq) {
            let n = s.len();
            if n > 0 {
                return s.get(py, below_u64(n as u64)? as usize).map(Some);
            }
        }
    }
    Ok(None)
}

system_random_method! {
    /// ``SystemRandom.choice(seq)``.
    fn sr_choice(py, slf, seq) else "choice" {
        if let Some(value) = choice_fast(py, hooks(py)?, slf, seq)? {
            return Ok(value);
        }
    }
}

system_random_method! {
    /// ``SystemRandom.shuffle(x)``.
    fn sr_shuffle(py, slf, x) else "shuffle" {
        if fast_ok(py, hooks(py)?, slf) {
            if let Ok(list) = x.cast_exact::<PyList>() {
                let mut items: Vec<Bound<'py, PyAny>> = list.iter().collect();
                let mut stream = Stream::new();
                for i in (1..items.len()).rev() {
                    let j = stream.below(i as u64 + 1)? as usize;
                    items.swap(i, j);
                }
                let n = items.len();
                list.set_slice(0, n, PyList::new(py, items)?.as_any())?;
                return Ok(py.None().into_bound(py));
            }
        }
    }
}

system_random_method! {
    /// ``SystemRandom.sample(population, k, *, counts=None)``.
    fn sr_sample(py, slf, population, k; counts) else "sample" {
        let hooks = hooks(py)?;
        if counts.is_none() && fast_ok(py, hooks, slf) {
            if let (Some(seq), Some(k)) = (
                Seq::of(py, hooks, population),
                exact_i64(k).and_then(|k| usize::try_from(k).ok()),
            ) {
                let n = seq.len();
                if k <= n {
                    return Ok(sample_fast(py, &seq, n, k)?.into_any());
                }
            }
        }
    }
}

fn sample_fast<'py>(
    py: Python<'py>,
    seq: &Seq<'py>,
    n: usize,
    k: usize,
) -> PyResult<Bound<'py, PyList>> {
    let mut picks: Vec<usize> = try_vec(k)?;
    let mut stream = Stream::new();
    // Python's choice between a pool of indices and a set of picks.
    let mut setsize = 21usize;
    if k > 5 {
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        let exponent = ((k as f64 * 3.0).ln() / 4f64.ln()).ceil() as u32;
        setsize = setsize.saturating_add(4usize.saturating_pow(exponent));
    }
    if n <= setsize {
        let mut pool: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = stream.below((n - i) as u64)? as usize;
            picks.push(pool[j]);
            pool[j] = pool[n - i - 1];
        }
    } else {
        let mut selected = std::collections::HashSet::with_capacity(k);
        for _ in 0..k {
            let mut j = stream.below(n as u64)? as usize;
            while !selected.insert(j) {
                j = stream.below(n as u64)? as usize;
            }
            picks.push(j);
        }
    }
    let mut out = try_vec(k)?;
    for j in picks {
        out.push(seq.get(py, j)?);
    }
    PyList::new(py, out)
}

/// Cumulative weights as floats, when Python's own arithmetic would give
/// exactly these values: exact floats, and exact ints while the running
/// integer total stays within 2**53.
fn cumulative(weights: &Bound<'_, PyAny>, accumulate: bool) -> Option<Vec<f64>> {
    let items: Vec<Bound<'_, PyAny>> = if let Ok(list) = weights.cast_exact::<PyList>() {
        list.iter().collect()
    } else if let Ok(tuple) = weights.cast_exact::<PyTuple>() {
        tuple.iter().collect()
    } else {
        return None;
    };
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let mut out = Vec::with_capacity(items.len());
    let mut total = 0.0f64;
    let mut all_int = true;
    for item in &items {
        let value = if item.is_exact_instance_of::<PyFloat>() {
            all_int = false;
            item.extract::<f64>().ok()?
        } else {
            let v = exact_f64(item)?;
            if v.abs() > EXACT {
                return None;
            }
            v
        };
        total = if accumulate { total + value } else { value };
        if all_int && total.abs() > EXACT {
            return None;
        }
        out.push(total);
    }
    Some(out)
}

system_random_method! {
    /// ``SystemRandom.choices(population, weights=None, *, cum_weights=None, k=1)``.
    fn sr_choices(py, slf, population, weights; cum_weights, k) else "choices" {
        let hooks = hooks(py)?;
        if fast_ok(py, hooks, slf) {
            if let (Some(seq), Some(k)) = (Seq::of(py, hooks, population), exact_i64(k)) {
                let n = seq.len();
                let cum = match (weights.is_none(), cum_weights.is_none()) {
                    (true, true) => Some(None),
                    (false, true) => cumulative(weights, true).map(Some),
                    (true, false) => cumulative(cum_weights, false).map(Some),
                    (false, false) => None,
                };
                if let Some(cum) = cum {
                    let usable = n > 0
                        && cum.as_ref().is_none_or(|c| {
                            c.len() == n && c[n - 1] > 0.0 && c[n - 1].is_finite()
                        });
                    if usable {
                        let k = usize::try_from(k).unwrap_or(0);
                        return Ok(choices_fast(py, &seq, n, cum.as_deref(), k)?.into_any());
                    }
                }
            }
        }
    }
}

fn choices_fast<'py>(
    py: Python<'py>,
    seq: &Seq<'py>,
    n: usize,
    cum: Option<&[f64]>,
    k: usize,
) -> PyResult<Bound<'py, PyList>> {
    let mut out = try_vec(k)?;
    let mut stream = Stream::new();
    #[allow(clippy::cast_precision_loss)] // As Python's n + 0.0.
    let scale = n as f64;
    for _ in 0..k {
        let r = stream.random()?;
        let index = match cum {
            None => {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let i = (r * scale).floor() as usize;
                i
            }
            Some(cum) => {
                // bisect_right(cum_weights, random() * total, 0, n - 1)
                let x = r * cum[n - 1];
                let (mut lo, mut hi) = (0usize, n - 1);
                while lo < hi {
                    let mid = usize::midpoint(lo, hi);
                    if x < cum[mid] {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                lo
            }
        };
        out.push(seq.get(py, index)?);
    }
    PyList::new(py, out)
}

system_random_method! {
    /// ``SystemRandom.uniform(a, b)``.
    fn sr_uniform(py, slf, a, b) else "uniform" {
        if fast_ok(py, hooks(py)?, slf) {
            // Python: a + (b - a) * random(). Two ints subtract exactly first.
            let span_and_a = match (exact_i64(a), exact_i64(b)) {
                #[allow(clippy::cast_precision_loss)] // As Python's float(int).
                (Some(x), Some(y)) => Some(((i128::from(y) - i128::from(x)) as f64, x as f64)),
                _ => match (exact_f64(a), exact_f64(b)) {
                    (Some(x), Some(y)) => Some((y - x, x)),
                    _ => None,
                },
            };
            if let Some((span, start)) = span_and_a {
                let value = start + span * random_f64()?;
                return Ok(PyFloat::new(py, value).into_any());
            }
        }
    }
}

system_random_method! {
    /// ``SystemRandom.gauss(mu, sigma)``, with Python's cached second value
    /// in the writable attribute ``gauss_next``.
    fn sr_gauss(py, slf, mu, sigma) else "gauss" {
        let name = intern!(py, "gauss_next");
        if fast_ok(py, hooks(py)?, slf) {
            if let (Some(mu), Some(sigma)) = (exact_f64(mu), exact_f64(sigma)) {
                let cached = slf.getattr(name)?;
                let z = if cached.is_none() {
                    None
                } else if cached.is_exact_instance_of::<PyFloat>() {
                    Some(cached.extract::<f64>()?)
                } else {
                    return defer(
                        py,
                        intern!(py, "gauss"),
                        slf,
                        &[
                            mu.into_pyobject(py)?.as_any(),
                            sigma.into_pyobject(py)?.as_any(),
                        ],
                    );
                };
                slf.setattr(name, py.None())?;
                let z = match z {
                    Some(z) => z,
                    None => {
                        let x2pi = random_f64()? * std::f64::consts::TAU;
                        let g2rad = (-2.0 * (1.0 - random_f64()?).ln()).sqrt();
                        slf.setattr(name, x2pi.sin() * g2rad)?;
                        x2pi.cos() * g2rad
                    }
                };
                return Ok(PyFloat::new(py, mu + z * sigma).into_any());
            }
        }
    }
}

/// The Rust half of ``secrets_rs``.
#[pymodule]
fn _secrets_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_install, m)?)?;
    m.add_function(wrap_pyfunction!(_rust_calls, m)?)?;
    m.add_function(wrap_pyfunction!(token_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(token_hex, m)?)?;
    m.add_function(wrap_pyfunction!(token_urlsafe, m)?)?;
    m.add_function(wrap_pyfunction!(randbelow, m)?)?;
    m.add_function(wrap_pyfunction!(randbits, m)?)?;
    m.add_function(wrap_pyfunction!(choice, m)?)?;
    m.add_function(wrap_pyfunction!(compare_digest, m)?)?;
    m.add_function(wrap_pyfunction!(sr_random, m)?)?;
    m.add_function(wrap_pyfunction!(sr_getrandbits, m)?)?;
    m.add_function(wrap_pyfunction!(sr_randbytes, m)?)?;
    m.add_function(wrap_pyfunction!(sr_randbelow, m)?)?;
    m.add_function(wrap_pyfunction!(sr_randrange, m)?)?;
    m.add_function(wrap_pyfunction!(randrange, m)?)?;
    m.add_function(wrap_pyfunction!(sr_randint, m)?)?;
    m.add_function(wrap_pyfunction!(sr_choice, m)?)?;
    m.add_function(wrap_pyfunction!(sr_choices, m)?)?;
    m.add_function(wrap_pyfunction!(sr_shuffle, m)?)?;
    m.add_function(wrap_pyfunction!(sr_sample, m)?)?;
    m.add_function(wrap_pyfunction!(sr_uniform, m)?)?;
    m.add_function(wrap_pyfunction!(sr_gauss, m)?)?;
    Ok(())
}
