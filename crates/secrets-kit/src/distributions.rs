//! `SystemRandom`'s real-valued distributions and `binomialvariate`.
//!
//! Each is CPython's algorithm, reading `random()` (7 bytes) the same
//! number of times in the same order, so the results match Python's for
//! the same kernel bytes, up to the last bit of the platform's `ln`, `exp`,
//! `cos` (the same C library functions Python calls). The samplers are
//! written against a `random()` closure so the unit tests can feed exact
//! floats, as CPython's `TestDistributions` does.
//!
//! Where Python raises an exception out of float arithmetic
//! (`ZeroDivisionError`, `OverflowError` from `exp` or `**`), the code
//! checks for the same condition and returns the matching error; where
//! Python would loop forever or hit an `assert` on a NaN parameter, the
//! parameter is rejected up front.

use std::f64::consts::{E, PI, TAU};

use crate::{EntropySource, Error, ErrorKind, Result, SystemRandom};

/// `4 * exp(-0.5) / sqrt(2)`, Kinderman–Monahan's constant.
const NV_MAGICCONST: f64 = 1.715_527_769_921_413_5;
/// `ln(4)`.
const LOG4: f64 = 1.386_294_361_119_890_6;
/// `1 + ln(4.5)`.
const SG_MAGICCONST: f64 = 2.504_077_396_776_274;

fn zero_division(what: &str) -> Error {
    Error::new(ErrorKind::ZeroDivision, what.to_owned())
}

/// Python's `base ** exponent` for floats: `ZeroDivisionError` for 0 to a
/// negative power, `OverflowError` when finite operands give an infinite
/// result.
fn py_pow(base: f64, exponent: f64, what: &str) -> Result<f64> {
    let result = base.powf(exponent);
    if result.is_infinite() && base.is_finite() && exponent.is_finite() {
        if base == 0.0 {
            return Err(zero_division(&format!(
                "{what}: 0.0 cannot be raised to a negative power"
            )));
        }
        return Err(Error::new(
            ErrorKind::Overflow,
            format!("{what}: {base} ** {exponent} is too large for an f64"),
        ));
    }
    Ok(result)
}

pub(crate) fn uniform(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    a: f64,
    b: f64,
) -> Result<f64> {
    Ok(a + (b - a) * random()?)
}

pub(crate) fn triangular(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    low: f64,
    high: f64,
    mode: Option<f64>,
) -> Result<f64> {
    let mut u = random()?;
    let mut c = match mode {
        None => 0.5,
        // Python divides and returns `low` on ZeroDivisionError.
        Some(_) if high - low == 0.0 => return Ok(low),
        Some(mode) => (mode - low) / (high - low),
    };
    let (mut low, mut high) = (low, high);
    if u > c {
        u = 1.0 - u;
        c = 1.0 - c;
        std::mem::swap(&mut low, &mut high);
    }
    Ok(low + (high - low) * (u * c).sqrt())
}

pub(crate) fn normal(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    mu: f64,
    sigma: f64,
) -> Result<f64> {
    loop {
        let u1 = random()?;
        let u2 = 1.0 - random()?;
        let z = NV_MAGICCONST * (u1 - 0.5) / u2;
        if z * z / 4.0 <= -u2.ln() {
            return Ok(mu + z * sigma);
        }
    }
}

pub(crate) fn lognormal(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    mu: f64,
    sigma: f64,
) -> Result<f64> {
    let x = normal(random, mu, sigma)?;
    let y = x.exp();
    if y.is_infinite() && x.is_finite() {
        return Err(Error::new(
            ErrorKind::Overflow,
            format!(
                "lognormvariate: exp({x}) is too large for an f64; \
                 mu and sigma must keep the normal value below about 709.78"
            ),
        ));
    }
    Ok(y)
}

pub(crate) fn exponential(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    lambd: f64,
) -> Result<f64> {
    if lambd == 0.0 {
        return Err(zero_division(
            "expovariate: lambd must not be 0; it is the rate, 1 / mean, \
             positive for values in [0, inf)",
        ));
    }
    // 1 - random() is in (0, 1], so the logarithm is finite.
    Ok(-(1.0 - random()?).ln() / lambd)
}

