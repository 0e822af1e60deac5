//! Passphrases that a site's rules accept, and the common asks ("include a
//! number", a symbol, random capitals, a length limit), drawn uniformly
//! from the phrases of one structure with the exact count of that
//! structure.
//!
//! A structure is: `k` words from the list (only words of two or more
//! lower-case ASCII letters, so case changes and inserted characters can
//! always be told apart from the words); a case rule (as listed, every word
//! capitalised, exactly one word capitalised, each word capitalised or not,
//! or every word in capitals); the separators (one fixed text, or each
//! separator drawn from a set of characters, or none); and insertions, each
//! one character from a set appended to one of the words. With rules, the
//! fewest transformations that guarantee every `required` set are chosen,
//! in this order: capitals where a set needs upper case, separators drawn
//! from the first unmet set, then one inserted character per set still
//! unmet. Words whose characters are not all allowed, or that repeat a
//! letter more than `max-consecutive` allows, are left out; `minlength`,
//! `maxlength` and [`PhraseOptions::max_length`] bound the total length.
//!
//! Every construction is equally likely: the word sequence is unranked
//! uniformly among those whose total length fits, and the other choices
//! are drawn uniformly and independently. Distinct constructions give
//! distinct phrases whenever the separators are not empty (separators and
//! inserted characters are not letters, and the inserted sets are
//! disjoint), so the count is the number of phrases and the entropy
//! `log2` of it. Joined phrases (no separator) can collide when the list
//! cannot always be split back; the entropy is then lowered by the word
//! list lint's bound ([`LintReport::entropy_bits`](super::LintReport::entropy_bits)).

use std::fmt;

use num_bigint::BigUint;
use num_traits::Zero;

use super::WordList;
use crate::charset::{ASCII_PRINTABLE, DIGITS, LOWER, SYMBOLS, UPPER};
use crate::engine::{Automaton, Limits, Step, Table, log2};
use crate::password::{ParsedRules, parse_rules};
use crate::room::{NoRoom, Room as _, try_string};
use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result, with_source};

/// The most words a passphrase may have, from either engine (64 words of
/// the EFF long list are 827 bits).
pub const MAX_PHRASE_WORDS: usize = 64;

/// The longest separator, in characters, that a passphrase or a word
/// list's check takes. Each word of the list is checked joined to the
/// separator, so the separator's length multiplies the list's size (a
/// 10 MB separator with the EFF long list would be 78 GB of checks).
///
/// # Examples
///
/// ```
/// use secrets_kit::ErrorKind;
/// use secrets_kit_gen::wordlist::{MAX_SEPARATOR_CHARS, PhraseOptions, WordList};
///
/// let list = WordList::eff_long();
/// let longest = "-".repeat(MAX_SEPARATOR_CHARS);
/// let phrase = PhraseOptions::new().separator(&longest).passphrases(&list, Some(4), None)?.generate()?;
/// assert_eq!(phrase.matches(longest.as_str()).count(), 3);
/// let longer = "-".repeat(MAX_SEPARATOR_CHARS + 1);
/// let err = PhraseOptions::new().separator(&longer).passphrases(&list, Some(4), None).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidValue);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const MAX_SEPARATOR_CHARS: usize = 32;

/// Refuses a separator longer than [`MAX_SEPARATOR_CHARS`].
pub(crate) fn check_separator(separator: &str) -> Result<()> {
    let chars = separator.chars().count();
    if chars > MAX_SEPARATOR_CHARS {
        return Err(Error::invalid(format!(
            "a separator of {chars} characters was given; the most is {MAX_SEPARATOR_CHARS}"
        )));
    }
    Ok(())
}

/// How the words of a phrase are capitalised.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{Capitalize, PhraseOptions, WordList};
///
/// let generator = PhraseOptions::new().capitalize(Capitalize::Random).generator(&WordList::eff_long(), Some(4), None)?;
/// assert_eq!(generator.phrase_words(), 4);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capitalize {
    /// As the list has them (lower case).
    AsListed,
    /// Every word starts with a capital.
    All,
    /// Exactly one word, chosen uniformly, starts with a capital.
    One,
    /// Each word starts with a capital or not, independently (one bit a
    /// word).
    Random,
    /// Every word in capitals (when the rules allow no lower case).
    Upper,
}

