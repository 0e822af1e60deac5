//! `bytes SIZE`: bulk random bytes to standard output, for filling files and
//! disks, at least as fast as `openssl rand`.
//!
//! The bytes are the library's [`secrets_tokens::bulk::write_to`]: up to 64 KiB
//! straight from the kernel, beyond that 1 MiB blocks of AES-256-CTR (with
//! AES instructions) or ChaCha20 keystream, each under a fresh kernel key
//! wiped after its block, made by one worker thread per core. This module
//! only adds the terminal check and the progress bar.

use std::io::{self, IsTerminal as _, Write};

use anyhow::{Context as _, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::{self, WRITE_CONTEXT};

/// From this size on, a terminal on standard error shows a progress bar.
const PROGRESS_MIN: u64 = 64 * 1024 * 1024;

#[derive(Debug, Args)]
pub(crate) struct BytesArgs {
    /// How many bytes: a whole number with an optional suffix, K M G T
    /// (1024-based, also KiB MiB GiB TiB) or KB MB GB TB (1000-based).
    #[arg(value_name = "SIZE", value_parser = crate::size::parse_size)]
    size: u64,

    /// Write raw bytes even when standard output is a terminal.
    #[arg(long)]
    force: bool,

    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

fn progress_bar(size: u64, enabled: bool) -> ProgressBar {
    if !enabled || size < PROGRESS_MIN || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    if let Ok(style) = ProgressStyle::with_template(
        "{bytes}/{total_bytes} [{wide_bar}] {binary_bytes_per_sec}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Counts what goes through to the progress bar.
struct Progress<'a, W: Write + ?Sized> {
    out: &'a mut W,
    bar: &'a ProgressBar,
}

impl<W: Write + ?Sized> Write for Progress<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf)?;
        self.bar.inc(written as u64);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The library reports a failed random source as an I/O error wrapping its
/// own error; only real write failures get "cannot write to standard
/// output" in front.
fn write_error(err: io::Error) -> anyhow::Error {
    if err
        .get_ref()
        .is_some_and(|inner| inner.is::<secrets::Error>())
    {
        anyhow::Error::new(err)
    } else {
        anyhow::Error::new(err).context(WRITE_CONTEXT)
    }
}

/// `bytes SIZE`.
pub(crate) fn run(args: &BytesArgs) -> Result<()> {
    output::check_raw_stdout(args.force)?;
    let bar = progress_bar(args.size, !args.no_progress);
    let mut stdout = output::raw_stdout();
    let mut out = Progress {
        out: &mut stdout,
        bar: &bar,
    };
    let result = secrets_tokens::bulk::write_to(&mut out, args.size)
        .map_err(write_error)
        .and_then(|()| out.flush().context(WRITE_CONTEXT));
    bar.finish_and_clear();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_write_failures_are_blamed_on_standard_output() {
        let full = write_error(io::Error::from(io::ErrorKind::StorageFull));
        assert!(format!("{full:#}").starts_with(WRITE_CONTEXT), "{full:#}");
        let source = write_error(io::Error::other(secrets::Error::new(
            secrets::ErrorKind::Os,
            "the kernel said no",
        )));
        assert_eq!(format!("{source:#}"), "the kernel said no");
    }

    #[test]
    fn progress_counts_every_byte_written() {
        let bar = ProgressBar::hidden();
        let mut sink = Vec::new();
        let mut out = Progress {
            out: &mut sink,
            bar: &bar,
        };
        secrets_tokens::bulk::write_to(&mut out, 3 << 20).unwrap();
        assert_eq!(bar.position(), 3 << 20);
        assert_eq!(sink.len(), 3 << 20);
    }
}
