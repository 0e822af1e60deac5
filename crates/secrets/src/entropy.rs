//! The seam between the samplers and the byte source.

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
/// use secrets::{EntropySource, OsEntropy};
///
/// let mut buf = [0u8; 16];
/// OsEntropy.fill_bytes(&mut buf)?;
/// # Ok::<(), secrets::Error>(())
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
}

/// The operating system's CSPRNG: the vDSO `getrandom` on Linux 6.11+,
/// the `getrandom` crate elsewhere. See [`source`](crate::source).
///
/// # Examples
///
/// ```
/// use secrets::{EntropySource, OsEntropy};
///
/// let mut key = [0u8; 32];
/// OsEntropy.fill_bytes(&mut key)?;
/// assert!(key.iter().any(|&b| b != 0));
/// # Ok::<(), secrets::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OsEntropy;

impl EntropySource for OsEntropy {
    #[inline]
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        crate::sys::fill(dest)
    }
}

impl<S: EntropySource + ?Sized> EntropySource for &S {
    #[inline]
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        (**self).fill_bytes(dest)
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
/// secrets::fill_bytes(&mut nonce);
/// ```
#[inline]
pub fn fill_bytes(dest: &mut [u8]) {
    if let Err(err) = crate::sys::fill(dest) {
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
/// secrets::try_fill_bytes(&mut nonce)?;
/// # Ok::<(), secrets::Error>(())
/// ```
#[inline]
pub fn try_fill_bytes(dest: &mut [u8]) -> Result<()> {
    crate::sys::fill(dest)
}
