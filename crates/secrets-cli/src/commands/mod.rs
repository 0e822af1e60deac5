//! One module per subcommand (or family of subcommands), and the dispatch.
//!
//! See the top of `cli.rs` for how to add one.

pub(crate) mod apikey;
pub(crate) mod bytes;
pub(crate) mod choice;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod estimate;
pub(crate) mod formats;
pub(crate) mod integer;
pub(crate) mod keys;
pub(crate) mod passphrase;
pub(crate) mod password;
pub(crate) mod source;
pub(crate) mod token;
pub(crate) mod totp;
pub(crate) mod url;
pub(crate) mod wordlist;

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
        Command::VerifyToken(args) => return apikey::run_verify(&args),
        Command::ApiKey(args) => apikey::run(&args)?,
        Command::Key(args) => keys::run(&args)?,
        Command::Totp(args) => totp::run(&args)?,
        Command::Url(args) => url::run(&args)?,
        Command::Password(args) => password::run(&args)?,
        Command::Bytes(args) => bytes::run(&args)?,
        Command::Completions(args) => completions::run(&args)?,
        Command::Source => source::run()?,
        Command::TokenBase32(args) => formats::run_base32(&args)?,
        Command::TokenCrockford(args) => formats::run_crockford(&args)?,
        Command::TokenBase58(args) => formats::run_base58(&args)?,
        Command::Token(args) => formats::run_alphabet(&args)?,
        Command::Pin(args) => formats::run_pin(&args)?,
        Command::Uuid(args) => formats::run_uuid(&args)?,
        Command::Ulid(args) => formats::run_ulid(&args)?,
        Command::Passphrase(args) => passphrase::run(&args)?,
        Command::WordlistCheck(args) => wordlist::run(&args)?,
        Command::Estimate(args) => estimate::run(&args)?,
    }
    Ok(ExitCode::SUCCESS)
}
