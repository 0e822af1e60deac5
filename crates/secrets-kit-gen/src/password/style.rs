//! Memorable password styles: Apple's layout, pronounceable syllables, PINs
//! and plain alphanumerics, each drawn uniformly from exactly the set of
//! strings the style can produce, with that set's exact size.
//!
//! Every style is a small deterministic automaton over disjoint character
//! classes (lower case, upper case, digits, `-`; consonants and vowels). A
//! string the style can produce follows exactly one path through it, so
//! counting paths counts distinct strings, not ways of building them. The
//! syllable automaton is made from the syllables by the subset
//! construction, so a text that two sequences of syllables could spell
//! would still be one path and count once. (With the `cv`/`cvc` syllables
//! used here each text splits one way only, as a consonant after a vowel
//! closes the syllable exactly when another consonant follows; the tests
//! check both facts by brute force.) A uniform rank below the count,
//! unranked along the same table, gives a uniform string.

use std::fmt;

use num_bigint::BigUint;
use num_traits::Zero;

use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};

use crate::charset::{self, CONSONANTS, DIGITS, LOWER, UPPER, VOWELS};
use crate::engine::{Automaton, Limits, Step, Table, log2};
use secrets_kit::strength::check_bits;

/// A memorable style of password.
///
/// | Style | Looks like | Default | Entropy of the default |
/// |---|---|---|---|
/// | [`Apple`](Style::Apple) | `kbdmqe-zr7hwt-vpxYan` | 3 groups | 91.49 bits |
/// | [`Pronounceable`](Style::Pronounceable) | `tovimacuzhebonafitekob` | 22 letters | 83.01 bits |
/// | [`Pin`](Style::Pin) | `402913` | 6 digits | 19.93 bits |
/// | [`Alnum`](Style::Alnum) | `bX3kQ9...` | 17 characters | 101.22 bits |
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::Style;
///
/// let generator = Style::Apple.generator()?;
/// let password = generator.generate()?;
/// assert_eq!(password.len(), 20);
/// assert!((generator.entropy_bits() - 91.49).abs() < 0.01);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// The layout of Apple's generated passwords: groups of six characters
    /// joined by `-` (three groups by default), all lower-case letters
    /// except exactly one upper-case letter and exactly one digit, anywhere
    /// in the password (at two different places). The size is the number
    /// of groups.
    Apple,
    /// Syllables that read aloud: each a consonant and a vowel, optionally
    /// closed by a consonant (`cv` or `cvc`), over the 18 consonants
    /// `bcdfghjklmnprstvwz` and the 5 vowels `aeiou`. The size is the number
    /// of letters; every string of that many letters that splits into such
    /// syllables is equally likely.
    Pronounceable,
    /// Decimal digits. The size is the number of digits.
    Pin,
    /// Upper- and lower-case letters and digits (62 characters). The size
    /// is the number of characters.
    Alnum,
}

const APPLE_GROUP: usize = 6;

/// The largest size any style accepts (see [`Style::max_size`]): a bound
/// on the counting table.
pub const MAX_STYLE_SIZE: usize = 1024;

/// The most groups [`Style::Apple`] accepts: the table grows with the
/// square of the length there, and 32 groups already give over 900 bits.
const MAX_APPLE_GROUPS: usize = 32;

impl Style {
    /// The four styles.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::ALL.len(), 4);
    /// ```
    pub const ALL: [Style; 4] = [Style::Apple, Style::Pronounceable, Style::Pin, Style::Alnum];