/// What a phrase must look like: the base separator, capitals, a digit or
/// symbol, a length limit and a site's `passwordrules`.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
///
/// let rules = "minlength: 12; maxlength: 32; required: upper; required: digit; allowed: lower, [-]";
/// let generator = PhraseOptions::new().rules(rules).generator(&WordList::eff_long(), None, None)?;
/// let phrase = generator.generate()?;
/// assert!(phrase.len() <= 32);
/// assert!(phrase.chars().any(|c| c.is_ascii_uppercase()));
/// assert!(phrase.chars().any(|c| c.is_ascii_digit()));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseOptions {
    // Read by `PhraseOptions::passphrases` (in `passphrase.rs`), which
    // picks the engine.
    pub(super) separator: String,
    pub(super) capitalize: Capitalize,
    pub(super) digit: bool,
    pub(super) symbol: bool,
    pub(super) max_length: Option<usize>,
    pub(super) rules: Option<String>,
}

impl Default for PhraseOptions {
    fn default() -> Self {
        PhraseOptions {
            separator: " ".to_owned(),
            capitalize: Capitalize::AsListed,
            digit: false,
            symbol: false,
            max_length: None,
            rules: None,
        }
    }
}

/// How the separators are made.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Separators {
    Fixed(String),
    Drawn(Vec<char>),
}

impl PhraseOptions {
    /// Space-separated words as listed, no rules.
    ///
    /// # Examples
    ///
    /// ```
    /// let options = secrets_kit_gen::wordlist::PhraseOptions::new();
    /// # let _ = options;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The text between words when the rules do not call for drawn
    /// separators (default a space).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrase = PhraseOptions::new().separator(".").digit(true).generator(&WordList::eff_long(), Some(3), None)?.generate()?;
    /// assert_eq!(phrase.split('.').count(), 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn separator(mut self, separator: &str) -> Self {
        self.separator = separator.to_owned();
        self
    }

    /// The capitalisation (rules may need more; see the module docs).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{Capitalize, PhraseOptions, WordList};
    /// let phrase = PhraseOptions::new().capitalize(Capitalize::All).generator(&WordList::eff_long(), Some(3), None)?.generate()?;
    /// assert!(phrase.split(' ').all(|w| w.starts_with(|c: char| c.is_ascii_uppercase())));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn capitalize(mut self, capitalize: Capitalize) -> Self {
        self.capitalize = capitalize;
        self
    }

    /// Appends one digit to one word (both chosen uniformly).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrase = PhraseOptions::new().digit(true).generator(&WordList::eff_long(), Some(4), None)?.generate()?;
    /// assert_eq!(phrase.chars().filter(char::is_ascii_digit).count(), 1);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn digit(mut self, digit: bool) -> Self {
        self.digit = digit;
        self
    }

    /// Appends one ASCII punctuation character to one word.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrase = PhraseOptions::new().symbol(true).generator(&WordList::eff_long(), Some(4), None)?.generate()?;
    /// assert_eq!(phrase.chars().filter(|c| c.is_ascii_punctuation()).count(), 1);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn symbol(mut self, symbol: bool) -> Self {
        self.symbol = symbol;
        self
    }

    /// At most `max` characters in all.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let generator = PhraseOptions::new().max_length(30).generator(&WordList::eff_long(), Some(4), None)?;
    /// assert!(generator.generate()?.chars().count() <= 30);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn max_length(mut self, max: usize) -> Self {
        self.max_length = Some(max);
        self
    }

    /// A site's rules in the `passwordrules` syntax.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrase = PhraseOptions::new().rules("required: special; allowed: lower").generator(&WordList::eff_long(), Some(4), None)?.generate()?;
    /// assert!(phrase.chars().any(|c| c.is_ascii_punctuation()));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn rules(mut self, rules: &str) -> Self {
        self.rules = Some(rules.to_owned());
        self
    }

    /// Works out the structure and counts its phrases. `words` fixes the
    /// number of words; otherwise the fewest reaching `bits` (default
    /// [`DEFAULT_PASSPHRASE_BITS`](super::DEFAULT_PASSPHRASE_BITS)) are
    /// used, or, when the length limits allow no more and no `bits` was
    /// given, the number with the most entropy.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`] for malformed rules; [`ErrorKind::Unsatisfiable`]
    /// when no phrase of this structure meets the rules (the message names
    /// the clash), or `bits` is out of reach; [`ErrorKind::InvalidValue`]
    /// for 0 or more than [`MAX_PHRASE_WORDS`] words, or a separator longer
    /// than [`MAX_SEPARATOR_CHARS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::ErrorKind;
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    ///
    /// let err = PhraseOptions::new().rules("allowed: digit").generator(&WordList::eff_long(), None, None).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generator(
        &self,
        list: &WordList,
        words: Option<usize>,
        bits: Option<u64>,
    ) -> Result<PhraseGenerator> {
        check_separator(&self.separator)?;
        let rules = match &self.rules {
            Some(text) => Some(parse_rules(text)?),
            None => None,
        };
        Plan::new(self, rules.as_ref(), list)?.generator(words, bits)
    }
}

