//! Memory whose contents a forked child never inherits: the home of every
//! buffer of random bytes drawn but not yet handed out.
//!
//! A user-space buffer of random bytes is copied by `fork`, so parent and
//! child would hand out the same "fresh" bytes. [`WipeOnFork`] makes the
//! child see the memory as all zeros instead. Its users keep their fill
//! level inside the memory too, so zeros read as "empty": the child refills
//! from the kernel, and never serves the parent's bytes, nor the zeros.
//!
//! How the child comes to see zeros:
//!
//! - Linux 4.14+: an anonymous private mapping with
//!   `madvise(MADV_WIPEONFORK)`; the kernel gives the child zero-filled
//!   pages, whatever way the process forked (`fork`, `vfork` + no exec,
//!   `clone` without `CLONE_VM`). Nothing is checked on use. The mapping is
//!   also `MADV_DONTDUMP`, so core dumps leave the bytes out.
//! - Older Linux (`madvise` says `EINVAL`): the same mapping, checked
//!   before every use against a fork generation: a `pthread_atfork` child
//!   handler bumps a counter, and the process id is compared as well (for a
//!   child made by a raw `clone`, which runs no atfork handler, or forked
//!   while the handler was being registered). On a mismatch the memory is
//!   zeroed first, which is what the kernel would have done.
//! - Other systems (and Miri): heap memory with the process-id check.
//!
//! We write this rather than take a crate: the memory-mapping crates offer
//! the `madvise` call but not the fallback check, and the whole is a few
//! dozen lines over `libc`, which the platform layer already uses.
//!
//! Allocation failure is an [`ErrorKind::TooLarge`] error stating the
//! size, never an abort. On drop the memory is zeroed, then released.

use zeroize::Zeroize as _;

use crate::{Error, ErrorKind, Result};

/// `len` bytes of zero-initialised memory that read as zeros in a forked
/// child (see the module documentation). Reached only through
/// [`bytes`](WipeOnFork::bytes), which does the fork check when the kernel
/// cannot wipe.
pub(crate) struct WipeOnFork {
    memory: memory::Memory,
    /// `None` when the kernel wipes the memory in a child; otherwise the
    /// process identity at the last use, checked before the next.
    stamp: Option<ForkStamp>,
}

impl WipeOnFork {
    /// `len` bytes (at least one page is mapped), all zero.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] when the memory cannot be had.
    pub(crate) fn new(len: usize) -> Result<Self> {
        let (memory, wiped_by_kernel) = memory::Memory::new(len)?;
        let stamp = if wiped_by_kernel {
            None
        } else {
            Some(ForkStamp::now())
        };
        Ok(WipeOnFork { memory, stamp })
    }

    /// A fallback region whatever the kernel supports, for the tests of
    /// the generation check.
    #[cfg(test)]
    pub(crate) fn new_checked(len: usize) -> Result<Self> {
        let (memory, _) = memory::Memory::new(len)?;
        Ok(WipeOnFork {
            memory,
            stamp: Some(ForkStamp::now()),
        })
    }

    /// The memory. In a process forked since the last call it is all
    /// zeros (wiped by the kernel, or here by the generation check).
    #[inline]
    pub(crate) fn bytes(&mut self) -> &mut [u8] {
        if let Some(stamp) = &mut self.stamp {
            let now = ForkStamp::now();
            if now != *stamp {
                self.memory.as_mut_slice().zeroize();
                *stamp = now;
            }
        }
        self.memory.as_mut_slice()
    }

    /// The number of bytes [`bytes`](WipeOnFork::bytes) returns.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.memory.len()
    }

    /// Whether the kernel wipes this memory in a child
    /// (`MADV_WIPEONFORK`), rather than the fork check.
    pub(crate) fn wiped_by_kernel(&self) -> bool {
        self.stamp.is_none()
    }
}

impl Drop for WipeOnFork {
    fn drop(&mut self) {
        // `Memory`'s own drop releases it afterwards.
        self.memory.as_mut_slice().zeroize();
    }
}

/// The identity of the process as far as forks go: a fork generation
/// (bumped in every child by the atfork handler, on Linux) and the process
/// id. Any difference means this is not the process that last used the
/// memory.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ForkStamp {
    generation: u64,
    pid: u32,
}

