//! `compare-digest`: constant-time comparison of two secrets, with exit
//! code 0 for equal and 1 for different.
//!
//! A secret given on the command line can be read by other users through the
//! process list, so each side can instead come from a file (`-` is standard
//! input) or an environment variable.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use zeroize::Zeroizing;

use crate::exit::Exit;

#[derive(Debug, Args)]
// clap's usage would show one `[SECRET]`: the second is hidden (see below).
#[command(override_usage = "secrets compare-digest [OPTIONS] [SECRET]...")]
pub(crate) struct CompareDigestArgs {
    /// The secrets, for the sides not given by --file-a/--env-a or
    /// --file-b/--env-b (in order: A first).
    // Two one-value positionals, not one of two values: clap would read every
    // word after a multi-value positional that allows a leading '-' (a
    // URL-safe token may start with one) as another value, so
    // `A --file-b PATH` took `--file-b` for a secret.
    #[arg(value_name = "SECRET", allow_hyphen_values = true)]
    first: Option<OsString>,

    #[arg(value_name = "SECRET", allow_hyphen_values = true, hide = true)]
    second: Option<OsString>,

    /// Read A from a file ('-' is standard input), of at most 16 MiB. One
    /// trailing newline is removed, as `$(cat FILE)` would.
    #[arg(long, value_name = "PATH", conflicts_with = "env_a")]
    file_a: Option<PathBuf>,

    /// Read B from a file ('-' is standard input), of at most 16 MiB. One
    /// trailing newline is removed.
    #[arg(long, value_name = "PATH", conflicts_with = "env_b")]
    file_b: Option<PathBuf>,

    /// Read A from the environment variable VAR.
    #[arg(long, value_name = "VAR")]
    env_a: Option<OsString>,

    /// Read B from the environment variable VAR.
    #[arg(long, value_name = "VAR")]
    env_b: Option<OsString>,

    /// Hide the lengths as well. Python's compare_digest, the default here,
    /// answers at once when the lengths differ; this compares HMAC-SHA256
    /// tags of both secrets under a fresh random key instead
    /// (secrets::compare::compare_length_hidden), at the cost of two HMACs.
    #[arg(long)]
    hide_length: bool,
}

/// Where one side of the comparison comes from.
enum Side<'a> {
    File(&'a Path),
    Env(&'a OsString),
    Arg(&'a OsString),
}

fn read_side(side: &Side<'_>) -> Result<Zeroizing<Vec<u8>>> {
    match side {
        Side::Arg(value) => Ok(Zeroizing::new(value.as_encoded_bytes().to_vec())),
        Side::Env(name) => {
            let value = std::env::var_os(name).with_context(|| {
                format!(
                    "the environment variable '{}' is not set",
                    name.to_string_lossy()
                )
            })?;
            Ok(Zeroizing::new(value.into_encoded_bytes()))
        }
        Side::File(path) => {
            let mut raw =
                crate::input::read_path(path, crate::input::MAX_FILE_BYTES, "the secret")?;
            strip_one_newline(&mut raw);
            Ok(raw)
        }
    }
}

fn strip_one_newline(raw: &mut Vec<u8>) {
    if raw.last() == Some(&b'\n') {
        raw.pop();
        if raw.last() == Some(&b'\r') {
            raw.pop();
        }
    }
}

/// One side's source: its file flag, else its environment flag, else the
/// next positional value.
fn side<'a>(
    file: Option<&'a PathBuf>,
    env: Option<&'a OsString>,
    positional: &mut impl Iterator<Item = &'a OsString>,
) -> Option<Side<'a>> {
    file.map(|path| Side::File(path))
        .or_else(|| env.map(Side::Env))
        .or_else(|| positional.next().map(Side::Arg))
}

/// Pairs each side with its source.
fn sides(args: &CompareDigestArgs) -> Result<(Side<'_>, Side<'_>)> {
    let values: Vec<&OsString> = args.first.iter().chain(&args.second).collect();
    let mut positional = values.into_iter();
    let Some(a) = side(args.file_a.as_ref(), args.env_a.as_ref(), &mut positional) else {
        bail!("the first secret (A) is missing; give two secrets, or use --file-a / --env-a");
    };
    let Some(b) = side(args.file_b.as_ref(), args.env_b.as_ref(), &mut positional) else {
        bail!("the second secret (B) is missing; give two secrets, or use --file-b / --env-b");
    };
    if positional.next().is_some() {
        bail!(
            "too many secrets: give exactly two, counting those read with --file-a/--env-a \
             and --file-b/--env-b"
        );
    }
    if let (Side::File(x), Side::File(y)) = (&a, &b) {
        if *x == Path::new("-") && *y == Path::new("-") {
            bail!("only one side can be read from standard input ('-')");
        }
    }
    Ok((a, b))
}

/// `compare-digest`: exit 0 when equal, 1 when different.
pub(crate) fn run(args: &CompareDigestArgs) -> Result<Exit> {
    let (a, b) = sides(args)?;
    let a = read_side(&a)?;
    let b = read_side(&b)?;
    let equal = if args.hide_length {
        secrets::compare::compare_length_hidden(&a, &b)?
    } else {
        secrets::compare_digest(&a, &b)
    };
    Ok(if equal { Exit::Success } else { Exit::Mismatch })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_removed() {
        for (input, expected) in [
            (&b"abc\n"[..], &b"abc"[..]),
            (b"abc\r\n", b"abc"),
            (b"abc\n\n", b"abc\n"),
            (b"abc", b"abc"),
            (b"", b""),
        ] {
            let mut raw = input.to_vec();
            strip_one_newline(&mut raw);
            assert_eq!(raw, expected);
        }
    }
}
