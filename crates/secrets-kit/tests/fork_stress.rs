//! glibc's `tst-arc4random-thread`, adapted: threads draw while the process
//! forks 256 times; every child starts threads of its own and draws; all the
//! values come back to the parent over pipes, and no value may be seen
//! twice. Over every public API that draws:
//!
//! - `fork_stress_core_apis`: `token_bytes`, `token_hex`, `token_urlsafe`,
//!   `fill_bytes`, `try_fill_bytes`, `OsEntropy`, `randbelow`, `randbits`
//!   and `SystemRandom`'s `randbytes`, `getrandbits` and `randbelow`; four
//!   parent threads draw through them without pause (two long-lived, two
//!   starting and ending short threads, so states are taken and given back
//!   while the forks land), and each child draws through each of them on
//!   its main thread and on two new ones.
//! - `fork_stress_buffered_apis`: the APIs that keep drawn bytes in memory,
//!   `bulk::BulkStream`, `bulk::fill` and `TokenBatch::for_each`: the parent
//!   forks with a stream half read and from inside a batch's callback, and
//!   the child goes on reading the same stream and batch.
//!
//! Every value is 16 bytes. Parent threads record the first 4 values each
//! draws after each fork (where a child continuing the parent's stream would
//! show), so each test compares fewer than 14,000 values: a repeat by chance
//! has probability below n^2 / 2^129 < 2^-101.
//!
//! `fork` and the pipe calls need `unsafe`; each use says why it is sound.
#![allow(unsafe_code)]

mod forking;

use std::collections::HashMap;
use std::ffi::c_int;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use secrets_kit::{EntropySource as _, OsEntropy, SystemRandom};

type Value = [u8; 16];

/// Forks per test (glibc's test forks 200 times).
const FORKS: usize = 256;
/// Values each parent thread records after each fork.
const RECORDED_PER_FORK: usize = 4;
/// Threads a child starts besides its main thread.
const CHILD_THREADS: usize = 2;
/// When a child that has not answered is given up as hung.
const HUNG: Duration = Duration::from_secs(10);

/// One way of drawing a 16-byte value.
type Api = (&'static str, fn() -> Value);

/// The non-buffered APIs that draw, each making one 16-byte value.
const CORE_APIS: &[Api] = &[
    ("token_bytes", || {
        secrets_kit::token_bytes(16).try_into().expect("16 bytes")
    }),
    ("token_hex", || from_hex(&secrets_kit::token_hex(16))),
    ("token_urlsafe", || {
        from_urlsafe(&secrets_kit::token_urlsafe(16))
    }),
    ("fill_bytes", || {
        let mut value = [0; 16];
        secrets_kit::fill_bytes(&mut value);
        value
    }),
    ("try_fill_bytes", || {
        let mut value = [0; 16];
        secrets_kit::try_fill_bytes(&mut value).expect("the kernel's bytes");
        value
    }),
    ("OsEntropy", || {
        let mut value = [0; 16];
        OsEntropy
            .fill_bytes(&mut value)
            .expect("the kernel's bytes");
        value
    }),
    ("randbelow", || {
        secrets_kit::randbelow(u128::MAX).to_le_bytes()
    }),
    ("randbits", || {
        secrets_kit::randbits::<u128>(128).to_le_bytes()
    }),
    ("SystemRandom::randbytes", || {
        SystemRandom::new()
            .randbytes(16)
            .try_into()
            .expect("16 bytes")
    }),
    ("SystemRandom::getrandbits", || {
        SystemRandom::new()
            .getrandbits::<u128>(128)
            .expect("128 bits")
            .to_le_bytes()
    }),
    ("SystemRandom::randbelow", || {
        SystemRandom::new()
            .randbelow(u128::MAX)
            .expect("a bound above 0")
            .to_le_bytes()
    }),
];

fn from_hex(text: &str) -> Value {
    assert_eq!(text.len(), 32, "{text:?}");
    let mut value = [0; 16];
    for (byte, pair) in value.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).expect("ASCII");
        *byte = u8::from_str_radix(pair, 16).expect("hex digits");
    }
    value
}

