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
//! use secrets::formats::{self, Alphabet};
//!
//! let id = formats::token_base58(22);
//! assert_eq!(id.chars().count(), 22);
//!
//! // The shortest base58 token with at least 128 bits.
//! let strength = Alphabet::base58().length_for_bits(128)?;
//! assert_eq!(strength.length, 22);
//! assert!(strength.bits >= 128.0);
//! # Ok::<(), secrets::Error>(())
//! ```

mod ids;
mod ordered;

use std::borrow::Cow;
use std::fmt;

pub use ids::{
    ULID_RANDOM_BITS, UUID_V4_RANDOM_BITS, UUID_V7_RANDOM_BITS, try_ulid, try_uuid_v4, try_uuid_v7,
    ulid, ulid_with, uuid_v4, uuid_v4_with, uuid_v7, uuid_v7_with,
};
pub use ids::{ordered_ulid, ordered_ulid_with, ordered_uuid_v7, ordered_uuid_v7_with};
pub use ordered::{INCREMENT_BITS, Monotonic, OrderedId};

use crate::sample::UniformIndex;
use crate::{EntropySource, Error, ErrorKind, OsEntropy, Result};

/// RFC 4648 base32 (section 6): `A-Z` then `2-7`.
///
/// ```
/// use secrets::formats::{BASE32_ALPHABET, token_base32};
/// assert!(token_base32(26).chars().all(|c| BASE32_ALPHABET.contains(c)));
/// ```
pub const BASE32_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Crockford's base32: digits and upper-case letters without `I`, `L`, `O`
/// and `U`, so that tokens survive being read aloud and typed back.
///
/// ```
/// use secrets::formats::{CROCKFORD_ALPHABET, token_crockford};
/// let token = token_crockford(26);
/// assert!(token.chars().all(|c| CROCKFORD_ALPHABET.contains(c)));
/// assert!(!token.contains(['I', 'L', 'O', 'U']));
/// ```
pub const CROCKFORD_ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Bitcoin's base58: digits and letters without `0`, `O`, `I` and `l`.
///
/// ```
/// use secrets::formats::{BASE58_ALPHABET, token_base58};
/// assert_eq!(BASE58_ALPHABET.len(), 58);
/// assert!(token_base58(22).chars().all(|c| BASE58_ALPHABET.contains(c)));
/// ```
pub const BASE58_ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// The ten decimal digits, for PINs.
///
/// ```
/// use secrets::formats::{DIGITS, pin};
/// assert!(pin(6).chars().all(|c| DIGITS.contains(c)));
/// ```
pub const DIGITS: &str = "0123456789";

/// `A-Z a-z 0-9`: the alphabet of the Python docs' password recipe
/// (`string.ascii_letters + string.digits`).
///
/// ```
/// use secrets::formats::{ALPHANUMERIC, token_alphabet};
/// let password = token_alphabet(ALPHANUMERIC, 8);
/// assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
/// ```
pub const ALPHANUMERIC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The strength the command line gives a token when neither a length nor
/// `--bits` is given: 128 bits, the security level of a 128-bit key and
/// the default of Go's `crypto/rand.Text`. Enough that guessing is
/// hopeless, while base32 tokens stay 26 characters long.
///
/// # Examples
///
/// ```
/// use secrets::formats::{Alphabet, DEFAULT_TOKEN_BITS};
/// assert_eq!(Alphabet::base32().length_for_bits(DEFAULT_TOKEN_BITS)?.length, 26);
/// # Ok::<(), secrets::Error>(())
/// ```
pub const DEFAULT_TOKEN_BITS: u64 = 128;

/// A length chosen for a requested strength, and the strength it reaches.
///
/// `length` is in symbols for tokens and in words for passphrases; `bits`
/// is the entropy of the result, at least the bits asked for.
///
/// # Examples
///
/// ```
/// let strength = secrets::formats::length_for_bits(10, 20)?;
/// assert_eq!(strength.length, 7); // 6 digits give only 19.93 bits
/// assert!((strength.bits - 23.253).abs() < 1e-3);
/// # Ok::<(), secrets::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strength {
    /// Symbols (or words) needed.
    pub length: usize,
    /// Bits of entropy of a result of that length.
    pub bits: f64,
}

