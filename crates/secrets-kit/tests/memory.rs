//! No abort on memory: every allocation whose size comes from input is
//! fallible, so exhausted memory is an [`ErrorKind::TooLarge`] error that
//! states the size, never `memory allocation of N bytes failed` and
//! SIGABRT (exit 134).
//!
//! Each path runs in a child process under `ulimit -v` (the address-space
//! limit, `RLIMIT_AS`): this test binary itself, re-run with only the
//! ignored test [`probe`] and the path's name in `SECRETS_MEMORY_PROBE`.
//! The child prints one `RESULT:` line and exits 0 (the call succeeded) or
//! 2 (it returned an error); the parent checks which, and that no signal
//! ended it. `MALLOC_ARENA_MAX=1` keeps glibc from reserving a 64 MiB arena
//! per thread, which would count against the limit.
//!
//! The sizes asked for are above the limit but far below the machine's
//! memory, so without the limit each call would succeed: the error comes
//! from the failed allocation, not from a size check.
#![cfg(target_os = "linux")]

use std::os::unix::process::ExitStatusExt as _;
use std::process::Command;

use secrets_kit::{Error, ErrorKind, SystemRandom, batch, fallible, sequences};

const PROBE_ENV: &str = "SECRETS_MEMORY_PROBE";

/// The address-space limit of most paths: 256 MiB, about 100 MiB above
/// what this test binary maps before it allocates anything.
const LIMIT_KIB: u64 = 256 * 1024;

const MIB: usize = 1 << 20;

/// One input-sized path: runs it, returning a short summary of the result.
fn run_path(name: &str) -> Result<String, Error> {
    let rng = SystemRandom::new();
    match name {
        "token_bytes" => fallible::try_token_bytes(400 * MIB).map(|t| t.len().to_string()),
        "token_hex" => fallible::try_token_hex(150 * MIB).map(|t| t.len().to_string()),
        "token_urlsafe" => fallible::try_token_urlsafe(250 * MIB).map(|t| t.len().to_string()),
        "token_batch" => {
            let mut batch = batch::TokenBatch::new(150 * MIB, batch::TokenEncoding::Hex)?;
            batch.for_each(1, |_| Ok::<(), Error>(()))?;
            Ok("made".to_owned())
        }
        "randbytes" => rng.try_randbytes(400 * MIB).map(|b| b.len().to_string()),
        // The case: sample(range(2**62), 60_000_000).
        "sample_set" => rng
            .sample_counts(&[()], &[1 << 62], 60_000_000)
            .map(|s| s.len().to_string()),
        // Python's pool method: a population not much larger than k.
        "sample_pool" => rng
            .sample_counts(&[()], &[25_000_000], 20_000_000)
            .map(|s| s.len().to_string()),
        "choices" => rng
            .choices(&[1u8, 2, 3], sequences::Weights::Equal, 100_000_000)
            .map(|c| c.len().to_string()),
        "choices_weights" => {
            // 20M weights (160 MB) fit; their running sums do not.
            let population = vec![0u8; 20_000_000];
            let weights = vec![1.0f64; 20_000_000];
            rng.choices(&population, sequences::Weights::Relative(&weights), 1)
                .map(|c| c.len().to_string())
        }
        "shuffle" => {
            // 2.5M items of 64 bytes (160 MB) shuffled in place: no copy,
            // so it fits (a copy would not). Large items keep the number
            // of draws, and so the run time, small.
            let mut items: Vec<[u64; 8]> = (0..2_500_000u64).map(|i| [i; 8]).collect();
            rng.try_shuffle(&mut items)?;
            let moved = items
                .iter()
                .enumerate()
                .filter(|(i, item)| item[0] != *i as u64);
            Ok(format!("{} items, {} moved", items.len(), moved.count()))
        }
        "draw_buffer" => secrets_kit::buffer::DrawBuffer::with_capacity(400 * MIB)
            .map(|b| b.capacity().to_string()),
        "bulk_write" => {
            // 1 GiB through a few MiB of buffers.
            secrets_kit_tokens::bulk::write_to(&mut std::io::sink(), 1 << 30)
                .map_err(|err| Error::new(ErrorKind::Io, err.to_string()))?;
            Ok("1 GiB".to_owned())
        }
        "bulk_stream" => {
            let mut stream = secrets_kit_tokens::bulk::BulkStream::new();
            let mut piece = vec![0u8; 100_000];
            for _ in 0..100 {
                stream.fill(&mut piece)?;
            }
            Ok("10 MB".to_owned())
        }
        "passphrase" => {
            secrets_kit_gen::wordlist::passphrase(100_000_000).map(|p| p.len().to_string())
        }
        "wordlist" => {
            // 2.5 million distinct words, 16 MB (the file cap): the list and
            // its check need several times that.
            let text: String = (0..2_500_000u32).map(|i| format!("{i:x}\n")).collect();
            let list = secrets_kit_gen::wordlist::WordList::from_text("big", text.as_bytes())?;
            drop(text);
            let report = list.lint(" ")?;
            Ok(report.distinct.to_string())
        }
        "token_base32" => {
            secrets_kit_tokens::formats::token_base32(400 * MIB).map(|t| t.len().to_string())
        }
        "token_alphabet_unicode" => secrets_kit_tokens::formats::token_alphabet("αβγδ", 150 * MIB)
            .map(|t| t.len().to_string()),
        "pin" => secrets_kit_tokens::formats::pin(400 * MIB).map(|t| t.len().to_string()),
        // What every path above must not do: an infallible allocation.
        "infallible" => Ok(vec![1u8; 400 * MIB].len().to_string()),
        other => panic!("no memory probe named {other}"),
    }
}

