//! `passphrase`: words from an embedded or user word list, with the
//! list's lint warnings on standard error and an honest entropy figure.

use std::io::{self, Write as _};

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use secrets_gen::wordlist::{
    Capitalize, DEFAULT_PASSPHRASE_BITS, PassphraseGenerator, PhraseOptions, WordList,
};

use secrets_gen::explain::SetSize;

use crate::commands::wordlist::SeparatorArg;
use crate::output::{self, BitsArg, Emitter, OutputArgs};

/// The most words a passphrase may have: far beyond any use, and a bound
/// that keeps the phrase's allocation small.
const MAX_WORDS: usize = 1 << 20;

fn parse_words(text: &str) -> Result<usize, String> {
    output::parse_in_range(text, 1..=MAX_WORDS, "the number of words")
}

/// The flags of `passphrase`.
#[derive(Debug, Args)]
pub(crate) struct PassphraseArgs {
    /// Words in the passphrase [default: the fewest for 75 bits; 6 with the
    /// EFF long list].
    #[arg(short, long, value_name = "N", value_parser = parse_words, conflicts_with = "bits")]
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
    let constrained = args.rules.is_some()
        || args.digit
        || args.symbol
        || args.max_length.is_some()
        || matches!(
            args.capitalize,
            Some(CapitalizeMode::One | CapitalizeMode::Random)
        );
    if constrained {
        return run_constrained(args, &list);
    }
    let capitalize = args.capitalize == Some(CapitalizeMode::All);
    let generator = PassphraseGenerator::new(&list, &args.separator.separator, capitalize)?;
    let words = match (args.words, args.bits.bits) {
        (Some(words), _) => words,
        (None, bits) => {
            generator
                .words_for_bits(bits.unwrap_or(DEFAULT_PASSPHRASE_BITS))?
                .length
        }
    };
    if words > MAX_WORDS {
        bail!("--bits asks for a passphrase of {words} words; the most is {MAX_WORDS}");
    }
    // Warnings first, so they are seen even when the output is piped on.
    let mut stderr = io::stderr().lock();
    for warning in generator.warnings() {
        let _ = writeln!(stderr, "warning: {warning}");
    }
    drop(stderr);

    let entropy = generator.entropy_bits(words);
    let extra = [
        ("words", serde_json::Value::from(words)),
        ("wordlist", serde_json::Value::from(list.origin())),
        (
            "separator",
            serde_json::Value::from(args.separator.separator.as_str()),
        ),
    ];
    // A uniquely decodable list: every phrase is one of len^words; for an
    // ambiguous one the entropy is a lower bound, and so the set.
    let uniform_bits = words as f64 * (list.len() as f64).log2();
    let set_size = if (entropy - uniform_bits).abs() < 1e-9 {
        SetSize::power(list.len() as u64, words as u64)?
    } else {
        SetSize::from_entropy(entropy)?
    };
    Emitter::new(&args.output).with_set_size(set_size).emit_all(
        args.output.count,
        entropy,
        &extra,
        || generator.generate(words),
    )
}

/// `passphrase` with rules, a digit, a symbol, random capitals or a length
/// limit: one structure, uniform, with its exact count.
fn run_constrained(args: &PassphraseArgs, list: &WordList) -> Result<()> {
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
    let generator = options.generator(list, args.words, args.bits.bits)?;
    let entropy = generator.entropy_bits();
    let mut stderr = io::stderr().lock();
    for line in generator.transformations() {
        let _ = writeln!(stderr, "note: {line}");
    }
    if args.words.is_none() && args.bits.bits.is_none() && entropy < DEFAULT_PASSPHRASE_BITS as f64
    {
        let _ = writeln!(
            stderr,
            "warning: the length limits allow at most {} bits here ({} words; the default aims for \
             {DEFAULT_PASSPHRASE_BITS})",
            crate::output::format_bits(entropy),
            generator.phrase_words()
        );
    }
    drop(stderr);
    let extra = [
        ("words", serde_json::Value::from(generator.phrase_words())),
        ("wordlist", serde_json::Value::from(list.origin())),
        output::count_field(generator.count()),
    ];
    Emitter::new(&args.output).emit_all(args.output.count, entropy, &extra, || generator.generate())
}
