//! `token_bytes`, `token_hex`, `token_urlsafe` and `DEFAULT_ENTROPY`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroize;

use crate::buffer::Pool;
use crate::{EntropySource, Error, OsEntropy, Result};

/// The number of random bytes a token gets when no size is given: 32, as in
/// Python.
///
/// Python documents this default as one that may grow; read it rather than
/// hard-coding 32.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit::token_bytes(None).len(), secrets_kit::DEFAULT_ENTROPY);
/// ```
pub const DEFAULT_ENTROPY: usize = 32;

/// Raw bytes are drawn and encoded in pieces of this size, so encoding a
/// huge token never holds a second copy of all its secret bytes. A multiple
/// of 3, so base64 pieces join without padding.
const CHUNK: usize = 3 * 1024;

/// Tokens up to this many bytes (the default included) draw into a small
/// scratch buffer. A multiple of 3, like [`CHUNK`].
const SMALL: usize = 96;

fn resolve(nbytes: Option<usize>) -> usize {
    nbytes.unwrap_or(DEFAULT_ENTROPY)
}

/// Returns `nbytes` random bytes (default [`DEFAULT_ENTROPY`]): Python's
/// `secrets.token_bytes`.
///
/// # Panics
///
/// If the kernel's random source fails (it does not, on a working system)
/// or `nbytes` cannot be allocated. Use [`try_token_bytes`](crate::fallible::try_token_bytes) for sizes that
/// come from untrusted input.
///
/// # Examples
///
/// ```
/// let key = secrets_kit::token_bytes(16);
/// assert_eq!(key.len(), 16);
/// assert_eq!(secrets_kit::token_bytes(None).len(), 32);
/// ```
#[must_use]
pub fn token_bytes(nbytes: impl Into<Option<usize>>) -> Vec<u8> {
    try_token_bytes(nbytes).unwrap_or_else(|err| crate::fail(err))
}

/// Returns `nbytes` random bytes (default [`DEFAULT_ENTROPY`]), or an error.
///
/// # Errors
///
/// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when `nbytes` cannot
/// be allocated, [`ErrorKind::Os`](crate::ErrorKind::Os) when the kernel's
/// random source fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::ErrorKind;
///
/// assert_eq!(secrets_kit::fallible::try_token_bytes(8)?.len(), 8);
/// assert_eq!(secrets_kit::fallible::try_token_bytes(usize::MAX).unwrap_err().kind(), ErrorKind::TooLarge);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn try_token_bytes(nbytes: impl Into<Option<usize>>) -> Result<Vec<u8>> {
    token_bytes_with(&OsEntropy, nbytes)
}

/// [`try_token_bytes`](crate::fallible::try_token_bytes) drawing from `source` instead of the kernel.
///
/// # Errors
///
/// As [`try_token_bytes`](crate::fallible::try_token_bytes), with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// let token = secrets_kit::with_source::token_bytes_with(&secrets_kit::OsEntropy, 8)?;
/// assert_eq!(token.len(), 8);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_bytes_with<S: EntropySource + ?Sized>(
    source: &S,
    nbytes: impl Into<Option<usize>>,
) -> Result<Vec<u8>> {
    let nbytes = resolve(nbytes.into());
    let mut out = try_alloc(nbytes, "a token")?;
    source.append_bytes(&mut out, nbytes)?;
    Ok(out)
}

/// Returns a random string of `2 * nbytes` lowercase hexadecimal digits
/// (default 64): Python's `secrets.token_hex`.
///
/// # Panics
///
/// If the kernel's random source fails or the string cannot be allocated.
/// Use [`try_token_hex`](crate::fallible::try_token_hex) for untrusted sizes.
///
/// # Examples
///
/// ```
/// let token = secrets_kit::token_hex(16);
/// assert_eq!(token.len(), 32);
/// assert!(token.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
/// ```
#[must_use]
pub fn token_hex(nbytes: impl Into<Option<usize>>) -> String {
    try_token_hex(nbytes).unwrap_or_else(|err| crate::fail(err))
}

