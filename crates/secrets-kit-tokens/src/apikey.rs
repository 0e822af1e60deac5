//! API keys that secret scanners can find and check offline.
//!
//! The layout is the one GitHub ("`ghp_...`") and npm use: a short prefix
//! naming the issuer, then random characters, then a checksum of those
//! characters, so that a scanner can tell a real key from a lookalike
//! without asking the issuer:
//!
//! ```text
//! PREFIX  [a-z][a-z0-9]{1,9}_            names the issuer
//! BODY    30 characters of base62         178.6 random bits
//! CHECK   CRC-32 of BODY, base62, 6 chars zero-padded
//! ```
//!
//! Base62 is `0-9A-Za-z`, in that order (digit `i` is the `i`-th
//! character). Each body character is drawn uniformly and independently
//! (rejection sampling, no modulo bias). The checksum is CRC-32 as zlib's
//! `crc32` computes it (IEEE polynomial, reflected, initial and final
//! `0xFFFFFFFF`) over the 30 body characters as ASCII bytes; written in
//! base62 it takes at most 6 digits, since `62^6 > 2^32`.
//!
//! The checksum only catches typos and lookalikes: it is no secret and no
//! signature. A key is as strong as its 30 random characters.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_tokens::apikey;
//!
//! let key = apikey::api_key("acme_")?;
//! assert!(key.starts_with("acme_"));
//! assert_eq!(key.len(), 5 + 36);
//! assert!(apikey::verify_api_key(&key).is_ok());
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use zeroize::Zeroize as _;

use secrets_kit::Uniform;
use secrets_kit::{EntropySource, Error, OsEntropy, Result};

/// The base62 alphabet of API keys: digits, then upper case, then lower
/// case letters.
///
/// ```
/// assert_eq!(secrets_kit_tokens::apikey::BASE62_ALPHABET.len(), 62);
/// ```
pub const BASE62_ALPHABET: &str = secrets_kit::charset::DIGITS_AND_LETTERS;

/// Random base62 characters in a key.
///
/// ```
/// assert_eq!(secrets_kit_tokens::apikey::RANDOM_CHARS, 30);
/// ```
pub const RANDOM_CHARS: usize = 30;

/// Base62 characters of the checksum.
///
/// ```
/// assert_eq!(secrets_kit_tokens::apikey::CHECKSUM_CHARS, 6);
/// ```
pub const CHECKSUM_CHARS: usize = 6;

/// The characters of the shortest key: a prefix of 3 (a letter, another
/// letter or digit, `_`), the random characters and the checksum. Keys are
/// ASCII, so this is their length in bytes too.
///
/// ```
/// use secrets_kit_tokens::apikey::{MIN_KEY_CHARS, verify_api_key, Invalid};
/// assert_eq!(MIN_KEY_CHARS, 39);
/// assert_eq!(verify_api_key(&"a".repeat(MIN_KEY_CHARS - 1)), Err(Invalid::Length));
/// ```
pub const MIN_KEY_CHARS: usize = 3 + RANDOM_CHARS + CHECKSUM_CHARS;

/// The characters of the longest key: a prefix of 11, the random
/// characters and the checksum. A longer input is no key, whatever it
/// holds: a caller holding text in another form (a Python `str`, a file)
/// can refuse it by its length before converting it.
///
/// ```
/// use secrets_kit_tokens::apikey::{MAX_KEY_CHARS, verify_api_key, Invalid};
/// assert_eq!(MAX_KEY_CHARS, 47);
/// assert_eq!(verify_api_key(&"a".repeat(MAX_KEY_CHARS + 1)), Err(Invalid::Length));
/// ```
pub const MAX_KEY_CHARS: usize = 11 + RANDOM_CHARS + CHECKSUM_CHARS;

/// The random bits of a key: `30 * log2(62)`, about 178.6.
///
/// ```
/// assert!((secrets_kit_tokens::apikey::random_bits() - 178.62).abs() < 0.01);
/// ```
#[must_use]
pub fn random_bits() -> f64 {
    RANDOM_CHARS as f64 * 62f64.log2()
}

