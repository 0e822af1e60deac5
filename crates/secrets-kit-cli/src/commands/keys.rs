//! `key --format FORMAT`: keys in the exact format a framework expects
//! (`secrets_tokens::keys`).

use anyhow::Result;
use clap::{Args, ValueEnum};
use secrets_tokens::keys::{self, KeyFormat};

use crate::output::{Emitter, OutputArgs};

/// The formats of `key --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    /// Python cryptography's Fernet: URL-safe base64 of 32 bytes, padded.
    Fernet,
    /// Django's SECRET_KEY: 50 characters, as get_random_secret_key().
    Django,
    /// Flask's SECRET_KEY: 64 hex digits, as secrets.token_hex().
    Flask,
    /// Rails' secret_key_base: 128 hex digits, as `rails secret`.
    Rails,
    /// An HS256 JWT key: 32 bytes, base64url without padding.
    #[value(name = "jwt-hs256")]
    JwtHs256,
    /// An HS512 JWT key: 64 bytes, base64url without padding.
    #[value(name = "jwt-hs512")]
    JwtHs512,
}

impl From<FormatArg> for KeyFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Fernet => KeyFormat::Fernet,
            FormatArg::Django => KeyFormat::Django,
            FormatArg::Flask => KeyFormat::Flask,
            FormatArg::Rails => KeyFormat::Rails,
            FormatArg::JwtHs256 => KeyFormat::JwtHs256,
            FormatArg::JwtHs512 => KeyFormat::JwtHs512,
        }
    }
}

/// The flags of `key`.
#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// The framework whose key format to follow.
    #[arg(long, value_name = "FORMAT")]
    format: FormatArg,

    #[command(flatten)]
    output: OutputArgs,
}

/// `key`.
pub(crate) fn run(args: &KeyArgs) -> Result<()> {
    let format = KeyFormat::from(args.format);
    let bits = format.entropy_bits();
    let extra = [("format", serde_json::Value::from(format.name()))];
    let (symbols, length) = format.space();
    let set_size = secrets_gen::explain::SetSize::power(u64::from(symbols), length as u64)?;
    Emitter::new(&args.output).with_set_size(set_size).emit_all(
        args.output.count,
        bits,
        &extra,
        || keys::framework_key(format),
    )
}
