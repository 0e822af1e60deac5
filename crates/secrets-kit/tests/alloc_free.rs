//! Go's `crypto/rand` `TestAllocations`, adapted: drawing into a buffer the
//! caller owns allocates nothing, on any path. A counting global allocator
//! (which is why this is a test binary of its own) counts the allocations
//! made by the current thread; after a thread's first draw (which registers
//! its exit hook and may map a page of vDSO states), 10,000 more draws of
//! each kind must add none.
//!
//! Runs on the vDSO path by default and on the system-call path under
//! `SECRETS_FORCE_SYSCALL=1` (CI runs both).
//!
//! A `#[global_allocator]` needs an `unsafe impl`; it only forwards to the
//! system allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::thread;

use secrets_kit::{
    EntropySource as _, OsEntropy, SystemRandom, batch::TokenBatch, batch::TokenEncoding,
};

struct Counting;

thread_local! {
    /// Allocations (and reallocations) made by this thread.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: allocations made while the thread's locals are torn down
    // are not counted.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every method forwards to the system allocator with the caller's
// arguments unchanged; counting touches only a thread-local `Cell`, which
// neither allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `alloc` is `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (every allocation here
        // is) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as for `dealloc`, and the caller's contract for
        // `realloc` is `System.realloc`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Calls of each kind of draw (fewer for the large ones, which take time,
/// not allocations).
const CALLS: usize = 10_000;
const LARGE_CALLS: usize = 100;

/// The allocations `draw` makes over `calls` calls, after one call to warm
/// up.
fn allocations_per_run(calls: usize, mut draw: impl FnMut()) -> u64 {
    draw();
    let before = allocations();
    for _ in 0..calls {
        draw();
    }
    allocations() - before
}

/// A kind of draw into a caller's buffer: its name, how many calls, the
/// call.
type Draw = (&'static str, usize, Box<dyn FnMut()>);

fn draws() -> Vec<Draw> {
    let mut one = [0u8; 1];
    let mut small = [0u8; 32];
    let mut page = vec![0u8; 4096];
    let mut large = vec![0u8; 1 << 20];
    let mut source_buf = [0u8; 32];
    let system = SystemRandom::new();
    vec![
        (
            "fill_bytes, 1 byte",
            CALLS,
            Box::new(move || secrets_kit::fill_bytes(&mut one)),
        ),
        (
            "fill_bytes, 32 bytes",
            CALLS,
            Box::new(move || secrets_kit::fill_bytes(&mut small)),
        ),
        (
            "try_fill_bytes, 4 KiB",
            CALLS,
            Box::new(move || secrets_kit::try_fill_bytes(&mut page).expect("bytes")),
        ),
        (
            "fill_bytes, 1 MiB",
            LARGE_CALLS,
            Box::new(move || secrets_kit::fill_bytes(&mut large)),
        ),
        (
            "OsEntropy::fill_bytes, 32 bytes",
            CALLS,
            Box::new(move || OsEntropy.fill_bytes(&mut source_buf).expect("bytes")),
        ),
        (
            "randbelow::<u64>",
            CALLS,
            Box::new(|| {
                std::hint::black_box(secrets_kit::randbelow(1_000_003u64));
            }),
        ),
        (
            "randbits::<u128>",
            CALLS,
            Box::new(|| {
                std::hint::black_box(secrets_kit::randbits::<u128>(100));
            }),
        ),
        (
            "SystemRandom::random",
            CALLS,
            Box::new(move || {
                std::hint::black_box(system.random());
            }),
        ),
    ]
}

fn assert_no_allocations() {
    let mut failures = Vec::new();
    for (name, calls, mut draw) in draws() {
        let count = allocations_per_run(calls, &mut draw);
        println!("{name}: {count} allocations in {calls} calls");
        if count != 0 {
            failures.push(format!("{name}: {count} in {calls} calls"));
        }
    }
    // Tokens written into the batch's own buffers: only `new` allocates.
    let mut batch = TokenBatch::new(16, TokenEncoding::Hex).expect("a batch");
    let before = allocations();
    batch
        .for_each(CALLS as u64, |token| {
            std::hint::black_box(token);
            Ok::<(), secrets_kit::Error>(())
        })
        .expect("tokens");
    let count = allocations() - before;
    println!("TokenBatch::for_each: {count} allocations for {CALLS} hex tokens");
    if count != 0 {
        failures.push(format!("TokenBatch::for_each: {count} for {CALLS} tokens"));
    }
    assert!(failures.is_empty(), "allocations: {failures:?}");
}

/// The counter counts: a `token_bytes` call allocates its `Vec`.
#[test]
fn the_counter_sees_allocations() {
    let before = allocations();
    drop(std::hint::black_box(secrets_kit::token_bytes(16)));
    assert_eq!(allocations() - before, 1);
}

#[test]
fn draws_into_a_buffer_do_not_allocate() {
    assert_no_allocations();
}

/// On a new thread too (its first draw, excluded, takes its state).
#[test]
fn draws_on_a_new_thread_do_not_allocate() {
    thread::spawn(assert_no_allocations)
        .join()
        .expect("the thread");
}