/// The shortest length over `symbols` equally likely symbols whose entropy
/// `length * log2(symbols)` is at least `bits`, and that entropy.
///
/// For alphabets whose size is a power of two the answer is exact integer
/// arithmetic; for the others `length * log2(symbols)` is never an integer,
/// so the floating-point comparison cannot land on a tie.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when `symbols < 2` (no entropy per symbol)
/// or `bits` is 0 or above [`MAX_BITS`].
///
/// # Examples
///
/// ```
/// use secrets::formats::length_for_bits;
///
/// assert_eq!(length_for_bits(32, 130)?.length, 26); // exactly 130 bits
/// assert_eq!(length_for_bits(32, 131)?.length, 27);
/// assert_eq!(length_for_bits(62, 128)?.length, 22);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn length_for_bits(symbols: usize, bits: u64) -> Result<Strength> {
    if symbols < 2 {
        return Err(Error::invalid(format!(
            "an alphabet of {symbols} symbol(s) gives no entropy; at least 2 are needed"
        )));
    }
    check_bits(bits)?;
    let per_symbol = bits_per_symbol(symbols);
    let length = if symbols.is_power_of_two() {
        let exact = symbols.trailing_zeros();
        bits.div_ceil(u64::from(exact)) as usize
    } else {
        let wanted = bits as f64; // exact: checked to be at most 2^48
        let mut length = (wanted / per_symbol).ceil() as usize;
        // Guard against rounding in the division, in either direction.
        while length > 1 && (length - 1) as f64 * per_symbol >= wanted {
            length -= 1;
        }
        while (length as f64) * per_symbol < wanted {
            length += 1;
        }
        length
    };
    Ok(Strength {
        length,
        bits: length as f64 * per_symbol,
    })
}

/// The most bits a request may ask for: 2^48, far beyond any secret, and
/// small enough that every figure is exact in `f64`.
///
/// # Examples
///
/// ```
/// use secrets::formats::{MAX_BITS, length_for_bits};
/// assert!(length_for_bits(58, MAX_BITS + 1).is_err());
/// ```
pub const MAX_BITS: u64 = 1 << 48;

/// Checks a requested strength: 1 to [`MAX_BITS`].
pub(crate) fn check_bits(bits: u64) -> Result<()> {
    if bits == 0 || bits > MAX_BITS {
        return Err(Error::invalid(format!(
            "a strength of {bits} bits was asked for; ask for 1 to {MAX_BITS} bits"
        )));
    }
    Ok(())
}

