//! TOTP enrolment (RFC 6238, RFC 4226 and the Key URI Format): a fresh
//! secret, the `otpauth://totp/...` URI an authenticator app scans, and
//! the codes the app will show.
//!
//! A secret is 160 random bits (the length RFC 4226 section 4 recommends),
//! written in RFC 4648 base32 without padding: 32 characters. The URI is
//!
//! ```text
//! otpauth://totp/ISSUER:ACCOUNT?secret=SECRET&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
//! ```
//!
//! with the issuer and account percent-encoded as UTF-8, every byte but
//! the unreserved `A-Z a-z 0-9 - . _ ~` written `%XX` (so a space is
//! `%20`, `@` is `%40`, `:` is `%3A`); the `:` between issuer and account
//! is literal, as in the format's examples. The issuer may not contain a
//! colon (the Key URI Format forbids it: apps split the label at the first
//! one).
//!
//! # Examples
//!
//! ```
//! use secrets_kit_otp::totp::{Enrolment, TotpOptions};
//!
//! let enrolment = Enrolment::new(&TotpOptions::new("Example Co", "alice@example.com"))?;
//! assert!(enrolment.uri().starts_with("otpauth://totp/Example%20Co:alice%40example.com?secret="));
//! assert_eq!(enrolment.secret_base32().len(), 32);
//! let code = enrolment.code_at(1_700_000_000)?;
//! assert_eq!(code.len(), 6);
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use hmac::Hmac;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::exact_text::exact_string;
use crate::{EntropySource, Error, OsEntropy, Result};

/// Bytes in a new secret: 160 bits, as RFC 4226 section 4 recommends.
///
/// ```
/// assert_eq!(secrets_kit_otp::totp::SECRET_BYTES, 20);
/// ```
pub const SECRET_BYTES: usize = 20;

/// The longest issuer or account name, in bytes: enough for any real name,
/// and short enough that the URI always fits a QR code a phone reads.
///
/// ```
/// assert_eq!(secrets_kit_otp::totp::MAX_NAME_BYTES, 256);
/// ```
pub const MAX_NAME_BYTES: usize = 256;

/// The longest period, in seconds (an hour); authenticator apps mostly
/// support only 30.
///
/// ```
/// assert_eq!(secrets_kit_otp::totp::MAX_PERIOD, 3600);
/// ```
pub const MAX_PERIOD: u32 = 3600;

/// Everything but RFC 3986's unreserved characters is percent-encoded.
const NAME_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The HMAC hash of the codes.
///
/// # Examples
///
/// ```
/// use secrets_kit_otp::totp::Algorithm;
/// assert_eq!(Algorithm::default(), Algorithm::Sha1);
/// assert_eq!(Algorithm::Sha256.name(), "SHA256");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// HMAC-SHA1: the default, and the only one every app supports.
    #[default]
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl Algorithm {
    /// The name in the URI's `algorithm` parameter.
    ///
    /// ```
    /// assert_eq!(secrets_kit_otp::totp::Algorithm::Sha512.name(), "SHA512");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    /// RFC 4226's dynamic truncation of the HMAC of `message` under `key`:
    /// 31 bits picked by the last byte's low nibble.
    ///
    /// The HMAC state and its output are wiped when dropped (the `zeroize`
    /// features of `hmac`, `sha1` and `sha2`); the output is read where it
    /// is, never copied.
    fn truncated_mac(self, key: &[u8], message: &[u8]) -> Result<u32> {
        fn run<M: hmac::Mac + hmac::KeyInit>(key: &[u8], message: &[u8]) -> u32 {
            // HMAC takes keys of any length.
            let mut mac = <M as hmac::KeyInit>::new_from_slice(key).expect("HMAC takes any key");
            mac.update(message);
            let output = mac.finalize();
            let bytes = output.as_bytes();
            let offset = usize::from(bytes[bytes.len() - 1] & 0x0f);
            u32::from_be_bytes([
                bytes[offset],
                bytes[offset + 1],
                bytes[offset + 2],
                bytes[offset + 3],
            ]) & 0x7fff_ffff
        }
        if key.is_empty() {
            return Err(Error::invalid("a TOTP secret must not be empty"));
        }
        Ok(match self {
            Algorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, message),
            Algorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
            Algorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, message),
        })
    }
}

