//! Passphrases: words drawn uniformly and independently from a linted list,
//! and the one entry point that picks the engine for a set of options.

use std::fmt;
use std::sync::OnceLock;

use num_bigint::BigUint;

use super::lint::{LintReport, WordForm, analyse};
use super::{Capitalize, Decodability, MAX_PHRASE_WORDS, PhraseGenerator, PhraseOptions, WordList};
use crate::Warning;
use crate::explain::SetSize;
use secrets_kit::Uniform;
use secrets_kit::strength::Strength;
use secrets_kit::{EntropySource, Error, OsEntropy, Result};

/// The strength of a passphrase when no word count is given: at least 75
/// bits, which the EFF long list reaches with 6 words (77.5 bits).
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{DEFAULT_PASSPHRASE_BITS, WordList};
/// let report = WordList::eff_long().lint(" ")?;
/// assert_eq!(report.words_for_bits(DEFAULT_PASSPHRASE_BITS)?.length, 6);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const DEFAULT_PASSPHRASE_BITS: u64 = 75;

/// Draws passphrases from a word list, with the list's lint report.
///
/// Words are drawn uniformly and independently (by rejection, no modulo
/// bias) from the list's [`distinct`](LintReport::distinct) words: words
/// equal after case-folding and NFC are merged, the first one kept, so
/// none is drawn more often than the others. The entropy figures follow
/// [`LintReport::entropy_bits`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
///
/// let generator = PassphraseGenerator::capitalized(&WordList::eff_long(), " ")?;
/// let phrase = generator.generate(6)?;
/// assert!(phrase.split(' ').all(|w| w.starts_with(|c: char| c.is_uppercase())));
/// assert!((generator.entropy_bits(6) - 77.55).abs() < 0.01);
/// assert!(generator.warnings().is_empty());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone)]
pub struct PassphraseGenerator {
    words: Vec<String>,
    /// Bytes in the longest word, to size a phrase before drawing it.
    longest: usize,
    separator: String,
    report: LintReport,
}