/// The structure, before the number of words is chosen.
struct Plan {
    case: Capitalize,
    separators: Separators,
    insertions: Vec<Vec<char>>,
    /// Words by length (index = length in characters).
    by_length: Vec<Vec<String>>,
    min_total: usize,
    max_total: Option<usize>,
    /// `log2(P)` of the lint when phrases are joined and can collide.
    collision_loss: f64,
    transformations: Vec<String>,
    needs_two_words: bool,
    origin: String,
}

fn refuse(why: String) -> Error {
    Error::new(ErrorKind::Unsatisfiable, format!("passphrase: {why}"))
}

/// A set a phrase still has to show a character of: where the ask came
/// from (a rule's text, or `--digit`, `--symbol`) and its characters.
type Unmet = (String, Vec<char>);

/// The rules as [`Plan::new`] consults them, and the transformations
/// chosen so far, in the order they are chosen.
struct Draft<'a> {
    rules: Option<&'a ParsedRules>,
    max_run: Option<usize>,
    transformations: Vec<String>,
}

impl Draft<'_> {
    /// May a phrase contain `c`?
    fn allowed(&self, c: char) -> bool {
        self.rules
            .is_none_or(|r| r.allowed.binary_search(&c).is_ok())
    }

    fn note(&mut self, transformation: String) {
        self.transformations.push(transformation);
    }

    /// Step 1: capitals throughout when the rules allow no lower case.
    /// Returns the case and whether any upper case is allowed.
    fn case_for_letters(&mut self, asked: Capitalize) -> Result<(Capitalize, bool)> {
        let any_lower = LOWER.chars().any(|c| self.allowed(c));
        let any_upper = UPPER.chars().any(|c| self.allowed(c));
        if any_lower {
            return Ok((asked, any_upper));
        }
        if !any_upper {
            return Err(refuse(
                "the rules allow no letters, and words are made of letters".to_owned(),
            ));
        }
        self.note("every word in capitals (no lower case allowed)".to_owned());
        Ok((Capitalize::Upper, any_upper))
    }

    /// Step 2: the `required` sets the case meets, or meets once one or
    /// every word is capitalised; returns those it leaves unmet.
    fn meet_required_by_case(&mut self, case: &mut Capitalize) -> Vec<Unmet> {
        let mut unmet = Vec::new();
        let Some(rules) = self.rules else {
            return unmet;
        };
        for (origin, set) in &rules.required {
            let all_in = |letters: &str| letters.chars().all(|c| set.binary_search(&c).is_ok());
            let met_by_case = match *case {
                Capitalize::Upper => all_in(UPPER),
                Capitalize::All | Capitalize::One => all_in(UPPER) || all_in(LOWER),
                Capitalize::AsListed | Capitalize::Random => all_in(LOWER),
            };
            if met_by_case {
                continue;
            }
            if all_in(UPPER) && *case == Capitalize::AsListed {
                *case = Capitalize::One;
                self.note(format!("one word capitalised (for `{origin}`)"));
                continue;
            }
            if all_in(UPPER) && *case == Capitalize::Random {
                *case = Capitalize::All;
                self.note(format!("every word capitalised (for `{origin}`)"));
                continue;
            }
            unmet.push((origin.clone(), set.clone()));
        }
        unmet
    }

    /// Step 3: `--digit` and `--symbol`, as sets to meet, within what the
    /// rules allow.
    fn asked_characters(&self, options: &PhraseOptions) -> Vec<Unmet> {
        let restrict =
            |chars: &str| -> Vec<char> { chars.chars().filter(|&c| self.allowed(c)).collect() };
        let mut asked = Vec::new();
        if options.digit {
            asked.push(("--digit".to_owned(), restrict(DIGITS)));
        }
        if options.symbol {
            asked.push(("--symbol".to_owned(), restrict(SYMBOLS)));
        }
        asked
    }

    /// Step 4: the requested separator if the rules allow it; else drawn
    /// from the first set still unmet (which it then meets, given two
    /// words or more), or from every allowed non-letter; else none.
    /// Returns the separators and whether they meet a set.
    fn separators(
        &mut self,
        options: &PhraseOptions,
        unmet: &mut Vec<Unmet>,
    ) -> (Separators, bool) {
        let separator_ok = options.separator.chars().all(|c| self.allowed(c))
            && (self.max_run.is_none() || options.separator.chars().count() <= 1)
            && !options
                .separator
                .chars()
                .any(|c| c.is_ascii_alphabetic() && self.max_run.is_some());
        if self.rules.is_none() || separator_ok {
            return (Separators::Fixed(options.separator.clone()), false);
        }
        let drawable = |c: &char| self.allowed(*c) && non_letter(c);
        let from_unmet = unmet
            .iter()
            .position(|(origin, set)| !origin.starts_with("--") && set.iter().any(drawable));
        let (drawn, note, meets_a_set) = match from_unmet {
            Some(index) => {
                let (origin, set) = unmet.remove(index);
                let drawn: Vec<char> = set.into_iter().filter(drawable).collect();
                let note = format!("separators drawn from the characters of `{origin}`");
                (drawn, Some(note), true)
            }
            None => {
                let all: Vec<char> = ASCII_PRINTABLE.chars().filter(drawable).collect();
                let note = (!all.is_empty()).then(|| {
                    format!(
                        "separators drawn from the allowed non-letters ({:?} is not allowed)",
                        options.separator
                    )
                });
                (all, note, false)
            }
        };
        if let Some(note) = note {
            self.note(note);
        }
        if drawn.is_empty() {
            self.note("words joined with no separator (the rules allow none)".to_owned());
            return (Separators::Fixed(String::new()), meets_a_set);
        }
        (Separators::Drawn(drawn), meets_a_set)
    }

    /// Step 5: one inserted character per set still unmet, from disjoint
    /// sets that share nothing with the separators.
    fn insertions(&mut self, unmet: Vec<Unmet>, separators: &Separators) -> Result<Vec<Vec<char>>> {
        let used_by_separators: Vec<char> = match separators {
            Separators::Fixed(text) => text.chars().collect(),
            Separators::Drawn(set) => set.clone(),
        };
        let mut insertions: Vec<Vec<char>> = Vec::new();
        for (origin, set) in unmet {
            let mut chars: Vec<char> = set
                .into_iter()
                .filter(|c| self.allowed(*c) && non_letter(c) && !used_by_separators.contains(c))
                .filter(|c| !insertions.iter().any(|taken| taken.contains(c)))
                .collect();
            chars.sort_unstable();
            chars.dedup();
            if chars.is_empty() {
                return Err(refuse(format!(
                    "cannot meet {origin}: its allowed characters are letters of the wrong case or \
                     already used as separators or for another requirement; allow more characters"
                )));
            }
            let what = if origin.starts_with("--") {
                origin.clone()
            } else {
                format!("`{origin}`")
            };
            self.note(format!(
                "one character of {} characters appended to one word (for {what})",
                chars.len()
            ));
            insertions.push(chars);
        }
        Ok(insertions)
    }

    /// Step 6: joined words could run a letter across the boundary, so
    /// with a run limit every word starts with a capital.
    fn case_for_joined_words(
        &mut self,
        case: Capitalize,
        any_upper: bool,
        separators: &Separators,
    ) -> Result<Capitalize> {
        let joined = matches!(separators, Separators::Fixed(text) if text.is_empty());
        if !joined || self.max_run.is_none() || case == Capitalize::All {
            return Ok(case);
        }
        if case == Capitalize::Upper || !any_upper {
            return Err(refuse(
                "the rules allow no separator and limit repeated characters, so joined words \
                 could repeat a letter across their boundary; allow a separator character"
                    .to_owned(),
            ));
        }
        self.note("every word capitalised (joined words, max-consecutive)".to_owned());
        Ok(Capitalize::All)
    }

    /// Does every form `case` gives the word use allowed characters only?
    fn forms_allowed(&self, word: &str, case: Capitalize) -> bool {
        let first_upper: String = word.chars().take(1).flat_map(char::to_uppercase).collect();
        let checks_lower = case != Capitalize::Upper;
        let checks_upper_first =
            matches!(case, Capitalize::All | Capitalize::One | Capitalize::Random);
        let lower_ok = !checks_lower
            || word
                .chars()
                .skip(usize::from(case == Capitalize::All))
                .all(|c| self.allowed(c));
        let upper_ok = match case {
            Capitalize::Upper => word.to_ascii_uppercase().chars().all(|c| self.allowed(c)),
            _ => !checks_upper_first || first_upper.chars().all(|c| self.allowed(c)),
        };
        lower_ok && upper_ok
    }

    /// Step 7: the words of plain lower-case letters whose forms and runs
    /// the rules allow, by length, and in list order.
    fn words(
        &mut self,
        list: &WordList,
        case: Capitalize,
    ) -> Result<(Vec<Vec<String>>, Vec<String>)> {
        let usable = |word: &str| {
            let plain = word.len() >= 2 && word.bytes().all(|b| b.is_ascii_lowercase());
            let runs_ok = self.max_run.is_none_or(|max| {
                word.as_bytes()
                    .chunk_by(|a, b| a == b)
                    .all(|run| run.len() <= max)
            });
            plain && runs_ok && self.forms_allowed(word, case)
        };
        let (by_length, kept) = usable_words(list, usable)?;
        if kept.len() < 2 {
            return Err(refuse(format!(
                "only {} word(s) of {} are plain lower-case words the rules allow; a passphrase \
                 needs at least 2",
                kept.len(),
                list.origin()
            )));
        }
        if kept.len() < list.len() {
            let which = if self.rules.is_some() {
                " the rules allow"
            } else {
                ""
            };
            self.note(format!(
                "{} of {} words used (plain lower-case letters{which})",
                kept.len(),
                list.len(),
            ));
        }
        Ok((by_length, kept))
    }
}

