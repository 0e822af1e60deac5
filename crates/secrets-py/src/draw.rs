//! Drawing from the library, with the GIL released while large draws run.
//!
//! Every random value the package returns comes from the library's
//! CPython-parity samplers (`secrets::SystemRandom`: `random()`,
//! `randbelow`, `randrange`, `randint`, `getrandbits`) or from its byte
//! source (`secrets::try_fill_bytes`). Nothing here keeps drawn bytes
//! between calls: each draw goes to the kernel (the vDSO `getrandom`), so
//! a forked child can never replay what its parent drew.

use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyFloat, PyInt};

use crate::errors::OrRaise;

/// Byte draws at or above this size release the GIL while they run.
pub(crate) const DETACH_AT: usize = 64 * 1024;

/// Values drawn per step by the methods that draw many (shuffle, sample,
/// choices): each step's draws and Python work run with the GIL held, and
/// a switch point between steps lets a waiting thread in, so no thread
/// waits for more than a switch interval and one step. The slowest step
/// (`sample` of a 10^7-item list, whose reads and stores miss the cache:
/// about 600 ns a value) lasts well under a millisecond at this size; at
/// 4096 it lasted 2.5 ms, and waits reached 25 ms. A switch point costs
/// one call of a Python function, under 0.1% of the fastest step.
///
/// The values of a step are used before any Python code can run: the fast
/// paths only read exact lists, tuples, strings and ranges, whose item
/// access and list stores call no Python code, run no finalizer and start
/// no garbage collection. So a fork (from another thread, or from Python
/// code) can never happen between the draw of a value and its use, and a
/// child never sees an unused value of its parent's.
pub(crate) const STEP: usize = 1024;

/// The library's generator over the kernel's source. It holds no state;
/// making one costs nothing.
#[inline]
pub(crate) fn rng() -> secrets::SystemRandom {
    secrets::SystemRandom::new()
}

/// Fills `buf` from the kernel, without the GIL when `buf` is large.
pub(crate) fn fill(py: Python<'_>, buf: &mut [u8]) -> PyResult<()> {
    if buf.len() >= DETACH_AT {
        py.detach(|| secrets::try_fill_bytes(buf)).or_raise()
    } else {
        secrets::try_fill_bytes(buf).or_raise()
    }
}

/// `n` fresh random bytes as a Python `bytes`, drawn straight into it;
/// `MemoryError` or `OverflowError` when it cannot be made, as `os.urandom`
/// raises.
pub(crate) fn random_bytes(py: Python<'_>, n: usize) -> PyResult<Bound<'_, PyBytes>> {
    if isize::try_from(n).is_err() {
        return Err(PyOverflowError::new_err(
            "Python int too large to convert to C ssize_t",
        ));
    }
    PyBytes::new_with(py, n, |buf| fill(py, buf))
}

/// `random()`: a float in [0.0, 1.0), the library's 53-bit draw.
#[inline]
pub(crate) fn random_float(py: Python<'_>) -> PyResult<Bound<'_, PyFloat>> {
    Ok(PyFloat::new(py, rng().try_random().or_raise()?))
}

/// A uniform integer in `[0, n)` for `n >= 1`: CPython's `_randbelow`.
#[inline]
pub(crate) fn below(n: u64) -> PyResult<u64> {
    rng().randbelow(n).or_raise()
}

/// A uniform index in `[0, n)` for `n >= 1`.
#[inline]
pub(crate) fn below_index(n: usize) -> PyResult<usize> {
    rng().randbelow(n).or_raise()
}

/// How many ints [`SMALL_INTS`] holds: `0..1024`, ten bits. CPython keeps
/// its own ints below 257 (below 1025 from 3.15) and makes every other one
/// anew (about 9 ns with its release, of the 61 `randbelow(1000)` took on
/// 3.13); the draws of dice, percentages and indices into alphabets and
/// short lists fall here.
const SMALL_INTS_LEN: u64 = 1024;

/// The Python ints `0..SMALL_INTS_LEN`, made once (at import): a drawn
/// value in that range is returned as the int already made, as CPython
/// returns its own small ints. They hold no secret: every value is there,
/// drawn or not, and a drawn value leaves no int of its own in freed memory.
static SMALL_INTS: PyOnceLock<Box<[Py<PyAny>]>> = PyOnceLock::new();

/// Makes [`SMALL_INTS`]; called once, when the module is made.
pub(crate) fn make_small_ints(py: Python<'_>) -> PyResult<()> {
    let table = (0..SMALL_INTS_LEN)
        .map(|v| {
            let int = v.into_pyobject(py)?.into_any();
            crate::capi::make_immortal(&int);
            Ok(int.unbind())
        })
        .collect::<PyResult<Box<[_]>>>()?;
    // A second call (a second import of the extension) keeps the first table.
    let _ = SMALL_INTS.set(py, table);
    Ok(())
}

/// A Python int from a `u64`: one of [`SMALL_INTS`] below
/// [`SMALL_INTS_LEN`], a new one otherwise.
#[inline]
pub(crate) fn uint(py: Python<'_>, v: u64) -> PyResult<Bound<'_, PyAny>> {
    if v < SMALL_INTS_LEN {
        if let Some(table) = SMALL_INTS.get(py) {
            #[allow(clippy::cast_possible_truncation)] // v < 1024.
            return Ok(crate::capi::new_ref(table[v as usize].bind(py)));
        }
    }
    Ok(v.into_pyobject(py)?.into_any())
}

/// A Python int from an `i64` (see [`uint`]).
#[inline]
pub(crate) fn int(py: Python<'_>, v: i64) -> PyResult<Bound<'_, PyAny>> {
    match u64::try_from(v) {
        Ok(v) => uint(py, v),
        Err(_) => Ok(v.into_pyobject(py)?.into_any()),
    }
}

/// `Some(v)` for an exact `int` (not a subclass, not `bool`) that fits
/// `i64`: the arguments the fast paths take.
#[inline]
pub(crate) fn exact_i64(ob: &Bound<'_, PyAny>) -> Option<i64> {
    ob.cast_exact::<PyInt>()
        .ok()
        .and_then(crate::capi::exact_int_i64)
}

/// An exact `float`, or an exact `int` that Python's mixed arithmetic
/// would convert to this same float (every `i64`: both round to nearest).
#[inline]
pub(crate) fn exact_f64(ob: &Bound<'_, PyAny>) -> Option<f64> {
    if ob.is_exact_instance_of::<PyFloat>() {
        ob.extract::<f64>().ok()
    } else {
        #[allow(clippy::cast_precision_loss)] // As Python's float(int).
        exact_i64(ob).map(|v| v as f64)
    }
}
