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
//! - **Finding it, once, without a lock.** The function is looked up by
//!   name and version in the vDSO image named by
//!   `getauxval(AT_SYSINFO_EHDR)` ([`super::vdso_image`]), with no help from
//!   the C library's `dlsym`, so static and musl builds get it too. A query
//!   call with `opaque_len == usize::MAX` returns the state size and the
//!   `mmap` protection and flags the states need. Anything unexpected (no
//!   vDSO, no symbol, the query failing, a state larger than a page) and the
//!   process uses the `getrandom` crate instead. The probe is claimed by a
//!   compare-and-swap on one atomic word that holds the prober's process id,
//!   not by a `OnceLock`: a request that finds the probe under way in its
//!   own process uses the `getrandom` crate for that request rather than
//!   wait, so neither a signal handler interrupting the probe on its own
//!   thread nor a forked child (in which the probing thread does not exist)
//!   can wait for ever; the child sees another process's id in the word and
//!   probes again itself. Why not the alternatives: a `OnceLock` (or any
//!   lock) deadlocks in both cases; a `pthread_atfork` handler that reset it
//!   could only be registered by the probe itself, so a fork landing before
//!   the registration would still inherit the held lock, and raw `clone`
//!   runs no atfork handler at all.
//! - **States.** Pages are mapped with exactly the protection and flags the
//!   kernel asked for (`MAP_DROPPABLE`, which also wipes them on fork) and
//!   carved into states spaced by the size rounded up to a cache line, so no
//!   state straddles a page and no two threads share a line. Pages are never
//!   unmapped.
//! - **A lock-free pool.** Each mapped page is one entry of a fixed table of
//!   blocks; a block's free states are the set bits of one atomic word. A
//!   thread takes a state by clearing a bit (compare-and-swap) and gives it
//!   back by setting it, so a state is always in exactly one place, the
//!   block's free bits or one thread, and every step is a single atomic
//!   write that a `fork` sees either before or after. There is no lock a
//!   child could inherit held: a fork landing while another thread maps a
//!   page leaves the child that table entry empty (the child maps its own),
//!   and a fork landing while a thread takes or gives back a state leaves
//!   that state owned by a thread that does not exist in the child, lost to
//!   the child and never shared. Why not a lock with an atfork reset: the
//!   reset needs a handler registered before any fork and is skipped by raw
//!   `clone`; a bounded `try_lock` (this module's first design) made every
//!   request of a stateless thread in such a child spin before falling back.
//! - **One state per thread, assigned lazily, decided once.** A thread takes
//!   a state on its first request. When it exits, a thread-local destructor
//!   gives the state back (an atomic `or`, which never allocates), for the
//!   next new thread to reuse, so thread churn does not grow memory. A
//!   thread that cannot have a state (the table of [`MAX_BLOCKS`] blocks is
//!   full, or mapping failed) is marked so, and its requests go straight to
//!   the `getrandom` crate with no global work. The first failed `mmap`
//!   (`ENOMEM`, or a tool that does not know `MAP_DROPPABLE`) stops all
//!   further mapping for the life of the process; states already mapped and
//!   given back are still reused. One thread of a process maps at a time,
//!   claimed as the probe is (a word holding its process id, which a forked
//!   child takes over): a thread that finds no free state while another
//!   maps does not wait, it uses the `getrandom` crate for that request and
//!   asks again on its next, so many threads starting at once ask for one
//!   page, and a failure is met by one `mmap`, not one a thread.
//! - **Re-entrancy.** A signal handler that asks for bytes while its thread
//!   is inside the vDSO call passes the same state; the kernel marks a state
//!   in use (`in_use`) for the length of a call and makes the system call
//!   instead for the nested one, so the handler's bytes never repeat the
//!   interrupted call's. A handler that interrupts the probe, the taking or
//!   giving back of a state (flagged `busy`), or a call made after the
//!   thread's locals were destroyed, uses the `getrandom` crate. A thread's
//!   *first* request allocates (the registration of its exit hook), so a
//!   signal handler should not be the first to draw on its thread: if it
//!   interrupted `malloc`, that could deadlock, as with any allocation in a
//!   handler.
//! - **The call.** Requests larger than one call serves are looped; `EINTR`
//!   is retried; any other error, or a call that makes no progress, falls
//!   back to the `getrandom` crate for the rest of the buffer.
//! - **Processes sharing memory.** A child made with `vfork` or
//!   `clone(CLONE_VM)` shares this module's statics with its parent, so, as
//!   with most of the C library, it must not draw before `exec`.

