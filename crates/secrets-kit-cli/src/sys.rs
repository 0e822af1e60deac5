//! The command's one platform hook: whether standard output was closed
//! when the program was loaded.
//!
//! Rust's runtime hides a closed standard output: before `main` it opens
//! `/dev/null` over a closed descriptor 0, 1 or 2, so writes "succeed" and
//! `secrets token-hex >&-` would print into nothing and exit 0. A function
//! run when the program is loaded (an ELF constructor, through the `ctor`
//! crate), before the runtime's set-up, sees the descriptor as it was
//! given. So a `/dev/null` the parent opened on purpose, read-write or not
//! (`>/dev/null`, `1<>/dev/null`, Python's `subprocess.DEVNULL`), is an
//! ordinary, writable standard output, and only a closed one is an error.

use std::io;
use std::os::fd::AsFd as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether descriptor 1 was closed when the program was loaded.
static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Whether standard output was closed when the program was loaded, before
/// Rust's runtime put `/dev/null` in its place.
pub(crate) fn stdout_closed_at_start() -> bool {
    STDOUT_CLOSED_AT_START.load(Ordering::Relaxed)
}

// SAFETY: code that runs before `main` may not rely on the runtime's
// set-up (`ctor(unsafe)` is the macro's acknowledgement of that). This
// duplicates descriptor 1 with `fcntl(F_DUPFD_CLOEXEC)` through std's
// safe `try_clone_to_owned` (a failure, `EBADF`, means it is closed),
// closes the duplicate, and stores one atomic: it needs none of that
// set-up, allocates nothing, and cannot panic.
#[ctor::ctor(unsafe)]
fn note_closed_stdout() {
    let closed = io::stdout().as_fd().try_clone_to_owned().is_err();
    STDOUT_CLOSED_AT_START.store(closed, Ordering::Relaxed);
}
