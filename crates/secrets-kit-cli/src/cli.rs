//! The command line: [`Cli`] and one [`Command`] variant per subcommand.
//!
//! Adding a subcommand is a two-line change:
//! 1. an entry in `subcommands!` below, `Name(name::NameArgs) => name::run,`,
//!    whose `///` comment is the subcommand's help (clap derives the name
//!    `name` in kebab case);
//! 2. `pub(crate) mod name;` in `commands/mod.rs`.
//!
//! The args struct lives in `commands/name.rs` with `#[derive(Debug, Args)]`.
//! Generators flatten [`crate::output::OutputArgs`] (`--count`, `--json`,
//! `--entropy`) and, where a length is chosen, [`crate::output::BitsArg`]
//! (`--bits`) into it, and print through [`crate::output::Emitter`].
//! `run` takes `&NameArgs` and returns `anyhow::Result<()>` (or
//! `Result<Exit>` for a check that can say no); its error becomes the one
//! `error:` line, exit code 2.

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

use crate::commands::{
    apikey, bytes, choice, compare, completions, estimate, formats, integer, keys, man, passphrase,
    password, source, token, totp, url, wordlist,
};
use crate::exit::Exit;

/// Random tokens, numbers, passwords, passphrases, reset URLs and bulk bytes,
/// straight from the kernel's CSPRNG: Python's `secrets` module for the shell.
#[derive(Debug, Parser)]
#[command(
    name = "secrets",
    about,
    version,
    max_term_width = 100,
    propagate_version = true,
    after_help = EXAMPLES
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Shown after the list of subcommands in `secrets --help`.
const EXAMPLES: &str = "\
Examples:
  secrets token-hex                          64 hex digits: 32 random bytes
  secrets token-urlsafe --bits 128           the shortest URL-safe token of >= 128 bits
  secrets password --length 20 --count 5     five 20-character passwords
  secrets passphrase --words 6               six words from the EFF long list
  secrets api-key --prefix acme_              a checksummed key secret scanners can find
  secrets totp --issuer Example --account alice@example.com --qr
  secrets key --format django                Django's SECRET_KEY, as Django makes it
  secrets url 'https://example.com/reset?token='
  secrets randbelow 1000000 --json           a number below a million, with its entropy
  secrets bytes 1G > disk.img                a GiB of random bytes, fast
  secrets compare-digest --file-a expected --env-b TOKEN; echo $?";

