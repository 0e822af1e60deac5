//! What a secret's strength means: the size of the set it was drawn from,
//! its entropy, the chance that many such secrets collide, and how long
//! guessing one would take.
//!
//! For a value drawn uniformly from a set `S` of `|S|` values:
//!
//! - entropy: `log2 |S|` bits, exact for powers of two;
//! - collision probability among `n` values drawn independently: the
//!   birthday problem, `p = 1 - prod_{i<n} (1 - i/|S|)`. For small sets
//!   and `n` up to 2^20 the product is summed term by term as
//!   `-expm1(sum log1p(-i/|S|))`, accurate to a few units in the last
//!   place; otherwise `-ln(1 - p) = sum_k (1/k) sum_{i<n} (i/|S|)^k`, whose
//!   first term is `n(n-1)/(2|S|)`, with the next three terms as a relative
//!   correction, all in logarithms, so a probability of `1e-5000` is given
//!   as that, not as 0. `n > |S|` gives exactly 1;
//! - guessing: an attacker trying values in any order needs `|S|/2` tries
//!   on average, so the expected time is `|S| / 2 / rate` seconds (rate
//!   [`GUESS_RATE`], 10^12 guesses a second, by default).
//!
//! Numbers beyond `f64` (a set of 2^5000, a probability of 1e-400) are
//! [`Magnitude`]s, which keep their base-10 logarithm.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_gen::explain::SetSize;
//!
//! // The birthday problem: 23 people, 365 days.
//! let days = SetSize::power(365, 1)?;
//! let p = days.collision_probability(23).value();
//! assert!((p - 0.507_297_234_323_985_7).abs() < 1e-13);
//!
//! let token = SetSize::power(2, 256)?; // token_hex(32)
//! let e = token.explain(1_000_000_000);
//! assert_eq!(e.entropy_bits, 256.0);
//! assert_eq!(e.collision_probability.to_string(), "4.318e-60");
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use std::fmt;

use num_bigint::BigUint;

use crate::engine::log2;
use secrets_kit::{Error, Result};

/// The default `n` of the collision probability: a billion values.
///
/// ```
/// assert_eq!(secrets_kit_gen::explain::DEFAULT_AMONG, 1_000_000_000);
/// ```
pub const DEFAULT_AMONG: u64 = 1_000_000_000;

/// The guessing rate of [`SetSize::explain`]: 10^12 guesses a second, a
/// large cluster of GPUs against a fast hash.
///
/// ```
/// assert_eq!(secrets_kit_gen::explain::GUESS_RATE, 1e12);
/// ```
pub const GUESS_RATE: f64 = 1e12;

/// Set sizes up to this many bits are written out in full in decimal;
/// larger ones as `base^exponent` (a 2^65536 set has 19,729 digits).
///
/// ```
/// assert_eq!(secrets_kit_gen::explain::MAX_DECIMAL_BITS, 65_536);
/// ```
pub const MAX_DECIMAL_BITS: u64 = 1 << 16;

/// Direct summation of the birthday product below this many values.
const DIRECT_LIMIT: u64 = 1 << 20;

/// A non-negative number kept as its base-10 logarithm, so that it can be
/// far outside `f64`'s range.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::explain::SetSize;
/// let m = SetSize::power(2, 4096)?.guess_seconds(1e12);
/// assert_eq!(m.value(), f64::INFINITY); // beyond f64
/// assert!(m.to_string().starts_with("5.22")); // but not beyond a Magnitude
/// assert!(m.to_string().ends_with("e1220"));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Magnitude {
    /// `log10` of the number; `-inf` for 0.
    log10: f64,
}

