//! What the generators warn about: the result is still made, but the user
//! should know something about it.

use std::fmt;

/// Below this many bits, [`Warning::Weak`] says that the best password a
/// site's rules allow is weak: it can be searched offline.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_gen::password::WEAK_BITS, 64.0);
/// ```
pub const WEAK_BITS: f64 = 64.0;

/// A warning about a policy, a site's rules or a word list: the values are
/// still made, but weaker or otherwise other than asked. Its
/// [`Display`](fmt::Display) form is one line fit to print after
/// `warning: `; match on the variant to act on one.
///
/// Made by [`password::rules_warnings`](crate::password::rules_warnings),
/// [`password::policy_warnings`](crate::password::policy_warnings),
/// [`LintReport::warnings`](crate::wordlist::LintReport::warnings) and
/// [`Passphrases::warnings`](crate::wordlist::Passphrases::warnings) (with
/// the features that have them).
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::Warning;
///
/// let warning = Warning::NonAscii { chars: vec!['§'] };
/// assert!(warning.to_string().contains("'§' (U+00A7)"));
/// assert!(matches!(warning, Warning::NonAscii { .. }));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// A site's rules hold characters outside printable ASCII, which
    /// browsers drop silently and the passwords made here never use.
    NonAscii {
        /// The characters, sorted, each once.
        chars: Vec<char>,
    },
    /// The best password a site's rules allow (at their longest length)
    /// has fewer than [`WEAK_BITS`] bits of entropy.
    Weak {
        /// Its length in characters.
        length: usize,
        /// Its entropy in bits.
        bits: f64,
    },
    /// No length or strength was asked for and the rules' maximum length
    /// keeps passwords below the strength aimed for by default.
    ShortPassword {
        /// The longest length the rules allow, which the passwords have.
        length: usize,
        /// Their entropy in bits.
        bits: f64,
        /// The strength aimed for by default, in bits.
        target_bits: u64,
    },
    /// No number of words or strength was asked for and the length limits
    /// keep passphrases below the strength aimed for by default.
    ShortPassphrase {
        /// The number of words with the most entropy, which the phrases
        /// have.
        words: usize,
        /// Their entropy in bits.
        bits: f64,
        /// The strength aimed for by default, in bits.
        target_bits: u64,
    },
    /// A word list had exact duplicates, which were removed (they would
    /// have been drawn more often than the others).
    DuplicateWords {
        /// The list's name or path.
        list: String,
        /// How many were removed.
        removed: usize,
    },
    /// Words of a list that are the same after Unicode case-folding and NFC
    /// normalisation; each group counts, and is drawn, as one word.
    FoldedDuplicates {
        /// The list's name or path.
        list: String,
        /// How many words were merged into another.
        merged: usize,
        /// One such group.
        example: Vec<String>,
        /// The words left.
        distinct: usize,
    },
    /// Words of a list that contain the separator.
    ContainsSeparator {
        /// The list's name or path.
        list: String,
        /// How many words do.
        words: usize,
        /// The separator.
        separator: String,
        /// One such word.
        example: String,
    },
    /// Phrases joined with this separator cannot always be split back into
    /// words, so their entropy is lowered to a bound (see
    /// [`LintReport::entropy_bits`](crate::wordlist::LintReport::entropy_bits)).
    Ambiguous {
        /// The list's name or path.
        list: String,
        /// The separator (maybe empty).
        separator: String,
        /// One sequence of words...
        first: Vec<String>,
        /// ... and another with the same joined text.
        second: Vec<String>,
        /// The distinct words, `N` in the bound.
        distinct: usize,
        /// The longest prefix chain, `P` in the bound.
        longest_prefix_chain: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::NonAscii { chars } => {
                let named: Vec<String> = chars
                    .iter()
                    .map(|&c| format!("'{c}' (U+{:04X})", u32::from(c)))
                    .collect();
                write!(
                    f,
                    "the rules hold characters outside printable ASCII, which browsers drop \
                     silently and passwords here never use: {}",
                    named.join(", ")
                )
            }
            Warning::Weak { length, bits } => write!(
                f,
                "the best password these rules allow ({length} characters) has only {bits:.2} \
                 bits of entropy, under {WEAK_BITS}: it can be searched offline; use the longest \
                 allowed and a second factor where the site offers one"
            ),
            Warning::ShortPassword {
                length,
                bits,
                target_bits,
            } => write!(
                f,
                "the rules allow at most {length} characters, so each password has only {} bits \
                 of entropy (the default aims for {target_bits})",
                Bits(*bits)
            ),
            Warning::ShortPassphrase {
                words,
                bits,
                target_bits,
            } => write!(
                f,
                "the length limits allow at most {} bits here ({words} words; the default aims \
                 for {target_bits})",
                Bits(*bits)
            ),
            Warning::DuplicateWords { list, removed } => write!(
                f,
                "word list {list}: {removed} duplicate word(s) removed (they would have been \
                 drawn more often than the others)"
            ),
            Warning::FoldedDuplicates {
                list,
                merged,
                example,
                distinct,
            } => write!(
                f,
                "word list {list}: {merged} word(s) are the same as another after Unicode \
                 case-folding and NFC normalisation (for example {}); each group counts, and is \
                 drawn, as one word, leaving {distinct} distinct words",
                quote_all(example, " and ")
            ),
            Warning::ContainsSeparator {
                list,
                words,
                separator,
                example,
            } => write!(
                f,
                "word list {list}: {words} word(s) contain the separator {separator:?} (for \
                 example {example:?})"
            ),
            Warning::Ambiguous {
                list,
                separator,
                first,
                second,
                distinct,
                longest_prefix_chain,
            } => write!(
                f,
                "word list {list}: phrases joined with {} cannot always be split back into words \
                 ({} gives the same text as {}); entropy lowered to the bound \
                 k*log2({distinct}) - (k-1)*log2({longest_prefix_chain}) bits for k words",
                describe_separator(separator),
                quote_all(first, " + "),
                quote_all(second, " + "),
            ),
        }
    }
}