impl PassphraseGenerator {
    /// Lints `list` for phrases of its words as listed, joined with
    /// `separator`, and prepares to draw.
    ///
    /// The generator is built even when the lint finds problems: the
    /// figures are lowered and [`warnings`](Self::warnings) says why.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// fewer than 2 distinct words remain after case-folding (no entropy),
    /// the list has more than `u32::MAX` words, or the separator is longer
    /// than [`MAX_SEPARATOR_CHARS`](super::MAX_SEPARATOR_CHARS).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    ///
    /// let list = WordList::from_words("demo", ["Yes", "yes"])?;
    /// assert!(PassphraseGenerator::new(&list, " ").is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new(list: &WordList, separator: &str) -> Result<Self> {
        Self::build(list, separator, WordForm::AsListed)
    }

    /// As [`new`](Self::new), with every word capitalised (its first letter
    /// upper case); the lint checks the words in that form.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    ///
    /// let generator = PassphraseGenerator::capitalized(&WordList::eff_long(), "-")?;
    /// let phrase = generator.generate(4)?;
    /// assert!(phrase.split('-').all(|w| w.starts_with(|c: char| c.is_ascii_uppercase())));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn capitalized(list: &WordList, separator: &str) -> Result<Self> {
        Self::build(list, separator, WordForm::Capitalized)
    }

    fn build(list: &WordList, separator: &str, form: WordForm) -> Result<Self> {
        let (report, words) = analyse(list, separator, form)?;
        if words.len() < 2 {
            return Err(Error::invalid(format!(
                "word list {} has {} distinct word(s) after case-folding and NFC \
                 normalisation; a passphrase needs at least 2",
                list.origin(),
                words.len()
            )));
        }
        if u32::try_from(words.len()).is_err() {
            return Err(Error::invalid(format!(
                "word list {} has {} words; at most {} are supported",
                list.origin(),
                words.len(),
                u32::MAX
            )));
        }
        let longest = words.iter().map(String::len).max().unwrap_or(0);
        Ok(PassphraseGenerator {
            words,
            longest,
            separator: separator.to_owned(),
            report,
        })
    }

    /// The lint report of the list, for this separator and capitalisation.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// assert_eq!(generator.report().distinct, 7776);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn report(&self) -> &LintReport {
        &self.report
    }

    /// The lint warnings (see [`LintReport::warnings`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::Warning;
    /// use secrets_kit_gen::wordlist::{EmbeddedList, PassphraseGenerator, WordList};
    ///
    /// // Reinhold's list has "a", "aa" and "aaa": joined, phrases are ambiguous.
    /// let list = WordList::embedded(EmbeddedList::Reinhold);
    /// let generator = PassphraseGenerator::new(&list, "")?;
    /// assert!(generator.warnings().iter().any(|w| matches!(w, Warning::Ambiguous { .. })));
    /// // The EFF lists are prefix-free: no warning even without a separator.
    /// assert!(PassphraseGenerator::new(&WordList::eff_long(), "")?.warnings().is_empty());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        self.report.warnings()
    }

    /// The entropy of a passphrase of `words` words; see
    /// [`LintReport::entropy_bits`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// assert!((generator.entropy_bits(1) - 12.925).abs() < 1e-3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn entropy_bits(&self, words: usize) -> f64 {
        self.report.entropy_bits(words)
    }

    /// The fewest words reaching `bits`; see [`LintReport::words_for_bits`].
    ///
    /// # Errors
    ///
    /// As [`LintReport::words_for_bits`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// assert_eq!(generator.words_for_bits(128)?.length, 10);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn words_for_bits(&self, bits: u64) -> Result<Strength> {
        self.report.words_for_bits(bits)
    }

    /// A passphrase of `words` words.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `words` is 0 or more than [`MAX_PHRASE_WORDS`],
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when the phrase
    /// cannot be allocated, [`ErrorKind::Os`](crate::ErrorKind::Os) when
    /// the random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{MAX_PHRASE_WORDS, PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// assert!(generator.generate(0).is_err());
    /// assert!(generator.generate(MAX_PHRASE_WORDS + 1).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate(&self, words: usize) -> Result<String> {
        self.generate_with(&OsEntropy, words)
    }

    /// A passphrase of `words` words drawn from `source`.
    ///
    /// # Errors
    ///
    /// As [`generate`](Self::generate), with `source`'s errors in
    /// place of the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), "-")?;
    /// assert_eq!(generator.generate_with(&OsEntropy, 3)?.split('-').count(), 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        words: usize,
    ) -> Result<String> {
        check_words(words)?;
        let capacity = self
            .longest
            .checked_add(self.separator.len())
            .and_then(|per_word| per_word.checked_mul(words))
            .ok_or_else(|| Error::too_large(usize::MAX, "a passphrase"))?;
        // Reserved up front so the phrase is never copied by a regrowth,
        // which would leave pieces of it in freed memory.
        let mut phrase = String::new();
        phrase
            .try_reserve_exact(capacity)
            .map_err(|_| Error::too_large(capacity, "a passphrase"))?;
        // Checked in `new`: the word count fits `u32`.
        let sampler = Uniform::new(self.words.len() as u32)?;
        let mut first = true;
        sampler.sample(source, words, |i| {
            if !first {
                phrase.push_str(&self.separator);
            }
            first = false;
            phrase.push_str(&self.words[i as usize]);
        })?;
        Ok(phrase)
    }

    /// The words drawn from (display forms, one per case-folded group).
    #[cfg(test)]
    pub(crate) fn draw_words(&self) -> &[String] {
        &self.words
    }
}

impl fmt::Debug for PassphraseGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PassphraseGenerator")
            .field("origin", &self.report.origin)
            .field("words", &self.words.len())
            .field("separator", &self.separator)
            .field("capitalize", &self.report.capitalize)
            .finish()
    }
}