use std::cell::{Cell, UnsafeCell};
use std::ffi::{CStr, c_int};
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering, compiler_fence};

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

/// The most pages of states a process maps: with 4 KiB pages and the
/// kernel's 144-byte states (192 apart), 21 states a page, so 21,504 threads
/// alive at once have states; any more use the `getrandom` crate.
const MAX_BLOCKS: usize = 1024;

/// The most states taken from one page: one bit each in a block's free
/// word. Pages of 16 KiB or more hold more states than this, and the rest
/// of such a page goes unused.
const MAX_STATES_PER_BLOCK: usize = u64::BITS as usize;

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
    /// States carved out of each page: `page_size / stride`, at most
    /// [`MAX_STATES_PER_BLOCK`].
    per_block: usize,
    mmap_prot: c_int,
    mmap_flags: c_int,
}

// The probe's progress, in one word that only compare-and-swap claims
// (see the module doc): not probed yet; probed, the function is in `VDSO`;
// probed, no usable vDSO; or being probed, with the prober's process id in
// the bits above the tag.
const UNPROBED: u64 = 0;
const READY: u64 = 1;
const ABSENT: u64 = 2;
const PROBING: u64 = 3;
const TAG_BITS: u32 = 2;

static PROBE: AtomicU64 = AtomicU64::new(UNPROBED);

/// The probe's result, once `PROBE` is `READY`.
struct VdsoCell(UnsafeCell<MaybeUninit<Vdso>>);

// SAFETY: the cell is written only by the thread whose compare-and-swap
// put its own process id into `PROBE` (one thread per process; see
// `claim_probe`), before it stores `READY` with `Release`; it is read only
// after an `Acquire` load of `READY`, which is final for the process and
// its forked children, so no read ever overlaps a write. Nothing in a
// `Vdso` is tied to a thread.
unsafe impl Sync for VdsoCell {}

static VDSO: VdsoCell = VdsoCell(UnsafeCell::new(MaybeUninit::uninit()));

/// The vDSO function, probed once per process; `None` means the
/// `getrandom` crate serves this request (for every request once the
/// probe found no usable vDSO, for this one while the probe is under way on
/// another thread or was interrupted on this one).
#[inline]
fn get() -> Option<&'static Vdso> {
    match PROBE.load(Ordering::Acquire) {
        // SAFETY: the `Acquire` load saw `READY`.
        READY => Some(unsafe { published() }),
        ABSENT => None,
        word => claim_probe(word),
    }
}

/// Runs the probe if no thread of this process is running it; returns
/// `None` without waiting if one is.
#[cold]
#[inline(never)]
fn claim_probe(mut word: u64) -> Option<&'static Vdso> {
    // SAFETY: getpid has no preconditions and cannot fail.
    let pid = unsafe { libc::getpid() };
    let mine = (u64::from(pid.unsigned_abs()) << TAG_BITS) | PROBING;
    loop {
        match word {
            READY | ABSENT => return get(),
            // Another thread of this process is probing, or this thread
            // is and a signal handler interrupted it: do not wait.
            _ if word == mine => return None,
            // Not probed yet, or being probed by a thread of another
            // process: this is a forked child and the prober never
            // finishes here. (A process whose id equals a vanished
            // ancestor's, after the ids wrapped, uses the `getrandom`
            // crate for ever: slower, never wrong.)
            _ => {}
        }
        match PROBE.compare_exchange(word, mine, Ordering::Acquire, Ordering::Acquire) {
            Ok(_) => return publish(probe()),
            Err(now) => word = now,
        }
    }
}

