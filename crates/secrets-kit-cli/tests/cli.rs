//! The `secrets` command from the outside: every subcommand and flag of the
//! framework, tokens, integers, choice, compare-digest, url, bytes and
//! completions, their bad inputs, exit codes and the closed-pipe case.

use std::io::Read as _;
use std::process::{Command as StdCommand, Stdio};

use predicates::prelude::*;

mod common;
use common::{chi_square, fails, secrets, stdout_of, temp_dir};

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn is_urlsafe(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

// ---- framework: help, version, usage errors --------------------------------

#[test]
fn help_lists_the_subcommands() {
    let help = stdout_of(&["--help"]);
    for name in [
        "token-hex",
        "token-urlsafe",
        "token-bytes",
        "randbelow",
        "randbits",
        "choice",
        "compare-digest",
        "url",
        "bytes",
        "completions",
    ] {
        assert!(help.contains(name), "{name} missing from --help");
    }
}

#[test]
fn version_tells_the_randomness_source() {
    let version = stdout_of(&["--version"]);
    assert!(version.starts_with("secrets "), "{version}");
    assert!(
        version.contains("(randomness: vdso-getrandom)")
            || version.contains("(randomness: getrandom-syscall)"),
        "{version}"
    );
    let source = stdout_of(&["source"]);
    assert!(version.contains(source.trim()), "{version} / {source}");
}

#[test]
fn usage_mistakes_are_one_line_errors() {
    let line = fails(&["--no-such-option"]);
    assert!(line.contains("--no-such-option"), "{line}");
    fails(&[]);
    fails(&["no-such-command"]);
    fails(&["token-hex", "--no-such-option"]);
    fails(&["token-hex", "1", "2"]);
    let line = fails(&["url"]);
    assert!(line.contains("BASE"), "{line}");
}

#[test]
fn count_must_be_positive() {
    let line = fails(&["token-hex", "--count", "0"]);
    assert!(line.contains("at least 1"), "{line}");
    fails(&["token-hex", "--count", "-3"]);
    fails(&["token-hex", "--count", "many"]);
}

// ---- token-hex, token-urlsafe, token-bytes ---------------------------------

#[test]
fn token_hex_default_and_sizes() {
    let token = stdout_of(&["token-hex"]);
    assert_eq!(token.trim_end().len(), 64);
    assert!(is_hex(token.trim_end()));
    assert_eq!(stdout_of(&["token-hex", "16"]).trim_end().len(), 32);
    assert_eq!(stdout_of(&["token-hex", "0"]), "\n");
}

#[test]
fn token_hex_count_gives_distinct_lines() {
    let out = stdout_of(&["token-hex", "16", "--count", "50"]);
    let mut lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 50);
    assert!(lines.iter().all(|line| line.len() == 32 && is_hex(line)));
    lines.sort_unstable();
    lines.dedup();
    // 50 tokens of 128 bits: a repeat by chance has probability below 2^-116.
    assert_eq!(lines.len(), 50);
    assert_eq!(stdout_of(&["token-hex", "-n", "3"]).lines().count(), 3);
}

#[test]
fn token_bits_picks_the_smallest_byte_count() {
    assert_eq!(
        stdout_of(&["token-hex", "--bits", "128"]).trim_end().len(),
        32
    );
    assert_eq!(
        stdout_of(&["token-hex", "--bits", "129"]).trim_end().len(),
        34
    );
    assert_eq!(
        stdout_of(&["token-urlsafe", "--bits", "8"])
            .trim_end()
            .len(),
        2
    );
    let records = json_lines(&stdout_of(&["token-hex", "--bits", "129", "--json"]));
    assert_eq!(records[0]["entropy_bits"], 136.0);
    assert_eq!(records[0]["nbytes"], 17);
    fails(&["token-hex", "--bits", "0"]);
    fails(&["token-hex", "16", "--bits", "128"]);
}

#[test]
fn token_json_records_parse() {
    let out = stdout_of(&["token-hex", "8", "--json", "--count", "3"]);
    let records = json_lines(&out);
    assert_eq!(records.len(), 3);
    for record in records {
        let value = record["value"].as_str().unwrap();
        assert_eq!(value.len(), 16);
        assert!(is_hex(value));
        assert_eq!(record["entropy_bits"], 64.0);
    }
    let records = json_lines(&stdout_of(&["token-urlsafe", "--json"]));
    assert_eq!(records[0]["value"].as_str().unwrap().len(), 43);
    assert_eq!(records[0]["entropy_bits"], 256.0);
}

