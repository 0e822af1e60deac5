//! Helpers shared by the command's integration tests.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use assert_cmd::Command;

/// The `secrets` binary this workspace builds.
pub(crate) fn secrets() -> Command {
    assert_cmd::cargo::cargo_bin_cmd!("secrets")
}

/// Runs the command and returns its standard output as text, requiring
/// success and a silent standard error.
pub(crate) fn stdout_of(args: &[&str]) -> String {
    let output = secrets().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Every failure: exit code 2, nothing on standard output, and exactly one
/// line on standard error, starting with `error: `. Returns that line.
pub(crate) fn fails(args: &[&str]) -> String {
    let output = secrets().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
    assert!(
        output.stdout.is_empty(),
        "{args:?} wrote to stdout: {output:?}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr:?}");
    assert!(stderr.ends_with('\n'), "{args:?}: {stderr:?}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr:?}");
    stderr
}
