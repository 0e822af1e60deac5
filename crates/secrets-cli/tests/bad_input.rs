//! The command's bad-input matrix (TESTING.md; the command issue's list):
//! every mistake must end with exit code 2 (compare-digest's "different"
//! is the only exit 1), exactly one `error: ...` line on standard error,
//! nothing at all on standard output (no partial token), and no panic
//! message or backtrace, even with `RUST_BACKTRACE=1`.
//!
//! All cases run before the test fails, so one run lists every broken
//! case; `cargo test -p secrets-cli --test bad_input -- --nocapture`
//! prints the matrix as the Markdown table in TESTING.md.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::CommandCargoExt;

/// A file that exists but cannot be read as a word list.
fn not_utf8_word_list() -> PathBuf {
    let path = std::env::temp_dir().join(format!("secrets-bad-input-{}.txt", std::process::id()));
    std::fs::write(&path, b"alpha\nbeta\n\xff\xfe\n").expect("write a temporary file");
    path
}

fn one_word_list() -> PathBuf {
    let path = std::env::temp_dir().join(format!("secrets-one-word-{}.txt", std::process::id()));
    std::fs::write(&path, b"same\nsame\n\n").expect("write a temporary file");
    path
}

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("secrets")
        .expect("the secrets binary is built")
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .env_remove("SECRETS_PASSWORD_RULES_FILE")
        .stdin(Stdio::null())
        .output()
        .expect("the secrets binary runs")
}

/// What is wrong with an output for a bad input, if anything.
fn problem(output: &Output) -> Option<String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    if output.status.code() != Some(2) {
        return Some(format!(
            "exit status {:?}, expected 2",
            output.status.code()
        ));
    }
    if !output.stdout.is_empty() {
        return Some(format!(
            "wrote {} bytes to standard output",
            output.stdout.len()
        ));
    }
    if lines.len() != 1 || !lines[0].starts_with("error: ") {
        return Some(format!(
            "standard error is not one `error:` line: {stderr:?}"
        ));
    }
    if stderr.contains("panicked")
        || stderr.contains("backtrace")
        || stderr.contains("RUST_BACKTRACE")
    {
        return Some(format!("a panic or backtrace: {stderr:?}"));
    }
    None
}

