//! `token-hex`, `token-urlsafe` and `token-bytes`: Python's `token_*`
//! functions, NBYTES random bytes each (default 32).

use std::io::{self, Write as _};

use anyhow::{Context as _, Result};
use clap::Args;
use secrets::{batch::TokenBatch, batch::TokenEncoding};

use crate::output::{self, BitsArg, Emitter, OutputArgs, SecretWriter, WRITE_CONTEXT};

/// The largest NBYTES: 256 MiB. A token must be held whole in memory before
/// it is printed (no partial token is ever shown), so sizes are bounded
/// before anything is allocated; bulk data is `secrets bytes`' job.
pub(crate) const MAX_TOKEN_BYTES: usize = 256 * 1024 * 1024;

/// Parses NBYTES: a whole number from 0 to [`MAX_TOKEN_BYTES`].
pub(crate) fn parse_nbytes(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_TOKEN_BYTES => Ok(n),
        _ => Err(format!(
            "NBYTES must be a whole number from 0 to {MAX_TOKEN_BYTES} (256 MiB); \
             for bulk random data use 'secrets bytes SIZE'"
        )),
    }
}

/// The size and output flags of `token-hex` and `token-urlsafe`.
#[derive(Debug, Args)]
pub(crate) struct TokenTextArgs {
    /// How many random bytes the token carries [default: 32].
    #[arg(value_name = "NBYTES", value_parser = parse_nbytes, conflicts_with = "bits")]
    pub(crate) nbytes: Option<usize>,

    #[command(flatten)]
    pub(crate) bits: BitsArg,

    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// The flags of `token-bytes`.
#[derive(Debug, Args)]
pub(crate) struct TokenBytesArgs {
    /// How many random bytes each token has [default: 32].
    #[arg(value_name = "NBYTES", value_parser = parse_nbytes, conflicts_with = "bits")]
    nbytes: Option<usize>,

    #[command(flatten)]
    bits: BitsArg,

    /// Write raw bytes even when standard output is a terminal.
    #[arg(long)]
    force: bool,

