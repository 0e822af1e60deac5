//! Where standard output goes wrong: closed (`>&-`), a full disk
//! (`/dev/full`), and a pipe whose reader has gone. The first two are
//! errors (one `error:` line, exit 2, nothing claimed as written); the
//! last ends quietly with exit 0, as coreutils do for `| head`.
#![cfg(unix)]

use std::process::{Command, Output, Stdio};

/// A token command, a bulk command (small and multi-block), and `--help`,
/// which writes through the same path.
const WRITERS: [&[&str]; 6] = [
    &["token-hex"],
    &["token-bytes", "--count", "3"],
    &["password"],
    &["bytes", "10"],
    &["bytes", "3M"],
    &["--help"],
];

fn secrets_bin() -> &'static str {
    env!("CARGO_BIN_EXE_secrets")
}

/// Runs `secrets args` through `sh -c script`, the binary as `$0` and the
/// arguments as `$@`.
fn through_sh(script: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(secrets_bin())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// One `error:` line mentioning `reason`, exit 2.
fn assert_one_error(args: &[&str], output: &Output, reason: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr:?}");
    assert!(
        stderr.starts_with("error: cannot write to standard output: "),
        "{args:?}: {stderr:?}"
    );
    assert!(stderr.contains(reason), "{args:?}: {stderr:?}");
}

#[test]
fn a_closed_standard_output_is_an_error() {
    for args in WRITERS {
        let output = through_sh(r#"exec "$0" "$@" >&-"#, args);
        assert_one_error(args, &output, "closed");
        assert!(output.stdout.is_empty());
    }
}

/// A command that writes nothing has nothing to report when standard
/// output is closed.
#[test]
fn a_closed_standard_output_is_no_error_for_a_command_that_prints_nothing() {
    let args = ["compare-digest", "same", "same"];
    let output = through_sh(r#"exec "$0" "$@" >&-"#, &args);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
}

/// A `/dev/null` the parent opened is a place to write, however it was
/// opened: write-only (`>/dev/null`) or read-write (`1<>/dev/null`, as
/// Python's `subprocess.DEVNULL` and `daemon(3)` do, the same as what
/// Rust's runtime puts over a closed descriptor).
#[test]
fn dev_null_is_still_a_place_to_write() {
    for args in WRITERS {
        for redirect in [">/dev/null", "1<>/dev/null"] {
            let output = through_sh(&format!(r#"exec "$0" "$@" {redirect}"#), args);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{args:?} {redirect}: {output:?}"
            );
            assert!(output.stderr.is_empty(), "{args:?} {redirect}: {output:?}");
        }
        let devnull = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
            .unwrap();
        let output = Command::new(secrets_bin())
            .args(args)
            .stdout(Stdio::from(devnull))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error() {
    for args in WRITERS.iter().copied().chain([&["--version"][..]]) {
        let output = through_sh(r#"exec "$0" "$@" >/dev/full"#, args);
        assert_one_error(args, &output, "No space left on device");
    }
}

/// The write end of a pipe whose only reader has already exited, so the
/// first write fails with `EPIPE` (no race with a reader still running).
fn pipe_without_reader() -> Stdio {
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let write_end = reader.stdin.take().unwrap();
    assert!(reader.wait().unwrap().success());
    Stdio::from(write_end)
}

#[test]
fn a_pipe_without_reader_ends_quietly() {
    for args in WRITERS {
        let output = Command::new(secrets_bin())
            .args(args)
            .stdout(pipe_without_reader())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
        assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    }
}

/// `secrets ... | head -c1` as a shell runs it: the command's own exit
/// status is 0 and it says nothing, whether `head` left before or after
/// the write.
#[test]
fn piping_into_head_ends_quietly() {
    let script = r#"exec 3>&1
{ "$0" "$@" 3>&-; echo "status $?" >&3; } | head -c1 >/dev/null"#;
    for args in [&["token-hex"][..], &["bytes", "1G"]] {
        let output = through_sh(script, args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "status 0\n",
            "{args:?}: {output:?}"
        );
        assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    }
}
