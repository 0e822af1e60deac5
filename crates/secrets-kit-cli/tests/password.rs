//! `secrets password` from the outside: every flag, the passwordrules
//! syntax, `--bits` boundaries, JSON, bad input, and uniformity of the
//! output for small policies.

use std::collections::HashMap;

mod common;
use common::{chi_square, chi_square_critical, secrets, succeeds};

/// Runs `secrets password ARGS`, requiring success and a silent standard
/// error, and returns the output lines.
fn passwords(args: &[&str]) -> Vec<String> {
    let output = secrets().arg("password").args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    assert!(output.stderr.is_empty(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Every failure of `secrets password ARGS`: see [`common::fails`].
fn fails(args: &[&str]) -> String {
    common::fails(&[&["password"][..], args].concat())
}

fn json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let mut args = args.to_vec();
    args.push("--json");
    passwords(&args)
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

const SYMBOLS: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

fn has_each_class(password: &str) -> bool {
    password.bytes().any(|b| b.is_ascii_lowercase())
        && password.bytes().any(|b| b.is_ascii_uppercase())
        && password.bytes().any(|b| b.is_ascii_digit())
        && password.chars().any(|c| SYMBOLS.contains(c))
}

#[test]
fn default_is_16_characters_with_every_class_and_over_100_bits() {
    let lines = passwords(&[]);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].len(), 16);
    assert!(has_each_class(&lines[0]), "{}", lines[0]);
    let records = json_lines(&["--count", "5"]);
    assert_eq!(records.len(), 5);
    for record in &records {
        let value = record["value"].as_str().unwrap();
        assert!(has_each_class(value), "{value}");
        assert!(record["entropy_bits"].as_f64().unwrap() >= 100.0);
        assert_eq!(record["length"], 16);
        // 94^16 minus the passwords missing a class, by inclusion-exclusion.
        assert_eq!(record["count"], "30583281110353122281067034705920");
    }
}

#[test]
fn count_prints_distinct_passwords() {
    let lines = passwords(&["--count", "500"]);
    assert_eq!(lines.len(), 500);
    let distinct: std::collections::HashSet<_> = lines.iter().collect();
    assert_eq!(distinct.len(), 500);
}

#[test]
fn classes_length_and_minimums() {
    for line in passwords(&[
        "--classes",
        "lower,digits",
        "--length",
        "24",
        "--count",
        "50",
    ]) {
        assert_eq!(line.len(), 24);
        assert!(
            line.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{line}"
        );
        assert!(line.bytes().any(|b| b.is_ascii_digit()), "{line}");
    }
    for line in passwords(&[
        "-l",
        "12",
        "--min-digits",
        "5",
        "--min-symbols",
        "3",
        "--count",
        "100",
    ]) {
        assert!(
            line.bytes().filter(u8::is_ascii_digit).count() >= 5,
            "{line}"
        );
        assert!(
            line.chars().filter(|c| SYMBOLS.contains(*c)).count() >= 3,
            "{line}"
        );
    }
    // Nearly nothing qualifies (10^12 of 94^12): answered at once by unranking.
    let args = [
        "-l",
        "12",
        "--min-digits",
        "12",
        "--min-lower",
        "0",
        "--min-upper",
        "0",
        "--min-symbols",
        "0",
    ];
    let records = json_lines(&[&args[..], &["--count", "100"]].concat());
    for record in records {
        let value = record["value"].as_str().unwrap();
        assert!(
            value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()),
            "{value}"
        );
        assert_eq!(record["count"], "1000000000000");
    }
}

#[test]
fn alphabet_exclude_ambiguous_and_max_consecutive() {
    for line in passwords(&["--alphabet", "xyz", "--length", "30", "--count", "20"]) {
        assert!(
            line.len() == 30 && line.bytes().all(|b| b"xyz".contains(&b)),
            "{line}"
        );
    }
    let ambiguous = "0Oo1lIi|B8G6'\"`";
    for line in passwords(&["--exclude-ambiguous", "--length", "64", "--count", "50"]) {
        assert!(!line.chars().any(|c| ambiguous.contains(c)), "{line}");
    }
    for line in passwords(&[
        "--alphabet",
        "ab",
        "--length",
        "9",
        "--max-consecutive",
        "1",
        "--count",
        "20",
    ]) {
        assert!(line == "ababababa" || line == "babababab", "{line}");
    }
    for line in passwords(&[
        "--alphabet",
        "ab",
        "--length",
        "40",
        "--max-consecutive",
        "2",
        "--count",
        "50",
    ]) {
        assert!(!line.contains("aaa") && !line.contains("bbb"), "{line}");
    }
}

