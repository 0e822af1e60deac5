//! `SystemRandom`'s scalar methods: `random`, `getrandbits`, `randbytes`,
//! `_randbelow`, `randrange`, `randint`, `uniform`, `gauss`.
//!
//! Each `sr_*` function is the body of the Python method of the same name
//! (`secrets_rs/__init__.py` passes `self` and the arguments as given).
//! The fast path takes exact ints and floats when [`Hooks::pristine`]
//! says no patch is in the way, and draws with the library's CPython-parity
//! samplers; everything else runs CPython's own method.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};

use crate::draw::{self, exact_f64, exact_i64, int, rng};
use crate::errors::OrRaise;
use crate::hooks::{Uses, method};

method! {
    /// `random()`: no other method is involved, so no check is needed.
    sr_random(py, _hooks, slf) as SrRandom => "random", Uses::NONE, {
        Ok(Some(draw::random_float(py)?.into_any()))
    }
}

/// `getrandbits(k)` for an exact int `k >= 0`; `None` for anything else.
pub(crate) fn getrandbits_fast<'py>(
    py: Python<'py>,
    k: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some(bits) = exact_i64(k).and_then(|k| usize::try_from(k).ok()) else {
        return Ok(None);
    };
    if bits <= 64 {
        let value: u64 = rng().getrandbits(bits).or_raise()?;
        return Ok(Some(draw::uint(py, value)?));
    }
    if bits <= 128 {
        let value: u128 = rng().getrandbits(bits).or_raise()?;
        return Ok(Some(value.into_pyobject(py)?.into_any()));
    }
    // CPython's own formula on a Python bytes object: the top `bits` bits
    // of ceil(bits / 8) big-endian bytes. Python allocates both objects, so
    // a size beyond memory raises MemoryError.
    let nbytes = bits.div_ceil(8);
    let shift = nbytes * 8 - bits;
    let bytes = draw::random_bytes(py, nbytes)?;
    let value = py
        .get_type::<PyInt>()
        .call_method1(intern!(py, "from_bytes"), (bytes, intern!(py, "big")))?;
    Ok(Some(if shift == 0 {
        value
    } else {
        value.rshift(shift)?
    }))
}

method! {
    /// `getrandbits(k)`: CPython's reads only `os.urandom`.
    sr_getrandbits(py, _hooks, slf, k) as SrGetrandbits => "getrandbits", Uses::NONE, { getrandbits_fast(py, k) }
}

method! {
    /// `randbytes(n)`: CPython's is `os.urandom(n)`.
    sr_randbytes(py, _hooks, slf, n) as SrRandbytes => "randbytes", Uses::NONE, {
        exact_i64(n)
            .and_then(|n| usize::try_from(n).ok())
            .map(|n| Ok(draw::random_bytes(py, n)?.into_any()))
            .transpose()
    }
}

/// A uniform int in `[0, n)` for `n >= 1`, as a Python int.
#[inline]
fn below_int(py: Python<'_>, n: u64) -> PyResult<Bound<'_, PyAny>> {
    draw::uint(py, draw::below(n)?)
}

/// `_randbelow(n)` for an exact int `n >= 1` below 2**128, drawn by the
/// library; `None` for anything else.
#[inline]
fn randbelow_fast<'py>(
    py: Python<'py>,
    n: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    randbelow_read(py, n, exact_i64(n))
}

/// [`randbelow_fast`] with `n`'s value already read by [`exact_i64`]
/// (`small`), so that a caller that has read it (the module's `randbelow`)
/// does not read it again: `small` in `1..=i64::MAX` is drawn below at
/// once; an exact int beyond `i64` is read as `u128`.
pub(crate) fn randbelow_read<'py>(
    py: Python<'py>,
    n: &Bound<'py, PyAny>,
    small: Option<i64>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    match small {
        Some(small) => match u64::try_from(small) {
            Ok(small) if small > 0 => below_int(py, small).map(Some),
            _ => Ok(None),
        },
        // Not an exact int, or one beyond i64.
        None => match n
            .cast_exact::<PyInt>()
            .ok()
            .and_then(|n| n.extract::<u128>().ok())
        {
            Some(wide) => {
                let value = rng().randbelow(wide).or_raise()?;
                Ok(Some(value.into_pyobject(py)?.into_any()))
            }
            None => Ok(None),
        },
    }
}

method! {
    /// `_randbelow(n)`: CPython's `_randbelow_with_getrandbits`.
    sr_randbelow(py, _hooks, slf, n) as SrRandbelow => "_randbelow", Uses::GETRANDBITS, { randbelow_fast(py, n) }
}

