//! BoringSSL's `urandom_test` idea, adapted: the exact system calls of a
//! draw, traced (with `strace -f`), for each moment that matters:
//!
//! | phase | vDSO path | system call forced |
//! | --- | --- | --- |
//! | the process's first draw | one `mmap` of a `MAP_DROPPABLE` page, one 32-byte `getrandom` (the new state's key) | no such `mmap`; one `getrandom` of the draw's size |
//! | 600 more draws (16, 48 and 1000 bytes) | no `getrandom` of a draw's size; at most one 32-byte one (the kernel reseeded meanwhile) | exactly one `getrandom` per draw, of its size |
//! | the first draw of a forked child | one 32-byte `getrandom` (the wiped state re-keys), no `mmap` | one `getrandom` of the draw's size |
//! | 100 more draws in the child | as the parent's steady state | as the parent's |
//! | a new thread's first draw | no `mmap` (a free state of the page), one 32-byte `getrandom` | one `getrandom` of the draw's size |
//!
//! `traced_phases` is the traced program: it makes those draws, each phase
//! between two marker system calls (`write(-1, "secrets-trace:...")`, which
//! fail harmlessly). Run alone, it checks that its draws are distinct.
//! The two tests that trace it are ignored by default, as they need
//! `strace` (and the first a kernel with the vDSO `getrandom`);
//! `scripts/ci-fork.sh` installs `strace` and runs them:
//! `cargo test -p secrets-kit --test syscalls -- --ignored`.
//!
//! The marker writes, `fork` and the pipe-free child need `unsafe`; each use
//! says why it is sound.
#![allow(unsafe_code)]

use std::collections::{BTreeMap, HashSet};
use std::process::Command;

/// The marker text before each phase's name.
const MARK: &str = "secrets-trace:";

/// Draw sizes of the steady phases: never 32, the size of a state's key.
const STEADY_SIZES: [usize; 3] = [16, 48, 1000];
const PARENT_STEADY: usize = 600;
const CHILD_STEADY: usize = 100;
const FIRST_SIZE: usize = 16;

/// Marks the start of `phase` in the trace.
fn mark(phase: &str) {
    let text = format!("{MARK}{phase}");
    // SAFETY: writing a live buffer to the invalid descriptor -1 only fails
    // with EBADF; it exists to appear in the trace.
    unsafe { libc::write(-1, text.as_ptr().cast(), text.len()) };
}

fn draw(len: usize, seen: &mut HashSet<Vec<u8>>) {
    let mut buf = vec![0u8; len];
    secrets_kit::fill_bytes(&mut buf);
    assert!(
        seen.insert(buf),
        "a {len}-byte draw repeated (chance: 2^-128)"
    );
}

fn steady(count: usize, seen: &mut HashSet<Vec<u8>>) {
    for index in 0..count {
        draw(STEADY_SIZES[index % STEADY_SIZES.len()], seen);
    }
}

/// The traced program (see the module doc). Also a plain test: the draws
/// of every phase are distinct.
#[test]
fn traced_phases() {
    // Allocated before the first phase, so that no phase allocates room
    // for its values.
    let mut seen = HashSet::with_capacity(2 * (PARENT_STEADY + CHILD_STEADY));
    mark("first");
    draw(FIRST_SIZE, &mut seen);
    mark("steady");
    steady(PARENT_STEADY, &mut seen);
    mark("after");
    // SAFETY: the child only draws (its thread has its state: no
    // allocation beyond the test's own vectors, and glibc's malloc works in
    // a forked child), writes markers and ends with `_exit`.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        mark("child-first");
        draw(FIRST_SIZE, &mut seen);
        mark("child-steady");
        steady(CHILD_STEADY, &mut seen);
        mark("child-after");
        // SAFETY: ends the child without running the harness's exit hooks.
        unsafe { libc::_exit(0) };
    }
    let mut status = 0;
    // SAFETY: waits for our own child; `status` is writable.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    let mut thread_seen = HashSet::new();
    std::thread::spawn(move || {
        mark("thread-first");
        draw(FIRST_SIZE, &mut thread_seen);
        mark("thread-after");
        thread_seen
    })
    .join()
    .expect("the thread")
    .into_iter()
    .for_each(|value| assert!(seen.insert(value)));
}

