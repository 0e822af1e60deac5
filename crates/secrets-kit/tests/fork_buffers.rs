//! Every API that keeps drawn bytes between calls, across `fork`: read in
//! the parent, fork, read in both; the two must differ, and the child must
//! never hand out the zeros of its wiped memory.
//!
//! Each child writes what it read to a pipe and leaves with `_exit`. Reads
//! are of 16 bytes or more, so two equal by chance has probability below
//! 2^-100 over the whole file: equality means copied state.
//!
//! `fork` needs `unsafe`; this file is allowed it, with a SAFETY comment at
//! each use. The tests share a lock so that no test forks while another's
//! threads run.
#![cfg(target_os = "linux")]
#![allow(unsafe_code)]

mod forking;

use std::io::Read as _;

use secrets_kit::buffer::DrawBuffer;

mod common;
use common::one_at_a_time;

/// Forks, then runs `read` on `state` in both processes. The child writes
/// the bytes it read to a pipe and exits; the parent returns both reads as
/// (parent's, child's).
fn fork_both<T>(state: &mut T, read: impl Fn(&mut T) -> Vec<u8>) -> (Vec<u8>, Vec<u8>) {
    let [read_end, write_end] = forking::pipe();
    // SAFETY: the child only runs the library's drawing code on this
    // thread, writes to the pipe and calls `_exit`; the lock keeps other
    // tests of this file from running threads meanwhile.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed: {}", std::io::Error::last_os_error());
    if pid == 0 {
        let bytes = read(state);
        let mut written = 0;
        while written < bytes.len() {
            // SAFETY: the slice is live; `write_end` is the pipe's write end.
            let n = unsafe {
                libc::write(
                    write_end,
                    bytes[written..].as_ptr().cast(),
                    bytes.len() - written,
                )
            };
            if n <= 0 {
                // SAFETY: as below.
                unsafe { libc::_exit(3) };
            }
            written += n as usize;
        }
        // SAFETY: ends the child at once, running nothing of the parent's.
        unsafe { libc::_exit(0) };
    }
    // SAFETY: the parent's copy of the write end is not needed.
    unsafe { libc::close(write_end) };
    let from_parent = read(state);
    let mut from_child = Vec::new();
    // SAFETY: `read_end` is the pipe's read end, owned from here by `File`.
    let mut pipe = unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(read_end) };
    pipe.read_to_end(&mut from_child).unwrap();
    let mut status = 0;
    // SAFETY: `pid` is this process's child; `status` is writable.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child failed with status {status:#x}"
    );
    (from_parent, from_child)
}

/// The pieces of `piece` bytes of `a` and of `b` are all different, and
/// none is all zeros.
fn assert_disjoint(a: &[u8], b: &[u8], piece: usize) {
    assert!(
        !a.is_empty() && a.len() == b.len(),
        "{} vs {}",
        a.len(),
        b.len()
    );
    let mut seen = std::collections::HashSet::new();
    for chunk in a.chunks(piece).chain(b.chunks(piece)) {
        assert!(
            chunk.iter().any(|&b| b != 0),
            "a piece of zeros was handed out"
        );
        assert!(seen.insert(chunk.to_vec()), "a piece was handed out twice");
    }
}

#[test]
fn draw_buffer_take_after_fork_differs_in_parent_and_child() {
    let _lock = one_at_a_time();
    let mut buffer = DrawBuffer::with_capacity(4096).unwrap();
    // The buffer is full of unread bytes when the process forks.
    let before = buffer.take(16).unwrap().to_vec();
    let take = |buffer: &mut DrawBuffer| {
        let mut out = Vec::new();
        for _ in 0..64 {
            out.extend_from_slice(buffer.take(16).unwrap());
        }
        out
    };
    let (parent, child) = fork_both(&mut buffer, take);
    assert_disjoint(&parent, &child, 16);
    assert!(!parent.chunks(16).any(|c| c == before));
}

#[test]
fn draw_buffer_fill_after_fork_differs_in_parent_and_child() {
    let _lock = one_at_a_time();
    let mut buffer = DrawBuffer::with_capacity(4096).unwrap();
    let mut first = [0u8; 100];
    buffer.fill(&mut first).unwrap();
    let fill = |buffer: &mut DrawBuffer| {
        let mut out = vec![0u8; 1000];
        for piece in out.chunks_mut(50) {
            buffer.fill(piece).unwrap();
        }
        out
    };
    let (parent, child) = fork_both(&mut buffer, fill);
    assert_disjoint(&parent, &child, 50);
}