/// Returns a random lowercase hexadecimal string of `2 * nbytes`
/// characters, or an error.
///
/// # Errors
///
/// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when the string
/// cannot be allocated, [`ErrorKind::Os`](crate::ErrorKind::Os) when the
/// kernel's random source fails.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit::fallible::try_token_hex(None)?.len(), 2 * secrets_kit::DEFAULT_ENTROPY);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn try_token_hex(nbytes: impl Into<Option<usize>>) -> Result<String> {
    encoded_token(&OsEntropy, resolve(nbytes.into()), TokenEncoding::Hex)
}

/// [`try_token_hex`](crate::fallible::try_token_hex) drawing from `source`
/// instead of the kernel: `2 * nbytes` hexadecimal digits of its bytes, in
/// order, each byte high nibble first.
///
/// # Errors
///
/// As [`try_token_hex`](crate::fallible::try_token_hex), with `source`'s
/// errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// use secrets_kit::with_source::token_hex_with;
///
/// struct Fixed;
/// impl secrets_kit::EntropySource for Fixed {
///     fn fill_bytes(&self, dest: &mut [u8]) -> secrets_kit::Result<()> {
///         dest.fill(0xa5);
///         Ok(())
///     }
/// }
/// assert_eq!(token_hex_with(&Fixed, 2)?, "a5a5");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_hex_with<S: EntropySource + ?Sized>(
    source: &S,
    nbytes: impl Into<Option<usize>>,
) -> Result<String> {
    encoded_token(source, resolve(nbytes.into()), TokenEncoding::Hex)
}

/// Returns a random URL-safe text string of `ceil(4 * nbytes / 3)`
/// characters (default 43): Python's `secrets.token_urlsafe`.
///
/// The alphabet is `A-Z a-z 0-9 - _` (RFC 4648 section 5) and there is no
/// `=` padding.
///
/// # Panics
///
/// If the kernel's random source fails or the string cannot be allocated.
/// Use [`try_token_urlsafe`](crate::fallible::try_token_urlsafe) for untrusted sizes.
///
/// # Examples
///
/// ```
/// let token = secrets_kit::token_urlsafe(16);
/// assert_eq!(token.len(), 22);
/// assert!(token.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
/// ```
#[must_use]
pub fn token_urlsafe(nbytes: impl Into<Option<usize>>) -> String {
    try_token_urlsafe(nbytes).unwrap_or_else(|err| crate::fail(err))
}

/// The URL-safe token drawn from `source`: what
/// [`try_token_urlsafe`](crate::fallible::try_token_urlsafe) returns, with
/// `source`'s errors in place of the kernel's.
///
/// # Errors
///
/// As [`try_token_urlsafe`](crate::fallible::try_token_urlsafe).
///
/// # Examples
///
/// ```
/// use secrets_kit::{OsEntropy, with_source::token_urlsafe_with};
/// assert_eq!(token_urlsafe_with(&OsEntropy, 3)?.len(), 4);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn token_urlsafe_with<S: EntropySource + ?Sized>(
    source: &S,
    nbytes: impl Into<Option<usize>>,
) -> Result<String> {
    let nbytes = resolve(nbytes.into());
    encoded_token(source, nbytes, TokenEncoding::UrlSafe)
}

/// [`token_urlsafe`], or the error it would panic with.
///
/// # Errors
///
/// Those of [`try_token_hex`](crate::fallible::try_token_hex): the string
/// cannot be allocated, or the kernel's random source fails.
///
/// ```
/// let token = secrets_kit::fallible::try_token_urlsafe(None)?;
/// assert_eq!(token.len(), 43);
/// assert!(secrets_kit::fallible::try_token_urlsafe(usize::MAX).is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn try_token_urlsafe(nbytes: impl Into<Option<usize>>) -> Result<String> {
    encoded_token(&OsEntropy, resolve(nbytes.into()), TokenEncoding::UrlSafe)
}