/// Refuses 0 words and more than [`MAX_PHRASE_WORDS`].
fn check_words(words: usize) -> Result<()> {
    if words == 0 {
        return Err(Error::invalid(
            "a passphrase of 0 words was asked for; ask for at least 1 word",
        ));
    }
    if words > MAX_PHRASE_WORDS {
        return Err(Error::invalid(format!(
            "a passphrase of {words} words was asked for; the most is {MAX_PHRASE_WORDS}"
        )));
    }
    Ok(())
}

impl PhraseOptions {
    /// The passphrases these options ask for, from `list`: the one entry
    /// point that takes every option and picks the engine.
    ///
    /// Words as listed or all capitalised, with nothing else asked, are
    /// drawn by a [`PassphraseGenerator`] from every distinct word of the
    /// list (after case-folding), with the list's lint warnings; any other
    /// option (capitals on one or random words, a digit, a symbol, a
    /// length limit, rules) by a [`PhraseGenerator`], which counts the
    /// phrases of that structure exactly. `words` fixes the number of
    /// words; otherwise the fewest reaching `bits` (default
    /// [`DEFAULT_PASSPHRASE_BITS`]) are used, or, when the length limits
    /// allow no more and no `bits` was given, the number with the most
    /// entropy, with a [`Warning::ShortPassphrase`].
    ///
    /// # Errors
    ///
    /// Those of [`PassphraseGenerator::new`] and
    /// [`PhraseOptions::generator`];
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for 0
    /// words or more than [`MAX_PHRASE_WORDS`] (asked for, or needed for
    /// `bits`).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::Warning;
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    ///
    /// let list = WordList::eff_long();
    /// let phrases = PhraseOptions::new().separator("-").passphrases(&list, None, Some(90))?;
    /// assert_eq!(phrases.words(), 7); // 90.47 bits
    /// assert_eq!(*phrases.count(), num_bigint::BigUint::from(7776u32).pow(7));
    /// // Four EFF words hold a hyphen ("drop-down"): the lint says so.
    /// assert!(matches!(phrases.warnings(), [Warning::ContainsSeparator { .. }]));
    ///
    /// let short = PhraseOptions::new().max_length(20).passphrases(&list, None, None)?;
    /// assert!(matches!(short.warnings(), [Warning::ShortPassphrase { .. }]));
    /// assert!(short.generate()?.chars().count() <= 20);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn passphrases(
        &self,
        list: &WordList,
        words: Option<usize>,
        bits: Option<u64>,
    ) -> Result<Passphrases> {
        let listed = !self.digit
            && !self.symbol
            && self.max_length.is_none()
            && self.rules.is_none()
            && matches!(self.capitalize, Capitalize::AsListed | Capitalize::All);
        if listed {
            let generator = if self.capitalize == Capitalize::All {
                PassphraseGenerator::capitalized(list, &self.separator)?
            } else {
                PassphraseGenerator::new(list, &self.separator)?
            };
            let words = match words {
                Some(words) => words,
                None => {
                    let target = bits.unwrap_or(DEFAULT_PASSPHRASE_BITS);
                    let needed = generator.words_for_bits(target)?.length;
                    if needed > MAX_PHRASE_WORDS {
                        return Err(Error::invalid(format!(
                            "{target} bits take {needed} words of word list {}; a passphrase \
                             has at most {MAX_PHRASE_WORDS}",
                            list.origin()
                        )));
                    }
                    needed
                }
            };
            check_words(words)?;
            let report = generator.report();
            let distinct = report.distinct;
            let entropy = generator.entropy_bits(words);
            // Every sequence of distinct words is one phrase when phrases
            // split back uniquely; otherwise only the entropy bound is
            // known.
            let set_size = match report.decodability {
                Decodability::Unique => SetSize::power(distinct as u64, words as u64)?,
                _ => SetSize::from_entropy(entropy)?,
            };
            return Ok(Passphrases {
                warnings: generator.warnings(),
                count: BigUint::from(distinct).pow(words as u32),
                set_size,
                engine: Engine::Listed { generator, words },
            });
        }
        let generator = self.generator(list, words, bits)?;
        let entropy = generator.entropy_bits();
        let mut warnings = Vec::new();
        if words.is_none() && bits.is_none() && entropy < DEFAULT_PASSPHRASE_BITS as f64 {
            warnings.push(Warning::ShortPassphrase {
                words: generator.phrase_words(),
                bits: entropy,
                target_bits: DEFAULT_PASSPHRASE_BITS,
            });
        }
        Ok(Passphrases {
            warnings,
            count: generator.count().clone(),
            set_size: SetSize::from_entropy(entropy)?,
            engine: Engine::Counted(generator),
        })
    }
}