    /// With --json, the bytes are printed in hexadecimal (raw bytes are not
    /// JSON); otherwise the tokens are written back to back, raw.
    #[command(flatten)]
    output: OutputArgs,
}

/// The number of random bytes per token: NBYTES, or enough for `--bits`, or
/// the library's default.
pub(crate) fn resolve_nbytes(nbytes: Option<usize>, bits: BitsArg) -> Result<usize> {
    let nbytes = match (nbytes, bits.bits) {
        (Some(n), _) => n,
        (None, Some(bits)) => secrets::strength::length_for_bits(256, bits)?.length,
        (None, None) => secrets::DEFAULT_ENTROPY,
    };
    anyhow::ensure!(
        nbytes <= MAX_TOKEN_BYTES,
        "--bits asks for a token of {nbytes} bytes; the most is {MAX_TOKEN_BYTES} (256 MiB)"
    );
    Ok(nbytes)
}

/// The entropy of a token of `nbytes` random bytes.
#[allow(clippy::cast_precision_loss)] // nbytes <= 2^28: exact
pub(crate) fn token_bits(nbytes: usize) -> f64 {
    (nbytes as f64) * 8.0
}

/// Calls `each` with `count` independent tokens of `nbytes` random bytes in
/// `encoding`, from the library's [`TokenBatch`]: many small tokens per
/// kernel call, the buffers wiped after use.
///
/// # Errors
///
/// When the buffers cannot be allocated, the kernel's source fails, or
/// `each` fails (then no further token is made).
pub(crate) fn for_each_token(
    nbytes: usize,
    count: u64,
    encoding: TokenEncoding,
    each: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    TokenBatch::new(nbytes, encoding)?.for_each(count, each)
}

/// [`for_each_token`] for the text encodings, as `&str`.
pub(crate) fn for_each_text_token(
    nbytes: usize,
    count: u64,
    encoding: TokenEncoding,
    mut each: impl FnMut(&str) -> Result<()>,
) -> Result<()> {
    for_each_token(nbytes, count, encoding, |token| {
        each(std::str::from_utf8(token)?)
    })
}

/// `token-hex`: lowercase hexadecimal, two digits per byte.
pub(crate) fn run_hex(args: &TokenTextArgs) -> Result<()> {
    run_text(args, TokenEncoding::Hex)
}

/// `token-urlsafe`: URL-safe base64 without padding, as Python.
pub(crate) fn run_urlsafe(args: &TokenTextArgs) -> Result<()> {
    run_text(args, TokenEncoding::UrlSafe)
}

fn run_text(args: &TokenTextArgs, encoding: TokenEncoding) -> Result<()> {
    let nbytes = resolve_nbytes(args.nbytes, args.bits)?;
    let bits = token_bits(nbytes);
    let mut emitter = Emitter::new(&args.output);
    let extra = [("nbytes", serde_json::Value::from(nbytes))];
    for_each_text_token(nbytes, args.output.count, encoding, |token| {
        emitter.emit_with(token, bits, &extra)
    })?;
    emitter.finish()
}

/// `token-bytes`: raw bytes, or hexadecimal in JSON records.
pub(crate) fn run_bytes(args: &TokenBytesArgs) -> Result<()> {
    let nbytes = resolve_nbytes(args.nbytes, args.bits)?;
    let bits = token_bits(nbytes);
    if args.output.json {
        let mut emitter = Emitter::new(&args.output);
        let extra = [
            ("nbytes", serde_json::Value::from(nbytes)),
            ("encoding", serde_json::Value::from("hex")),
        ];
        for_each_text_token(nbytes, args.output.count, TokenEncoding::Hex, |token| {
            emitter.emit_with(token, bits, &extra)
        })?;
        return emitter.finish();
    }
    output::check_raw_stdout(args.force)?;
    if args.output.entropy {
        let _ = writeln!(io::stderr(), "entropy: {} bits", output::format_bits(bits));
    }
    if args.output.explain {
        let explanation =
            secrets_gen::explain::SetSize::bits(8 * nbytes as u64).explain(args.output.among);
        let _ = write!(io::stderr(), "{}", output::explanation_text(&explanation));
    }
    let mut out = SecretWriter::stdout();
    for_each_token(nbytes, args.output.count, TokenEncoding::Bytes, |raw| {
        out.write_all(raw).context(WRITE_CONTEXT)
    })?;
    out.flush().context(WRITE_CONTEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nbytes_is_bounded_before_allocation() {
        assert_eq!(parse_nbytes("0"), Ok(0));
        assert_eq!(parse_nbytes("32"), Ok(32));
        let too_many = (MAX_TOKEN_BYTES + 1).to_string();
        for bad in ["99999999999999999999", &too_many, "-1", "abc"] {
            assert!(parse_nbytes(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn bits_pick_the_smallest_whole_byte_count() {
        let bits = |n| BitsArg { bits: Some(n) };
        assert_eq!(resolve_nbytes(None, bits(128)).unwrap(), 16);
        assert_eq!(resolve_nbytes(None, bits(129)).unwrap(), 17);
        assert_eq!(resolve_nbytes(None, BitsArg { bits: None }).unwrap(), 32);
        assert!(resolve_nbytes(None, bits(output::MAX_BITS)).is_err());
    }

    #[test]
    fn batches_give_every_token_its_own_bytes() {
        let mut seen = Vec::new();
        for_each_token(16, 5000, TokenEncoding::Bytes, |raw| {
            assert_eq!(raw.len(), 16);
            seen.push(raw.to_vec());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 5000);
        seen.sort();
        seen.dedup();
        // 5000 draws of 128 bits: a repeat has probability below 2^-100.
        assert_eq!(seen.len(), 5000);
    }

    #[test]
    fn encodings_match_python() {
        let mut tokens = Vec::new();
        for encoding in [TokenEncoding::Hex, TokenEncoding::UrlSafe] {
            for_each_text_token(5, 1, encoding, |t| {
                tokens.push(t.len());
                Ok(())
            })
            .unwrap();
        }
        assert_eq!(tokens, [10, 7]);
    }

    #[test]
    fn a_failing_consumer_stops_the_run() {
        let mut calls = 0;
        let result = for_each_token(8, 100, TokenEncoding::Hex, |_| {
            calls += 1;
            anyhow::ensure!(calls < 3, "stop");
            Ok(())
        });
        assert!(result.is_err());
        assert_eq!(calls, 3);
    }
}
