//! Word lists, their linting, and passphrases whose entropy figure is
//! honest.
//!
//! - [`WordList`]: an embedded list ([`EmbeddedList`], from the
//!   `diceware_wordlists` crate; the EFF long list is the default) or a
//!   user's file, one word per line. Words are trimmed, blank lines skipped
//!   and exact duplicates removed and counted, since a repeated word would
//!   be drawn more often than the others.
//! - [`LintReport`] ([`WordList::lint`]): duplicates after Unicode
//!   case-folding and NFC normalisation, words containing the separator,
//!   and whether joined phrases can be split back into words (the
//!   Sardinas–Patterson test), with the entropy the list really gives.
//! - [`PassphraseGenerator`]: draws words uniformly from the list's
//!   distinct words and reports that entropy, lowered where the list falls
//!   short (see [`LintReport::entropy_bits`] for the rule).
//!
//! # Examples
//!
//! ```
//! use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};
//!
//! // A space: a few EFF words have hyphens ("t-shirt"), none a space.
//! let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
//! let strength = generator.words_for_bits(75)?;
//! assert_eq!(strength.length, 6);
//! let phrase = generator.generate(strength.length)?;
//! assert_eq!(phrase.split(' ').count(), 6);
//! # Ok::<(), secrets_kit::Error>(())
//! ```
//!
//! [`PhraseOptions::passphrases`] is the one entry point that takes every
//! option (capitals, a digit or symbol, a length limit, a site's rules) and
//! picks the engine: [`PassphraseGenerator`] for words as listed or
//! capitalised, [`PhraseGenerator`] (exact counting) for the rest.
//!
//! ```
//! use secrets_kit_gen::wordlist::{Capitalize, PhraseOptions, WordList};
//!
//! let list = WordList::open("eff-long")?;
//! let phrases = PhraseOptions::new().capitalize(Capitalize::All).passphrases(&list, None, None)?;
//! assert_eq!(phrases.words(), 6);
//! assert!(phrases.warnings().is_empty());
//! assert_eq!(phrases.generate()?.split(' ').count(), 6);
//! # Ok::<(), secrets_kit::Error>(())
//! ```

mod constrained;
mod decode;
mod lint;
mod passphrase;

use std::borrow::Cow;
use std::collections::HashSet;

use crate::room::{NoRoom, Room as _, try_string};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub use constrained::{
    Capitalize, MAX_PHRASE_WORDS, MAX_SEPARATOR_CHARS, PhraseGenerator, PhraseOptions,
};
use lint::WordForm;
pub use lint::{Decodability, LintReport};
pub use passphrase::{
    DEFAULT_PASSPHRASE_BITS, PassphraseGenerator, Passphrases, passphrase, passphrase_with,
};

use crate::read::{MAX_FILE_BYTES, read_capped};
use secrets_kit::{Error, ErrorKind, Result};

/// The word lists built into the library (from the `diceware_wordlists`
/// crate).
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::EmbeddedList;
///
/// let list: EmbeddedList = "eff-short-2".parse()?;
/// assert_eq!(list, EmbeddedList::EffShort2);
/// assert_eq!(list.name(), "eff-short-2");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum EmbeddedList {
    /// The EFF long list: 7776 words of 3 to 9 letters, 12.925 bits each.
    /// The default.
    #[default]
    EffLong,
    /// The EFF short list 1: 1296 short words, 10.34 bits each.
    EffShort1,
    /// The EFF short list 2.0: 1296 words, each with a unique three-letter
    /// prefix, 10.34 bits each.
    EffShort2,
    /// Arnold Reinhold's original Diceware list (7776 entries, some of them
    /// numbers and symbols).
    Reinhold,
    /// Alan Beale's Diceware list (7776 entries).
    Beale,
    /// The MiniLock list (58110 words, 15.8 bits each).
    MiniLock,
}

impl EmbeddedList {
    /// Every embedded list, the default first.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::wordlist::EmbeddedList::ALL.len(), 6);
    /// ```
    pub const ALL: [EmbeddedList; 6] = [
        EmbeddedList::EffLong,
        EmbeddedList::EffShort1,
        EmbeddedList::EffShort2,
        EmbeddedList::Reinhold,
        EmbeddedList::Beale,
        EmbeddedList::MiniLock,
    ];

