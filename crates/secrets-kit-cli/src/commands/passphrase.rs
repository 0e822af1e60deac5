//! `passphrase`: words from an embedded or user word list, with the
//! library's warnings on standard error and an honest entropy figure. The
//! library picks the engine (`PhraseOptions::passphrases`); this only
//! parses, calls and prints.

use std::io::{self, Write as _};

use anyhow::Result;
use clap::{Args, ValueEnum};
use secrets_gen::wordlist::{Capitalize, MAX_PHRASE_WORDS, PhraseOptions, WordList};

use crate::commands::wordlist::SeparatorArg;
use crate::output::{self, BitsArg, Emitter, OutputArgs};

/// The flags of `passphrase`.
#[derive(Debug, Args)]
pub(crate) struct PassphraseArgs {
    /// Words in the passphrase, 1 to 64 [default: the fewest for 75 bits; 6
    /// with the EFF long list].
    #[arg(short, long, value_name = "N", value_parser = output::in_range(1..=MAX_PHRASE_WORDS, "the number of words"), conflicts_with = "bits")]
    words: Option<usize>,

    /// An embedded list (eff-long, eff-short-1, eff-short-2, reinhold,
    /// beale, minilock) or a UTF-8 file with one word per line (at most
    /// 16 MiB).
    #[arg(long, value_name = "NAME|PATH", default_value = "eff-long")]
    wordlist: String,

    #[command(flatten)]
    separator: SeparatorArg,

    /// Capitals: `all` (each word starts with one; the default when the
    /// flag is given alone), `one` (exactly one word), `random` (each word
    /// or not, one bit a word).
    #[arg(
        short,
        long,
        value_name = "MODE",
        num_args = 0..=1,
        default_missing_value = "all",
        require_equals = false
    )]
    capitalize: Option<CapitalizeMode>,

    /// Append one digit to one word (both uniform; +log2(10 x words) bits).
    #[arg(long)]
    digit: bool,

    /// Append one symbol (ASCII punctuation) to one word.
    #[arg(long)]
    symbol: bool,

    /// At most N characters in all; the words are drawn uniformly among the
    /// phrases that fit.
    #[arg(long, value_name = "N")]
    max_length: Option<usize>,

    /// A site's rules in the passwordrules syntax: the phrase meets them
    /// with as few changes as they need (capitals, separators drawn from a
    /// required set, an inserted digit or symbol), and the entropy is exact.
    #[arg(long, value_name = "RULES")]
    rules: Option<String>,

    #[command(flatten)]
    bits: BitsArg,

    #[command(flatten)]
    output: OutputArgs,
}

/// A mode for `--capitalize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CapitalizeMode {
    /// Every word starts with a capital
    All,
    /// Exactly one word, chosen at random
    One,
    /// Each word or not, at random
    Random,
}

/// `passphrase`.
pub(crate) fn run(args: &PassphraseArgs) -> Result<()> {
    let list = WordList::open(&args.wordlist)?;
    let mut options = PhraseOptions::new()
        .separator(&args.separator.separator)
        .digit(args.digit)
        .symbol(args.symbol)
        .capitalize(match args.capitalize {
            None => Capitalize::AsListed,
            Some(CapitalizeMode::All) => Capitalize::All,
            Some(CapitalizeMode::One) => Capitalize::One,
            Some(CapitalizeMode::Random) => Capitalize::Random,
        });
    if let Some(max) = args.max_length {
        options = options.max_length(max);
    }
    if let Some(rules) = &args.rules {
        options = options.rules(rules);
    }
    let phrases = options.passphrases(&list, args.words, args.bits.bits)?;
    // Notes and warnings first, so they are seen even when the output is
    // piped on.
    let mut stderr = io::stderr().lock();
    for line in phrases.transformations() {
        let _ = writeln!(stderr, "note: {line}");
    }
    for warning in phrases.warnings() {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    drop(stderr);
    let mut extra = vec![
        ("words", serde_json::Value::from(phrases.words())),
        ("wordlist", serde_json::Value::from(list.origin())),
    ];
    if let Some(separator) = phrases.separator() {
        extra.push(("separator", serde_json::Value::from(separator)));
    }
    extra.push(output::count_field(phrases.count()));
    Emitter::new(&args.output)
        .with_set_size(phrases.set_size().clone())
        .emit_all(args.output.count, phrases.entropy_bits(), &extra, || {
            phrases.generate()
        })
}
