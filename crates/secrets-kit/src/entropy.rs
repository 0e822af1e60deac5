//! The seam between the generators and the byte source: the only module
//! that reaches the platform layer (`sys`), which is declared here so that
//! nothing else in the crate can call it. Every generator draws through an
//! [`EntropySource`]; the plain forms pass [`OsEntropy`].

// The platform layer is a child of this module, so its `pub(crate)` fill
// functions are reachable from here only.
#[path = "sys/mod.rs"]
mod sys;

pub(crate) use sys::WipeOnFork;
pub use sys::{Backend, backend, fuzz_api, test_api};

use crate::Result;

/// A source of random bytes for [`SystemRandom`](crate::SystemRandom).
///
/// The only source meant for real use is [`OsEntropy`], the kernel. The
/// trait exists so that tests can feed scripted bytes: given the same bytes,
/// every method of `SystemRandom` returns what CPython's
/// `random.SystemRandom` returns for the same `os.urandom` output.
///
/// # Security
///
/// Anything but [`OsEntropy`] makes every "secret" predictable to whoever
/// knows the bytes. Use other sources in tests only.
///
/// # Examples
///
/// ```
/// use secrets_kit::{EntropySource, OsEntropy};
///
/// let mut buf = [0u8; 16];
/// OsEntropy.fill_bytes(&mut buf)?;
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub trait EntropySource {
    /// Fills `dest` entirely with random bytes, or fails without claiming
    /// success.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Os`](crate::ErrorKind::Os) error when the source
    /// cannot deliver.
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()>;

    /// Appends `len` random bytes to `out`, whose spare capacity the caller
    /// has reserved. On failure `out` is left as it was.
    ///
    /// The default zero-fills the new bytes, then fills them;
    /// [`OsEntropy`] overrides it to draw straight into the uninitialised
    /// capacity, which saves the zeroing pass for large tokens.
    ///
    /// # Errors
    ///
    /// As [`fill_bytes`](Self::fill_bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{EntropySource, OsEntropy};
    ///
    /// let mut out = Vec::with_capacity(16);
    /// OsEntropy.append_bytes(&mut out, 16)?;
    /// assert_eq!(out.len(), 16);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    fn append_bytes(&self, out: &mut Vec<u8>, len: usize) -> Result<()> {
        let old_len = out.len();
        out.resize(old_len + len, 0);
        let result = self.fill_bytes(&mut out[old_len..]);
        if result.is_err() {
            out.truncate(old_len);
        }
        result
    }
}

/// The operating system's CSPRNG: the vDSO `getrandom` on Linux 6.11+,
/// the `getrandom` crate elsewhere. See [`backend()`](crate::backend()).
///
/// # Examples
///
/// ```
/// use secrets_kit::{EntropySource, OsEntropy};
///
/// let mut key = [0u8; 32];
/// OsEntropy.fill_bytes(&mut key)?;
/// assert!(key.iter().any(|&b| b != 0));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OsEntropy;

impl EntropySource for OsEntropy {
    #[inline]
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        sys::fill(dest)
    }

    #[inline]
    fn append_bytes(&self, out: &mut Vec<u8>, len: usize) -> Result<()> {
        sys::fill_spare_capacity(out, len)
    }
}

impl<S: EntropySource + ?Sized> EntropySource for &S {
    #[inline]
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        (**self).fill_bytes(dest)
    }

    #[inline]
    fn append_bytes(&self, out: &mut Vec<u8>, len: usize) -> Result<()> {
        (**self).append_bytes(out, len)
    }
}

/// Fills `dest` with random bytes from the kernel.
///
/// # Panics
///
/// If the operating system's random source fails, which a working Linux,
/// macOS or Windows system does not do. Use [`try_fill_bytes`] to handle it.
///
/// # Examples
///
/// ```
/// let mut nonce = [0u8; 12];
/// secrets_kit::fill_bytes(&mut nonce);
/// ```
#[inline]
pub fn fill_bytes(dest: &mut [u8]) {
    if let Err(err) = sys::fill(dest) {
        crate::fail(err)
    }
}

/// Fills `dest` with random bytes from the kernel, reporting a failure of
/// the source.
///
/// # Errors
///
/// An [`ErrorKind::Os`](crate::ErrorKind::Os) error if the kernel's random
/// source fails.
///
/// # Examples
///
/// ```
/// let mut nonce = [0u8; 12];
/// secrets_kit::try_fill_bytes(&mut nonce)?;
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[inline]
pub fn try_fill_bytes(dest: &mut [u8]) -> Result<()> {
    sys::fill(dest)
}
