//! The platform layer: the one place every random byte comes from.
//!
//! Contract of every backend:
//! - it MUST fill the whole buffer with bytes from the operating system's
//!   CSPRNG, or return an error; it MUST NOT return partly filled buffers
//!   as success, and MUST NOT fall back to a weaker source;
//! - it MUST be safe to call from any thread, at any time, including after
//!   `fork()`, from a signal handler and from thread-local destructors;
//! - it MUST NOT panic.
//!
//! The backends, picked here once per build and then once per process:
//! - `vgetrandom`: the kernel's vDSO `getrandom` (Linux 6.11+ on x86_64;
//!   6.12+ on aarch64, s390x and loongarch64; 6.16+ on riscv64), used when
//!   the running kernel has it. Not on powerpc, whose vDSO reports errors
//!   in a way a plain function call cannot see.
//! - `fallback`: the `getrandom` crate, everywhere else and whenever the
//!   vDSO is missing or declines.
//!
//! # Forcing the system call
//!
//! - The environment variable `SECRETS_FORCE_SYSCALL=1` (any value but empty
//!   or `0`), read once, at the first request for random bytes, makes the
//!   process use the `getrandom` crate. This is for emulators and syscall
//!   interposers (which do not see vDSO calls), for tools such as valgrind,
//!   and for running the test suite on both paths.
//! - Building with `RUSTFLAGS="--cfg secrets_force_fallback"` leaves the
//!   vDSO code out.
//! - Building with `RUSTFLAGS="--cfg secrets_require_vdso"` makes the first
//!   request panic if the vDSO cannot be used (unless the environment
//!   variable forces the system call): a test-only setting that proves a
//!   test run used the vDSO.
#![allow(unsafe_code)]

mod fallback;
// Pure, safe code over a byte slice: built everywhere, so that the fuzz
// entry point exists on every target.
mod vdso_image;

/// The vDSO backend is built on Linux on the machines that have a vDSO
/// `getrandom`, unless the fallback is forced (or under Miri, which cannot
/// call into the vDSO).
macro_rules! if_vdso_backend {
    ($($item:item)*) => {$(
        #[cfg(all(
            target_os = "linux",
            any(
                target_arch = "x86_64",
                target_arch = "aarch64",
                target_arch = "s390x",
                target_arch = "loongarch64",
                target_arch = "riscv64",
            ),
            not(secrets_force_fallback),
            not(miri),
        ))]
        $item
    )*};
}

macro_rules! if_not_vdso_backend {
    ($($item:item)*) => {$(
        #[cfg(not(all(
            target_os = "linux",
            any(
                target_arch = "x86_64",
                target_arch = "aarch64",
                target_arch = "s390x",
                target_arch = "loongarch64",
                target_arch = "riscv64",
            ),
            not(secrets_force_fallback),
            not(miri),
        )))]
        $item
    )*};
}

if_vdso_backend! {
    mod vgetrandom;

    /// Fills `buf` entirely with random bytes from the kernel; `buf` may
    /// be uninitialised.
    #[inline]
    fn fill_uninit(buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
        match vgetrandom::get() {
            Some(vdso) => vgetrandom::fill(vdso, buf),
            None => fallback::fill_uninit(buf),
        }
    }

    fn uses_vdso() -> bool {
        vgetrandom::get().is_some()
    }

    fn vdso_states_mapped() -> usize {
        vgetrandom::states_mapped()
    }

    type BareBackend = vgetrandom::BareState;
}

if_not_vdso_backend! {
    /// Fills `buf` entirely with random bytes from the kernel; `buf` may
    /// be uninitialised.
    #[inline]
    fn fill_uninit(buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
        fallback::fill_uninit(buf)
    }

    fn uses_vdso() -> bool {
        false
    }

    fn vdso_states_mapped() -> usize {
        0
    }

    /// Never constructed: there is no vDSO backend in this build.
    enum BareBackend {}

    impl BareBackend {
        fn new() -> Option<Self> {
            None
        }

        fn fill(&mut self, _buf: &mut [u8]) -> Result<(), Error> {
            match *self {}
        }
    }
}

use std::mem::MaybeUninit;

use crate::Error;

/// Fills `buf` entirely with random bytes from the kernel.
#[inline]
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), Error> {
    fill_uninit(as_uninit(buf))
}