#[test]
fn null_ends_each_result_with_a_nul_byte() {
    let out = stdout_of(&["token-hex", "4", "--null", "--count", "3"]);
    let parts: Vec<&str> = out.split('\0').collect();
    assert_eq!(parts.len(), 4, "{out:?}");
    assert!(
        parts[..3].iter().all(|p| p.len() == 8 && is_hex(p)),
        "{out:?}"
    );
    assert_eq!(parts[3], "");
    assert!(!out.contains('\n'));
    assert_eq!(stdout_of(&["choice", "-0", "a b"]), "a b\0");
    fails(&["token-hex", "--null", "--json"]);
}

#[test]
fn entropy_goes_to_stderr() {
    secrets()
        .args(["token-hex", "--entropy"])
        .assert()
        .success()
        .stderr("entropy: 256 bits\n")
        .stdout(predicate::str::is_match("^[0-9a-f]{64}\n$").unwrap());
    secrets()
        .args(["token-urlsafe", "10", "--entropy", "--count", "4"])
        .assert()
        .success()
        .stderr("entropy: 80 bits\n");
}

#[test]
fn token_urlsafe_lengths_follow_python() {
    let token = stdout_of(&["token-urlsafe"]);
    assert_eq!(token.trim_end().len(), 43);
    assert!(is_urlsafe(token.trim_end()));
    for (nbytes, chars) in [(0, 0), (1, 2), (2, 3), (3, 4), (16, 22), (100, 134)] {
        let token = stdout_of(&["token-urlsafe", &nbytes.to_string()]);
        assert_eq!(token.trim_end().len(), chars, "nbytes {nbytes}");
    }
}

#[test]
fn token_bytes_writes_raw_bytes() {
    let output = secrets().arg("token-bytes").output().unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout.len(), 32);
    let output = secrets()
        .args(["token-bytes", "5", "--count", "3"])
        .output()
        .unwrap();
    assert_eq!(output.stdout.len(), 15);
    let records = json_lines(&stdout_of(&["token-bytes", "4", "--json"]));
    let value = records[0]["value"].as_str().unwrap();
    assert_eq!(value.len(), 8);
    assert!(is_hex(value));
    assert_eq!(records[0]["encoding"], "hex");
}

#[test]
fn impossible_token_sizes_fail_before_allocating() {
    for command in ["token-hex", "token-urlsafe", "token-bytes"] {
        let line = fails(&[command, "99999999999999999999"]);
        assert!(line.contains("NBYTES"), "{line}");
        fails(&[command, "-1"]);
        fails(&[command, "abc"]);
        fails(&[command, "268435457"]);
    }
}

// ---- randbelow, randbits ----------------------------------------------------

#[test]
fn randbelow_stays_below_and_reaches_every_value() {
    let out = stdout_of(&["randbelow", "10", "--count", "400"]);
    let mut seen = [false; 10];
    for line in out.lines() {
        let value: usize = line.parse().unwrap();
        seen[value] = true;
    }
    // A given value is missed by all 400 draws with probability 0.9^400,
    // so any miss at all has probability below 10 * 0.9^400 < 1e-17.
    assert!(seen.iter().all(|&s| s), "{seen:?}");
    assert_eq!(stdout_of(&["randbelow", "1"]), "0\n");
}

#[test]
fn randbelow_takes_integers_of_any_size() {
    let bound = "9".repeat(60);
    let out = stdout_of(&["randbelow", &bound, "--count", "20"]);
    for line in out.lines() {
        assert!(line.bytes().all(|b| b.is_ascii_digit()), "{line}");
        assert!(line.len() < 60 || line < bound.as_str(), "{line}");
    }
    let records = json_lines(&stdout_of(&["randbelow", "1024", "--json"]));
    assert_eq!(records[0]["entropy_bits"], 10.0);
}

#[test]
fn randbelow_rejects_bad_bounds() {
    assert!(fails(&["randbelow", "0"]).contains("at least 1"));
    assert!(fails(&["randbelow", "-5"]).contains("negative"));
    assert!(fails(&["randbelow", "abc"]).contains("decimal"));
    fails(&["randbelow", "1.5"]);
    fails(&["randbelow", ""]);
    fails(&["randbelow"]);
}

