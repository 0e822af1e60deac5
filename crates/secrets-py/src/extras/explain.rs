//! `explain`: what a secret's strength means, from the library's
//! `secrets_kit_gen::explain::SetSize`: the set size, the entropy, the
//! chance that many such secrets collide and the time to guess one.

use num_bigint::BigUint;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};
use secrets_kit_gen::explain::{DEFAULT_AMONG, GUESS_RATE, MAX_DECIMAL_BITS, Magnitude, SetSize};

use super::OrRaise as _;
use super::args::size;

/// What a secret drawn uniformly from a set of ``set_size`` values means;
/// made by :func:`explain`. Frozen.
///
/// Probabilities and times too small or too large for a float are 0.0 or
/// ``inf``; their ``*_log10`` forms keep them exactly.
#[pyclass(frozen, name = "Explanation", module = "secrets_rs")]
pub(crate) struct Explanation {
    size: SetSize,
    /// The set size as an int, when known exactly (up to 65536 bits).
    #[pyo3(get)]
    set_size: Option<Py<PyAny>>,
    /// ``log2(set_size)``: the entropy in bits.
    #[pyo3(get)]
    entropy_bits: f64,
    /// How many secrets :attr:`collision_probability` is for.
    #[pyo3(get)]
    among: u64,
    /// The probability that ``among`` secrets are not all different.
    #[pyo3(get)]
    collision_probability: f64,
    /// Its base-10 logarithm (``-inf`` for 0).
    #[pyo3(get)]
    collision_probability_log10: f64,
    /// Expected seconds to guess one secret at ``guess_rate`` guesses a
    /// second: ``set_size / 2 / guess_rate``.
    #[pyo3(get)]
    guess_seconds: f64,
    /// Its base-10 logarithm.
    #[pyo3(get)]
    guess_seconds_log10: f64,
    /// The guessing rate of :attr:`guess_seconds`.
    #[pyo3(get)]
    guess_rate: f64,
}

fn rate_of(rate: f64) -> PyResult<f64> {
    if rate.is_finite() && rate > 0.0 {
        Ok(rate)
    } else {
        Err(PyValueError::new_err(format!(
            "the guessing rate must be a positive, finite number of guesses a second, not {rate}"
        )))
    }
}

/// A float's value and its base-10 log.
fn parts(m: Magnitude) -> (f64, f64) {
    (m.value(), m.log10())
}

/// What a secret drawn uniformly from ``set_size`` values (an int), or of
/// ``bits`` bits of entropy, means: its entropy, the probability that
/// ``among`` such secrets collide (the birthday problem, accurate far below
/// a float's range), and the expected time to guess one at ``guess_rate``
/// guesses a second (default 10^12: many GPUs against a fast hash).
///
/// Give ``set_size`` or ``bits``. ``ValueError`` for an empty set or
/// negative bits, ``TypeError`` for other types.
///
/// >>> import secrets_rs
/// >>> e = secrets_rs.explain(365, among=23)   # the birthday problem
/// >>> round(e.collision_probability, 4)
/// 0.5073
/// >>> secrets_rs.explain(bits=128).set_size == 2**128
/// True
#[pyfunction]
#[pyo3(signature = (set_size=None, *, bits=None, among=None, guess_rate=GUESS_RATE),
    text_signature = "(set_size=None, *, bits=None, among=1000000000, guess_rate=1e12)")]
pub(crate) fn explain(
    py: Python<'_>,
    set_size: Option<&Bound<'_, PyAny>>,
    bits: Option<&Bound<'_, PyAny>>,
    among: Option<&Bound<'_, PyAny>>,
    guess_rate: f64,
) -> PyResult<Explanation> {
    let among = match among {
        Some(among) => size(among, "among")?,
        None => DEFAULT_AMONG,
    };
    let guess_rate = rate_of(guess_rate)?;
    // The set and its size as an int: as given, or 2**bits for whole bits
    // up to MAX_DECIMAL_BITS (the sizes the library writes out in full).
    let (size, set_size): (SetSize, Option<Py<PyAny>>) = match (set_size, bits) {
        (Some(n), None) => {
            if n.is_instance_of::<PyBool>() || !n.is_instance_of::<PyInt>() {
                return Err(PyTypeError::new_err(format!(
                    "set_size must be an int, not {}",
                    n.get_type().name()?
                )));
            }
            if n.lt(1)? {
                return Err(PyValueError::new_err("set_size must be at least 1"));
            }
            let exact = SetSize::exact(n.extract::<BigUint>()?).or_raise()?;
            (exact, Some(n.clone().unbind()))
        }
        (None, Some(bits)) => {
            let whole = if bits.is_instance_of::<PyFloat>() {
                let b = bits.extract::<f64>()?;
                if !(b.is_finite() && b >= 0.0) {
                    return Err(PyValueError::new_err(format!(
                        "bits must be a finite number from 0 up, not {b}"
                    )));
                }
                if b.fract() != 0.0 || b >= 2f64.powi(63) {
                    Err(b)
                } else {
                    Ok(b as u64)
                }
            } else {
                Ok(size(bits, "bits")?)
            };
            match whole {
                Ok(b) if b <= MAX_DECIMAL_BITS => {
                    let n = (BigUint::from(1u8) << b).into_pyobject(py)?;
                    (SetSize::bits(b), Some(n.into_any().unbind()))
                }
                Ok(b) => (SetSize::bits(b), None),
                Err(b) => (SetSize::from_entropy(b).or_raise()?, None),
            }
        }
        _ => {
            return Err(PyTypeError::new_err(
                "explain() takes set_size or bits= (one of them)",
            ));
        }
    };
    let (collision_probability, collision_probability_log10) =
        parts(size.collision_probability(among));
    let (guess_seconds, guess_seconds_log10) = parts(size.guess_seconds(guess_rate));
    Ok(Explanation {
        entropy_bits: size.log2(),
        size,
        set_size,
        among,
        collision_probability,
        collision_probability_log10,
        guess_seconds,
        guess_seconds_log10,
        guess_rate,
    })
}

#[pymethods]
impl Explanation {
    /// The probability that ``n`` secrets from the set are not all
    /// different.
    fn collision_probability_among(&self, n: &Bound<'_, PyAny>) -> PyResult<f64> {
        Ok(self.size.collision_probability(size(n, "n")?).value())
    }

    /// Expected seconds to guess one secret at ``rate`` guesses a second.
    fn guess_time(&self, rate: f64) -> PyResult<f64> {
        Ok(self.size.guess_seconds(rate_of(rate)?).value())
    }

    fn __repr__(&self) -> String {
        format!(
            "Explanation(entropy_bits={}, among={}, collision_probability={:e}, \
             guess_seconds={:e})",
            self.entropy_bits, self.among, self.collision_probability, self.guess_seconds
        )
    }
}