/// A text token of `nbytes` random bytes in `encoding`, encoded piece by
/// piece (see [`encode_random`]).
#[inline]
fn encoded_token<S: EntropySource + ?Sized>(
    source: &S,
    nbytes: usize,
    encoding: TokenEncoding,
) -> Result<String> {
    let what = encoding.what();
    let len = encoding
        .encoded_len(nbytes)
        .ok_or_else(|| Error::too_large(nbytes, &format!("{what} for a request")))?;
    let mut out = try_alloc(len, what)?;
    out.resize(len, 0);
    encoding.fill_with(source, nbytes, &mut out)?;
    Ok(ascii_string(out))
}

/// Draws `nbytes` random bytes in pieces and lets `encode` write each piece
/// into `out` (returning how many bytes it wrote). Pieces are whole
/// multiples of 3 bytes but for the last, so base64 pieces join without
/// padding. The scratch bytes are wiped; on failure so is `out`.
///
/// Tokens of up to [`SMALL`] bytes use a small scratch buffer: setting up
/// and wiping the large one would cost more than the kernel call itself.
fn encode_random<S: EntropySource + ?Sized>(
    source: &S,
    nbytes: usize,
    out: &mut [u8],
    encode: impl FnMut(&[u8], &mut [u8]) -> usize,
) -> Result<()> {
    let result = if nbytes <= SMALL {
        encode_with_scratch(source, &mut [0u8; SMALL], nbytes, out, encode)
    } else {
        encode_with_scratch(source, &mut [0u8; CHUNK], nbytes, out, encode)
    };
    if result.is_err() {
        out.zeroize();
    }
    result
}

fn encode_with_scratch<S: EntropySource + ?Sized>(
    source: &S,
    scratch: &mut [u8],
    nbytes: usize,
    out: &mut [u8],
    mut encode: impl FnMut(&[u8], &mut [u8]) -> usize,
) -> Result<()> {
    let mut result = Ok(());
    let mut written = 0;
    let mut remaining = nbytes;
    while remaining > 0 {
        let raw = &mut scratch[..remaining.min(CHUNK)];
        debug_assert!(raw.len() % 3 == 0 || raw.len() == remaining);
        if let Err(err) = source.fill_bytes(raw) {
            result = Err(err);
            break;
        }
        written += encode(raw, &mut out[written..]);
        remaining -= raw.len();
    }
    // Only the part a piece ever used held secret bytes.
    let used = nbytes.min(scratch.len());
    scratch[..used].zeroize();
    debug_assert!(result.is_err() || written == out.len());
    result
}

/// `ceil(4n/3)`, the length of unpadded base64 of `n` bytes, if it fits.
pub(crate) fn urlsafe_len(nbytes: usize) -> Option<usize> {
    let full = (nbytes / 3).checked_mul(4)?;
    full.checked_add([0, 2, 3][nbytes % 3])
}

/// A vector with room for `len` bytes, or a `TooLarge` error instead of an
/// allocation abort: the crate's one fallible allocation (`try_vec`), for
/// bytes. The crates beside this one use it for every buffer whose size
/// comes from input.
///
/// ```
/// let buffer = secrets_kit::alloc::try_alloc(64, "a key")?;
/// assert!(buffer.capacity() >= 64);
/// assert!(secrets_kit::alloc::try_alloc(usize::MAX, "a key").is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[inline]
pub fn try_alloc(len: usize, what: &str) -> Result<Vec<u8>> {
    crate::error::try_vec(len, what)
}

fn ascii_string(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => unreachable!("hex and base64 output is ASCII"),
    }
}

/// Raw bytes per kernel call in a [`TokenBatch`]: about this many, so
/// small tokens come hundreds to a call.
const BATCH_BYTES: usize = 16 * 1024;

/// How each token of a [`TokenBatch`](crate::batch::TokenBatch) is written.
///
/// # Examples
///
/// ```
/// use secrets_kit::batch::TokenEncoding;
/// assert_eq!(TokenEncoding::Hex.encoded_len(16), Some(32));
/// assert_eq!(TokenEncoding::UrlSafe.encoded_len(32), Some(43));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenEncoding {
    /// The raw bytes, as [`token_bytes`].
    Bytes,
    /// Lowercase hexadecimal, as [`token_hex`].
    Hex,
    /// URL-safe base64 without padding, as [`token_urlsafe`].
    UrlSafe,
}

