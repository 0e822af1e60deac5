//! The real-world corpus: every rule of Apple's `password-rules.json` (434
//! sites, MIT-licensed), read from `../shared/data/password-rules/` beside
//! the repository (never copied into it), must yield passwords that an
//! independent checker accepts, or a clean refusal that names the clash.
//! The exact entropy never exceeds `log2` of the allowed set's size at that
//! length; non-ASCII characters and best passwords under 64 bits are warned
//! about.
//!
//! The corpus is not in the repository, so the test is ignored by default
//! (a fresh clone reports it as ignored, never as passed). Run it with
//!
//! ```text
//! cargo test -p secrets-kit-gen --all-features --test tests real_world_rules -- --ignored
//! ```
//!
//! with the file at `../shared/data/password-rules/password-rules.json`
//! beside the clone, or anywhere with `SECRETS_RULES_CORPUS=path`. Once
//! asked for, the test fails when the file is missing; CI runs it so.
#![cfg(feature = "site-rules")]

use std::path::PathBuf;

use secrets_kit::ErrorKind;
use secrets_kit_gen::Warning;
use secrets_kit_gen::password::{PasswordPolicy, SiteRules, rules_warnings};

fn corpus_path() -> PathBuf {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("SECRETS_RULES_CORPUS") {
        Some(path) => PathBuf::from(path),
        None => repo.join("../shared/data/password-rules/password-rules.json"),
    }
}

/// An independent reading of one rule set: the allowed characters, the
/// required sets, the length bounds and the run limit. Written from the
/// proposal's text, sharing no code with the library's parser.
#[derive(Debug, Default)]
struct Reading {
    min_length: usize,
    max_length: Option<usize>,
    max_run: Option<usize>,
    required: Vec<Vec<char>>,
    allowed: Vec<char>,
}

fn class_chars(name: &str) -> Vec<char> {
    match name.trim().to_ascii_lowercase().as_str() {
        "upper" => ('A'..='Z').collect(),
        "lower" => ('a'..='z').collect(),
        "digit" => ('0'..='9').collect(),
        // The proposal's list: ASCII punctuation but '/' and '\' (and the
        // space, which the generator leaves out).
        "special" => "-~!@#$%^&*_+=`|(){}[:;\"'<>,.?]".chars().collect(),
        "ascii-printable" | "unicode" => ('!'..='~').collect(),
        other => panic!("unknown class {other:?}"),
    }
}

/// Splits `text` at `separator` outside `[...]` sets (`]]` inside a set
/// is a literal `]` that ends it).
fn split_outside_sets(text: &str, separator: char) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = vec![String::new()];
    let mut i = 0;
    let mut in_set = false;
    while i < chars.len() {
        let c = chars[i];
        if in_set {
            parts.last_mut().unwrap().push(c);
            if c == ']' {
                if chars.get(i + 1) == Some(&']') {
                    parts.last_mut().unwrap().push(']');
                    i += 1;
                }
                in_set = false;
            }
        } else if c == '[' {
            in_set = true;
            parts.last_mut().unwrap().push(c);
        } else if c == separator {
            parts.push(String::new());
        } else {
            parts.last_mut().unwrap().push(c);
        }
        i += 1;
    }
    parts
}

fn read_classes(value: &str) -> Vec<char> {
    let mut set = Vec::new();
    for item in split_outside_sets(value, ',') {
        let item = item.trim();
        if let Some(inner) = item.strip_prefix('[') {
            let inner = inner.strip_suffix(']').expect("a set ends with ]");
            set.extend(inner.chars().filter(|c| (' '..='~').contains(c)));
        } else {
            set.extend(class_chars(item));
        }
    }
    set.sort_unstable();
    set.dedup();
    set
}

fn read(rules: &str) -> Reading {
    let mut reading = Reading::default();
    let mut any_class = false;
    for rule in split_outside_sets(rules, ';') {
        let rule = rule.trim();
        if rule.is_empty() {
            continue;
        }
        let (name, value) = rule.split_once(':').expect("name: value");
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "minlength" => reading.min_length = reading.min_length.max(value.parse().unwrap()),
            "maxlength" => {
                let n: usize = value.parse().unwrap();
                reading.max_length = Some(reading.max_length.map_or(n, |m| m.min(n)));
            }
            "max-consecutive" => {
                let n: usize = value.parse().unwrap();
                reading.max_run = Some(reading.max_run.map_or(n, |m| m.min(n)));
            }
            "required" => {
                any_class = true;
                let set = read_classes(value);
                reading.allowed.extend(&set);
                reading.required.push(set);
            }
            "allowed" => {
                any_class = true;
                reading.allowed.extend(read_classes(value));
            }
            other => panic!("unknown rule {other:?}"),
        }
    }
    if !any_class {
        reading.allowed = ('!'..='~').collect();
    }
    // The space counts only where a set lists it: `special` leaves it out
    // here, as sites often trim it.
    reading.allowed.sort_unstable();
    reading.allowed.dedup();
    reading
}