/// Can `c` be told apart from the letters of words?
fn non_letter(c: &char) -> bool {
    !c.is_ascii_alphabetic()
}

/// `log2(P)` of the lint when phrases are joined by a fixed text (phrases
/// of `k` words then lose `(k - 1) log2(P)` bits), 0 otherwise.
fn collision_loss(separators: &Separators, case: Capitalize, kept: Vec<String>) -> Result<f64> {
    let Separators::Fixed(text) = separators else {
        return Ok(0.0);
    };
    let kept = WordList::from_words("kept", kept)?;
    let report = if case == Capitalize::All {
        kept.lint_capitalized(text)?
    } else {
        kept.lint(text)?
    };
    Ok(match report.decodability {
        super::Decodability::Unique => 0.0,
        super::Decodability::Ambiguous {
            longest_prefix_chain,
            ..
        } => (longest_prefix_chain as f64).log2(),
    })
}

impl Plan {
    /// Works out the structure in the steps of [`Draft`], in the order
    /// the module documentation gives.
    fn new(options: &PhraseOptions, rules: Option<&ParsedRules>, list: &WordList) -> Result<Self> {
        let mut draft = Draft {
            rules,
            max_run: rules.and_then(|r| r.max_consecutive),
            transformations: Vec::new(),
        };
        let (mut case, any_upper) = draft.case_for_letters(options.capitalize)?;
        let mut unmet = draft.meet_required_by_case(&mut case);
        unmet.extend(draft.asked_characters(options));
        let (separators, needs_two_words) = draft.separators(options, &mut unmet);
        let insertions = draft.insertions(unmet, &separators)?;
        let case = draft.case_for_joined_words(case, any_upper, &separators)?;
        let (by_length, kept) = draft.words(list, case)?;
        let collision_loss = collision_loss(&separators, case, kept)?;
        let max_total = match (rules.and_then(|r| r.max_length), options.max_length) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(Plan {
            case,
            separators,
            insertions,
            by_length,
            min_total: rules.and_then(|r| r.min_length).unwrap_or(0),
            max_total,
            collision_loss,
            transformations: draft.transformations,
            needs_two_words,
            origin: list.origin().to_owned(),
        })
    }

