//! `estimate`: how hard an existing password is to guess, as estimated by
//! zxcvbn (the well-kept estimator password managers use), or exactly when
//! the caller knows the entropy because this tool generated the password.
//!
//! The password is read from standard input, or from a prompt that does not
//! echo when standard input is a terminal: never from the command line,
//! where it would land in the shell history and the process list.

use std::io::{self, IsTerminal as _, Write as _};

use anyhow::{Context as _, Result, bail};
use clap::Args;
use secrets::ErrorKind;
use secrets_gen::read::read_capped_from;
use serde_json::json;
use zeroize::Zeroizing;
use zxcvbn::matching::patterns::MatchPattern;

use crate::output::WRITE_CONTEXT;

/// The longest password estimated, in bytes. zxcvbn's matching grows faster
/// than linearly with the length, and no typed password comes near this.
pub(crate) const MAX_PASSWORD_BYTES: usize = 1024;

/// The guessing rates the crack times are given for, in guesses per second,
/// with what each stands for. They are zxcvbn's four scenarios.
const RATES: [(&str, f64, &str); 4] = [
    (
        "online_throttled",
        100.0 / 3600.0,
        "online, throttled (100 guesses/hour)",
    ),
    (
        "online_unthrottled",
        10.0,
        "online, unthrottled (10 guesses/s)",
    ),
    (
        "offline_slow_hash",
        1e4,
        "offline, slow hash such as bcrypt (10^4 guesses/s)",
    ),
    (
        "offline_fast_hash",
        1e10,
        "offline, fast hash on many GPUs (10^10 guesses/s)",
    ),
];

/// The flags of `estimate`.
#[derive(Debug, Args)]
pub(crate) struct EstimateArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,

    /// The password's exact entropy in bits, when this tool generated it
    /// (the figure `--entropy` or `--json` printed then): it replaces the
    /// estimate's guess count, and the output says so.
    #[arg(long, value_name = "BITS", value_parser = parse_entropy)]
    entropy: Option<f64>,
}

fn parse_entropy(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(bits) if bits.is_finite() && (0.0..=65_536.0).contains(&bits) => Ok(bits),
        _ => Err("the entropy must be a number of bits from 0 to 65536".to_owned()),
    }
}

/// Reads the password: a no-echo prompt on a terminal, else all of
/// standard input less one final line ending.
fn read_password() -> Result<Zeroizing<String>> {
    let stdin = io::stdin();
    let mut password = if stdin.is_terminal() {
        Zeroizing::new(
            rpassword::prompt_password("Password (not shown): ")
                .context("cannot read the password from the terminal")?,
        )
    } else {
        // The password and one line ending; more is refused as too long.
        let cap = MAX_PASSWORD_BYTES as u64 + 2;
        let read = read_capped_from(stdin.lock(), None, cap, "the password on standard input");
        let mut bytes = match read {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == ErrorKind::TooLarge => bail!(too_long()),
            Err(err) => return Err(err.into()),
        };
        match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(text) => Zeroizing::new(text),
            Err(err) => {
                // Wipe the bytes the error hands back.
                drop(Zeroizing::new(err.into_bytes()));
                bail!("the password on standard input is not UTF-8 text");
            }
        }
    };
    if password.ends_with('\n') {
        password.pop();
        if password.ends_with('\r') {
            password.pop();
        }
    }
    if password.len() > MAX_PASSWORD_BYTES {
        bail!(too_long());
    }
    if password.is_empty() {
        bail!(
            "no password given; pipe one line to standard input (printf '%s' \"$PW\" | secrets \
             estimate) or run on a terminal to be prompted"
        );
    }
    if password.contains('\n') {
        bail!("standard input holds more than one line; give one password per run");
    }
    Ok(password)
}

fn too_long() -> String {
    format!(
        "the password is longer than {MAX_PASSWORD_BYTES} bytes; estimate one password of at \
         most that length"
    )
}

fn pattern_name(pattern: &MatchPattern) -> String {
    match pattern {
        MatchPattern::Dictionary(d) => {
            let mut name = format!("dictionary word ({:?} list", d.dictionary_name);
            if d.reversed {
                name.push_str(", reversed");
            }
            if d.l33t {
                name.push_str(", l33t substitutions");
            }
            name.push_str(&format!(", rank {})", d.rank));
            name.to_lowercase()
        }
        MatchPattern::Spatial(s) => format!("keyboard pattern ({})", s.graph),
        MatchPattern::Repeat(_) => "repeated characters or group".to_owned(),
        MatchPattern::Sequence(s) => format!("sequence ({})", s.sequence_name),
        MatchPattern::Regex(r) => format!("pattern ({})", r.regex_name),
        MatchPattern::Date(_) => "date".to_owned(),
        MatchPattern::BruteForce => "random-looking characters".to_owned(),
    }
}

/// Seconds to try `10^log10_guesses` guesses at `rate` per second.
fn seconds(log10_guesses: f64, rate: f64) -> f64 {
    10f64.powf(log10_guesses) / rate
}

