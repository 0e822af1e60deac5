//! The vDSO `getrandom` backend (Linux 6.11+), built when
//! `cfg(secrets_vdso)` holds (see `build.rs`). It exports the same items as
//! `fallback.rs`, as the contract in `mod.rs` asks.
//!
//! Since Linux 6.11 the kernel exports its own ChaCha20 generator as a
//! vDSO function. It runs in user space on a small opaque state that the
//! caller keeps, and makes the `getrandom` system call itself only to
//! re-key when the kernel's generator has been reseeded. It is 3 to 15 times
//! faster than the system call for small requests, with the same
//! guarantees: the state lives in memory the kernel wipes on `fork` (and
//! may drop under memory pressure), and a generation counter makes every
//! state re-key after a reseed or a VM clone.
//!
//! How this module uses it:
//! - **Finding it.** The function is looked up by name and version in the
//!   vDSO image named by `getauxval(AT_SYSINFO_EHDR)` ([`super::vdso_image`]),
//!   with no help from the C library's `dlsym`, so static and musl builds get
//!   it too. A query call with `opaque_len == usize::MAX` returns the state
//!   size and the `mmap` protection and flags the states need. Anything
//!   unexpected (no vDSO, no symbol, the query failing, a state larger than
//!   a page) and the process uses the `getrandom` crate instead.
//! - **States.** Pages are mapped with exactly the protection and flags the
//!   kernel asked for (`MAP_DROPPABLE`, which also wipes them on fork) and
//!   carved into states spaced by the size rounded up to a cache line, so no
//!   state straddles a page and no two threads share a line. Pages are never
//!   unmapped.
//! - **One state per thread, assigned lazily.** A thread takes a state on
//!   its first request. When it exits, a thread-local destructor puts the
//!   state back on a global free list, which the next new thread reuses, so
//!   thread churn does not grow memory. The free list's capacity is kept at
//!   least the number of states ever mapped, so giving a state back never
//!   allocates. The list's lock is only ever *tried* (a bounded number of
//!   times): in a forked child whose lock was held by a thread that no
//!   longer exists, a request falls back to the system call and an exiting
//!   thread leaks its 144-byte state, rather than hanging.
//! - **Re-entrancy.** A signal handler that asks for bytes while its thread
//!   is inside the vDSO call passes the same state; the kernel marks a state
//!   in use for the length of a call and makes the system call instead for
//!   the nested one. A handler that interrupts the taking or giving back of
//!   a state (flagged `busy`), or a call made after the thread's locals were
//!   destroyed, uses the `getrandom` crate. A thread's *first* request
//!   allocates (the registration of its exit hook, and free-list room when
//!   a page is mapped), so a signal handler should not be the first to draw
//!   on its thread: if it interrupted `malloc`, that could deadlock, as with
//!   any allocation in a handler.
//! - **The call.** Requests larger than one call serves are looped; `EINTR`
//!   is retried; any other error, or a call that makes no progress, falls
//!   back to the `getrandom` crate for the rest of the buffer.

use std::cell::Cell;
use std::ffi::c_int;
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering, compiler_fence};
use std::sync::{Mutex, MutexGuard, OnceLock, TryLockError};

use super::{getrandom_crate, vdso_image};
use crate::Error;

/// The vDSO symbol and its version node on this machine (from the kernel's
/// `vdso.lds.S` linker scripts).
#[cfg(target_arch = "x86_64")]
const SYMBOL: (&str, &str) = ("__vdso_getrandom", "LINUX_2.6");
#[cfg(target_arch = "aarch64")]
const SYMBOL: (&str, &str) = ("__kernel_getrandom", "LINUX_2.6.39");
#[cfg(target_arch = "s390x")]
const SYMBOL: (&str, &str) = ("__kernel_getrandom", "LINUX_2.6.29");
#[cfg(target_arch = "loongarch64")]
const SYMBOL: (&str, &str) = ("__vdso_getrandom", "LINUX_5.10");
#[cfg(target_arch = "riscv64")]
const SYMBOL: (&str, &str) = ("__vdso_getrandom", "LINUX_4.15");

