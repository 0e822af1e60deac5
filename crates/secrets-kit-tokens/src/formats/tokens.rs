//! Tokens over the named alphabets and over any alphabet, and PINs.

use super::Alphabet;
use super::alphabet::{ascii_token, check_ascii_distinct, check_length, check_size};
use secrets_kit::{EntropySource, OsEntropy, Result};

/// A random token of `length` symbols over any alphabet of at least two
/// distinct symbols.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for an alphabet with a repeated symbol
/// (named in the message) or fewer than 2 symbols, or a length of 0;
/// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) and [`ErrorKind::Os`](crate::ErrorKind::Os) as for
/// [`Alphabet::token`].
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::formats::{ALPHANUMERIC, token_alphabet};
///
/// let password = token_alphabet(ALPHANUMERIC, 16)?;
/// assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
/// assert!(token_alphabet("aa", 4).is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_alphabet(alphabet: &str, length: usize) -> Result<String> {
    token_alphabet_with(&OsEntropy, alphabet, length)
}

/// [`token_alphabet`] drawing from `source`.
///
/// # Errors
///
/// As [`token_alphabet`], with `source`'s errors in place of the
/// kernel's.
///
/// # Examples
///
/// ```
/// let dna = secrets_kit_tokens::formats::token_alphabet_with(&secrets_kit::OsEntropy, "ACGT", 8)?;
/// assert_eq!(dna.len(), 8);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_alphabet_with<S: EntropySource + ?Sized>(
    source: &S,
    alphabet: &str,
    length: usize,
) -> Result<String> {
    if alphabet.is_ascii() {
        // The common case, without building an `Alphabet`: this function is
        // called once per token and should cost about one kernel call.
        check_ascii_distinct(alphabet.as_bytes())?;
        check_size(alphabet.len())?;
        check_length(length)?;
        return ascii_token(source, alphabet.as_bytes(), length);
    }
    Alphabet::new(alphabet)?.token_with(source, length)
}

/// A random RFC 4648 base32 token of `length` characters (`A-Z 2-7`,
/// 5 bits each).
///
/// There is no `=` padding: a token is a string of independent symbols,
/// not the encoding of a byte string. It still decodes as unpadded base32;
/// pick a multiple of 8 characters to get whole bytes (40 bits per 8).
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for a length of 0, [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge),
/// [`ErrorKind::Os`](crate::ErrorKind::Os).
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::token_base32(32)?.len(), 32);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_base32(length: usize) -> Result<String> {
    token_base32_with(&OsEntropy, length)
}

/// [`token_base32`] drawing from `source`.
///
/// # Errors
///
/// As [`token_base32`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::token_base32_with(&secrets_kit::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_base32_with<S: EntropySource + ?Sized>(source: &S, length: usize) -> Result<String> {
    Alphabet::base32().token_with(source, length)
}

/// A random Crockford base32 token of `length` characters (5 bits each),
/// upper case, without the easily confused `I L O U`.
///
/// # Errors
///
/// As [`token_base32`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::token_crockford(10)?.len(), 10);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_crockford(length: usize) -> Result<String> {
    token_crockford_with(&OsEntropy, length)
}

/// [`token_crockford`] drawing from `source`.
///
/// # Errors
///
/// As [`token_crockford`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::token_crockford_with(&secrets_kit::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_crockford_with<S: EntropySource + ?Sized>(
    source: &S,
    length: usize,
) -> Result<String> {
    Alphabet::crockford().token_with(source, length)
}

/// A random base58 token of `length` characters over Bitcoin's alphabet
/// (5.858 bits each).
///
/// Each character is drawn uniformly from the 58 symbols; this is *not*
/// the base58 encoding of random bytes, whose leading characters are
/// biased.
///
/// # Errors
///
/// As [`token_base32`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::token_base58(22)?.len(), 22);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_base58(length: usize) -> Result<String> {
    token_base58_with(&OsEntropy, length)
}

/// [`token_base58`] drawing from `source`.
///
/// # Errors
///
/// As [`token_base58`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::token_base58_with(&secrets_kit::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_base58_with<S: EntropySource + ?Sized>(source: &S, length: usize) -> Result<String> {
    Alphabet::base58().token_with(source, length)
}

/// A random numeric PIN of `digits` decimal digits; leading zeros are
/// kept, so every one of the `10^digits` PINs is equally likely.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for 0 digits, [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge),
/// [`ErrorKind::Os`](crate::ErrorKind::Os).
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::pin(4)?.len(), 4);
/// assert!(secrets_kit_tokens::formats::pin(0).is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn pin(digits: usize) -> Result<String> {
    pin_with(&OsEntropy, digits)
}

/// [`pin`] drawing from `source`.
///
/// # Errors
///
/// As [`pin`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::pin_with(&secrets_kit::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn pin_with<S: EntropySource + ?Sized>(source: &S, digits: usize) -> Result<String> {
    Alphabet::digits().token_with(source, digits)
}