fn from_urlsafe(text: &str) -> Value {
    assert_eq!(text.len(), 22, "{text:?}");
    let mut value = [0; 16];
    let (mut bits, mut held, mut len) = (0u32, 0u32, 0);
    for c in text.bytes() {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("{text:?} is not URL-safe base64"),
        };
        bits = (bits << 6) | u32::from(sextet);
        held += 6;
        if held >= 8 {
            held -= 8;
            value[len] = (bits >> held) as u8;
            len += 1;
            bits &= (1 << held) - 1;
        }
    }
    assert_eq!((len, bits), (16, 0), "{text:?}");
    value
}

/// Values by where they were drawn, for the report of a repeat.
#[derive(Default)]
struct Seen(HashMap<Value, String>);

impl Seen {
    fn add(&mut self, values: impl IntoIterator<Item = (Value, String)>) {
        for (value, origin) in values {
            assert_ne!(value, [0; 16], "{origin} drew 16 zero bytes");
            if let Some(first) = self.0.insert(value, origin.clone()) {
                panic!("a value drawn by {origin} repeats one drawn by {first}");
            }
        }
    }

    /// Adds the values the parent threads recorded, reports the count and
    /// checks that every fork's child reported.
    fn conclude(&mut self, test: &str, recorder: Recorder, children: usize) {
        let parent_values = recorder.values.into_inner().expect("recorder");
        let recorded = parent_values.len();
        self.add(parent_values);
        println!(
            "{test}: {FORKS} forks, {children} children, {} values compared \
             ({recorded} from parent threads), no value seen twice",
            self.0.len()
        );
        assert_eq!(children, FORKS);
    }
}

/// Parent-side recording: each parent thread keeps the first few values it
/// draws after each fork.
struct Recorder {
    forks: AtomicUsize,
    done: AtomicBool,
    values: Mutex<Vec<(Value, String)>>,
}

impl Recorder {
    fn new() -> Self {
        Recorder {
            forks: AtomicUsize::new(0),
            done: AtomicBool::new(false),
            values: Mutex::new(Vec::new()),
        }
    }
}

/// Tells the parent threads to stop when dropped, also when the test
/// panics (the scope would otherwise wait for them for ever).
struct StopOnDrop<'a>(&'a Recorder);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.done.store(true, Ordering::Relaxed);
    }
}

/// A parent thread's budget of values to record since the last fork.
struct Budget {
    fork: usize,
    left: usize,
}

impl Budget {
    fn new() -> Self {
        Budget {
            fork: usize::MAX,
            left: 0,
        }
    }

    fn record(&mut self, recorder: &Recorder, value: Value, origin: impl FnOnce() -> String) {
        let fork = recorder.forks.load(Ordering::Relaxed);
        if fork != self.fork {
            self.fork = fork;
            self.left = RECORDED_PER_FORK;
        }
        if self.left > 0 {
            self.left -= 1;
            let origin = format!("{} after fork {fork}", origin());
            recorder
                .values
                .lock()
                .expect("recorder")
                .push((value, origin));
        }
    }
}

