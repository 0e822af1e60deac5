//! The pipe every fork test's child reports through, made once for the fork
//! test binaries (each includes this module with `mod forking;`).
#![allow(unsafe_code, dead_code)]

use std::ffi::c_int;

/// A new pipe: `[read_end, write_end]`, owned by the caller.
pub(crate) fn pipe() -> [c_int; 2] {
    let mut fds = [0 as c_int; 2];
    // SAFETY: `fds` is a writable array of two ints, as pipe(2) needs.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    fds
}

/// A thread a forked child starts, made with `pthread_create` rather than
/// `std::thread::spawn`.
///
/// std's thread start takes a process-wide lock of its own (the registry
/// its stack-overflow handler keeps of each thread's guard page). A parent
/// thread that is starting or ending a thread at the moment of `fork`
/// leaves that lock held in the child, where nothing will ever release it,
/// and the child's first `std::thread::spawn` waits for ever. glibc resets
/// its own locks in a forked child, so `pthread_create` is safe there, as
/// glibc's fork tests use it.
pub(crate) struct ChildThread<T> {
    id: libc::pthread_t,
    slot: *mut Slot<T>,
}

/// What a [`ChildThread`] runs and what it gives back, owned by the
/// `ChildThread` and lent to the thread until it is joined.
struct Slot<T> {
    work: Option<Box<dyn FnOnce() -> T + Send>>,
    result: Option<std::thread::Result<T>>,
}

/// The thread's start routine: runs the work, catching a panic, which must
/// not unwind across `extern "C"`.
extern "C" fn run_slot<T>(slot: *mut libc::c_void) -> *mut libc::c_void {
    // SAFETY: `slot` is the `Slot<T>` that `spawn_in_child` made for this
    // thread; nothing else touches it until `join` has waited for the thread.
    let slot = unsafe { &mut *slot.cast::<Slot<T>>() };
    if let Some(work) = slot.work.take() {
        slot.result = Some(std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)));
    }
    std::ptr::null_mut()
}

/// Starts `work` on a new thread of a forked child (see [`ChildThread`]).
pub(crate) fn spawn_in_child<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> ChildThread<T> {
    let slot = Box::into_raw(Box::new(Slot {
        work: Some(Box::new(work) as Box<dyn FnOnce() -> T + Send>),
        result: None,
    }));
    let mut id: libc::pthread_t = 0;
    // SAFETY: `id` is writable, the attributes are the defaults, and `slot`
    // stays alive until `join` has waited for the thread that uses it.
    let status =
        unsafe { libc::pthread_create(&mut id, std::ptr::null(), run_slot::<T>, slot.cast()) };
    assert_eq!(status, 0, "pthread_create in a forked child");
    ChildThread { id, slot }
}

impl<T> ChildThread<T> {
    /// Waits for the thread and gives back what its work returned, or the
    /// panic that ended it.
    pub(crate) fn join(self) -> std::thread::Result<T> {
        // SAFETY: joins a thread this value started and has not joined.
        let status = unsafe { libc::pthread_join(self.id, std::ptr::null_mut()) };
        assert_eq!(status, 0, "pthread_join in a forked child");
        // SAFETY: the thread has ended, so the slot `spawn_in_child` leaked
        // is ours alone again.
        let slot = unsafe { Box::from_raw(self.slot) };
        slot.result
            .unwrap_or_else(|| Err(Box::new("the thread did not run its work")))
    }
}
