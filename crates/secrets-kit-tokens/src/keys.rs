//! Keys in the exact formats web frameworks and token libraries expect.
//!
//! | format | what | length | where the format comes from |
//! |---|---|---|---|
//! | [`Fernet`](KeyFormat::Fernet) | URL-safe base64 **with** padding of 32 random bytes | 44 | `cryptography.fernet.Fernet.generate_key()`: `base64.urlsafe_b64encode(os.urandom(32))`; the Fernet spec's signing key and encryption key, 16 bytes each |
//! | [`Django`](KeyFormat::Django) | 50 characters over `abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)` | 50 | `django.core.management.utils.get_random_secret_key()`: `get_random_string(50, ...)` over that alphabet |
//! | [`Flask`](KeyFormat::Flask) | 64 hex digits: 32 random bytes | 64 | Flask's docs on `SECRET_KEY`: `python -c 'import secrets; print(secrets.token_hex())'` |
//! | [`Rails`](KeyFormat::Rails) | 128 hex digits: 64 random bytes | 128 | `bin/rails secret` (`SecureRandom.hex(64)`), for `secret_key_base` |
//! | [`JwtHs256`](KeyFormat::JwtHs256) | URL-safe base64 without padding of 32 random bytes | 43 | RFC 7518 section 3.2: an HS256 key must be at least the hash size, 256 bits |
//! | [`JwtHs512`](KeyFormat::JwtHs512) | URL-safe base64 without padding of 64 random bytes | 86 | RFC 7518 section 3.2: at least 512 bits for HS512 |
//!
//! The JWT keys are written as base64url without padding because that is
//! how JOSE itself writes key bytes (the `k` member of a symmetric JWK,
//! RFC 7518 section 6.4.1): the text can go straight into a JWK, and any
//! library taking raw bytes gets them back with one base64url decode.
//! Using the text itself as the HMAC key would also work, but would hide
//! the key's strength behind an encoding.
//!
//! Every character of the Django key is drawn uniformly and independently
//! (rejection sampling), as Django's `get_random_string` does with
//! `secrets.choice`.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_tokens::keys::{KeyFormat, framework_key};
//!
//! let key = framework_key(KeyFormat::Fernet)?;
//! assert_eq!(key.len(), 44);
//! assert!(key.ends_with('='));
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use zeroize::{Zeroize as _, Zeroizing};

use secrets_kit::Uniform;
use secrets_kit::{EntropySource, OsEntropy, Result};

/// Django's secret-key alphabet (`RANDOM_STRING_CHARS` lower case and
/// digits, plus `!@#$%^&*(-_=+)`), 50 characters.
///
/// ```
/// assert_eq!(secrets_kit_tokens::keys::DJANGO_ALPHABET.len(), 50);
/// ```
pub const DJANGO_ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";

/// The framework whose key format to follow. See the module notes for each
/// format and its source.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::keys::KeyFormat;
/// assert_eq!(KeyFormat::from_name("jwt-hs256"), Some(KeyFormat::JwtHs256));
/// assert_eq!(KeyFormat::Rails.name(), "rails");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyFormat {
    /// `cryptography`'s Fernet: URL-safe base64 of 32 bytes, padded.
    Fernet,
    /// Django's `SECRET_KEY`: 50 characters over [`DJANGO_ALPHABET`].
    Django,
    /// Flask's `SECRET_KEY`: `secrets.token_hex()`, 32 bytes in hex.
    Flask,
    /// Rails' `secret_key_base`: 64 bytes in hex.
    Rails,
    /// An HS256 JWT key: 32 bytes, base64url without padding.
    JwtHs256,
    /// An HS512 JWT key: 64 bytes, base64url without padding.
    JwtHs512,
}