pub(crate) fn von_mises(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    mu: f64,
    kappa: f64,
) -> Result<f64> {
    if kappa.is_nan() {
        return Err(Error::invalid(
            "vonmisesvariate: kappa is NaN; it must be a number >= 0 \
             (0 gives a uniform angle)",
        ));
    }
    if kappa <= 1e-6 {
        return Ok(TAU * random()?);
    }
    let s = 0.5 / kappa;
    let r = s + (1.0 + s * s).sqrt();
    let z = loop {
        let u1 = random()?;
        let z = (PI * u1).cos();
        let d = z / (r + z);
        let u2 = random()?;
        if u2 < 1.0 - d * d || u2 <= (1.0 - d) * d.exp() {
            break z;
        }
    };
    let q = 1.0 / r;
    let f = (q + z) / (1.0 + q * z);
    let u3 = random()?;
    // |f| <= 1 mathematically; a rounding step past 1 would make acos NaN
    // (Python: a domain error), so it is clamped.
    let spread = f.clamp(-1.0, 1.0).acos();
    let angle = if u3 > 0.5 { mu + spread } else { mu - spread };
    Ok(python_mod_tau(angle))
}

/// Python's `x % TWOPI`: the result takes the divisor's sign, and a zero
/// result is +0.0.
fn python_mod_tau(x: f64) -> f64 {
    let m = x.rem_euclid(TAU);
    if m == 0.0 { 0.0 } else { m }
}

pub(crate) fn gamma(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    alpha: f64,
    beta: f64,
) -> Result<f64> {
    check_gamma_parameters("gammavariate", alpha, beta)?;
    if alpha > 1.0 {
        // Cheng (1977).
        let ainv = (2.0 * alpha - 1.0).sqrt();
        let bbb = alpha - LOG4;
        let ccc = alpha + ainv;
        loop {
            let u1 = random()?;
            if !(1e-7 < u1 && u1 < 0.999_999_9) {
                continue;
            }
            let u2 = 1.0 - random()?;
            let v = (u1 / (1.0 - u1)).ln() / ainv;
            let x = alpha * v.exp();
            let z = u1 * u1 * u2;
            let r = bbb + ccc * v - x;
            if r + SG_MAGICCONST - 4.5 * z >= 0.0 || r >= z.ln() {
                return Ok(x * beta);
            }
        }
    } else if alpha == 1.0 {
        Ok(-(1.0 - random()?).ln() * beta)
    } else {
        // Algorithm GS (Kennedy and Gentle), for 0 < alpha < 1.
        loop {
            let u = random()?;
            let b = (E + alpha) / E;
            let p = b * u;
            let x = if p <= 1.0 {
                p.powf(1.0 / alpha)
            } else {
                -((b - p) / alpha).ln()
            };
            let u1 = random()?;
            let accept = if p > 1.0 {
                u1 <= x.powf(alpha - 1.0)
            } else {
                u1 <= (-x).exp()
            };
            if accept {
                return Ok(x * beta);
            }
        }
    }
}

/// Python's `alpha <= 0.0 or beta <= 0.0` check, plus the NaN and infinite
/// `alpha` that make Python's loop run forever.
fn check_gamma_parameters(what: &str, alpha: f64, beta: f64) -> Result<()> {
    if alpha.is_nan() || beta.is_nan() || alpha <= 0.0 || beta <= 0.0 {
        return Err(Error::invalid(format!(
            "{what}: alpha and beta must be > 0.0 (got alpha = {alpha}, beta = {beta})"
        )));
    }
    if alpha.is_infinite() {
        return Err(Error::invalid(format!(
            "{what}: alpha must be finite (got {alpha}); any finite value > 0.0 works"
        )));
    }
    Ok(())
}

pub(crate) fn beta(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    alpha: f64,
    beta: f64,
) -> Result<f64> {
    // Checked together up front; Python checks `beta` only once it draws
    // the second gamma value, which it skips when the first is 0.
    check_gamma_parameters("betavariate", alpha, beta)?;
    let y = gamma(random, alpha, 1.0)?;
    if y == 0.0 {
        return Ok(0.0);
    }
    Ok(y / (y + gamma(random, beta, 1.0)?))
}