    /// The list's name, as accepted by [`str::parse`] and the command
    /// line's `--wordlist`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::wordlist::EmbeddedList::EffLong.name(), "eff-long");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EmbeddedList::EffLong => "eff-long",
            EmbeddedList::EffShort1 => "eff-short-1",
            EmbeddedList::EffShort2 => "eff-short-2",
            EmbeddedList::Reinhold => "reinhold",
            EmbeddedList::Beale => "beale",
            EmbeddedList::MiniLock => "minilock",
        }
    }

    /// The list named `name`, ignoring case, `-` and `_` (so the
    /// `diceware` tool's `efflong` works too), or `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::EmbeddedList;
    /// assert_eq!(EmbeddedList::from_name("EFF_long"), Some(EmbeddedList::EffLong));
    /// assert_eq!(EmbeddedList::from_name("words.txt"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        // Compared without allocating: programs name a list on every call.
        fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
            name.chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .map(|c| c.to_ascii_lowercase())
        }
        // The exact name first: it is what programs pass, and a byte
        // compare is several times quicker than folding.
        EmbeddedList::ALL
            .into_iter()
            .find(|list| list.name() == name)
            .or_else(|| {
                EmbeddedList::ALL
                    .into_iter()
                    .find(|list| folded(list.name()).eq(folded(name)))
            })
    }

    fn raw_words(self) -> &'static [&'static str] {
        use diceware_wordlists::Wordlist;
        let list = match self {
            EmbeddedList::EffLong => Wordlist::EffLong,
            EmbeddedList::EffShort1 => Wordlist::EffShort1,
            EmbeddedList::EffShort2 => Wordlist::EffShort2,
            EmbeddedList::Reinhold => Wordlist::Reinhold,
            EmbeddedList::Beale => Wordlist::Beale,
            EmbeddedList::MiniLock => Wordlist::Minilock,
        };
        list.get_list()
    }
}

impl fmt::Display for EmbeddedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EmbeddedList {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        EmbeddedList::from_name(name).ok_or_else(|| {
            Error::invalid(format!(
                "there is no embedded word list named {}; the embedded lists are {}",
                Error::quoted(name),
                embedded_names()
            ))
        })
    }
}

fn embedded_names() -> String {
    EmbeddedList::ALL.map(EmbeddedList::name).join(", ")
}

/// A list of distinct words to draw passphrases from.
///
/// Words are kept as given (trimmed); exact duplicates are removed when the
/// list is built and counted in [`WordList::duplicates_removed`]. Words
/// that differ only in case or Unicode normalisation are kept here and
/// dealt with by [`WordList::lint`] and [`PassphraseGenerator`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::wordlist::WordList;
///
/// let list = WordList::from_text("inline", b"red\ngreen\n\n  blue \ngreen\n")?;
/// assert_eq!(list.words().collect::<Vec<_>>(), ["red", "green", "blue"]);
/// assert_eq!(list.duplicates_removed(), 1);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone)]
pub struct WordList {
    origin: String,
    words: Vec<Cow<'static, str>>,
    duplicates_removed: usize,
}

impl WordList {
    /// The default list, the EFF long list.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::wordlist::WordList::eff_long().len(), 7776);
    /// ```
    #[must_use]
    pub fn eff_long() -> Self {
        WordList::embedded(EmbeddedList::EffLong)
    }

    /// An embedded list.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{EmbeddedList, WordList};
    /// assert_eq!(WordList::embedded(EmbeddedList::EffShort1).len(), 1296);
    /// ```
    #[must_use]
    pub fn embedded(list: EmbeddedList) -> Self {
        let words = list.raw_words().iter().map(|&w| Ok(Cow::Borrowed(w)));
        match WordList::collect(list.name(), words) {
            Ok(built) => built,
            // A few hundred KiB of a fixed list (no word is copied): out of
            // memory for that is what an infallible allocation reports.
            Err(_) => std::alloc::handle_alloc_error(std::alloc::Layout::new::<WordList>()),
        }
    }

