//! The platform layer: the one place every random byte comes from.
//!
//! Contract of every backend:
//! - it MUST fill the whole buffer with bytes from the operating system's
//!   CSPRNG, or return an error; it MUST NOT return partly filled buffers
//!   as success, and MUST NOT fall back to a weaker source;
//! - it MUST be safe to call from any thread, at any time, including after
//!   `fork()`;
//! - it MUST NOT panic.
#![allow(unsafe_code)]

mod fallback;

use crate::Error;

/// Which kernel interface supplies this process's random bytes.
///
/// # Examples
///
/// ```
/// let source = secrets::source();
/// println!("random bytes come from {source}");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// The kernel's `__vdso_getrandom` (Linux 6.11+), with per-thread
    /// state.
    VdsoGetrandom,
    /// The `getrandom` crate: the `getrandom` system call on Linux, the
    /// platform's native CSPRNG elsewhere.
    GetrandomCrate,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Source::VdsoGetrandom => "vdso-getrandom",
            Source::GetrandomCrate => "getrandom-syscall",
        })
    }
}

/// Tells which kernel interface this process uses for randomness.
///
/// # Examples
///
/// ```
/// use secrets::Source;
/// assert!(matches!(secrets::source(), Source::VdsoGetrandom | Source::GetrandomCrate));
/// ```
pub fn source() -> Source {
    Source::GetrandomCrate
}

/// Fills `buf` entirely with random bytes from the kernel.
#[inline]
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), Error> {
    fallback::fill(buf)
}
