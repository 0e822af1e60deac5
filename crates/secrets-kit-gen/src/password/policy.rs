//! The policy: character classes, the builder, and its resolution into an
//! alphabet and counting constraints.

use secrets_kit::{Error, ErrorKind, Result};

use super::count::{ClassGroup, Constraint};
use super::{AMBIGUOUS, PasswordGenerator, charset, rules};

/// A character class a password can draw from.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::CharClass;
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
    /// let all: usize = secrets_kit_gen::password::CharClass::ALL.iter().map(|c| c.chars().len()).sum();
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
    /// assert!(secrets_kit_gen::password::CharClass::Upper.chars().starts_with("ABC"));
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
    /// assert_eq!(secrets_kit_gen::password::CharClass::Digits.name(), "digits");
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
enum AlphabetChoice {
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
/// exact entropy reaches [`DEFAULT_BITS`](super::DEFAULT_BITS) (100): 16 characters, about 104.6 bits.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::{CharClass, PasswordPolicy};
///
/// let pin_like = PasswordPolicy::new().classes(&[CharClass::Digits]).length(8).max_consecutive(2);
/// let password = pin_like.generate()?;
/// assert_eq!(password.len(), 8);
/// assert!(password.bytes().all(|b| b.is_ascii_digit()));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub(super) length: Option<usize>,
    pub(super) target_bits: Option<u64>,
    pub(super) min_length: Option<usize>,
    pub(super) max_length: Option<usize>,
    alphabet: AlphabetChoice,
    class_minimums: [usize; 4],
    requirements: Vec<Requirement>,
    exclude_ambiguous: bool,
    pub(super) max_consecutive: Option<usize>,
    /// "At least `.0` of the enabled classes `.1`" (indexed by
    /// [`CharClass::index`]).
    class_group: Option<(usize, [bool; 4])>,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            length: None,
            target_bits: None,
            min_length: None,
            max_length: None,
            alphabet: AlphabetChoice::Classes([true; 4]),
            class_minimums: [1; 4],
            requirements: Vec::new(),
            exclude_ambiguous: false,
            max_consecutive: None,
            class_group: None,
        }
    }
}

