//! The per-thread vDSO states under stress: many threads at once, thread
//! churn, `fork`, signal handlers that re-enter, thread-local destructors.
//! Every test also passes on the fallback path (`SECRETS_FORCE_SYSCALL=1`),
//! where the state-specific checks hold trivially.
//!
//! `fork` and `sigaction` need `unsafe`; each use says why it is sound.
#![allow(unsafe_code)]

mod forking;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

/// 32 threads draw 20,000 tokens of 16 bytes each at the same time; all
/// 640,000 are distinct. Two states shared by two threads would repeat
/// output. A chance collision among 640,000 random 128-bit values has
/// probability about 2^-91.
#[test]
fn thirty_two_threads_draw_distinct_tokens() {
    const THREADS: usize = 32;
    const TOKENS: usize = 20_000;
    let per_thread: Vec<Vec<[u8; 16]>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    (0..TOKENS)
                        .map(|_| secrets_kit::token_bytes(16).try_into().expect("16 bytes"))
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker"))
            .collect()
    });
    let mut seen = HashSet::with_capacity(THREADS * TOKENS);
    for token in per_thread.into_iter().flatten() {
        assert!(seen.insert(token), "a token repeated");
    }
    assert_eq!(seen.len(), THREADS * TOKENS);
}

/// Starting and ending 100,000 threads that each draw bytes does not map
/// 100,000 states: the states of exited threads are reused. The bound
/// allows for every thread this test binary runs at once (the test above
/// has 32) several times over.
#[test]
fn thread_churn_reuses_states() {
    const THREADS: usize = 100_000;
    const AT_ONCE: usize = 8;
    for _ in 0..THREADS / AT_ONCE {
        let batch: Vec<_> = (0..AT_ONCE)
            .map(|_| {
                thread::spawn(|| {
                    let mut buf = [0u8; 16];
                    secrets_kit::fill_bytes(&mut buf);
                    buf != [0; 16]
                })
            })
            .collect();
        for worker in batch {
            assert!(
                worker.join().expect("worker"),
                "16 zero bytes (chance: 2^-128)"
            );
        }
    }
    let mapped = secrets_kit::__private::vdso_states_mapped();
    assert!(
        mapped <= 256,
        "{mapped} vDSO states mapped for {THREADS} short-lived threads"
    );
}

