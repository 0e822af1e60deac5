//! `source`: which kernel interface supplies the random bytes.

use std::io::Write as _;

use anyhow::{Context as _, Result};
use clap::Args;

use crate::output::WRITE_CONTEXT;

/// `source` takes no flags of its own.
#[derive(Debug, Args)]
pub(crate) struct SourceArgs {}

/// Prints the name of the randomness source, for example `vdso-getrandom`.
pub(crate) fn run(_args: &SourceArgs) -> Result<()> {
    writeln!(std::io::stdout(), "{}", secrets::backend()).context(WRITE_CONTEXT)
}
