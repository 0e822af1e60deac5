//! The bad moments, forced: a `fork` or a signal that lands while the vDSO
//! backend is inside its one-time probe or is mapping the pages of its
//! per-thread states, and a mapping that fails. An `LD_PRELOAD` shim
//! (`tests/shims/stall.c`, built here with the system's `cc`) makes each of
//! those steps sleep 500 ms (or the mapping fail), and the test lands the
//! fork or the signal inside the sleep, then asks:
//!
//! - **fork during the probe / the state mapping**: the child (which has no
//!   thread still probing or mapping) makes 4,100 draws on three threads, and
//!   must finish them within 2 s. A timeout is a failure (the child is killed
//!   after 10 s), never a hang of the test run.
//! - **signal during the probe / the state mapping**: a handler on the very
//!   thread that is probing or mapping draws bytes; it must return within 2 s
//!   (a handler that waited for its own thread would wait for ever).
//!
//! - **the state mapping fails** (`ENOMEM`, as under memory exhaustion):
//!   draws still succeed, and the failure is decided once: 20 threads of 100
//!   draws each ask for one mapping in all, not one a draw nor one a thread.
//!   The failing mapping sleeps first, so the other threads ask for states
//!   while it is under way.
//!
//! Every value drawn by the parent, the child and the handler is compared:
//! no two are equal (16-byte values, fewer than 20 per case are compared: a
//! repeat by chance has probability below 2^-120).
//!
//! This is a test binary without the test harness (`harness = false`): each
//! case needs a fresh process, whose one-time probe has not yet run, so
//! `main` runs each case as a child process of this same executable with the
//! shim preloaded. A case that cannot happen here (the process does not use
//! the vDSO, so nothing stalls) is reported as skipped with the reason, and
//! fails when `SECRETS_TEST_REQUIRE_VDSO` is set.
//!
//! `fork`, `sigaction`, `pthread_kill` and `dlsym` need `unsafe`; each use
//! says why it is sound.
#![allow(unsafe_code)]

mod forking;

use std::ffi::{CStr, c_int};
use std::os::unix::thread::JoinHandleExt as _;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Names the case a child process runs.
const CASE_VAR: &str = "SECRETS_SHIM_CASE";
/// Set by CI where the vDSO must be used: a skipped case then fails.
const REQUIRE_VDSO: &str = "SECRETS_TEST_REQUIRE_VDSO";
/// The exit status of a case that cannot happen in this process.
const SKIPPED: i32 = 77;

/// How long the shim stalls the probe or the mapping.
const STALL: Duration = Duration::from_millis(500);
/// The bound on a child's draws, or on a signal handler's.
const BOUND: Duration = Duration::from_secs(2);
/// When a child or a handler is given up as hung.
const HUNG: Duration = Duration::from_secs(10);

/// Draws in the forked child: the main thread's, then each of two new
/// threads'. A thread that could not use the state pool and spun on it
/// would take milliseconds a draw.
const CHILD_MAIN_DRAWS: usize = 100;
const CHILD_THREAD_DRAWS: usize = 2_000;

struct Case {
    name: &'static str,
    /// What the shim stalls: `probe`, `mmap`, or `enomem` (a mapping that
    /// stalls, then fails).
    stall: &'static str,
    run: fn() -> Outcome,
}

const CASES: &[Case] = &[
    Case {
        name: "fork during the probe",
        stall: "probe",
        run: fork_during_stall,
    },
    Case {
        name: "fork during the state mapping",
        stall: "mmap",
        run: fork_during_stall,
    },
    Case {
        name: "signal during the probe",
        stall: "probe",
        run: signal_during_stall,
    },
    Case {
        name: "signal during the state mapping",
        stall: "mmap",
        run: signal_during_stall,
    },
    Case {
        name: "state mapping fails with ENOMEM",
        stall: "enomem",
        run: mapping_fails,
    },
];

enum Outcome {
    Passed(String),
    Skipped(String),
    Failed(String),
}