fn bits_per_symbol(symbols: usize) -> f64 {
    (symbols as f64).log2()
}

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
/// use secrets::formats::Alphabet;
///
/// let hex_upper = Alphabet::new("0123456789ABCDEF")?;
/// assert_eq!(hex_upper.len(), 16);
/// assert_eq!(hex_upper.entropy_bits(8), 32.0);
/// let token = hex_upper.try_token(8)?;
/// assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
/// # Ok::<(), secrets::Error>(())
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
    /// use secrets::formats::Alphabet;
    ///
    /// assert_eq!(Alphabet::new("abc")?.len(), 3);
    /// let err = Alphabet::new("abca").unwrap_err();
    /// assert!(err.to_string().contains("'a'"));
    /// assert!(Alphabet::new("x").is_err());
    /// # Ok::<(), secrets::Error>(())
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
    /// assert_eq!(secrets::formats::Alphabet::base32().len(), 32);
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
    /// assert_eq!(secrets::formats::Alphabet::crockford().len(), 32);
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
    /// assert_eq!(secrets::formats::Alphabet::base58().len(), 58);
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
    /// assert_eq!(secrets::formats::Alphabet::digits().len(), 10);
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
    /// assert_eq!(secrets::formats::Alphabet::alphanumeric().len(), 62);
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
    /// assert_eq!(secrets::formats::Alphabet::new("αβγ")?.len(), 3);
    /// # Ok::<(), secrets::Error>(())
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
    /// let a = secrets::formats::Alphabet::new("xyz")?;
    /// assert_eq!(a.symbols(), vec!['x', 'y', 'z']);
    /// # Ok::<(), secrets::Error>(())
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
    /// assert_eq!(secrets::formats::Alphabet::base32().bits_per_symbol(), 5.0);
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
    /// assert_eq!(secrets::formats::Alphabet::base32().entropy_bits(26), 130.0);
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
    /// [`ErrorKind::InvalidValue`] when `bits` is 0 or above [`MAX_BITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let s = secrets::formats::Alphabet::digits().length_for_bits(128)?;
    /// assert_eq!(s.length, 39);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn length_for_bits(&self, bits: u64) -> Result<Strength> {
        length_for_bits(self.len(), bits)
    }

    /// A random token of `length` symbols from this alphabet.
    ///
    /// # Panics
    ///
    /// If `length` is 0 or too large to allocate, or the kernel's random
    /// source fails. Use [`Alphabet::try_token`] for untrusted lengths.
    ///
    /// # Examples
    ///
    /// ```
    /// let token = secrets::formats::Alphabet::new("ab")?.token(10);
    /// assert!(token.chars().all(|c| c == 'a' || c == 'b'));
    /// # Ok::<(), secrets::Error>(())
    /// ```
    #[must_use]
    pub fn token(&self, length: usize) -> String {
        self.try_token(length)
            .unwrap_or_else(|err| crate::fail(err))
    }

    /// A random token of `length` symbols from this alphabet, or an error.
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
    /// let alphabet = secrets::formats::Alphabet::new("🂡🂢🂣🂤")?;
    /// assert_eq!(alphabet.try_token(5)?.chars().count(), 5);
    /// assert!(alphabet.try_token(0).is_err());
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn try_token(&self, length: usize) -> Result<String> {
        self.token_with(&OsEntropy, length)
    }

    /// A token of `length` symbols from this alphabet, drawn from `source`.
    ///
    /// # Errors
    ///
    /// As [`try_token`](Self::try_token), with `source`'s errors in place
    /// of the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets::{OsEntropy, formats::Alphabet};
    /// assert_eq!(Alphabet::base58().token_with(&OsEntropy, 22)?.len(), 22);
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn token_with<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        length: usize,
    ) -> Result<String> {
        check_length(length)?;
        match &self.symbols {
            Symbols::Ascii(bytes) => ascii_token(source, bytes, length),
            Symbols::Unicode(chars) => {
                // `len` fits `u32`: checked when the alphabet was built.
                let sampler = UniformIndex::new(self.len() as u32);
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
fn ascii_token<S: EntropySource + ?Sized>(
    source: &S,
    symbols: &[u8],
    length: usize,
) -> Result<String> {
    let mut out = crate::token::try_alloc(length, "a token")?;
    UniformIndex::new(symbols.len() as u32)
        .sample(source, length, |i| out.push(symbols[i as usize]))?;
    match String::from_utf8(out) {
        Ok(token) => Ok(token),
        Err(_) => unreachable!("ASCII alphabets give ASCII tokens"),
    }
}

fn check_length(length: usize) -> Result<()> {
    if length == 0 {
        return Err(Error::invalid(
            "a token length of 0 was asked for; the length must be at least 1",
        ));
    }
    Ok(())
}

fn check_size(size: usize) -> Result<()> {
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

fn check_ascii_distinct(bytes: &[u8]) -> Result<()> {
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

fn check_distinct(chars: &[char]) -> Result<()> {
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

/// A random token of `length` symbols over any alphabet of at least two
/// distinct symbols.
///
/// # Panics
///
/// On a bad alphabet or length, or a failed random source; use
/// [`try_token_alphabet`] for input from users.
///
/// # Examples
///
/// ```
/// let code = secrets::formats::token_alphabet("ACGT", 12);
/// assert_eq!(code.len(), 12);
/// ```
#[must_use]
pub fn token_alphabet(alphabet: &str, length: usize) -> String {
    try_token_alphabet(alphabet, length).unwrap_or_else(|err| crate::fail(err))
}

/// A random token of `length` symbols over `alphabet`, each symbol drawn
/// uniformly; see [`Alphabet`].
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] for an alphabet with a repeated symbol
/// (named in the message) or fewer than 2 symbols, or a length of 0;
/// [`ErrorKind::TooLarge`] and [`ErrorKind::Os`] as for
/// [`Alphabet::try_token`].
///
/// # Examples
///
/// ```
/// use secrets::formats::{ALPHANUMERIC, try_token_alphabet};
///
/// let password = try_token_alphabet(ALPHANUMERIC, 16)?;
/// assert!(password.chars().all(|c| c.is_ascii_alphanumeric()));
/// assert!(try_token_alphabet("aa", 4).is_err());
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn try_token_alphabet(alphabet: &str, length: usize) -> Result<String> {
    token_alphabet_with(&OsEntropy, alphabet, length)
}

/// [`try_token_alphabet`] drawing from `source`.
///
/// # Errors
///
/// As [`try_token_alphabet`], with `source`'s errors in place of the
/// kernel's.
///
/// # Examples
///
/// ```
/// let dna = secrets::formats::token_alphabet_with(&secrets::OsEntropy, "ACGT", 8)?;
/// assert_eq!(dna.len(), 8);
/// # Ok::<(), secrets::Error>(())
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
/// # Panics
///
/// If `length` is 0 or cannot be allocated, or the random source fails;
/// see [`try_token_base32`].
///
/// # Examples
///
/// ```
/// let token = secrets::formats::token_base32(26);
/// assert!(token.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
/// ```
#[must_use]
pub fn token_base32(length: usize) -> String {
    try_token_base32(length).unwrap_or_else(|err| crate::fail(err))
}

/// [`token_base32`], reporting errors.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] for a length of 0, [`ErrorKind::TooLarge`],
/// [`ErrorKind::Os`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::try_token_base32(32)?.len(), 32);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn try_token_base32(length: usize) -> Result<String> {
    token_base32_with(&OsEntropy, length)
}

/// [`try_token_base32`] drawing from `source`.
///
/// # Errors
///
/// As [`try_token_base32`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::token_base32_with(&secrets::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn token_base32_with<S: EntropySource + ?Sized>(source: &S, length: usize) -> Result<String> {
    Alphabet::base32().token_with(source, length)
}

/// A random Crockford base32 token of `length` characters (5 bits each),
/// upper case, without the easily confused `I L O U`.
///
/// # Panics
///
/// As [`token_base32`].
///
/// # Examples
///
/// ```
/// let token = secrets::formats::token_crockford(26);
/// assert!(!token.contains(['I', 'L', 'O', 'U']));
/// ```
#[must_use]
pub fn token_crockford(length: usize) -> String {
    try_token_crockford(length).unwrap_or_else(|err| crate::fail(err))
}

/// [`token_crockford`], reporting errors.
///
/// # Errors
///
/// As [`try_token_base32`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::try_token_crockford(10)?.len(), 10);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn try_token_crockford(length: usize) -> Result<String> {
    token_crockford_with(&OsEntropy, length)
}

/// [`try_token_crockford`] drawing from `source`.
///
/// # Errors
///
/// As [`try_token_crockford`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::token_crockford_with(&secrets::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets::Error>(())
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
/// # Panics
///
/// As [`token_base32`].
///
/// # Examples
///
/// ```
/// let token = secrets::formats::token_base58(22);
/// assert!(!token.contains(['0', 'O', 'I', 'l']));
/// ```
#[must_use]
pub fn token_base58(length: usize) -> String {
    try_token_base58(length).unwrap_or_else(|err| crate::fail(err))
}

/// [`token_base58`], reporting errors.
///
/// # Errors
///
/// As [`try_token_base32`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::try_token_base58(22)?.len(), 22);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn try_token_base58(length: usize) -> Result<String> {
    token_base58_with(&OsEntropy, length)
}

/// [`try_token_base58`] drawing from `source`.
///
/// # Errors
///
/// As [`try_token_base58`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::token_base58_with(&secrets::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn token_base58_with<S: EntropySource + ?Sized>(source: &S, length: usize) -> Result<String> {
    Alphabet::base58().token_with(source, length)
}