/// Checks that `prefix` has the form `[a-z][a-z0-9]{1,9}_`.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue), saying
/// what is allowed.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::apikey::check_prefix;
/// assert!(check_prefix("ghp_").is_ok());
/// assert!(check_prefix("GHP_").is_err());
/// assert!(check_prefix("ghp").is_err());
/// // A long prefix is shown by its start and length.
/// let err = check_prefix(&"x".repeat(1000)).unwrap_err().to_string();
/// assert!(err.contains("... (1000 characters)") && err.len() < 300);
/// ```
pub fn check_prefix(prefix: &str) -> Result<()> {
    if is_valid_prefix(prefix) {
        Ok(())
    } else {
        // A valid prefix has at most 11 characters: a longer one is shown
        // by its start and length, so a huge input makes no huge message.
        let shown = Error::quoted(prefix);
        Err(Error::invalid(format!(
            "the API-key prefix {shown} is not allowed; it must be a lower-case letter, \
             then 1 to 9 lower-case letters or digits, then '_' (like 'ghp_' or 'acme2_')"
        )))
    }
}

fn is_valid_prefix(prefix: &str) -> bool {
    let bytes = prefix.as_bytes();
    let Some((&last, head)) = bytes.split_last() else {
        return false;
    };
    last == b'_'
        && (2..=10).contains(&head.len())
        && head[0].is_ascii_lowercase()
        && head[1..]
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A new API key with `prefix`, drawn from the kernel.
///
/// # Errors
///
/// As [`api_key_with`].
///
/// # Examples
///
/// ```
/// let key = secrets_kit_tokens::apikey::api_key("acme_")?;
/// assert!(secrets_kit_tokens::apikey::verify_api_key(&key).is_ok());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn api_key(prefix: &str) -> Result<String> {
    api_key_with(&OsEntropy, prefix)
}

/// A new API key with `prefix`, its random characters drawn from `source`.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when the
/// prefix is not of the form `[a-z][a-z0-9]{1,9}_`; the source's error when
/// it fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::{EntropySource, Result};
///
/// /// Every byte 1: each candidate is accepted (1 * 62 = 62, whose low
/// /// byte is not below 256 mod 62 = 8) and maps to index 0, '0'.
/// struct Ones;
/// impl EntropySource for Ones {
///     fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
///         dest.fill(1);
///         Ok(())
///     }
/// }
///
/// let key = secrets_kit_tokens::apikey::api_key_with(&Ones, "acme_")?;
/// // zlib.crc32(b"0" * 30) in base62 is "2C8GjS".
/// assert_eq!(key, format!("acme_{}2C8GjS", "0".repeat(30)));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn api_key_with<S: EntropySource + ?Sized>(source: &S, prefix: &str) -> Result<String> {
    check_prefix(prefix)?;
    let alphabet = BASE62_ALPHABET.as_bytes();
    let mut body = [0u8; RANDOM_CHARS];
    let mut filled = 0;
    Uniform::new(62)?.sample(source, RANDOM_CHARS, |index| {
        body[filled] = alphabet[index as usize];
        filled += 1;
    })?;
    let mut key = String::with_capacity(prefix.len() + RANDOM_CHARS + CHECKSUM_CHARS);
    key.push_str(prefix);
    // The body is ASCII base62.
    key.extend(body.iter().map(|&b| char::from(b)));
    key.push_str(&checksum(&body));
    body.zeroize();
    Ok(key)
}

/// The 6-character base62 CRC-32 of `body`, zero-padded on the left.
///
/// # Examples
///
/// ```
/// // zlib.crc32(b"123456789") is 0xCBF43926, "3jZRME" in base62.
/// assert_eq!(secrets_kit_tokens::apikey::checksum(b"123456789"), "3jZRME");
/// ```
#[must_use]
pub fn checksum(body: &[u8]) -> String {
    let mut value = crc32fast::hash(body);
    let alphabet = BASE62_ALPHABET.as_bytes();
    let mut digits = [b'0'; CHECKSUM_CHARS];
    for slot in digits.iter_mut().rev() {
        *slot = alphabet[(value % 62) as usize];
        value /= 62;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

/// Why a token is not a valid API key.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::apikey::{Invalid, verify_api_key};
/// assert_eq!(verify_api_key("nope"), Err(Invalid::Length));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalid {
    /// Too short or too long for a prefix of 3 to 11 characters and 36
    /// base62 characters.
    Length,
    /// The prefix is not `[a-z][a-z0-9]{1,9}_`.
    Prefix,
    /// A character after the prefix is not base62.
    Character,
    /// The checksum does not match the random characters.
    Checksum,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Invalid::Length => "the length does not fit a prefix and 36 base62 characters",
            Invalid::Prefix => "the prefix is not of the form [a-z][a-z0-9]{1,9}_",
            Invalid::Character => "a character after the prefix is not base62 (0-9 A-Z a-z)",
            Invalid::Checksum => "the checksum does not match",
        })
    }
}

impl std::error::Error for Invalid {}