/// States are spaced by their size rounded up to this, so that two threads'
/// states never share a cache line.
const CACHE_LINE: usize = 64;

/// How many times the free-list lock is tried before giving up on it. The
/// lock is held for a push, a pop or one `mmap`, so this is only reached
/// when its holder no longer exists (a forked child).
const LOCK_ATTEMPTS: usize = 10_000;

/// `ssize_t vgetrandom(void *buffer, size_t len, unsigned int flags, void
/// *opaque_state, size_t opaque_len)`: bytes written, or `-errno`.
type VgetrandomFn = unsafe extern "C" fn(*mut u8, usize, u32, *mut u8, usize) -> isize;

/// `struct vgetrandom_opaque_params` from `<linux/random.h>`.
#[repr(C)]
#[derive(Default)]
struct OpaqueParams {
    size_of_opaque_state: u32,
    mmap_prot: u32,
    mmap_flags: u32,
    reserved: [u32; 13],
}

/// The resolved function and the kernel's parameters for its states.
pub(super) struct Vdso {
    func: VgetrandomFn,
    state_size: usize,
    stride: usize,
    page_size: usize,
    mmap_prot: c_int,
    mmap_flags: c_int,
}

static VDSO: OnceLock<Option<Vdso>> = OnceLock::new();

/// The vDSO function, probed once per process; `None` means the
/// `getrandom` crate serves every request.
#[inline]
fn get() -> Option<&'static Vdso> {
    VDSO.get_or_init(probe).as_ref()
}

/// Whether `SECRETS_FORCE_SYSCALL` asks for the system call: set to
/// anything but the empty string or `0`.
fn forced_by_env() -> bool {
    std::env::var_os("SECRETS_FORCE_SYSCALL").is_some_and(|value| !value.is_empty() && value != "0")
}

#[cold]
#[inline(never)]
fn probe() -> Option<Vdso> {
    if forced_by_env() {
        return None;
    }
    let found = resolve();
    #[cfg(secrets_require_vdso)]
    if found.is_none() {
        // A test-only configuration: this build exists to prove that the
        // vDSO path is the one being tested.
        panic!("built with --cfg secrets_require_vdso, but the vDSO getrandom is not usable here");
    }
    found
}

fn page_size() -> Option<usize> {
    // SAFETY: getauxval only reads the auxiliary vector; 0 means absent.
    let from_auxv = unsafe { libc::getauxval(libc::AT_PAGESZ) };
    let size = match usize::try_from(from_auxv) {
        Ok(size) if size != 0 => size,
        // SAFETY: sysconf has no preconditions.
        _ => usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?,
    };
    size.is_power_of_two().then_some(size)
}

/// This process's vDSO image as the kernel mapped it (its first loadable
/// segment), or `None` when there is none. Also what the live tests of
/// `vdso_image` parse, so they read the image exactly as `resolve` does.
pub(super) fn live_image() -> Option<&'static [u8]> {
    let page_size = page_size()?;
    // SAFETY: getauxval only reads the auxiliary vector; 0 means absent.
    let base = unsafe { libc::getauxval(libc::AT_SYSINFO_EHDR) };
    let base = usize::try_from(base).ok().filter(|&base| base != 0)? as *const u8;
    // SAFETY: AT_SYSINFO_EHDR is the start of the vDSO mapping, which is
    // page-aligned, readable, at least one page long and never unmapped.
    let header = unsafe { std::slice::from_raw_parts(base, page_size) };
    let len = vdso_image::mapped_len(header)?;
    // SAFETY: the kernel maps the vDSO's whole first loadable segment,
    // which is what `mapped_len` measures, read-only and for the life of the
    // process. The length comes from the kernel's own ELF headers.
    Some(unsafe { std::slice::from_raw_parts(base, len) })
}