    fn separator_length(&self) -> usize {
        match &self.separators {
            Separators::Fixed(text) => text.chars().count(),
            Separators::Drawn(_) => 1,
        }
    }

    /// The letters' range for `words` words, after separators and
    /// insertions, or `None` when the length limits leave no room.
    fn letter_range(&self, words: usize) -> Option<(usize, usize)> {
        let extra = (words - 1) * self.separator_length() + self.insertions.len();
        let longest_word = self.by_length.len() - 1;
        let high = match self.max_total {
            Some(max) => max.checked_sub(extra)?.min(words * longest_word),
            None => words * longest_word,
        };
        let low = self.min_total.saturating_sub(extra);
        (low <= high).then_some((low, high))
    }

    /// Whether even the shortest phrase of `words` words is over the
    /// maximum length (so every phrase of more words is too).
    fn too_long(&self, words: usize) -> bool {
        let extra = (words - 1) * self.separator_length() + self.insertions.len();
        let shortest_word = self
            .by_length
            .iter()
            .position(|list| !list.is_empty())
            .unwrap_or(0);
        self.max_total
            .is_some_and(|max| words * shortest_word + extra > max)
    }

    /// The word sequences of `words` words whose letters fit the range,
    /// counted by the engine, or `None` when no length fits.
    ///
    /// The automaton: state `r` (`0..=high`) has `r` letters still to
    /// write, and a step per word length `l <= r`, its words as symbols,
    /// leading to `r - l`; only state 0 accepts. The start, state
    /// `high + 1`, first chooses the total, `low` to `high` in that order.
    /// Paths of `words + 1` steps are the sequences, ordered by total
    /// letters, then word by word by length and list order.
    fn sequences(&self, words: usize) -> Result<Option<Table>> {
        let Some((low, high)) = self.letter_range(words) else {
            return Ok(None);
        };
        let mut automaton = Automaton::new(high + 1);
        for remaining in 0..=high {
            let steps = self
                .by_length
                .iter()
                .enumerate()
                .filter(|&(length, list)| !list.is_empty() && length <= remaining)
                .map(|(length, list)| Step {
                    mult: list.len() as u64,
                    next: (remaining - length) as u32,
                    label: length as u32,
                });
            automaton.push_state(remaining == 0, steps);
        }
        let totals = (low..=high).map(|letters| Step {
            mult: 1,
            next: letters as u32,
            label: letters as u32,
        });
        automaton.push_state(false, totals);
        // The size is bounded by MAX_PHRASE_WORDS and the longest word.
        let mut table = Table::new(automaton, Limits::NONE)?;
        table.extend_to(words + 1)?;
        Ok(Some(table))
    }

