//! No abort on memory in the command: every path whose memory grows with
//! its input, run under `ulimit -v` (the address-space limit), ends with
//! one `error:` line and exit 2 when the memory is not there, never with
//! `memory allocation of N bytes failed` and SIGABRT (exit 134); and the
//! paths that stream work within the same limit.
//!
//! Standard output goes to a file, so a gigabyte of `secrets bytes` costs
//! the test no memory; the file must stay empty on failure.
#![cfg(target_os = "linux")]

mod common;

use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 256 MiB: about five times what the command maps before it allocates.
const LIMIT_KIB: u64 = 256 * 1024;

/// How a run ended.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    signal: Option<i32>,
    stdout_bytes: u64,
    stderr: String,
}

/// Runs `secrets args...` under an address-space limit of `limit_kib`
/// KiB, standard output to a file in `dir`.
fn run_limited(dir: &Path, limit_kib: u64, args: &[&str]) -> Outcome {
    let out = dir.join("stdout");
    let output = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v \"$1\" || exit 99; out=$2; shift 2; exec \"$@\" > \"$out\"")
        .arg("sh")
        .arg(limit_kib.to_string())
        .arg(&out)
        .arg(env!("CARGO_BIN_EXE_secrets"))
        .args(args)
        .env("MALLOC_ARENA_MAX", "1")
        .output()
        .unwrap();
    Outcome {
        code: output.status.code(),
        signal: output.status.signal(),
        stdout_bytes: std::fs::metadata(&out).map_or(0, |meta| meta.len()),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// One `error:` line that states a size in bytes, exit 2, no output.
fn assert_clean_error(dir: &Path, args: &[&str]) {
    let outcome = run_limited(dir, LIMIT_KIB, args);
    assert_eq!(outcome.signal, None, "{args:?} was killed: {outcome:?}");
    assert_eq!(outcome.code, Some(2), "{args:?}: {outcome:?}");
    assert_eq!(
        outcome.stdout_bytes, 0,
        "{args:?} wrote output: {outcome:?}"
    );
    assert!(
        outcome.stderr.starts_with("error: "),
        "{args:?}: {outcome:?}"
    );
    assert_eq!(outcome.stderr.lines().count(), 1, "{args:?}: {outcome:?}");
    assert!(
        outcome.stderr.contains(" bytes"),
        "{args:?}: the error should state the size: {outcome:?}"
    );
    eprintln!(
        "ulimit matrix: secrets {} | {LIMIT_KIB} KiB | exit 2 | {}",
        args.join(" "),
        outcome.stderr.trim_end()
    );
}

/// Success within the limit, with `bytes` of output.
fn assert_fits(dir: &Path, args: &[&str], bytes: u64) {
    let outcome = run_limited(dir, LIMIT_KIB, args);
    assert_eq!(outcome.signal, None, "{args:?} was killed: {outcome:?}");
    assert_eq!(outcome.code, Some(0), "{args:?}: {outcome:?}");
    assert_eq!(outcome.stdout_bytes, bytes, "{args:?}: {outcome:?}");
    eprintln!(
        "ulimit matrix: secrets {} | {LIMIT_KIB} KiB | exit 0 | {bytes} bytes out",
        args.join(" ")
    );
}

/// A test's own directory, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        Dir(common::temp_dir(name))
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn huge_tokens_are_clean_errors() {
    let dir = Dir::new("memory-tokens");
    let max = "268435456"; // 256 MiB, the most NBYTES allowed
    assert_clean_error(&dir.0, &["token-hex", max]);
    assert_clean_error(&dir.0, &["token-urlsafe", max]);
    assert_clean_error(&dir.0, &["token-bytes", max, "--force"]);
    assert_clean_error(&dir.0, &["token-hex", "150000000", "--count", "2"]);
    assert_clean_error(&dir.0, &["token-base32", "--length", max]);
    assert_clean_error(&dir.0, &["token", "--alphabet", "αβγδ", "--length", max]);
}

/// Counting passwords under large minimums builds a table of big numbers
/// (up to its own 256 MiB budget); under a smaller limit each row's room
/// is checked before the infallible big-number arithmetic runs.
#[test]
fn a_policy_whose_count_table_does_not_fit_is_a_clean_error() {
    let dir = Dir::new("memory-password");
    assert_clean_error(
        &dir.0,
        &[
            "password",
            "--length",
            "4096",
            "--min-lower",
            "60",
            "--min-upper",
            "60",
            "--min-digits",
            "15",
            "--min-symbols",
            "0",
        ],
    );
}

#[test]
fn huge_input_files_are_clean_errors() {
    let dir = Dir::new("memory-files");
    // 8 million one-letter lines (16 MB, within the 16 MiB input cap):
    // hundreds of MB as a list of strings.
    let items = dir.0.join("items.txt");
    std::fs::write(&items, "a\n".repeat(8_000_000)).unwrap();
    assert_clean_error(&dir.0, &["choice", "--file", items.to_str().unwrap()]);
    // 2.5 million distinct words (16 MB): the list and its check need
    // several times that.
    let words = dir.0.join("words.txt");
    let text: String = (0..2_500_000u32).map(|i| format!("{i:x}\n")).collect();
    std::fs::write(&words, text).unwrap();
    let words = words.to_str().unwrap();
    assert_clean_error(&dir.0, &["wordlist-check", words]);
    assert_clean_error(&dir.0, &["passphrase", "--wordlist", words]);
}

#[test]
fn streaming_paths_fit_in_the_limit() {
    let dir = Dir::new("memory-streams");
    assert_fits(&dir.0, &["bytes", "1G"], 1 << 30);
    assert_fits(&dir.0, &["token-hex", "--count", "1000000"], 65 * 1_000_000);
    assert_fits(
        &dir.0,
        &["password", "--length", "4096", "--count", "200"],
        4097 * 200,
    );
    // The most words a phrase may have, many times over: each phrase is
    // written as it is drawn, so the count costs no memory.
    let args = ["passphrase", "--words", "64", "--count", "20000"];
    let outcome = run_limited(&dir.0, LIMIT_KIB, &args);
    assert_eq!(outcome.code, Some(0), "{outcome:?}");
    assert!(outcome.stdout_bytes > 64 * 3 * 20_000, "{outcome:?}");
    eprintln!(
        "ulimit matrix: secrets passphrase --words 64 --count 20000 | {LIMIT_KIB} KiB | exit 0 | {} bytes out",
        outcome.stdout_bytes
    );
}