/// A parent thread's draw: the value and the API's name, from the count of
/// the thread's draws so far.
type ParentDraw = fn(usize) -> (Value, &'static str);

/// Starts four parent threads that draw until the recorder is done: two
/// draw with `long` for the whole test, two start a short thread for every 4
/// draws with `short`.
fn start_parent_threads<'scope>(
    scope: &'scope thread::Scope<'scope, '_>,
    recorder: &'scope Recorder,
    long: ParentDraw,
    short: ParentDraw,
) {
    for worker in 0..4 {
        let churn = worker % 2 == 1;
        let draw = if churn { short } else { long };
        scope.spawn(move || {
            let mut budget = Budget::new();
            let mut count = 0;
            while !recorder.done.load(Ordering::Relaxed) {
                if churn {
                    let short =
                        thread::spawn(move || (count..count + 4).map(draw).collect::<Vec<_>>());
                    let drawn = short.join().expect("a short parent thread");
                    for (value, api) in drawn {
                        budget.record(recorder, value, || {
                            format!("{api} on a short thread of parent worker {worker}")
                        });
                    }
                    count += 4;
                } else {
                    let (value, api) = draw(count);
                    budget.record(recorder, value, || {
                        format!("{api} on parent worker {worker}")
                    });
                    count += 1;
                }
            }
        });
    }
}

/// The two sides of a fork.
enum Side {
    Parent(Pending),
    Child(Reply),
}

/// The parent's end: the child's pid and pipe.
struct Pending {
    pid: libc::pid_t,
    read_end: c_int,
}

/// The child's end of the pipe. Dropping it (a panic unwinding in the
/// child) ends the child at once, so a child never returns into the test
/// harness.
struct Reply {
    write_end: c_int,
}

impl Drop for Reply {
    fn drop(&mut self) {
        // SAFETY: ends the child without running the parent's exit hooks.
        unsafe { libc::_exit(101) }
    }
}

fn fork() -> Side {
    let [read_end, write_end] = forking::pipe();
    // SAFETY: the child only draws, starts and joins threads (glibc's
    // malloc and pthread_create work in a forked child), writes to its
    // pipe and ends with `_exit`, through `Reply` even when it panics.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: closes the child's copy of the read end, which it owns.
        unsafe { libc::close(read_end) };
        Side::Child(Reply { write_end })
    } else {
        // SAFETY: closes the parent's copy of the write end, which it owns.
        unsafe { libc::close(write_end) };
        Side::Parent(Pending { pid, read_end })
    }
}

impl Reply {
    /// Sends `values` to the parent and ends the child.
    fn send_and_exit(self, values: &[Value]) -> ! {
        let bytes: Vec<u8> = values.iter().flatten().copied().collect();
        let mut sent = 0;
        while sent < bytes.len() {
            // SAFETY: writes the unsent tail of a live buffer to our pipe.
            let n = unsafe {
                libc::write(
                    self.write_end,
                    bytes[sent..].as_ptr().cast(),
                    bytes.len() - sent,
                )
            };
            match usize::try_from(n) {
                Ok(n) if n > 0 => sent += n,
                // SAFETY: as in `Drop`.
                _ => unsafe { libc::_exit(102) },
            }
        }
        // SAFETY: ends the child without running the parent's exit hooks.
        unsafe { libc::_exit(0) }
    }
}

impl Pending {
    /// The child's values, read within [`HUNG`]; a child that does not
    /// finish is killed and fails the test.
    fn collect(self) -> Vec<Value> {
        let deadline = Instant::now() + HUNG;
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let mut poll = libc::pollfd {
                fd: self.read_end,
                events: libc::POLLIN,
                revents: 0,
            };
            let millis = c_int::try_from(left.as_millis()).unwrap_or(c_int::MAX);
            // SAFETY: polls one valid descriptor through a live pollfd.
            if unsafe { libc::poll(&mut poll, 1, millis) } == 0 {
                // SAFETY: kills and reaps our own child.
                unsafe { libc::kill(self.pid, libc::SIGKILL) };
                // SAFETY: as above.
                unsafe { libc::waitpid(self.pid, std::ptr::null_mut(), 0) };
                panic!("a child did not finish its draws within {HUNG:?}");
            }
            // SAFETY: reads into a live buffer.
            let n = unsafe { libc::read(self.read_end, buf.as_mut_ptr().cast(), buf.len()) };
            match usize::try_from(n) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(_) => panic!("reading a child's values failed"),
            }
        }
        // SAFETY: closes the read end, which this function owns.
        unsafe { libc::close(self.read_end) };
        let mut status = 0;
        // SAFETY: waits for our own child; `status` is writable.
        assert_eq!(unsafe { libc::waitpid(self.pid, &mut status, 0) }, self.pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "a child failed (wait status {status:#x})"
        );
        assert_eq!(bytes.len() % 16, 0, "a child sent a partial value");
        bytes
            .chunks_exact(16)
            .map(|chunk| chunk.try_into().expect("16"))
            .collect()
    }
}