    /// The style's name on the command line: `apple`, `pronounceable`,
    /// `pin`, `alnum`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Apple.name(), "apple");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Style::Apple => "apple",
            Style::Pronounceable => "pronounceable",
            Style::Pin => "pin",
            Style::Alnum => "alnum",
        }
    }

    /// What the size counts: `groups`, `letters`, `digits` or `characters`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Apple.unit(), "groups");
    /// ```
    pub fn unit(self) -> &'static str {
        match self {
            Style::Apple => "groups",
            Style::Pronounceable => "letters",
            Style::Pin => "digits",
            Style::Alnum => "characters",
        }
    }

    /// The size used when none is given (see the table on [`Style`]).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Pin.default_size(), 6);
    /// ```
    pub fn default_size(self) -> usize {
        match self {
            Style::Apple => 3,
            // The fewest letters for 80 bits.
            Style::Pronounceable => 22,
            Style::Pin => 6,
            // The fewest characters for 100 bits.
            Style::Alnum => 17,
        }
    }

    /// The largest size the style accepts: 32 groups for
    /// [`Apple`](Style::Apple), [`MAX_STYLE_SIZE`] for the others.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Apple.max_size(), 32);
    /// ```
    pub fn max_size(self) -> usize {
        match self {
            Style::Apple => MAX_APPLE_GROUPS,
            _ => MAX_STYLE_SIZE,
        }
    }

    /// A generator of the default size.
    ///
    /// # Errors
    ///
    /// None in practice; the signature matches [`with_size`](Self::with_size).
    ///
    /// # Examples
    ///
    /// ```
    /// let pin = secrets_kit_gen::password::Style::Pin.generator()?.generate()?;
    /// assert_eq!(pin.len(), 6);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generator(self) -> Result<StyleGenerator> {
        self.with_size(self.default_size())
    }

    /// A generator of `size` groups, letters, digits or characters.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for a size of 0 (or 1 for
    /// [`Pronounceable`](Style::Pronounceable), which has no one-letter
    /// syllable) or above [`max_size`](Self::max_size).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::Style;
    ///
    /// let generator = Style::Apple.with_size(4)?;
    /// assert_eq!(generator.generate()?.split('-').count(), 4);
    /// assert!(Style::Pin.with_size(0).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn with_size(self, size: usize) -> Result<StyleGenerator> {
        let smallest = if self == Style::Pronounceable { 2 } else { 1 };
        if size < smallest || size > self.max_size() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "a {} password of {size} {} was asked for; use {smallest} to {}",
                    self.name(),
                    self.unit(),
                    self.max_size()
                ),
            ));
        }
        let (language, length) = self.language(size);
        StyleGenerator::new(self, size, language, length)
    }

    /// The generator of the smallest size whose exact entropy reaches `bits`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Unsatisfiable`] when even [`max_size`](Self::max_size)
    /// falls short.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::Style;
    ///
    /// let generator = Style::Pronounceable.for_bits(64)?;
    /// assert!(generator.entropy_bits() >= 64.0);
    /// assert!(Style::Pronounceable.with_size(generator.size() - 1)?.entropy_bits() < 64.0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn for_bits(self, bits: u64) -> Result<StyleGenerator> {
        check_bits(bits)?;
        // `count >= 2^bits` exactly when the count has more than `bits` bits:
        // compared that way, no 2^bits integer is built (bits may be 2^48).
        let reaches = |generator: &StyleGenerator| generator.count().bits() > bits;
        let smallest = if self == Style::Pronounceable { 2 } else { 1 };
        // Counts grow with the size, so a binary search finds the smallest.
        let (mut low, mut high) = (smallest, self.max_size());
        if !reaches(&self.with_size(high)?) {
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!(
                    "{bits} bits are out of reach for the {} style (at most {} {}); \
                     ask for fewer bits",
                    self.name(),
                    self.max_size(),
                    self.unit()
                ),
            ));
        }
        while low < high {
            let middle = low + (high - low) / 2;
            if reaches(&self.with_size(middle)?) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        self.with_size(low)
    }

    /// The automaton of the style at this size, and the string length.
    fn language(self, size: usize) -> (Language, usize) {
        match self {
            Style::Apple => (
                apple_language(size, APPLE_GROUP, LOWER, UPPER, DIGITS),
                size * 7 - 1,
            ),
            Style::Pronounceable => (syllable_language(CONSONANTS, VOWELS), size),
            Style::Pin => (Language::free(DIGITS.chars()), size),
            Style::Alnum => (Language::free(charset::alnum()), size),
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A deterministic automaton over disjoint character classes. State 0 is
/// the start.
#[derive(Clone, Debug)]
pub(crate) struct Language {
    pub(crate) classes: Vec<Vec<char>>,
    /// `next[state][class]`.
    pub(crate) next: Vec<Vec<Option<usize>>>,
    pub(crate) accepting: Vec<bool>,
}

impl Language {
    /// Any string over `chars`.
    pub(crate) fn free(chars: impl IntoIterator<Item = char>) -> Self {
        Language {
            classes: vec![chars.into_iter().collect()],
            next: vec![vec![Some(0)]],
            accepting: vec![true],
        }
    }

    /// The counting table up to `length` characters: for the engine, a
    /// step per class a state reads, as many symbols as the class has
    /// characters, labelled with the class.
    pub(crate) fn table(&self, length: usize) -> Result<Table> {
        let steps = self.next.iter().flatten().filter(|t| t.is_some()).count();
        let mut automaton = Automaton::with_capacity(0, self.next.len(), steps);
        for (targets, &accepting) in self.next.iter().zip(&self.accepting) {
            let steps = targets.iter().enumerate().filter_map(|(class, target)| {
                target.map(|next| Step {
                    mult: self.classes[class].len() as u64,
                    next: next as u32,
                    label: class as u32,
                })
            });
            automaton.push_state(accepting, steps);
        }
        // The sizes are bounded (`MAX_STYLE_SIZE`, `MAX_APPLE_GROUPS`).
        let mut table = Table::new(automaton, Limits::NONE)?;
        table.extend_to(length)?;
        Ok(table)
    }

    /// The `which`-th character of the class a step reads.
    fn char_of(&self, step: &Step, which: usize) -> char {
        self.classes[step.label as usize][which]
    }

    /// The string of `length` characters with rank `rank` (below the
    /// table's count at `length`).
    #[cfg(test)]
    pub(crate) fn unrank(&self, table: &Table, length: usize, rank: BigUint) -> String {
        let mut text = String::with_capacity(length);
        table.unrank(length, &rank, |step, which| {
            text.push(self.char_of(step, which));
        });
        text
    }
}

/// Apple's layout: `groups` groups of `group_len` characters joined by `-`,
/// letters from `lower` except exactly one from `upper` and exactly one from
/// `digits`. States: the position and whether the upper-case letter and
/// the digit have been placed.
pub(crate) fn apple_language(
    groups: usize,
    group_len: usize,
    lower: &str,
    upper: &str,
    digits: &str,
) -> Language {
    let length = groups * (group_len + 1) - 1;
    let id = |pos: usize, upper_used: bool, digit_used: bool| {
        pos * 4 + usize::from(upper_used) * 2 + usize::from(digit_used)
    };
    let (l, u, d, h) = (0, 1, 2, 3);
    let mut next = vec![vec![None; 4]; (length + 1) * 4];
    let mut accepting = vec![false; (length + 1) * 4];
    for pos in 0..=length {
        for upper_used in [false, true] {
            for digit_used in [false, true] {
                let state = id(pos, upper_used, digit_used);
                if pos == length {
                    accepting[state] = upper_used && digit_used;
                    continue;
                }
                if pos % (group_len + 1) == group_len {
                    next[state][h] = Some(id(pos + 1, upper_used, digit_used));
                    continue;
                }
                next[state][l] = Some(id(pos + 1, upper_used, digit_used));
                if !upper_used {
                    next[state][u] = Some(id(pos + 1, true, digit_used));
                }
                if !digit_used {
                    next[state][d] = Some(id(pos + 1, upper_used, true));
                }
            }
        }
    }
    Language {
        classes: vec![
            lower.chars().collect(),
            upper.chars().collect(),
            digits.chars().collect(),
            vec!['-'],
        ],
        next,
        accepting,
    }
}

/// Strings that split into syllables `cv` or `cvc`, as a deterministic
/// automaton: the subset construction over the automaton that reads one
/// syllable after another, so a string that splits two ways is one path.
pub(crate) fn syllable_language(consonants: &str, vowels: &str) -> Language {
    // The syllable automaton (not deterministic): 0 = between syllables,
    // 1 = after a syllable's first consonant, 2 = after its vowel (a
    // syllable may end here), 3 = after a closing consonant (it ends).
    // Classes: 0 = consonant, 1 = vowel.
    let step = |state: usize, class: usize| -> Vec<usize> {
        match (state, class) {
            (0, 0) => vec![1],
            (1, 1) => vec![2],
            // After the vowel a consonant closes the syllable or, the
            // syllable having ended, opens the next one.
            (2, 0) => vec![3, 1],
            (3, 0) => vec![1],
            _ => vec![],
        }
    };
    let ends = |state: usize| state == 0 || state == 2 || state == 3;
    let mut subsets: Vec<u8> = vec![1 << 0];
    let mut next: Vec<Vec<Option<usize>>> = Vec::new();
    let mut accepting = Vec::new();
    let mut i = 0;
    while i < subsets.len() {
        let subset = subsets[i];
        let members: Vec<usize> = (0..4).filter(|s| subset & (1 << s) != 0).collect();
        accepting.push(members.iter().any(|&s| ends(s)));
        let mut row = Vec::new();
        for class in 0..2 {
            let target: u8 = members
                .iter()
                .flat_map(|&s| step(s, class))
                .fold(0, |acc, s| acc | (1 << s));
            row.push(if target == 0 {
                None
            } else {
                Some(match subsets.iter().position(|&t| t == target) {
                    Some(known) => known,
                    None => {
                        subsets.push(target);
                        subsets.len() - 1
                    }
                })
            });
        }
        next.push(row);
        i += 1;
    }
    Language {
        classes: vec![consonants.chars().collect(), vowels.chars().collect()],
        next,
        accepting,
    }
}

/// Draws passwords of one [`Style`] and size, uniformly from exactly the
/// strings it can produce. Made by [`Style::generator`],
/// [`Style::with_size`] or [`Style::for_bits`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::Style;
///
/// let generator = Style::Pronounceable.with_size(10)?;
/// let word = generator.generate()?;
/// assert_eq!(word.len(), 10);
/// assert!(word.chars().all(|c| c.is_ascii_lowercase()));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone)]
pub struct StyleGenerator {
    style: Style,
    size: usize,
    length: usize,
    language: Language,
    table: Table,
    count: BigUint,
    entropy_bits: f64,
}

impl fmt::Debug for StyleGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The set, never the tables.
        let StyleGenerator {
            style,
            size,
            count,
            entropy_bits,
            ..
        } = self;
        write!(
            f,
            "StyleGenerator {{ style: {style:?}, size: {size:?}, count: {count:?}, \
             entropy_bits: {entropy_bits:?}, .. }}"
        )
    }
}

