//! `url BASE [NBYTES]`: the password-reset link recipe of Python's docs,
//! `BASE + token_urlsafe(NBYTES)`.

use anyhow::Result;
use clap::Args;
use zeroize::Zeroize as _;

use crate::commands::token::{self, parse_nbytes};
use crate::output::{BitsArg, Emitter, OutputArgs};

#[derive(Debug, Args)]
pub(crate) struct UrlArgs {
    // A `help` attribute rather than a doc comment: rustdoc would flag the
    // example URL as a bare link.
    #[arg(
        value_name = "BASE",
        help = "The start of the link, used as it is, for example 'https://example.com/reset?token='"
    )]
    base: String,

    /// How many random bytes the token carries [default: 32].
    #[arg(value_name = "NBYTES", value_parser = parse_nbytes, conflicts_with = "bits")]
    nbytes: Option<usize>,

    #[command(flatten)]
    bits: BitsArg,

    #[command(flatten)]
    output: OutputArgs,
}

/// `url`: BASE followed by a fresh URL-safe token, per result.
pub(crate) fn run(args: &UrlArgs) -> Result<()> {
    let nbytes = token::resolve_nbytes(args.nbytes, args.bits)?;
    let bits = token::token_bits(nbytes);
    let mut emitter = Emitter::new(&args.output);
    token::for_each_text_token(
        nbytes,
        args.output.count,
        secrets::batch::TokenEncoding::UrlSafe,
        |token| {
            let mut link = format!("{}{token}", args.base);
            let written = emitter.emit_with(&link, bits, &[("token", token.into())]);
            link.zeroize();
            written
        },
    )?;
    emitter.finish()
}
