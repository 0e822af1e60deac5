//! One module per subcommand (or family of subcommands), and the dispatch.
//!
//! See the top of `cli.rs` for how to add one.

pub(crate) mod completions;
pub(crate) mod source;
pub(crate) mod token;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Command;

/// Runs one subcommand. `Ok` carries the exit code: success, or 1 for
/// `compare-digest`'s "different".
pub(crate) fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::TokenHex(args) => token::run_hex(&args)?,
        Command::TokenUrlsafe(args) => token::run_urlsafe(&args)?,
        Command::TokenBytes(args) => token::run_bytes(&args)?,
        Command::Completions(args) => completions::run(&args)?,
        Command::Source => source::run()?,
    }
    Ok(ExitCode::SUCCESS)
}