fn main() -> ExitCode {
    if let Ok(name) = std::env::var(CASE_VAR) {
        return run_case_here(&name);
    }
    let shim = build_shim();
    let require_vdso = std::env::var_os(REQUIRE_VDSO).is_some();
    let mut failed = 0;
    for case in CASES {
        let started = Instant::now();
        let (verdict, detail) = match run_case_in_child(case, &shim) {
            Outcome::Passed(detail) => ("ok", detail),
            Outcome::Skipped(reason) if !require_vdso => ("skipped", reason),
            Outcome::Skipped(reason) => {
                failed += 1;
                ("FAILED", format!("{REQUIRE_VDSO} is set, but {reason}"))
            }
            Outcome::Failed(detail) => {
                failed += 1;
                ("FAILED", detail)
            }
        };
        println!(
            "fork_shims: {} ... {verdict} ({:.2} s): {detail}",
            case.name,
            started.elapsed().as_secs_f64()
        );
    }
    let _ = std::fs::remove_file(&shim);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        println!("fork_shims: {failed} of {} cases failed", CASES.len());
        ExitCode::FAILURE
    }
}

/// Compiles the shim with the system's C compiler (which Rust needs to link
/// on Linux anyway), once per run of this binary.
fn build_shim() -> String {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/shims/stall.c");
    let out = format!(
        "{}/secrets-stall-shim-{}.so",
        env!("CARGO_TARGET_TMPDIR"),
        std::process::id()
    );
    let status = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args([
            "-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o", &out, source, "-ldl",
        ])
        .status()
        .expect("cannot run the C compiler `cc` (set CC to use another) to build the shim");
    assert!(status.success(), "building {source} failed: {status}");
    out
}

/// Runs `case` in a fresh process of this executable with the shim
/// preloaded, and reads its verdict from its output and exit status.
fn run_case_in_child(case: &Case, shim: &str) -> Outcome {
    let exe = std::env::current_exe().expect("the path of this test binary");
    let mut child = Command::new(exe)
        .env(CASE_VAR, case.name)
        .env("LD_PRELOAD", shim)
        .env("SECRETS_SHIM_STALL", case.stall)
        .env("SECRETS_SHIM_STALL_MS", STALL.as_millis().to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("re-running this test binary");
    let deadline = Instant::now() + HUNG * 3;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the case") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Outcome::Failed(format!("the case's process hung for {HUNG:?} x 3; killed"));
        }
        thread::sleep(Duration::from_millis(10));
    };
    let output = child.wait_with_output().expect("the case's output");
    let report = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    match status.code() {
        Some(0) => Outcome::Passed(report),
        Some(SKIPPED) => Outcome::Skipped(report),
        _ => Outcome::Failed(format!("{status}: {report}")),
    }
}

/// The child-process side: runs the named case and prints one line.
fn run_case_here(name: &str) -> ExitCode {
    let Some(case) = CASES.iter().find(|case| case.name == name) else {
        println!("no case named {name:?}");
        return ExitCode::FAILURE;
    };
    let forced =
        std::env::var_os("SECRETS_FORCE_SYSCALL").is_some_and(|v| !v.is_empty() && v != "0");
    let outcome = if forced {
        Outcome::Skipped("SECRETS_FORCE_SYSCALL is set: the vDSO is never probed".into())
    } else {
        (case.run)()
    };
    let (code, line) = match outcome {
        Outcome::Passed(line) => (0, line),
        Outcome::Skipped(line) => (SKIPPED, line),
        Outcome::Failed(line) => (1, line),
    };
    println!("{line}");
    // Exits at once: after a failure, a thread may still be stuck.
    std::process::exit(code)
}

/// The shim's counter `name`, read through `dlsym`.
fn shim_counter(name: &CStr) -> &'static AtomicI32 {
    // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only looks
    // the symbol up.
    let address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    assert!(
        !address.is_null(),
        "the shim is not loaded ({name:?} not found)"
    );
    // SAFETY: the shim defines the symbol as a `volatile int`, which it
    // only changes with atomic adds, for the life of the process; an
    // `AtomicI32` has the size and alignment of an `int`.
    unsafe { &*address.cast::<AtomicI32>() }
}

/// Waits until the shim has begun a stall, or `thread` has finished
/// without one (then nothing stalls in this process: `None`).
fn wait_for_stall(thread: &thread::JoinHandle<[u8; 16]>) -> Option<()> {
    let begun = shim_counter(c"secrets_shim_stalls_begun");
    let deadline = Instant::now() + HUNG;
    while begun.load(Ordering::SeqCst) == 0 {
        if thread.is_finished() || Instant::now() > deadline {
            return None;
        }
        thread::sleep(Duration::from_millis(1));
    }
    // Well inside the stall, so that the fork or signal lands in it.
    thread::sleep(STALL / 5);
    Some(())
}

