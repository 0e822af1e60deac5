//! The `secrets` command: tokens, integers, passwords, passphrases, reset
//! URLs and bulk random bytes from the shell.
//!
//! Every failure ends here as exactly one `error: ...` line on standard
//! error and exit code 2, and so is every failed write to standard output
//! (closed with `>&-`, a full disk) but one: a pipe whose reader has gone
//! is not a failure. Like coreutils, `secrets bytes 1G | head -c 10` ends
//! quietly with 0.
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod exit;
mod input;
mod output;
mod size;

use std::io::{self, Write as _};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::error::ErrorKind as ClapErrorKind;

use crate::exit::Exit;

fn main() -> ExitCode {
    install_panic_report();
    // A panic is a bug, but even then the user gets one `error:` line and
    // exit code 2, not a backtrace. Everything below is unwind-safe: nothing
    // is used again after a panic.
    ExitCode::from(std::panic::catch_unwind(run_cli).unwrap_or(Exit::Failure))
}

fn run_cli() -> Exit {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(err) => return report_clap_error(&err),
    };
    match cli.command.run() {
        Ok(code) => code,
        Err(err) => finish_with(err),
    }
}

/// How a failed command ends: quietly with success when standard output's
/// reader has gone (`EPIPE`), else with one `error:` line and exit 2. Any
/// other failed write to standard output (`EBADF` when it is closed,
/// `ENOSPC` on a full disk, `EIO`) is such an error.
fn finish_with(err: anyhow::Error) -> Exit {
    if is_broken_pipe(&err) {
        return Exit::Success;
    }
    report(&chain_text(&err));
    Exit::Failure
}

/// Replaces Rust's panic report (several lines, perhaps a backtrace) with
/// one `error:` line; only the first panic is reported, so a worker's panic
/// that the main thread then re-raises shows once.
fn install_panic_report() {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        if !REPORTED.swap(true, Ordering::Relaxed) {
            report(&format!("internal error, please report it: {info}"));
        }
    }));
}

/// `--help` and `--version` go to standard output with success; every real
/// usage error becomes one line.
fn report_clap_error(err: &clap::Error) -> Exit {
    match err.kind() {
        ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion => {
            // Help and version text go where results go, and fail the same
            // way: a closed pipe is quiet, any other failed write an error.
            let mut out = output::raw_stdout();
            let written = write!(out, "{}", err.render()).and_then(|()| out.flush());
            match written {
                Ok(()) => Exit::Success,
                Err(err) => finish_with(anyhow::Error::new(err).context(output::WRITE_CONTEXT)),
            }
        }
        _ => {
            report(&one_line_usage_error(err));
            Exit::Failure
        }
    }
}

/// clap's own report spans several lines (the error, a tip, the usage).
/// Keeps the message itself, on one line, and points to `--help` for the rest.
fn one_line_usage_error(err: &clap::Error) -> String {
    if err.kind() == ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return "a subcommand is required; run 'secrets --help' to list them".to_owned();
    }
    // The message may continue on indented lines (a list of missing
    // arguments); the first blank line ends it.
    let rendered = err.render().to_string();
    let joined = rendered
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let message = joined.strip_prefix("error:").unwrap_or(&joined).trim();
    let message = if message.is_empty() {
        "invalid command line"
    } else {
        message
    };
    format!("{message} (run 'secrets --help' for usage)")
}

/// Prints one `error:` line. Newlines inside a message (from a file name,
/// say) are flattened so the report stays on one line.
fn report(message: &str) {
    let flat: String = message
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let _ = writeln!(io::stderr().lock(), "error: {flat}");
}

/// The error and its causes, `: ` between them, each said once: a cause
/// whose text the line already holds (an error that both says its cause
/// and returns it as its source) is not repeated.
fn chain_text(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !text.is_empty() && !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

/// True when the error comes from writing to a pipe whose reader has gone.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_pipe_is_recognised_through_context() {
        let err = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("writing to standard output");
        assert!(is_broken_pipe(&err));
        let other = anyhow::Error::new(io::Error::from(io::ErrorKind::StorageFull));
        assert!(!is_broken_pipe(&other));
    }

    #[test]
    fn a_chain_says_each_cause_once() {
        /// An error that says its cause and also returns it as its source.
        #[derive(Debug)]
        struct Both(io::Error);
        impl std::fmt::Display for Both {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "cannot read x: {}", self.0)
            }
        }
        impl std::error::Error for Both {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let denied = || io::Error::new(io::ErrorKind::PermissionDenied, "denied");
        let err = anyhow::Error::new(Both(denied())).context("while loading");
        assert_eq!(chain_text(&err), "while loading: cannot read x: denied");
        let err = anyhow::Error::new(denied()).context("cannot read y");
        assert_eq!(chain_text(&err), "cannot read y: denied");
    }

    #[test]
    fn usage_errors_fit_on_one_line() {
        let err = cli::parse_from(["secrets", "--no-such-option"]).unwrap_err();
        let line = one_line_usage_error(&err);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("--no-such-option"), "{line}");
    }
}