impl ForkStamp {
    fn now() -> Self {
        ForkStamp {
            generation: generation::current(),
            pid: std::process::id(),
        }
    }
}

fn out_of_memory(len: usize, cause: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::TooLarge,
        format!("cannot allocate {len} bytes of fork-safe buffer memory: {cause}"),
    )
}

#[cfg(all(target_os = "linux", not(miri)))]
mod generation {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    static GENERATION: AtomicU64 = AtomicU64::new(0);
    static REGISTERED: AtomicBool = AtomicBool::new(false);

    /// Runs in the child of every `fork` (async-signal-safe: one atomic
    /// add).
    extern "C" fn in_child() {
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }

    /// The fork generation, the handler registered first. No lock: a
    /// thread that loses the race to register may read the generation
    /// before the handler is in place, and a fork in that moment is caught
    /// by the process-id comparison of [`ForkStamp`](super::ForkStamp).
    pub(super) fn current() -> u64 {
        if !REGISTERED.load(Ordering::Relaxed) && !REGISTERED.swap(true, Ordering::Relaxed) {
            // SAFETY: `in_child` is an `extern "C" fn()` that lives as long
            // as the program and only touches an atomic, as a child handler
            // must; no prepare or parent handler is given. A failure
            // (ENOMEM) leaves the process-id check alone on duty.
            let _ = unsafe { libc::pthread_atfork(None, None, Some(in_child)) };
        }
        GENERATION.load(Ordering::Relaxed)
    }
}

#[cfg(not(all(target_os = "linux", not(miri))))]
mod generation {
    /// No atfork hook off Linux: the process id alone tells a child.
    pub(super) fn current() -> u64 {
        0
    }
}

#[cfg(all(target_os = "linux", not(miri)))]
mod memory {
    use std::ptr::NonNull;

    use super::out_of_memory;
    use crate::Result;

    /// An anonymous private mapping of `map_len` bytes, of which the first
    /// `len` are used. Owned: freed on drop.
    pub(super) struct Memory {
        ptr: NonNull<u8>,
        len: usize,
        map_len: usize,
    }

    // SAFETY: `Memory` owns its mapping outright (no other pointer to it
    // exists), like a `Box<[u8]>`; it hands out access only through `&mut
    // self` or `&self`, so moving it to or sharing it with another thread
    // is as safe as for a `Box<[u8]>`.
    unsafe impl Send for Memory {}
    // SAFETY: as above: `&Memory` gives no access to the bytes.
    unsafe impl Sync for Memory {}

    impl Memory {
        /// Maps `len` bytes rounded up to whole pages (at least one), and
        /// asks the kernel to wipe them in a child. Returns whether it
        /// agreed.
        pub(super) fn new(len: usize) -> Result<(Self, bool)> {
            // SAFETY: `sysconf` only reads a constant of the system.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
            let page = usize::try_from(page)
                .ok()
                .filter(|&p| p > 0)
                .unwrap_or(4096);
            let map_len = len
                .max(1)
                .checked_next_multiple_of(page)
                .filter(|&map_len| map_len <= isize::MAX as usize)
                .ok_or_else(|| out_of_memory(len, "more than the address space"))?;
            // SAFETY: a fresh anonymous private mapping at an address the
            // kernel picks: it cannot overlap anything of this program.
            let raw = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    map_len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            if raw == libc::MAP_FAILED {
                return Err(out_of_memory(len, std::io::Error::last_os_error()));
            }
            let Some(ptr) = NonNull::new(raw.cast::<u8>()) else {
                // A mapping at address 0 (possible only for a process
                // allowed to map there) cannot back a slice.
                // SAFETY: `raw` is the mapping just made, of `map_len`
                // bytes, unused.
                unsafe { libc::munmap(raw, map_len) };
                return Err(out_of_memory(len, "the kernel mapped address 0"));
            };
            let memory = Memory { ptr, len, map_len };
            // SAFETY: the range is exactly the mapping just made and owned
            // by `memory`; advice changes no Rust-visible contents (the
            // pages are zero, and stay so in this process).
            let wiped = unsafe { libc::madvise(raw, map_len, libc::MADV_WIPEONFORK) } == 0;
            // Keeps the bytes out of core dumps; a refusal changes nothing
            // else, so its result is not needed.
            // SAFETY: as above.
            let _ = unsafe { libc::madvise(raw, map_len, libc::MADV_DONTDUMP) };
            Ok((memory, wiped))
        }