/// The child side: runs the path named in `SECRETS_MEMORY_PROBE` and exits
/// with its outcome.
#[test]
#[ignore = "the child-process side of this file's tests, which run it under \
            `ulimit -v` with SECRETS_MEMORY_PROBE naming the path"]
fn probe() {
    let name = std::env::var(PROBE_ENV)
        .expect("run by this file's other tests, with SECRETS_MEMORY_PROBE set");
    match run_path(&name) {
        Ok(summary) => {
            println!("RESULT: ok {summary}");
            std::process::exit(0);
        }
        Err(err) => {
            println!("RESULT: error {:?}: {err}", err.kind());
            std::process::exit(2);
        }
    }
}

/// How a probe ended.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    signal: Option<i32>,
    result: String,
    stderr: String,
}

/// Runs the path `name` in a child under an address-space limit of
/// `limit_kib` KiB.
fn run_limited(name: &str, limit_kib: u64) -> Outcome {
    let exe = std::env::current_exe().unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v \"$1\" || exit 99; shift; exec \"$@\"")
        .arg("sh")
        .arg(limit_kib.to_string())
        .arg(exe)
        .args([
            "probe",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE_ENV, name)
        .env("MALLOC_ARENA_MAX", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    Outcome {
        code: output.status.code(),
        signal: output.status.signal(),
        result: stdout
            .lines()
            .find_map(|line| Some(&line[line.find("RESULT: ")? + 8..]))
            .unwrap_or("")
            .to_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `name` under [`LIMIT_KIB`] returns a `TooLarge` error that says how
/// many bytes it could not have.
fn assert_clean_error(name: &str, bytes: usize) {
    let outcome = run_limited(name, LIMIT_KIB);
    assert_eq!(outcome.signal, None, "{name} was killed: {outcome:?}");
    assert_eq!(outcome.code, Some(2), "{name}: {outcome:?}");
    assert!(
        outcome.result.starts_with("error TooLarge: "),
        "{name}: {outcome:?}"
    );
    // 0: the size depends on which allocation fails; any size is stated.
    let size = if bytes == 0 {
        " bytes".to_owned()
    } else {
        bytes.to_string()
    };
    assert!(
        outcome.result.contains(&size),
        "{name}: the message should state the size {bytes}: {outcome:?}"
    );
    eprintln!(
        "ulimit matrix: {name} | {LIMIT_KIB} KiB | exit 2 | {}",
        outcome.result
    );
}

/// `name` under `limit_kib` succeeds.
fn assert_fits(name: &str, limit_kib: u64) {
    let outcome = run_limited(name, limit_kib);
    assert_eq!(outcome.signal, None, "{name} was killed: {outcome:?}");
    assert_eq!(outcome.code, Some(0), "{name}: {outcome:?}");
    eprintln!(
        "ulimit matrix: {name} | {limit_kib} KiB | exit 0 | {}",
        outcome.result
    );
}

/// The control: with room (2 GiB), the same 400 MiB token is made, so the
/// errors below come from the limit, not from a size check.
#[test]
fn with_room_the_same_request_succeeds() {
    assert_fits("token_bytes", 2 * 1024 * 1024);
}

/// The harness sees an abort for what it is: the infallible allocation
/// ends with SIGABRT, which every other test here rules out.
#[test]
fn an_infallible_allocation_aborts_and_is_caught() {
    let outcome = run_limited("infallible", LIMIT_KIB);
    assert_eq!(outcome.signal, Some(6), "{outcome:?}");
    assert!(
        outcome.stderr.contains("memory allocation of"),
        "{outcome:?}"
    );
}

#[test]
fn tokens_randbytes_and_batches() {
    assert_clean_error("token_bytes", 400 * MIB);
    assert_clean_error("token_hex", 300 * MIB);
    assert_clean_error(
        "token_urlsafe",
        250 * MIB / 3 * 4 + [0, 2, 3][250 * MIB % 3],
    );
    assert_clean_error("token_batch", 300 * MIB);
    assert_clean_error("randbytes", 400 * MIB);
    assert_clean_error("draw_buffer", 400 * MIB + 24);
}

#[test]
fn sample_and_choices() {
    assert_clean_error("sample_set", 60_000_000 * 8);
    assert_clean_error("sample_pool", 25_000_000 * 8);
    assert_clean_error("choices", 100_000_000 * 8);
    assert_clean_error("choices_weights", 20_000_000 * 8);
}

#[test]
fn shuffle_works_in_place() {
    // 160 MB of items under a 256 MiB limit: a copy would not fit.
    assert_fits("shuffle", LIMIT_KIB);
}

#[test]
fn bulk_output_needs_only_a_few_mebibytes() {
    assert_fits("bulk_write", LIMIT_KIB);
    assert_fits("bulk_stream", LIMIT_KIB);
}

#[test]
fn passphrase_of_huge_word_count() {
    let outcome = run_limited("passphrase", LIMIT_KIB);
    assert_eq!(outcome.signal, None, "{outcome:?}");
    assert_eq!(outcome.code, Some(2), "{outcome:?}");
    // Passphrases are bounded by the library's word limit (64), so a huge
    // count is refused before anything is allocated: a clean error either way.
    assert!(
        outcome.result.starts_with("error TooLarge: ")
            || outcome.result.starts_with("error InvalidValue: "),
        "{outcome:?}"
    );
    eprintln!(
        "ulimit matrix: passphrase | {LIMIT_KIB} KiB | exit 2 | {}",
        outcome.result
    );
}

/// 2.5 million words (16 MB, the file cap): loading and linting them
/// needs several times that; every allocation there is fallible.
#[test]
fn word_list_of_millions_of_words() {
    assert_clean_error("wordlist", 0);
}

#[test]
fn token_formats() {
    assert_clean_error("token_base32", 400 * MIB);
    assert_clean_error("token_alphabet_unicode", 300 * MIB);
    assert_clean_error("pin", 400 * MIB);
}