/// Stores the probe's result; only the thread that claimed the probe calls
/// this.
fn publish(found: Option<Vdso>) -> Option<&'static Vdso> {
    let Some(vdso) = found else {
        PROBE.store(ABSENT, Ordering::Release);
        #[cfg(secrets_require_vdso)]
        if !forced_by_env() {
            // A test-only configuration: this build exists to prove that
            // the vDSO path is the one being tested.
            panic!(
                "built with --cfg secrets_require_vdso, but the vDSO getrandom is not usable here"
            );
        }
        return None;
    };
    // SAFETY: this thread claimed the probe, so no other thread of this
    // process writes the cell, and none reads it before `READY` below.
    unsafe { VDSO.0.get().write(MaybeUninit::new(vdso)) };
    PROBE.store(READY, Ordering::Release);
    // SAFETY: this thread stored `READY`.
    Some(unsafe { published() })
}

/// The probe's result.
///
/// # Safety
///
/// `PROBE` must be `READY`, as seen by an `Acquire` load or stored by the
/// calling thread.
#[inline]
unsafe fn published() -> &'static Vdso {
    // SAFETY: `READY` is stored (`Release`) only after the cell was written,
    // and the cell is never written again (see `VdsoCell`), so it holds an
    // initialised `Vdso` for the rest of the process; `MaybeUninit<Vdso>`
    // has the layout of `Vdso`.
    unsafe { &*VDSO.0.get().cast::<Vdso>() }
}

/// Whether `SECRETS_FORCE_SYSCALL` asks for the system call: set to
/// anything but the empty string or `0`.
fn forced_by_env() -> bool {
    // Read with the C library's `getenv`, which takes no lock, rather than
    // `std::env::var_os`, whose lock a forked child could inherit held (a
    // thread of the parent was inside `set_var`) or a signal handler could
    // find held by its own thread.
    // SAFETY: the name is NUL-terminated. The returned string, if any,
    // stays valid while the environment does not change, and changing it
    // while another thread reads it is already excluded by the contract of
    // `std::env::set_var`.
    let value = unsafe { libc::getenv(c"SECRETS_FORCE_SYSCALL".as_ptr()) };
    if value.is_null() {
        return false;
    }
    // SAFETY: `getenv` returned a NUL-terminated string (see above).
    let value = unsafe { CStr::from_ptr(value) }.to_bytes();
    !value.is_empty() && value != b"0"
}

/// What the process will use: the vDSO function's parameters, or `None`.
/// Depends only on the kernel and the environment, so every thread that
/// runs it gets the same answer.
#[cold]
#[inline(never)]
fn probe() -> Option<Vdso> {
    if forced_by_env() {
        return None;
    }
    resolve()
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
        per_block: (page_size / stride).min(MAX_STATES_PER_BLOCK),
        mmap_prot: c_int::try_from(params.mmap_prot).ok()?,
        mmap_flags: c_int::try_from(params.mmap_flags).ok()?,
    })
}

/// One mapped page of states.
struct Block {
    /// The page; stored once, before the first bit of `free` is set.
    page: AtomicPtr<u8>,
    /// Bit `i` set: the state at `page + i * stride` belongs to no thread.
    free: AtomicU64,
}

static BLOCKS: [Block; MAX_BLOCKS] = [const {
    Block {
        page: AtomicPtr::new(ptr::null_mut()),
        free: AtomicU64::new(0),
    }
}; MAX_BLOCKS];

/// Table entries handed out to mapping threads so far; may run past
/// `MAX_BLOCKS` (those claims get no entry).
static BLOCKS_CLAIMED: AtomicUsize = AtomicUsize::new(0);

/// The number of states carved out of mapped pages (for tests).
static STATES_MAPPED: AtomicUsize = AtomicUsize::new(0);

/// Set by the first `mmap` of states that failed: no more are tried.
static MAPPING_FAILED: AtomicBool = AtomicBool::new(false);

/// Zero, or the process id of the thread mapping a page now, shifted above
/// [`TAG_BITS`] and tagged [`MAPPING`]: one mapping at a time per process,
/// claimed by compare-and-swap as the probe is. A forked child finds its
/// parent's id here and claims it for itself (the parent's mapper does not
/// exist in the child); a thread of the same process finds its own id and
/// does not wait (see [`Take::NotNow`]).
static MAPPER: AtomicU64 = AtomicU64::new(0);
const MAPPING: u64 = 1;

