//! `completions SHELL`: a completion script for bash, zsh, fish, elvish or
//! PowerShell.

use anyhow::{Context as _, Result};
use clap::Args;
use clap_complete::Shell;

use crate::output::WRITE_CONTEXT;

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Writes the completion script to standard output, whole or not at all
/// (it is built in memory first).
pub(crate) fn run(args: &CompletionsArgs) -> Result<()> {
    let mut command = crate::cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "secrets", &mut script);
    std::io::Write::write_all(&mut std::io::stdout(), &script).context(WRITE_CONTEXT)
}