/// Appends `len` random bytes to `out`, written straight into its spare
/// capacity with no zeroing first, so that `token_bytes` costs the kernel
/// call plus the allocation and nothing more. `out` must have room for
/// `len` more bytes; if it has not, this is an `Overflow` error and `out`
/// is unchanged. On any error `out` is unchanged.
pub(crate) fn fill_spare_capacity(out: &mut Vec<u8>, len: usize) -> Result<(), Error> {
    let old_len = out.len();
    let Some(spare) = out.spare_capacity_mut().get_mut(..len) else {
        return Err(Error::new(
            crate::ErrorKind::Overflow,
            "internal: no room reserved for the random bytes",
        ));
    };
    fill_uninit(spare)?;
    // SAFETY: `fill_uninit` returned `Ok`, so it wrote every one of the
    // `len` bytes after `old_len`, which lie within the capacity.
    unsafe { out.set_len(old_len + len) };
    Ok(())
}

/// Views initialised bytes as possibly uninitialised ones, for the fill
/// functions, which only ever write initialised bytes through it.
#[inline]
fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the size, alignment and validity
    // superset of `u8`; the view is only passed to the fill functions,
    // which write bytes and never write an uninitialised value, so `buf`
    // stays initialised.
    unsafe { &mut *(std::ptr::from_mut::<[u8]>(buf) as *mut [MaybeUninit<u8>]) }
}

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
/// The choice is made once, at the first request for random bytes (or the
/// first call of this function): the vDSO `getrandom` on Linux 6.11+, unless
/// the environment variable `SECRETS_FORCE_SYSCALL=1` is set; the
/// `getrandom` crate otherwise. Even in a process that uses the vDSO, a few
/// requests take the system call: those made from a signal handler that
/// interrupts the thread's first request, from thread-local destructors, or
/// when no per-thread state can be had.
///
/// # Examples
///
/// ```
/// use secrets::Source;
/// assert!(matches!(secrets::source(), Source::VdsoGetrandom | Source::GetrandomCrate));
/// ```
pub fn source() -> Source {
    if uses_vdso() {
        Source::VdsoGetrandom
    } else {
        Source::GetrandomCrate
    }
}

/// Entry points for the fuzz targets; not part of the API.
#[doc(hidden)]
pub mod fuzz_api {
    /// Looks up the function `name` of version `version` in an ELF image
    /// laid out as the kernel maps the vDSO, returning the offset of its
    /// code, which is always `< image.len()`. Never panics, whatever the
    /// bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets::__fuzz::vdso_lookup(b"not an ELF image", "f", "V_1"), None);
    /// ```
    pub fn vdso_lookup(image: &[u8], name: &str, version: &str) -> Option<usize> {
        super::vdso_image::lookup(image, name, version)
    }
}

/// Hooks for this crate's tests and benchmarks; not part of the API and
/// may change at any time.
#[doc(hidden)]
pub mod test_api {
    use crate::Error;

    /// Fills `buf` through the fallback backend (the `getrandom` crate),
    /// whatever [`source`](crate::source) says.
    ///
    /// # Errors
    ///
    /// When the operating system's random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = [0u8; 16];
    /// secrets::__private::fill_via_fallback(&mut buf)?;
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub fn fill_via_fallback(buf: &mut [u8]) -> Result<(), Error> {
        super::fallback::fill(buf)
    }

    /// How many vDSO states this process has mapped (0 without the vDSO).
    /// States are reused, so this is bounded by the number of threads alive
    /// at once, not by the number ever started.
    ///
    /// # Examples
    ///
    /// ```
    /// let _ = secrets::__private::vdso_states_mapped();
    /// ```
    pub fn vdso_states_mapped() -> usize {
        super::vdso_states_mapped()
    }

    /// A vDSO state owned by its holder, to measure a bare vDSO call: no
    /// thread-local lookup, no dispatch. The state goes back to the pool
    /// when this is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// if let Some(mut bare) = secrets::__private::BareVdso::new() {
    ///     let mut buf = [0u8; 32];
    ///     bare.fill(&mut buf)?;
    /// }
    /// # Ok::<(), secrets::Error>(())
    /// ```
    pub struct BareVdso(super::BareBackend);

    impl std::fmt::Debug for BareVdso {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("BareVdso")
        }
    }

    impl BareVdso {
        /// A state of its own, or `None` when the process does not use the
        /// vDSO.
        pub fn new() -> Option<Self> {
            super::BareBackend::new().map(BareVdso)
        }

        /// Fills `buf` with one vDSO call (looped only on a short return).
        ///
        /// # Errors
        ///
        /// When the operating system's random source fails.
        #[inline]
        pub fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
            self.0.fill(buf)
        }
    }
}