/// The HOTP code (RFC 4226 section 5.3) of `key` for `counter`: the HMAC
/// of the big-endian counter, dynamically truncated to 31 bits, modulo
/// `10^digits`, zero-padded.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
/// `digits` is not 6, 7 or 8, or the key is empty.
///
/// # Examples
///
/// ```
/// use secrets_kit_otp::totp::{Algorithm, hotp};
/// // RFC 4226 appendix D, count 0.
/// assert_eq!(hotp(b"12345678901234567890", 0, 6, Algorithm::Sha1)?, "755224");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn hotp(key: &[u8], counter: u64, digits: u32, algorithm: Algorithm) -> Result<String> {
    check_digits(digits)?;
    let code = algorithm.truncated_mac(key, &counter.to_be_bytes())? % 10u32.pow(digits);
    Ok(format!("{code:0width$}", width = digits as usize))
}

/// The TOTP code (RFC 6238 section 4) of `key` at `unix_time` seconds:
/// [`hotp`] of `floor(unix_time / period)`.
///
/// # Errors
///
/// As [`hotp`], and when `period` is 0.
///
/// # Examples
///
/// ```
/// use secrets_kit_otp::totp::{Algorithm, totp_code};
/// // RFC 6238 appendix B, SHA1 at 59 seconds.
/// assert_eq!(totp_code(b"12345678901234567890", 59, 30, 8, Algorithm::Sha1)?, "94287082");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn totp_code(
    key: &[u8],
    unix_time: u64,
    period: u32,
    digits: u32,
    algorithm: Algorithm,
) -> Result<String> {
    if period == 0 {
        return Err(Error::invalid("the TOTP period must be at least 1 second"));
    }
    hotp(key, unix_time / u64::from(period), digits, algorithm)
}

fn check_digits(digits: u32) -> Result<()> {
    if (6..=8).contains(&digits) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "a code of {digits} digits was asked for; TOTP codes have 6, 7 or 8 digits \
             (6 or 8 for most apps)"
        )))
    }
}

/// What an enrolment is for and how its codes are made.
///
/// # Examples
///
/// ```
/// use secrets_kit_otp::totp::{Algorithm, TotpOptions};
/// let options = TotpOptions::new("Example", "alice")
///     .algorithm(Algorithm::Sha256)
///     .digits(8)
///     .period(60);
/// assert_eq!(options.digits_value(), 8);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotpOptions {
    issuer: String,
    account: String,
    algorithm: Algorithm,
    digits: u32,
    period: u32,
}

impl TotpOptions {
    /// Options for `account` at `issuer`, with SHA1, 6 digits and 30
    /// seconds.
    ///
    /// ```
    /// let options = secrets_kit_otp::totp::TotpOptions::new("Example", "alice");
    /// assert_eq!(options.period_value(), 30);
    /// ```
    #[must_use]
    pub fn new(issuer: impl Into<String>, account: impl Into<String>) -> Self {
        TotpOptions {
            issuer: issuer.into(),
            account: account.into(),
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
        }
    }