fn stall_still_on() -> bool {
    let begun = shim_counter(c"secrets_shim_stalls_begun").load(Ordering::SeqCst);
    let ended = shim_counter(c"secrets_shim_stalls_ended").load(Ordering::SeqCst);
    begun > ended
}

fn no_stall(what: &str) -> Outcome {
    Outcome::Skipped(format!(
        "{what} was not stalled: this process draws from {} (no vDSO states to probe or map)",
        secrets_kit::backend()
    ))
}

fn draw() -> [u8; 16] {
    let mut value = [0u8; 16];
    secrets_kit::fill_bytes(&mut value);
    value
}

/// The first draw of the process, on a thread of its own: it runs the probe
/// and maps the first page of states, one of which the shim stalls.
fn start_first_draw() -> thread::JoinHandle<[u8; 16]> {
    thread::spawn(draw)
}

/// Fork while another thread is stalled in the probe or in the mapping;
/// the child draws on its main thread and on two new threads.
fn fork_during_stall() -> Outcome {
    let first = start_first_draw();
    if wait_for_stall(&first).is_none() {
        return no_stall("the first draw");
    }
    let [read_end, write_end] = forking::pipe();
    // SAFETY: the child only draws random bytes, starts and joins threads
    // (glibc's malloc and pthread_create work in a forked child), writes to
    // its pipe and calls `_exit`: it never returns into this function's
    // caller.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        child_draws(write_end);
    }
    let during = stall_still_on();
    // SAFETY: closes the parent's copy of the write end, which it owns.
    unsafe { libc::close(write_end) };
    let report = read_child_report(read_end, pid);
    let parent_first = first.join().expect("the first draw");
    let parent_after = draw();
    let report = match report {
        Ok(report) => report,
        Err(failure) => return Outcome::Failed(failure),
    };
    if !during {
        return Outcome::Failed("the stall ended before the fork (machine too slow?)".into());
    }
    let mut values = vec![parent_first, parent_after];
    values.extend(report.samples);
    if let Some(failure) = repeated(&values) {
        return Outcome::Failed(failure);
    }
    if report.elapsed > BOUND {
        return Outcome::Failed(format!(
            "the child took {:?} for its {} draws (bound {BOUND:?})",
            report.elapsed,
            CHILD_MAIN_DRAWS + 2 * CHILD_THREAD_DRAWS
        ));
    }
    Outcome::Passed(format!(
        "forked {:?} into a {STALL:?} stall; the child made {} draws on 3 threads in {:.1} ms \
         (bound {BOUND:?}) from {}; {} values compared, none repeated",
        STALL / 5,
        CHILD_MAIN_DRAWS + 2 * CHILD_THREAD_DRAWS,
        report.elapsed.as_secs_f64() * 1e3,
        report.source,
        values.len()
    ))
}

/// What a forked child sends back: its time, its source, and the first and
/// last value of each of its three threads.
struct ChildReport {
    elapsed: Duration,
    source: String,
    samples: Vec<[u8; 16]>,
}

const SAMPLES: usize = 6;
/// elapsed nanoseconds (8 bytes), the source (1 byte: 1 = vDSO), samples.
const REPORT_LEN: usize = 8 + 1 + SAMPLES * 16;

/// The forked child: draws, reports through `write_end`, and exits.
fn child_draws(write_end: c_int) -> ! {
    let start = Instant::now();
    let draws = |count: usize| {
        let first = draw();
        let mut last = first;
        for _ in 1..count {
            last = draw();
        }
        [first, last]
    };
    let main_thread = draws(CHILD_MAIN_DRAWS);
    let threads: Vec<_> = (0..2)
        .map(|_| forking::spawn_in_child(move || draws(CHILD_THREAD_DRAWS)))
        .collect();
    let mut report = Vec::with_capacity(REPORT_LEN);
    let mut samples = main_thread.to_vec();
    for worker in threads {
        samples.extend(worker.join().unwrap_or([[0; 16]; 2]));
    }
    let elapsed = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    report.extend(elapsed.to_le_bytes());
    report.push(u8::from(
        secrets_kit::backend() == secrets_kit::Backend::VdsoGetrandom,
    ));
    for sample in samples {
        report.extend(sample);
    }
    // SAFETY: writes the report, a live buffer, to the child's pipe end.
    let written = unsafe { libc::write(write_end, report.as_ptr().cast(), report.len()) };
    let status = i32::from(usize::try_from(written) != Ok(REPORT_LEN));
    // SAFETY: ends the child without running the parent's exit hooks.
    unsafe { libc::_exit(status) }
}

