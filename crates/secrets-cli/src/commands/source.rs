//! `source`: which kernel interface supplies the random bytes.

use std::io::Write as _;

use anyhow::{Context as _, Result};

use crate::output::WRITE_CONTEXT;

/// Prints the name of the randomness source, for example `vdso-getrandom`.
pub(crate) fn run() -> Result<()> {
    writeln!(std::io::stdout(), "{}", secrets::source()).context(WRITE_CONTEXT)
}