    /// An embedded list when `name_or_path` names one (see
    /// [`EmbeddedList::from_name`]), otherwise the file at that path.
    /// Write `./beale` to read a file that has an embedded list's name.
    ///
    /// # Errors
    ///
    /// As [`WordList::from_file`].
    ///
    /// # Examples
    ///
    /// A name that is neither an embedded list nor a readable file, and
    /// has no `/`, `\\` or `.` in it, is most likely a mistyped list name:
    /// the error says so and lists the embedded ones.
    ///
    /// ```
    /// use std::error::Error as _;
    /// use secrets_kit_gen::wordlist::WordList;
    ///
    /// let list = WordList::open("eff-short-2")?;
    /// assert_eq!(list.origin(), "eff-short-2");
    /// let err = WordList::open("no/such/file").unwrap_err();
    /// assert_eq!(err.to_string(), "cannot read the word list 'no/such/file'");
    /// let err = WordList::open("efflongg").unwrap_err();
    /// assert!(err.to_string().starts_with("no embedded word list is named \"efflongg\""));
    /// assert!(err.source().is_some()); // the file error, once
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn open(name_or_path: &str) -> Result<Self> {
        if let Some(list) = EmbeddedList::from_name(name_or_path) {
            return Ok(WordList::embedded(list));
        }
        let looks_like_a_name = !name_or_path.contains(['/', '\\', '.']);
        WordList::from_file(name_or_path).map_err(|err| {
            if err.kind() == ErrorKind::Io && looks_like_a_name {
                // A mistyped list name reads as a missing file: say both,
                // the file's error (the cause) once.
                err.with_message(format!(
                    "no embedded word list is named {} (they are {}), and it cannot be read \
                     as a file",
                    Error::quoted(name_or_path),
                    embedded_names()
                ))
            } else {
                err
            }
        })
    }

