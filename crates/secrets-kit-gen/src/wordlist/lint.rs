//! The word-list linter and the entropy rule it feeds.

use std::collections::HashMap;
use std::fmt;

use unicode_normalization::UnicodeNormalization as _;

use super::WordList;
use super::decode::{self, Outcome};
use crate::Warning;
use crate::room::{NoRoom, Room as _, try_collect_string, try_string};
use crate::warning::{describe_separator, quote_all};
use secrets_kit::strength::{Strength, check_bits, length_for_bits};
use secrets_kit::{Error, ErrorKind, Result};

/// How words appear in phrases: the one choice of case the lint and
/// [`PassphraseGenerator`](super::PassphraseGenerator) know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WordForm {
    /// As the list has them.
    AsListed,
    /// First letter upper case.
    Capitalized,
}

/// Whether phrases joined with the separator can be split back into words.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{Decodability, WordList};
///
/// let list = WordList::from_words("demo", ["a", "b", "ab"])?;
/// let report = list.lint("")?;
/// if let Decodability::Ambiguous { first, second, .. } = report.decodability {
///     assert_eq!(first.concat(), second.concat()); // "a" + "b" = "ab"
/// } else {
///     panic!("\"a\" + \"b\" = \"ab\" was missed");
/// }
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decodability {
    /// Every phrase has exactly one split into words.
    Unique,
    /// Two different word sequences give the same phrase.
    Ambiguous {
        /// One sequence of words (as they appear in phrases).
        first: Vec<String>,
        /// Another sequence with the same joined text.
        second: Vec<String>,
        /// The most words that can start at one place of a phrase: the
        /// longest chain of words each a prefix of the next (with the
        /// separator appended). It bounds the number of splits.
        longest_prefix_chain: usize,
    },
}

/// What a word list really gives, for one separator and capitalisation.
///
/// Build it with [`WordList::lint`] or [`WordList::lint_capitalized`]; its [`Display`](fmt::Display) form is
/// the report of the command line's `wordlist-check`.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::WordList;
///
/// let list = WordList::from_words("demo", ["Apple", "apple", "pear", "plum"])?;
/// let report = list.lint(" ")?;
/// assert_eq!(report.distinct, 3); // "Apple" and "apple" count once
/// assert_eq!(report.warnings().len(), 1);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct LintReport {
    /// The list's name or file path.
    pub origin: String,
    /// The separator the report is for.
    pub separator: String,
    /// Whether words are capitalised in phrases.
    pub capitalize: bool,
    /// Distinct words as loaded.
    pub words: usize,
    /// Exact duplicates removed while loading.
    pub exact_duplicates_removed: usize,
    /// Groups of words that are equal after Unicode canonical
    /// normalisation and full case-folding (each group has 2 or more).
    pub folded_duplicates: Vec<Vec<String>>,
    /// Words left after merging those groups: the number of equally likely
    /// choices per word of a passphrase.
    pub distinct: usize,
    /// Words that contain the separator (none when it is empty).
    pub containing_separator: Vec<String>,
    /// Whether joined phrases split back uniquely.
    pub decodability: Decodability,
}

/// Examples shown per finding in the text report.
const SHOWN: usize = 5;

