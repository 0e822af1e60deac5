//! The generator: a checked policy with its passwords counted, and the two
//! ways of drawing them (rejection and unranking).

use std::fmt;

use num_bigint::BigUint;
use zeroize::Zeroize;

use secrets_kit::Uniform;
use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};

use super::count::{self, Counter};
use super::{DEFAULT_BITS, MAX_LENGTH, PasswordPolicy};

/// After this many rejected candidates, a generator that samples by
/// rejection unranks instead. With an acceptance rate of at least 1/4, it
/// happens less than once in 10^8 passwords; it puts a hard bound on work.
const MAX_REJECTIONS: usize = 64;

/// How a [`PasswordGenerator`] draws.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::{CharClass, PasswordPolicy, Sampling};
///
/// assert_eq!(PasswordPolicy::new().generator()?.sampling(), Sampling::Rejection);
/// // Digits only, but from all classes: 1 in 10^11 random strings qualifies.
/// let all_digits = PasswordPolicy::new()
///     .length(12)
///     .min(CharClass::Digits, 12)
///     .min(CharClass::Lower, 0)
///     .min(CharClass::Upper, 0)
///     .min(CharClass::Symbols, 0);
/// assert_eq!(all_digits.generator()?.sampling(), Sampling::Unranking);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sampling {
    /// Draw every character uniformly from the alphabet, keep the password
    /// if it meets the policy, else draw again. Used when at least a quarter
    /// of the candidates pass; the randomness for a candidate comes from one
    /// call to the kernel.
    Rejection,
    /// Draw a uniform rank below the number of valid passwords and build the
    /// password of that rank from the counting tables. Used when rejection
    /// would waste too many candidates.
    Unranking,
}

/// A checked policy, with its passwords counted, ready to draw many
/// passwords cheaply. Made by [`PasswordPolicy::generator`].
///
/// # Examples
///
/// ```
/// let generator = secrets_kit_gen::password::PasswordPolicy::new().generator()?;
/// let first = generator.generate()?;
/// let second = generator.generate()?;
/// assert_ne!(first, second); // 2^-104 odds of equality
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct PasswordGenerator {
    pub(super) alphabet: Vec<char>,
    length: usize,
    count: BigUint,
    entropy_bits: f64,
    sampling: Sampling,
    pub(super) counter: Counter,
}

impl fmt::Debug for PasswordGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordGenerator")
            .field("alphabet", &self.alphabet.iter().collect::<String>())
            .field("length", &self.length)
            .field("count", &self.count)
            .field("entropy_bits", &self.entropy_bits)
            .field("sampling", &self.sampling)
            .finish_non_exhaustive()
    }
}

/// The lengths a policy allows: `lowest..=highest`, both at least 1 and at
/// most [`MAX_LENGTH`].
#[derive(Clone, Copy, Debug)]
struct LengthBounds {
    lowest: usize,
    highest: usize,
}

impl PasswordGenerator {
    /// Builds the generator in named steps: check the plain values, resolve
    /// the alphabet and constraints, pick the length, count, pick the
    /// sampling.
    pub(super) fn new(policy: &PasswordPolicy) -> Result<Self> {
        check_values(policy)?;
        let alphabet = policy.resolve_alphabet()?;
        let (mut constraints, mut origins) = policy.resolve_constraints(&alphabet)?;
        let group = policy.resolve_class_group(&alphabet, &mut constraints, &mut origins)?;
        let mut counter =
            Counter::new(alphabet.len(), &constraints, group, policy.max_consecutive)?;
        let bounds = length_bounds(policy)?;
        let length = match policy.length {
            Some(length) => fixed_length(&mut counter, length, bounds)?,
            None => length_for_target(policy, &mut counter, bounds, &origins)?,
        };
        counter.truncate(length);
        let count = counter.count(length);
        if count == BigUint::ZERO {
            return Err(nothing_satisfies(
                &origins,
                policy.max_consecutive,
                Some(length),
            ));
        }
        let sampling = choose_sampling(&count, alphabet.len(), length);
        Ok(PasswordGenerator {
            entropy_bits: count::log2(&count),
            alphabet,
            length,
            count,
            sampling,
            counter,
        })
    }

