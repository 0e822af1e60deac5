//! Signal handlers that draw while the thread they interrupt is drawing.
//!
//! Each drawing thread arms a timer of its own (`timer_create` with
//! `SIGEV_THREAD_ID`) that sends it a signal every 50 µs; the handler draws
//! 16 bytes through one of the allocation-free APIs and records them. The
//! thread meanwhile draws without pause, through the same APIs, in 16-byte
//! and 4 KiB requests (so many signals land inside a vDSO call). Threads
//! come and go, so signals also land while a thread takes its state on its
//! second draw or gives it back at exit. What must hold: no deadlock (the
//! test ends), every handler draw succeeds, and no value repeats, neither
//! between handlers nor between a handler and the draw it interrupted.
//!
//! A thread's first draw is made with the signal blocked: it registers the
//! thread's exit hook, which allocates, and a handler must not allocate
//! (the library's documented limit, shared by every `malloc`-based
//! program).
//!
//! `sigaction`, `pthread_sigmask` and the timer calls need `unsafe`; each use
//! says why it is sound.
#![allow(unsafe_code)]

use std::collections::HashSet;
use std::ffi::c_int;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

type Value = [u8; 16];

/// The handler's signal; the test binary uses it for nothing else.
const SIGNAL: c_int = libc::SIGUSR2;
/// Handler draws recorded; later ones are checked for success only.
const RECORDED: usize = 1 << 16;
/// Threads drawing at once, rounds of them, and draws each makes.
const THREADS: usize = 3;
const ROUNDS: usize = 10;
const DRAWS: usize = 2_000;
/// The timer's period on each thread.
const PERIOD: Duration = Duration::from_micros(50);

static HANDLER_CALLS: AtomicUsize = AtomicUsize::new(0);
static HANDLER_FAILURES: AtomicUsize = AtomicUsize::new(0);
static HANDLER_VALUES: [[AtomicU64; 2]; RECORDED] =
    [const { [AtomicU64::new(0), AtomicU64::new(0)] }; RECORDED];

/// The allocation-free ways to draw 16 bytes, used by the handler and by
/// the interrupted threads alike.
fn draw(kind: usize) -> Option<Value> {
    match kind % 3 {
        0 => {
            let mut value = [0; 16];
            secrets_kit::try_fill_bytes(&mut value).ok()?;
            Some(value)
        }
        1 => secrets_kit::fallible::try_randbits::<u128>(128)
            .ok()
            .map(u128::to_le_bytes),
        _ => secrets_kit::fallible::try_randbelow(u128::MAX)
            .ok()
            .map(u128::to_le_bytes),
    }
}

extern "C" fn draw_in_handler(_signal: c_int) {
    // SAFETY: __errno_location has no preconditions; it returns this
    // thread's errno, which is saved and restored so the interrupted code
    // never sees the handler's.
    let errno = unsafe { libc::__errno_location() };
    // SAFETY: `errno` points at this thread's live errno.
    let saved_errno = unsafe { *errno };
    let index = HANDLER_CALLS.fetch_add(1, Ordering::Relaxed);
    match draw(index) {
        Some(value) if index < RECORDED => {
            for (slot, half) in HANDLER_VALUES[index].iter().zip(value.chunks_exact(8)) {
                slot.store(
                    u64::from_ne_bytes(half.try_into().unwrap_or_default()),
                    Ordering::Relaxed,
                );
            }
        }
        Some(_) => {}
        None => {
            HANDLER_FAILURES.fetch_add(1, Ordering::Relaxed);
        }
    }
    // SAFETY: as above.
    unsafe { *errno = saved_errno };
}

/// Blocks or unblocks [`SIGNAL`] on the calling thread.
fn set_blocked(blocked: bool) {
    // SAFETY: a zeroed sigset_t is a valid value for sigemptyset to set.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a live sigset_t.
    unsafe { libc::sigemptyset(&mut set) };
    // SAFETY: as above; SIGNAL is a valid signal number.
    unsafe { libc::sigaddset(&mut set, SIGNAL) };
    let how = if blocked {
        libc::SIG_BLOCK
    } else {
        libc::SIG_UNBLOCK
    };
    // SAFETY: changes only this thread's mask, from a live set.
    let changed = unsafe { libc::pthread_sigmask(how, &set, std::ptr::null_mut()) };
    assert_eq!(changed, 0, "pthread_sigmask");
}

/// A timer that sends [`SIGNAL`] to the calling thread every [`PERIOD`],
/// deleted when dropped (before the thread exits).
struct ThreadTimer(libc::timer_t);

