//! `token-base32`, `token-crockford`, `token-base58`, `token --alphabet`,
//! `pin`, `uuid` and `ulid`: the token formats of `secrets_tokens::formats`.

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use secrets_gen::explain::SetSize;
use secrets_tokens::formats::{self, Alphabet, DEFAULT_TOKEN_BITS};

use crate::output::{self, BitsArg, Emitter, OutputArgs};

/// The longest token, in symbols: like `token-hex`, a token is held whole
/// in memory before it is printed, so lengths are bounded up front.
const MAX_LENGTH: usize = 256 * 1024 * 1024;

fn parse_length(text: &str) -> Result<usize, String> {
    output::parse_in_range(text, 1..=MAX_LENGTH, "the length")
}

/// The flags of `token-base32`, `token-crockford` and `token-base58`, also
/// those of `token --alphabet` after its alphabet.
#[derive(Debug, Args)]
pub(crate) struct EncodedTokenArgs {
    /// Characters in the token [default: the fewest for 128 bits].
    #[arg(short, long, value_name = "N", value_parser = parse_length, conflicts_with = "bits")]
    length: Option<usize>,

    #[command(flatten)]
    bits: BitsArg,

    #[command(flatten)]
    output: OutputArgs,
}

/// The flags of `token --alphabet STR`.
#[derive(Debug, Args)]
// Here a token's length counts symbols, which need not be ASCII characters.
#[command(mut_arg("length", |arg| arg.help("Symbols in the token [default: the fewest for 128 bits]")))]
pub(crate) struct AlphabetTokenArgs {
    /// The symbols to draw from, each once (any Unicode characters).
    #[arg(short, long, value_name = "STR")]
    alphabet: String,

    #[command(flatten)]
    token: EncodedTokenArgs,
}

/// The flags of `pin`.
#[derive(Debug, Args)]
pub(crate) struct PinArgs {
    /// Digits in the PIN [default: 6].
    #[arg(short, long, value_name = "N", value_parser = parse_length, conflicts_with = "bits")]
    digits: Option<usize>,

    #[command(flatten)]
    bits: BitsArg,

    #[command(flatten)]
    output: OutputArgs,
}

/// The UUID versions `uuid` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum UuidVersion {
    /// Version 4: 122 random bits.
    #[value(name = "4")]
    V4,
    /// Version 7: a millisecond Unix timestamp and 74 random bits.
    #[value(name = "7")]
    V7,
}

/// The flags of `uuid`.
#[derive(Debug, Args)]
pub(crate) struct UuidArgs {
    /// The UUID version: 4 (random) or 7 (time-ordered).
    #[arg(long = "version", value_name = "4|7", default_value = "4")]
    version: UuidVersion,

    #[command(flatten)]
    output: OutputArgs,
}

/// The flags of `ulid`.
#[derive(Debug, Args)]
pub(crate) struct UlidArgs {
    #[command(flatten)]
    output: OutputArgs,
}

/// The length for a token over `alphabet`: as given, or the fewest symbols
/// for `--bits` (or for the default 128 bits).
fn resolve_length(alphabet: &Alphabet, length: Option<usize>, bits: BitsArg) -> Result<usize> {
    if let Some(length) = length {
        return Ok(length);
    }
    let strength = alphabet.length_for_bits(bits.bits.unwrap_or(DEFAULT_TOKEN_BITS))?;
    if strength.length > MAX_LENGTH {
        bail!(
            "--bits asks for a token of {} symbols; the most is {MAX_LENGTH}",
            strength.length
        );
    }
    Ok(strength.length)
}

/// Prints tokens; with `--json` each record also names the alphabet
/// (`format`, plus the symbols for `token --alphabet`) and the length.
fn emit_tokens(
    format: &str,
    alphabet: &Alphabet,
    length: Option<usize>,
    bits: BitsArg,
    output: &OutputArgs,
) -> Result<()> {
    let length = resolve_length(alphabet, length, bits)?;
    let entropy = alphabet.entropy_bits(length);
    let mut extra = vec![
        ("format", serde_json::Value::from(format)),
        ("length", serde_json::Value::from(length)),
    ];
    if format == "alphabet" {
        let symbols: String = alphabet.symbols().into_iter().collect();
        extra.push(("alphabet", serde_json::Value::from(symbols)));
    }
    let set_size = SetSize::power(alphabet.len() as u64, length as u64)?;
    Emitter::new(output)
        .with_set_size(set_size)
        .emit_all(output.count, entropy, &extra, || alphabet.token(length))
}