    /// Draws one password, uniformly among all the policy allows.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] if the kernel's random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::PasswordPolicy;
    ///
    /// let generator = PasswordPolicy::from_rules("minlength: 20; required: lower; required: [-]")?.generator()?;
    /// let password = generator.generate()?;
    /// assert!(password.contains('-'));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generate_with(&OsEntropy)
    }

    /// Draws one password from `source`.
    ///
    /// Rejection draws each candidate's characters with the crate's
    /// uniform sampler (one fill per candidate, as a rule); unranking draws
    /// a rank below [`count`](Self::count) as `randbelow` does.
    ///
    /// # Errors
    ///
    /// When `source` fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// use secrets_kit_gen::password::PasswordPolicy;
    ///
    /// let generator = PasswordPolicy::new().length(12).generator()?;
    /// assert_eq!(generator.generate_with(&OsEntropy)?.len(), 12);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        self.generate_by(source, self.sampling)
    }

    pub(super) fn generate_by<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        sampling: Sampling,
    ) -> Result<String> {
        if sampling == Sampling::Rejection {
            if let Some(password) = self.generate_by_rejection(source)? {
                return Ok(password);
            }
        }
        self.generate_by_unranking(source)
    }

    /// Rejection sampling; `None` after [`MAX_REJECTIONS`] failed candidates.
    fn generate_by_rejection<S: EntropySource + ?Sized>(
        &self,
        source: &S,
    ) -> Result<Option<String>> {
        // At most 65536 characters: checked when the alphabet was resolved.
        let sampler = Uniform::new(self.alphabet.len() as u32)?;
        let mut indices: Vec<u32> = Vec::with_capacity(self.length);
        let result = (|| {
            for _ in 0..MAX_REJECTIONS {
                indices.clear();
                sampler.sample(source, self.length, |i| indices.push(i))?;
                if self.counter.accepts(indices.iter().copied()) {
                    return Ok(Some(self.spell(&indices)));
                }
            }
            Ok(None)
        })();
        indices.zeroize();
        result
    }

    fn generate_by_unranking<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        let mut indices = self.counter.draw(self.length, source)?;
        let password = self.spell(&indices);
        indices.zeroize();
        Ok(password)
    }

    fn spell(&self, indices: &[u32]) -> String {
        indices.iter().map(|&i| self.alphabet[i as usize]).collect()
    }

    /// The number of characters in each password.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::PasswordPolicy;
    /// assert_eq!(PasswordPolicy::new().bits(128).generator()?.length(), 20);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn length(&self) -> usize {
        self.length
    }

    /// The characters passwords are drawn from.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::PasswordPolicy;
    /// let generator = PasswordPolicy::new().exclude_ambiguous(true).generator()?;
    /// assert_eq!(generator.alphabet().len(), 94 - 15);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn alphabet(&self) -> &[char] {
        &self.alphabet
    }

    /// The exact number of passwords the policy allows at this length.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::PasswordPolicy;
    /// let generator = PasswordPolicy::new().alphabet("01").length(3).max_consecutive(1).generator()?;
    /// assert_eq!(generator.count().to_string(), "2"); // 010 and 101
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn count(&self) -> &BigUint {
        &self.count
    }

    /// The entropy of a password in bits: `log2` of [`count`](Self::count),
    /// exactly (to double precision), since every allowed password is
    /// equally likely.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::PasswordPolicy;
    /// let generator = PasswordPolicy::new().alphabet("0123456789abcdef").length(8).generator()?;
    /// assert_eq!(generator.entropy_bits(), 32.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn entropy_bits(&self) -> f64 {
        self.entropy_bits
    }

    /// How passwords are drawn; see [`Sampling`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::{PasswordPolicy, Sampling};
    /// assert_eq!(PasswordPolicy::new().generator()?.sampling(), Sampling::Rejection);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn sampling(&self) -> Sampling {
        self.sampling
    }
}