/// Checks the layout and checksum of an API key, with any valid prefix.
///
/// The comparison of the checksum need not be constant-time: the checksum
/// is computed from the token itself and is no secret.
///
/// # Errors
///
/// The first [`Invalid`] reason found.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::apikey::{Invalid, api_key, verify_api_key};
///
/// let key = api_key("acme_")?;
/// assert!(verify_api_key(&key).is_ok());
/// let mut typo = key.into_bytes();
/// typo[10] = if typo[10] == b'a' { b'b' } else { b'a' };
/// assert_eq!(verify_api_key(std::str::from_utf8(&typo)?), Err(Invalid::Checksum));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_api_key(token: &str) -> std::result::Result<(), Invalid> {
    let tail = RANDOM_CHARS + CHECKSUM_CHARS;
    let bytes = token.as_bytes();
    if !(MIN_KEY_CHARS..=MAX_KEY_CHARS).contains(&bytes.len()) {
        return Err(Invalid::Length);
    }
    if !token.is_char_boundary(bytes.len() - tail) {
        return Err(Invalid::Character);
    }
    let (prefix, rest) = token.split_at(bytes.len() - tail);
    if !is_valid_prefix(prefix) {
        return Err(Invalid::Prefix);
    }
    if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Invalid::Character);
    }
    let (body, check) = rest.split_at(RANDOM_CHARS);
    if checksum(body.as_bytes()) == check {
        Ok(())
    } else {
        Err(Invalid::Checksum)
    }
}

/// [`verify_api_key`], and the prefix must be `prefix`: then every single
/// changed character is caught, the prefix's too.
///
/// # Errors
///
/// [`Invalid::Prefix`] when the token has another prefix; else as
/// [`verify_api_key`].
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::apikey::{Invalid, api_key, verify_api_key_for};
///
/// let key = api_key("acme_")?;
/// assert_eq!(verify_api_key_for(&key, "acme_"), Ok(()));
/// assert_eq!(verify_api_key_for(&key, "acmf_"), Err(Invalid::Prefix));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn verify_api_key_for(token: &str, prefix: &str) -> std::result::Result<(), Invalid> {
    verify_api_key(token)?;
    if token.len() == prefix.len() + RANDOM_CHARS + CHECKSUM_CHARS && token.starts_with(prefix) {
        Ok(())
    } else {
        Err(Invalid::Prefix)
    }
}

/// A regular expression matching exactly the keys of this layout with
/// `prefix`, for secret scanners: the prefix, 36 base62 characters, and
/// word boundaries on both sides, so a longer run of word characters does
/// not match. (A regular expression cannot check the CRC: feed its matches
/// to [`verify_api_key`] or `secrets verify-token`.)
///
/// # Errors
///
/// As [`check_prefix`].
///
/// # Examples
///
/// ```
/// assert_eq!(
///     secrets_kit_tokens::apikey::api_key_regex("acme_")?,
///     r"\bacme_[0-9A-Za-z]{36}\b"
/// );
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn api_key_regex(prefix: &str) -> Result<String> {
    check_prefix(prefix)?;
    // The prefix is `[a-z0-9_]` only: nothing in it needs escaping.
    Ok(format!(
        r"\b{prefix}[0-9A-Za-z]{{{}}}\b",
        RANDOM_CHARS + CHECKSUM_CHARS
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        for good in ["ab_", "ghp_", "a123456789_", "npm_", "z9_"] {
            assert!(check_prefix(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "_",
            "a_",
            "ab",
            "Ab_",
            "1ab_",
            "ab-_",
            "a1234567890_",
            "ab__",
            "ab_c",
            "äb_",
        ] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn checksum_of_the_crc_check_value() {
        // CRC-32's check value: "123456789" gives 0xCBF43926.
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
        // 3421780262 = 3*62^5 + 45*62^4 + 35*62^3 + 27*62^2 + 22*62 + 14.
        assert_eq!(
            3 * 62u64.pow(5) + 45 * 62u64.pow(4) + 35 * 62u64.pow(3) + 27 * 62 * 62 + 22 * 62 + 14,
            0xCBF4_3926
        );
        assert_eq!(checksum(b"123456789"), "3jZRME");
        // CRC-32 of nothing is 0: all padding.
        assert_eq!(checksum(b""), "000000");
    }

    #[test]
    fn non_ascii_input_is_rejected_not_panicking() {
        let key = format!("ab_{}é{}", "0".repeat(29), "0".repeat(5));
        assert!(verify_api_key(&key).is_err());
        let key = format!("aé_{}", "0".repeat(36));
        assert!(verify_api_key(&key).is_err());
    }
}