fn resolve() -> Option<Vdso> {
    let page_size = page_size()?;
    let image = live_image()?;
    let (name, version) = SYMBOL;
    let offset = vdso_image::lookup(image, name, version)?;
    let code = image[offset..].as_ptr();
    // SAFETY: `code` is the entry of the vDSO's getrandom, found by name and
    // version in the kernel's own image; `VgetrandomFn` is its C prototype.
    let func = unsafe { std::mem::transmute::<*const u8, VgetrandomFn>(code) };

    let mut params = OpaqueParams::default();
    // SAFETY: the documented query call: a null buffer, no flags, a
    // pointer to a writable `vgetrandom_opaque_params` and `usize::MAX` as
    // the length (the all-ones sentinel, not `u32::MAX`).
    let ret = unsafe { func(ptr::null_mut(), 0, 0, (&raw mut params).cast(), usize::MAX) };
    // Only 0 means the parameters were written (glibc checks the same).
    if ret != 0 {
        return None;
    }
    let state_size = usize::try_from(params.size_of_opaque_state).ok()?;
    let stride = state_size.checked_next_multiple_of(CACHE_LINE)?;
    if state_size == 0 || stride > page_size {
        return None;
    }
    Some(Vdso {
        func,
        state_size,
        stride,
        page_size,
        mmap_prot: c_int::try_from(params.mmap_prot).ok()?,
        mmap_flags: c_int::try_from(params.mmap_flags).ok()?,
    })
}

/// A state's address; it belongs to exactly one owner at a time: a
/// thread's [`Slot`] or the free list.
struct StatePtr(NonNull<u8>);

// SAFETY: a state is plain memory in a mapping that is never unmapped; the
// pointer may move between threads because whoever holds it is its only
// user.
unsafe impl Send for StatePtr {}

struct Pool {
    /// States no thread holds. Its capacity is kept `>= mapped` so that
    /// pushing, which happens in thread-exit destructors, never allocates.
    free: Vec<StatePtr>,
    /// States ever carved out of mapped pages.
    mapped: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    free: Vec::new(),
    mapped: 0,
});

/// `POOL.mapped`, readable without the lock (for tests).
static STATES_MAPPED: AtomicUsize = AtomicUsize::new(0);

/// Set when `mmap` with the kernel's flags failed in a way retrying will
/// not fix (for example a tool that does not know `MAP_DROPPABLE`).
static MMAP_UNSUPPORTED: AtomicBool = AtomicBool::new(false);

/// The number of vDSO states mapped so far in this process.
pub(super) fn vdso_states_mapped() -> usize {
    STATES_MAPPED.load(Ordering::Relaxed)
}

/// Tries the free-list lock a bounded number of times (see the module doc).
fn lock_pool() -> Option<MutexGuard<'static, Pool>> {
    for _ in 0..LOCK_ATTEMPTS {
        match POOL.try_lock() {
            Ok(pool) => return Some(pool),
            // Nothing panics while holding the lock; the data is consistent
            // at every point anyway.
            Err(TryLockError::Poisoned(poisoned)) => return Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => std::thread::yield_now(),
        }
    }
    None
}

