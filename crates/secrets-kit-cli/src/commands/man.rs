//! `man` (hidden from `--help`): the manual page secrets(1), in roff, built
//! from the same clap definition as `--help`, so the two cannot drift apart.
//! Packagers run `secrets man > secrets.1`; `man -l secrets.1` shows it.
//!
//! One page holds everything: clap_mangen renders the title, name,
//! synopsis, description and global options, and this module adds a
//! COMMANDS section with every visible subcommand, its usage, its help and
//! its arguments (clap_mangen's own section only points to per-subcommand
//! pages), then the exit status, the environment and the examples.

use anyhow::{Context as _, Result};
use clap::{Arg, Args};
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::output::WRITE_CONTEXT;

#[derive(Debug, Args)]
pub(crate) struct ManArgs {}

/// Writes the page to standard output, whole or not at all (it is built in
/// memory first).
pub(crate) fn run(_args: &ManArgs) -> Result<()> {
    let page = render(crate::cli::command()).context("cannot render the manual page")?;
    std::io::Write::write_all(&mut std::io::stdout(), &page).context(WRITE_CONTEXT)
}

/// The exit codes, as `crate::exit::Exit` defines them.
const EXIT_STATUS: [(&str, &str); 3] = [
    ("0", "Success (for compare-digest: the secrets are equal)."),
    (
        "1",
        "A check said no: compare-digest's secrets differ, or verify-token's token is not \
         well formed.",
    ),
    (
        "2",
        "Any failure: bad usage, bad input, failed input or output. Exactly one line starting \
         with error: is printed on standard error, and nothing is presented as success.",
    ),
];

/// The environment variables the command reads.
const ENVIRONMENT: [(&str, &str); 2] = [
    (
        "SECRETS_FORCE_SYSCALL",
        "When set to 1, every random byte comes from the getrandom system call, never from \
         the vDSO.",
    ),
    (
        "SECRETS_PASSWORD_RULES_FILE",
        "The password-rules.json file that password --site reads when --quirks is not given.",
    ),
];

/// Renders the whole page.
fn render(mut command: clap::Command) -> std::io::Result<Vec<u8>> {
    command.build();
    let version = env!("CARGO_PKG_VERSION");
    // No date: the page must be the same bytes in every build.
    let man = clap_mangen::Man::new(command.clone())
        .source(format!("secrets {version}"))
        .manual("User Commands");
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::default();
    roff.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        render_subcommand(&mut roff, sub);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(meaning)]);
    }
    if let Some(examples) = command.get_after_help() {
        roff.control("SH", ["EXAMPLES"]);
        let text = examples.to_string();
        let lines = text.lines().skip_while(|line| line.ends_with(':'));
        roff.control("nf", []);
        for line in lines {
            roff.text([roman(line.trim_start())]);
        }
        roff.control("fi", []);
    }
    roff.control("SH", ["VERSION"]);
    roff.text([roman(version)]);
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "secrets SUBCOMMAND --help; the project's README: \
         https://github.com/secrets-rs/secrets",
    )]);
    roff.to_writer(&mut page)?;
    Ok(page)
}

/// One subcommand: its usage line, its help, then its arguments.
fn render_subcommand(roff: &mut Roff, sub: &clap::Command) {
    let usage = sub
        .clone()
        .bin_name(format!("secrets {}", sub.get_name()))
        .render_usage()
        .to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).trim();
    roff.control("TP", []);
    roff.text([bold(usage)]);
    if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
        roff.text([roman(about.to_string())]);
    }
    // `--help` and `--version` are on every subcommand; the OPTIONS section
    // above says them once.
    let args: Vec<&Arg> = sub
        .get_arguments()
        .filter(|arg| !arg.is_hide_set())
        .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
        .collect();
    if args.is_empty() {
        return;
    }
    roff.control("RS", []);
    for arg in args {
        roff.control("TP", []);
        roff.text(arg_label(arg));
        if let Some(help) = arg.get_long_help().or_else(|| arg.get_help()) {
            roff.text([roman(help.to_string())]);
        }
    }
    roff.control("RE", []);
}

/// `-c, --count <N>` or `<NBYTES>`, in bold and italics.
fn arg_label(arg: &Arg) -> Vec<clap_mangen::roff::Inline> {
    let value_names: Vec<String> = arg
        .get_value_names()
        .map(|names| names.iter().map(|name| format!("<{name}>")).collect())
        .unwrap_or_else(|| vec![format!("<{}>", arg.get_id().as_str().to_uppercase())]);
    if arg.is_positional() {
        return vec![italic(value_names.join(" "))];
    }
    let mut label = Vec::new();
    if let Some(short) = arg.get_short() {
        label.push(bold(format!("-{short}")));
    }
    if let Some(long) = arg.get_long() {
        if !label.is_empty() {
            label.push(roman(", "));
        }
        label.push(bold(format!("--{long}")));
    }
    if arg.get_action().takes_values() {
        label.push(roman(" "));
        label.push(italic(value_names.join(" ")));
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page, with roff's escaped hyphens (`\\-`) made plain again.
    fn page() -> String {
        let page = String::from_utf8(render(crate::cli::command()).unwrap()).unwrap();
        page.replace("\\-", "-")
    }

    #[test]
    fn the_page_lists_every_visible_subcommand_with_its_usage() {
        let page = page();
        let command = crate::cli::command();
        let mut listed = 0;
        for sub in command.get_subcommands() {
            let usage_start = format!("secrets {}", sub.get_name());
            let found = page.lines().any(|line| line.contains(&usage_start));
            // The page itself is hidden and so not listed; every other one is.
            assert_eq!(found, !sub.is_hide_set(), "{}", sub.get_name());
            listed += usize::from(found);
        }
        assert!(listed >= 25, "only {listed} subcommands listed");
        assert!(
            !page.contains("secrets man"),
            "the hidden man subcommand is listed"
        );
    }

    #[test]
    fn the_page_is_a_section_1_page_with_options_and_exit_codes() {
        let page = page();
        assert!(page.contains("\n.TH secrets 1 "), "{page}");
        for heading in ["NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS", "EXAMPLES"] {
            let found = page
                .lines()
                .any(|line| line.starts_with(".SH") && line.contains(heading));
            assert!(found, "no {heading} section");
        }
        // A subcommand's option appears with its help text.
        assert!(page.contains("--count"), "no --count option");
        // Nothing that varies between builds or machines: no date, no source.
        assert!(
            !page.contains("randomness:"),
            "the run-time source is in the page"
        );
    }

    #[test]
    fn the_page_is_hidden_from_help() {
        let help = crate::cli::command().render_long_help().to_string();
        assert!(!help.contains(" man "), "{help}");
    }
}