/// Bits for people: whole numbers as they are, else two decimals.
struct Bits(f64);

impl fmt::Display for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.fract() == 0.0 {
            write!(f, "{:.0}", self.0)
        } else {
            write!(f, "{:.2}", self.0)
        }
    }
}

/// "separator \"-\"", or "no separator".
pub(crate) fn describe_separator(separator: &str) -> String {
    if separator.is_empty() {
        "no separator".to_owned()
    } else {
        format!("separator {separator:?}")
    }
}

/// The words quoted and joined: `"a" + "b"`.
pub(crate) fn quote_all(words: &[String], joiner: &str) -> String {
    words
        .iter()
        .map(|w| format!("{w:?}"))
        .collect::<Vec<_>>()
        .join(joiner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_warning_is_one_line_saying_its_figures() {
        let cases = [
            (
                Warning::Weak {
                    length: 6,
                    bits: 19.931_568,
                },
                "(6 characters) has only 19.93 bits of entropy, under 64:",
            ),
            (
                Warning::ShortPassword {
                    length: 12,
                    bits: 72.0,
                    target_bits: 100,
                },
                "at most 12 characters, so each password has only 72 bits",
            ),
            (
                Warning::ShortPassphrase {
                    words: 3,
                    bits: 40.123,
                    target_bits: 75,
                },
                "allow at most 40.12 bits here (3 words; the default aims for 75)",
            ),
            (
                Warning::Ambiguous {
                    list: "l".into(),
                    separator: String::new(),
                    first: vec!["a".into(), "b".into()],
                    second: vec!["ab".into()],
                    distinct: 3,
                    longest_prefix_chain: 2,
                },
                "joined with no separator cannot always be split back into words (\"a\" + \"b\" \
                 gives the same text as \"ab\")",
            ),
        ];
        for (warning, needle) in cases {
            let text = warning.to_string();
            assert!(text.contains(needle), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
    }
}