/// A thread-local destructor that draws bytes, possibly after this crate's
/// own per-thread state is gone, still gets them.
#[test]
fn thread_local_destructors_can_draw() {
    static DRAWN_OK: AtomicUsize = AtomicUsize::new(0);

    struct DrawsOnDrop;
    impl Drop for DrawsOnDrop {
        fn drop(&mut self) {
            let mut buf = [0u8; 32];
            if secrets_kit::try_fill_bytes(&mut buf).is_ok() && buf != [0; 32] {
                DRAWN_OK.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    thread_local! {
        static DRAWS_ON_DROP: DrawsOnDrop = const { DrawsOnDrop };
    }

    // Registered before and after the library's own thread-local, so that
    // one of the two runs after it was destroyed, whatever the order.
    thread::spawn(|| {
        DRAWS_ON_DROP.with(|_| {});
        secrets_kit::fill_bytes(&mut [0u8; 8]);
    })
    .join()
    .expect("thread");
    thread::spawn(|| {
        secrets_kit::fill_bytes(&mut [0u8; 8]);
        DRAWS_ON_DROP.with(|_| {});
    })
    .join()
    .expect("thread");
    assert_eq!(DRAWN_OK.load(Ordering::Relaxed), 2);
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use std::sync::atomic::AtomicU64;

    /// Forks; the child fills 32 bytes, sends them through a pipe and exits.
    /// Returns the child's bytes.
    fn child_draw() -> [u8; 32] {
        let [read_end, write_end] = forking::pipe();
        // SAFETY: the child below only draws bytes (no allocation when this
        // thread already has its state; glibc's malloc is fork-safe
        // otherwise), writes them and calls `_exit`: it never returns into
        // the test harness.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let mut buf = [0u8; 32];
            let ok = secrets_kit::try_fill_bytes(&mut buf).is_ok();
            // SAFETY: writes 32 bytes from a live buffer to our pipe.
            let written = unsafe { libc::write(write_end, buf.as_ptr().cast(), buf.len()) };
            let status = if ok && written == 32 { 0 } else { 1 };
            // SAFETY: ends the child without running the parent's exit hooks.
            unsafe { libc::_exit(status) };
        }
        // SAFETY: closes the parent's copy of the write end, which it owns.
        unsafe { libc::close(write_end) };
        let mut buf = [0u8; 32];
        let mut got = 0;
        while got < buf.len() {
            // SAFETY: reads into the unfilled tail of a live buffer.
            let n =
                unsafe { libc::read(read_end, buf[got..].as_mut_ptr().cast(), buf.len() - got) };
            assert!(n > 0, "the child sent {got} bytes");
            got += n as usize;
        }
        // SAFETY: closes the read end, which this function owns.
        unsafe { libc::close(read_end) };
        let mut status = 0;
        // SAFETY: waits for our own child; `status` is writable.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "child failed"
        );
        buf
    }

    /// Parent and children draw after `fork` and get different bytes. Two
    /// children forked from the same parent state are the sharpest check:
    /// without the kernel's wipe-on-fork they would both continue the
    /// parent's stream and print the same bytes. Chance of a false alarm:
    /// about 2^-250.
    #[test]
    fn fork_gives_parent_and_children_different_bytes() {
        let check = || {
            // This thread has its state before forking.
            secrets_kit::fill_bytes(&mut [0u8; 32]);
            let first_child = child_draw();
            let second_child = child_draw();
            let mut parent = [0u8; 32];
            secrets_kit::fill_bytes(&mut parent);
            assert_ne!(first_child, second_child);
            assert_ne!(first_child, parent);
            assert_ne!(second_child, parent);
            // A child whose thread had no state yet takes one from the pool.
            thread::spawn(|| {
                let child = child_draw();
                let mut parent = [0u8; 32];
                secrets_kit::fill_bytes(&mut parent);
                assert_ne!(child, parent);
            })
            .join()
            .expect("thread");
        };
        check();
        thread::spawn(check).join().expect("thread");
    }

    const RECORDED: usize = 1 << 14;
    static HANDLER_CALLS: AtomicUsize = AtomicUsize::new(0);
    static HANDLER_FAILURES: AtomicUsize = AtomicUsize::new(0);
    /// The first 8 bytes of each handler draw, for the distinctness check.
    static HANDLER_DRAWS: [AtomicU64; RECORDED] = [const { AtomicU64::new(0) }; RECORDED];

    extern "C" fn draw_in_handler(_signal: libc::c_int) {
        // SAFETY: __errno_location has no preconditions; it returns this
        // thread's errno, which is saved and restored so the interrupted
        // code never sees the handler's.
        let errno = unsafe { libc::__errno_location() };
        // SAFETY: `errno` points at this thread's live errno.
        let saved_errno = unsafe { *errno };
        let mut buf = [0u8; 16];
        let ok = secrets_kit::try_fill_bytes(&mut buf).is_ok();
        let index = HANDLER_CALLS.fetch_add(1, Ordering::Relaxed);
        if !ok || buf == [0; 16] {
            HANDLER_FAILURES.fetch_add(1, Ordering::Relaxed);
        }
        if index < RECORDED {
            let head = u64::from_ne_bytes(buf[..8].try_into().unwrap_or_default());
            HANDLER_DRAWS[index].store(head, Ordering::Relaxed);
        }
        // SAFETY: as above.
        unsafe { *errno = saved_errno };
    }

    /// A signal handler that draws bytes while its thread is drawing (most
    /// of the time inside the vDSO call) gets good bytes, does not deadlock,
    /// and does not disturb the interrupted draw: all draws are distinct.
    /// Chance of a false alarm: the first 8 bytes of the 1,000 handler draws
    /// are compared with each other and with up to 2,000,000 outer draws; a
    /// chance repeat has probability below 2^-33.
    #[test]
    fn signal_handlers_can_draw_while_interrupting_a_draw() {
        const SIGNALS: usize = 1_000;
        /// Outer draws remembered for the distinctness check.
        const OUTER_RECORDED: usize = 2_000_000;
        // The handler must not be the first to use the fallback crate (its
        // first call looks up a libc symbol).
        secrets_kit::__private::fill_via_fallback(&mut [0u8; 8]).unwrap();

        // SAFETY: a zeroed sigaction is a valid "no flags, empty mask"
        // value, filled in below.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = draw_in_handler as extern "C" fn(libc::c_int) as usize;
        action.sa_flags = libc::SA_RESTART;
        // SAFETY: installs a handler that only draws bytes and touches
        // atomics, for a signal this test alone sends.
        let installed = unsafe { libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()) };
        assert_eq!(installed, 0, "sigaction");

        // SAFETY: pthread_self has no preconditions.
        let target = unsafe { libc::pthread_self() };
        let done = AtomicBool::new(false);
        let mut outer = HashSet::new();
        thread::scope(|scope| {
            // Sends the signals one at a time, each once the last was
            // handled, while the test thread draws without pause: the count
            // does not depend on how busy the machine is.
            scope.spawn(|| {
                for sent in 1..=SIGNALS {
                    // SAFETY: `target` is the test thread, which keeps
                    // drawing until `done`.
                    unsafe { libc::pthread_kill(target, libc::SIGUSR1) };
                    while HANDLER_CALLS.load(Ordering::Relaxed) < sent {
                        thread::yield_now();
                    }
                }
                done.store(true, Ordering::Relaxed);
            });
            let mut buf = [0u8; 512];
            while !done.load(Ordering::Relaxed) {
                buf.fill(0);
                secrets_kit::fill_bytes(&mut buf);
                assert_ne!(&buf[..16], &[0; 16]);
                assert_ne!(&buf[496..], &[0; 16]);
                if outer.len() < OUTER_RECORDED {
                    assert!(outer.insert(u128::from_ne_bytes(buf[..16].try_into().unwrap())));
                }
            }
        });
        let calls = HANDLER_CALLS.load(Ordering::Relaxed);
        assert_eq!(calls, SIGNALS);
        assert_eq!(HANDLER_FAILURES.load(Ordering::Relaxed), 0);
        let mut heads = HashSet::new();
        for draw in &HANDLER_DRAWS[..calls.min(RECORDED)] {
            assert!(
                heads.insert(draw.load(Ordering::Relaxed)),
                "a handler draw repeated"
            );
        }
        for draw in &outer {
            assert!(
                !heads.contains(&(*draw as u64)),
                "a handler draw repeats an outer one"
            );
        }
    }
}