    /// Reads a word list file: UTF-8 text, one word per line.
    ///
    /// A leading byte-order mark is dropped; each line is trimmed of
    /// surrounding whitespace (so `\r\n` endings work); blank lines are
    /// skipped; exact duplicates are removed and counted.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::Io`] when the file cannot be read (the message names
    ///   the file; the `io::Error` saying why is the error's
    ///   [`source`](std::error::Error::source));
    /// - [`ErrorKind::TooLarge`] when the file is larger than
    ///   [`MAX_FILE_BYTES`] (16 MiB; found
    ///   while reading, after at most that many bytes and one more, so
    ///   `/dev/zero` is refused too; see [`read_capped`]);
    /// - [`ErrorKind::Parse`] when a line is not valid UTF-8 (the message
    ///   names the file and the line number);
    /// - [`ErrorKind::Unsatisfiable`] when fewer than 2 distinct words
    ///   remain.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let list = secrets_kit_gen::wordlist::WordList::from_file("/usr/share/dict/words")?;
    /// println!("{} words, {} duplicates removed", list.len(), list.duplicates_removed());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = read_capped(path, MAX_FILE_BYTES, "the word list")?;
        WordList::from_text(&path.display().to_string(), &bytes)
    }

    /// Builds a list from the bytes of a word list file; `origin` names it
    /// in errors and reports.
    ///
    /// # Errors
    ///
    /// As [`WordList::from_file`], except for reading.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::{ErrorKind, wordlist::WordList};
    ///
    /// let err = WordList::from_text("list.txt", b"ok\n\xff\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Parse);
    /// assert!(err.to_string().contains("list.txt, line 2"));
    /// ```
    pub fn from_text(origin: &str, bytes: &[u8]) -> Result<Self> {
        // A byte-order mark, as some editors write, is not part of a word.
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        for (number, line) in bytes.split(|&b| b == b'\n').enumerate() {
            match std::str::from_utf8(line) {
                Ok(_) => {}
                Err(err) => {
                    return Err(Error::new(
                        ErrorKind::Parse,
                        format!(
                            "word list {origin}, line {}: not valid UTF-8 (bad byte at column \
                             {}); word lists must be UTF-8 text",
                            number + 1,
                            err.valid_up_to() + 1
                        ),
                    ));
                }
            }
        }
        // Every line is UTF-8 and '\n' is ASCII: so is the whole.
        let Ok(text) = std::str::from_utf8(bytes) else {
            unreachable!("each line was checked")
        };
        // Each word is copied (trimmed) fallibly.
        let words = text
            .split('\n')
            .map(|line| try_string(line.trim(), "a word of a word list").map(Cow::Owned));
        WordList::checked(origin, WordList::collect(origin, words)?)
    }

    /// Builds a list from words; `origin` names it in errors and reports.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unsatisfiable`] when fewer than 2 distinct non-blank
    /// words remain.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::WordList;
    ///
    /// let list = WordList::from_words("colours", ["red", "green", "red"])?;
    /// assert_eq!(list.len(), 2);
    /// assert!(WordList::from_words("one", ["only", " only "]).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn from_words<I>(origin: &str, words: I) -> Result<Self>
    where
        I: IntoIterator,
        I::Item: Into<Cow<'static, str>>,
    {
        let words = words.into_iter().map(|word| Ok(word.into()));
        WordList::checked(origin, WordList::collect(origin, words)?)
    }

    /// `list`, unless fewer than 2 words remain.
    fn checked(origin: &str, list: WordList) -> Result<Self> {
        if list.words.len() < 2 {
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!(
                    "word list {origin} has {} distinct word(s) after trimming, skipping blank \
                     lines and removing duplicates; at least 2 are needed",
                    list.words.len()
                ),
            ));
        }
        Ok(list)
    }

    /// Trims the words, skips blank ones and removes exact duplicates
    /// (keeping first occurrences), without copying a word and with every
    /// allocation fallible: a 16 MiB file of short lines takes many times
    /// that in memory.
    fn collect(
        origin: &str,
        words: impl Iterator<Item = std::result::Result<Cow<'static, str>, NoRoom>>,
    ) -> std::result::Result<Self, NoRoom> {
        const WORDS: &str = "the words of a word list";
        let item = size_of::<Cow<'static, str>>();
        let mut kept: Vec<Cow<'static, str>> = Vec::new();
        kept.try_reserve(words.size_hint().0)
            .room(words.size_hint().0 * item, WORDS)?;
        for word in words {
            let word = match word? {
                Cow::Borrowed(w) => Cow::Borrowed(w.trim()),
                Cow::Owned(w) if w.trim().len() == w.len() => Cow::Owned(w),
                Cow::Owned(w) => Cow::Owned(try_string(w.trim(), "a word of a word list")?),
            };
            if word.is_empty() {
                continue;
            }
            kept.try_reserve(1).room((kept.len() + 1) * item, WORDS)?;
            kept.push(word);
        }
        let total = kept.len();
        let mut first = Vec::new();
        first.try_reserve_exact(total).room(total, WORDS)?;
        {
            let mut seen: HashSet<&str> = HashSet::new();
            seen.try_reserve(total).room(
                total * 2 * size_of::<&str>(),
                "the set of words of a word list",
            )?;
            first.extend(kept.iter().map(|word| seen.insert(word.as_ref())));
        }
        let mut first = first.into_iter();
        kept.retain(|_| first.next().unwrap_or(false));
        Ok(WordList {
            origin: origin.to_owned(),
            duplicates_removed: total - kept.len(),
            words: kept,
        })
    }

    /// The list's name or file path.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::wordlist::WordList::eff_long().origin(), "eff-long");
    /// ```
    #[must_use]
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The number of distinct words.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::wordlist::WordList::eff_long().len(), 7776);
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // a list always has 2 words or more
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// The distinct words, in the order of the source.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = secrets_kit_gen::wordlist::WordList::eff_long();
    /// assert_eq!(list.words().next(), Some("abacus"));
    /// ```
    pub fn words(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.words.iter().map(|w| &**w)
    }

    /// How many exact duplicate words were removed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::wordlist::WordList::eff_long().duplicates_removed(), 0);
    /// ```
    #[must_use]
    pub fn duplicates_removed(&self) -> usize {
        self.duplicates_removed
    }

    /// Checks the list for phrases of its words as listed, joined with
    /// `separator`; see [`LintReport`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] when memory runs out (a list of millions of
    /// words needs several times its size to check), with the size in the
    /// message; [`ErrorKind::InvalidValue`] when `separator` is longer than
    /// [`MAX_SEPARATOR_CHARS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{Decodability, WordList};
    ///
    /// let list = WordList::from_words("demo", ["rock", "rocket", "ethic", "hic"])?;
    /// let report = list.lint("")?;
    /// assert!(matches!(report.decodability, Decodability::Ambiguous { .. }));
    /// assert!(list.lint(" ")?.warnings().is_empty());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn lint(&self, separator: &str) -> Result<LintReport> {
        Ok(lint::analyse(self, separator, WordForm::AsListed)?.0)
    }

    /// Checks the list for phrases of its words capitalised (first letter
    /// upper case), joined with `separator`; see [`LintReport`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::wordlist::{Decodability, WordList};
    ///
    /// // Joined, "a" + "b" reads as "ab"; capitalised, "AB" is not "Ab".
    /// let list = WordList::from_words("demo", ["a", "b", "ab"])?;
    /// assert!(matches!(list.lint("")?.decodability, Decodability::Ambiguous { .. }));
    /// assert_eq!(list.lint_capitalized("")?.decodability, Decodability::Unique);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`WordList::lint`].
    pub fn lint_capitalized(&self, separator: &str) -> Result<LintReport> {
        Ok(lint::analyse(self, separator, WordForm::Capitalized)?.0)
    }
}

