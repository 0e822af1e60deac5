//! `password`: passwords under a policy (classes, an alphabet, minimums,
//! look-alikes, runs, or a site's `passwordrules`), each uniform over exactly
//! the strings the policy allows, with the exact entropy of that set.

use anyhow::Result;
use clap::{Args, ValueEnum};
use secrets::password::{CharClass, DEFAULT_BITS, PasswordPolicy};
use zeroize::Zeroize as _;

use crate::output::{BitsArg, Emitter, OutputArgs, format_bits};

/// A class for `--classes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ClassName {
    /// a-z
    Lower,
    /// A-Z
    Upper,
    /// 0-9
    Digits,
    /// The 32 ASCII punctuation characters
    Symbols,
}

impl From<ClassName> for CharClass {
    fn from(name: ClassName) -> Self {
        match name {
            ClassName::Lower => CharClass::Lower,
            ClassName::Upper => CharClass::Upper,
            ClassName::Digits => CharClass::Digits,
            ClassName::Symbols => CharClass::Symbols,
        }
    }
}

/// The flags of `password`.
///
/// With no flags: 16 characters from lower, upper, digits and symbols, at
/// least one of each, about 104.6 bits.
#[derive(Debug, Args)]
pub(crate) struct PasswordArgs {
    /// Characters per password [default: the fewest that reach 100 bits,
    /// 16 with the default classes].
    #[arg(short, long, value_name = "L", conflicts_with = "bits")]
    length: Option<usize>,

    #[command(flatten)]
    bits: BitsArg,

    /// The classes to draw from, comma separated; each one given must
    /// appear at least once (lower it with --min-CLASS 0)
    /// [default: lower,upper,digits,symbols].
    #[arg(
        long,
        value_name = "CLASSES",
        value_delimiter = ',',
        conflicts_with_all = ["alphabet", "rules"]
    )]
    classes: Option<Vec<ClassName>>,

    /// Draw from exactly these characters instead of the classes; each may
    /// appear only once.
    #[arg(long, value_name = "STR", conflicts_with = "rules")]
    alphabet: Option<String>,

    /// At least N lowercase letters.
    #[arg(long, value_name = "N")]
    min_lower: Option<usize>,

    /// At least N uppercase letters.
    #[arg(long, value_name = "N")]
    min_upper: Option<usize>,

    /// At least N digits.
    #[arg(long, value_name = "N")]
    min_digits: Option<usize>,

    /// At least N symbols (ASCII punctuation).
    #[arg(long, value_name = "N")]
    min_symbols: Option<usize>,

    /// Leave out look-alike characters: 0 O o 1 l I i | B 8 G 6 ' " `
    #[arg(long)]
    exclude_ambiguous: bool,

    /// At most N copies of one character in a row (replaces the rules'
    /// max-consecutive).
    #[arg(long, value_name = "N")]
    max_consecutive: Option<usize>,

    /// A site's rules in the passwordrules syntax, such as
    /// "minlength: 12; required: upper; required: digit; allowed: lower".
    #[arg(long, value_name = "RULES")]
    rules: Option<String>,

    #[command(flatten)]
    output: OutputArgs,
}

/// The library policy the flags describe.
fn policy(args: &PasswordArgs) -> Result<PasswordPolicy> {
    let mut policy = match (&args.rules, &args.alphabet, &args.classes) {
        (Some(rules), _, _) => PasswordPolicy::from_rules(rules)?,
        (None, Some(alphabet), _) => PasswordPolicy::new().alphabet(alphabet.as_str()),
        (None, None, Some(classes)) => {
            let classes: Vec<CharClass> = classes.iter().map(|&c| c.into()).collect();
            PasswordPolicy::new().classes(&classes)
        }
        (None, None, None) => PasswordPolicy::new(),
    };
    let minimums = [
        (CharClass::Lower, args.min_lower),
        (CharClass::Upper, args.min_upper),
        (CharClass::Digits, args.min_digits),
        (CharClass::Symbols, args.min_symbols),
    ];
    for (class, minimum) in minimums {
        if let Some(at_least) = minimum {
            policy = policy.min(class, at_least);
        }
    }
    if let Some(length) = args.length {
        policy = policy.length(length);
    }
    if let Some(bits) = args.bits.bits {
        policy = policy.bits(bits);
    }
    if let Some(max) = args.max_consecutive {
        policy = policy.max_consecutive(max);
    }
    Ok(policy.exclude_ambiguous(args.exclude_ambiguous))
}

/// Runs `password`.
///
/// # Errors
///
/// An impossible or malformed policy, a failure of the random source, or a
/// failed write.
pub(crate) fn run(args: &PasswordArgs) -> Result<()> {
    let generator = policy(args)?.generator()?;
    let bits = generator.entropy_bits();
    if args.length.is_none() && args.bits.bits.is_none() && bits < DEFAULT_BITS as f64 {
        // Only rules with a maxlength get here: the longest password they
        // allow is still weaker than the default target. Say so once.
        eprintln!(
            "warning: the rules allow at most {} characters, so each password has only {} bits \
             of entropy (the default aims for {DEFAULT_BITS})",
            generator.length(),
            format_bits(bits)
        );
    }
    let extra = [
        ("length", serde_json::Value::from(generator.length())),
        // The exact number of passwords the policy allows, as a decimal
        // string: it can exceed what a JSON number holds exactly.
        (
            "count",
            serde_json::Value::from(generator.count().to_string()),
        ),
    ];
    let mut emitter = Emitter::new(&args.output);
    for _ in 0..args.output.count {
        let mut password = generator.generate()?;
        let written = emitter.emit_with(&password, bits, &extra);
        password.zeroize();
        written?;
    }
    emitter.finish()
}