/// Prints time-based or random IDs; `--json` records name the format.
fn emit_ids(
    format: &str,
    bits: u64,
    output: &OutputArgs,
    next: impl FnMut() -> secrets::Result<String>,
) -> Result<()> {
    let extra = [("format", serde_json::Value::from(format))];
    Emitter::new(output).emit_all(output.count, bits as f64, &extra, next)
}

/// Prints strictly increasing v7 UUIDs or ULIDs. Each `--json` record's
/// `entropy_bits` is the fresh randomness of that ID: the whole random
/// field for the first of its millisecond, the 32-bit increment after.
fn emit_ordered_ids(
    format: &str,
    field_bits: u64,
    output: &OutputArgs,
    mut next: impl FnMut() -> secrets::Result<formats::OrderedId>,
) -> Result<()> {
    let extra = [
        ("format", serde_json::Value::from(format)),
        ("random_field_bits", serde_json::Value::from(field_bits)),
    ];
    let note = format!(
        "entropy: {field_bits} bits for the first ID of each millisecond, {} bits (a random \
         increment, so IDs stay strictly increasing) for each later one in it",
        formats::INCREMENT_BITS
    );
    // --explain's set is the whole random field: IDs of one process never
    // collide (they strictly increase), so its collision figure is for IDs
    // made by independent processes.
    let mut emitter = Emitter::new(output)
        .with_entropy_note(note)
        .with_set_size(SetSize::bits(field_bits));
    for _ in 0..output.count {
        let id = next()?;
        emitter.emit_with(&id.text, id.fresh_bits as f64, &extra)?;
    }
    emitter.finish()
}

/// `token-base32`.
pub(crate) fn run_base32(args: &EncodedTokenArgs) -> Result<()> {
    emit_tokens(
        "base32",
        &Alphabet::base32(),
        args.length,
        args.bits,
        &args.output,
    )
}

/// `token-crockford`.
pub(crate) fn run_crockford(args: &EncodedTokenArgs) -> Result<()> {
    emit_tokens(
        "crockford",
        &Alphabet::crockford(),
        args.length,
        args.bits,
        &args.output,
    )
}

/// `token-base58`.
pub(crate) fn run_base58(args: &EncodedTokenArgs) -> Result<()> {
    emit_tokens(
        "base58",
        &Alphabet::base58(),
        args.length,
        args.bits,
        &args.output,
    )
}

/// `token --alphabet STR`.
pub(crate) fn run_alphabet(args: &AlphabetTokenArgs) -> Result<()> {
    // Tokens are printed one a line: a newline or other control character
    // in a token would split or garble it.
    if let Some(control) = args.alphabet.chars().find(|c| c.is_control()) {
        bail!(
            "the alphabet contains the control character U+{:04X}; tokens are printed one a \
             line, so use printable characters only",
            u32::from(control)
        );
    }
    let alphabet = Alphabet::new(&args.alphabet)?;
    let token = &args.token;
    emit_tokens(
        "alphabet",
        &alphabet,
        token.length,
        token.bits,
        &token.output,
    )
}

/// `pin`.
pub(crate) fn run_pin(args: &PinArgs) -> Result<()> {
    // Six digits unless told otherwise: the usual PIN, 19.9 bits.
    let digits = match (args.digits, args.bits.bits) {
        (Some(digits), _) => Some(digits),
        (None, None) => Some(6),
        (None, Some(_)) => None,
    };
    emit_tokens("pin", &Alphabet::digits(), digits, args.bits, &args.output)
}

/// `uuid`.
pub(crate) fn run_uuid(args: &UuidArgs) -> Result<()> {
    match args.version {
        UuidVersion::V4 => emit_ids(
            "uuid-v4",
            formats::UUID_V4_RANDOM_BITS,
            &args.output,
            formats::uuid_v4,
        ),
        UuidVersion::V7 => emit_ordered_ids(
            "uuid-v7",
            formats::UUID_V7_RANDOM_BITS,
            &args.output,
            formats::ordered_uuid_v7,
        ),
    }
}

/// `ulid`.
pub(crate) fn run_ulid(args: &UlidArgs) -> Result<()> {
    emit_ordered_ids(
        "ulid",
        formats::ULID_RANDOM_BITS,
        &args.output,
        formats::ordered_ulid,
    )
}