impl ThreadTimer {
    fn start() -> Self {
        // SAFETY: a zeroed sigevent is a valid "no notification" value,
        // filled in below.
        let mut event: libc::sigevent = unsafe { std::mem::zeroed() };
        event.sigev_notify = libc::SIGEV_THREAD_ID;
        event.sigev_signo = SIGNAL;
        // SAFETY: gettid has no preconditions.
        event.sigev_notify_thread_id = unsafe { libc::gettid() };
        let mut timer: libc::timer_t = std::ptr::null_mut();
        // SAFETY: a valid clock, a live sigevent naming this thread, and a
        // writable timer id.
        let created = unsafe { libc::timer_create(libc::CLOCK_MONOTONIC, &mut event, &mut timer) };
        assert_eq!(created, 0, "timer_create");
        let period = libc::timespec {
            tv_sec: 0,
            tv_nsec: PERIOD.as_nanos().try_into().expect("under a second"),
        };
        let spec = libc::itimerspec {
            it_interval: period,
            it_value: period,
        };
        // SAFETY: arms the timer just created, from a live itimerspec.
        let armed = unsafe { libc::timer_settime(timer, 0, &spec, std::ptr::null_mut()) };
        assert_eq!(armed, 0, "timer_settime");
        ThreadTimer(timer)
    }
}

impl Drop for ThreadTimer {
    fn drop(&mut self) {
        // SAFETY: deletes the timer this value owns, once.
        unsafe { libc::timer_delete(self.0) };
    }
}

/// One drawing thread's life: a first draw with the signal blocked, then
/// draws under the timer's signals. Returns its values: every 16-byte draw,
/// and the first and last 16 bytes of every 4 KiB one.
fn drawing_thread(seed: usize) -> Vec<Value> {
    set_blocked(true);
    let mut values = vec![draw(seed).expect("the first draw")];
    let timer = ThreadTimer::start();
    set_blocked(false);
    let mut page = [0u8; 4096];
    for index in 0..DRAWS {
        if index % 4 == 3 {
            secrets_kit::fill_bytes(&mut page);
            values.push(page[..16].try_into().expect("16"));
            values.push(page[4080..].try_into().expect("16"));
        } else {
            values.push(draw(seed + index).expect("an interrupted draw"));
        }
    }
    drop(timer);
    values
}

/// All of it. 10 rounds of 3 threads, about 2,500 values each, plus up to
/// 65,536 handler values: fewer than 141,000 values of 16 bytes, so a
/// chance repeat has probability below n^2 / 2^129 < 2^-94.
#[test]
fn handlers_drawing_during_draws_never_repeat_or_deadlock() {
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value,
    // filled in below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = draw_in_handler as extern "C" fn(c_int) as usize;
    action.sa_flags = libc::SA_RESTART;
    // SAFETY: installs a handler that only draws (without allocating) and
    // touches atomics, for a signal only this test's timers send.
    let installed = unsafe { libc::sigaction(SIGNAL, &action, std::ptr::null_mut()) };
    assert_eq!(installed, 0, "sigaction");
    // The handler must not be the first user of the `getrandom` crate,
    // whose first call looks a libc symbol up.
    secrets_kit::__private::fill_via_fallback(&mut [0u8; 16]).expect("the system call");

    let started = Instant::now();
    let mut values = Vec::new();
    for round in 0..ROUNDS {
        let threads: Vec<_> = (0..THREADS)
            .map(|index| thread::spawn(move || drawing_thread(round * THREADS + index)))
            .collect();
        for worker in threads {
            values.extend(worker.join().expect("a drawing thread"));
        }
    }
    let calls = HANDLER_CALLS.load(Ordering::Relaxed);
    println!(
        "signals: {calls} handler draws during {} draws on {} threads in {:.2} s",
        ROUNDS * THREADS * DRAWS,
        ROUNDS * THREADS,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        HANDLER_FAILURES.load(Ordering::Relaxed),
        0,
        "a handler draw failed"
    );
    // Not vacuous: at 50 µs a signal, even a loaded machine sends hundreds.
    assert!(calls >= 100, "only {calls} handler draws");

    let mut seen = HashSet::with_capacity(values.len() + RECORDED);
    for value in &values {
        assert_ne!(*value, [0; 16], "a draw returned zeros");
        assert!(
            seen.insert(*value),
            "an interrupted thread's value repeated"
        );
    }
    for slots in &HANDLER_VALUES[..calls.min(RECORDED)] {
        let mut value = [0u8; 16];
        for (half, slot) in value.chunks_exact_mut(8).zip(slots) {
            half.copy_from_slice(&slot.load(Ordering::Relaxed).to_ne_bytes());
        }
        assert_ne!(value, [0; 16], "a handler draw returned zeros");
        assert!(
            seen.insert(value),
            "a handler's value repeated another value"
        );
    }
}
