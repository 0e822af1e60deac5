//! Passwords under a policy, drawn uniformly from exactly the strings the
//! policy allows, with their exact entropy.
//!
//! A [`PasswordPolicy`] says what a password must look like: its length (or
//! how many bits of entropy it must reach), the characters it may use, how
//! many it needs from each class or set, whether look-alike characters are
//! left out, and how long a run of one character may be. It can also be read
//! from a site's `passwordrules` string ([`PasswordPolicy::from_rules`]).
//!
//! [`PasswordPolicy::generator`] turns a policy into a
//! [`PasswordGenerator`]: it counts the passwords the policy allows, exactly,
//! and reports `log2` of that number as the entropy. Every password it
//! returns is equally likely among them. That is not true of the common
//! "place one character of each class, fill up, shuffle" method, which
//! makes passwords with few digits rarer than they should be.
//!
//! # Security
//!
//! Randomness comes from the kernel, as for every function of this crate.
//! Generation never loops without bound: when plain rejection (draw
//! characters, keep the password if it satisfies the policy) would accept
//! fewer than a quarter of the candidates, the generator instead draws a
//! uniform rank below the count and unranks it. Both ways give the same
//! distribution; the choice only affects speed.
//!
//! # Examples
//!
//! ```
//! use secrets::password::{CharClass, PasswordPolicy};
//!
//! // The default: 16 characters from all four classes, at least one of each.
//! let password = PasswordPolicy::default().generate()?;
//! assert_eq!(password.chars().count(), 16);
//!
//! // Python's documented recipe: ten alphanumerics with at least one lower
//! // case letter, one upper case letter and three digits.
//! let policy = PasswordPolicy::new()
//!     .classes(&[CharClass::Lower, CharClass::Upper, CharClass::Digits])
//!     .min(CharClass::Digits, 3)
//!     .length(10);
//! let generator = policy.generator()?;
//! let password = generator.generate()?;
//! assert!(password.chars().filter(char::is_ascii_digit).count() >= 3);
//! assert!(generator.entropy_bits() > 55.0 && generator.entropy_bits() < 60.0);
//!
//! // A site's rules, in the `passwordrules` syntax.
//! let site = PasswordPolicy::from_rules("minlength: 8; maxlength: 12; required: digit; allowed: lower")?;
//! let generator = site.generator()?;
//! assert_eq!(generator.length(), 12); // as long as the rules allow, since 100 bits are out of reach
//! # Ok::<(), secrets::Error>(())
//! ```

mod charset;
mod count;
mod rules;
#[cfg(test)]
mod tests;

use std::fmt;

use num_bigint::BigUint;
use zeroize::Zeroize;

use crate::{Error, ErrorKind, Result};
use count::{Constraint, Counter};

/// The entropy a policy aims for when it gives no length: the smallest
/// length that reaches 100 bits is chosen.
///
/// # Examples
///
/// ```
/// let generator = secrets::password::PasswordPolicy::default().generator()?;
/// assert!(generator.entropy_bits() >= secrets::password::DEFAULT_BITS as f64);
/// # Ok::<(), secrets::Error>(())
/// ```
pub const DEFAULT_BITS: u32 = 100;

/// The longest password a policy may ask for.
///
/// # Examples
///
/// ```
/// use secrets::password::{PasswordPolicy, MAX_LENGTH};
///
/// assert!(PasswordPolicy::new().length(MAX_LENGTH + 1).generator().is_err());
/// ```
pub const MAX_LENGTH: usize = 4096;

/// The characters [`PasswordPolicy::exclude_ambiguous`] leaves out, because
/// common fonts make them easy to mistake for one another: `0 O o`, `1 l I i |`,
/// `B 8`, `G 6`, and the quotes `' " `` ` ``.
///
/// # Examples
///
/// ```
/// assert!(secrets::password::AMBIGUOUS.contains('O'));
/// assert!(!secrets::password::AMBIGUOUS.contains('x'));
/// ```
pub const AMBIGUOUS: &str = charset::AMBIGUOUS;

/// After this many rejected candidates, a generator that samples by
/// rejection unranks instead. With an acceptance rate of at least 1/4, it
/// happens less than once in 10^8 passwords; it puts a hard bound on work.
const MAX_REJECTIONS: usize = 64;