impl Magnitude {
    /// Zero.
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::Magnitude::ZERO.value(), 0.0);
    /// ```
    pub const ZERO: Magnitude = Magnitude {
        log10: f64::NEG_INFINITY,
    };

    /// One.
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::Magnitude::ONE.value(), 1.0);
    /// ```
    pub const ONE: Magnitude = Magnitude { log10: 0.0 };

    /// The number whose base-10 logarithm is `log10`.
    ///
    /// ```
    /// let m = secrets_kit_gen::explain::Magnitude::from_log10(-3.0);
    /// assert!((m.value() - 0.001).abs() < 1e-18);
    /// ```
    #[must_use]
    pub fn from_log10(log10: f64) -> Self {
        Magnitude { log10 }
    }

    /// `value` as a magnitude.
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::Magnitude::from_f64(0.0), secrets_kit_gen::explain::Magnitude::ZERO);
    /// ```
    #[must_use]
    pub fn from_f64(value: f64) -> Self {
        Magnitude {
            log10: value.log10(),
        }
    }

    /// The base-10 logarithm (`-inf` for 0).
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::Magnitude::ONE.log10(), 0.0);
    /// ```
    #[must_use]
    pub fn log10(self) -> f64 {
        self.log10
    }

    /// The number as an `f64`: 0 below about 1e-308 (and infinity above
    /// 1.8e308) where `f64` ends.
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::Magnitude::from_log10(-400.0).value(), 0.0);
    /// ```
    #[must_use]
    pub fn value(self) -> f64 {
        10f64.powf(self.log10)
    }

    /// The number as JSON: a number literal with four significant digits
    /// in scientific notation (`4.318e-60`), `0` or `1` exactly, valid JSON
    /// even beyond `f64`'s range.
    ///
    /// ```
    /// use secrets_kit_gen::explain::Magnitude;
    /// assert_eq!(Magnitude::ZERO.to_json(), "0");
    /// assert_eq!(Magnitude::from_log10(-5000.5).to_json(), "3.162e-5001");
    /// ```
    #[must_use]
    pub fn to_json(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Magnitude {
    /// Four significant digits, scientific notation; `0` and `1` exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.log10 == f64::NEG_INFINITY {
            return f.write_str("0");
        }
        if self.log10 == 0.0 {
            return f.write_str("1");
        }
        if !self.log10.is_finite() {
            return f.write_str("1e999999");
        }
        let mut exponent = self.log10.floor();
        let mut mantissa = 10f64.powf(self.log10 - exponent);
        // Rounding to four digits may carry into the exponent.
        if (mantissa * 1000.0).round() >= 10_000.0 {
            mantissa /= 10.0;
            exponent += 1.0;
        }
        write!(f, "{mantissa:.3}e{exponent}")
    }
}

/// The size of the set a secret is drawn from, exact where it can be.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::explain::SetSize;
/// use num_bigint::BigUint;
///
/// let pin = SetSize::power(10, 6)?;
/// assert_eq!(pin.to_decimal(), "1000000");
/// let exact = SetSize::exact(BigUint::from(7u8))?;
/// assert!((exact.log2() - 7f64.log2()).abs() < 1e-15);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetSize {
    repr: Repr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Repr {
    Exact(BigUint),
    Power {
        base: u64,
        exponent: u64,
    },
    /// Known only by its entropy (bits, as `f64` bit pattern so that the
    /// type stays `Eq`).
    Bits(u64),
}

impl SetSize {
    /// A set of exactly `count` values.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `count` is 0.
    ///
    /// ```
    /// use secrets_kit_gen::explain::SetSize;
    /// assert!(SetSize::exact(0u8.into()).is_err());
    /// ```
    pub fn exact(count: BigUint) -> Result<Self> {
        if count.bits() == 0 {
            return Err(Error::invalid("a set of values cannot be empty"));
        }
        Ok(SetSize {
            repr: Repr::Exact(count),
        })
    }