        #[inline]
        pub(super) fn as_mut_slice(&mut self) -> &mut [u8] {
            // SAFETY: the mapping is `map_len >= len` readable, writable,
            // initialised (anonymous pages read as zeros) bytes owned by
            // `self`, which `&mut self` borrows exclusively for the slice's
            // lifetime.
            unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
        }

        #[inline]
        pub(super) fn len(&self) -> usize {
            self.len
        }
    }

    impl Drop for Memory {
        fn drop(&mut self) {
            // SAFETY: the mapping was made by `new` with this address and
            // length, and no borrow of it outlives `self`.
            unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.map_len) };
        }
    }
}

#[cfg(not(all(target_os = "linux", not(miri))))]
mod memory {
    use super::out_of_memory;
    use crate::Result;

    /// Heap memory, checked by process id before each use.
    pub(super) struct Memory(Vec<u8>);

    impl Memory {
        pub(super) fn new(len: usize) -> Result<(Self, bool)> {
            let mut bytes = Vec::new();
            bytes
                .try_reserve_exact(len)
                .map_err(|err| out_of_memory(len, err))?;
            bytes.resize(len, 0);
            Ok((Memory(bytes), false))
        }

        #[inline]
        pub(super) fn as_mut_slice(&mut self) -> &mut [u8] {
            &mut self.0
        }

        #[inline]
        pub(super) fn len(&self) -> usize {
            self.0.len()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_memory_is_zero_and_of_the_length_asked() {
        for len in [0, 1, 4095, 4096, 4097, 1 << 20] {
            let mut region = WipeOnFork::new(len).unwrap();
            assert_eq!(region.len(), len);
            assert_eq!(region.bytes().len(), len);
            assert!(region.bytes().iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn contents_stay_within_one_process() {
        for mut region in [
            WipeOnFork::new(64).unwrap(),
            WipeOnFork::new_checked(64).unwrap(),
        ] {
            region.bytes().fill(0xa5);
            assert!(region.bytes().iter().all(|&b| b == 0xa5));
        }
    }

    #[cfg(all(target_os = "linux", not(miri)))]
    #[test]
    fn the_kernel_wipes_on_this_machine() {
        // Linux 4.14+ has MADV_WIPEONFORK; every kernel this crate is
        // tested on has it.
        assert!(WipeOnFork::new(1).unwrap().wiped_by_kernel());
        assert!(!WipeOnFork::new_checked(1).unwrap().wiped_by_kernel());
    }

    #[test]
    fn an_impossible_size_is_an_error_not_an_abort() {
        let err = WipeOnFork::new(usize::MAX - 10).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert!(err.message().contains(&(usize::MAX - 10).to_string()));
    }

    /// Forks; the child runs `child` on the region and exits with its
    /// result (0 when it holds); the parent returns the child's status.
    #[cfg(all(target_os = "linux", not(miri)))]
    fn in_child(region: &mut WipeOnFork, child: fn(&mut WipeOnFork) -> bool) -> i32 {
        // SAFETY: the child only reads and writes the region and calls
        // `_exit`; nothing it does needs a lock another thread might hold.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let status = if child(region) { 0 } else { 1 };
            // SAFETY: ends the child at once, running nothing of the
            // parent's (no destructors, no test harness).
            unsafe { libc::_exit(status) };
        }
        let mut status = 0;
        // SAFETY: `pid` is this process's child; `status` is writable.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        status
    }

    #[cfg(all(target_os = "linux", not(miri)))]
    #[test]
    fn a_child_sees_zeros_and_the_parent_keeps_its_bytes() {
        for mut region in [
            WipeOnFork::new(10_000).unwrap(),
            WipeOnFork::new_checked(10_000).unwrap(),
        ] {
            region.bytes().fill(0x5a);
            let status = in_child(&mut region, |region| {
                let zeros = region.bytes().iter().all(|&b| b == 0);
                // And the child's own writes stay.
                region.bytes()[0] = 7;
                zeros && region.bytes()[0] == 7
            });
            assert_eq!(status, 0, "kernel wipe: {}", region.wiped_by_kernel());
            assert!(region.bytes().iter().all(|&b| b == 0x5a));
        }
    }
}