impl Vdso {
    /// A state from the free list, or from a freshly mapped page.
    fn take_state(&self) -> Option<NonNull<u8>> {
        let mut pool = lock_pool()?;
        if let Some(StatePtr(state)) = pool.free.pop() {
            return Some(state);
        }
        if MMAP_UNSUPPORTED.load(Ordering::Relaxed) {
            return None;
        }
        let per_page = self.page_size / self.stride;
        let mapped = pool.mapped.checked_add(per_page)?;
        // Reserve before mapping, so a failed allocation leaks no page.
        let additional = mapped - pool.free.len();
        pool.free.try_reserve(additional).ok()?;
        // SAFETY: a fresh anonymous mapping with exactly the protection and
        // flags the kernel gave for its states; it overlaps nothing.
        let page = unsafe {
            libc::mmap(
                ptr::null_mut(),
                self.page_size,
                self.mmap_prot,
                self.mmap_flags,
                -1,
                0,
            )
        };
        if page == libc::MAP_FAILED {
            if std::io::Error::last_os_error().raw_os_error() != Some(libc::ENOMEM) {
                MMAP_UNSUPPORTED.store(true, Ordering::Relaxed);
            }
            return None;
        }
        let page = NonNull::new(page.cast::<u8>())?;
        // States at multiples of `stride` from a page-aligned address;
        // `per_page * stride <= page_size`, so none crosses the page's end.
        for index in (1..per_page).rev() {
            // SAFETY: `index * stride < page_size`: inside the mapping.
            let state = unsafe { page.add(index * self.stride) };
            pool.free.push(StatePtr(state));
        }
        pool.mapped = mapped;
        STATES_MAPPED.store(mapped, Ordering::Relaxed);
        Some(page)
    }

    /// Fills `buf` using `state`, this thread's own. `buf` may be
    /// uninitialised: the kernel only writes to it.
    #[inline]
    fn fill_with(&self, state: NonNull<u8>, mut buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
        while !buf.is_empty() {
            // SAFETY: `buf` is a borrowed, writable buffer of `buf.len()`
            // bytes (`MaybeUninit<u8>` has the layout of `u8`, and the call
            // only writes); `state` is a state of `state_size` bytes from a
            // mapping with the kernel's flags, used by no other thread (a
            // nested call from a signal handler on this thread is detected
            // by the kernel through the state's in-use flag).
            let ret = unsafe {
                (self.func)(
                    buf.as_mut_ptr().cast::<u8>(),
                    buf.len(),
                    0,
                    state.as_ptr(),
                    self.state_size,
                )
            };
            match usize::try_from(ret) {
                Ok(written) if written > 0 && written <= buf.len() => {
                    buf = &mut buf[written..];
                }
                Err(_) if ret == -(libc::EINTR as isize) => {}
                // An error, or a call that made no progress.
                _ => return getrandom_crate::fill_uninit(buf),
            }
        }
        Ok(())
    }
}

/// A thread's claim on a state.
struct Slot {
    state: Cell<*mut u8>,
    /// Set while the state is being taken or given back, so that a signal
    /// handler interrupting that uses the system call instead.
    busy: Cell<bool>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.busy.set(true);
        compiler_fence(Ordering::SeqCst);
        let Some(state) = NonNull::new(self.state.replace(ptr::null_mut())) else {
            return;
        };
        compiler_fence(Ordering::SeqCst);
        // If the lock cannot be had, the state is leaked, never shared.
        if let Some(mut pool) = lock_pool() {
            // Always true by the capacity invariant; checked so that this
            // destructor can never allocate.
            if pool.free.len() < pool.free.capacity() {
                pool.free.push(StatePtr(state));
            }
        }
    }
}

thread_local! {
    static SLOT: Slot = const {
        Slot { state: Cell::new(ptr::null_mut()), busy: Cell::new(false) }
    };
}

/// Gives the calling thread a state; null if none can be had right now.
#[cold]
#[inline(never)]
fn acquire(vdso: &Vdso, slot: &Slot) -> *mut u8 {
    if slot.busy.get() {
        return ptr::null_mut();
    }
    slot.busy.set(true);
    compiler_fence(Ordering::SeqCst);
    // A signal handler may have run between the caller's look and `busy`,
    // and taken a state for this thread already.
    let mut state = slot.state.get();
    if state.is_null() {
        if let Some(taken) = vdso.take_state() {
            state = taken.as_ptr();
            slot.state.set(state);
        }
    }
    compiler_fence(Ordering::SeqCst);
    slot.busy.set(false);
    state
}