impl KeyFormat {
    /// Every format, in the order of the table above.
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::keys::KeyFormat::ALL.len(), 6);
    /// ```
    pub const ALL: [KeyFormat; 6] = [
        KeyFormat::Fernet,
        KeyFormat::Django,
        KeyFormat::Flask,
        KeyFormat::Rails,
        KeyFormat::JwtHs256,
        KeyFormat::JwtHs512,
    ];

    /// The format's name on the command line.
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::keys::KeyFormat::JwtHs512.name(), "jwt-hs512");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            KeyFormat::Fernet => "fernet",
            KeyFormat::Django => "django",
            KeyFormat::Flask => "flask",
            KeyFormat::Rails => "rails",
            KeyFormat::JwtHs256 => "jwt-hs256",
            KeyFormat::JwtHs512 => "jwt-hs512",
        }
    }

    /// The format named `name` (as [`name`](Self::name) gives it).
    ///
    /// ```
    /// use secrets_kit_tokens::keys::KeyFormat;
    /// assert_eq!(KeyFormat::from_name("django"), Some(KeyFormat::Django));
    /// assert_eq!(KeyFormat::from_name("nope"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    /// The key is one of `symbols^length` equally likely values: for byte
    /// keys `symbols` is 256 and `length` the bytes; for Django 50 and 50.
    ///
    /// ```
    /// use secrets_kit_tokens::keys::KeyFormat;
    /// assert_eq!(KeyFormat::Rails.space(), (256, 64));
    /// assert_eq!(KeyFormat::Django.space(), (50, 50));
    /// ```
    #[must_use]
    pub fn space(self) -> (u32, usize) {
        match self {
            KeyFormat::Django => (50, 50),
            KeyFormat::Rails | KeyFormat::JwtHs512 => (256, 64),
            KeyFormat::Fernet | KeyFormat::Flask | KeyFormat::JwtHs256 => (256, 32),
        }
    }

    /// The key's entropy in bits: `length * log2(symbols)`.
    ///
    /// ```
    /// use secrets_kit_tokens::keys::KeyFormat;
    /// assert_eq!(KeyFormat::Fernet.entropy_bits(), 256.0);
    /// assert!((KeyFormat::Django.entropy_bits() - 282.19).abs() < 0.01);
    /// ```
    #[must_use]
    pub fn entropy_bits(self) -> f64 {
        let (symbols, length) = self.space();
        length as f64 * f64::from(symbols).log2()
    }
}

/// A key in `format`, drawn from the kernel.
///
/// # Errors
///
/// As [`framework_key_with`].
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::keys::{KeyFormat, framework_key};
/// assert_eq!(framework_key(KeyFormat::Rails)?.len(), 128);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn framework_key(format: KeyFormat) -> Result<String> {
    framework_key_with(&OsEntropy, format)
}

/// A key in `format`, its randomness drawn from `source`.
///
/// # Errors
///
/// The source's error when it fails.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::keys::{KeyFormat, framework_key_with};
/// use secrets_kit::{EntropySource, Result};
///
/// struct Zeros;
/// impl EntropySource for Zeros {
///     fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
///         dest.fill(0);
///         Ok(())
///     }
/// }
///
/// assert_eq!(framework_key_with(&Zeros, KeyFormat::Fernet)?, format!("{}=", "A".repeat(43)));
/// assert_eq!(framework_key_with(&Zeros, KeyFormat::Flask)?, "0".repeat(64));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn framework_key_with<S: EntropySource + ?Sized>(
    source: &S,
    format: KeyFormat,
) -> Result<String> {
    let (symbols, length) = format.space();
    if format == KeyFormat::Django {
        let alphabet = DJANGO_ALPHABET.as_bytes();
        let mut key = Zeroizing::new(Vec::with_capacity(length));
        Uniform::new(symbols)?
            .sample(source, length, |index| key.push(alphabet[index as usize]))?;
        return Ok(key.iter().map(|&b| char::from(b)).collect());
    }
    let mut bytes = Zeroizing::new([0u8; 64]);
    let bytes = &mut bytes[..length];
    source.fill_bytes(bytes)?;
    let key = match format {
        KeyFormat::Fernet => URL_SAFE.encode(&*bytes),
        KeyFormat::JwtHs256 | KeyFormat::JwtHs512 => URL_SAFE_NO_PAD.encode(&*bytes),
        _ => const_hex::encode(&*bytes),
    };
    bytes.zeroize();
    Ok(key)
}