impl LintReport {
    /// Bits of entropy per word, `log2(distinct)`, before any lowering for
    /// ambiguity.
    ///
    /// # Examples
    ///
    /// ```
    /// let report = secrets_kit_gen::wordlist::WordList::eff_long().lint(" ")?;
    /// assert!((report.bits_per_word() - 12.925).abs() < 1e-3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn bits_per_word(&self) -> f64 {
        (self.distinct as f64).log2()
    }

    /// The entropy of a passphrase of `words` words drawn uniformly from
    /// the [`distinct`](Self::distinct) words.
    ///
    /// The rule:
    /// - Duplicates after case-folding and NFC count once, so with `N`
    ///   distinct words a phrase of `k` words has `k * log2(N)` bits when
    ///   it can be split back uniquely. This holds even against an attacker
    ///   who ignores case.
    /// - When it cannot ([`Decodability::Ambiguous`]), several word
    ///   sequences may give the same phrase, so the phrase is more likely
    ///   than `N^-k`. At each place of a phrase at most `P` words can
    ///   start (`P` = the longest prefix chain), and the last word is fixed
    ///   by what is left, so a phrase has at most `P^(k-1)` splits and
    ///   probability at most `P^(k-1) / N^k`. The figure is that bound on
    ///   the min-entropy: `k * log2(N) - (k - 1) * log2(P)`. It is
    ///   conservative: the true loss is usually smaller, never larger.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::WordList;
    ///
    /// let list = WordList::from_words("demo", ["a", "b", "ab", "c"])?;
    /// // Space-separated: 2 bits a word. Joined: "a"+"b" = "ab", and up to
    /// // P = 2 words ("a", "ab") start at one place: 2k - (k-1) bits.
    /// assert_eq!(list.lint(" ")?.entropy_bits(3), 6.0);
    /// assert_eq!(list.lint("")?.entropy_bits(3), 4.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn entropy_bits(&self, words: usize) -> f64 {
        if words == 0 {
            return 0.0;
        }
        let k = words as f64;
        k * self.bits_per_word() - (k - 1.0) * self.ambiguity_loss_per_word()
    }

    /// `log2(P)` for an ambiguous list, 0 otherwise.
    fn ambiguity_loss_per_word(&self) -> f64 {
        match &self.decodability {
            Decodability::Unique => 0.0,
            Decodability::Ambiguous {
                longest_prefix_chain,
                ..
            } => (*longest_prefix_chain as f64).log2(),
        }
    }

    /// The fewest words whose [`entropy_bits`](Self::entropy_bits) is at
    /// least `bits`, and that entropy.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for `bits` of 0 or above
    /// [`MAX_BITS`](secrets_kit::strength::MAX_BITS);
    /// [`ErrorKind::Unsatisfiable`] when no number of words reaches `bits`
    /// (a list so ambiguous that each word adds nothing).
    ///
    /// # Examples
    ///
    /// ```
    /// let report = secrets_kit_gen::wordlist::WordList::eff_long().lint(" ")?;
    /// assert_eq!(report.words_for_bits(77)?.length, 6); // 77.55 bits
    /// assert_eq!(report.words_for_bits(78)?.length, 7);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn words_for_bits(&self, bits: u64) -> Result<Strength> {
        check_bits(bits)?;
        let loss = self.ambiguity_loss_per_word();
        if loss == 0.0 {
            return length_for_bits(self.distinct, bits);
        }
        let gain = self.bits_per_word() - loss;
        let target = bits as f64; // exact: at most 2^48
        if gain <= 1e-12 {
            if self.entropy_bits(1) >= target {
                return Ok(Strength {
                    length: 1,
                    bits: self.entropy_bits(1),
                });
            }
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!(
                    "word list {} cannot reach {bits} bits when words are joined with {}: \
                     it is so ambiguous that more words add no entropy; use a separator",
                    self.origin,
                    describe_separator(&self.separator)
                ),
            ));
        }
        let mut words = ((target - loss) / gain).ceil().max(1.0) as usize;
        while words > 1 && self.entropy_bits(words - 1) >= target {
            words -= 1;
        }
        while self.entropy_bits(words) < target {
            words += 1;
        }
        Ok(Strength {
            length: words,
            bits: self.entropy_bits(words),
        })
    }

    /// The problems found, each a [`Warning`] whose text is one line fit
    /// to print; empty when the list is clean.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::Warning;
    ///
    /// let list = secrets_kit_gen::wordlist::WordList::from_words("demo", ["a-b", "c"])?;
    /// let warnings = list.lint("-")?.warnings();
    /// assert!(matches!(&warnings[..], [Warning::ContainsSeparator { words: 1, .. }]));
    /// assert!(warnings[0].to_string().contains("contain the separator"));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if self.exact_duplicates_removed > 0 {
            warnings.push(Warning::DuplicateWords {
                list: self.origin.clone(),
                removed: self.exact_duplicates_removed,
            });
        }
        if let Some(group) = self.folded_duplicates.first() {
            warnings.push(Warning::FoldedDuplicates {
                list: self.origin.clone(),
                merged: self.folded_duplicates.iter().map(|g| g.len() - 1).sum(),
                example: group.clone(),
                distinct: self.distinct,
            });
        }
        if let Some(word) = self.containing_separator.first() {
            warnings.push(Warning::ContainsSeparator {
                list: self.origin.clone(),
                words: self.containing_separator.len(),
                separator: self.separator.clone(),
                example: word.clone(),
            });
        }
        if let Decodability::Ambiguous {
            first,
            second,
            longest_prefix_chain,
        } = &self.decodability
        {
            warnings.push(Warning::Ambiguous {
                list: self.origin.clone(),
                separator: self.separator.clone(),
                first: first.clone(),
                second: second.clone(),
                distinct: self.distinct,
                longest_prefix_chain: *longest_prefix_chain,
            });
        }
        warnings
    }
}