/// Passphrases as a [`PhraseOptions`] asks for, from the engine that
/// serves them; made by [`PhraseOptions::passphrases`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{Capitalize, PhraseOptions, WordList};
///
/// let phrases = PhraseOptions::new()
///     .capitalize(Capitalize::One)
///     .digit(true)
///     .passphrases(&WordList::eff_long(), Some(5), None)?;
/// let phrase = phrases.generate()?;
/// assert_eq!(phrase.split(' ').count(), 5);
/// assert_eq!(phrase.chars().filter(char::is_ascii_uppercase).count(), 1);
/// assert!(phrases.entropy_bits() > 5.0 * 12.0);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct Passphrases {
    engine: Engine,
    warnings: Vec<Warning>,
    count: BigUint,
    set_size: SetSize,
}

enum Engine {
    /// Words as listed or capitalised, from every distinct word.
    Listed {
        generator: PassphraseGenerator,
        words: usize,
    },
    /// Any other structure, counted exactly.
    Counted(PhraseGenerator),
}

impl Passphrases {
    /// One passphrase, from the kernel's randomness.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when the phrase
    /// cannot be allocated, [`ErrorKind::Os`](crate::ErrorKind::Os) when
    /// the random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().passphrases(&WordList::eff_long(), Some(3), None)?;
    /// assert_eq!(phrases.generate()?.split(' ').count(), 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generate_with(&OsEntropy)
    }

    /// One passphrase, drawn from `source`.
    ///
    /// # Errors
    ///
    /// As [`generate`](Self::generate), with `source`'s errors in place of
    /// the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().symbol(true).passphrases(&WordList::eff_long(), Some(3), None)?;
    /// assert!(phrases.generate_with(&OsEntropy)?.chars().any(|c| c.is_ascii_punctuation()));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        match &self.engine {
            Engine::Listed { generator, words } => generator.generate_with(source, *words),
            Engine::Counted(generator) => generator.generate_with(source),
        }
    }

    /// The number of words in each phrase.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().passphrases(&WordList::eff_long(), None, None)?;
    /// assert_eq!(phrases.words(), 6);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn words(&self) -> usize {
        match &self.engine {
            Engine::Listed { words, .. } => *words,
            Engine::Counted(generator) => generator.phrase_words(),
        }
    }

    /// The entropy of one phrase in bits: exact, or the lint's bound when
    /// joined phrases cannot always be split back into words.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().passphrases(&WordList::eff_long(), Some(6), None)?;
    /// assert!((phrases.entropy_bits() - 6.0 * 7776f64.log2()).abs() < 1e-9);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn entropy_bits(&self) -> f64 {
        match &self.engine {
            Engine::Listed { generator, words } => generator.entropy_bits(*words),
            Engine::Counted(generator) => generator.entropy_bits(),
        }
    }

    /// The exact number of equally likely constructions (the phrases
    /// themselves, unless joined phrases can collide; then
    /// [`entropy_bits`](Self::entropy_bits) is lowered).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let list = WordList::from_words("demo", ["alpha", "bravo", "charlie"])?;
    /// let phrases = PhraseOptions::new().passphrases(&list, Some(2), None)?;
    /// assert_eq!(phrases.count().to_string(), "9");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn count(&self) -> &BigUint {
        &self.count
    }

    /// The set the phrases are drawn from, for [`explain`](crate::explain):
    /// exact when every construction is a distinct phrase of a listed
    /// engine, otherwise known by its entropy.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().passphrases(&WordList::eff_long(), Some(2), None)?;
    /// assert_eq!(phrases.set_size().to_decimal(), "60466176");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn set_size(&self) -> &SetSize {
        &self.set_size
    }

    /// The text between words when every phrase uses the same one (the
    /// listed engine); `None` when the structure may draw separators.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().separator(".").passphrases(&WordList::eff_long(), Some(2), None)?;
    /// assert_eq!(phrases.separator(), Some("."));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn separator(&self) -> Option<&str> {
        match &self.engine {
            Engine::Listed { generator, .. } => Some(&generator.separator),
            Engine::Counted(_) => None,
        }
    }

    /// What the user should know: the list's lint warnings, or that the
    /// length limits keep the phrases short of the default strength.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new().passphrases(&WordList::eff_long(), None, None)?;
    /// assert!(phrases.warnings().is_empty());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// What was done to the words to meet the options or rules, one line
    /// each (see [`PhraseGenerator::transformations`]); empty for the
    /// listed engine.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrases = PhraseOptions::new()
    ///     .rules("required: upper; allowed: lower")
    ///     .passphrases(&WordList::eff_long(), None, None)?;
    /// assert!(phrases.transformations().iter().any(|t| t.contains("capitalised")));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn transformations(&self) -> &[String] {
        match &self.engine {
            Engine::Listed { .. } => &[],
            Engine::Counted(generator) => generator.transformations(),
        }
    }
}