#[test]
fn randbits_gives_k_bit_numbers() {
    assert_eq!(stdout_of(&["randbits", "0"]), "0\n");
    let out = stdout_of(&["randbits", "8", "--count", "100"]);
    assert!(out.lines().all(|line| line.parse::<u16>().unwrap() < 256));
    let big = stdout_of(&["randbits", "300"]);
    assert!(big.trim_end().len() <= 91, "{big}");
    let records = json_lines(&stdout_of(&["randbits", "70", "--json"]));
    assert_eq!(records[0]["entropy_bits"], 70.0);
    fails(&["randbits", "-1"]);
    fails(&["randbits", "lots"]);
    fails(&["randbits", "99999999999999999999"]);
}

// ---- choice -----------------------------------------------------------------

#[test]
fn choice_picks_one_of_the_items() {
    let out = stdout_of(&["choice", "red", "green", "blue", "--count", "100"]);
    assert!(
        out.lines()
            .all(|line| ["red", "green", "blue"].contains(&line))
    );
    // Each item is missed by 100 draws with probability (2/3)^100 < 3e-18.
    for item in ["red", "green", "blue"] {
        assert!(out.lines().any(|line| line == item), "{item} never chosen");
    }
    assert_eq!(stdout_of(&["choice", "only"]), "only\n");
    let records = json_lines(&stdout_of(&["choice", "a", "b", "c", "d", "--json"]));
    assert_eq!(records[0]["entropy_bits"], 2.0);
}