/// A character class a password can draw from.
///
/// # Examples
///
/// ```
/// use secrets::password::CharClass;
///
/// assert_eq!(CharClass::Digits.chars(), "0123456789");
/// assert_eq!(CharClass::Symbols.chars().len(), 32);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CharClass {
    /// `a` to `z`.
    Lower,
    /// `A` to `Z`.
    Upper,
    /// `0` to `9`.
    Digits,
    /// The 32 ASCII punctuation characters ``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``
    /// (Python's `string.punctuation`). The space is not among them.
    Symbols,
}

impl CharClass {
    /// The four classes, in the order their characters join an alphabet.
    ///
    /// # Examples
    ///
    /// ```
    /// let all: usize = secrets::password::CharClass::ALL.iter().map(|c| c.chars().len()).sum();
    /// assert_eq!(all, 94);
    /// ```
    pub const ALL: [CharClass; 4] = [
        CharClass::Lower,
        CharClass::Upper,
        CharClass::Digits,
        CharClass::Symbols,
    ];

    /// The characters of the class, in ASCII order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(secrets::password::CharClass::Upper.chars().starts_with("ABC"));
    /// ```
    pub fn chars(self) -> &'static str {
        match self {
            CharClass::Lower => charset::LOWER,
            CharClass::Upper => charset::UPPER,
            CharClass::Digits => charset::DIGITS,
            CharClass::Symbols => charset::SYMBOLS,
        }
    }

    /// A short name for messages: `lower`, `upper`, `digits` or `symbols`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets::password::CharClass::Digits.name(), "digits");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            CharClass::Lower => "lower",
            CharClass::Upper => "upper",
            CharClass::Digits => "digits",
            CharClass::Symbols => "symbols",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What the characters of a password are drawn from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Alphabet {
    /// The union of the enabled classes (indexed by [`CharClass::index`]).
    Classes([bool; 4]),
    /// Exactly these characters; a repeat is an error.
    Custom(String),
    /// A set already sorted and without repeats (from password rules).
    Set(Vec<char>),
}

/// "At least `at_least` characters from `chars`", with a description of
/// where it came from for error messages.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Requirement {
    chars: Vec<char>,
    at_least: usize,
    origin: String,
}

/// What a password must look like. Build one with the methods below (each
/// takes and returns the policy), then call [`generator`](Self::generator)
/// or [`generate`](Self::generate). Mistakes in the policy are reported by
/// those two calls, not by the setters.
///
/// The default policy draws from all four [`CharClass`]es (94 characters),
/// needs at least one character of each, and picks the smallest length whose
/// exact entropy reaches [`DEFAULT_BITS`] (100): 16 characters, about 104.6 bits.
///
/// # Examples
///
/// ```
/// use secrets::password::{CharClass, PasswordPolicy};
///
/// let pin_like = PasswordPolicy::new().classes(&[CharClass::Digits]).length(8).max_consecutive(2);
/// let password = pin_like.generate()?;
/// assert_eq!(password.len(), 8);
/// assert!(password.bytes().all(|b| b.is_ascii_digit()));
/// # Ok::<(), secrets::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    length: Option<usize>,
    target_bits: Option<u32>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    alphabet: Alphabet,
    class_minimums: [usize; 4],
    requirements: Vec<Requirement>,
    exclude_ambiguous: bool,
    max_consecutive: Option<usize>,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            length: None,
            target_bits: None,
            min_length: None,
            max_length: None,
            alphabet: Alphabet::Classes([true; 4]),
            class_minimums: [1; 4],
            requirements: Vec::new(),
            exclude_ambiguous: false,
            max_consecutive: None,
        }
    }
}

