//! Every character set of the crate: the classes of passwords and of
//! `passwordrules` and what rule-constrained passphrases insert (the core's
//! [`secrets_kit::charset`], the one definition the token crate shares),
//! and, spelled out here, the look-alikes and the letters of the styles.

// The ASCII classes are the core's, shared with `secrets-kit-tokens`.
pub(crate) use secrets_kit::charset::{ASCII_PRINTABLE, DIGITS, LOWER, SYMBOLS, UPPER};

/// The `special` class of the `passwordrules` language: the ASCII
/// punctuation but `/` and `\`, as the proposal lists it
/// (`-~!@#$%^&*_+=`|(){}[:;"'<>,.?]` and the space) and Apple's own
/// generator draws it. Sites that name `special` expect these; a `/` or `\`
/// is refused by some. The space is left out here (see
/// `PasswordPolicy::from_rules`).
pub(crate) const RULES_SPECIAL: &str = "-~!@#$%^&*_+=`|(){}[:;\"'<>,.?]";

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
    secrets_kit::charset::DIGITS_AND_LETTERS.chars()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crates_own_sets_fit_the_core_classes() {
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
