//! Fork and thread safety at scale.
//!
//! - Many processes forked from one parent that has already drawn
//!   randomness (so any per-process or per-thread generator state exists
//!   and would be copied by `fork`) must all produce different tokens, and
//!   different from the parent's next ones.
//! - 64 threads drawing at once must produce no duplicate among a million
//!   16-byte tokens.
//!
//! For a perfect generator the chance of any duplicate here is below
//! 2^-88 (a million 128-bit tokens: about 10^12 / 2^129), so a duplicate
//! means copied or shared state, not bad luck.
//!
//! `fork` needs `unsafe`; this file is allowed it, with a SAFETY comment at
//! each use. The two tests share a lock so the fork never happens while the
//! other test's threads run (a child of a multi-threaded process may only
//! rely on what the forking thread held).
#![allow(unsafe_code)]

mod forking;

use std::collections::HashSet;
use std::sync::{Barrier, Mutex};

mod common;
use common::one_at_a_time;

const TOKEN: usize = 16;

/// A way to draw one token into a buffer; `false` on failure.
type Draw = fn(&mut [u8; TOKEN]) -> bool;

fn library_draw(token: &mut [u8; TOKEN]) -> bool {
    secrets_kit::try_fill_bytes(token).is_ok()
}

/// The mistake the fork test exists to catch: a user-space pool of random
/// bytes filled once from the kernel and handed out piece by piece. A
/// forked child inherits the parent's pool and hands out the same bytes.
fn buffered_pool_draw(token: &mut [u8; TOKEN]) -> bool {
    static POOL: Mutex<(usize, [u8; 4096])> = Mutex::new((usize::MAX, [0; 4096]));
    let mut pool = POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if pool.0 >= pool.1.len() {
        secrets_kit::fill_bytes(&mut pool.1);
        pool.0 = 0;
    }
    let at = pool.0;
    token.copy_from_slice(&pool.1[at..at + TOKEN]);
    pool.0 += TOKEN;
    true
}

#[cfg(target_os = "linux")]
mod forked {
    use std::collections::HashSet;

    use super::{Draw, TOKEN};

    /// One record a child writes to the shared pipe: its index and token.
    /// 20 bytes, far below `PIPE_BUF`, so each write is atomic.
    const RECORD: usize = 4 + TOKEN;

    /// Runs in the child: draws one token, writes it, and leaves without
    /// running anything of the parent's (no destructors, no test harness).
    fn child(index: u32, write_end: libc::c_int, draw: Draw) -> ! {
        let mut record = [0u8; RECORD];
        record[..4].copy_from_slice(&index.to_le_bytes());
        let mut token = [0u8; TOKEN];
        let status = if draw(&mut token) {
            record[4..].copy_from_slice(&token);
            // SAFETY: `record` is a live buffer of `RECORD` bytes and
            // `write_end` is the pipe's open write end.
            let written = unsafe { libc::write(write_end, record.as_ptr().cast(), RECORD) };
            if written == RECORD as isize { 0 } else { 3 }
        } else {
            4
        };
        // SAFETY: `_exit` ends the child at once, which is what a forked
        // child of a test must do; it takes any status.
        unsafe { libc::_exit(status) }
    }

    /// Draws in the parent, forks `children` processes that each draw one
    /// token, then draws in the parent again. Returns a description of
    /// the first repeated token, if any.
    pub(super) fn repeated_token(children: u32, draw: Draw) -> Option<String> {
        // The parent draws first, so whatever state the generator keeps
        // exists before the fork.
        let mut seen: HashSet<[u8; TOKEN]> = HashSet::new();
        let mut token = [0u8; TOKEN];
        for _ in 0..10 {
            assert!(draw(&mut token));
            if !seen.insert(token) {
                return Some("the parent repeated itself".to_owned());
            }
        }

        let [read_end, write_end] = super::forking::pipe();

        let mut pids = Vec::new();
        for index in 0..children {
            // SAFETY: the child only draws into stack buffers, writes with
            // `write` and calls `_exit`; no other test of this file runs
            // while the caller holds `one_at_a_time`.
            let pid = unsafe { libc::fork() };
            assert!(pid >= 0, "fork failed: {}", std::io::Error::last_os_error());
            if pid == 0 {
                child(index, write_end, draw);
            }
            pids.push(pid);
        }
        // SAFETY: the parent's copy of the write end is no longer needed.
        unsafe { libc::close(write_end) };

        for pid in pids {
            let mut status = 0;
            // SAFETY: `pid` is a child of this process; `status` is writable.
            let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
            assert_eq!(waited, pid);
            assert!(
                libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
                "child {pid} failed with status {status:#x}"
            );
        }

        let mut records = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            // SAFETY: `buf` is a live, writable buffer of its length.
            let n = unsafe { libc::read(read_end, buf.as_mut_ptr().cast(), buf.len()) };
            assert!(n >= 0, "read failed: {}", std::io::Error::last_os_error());
            if n == 0 {
                break;
            }
            records.extend_from_slice(&buf[..n as usize]);
        }
        // SAFETY: the read end is open and no longer used.
        unsafe { libc::close(read_end) };

        assert_eq!(
            records.len(),
            RECORD * children as usize,
            "every child writes one record"
        );
        let mut indices = HashSet::new();
        for record in records.chunks_exact(RECORD) {
            let index = u32::from_le_bytes(record[..4].try_into().unwrap());
            assert!(indices.insert(index), "child {index} wrote twice");
            if !seen.insert(record[4..].try_into().unwrap()) {
                return Some(format!(
                    "child {index} repeated a token another process drew"
                ));
            }
        }
        // And the parent goes on with fresh values, not the children's.
        for _ in 0..10 {
            assert!(draw(&mut token));
            if !seen.insert(token) {
                return Some("the parent repeated a child's token".to_owned());
            }
        }
        None
    }
}

#[cfg(target_os = "linux")]
#[test]
fn forked_children_of_a_parent_that_drew_all_get_different_tokens() {
    let _one = one_at_a_time();
    if let Some(repeat) = forked::repeated_token(200, library_draw) {
        panic!("{repeat}: generator state was copied by fork");
    }
}

/// The same harness on a generator with a user-space pool must find the
/// repeat, which shows the test above can fail.
#[cfg(target_os = "linux")]
#[test]
fn the_fork_test_catches_a_user_space_pool() {
    let _one = one_at_a_time();
    assert!(forked::repeated_token(8, buffered_pool_draw).is_some());
}

#[test]
fn sixty_four_threads_draw_a_million_tokens_without_a_duplicate() {
    const THREADS: usize = 64;
    const TOTAL: usize = 1_000_000;
    const PER_THREAD: usize = TOTAL / THREADS + 1;
    let _one = one_at_a_time();

    // All threads start drawing together.
    let start = Barrier::new(THREADS);
    let batches: Vec<Vec<[u8; TOKEN]>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    (0..PER_THREAD)
                        .map(|_| secrets_kit::token_bytes(TOKEN).try_into().unwrap())
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let mut seen = HashSet::with_capacity(THREADS * PER_THREAD);
    for (thread, batch) in batches.iter().enumerate() {
        for token in batch {
            assert!(
                seen.insert(*token),
                "thread {thread} drew a token already drawn: {token:02x?}"
            );
        }
    }
    assert!(seen.len() >= TOTAL);
}
