//! The command's bad-input matrix (TESTING.md; the command issue's list):
//! every mistake must end with exit code 2 (compare-digest's "different"
//! is the only exit 1), exactly one `error: ...` line on standard error,
//! nothing at all on standard output (no partial token), and no panic
//! message or backtrace, even with `RUST_BACKTRACE=1`.
//!
//! All cases run before the test fails, so one run lists every broken
//! case; `cargo test -p secrets-kit-cli --test bad_input -- --nocapture`
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

/// The arguments of a case: words at spaces, except that '...' is one
/// argument as it stands between the quotes.
fn split_case(case: &str) -> Vec<String> {
    let mut args = Vec::new();
    // Between the quotes are the odd pieces.
    for (i, piece) in case.split('\'').enumerate() {
        if i % 2 == 1 {
            args.push(piece.to_owned());
        } else {
            args.extend(piece.split_whitespace().map(str::to_owned));
        }
    }
    args
}

#[test]
fn every_bad_input_exits_2_with_one_error_line_and_no_output() {
    let bad_list = not_utf8_word_list();
    let one_word = one_word_list();
    let bad_list = bad_list.to_str().unwrap();
    let one_word = one_word.to_str().unwrap();

    // One case a line, split at spaces; '...' is one argument (perhaps with
    // spaces, perhaps empty), NOT-UTF8.txt and ONE-WORD.txt are the
    // temporary word lists above.
    let cases = [
        // Anywhere.
        "--no-such-option",
        "no-such-command",
        "token-hex --no-such-option",
        // Integers.
        "randbelow 0",
        "randbelow -5",
        "randbelow abc",
        "randbelow ''",
        "randbelow 1.5",
        "randbelow",
        "randbits -1",
        "randbits x",
        "randbits 99999999999999999999",
        // Token sizes: too large for the number type, and too large to
        // allocate.
        "token-hex 99999999999999999999",
        "token-hex -1",
        "token-urlsafe abc",
        "token-bytes 18446744073709551615 --force",
        "token-hex 4000000000000",
        "token-hex --count -3",
        "token-hex --count x",
        // Choice.
        "choice",
        "choice --file this/file/does/not/exist",
        // Passwords.
        "password --length 0",
        "password --length -4",
        "password --length 4 --min-digits 5",
        "password --classes digits --min-symbols 1",
        "password --alphabet a",
        "password --alphabet abca",
        "password --classes nonsense",
        "password --length 99999999999999999999",
        "password --at-least-classes 0",
        "password --at-least-classes 5",
        "password --at-least-classes 3 --classes lower,digits",
        "password --at-least-classes 3 --length 2",
        "password --style nonsense",
        "password --style pin --length 0",
        "password --style pronounceable --length 1",
        "password --style apple --length 33",
        "password --style apple --classes lower",
        "password --style pin --bits 99999",
        "password --site example.com",
        "password --site example.com --quirks this/file/does/not/exist.json",
        "password --site example.com --quirks NOT-UTF8.txt",
        "password --quirks rules.json",
        "password --site example.com --rules 'minlength: 8'",
        // Strength estimates (standard input is empty here).
        "estimate",
        "estimate hunter2",
        "estimate --entropy lots",
        // Passphrases and word lists.
        "passphrase --words 0",
        "passphrase --wordlist this/file/does/not/exist.txt",
        "passphrase --wordlist NOT-UTF8.txt",
        "passphrase --wordlist ONE-WORD.txt",
        "passphrase --rules 'allowed: digit'",
        "passphrase --rules 'maxlength: 1'",
        "passphrase --rules 'required: [A]; allowed: lower'",
        "passphrase --rules 'required: uper'",
        "passphrase --capitalize sometimes",
        "passphrase --max-length 1",
        "passphrase --digit --words 0",
        "passphrase --digit --words 65",
        "passphrase --digit --bits 5000",
        // URLs, bulk bytes, completions.
        "url",
        "bytes",
        "bytes abc",
        "bytes -1",
        "bytes 1X",
        "bytes 1.5G",
        "bytes 99999999999999999999",
        "bytes 20000000000TB",
        "completions no-such-shell",
        // compare-digest: a mistake is 2, not 1.
        "compare-digest only-one",
        "compare-digest --file-a this/file/does/not/exist x",
        "compare-digest --env-a SECRETS_TEST_UNSET_VARIABLE x",
        // API keys: a mistake is 2, an invalid key 1.
        "api-key",
        "api-key --prefix Acme_",
        "api-key --prefix acme",
        "api-key --prefix a_",
        "api-key --prefix abcdefghijk_",
        "api-key --prefix acme_ --regex --count 0",
        "verify-token",
        "verify-token --env SECRETS_TEST_UNSET_VARIABLE",
        "verify-token --file this/file/does/not/exist",
        "verify-token --file /dev/zero",
        "verify-token x --prefix BAD",
        // TOTP enrolment.
        "totp --account alice",
        "totp --issuer Example",
        "totp --issuer Ex:ample --account alice",
        "totp --issuer '' --account alice",
        "totp --issuer E --account a --digits 7",
        "totp --issuer E --account a --period 0",
        "totp --issuer E --account a --algorithm MD5",
        "totp --issuer E --account a --qr --json",
        "totp --issuer E --account a --qr-png x.png --count 2",
        "totp --issuer E --account a --qr-png no/such/dir/x.png",
        // --explain's collision count.
        "token-hex --among 0",
        "token-hex --among x",
        "pin --explain --among -1",
        // Framework keys.
        "key",
        "key --format nope",
    ];
    let mut problems = Vec::new();
    println!("\n| command | exit | standard error |\n| --- | --- | --- |");
    for case in cases {
        let words = split_case(case);
        let args: Vec<&str> = words
            .iter()
            .map(|word| match word.as_str() {
                "NOT-UTF8.txt" => bad_list,
                "ONE-WORD.txt" => one_word,
                word => word,
            })
            .collect();
        let output = run(&args);
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

/// Every file the command reads is refused past its 16 MiB cap while it is
/// being read: `/dev/zero` (endless) ends with one `error:` line saying the
/// input is too large, exit 2, and no output, instead of filling memory.
#[test]
#[cfg(unix)]
fn endless_input_files_are_refused_at_the_cap() {
    let cases: [&[&str]; 5] = [
        &["choice", "--file", "/dev/zero"],
        &["compare-digest", "--file-a", "/dev/zero", "b"],
        &["compare-digest", "--file-b", "/dev/zero", "a"],
        &["passphrase", "--wordlist", "/dev/zero"],
        &["wordlist-check", "/dev/zero"],
    ];
    for args in cases {
        let output = run(args);
        assert_eq!(problem(&output), None, "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("larger than 16 MiB"),
            "{args:?}: {stderr:?}"
        );
    }
    // Standard input ('-') has the same cap.
    for args in [
        &["choice", "--file", "-"][..],
        &["compare-digest", "--file-a", "-", "b"][..],
    ] {
        let output = Command::cargo_bin("secrets")
            .expect("the secrets binary is built")
            .args(args)
            .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero opens"))
            .output()
            .expect("the secrets binary runs");
        assert_eq!(problem(&output), None, "{args:?} < /dev/zero");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("standard input is larger than 16 MiB"),
            "{args:?}: {stderr:?}"
        );
    }
}

/// A file just at the cap is read; one byte more is refused.
#[test]
fn the_cap_is_exact() {
    let dir = std::env::temp_dir().join(format!("secrets-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let at_cap = dir.join("at-cap");
    let mut items = b"x\n".repeat(8 << 20);
    std::fs::write(&at_cap, &items).expect("write");
    let output = run(&["choice", "--file", at_cap.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    items.push(b'y');
    let past_cap = dir.join("past-cap");
    std::fs::write(&past_cap, &items).expect("write");
    let output = run(&["choice", "--file", past_cap.to_str().unwrap()]);
    assert_eq!(problem(&output), None);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file that cannot be read is one `error:` line that names the file and
/// says why once (the library's message names the file, its source gives
/// the reason; nothing repeats it), exit 2. The reason is the operating
/// system's text, taken from `std::io` for the same path.
#[test]
fn unreadable_files_say_their_cause_once() {
    let missing = std::fs::File::open("nonsuch-list").expect_err("no such file here");
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["passphrase", "--wordlist", "nonsuch-list"],
            format!(
                "error: no embedded word list is named \"nonsuch-list\" (they are eff-long, \
                 eff-short-1, eff-short-2, reinhold, beale, minilock), and it cannot be read as a \
                 file: {missing}\n"
            ),
        ),
        (
            vec!["wordlist-check", "no/such/words.txt"],
            format!(
                "error: cannot read the word list 'no/such/words.txt': {}\n",
                std::fs::File::open("no/such/words.txt").unwrap_err()
            ),
        ),
        (
            vec!["choice", "--file", "no/such/items"],
            format!(
                "error: cannot read the items file 'no/such/items': {}\n",
                std::fs::File::open("no/such/items").unwrap_err()
            ),
        ),
        (
            vec![
                "password",
                "--site",
                "example.com",
                "--quirks",
                "no/such/rules.json",
            ],
            format!(
                "error: cannot read the password rules file 'no/such/rules.json': {}\n",
                std::fs::File::open("no/such/rules.json").unwrap_err()
            ),
        ),
    ];
    for (args, expected) in cases {
        let output = run(&args);
        assert_eq!(problem(&output), None, "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            expected,
            "{args:?}"
        );
    }
}

/// A directory given as the word list: one line, its reason once.
#[test]
#[cfg(unix)]
fn a_directory_as_the_word_list_says_why_once() {
    let dir = std::env::temp_dir();
    let shown = dir.display().to_string();
    let output = run(&["passphrase", "--wordlist", &shown]);
    assert_eq!(problem(&output), None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let prefix = format!("error: cannot read the word list '{shown}': ");
    let reason = stderr
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{stderr:?}"))
        .trim_end();
    // Reading a directory fails (EISDIR); that text, once.
    let io = std::fs::read(&dir).expect_err("a directory does not read as a file");
    assert_eq!(reason, io.to_string(), "{stderr:?}");
    assert_eq!(stderr.matches(reason).count(), 1, "{stderr:?}");
}