    /// The HMAC hash.
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Algorithm, TotpOptions};
    /// let options = TotpOptions::new("E", "a").algorithm(Algorithm::Sha512);
    /// assert_eq!(options.algorithm_value(), Algorithm::Sha512);
    /// ```
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Digits per code: 6 or 8 (7 is allowed by RFC 4226 but rare).
    ///
    /// ```
    /// let options = secrets_kit_otp::totp::TotpOptions::new("E", "a").digits(8);
    /// assert_eq!(options.digits_value(), 8);
    /// ```
    #[must_use]
    pub fn digits(mut self, digits: u32) -> Self {
        self.digits = digits;
        self
    }

    /// Seconds per code.
    ///
    /// ```
    /// let options = secrets_kit_otp::totp::TotpOptions::new("E", "a").period(60);
    /// assert_eq!(options.period_value(), 60);
    /// ```
    #[must_use]
    pub fn period(mut self, period: u32) -> Self {
        self.period = period;
        self
    }

    /// The issuer.
    ///
    /// ```
    /// assert_eq!(secrets_kit_otp::totp::TotpOptions::new("E", "a").issuer_value(), "E");
    /// ```
    #[must_use]
    pub fn issuer_value(&self) -> &str {
        &self.issuer
    }

    /// The account.
    ///
    /// ```
    /// assert_eq!(secrets_kit_otp::totp::TotpOptions::new("E", "a").account_value(), "a");
    /// ```
    #[must_use]
    pub fn account_value(&self) -> &str {
        &self.account
    }

    /// The HMAC hash.
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Algorithm, TotpOptions};
    /// assert_eq!(TotpOptions::new("E", "a").algorithm_value(), Algorithm::Sha1);
    /// ```
    #[must_use]
    pub fn algorithm_value(&self) -> Algorithm {
        self.algorithm
    }

    /// Digits per code.
    ///
    /// ```
    /// assert_eq!(secrets_kit_otp::totp::TotpOptions::new("E", "a").digits_value(), 6);
    /// ```
    #[must_use]
    pub fn digits_value(&self) -> u32 {
        self.digits
    }

    /// Seconds per code.
    ///
    /// ```
    /// assert_eq!(secrets_kit_otp::totp::TotpOptions::new("E", "a").period_value(), 30);
    /// ```
    #[must_use]
    pub fn period_value(&self) -> u32 {
        self.period
    }

    /// Checks the names, digits and period.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) saying
    /// what is wrong: an empty or overlong name, a control character, a
    /// colon in the issuer, digits other than 6 to 8, a period of 0 or
    /// above [`MAX_PERIOD`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_otp::totp::TotpOptions;
    /// assert!(TotpOptions::new("Example", "alice").check().is_ok());
    /// assert!(TotpOptions::new("Ex:ample", "alice").check().is_err());
    /// assert!(TotpOptions::new("Example", "").check().is_err());
    /// ```
    pub fn check(&self) -> Result<()> {
        check_name("issuer", &self.issuer)?;
        check_name("account", &self.account)?;
        if self.issuer.contains(':') {
            return Err(Error::invalid(format!(
                "the issuer {} contains ':'; the Key URI Format does not allow it there \
                 (apps split the label at the first colon)",
                Error::quoted(&self.issuer)
            )));
        }
        check_digits(self.digits)?;
        if !(1..=MAX_PERIOD).contains(&self.period) {
            return Err(Error::invalid(format!(
                "a period of {} seconds was asked for; give 1 to {MAX_PERIOD} (30 is what \
                 most apps support)",
                self.period
            )));
        }
        Ok(())
    }
}

fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid(format!("the {what} name must not be empty")));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(Error::invalid(format!(
            "the {what} name is {} bytes long; the most is {MAX_NAME_BYTES}",
            name.len()
        )));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "the {what} name contains the control character U+{:04X}; use printable \
             characters only",
            u32::from(c)
        )));
    }
    Ok(())
}

