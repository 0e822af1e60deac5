//! The named alphabets and [`Alphabet`], a checked set of distinct symbols.

use std::borrow::Cow;
use std::fmt;

use secrets_kit::Uniform;
use secrets_kit::strength::{Strength, bits_per_symbol, length_for_bits};
use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};

/// RFC 4648 base32 (section 6): `A-Z` then `2-7`.
///
/// ```
/// use secrets_kit_tokens::formats::{BASE32_ALPHABET, token_base32};
/// assert!(token_base32(26)?.chars().all(|c| BASE32_ALPHABET.contains(c)));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const BASE32_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Crockford's base32: digits and upper-case letters without `I`, `L`, `O`
/// and `U`, so that tokens survive being read aloud and typed back.
///
/// ```
/// use secrets_kit_tokens::formats::{CROCKFORD_ALPHABET, token_crockford};
/// let token = token_crockford(26)?;
/// assert!(token.chars().all(|c| CROCKFORD_ALPHABET.contains(c)));
/// assert!(!token.contains(['I', 'L', 'O', 'U']));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const CROCKFORD_ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Bitcoin's base58: digits and letters without `0`, `O`, `I` and `l`.
///
/// ```
/// use secrets_kit_tokens::formats::{BASE58_ALPHABET, token_base58};
/// assert_eq!(BASE58_ALPHABET.len(), 58);
/// assert!(token_base58(22)?.chars().all(|c| BASE58_ALPHABET.contains(c)));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const BASE58_ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// The ten decimal digits, for PINs.
///
/// ```
/// use secrets_kit_tokens::formats::{DIGITS, pin};
/// assert!(pin(6)?.chars().all(|c| DIGITS.contains(c)));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const DIGITS: &str = secrets_kit::charset::DIGITS;

/// `A-Z a-z 0-9`: the alphabet of the Python docs' password recipe
/// (`string.ascii_letters + string.digits`).
///
/// ```
/// use secrets_kit_tokens::formats::{ALPHANUMERIC, token_alphabet};
/// let password = token_alphabet(ALPHANUMERIC, 8)?;
/// assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const ALPHANUMERIC: &str = secrets_kit::charset::ALPHANUMERIC;

/// A validated set of distinct symbols that tokens are drawn from.
///
/// Symbols are Unicode scalar values (`char`s): a letter with a combining
/// accent is two symbols. Each symbol of a token is drawn uniformly and
/// independently: a candidate of 1, 2 or 4 random bytes is multiplied by
/// the alphabet size, the high part picks the symbol, and candidates whose
/// low part falls in the short remainder are rejected (Lemire's method), so
/// every symbol is exactly equally likely: no modulo bias. The random bytes
/// for a whole short token come from one kernel call.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::formats::Alphabet;
///
/// let hex_upper = Alphabet::new("0123456789ABCDEF")?;
/// assert_eq!(hex_upper.len(), 16);
/// assert_eq!(hex_upper.entropy_bits(8), 32.0);
/// let token = hex_upper.token(8)?;
/// assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Alphabet {
    symbols: Symbols,
}

#[derive(Clone, PartialEq, Eq)]
enum Symbols {
    /// All symbols are ASCII: tokens are built byte by byte. Built-in
    /// alphabets borrow their static text.
    Ascii(Cow<'static, [u8]>),
    Unicode(Vec<char>),
}

impl Alphabet {
    /// Checks and takes the symbols of `symbols`, in order.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when a symbol appears twice (it would be
    /// drawn twice as often as the others; the message names it and its
    /// positions), or when there are fewer than 2 symbols, or more than
    /// `u32::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_tokens::formats::Alphabet;
    ///
    /// assert_eq!(Alphabet::new("abc")?.len(), 3);
    /// let err = Alphabet::new("abca").unwrap_err();
    /// assert!(err.to_string().contains("'a'"));
    /// assert!(Alphabet::new("x").is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new(symbols: &str) -> Result<Self> {
        let symbols = if symbols.is_ascii() {
            check_ascii_distinct(symbols.as_bytes())?;
            Symbols::Ascii(Cow::Owned(symbols.as_bytes().to_vec()))
        } else {
            let chars: Vec<char> = symbols.chars().collect();
            check_distinct(&chars)?;
            Symbols::Unicode(chars)
        };
        let alphabet = Alphabet { symbols };
        check_size(alphabet.len())?;
        Ok(alphabet)
    }