#[test]
fn every_bad_input_exits_2_with_one_error_line_and_no_output() {
    let bad_list = not_utf8_word_list();
    let one_word = one_word_list();
    let bad_list = bad_list.to_str().unwrap();
    let one_word = one_word.to_str().unwrap();

    let cases: Vec<Vec<&str>> = vec![
        // Anywhere.
        vec!["--no-such-option"],
        vec!["no-such-command"],
        vec!["token-hex", "--no-such-option"],
        // Integers.
        vec!["randbelow", "0"],
        vec!["randbelow", "-5"],
        vec!["randbelow", "abc"],
        vec!["randbelow", ""],
        vec!["randbelow", "1.5"],
        vec!["randbelow"],
        vec!["randbits", "-1"],
        vec!["randbits", "x"],
        vec!["randbits", "99999999999999999999"],
        // Token sizes: too large for the number type, and too large to
        // allocate.
        vec!["token-hex", "99999999999999999999"],
        vec!["token-hex", "-1"],
        vec!["token-urlsafe", "abc"],
        vec!["token-bytes", "18446744073709551615", "--force"],
        vec!["token-hex", "4000000000000"],
        vec!["token-hex", "--count", "-3"],
        vec!["token-hex", "--count", "x"],
        // Choice.
        vec!["choice"],
        vec!["choice", "--file", "this/file/does/not/exist"],
        // Passwords.
        vec!["password", "--length", "0"],
        vec!["password", "--length", "-4"],
        vec!["password", "--length", "4", "--min-digits", "5"],
        vec!["password", "--classes", "digits", "--min-symbols", "1"],
        vec!["password", "--alphabet", "a"],
        vec!["password", "--alphabet", "abca"],
        vec!["password", "--classes", "nonsense"],
        vec!["password", "--length", "99999999999999999999"],
        vec!["password", "--at-least-classes", "0"],
        vec!["password", "--at-least-classes", "5"],
        vec![
            "password",
            "--at-least-classes",
            "3",
            "--classes",
            "lower,digits",
        ],
        vec!["password", "--at-least-classes", "3", "--length", "2"],
        vec!["password", "--style", "nonsense"],
        vec!["password", "--style", "pin", "--length", "0"],
        vec!["password", "--style", "pronounceable", "--length", "1"],
        vec!["password", "--style", "apple", "--length", "33"],
        vec!["password", "--style", "apple", "--classes", "lower"],
        vec!["password", "--style", "pin", "--bits", "99999"],
        vec!["password", "--site", "example.com"],
        vec![
            "password",
            "--site",
            "example.com",
            "--quirks",
            "this/file/does/not/exist.json",
        ],
        vec!["password", "--site", "example.com", "--quirks", bad_list],
        vec!["password", "--quirks", "rules.json"],
        vec![
            "password",
            "--site",
            "example.com",
            "--rules",
            "minlength: 8",
        ],
        // Strength estimates (standard input is empty here).
        vec!["estimate"],
        vec!["estimate", "hunter2"],
        vec!["estimate", "--entropy", "lots"],
        // Passphrases and word lists.
        vec!["passphrase", "--words", "0"],
        vec!["passphrase", "--wordlist", "this/file/does/not/exist.txt"],
        vec!["passphrase", "--wordlist", bad_list],
        vec!["passphrase", "--wordlist", one_word],
        vec!["passphrase", "--rules", "allowed: digit"],
        vec!["passphrase", "--rules", "maxlength: 1"],
        vec!["passphrase", "--rules", "required: [A]; allowed: lower"],
        vec!["passphrase", "--rules", "required: uper"],
        vec!["passphrase", "--capitalize", "sometimes"],
        vec!["passphrase", "--max-length", "1"],
        vec!["passphrase", "--digit", "--words", "0"],
        vec!["passphrase", "--digit", "--words", "65"],
        vec!["passphrase", "--digit", "--bits", "5000"],
        // URLs, bulk bytes, completions.
        vec!["url"],
        vec!["bytes"],
        vec!["bytes", "abc"],
        vec!["bytes", "-1"],
        vec!["bytes", "1X"],
        vec!["bytes", "1.5G"],
        vec!["bytes", "99999999999999999999"],
        vec!["bytes", "20000000000TB"],
        vec!["completions", "no-such-shell"],
        // compare-digest: a mistake is 2, not 1.
        vec!["compare-digest", "only-one"],
        vec![
            "compare-digest",
            "--file-a",
            "this/file/does/not/exist",
            "x",
        ],
        vec![
            "compare-digest",
            "--env-a",
            "SECRETS_TEST_UNSET_VARIABLE",
            "x",
        ],
        // API keys: a mistake is 2, an invalid key 1.
        vec!["api-key"],
        vec!["api-key", "--prefix", "Acme_"],
        vec!["api-key", "--prefix", "acme"],
        vec!["api-key", "--prefix", "a_"],
        vec!["api-key", "--prefix", "abcdefghijk_"],
        vec!["api-key", "--prefix", "acme_", "--regex", "--count", "0"],
        vec!["verify-token"],
        vec!["verify-token", "--env", "SECRETS_TEST_UNSET_VARIABLE"],
        vec!["verify-token", "--file", "this/file/does/not/exist"],
        vec!["verify-token", "--file", "/dev/zero"],
        vec!["verify-token", "x", "--prefix", "BAD"],
        // TOTP enrolment.
        vec!["totp", "--account", "alice"],
        vec!["totp", "--issuer", "Example"],
        vec!["totp", "--issuer", "Ex:ample", "--account", "alice"],
        vec!["totp", "--issuer", "", "--account", "alice"],
        vec!["totp", "--issuer", "E", "--account", "a", "--digits", "7"],
        vec!["totp", "--issuer", "E", "--account", "a", "--period", "0"],
        vec![
            "totp",
            "--issuer",
            "E",
            "--account",
            "a",
            "--algorithm",
            "MD5",
        ],
        vec!["totp", "--issuer", "E", "--account", "a", "--qr", "--json"],
        vec![
            "totp",
            "--issuer",
            "E",
            "--account",
            "a",
            "--qr-png",
            "x.png",
            "--count",
            "2",
        ],
        vec![
            "totp",
            "--issuer",
            "E",
            "--account",
            "a",
            "--qr-png",
            "no/such/dir/x.png",
        ],
        // --explain's collision count.
        vec!["token-hex", "--among", "0"],
        vec!["token-hex", "--among", "x"],
        vec!["pin", "--explain", "--among", "-1"],
        // Framework keys.
        vec!["key"],
        vec!["key", "--format", "nope"],
    ];

    let mut problems = Vec::new();
    println!("\n| command | exit | standard error |\n| --- | --- | --- |");
    for args in &cases {
        let output = run(args);
        // Temporary paths differ from run to run: show them by role.
        let anonymise = |text: &str| {
            text.replace(bad_list, "NOT-UTF8.txt")
                .replace(one_word, "ONE-WORD.txt")
        };
        let shown = anonymise(&args.join(" "));
        let stderr = anonymise(&String::from_utf8_lossy(&output.stderr));
        println!(
            "| `secrets {shown}` | {} | {} |",
            output
                .status
                .code()
                .map_or("signal".to_owned(), |code| code.to_string()),
            stderr.trim().replace('|', "\\|").replace('\n', " ⏎ ")
        );
        if let Some(problem) = problem(&output) {
            problems.push(format!("secrets {shown}: {problem}"));
        }
    }
    let _ = std::fs::remove_file(bad_list);
    let _ = std::fs::remove_file(one_word);
    assert!(
        problems.is_empty(),
        "{} bad input(s) handled wrongly:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn a_full_disk_is_an_error_line_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux
    };
    for args in [
        &["token-hex"][..],
        &["bytes", "1M"],
        &["password"],
        &["token-bytes", "--force"],
    ] {
        let output = Command::cargo_bin("secrets")
            .unwrap()
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "secrets {args:?} > /dev/full: {stderr}"
        );
        assert_eq!(
            stderr.lines().count(),
            1,
            "secrets {args:?} > /dev/full: {stderr:?}"
        );
        assert!(stderr.starts_with("error: "), "{stderr:?}");
        assert!(!stderr.contains("panicked"), "{stderr:?}");
    }
}

#[test]
fn compare_digest_exit_1_is_only_for_different_secrets() {
    let different = run(&["compare-digest", "abc", "abd"]);
    assert_eq!(different.status.code(), Some(1));
    assert!(different.stdout.is_empty());
    let equal = run(&["compare-digest", "abc", "abc"]);
    assert_eq!(equal.status.code(), Some(0));
}

#[test]
fn a_closed_pipe_ends_bulk_output_quietly() {
    let mut child = Command::cargo_bin("secrets")
        .unwrap()
        .args(["bytes", "1G"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe, as `| head -c 10` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