fn nothing_satisfies(
    origins: &[String],
    max_consecutive: Option<usize>,
    length: Option<usize>,
) -> Error {
    let mut constraints: Vec<String> = origins.to_vec();
    if let Some(max) = max_consecutive {
        constraints.push(format!("at most {max} of one character in a row"));
    }
    if constraints.is_empty() {
        constraints.push("the length limits".to_owned());
    }
    let at = match length {
        Some(length) => format!("of length {length}"),
        None => "of any allowed length".to_owned(),
    };
    Error::new(
        ErrorKind::Unsatisfiable,
        format!(
            "no password {at} meets all of: {}; allow a longer length, lower a minimum or relax a rule",
            constraints.join(", ")
        ),
    )
}

/// Step 1: the values a setter took without checking.
fn check_values(policy: &PasswordPolicy) -> Result<()> {
    if let Some(length) = policy.length {
        if length == 0 || length > MAX_LENGTH {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "password length {length} is out of range; use 1 to {MAX_LENGTH} characters"
                ),
            ));
        }
    }
    if policy.max_consecutive == Some(0) {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            "max-consecutive 0 would allow no character at all; use 1 or more",
        ));
    }
    Ok(())
}

/// Step 2: the length range from the rules, within the library's cap.
fn length_bounds(policy: &PasswordPolicy) -> Result<LengthBounds> {
    let lowest = policy.min_length.unwrap_or(1).max(1);
    let highest = policy.max_length.unwrap_or(MAX_LENGTH).min(MAX_LENGTH);
    if lowest > highest {
        // The rules' own minlength <= maxlength is checked when parsing,
        // so only the library's cap can be in the way.
        return Err(Error::new(
            ErrorKind::Unsatisfiable,
            format!(
                "minlength {lowest} is above the longest password made here \
                 ({MAX_LENGTH} characters); lower minlength"
            ),
        ));
    }
    Ok(LengthBounds { lowest, highest })
}

/// Step 3a: a length the caller chose, checked against the rules' range.
fn fixed_length(counter: &mut Counter, length: usize, bounds: LengthBounds) -> Result<usize> {
    let LengthBounds { lowest, highest } = bounds;
    if length < lowest || length > highest {
        return Err(Error::new(
            ErrorKind::Unsatisfiable,
            format!(
                "password length {length} is outside what the rules allow \
                 (minlength {lowest}, maxlength {highest}); choose a length in that range"
            ),
        ));
    }
    while counter.built_length() < length {
        counter.extend()?;
    }
    Ok(length)
}

/// Step 3b: the smallest allowed length whose count reaches the bit target
/// (the policy's, or [`DEFAULT_BITS`]).
fn length_for_target(
    policy: &PasswordPolicy,
    counter: &mut Counter,
    bounds: LengthBounds,
    origins: &[String],
) -> Result<usize> {
    let bits = policy.target_bits.unwrap_or(DEFAULT_BITS);
    // No policy allows more than 65536^MAX_LENGTH passwords, so any larger
    // target is as out of reach as this one, which stays cheap to build.
    let unreachable = 16 * MAX_LENGTH as u64 + 1;
    let target = BigUint::from(1u8) << bits.min(unreachable);
    let mut best: Option<usize> = None;
    for length in 1..=bounds.highest {
        if counter.built_length() < length {
            counter.extend()?;
        }
        if length < bounds.lowest || counter.count(length) == BigUint::ZERO {
            continue;
        }
        best = Some(length);
        if counter.count(length) >= target {
            return Ok(length);
        }
    }
    match best {
        // The default target yields to a maxlength: the rules allow no
        // more, and entropy_bits() tells the caller.
        Some(length) if policy.target_bits.is_none() && policy.max_length.is_some() => Ok(length),
        Some(length) => Err(Error::new(
            ErrorKind::Unsatisfiable,
            format!(
                "{bits} bits are out of reach: the longest password allowed ({length} characters) \
                 gives {:.2} bits; ask for fewer bits, or allow more characters or a longer length",
                count::log2(&counter.count(length))
            ),
        )),
        None => Err(nothing_satisfies(origins, policy.max_consecutive, None)),
    }
}

/// Step 4: rejection while at least a quarter of random strings pass.
fn choose_sampling(count: &BigUint, alphabet_len: usize, length: usize) -> Sampling {
    let total = BigUint::from(alphabet_len).pow(length as u32);
    if count.clone() * 4u8 >= total {
        Sampling::Rejection
    } else {
        Sampling::Unranking
    }
}