impl PasswordPolicy {
    /// The default policy; see the type's documentation.
    ///
    /// # Examples
    ///
    /// ```
    /// let generator = secrets_kit_gen::password::PasswordPolicy::new().generator()?;
    /// assert_eq!(generator.length(), 16);
    /// assert_eq!(generator.alphabet().len(), 94);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the exact length, in characters. It replaces a target set with
    /// [`bits`](Self::bits). Zero, or more than [`MAX_LENGTH`](super::MAX_LENGTH), is an error
    /// when the generator is built.
    ///
    /// # Examples
    ///
    /// ```
    /// let password = secrets_kit_gen::password::PasswordPolicy::new().length(24).generate()?;
    /// assert_eq!(password.chars().count(), 24);
    /// # Ok::<(), secrets_kit::Error>(())
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
    /// use secrets_kit_gen::password::{CharClass, PasswordPolicy};
    ///
    /// // Digits give log2(10) = 3.32 bits each.
    /// let generator = PasswordPolicy::new().classes(&[CharClass::Digits]).bits(64).generator()?;
    /// assert_eq!(generator.length(), 20); // 10^19 < 2^64 <= 10^20
    /// assert!(generator.entropy_bits() >= 64.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn bits(mut self, bits: u64) -> Self {
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
    /// use secrets_kit_gen::password::{CharClass, PasswordPolicy};
    ///
    /// let password = PasswordPolicy::new().classes(&[CharClass::Lower, CharClass::Digits]).generate()?;
    /// assert!(password.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn classes(mut self, classes: &[CharClass]) -> Self {
        let mut enabled = [false; 4];
        for class in classes {
            enabled[class.index()] = true;
        }
        self.alphabet = AlphabetChoice::Classes(enabled);
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
    /// let password = secrets_kit_gen::password::PasswordPolicy::new().alphabet("abcdef").length(30).generate()?;
    /// assert!(password.bytes().all(|b| (b'a'..=b'f').contains(&b)));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn alphabet(mut self, alphabet: impl Into<String>) -> Self {
        self.alphabet = AlphabetChoice::Custom(alphabet.into());
        self.class_minimums = [0; 4];
        self
    }

    /// Needs at least `at_least` characters of `class`. Zero removes the
    /// minimum.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::{CharClass, PasswordPolicy};
    ///
    /// let password = PasswordPolicy::new().min(CharClass::Symbols, 4).generate()?;
    /// assert!(password.chars().filter(|c| c.is_ascii_punctuation()).count() >= 4);
    /// # Ok::<(), secrets_kit::Error>(())
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
    /// use secrets_kit_gen::password::PasswordPolicy;
    ///
    /// let password = PasswordPolicy::new().require("!@#", 2).generate()?;
    /// assert!(password.chars().filter(|c| "!@#".contains(*c)).count() >= 2);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn require(mut self, chars: &str, at_least: usize) -> Self {
        let mut set: Vec<char> = chars.chars().collect();
        set.sort_unstable();
        set.dedup();
        self.requirements.push(Requirement {
            chars: set,
            at_least,
            origin: format!("at least {at_least} of {}", Error::quoted(chars)),
        });
        self
    }

    /// Leaves out the look-alike characters listed in [`AMBIGUOUS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::{PasswordPolicy, AMBIGUOUS};
    ///
    /// let password = PasswordPolicy::new().exclude_ambiguous(true).length(64).generate()?;
    /// assert!(!password.chars().any(|c| AMBIGUOUS.contains(c)));
    /// # Ok::<(), secrets_kit::Error>(())
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
    /// let password = secrets_kit_gen::password::PasswordPolicy::new().alphabet("ab").length(40).max_consecutive(2).generate()?;
    /// assert!(!password.contains("aaa") && !password.contains("bbb"));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn max_consecutive(mut self, max: usize) -> Self {
        self.max_consecutive = Some(max);
        self
    }

    /// Needs characters from at least `at_least` of `classes` (a class
    /// counts when the password has one or more of its characters), as in
    /// "at least 3 of upper, lower, digits and symbols". The passwords are
    /// still drawn uniformly from exactly those that meet it and every
    /// other rule, and the entropy stays exact: the counting automaton
    /// tracks which of the classes have appeared. It replaces the minimums
    /// of the listed classes (set one again with [`min`](Self::min) after
    /// this call to need that class as well).
    ///
    /// `at_least` of 0 or more than the number of classes is an error when
    /// the generator is built.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::{CharClass, PasswordPolicy};
    ///
    /// let policy = PasswordPolicy::new().length(12).at_least_classes(3, &CharClass::ALL);
    /// let password = policy.generate()?;
    /// let present = CharClass::ALL
    ///     .iter()
    ///     .filter(|class| password.chars().any(|c| class.chars().contains(c)))
    ///     .count();
    /// assert!(present >= 3);
    /// // More passwords qualify than with all four classes required.
    /// let all_four = PasswordPolicy::new().length(12).generator()?;
    /// assert!(policy.generator()?.entropy_bits() > all_four.entropy_bits());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn at_least_classes(mut self, at_least: usize, classes: &[CharClass]) -> Self {
        let mut listed = [false; 4];
        for class in classes {
            listed[class.index()] = true;
            self.class_minimums[class.index()] = 0;
        }
        self.class_group = Some((at_least, listed));
        self
    }

    /// Reads a policy from the `passwordrules` syntax of browsers and
    /// password managers, such as
    /// `"minlength: 8; maxlength: 20; required: upper; required: digit, [!@#]; allowed: lower"`.
    ///
    /// - `minlength` and `maxlength` bound the length. The length used is the
    ///   smallest one in range that reaches [`DEFAULT_BITS`](super::DEFAULT_BITS), or `maxlength`
    ///   when none does (check [`PasswordGenerator::entropy_bits`]); call
    ///   [`length`](Self::length) or [`bits`](Self::bits) on the result to
    ///   choose otherwise, within the same bounds.
    /// - Each `required` rule needs at least one character from the union of
    ///   its classes; required characters are also allowed.
    /// - `allowed` adds to the alphabet; with neither `allowed` nor
    ///   `required`, the alphabet is printable ASCII.
    /// - `max-consecutive` limits runs of one character.
    /// - Classes: `upper`, `lower`, `digit`, `special` (the language's
    ///   own 30: the ASCII punctuation but `/` and `\`, as the proposal
    ///   and Apple's generator define it), `ascii-printable` (the 94
    ///   characters `!` to `~`), `unicode` (read as `ascii-printable`: a generator has to
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
    /// use secrets_kit::ErrorKind;
    /// use secrets_kit_gen::password::PasswordPolicy;
    ///
    /// let policy = PasswordPolicy::from_rules("required: lower; required: upper; required: digit; max-consecutive: 2")?;
    /// let password = policy.generate()?;
    /// assert!(password.bytes().any(|b| b.is_ascii_digit()));
    ///
    /// let err = PasswordPolicy::from_rules("required: uper").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Parse);
    /// assert!(err.to_string().contains("uper"));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn from_rules(rules: &str) -> Result<Self> {
        let parsed = rules::parse(rules)?;
        Ok(PasswordPolicy {
            length: None,
            target_bits: None,
            min_length: parsed.min_length,
            max_length: parsed.max_length,
            alphabet: AlphabetChoice::Set(parsed.allowed),
            class_minimums: [0; 4],
            requirements: parsed
                .required
                .into_iter()
                .map(|(origin, chars)| Requirement {
                    chars,
                    at_least: 1,
                    origin: format!("`{origin}`"),
                })
                .collect(),
            exclude_ambiguous: false,
            max_consecutive: parsed.max_consecutive,
            class_group: None,
        })
    }

    /// Checks the policy, counts the passwords it allows and prepares to
    /// draw them. Build the generator once to draw many passwords.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::InvalidValue`]: a length of zero or above
    ///   [`MAX_LENGTH`](super::MAX_LENGTH), an alphabet with a repeated character or fewer than
    ///   two characters, `max_consecutive(0)`.
    /// - [`ErrorKind::Unsatisfiable`]: no password meets the policy, or a
    ///   [`bits`](Self::bits) target is out of reach; the message says why.
    /// - [`ErrorKind::TooLarge`]: the policy is too complex to count
    ///   exactly within the memory and time limits.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::ErrorKind;
    /// use secrets_kit_gen::password::{CharClass, PasswordPolicy};
    ///
    /// let generator = PasswordPolicy::new().length(20).generator()?;
    /// let passwords: Vec<String> = (0..3).map(|_| generator.generate()).collect::<Result<_, _>>()?;
    /// assert_eq!(passwords.len(), 3);
    ///
    /// let impossible = PasswordPolicy::new().length(4).min(CharClass::Digits, 5);
    /// assert_eq!(impossible.generator().unwrap_err().kind(), ErrorKind::Unsatisfiable);
    /// # Ok::<(), secrets_kit::Error>(())
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
    /// let password = secrets_kit_gen::password::PasswordPolicy::new().generate()?;
    /// assert_eq!(password.len(), 16);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generator()?.generate()
    }

    /// Draws one password from `source`.
    ///
    /// # Errors
    ///
    /// As [`generator`](Self::generator), and `source`'s errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::{OsEntropy, password::PasswordPolicy};
    /// assert_eq!(PasswordPolicy::new().generate_with(&OsEntropy)?.len(), 16);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: crate::EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        self.generator()?.generate_with(source)
    }

    /// `note` when look-alikes are left out, for error messages that must
    /// say why a character is missing; otherwise nothing.
    fn when_excluding_look_alikes(&self, note: &'static str) -> &'static str {
        if self.exclude_ambiguous { note } else { "" }
    }

    /// The alphabet, after leaving out look-alikes if asked.
    pub(super) fn resolve_alphabet(&self) -> Result<Vec<char>> {
        let mut alphabet: Vec<char> = match &self.alphabet {
            AlphabetChoice::Classes(enabled) => CharClass::ALL
                .iter()
                .filter(|class| enabled[class.index()])
                .flat_map(|class| class.chars().chars())
                .collect(),
            AlphabetChoice::Custom(text) => {
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
            AlphabetChoice::Set(chars) => chars.clone(),
        };
        if self.exclude_ambiguous {
            alphabet.retain(|&c| !AMBIGUOUS.contains(c));
        }
        if alphabet.len() < 2 {
            let what = match alphabet.first() {
                None => "no characters".to_owned(),
                Some(only) => format!("only {only:?}"),
            };
            let after = self.when_excluding_look_alikes(" after leaving out look-alikes");
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
    pub(super) fn resolve_constraints(
        &self,
        alphabet: &[char],
    ) -> Result<(Vec<Constraint>, Vec<String>)> {
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
                let after = self.when_excluding_look_alikes(" (after leaving out look-alikes)");
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

    /// The "at least K of these classes" rule, as one constraint per class
    /// appended to `constraints` (not required on their own) and the group
    /// that ties them together.
    pub(super) fn resolve_class_group(
        &self,
        alphabet: &[char],
        constraints: &mut Vec<Constraint>,
        origins: &mut Vec<String>,
    ) -> Result<Option<ClassGroup>> {
        let Some((at_least, listed)) = self.class_group else {
            return Ok(None);
        };
        let classes: Vec<CharClass> = CharClass::ALL
            .into_iter()
            .filter(|c| listed[c.index()])
            .collect();
        let names: Vec<&str> = classes.iter().map(|c| c.name()).collect();
        if at_least == 0 || at_least > classes.len() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "at least {at_least} of {} classes ({}) was asked for; ask for 1 to {}",
                    classes.len(),
                    names.join(", "),
                    classes.len()
                ),
            ));
        }
        let first = constraints.len();
        let mut available = 0;
        for class in &classes {
            let members: Vec<u32> = alphabet
                .iter()
                .enumerate()
                .filter(|(_, c)| class.chars().contains(**c))
                .map(|(i, _)| i as u32)
                .collect();
            available += usize::from(!members.is_empty());
            constraints.push(Constraint {
                members,
                at_least: 1,
            });
        }
        let origin = format!(
            "characters from at least {at_least} of {}",
            names.join(", ")
        );
        if available < at_least {
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!(
                    "the policy asks for {origin}, but only {available} of those classes have \
                     characters in the alphabet; add them to the alphabet or ask for fewer"
                ),
            ));
        }
        origins.push(origin);
        Ok(Some(ClassGroup { at_least, first }))
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