/// A random numeric PIN of `digits` decimal digits; leading zeros are
/// kept, so every one of the `10^digits` PINs is equally likely.
///
/// # Panics
///
/// As [`token_base32`].
///
/// # Examples
///
/// ```
/// let code = secrets::formats::pin(6);
/// assert_eq!(code.len(), 6);
/// assert!(code.bytes().all(|b| b.is_ascii_digit()));
/// ```
#[must_use]
pub fn pin(digits: usize) -> String {
    try_pin(digits).unwrap_or_else(|err| crate::fail(err))
}

/// [`pin`], reporting errors.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] for 0 digits, [`ErrorKind::TooLarge`],
/// [`ErrorKind::Os`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::try_pin(4)?.len(), 4);
/// assert!(secrets::formats::try_pin(0).is_err());
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn try_pin(digits: usize) -> Result<String> {
    pin_with(&OsEntropy, digits)
}

/// [`try_pin`] drawing from `source`.
///
/// # Errors
///
/// As [`try_pin`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets::formats::pin_with(&secrets::OsEntropy, 6)?.len(), 6);
/// # Ok::<(), secrets::Error>(())
/// ```
pub fn pin_with<S: EntropySource + ?Sized>(source: &S, digits: usize) -> Result<String> {
    Alphabet::digits().token_with(source, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let token = a.try_token(2000).unwrap();
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
        let token = a.try_token(50).unwrap();
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
        let token = Alphabet::new(&wide).unwrap().try_token(60_000).unwrap();
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
            try_token_base32(0),
            try_token_crockford(0),
            try_token_base58(0),
            try_pin(0),
            try_token_alphabet("ab", 0),
        ] {
            assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidValue);
        }
    }

    #[test]
    fn huge_lengths_are_errors_not_aborts() {
        let err = try_token_base32(usize::MAX).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        let err = try_token_alphabet("αβ", usize::MAX / 2 + 1).unwrap_err();
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