impl fmt::Debug for WordList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordList")
            .field("origin", &self.origin)
            .field("words", &self.words.len())
            .field("duplicates_removed", &self.duplicates_removed)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_list_loads_with_its_size() {
        let sizes = [7776, 1296, 1296, 7776, 7776, 58110];
        for (list, size) in EmbeddedList::ALL.into_iter().zip(sizes) {
            let words = WordList::embedded(list);
            assert_eq!(words.len() + words.duplicates_removed(), size, "{list}");
            assert_eq!(EmbeddedList::from_name(list.name()), Some(list));
            assert_eq!(list.name().parse::<EmbeddedList>().unwrap(), list);
        }
        assert_eq!(WordList::eff_long().duplicates_removed(), 0);
    }

    /// `from_name` against the rule it documents, written the naive way:
    /// both names without `-` and `_`, lower-cased, compared as strings.
    #[test]
    fn names_match_as_documented() {
        let naive = |name: &str| {
            let fold = |s: &str| s.replace(['-', '_'], "").to_ascii_lowercase();
            EmbeddedList::ALL
                .into_iter()
                .find(|list| fold(list.name()) == fold(name))
        };
        let mut names = vec![String::new(), "eff".into(), "eff-longg".into(), "Ä".into()];
        for list in EmbeddedList::ALL {
            let name = list.name();
            names.push(name.to_owned());
            names.push(name.to_uppercase());
            names.push(name.replace('-', "_"));
            names.push(name.replace('-', ""));
            names.push(format!("-{name}_"));
            names.push(name[..name.len() - 1].to_owned());
        }
        for name in &names {
            assert_eq!(EmbeddedList::from_name(name), naive(name), "{name:?}");
        }
        assert_eq!(
            EmbeddedList::from_name("EFF_LONG"),
            Some(EmbeddedList::EffLong)
        );
        assert_eq!(EmbeddedList::from_name("eff-lon"), None);
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = "effl0ng".parse::<EmbeddedList>().unwrap_err();
        assert!(err.to_string().contains("eff-long, eff-short-1"), "{err}");
    }

    #[test]
    fn lines_are_trimmed_blank_skipped_duplicates_counted() {
        let list = WordList::from_text("t", b"\r\n a\r\nb\n\n\t\nb\na \n c").unwrap();
        assert_eq!(list.words().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(list.duplicates_removed(), 2);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_word() {
        let list = WordList::from_text("bom.txt", b"\xef\xbb\xbfone\ntwo\n").unwrap();
        assert_eq!(list.words().collect::<Vec<_>>(), ["one", "two"]);
    }

    #[test]
    fn bad_utf8_names_file_and_line() {
        let err = WordList::from_text("words.txt", b"one\ntwo\nthr\xc3ee\n").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Parse);
        assert!(err.to_string().contains("words.txt, line 3"), "{err}");
        assert!(err.to_string().contains("column 4"), "{err}");
    }

    #[test]
    fn fewer_than_two_distinct_words_is_an_error() {
        for text in [&b""[..], b"\n\n", b"same\nsame\n same"] {
            let err = WordList::from_text("tiny.txt", text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
            assert!(err.to_string().contains("tiny.txt"), "{err}");
        }
    }

    /// The message, then each source: what a chain printer shows.
    fn chain(err: &Error) -> String {
        let mut text = err.to_string();
        let mut cause = std::error::Error::source(err);
        while let Some(next) = cause {
            text = format!("{text}: {next}");
            cause = next.source();
        }
        text
    }

    #[test]
    fn a_mistyped_list_name_lists_the_embedded_ones() {
        let err = WordList::open("eff-lng").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        let missing = std::fs::File::open("eff-lng").unwrap_err();
        assert_eq!(
            chain(&err),
            format!(
                "no embedded word list is named \"eff-lng\" (they are eff-long, eff-short-1, \
                 eff-short-2, reinhold, beale, minilock), and it cannot be read as a file: \
                 {missing}"
            )
        );
        let err = WordList::open("no/such/list.txt").unwrap_err();
        assert!(!err.to_string().contains("embedded"), "{err}");
    }

    #[test]
    fn a_missing_file_is_named_and_its_cause_said_once() {
        let err = WordList::from_file("no/such/dir/words.txt").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        let io = std::fs::File::open("no/such/dir/words.txt").unwrap_err();
        assert_eq!(
            chain(&err),
            format!("cannot read the word list 'no/such/dir/words.txt': {io}")
        );
    }

    #[test]
    #[cfg(unix)]
    fn a_directory_as_a_word_list_says_why_once() {
        let err = WordList::open("/").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        let text = chain(&err);
        assert!(
            text.starts_with("cannot read the word list '/': "),
            "{text}"
        );
        let cause = std::error::Error::source(&err).unwrap().to_string();
        assert_eq!(text.matches(&cause).count(), 1, "{text}");
    }
}