#[test]
fn choice_reads_a_file_or_stdin() {
    let dir = temp_dir("choice");
    let path = dir.join("items.txt");
    std::fs::write(&path, "alpha\r\nbeta\n\ngamma\n").unwrap();
    let out = stdout_of(&["choice", "--file", path.to_str().unwrap(), "-n", "30"]);
    assert!(
        out.lines()
            .all(|line| ["alpha", "beta", "gamma"].contains(&line)),
        "{out}"
    );
    secrets()
        .args(["choice", "--file", "-"])
        .write_stdin("one\n")
        .assert()
        .success()
        .stdout("one\n");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    assert!(fails(&["choice", "--file", empty.to_str().unwrap()]).contains("no items"));
    let missing = dir.join("missing.txt");
    assert!(fails(&["choice", "--file", missing.to_str().unwrap()]).contains("missing.txt"));
    fails(&["choice"]);
    fails(&["choice", "a", "--file", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- compare-digest ---------------------------------------------------------

#[test]
fn compare_digest_exit_codes() {
    // Equal is 0, different 1, silently; `--` lets a secret start with '-'.
    let cases: [(&[&str], i32); 10] = [
        (&["abc", "abc"], 0),
        (&["abc", "abd"], 1),
        (&["abc", "abcd"], 1),
        (&["--", "-x", "-x"], 0),
        (&["-x", "-x"], 0),
        (&["--hide-length", "abc", "abc"], 0),
        (&["--hide-length", "abc", "abd"], 1),
        (&["--hide-length", "abc", "abcd"], 1),
        (&["--hide-length", "", ""], 0),
        // Flags may follow the secrets.
        (&["abc", "abd", "--hide-length"], 1),
    ];
    for (args, code) in cases {
        secrets()
            .arg("compare-digest")
            .args(args)
            .assert()
            .code(code)
            .stdout("")
            .stderr("");
    }
    fails(&["compare-digest", "abc"]);
    fails(&["compare-digest", "a", "b", "c"]);
}

#[test]
fn compare_digest_reads_secrets_off_the_command_line() {
    let dir = temp_dir("compare");
    let a = dir.join("a");
    std::fs::write(&a, "s3cret\n").unwrap();
    let a = a.to_str().unwrap();
    // The arguments after `compare-digest` and the exit code. Standard input
    // ('-') holds the secret; SECRETS_CLI_SAME holds it too, SECRETS_CLI_OTHER
    // another.
    let cases: [(&[&str], i32); 7] = [
        (&["--file-a", a, "s3cret"], 0),
        (&["--file-a", a, "--file-b", "-"], 0),
        (&["--file-a", a, "--env-b", "SECRETS_CLI_OTHER"], 1),
        (&["--env-a", "SECRETS_CLI_SAME", "--file-b", a], 0),
        // A positional secret, then the other side's flag: the secret is A.
        (&["s3cret", "--file-b", a], 0),
        (&["other", "--file-b", a], 1),
        (&["s3cret", "--env-b", "SECRETS_CLI_SAME"], 0),
    ];
    for (args, code) in cases {
        let mut command = secrets();
        command
            .arg("compare-digest")
            .args(args)
            .env("SECRETS_CLI_SAME", "s3cret")
            .env("SECRETS_CLI_OTHER", "other");
        if args.contains(&"-") {
            command.write_stdin("s3cret\n");
        }
        command.assert().code(code);
    }
    let line = fails(&[
        "compare-digest",
        "--env-a",
        "SECRETS_CLI_UNSET_VARIABLE",
        "x",
    ]);
    assert!(line.contains("SECRETS_CLI_UNSET_VARIABLE"), "{line}");
    let missing = dir.join("missing");
    fails(&["compare-digest", "--file-a", missing.to_str().unwrap(), "x"]);
    fails(&["compare-digest", "--file-a", "-", "--file-b", "-"]);
    // Three sides for two.
    fails(&["compare-digest", "x", "--file-b", a, "y"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- url ----------------------------------------------------------------------

#[test]
fn url_appends_a_urlsafe_token() {
    let base = "https://example.com/reset?token=";
    let link = stdout_of(&["url", base]);
    let token = link.trim_end().strip_prefix(base).unwrap();
    assert_eq!(token.len(), 43);
    assert!(is_urlsafe(token));
    let link = stdout_of(&["url", base, "16"]);
    assert_eq!(link.trim_end().len(), base.len() + 22);
    let records = json_lines(&stdout_of(&[
        "url", base, "--bits", "96", "--json", "-n", "2",
    ]));
    assert_eq!(records.len(), 2);
    for record in &records {
        let token = record["token"].as_str().unwrap();
        assert_eq!(token.len(), 16);
        assert_eq!(record["value"].as_str().unwrap(), format!("{base}{token}"));
        assert_eq!(record["entropy_bits"], 96.0);
    }
    fails(&["url", base, "99999999999999999999"]);
}

// ---- bytes ------------------------------------------------------------------

fn byte_count(args: &[&str]) -> usize {
    let output = secrets().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    output.stdout.len()
}

#[test]
fn bytes_writes_exactly_size_bytes() {
    assert_eq!(byte_count(&["bytes", "0"]), 0);
    assert_eq!(byte_count(&["bytes", "100"]), 100);
    assert_eq!(byte_count(&["bytes", "1K"]), 1024);
    assert_eq!(byte_count(&["bytes", "1KB"]), 1000);
    assert_eq!(byte_count(&["bytes", "1KiB"]), 1024);
    assert_eq!(byte_count(&["bytes", "3M"]), 3 << 20);
    assert_eq!(byte_count(&["bytes", "3MB"]), 3_000_000);
    assert_eq!(byte_count(&["bytes", "2500001"]), 2_500_001);
    assert_eq!(byte_count(&["bytes", "70M", "--no-progress"]), 70 << 20);
    assert_eq!(byte_count(&["bytes", "5", "--force"]), 5);
    assert_eq!(byte_count(&["token-bytes", "7", "--force"]), 7);
}

#[test]
fn bytes_output_looks_random() {
    let output = secrets().args(["bytes", "4M"]).output().unwrap();
    let data = output.stdout;
    assert_eq!(data.len(), 4 << 20);
    let mut counts = [0u64; 256];
    for &b in &data {
        counts[usize::from(b)] += 1;
    }
    let chi2 = chi_square(&counts);
    // Chi-square with 255 degrees of freedom: P(chi2 > 400) is about 2e-8,
    // so this fails by chance about once in 50 million runs.
    assert!(chi2 < 400.0, "chi-square {chi2}");
}

#[test]
fn bytes_rejects_bad_sizes() {
    for bad in [
        "",
        "abc",
        "1.5G",
        "-1",
        "1X",
        "99999999999999999999",
        "20000000T",
    ] {
        fails(&["bytes", bad]);
    }
    fails(&["bytes"]);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    for args in [
        &["bytes", "1M"][..],
        &["bytes", "10"],
        &["token-hex"],
        &["token-bytes", "--count", "4"],
        &["randbelow", "100"],
    ] {
        let output = StdCommand::new(env!("CARGO_BIN_EXE_secrets"))
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

/// Reads `keep` bytes of the command's output, closes the pipe and expects
/// a quiet success, as `head -c` users expect of coreutils.
fn closed_pipe_is_quiet_success(args: &[&str], keep: usize) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_secrets"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = vec![0u8; keep];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    closed_pipe_is_quiet_success(&["bytes", "1G"], 10);
    closed_pipe_is_quiet_success(&["token-hex", "--count", "100000000"], 10);
    closed_pipe_is_quiet_success(&["token-bytes", "--count", "100000000"], 10);
}

// ---- completions --------------------------------------------------------------

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains("token-hex"), "{shell}");
    }
    fails(&["completions", "tcsh"]);
    fails(&["completions"]);
}