/// What is wrong with `password` under the reading, if anything.
fn violation(reading: &Reading, password: &str) -> Option<String> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < reading.min_length {
        return Some(format!("shorter than minlength {}", reading.min_length));
    }
    if reading.max_length.is_some_and(|max| chars.len() > max) {
        return Some("longer than maxlength".to_owned());
    }
    if let Some(c) = chars.iter().find(|c| !reading.allowed.contains(c)) {
        return Some(format!("{c:?} is not allowed"));
    }
    for set in &reading.required {
        if !chars.iter().any(|c| set.contains(c)) {
            return Some(format!("nothing from the required set {set:?}"));
        }
    }
    if let Some(max) = reading.max_run {
        if chars.chunk_by(|a, b| a == b).any(|run| run.len() > max) {
            return Some(format!("a run longer than {max}"));
        }
    }
    None
}

#[test]
#[ignore = "needs the password-rules corpus: run with `-- --ignored`, the file at \
            ../shared/data/password-rules/password-rules.json or SECRETS_RULES_CORPUS=path"]
fn every_real_rule_yields_valid_passwords_or_a_clean_refusal() {
    let path = corpus_path();
    assert!(
        path.exists(),
        "the rules corpus {} is missing: put Apple's password-rules.json there or set \
         SECRETS_RULES_CORPUS",
        path.display()
    );
    let file = SiteRules::from_file(&path).unwrap();
    assert!(file.len() >= 300, "only {} entries", file.len());

    let (mut generated, mut refused, mut weak, mut non_ascii) = (0, 0, 0, 0);
    for (domain, entry) in file.entries() {
        let rules = &entry.rules;
        let reading = read(rules);
        let policy = PasswordPolicy::from_rules(rules)
            .unwrap_or_else(|err| panic!("{domain}: `{rules}` does not parse: {err}"));
        let generator = match policy.generator() {
            Ok(generator) => generator,
            Err(err) => {
                // A refusal must be about the rules, and name them.
                assert_eq!(err.kind(), ErrorKind::Unsatisfiable, "{domain}: {err}");
                assert!(
                    err.to_string().contains("no password") || err.to_string().contains("rules"),
                    "{domain}: {err}"
                );
                refused += 1;
                continue;
            }
        };
        generated += 1;
        // Never more than the allowed set's size at that length.
        let ceiling = generator.length() as f64 * (reading.allowed.len() as f64).log2();
        assert!(
            generator.entropy_bits() <= ceiling + 1e-9,
            "{domain}: {} bits above the ceiling {ceiling}",
            generator.entropy_bits()
        );
        assert!(
            generator
                .alphabet()
                .iter()
                .all(|c| reading.allowed.contains(c)),
            "{domain}"
        );
        for _ in 0..20 {
            let password = generator.generate().unwrap();
            if let Some(problem) = violation(&reading, &password) {
                panic!("{domain}: `{rules}` gave {password:?}: {problem}");
            }
        }

        let warnings = rules_warnings(rules).unwrap();
        let outside: Vec<char> = rules.chars().filter(|c| !c.is_ascii()).collect();
        for c in &outside {
            let code = format!("U+{:04X}", u32::from(*c));
            assert!(
                warnings.iter().any(
                    |w| matches!(w, Warning::NonAscii { chars } if chars.contains(c))
                        && w.to_string().contains(&code)
                ),
                "{domain}: {c:?} not named: {warnings:?}"
            );
        }
        non_ascii += usize::from(!outside.is_empty());
        // The best password: the longest allowed length, exactly counted.
        if let Some(max) = reading.max_length {
            let best = policy.clone().length(max).generator().unwrap();
            let figure = format!("{:.2} bits", best.entropy_bits());
            let warned = warnings.iter().any(|w| match w {
                Warning::Weak { length, bits } => {
                    assert_eq!((*length, *bits), (max, best.entropy_bits()), "{domain}");
                    w.to_string().contains(&figure)
                }
                _ => false,
            });
            assert_eq!(warned, best.entropy_bits() < 64.0, "{domain}: {warnings:?}");
            weak += usize::from(warned);
            // The upper bound agrees: charset^maxlength.
            assert!(
                best.entropy_bits() <= max as f64 * (reading.allowed.len() as f64).log2() + 1e-9
            );
        }
    }
    eprintln!(
        "{} entries: {generated} generate, {refused} refused cleanly, {weak} warned under 64 bits, \
         {non_ascii} with characters outside ASCII",
        file.len()
    );
    assert!(
        non_ascii >= 5,
        "the corpus has five rules with non-ASCII characters"
    );
    assert!(weak >= 10, "the corpus has many weak ceilings");
}