impl TokenEncoding {
    /// The length of one encoded token of `nbytes` random bytes, if it
    /// fits `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit::batch::TokenEncoding::Bytes.encoded_len(7), Some(7));
    /// ```
    pub fn encoded_len(self, nbytes: usize) -> Option<usize> {
        match self {
            TokenEncoding::Bytes => Some(nbytes),
            TokenEncoding::Hex => nbytes.checked_mul(2),
            TokenEncoding::UrlSafe => urlsafe_len(nbytes),
        }
    }

    /// Draws `nbytes` random bytes from the kernel and writes them, encoded,
    /// into `out`, which must be exactly [`encoded_len`](Self::encoded_len)
    /// long: the token [`token_bytes`], [`token_hex`] or [`token_urlsafe`]
    /// would return, written where the caller wants it (a stack array,
    /// another language's string) without an allocation. The raw bytes
    /// pass through a scratch buffer that is wiped; on failure, so is
    /// `out`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
    /// `out` is not the token's length; the kernel's error if it fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::batch::TokenEncoding;
    ///
    /// let mut token = [0u8; 64];
    /// TokenEncoding::Hex.fill(32, &mut token)?;
    /// assert!(token.iter().all(u8::is_ascii_hexdigit));
    /// assert!(TokenEncoding::Hex.fill(31, &mut token).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill(self, nbytes: usize, out: &mut [u8]) -> Result<()> {
        self.fill_with(&OsEntropy, nbytes, out)
    }

    /// [`fill`](Self::fill) drawing from `source` instead of the kernel.
    ///
    /// # Errors
    ///
    /// As [`fill`](Self::fill), with `source`'s errors in place of the
    /// kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::batch::TokenEncoding;
    ///
    /// struct Fixed;
    /// impl secrets_kit::EntropySource for Fixed {
    ///     fn fill_bytes(&self, dest: &mut [u8]) -> secrets_kit::Result<()> {
    ///         dest.fill(0xff);
    ///         Ok(())
    ///     }
    /// }
    /// let mut token = [0u8; 4];
    /// TokenEncoding::UrlSafe.fill_with(&Fixed, 3, &mut token)?;
    /// assert_eq!(&token, b"____");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill_with<S: EntropySource + ?Sized>(
        self,
        source: &S,
        nbytes: usize,
        out: &mut [u8],
    ) -> Result<()> {
        if self.encoded_len(nbytes) != Some(out.len()) {
            return Err(Error::invalid(format!(
                "{} of {nbytes} random bytes does not fit {} bytes",
                self.what(),
                out.len()
            )));
        }
        encode_random(source, nbytes, out, |raw, piece| {
            self.encode_into(raw, piece)
        })
    }

    /// Writes `raw` encoded at the start of `out`, which has room for it
    /// (see [`encoded_len`](Self::encoded_len)); returns how many bytes it
    /// wrote. The one encoder of the text tokens and the token batches.
    #[inline]
    fn encode_into(self, raw: &[u8], out: &mut [u8]) -> usize {
        match self {
            TokenEncoding::Bytes => {
                out[..raw.len()].copy_from_slice(raw);
                raw.len()
            }
            TokenEncoding::Hex => {
                let out = &mut out[..2 * raw.len()];
                // Exactly twice the raw length, so this cannot fail.
                let _ = const_hex::encode_to_slice(raw, out);
                out.len()
            }
            TokenEncoding::UrlSafe => match URL_SAFE_NO_PAD.encode_slice(raw, out) {
                Ok(written) => written,
                Err(_) => unreachable!("the output was sized by urlsafe_len"),
            },
        }
    }

    /// What a token in this encoding is called in errors.
    fn what(self) -> &'static str {
        match self {
            TokenEncoding::Bytes => "a token",
            TokenEncoding::Hex => "a hex token",
            TokenEncoding::UrlSafe => "a URL-safe token",
        }
    }
}