    /// RFC 4648 base32, [`BASE32_ALPHABET`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::base32().len(), 32);
    /// ```
    #[must_use]
    pub fn base32() -> Self {
        Self::builtin(BASE32_ALPHABET)
    }

    /// Crockford's base32, [`CROCKFORD_ALPHABET`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::crockford().len(), 32);
    /// ```
    #[must_use]
    pub fn crockford() -> Self {
        Self::builtin(CROCKFORD_ALPHABET)
    }

    /// Bitcoin's base58, [`BASE58_ALPHABET`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::base58().len(), 58);
    /// ```
    #[must_use]
    pub fn base58() -> Self {
        Self::builtin(BASE58_ALPHABET)
    }

    /// The decimal digits, [`DIGITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::digits().len(), 10);
    /// ```
    #[must_use]
    pub fn digits() -> Self {
        Self::builtin(DIGITS)
    }

    /// `A-Z a-z 0-9`, [`ALPHANUMERIC`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::alphanumeric().len(), 62);
    /// ```
    #[must_use]
    pub fn alphanumeric() -> Self {
        Self::builtin(ALPHANUMERIC)
    }

    /// The built-in alphabets are distinct ASCII by construction (a unit
    /// test checks each through [`Alphabet::new`]).
    fn builtin(symbols: &'static str) -> Self {
        Alphabet {
            symbols: Symbols::Ascii(Cow::Owned(symbols.as_bytes().to_vec())),
        }
    }

    /// The number of symbols.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::new("αβγ")?.len(), 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    #[allow(clippy::len_without_is_empty)] // an alphabet is never empty
    pub fn len(&self) -> usize {
        match &self.symbols {
            Symbols::Ascii(bytes) => bytes.len(),
            Symbols::Unicode(chars) => chars.len(),
        }
    }

    /// The symbols, in the order given.
    ///
    /// # Examples
    ///
    /// ```
    /// let a = secrets_kit_tokens::formats::Alphabet::new("xyz")?;
    /// assert_eq!(a.symbols(), vec!['x', 'y', 'z']);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn symbols(&self) -> Vec<char> {
        match &self.symbols {
            Symbols::Ascii(bytes) => bytes.iter().map(|&b| char::from(b)).collect(),
            Symbols::Unicode(chars) => chars.clone(),
        }
    }

    /// Bits of entropy per symbol: `log2(len)`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::base32().bits_per_symbol(), 5.0);
    /// ```
    #[must_use]
    pub fn bits_per_symbol(&self) -> f64 {
        bits_per_symbol(self.len())
    }

    /// Bits of entropy of a token of `length` symbols: `length * log2(len)`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_tokens::formats::Alphabet::base32().entropy_bits(26), 130.0);
    /// ```
    #[must_use]
    pub fn entropy_bits(&self, length: usize) -> f64 {
        length as f64 * self.bits_per_symbol()
    }

    /// The shortest token length with at least `bits` bits; see
    /// [`length_for_bits`].
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `bits` is 0 or above [`MAX_BITS`](secrets_kit::strength::MAX_BITS).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = secrets_kit_tokens::formats::Alphabet::digits().length_for_bits(128)?;
    /// assert_eq!(s.length, 39);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn length_for_bits(&self, bits: u64) -> Result<Strength> {
        length_for_bits(self.len(), bits)
    }

    /// A random token of `length` symbols from this alphabet.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `length` is 0,
    /// [`ErrorKind::TooLarge`] when the token cannot be allocated,
    /// [`ErrorKind::Os`] when the kernel's random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let alphabet = secrets_kit_tokens::formats::Alphabet::new("🂡🂢🂣🂤")?;
    /// assert_eq!(alphabet.token(5)?.chars().count(), 5);
    /// assert!(alphabet.token(0).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn token(&self, length: usize) -> Result<String> {
        self.token_with(&OsEntropy, length)
    }

    /// A token of `length` symbols from this alphabet, drawn from `source`.
    ///
    /// # Errors
    ///
    /// As [`token`](Self::token), with `source`'s errors in place
    /// of the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_tokens::{OsEntropy, formats::Alphabet};
    /// assert_eq!(Alphabet::base58().token_with(&OsEntropy, 22)?.len(), 22);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn token_with<S>(&self, source: &S, length: usize) -> Result<String>
    where
        S: EntropySource + ?Sized,
    {
        check_length(length)?;
        match &self.symbols {
            Symbols::Ascii(bytes) => ascii_token(source, bytes, length),
            Symbols::Unicode(chars) => {
                // `len` fits `u32`: checked when the alphabet was built.
                let sampler = Uniform::new(self.len() as u32)?;
                let widest = chars.iter().map(|c| c.len_utf8()).max().unwrap_or(1);
                let bytes = length
                    .checked_mul(widest)
                    .ok_or_else(|| Error::too_large(usize::MAX, "a token"))?;
                let mut out = String::new();
                out.try_reserve_exact(bytes)
                    .map_err(|_| Error::too_large(bytes, "a token"))?;
                sampler.sample(source, length, |i| out.push(chars[i as usize]))?;
                Ok(out)
            }
        }
    }
}

