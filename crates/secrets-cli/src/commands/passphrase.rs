//! `passphrase`: words from an embedded or user word list, with the
//! list's lint warnings on standard error and an honest entropy figure.

use std::io::{self, Write as _};

use anyhow::{Result, bail};
use clap::Args;
use secrets::wordlist::{DEFAULT_PASSPHRASE_BITS, PassphraseGenerator, WordList};

use crate::output::{BitsArg, Emitter, OutputArgs};

/// The most words a passphrase may have: far beyond any use, and a bound
/// that keeps the phrase's allocation small.
const MAX_WORDS: usize = 1 << 20;

fn parse_words(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n @ 1..=MAX_WORDS) => Ok(n),
        _ => Err(format!(
            "the number of words must be a whole number from 1 to {MAX_WORDS}"
        )),
    }
}

/// The flags of `passphrase`.
#[derive(Debug, Args)]
pub(crate) struct PassphraseArgs {
    /// Words in the passphrase [default: the fewest for 75 bits; 6 with the
    /// EFF long list].
    #[arg(short, long, value_name = "N", value_parser = parse_words, conflicts_with = "bits")]
    words: Option<usize>,

    /// An embedded list (eff-long, eff-short-1, eff-short-2, reinhold,
    /// beale, minilock) or a UTF-8 file with one word per line.
    #[arg(long, value_name = "NAME|PATH", default_value = "eff-long")]
    wordlist: String,

    /// The text between words.
    #[arg(
        short,
        long,
        value_name = "S",
        default_value = " ",
        allow_hyphen_values = true
    )]
    separator: String,

    /// Start each word with a capital letter.
    #[arg(short, long)]
    capitalize: bool,

    #[command(flatten)]
    bits: BitsArg,

    #[command(flatten)]
    output: OutputArgs,
}

/// `passphrase`.
pub(crate) fn run(args: &PassphraseArgs) -> Result<()> {
    let list = WordList::open(&args.wordlist)?;
    let generator = PassphraseGenerator::new(&list, &args.separator, args.capitalize)?;
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
            serde_json::Value::from(args.separator.as_str()),
        ),
    ];
    let mut emitter = Emitter::new(&args.output);
    for _ in 0..args.output.count {
        let phrase = generator.generate(words)?;
        emitter.emit_with(&phrase, entropy, &extra)?;
    }
    emitter.finish()
}