impl fmt::Display for LintReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "word list: {}", self.origin)?;
        writeln!(
            f,
            "words: {} distinct ({} exact duplicate(s) removed while loading)",
            self.words, self.exact_duplicates_removed
        )?;
        write!(
            f,
            "after case-folding and NFC: {} distinct ({} group(s) merged)",
            self.distinct,
            self.folded_duplicates.len()
        )?;
        for group in self.folded_duplicates.iter().take(SHOWN) {
            write!(f, "\n  same word: {}", quote_all(group, ", "))?;
        }
        more(f, self.folded_duplicates.len())?;
        writeln!(f)?;
        write!(
            f,
            "separator: {:?}{}; {} word(s) contain it",
            self.separator,
            if self.capitalize {
                ", words capitalised"
            } else {
                ""
            },
            self.containing_separator.len()
        )?;
        for word in self.containing_separator.iter().take(SHOWN) {
            write!(f, "\n  contains the separator: {word:?}")?;
        }
        more(f, self.containing_separator.len())?;
        writeln!(f)?;
        match &self.decodability {
            Decodability::Unique => {
                writeln!(
                    f,
                    "uniquely decodable: yes (every phrase splits back one way)"
                )?;
            }
            Decodability::Ambiguous {
                first,
                second,
                longest_prefix_chain,
            } => {
                writeln!(
                    f,
                    "uniquely decodable: no ({} = {}; up to {longest_prefix_chain} words start \
                     at one place)",
                    quote_all(first, " + "),
                    quote_all(second, " + ")
                )?;
            }
        }
        let six = self.entropy_bits(6);
        write!(
            f,
            "entropy: {:.3} bits per word; 6 words give {six:.2} bits",
            self.bits_per_word()
        )?;
        for warning in self.warnings() {
            write!(f, "\nwarning: {warning}")?;
        }
        Ok(())
    }
}

fn more(f: &mut fmt::Formatter<'_>, total: usize) -> fmt::Result {
    if total > SHOWN {
        write!(f, "\n  ... and {} more", total - SHOWN)?;
    }
    Ok(())
}

/// The key under which two words count as the same: Unicode's canonical
/// caseless match (D145): `NFD(casefold(NFD(w)))`, recomposed to NFC.
///
/// Full case-folding (the `caseless` crate, from Unicode's
/// `CaseFolding.txt`) rather than `to_lowercase`: folding is what Unicode
/// defines for caseless comparison, and it merges pairs that lowercasing
/// keeps apart, such as "STRASSE" and "straße", or final and medial sigma.
fn fold_key(word: &str) -> Result<String, NoRoom> {
    let decomposed = try_collect_string(word.nfd(), KEYS)?;
    try_collect_string(
        caseless::default_case_fold_str(&decomposed).nfd().nfc(),
        KEYS,
    )
}