/// `randrange(start, stop, step)` for exact ints in `i64` and a non-empty
/// range, by the library's `randrange` family (the same draws as
/// CPython's `_randbelow` of the range's length); `None` otherwise (the
/// library's refusal of an empty range included: CPython's code then
/// raises its own error, drawing nothing).
fn randrange_fast<'py>(
    py: Python<'py>,
    start: &Bound<'py, PyAny>,
    stop: &Bound<'py, PyAny>,
    step: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let (Some(start), Some(step)) = (exact_i64(start), exact_i64(step)) else {
        return Ok(None);
    };
    let drawn = if stop.is_none() {
        // CPython: a step given without a stop is a TypeError; the default
        // step is the cached int 1, which an exact int 1 always is.
        if step != 1 {
            return Ok(None);
        }
        rng().randrange(start)
    } else {
        let Some(stop) = exact_i64(stop) else {
            return Ok(None);
        };
        if step == 1 {
            rng().randrange_from(start, stop)
        } else {
            rng().randrange_step(start, stop, step)
        }
    };
    accepted(py, drawn)
}

method! {
    /// `randrange(start, stop=None, step=1)`.
    sr_randrange(py, _hooks, slf, start, stop, step) as SrRandrange => "randrange", Uses::RANDBELOW, {
        randrange_fast(py, start, stop, step)
    }
}

method! {
    /// `randint(a, b)`.
    sr_randint(py, _hooks, slf, a, b) as SrRandint => "randint", Uses::RANDRANGE, {
        let (Some(lo), Some(hi)) = (exact_i64(a), exact_i64(b)) else {
            return Ok(None);
        };
        accepted(py, rng().randint(lo, hi))
    }
}

/// A drawn value as a Python int; `None` (CPython's code then raises its
/// own error, drawing nothing) when the library refused the arguments.
fn accepted<'py>(
    py: Python<'py>,
    drawn: secrets::Result<i64>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    match drawn {
        Ok(value) => Ok(Some(int(py, value)?)),
        Err(err) if err.kind() == secrets::ErrorKind::InvalidValue => Ok(None),
        Err(err) => Err(crate::errors::to_py_err(&err)),
    }
}

/// An operand of `a + (b - a) * random()` as a float, when Python's
/// arithmetic on it is the library's float arithmetic: an exact float, or
/// an exact int within 2**53 (two such ints subtract exactly in Python,
/// and their floats subtract to the same rounded value).
fn uniform_operand(ob: &Bound<'_, PyAny>) -> Option<f64> {
    if ob.is_exact_instance_of::<PyFloat>() {
        return ob.extract::<f64>().ok();
    }
    exact_i64(ob)
        .filter(|v| v.unsigned_abs() <= 1 << 53)
        .and_then(|_| exact_f64(ob))
}

method! {
    /// `uniform(a, b)`.
    sr_uniform(py, _hooks, slf, a, b) as SrUniform => "uniform", Uses::RANDOM, {
        let (Some(x), Some(y)) = (uniform_operand(a), uniform_operand(b)) else {
            return Ok(None);
        };
        let value = rng().try_uniform(x, y).or_raise()?;
        Ok(Some(PyFloat::new(py, value).into_any()))
    }
}

method! {
    /// `gauss(mu, sigma)`, with CPython's cached second value in the
    /// instance attribute `gauss_next`. The fast path takes float or int
    /// `mu` and `sigma` and a cache that is `None` or a float; any other
    /// cached value goes to CPython's code, which returns `mu + z * sigma`
    /// in whatever type that arithmetic gives.
    sr_gauss(py, _hooks, slf, mu, sigma) as SrGauss => "gauss", Uses::RANDOM, {
        gauss_fast(py, slf, mu, sigma)
    }
}

fn gauss_fast<'py>(
    py: Python<'py>,
    slf: &Bound<'py, PyAny>,
    mu: &Bound<'py, PyAny>,
    sigma: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let name = intern!(py, "gauss_next");
    let (Some(mu), Some(sigma)) = (exact_f64(mu), exact_f64(sigma)) else {
        return Ok(None);
    };
    let Ok(cached) = slf.getattr(name) else {
        return Ok(None);
    };
    let z = if cached.is_none() {
        // CPython sets the cache to None before it draws, whatever it
        // held: a subclass's `__setattr__` or a property sees both sets.
        slf.setattr(name, py.None())?;
        // The library's gauss draws the pair and keeps the second value;
        // its second call returns that value (0.0 + z * 1.0 is z).
        let mut pair = rng();
        let z = pair.try_gauss(0.0, 1.0).or_raise()?;
        let next = pair.try_gauss(0.0, 1.0).or_raise()?;
        slf.setattr(name, next)?;
        z
    } else if cached.is_exact_instance_of::<PyFloat>() {
        let z = cached.extract::<f64>()?;
        slf.setattr(name, py.None())?;
        z
    } else {
        return Ok(None);
    };
    Ok(Some(PyFloat::new(py, mu + z * sigma).into_any()))
}