impl StyleGenerator {
    fn new(style: Style, size: usize, language: Language, length: usize) -> Result<Self> {
        let table = language.table(length)?;
        let count = table.count(length);
        if count.is_zero() {
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!("no {style} password has {size} {}", style.unit()),
            ));
        }
        Ok(StyleGenerator {
            style,
            size,
            length,
            entropy_bits: log2(&count),
            language,
            table,
            count,
        })
    }

    /// A generator of `length` characters over any automaton, for the
    /// tests' small instances.
    #[cfg(test)]
    pub(crate) fn of_language(language: Language, length: usize) -> Result<Self> {
        StyleGenerator::new(Style::Pin, length, language, length)
    }

    /// Draws one password from the kernel's randomness.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] if the random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let password = secrets_kit_gen::password::Style::Alnum.generator()?.generate()?;
    /// assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate(&self) -> Result<String> {
        self.generate_with(&OsEntropy)
    }

    /// Draws one password with randomness from `source`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] if the source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// let pin = secrets_kit_gen::password::Style::Pin.generator()?.generate_with(&OsEntropy)?;
    /// assert_eq!(pin.len(), 6);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        let mut text = String::with_capacity(self.length);
        self.table.draw(self.length, source, |step, which| {
            text.push(self.language.char_of(step, which));
        })?;
        Ok(text)
    }

    /// The style.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::Style;
    /// assert_eq!(Style::Pin.generator()?.style(), Style::Pin);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn style(&self) -> Style {
        self.style
    }

    /// The size: groups, letters, digits or characters (see [`Style::unit`]).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Apple.generator()?.size(), 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// The number of characters of each password.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Apple.generator()?.length(), 20);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn length(&self) -> usize {
        self.length
    }

    /// The exact number of distinct passwords the style gives at this size.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::Style::Pin.with_size(3)?.count().to_string(), "1000");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn count(&self) -> &BigUint {
        &self.count
    }

    /// The exact entropy in bits: `log2` of [`count`](Self::count), since
    /// every password is equally likely.
    ///
    /// # Examples
    ///
    /// ```
    /// let bits = secrets_kit_gen::password::Style::Pin.with_size(3)?.entropy_bits();
    /// assert!((bits - 1000f64.log2()).abs() < 1e-12);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn entropy_bits(&self) -> f64 {
        self.entropy_bits
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::naive::{is_apple, syllable_strings};

    fn count_of(language: &Language, length: usize) -> BigUint {
        language.table(length).unwrap().count(length)
    }

    #[test]
    fn apple_counts_match_the_formula() {
        for (groups, group_len) in [(1, 2), (1, 3), (2, 2), (3, 1), (2, 3), (4, 5)] {
            let language = apple_language(groups, group_len, "ab", "AB", "01");
            let length = groups * (group_len + 1) - 1;
            // n letter places: n (n - 1) places for the capital and the
            // digit, 2 of each, and 2 letters for every other place.
            let n = (groups * group_len) as u32;
            let formula = if n >= 2 {
                u64::from(n * (n - 1)) * 2 * 2 * 2u64.pow(n - 2)
            } else {
                0
            };
            assert_eq!(
                count_of(&language, length),
                BigUint::from(formula),
                "{groups}x{group_len}"
            );
        }
        // The real style: 18 * 17 * 26 * 10 * 26^16.
        let real = Style::Apple.generator().unwrap();
        let expected = BigUint::from(18u32 * 17 * 26 * 10) * BigUint::from(26u32).pow(16);
        assert_eq!(real.count(), &expected);
    }

    #[test]
    fn apple_passwords_follow_the_layout_character_by_character() {
        let generator = Style::Apple.generator().unwrap();
        for _ in 0..2000 {
            let password = generator.generate().unwrap();
            assert!(
                is_apple(&password, 3, 6, LOWER, UPPER, DIGITS),
                "{password}"
            );
            let groups: Vec<&str> = password.split('-').collect();
            assert_eq!(groups.len(), 3);
            assert!(groups.iter().all(|g| g.len() == 6));
        }
    }

    /// The subset construction counts distinct strings (the harness checks
    /// the counts against [`syllable_strings`]); here, the naive model's
    /// other fact: the constructions (cv: 4 ways, cvc: 8) number as many
    /// as the distinct strings, as every text splits into syllables one
    /// way only.
    #[test]
    fn syllable_texts_split_one_way_only() {
        let mut constructions = vec![BigUint::from(1u8), BigUint::ZERO];
        for n in 2..=9 {
            let ways = &constructions[n - 2] * 4u32
                + if n >= 3 {
                    &constructions[n - 3] * 8u32
                } else {
                    BigUint::ZERO
                };
            constructions.push(ways);
            let distinct = syllable_strings("bd", "ao", n);
            assert_eq!(constructions[n], BigUint::from(distinct.len()), "{n}");
        }
    }

    #[test]
    fn pronounceable_passwords_split_into_syllables() {
        let generator = Style::Pronounceable.generator().unwrap();
        for _ in 0..500 {
            let word = generator.generate().unwrap();
            assert_eq!(word.len(), 22);
            let pattern: String = word
                .chars()
                .map(|c| {
                    if VOWELS.contains(c) {
                        'v'
                    } else {
                        assert!(CONSONANTS.contains(c));
                        'c'
                    }
                })
                .collect();
            // cv or cvc syllables: starts with c, no vv, no ccc, ends in v or c after v.
            assert!(pattern.starts_with("cv"), "{word}");
            assert!(
                !pattern.contains("vv") && !pattern.contains("ccc"),
                "{word}"
            );
            assert!(!pattern.ends_with("cc"), "{word}");
        }
    }

    #[test]
    fn defaults_have_the_documented_entropy() {
        let expected = [
            (Style::Apple, 91.49),
            (Style::Pronounceable, 83.01),
            (Style::Pin, 19.93),
            (Style::Alnum, 101.22),
        ];
        for (style, bits) in expected {
            let generator = style.generator().unwrap();
            assert!(
                (generator.entropy_bits() - bits).abs() < 0.005,
                "{style}: {}",
                generator.entropy_bits()
            );
        }
        // The pronounceable default is the fewest letters for 80 bits, the
        // alnum one the fewest characters for 100.
        assert_eq!(Style::Pronounceable.for_bits(80).unwrap().size(), 22);
        assert_eq!(Style::Alnum.for_bits(100).unwrap().size(), 17);
        assert_eq!(Style::Apple.for_bits(92).unwrap().size(), 4);
    }

    /// `for_bits` gives the smallest size whose count reaches 2^bits,
    /// checked against the counts themselves.
    #[test]
    fn for_bits_is_the_smallest_size_reaching_the_bits() {
        let two_to = |bits: u64| BigUint::from(1u8) << bits;
        for style in [Style::Apple, Style::Pronounceable, Style::Pin, Style::Alnum] {
            for bits in [1, 7, 8, 33, 64, 100, 128] {
                let generator = style.for_bits(bits).unwrap();
                assert!(generator.count() >= &two_to(bits), "{style} {bits}");
                let smaller = generator.size() - 1;
                if let Ok(below) = style.with_size(smaller) {
                    assert!(below.count() < &two_to(bits), "{style} {bits}");
                }
            }
        }
    }

    #[test]
    fn unranking_is_a_bijection() {
        let language = syllable_language("bd", "ao");
        let length = 7;
        let table = language.table(length).unwrap();
        let count = usize::try_from(table.count(length)).unwrap();
        let all: HashSet<String> = (0..count)
            .map(|r| language.unrank(&table, length, BigUint::from(r)))
            .collect();
        assert_eq!(all, syllable_strings("bd", "ao", length));
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(
            Style::Pin.with_size(0).unwrap_err().kind(),
            ErrorKind::InvalidValue
        );
        assert_eq!(
            Style::Pronounceable.with_size(1).unwrap_err().kind(),
            ErrorKind::InvalidValue
        );
        assert!(Style::Alnum.with_size(MAX_STYLE_SIZE + 1).is_err());
        // The largest strength a caller may ask for is refused at once,
        // without building a 2^bits integer.
        assert_eq!(
            Style::Pin
                .for_bits(secrets_kit::strength::MAX_BITS)
                .unwrap_err()
                .kind(),
            ErrorKind::Unsatisfiable
        );
        assert!(
            Style::Pin
                .for_bits(secrets_kit::strength::MAX_BITS + 1)
                .is_err()
        );
        assert!(Style::Pin.for_bits(0).is_err());
        assert_eq!(
            Style::Pin.for_bits(100_000).unwrap_err().kind(),
            ErrorKind::Unsatisfiable
        );
        // Past MAX_BITS: refused as an invalid strength, as everywhere.
        assert_eq!(
            Style::Alnum.for_bits(u64::MAX).unwrap_err().kind(),
            ErrorKind::InvalidValue
        );
    }
}
