//! The benchmark's floor: what a call cannot go below. `_noop` is a call
//! into the extension that does nothing with its arguments (`_noop_uuid`,
//! one that returns a fixed `uuid.UUID` as `uuid7` builds it); `_floor` times
//! the library's own draw for a call, in Rust. A method's floor is the sum
//! of the two (`benchmarks/bench.py`); so is `uuid7`'s: `_noop_uuid` plus
//! the library's `uuid_v7_value` (`benchmarks/extras.py`).

use std::hint::black_box;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyInt, PyList, PyString};
use secrets::batch::TokenEncoding;
use secrets::sequences::Weights;

use crate::capi::{Slots, fast_fn};
use crate::errors::OrRaise;

fast_fn! {
    /// Takes up to five arguments, as the `sr_*` functions do, and does
    /// nothing: an extension call by the same convention as theirs.
    pub(crate) struct Noop = "_noop", "(a=None, b=None, c=None, d=None, e=None, /)",
        "Takes up to five arguments, as the `sr_*` functions do, and does nothing.";
    params [; "a", "b", "c", "d", "e"], keywords false;
    |py, args| {
        black_box(args);
        Ok(py.None().into_bound(py))
    }
}

/// What [`NoopLike`] returns, set by [`_set_like`]: the kind of the
/// result ([`Like`]) and its value or length, read with no look-up and no
/// reference counting (two atomic loads).
static LIKE_KIND: AtomicU8 = AtomicU8::new(Like::None as u8);
static LIKE_VALUE: AtomicU64 = AtomicU64::new(0);
/// For [`Like::IntList`]: the value of the list's first int.
static LIKE_START: AtomicU64 = AtomicU64::new(0);

/// The results a hot call returns, as `_noop_like` makes them.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Like {
    /// `None` (or an object the call hands back without making it).
    None,
    /// A new int of this value.
    Int,
    /// A new float of these bits.
    Float,
    /// New bytes of this length.
    Bytes,
    /// A new ASCII str of this length.
    Str,
    /// A new list of this length, each item `None` (a call that returns
    /// items it did not make: `choices`).
    List,
    /// A new list of this length of new ints from [`LIKE_START`] up (a
    /// call that makes its items: `sample` of a `range`).
    IntList,
}

impl Like {
    /// The kind [`LIKE_KIND`] holds.
    fn stored() -> Like {
        match LIKE_KIND.load(Ordering::Relaxed) {
            k if k == Like::Int as u8 => Like::Int,
            k if k == Like::Float as u8 => Like::Float,
            k if k == Like::Bytes as u8 => Like::Bytes,
            k if k == Like::Str as u8 => Like::Str,
            k if k == Like::List as u8 => Like::List,
            k if k == Like::IntList as u8 => Like::IntList,
            _ => Like::None,
        }
    }
}

/// Sets what `_noop_like` returns: a new object like `like` (an int that
/// fits 64 bits, a float, bytes or a str of at most 256 bytes, a list: of
/// the same value or length; a list whose first item is an int, of new
/// ints counting up from it); `None` for anything else. `OverflowError`
/// for a wider int, `ValueError` for longer bytes or str.
#[pyfunction]
pub(crate) fn _set_like(like: &Bound<'_, PyAny>) -> PyResult<()> {
    let copied = |len: usize| {
        if len <= FILL.len() {
            Ok(len as u64)
        } else {
            Err(PyValueError::new_err(format!(
                "_set_like takes bytes or a str of at most {} bytes, not {len}",
                FILL.len()
            )))
        }
    };
    let (kind, value) = if like.is_exact_instance_of::<PyInt>() {
        (
            Like::Int,
            u64::from_ne_bytes(like.extract::<i64>()?.to_ne_bytes()),
        )
    } else if let Ok(f) = like.cast_exact::<PyFloat>() {
        (Like::Float, f.value().to_bits())
    } else if let Ok(b) = like.cast_exact::<PyBytes>() {
        (Like::Bytes, copied(b.as_bytes().len())?)
    } else if let Ok(t) = like.cast_exact::<PyString>() {
        (Like::Str, copied(t.to_cow()?.len())?)
    } else if let Ok(l) = like.cast_exact::<PyList>() {
        match l
            .get_item(0)
            .ok()
            .filter(|i| i.is_exact_instance_of::<PyInt>())
        {
            Some(first) => {
                let start = first.extract::<i64>()?;
                LIKE_START.store(u64::from_ne_bytes(start.to_ne_bytes()), Ordering::Relaxed);
                (Like::IntList, l.len() as u64)
            }
            None => (Like::List, l.len() as u64),
        }
    } else {
        (Like::None, 0)
    };
    LIKE_VALUE.store(value, Ordering::Relaxed);
    LIKE_KIND.store(kind as u8, Ordering::Relaxed);
    Ok(())
}

/// The bytes of the results `_noop_like` copies (a str's, ASCII).
const FILL: [u8; 256] = [b'a'; 256];