/// Many tokens of one size and encoding, drawn a batch per kernel call:
/// the fast way to make a million tokens. The buffers are allocated once
/// (fallibly) and wiped after every batch and on drop.
///
/// The raw bytes of the tokens not yet given to the callback are kept in
/// fork-safe memory (see [`buffer`](crate::buffer)): if the callback forks,
/// the child's next token comes from a fresh kernel draw, never from the
/// parent's batch. The token the callback receives is a copy, so it stays
/// readable in a child forked while it is held.
///
/// Each token is what [`token_bytes`], [`token_hex`] or [`token_urlsafe`]
/// would return for `nbytes`; only the number of kernel calls differs.
///
/// # Examples
///
/// ```
/// use secrets_kit::{batch::TokenBatch, batch::TokenEncoding};
///
/// let mut batch = TokenBatch::new(16, TokenEncoding::Hex)?;
/// let mut tokens = Vec::new();
/// batch.for_each(1000, |token| {
///     tokens.push(String::from_utf8(token.to_vec()).unwrap());
///     Ok::<(), secrets_kit::Error>(())
/// })?;
/// assert_eq!(tokens.len(), 1000);
/// assert!(tokens.iter().all(|t| t.len() == 32));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct TokenBatch {
    nbytes: usize,
    encoding: TokenEncoding,
    per_batch: usize,
    /// The batch's raw bytes, in wipe-on-fork memory with their read
    /// position.
    raw: Pool,
    /// The token given to the callback: encoded, or a copy of the raw
    /// bytes.
    text: Vec<u8>,
}

impl std::fmt::Debug for TokenBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The sizes only: never the bytes.
        let TokenBatch {
            nbytes, encoding, ..
        } = self;
        write!(
            f,
            "TokenBatch {{ nbytes: {nbytes}, encoding: {encoding:?}, .. }}"
        )
    }
}

impl TokenBatch {
    /// Prepares batches of tokens of `nbytes` random bytes each.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) when a token of
    /// that size (raw or encoded) cannot be allocated.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{ErrorKind, batch::TokenBatch, batch::TokenEncoding};
    /// assert_eq!(
    ///     TokenBatch::new(usize::MAX, TokenEncoding::Hex).unwrap_err().kind(),
    ///     ErrorKind::TooLarge
    /// );
    /// ```
    pub fn new(nbytes: usize, encoding: TokenEncoding) -> Result<Self> {
        let text_len = encoding
            .encoded_len(nbytes)
            .ok_or_else(|| Error::too_large(nbytes, "a token for a request"))?;
        let per_batch = (BATCH_BYTES / nbytes.max(1)).max(1);
        let raw = Pool::new(per_batch * nbytes)?;
        let mut text = try_alloc(text_len, "a token")?;
        text.resize(text_len, 0);
        Ok(TokenBatch {
            nbytes,
            encoding,
            per_batch,
            raw,
            text,
        })
    }

    /// Calls `each` with `count` tokens from the kernel, in order, and stops
    /// at the first error.
    ///
    /// # Errors
    ///
    /// The kernel's failure (converted into `E`), or the first error
    /// `each` returns; no further token is made after either.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{batch::TokenBatch, batch::TokenEncoding};
    /// let mut n = 0;
    /// TokenBatch::new(32, TokenEncoding::UrlSafe)?.for_each(3, |token| {
    ///     assert_eq!(token.len(), 43);
    ///     n += 1;
    ///     Ok::<(), secrets_kit::Error>(())
    /// })?;
    /// assert_eq!(n, 3);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn for_each<E: From<Error>>(
        &mut self,
        count: u64,
        each: impl FnMut(&[u8]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        self.for_each_with(&OsEntropy, count, each)
    }

