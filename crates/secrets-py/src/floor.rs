//! The benchmark's floor: what a call cannot go below. `_noop` is a call
//! into the extension that does nothing with its arguments (`_noop_uuid`,
//! one that returns a fixed `uuid.UUID` as `uuid7` builds it); `_floor` times
//! the library's own draw for a call, in Rust. A method's floor is the sum
//! of the two (`benchmarks/bench.py`); so is `uuid7`'s: `_noop_uuid` plus
//! the library's `uuid_v7_value` (`benchmarks/extras.py`).

use std::hint::black_box;
use std::time::Instant;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use secrets::sequences::Weights;

use crate::capi::fast_fn;
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
    let start = Instant::now();
    for _ in 0..reps {
        match what {
            "token_bytes" => drop(black_box(secrets::fallible::try_token_bytes(n)?)),
            "token_hex" => drop(black_box(secrets::fallible::try_token_hex(n)?)),
            "token_urlsafe" => drop(black_box(secrets::fallible::try_token_urlsafe(n)?)),
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
