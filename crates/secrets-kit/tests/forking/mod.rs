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
