//! Text built at its exact length, so that no copy of it is left behind.
//!
//! A `String` that grows moves its contents to a larger allocation and
//! frees the old one as it is: wiping the final string cannot reach those
//! copies. Text holding a secret (an enrolment URI, the drawing of its QR
//! code) is therefore written twice: once to count its bytes, then into a
//! string allocated once at exactly that size.

use std::fmt;

use zeroize::Zeroizing;

/// Counts the bytes written to it.
struct Measure(usize);

impl fmt::Write for Measure {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0 += text.len();
        Ok(())
    }
}

/// The text `write` produces, in a string whose capacity is its length.
/// `write` must write the same text each time it is called.
///
/// Writing to a `String` cannot fail; neither can `write` unless one of the
/// `Display` impls it uses does, and then the text stops there.
pub(crate) fn exact_string(
    write: impl Fn(&mut dyn fmt::Write) -> fmt::Result,
) -> Zeroizing<String> {
    let mut measure = Measure(0);
    let _ = write(&mut measure);
    let mut text = Zeroizing::new(String::with_capacity(measure.0));
    let _ = write(&mut *text);
    debug_assert_eq!(
        text.len(),
        measure.0,
        "the writer wrote different text twice"
    );
    debug_assert_eq!(text.capacity(), measure.0, "the text was reallocated");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_capacity_is_the_length() {
        for n in [0usize, 1, 7, 100, 10_000] {
            let text = exact_string(|out| {
                for i in 0..n {
                    write!(out, "{i},")?;
                }
                out.write_str("é")
            });
            let expected: String = (0..n).map(|i| format!("{i},")).collect::<String>() + "é";
            assert_eq!(*text, expected);
            assert_eq!(text.capacity(), text.len());
        }
    }
}