impl fmt::Debug for Passphrases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let engine = match &self.engine {
            Engine::Listed { .. } => "listed",
            Engine::Counted(_) => "counted",
        };
        f.debug_struct("Passphrases")
            .field("engine", &engine)
            .field("words", &self.words())
            .field("entropy_bits", &self.entropy_bits())
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// The default generator (EFF long list, space separator), linted once.
fn default_generator() -> &'static PassphraseGenerator {
    static DEFAULT: OnceLock<PassphraseGenerator> = OnceLock::new();
    DEFAULT.get_or_init(
        || match PassphraseGenerator::new(&WordList::eff_long(), " ") {
            Ok(generator) => generator,
            Err(_) => unreachable!("the EFF long list has 7776 distinct words"),
        },
    )
}

/// A passphrase of `words` words (default 6, for at least
/// [`DEFAULT_PASSPHRASE_BITS`]) from the EFF long list, separated by
/// spaces: the Python docs' xkcd-style recipe, without its bias risks.
///
/// # Errors
///
/// As [`PassphraseGenerator::generate`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_gen::wordlist::passphrase(8)?.split(' ').count(), 8);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn passphrase(words: impl Into<Option<usize>>) -> Result<String> {
    passphrase_with(&OsEntropy, words)
}

/// [`passphrase`] drawing from `source`.
///
/// # Errors
///
/// As [`passphrase`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// let phrase = secrets_kit_gen::wordlist::passphrase_with(&secrets_kit::OsEntropy, 4)?;
/// assert_eq!(phrase.split(' ').count(), 4);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn passphrase_with<S: EntropySource + ?Sized>(
    source: &S,
    words: impl Into<Option<usize>>,
) -> Result<String> {
    let generator = default_generator();
    let words = match words.into() {
        Some(words) => words,
        None => generator.words_for_bits(DEFAULT_PASSPHRASE_BITS)?.length,
    };
    generator.generate_with(source, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_use_list_words_and_the_separator() {
        let generator = PassphraseGenerator::new(&WordList::eff_long(), "::").unwrap();
        let eff_long = WordList::eff_long();
        let eff: std::collections::HashSet<&str> = eff_long.words().collect();
        for _ in 0..100 {
            let phrase = generator.generate(7).unwrap();
            let words: Vec<&str> = phrase.split("::").collect();
            assert_eq!(words.len(), 7);
            assert!(words.iter().all(|w| eff.contains(w)), "{phrase}");
        }
    }

    #[test]
    fn separators_are_counted_in_characters_up_to_the_limit() {
        use crate::wordlist::{MAX_SEPARATOR_CHARS, PhraseOptions};
        let list = WordList::eff_long();
        let listed = |separator: &str| {
            PhraseOptions::new()
                .separator(separator)
                .passphrases(&list, Some(3), None)
        };
        let counted = |separator: &str| {
            PhraseOptions::new()
                .separator(separator)
                .digit(true)
                .passphrases(&list, Some(3), None)
        };
        // 32 two-byte characters (64 bytes) are within the limit.
        for separator in [
            "-".repeat(MAX_SEPARATOR_CHARS),
            "\u{e9}".repeat(MAX_SEPARATOR_CHARS),
        ] {
            for phrases in [listed(&separator).unwrap(), counted(&separator).unwrap()] {
                assert_eq!(
                    phrases
                        .generate()
                        .unwrap()
                        .matches(separator.as_str())
                        .count(),
                    2
                );
            }
            assert!(list.lint(&separator).is_ok());
        }
        for separator in ["-".repeat(MAX_SEPARATOR_CHARS + 1), "x".repeat(10_000_000)] {
            for err in [
                listed(&separator).unwrap_err(),
                counted(&separator).unwrap_err(),
                list.lint(&separator).unwrap_err(),
                list.lint_capitalized(&separator).unwrap_err(),
                PassphraseGenerator::new(&list, &separator).unwrap_err(),
            ] {
                assert_eq!(err.kind(), crate::ErrorKind::InvalidValue);
                let chars = separator.chars().count();
                assert!(
                    err.to_string()
                        .contains(&format!("a separator of {chars} characters")),
                    "{err}"
                );
            }
        }
    }

    #[test]
    fn default_is_six_words() {
        assert_eq!(passphrase(None).unwrap().split(' ').count(), 6);
        assert!(passphrase(0).is_err());
    }

    #[test]
    fn merged_words_are_drawn_once() {
        let list = WordList::from_words("t", ["Yes", "yes", "no"]).unwrap();
        let generator = PassphraseGenerator::new(&list, " ").unwrap();
        assert_eq!(generator.draw_words(), ["Yes", "no"]);
        assert_eq!(generator.entropy_bits(10), 10.0);
        // With both words drawn 50/50, "yes" never appears.
        for _ in 0..4 {
            let phrase = generator.generate(50).unwrap();
            assert!(!phrase.split(' ').any(|w| w == "yes"));
        }
    }

    /// Chi-square test of the word draw over a small list: 16 words, 16,000
    /// draws, 15 degrees of freedom. The critical value 56.5 has a
    /// false-alarm probability of 1e-6 for a uniform draw; one word drawn
    /// 1.5 times as often as the others gives about 220 on average and
    /// fails.
    #[test]
    fn words_are_uniform_chi_square() {
        let words: Vec<String> = (0..16).map(|i| format!("w{i:02}")).collect();
        let list = WordList::from_words("sixteen", words.clone()).unwrap();
        let generator = PassphraseGenerator::new(&list, " ").unwrap();
        let mut counts = std::collections::HashMap::new();
        let draws = 16_000;
        for _ in 0..draws / 50 {
            for w in generator.generate(50).unwrap().split(' ') {
                *counts.entry(w.to_owned()).or_insert(0u32) += 1;
            }
        }
        let expected = f64::from(draws) / 16.0;
        let chi: f64 = words
            .iter()
            .map(|w| {
                let observed = f64::from(*counts.get(w).unwrap_or(&0));
                (observed - expected).powi(2) / expected
            })
            .sum();
        assert!(chi < 56.5, "chi-square {chi} over 15 degrees of freedom");
    }
}