/// What [`Vdso::take_state`] found.
enum Take {
    /// A state for the caller alone.
    State(NonNull<u8>),
    /// None free, and another thread of this process (or this one, under a
    /// signal handler) is mapping a page: ask again on the next request.
    NotNow,
    /// None, for the life of the process: the table is full or mapping
    /// failed.
    Never,
}

/// The number of vDSO states mapped so far in this process.
pub(super) fn vdso_states_mapped() -> usize {
    STATES_MAPPED.load(Ordering::Relaxed)
}

/// The table entries whose pages may be published.
fn claimed_blocks() -> &'static [Block] {
    let claimed = BLOCKS_CLAIMED.load(Ordering::Acquire).min(MAX_BLOCKS);
    &BLOCKS[..claimed]
}

impl Vdso {
    /// A free state from any mapped page, or the first state of a page
    /// mapped now, if no other thread of this process is mapping one.
    fn take_state(&self) -> Take {
        for block in claimed_blocks() {
            if let Some(state) = self.take_from(block) {
                return Take::State(state);
            }
        }
        if MAPPING_FAILED.load(Ordering::Acquire) {
            return Take::Never;
        }
        // SAFETY: getpid has no preconditions and cannot fail.
        let pid = unsafe { libc::getpid() };
        let mine = (u64::from(pid.unsigned_abs()) << TAG_BITS) | MAPPING;
        let mut word = MAPPER.load(Ordering::Acquire);
        loop {
            // Another thread of this process is mapping, or this thread is
            // and a signal handler interrupted it: do not wait. (A process
            // whose id equals a vanished ancestor's mapper, after the ids
            // wrapped, never maps: slower, never wrong.)
            if word == mine {
                return Take::NotNow;
            }
            // Idle, or claimed by a thread of the process this one was
            // forked from, which never finishes here.
            match MAPPER.compare_exchange(word, mine, Ordering::Acquire, Ordering::Acquire) {
                Ok(_) => break,
                Err(now) => word = now,
            }
        }
        // A page may have been published, or the failure decided, between
        // the look above and the claim.
        let taken = claimed_blocks()
            .iter()
            .find_map(|block| self.take_from(block))
            .map_or_else(
                || {
                    if MAPPING_FAILED.load(Ordering::Acquire) {
                        Take::Never
                    } else {
                        self.map_block().map_or(Take::Never, Take::State)
                    }
                },
                Take::State,
            );
        MAPPER.store(0, Ordering::Release);
        taken
    }

