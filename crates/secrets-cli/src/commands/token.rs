//! `token-hex`, `token-urlsafe` and `token-bytes`: Python's `token_*`
//! functions, NBYTES random bytes each (default 32).

use std::io::{self, Write as _};

use anyhow::{Context as _, Result, anyhow};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Args;
use zeroize::Zeroize as _;

use crate::output::{self, BitsArg, Emitter, OutputArgs, SecretWriter, WRITE_CONTEXT};

/// The largest NBYTES: 256 MiB. A token must be held whole in memory before
/// it is printed (no partial token is ever shown), so sizes are bounded
/// before anything is allocated; bulk data is `secrets bytes`' job.
pub(crate) const MAX_TOKEN_BYTES: usize = 256 * 1024 * 1024;

/// Tokens up to this size are drawn many at a time, one kernel call per
/// batch of about this many bytes, which makes `--count 1000000` cheap.
const BATCH_BYTES: usize = 16 * 1024;

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

/// Calls `each` with `count` independent tokens of `nbytes` random bytes.
///
/// Small tokens come many to a kernel call, large ones one to a call. The
/// raw bytes are wiped after use.
///
/// # Errors
///
/// When the buffer cannot be allocated, the kernel's source fails, or
/// `each` fails (then no further token is made).
pub(crate) fn for_each_raw_token(
    nbytes: usize,
    count: u64,
    mut each: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    if nbytes == 0 {
        for _ in 0..count {
            each(&[])?;
        }
        return Ok(());
    }
    let per_batch = (BATCH_BYTES / nbytes).max(1);
    let mut buffer = try_buffer(per_batch * nbytes)?;
    buffer.resize(per_batch * nbytes, 0);
    let mut result = Ok(());
    let mut remaining = count;
    'batches: while remaining > 0 {
        let tokens = usize::try_from(remaining)
            .unwrap_or(usize::MAX)
            .min(per_batch);
        let batch = &mut buffer[..tokens * nbytes];
        if let Err(err) = secrets::try_fill_bytes(batch) {
            result = Err(err.into());
            break;
        }
        for token in batch.chunks_exact(nbytes) {
            if let Err(err) = each(token) {
                result = Err(err);
                break 'batches;
            }
        }
        remaining -= tokens as u64;
    }
    buffer.zeroize();
    result
}

/// An empty buffer with room for `len` bytes, or an error (rather than an
/// abort) when the memory cannot be had.
fn try_buffer(len: usize) -> Result<Vec<u8>> {
    let mut buffer = Vec::new();
    buffer.try_reserve_exact(len).map_err(|_| {
        anyhow!("cannot allocate {len} bytes of memory for the token; ask for a smaller NBYTES")
    })?;
    Ok(buffer)
}

/// Lowercase hexadecimal, two digits per byte, in fallibly allocated memory.
pub(crate) fn encode_hex(raw: &[u8]) -> Result<String> {
    let len = raw.len() * 2; // raw.len() <= MAX_TOKEN_BYTES: no overflow
    let mut text = try_buffer(len)?;
    text.resize(len, 0);
    const_hex::encode_to_slice(raw, &mut text)?;
    Ok(String::from_utf8(text)?)
}

/// URL-safe base64 without padding, as Python's `token_urlsafe`, in
/// fallibly allocated memory.
pub(crate) fn encode_urlsafe(raw: &[u8]) -> Result<String> {
    let len = base64::encoded_len(raw.len(), false)
        .ok_or_else(|| anyhow!("a token of {} bytes is too long to encode", raw.len()))?;
    let mut text = String::new();
    text.try_reserve_exact(len).map_err(|_| {
        anyhow!("cannot allocate {len} bytes of memory for the token; ask for a smaller NBYTES")
    })?;
    URL_SAFE_NO_PAD.encode_string(raw, &mut text);
    Ok(text)
}

/// `token-hex`: lowercase hexadecimal, two digits per byte.
pub(crate) fn run_hex(args: &TokenTextArgs) -> Result<()> {
    run_text(args, encode_hex)
}

/// `token-urlsafe`: URL-safe base64 without padding, as Python.
pub(crate) fn run_urlsafe(args: &TokenTextArgs) -> Result<()> {
    run_text(args, encode_urlsafe)
}

fn run_text(args: &TokenTextArgs, encode: impl Fn(&[u8]) -> Result<String>) -> Result<()> {
    let nbytes = resolve_nbytes(args.nbytes, args.bits)?;
    let bits = token_bits(nbytes);
    let mut emitter = Emitter::new(&args.output);
    let extra = [("nbytes", serde_json::Value::from(nbytes))];
    for_each_raw_token(nbytes, args.output.count, |raw| {
        let mut token = encode(raw)?;
        let written = emitter.emit_with(&token, bits, &extra);
        token.zeroize();
        written
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
        for_each_raw_token(nbytes, args.output.count, |raw| {
            let mut token = encode_hex(raw)?;
            let written = emitter.emit_with(&token, bits, &extra);
            token.zeroize();
            written
        })?;
        return emitter.finish();
    }
    output::check_raw_stdout(args.force)?;
    if args.output.entropy {
        let _ = writeln!(io::stderr(), "entropy: {} bits", output::format_bits(bits));
    }
    let mut out = SecretWriter::stdout();
    for_each_raw_token(nbytes, args.output.count, |raw| {
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
        assert!(parse_nbytes("99999999999999999999").is_err());
        assert!(parse_nbytes(&(MAX_TOKEN_BYTES + 1).to_string()).is_err());
        assert!(parse_nbytes("-1").is_err());
        assert!(parse_nbytes("abc").is_err());
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
        for_each_raw_token(16, 5000, |raw| {
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
    fn encodings_match_the_library_formats() {
        let raw = [0x00, 0xff, 0x10, 0xab, 0xcd];
        assert_eq!(encode_hex(&raw).unwrap(), "00ff10abcd");
        assert_eq!(encode_hex(&[]).unwrap(), "");
        // Python: base64.urlsafe_b64encode(bytes([0, 255, 16, 171, 205])).rstrip(b"=")
        assert_eq!(encode_urlsafe(&raw).unwrap(), "AP8Qq80");
        assert_eq!(encode_urlsafe(&[0xfb, 0xff]).unwrap(), "-_8");
        for n in 0..10 {
            assert_eq!(
                encode_urlsafe(&vec![7; n]).unwrap().len(),
                (4 * n).div_ceil(3)
            );
        }
    }

    #[test]
    fn a_failing_consumer_stops_the_run() {
        let mut calls = 0;
        let result = for_each_raw_token(8, 100, |_| {
            calls += 1;
            anyhow::ensure!(calls < 3, "stop");
            Ok(())
        });
        assert!(result.is_err());
        assert_eq!(calls, 3);
    }
}