/// What one phase did, as the trace shows it.
#[derive(Debug, Default)]
struct Phase {
    /// Sizes of the `getrandom` system calls, in order.
    getrandom: Vec<usize>,
    /// Lengths of the `mmap` calls of `MAP_DROPPABLE` pages.
    droppable_mmaps: Vec<usize>,
}

/// Runs `traced_phases` under `strace -f` and groups its calls by phase.
/// `force_syscall` sets `SECRETS_FORCE_SYSCALL=1` in the traced process.
fn trace(force_syscall: bool) -> BTreeMap<String, Phase> {
    let dir = format!(
        "{}/syscalls-trace-{}-{}",
        env!("CARGO_TARGET_TMPDIR"),
        std::process::id(),
        force_syscall
    );
    std::fs::create_dir_all(&dir).expect("a directory for the trace");
    let prefix = format!("{dir}/trace");
    let exe = std::env::current_exe().expect("this test binary");
    let mut command = Command::new("strace");
    // -ff: one file per thread, so no line is split by another thread's;
    // raw arguments, so sizes and flags read as numbers.
    command
        .args(["-ff", "-qq", "-e", "signal=none", "-o", &prefix])
        .args([
            "-e",
            "trace=getrandom,mmap,write",
            "-e",
            "raw=getrandom,mmap",
        ])
        .arg(exe)
        .args(["--exact", "traced_phases", "--test-threads=1", "-q"]);
    if force_syscall {
        command.env("SECRETS_FORCE_SYSCALL", "1");
    } else {
        command.env_remove("SECRETS_FORCE_SYSCALL");
    }
    let output = command
        .output()
        .expect("cannot run strace: install it (apt-get install strace; scripts/ci-fork.sh does)");
    assert!(
        output.status.success(),
        "the traced program failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let mut phases: BTreeMap<String, Phase> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("the trace files") {
        let text = std::fs::read_to_string(entry.expect("a trace file").path()).expect("a trace");
        let mut phase: Option<String> = None;
        for line in text.lines() {
            if let Some(name) = marker(line) {
                phases.entry(name.clone()).or_default();
                phase = Some(name);
                continue;
            }
            let Some(name) = &phase else { continue };
            let record = phases.entry(name.clone()).or_default();
            if let Some(args) = line.strip_prefix("getrandom(") {
                record.getrandom.push(hex_arg(args, 1));
            } else if let Some(args) = line.strip_prefix("mmap(") {
                // flags & MAP_TYPE == MAP_DROPPABLE (0x08).
                if hex_arg(args, 3) & 0x0f == 0x08 {
                    record.droppable_mmaps.push(hex_arg(args, 1));
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).expect("removing the trace");
    let path = if force_syscall {
        "system call forced"
    } else {
        "vDSO"
    };
    for (name, phase) in &phases {
        println!(
            "syscalls, {path}, {name}: getrandom sizes {:?}, MAP_DROPPABLE mmaps {:?}",
            summary(&phase.getrandom),
            phase.droppable_mmaps
        );
    }
    phases
}

/// The phase a marker line starts, if it is one.
fn marker(line: &str) -> Option<String> {
    let start = line.find(MARK)? + MARK.len();
    let rest = &line[start..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Argument `index` of a raw-printed call (`0x10, ...`), as a number.
fn hex_arg(args: &str, index: usize) -> usize {
    let arg = args.split(", ").nth(index).expect("an argument").trim();
    let arg = arg.trim_end_matches(|c: char| c == ')' || c.is_whitespace());
    let digits = arg.strip_prefix("0x").unwrap_or(arg);
    usize::from_str_radix(digits, if arg.starts_with("0x") { 16 } else { 10 })
        .unwrap_or_else(|_| panic!("argument {index} of getrandom/mmap({args}"))
}

/// Sizes with their counts, e.g. `{16: 200, 48: 200}`.
fn summary(sizes: &[usize]) -> BTreeMap<usize, usize> {
    let mut counts = BTreeMap::new();
    for &size in sizes {
        *counts.entry(size).or_default() += 1;
    }
    counts
}

fn phase<'a>(phases: &'a BTreeMap<String, Phase>, name: &str) -> &'a Phase {
    phases
        .get(name)
        .unwrap_or_else(|| panic!("phase {name} is missing from the trace"))
}

/// The steady sizes of `count` draws, in order.
fn steady_sizes(count: usize) -> Vec<usize> {
    (0..count)
        .map(|i| STEADY_SIZES[i % STEADY_SIZES.len()])
        .collect()
}

/// A state's key is 32 bytes; the vDSO fetches one with the system call for
/// a new or wiped state, and after the kernel reseeds (at most once a minute,
/// so at most once in a phase).
const KEY: usize = 32;

fn assert_only_rekeys(name: &str, phase: &Phase, at_least: usize, at_most: usize) {
    let rekeys = phase.getrandom.iter().filter(|&&size| size == KEY).count();
    assert!(
        phase.getrandom.iter().all(|&size| size == KEY),
        "{name}: a draw took the getrandom system call on the vDSO path: sizes {:?}",
        summary(&phase.getrandom)
    );
    assert!(
        (at_least..=at_most).contains(&rekeys),
        "{name}: {rekeys} 32-byte re-keys, expected {at_least} to {at_most}"
    );
}

#[test]
#[ignore = "needs strace and Linux 6.11+ (vDSO getrandom); scripts/ci-fork.sh runs it: \
            cargo test -p secrets-kit --test syscalls -- --ignored"]
fn vdso_path_system_calls() {
    assert_eq!(
        secrets_kit::backend(),
        secrets_kit::Backend::VdsoGetrandom,
        "this kernel ({}) has no usable vDSO getrandom (or SECRETS_FORCE_SYSCALL is set): \
         nothing to trace; run only the forced-fallback test here",
        std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
    );
    let phases = trace(false);
    let page = usize::try_from(unsafe_page_size()).expect("a page size");

    let first = phase(&phases, "first");
    assert_eq!(first.droppable_mmaps, [page], "first: one page of states");
    assert_only_rekeys("first", first, 1, 1);

    // After the first draw: no new states, and a rekey only where a
    // state starts afresh (a child's first draw, a new thread's).
    for (name, rekeys) in [
        ("steady", 0),
        ("child-first", 1),
        ("child-steady", 0),
        ("thread-first", 1),
    ] {
        let later = phase(&phases, name);
        assert!(later.droppable_mmaps.is_empty(), "{name}: {later:?}");
        assert_only_rekeys(name, later, rekeys, 1);
    }
}

/// The page size, for the expected `mmap` length.
fn unsafe_page_size() -> libc::c_long {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) }
}

#[test]
#[ignore = "needs strace; scripts/ci-fork.sh runs it: \
            cargo test -p secrets-kit --test syscalls -- --ignored"]
fn forced_fallback_system_calls() {
    let phases = trace(true);
    for (name, phase) in &phases {
        assert!(
            phase.droppable_mmaps.is_empty(),
            "{name}: states mapped with the vDSO off"
        );
    }
    // The getrandom crate's first call also probes the system call with an
    // empty request.
    let first: Vec<usize> = phase(&phases, "first")
        .getrandom
        .iter()
        .copied()
        .filter(|&size| size != 0)
        .collect();
    assert_eq!(first, [FIRST_SIZE], "first");
    for (name, sizes) in [
        ("steady", steady_sizes(PARENT_STEADY)),
        ("child-first", vec![FIRST_SIZE]),
        ("child-steady", steady_sizes(CHILD_STEADY)),
        ("thread-first", vec![FIRST_SIZE]),
    ] {
        assert_eq!(phase(&phases, name).getrandom, sizes, "{name}");
    }
}