/// A new TOTP secret with its options: the URI to show as a QR code, the
/// secret to type in by hand, and the codes an app will then show.
///
/// The secret, its base32 form and the URI are wiped from memory on drop.
///
/// # Examples
///
/// ```
/// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
/// let enrolment = Enrolment::new(&TotpOptions::new("Example", "alice"))?;
/// assert!(enrolment.uri().contains(enrolment.secret_base32()));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct Enrolment {
    options: TotpOptions,
    secret: Zeroizing<Vec<u8>>,
    secret_base32: Zeroizing<String>,
    uri: Zeroizing<String>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret is never shown.
        f.debug_struct("Enrolment")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Enrolment {
    /// A new enrolment, its secret drawn from the kernel.
    ///
    /// # Errors
    ///
    /// As [`new_with`](Self::new_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let e = Enrolment::new(&TotpOptions::new("Example", "alice"))?;
    /// assert_eq!(e.secret().len(), 20);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new(options: &TotpOptions) -> Result<Self> {
        Self::new_with(&OsEntropy, options)
    }

    /// A new enrolment, its 20-byte secret drawn from `source`.
    ///
    /// # Errors
    ///
    /// As [`TotpOptions::check`]; the source's error when it fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
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
    /// let e = Enrolment::new_with(&Zeros, &TotpOptions::new("Example", "alice"))?;
    /// assert_eq!(e.secret_base32(), "A".repeat(32));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new_with<S: EntropySource + ?Sized>(source: &S, options: &TotpOptions) -> Result<Self> {
        options.check()?;
        let mut secret = Zeroizing::new(vec![0u8; SECRET_BYTES]);
        source.fill_bytes(&mut secret)?;
        Ok(Self::from_secret(options, secret))
    }

    /// An enrolment for a secret the caller already has (to show its URI
    /// or QR code again).
    ///
    /// # Errors
    ///
    /// As [`TotpOptions::check`], and when `secret` is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let e = Enrolment::from_secret_bytes(&TotpOptions::new("E", "a"), b"12345678901234567890")?;
    /// assert_eq!(e.secret_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn from_secret_bytes(options: &TotpOptions, secret: &[u8]) -> Result<Self> {
        options.check()?;
        if secret.is_empty() {
            return Err(Error::invalid("a TOTP secret must not be empty"));
        }
        Ok(Self::from_secret(options, Zeroizing::new(secret.to_vec())))
    }

    /// The secret's base32 form and the URI are each allocated once, at
    /// their exact size, so no copy of the secret is left behind by a
    /// growing string (see `exact_text`).
    fn from_secret(options: &TotpOptions, secret: Zeroizing<Vec<u8>>) -> Self {
        let base32 = &data_encoding::BASE32_NOPAD;
        let mut secret_base32 =
            Zeroizing::new(String::with_capacity(base32.encode_len(secret.len())));
        base32.encode_append(&secret, &mut secret_base32);
        let issuer = utf8_percent_encode(&options.issuer, NAME_ENCODE);
        let account = utf8_percent_encode(&options.account, NAME_ENCODE);
        let uri = exact_string(|out| {
            write!(
                out,
                "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm={}\
                 &digits={}&period={}",
                secret_base32.as_str(),
                options.algorithm.name(),
                options.digits,
                options.period
            )
        });
        Enrolment {
            options: options.clone(),
            secret,
            secret_base32,
            uri,
        }
    }

    /// The options.
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let e = Enrolment::new(&TotpOptions::new("Example", "alice"))?;
    /// assert_eq!(e.options().issuer_value(), "Example");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn options(&self) -> &TotpOptions {
        &self.options
    }

    /// The raw secret.
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// assert_eq!(Enrolment::new(&TotpOptions::new("E", "a"))?.secret().len(), 20);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    /// The secret in base32 without padding, for typing into an app.
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let e = Enrolment::new(&TotpOptions::new("E", "a"))?;
    /// assert!(e.secret_base32().bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn secret_base32(&self) -> &str {
        &self.secret_base32
    }

    /// The `otpauth://totp/...` URI.
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let e = Enrolment::from_secret_bytes(&TotpOptions::new("Ex Co", "a@b"), b"12345678901234567890")?;
    /// assert_eq!(
    ///     e.uri(),
    ///     "otpauth://totp/Ex%20Co:a%40b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
    ///      &issuer=Ex%20Co&algorithm=SHA1&digits=6&period=30"
    /// );
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The code an app shows at `unix_time` seconds.
    ///
    /// # Errors
    ///
    /// None for a checked enrolment; the `Result` is that of [`totp_code`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let options = TotpOptions::new("E", "a").digits(8);
    /// let e = Enrolment::from_secret_bytes(&options, b"12345678901234567890")?;
    /// assert_eq!(e.code_at(59)?, "94287082");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn code_at(&self, unix_time: u64) -> Result<String> {
        totp_code(
            &self.secret,
            unix_time,
            self.options.period,
            self.options.digits,
            self.options.algorithm,
        )
    }

    /// The URI as a QR code.
    ///
    /// # Errors
    ///
    /// As [`QrCode::new`](crate::qr::QrCode::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_otp::totp::{Enrolment, TotpOptions};
    /// let e = Enrolment::new(&TotpOptions::new("Example", "alice"))?;
    /// let qr = e.qr()?;
    /// assert!(qr.width() >= 21);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[cfg(feature = "qr")]
    pub fn qr(&self) -> Result<crate::qr::QrCode> {
        crate::qr::QrCode::new(self.uri.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_percent_encoded_as_utf8() {
        let options = TotpOptions::new("Ünï Co", "al ice:1@x.org~_-.");
        let e = Enrolment::from_secret_bytes(&options, &[0u8; 20]).unwrap();
        assert!(
            e.uri()
                .starts_with("otpauth://totp/%C3%9Cn%C3%AF%20Co:al%20ice%3A1%40x.org~_-.?secret="),
            "{}",
            e.uri()
        );
        assert!(e.uri().contains("&issuer=%C3%9Cn%C3%AF%20Co&"));
    }

    /// The secret's text forms are allocated once at their final size: a
    /// string that had grown would have left copies of the secret behind.
    #[test]
    fn the_uri_and_base32_secret_are_allocated_at_their_exact_size() {
        let names = [
            ("E", "a"),
            ("Ünï Co", "al ice:1@x.org~_-."),
            ("Example Co", "alice@example.com"),
        ];
        for (issuer, account) in names {
            for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
                for (digits, period) in [(6, 30), (8, 3600), (7, 1)] {
                    let options = TotpOptions::new(issuer, account)
                        .algorithm(algorithm)
                        .digits(digits)
                        .period(period);
                    for secret in [&[7u8; 20][..], &[1u8; 1], &[255u8; 64]] {
                        let e = Enrolment::from_secret_bytes(&options, secret).unwrap();
                        assert_eq!(e.uri.capacity(), e.uri.len(), "{}", e.uri());
                        assert_eq!(e.secret_base32.capacity(), e.secret_base32.len());
                        assert!(e.uri().contains(&format!("secret={}&", e.secret_base32())));
                    }
                }
            }
        }
    }

    #[test]
    fn debug_shows_no_secret() {
        let options = TotpOptions::new("E", "a");
        let e = Enrolment::from_secret_bytes(&options, b"12345678901234567890").unwrap();
        let shown = format!("{e:?}");
        assert!(!shown.contains(e.secret_base32()), "{shown}");
        assert!(!shown.contains("otpauth"), "{shown}");
        assert!(!shown.contains("49, 50"), "{shown}"); // the raw bytes "12"
    }

    #[test]
    fn bad_options_are_refused() {
        for options in [
            TotpOptions::new("", "a"),
            TotpOptions::new("E", " "),
            TotpOptions::new("E:x", "a"),
            TotpOptions::new("E", "a\n"),
            TotpOptions::new("E".repeat(257), "a"),
            TotpOptions::new("E", "a").digits(5),
            TotpOptions::new("E", "a").digits(9),
            TotpOptions::new("E", "a").period(0),
            TotpOptions::new("E", "a").period(3601),
        ] {
            assert!(Enrolment::new(&options).is_err(), "{options:?}");
        }
    }
}