    /// Clears one free bit of `block`, if it has one, and returns its state.
    fn take_from(&self, block: &Block) -> Option<NonNull<u8>> {
        let mut free = block.free.load(Ordering::Relaxed);
        while free != 0 {
            let index = free.trailing_zeros();
            let taken = free & !(1 << index);
            match block.free.compare_exchange_weak(
                free,
                taken,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    // Stored before the free bits were published, which the
                    // `Acquire` above saw.
                    let page = NonNull::new(block.page.load(Ordering::Relaxed))?;
                    // SAFETY: `index < per_block` (only those bits are ever
                    // set), and `per_block * stride <= page_size`: the state
                    // lies inside the page.
                    return Some(unsafe { page.add(index as usize * self.stride) });
                }
                Err(now) => free = now,
            }
        }
        None
    }

    /// Maps a page of states into a table entry of its own; returns its first
    /// state for the caller and publishes the others as free. Only the
    /// thread that holds [`MAPPER`] calls this.
    #[cold]
    fn map_block(&self) -> Option<NonNull<u8>> {
        // The entry is claimed before the page is mapped: a fork between
        // the two leaves the child an entry that stays empty, never a
        // half-made one, and two threads mapping at once never share one.
        let block = BLOCKS.get(BLOCKS_CLAIMED.fetch_add(1, Ordering::AcqRel))?;
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
        let Some(page) = NonNull::new(page.cast::<u8>()).filter(|_| page != libc::MAP_FAILED)
        else {
            // Decided once: neither an unsupported mapping nor ENOMEM is
            // retried on every request of every new thread.
            MAPPING_FAILED.store(true, Ordering::Release);
            return None;
        };
        block.page.store(page.as_ptr(), Ordering::Relaxed);
        let all = u64::MAX >> (u64::BITS as usize - self.per_block);
        // State 0 is the caller's.
        block.free.store(all & !1, Ordering::Release);
        STATES_MAPPED.fetch_add(self.per_block, Ordering::Relaxed);
        Some(page)
    }

    /// Gives `state`, which the caller took and no longer uses, back to its
    /// block. Never allocates (it runs in thread-exit destructors).
    fn give_back(&self, state: NonNull<u8>) {
        let address = state.as_ptr().addr();
        let page = address & !(self.page_size - 1);
        let index = (address - page) / self.stride;
        for block in claimed_blocks() {
            if block.page.load(Ordering::Relaxed).addr() == page {
                // `Release`: the next owner sees this thread's last writes
                // to the state.
                block.free.fetch_or(1 << index, Ordering::Release);
                return;
            }
        }
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

/// `Slot::state` of a thread that could not have a state: its requests go
/// to the `getrandom` crate. Address 1, never a state's (states lie in
/// mapped pages).
const NO_STATE: *mut u8 = ptr::dangling_mut();

/// A thread's claim on a state.
struct Slot {
    /// Null before the thread's first request; then its state, or
    /// [`NO_STATE`].
    state: Cell<*mut u8>,
    /// Set while the state is being taken or given back, so that a signal
    /// handler interrupting that uses the system call instead.
    busy: Cell<bool>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.busy.set(true);
        compiler_fence(Ordering::SeqCst);
        let state = self.state.replace(NO_STATE);
        compiler_fence(Ordering::SeqCst);
        if state == NO_STATE {
            return;
        }
        // A thread that holds a state has seen the probe `READY`.
        if let (Some(state), Some(vdso)) = (NonNull::new(state), get()) {
            vdso.give_back(state);
        }
    }
}

thread_local! {
    static SLOT: Slot = const {
        Slot { state: Cell::new(ptr::null_mut()), busy: Cell::new(false) }
    };
}

/// Gives the calling thread a state, once; null if it has none (for now, if
/// a signal handler interrupted the taking; for ever, if none could be had).
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
        state = match vdso.take_state() {
            Take::State(state) => state.as_ptr(),
            Take::NotNow => ptr::null_mut(),
            Take::Never => NO_STATE,
        };
        slot.state.set(state);
    }
    compiler_fence(Ordering::SeqCst);
    slot.busy.set(false);
    if state == NO_STATE {
        ptr::null_mut()
    } else {
        state
    }
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
    if get().is_some() {
        return true;
    }
    // `None` also while another thread of this process is probing: then
    // the probe's answer, which every thread computes alike, rather than
    // waiting for that thread to publish it.
    PROBE.load(Ordering::Acquire) != ABSENT && probe().is_some()
}

#[inline]
fn fill_via(vdso: &Vdso, buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
    if buf.is_empty() {
        return Ok(());
    }
    let state = SLOT
        .try_with(|slot| {
            let state = slot.state.get();
            // One comparison: null (no state yet) and `NO_STATE` are the
            // two lowest addresses.
            if state.addr() > NO_STATE.addr() {
                state
            } else {
                acquire(vdso, slot)
            }
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
    /// Takes a state from the pool for the caller's exclusive use, waiting
    /// out another thread's mapping (for a bounded number of yields: a
    /// process whose id equals a vanished ancestor's mapper would wait for
    /// ever); `None` without the vDSO or when no state can be had.
    pub(super) fn new() -> Option<Self> {
        let vdso = get()?;
        for _ in 0..100_000 {
            match vdso.take_state() {
                Take::State(state) => return Some(BareState { vdso, state }),
                Take::NotNow => std::thread::yield_now(),
                Take::Never => return None,
            }
        }
        None
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
        self.vdso.give_back(self.state);
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