/// Reads the child's report within [`HUNG`]; kills it and fails if it does
/// not come. Reaps the child either way.
fn read_child_report(read_end: c_int, pid: libc::pid_t) -> Result<ChildReport, String> {
    let deadline = Instant::now() + HUNG;
    let mut buf = [0u8; REPORT_LEN];
    let mut got = 0;
    let mut failure = None;
    while got < REPORT_LEN {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut poll = libc::pollfd {
            fd: read_end,
            events: libc::POLLIN,
            revents: 0,
        };
        let millis = c_int::try_from(left.as_millis()).unwrap_or(c_int::MAX);
        // SAFETY: polls one valid descriptor through a live pollfd.
        let ready = unsafe { libc::poll(&mut poll, 1, millis) };
        if ready == 0 {
            failure = Some(format!(
                "the child sent nothing within {HUNG:?}: it hangs (killed)"
            ));
            // SAFETY: kills our own child, which has not been reaped.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            break;
        }
        // SAFETY: reads into the unfilled tail of a live buffer.
        let n = unsafe { libc::read(read_end, buf[got..].as_mut_ptr().cast(), REPORT_LEN - got) };
        match usize::try_from(n) {
            Ok(0) => {
                failure = Some(format!("the child's report ended after {got} bytes"));
                break;
            }
            Ok(n) => got += n,
            Err(_) if ready < 0 || n < 0 => {
                failure = Some("reading the child's report failed".into());
                break;
            }
            Err(_) => {}
        }
    }
    // SAFETY: closes the read end, which this function owns.
    unsafe { libc::close(read_end) };
    let mut status = 0;
    // SAFETY: waits for our own child; `status` is writable.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    if let Some(failure) = failure {
        return Err(failure);
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("the child failed (wait status {status:#x})"));
    }
    let elapsed = Duration::from_nanos(u64::from_le_bytes(buf[..8].try_into().expect("8")));
    let source = if buf[8] == 1 {
        "vdso-getrandom"
    } else {
        "getrandom-syscall"
    };
    let samples = buf[9..]
        .chunks_exact(16)
        .map(|chunk| chunk.try_into().expect("16"))
        .collect();
    Ok(ChildReport {
        elapsed,
        source: source.into(),
        samples,
    })
}

/// A description of the first value in `values` seen twice (or of an all-zero
/// one), if any.
fn repeated(values: &[[u8; 16]]) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    for (index, value) in values.iter().enumerate() {
        if *value == [0; 16] {
            return Some(format!("value {index} is all zeros"));
        }
        if !seen.insert(*value) {
            return Some(format!("value {index} repeats an earlier one"));
        }
    }
    None
}

static HANDLER_DONE: AtomicBool = AtomicBool::new(false);
static HANDLER_OK: AtomicBool = AtomicBool::new(false);
static HANDLER_VALUE: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

extern "C" fn draw_in_handler(_signal: c_int) {
    // SAFETY: __errno_location has no preconditions; it returns this
    // thread's errno, which is saved and restored so the interrupted code
    // never sees the handler's.
    let errno = unsafe { libc::__errno_location() };
    // SAFETY: `errno` points at this thread's live errno.
    let saved_errno = unsafe { *errno };
    let mut value = [0u8; 16];
    let ok = secrets_kit::try_fill_bytes(&mut value).is_ok();
    for (slot, half) in HANDLER_VALUE.iter().zip(value.chunks_exact(8)) {
        slot.store(
            u64::from_ne_bytes(half.try_into().unwrap_or_default()),
            Ordering::SeqCst,
        );
    }
    HANDLER_OK.store(ok, Ordering::SeqCst);
    HANDLER_DONE.store(true, Ordering::SeqCst);
    // SAFETY: as above.
    unsafe { *errno = saved_errno };
}

