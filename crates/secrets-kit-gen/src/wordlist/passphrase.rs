//! Passphrases: words drawn uniformly and independently from a linted list.

use std::fmt;
use std::sync::OnceLock;

use super::WordList;
use super::lint::{LintReport, analyse};
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
/// let report = WordList::eff_long().lint(" ", false);
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
/// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ", true)?;
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
    /// Lints `list` for `separator` and `capitalize` and prepares to draw.
    ///
    /// The generator is built even when the lint finds problems: the
    /// figures are lowered and [`warnings`](Self::warnings) says why.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// fewer than 2 distinct words remain after case-folding (no entropy)
    /// or the list has more than `u32::MAX` words.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    ///
    /// let list = WordList::from_words("demo", ["Yes", "yes"])?;
    /// assert!(PassphraseGenerator::new(&list, " ", false).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new(list: &WordList, separator: &str, capitalize: bool) -> Result<Self> {
        let (report, words) = analyse(list, separator, capitalize);
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
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ", false)?;
    /// assert_eq!(generator.report().distinct, 7776);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn report(&self) -> &LintReport {
        &self.report
    }

    /// The lint warnings, one line each (see [`LintReport::warnings`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{EmbeddedList, PassphraseGenerator, WordList};
    ///
    /// // Reinhold's list has "a", "aa" and "aaa": joined, phrases are ambiguous.
    /// let list = WordList::embedded(EmbeddedList::Reinhold);
    /// let generator = PassphraseGenerator::new(&list, "", false)?;
    /// assert!(generator.warnings().iter().any(|w| w.contains("cannot always be split back")));
    /// // The EFF lists are prefix-free: no warning even without a separator.
    /// assert!(PassphraseGenerator::new(&WordList::eff_long(), "", false)?.warnings().is_empty());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        self.report.warnings()
    }

    /// The entropy of a passphrase of `words` words; see
    /// [`LintReport::entropy_bits`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ", false)?;
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
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ", false)?;
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
    /// `words` is 0, [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge)
    /// when the phrase cannot be allocated,
    /// [`ErrorKind::Os`](crate::ErrorKind::Os) when the random source
    /// fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ", false)?;
    /// assert!(generator.generate(0).is_err());
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
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), "-", false)?;
    /// assert_eq!(generator.generate_with(&OsEntropy, 3)?.split('-').count(), 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        words: usize,
    ) -> Result<String> {
        if words == 0 {
            return Err(Error::invalid(
                "a passphrase of 0 words was asked for; ask for at least 1 word",
            ));
        }
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

/// The default generator (EFF long list, space separator), linted once.
fn default_generator() -> &'static PassphraseGenerator {
    static DEFAULT: OnceLock<PassphraseGenerator> = OnceLock::new();
    DEFAULT.get_or_init(
        || match PassphraseGenerator::new(&WordList::eff_long(), " ", false) {
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
        let generator = PassphraseGenerator::new(&WordList::eff_long(), "::", false).unwrap();
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
    fn default_is_six_words() {
        assert_eq!(passphrase(None).unwrap().split(' ').count(), 6);
        assert!(passphrase(0).is_err());
    }

    #[test]
    fn merged_words_are_drawn_once() {
        let list = WordList::from_words("t", ["Yes", "yes", "no"]).unwrap();
        let generator = PassphraseGenerator::new(&list, " ", false).unwrap();
        assert_eq!(generator.draw_words(), ["Yes", "no"]);
        assert_eq!(generator.entropy_bits(10), 10.0);
        // With both words drawn 50/50, "yes" never appears.
        let phrase = generator.generate(200).unwrap();
        assert!(!phrase.split(' ').any(|w| w == "yes"));
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
        let generator = PassphraseGenerator::new(&list, " ", false).unwrap();
        let mut counts = std::collections::HashMap::new();
        let draws = 16_000;
        for _ in 0..draws / 100 {
            for w in generator.generate(100).unwrap().split(' ') {
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
