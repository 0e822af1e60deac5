//! Token formats beyond Python's: base32, Crockford base32, base58, PINs,
//! any alphabet, UUID v4/v7 and ULID, each unbiased, and "give me N bits".
//!
//! Python's `token_hex` and `token_urlsafe` encode random *bytes*; that is
//! unbiased only because 16 and 64 divide 256. For alphabets whose size is
//! not a power of two (base58, digits, alphanumerics) encoding bytes would
//! favour some symbols, so every function here draws each *symbol*
//! uniformly and independently, by rejection (see [`Alphabet`]). A token of
//! length `L` over `S` symbols then carries exactly `L * log2(S)` bits.
//!
//! | function | alphabet | bits per symbol |
//! |---|---|---|
//! | [`token_base32`] | `A-Z 2-7` (RFC 4648) | 5 |
//! | [`token_crockford`] | `0-9 A-Z` without `I L O U` | 5 |
//! | [`token_base58`] | Bitcoin's base58 | 5.858 |
//! | [`pin`] | `0-9` | 3.322 |
//! | [`token_alphabet`] | any, given by the caller | log2 of its size |
//! | [`uuid_v4`] / [`uuid_v7`] / [`ulid`] | fixed layouts | 122 / 74 / 80 random bits in all |
//!
//! To ask for a strength instead of a length, use [`length_for_bits`] (or
//! [`Alphabet::length_for_bits`]): it gives the shortest length reaching
//! the bits, and the exact bits reached.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_tokens::formats::{self, Alphabet};
//!
//! let id = formats::token_base58(22)?;
//! assert_eq!(id.chars().count(), 22);
//!
//! // The shortest base58 token with at least 128 bits.
//! let strength = Alphabet::base58().length_for_bits(128)?;
//! assert_eq!(strength.length, 22);
//! assert!(strength.bits >= 128.0);
//! # Ok::<(), secrets_kit::Error>(())
//! ```
//!
//! # Layout
//!
//! - `alphabet`: the named alphabets and [`Alphabet`];
//! - `tokens`: tokens over them and over any alphabet, and PINs;
//! - `ids`: UUID v4/v7 and ULID.
//!
//! The sampler behind every symbol is the crate's one uniform sampler; the
//! strength figures ([`Strength`], [`length_for_bits`], [`MAX_BITS`]) come
//! from [`secrets_kit::strength`] and are re-exported here.

mod alphabet;
mod ids;
mod ordered;
mod tokens;

pub use alphabet::{
    ALPHANUMERIC, Alphabet, BASE32_ALPHABET, BASE58_ALPHABET, CROCKFORD_ALPHABET, DIGITS,
};
pub use ids::*;
pub use ordered::{INCREMENT_BITS, Monotonic, OrderedId};
pub use tokens::*;

pub use secrets_kit::strength::{MAX_BITS, Strength, length_for_bits};

/// The strength the command line gives a token when neither a length nor
/// `--bits` is given: 128 bits, the security level of a 128-bit key and
/// the default of Go's `crypto/rand.Text`. Enough that guessing is
/// hopeless, while base32 tokens stay 26 characters long.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::formats::{Alphabet, DEFAULT_TOKEN_BITS};
/// assert_eq!(Alphabet::base32().length_for_bits(DEFAULT_TOKEN_BITS)?.length, 26);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const DEFAULT_TOKEN_BITS: u64 = 128;

#[cfg(test)]
mod tests {
    use super::*;
    use secrets_kit::ErrorKind;

    #[test]
    fn builtin_alphabets_pass_validation() {
        for (text, size) in [
            (BASE32_ALPHABET, 32),
            (CROCKFORD_ALPHABET, 32),
            (BASE58_ALPHABET, 58),
            (DIGITS, 10),
            (ALPHANUMERIC, 62),
        ] {
            assert_eq!(Alphabet::new(text).unwrap().len(), size, "{text}");
        }
        assert_eq!(Alphabet::base58(), Alphabet::new(BASE58_ALPHABET).unwrap());
    }

    #[test]
    fn duplicates_and_tiny_alphabets_are_rejected() {
        let err = Alphabet::new("abcb").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert!(err.to_string().contains("'b' (symbols 2 and 4)"), "{err}");
        let err = Alphabet::new("αβγβ").unwrap_err();
        assert!(err.to_string().contains("'β' (symbols 2 and 4)"), "{err}");
        for tiny in ["", "a", "é"] {
            let err = Alphabet::new(tiny).unwrap_err();
            assert!(err.to_string().contains("at least 2"), "{err}");
        }
        assert!(Alphabet::new("ab").is_ok());
    }

