//! The ASCII character classes, spelled out once for every crate of the
//! family: the password classes and `passwordrules` sets of
//! `secrets-kit-gen`, the PIN, alphanumeric and base62 alphabets of
//! `secrets-kit-tokens`. They live here, in the crate both depend on, so
//! that neither defines a class the other defines too.
//!
//! Each is a `&str` of distinct characters in a fixed, documented order;
//! the order matters wherever a symbol's index is its value (base62).
//!
//! # Examples
//!
//! ```
//! use secrets_kit::charset::{ALPHANUMERIC, DIGITS, LOWER, SYMBOLS};
//!
//! assert_eq!(DIGITS.len(), 10);
//! assert!(ALPHANUMERIC.contains('Z') && ALPHANUMERIC.contains('7'));
//! let password: String = (0..12)
//!     .map(|_| *secrets_kit::choice(&LOWER.chars().chain(SYMBOLS.chars()).collect::<Vec<_>>()).unwrap())
//!     .collect();
//! assert_eq!(password.chars().count(), 12);
//! ```

// Each piece is written once, as a macro so that `concat!` can join the
// pieces into the larger sets at compile time.
macro_rules! lower {
    () => {
        "abcdefghijklmnopqrstuvwxyz"
    };
}
macro_rules! upper {
    () => {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    };
}
macro_rules! digits {
    () => {
        "0123456789"
    };
}
// The punctuation, in the four runs ASCII puts between the digits and the
// letters.
macro_rules! punct {
    (0) => {
        "!\"#$%&'()*+,-./"
    };
    (1) => {
        ":;<=>?@"
    };
    (2) => {
        "[\\]^_`"
    };
    (3) => {
        "{|}~"
    };
}

/// The 26 lowercase ASCII letters, `a` to `z`.
///
/// ```
/// assert_eq!(secrets_kit::charset::LOWER.len(), 26);
/// ```
pub const LOWER: &str = lower!();

/// The 26 uppercase ASCII letters, `A` to `Z`.
///
/// ```
/// assert!(secrets_kit::charset::UPPER.starts_with("ABC"));
/// ```
pub const UPPER: &str = upper!();

/// The 10 ASCII digits, `0` to `9`.
///
/// ```
/// assert_eq!(secrets_kit::charset::DIGITS, "0123456789");
/// ```
pub const DIGITS: &str = digits!();

/// The 32 ASCII punctuation characters, in ASCII order (Python's
/// `string.punctuation`).
///
/// ```
/// assert!(secrets_kit::charset::SYMBOLS.chars().all(|c| c.is_ascii_punctuation()));
/// ```
pub const SYMBOLS: &str = concat!(punct!(0), punct!(1), punct!(2), punct!(3));

/// Printable ASCII without the space: the 94 characters from `!` to `~`,
/// in ASCII order.
///
/// ```
/// assert_eq!(secrets_kit::charset::ASCII_PRINTABLE.len(), 94);
/// ```
pub const ASCII_PRINTABLE: &str = concat!(
    punct!(0),
    digits!(),
    punct!(1),
    upper!(),
    punct!(2),
    lower!(),
    punct!(3)
);

/// `A-Z a-z 0-9`: Python's `string.ascii_letters + string.digits`, upper
/// case first as there.
///
/// ```
/// assert!(secrets_kit::charset::ALPHANUMERIC.ends_with("xyz0123456789"));
/// ```
pub const ALPHANUMERIC: &str = concat!(upper!(), lower!(), digits!());

/// `0-9 A-Z a-z`: the 62 alphanumerics in ASCII order, the digit values of
/// base62.
///
/// ```
/// assert!(secrets_kit::charset::DIGITS_AND_LETTERS.starts_with("0123456789ABC"));
/// ```
pub const DIGITS_AND_LETTERS: &str = concat!(digits!(), upper!(), lower!());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_have_the_documented_sizes_order_and_no_repeats() {
        for (set, size) in [
            (LOWER, 26),
            (UPPER, 26),
            (DIGITS, 10),
            (SYMBOLS, 32),
            (ASCII_PRINTABLE, 94),
            (ALPHANUMERIC, 62),
            (DIGITS_AND_LETTERS, 62),
        ] {
            let mut chars: Vec<char> = set.chars().collect();
            assert_eq!(chars.len(), size, "{set}");
            chars.sort_unstable();
            chars.dedup();
            assert_eq!(chars.len(), size, "{set} repeats a character");
        }
        let printable: String = ('!'..='~').collect();
        assert_eq!(ASCII_PRINTABLE, printable);
        assert_eq!(LOWER, ('a'..='z').collect::<String>());
        assert_eq!(UPPER, ('A'..='Z').collect::<String>());
        assert_eq!(DIGITS, ('0'..='9').collect::<String>());
        let punctuation: String = printable
            .chars()
            .filter(char::is_ascii_punctuation)
            .collect();
        assert_eq!(SYMBOLS, punctuation);
        let ascii_order: String = printable
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        assert_eq!(DIGITS_AND_LETTERS, ascii_order);
    }
}