/// Declares [`Command`] and [`Command::run`] from one list of
/// `Variant(args type) => function`, so that each subcommand is named once,
/// next to the function that runs it.
macro_rules! subcommands {
    ($(
        $(#[$attr:meta])*
        $variant:ident($args:ty) => $run:path,
    )*) => {
        /// The subcommands. Their names are fixed: scripts rely on them. The
        /// order here is the order of `--help`, grouped by what they make.
        #[derive(Debug, Subcommand)]
        pub(crate) enum Command {
            $($(#[$attr])* $variant($args),)*
        }

        impl Command {
            /// Runs the subcommand. `Ok` carries how it ends: success, or a
            /// check's "no" (`compare-digest`, `verify-token`).
            pub(crate) fn run(self) -> anyhow::Result<Exit> {
                match self {
                    $(Command::$variant(args) => $run(&args).map(Exit::from),)*
                }
            }
        }
    };
}

subcommands! {
    // Tokens.
    /// Print a random hexadecimal token (NBYTES random bytes, default 32).
    TokenHex(token::TokenTextArgs) => token::run_hex,
    /// Print a random URL-safe base64 token (NBYTES random bytes, default 32).
    TokenUrlsafe(token::TokenTextArgs) => token::run_urlsafe,
    /// Write NBYTES raw random bytes (default 32) to standard output.
    TokenBytes(token::TokenBytesArgs) => token::run_bytes,
    /// Print a random RFC 4648 base32 token (A-Z 2-7; 128 bits by default).
    TokenBase32(formats::EncodedTokenArgs) => formats::run_base32,
    /// Print a random Crockford base32 token (no I L O U; 128 bits by default).
    TokenCrockford(formats::EncodedTokenArgs) => formats::run_crockford,
    /// Print a random base58 token (Bitcoin alphabet; 128 bits by default).
    TokenBase58(formats::EncodedTokenArgs) => formats::run_base58,
    /// Print a random token over any alphabet: token --alphabet STR --length N.
    Token(formats::AlphabetTokenArgs) => formats::run_alphabet,
    /// Print a random numeric PIN (6 digits by default).
    Pin(formats::PinArgs) => formats::run_pin,
    /// Print a random UUID, version 4 (default) or 7 (--version 7).
    #[command(disable_version_flag = true)]
    Uuid(formats::UuidArgs) => formats::run_uuid,
    /// Print a ULID: a millisecond timestamp and 80 random bits.
    Ulid(formats::UlidArgs) => formats::run_ulid,
    /// Print an API key: PREFIX, 30 random base62 characters, a CRC-32 check.
    ApiKey(apikey::ApiKeyArgs) => apikey::run,
    /// Check an API key's layout and checksum: exit 0 when valid, 1 when not.
    VerifyToken(apikey::VerifyTokenArgs) => apikey::run_verify,
    /// Print a TOTP enrolment: an otpauth:// URI with a new secret, or its QR code.
    Totp(totp::TotpArgs) => totp::run,
    /// Print a key in a framework's format: fernet, django, flask, rails, jwt-hs256/512.
    Key(keys::KeyArgs) => keys::run,
    /// Print BASE followed by a URL-safe token: a password-reset link.
    Url(url::UrlArgs) => url::run,
    // Passwords and passphrases.
    /// Print a password, uniform over all strings that satisfy the policy.
    Password(password::PasswordArgs) => password::run,
    /// Print a passphrase of words from a word list (75 bits by default).
    Passphrase(passphrase::PassphraseArgs) => passphrase::run,
    /// Check a word list: duplicates, separators, unique decodability, entropy.
    WordlistCheck(wordlist::WordlistCheckArgs) => wordlist::run,
    /// Estimate how hard an existing password is to guess (zxcvbn), read
    /// from standard input or a no-echo prompt, never from the command line.
    Estimate(estimate::EstimateArgs) => estimate::run,
    // Numbers and choices.
    /// Print a random integer in [0, N), N a decimal integer of any size.
    Randbelow(integer::RandbelowArgs) => integer::run_randbelow,
    /// Print a random integer of K random bits, in [0, 2^K).
    Randbits(integer::RandbitsArgs) => integer::run_randbits,
    /// Print one of the given items, chosen uniformly.
    Choice(choice::ChoiceArgs) => choice::run,
    // Everything else.
    /// Compare two secrets in constant time: exit 0 when equal, 1 when not.
    CompareDigest(compare::CompareDigestArgs) => compare::run,
    /// Write SIZE random bytes to standard output, fast (e.g. 1G, 500MB).
    Bytes(bytes::BytesArgs) => bytes::run,
    /// Print a shell completion script.
    Completions(completions::CompletionsArgs) => completions::run,
    /// Print the manual page, secrets(1), in roff (hidden: for packagers).
    #[command(hide = true)]
    Man(man::ManArgs) => man::run,
    /// Print which kernel interface supplies the random bytes.
    Source(source::SourceArgs) => source::run,
}

/// The `--version` text, which also names the randomness source in use, for
/// example `0.1.0 (randomness: vdso-getrandom)`.
fn version_text() -> &'static str {
    let text = format!(
        "{} (randomness: {})",
        env!("CARGO_PKG_VERSION"),
        secrets::backend()
    );
    // Built once per process, for clap, which wants a `'static` string.
    Box::leak(text.into_boxed_str())
}

/// The clap command with its run-time version text.
pub(crate) fn command() -> clap::Command {
    Cli::command().version(version_text())
}

/// Parses the process's arguments.
pub(crate) fn parse() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os())
}

/// Parses the given arguments (the first is the program name).
pub(crate) fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn version_names_the_source() {
        let text = command().render_version();
        assert!(text.contains("randomness: "), "{text}");
    }
}