/// A signal to the very thread that is stalled in the probe or the mapping,
/// whose handler draws.
fn signal_during_stall() -> Outcome {
    // The handler must not be the first user of the `getrandom` crate,
    // whose first call looks a libc symbol up.
    secrets_kit::__private::fill_via_fallback(&mut [0u8; 16]).expect("the system call");
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value,
    // filled in below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = draw_in_handler as extern "C" fn(c_int) as usize;
    action.sa_flags = libc::SA_RESTART;
    // SAFETY: installs a handler that only draws bytes and touches atomics,
    // for a signal this case alone sends.
    let installed = unsafe { libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()) };
    assert_eq!(installed, 0, "sigaction");

    let first = start_first_draw();
    if wait_for_stall(&first).is_none() {
        return no_stall("the first draw");
    }
    let signalled_at = Instant::now();
    // SAFETY: the thread is alive (stalled in its first draw) and has the
    // handler installed for SIGUSR1.
    let sent = unsafe { libc::pthread_kill(first.as_pthread_t(), libc::SIGUSR1) };
    assert_eq!(sent, 0, "pthread_kill");
    while !HANDLER_DONE.load(Ordering::SeqCst) {
        if signalled_at.elapsed() > HUNG {
            return Outcome::Failed(format!(
                "the handler drawing on the stalled thread did not return within {HUNG:?}: \
                 it waits for its own thread"
            ));
        }
        thread::sleep(Duration::from_millis(1));
    }
    let handler_time = signalled_at.elapsed();
    let during = stall_still_on();
    let outer = first.join().expect("the first draw");
    if !during {
        return Outcome::Failed("the stall ended before the handler returned".into());
    }
    if !HANDLER_OK.load(Ordering::SeqCst) {
        return Outcome::Failed("the handler's draw failed".into());
    }
    let mut handler = [0u8; 16];
    for (half, slot) in handler.chunks_exact_mut(8).zip(&HANDLER_VALUE) {
        half.copy_from_slice(&slot.load(Ordering::SeqCst).to_ne_bytes());
    }
    if let Some(failure) = repeated(&[outer, handler, draw()]) {
        return Outcome::Failed(failure);
    }
    if handler_time > BOUND {
        return Outcome::Failed(format!(
            "the handler took {handler_time:?} (bound {BOUND:?})"
        ));
    }
    Outcome::Passed(format!(
        "the handler drew on the stalled thread and returned in {:.2} ms, inside the {STALL:?} \
         stall; the interrupted draw then finished; 3 values, none repeated",
        handler_time.as_secs_f64() * 1e3
    ))
}

/// Threads and draws of [`mapping_fails`].
const FAILING_THREADS: usize = 20;
const FAILING_DRAWS: usize = 100;

/// Every mapping of states fails with `ENOMEM`: the draws go to the system
/// call, and only the first thread to want a state asks for a mapping.
fn mapping_fails() -> Outcome {
    let start = Instant::now();
    let threads: Vec<_> = (0..FAILING_THREADS)
        .map(|_| {
            thread::spawn(|| {
                let first = draw();
                let mut last = first;
                for _ in 1..FAILING_DRAWS {
                    last = draw();
                }
                [first, last]
            })
        })
        .collect();
    let mut values = Vec::new();
    for worker in threads {
        values.extend(worker.join().expect("a drawing thread"));
    }
    let elapsed = start.elapsed();
    if secrets_kit::backend() != secrets_kit::Backend::VdsoGetrandom {
        return no_stall("the state mapping");
    }
    let asked = shim_counter(c"secrets_shim_droppable_mmaps").load(Ordering::SeqCst);
    let draws = FAILING_THREADS * FAILING_DRAWS;
    if asked != 1 {
        return Outcome::Failed(format!(
            "{asked} mappings asked for by {draws} draws on {FAILING_THREADS} threads: \
             the failure is not decided once"
        ));
    }
    let mapped = secrets_kit::__private::vdso_states_mapped();
    if mapped != 0 {
        return Outcome::Failed(format!(
            "{mapped} states mapped, though every mapping failed"
        ));
    }
    if let Some(failure) = repeated(&values) {
        return Outcome::Failed(failure);
    }
    Outcome::Passed(format!(
        "{draws} draws on {FAILING_THREADS} threads took {:.1} ms through the system call; \
         1 mapping asked for in all; {} values compared, none repeated",
        elapsed.as_secs_f64() * 1e3,
        values.len()
    ))
}
