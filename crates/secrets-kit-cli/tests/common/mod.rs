//! Helpers shared by the command's integration tests.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// The `secrets` binary this workspace builds.
pub(crate) fn secrets() -> Command {
    assert_cmd::cargo::cargo_bin_cmd!("secrets")
}

/// Runs the command and returns its standard output as text, requiring
/// success and a silent standard error.
pub(crate) fn stdout_of(args: &[&str]) -> String {
    let (stdout, stderr) = succeeds(secrets().args(args));
    assert!(stderr.is_empty(), "{args:?}: {stderr:?}");
    stdout
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

/// Runs `command`, requires success, and returns its standard output and
/// standard error as text.
pub(crate) fn succeeds(command: &mut Command) -> (String, String) {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{command:?}: {output:?}");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A new directory for one test's files, named after the test and this
/// process so that parallel runs keep apart; the test removes it.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("secrets-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The chi-square statistic of `counts` against equal expected counts in
/// every cell (the total spread evenly).
pub(crate) fn chi_square(counts: &[u64]) -> f64 {
    let expected = counts.iter().sum::<u64>() as f64 / counts.len() as f64;
    counts
        .iter()
        .map(|&n| (n as f64 - expected).powi(2) / expected)
        .sum()
}

/// The upper 1e-6 quantile of chi-square with `df` degrees of freedom
/// (Wilson-Hilferty; 4.7534 is the normal distribution's 1e-6 upper tail).
pub(crate) fn chi_square_critical(df: f64) -> f64 {
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + 4.7534 * a.sqrt()).powi(3)
}