fast_fn! {
    /// A no-op that returns a result: takes up to five arguments, as
    /// `_noop`, and returns a new object like the one `_set_like` was given
    /// (an int of the same value, as the calls make a drawn int: one of the
    /// kept ints below 1024, a new one above; a float; bytes or an ASCII str of the
    /// same length, copied from a constant; a list of the same length,
    /// made as `sample` makes its result, each item `None` or an int made as
    /// `sample` of a `range` makes its items: a kept one below 1024).
    /// Every call that returns a new object pays for making it; the bare
    /// no-op, which returns `None`, does not.
    pub(crate) struct NoopLike = "_noop_like", "(a=None, b=None, c=None, d=None, e=None, /)",
        "Takes up to five arguments and returns a new object like the one _set_like was given.";
    params [; "a", "b", "c", "d", "e"], keywords false;
    |py, args| {
        black_box(args);
        let value = LIKE_VALUE.load(Ordering::Relaxed);
        let len = usize::try_from(value).unwrap_or(0);
        // `_set_like` keeps bytes and str lengths within `FILL`.
        let fill = &FILL[..len.min(FILL.len())];
        let made = match Like::stored() {
            // As the calls return a drawn int: a kept one below 1024.
            Like::Int => crate::draw::int(py, black_box(i64::from_ne_bytes(value.to_ne_bytes())))?,
            Like::Float => PyFloat::new(py, f64::from_bits(black_box(value))).into_any(),
            Like::Bytes => PyBytes::new(py, black_box(fill)).into_any(),
            // Made as `token_hex` and `token_urlsafe` make theirs.
            Like::Str => match crate::capi::new_ascii(py, fill.len(), |buf| {
                buf.copy_from_slice(black_box(fill));
                Ok(())
            }) {
                Some(made) => made?.into_any(),
                None => PyString::new(py, std::str::from_utf8(black_box(fill)).unwrap_or(""))
                    .into_any(),
            },
            // Made as `sample` and `choices` make theirs (`MemoryError`
            // when it cannot be).
            Like::List => {
                let mut list = Slots::new(py, len)?;
                for _ in 0..len {
                    list.push(py.None().into_bound(py))?;
                }
                list.finish()?.into_any()
            }
            Like::IntList => {
                let start = i64::from_ne_bytes(LIKE_START.load(Ordering::Relaxed).to_ne_bytes());
                let mut list = Slots::new(py, len)?;
                for i in 0..len {
                    #[allow(clippy::cast_possible_wrap)] // len is a list's length.
                    let value = start.wrapping_add(i as i64);
                    list.push(crate::draw::int(py, black_box(value))?)?;
                }
                list.finish()?.into_any()
            }
            Like::None => py.None().into_bound(py),
        };
        Ok(made)
    }
}

/// A no-op call that returns what `uuid7()` returns: the `uuid.UUID` of a
/// fixed value, made the way `uuid7` makes its own. Over the bare no-op it
/// measures what returning a `uuid.UUID` costs, whatever makes the value.
#[pyfunction]
pub(crate) fn _noop_uuid(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    crate::extras::ids::uuid_from_value(py, black_box(0x0190_0000_0000_7000_8000_0000_0000_0000))
}

/// Nanoseconds per call of the library's own draw for `what` with size
/// `n` (and `k` picks), averaged over `reps` calls, the GIL released.
#[pyfunction]
pub(crate) fn _floor(py: Python<'_>, what: &str, n: usize, k: usize, reps: u32) -> PyResult<f64> {
    let what = what.to_owned();
    py.detach(move || floor(&what, n, k, reps)).or_raise()?.ok_or_else(|| {
        PyValueError::new_err("unknown floor; one of token_bytes, token_hex, token_urlsafe, randbelow, random, getrandbits, shuffle, sample, choices, compare_digest, uuid7")
    })
}

fn floor(what: &str, n: usize, k: usize, reps: u32) -> secrets::Result<Option<f64>> {
    let rng = secrets::SystemRandom::new();
    let population: Vec<usize> = if matches!(what, "shuffle" | "sample" | "choices") {
        (0..n).collect()
    } else {
        Vec::new()
    };
    let (a, b) = if what == "compare_digest" {
        (vec![7u8; n], vec![7u8; n])
    } else {
        (Vec::new(), Vec::new())
    };
    let mut scratch = population.clone();
    // Tokens are drawn as the calls draw them: into the result's own
    // buffer (here one made once), with no allocation.
    let encoding = match what {
        "token_hex" => TokenEncoding::Hex,
        "token_urlsafe" => TokenEncoding::UrlSafe,
        _ => TokenEncoding::Bytes,
    };
    let token_len = if what.starts_with("token_") { n } else { 0 };
    let mut token = vec![0u8; encoding.encoded_len(token_len).unwrap_or(0)];
    let start = Instant::now();
    for _ in 0..reps {
        match what {
            "token_bytes" => secrets::try_fill_bytes(black_box(&mut token))?,
            "token_hex" | "token_urlsafe" => encoding.fill(n, black_box(&mut token))?,
            "randbelow" => drop(black_box(rng.randbelow(n as u64)?)),
            "random" => drop(black_box(rng.try_random()?)),
            "getrandbits" => drop(black_box(rng.getrandbits::<u64>(n)?)),
            "shuffle" => rng.try_shuffle(black_box(&mut scratch))?,
            "sample" => drop(black_box(rng.sample(&population, k)?)),
            "choices" => drop(black_box(rng.choices(&population, Weights::Equal, k)?)),
            "compare_digest" => drop(black_box(secrets::compare_digest(&a, &b))),
            "uuid7" => drop(black_box(secrets_kit_tokens::formats::uuid_v7_value()?)),
            _ => return Ok(None),
        }
    }
    Ok(Some(
        start.elapsed().as_secs_f64() * 1e9 / f64::from(reps.max(1)),
    ))
}
