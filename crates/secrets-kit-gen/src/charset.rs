//! Every character set of the crate, spelled out once: the classes of
//! passwords and of `passwordrules`, the look-alikes, the letters of the
//! styles, and what rule-constrained passphrases insert.

/// The 26 lowercase ASCII letters.
pub(crate) const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
/// The 26 uppercase ASCII letters.
pub(crate) const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// The 10 ASCII digits.
pub(crate) const DIGITS: &str = "0123456789";
/// The 32 ASCII punctuation characters (Python's `string.punctuation`).
pub(crate) const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
/// Printable ASCII without the space: the 94 characters from `!` to `~`.
pub(crate) const ASCII_PRINTABLE: &str = concat!(
    "!\"#$%&'()*+,-./0123456789:;<=>?@",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`",
    "abcdefghijklmnopqrstuvwxyz{|}~"
);
/// The characters [`PasswordPolicy::exclude_ambiguous`] leaves out, because
/// common fonts make them easy to mistake for one another: `0 O o`, `1 l I i |`,
/// `B 8`, `G 6`, and the quotes `' " `` ` ``.
///
/// [`PasswordPolicy::exclude_ambiguous`]: crate::password::PasswordPolicy::exclude_ambiguous
///
/// # Examples
///
/// ```
/// assert!(secrets_kit_gen::password::AMBIGUOUS.contains('O'));
/// assert!(!secrets_kit_gen::password::AMBIGUOUS.contains('x'));
/// ```
pub const AMBIGUOUS: &str = "0Oo1lIi|B8G6'\"`";
/// Consonants of [`Style::Pronounceable`]: no `q`, `x` or `y`, which read
/// aloud ambiguously.
///
/// [`Style::Pronounceable`]: crate::password::Style::Pronounceable
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::CONSONANTS;
/// assert_eq!(CONSONANTS.len(), 18);
/// assert!(!CONSONANTS.contains('q'));
/// ```
pub const CONSONANTS: &str = "bcdfghjklmnprstvwz";
/// Vowels of [`Style::Pronounceable`].
///
/// [`Style::Pronounceable`]: crate::password::Style::Pronounceable
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_gen::password::VOWELS, "aeiou");
/// ```
pub const VOWELS: &str = "aeiou";
/// The characters of [`Style::Alnum`]: digits, then upper case, then
/// lower case.
///
/// [`Style::Alnum`]: crate::password::Style::Alnum
pub(crate) fn alnum() -> impl Iterator<Item = char> {
    DIGITS.chars().chain(UPPER.chars()).chain(LOWER.chars())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_have_the_documented_sizes_and_no_repeats() {
        for (set, size) in [
            (LOWER, 26),
            (UPPER, 26),
            (DIGITS, 10),
            (SYMBOLS, 32),
            (ASCII_PRINTABLE, 94),
        ] {
            let mut chars: Vec<char> = set.chars().collect();
            assert_eq!(chars.len(), size, "{set}");
            chars.sort_unstable();
            chars.dedup();
            assert_eq!(chars.len(), size, "{set} repeats a character");
        }
        let printable: String = ('!'..='~').collect();
        assert_eq!(ASCII_PRINTABLE, printable);
        assert!(SYMBOLS.chars().all(|c| c.is_ascii_punctuation()));
        assert!(AMBIGUOUS.chars().all(|c| ASCII_PRINTABLE.contains(c)));
        // The styles' letters: consonants and vowels split the lower case
        // but for q, x and y; alnum is the three classes, each once.
        let mut letters: Vec<char> = CONSONANTS.chars().chain(VOWELS.chars()).collect();
        letters.sort_unstable();
        let expected: Vec<char> = LOWER.chars().filter(|c| !"qxy".contains(*c)).collect();
        assert_eq!(letters, expected);
        let mut alnum: Vec<char> = alnum().collect();
        assert_eq!(alnum.len(), 62);
        alnum.sort_unstable();
        alnum.dedup();
        assert_eq!(alnum.len(), 62);
        assert!(alnum.iter().all(char::is_ascii_alphanumeric));
    }
}