    /// The `base^exponent` strings of `exponent` symbols over `base`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `base` is 0.
    ///
    /// ```
    /// use secrets_kit_gen::explain::SetSize;
    /// assert_eq!(SetSize::power(58, 2)?.to_decimal(), "3364");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn power(base: u64, exponent: u64) -> Result<Self> {
        if base == 0 {
            return Err(Error::invalid("an alphabet of 0 symbols makes no values"));
        }
        Ok(SetSize {
            repr: Repr::Power { base, exponent },
        })
    }

    /// `2^bits`: the values of `bits` uniform random bits.
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::SetSize::bits(8).to_decimal(), "256");
    /// ```
    #[must_use]
    pub fn bits(bits: u64) -> Self {
        SetSize {
            repr: Repr::Power {
                base: 2,
                exponent: bits,
            },
        }
    }

    /// A set known only by its entropy in bits (for example a passphrase
    /// over a list that is not uniquely decodable, whose entropy is a lower
    /// bound): its size is `2^bits`, written so.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `bits` is negative or not finite.
    ///
    /// ```
    /// let set = secrets_kit_gen::explain::SetSize::from_entropy(10.5)?;
    /// assert_eq!(set.to_decimal(), "2^10.5");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn from_entropy(bits: f64) -> Result<Self> {
        if !(bits.is_finite() && bits >= 0.0) {
            return Err(Error::invalid(format!(
                "an entropy of {bits} bits describes no set"
            )));
        }
        Ok(SetSize {
            repr: Repr::Bits(bits.to_bits()),
        })
    }

    /// The entropy of a uniform draw: `log2 |S|`, exact for powers of two.
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::explain::SetSize::bits(256).log2(), 256.0);
    /// ```
    #[must_use]
    pub fn log2(&self) -> f64 {
        match &self.repr {
            Repr::Exact(n) => {
                if n.count_ones() == 1 {
                    (n.bits() - 1) as f64
                } else {
                    log2(n)
                }
            }
            Repr::Bits(bits) => f64::from_bits(*bits),
            Repr::Power { base, exponent } => {
                if base.is_power_of_two() {
                    (*exponent as f64) * f64::from(base.trailing_zeros())
                } else {
                    (*exponent as f64) * (*base as f64).log2()
                }
            }
        }
    }

    /// The exact count, when it has at most [`MAX_DECIMAL_BITS`] bits.
    fn exact_value(&self) -> Option<BigUint> {
        match &self.repr {
            Repr::Exact(n) => Some(n.clone()),
            Repr::Bits(_) => None,
            Repr::Power { base, exponent } => {
                if self.log2() > MAX_DECIMAL_BITS as f64 {
                    return None;
                }
                // Bounded just above: the exponent fits u32.
                Some(BigUint::from(*base).pow(u32::try_from(*exponent).ok()?))
            }
        }
    }

    /// The count in decimal; past [`MAX_DECIMAL_BITS`] bits, as
    /// `base^exponent`.
    ///
    /// ```
    /// use secrets_kit_gen::explain::SetSize;
    /// assert_eq!(SetSize::bits(64).to_decimal(), "18446744073709551616");
    /// assert_eq!(SetSize::bits(1 << 20).to_decimal(), "2^1048576");
    /// ```
    #[must_use]
    pub fn to_decimal(&self) -> String {
        match (self.exact_value(), &self.repr) {
            (Some(n), _) => n.to_string(),
            (None, Repr::Power { base, exponent }) => format!("{base}^{exponent}"),
            (None, Repr::Exact(n)) => n.to_string(),
            (None, Repr::Bits(bits)) => format!("2^{}", f64::from_bits(*bits)),
        }
    }

    /// The count as `f64` when it is below 2^53 (so exact), else `None`.
    fn small(&self) -> Option<f64> {
        if self.log2() >= 53.0 {
            return None;
        }
        let value = self.exact_value()?;
        let digits = value.iter_u64_digits().next().unwrap_or(0);
        Some(digits as f64)
    }

    /// The probability that `among` values drawn independently and
    /// uniformly from the set are not all different.
    ///
    /// ```
    /// use secrets_kit_gen::explain::SetSize;
    /// let dice = SetSize::power(6, 1)?;
    /// assert!((dice.collision_probability(2).value() - 1.0 / 6.0).abs() < 1e-15);
    /// assert_eq!(dice.collision_probability(7).value(), 1.0);
    /// assert_eq!(dice.collision_probability(1).value(), 0.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn collision_probability(&self, among: u64) -> Magnitude {
        if among <= 1 {
            return Magnitude::ZERO;
        }
        let n = among as f64;
        let log2_size = self.log2();
        if let Some(size) = self.small() {
            if n > size {
                return Magnitude::ONE; // more values than the set has
            }
            if among <= DIRECT_LIMIT {
                let mut log_none = 0.0;
                for i in 1..among {
                    log_none += (-(i as f64) / size).ln_1p();
                }
                return Magnitude::from_f64(-log_none.exp_m1());
            }
        }
        let ln_size = log2_size * std::f64::consts::LN_2;
        // -ln(1 - p) = x1 * (1 + t2 + t3 + t4): x1 = n(n-1)/(2|S|).
        let ln_x1 = n.ln() + (n - 1.0).ln() - std::f64::consts::LN_2 - ln_size;
        if ln_x1 > 50f64.ln() {
            // 1 - p < e^-50: p is 1 to f64's precision.
            return Magnitude::ONE;
        }
        let term = |ln: f64| ln.exp();
        let t2 = term((2.0 * n - 1.0).ln() - 6f64.ln() - ln_size);
        let t3 = term(n.ln() + (n - 1.0).ln() - 6f64.ln() - 2.0 * ln_size);
        let t4 = term(3.0 * n.ln() - 10f64.ln() - 3.0 * ln_size);
        let ln_x = ln_x1 + (t2 + t3 + t4).ln_1p();
        if ln_x < -700.0 {
            // p = 1 - e^-x = x (1 - x/2 + ...), and x is below 1e-304.
            return Magnitude::from_log10(ln_x / std::f64::consts::LN_10);
        }
        Magnitude::from_f64(-(-ln_x.exp()).exp_m1())
    }

    /// The expected seconds to guess a value at `rate` guesses a second:
    /// `|S| / 2 / rate`.
    ///
    /// ```
    /// use secrets_kit_gen::explain::SetSize;
    /// let s = SetSize::bits(41).guess_seconds(1e12);
    /// assert!((s.value() - 1.099_511_627_776).abs() < 1e-12);
    /// ```
    #[must_use]
    pub fn guess_seconds(&self, rate: f64) -> Magnitude {
        Magnitude::from_log10((self.log2() - 1.0) * std::f64::consts::LOG10_2 - rate.log10())
    }

    /// Everything at once, for `among` values and [`GUESS_RATE`].
    ///
    /// ```
    /// use secrets_kit_gen::explain::SetSize;
    /// let e = SetSize::power(10, 6)?.explain(1000);
    /// assert_eq!(e.set_size, "1000000");
    /// assert!((e.collision_probability.value() - 0.393_267_028_558_520_6).abs() < 1e-13);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn explain(&self, among: u64) -> Explanation {
        Explanation {
            set_size: self.to_decimal(),
            entropy_bits: self.log2(),
            among,
            collision_probability: self.collision_probability(among),
            guess_seconds: self.guess_seconds(GUESS_RATE),
        }
    }
}