    /// The constructions of `words` words from `sequences` word sequences:
    /// times the capitals, separators and insertions.
    fn constructions(&self, words: usize, sequences: BigUint) -> BigUint {
        let mut count = sequences;
        count *= match self.case {
            Capitalize::One => BigUint::from(words),
            Capitalize::Random => BigUint::from(1u8) << words,
            _ => BigUint::from(1u8),
        };
        if let Separators::Drawn(set) = &self.separators {
            count *= BigUint::from(set.len()).pow((words - 1) as u32);
        }
        for set in &self.insertions {
            count *= set.len() * words;
        }
        count
    }

    /// The constructions of `words` words and their sequences' table.
    fn structure_count(&self, words: usize) -> Result<(BigUint, Option<Table>)> {
        Ok(match self.sequences(words)? {
            Some(table) => (
                self.constructions(words, table.count(words + 1)),
                Some(table),
            ),
            None => (BigUint::zero(), None),
        })
    }

    fn entropy(&self, count: &BigUint, words: usize) -> f64 {
        log2(count) - (words - 1) as f64 * self.collision_loss
    }

    /// The fewest words whose entropy reaches `bits` (default
    /// [`DEFAULT_PASSPHRASE_BITS`](super::DEFAULT_PASSPHRASE_BITS)), or the
    /// number with the most entropy when the length limits allow no more
    /// and no `bits` was given.
    fn words_for_bits(&self, smallest: usize, bits: Option<u64>) -> Result<usize> {
        let target = bits.unwrap_or(super::DEFAULT_PASSPHRASE_BITS) as f64;
        let mut best: Option<(usize, f64)> = None;
        for words in smallest..=MAX_PHRASE_WORDS {
            let (count, _) = self.structure_count(words)?;
            if count.is_zero() {
                // Too long now is too long with more words; too short (a
                // minimum length one word cannot reach) is not.
                if self.too_long(words) {
                    break;
                }
                continue;
            }
            let entropy = self.entropy(&count, words);
            if best.is_none_or(|(_, b)| entropy > b) {
                best = Some((words, entropy));
            }
            if entropy >= target {
                return Ok(words);
            }
        }
        match best {
            Some((words, _)) if bits.is_none() && self.max_total.is_some() => Ok(words),
            Some((words, entropy)) => Err(refuse(format!(
                "{target} bits are out of reach: the best is {entropy:.2} bits with \
                 {words} words; ask for fewer bits or allow a longer length"
            ))),
            None => Err(refuse(format!(
                "no phrase of words from {} fits the length limits (minlength {}, \
                 maxlength {}); allow a longer length",
                self.origin,
                self.min_total,
                self.max_total.map_or("none".to_owned(), |m| m.to_string())
            ))),
        }
    }

    fn generator(self, words: Option<usize>, bits: Option<u64>) -> Result<PhraseGenerator> {
        let smallest = if self.needs_two_words { 2 } else { 1 };
        let chosen = match words {
            Some(words) if words < smallest || words > MAX_PHRASE_WORDS => {
                return Err(Error::invalid(format!(
                    "a passphrase of {words} words was asked for; use {smallest} to \
                     {MAX_PHRASE_WORDS} (separators carry a required character here, so at \
                     least 2 words are needed when it says 2)"
                )));
            }
            Some(words) => words,
            None => self.words_for_bits(smallest, bits)?,
        };
        let (count, table) = self.structure_count(chosen)?;
        let Some(table) = table.filter(|_| !count.is_zero()) else {
            return Err(refuse(format!(
                "no phrase of {chosen} words fits the length limits (minlength {}, maxlength {}); \
                 use fewer words or allow a longer length",
                self.min_total,
                self.max_total.map_or("none".to_owned(), |m| m.to_string())
            )));
        };
        Ok(PhraseGenerator {
            words: chosen,
            entropy_bits: self.entropy(&count, chosen),
            count,
            table,
            plan: self,
        })
    }
}