pub(crate) fn pareto(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    alpha: f64,
) -> Result<f64> {
    if alpha == 0.0 {
        return Err(zero_division(
            "paretovariate: alpha must not be 0; it is the shape, usually > 0",
        ));
    }
    let u = 1.0 - random()?;
    py_pow(u, -1.0 / alpha, "paretovariate")
}

pub(crate) fn weibull(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    alpha: f64,
    beta: f64,
) -> Result<f64> {
    if beta == 0.0 {
        return Err(zero_division(
            "weibullvariate: beta must not be 0; it is the shape, usually > 0",
        ));
    }
    let u = 1.0 - random()?;
    Ok(alpha * py_pow(-u.ln(), 1.0 / beta, "weibullvariate")?)
}

/// `2^64` as a float, the first value a `u64` cannot hold.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub(crate) fn binomial(
    random: &mut (impl FnMut() -> Result<f64> + ?Sized),
    n: u64,
    p: f64,
) -> Result<u64> {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return Err(Error::invalid(format!(
            "binomialvariate: p must be in the range 0.0 <= p <= 1.0 (got {p})"
        )));
    }
    if p == 0.0 {
        return Ok(0);
    }
    if p == 1.0 {
        return Ok(n);
    }
    if n == 1 {
        return Ok(u64::from(random()? < p));
    }
    if p > 0.5 {
        return Ok(n - binomial(random, n, 1.0 - p)?);
    }
    let nf = n as f64;
    if nf * p < 10.0 {
        // BG: Devroye's geometric method.
        let c = (1.0 - p).log2();
        if c == 0.0 {
            return Ok(0);
        }
        let (mut successes, mut trials) = (0u64, 0u128);
        loop {
            let u = random()?;
            if u == 0.0 {
                // log2(0) is -inf; CPython 3.14.5+ draws again.
                continue;
            }
            // log2(u) <= 0 and c < 0: a non-negative gap, saturated when huge.
            let gap = (u.log2() / c).floor() as u128;
            trials = trials.saturating_add(gap).saturating_add(1);
            if trials > u128::from(n) {
                return Ok(successes);
            }
            successes += 1;
        }
    }
    // BTRS: Hörmann's transformed rejection with squeeze.
    let spq = (nf * p * (1.0 - p)).sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let vr = 0.92 - 4.2 / b;
    let mut setup: Option<(f64, f64, u64, f64)> = None;
    loop {
        let u = random()? - 0.5;
        let us = 0.5 - u.abs();
        if us == 0.0 {
            // random() was 0.0; CPython 3.14.7+ draws again.
            continue;
        }
        let k = ((2.0 * a / us + b) * u + c).floor();
        if !(0.0..TWO_POW_64).contains(&k) || k as u64 > n {
            continue;
        }
        let k = k as u64;
        let mut v = random()?;
        if us >= 0.07 && v <= vr {
            return Ok(k);
        }
        let (alpha, lpq, m, h) = *setup.get_or_insert_with(|| {
            let alpha = (2.83 + 5.1 / b) * spq;
            let lpq = (p / (1.0 - p)).ln();
            // p <= 0.5, so the mode is at most n.
            let m = (((nf + 1.0) * p).floor() as u64).min(n);
            let h = libm::lgamma(m as f64 + 1.0) + libm::lgamma((n - m) as f64 + 1.0);
            (alpha, lpq, m, h)
        });
        v *= alpha / (a / (us * us) + b);
        let k_minus_m = (i128::from(k) - i128::from(m)) as f64;
        let bound =
            h - libm::lgamma(k as f64 + 1.0) - libm::lgamma((n - k) as f64 + 1.0) + k_minus_m * lpq;
        // v == 0 gives ln(v) = -inf, an acceptance; Python raises a domain
        // error there instead (a 2^-53 event).
        if v.ln() <= bound {
            return Ok(k);
        }
    }
}