/// Fills `buf` entirely: through the vDSO with this thread's state, or
/// through the `getrandom` crate when the process has no usable vDSO or the
/// thread cannot have a state. `buf` may be uninitialised.
#[inline]
pub(super) fn fill_uninit(buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
    match get() {
        Some(vdso) => fill_via(vdso, buf),
        None => getrandom_crate::fill_uninit(buf),
    }
}

/// Whether this process uses the vDSO (decided at the first call).
pub(super) fn uses_vdso() -> bool {
    get().is_some()
}

#[inline]
fn fill_via(vdso: &Vdso, buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
    if buf.is_empty() {
        return Ok(());
    }
    let state = SLOT
        .try_with(|slot| match slot.state.get() {
            state if state.is_null() => acquire(vdso, slot),
            state => state,
        })
        // The thread's locals are being destroyed.
        .unwrap_or(ptr::null_mut());
    match NonNull::new(state) {
        Some(state) => vdso.fill_with(state, buf),
        None => getrandom_crate::fill_uninit(buf),
    }
}

/// Fills `buf` through the vDSO like [`fill_uninit`], but with a state that the
/// caller owns and no thread-local lookup: what a bare call costs.
pub(super) struct BareState {
    vdso: &'static Vdso,
    state: NonNull<u8>,
}

impl BareState {
    /// Takes a state from the pool for the caller's exclusive use; `None`
    /// without the vDSO.
    pub(super) fn new() -> Option<Self> {
        let vdso = get()?;
        Some(BareState {
            vdso,
            state: vdso.take_state()?,
        })
    }

    /// One vDSO call (looped only if it returns short).
    #[inline]
    pub(super) fn fill(&mut self, buf: &mut [u8]) -> Result<(), Error> {
        // SAFETY: the view goes only to `fill_with`, which passes it to the
        // kernel or the `getrandom` crate; both only write initialised bytes.
        let buf = unsafe { super::as_uninit(buf) };
        self.vdso.fill_with(self.state, buf)
    }
}

impl Drop for BareState {
    fn drop(&mut self) {
        if let Some(mut pool) = lock_pool() {
            if pool.free.len() < pool.free.capacity() {
                pool.free.push(StatePtr(self.state));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// States handed out are distinct, cache-line spaced, and never cross a
    /// page boundary (the vDSO fails with `EFAULT` on one that does).
    #[test]
    fn states_are_distinct_and_never_straddle_a_page() {
        let Some(vdso) = get() else { return };
        assert!(vdso.stride >= vdso.state_size && vdso.stride % CACHE_LINE == 0);
        let states: Vec<BareState> = (0..100).map_while(|_| BareState::new()).collect();
        assert_eq!(states.len(), 100);
        let mut addresses: Vec<usize> = states.iter().map(|s| s.state.as_ptr() as usize).collect();
        for &address in &addresses {
            let within_page = address & (vdso.page_size - 1);
            assert!(
                within_page + vdso.state_size <= vdso.page_size,
                "{address:#x} straddles"
            );
            assert_eq!(
                within_page % vdso.stride,
                0,
                "{address:#x} is not on a stride"
            );
        }
        addresses.sort_unstable();
        addresses.dedup();
        assert_eq!(addresses.len(), 100, "a state was handed out twice");
        // Every state works, and gives different bytes.
        let mut outputs: Vec<[u8; 32]> = states
            .into_iter()
            .map(|mut state| {
                let mut buf = [0u8; 32];
                state.fill(&mut buf).unwrap();
                buf
            })
            .collect();
        outputs.sort_unstable();
        outputs.dedup();
        assert_eq!(outputs.len(), 100);
    }

    /// States given back are handed out again rather than new ones mapped.
    #[test]
    fn returned_states_are_reused() {
        if get().is_none() {
            return;
        }
        drop(BareState::new());
        let before = vdso_states_mapped();
        for _ in 0..1000 {
            drop(BareState::new());
        }
        // Other tests may take states meanwhile; 1000 fresh ones would be
        // at least 40 pages more.
        assert!(vdso_states_mapped() < before + 200);
    }
}