/// Draws passphrases of one structure, uniformly; made by
/// [`PhraseOptions::generator`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
///
/// let generator = PhraseOptions::new().rules("maxlength: 24; required: digit; allowed: lower, [-]").generator(&WordList::eff_long(), None, None)?;
/// for line in generator.transformations() {
///     println!("{line}");
/// }
/// let phrase = generator.generate()?;
/// assert!(phrase.chars().count() <= 24);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct PhraseGenerator {
    plan: Plan,
    words: usize,
    count: BigUint,
    /// The word sequences: [`Plan::sequences`].
    table: Table,
    entropy_bits: f64,
}

impl fmt::Debug for PhraseGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhraseGenerator")
            .field("words", &self.words)
            .field("count", &self.count)
            .field("entropy_bits", &self.entropy_bits)
            .finish_non_exhaustive()
    }
}

impl PhraseGenerator {
    /// Draws one phrase from the kernel's randomness.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] if the random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let phrase = PhraseOptions::new().generator(&WordList::eff_long(), Some(5), None)?.generate()?;
    /// assert_eq!(phrase.split(' ').count(), 5);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generate_with(&OsEntropy)
    }

    /// Draws one phrase with randomness from `source`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] if the source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let generator = PhraseOptions::new().digit(true).generator(&WordList::eff_long(), Some(3), None)?;
    /// assert!(generator.generate_with(&OsEntropy)?.chars().any(|c| c.is_ascii_digit()));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        let k = self.words;
        let plan = &self.plan;
        // The words: a uniform rank among the sequences whose length fits.
        // The first step chooses the total number of letters.
        let mut chosen: Vec<&str> = Vec::with_capacity(k);
        let mut total_chosen = false;
        self.table.draw(k + 1, source, |step, which| {
            if total_chosen {
                chosen.push(&plan.by_length[step.label as usize][which]);
            }
            total_chosen = true;
        })?;
        let capitals: Vec<bool> = match plan.case {
            Capitalize::All => vec![true; k],
            Capitalize::One => {
                let one = with_source::randbelow_with(source, k)?;
                (0..k).map(|i| i == one).collect()
            }
            Capitalize::Random => (0..k)
                .map(|_| with_source::randbelow_with(source, 2u8).map(|b| b == 1))
                .collect::<Result<_>>()?,
            Capitalize::AsListed | Capitalize::Upper => vec![false; k],
        };
        let mut appended: Vec<String> = vec![String::new(); k];
        for set in &plan.insertions {
            let word = with_source::randbelow_with(source, k)?;
            let c = set[with_source::randbelow_with(source, set.len())?];
            appended[word].push(c);
        }
        let mut phrase = String::new();
        for (i, word) in chosen.iter().enumerate() {
            if i > 0 {
                match &plan.separators {
                    Separators::Fixed(text) => phrase.push_str(text),
                    Separators::Drawn(set) => {
                        phrase.push(set[with_source::randbelow_with(source, set.len())?])
                    }
                }
            }
            match (plan.case, capitals[i]) {
                (Capitalize::Upper, _) => phrase.push_str(&word.to_ascii_uppercase()),
                (_, true) => {
                    phrase.push_str(&word[..1].to_ascii_uppercase());
                    phrase.push_str(&word[1..]);
                }
                (_, false) => phrase.push_str(word),
            }
            phrase.push_str(&appended[i]);
        }
        Ok(phrase)
    }

    /// The number of words in each phrase.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// assert_eq!(PhraseOptions::new().generator(&WordList::eff_long(), None, None)?.phrase_words(), 6);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn phrase_words(&self) -> usize {
        self.words
    }

    /// The exact number of constructions of this structure (phrases, when
    /// they cannot collide).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let list = WordList::from_words("demo", ["alpha", "bravo", "charlie"])?;
    /// let generator = PhraseOptions::new().generator(&list, Some(2), None)?;
    /// assert_eq!(generator.count().to_string(), "9");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn count(&self) -> &BigUint {
        &self.count
    }

    /// The entropy in bits: `log2` of [`count`](Self::count), lowered by
    /// the lint's bound when joined phrases can collide.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let generator = PhraseOptions::new().digit(true).generator(&WordList::eff_long(), Some(6), None)?;
    /// // 6 of the 7772 plain EFF words (4 have a hyphen), and a digit (10)
    /// // after one of the 6 words: 6 log2(7772) + log2(60).
    /// let expected = 6.0 * 7772f64.log2() + 60f64.log2();
    /// assert!((generator.entropy_bits() - expected).abs() < 1e-9);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn entropy_bits(&self) -> f64 {
        self.entropy_bits
    }

    /// What was done to the words, one line each, for the user.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{PhraseOptions, WordList};
    /// let generator = PhraseOptions::new().rules("required: upper; allowed: lower").generator(&WordList::eff_long(), None, None)?;
    /// assert!(generator.transformations().iter().any(|t| t.contains("one word capitalised")));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn transformations(&self) -> &[String] {
        &self.plan.transformations
    }
}