/// The distribution methods that only run their function above over
/// `self.try_random()`: each `fn name(args) -> T = function;` becomes
/// `pub fn name(&self, args) -> Result<T>`, with its docs.
macro_rules! variates {
    ($(
        $(#[$attr:meta])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty = $function:path;
    )*) => {$(
        $(#[$attr])*
        pub fn $name(&self, $($arg: $ty),*) -> Result<$out> {
            $function(&mut || self.try_random(), $($arg),*)
        }
    )*};
}

impl<S: EntropySource> SystemRandom<S> {
    /// A random float between `a` and `b`: Python's `uniform(a, b)`,
    /// `a + (b - a) * random()`.
    ///
    /// `a > b` is allowed; `b` itself may come out through rounding.
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_uniform`](Self::try_uniform).
    ///
    /// # Examples
    ///
    /// ```
    /// let x = secrets_kit::SystemRandom::new().uniform(1.0, 10.0);
    /// assert!((1.0..=10.0).contains(&x));
    /// ```
    #[track_caller]
    pub fn uniform(&self, a: f64, b: f64) -> f64 {
        self.try_uniform(a, b)
            .unwrap_or_else(|err| crate::fail(err))
    }

    /// [`uniform`](Self::uniform), reporting a failure of the source.
    ///
    /// # Errors
    ///
    /// The source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit::SystemRandom::new().try_uniform(10.0, 10.0)?, 10.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_uniform(&self, a: f64, b: f64) -> Result<f64> {
        uniform(&mut || self.try_random(), a, b)
    }

    /// A random float from the triangular distribution on `[low, high]`
    /// with the given mode (default: the midpoint): Python's
    /// `triangular(low, high, mode)`.
    ///
    /// As in Python, the mode is not checked against the bounds, and
    /// `low == high` returns `low`.
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_triangular`](Self::try_triangular).
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let x = rng.triangular(0.0, 1.0, None);
    /// let y = rng.triangular(0.0, 10.0, 2.5);
    /// assert!((0.0..=1.0).contains(&x) && (0.0..=10.0).contains(&y));
    /// ```
    #[track_caller]
    pub fn triangular(&self, low: f64, high: f64, mode: impl Into<Option<f64>>) -> f64 {
        self.try_triangular(low, high, mode)
            .unwrap_or_else(|err| crate::fail(err))
    }

    /// [`triangular`](Self::triangular), reporting a failure of the source.
    ///
    /// # Errors
    ///
    /// The source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert_eq!(rng.try_triangular(10.0, 10.0, 10.0)?, 10.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_triangular(&self, low: f64, high: f64, mode: impl Into<Option<f64>>) -> Result<f64> {
        triangular(&mut || self.try_random(), low, high, mode.into())
    }

    /// A normally distributed float with mean `mu` and standard deviation
    /// `sigma`: Python's `normalvariate(mu, sigma)` (Python's defaults are
    /// 0.0 and 1.0), by Kinderman and Monahan's ratio of uniforms.
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_normalvariate`](Self::try_normalvariate).
    ///
    /// # Examples
    ///
    /// ```
    /// let height = secrets_kit::SystemRandom::new().normalvariate(170.0, 10.0);
    /// assert!(height.is_finite());
    /// ```
    #[track_caller]
    pub fn normalvariate(&self, mu: f64, sigma: f64) -> f64 {
        self.try_normalvariate(mu, sigma)
            .unwrap_or_else(|err| crate::fail(err))
    }

    /// [`normalvariate`](Self::normalvariate), reporting a failure of the
    /// source.
    ///
    /// # Errors
    ///
    /// The source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit::SystemRandom::new().try_normalvariate(10.0, 0.0)?, 10.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_normalvariate(&self, mu: f64, sigma: f64) -> Result<f64> {
        normal(&mut || self.try_random(), mu, sigma)
    }

    /// A normally distributed float by Box–Muller: Python's `gauss(mu,
    /// sigma)` (defaults 0.0 and 1.0 there).
    ///
    /// Each draw makes two values and keeps the second for the next call,
    /// which then reads no entropy; hence `&mut self`. The cache survives
    /// [`seed`](Self::seed), as in Python.
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_gauss`](Self::try_gauss).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut rng = secrets_kit::SystemRandom::new();
    /// let noise = rng.gauss(0.0, 0.1);
    /// assert!(noise.is_finite());
    /// ```
    #[track_caller]
    pub fn gauss(&mut self, mu: f64, sigma: f64) -> f64 {
        self.try_gauss(mu, sigma)
            .unwrap_or_else(|err| crate::fail(err))
    }

    /// [`gauss`](Self::gauss), reporting a failure of the source.
    ///
    /// # Errors
    ///
    /// The source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut rng = secrets_kit::SystemRandom::new();
    /// assert_eq!(rng.try_gauss(10.0, 0.0)?, 10.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_gauss(&mut self, mu: f64, sigma: f64) -> Result<f64> {
        let z = match self.gauss_next.take() {
            Some(z) => z,
            None => {
                let angle = self.try_random()? * TAU;
                let radius = (-2.0 * (1.0 - self.try_random()?).ln()).sqrt();
                self.gauss_next = Some(angle.sin() * radius);
                angle.cos() * radius
            }
        };
        Ok(mu + z * sigma)
    }

    variates! {
        /// A log-normally distributed float, `exp(normalvariate(mu, sigma))`:
        /// Python's `lognormvariate(mu, sigma)`.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::Overflow`] when the result is too large for an `f64`
        /// (Python: `OverflowError` from `exp`, for example with `mu = 1000`),
        /// and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// assert!(rng.lognormvariate(0.0, 1.0)? > 0.0);
        /// assert_eq!(rng.lognormvariate(0.0, 0.0)?, 1.0);
        /// assert!(rng.lognormvariate(1000.0, 0.0).is_err());
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn lognormvariate(mu: f64, sigma: f64) -> f64 = lognormal;

        /// An exponentially distributed float with rate `lambd` (mean
        /// `1 / lambd`): Python's `expovariate(lambd)` (default 1.0 there).
        ///
        /// A negative rate gives values `<= 0`, as in Python.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::ZeroDivision`] when `lambd` is 0, and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// assert!(rng.expovariate(1.5)? >= 0.0);
        /// assert_eq!(rng.expovariate(f64::INFINITY)?, 0.0);
        /// assert!(rng.expovariate(0.0).is_err());
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn expovariate(lambd: f64) -> f64 = exponential;

        /// An angle in `[0, 2π]` from the von Mises distribution with mean
        /// angle `mu` and concentration `kappa`: Python's
        /// `vonmisesvariate(mu, kappa)`.
        ///
        /// `kappa <= 1e-6` gives a uniform angle.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::InvalidValue`] when `kappa` is NaN (Python loops
        /// forever), and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// use std::f64::consts::TAU;
        ///
        /// let rng = secrets_kit::SystemRandom::new();
        /// let angle = rng.vonmisesvariate(1.0, 4.0)?;
        /// assert!((0.0..=TAU).contains(&angle));
        /// assert_eq!(rng.vonmisesvariate(3.0, f64::INFINITY)?, 3.0);
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn vonmisesvariate(mu: f64, kappa: f64) -> f64 = von_mises;

        /// A gamma-distributed float with shape `alpha` and scale `beta` (mean
        /// `alpha * beta`): Python's `gammavariate(alpha, beta)`.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::InvalidValue`] unless `alpha` and `beta` are `> 0.0`
        /// (NaN and an infinite `alpha`, on which Python loops forever, are
        /// rejected too), and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// assert!(rng.gammavariate(2.0, 3.0)? > 0.0);
        /// assert!(rng.gammavariate(0.0, 2.0).is_err());
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn gammavariate(alpha: f64, beta: f64) -> f64 = gamma;

        /// A beta-distributed float in `[0, 1]`: Python's
        /// `betavariate(alpha, beta)`, from two gamma variates.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::InvalidValue`] unless `alpha` and `beta` are `> 0.0`
        /// and finite, and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// let x = rng.betavariate(3.0, 3.0)?;
        /// assert!((0.0..=1.0).contains(&x));
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn betavariate(alpha: f64, beta: f64) -> f64 = self::beta;

        /// A Pareto-distributed float `>= 1` with shape `alpha`: Python's
        /// `paretovariate(alpha)`.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::ZeroDivision`] when `alpha` is 0,
        /// [`ErrorKind::Overflow`] when the result is too large for an `f64`
        /// (a tiny `alpha`), and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// assert!(rng.paretovariate(5.0)? >= 1.0);
        /// assert_eq!(rng.paretovariate(f64::INFINITY)?, 1.0);
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn paretovariate(alpha: f64) -> f64 = pareto;

        /// A Weibull-distributed float with scale `alpha` and shape `beta`:
        /// Python's `weibullvariate(alpha, beta)`.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::ZeroDivision`] when `beta` is 0,
        /// [`ErrorKind::Overflow`] when the result is too large for an `f64`,
        /// and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// assert!(rng.weibullvariate(1.0, 3.0)? >= 0.0);
        /// assert_eq!(rng.weibullvariate(10.0, f64::INFINITY)?, 10.0);
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn weibullvariate(alpha: f64, beta: f64) -> f64 = weibull;

        /// The number of successes in `n` independent trials of probability
        /// `p`: Python's `binomialvariate(n, p)` (defaults 1 and 0.5 there), by
        /// Devroye's geometric method for `n * p < 10` and Hörmann's BTRS
        /// otherwise.
        ///
        /// `n` is unsigned, so Python's `ValueError` for a negative `n` is a
        /// compile error here. As in CPython 3.14.7, a `random()` of exactly 0.0
        /// is drawn again rather than raising.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::InvalidValue`] unless `0.0 <= p <= 1.0` (NaN included,
        /// where Python fails an `assert`), and the source's error.
        ///
        /// # Examples
        ///
        /// ```
        /// let rng = secrets_kit::SystemRandom::new();
        /// let heads = rng.binomialvariate(100, 0.5)?;
        /// assert!(heads <= 100);
        /// assert_eq!(rng.binomialvariate(10, 1.0)?, 10);
        /// assert!(rng.binomialvariate(10, 1.5).is_err());
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        fn binomialvariate(n: u64, p: f64) -> u64 = binomial;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CPython's `TestDistributions` trick: `random()` returns listed
    /// values, then fails (a test that needs more draws than scripted
    /// fails rather than hangs).
    fn feed(values: &[f64]) -> impl FnMut() -> Result<f64> + use<> {
        let mut values = Vec::from(values).into_iter();
        move || {
            values
                .next()
                .ok_or_else(|| Error::new(ErrorKind::Os, "scripted values exhausted"))
        }
    }

    fn close(a: f64, b: f64, places: i32) -> bool {
        (a - b).abs() < 0.5 * 10f64.powi(-places)
    }

    type Sampler = dyn Fn(&mut dyn FnMut() -> Result<f64>) -> Result<f64>;

    #[test]
    fn zeroinputs_terminate() {
        // CPython sets `random = x[:].pop` with x = 50 ordinary values
        // followed by five zeros, so the zeros are drawn first: every
        // distribution must cope with 0.0 as its first inputs.
        let ordinary = (0..50).rev().map(|i| f64::from(i * 37 % 50) / 50.0 + 0.01);
        let values: Vec<f64> = std::iter::repeat_n(0.0, 5).chain(ordinary).collect();
        let run = |f: &Sampler| {
            let mut random = feed(&values);
            f(&mut random).expect("finishes within the scripted values");
        };
        run(&|r| uniform(&mut *r, 1.0, 10.0));
        run(&|r| pareto(&mut *r, 1.0));
        run(&|r| exponential(&mut *r, 1.0));
        run(&|r| weibull(&mut *r, 1.0, 1.0));
        run(&|r| von_mises(&mut *r, 1.0, 1.0));
        run(&|r| normal(&mut *r, 0.0, 1.0));
        run(&|r| lognormal(&mut *r, 0.0, 1.0));
        run(&|r| gamma(&mut *r, 0.01, 1.0));
        run(&|r| gamma(&mut *r, 1.0, 1.0));
        run(&|r| gamma(&mut *r, 200.0, 1.0));
        run(&|r| beta(&mut *r, 3.0, 3.0));
        run(&|r| triangular(&mut *r, 0.0, 1.0, Some(1.0 / 3.0)));
    }

    #[test]
    fn avg_std_with_evenly_spaced_inputs() {
        // CPython: feed i/5000 for i = 4999..1 and check mean and variance
        // to 2 places.
        const N: usize = 4999;
        let values: Vec<f64> = (1..=N).rev().map(|i| i as f64 / 5000.0).collect();
        type SamplerFn = fn(&mut dyn FnMut() -> Result<f64>) -> Result<f64>;
        let cases: [(SamplerFn, f64, f64); 6] = [
            (|r| uniform(&mut *r, 1.0, 10.0), 5.5, 81.0 / 12.0),
            (
                |r| triangular(&mut *r, 0.0, 1.0, Some(1.0 / 3.0)),
                4.0 / 9.0,
                7.0 / 162.0,
            ),
            (|r| exponential(&mut *r, 1.5), 1.0 / 1.5, 1.0 / 2.25),
            (|r| von_mises(&mut *r, 1.23, 0.0), PI, PI * PI / 3.0),
            (|r| pareto(&mut *r, 5.0), 5.0 / 4.0, 5.0 / 48.0),
            (
                |r| weibull(&mut *r, 1.0, 3.0),
                0.892_979_511_569_249_2,
                0.105_332_279_085_907_3,
            ),
        ];
        for (index, (sampler, mu, variance)) in cases.into_iter().enumerate() {
            let mut random = feed(&values);
            let xs: Vec<f64> = (0..N).map(|_| sampler(&mut random).unwrap()).collect();
            let mean = xs.iter().sum::<f64>() / N as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (N - 1) as f64;
            assert!(close(mean, mu, 2), "case {index}: mean {mean} vs {mu}");
            assert!(
                close(var, variance, 2),
                "case {index}: variance {var} vs {variance}"
            );
        }
    }

    #[test]
    fn gammavariate_with_mocked_values() {
        // CPython's test uses beta = 3.14, which is not meant as pi.
        #[allow(clippy::approx_constant)]
        const BETA: f64 = 3.14;
        let x = gamma(&mut feed(&[1e-8, 0.5, 0.3]), 1.1, 2.3).unwrap();
        assert!(close(x, 2.53, 2), "{x}");
        let x = gamma(&mut feed(&[0.45]), 1.0, BETA).unwrap();
        assert!(close(x, 1.877_208_182_372_648, 7), "{x}");
        let x = gamma(&mut feed(&[0.45]), 1.0, BETA).unwrap();
        let y = exponential(&mut feed(&[0.45]), 1.0 / BETA).unwrap();
        assert!(close(x, y, 12));
        // Both branches of GS (alpha < 1): the first pair is rejected by
        // 0.01, the second accepted.
        let (r1, r2) = (0.885_929_644_156_6, 0.367_879_441_171_4);
        let x = gamma(&mut feed(&[r1, r2 + 0.01, r1, r2]), 0.35, 1.45).unwrap();
        assert!(close(x, 1.449_999_999_999_754_4, 7), "{x}");
        let (r1, r2) = (0.895_929_644_156_6, 0.944_540_040_889_814_1);
        let x = gamma(&mut feed(&[r1, r2 + 0.01, r1, r2]), 0.35, 1.45).unwrap();
        assert!(close(x, 1.583_034_956_176_078_1, 7), "{x}");
    }

    #[test]
    fn binomial_retries_zero_draws() {
        // BG path (n p < 10): a zero draw is skipped.
        let k = binomial(&mut feed(&[0.0, 0.5, 0.5, 0.5, 0.5, 0.5]), 5, 0.25);
        assert!(k.unwrap() <= 5);
        // BTRS path: the zero is skipped, then 0.5 lands on the mean.
        let k = binomial(&mut feed(&[0.0, 0.5, 0.5]), 100, 0.25).unwrap();
        assert_eq!(k, 25);
    }

    #[test]
    fn python_mod_matches_sign_of_divisor() {
        assert_eq!(python_mod_tau(-0.0).to_bits(), 0.0f64.to_bits());
        assert!((python_mod_tau(-1.0) - (TAU - 1.0)).abs() < 1e-15);
        assert_eq!(python_mod_tau(1.0), 1.0);
    }
}
