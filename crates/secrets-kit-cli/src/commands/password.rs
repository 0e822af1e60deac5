//! `password`: passwords under a policy (classes, an alphabet, minimums,
//! look-alikes, runs, or a site's `passwordrules`), each uniform over exactly
//! the strings the policy allows, with the exact entropy of that set.

use anyhow::Result;
use clap::{Args, ValueEnum};
use secrets_gen::password::{CharClass, PasswordPolicy, SiteRules, Style, policy_warnings};

use crate::output::{self, BitsArg, Emitter, OutputArgs};

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

/// A style for `--style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StyleName {
    /// Apple's layout: xxxxxx-xxxxxx-xxxxxx, one capital and one digit
    /// (91.49 bits; --length counts groups)
    Apple,
    /// cv/cvc syllables that read aloud (22 letters, 83.01 bits)
    Pronounceable,
    /// Digits (6, 19.93 bits)
    Pin,
    /// Letters and digits (17, 101.22 bits)
    Alnum,
}

impl From<StyleName> for Style {
    fn from(name: StyleName) -> Self {
        match name {
            StyleName::Apple => Style::Apple,
            StyleName::Pronounceable => Style::Pronounceable,
            StyleName::Pin => Style::Pin,
            StyleName::Alnum => Style::Alnum,
        }
    }
}

/// The environment variable that names the rules file for `--site`.
pub(crate) const RULES_FILE_VAR: &str = "SECRETS_PASSWORD_RULES_FILE";

/// The flags that describe a policy, which a --style replaces.
const POLICY_FLAGS: [&str; 11] = [
    "site",
    "classes",
    "alphabet",
    "rules",
    "at_least_classes",
    "min_lower",
    "min_upper",
    "min_digits",
    "min_symbols",
    "exclude_ambiguous",
    "max_consecutive",
];

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

    /// A memorable style instead of a policy; each is uniform over exactly
    /// the strings it can produce. With --length, the size is in the
    /// style's units (groups for apple).
    #[arg(long, value_name = "STYLE", conflicts_with_all = POLICY_FLAGS)]
    style: Option<StyleName>,

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

    /// Need characters from at least K of the --classes (default: all
    /// four), not from every one: "at least 3 of upper, lower, digits,
    /// symbols". Still uniform over exactly the passwords that qualify.
    #[arg(long, value_name = "K")]
    at_least_classes: Option<usize>,

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

    /// Use the rules listed for this site (a host name or URL) in the rules
    /// file (--quirks or $SECRETS_PASSWORD_RULES_FILE); subdomains match
    /// unless the entry is exact-only. An unknown site gets the defaults.
    #[arg(long, value_name = "DOMAIN", conflicts_with_all = ["rules", "alphabet", "classes"])]
    site: Option<String>,

    /// The rules file for --site: password-rules.json from Apple's
    /// password-manager-resources repository (quirks/password-rules.json)
    /// [default: $SECRETS_PASSWORD_RULES_FILE].
    #[arg(long, value_name = "FILE", requires = "site")]
    quirks: Option<std::path::PathBuf>,

    #[command(flatten)]
    output: OutputArgs,
}

/// The library policy the flags describe.
fn policy(args: &PasswordArgs, site_rules: Option<&str>) -> Result<PasswordPolicy> {
    let rules = site_rules.or(args.rules.as_deref());
    let mut policy = match (rules, &args.alphabet, &args.classes) {
        (Some(rules), _, _) => PasswordPolicy::from_rules(rules)?,
        (None, Some(alphabet), _) => PasswordPolicy::new().alphabet(alphabet.as_str()),
        (None, None, Some(classes)) => {
            let classes: Vec<CharClass> = classes.iter().map(|&c| c.into()).collect();
            PasswordPolicy::new().classes(&classes)
        }
        (None, None, None) => PasswordPolicy::new(),
    };
    if let Some(at_least) = args.at_least_classes {
        let classes: Vec<CharClass> = match &args.classes {
            Some(classes) => classes.iter().map(|&c| c.into()).collect(),
            None => CharClass::ALL.to_vec(),
        };
        policy = policy.at_least_classes(at_least, &classes);
    }
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
    if let Some(style) = args.style {
        return run_style(args, style.into());
    }
    let site_rules = match &args.site {
        Some(site) => site_rules(site, args.quirks.as_deref())?,
        None => None,
    };
    let site_entry = site_rules.as_ref().map(|(domain, _)| domain.clone());
    let site_rules = site_rules.map(|(_, rules)| rules);
    let rules = site_rules.as_deref().or(args.rules.as_deref());
    let policy = policy(args, site_rules.as_deref())?;
    let generator = policy.generator()?;
    let bits = generator.entropy_bits();
    for warning in policy_warnings(&policy, rules)? {
        eprintln!("warning: {warning}");
    }
    let mut extra = vec![
        ("length", serde_json::Value::from(generator.length())),
        output::count_field(generator.count()),
    ];
    if args.site.is_some() {
        // The rules file's entry that matched, or null for the defaults.
        extra.push(("site_entry", serde_json::Value::from(site_entry)));
    }
    let set_size = secrets_gen::explain::SetSize::exact(generator.count().clone())?;
    Emitter::new(&args.output).with_set_size(set_size).emit_all(
        args.output.count,
        bits,
        &extra,
        || generator.generate(),
    )
}

/// `password --style`.
fn run_style(args: &PasswordArgs, style: Style) -> Result<()> {
    let generator = match (args.length, args.bits.bits) {
        (Some(size), _) => style.with_size(size)?,
        (None, Some(bits)) => style.for_bits(bits)?,
        (None, None) => style.generator()?,
    };
    let bits = generator.entropy_bits();
    let extra = [
        ("style", serde_json::Value::from(style.name())),
        ("length", serde_json::Value::from(generator.length())),
        output::count_field(generator.count()),
    ];
    Emitter::new(&args.output).emit_all(args.output.count, bits, &extra, || generator.generate())
}

/// Looks `site` up in the rules file and says on standard error which entry
/// matched, or that none did. Returns the entry's domain and rules.
fn site_rules(site: &str, quirks: Option<&std::path::Path>) -> Result<Option<(String, String)>> {
    let from_env = std::env::var_os(RULES_FILE_VAR);
    let path = match (quirks, &from_env) {
        (Some(path), _) => path.to_owned(),
        (None, Some(path)) if !path.is_empty() => std::path::PathBuf::from(path),
        _ => anyhow::bail!(
            "--site needs the rules file: give --quirks FILE or set {RULES_FILE_VAR}; the file is \
             quirks/password-rules.json in Apple's password-manager-resources repository"
        ),
    };
    let file = SiteRules::from_file(&path)?;
    match file.lookup(site) {
        Some(found) => {
            let scope = if found.entry.exact_domain_match_only {
                "this domain only"
            } else {
                "subdomains included"
            };
            eprintln!(
                "site: {site} matched the entry {:?} ({scope}): {}",
                found.domain, found.entry.rules
            );
            Ok(Some((found.domain.to_owned(), found.entry.rules.clone())))
        }
        None => {
            eprintln!(
                "site: no entry for {site} in {} ({} entries); using the default policy",
                path.display(),
                file.len()
            );
            Ok(None)
        }
    }
}