    /// [`for_each`](Self::for_each) drawing from `source`: one
    /// `fill_bytes` per batch, tokens cut from it in order.
    ///
    /// # Errors
    ///
    /// As [`for_each`](Self::for_each), with `source`'s errors in place of
    /// the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{OsEntropy, batch::TokenBatch, batch::TokenEncoding};
    /// let mut batch = TokenBatch::new(4, TokenEncoding::Bytes)?;
    /// batch.for_each_with(&OsEntropy, 2, |token| {
    ///     assert_eq!(token.len(), 4);
    ///     Ok::<(), secrets_kit::Error>(())
    /// })?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn for_each_with<S: EntropySource + ?Sized, E: From<Error>>(
        &mut self,
        source: &S,
        count: u64,
        mut each: impl FnMut(&[u8]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut remaining = count;
        let mut result = Ok(());
        while remaining > 0 {
            // A new batch (when the last is used up) is drawn for the
            // tokens still to make, at most `per_batch`.
            let batch = usize::try_from(remaining)
                .unwrap_or(usize::MAX)
                .min(self.per_batch)
                * self.nbytes;
            let raw = match self
                .raw
                .take(self.nbytes, batch, |batch| source.fill_bytes(batch))
            {
                Ok(raw) => raw,
                Err(err) => {
                    result = Err(E::from(err));
                    break;
                }
            };
            let written = self.encoding.encode_into(raw, &mut self.text);
            let token = &self.text[..written];
            // `raw` is wiped in the pool at the next take (or by `wipe`).
            if let Err(err) = each(token) {
                result = Err(err);
                break;
            }
            remaining -= 1;
        }
        self.wipe();
        result
    }

    fn wipe(&mut self) {
        self.raw.clear();
        // The slice, not the `Vec`: `Vec::zeroize` also empties it, and the
        // next `for_each` encodes into it at its full length.
        self.text.as_mut_slice().zeroize();
    }
}

impl Drop for TokenBatch {
    fn drop(&mut self) {
        self.wipe();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch serves any number of `for_each` calls, each with tokens of
    /// the full length, none repeated (a second call used to find its text
    /// buffer emptied by the first call's wipe, and panicked).
    #[test]
    fn a_batch_serves_call_after_call() {
        for encoding in [
            TokenEncoding::Bytes,
            TokenEncoding::Hex,
            TokenEncoding::UrlSafe,
        ] {
            let mut batch = TokenBatch::new(16, encoding).unwrap();
            let mut seen = std::collections::HashSet::new();
            for count in [1000, 1, 3, 1000] {
                let mut made = 0;
                batch
                    .for_each(count, |token| {
                        let len = match encoding {
                            TokenEncoding::Bytes => 16,
                            TokenEncoding::Hex => 32,
                            TokenEncoding::UrlSafe => 22,
                        };
                        assert_eq!(token.len(), len);
                        assert!(seen.insert(token.to_vec()), "a token came twice");
                        made += 1;
                        Ok::<(), Error>(())
                    })
                    .unwrap();
                assert_eq!(made, count);
            }
        }
    }

    #[test]
    fn urlsafe_length_formula() {
        for (n, len) in [(0, 0), (1, 2), (2, 3), (3, 4), (16, 22), (32, 43)] {
            assert_eq!(urlsafe_len(n), Some(len));
        }
        assert_eq!(urlsafe_len(usize::MAX), None);
    }

    #[test]
    fn huge_sizes_are_errors_not_aborts() {
        use crate::ErrorKind::TooLarge;
        assert_eq!(try_token_bytes(usize::MAX).unwrap_err().kind(), TooLarge);
        assert_eq!(
            try_token_hex(usize::MAX / 2 + 1).unwrap_err().kind(),
            TooLarge
        );
        assert_eq!(try_token_hex(usize::MAX / 4).unwrap_err().kind(), TooLarge);
        assert_eq!(try_token_urlsafe(usize::MAX).unwrap_err().kind(), TooLarge);
        assert_eq!(
            try_token_urlsafe(usize::MAX / 2).unwrap_err().kind(),
            TooLarge
        );
    }

    #[test]
    fn a_batch_gives_the_tokens_the_single_calls_give() {
        use crate::test_common::Script;
        let bytes: Vec<u8> = (0..=255u8).cycle().take(3 * 70).collect();
        for (encoding, single) in [
            (TokenEncoding::Bytes, None),
            (
                TokenEncoding::Hex,
                Some(token_hex_with as fn(&Script, usize) -> Result<String>),
            ),
            (
                TokenEncoding::UrlSafe,
                Some(token_urlsafe_with as fn(&Script, usize) -> Result<String>),
            ),
        ] {
            let mut got = Vec::new();
            TokenBatch::new(70, encoding)
                .unwrap()
                .for_each_with(&Script::new(&bytes), 3, |t| {
                    got.push(t.to_vec());
                    Ok::<(), Error>(())
                })
                .unwrap();
            let one_by_one = Script::new(&bytes);
            for token in got {
                let expected = match single {
                    None => token_bytes_with(&one_by_one, 70).unwrap(),
                    Some(single) => single(&one_by_one, 70).unwrap().into_bytes(),
                };
                assert_eq!(token, expected, "{encoding:?}");
            }
        }
    }

    #[test]
    fn a_batch_stops_at_the_first_error() {
        let mut seen = 0;
        let err = TokenBatch::new(8, TokenEncoding::Hex)
            .unwrap()
            .for_each(10, |_| {
                seen += 1;
                if seen == 3 {
                    Err(Error::invalid("enough"))
                } else {
                    Ok(())
                }
            })
            .unwrap_err();
        assert_eq!((seen, err.message()), (3, "enough"));
        let empty = crate::test_common::Script::new([0u8; 0]);
        let err = TokenBatch::new(8, TokenEncoding::Hex)
            .unwrap()
            .for_each_with(&empty, 1, |_| Ok::<(), Error>(()))
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Os);
    }