impl PasswordPolicy {
    /// The default policy; see the type's documentation.
    ///
    /// # Examples
    ///
    /// ```
    /// let generator = secrets::password::PasswordPolicy::new().generator()?;
    /// assert_eq!(generator.length(), 16);
    /// assert_eq!(generator.alphabet().len(), 94);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the exact length, in characters. It replaces a target set with
    /// [`bits`](Self::bits). Zero, or more than [`MAX_LENGTH`], is an error
    /// when the generator is built.
    ///
    /// # Examples
    ///
    /// ```
    /// let password = secrets::password::PasswordPolicy::new().length(24).generate()?;
    /// assert_eq!(password.chars().count(), 24);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn length(mut self, length: usize) -> Self {
        self.length = Some(length);
        self.target_bits = None;
        self
    }

    /// Asks for at least `bits` bits of entropy: the generator uses the
    /// smallest length whose exact entropy reaches it. It replaces a length
    /// set with [`length`](Self::length).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::{CharClass, PasswordPolicy};
    ///
    /// // Digits give log2(10) = 3.32 bits each.
    /// let generator = PasswordPolicy::new().classes(&[CharClass::Digits]).bits(64).generator()?;
    /// assert_eq!(generator.length(), 20); // 10^19 < 2^64 <= 10^20
    /// assert!(generator.entropy_bits() >= 64.0);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn bits(mut self, bits: u32) -> Self {
        self.target_bits = Some(bits);
        self.length = None;
        self
    }

    /// Draws from the union of these classes, and needs at least one
    /// character of each (change that with [`min`](Self::min)). It replaces
    /// an alphabet set with [`alphabet`](Self::alphabet).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::{CharClass, PasswordPolicy};
    ///
    /// let password = PasswordPolicy::new().classes(&[CharClass::Lower, CharClass::Digits]).generate()?;
    /// assert!(password.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn classes(mut self, classes: &[CharClass]) -> Self {
        let mut enabled = [false; 4];
        for class in classes {
            enabled[class.index()] = true;
        }
        self.alphabet = Alphabet::Classes(enabled);
        self.class_minimums = enabled.map(usize::from);
        self
    }

    /// Draws from exactly these characters, in place of the classes. Each
    /// character may appear only once (a repeat would make it likelier than
    /// the others). The class minimums drop to zero; set them again with
    /// [`min`](Self::min) to count the alphabet's members of a class.
    ///
    /// # Examples
    ///
    /// ```
    /// let password = secrets::password::PasswordPolicy::new().alphabet("abcdef").length(30).generate()?;
    /// assert!(password.bytes().all(|b| (b'a'..=b'f').contains(&b)));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn alphabet(mut self, alphabet: impl Into<String>) -> Self {
        self.alphabet = Alphabet::Custom(alphabet.into());
        self.class_minimums = [0; 4];
        self
    }

    /// Needs at least `at_least` characters of `class`. Zero removes the
    /// minimum.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::{CharClass, PasswordPolicy};
    ///
    /// let password = PasswordPolicy::new().min(CharClass::Symbols, 4).generate()?;
    /// assert!(password.chars().filter(|c| c.is_ascii_punctuation()).count() >= 4);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn min(mut self, class: CharClass, at_least: usize) -> Self {
        self.class_minimums[class.index()] = at_least;
        self
    }

    /// Needs at least `at_least` characters from the set `chars`, which may
    /// overlap the classes and other sets. Only the set's members that are
    /// in the alphabet count.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::PasswordPolicy;
    ///
    /// let password = PasswordPolicy::new().require("!@#", 2).generate()?;
    /// assert!(password.chars().filter(|c| "!@#".contains(*c)).count() >= 2);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn require(mut self, chars: &str, at_least: usize) -> Self {
        let mut set: Vec<char> = chars.chars().collect();
        set.sort_unstable();
        set.dedup();
        self.requirements.push(Requirement {
            chars: set,
            at_least,
            origin: format!("at least {at_least} of {chars:?}"),
        });
        self
    }

    /// Leaves out the look-alike characters listed in [`AMBIGUOUS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::{PasswordPolicy, AMBIGUOUS};
    ///
    /// let password = PasswordPolicy::new().exclude_ambiguous(true).length(64).generate()?;
    /// assert!(!password.chars().any(|c| AMBIGUOUS.contains(c)));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn exclude_ambiguous(mut self, exclude: bool) -> Self {
        self.exclude_ambiguous = exclude;
        self
    }

    /// Allows at most `max` copies of one character in a row (`1`: no
    /// character directly repeats). Zero is an error when the generator is
    /// built.
    ///
    /// # Examples
    ///
    /// ```
    /// let password = secrets::password::PasswordPolicy::new().alphabet("ab").length(40).max_consecutive(2).generate()?;
    /// assert!(!password.contains("aaa") && !password.contains("bbb"));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn max_consecutive(mut self, max: usize) -> Self {
        self.max_consecutive = Some(max);
        self
    }

    /// Reads a policy from the `passwordrules` syntax of browsers and
    /// password managers, such as
    /// `"minlength: 8; maxlength: 20; required: upper; required: digit, [!@#]; allowed: lower"`.
    ///
    /// - `minlength` and `maxlength` bound the length. The length used is the
    ///   smallest one in range that reaches [`DEFAULT_BITS`], or `maxlength`
    ///   when none does (check [`PasswordGenerator::entropy_bits`]); call
    ///   [`length`](Self::length) or [`bits`](Self::bits) on the result to
    ///   choose otherwise, within the same bounds.
    /// - Each `required` rule needs at least one character from the union of
    ///   its classes; required characters are also allowed.
    /// - `allowed` adds to the alphabet; with neither `allowed` nor
    ///   `required`, the alphabet is printable ASCII.
    /// - `max-consecutive` limits runs of one character.
    /// - Classes: `upper`, `lower`, `digit`, `special` (the 32 ASCII
    ///   punctuation characters), `ascii-printable` (the 94 characters `!`
    ///   to `~`), `unicode` (read as `ascii-printable`: a generator has to
    ///   produce characters people can type), and sets such as `[-!@#]`
    ///   (`-` only first, a literal `]` as `]]` at the end; characters
    ///   beyond ASCII in a set are skipped). The proposal
    ///   counts the space as `special`; it is left out here, because sites
    ///   often trim it and it is invisible at the end of a line.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`] for malformed rules and unknown rule or class
    /// names; [`ErrorKind::Unsatisfiable`] for rules nothing can meet, such
    /// as `minlength` above `maxlength`. The message names the rule.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::ErrorKind;
    /// use secrets::password::PasswordPolicy;
    ///
    /// let policy = PasswordPolicy::from_rules("required: lower; required: upper; required: digit; max-consecutive: 2")?;
    /// let password = policy.generate()?;
    /// assert!(password.bytes().any(|b| b.is_ascii_digit()));
    ///
    /// let err = PasswordPolicy::from_rules("required: uper").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Parse);
    /// assert!(err.to_string().contains("uper"));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn from_rules(rules: &str) -> Result<Self> {
        let parsed = rules::parse(rules)?;
        Ok(PasswordPolicy {
            length: None,
            target_bits: None,
            min_length: parsed.min_length,
            max_length: parsed.max_length,
            alphabet: Alphabet::Set(parsed.allowed),
            class_minimums: [0; 4],
            requirements: parsed
                .required
                .into_iter()
                .map(|(origin, chars)| Requirement {
                    chars,
                    at_least: 1,
                    origin: format!("`{}`", origin.trim()),
                })
                .collect(),
            exclude_ambiguous: false,
            max_consecutive: parsed.max_consecutive,
        })
    }

    /// Checks the policy, counts the passwords it allows and prepares to
    /// draw them. Build the generator once to draw many passwords.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::InvalidValue`]: a length of zero or above
    ///   [`MAX_LENGTH`], an alphabet with a repeated character or fewer than
    ///   two characters, `max_consecutive(0)`.
    /// - [`ErrorKind::Unsatisfiable`]: no password meets the policy, or a
    ///   [`bits`](Self::bits) target is out of reach; the message says why.
    /// - [`ErrorKind::TooLarge`]: the policy is too complex to count
    ///   exactly within the memory and time limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::ErrorKind;
    /// use secrets::password::{CharClass, PasswordPolicy};
    ///
    /// let generator = PasswordPolicy::new().length(20).generator()?;
    /// let passwords: Vec<String> = (0..3).map(|_| generator.generate()).collect::<Result<_, _>>()?;
    /// assert_eq!(passwords.len(), 3);
    ///
    /// let impossible = PasswordPolicy::new().length(4).min(CharClass::Digits, 5);
    /// assert_eq!(impossible.generator().unwrap_err().kind(), ErrorKind::Unsatisfiable);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn generator(&self) -> Result<PasswordGenerator> {
        PasswordGenerator::new(self)
    }

    /// Draws one password. To draw many, build a
    /// [`generator`](Self::generator) once and reuse it.
    ///
    /// # Errors
    ///
    /// As [`generator`](Self::generator), and [`ErrorKind::Os`] if the
    /// kernel's random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let password = secrets::password::PasswordPolicy::new().generate()?;
    /// assert_eq!(password.len(), 16);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generator()?.generate()
    }

    /// The alphabet, after leaving out look-alikes if asked.
    fn resolve_alphabet(&self) -> Result<Vec<char>> {
        let mut alphabet: Vec<char> = match &self.alphabet {
            Alphabet::Classes(enabled) => CharClass::ALL
                .iter()
                .filter(|class| enabled[class.index()])
                .flat_map(|class| class.chars().chars())
                .collect(),
            Alphabet::Custom(text) => {
                let chars: Vec<char> = text.chars().collect();
                let mut seen = std::collections::HashSet::new();
                if let Some(repeat) = chars.iter().find(|&&c| !seen.insert(c)) {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "the alphabet has {repeat:?} more than once; each character may appear \
                             only once, since a repeat would make it likelier than the others"
                        ),
                    ));
                }
                chars
            }
            Alphabet::Set(chars) => chars.clone(),
        };
        if self.exclude_ambiguous {
            alphabet.retain(|&c| !AMBIGUOUS.contains(c));
        }
        if alphabet.len() < 2 {
            let what = match alphabet.first() {
                None => "no characters".to_owned(),
                Some(only) => format!("only {only:?}"),
            };
            let after = if self.exclude_ambiguous {
                " after leaving out look-alikes"
            } else {
                ""
            };
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "the alphabet has {what}{after}; a password needs at least 2 different characters to draw from"
                ),
            ));
        }
        if alphabet.len() > 1 << 16 {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "the alphabet has {} characters; at most 65536 are supported",
                    alphabet.len()
                ),
            ));
        }
        Ok(alphabet)
    }

    /// The requirements as sets of alphabet indices, merging repeats.
    fn resolve_constraints(&self, alphabet: &[char]) -> Result<(Vec<Constraint>, Vec<String>)> {
        let position = |c: char| alphabet.iter().position(|&a| a == c).map(|p| p as u32);
        let class_requirements = CharClass::ALL
            .iter()
            .filter(|c| self.class_minimums[c.index()] > 0)
            .map(|&class| {
                let at_least = self.class_minimums[class.index()];
                Requirement {
                    chars: class.chars().chars().collect(),
                    at_least,
                    origin: format!("at least {at_least} {}", class_noun(class, at_least)),
                }
            });
        let mut constraints: Vec<Constraint> = Vec::new();
        let mut origins: Vec<String> = Vec::new();
        for requirement in class_requirements.chain(self.requirements.iter().cloned()) {
            if requirement.at_least == 0 {
                continue;
            }
            let mut members: Vec<u32> = requirement
                .chars
                .iter()
                .filter_map(|&c| position(c))
                .collect();
            members.sort_unstable();
            if members.is_empty() {
                let after = if self.exclude_ambiguous {
                    " (after leaving out look-alikes)"
                } else {
                    ""
                };
                return Err(Error::new(
                    ErrorKind::Unsatisfiable,
                    format!(
                        "the policy asks for {}, but none of those characters is in the alphabet{after}; \
                         add them to the alphabet or drop the requirement",
                        requirement.origin
                    ),
                ));
            }
            match constraints.iter().position(|c| c.members == members) {
                Some(same) => {
                    if requirement.at_least > constraints[same].at_least {
                        constraints[same].at_least = requirement.at_least;
                        origins[same] = requirement.origin;
                    }
                }
                None => {
                    constraints.push(Constraint {
                        members,
                        at_least: requirement.at_least,
                    });
                    origins.push(requirement.origin);
                }
            }
        }
        Ok((constraints, origins))
    }
}