/// A duration for people: the largest unit that fits, or "centuries".
pub(crate) fn human_time(seconds: f64) -> String {
    const UNITS: [(&str, f64); 6] = [
        ("second", 1.0),
        ("minute", 60.0),
        ("hour", 3600.0),
        ("day", 86_400.0),
        ("month", 2_678_400.0),
        ("year", 32_140_800.0),
    ];
    if seconds < 1.0 {
        return "less than a second".to_owned();
    }
    if seconds >= 100.0 * 32_140_800.0 {
        return "centuries".to_owned();
    }
    let (unit, size) = UNITS
        .iter()
        .rev()
        .find(|(_, size)| seconds >= *size)
        .copied()
        .unwrap_or(UNITS[0]);
    let amount = (seconds / size).floor();
    format!("{amount} {unit}{}", if amount == 1.0 { "" } else { "s" })
}

/// Runs `estimate`.
///
/// # Errors
///
/// No password, one too long or not UTF-8, or a failed write.
pub(crate) fn run(args: &EstimateArgs) -> Result<()> {
    let password = read_password()?;
    let estimate = zxcvbn::zxcvbn(&password, &[]);
    let length = password.chars().count();
    drop(password);

    let estimated_log10 = estimate.guesses_log10();
    // zxcvbn counts guesses in a u64: at 2^64 its figure is a floor.
    let capped = estimated_log10 >= 64.0 * std::f64::consts::LOG10_2 - 1e-9;
    // With a known entropy an attacker who knows how the password was made
    // needs 2^bits guesses to try them all: that figure wins.
    let (log10_guesses, basis) = match args.entropy {
        Some(bits) => (bits * std::f64::consts::LOG10_2, "exact"),
        None => (estimated_log10, "estimate"),
    };
    let patterns: Vec<String> = estimate
        .sequence()
        .iter()
        .map(|m| {
            format!(
                "{} at characters {}-{}",
                pattern_name(&m.pattern),
                m.i + 1,
                m.j + 1
            )
        })
        .collect();
    let warning = estimate
        .feedback()
        .and_then(|f| f.warning())
        .map(|w| w.to_string());
    let mut advice: Vec<String> = estimate
        .feedback()
        .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    if args.entropy.is_some_and(|bits| bits < 64.0) {
        advice.push("Generate a longer password: under 64 bits can be searched offline.".into());
    }

    let mut out = io::stdout().lock();
    if args.json {
        let times: serde_json::Map<String, serde_json::Value> = RATES
            .iter()
            .map(|(key, rate, _)| {
                let s = seconds(log10_guesses, *rate);
                (
                    (*key).to_owned(),
                    json!({ "seconds": s, "display": human_time(s) }),
                )
            })
            .collect();
        let record = json!({
            "basis": basis,
            "note": match basis {
                "exact" => "the exact entropy given with --entropy wins over zxcvbn's estimate",
                _ => "an estimate by zxcvbn of how attackers guess, not a measurement",
            },
            "guesses_log10": round(log10_guesses),
            "entropy_bits": args.entropy,
            "estimated_guesses_log10": round(estimated_log10),
            "estimate_capped": capped,
            "score": u8::from(estimate.score()),
            "length": length,
            "crack_times": times,
            "patterns": patterns,
            "warning": warning,
            "advice": advice,
        });
        writeln!(out, "{record}").context(WRITE_CONTEXT)?;
        return Ok(());
    }

    let mut text = String::new();
    match args.entropy {
        Some(bits) => {
            text.push_str(&format!(
                "exact entropy: {bits} bits (given with --entropy; it wins over the estimate)\n\
                 guesses to try every possibility: 10^{:.1}\n",
                log10_guesses
            ));
            text.push_str(&format!(
                "zxcvbn's estimate for comparison: 10^{estimated_log10:.1} guesses\n"
            ));
        }
        None => text.push_str(&format!(
            "estimate (zxcvbn; a guess at how attackers guess, not a measurement)\n\
             guesses: {} 10^{estimated_log10:.1}\n",
            if capped { "at least" } else { "about" }
        )),
    }
    text.push_str(&format!(
        "score: {} of 4\nlength: {length} characters\ntime to crack:\n",
        u8::from(estimate.score())
    ));
    for (_, rate, label) in RATES {
        text.push_str(&format!(
            "  {label}: {}\n",
            human_time(seconds(log10_guesses, rate))
        ));
    }
    if !patterns.is_empty() {
        text.push_str("patterns found:\n");
        for pattern in &patterns {
            text.push_str(&format!("  {pattern}\n"));
        }
    }
    if let Some(warning) = &warning {
        text.push_str(&format!("warning: {warning}\n"));
    }
    for line in &advice {
        text.push_str(&format!("advice: {line}\n"));
    }
    out.write_all(text.as_bytes()).context(WRITE_CONTEXT)
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_readable() {
        assert_eq!(human_time(0.5), "less than a second");
        assert_eq!(human_time(1.0), "1 second");
        assert_eq!(human_time(125.0), "2 minutes");
        assert_eq!(human_time(86_400.0 * 3.0), "3 days");
        assert_eq!(human_time(1e12), "centuries");
        assert!((seconds(4.0, 10.0) - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn entropy_is_validated() {
        assert!(parse_entropy("-1").is_err());
        assert!(parse_entropy("nan").is_err());
        assert_eq!(parse_entropy("77.5"), Ok(77.5));
    }
}
