//! `api-key` and `verify-token`: checksummed API keys that secret scanners
//! can find (`--regex`) and check offline (`secrets_tokens::apikey`).

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use secrets_tokens::apikey;
use zeroize::Zeroizing;

use crate::exit::Exit;
use crate::output::{Emitter, OutputArgs, WRITE_CONTEXT};

/// The flags of `api-key`.
#[derive(Debug, Args)]
pub(crate) struct ApiKeyArgs {
    /// The issuer's prefix, `[a-z][a-z0-9]{1,9}_` (for example `acme_`).
    #[arg(long, value_name = "PREFIX")]
    prefix: String,

    /// Print a regular expression matching exactly such keys with PREFIX,
    /// for secret scanners, instead of a key.
    #[arg(long)]
    regex: bool,

    #[command(flatten)]
    output: OutputArgs,
}

/// The flags of `verify-token`.
#[derive(Debug, Args)]
pub(crate) struct VerifyTokenArgs {
    /// The token to check (visible to other users in the process list:
    /// prefer --file or --env).
    #[arg(value_name = "TOKEN", required_unless_present_any = ["file", "env"], conflicts_with_all = ["file", "env"])]
    token: Option<OsString>,

    /// Read the token from a file ('-' is standard input); surrounding
    /// white space is ignored.
    #[arg(long, value_name = "PATH", conflicts_with = "env")]
    file: Option<PathBuf>,

    /// Read the token from the environment variable VAR.
    #[arg(long, value_name = "VAR")]
    env: Option<OsString>,

    /// Also require this prefix (then a changed prefix character is caught
    /// too; without it, any valid prefix is accepted).
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
}

/// The most bytes read from a token file: far more than any key (at most
/// [`apikey::MAX_KEY_CHARS`]), so a wrong path (`/dev/zero`) fails fast.
const MAX_TOKEN_FILE: u64 = 4096;

/// `api-key`.
pub(crate) fn run(args: &ApiKeyArgs) -> Result<()> {
    apikey::check_prefix(&args.prefix)?;
    if args.regex {
        let regex = apikey::api_key_regex(&args.prefix)?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{regex}").context(WRITE_CONTEXT)?;
        return out.flush().context(WRITE_CONTEXT);
    }
    let bits = apikey::random_bits();
    let extra = [
        ("format", serde_json::Value::from("api-key")),
        ("prefix", serde_json::Value::from(args.prefix.as_str())),
    ];
    let set_size = secrets_gen::explain::SetSize::power(62, apikey::RANDOM_CHARS as u64)?;
    Emitter::new(&args.output).with_set_size(set_size).emit_all(
        args.output.count,
        bits,
        &extra,
        || apikey::api_key(&args.prefix),
    )
}

fn read_token(args: &VerifyTokenArgs) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(value) = &args.token {
        return Ok(Zeroizing::new(value.as_encoded_bytes().to_vec()));
    }
    if let Some(name) = &args.env {
        let value = std::env::var_os(name).with_context(|| {
            format!(
                "the environment variable '{}' is not set",
                name.to_string_lossy()
            )
        })?;
        return Ok(Zeroizing::new(value.into_encoded_bytes()));
    }
    let Some(path) = &args.file else {
        bail!("no token given; give TOKEN, --file PATH or --env VAR");
    };
    crate::input::read_path(path, MAX_TOKEN_FILE, "the token")
}

/// `verify-token`: exit 0 when the layout and checksum hold, 1 when not.
pub(crate) fn run_verify(args: &VerifyTokenArgs) -> Result<Exit> {
    if let Some(prefix) = &args.prefix {
        apikey::check_prefix(prefix)?;
    }
    let raw = read_token(args)?;
    let verdict = match std::str::from_utf8(&raw) {
        Ok(text) => match &args.prefix {
            Some(prefix) => apikey::verify_api_key_for(text.trim(), prefix),
            None => apikey::verify_api_key(text.trim()),
        },
        Err(_) => Err(apikey::Invalid::Character),
    };
    Ok(match verdict {
        Ok(()) => Exit::Success,
        Err(reason) => {
            let _ = writeln!(std::io::stderr(), "invalid: {reason}");
            Exit::Mismatch
        }
    })
}