    /// `fill_with` writes what a naive encoder makes of the same bytes, at
    /// every size around the scratch buffers' edges, refuses a buffer of
    /// the wrong length, and wipes the buffer when the source fails.
    #[test]
    fn fill_writes_the_token_in_place() {
        use crate::test_common::Script;
        let bytes: Vec<u8> = (0..=255u8).cycle().take(2 * CHUNK + 7).collect();
        for n in [
            0,
            1,
            2,
            3,
            SMALL - 1,
            SMALL,
            SMALL + 1,
            CHUNK,
            CHUNK + 1,
            2 * CHUNK + 7,
        ] {
            let raw = &bytes[..n];
            let naive_hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
            let naive_url = URL_SAFE_NO_PAD.encode(raw);
            for (encoding, naive) in [
                (TokenEncoding::Bytes, raw.to_vec()),
                (TokenEncoding::Hex, naive_hex.into_bytes()),
                (TokenEncoding::UrlSafe, naive_url.into_bytes()),
            ] {
                let mut out = vec![0u8; naive.len()];
                encoding.fill_with(&Script::new(raw), n, &mut out).unwrap();
                assert_eq!(out, naive, "{encoding:?} of {n} bytes");
                let mut wrong = vec![0u8; naive.len() + 1];
                let err = encoding.fill_with(&Script::new(raw), n, &mut wrong);
                assert_eq!(err.unwrap_err().kind(), crate::ErrorKind::InvalidValue);
            }
        }
        let mut out = [0xaau8; 2 * (CHUNK + 3)];
        let short = Script::new(&bytes[..CHUNK]);
        let err = TokenEncoding::Hex.fill_with(&short, CHUNK + 3, &mut out);
        assert_eq!(err.unwrap_err().kind(), crate::ErrorKind::Os);
        assert!(
            out.iter().all(|&b| b == 0),
            "a failed fill leaves its output wiped"
        );
    }

    #[test]
    fn chunk_boundaries_keep_exact_lengths() {
        for n in [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 2] {
            assert_eq!(try_token_hex(n).unwrap().len(), 2 * n);
            let url = try_token_urlsafe(n).unwrap();
            assert_eq!(url.len(), urlsafe_len(n).unwrap());
            assert!(!url.contains('='));
        }
    }
}