impl fmt::Debug for Alphabet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: String = self.symbols().into_iter().collect();
        f.debug_tuple("Alphabet").field(&text).finish()
    }
}

/// A token over distinct ASCII `symbols` (2 to 128 of them, checked by the
/// caller), built byte by byte.
pub(super) fn ascii_token<S: EntropySource + ?Sized>(
    source: &S,
    symbols: &[u8],
    length: usize,
) -> Result<String> {
    let mut out = secrets_kit::alloc::try_alloc(length, "a token")?;
    Uniform::new(symbols.len() as u32)?
        .sample(source, length, |i| out.push(symbols[i as usize]))?;
    match String::from_utf8(out) {
        Ok(token) => Ok(token),
        Err(_) => unreachable!("ASCII alphabets give ASCII tokens"),
    }
}

pub(super) fn check_length(length: usize) -> Result<()> {
    if length == 0 {
        return Err(Error::invalid(
            "a token length of 0 was asked for; the length must be at least 1",
        ));
    }
    Ok(())
}

pub(super) fn check_size(size: usize) -> Result<()> {
    if size < 2 {
        return Err(Error::invalid(format!(
            "the alphabet has {size} symbol(s); a token needs at least 2 distinct symbols"
        )));
    }
    if u32::try_from(size).is_err() {
        return Err(Error::invalid(format!(
            "the alphabet has {size} symbols; at most {} are supported",
            u32::MAX
        )));
    }
    Ok(())
}

pub(super) fn check_ascii_distinct(bytes: &[u8]) -> Result<()> {
    // A table of the codes seen: independent stores and loads, so a
    // 94-symbol alphabet is checked in a few tens of nanoseconds (a bit
    // mask would chain every step on the one before).
    let mut seen = [false; 128];
    for (position, &b) in bytes.iter().enumerate() {
        let slot = &mut seen[usize::from(b & 0x7f)];
        if *slot {
            let first = bytes
                .iter()
                .position(|&other| other == b)
                .unwrap_or(position);
            return Err(duplicate_symbol(char::from(b), first, position));
        }
        *slot = true;
    }
    Ok(())
}

pub(super) fn check_distinct(chars: &[char]) -> Result<()> {
    let mut first_seen = std::collections::HashMap::with_capacity(chars.len());
    for (position, &c) in chars.iter().enumerate() {
        if let Some(&first) = first_seen.get(&c) {
            return Err(duplicate_symbol(c, first, position));
        }
        first_seen.insert(c, position);
    }
    Ok(())
}

fn duplicate_symbol(symbol: char, first: usize, again: usize) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!(
            "the alphabet repeats {symbol:?} (symbols {} and {}); each symbol must appear \
             once, or it would be drawn more often than the others",
            first + 1,
            again + 1
        ),
    )
}
