//! The platform layer: the one place every random byte comes from.
//!
//! # Layout
//!
//! One backend file is built, picked by one cfg ladder below on
//! `cfg(secrets_vdso)`, which `build.rs` states once for the whole crate
//! (Linux on x86_64, aarch64, s390x, loongarch64 or riscv64, unless
//! `--cfg secrets_force_fallback` or Miri):
//!
//! - `linux_vdso.rs`: the kernel's vDSO `getrandom` (Linux 6.11+ on x86_64;
//!   6.12+ on aarch64, s390x and loongarch64; 6.16+ on riscv64), used when
//!   the running kernel has it, with the `getrandom` crate for every
//!   request it cannot serve. Not on powerpc, whose vDSO reports errors in
//!   a way a plain function call cannot see.
//! - `fallback.rs`: the `getrandom` crate for every request.
//!
//! Beside them: `getrandom_crate.rs`, the `getrandom` crate path both
//! backends use, and `vdso_image.rs`, the safe ELF parser that finds the
//! vDSO function (built everywhere, so its fuzz entry point exists on every
//! target).
//!
//! # Contract of every backend
//!
//! Each backend file MUST export the same items, with the same signatures:
//!
//! - `fn fill_uninit(buf: &mut [MaybeUninit<u8>]) -> Result<(), Error>`:
//!   it MUST fill the whole buffer with bytes from the operating system's
//!   CSPRNG, or return an error; it MUST NOT return a partly filled buffer
//!   as success, MUST NOT fall back to a weaker source, and MUST only ever
//!   write initialised bytes into `buf` (so [`fill`] may pass it a view of
//!   initialised memory);
//! - it MUST be safe to call from any thread, at any time, including after
//!   `fork()`, from a signal handler and from thread-local destructors, and
//!   it MUST NOT wait on anything another thread holds: a forked child has
//!   only the forking thread, and a handler may interrupt the holder;
//! - it MUST NOT panic (except for the test-only `secrets_require_vdso`
//!   check below);
//! - `fn uses_vdso() -> bool` and `fn vdso_states_mapped() -> usize`: what
//!   [`backend()`] and the tests report;
//! - `BareState`, with `fn new() -> Option<Self>` and
//!   `fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error>`: one vDSO
//!   call on a state its holder owns, for the benchmarks (uninhabited
//!   without the vDSO).
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

mod getrandom_crate;
mod vdso_image;
mod wipe_on_fork;
pub(crate) use wipe_on_fork::WipeOnFork;

// The cfg ladder: exactly one backend, always named `backend` here.
#[cfg(secrets_vdso)]
mod linux_vdso;
#[cfg(secrets_vdso)]
use linux_vdso as backend;

#[cfg(not(secrets_vdso))]
mod fallback;
#[cfg(not(secrets_vdso))]
use fallback as backend;

use std::mem::MaybeUninit;

use backend::fill_uninit;

use crate::Error;

/// Fills `buf` entirely with random bytes from the kernel.
#[inline]
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), Error> {
    // SAFETY: the view goes only to the backend's `fill_uninit`, which by
    // the contract above writes only initialised bytes.
    let buf = unsafe { as_uninit(buf) };
    fill_uninit(buf)
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
/// functions.
///
/// # Safety
///
/// The caller MUST NOT write an uninitialised value (such as
/// `MaybeUninit::uninit()`) through the returned slice, nor let anything it
/// passes the slice to do so: `buf` must still be initialised when the
/// borrow ends. The backends' fill functions only write bytes, so passing
/// the view to them is sound.
#[inline]
unsafe fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the size and alignment of `u8` and
    // every `u8` is a valid `MaybeUninit<u8>`; the caller promises (above)
    // that no uninitialised value is written through the view, so `buf`
    // stays initialised.
    unsafe { &mut *(std::ptr::from_mut::<[u8]>(buf) as *mut [MaybeUninit<u8>]) }
}

/// Which kernel interface [`OsEntropy`](crate::OsEntropy) uses for this
/// process's random bytes: the platform layer's backend. (The word
/// "source" is kept for an [`EntropySource`](crate::EntropySource), where
/// the bytes come from.)
///
/// # Examples
///
/// ```
/// let backend = secrets_kit::backend();
/// println!("random bytes come from {backend}");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The kernel's `__vdso_getrandom` (Linux 6.11+), with per-thread
    /// state.
    VdsoGetrandom,
    /// The `getrandom` crate: the `getrandom` system call on Linux, the
    /// platform's native CSPRNG elsewhere.
    GetrandomCrate,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::VdsoGetrandom => "vdso-getrandom",
            Backend::GetrandomCrate => "getrandom-syscall",
        })
    }
}

/// Tells which kernel interface this process uses for randomness.
///
/// The choice is made once, at the first request for random bytes (or the
/// first call of this function): the vDSO `getrandom` on Linux 6.11+, unless
/// the environment variable `SECRETS_FORCE_SYSCALL=1` is set; the
/// `getrandom` crate otherwise. Even in a process that uses the vDSO, a few
/// requests take the system call: those made while another thread is still
/// running the first request's probe (they do not wait for it), from a
/// signal handler that interrupts the thread's first request, from
/// thread-local destructors, or on a thread that could not have a
/// per-thread state.
///
/// # Examples
///
/// ```
/// use secrets_kit::Backend;
/// assert!(matches!(secrets_kit::backend(), Backend::VdsoGetrandom | Backend::GetrandomCrate));
/// ```
pub fn backend() -> Backend {
    if backend::uses_vdso() {
        Backend::VdsoGetrandom
    } else {
        Backend::GetrandomCrate
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
    /// assert_eq!(secrets_kit::__fuzz::vdso_lookup(b"not an ELF image", "f", "V_1"), None);
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
    /// whatever [`backend()`](crate::backend()) says.
    ///
    /// # Errors
    ///
    /// When the operating system's random source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = [0u8; 16];
    /// secrets_kit::__private::fill_via_fallback(&mut buf)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill_via_fallback(buf: &mut [u8]) -> Result<(), Error> {
        super::getrandom_crate::fill(buf)
    }

    /// How many vDSO states this process has mapped (0 without the vDSO).
    /// States are reused, so this is bounded by the number of threads alive
    /// at once, not by the number ever started.
    ///
    /// # Examples
    ///
    /// ```
    /// let _ = secrets_kit::__private::vdso_states_mapped();
    /// ```
    pub fn vdso_states_mapped() -> usize {
        super::backend::vdso_states_mapped()
    }

    /// A vDSO state owned by its holder, to measure a bare vDSO call: no
    /// thread-local lookup, no dispatch. The state goes back to the pool
    /// when this is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// if let Some(mut bare) = secrets_kit::__private::BareVdso::new() {
    ///     let mut buf = [0u8; 32];
    ///     bare.fill(&mut buf)?;
    /// }
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub struct BareVdso(super::backend::BareState);

    impl std::fmt::Debug for BareVdso {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("BareVdso")
        }
    }

    impl BareVdso {
        /// A state of its own, or `None` when the process does not use the
        /// vDSO.
        pub fn new() -> Option<Self> {
            super::backend::BareState::new().map(BareVdso)
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