fn class_noun(class: CharClass, count: usize) -> &'static str {
    match (class, count) {
        (CharClass::Lower, 1) => "lowercase letter",
        (CharClass::Lower, _) => "lowercase letters",
        (CharClass::Upper, 1) => "uppercase letter",
        (CharClass::Upper, _) => "uppercase letters",
        (CharClass::Digits, 1) => "digit",
        (CharClass::Digits, _) => "digits",
        (CharClass::Symbols, 1) => "symbol",
        (CharClass::Symbols, _) => "symbols",
    }
}

/// How a [`PasswordGenerator`] draws.
///
/// # Examples
///
/// ```
/// use secrets::password::{CharClass, PasswordPolicy, Sampling};
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
/// # Ok::<(), secrets::Error>(())
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
/// let generator = secrets::password::PasswordPolicy::new().generator()?;
/// let first = generator.generate()?;
/// let second = generator.generate()?;
/// assert_ne!(first, second); // 2^-104 odds of equality
/// # Ok::<(), secrets::Error>(())
/// ```
pub struct PasswordGenerator {
    alphabet: Vec<char>,
    length: usize,
    count: BigUint,
    entropy_bits: f64,
    sampling: Sampling,
    counter: Counter,
    /// The counting table in `u128`, when it fits (up to about 19
    /// characters of 94), for faster unranking.
    small_table: Option<(Vec<Vec<u128>>, u128)>,
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

impl PasswordGenerator {
    fn new(policy: &PasswordPolicy) -> Result<Self> {
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
        let alphabet = policy.resolve_alphabet()?;
        let (constraints, origins) = policy.resolve_constraints(&alphabet)?;
        let mut counter = Counter::new(alphabet.len(), &constraints, policy.max_consecutive)?;
        let lowest = policy.min_length.unwrap_or(1).max(1);
        let highest = policy.max_length.unwrap_or(MAX_LENGTH).min(MAX_LENGTH);
        if lowest > highest {
            // The rules' own minlength <= maxlength is checked when parsing,
            // so only the library's cap can be in the way.
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!(
                    "minlength {lowest} is above the longest password made here                      ({MAX_LENGTH} characters); lower minlength"
                ),
            ));
        }

