//! `wordlist-check`: the lint report of a word list.

use std::io::{self, Write as _};

use anyhow::{Context as _, Result};
use clap::Args;
use secrets_gen::wordlist::{Decodability, LintReport, WordList};
use serde_json::json;

use crate::output::WRITE_CONTEXT;

/// `--separator`, for `passphrase` and `wordlist-check`.
#[derive(Debug, Args)]
pub(crate) struct SeparatorArg {
    /// The text between words (at most 32 characters).
    #[arg(
        short,
        long,
        value_name = "S",
        default_value = " ",
        allow_hyphen_values = true
    )]
    pub(crate) separator: String,
}

/// The flags of `wordlist-check`.
#[derive(Debug, Args)]
// What the separator means for the check, rather than for a passphrase.
#[command(mut_arg("separator", |arg| arg.help(
    "The separator passphrases will use (at most 32 characters); give '' to check whether \
     phrases joined without one can be split back into words"
)))]
pub(crate) struct WordlistCheckArgs {
    /// An embedded list (eff-long, eff-short-1, eff-short-2, reinhold,
    /// beale, minilock) or a UTF-8 file with one word per line (at most
    /// 16 MiB).
    #[arg(value_name = "NAME|PATH")]
    wordlist: String,

    #[command(flatten)]
    separator: SeparatorArg,

    /// Check the words as they appear capitalised.
    #[arg(short, long)]
    capitalize: bool,

    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

/// `wordlist-check`.
pub(crate) fn run(args: &WordlistCheckArgs) -> Result<()> {
    let list = WordList::open(&args.wordlist)?;
    let separator = &args.separator.separator;
    let report = if args.capitalize {
        list.lint_capitalized(separator)?
    } else {
        list.lint(separator)?
    };
    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report_json(&report)).context(WRITE_CONTEXT)?;
        writeln!(out).context(WRITE_CONTEXT)?;
    } else {
        writeln!(out, "{report}").context(WRITE_CONTEXT)?;
    }
    out.flush().context(WRITE_CONTEXT)
}

fn report_json(report: &LintReport) -> serde_json::Value {
    let (decodable, example, chain) = match &report.decodability {
        Decodability::Ambiguous {
            first,
            second,
            longest_prefix_chain,
        } => (false, json!([first, second]), json!(longest_prefix_chain)),
        // `Decodability` may gain variants; anything else is "decodable".
        _ => (true, serde_json::Value::Null, serde_json::Value::Null),
    };
    json!({
        "wordlist": report.origin,
        "separator": report.separator,
        "capitalize": report.capitalize,
        "words": report.words,
        "exact_duplicates_removed": report.exact_duplicates_removed,
        "folded_duplicates": report.folded_duplicates,
        "distinct": report.distinct,
        "containing_separator": report.containing_separator,
        "uniquely_decodable": decodable,
        "ambiguous_example": example,
        "longest_prefix_chain": chain,
        "bits_per_word": report.bits_per_word(),
        "warnings": report.warnings().iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}