/// The words of `list` that pass `usable`, grouped by length and in list
/// order, each copied fallibly: running out is a [`NoRoom`], which the
/// caller turns into an error once these copies are freed.
fn usable_words(
    list: &WordList,
    usable: impl Fn(&str) -> bool,
) -> std::result::Result<(Vec<Vec<String>>, Vec<String>), NoRoom> {
    const KEPT: &str = "the usable words of a word list";
    let mut by_length: Vec<Vec<String>> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for word in list.words().filter(|word| usable(word)) {
        if by_length.len() <= word.len() {
            let more = word.len() + 1 - by_length.len();
            by_length
                .try_reserve(more)
                .room((word.len() + 1) * size_of::<Vec<String>>(), KEPT)?;
            by_length.resize(word.len() + 1, Vec::new());
        }
        let bytes = (kept.len() + 1) * (2 * size_of::<String>() + word.len());
        let same_length = &mut by_length[word.len()];
        same_length.try_reserve(1).room(bytes, KEPT)?;
        kept.try_reserve(1).room(bytes, KEPT)?;
        same_length.push(try_string(word, KEPT)?);
        kept.push(try_string(word, KEPT)?);
    }
    Ok((by_length, kept))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::naive::{constructions, satisfies};

    fn list(words: &[&'static str]) -> WordList {
        WordList::from_words("test", words.iter().copied()).unwrap()
    }

    #[test]
    fn real_rules_give_valid_phrases_with_few_transformations() {
        let eff = WordList::eff_long();
        // The last four: a minimum length no single word reaches is met by
        // more words, with or without a word count given (the search for
        // the default count once stopped at the first count too short).
        for (rules_text, words) in [
            (
                "minlength: 8; maxlength: 20; required: lower; required: upper; required: digit; allowed: [-]",
                None,
            ),
            (
                "minlength: 12; required: lower; required: upper; required: digit; required: special",
                None,
            ),
            ("maxlength: 16; required: digit; allowed: lower", None),
            (
                "minlength: 10; maxlength: 30; max-consecutive: 2; required: lower, upper; required: digit",
                None,
            ),
            ("allowed: lower, upper; max-consecutive: 1", None),
            ("minlength: 20", None),
            ("minlength: 60", None),
            ("minlength: 20", Some(3)),
            ("minlength: 20; maxlength: 24", None),
        ] {
            let rules = parse_rules(rules_text).unwrap();
            let generator = PhraseOptions::new()
                .rules(rules_text)
                .generator(&eff, words, None)
                .unwrap();
            for _ in 0..200 {
                let phrase = generator.generate().unwrap();
                assert!(satisfies(&phrase, &rules), "{rules_text}: {phrase:?}");
            }
            assert!(
                generator.transformations().len() <= 4,
                "{:?}",
                generator.transformations()
            );
        }
    }

    #[test]
    fn joined_phrases_lose_what_the_lint_says() {
        // "a"+"b" = "ab": no separator is allowed and the list is ambiguous.
        let word_list = list(&["ab", "abab", "cd", "cdcd"]);
        let generator = PhraseOptions::new()
            .rules("allowed: lower")
            .generator(&word_list, Some(3), None)
            .unwrap();
        let all = constructions(
            &["ab", "abab", "cd", "cdcd"],
            3,
            Capitalize::AsListed,
            &[String::new()],
            &[],
            0,
            usize::MAX,
        );
        let distinct = all.iter().collect::<HashSet<_>>().len();
        assert!(distinct < all.len());
        assert_eq!(generator.count(), &BigUint::from(all.len()));
        // The figure is below log2 of the constructions and, as a bound
        // on the most likely phrase, at most log2 of the distinct phrases.
        assert!(generator.entropy_bits() < (all.len() as f64).log2());
        assert!(generator.entropy_bits() <= (distinct as f64).log2());
    }

    #[test]
    fn impossible_rules_are_clean_refusals() {
        let eff = WordList::eff_long();
        for (rules, needle) in [
            ("allowed: digit", "no letters"),
            ("maxlength: 1; allowed: lower", "length"),
            ("required: [A]; allowed: lower", "cannot meet"),
        ] {
            let err = PhraseOptions::new()
                .rules(rules)
                .generator(&eff, None, None)
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsatisfiable, "{rules}");
            assert!(err.to_string().contains(needle), "{rules}: {err}");
        }
        assert!(PhraseOptions::new().generator(&eff, Some(0), None).is_err());
    }
}