#[test]
fn rules_are_followed() {
    let rules = "minlength: 10; maxlength: 20; max-consecutive: 2; required: lower; required: upper; \
                 required: digit; required: [!#$%@^_];";
    for line in passwords(&["--rules", rules, "--count", "200"]) {
        let chars: Vec<char> = line.chars().collect();
        assert!((10..=20).contains(&chars.len()), "{line}");
        assert!(line.bytes().any(|b| b.is_ascii_lowercase()), "{line}");
        assert!(line.bytes().any(|b| b.is_ascii_uppercase()), "{line}");
        assert!(line.bytes().any(|b| b.is_ascii_digit()), "{line}");
        assert!(line.chars().any(|c| "!#$%@^_".contains(c)), "{line}");
        assert!(
            line.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%@^_".contains(c)),
            "{line}"
        );
        assert!(
            chars.windows(3).all(|w| !(w[0] == w[1] && w[1] == w[2])),
            "{line}"
        );
    }
    // A capped rule set: the longest allowed password, and a warning that
    // it is below the default strength.
    let output = secrets()
        .args([
            "password",
            "--rules",
            "maxlength: 6; allowed: digit",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(record["length"], 6);
    assert_eq!(record["count"], "1000000");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("warning: ") && stderr.contains("19.93 bits"),
        "{stderr}"
    );
    // A length inside the rules' bounds is taken as given.
    let records = json_lines(&[
        "--rules",
        "minlength: 8; maxlength: 64; allowed: lower",
        "--length",
        "30",
    ]);
    assert_eq!(records[0]["length"], 30);
}

#[test]
fn bits_pick_the_smallest_length_at_the_boundaries() {
    let hex = ["--alphabet", "0123456789abcdef"];
    for (bits, length, entropy) in [
        ("8", 2, 8.0),
        ("9", 3, 12.0),
        ("12", 3, 12.0),
        ("13", 4, 16.0),
    ] {
        let records = json_lines(&[&hex[..], &["--bits", bits]].concat());
        assert_eq!(records[0]["length"], length, "--bits {bits}");
        assert_eq!(records[0]["entropy_bits"], entropy, "--bits {bits}");
        assert_eq!(records[0]["value"].as_str().unwrap().len(), length);
    }
    let records = json_lines(&["--bits", "128"]);
    assert_eq!(records[0]["length"], 20);
    assert!(records[0]["entropy_bits"].as_f64().unwrap() >= 128.0);
}

#[test]
fn entropy_goes_to_standard_error() {
    let (stdout, stderr) = succeeds(secrets().args([
        "password",
        "--alphabet",
        "0123456789abcdef",
        "-l",
        "8",
        "--entropy",
    ]));
    assert_eq!(stderr, "entropy: 32 bits\n");
    assert_eq!(stdout.len(), 9);
}

#[test]
fn bad_input_is_one_error_line() {
    // Each mistake, and what its error line must name, if anything.
    let cases: [(&[&str], Option<&str>); 19] = [
        (&["--length", "0"], Some("length 0")),
        (&["--length", "5000"], None),
        (&["--length", "-1"], None),
        (
            &["--length", "4", "--min-digits", "5"],
            Some("at least 5 digits"),
        ),
        (&["--classes", "lower", "--min-digits", "1"], Some("digit")),
        (&["--classes", "lower,hex"], None),
        (&["--alphabet", "abca"], Some("more than once")),
        (&["--alphabet", "a"], None),
        (&["--rules", "required: uper"], Some("uper")),
        (
            &["--rules", "minlength: 9; maxlength: 8"],
            Some("minlength: 9"),
        ),
        (&["--rules", "allowed: [abc"], None),
        (
            &["--rules", "maxlength: 6; allowed: digit", "--bits", "100"],
            Some("100 bits"),
        ),
        (
            &["--rules", "minlength: 12", "--length", "8"],
            Some("minlength 12"),
        ),
        (&["--max-consecutive", "0"], None),
        (&["--length", "10", "--bits", "64"], None),
        (&["--rules", "minlength: 8", "--classes", "lower"], None),
        (&["--alphabet", "abc", "--rules", "minlength: 8"], None),
        (&["--count", "0"], None),
        (&["--bits", "0"], None),
    ];
    for (args, names) in cases {
        let line = fails(args);
        if let Some(names) = names {
            assert!(line.contains(names), "{args:?}: {line}");
        }
    }
}

/// A rule of 100,000 characters (the kernel passes an argument of up to
/// 128 KiB) makes an error line of a few hundred bytes: the rule by its
/// start and length, once.
#[test]
fn a_long_rule_is_shown_by_its_start_and_length() {
    let rules = format!("required: {}", "x".repeat(100_000));
    let line = fails(&["--rules", &rules]);
    assert!(line.len() < 400, "{} bytes", line.len());
    let start: String = rules.chars().take(80).collect();
    assert!(
        line.starts_with(&format!(
            "error: password rules: in `{start}...` (100010 characters): unknown class \""
        )),
        "{line}"
    );
}

/// Draws `per_cell` passwords for each of `valid` in one run of
/// `secrets password ARGS` and requires them uniform over `valid`: a
/// chi-square test that fails a correct generator with probability 1e-6.
/// `method` names the way the command samples, for the failure message.
fn assert_uniform(method: &str, args: &[&str], valid: &[String], per_cell: usize) {
    let draws = valid.len() * per_cell;
    let count = draws.to_string();
    let lines = passwords(&[args, &["--count", &count]].concat());
    assert_eq!(lines.len(), draws);
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for line in &lines {
        assert!(valid.contains(line), "{line} is not allowed by {args:?}");
        *counts.entry(line.as_str()).or_default() += 1;
    }
    let counts: Vec<u64> = valid
        .iter()
        .map(|p| counts.get(p.as_str()).copied().unwrap_or(0))
        .collect();
    let chi = chi_square(&counts);
    let critical = chi_square_critical((valid.len() - 1) as f64);
    assert!(
        chi < critical,
        "{method}: chi-square {chi} >= {critical} over {} passwords",
        valid.len()
    );
}

/// Every string of `length` over `alphabet` that `keep` accepts.
fn enumerate(alphabet: &str, length: usize, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut all = vec![String::new()];
    for _ in 0..length {
        all = all
            .iter()
            .flat_map(|prefix| chars.iter().map(move |c| format!("{prefix}{c}")))
            .collect();
    }
    all.into_iter().filter(|s| keep(s)).collect()
}

// False-alarm rate: each chi-square test fails a correct generator with
// probability 1e-6, so this test does with about 2e-6.
#[test]
fn output_is_uniform_over_the_allowed_passwords() {
    // Most candidates pass here, so the command samples by rejection.
    let no_triples = |s: &str| {
        !s.as_bytes()
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2])
    };
    let valid = enumerate("abc1", 4, |s| s.contains('1') && no_triples(s));
    let args = [
        "--alphabet",
        "abc1",
        "--length",
        "4",
        "--min-digits",
        "1",
        "--max-consecutive",
        "2",
    ];
    assert_uniform("rejection", &args, &valid, 200);

    // Few candidates pass (at least two digits out of three characters), so
    // the command unranks.
    let valid = enumerate("abcdefgh1", 3, |s| s.matches('1').count() >= 2);
    assert_eq!(valid.len(), 25);
    let args = [
        "--alphabet",
        "abcdefgh1",
        "--length",
        "3",
        "--min-digits",
        "2",
    ];
    assert_uniform("unranking", &args, &valid, 400);
}

#[test]
fn help_lists_password_flags() {
    let output = secrets().args(["password", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--length",
        "--bits",
        "--classes",
        "--alphabet",
        "--min-lower",
        "--min-upper",
        "--min-digits",
        "--min-symbols",
        "--exclude-ambiguous",
        "--max-consecutive",
        "--rules",
        "--count",
        "--json",
        "--entropy",
    ] {
        assert!(help.contains(flag), "{flag} missing from password --help");
    }
}
