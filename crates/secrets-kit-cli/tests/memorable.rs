//! The command's issue-12 options: `password --site` (subdomain, exact-only,
//! unknown), `--style`, `--at-least-classes`, and rule-constrained
//! `passphrase` options.

mod common;

use common::{fails, secrets};

const RULES_FILE: &str = r#"{
    "example.com": {"password-rules": "minlength: 10; maxlength: 12; required: digit; allowed: lower"},
    "bank.example": {"password-rules": "minlength: 6; maxlength: 6; allowed: digit", "exact-domain-match-only": true}
}"#;

fn rules_file() -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, RULES_FILE.as_bytes()).unwrap();
    file
}

/// Runs the command; returns (stdout, stderr), requiring success.
fn run(args: &[&str]) -> (String, String) {
    let output = secrets()
        .args(args)
        .env_remove("SECRETS_PASSWORD_RULES_FILE")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn site_matches_subdomains_and_says_which_entry() {
    let file = rules_file();
    let path = file.path().to_str().unwrap();
    let (out, err) = run(&[
        "password",
        "--site",
        "login.example.com",
        "--quirks",
        path,
        "-n",
        "20",
    ]);
    assert!(
        err.contains("matched the entry \"example.com\" (subdomains included)"),
        "{err}"
    );
    for password in out.lines() {
        assert_eq!(password.len(), 12, "{password}");
        assert!(
            password
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        assert!(password.bytes().any(|b| b.is_ascii_digit()));
    }
}

#[test]
fn exact_only_entries_match_only_their_domain() {
    let file = rules_file();
    let path = file.path().to_str().unwrap();
    let (out, err) = run(&["password", "--site", "bank.example", "--quirks", path]);
    assert!(err.contains("(this domain only)"), "{err}");
    assert!(err.contains("under 64"), "a 6-digit site is weak: {err}");
    assert_eq!(out.trim().len(), 6);
    // A subdomain of an exact-only entry is an unknown site: defaults.
    let (out, err) = run(&["password", "--site", "www.bank.example", "--quirks", path]);
    assert!(err.contains("no entry for www.bank.example"), "{err}");
    assert!(err.contains("using the default policy"), "{err}");
    assert_eq!(out.trim().chars().count(), 16);
}

#[test]
fn the_rules_file_can_come_from_the_environment() {
    let file = rules_file();
    let output = secrets()
        .args([
            "password",
            "--site",
            "https://shop.example.com/login",
            "--json",
        ])
        .env("SECRETS_PASSWORD_RULES_FILE", file.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(record["length"], 12);
    assert_eq!(record["site_entry"], "example.com");
    let line = fails(&["password", "--site", "example.com"]);
    assert!(line.contains("password-manager-resources"), "{line}");
}

#[test]
fn styles_print_their_layout_and_exact_entropy() {
    let (out, _) = run(&["password", "--style", "apple", "--json", "-n", "50"]);
    for line in out.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let value = record["value"].as_str().unwrap();
        let groups: Vec<&str> = value.split('-').collect();
        assert_eq!(groups.len(), 3, "{value}");
        assert!(groups.iter().all(|g| g.len() == 6));
        assert_eq!(
            value.chars().filter(char::is_ascii_uppercase).count(),
            1,
            "{value}"
        );
        assert_eq!(
            value.chars().filter(char::is_ascii_digit).count(),
            1,
            "{value}"
        );
        assert_eq!(record["entropy_bits"], 91.4868);
    }
    let (out, _) = run(&[
        "password",
        "--style",
        "pronounceable",
        "--bits",
        "64",
        "--json",
    ]);
    let record: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(record["entropy_bits"].as_f64().unwrap() >= 64.0);
    let (out, _) = run(&["password", "--style", "pin", "--length", "8"]);
    assert!(out.trim().len() == 8 && out.trim().bytes().all(|b| b.is_ascii_digit()));
    let (out, _) = run(&["password", "--style", "apple", "--length", "4"]);
    assert_eq!(out.trim().split('-').count(), 4);
}

#[test]
fn at_least_classes_widens_the_set_exactly() {
    let (out, _) = run(&[
        "password",
        "--at-least-classes",
        "3",
        "--length",
        "10",
        "--json",
        "-n",
        "30",
    ]);
    for line in out.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let value = record["value"].as_str().unwrap();
        let classes = [
            value.chars().any(|c| c.is_ascii_lowercase()),
            value.chars().any(|c| c.is_ascii_uppercase()),
            value.chars().any(|c| c.is_ascii_digit()),
            value.chars().any(|c| c.is_ascii_punctuation()),
        ];
        assert!(classes.iter().filter(|&&c| c).count() >= 3, "{value}");
    }
    let (out, _) = run(&[
        "password",
        "--at-least-classes",
        "1",
        "--classes",
        "digits,symbols",
        "--length",
        "4",
        "--json",
    ]);
    let record: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    // The alphabet is digits and symbols, and any string has at least one
    // of the two: all 42^4 strings qualify.
    assert_eq!(record["count"], "3111696");
}

#[test]
fn passphrases_meet_rules_and_say_what_changed() {
    let rules =
        "minlength: 12; maxlength: 24; required: upper; required: digit; allowed: lower, [-]";
    let (out, err) = run(&["passphrase", "--rules", rules, "-n", "20"]);
    assert!(err.contains("note: one word capitalised"), "{err}");
    for phrase in out.lines() {
        let n = phrase.chars().count();
        assert!((12..=24).contains(&n), "{phrase}");
        assert!(phrase.chars().any(|c| c.is_ascii_uppercase()), "{phrase}");
        assert!(phrase.chars().any(|c| c.is_ascii_digit()), "{phrase}");
        assert!(
            phrase
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{phrase}"
        );
    }
    let (out, _) = run(&[
        "passphrase",
        "--digit",
        "--symbol",
        "--capitalize",
        "random",
        "--max-length",
        "40",
        "--json",
    ]);
    let record: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let value = record["value"].as_str().unwrap();
    assert!(value.chars().count() <= 40);
    assert_eq!(
        value.chars().filter(char::is_ascii_digit).count(),
        1,
        "{value}"
    );
    // The old flag still works alone.
    let (out, _) = run(&["passphrase", "-c", "--words", "3"]);
    assert!(
        out.split(' ')
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
    );
}
