//! The character classes, spelled out once.

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
/// Characters that are easy to misread for one another in common fonts.
pub(crate) const AMBIGUOUS: &str = "0Oo1lIi|B8G6'\"`";

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
    }
}