/// Each core API once, in order.
fn each_core_api() -> Vec<Value> {
    CORE_APIS.iter().map(|(_, draw)| draw()).collect()
}

/// The core APIs in turn, for the parent threads.
fn core_draw(count: usize) -> (Value, &'static str) {
    let (name, draw) = CORE_APIS[count % CORE_APIS.len()];
    (draw(), name)
}

/// Which API drew a child's value, from its place in the child's list.
fn core_origin(fork: usize, index: usize) -> String {
    let per_thread = CORE_APIS.len();
    format!(
        "{} on thread {} of child {fork}",
        CORE_APIS[index % per_thread].0,
        index / per_thread
    )
}

// The two tests of this file run one at a time (see `one_at_a_time`).
mod common;
use common::one_at_a_time;

#[test]
fn fork_stress_core_apis() {
    let _alone = one_at_a_time();
    let recorder = Recorder::new();
    let mut seen = Seen::default();
    let mut children = 0;
    thread::scope(|scope| {
        let _stop = StopOnDrop(&recorder);
        start_parent_threads(scope, &recorder, core_draw, core_draw);
        for fork_index in 0..FORKS {
            // The forking thread draws too, so its own state is in use.
            let (name, draw) = CORE_APIS[fork_index % CORE_APIS.len()];
            seen.add([(draw(), format!("{name} on the forking thread"))]);
            recorder.forks.store(fork_index, Ordering::Relaxed);
            match fork() {
                Side::Child(reply) => {
                    let threads: Vec<_> = (0..CHILD_THREADS)
                        .map(|_| forking::spawn_in_child(each_core_api))
                        .collect();
                    let mut values = each_core_api();
                    for worker in threads {
                        values.extend(worker.join().expect("a child's thread"));
                    }
                    reply.send_and_exit(&values);
                }
                Side::Parent(pending) => {
                    let values = pending.collect();
                    assert_eq!(values.len(), (CHILD_THREADS + 1) * CORE_APIS.len());
                    seen.add(
                        values
                            .into_iter()
                            .enumerate()
                            .map(|(index, value)| (value, core_origin(fork_index, index))),
                    );
                    children += 1;
                }
            }
        }
    });
    seen.conclude("fork_stress_core_apis", recorder, children);
}

mod buffered {
    use super::*;
    use secrets_kit::{batch::TokenBatch, batch::TokenEncoding};
    use secrets_kit_tokens::bulk::{self, BulkStream};

    /// Threads a child starts in this test, where each costs a 1 MiB stream
    /// block.
    const CHILD_BUFFERED_THREADS: usize = 1;
    /// Tokens per `for_each` call; the fork lands after the third, inside
    /// the batch.
    const BATCH_TOKENS: u64 = 8;
    const FORK_AFTER_TOKEN: usize = 2;
    /// Values each side reads from the half-read stream after a fork.
    const STREAM_READS: usize = 4;

    fn read(stream: &mut BulkStream) -> Value {
        let mut value = [0; 16];
        stream.fill(&mut value).expect("the bulk stream");
        value
    }

    /// `bulk::fill`, for the short parent threads (a stream of their own
    /// would cost each a 1 MiB block for 4 values).
    fn bulk_fill(_count: usize) -> (Value, &'static str) {
        let mut value = [0; 16];
        bulk::fill(&mut value).expect("bulk::fill");
        (value, "bulk::fill")
    }