#[test]
fn bulk_stream_after_fork_differs_in_parent_and_child() {
    use secrets_kit_tokens::bulk::{Bulk, BulkStream, Keystream};
    let _lock = one_at_a_time();
    for mut stream in [
        BulkStream::new(),
        Bulk::new().keystream(Keystream::ChaCha20).stream(),
        Bulk::new().keystream(Keystream::Aes256Ctr).stream(),
    ] {
        // The reproduction: 16 bytes, fork, 64 in both.
        let mut header = [0u8; 16];
        stream.fill(&mut header).unwrap();
        let read = |stream: &mut BulkStream| {
            let mut out = vec![0u8; 64];
            stream.read_exact(&mut out).unwrap();
            // And on past the end of the block the parent had started.
            let mut more = vec![0u8; 3 << 20];
            stream.fill(&mut more).unwrap();
            out.extend_from_slice(&more);
            out
        };
        let (parent, child) = fork_both(&mut stream, read);
        assert_disjoint(&parent, &child, 16);
    }
}

#[test]
fn token_batch_whose_callback_forks_gives_the_child_fresh_tokens() {
    use secrets_kit::{batch::TokenBatch, batch::TokenEncoding};
    let _lock = one_at_a_time();
    for encoding in [
        TokenEncoding::Bytes,
        TokenEncoding::Hex,
        TokenEncoding::UrlSafe,
    ] {
        let mut batch = TokenBatch::new(16, encoding).unwrap();
        // 100 tokens a run, from batches of 1024: the fork after the 10th
        // leaves 90 of the parent's batch unused.
        let run = |batch: &mut TokenBatch| {
            let mut fds = [0 as libc::c_int; 2];
            let mut tokens = Vec::new();
            let mut seen = 0;
            let mut forked = None;
            batch
                .for_each(100, |token| {
                    seen += 1;
                    if seen == 10 {
                        // SAFETY: `fds` has room for two descriptors.
                        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
                        // SAFETY: the child only makes tokens on this
                        // thread, writes them to the pipe and calls `_exit`.
                        forked = Some(unsafe { libc::fork() });
                    }
                    if seen > 10 {
                        tokens.extend_from_slice(token);
                    }
                    Ok::<(), secrets_kit::Error>(())
                })
                .unwrap();
            (forked.unwrap(), fds, tokens)
        };
        let (pid, [read_end, write_end], tokens) = run(&mut batch);
        assert!(pid >= 0);
        if pid == 0 {
            // SAFETY: the slice is live; `write_end` is the pipe's write
            // end; the 90 tokens fit the pipe's buffer (at most 2880 bytes).
            let n = unsafe { libc::write(write_end, tokens.as_ptr().cast(), tokens.len()) };
            // SAFETY: ends the child at once, running nothing of the parent's.
            unsafe { libc::_exit(if n == tokens.len() as isize { 0 } else { 3 }) };
        }
        // SAFETY: the parent's copy of the write end is not needed.
        unsafe { libc::close(write_end) };
        let mut from_child = Vec::new();
        // SAFETY: `read_end` is the pipe's read end, owned from here by `File`.
        let mut pipe = unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(read_end) };
        pipe.read_to_end(&mut from_child).unwrap();
        let mut status = 0;
        // SAFETY: `pid` is this process's child; `status` is writable.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        let width = encoding.encoded_len(16).unwrap();
        assert_eq!(tokens.len(), 90 * width);
        assert_disjoint(&tokens, &from_child, width);
    }
}

/// A writer that forks once, inside a write, after `after` bytes.
struct ForkingWriter {
    written: usize,
    after: usize,
    pid: Option<libc::pid_t>,
}

impl std::io::Write for ForkingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.pid.is_none() && self.written >= self.after {
            // SAFETY: the child returns into `write_to`, which must give up
            // with an error; it then exits (see the test).
            self.pid = Some(unsafe { libc::fork() });
        }
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_child_forked_by_the_writer_of_bulk_write_to_gets_an_error() {
    let _lock = one_at_a_time();
    let mut out = ForkingWriter {
        written: 0,
        after: 2 << 20,
        pid: None,
    };
    let result = secrets_kit_tokens::bulk::Bulk::new()
        .workers(2)
        .write_to(&mut out, 20 << 20);
    let pid = out.pid.unwrap();
    assert!(pid >= 0);
    if pid == 0 {
        // The child: an error, after the block being written when it
        // forked and nothing more.
        let ok = result.is_err() && out.written == 3 << 20;
        // SAFETY: ends the child at once, running nothing of the parent's.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    result.unwrap();
    assert_eq!(out.written, 20 << 20);
    let mut status = 0;
    // SAFETY: `pid` is this process's child; `status` is writable.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the child went on writing the parent's blocks (status {status:#x})"
    );
}