const KEYS: &str = "the fold keys of a word list";

/// How a word appears in a phrase: as given, or with its first letter
/// upper-cased.
fn display_form(word: &str, form: WordForm) -> Result<String, NoRoom> {
    const FORMS: &str = "the words of a word list as shown";
    if form == WordForm::AsListed {
        return try_string(word, FORMS);
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => try_collect_string(first.to_uppercase().chain(chars), FORMS),
        None => Ok(String::new()),
    }
}

/// Lints `list` and returns the report and the words to draw from: one per
/// group of words that fold together, in display form.
///
/// Every allocation is fallible (a list of millions of words needs several
/// times its size here); running out is a `TooLarge` error, made once this
/// function's structures are freed.
pub(super) fn analyse(
    list: &WordList,
    separator: &str,
    form: WordForm,
) -> Result<(LintReport, Vec<String>)> {
    super::constrained::check_separator(separator)?;
    Ok(try_analyse(list, separator, form)?)
}

fn try_analyse(
    list: &WordList,
    separator: &str,
    form: WordForm,
) -> std::result::Result<(LintReport, Vec<String>), NoRoom> {
    const GROUPS: &str = "the fold groups of a word list";
    let words = list.len();
    // Group by fold key of the display form, keeping first occurrences:
    // the group of each word, the size of each group, and one display form
    // per group to draw from. Distinct keys give distinct forms (equal
    // forms have equal keys), so `draw` has no repeats.
    let mut group_of_word: Vec<usize> = Vec::new();
    group_of_word
        .try_reserve_exact(words)
        .room(words * size_of::<usize>(), GROUPS)?;
    let mut sizes: Vec<usize> = Vec::new();
    let mut draw: Vec<String> = Vec::new();
    {
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for word in list.words() {
            let shown = display_form(word, form)?;
            let key = fold_key(&shown)?;
            let group = match group_of.get(&key) {
                Some(&group) => group,
                None => {
                    let group = draw.len();
                    let bytes = (group + 1) * size_of::<(String, usize, String)>();
                    group_of.try_reserve(1).room(bytes, GROUPS)?;
                    draw.try_reserve(1).room(bytes, GROUPS)?;
                    sizes.try_reserve(1).room(bytes, GROUPS)?;
                    group_of.insert(key, group);
                    draw.push(shown);
                    sizes.push(0);
                    group
                }
            };
            sizes[group] += 1;
            group_of_word.push(group);
        }
    }

    // The groups of more than one word, in order of their first word.
    const FOLDED: &str = "the case-folded duplicates of a word list";
    let mut folded_duplicates: Vec<Vec<String>> = Vec::new();
    let mut slot_of_group: HashMap<usize, usize> = HashMap::new();
    for (word, &group) in list.words().zip(&group_of_word) {
        if sizes[group] < 2 {
            continue;
        }
        let slot = match slot_of_group.get(&group) {
            Some(&slot) => slot,
            None => {
                let slot = folded_duplicates.len();
                let bytes = (slot + 1) * size_of::<Vec<String>>();
                slot_of_group.try_reserve(1).room(bytes, FOLDED)?;
                folded_duplicates.try_reserve(1).room(bytes, FOLDED)?;
                slot_of_group.insert(group, slot);
                folded_duplicates.push(Vec::new());
                slot
            }
        };
        let members = &mut folded_duplicates[slot];
        members
            .try_reserve(1)
            .room(sizes[group] * size_of::<String>(), FOLDED)?;
        members.push(try_string(word, FOLDED)?);
    }
    drop(slot_of_group);
    drop(group_of_word);

    const CONTAINING: &str = "the words that contain the separator";
    let mut containing_separator: Vec<String> = Vec::new();
    if !separator.is_empty() {
        for word in list.words().filter(|w| w.contains(separator)) {
            containing_separator.try_reserve(1).room(
                (containing_separator.len() + 1) * size_of::<String>(),
                CONTAINING,
            )?;
            containing_separator.push(try_string(word, CONTAINING)?);
        }
    }

    const CODE: &str = "the codewords of a word list";
    let mut codewords: Vec<Vec<u8>> = Vec::new();
    codewords
        .try_reserve_exact(draw.len())
        .room(draw.len() * size_of::<Vec<u8>>(), CODE)?;
    for word in &draw {
        let len = word.len() + separator.len();
        let mut codeword = Vec::new();
        codeword.try_reserve_exact(len).room(len, CODE)?;
        codeword.extend_from_slice(word.as_bytes());
        codeword.extend_from_slice(separator.as_bytes());
        codewords.push(codeword);
    }
    let mut code: Vec<&[u8]> = Vec::new();
    code.try_reserve_exact(codewords.len())
        .room(codewords.len() * size_of::<&[u8]>(), CODE)?;
    code.extend(codewords.iter().map(Vec::as_slice));
    let decodability = match decode::check(&code)? {
        Outcome::Unique => Decodability::Unique,
        Outcome::Ambiguous(first, second) => {
            let copy = |indices: Vec<usize>| {
                let mut words = Vec::new();
                words
                    .try_reserve_exact(indices.len())
                    .room(indices.len() * size_of::<String>(), CODE)?;
                for i in indices {
                    words.push(try_string(&draw[i], CODE)?);
                }
                Ok::<_, NoRoom>(words)
            };
            Decodability::Ambiguous {
                first: copy(first)?,
                second: copy(second)?,
                longest_prefix_chain: decode::longest_prefix_chain(&code)?,
            }
        }
    };

    let report = LintReport {
        origin: list.origin().to_owned(),
        separator: separator.to_owned(),
        capitalize: form == WordForm::Capitalized,
        words: list.len(),
        exact_duplicates_removed: list.duplicates_removed(),
        folded_duplicates,
        distinct: draw.len(),
        containing_separator,
        decodability,
    };
    Ok((report, draw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wordlist::EmbeddedList;

    #[test]
    fn folding_merges_case_and_normalisation_variants() {
        assert_eq!(fold_key("Apple").unwrap(), fold_key("aPPLE").unwrap());
        assert_eq!(fold_key("STRASSE").unwrap(), fold_key("straße").unwrap());
        // U+00E9 and e + U+0301 are canonically equivalent.
        assert_eq!(
            fold_key("caf\u{e9}").unwrap(),
            fold_key("cafe\u{301}").unwrap()
        );
        assert_eq!(
            fold_key("CAF\u{c9}").unwrap(),
            fold_key("cafe\u{301}").unwrap()
        );
        assert_ne!(fold_key("cafe").unwrap(), fold_key("café").unwrap());
    }

    #[test]
    fn report_counts_groups_and_draws_one_per_group() {
        let list = WordList::from_words(
            "t",
            [
                "Apple",
                "apple",
                "APPLE",
                "caf\u{e9}",
                "cafe\u{301}",
                "pear",
                "x y",
            ],
        )
        .unwrap();
        let (report, draw) = analyse(&list, " ", WordForm::AsListed).unwrap();
        assert_eq!(report.words, 7);
        assert_eq!(report.distinct, 4);
        assert_eq!(draw, ["Apple", "caf\u{e9}", "pear", "x y"]);
        assert_eq!(report.folded_duplicates.len(), 2);
        assert_eq!(report.containing_separator, ["x y"]);
        // "x y " = "x y " only; "x" is not a word, so still decodable.
        assert_eq!(report.decodability, Decodability::Unique);
        assert_eq!(report.warnings().len(), 2);
        assert_eq!(report.entropy_bits(3), 6.0);
    }

    #[test]
    fn capitalised_display_forms_are_drawn_and_checked() {
        let list = WordList::from_words("t", ["apple", "pear"]).unwrap();
        let (report, draw) = analyse(&list, "", WordForm::Capitalized).unwrap();
        assert_eq!(draw, ["Apple", "Pear"]);
        assert_eq!(report.decodability, Decodability::Unique);
        // Capitals mark where words start: "a"/"ab"/"b" joined is
        // ambiguous, "A"/"Ab"/"B" is not.
        let list = WordList::from_words("t", ["a", "ab", "b"]).unwrap();
        assert!(matches!(
            analyse(&list, "", WordForm::AsListed)
                .unwrap()
                .0
                .decodability,
            Decodability::Ambiguous { .. }
        ));
        assert_eq!(
            analyse(&list, "", WordForm::Capitalized)
                .unwrap()
                .0
                .decodability,
            Decodability::Unique
        );
    }

    #[test]
    fn entropy_rule_and_word_counts() {
        let list = WordList::from_words("t", ["a", "b", "ab", "c"]).unwrap();
        let report = list.lint("").unwrap();
        match &report.decodability {
            Decodability::Ambiguous {
                longest_prefix_chain,
                ..
            } => assert_eq!(*longest_prefix_chain, 2),
            Decodability::Unique => panic!("ambiguous list passed"),
        }
        assert_eq!(report.entropy_bits(1), 2.0);
        assert_eq!(report.entropy_bits(4), 5.0);
        let s = report.words_for_bits(5).unwrap();
        assert_eq!((s.length, s.bits), (4, 5.0));
        let s = report.words_for_bits(6).unwrap();
        assert_eq!((s.length, s.bits), (5, 6.0));
        // Space-separated, the same list is clean.
        let s = list.lint(" ").unwrap().words_for_bits(6).unwrap();
        assert_eq!((s.length, s.bits), (3, 6.0));
    }

    #[test]
    fn a_chain_list_cannot_reach_many_bits_joined() {
        let list = WordList::from_words("chain", ["a", "aa"]).unwrap();
        let report = list.lint("").unwrap();
        assert_eq!(report.words_for_bits(1).unwrap().length, 1);
        let err = report.words_for_bits(2).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
    }

    #[test]
    fn embedded_lists_with_spaces_are_clean() {
        let report = WordList::eff_long().lint(" ").unwrap();
        assert!(report.warnings().is_empty(), "{report}");
        assert_eq!(report.words_for_bits(75).unwrap().length, 6);
    }

    #[test]
    fn eff_lists_are_prefix_free_so_joined_phrases_decode() {
        for list in [
            EmbeddedList::EffLong,
            EmbeddedList::EffShort1,
            EmbeddedList::EffShort2,
        ] {
            let report = WordList::embedded(list).lint("").unwrap();
            assert_eq!(report.decodability, Decodability::Unique, "{list}");
            let words = WordList::embedded(list);
            let code: Vec<&[u8]> = words.words().map(str::as_bytes).collect();
            assert_eq!(decode::longest_prefix_chain(&code).unwrap(), 1, "{list}");
        }
    }

    #[test]
    fn reinhold_joined_without_separator_is_ambiguous() {
        // Reinhold's list has "a", "aa", "aaa" and many other prefixes.
        let report = WordList::embedded(EmbeddedList::Reinhold).lint("").unwrap();
        match &report.decodability {
            Decodability::Ambiguous { first, second, .. } => {
                assert_eq!(first.concat(), second.concat());
                assert_ne!(first, second);
            }
            Decodability::Unique => panic!("Reinhold's list joined must be ambiguous"),
        }
        assert!(report.entropy_bits(6) < 6.0 * report.bits_per_word());
        assert!(
            report.to_string().contains("uniquely decodable: no"),
            "{report}"
        );
    }
}
