//! One module per subcommand (or family of subcommands), and the dispatch.
//!
//! See the top of `cli.rs` for how to add one.

pub(crate) mod bytes;
pub(crate) mod choice;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod integer;
pub(crate) mod password;
pub(crate) mod source;
pub(crate) mod token;
pub(crate) mod url;

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
        Command::Randbelow(args) => integer::run_randbelow(&args)?,
        Command::Randbits(args) => integer::run_randbits(&args)?,
        Command::Choice(args) => choice::run(&args)?,
        Command::CompareDigest(args) => return compare::run(&args),
        Command::Url(args) => url::run(&args)?,
        Command::Password(args) => password::run(&args)?,
        Command::Bytes(args) => bytes::run(&args)?,
        Command::Completions(args) => completions::run(&args)?,
        Command::Source => source::run()?,
    }
    Ok(ExitCode::SUCCESS)
}