/// The figures [`SetSize::explain`] gives.
///
/// # Examples
///
/// ```
/// let e = secrets_kit_gen::explain::SetSize::bits(128).explain(1_000_000_000);
/// assert_eq!(e.entropy_bits, 128.0);
/// assert_eq!(e.set_size, "340282366920938463463374607431768211456");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The set's size in decimal (see [`SetSize::to_decimal`]).
    pub set_size: String,
    /// `log2` of the set's size.
    pub entropy_bits: f64,
    /// How many values the collision probability is for.
    pub among: u64,
    /// The probability that `among` values are not all different.
    pub collision_probability: Magnitude,
    /// Expected seconds to guess one value at [`GUESS_RATE`].
    pub guess_seconds: Magnitude,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnitudes_print_four_digits() {
        assert_eq!(Magnitude::from_f64(0.5).to_string(), "5.000e-1");
        assert_eq!(Magnitude::from_f64(9.99999).to_string(), "1.000e1");
        assert_eq!(Magnitude::from_f64(123_456.0).to_string(), "1.235e5");
        assert_eq!(Magnitude::from_log10(-1e6).to_string(), "1.000e-1000000");
    }

    #[test]
    fn huge_sets_stay_finite_in_logs() {
        let s = SetSize::bits(1 << 30);
        assert_eq!(s.to_decimal(), "2^1073741824");
        let p = s.collision_probability(DEFAULT_AMONG);
        assert!(p.log10().is_finite() && p.log10() < -3e8);
        let g = s.guess_seconds(GUESS_RATE);
        assert!(g.log10() > 3e8);
    }
}