        let length = match policy.length {
            Some(length) => {
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
                length
            }
            None => {
                let bits = policy.target_bits.unwrap_or(DEFAULT_BITS);
                let target = BigUint::from(1u8) << bits;
                let mut best: Option<usize> = None;
                let mut reached = None;
                for length in 1..=highest {
                    if counter.built_length() < length {
                        counter.extend()?;
                    }
                    if length < lowest || counter.count(length) == &BigUint::ZERO {
                        continue;
                    }
                    best = Some(length);
                    if counter.count(length) >= &target {
                        reached = Some(length);
                        break;
                    }
                }
                match (reached, best) {
                    (Some(length), _) => length,
                    // The default target yields to a maxlength: the rules
                    // allow no more, and entropy_bits() tells the caller.
                    (None, Some(length))
                        if policy.target_bits.is_none() && policy.max_length.is_some() =>
                    {
                        length
                    }
                    (None, Some(length)) => {
                        return Err(Error::new(
                            ErrorKind::Unsatisfiable,
                            format!(
                                "{bits} bits are out of reach: the longest password allowed ({length} characters) \
                                 gives {:.2} bits; ask for fewer bits, or allow more characters or a longer length",
                                count::log2(counter.count(length))
                            ),
                        ));
                    }
                    (None, None) => {
                        return Err(nothing_satisfies(&origins, policy.max_consecutive, None));
                    }
                }
            }
        };
        counter.truncate(length);
        let count = counter.count(length).clone();
        if count == BigUint::ZERO {
            return Err(nothing_satisfies(
                &origins,
                policy.max_consecutive,
                Some(length),
            ));
        }
        let total = BigUint::from(alphabet.len()).pow(length as u32);
        let sampling = if count.clone() * 4u8 >= total {
            Sampling::Rejection
        } else {
            Sampling::Unranking
        };
        let small_table = counter.small_table(length);
        Ok(PasswordGenerator {
            entropy_bits: count::log2(&count),
            alphabet,
            length,
            count,
            sampling,
            counter,
            small_table,
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
    /// use secrets::password::PasswordPolicy;
    ///
    /// let generator = PasswordPolicy::from_rules("minlength: 20; required: lower; required: [-]")?.generator()?;
    /// let password = generator.generate()?;
    /// assert!(password.contains('-'));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generate_with(self.sampling)
    }

    fn generate_with(&self, sampling: Sampling) -> Result<String> {
        if sampling == Sampling::Rejection {
            if let Some(password) = self.generate_by_rejection()? {
                return Ok(password);
            }
        }
        self.generate_by_unranking()
    }

    /// Rejection sampling; `None` after [`MAX_REJECTIONS`] failed candidates.
    fn generate_by_rejection(&self) -> Result<Option<String>> {
        let n = self.alphabet.len();
        // Characters are drawn from one byte, or two for big alphabets, and
        // a draw at or above the largest multiple of n is skipped, so every
        // character is equally likely.
        let (width, span) = if n <= 256 {
            (1usize, 256usize)
        } else {
            (2, 65536)
        };
        let limit = span - span % n;
        let mut buffer = [0u8; 256];
        // Enough bytes for a whole candidate nearly always: the mean need
        // plus half again, plus slack.
        let wanted = (self.length * width * span).div_ceil(limit) * 3 / 2 + 16;
        let usable = wanted.min(buffer.len()) / width * width;
        let mut filled = 0;
        let mut next = 0;
        let mut indices: Vec<u32> = Vec::with_capacity(self.length);
        let result = (|| {
            for _ in 0..MAX_REJECTIONS {
                indices.clear();
                while indices.len() < self.length {
                    if next + width > filled {
                        crate::sys::fill(&mut buffer[..usable])?;
                        filled = usable;
                        next = 0;
                    }
                    let draw = if width == 1 {
                        usize::from(buffer[next])
                    } else {
                        usize::from(u16::from_le_bytes([buffer[next], buffer[next + 1]]))
                    };
                    next += width;
                    if draw < limit {
                        indices.push((draw % n) as u32);
                    }
                }
                if self.counter.accepts(indices.iter().copied()) {
                    return Ok(Some(self.spell(&indices)));
                }
            }
            Ok(None)
        })();
        buffer.zeroize();
        indices.zeroize();
        result
    }

    fn generate_by_unranking(&self) -> Result<String> {
        let mut indices = match &self.small_table {
            Some((table, count)) => {
                let rank = crate::try_randbelow(*count)?;
                self.counter.unrank(table, self.length, rank)
            }
            None => {
                let rank = crate::try_randbelow(self.count.clone())?;
                self.counter.unrank(self.counter.table(), self.length, rank)
            }
        };
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
    /// use secrets::password::PasswordPolicy;
    /// assert_eq!(PasswordPolicy::new().bits(128).generator()?.length(), 20);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn length(&self) -> usize {
        self.length
    }

    /// The characters passwords are drawn from.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::PasswordPolicy;
    /// let generator = PasswordPolicy::new().exclude_ambiguous(true).generator()?;
    /// assert_eq!(generator.alphabet().len(), 94 - 15);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn alphabet(&self) -> &[char] {
        &self.alphabet
    }

    /// The exact number of passwords the policy allows at this length.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::PasswordPolicy;
    /// let generator = PasswordPolicy::new().alphabet("01").length(3).max_consecutive(1).generator()?;
    /// assert_eq!(generator.count().to_string(), "2"); // 010 and 101
    /// # Ok::<(), secrets::Error>(())
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
    /// use secrets::password::PasswordPolicy;
    /// let generator = PasswordPolicy::new().alphabet("0123456789abcdef").length(8).generator()?;
    /// assert_eq!(generator.entropy_bits(), 32.0);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn entropy_bits(&self) -> f64 {
        self.entropy_bits
    }

    /// How passwords are drawn; see [`Sampling`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::password::{PasswordPolicy, Sampling};
    /// assert_eq!(PasswordPolicy::new().generator()?.sampling(), Sampling::Rejection);
    /// # Ok::<(), secrets::Error>(())
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