    #[test]
    fn tokens_use_only_the_alphabet_and_every_symbol_appears() {
        for alphabet in ["ab", "0123456789", BASE58_ALPHABET, "αβγδε", "a🂡"] {
            let a = Alphabet::new(alphabet).unwrap();
            let token = a.token(2000).unwrap();
            assert_eq!(token.chars().count(), 2000);
            for c in token.chars() {
                assert!(alphabet.contains(c));
            }
            // Each symbol has probability <= (1 - 1/58)^2000 < 1e-15 of
            // being missing.
            for c in alphabet.chars() {
                assert!(token.contains(c), "{c} missing from a 2000-symbol token");
            }
        }
    }

    #[test]
    fn wide_alphabets_use_wider_candidates() {
        let wide: String = (0..300u32)
            .filter_map(|i| char::from_u32(0x4e00 + i))
            .collect();
        let a = Alphabet::new(&wide).unwrap();
        assert_eq!(a.len(), 300);
        let token = a.token(50).unwrap();
        assert!(token.chars().all(|c| wide.contains(c)));
    }

    /// Chi-square test of a 300-symbol alphabet (2-byte candidates, with
    /// rejection): 60,000 symbols, 299 degrees of freedom. The critical
    /// value 429.9 has a false-alarm probability of 1e-6; taking the
    /// candidate modulo 300 without rejection would favour 136 symbols by
    /// 219:218, too little to see, but a wrong index map (say, the low
    /// part instead of the high part) fails at once.
    #[test]
    fn wide_alphabet_symbols_are_uniform() {
        let wide: String = (0..300u32)
            .filter_map(|i| char::from_u32(0x4e00 + i))
            .collect();
        let token = Alphabet::new(&wide).unwrap().token(60_000).unwrap();
        let mut counts = vec![0u32; 300];
        for c in token.chars() {
            counts[(u32::from(c) - 0x4e00) as usize] += 1;
        }
        let expected = 200.0;
        let chi: f64 = counts
            .iter()
            .map(|&n| (f64::from(n) - expected).powi(2) / expected)
            .sum();
        assert!(chi < 429.9, "chi-square {chi}");
    }

    #[test]
    fn zero_length_is_an_error() {
        for result in [
            token_base32(0),
            token_crockford(0),
            token_base58(0),
            pin(0),
            token_alphabet("ab", 0),
        ] {
            assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidValue);
        }
    }

    #[test]
    fn huge_lengths_are_errors_not_aborts() {
        let err = token_base32(usize::MAX).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        let err = token_alphabet("αβ", usize::MAX / 2 + 1).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
    }

    #[test]
    fn length_for_bits_boundaries() {
        // Power-of-two alphabets: exact.
        assert_eq!(
            length_for_bits(32, 130).unwrap(),
            Strength {
                length: 26,
                bits: 130.0
            }
        );
        assert_eq!(
            length_for_bits(32, 131).unwrap(),
            Strength {
                length: 27,
                bits: 135.0
            }
        );
        assert_eq!(length_for_bits(2, 1).unwrap().length, 1);
        assert_eq!(length_for_bits(16, 256).unwrap().length, 64);
        // Others: the shortest length reaching the bits, checked against
        // a direct search.
        for symbols in [3usize, 10, 36, 58, 62, 94, 7776, 1 << 20 | 1] {
            for bits in 1..=300u64 {
                let s = length_for_bits(symbols, bits).unwrap();
                let per = (symbols as f64).log2();
                assert!(s.bits >= bits as f64);
                assert!(((s.length - 1) as f64) * per < bits as f64);
                assert!((s.bits - s.length as f64 * per).abs() < 1e-9);
            }
        }
        assert!(length_for_bits(1, 10).is_err());
        assert!(length_for_bits(10, 0).is_err());
        assert!(length_for_bits(10, MAX_BITS + 1).is_err());
        assert_eq!(
            length_for_bits(2, MAX_BITS).unwrap().length as u64,
            MAX_BITS
        );
    }

    #[test]
    fn debug_shows_the_symbols() {
        assert_eq!(
            format!("{:?}", Alphabet::new("xyz").unwrap()),
            "Alphabet(\"xyz\")"
        );
    }
}