    /// `bulk::fill` and a stream the thread keeps, in turn, for the
    /// long-lived parent threads.
    fn buffered_draw(count: usize) -> (Value, &'static str) {
        thread_local! {
            static STREAM: std::cell::RefCell<BulkStream> =
                std::cell::RefCell::new(BulkStream::new());
        }
        if count % 2 == 0 {
            bulk_fill(count)
        } else {
            (
                STREAM.with(|stream| read(&mut stream.borrow_mut())),
                "BulkStream",
            )
        }
    }

    /// What a child's extra thread draws: a fresh stream, a fresh batch.
    fn fresh_buffers() -> Vec<Value> {
        let mut stream = BulkStream::new();
        let mut values = vec![read(&mut stream), read(&mut stream)];
        let mut batch = TokenBatch::new(16, TokenEncoding::Bytes).expect("a batch");
        batch
            .for_each(2, |token| {
                values.push(token.try_into().expect("16 bytes"));
                Ok::<(), secrets_kit::Error>(())
            })
            .expect("the batch");
        let mut value = [0; 16];
        bulk::fill(&mut value).expect("bulk::fill");
        values.push(value);
        values
    }

    #[test]
    fn fork_stress_buffered_apis() {
        let _alone = one_at_a_time();
        let recorder = Recorder::new();
        let mut seen = Seen::default();
        let mut stream = BulkStream::new();
        let mut children = 0;
        thread::scope(|scope| {
            let _stop = StopOnDrop(&recorder);
            start_parent_threads(scope, &recorder, buffered_draw, bulk_fill);
            for fork_index in 0..FORKS {
                recorder.forks.store(fork_index, Ordering::Relaxed);
                // The stream is half read at every fork.
                seen.add([(
                    read(&mut stream),
                    format!("the stream before fork {fork_index}"),
                )]);
                let mut side = None;
                let mut tokens = Vec::new();
                TokenBatch::new(16, TokenEncoding::Bytes)
                    .expect("a batch")
                    .for_each(BATCH_TOKENS, |token| {
                        tokens.push(<Value>::try_from(token).expect("16 bytes"));
                        if tokens.len() == FORK_AFTER_TOKEN + 1 {
                            side = Some(fork());
                        }
                        Ok::<(), secrets_kit::Error>(())
                    })
                    .expect("the batch");
                let after_fork: Vec<Value> = (0..STREAM_READS).map(|_| read(&mut stream)).collect();
                match side.expect("forked in the batch") {
                    Side::Child(reply) => {
                        let threads: Vec<_> = (0..CHILD_BUFFERED_THREADS)
                            .map(|_| forking::spawn_in_child(fresh_buffers))
                            .collect();
                        let mut values = tokens[FORK_AFTER_TOKEN + 1..].to_vec();
                        values.extend(after_fork);
                        for worker in threads {
                            values.extend(worker.join().expect("a child's thread"));
                        }
                        reply.send_and_exit(&values);
                    }
                    Side::Parent(pending) => {
                        let origin =
                            |what: &str| format!("{what} in the parent at fork {fork_index}");
                        seen.add(tokens.iter().map(|&token| (token, origin("a batch token"))));
                        seen.add(
                            after_fork
                                .iter()
                                .map(|&value| (value, origin("the stream"))),
                        );
                        let from_child = pending.collect();
                        let batch_rest = BATCH_TOKENS as usize - FORK_AFTER_TOKEN - 1;
                        seen.add(from_child.into_iter().enumerate().map(|(index, value)| {
                            let what = if index < batch_rest {
                                "the batch it was forked in"
                            } else if index < batch_rest + STREAM_READS {
                                "the half-read stream"
                            } else {
                                "a new stream, batch or bulk::fill on a new thread"
                            };
                            (value, format!("{what} in child {fork_index}"))
                        }));
                        children += 1;
                    }
                }
            }
        });
        seen.conclude("fork_stress_buffered_apis", recorder, children);
    }
}
