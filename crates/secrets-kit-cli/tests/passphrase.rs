//! `passphrase` and `wordlist-check` from the outside: word lists embedded
//! and from files, their errors, warnings, `--bits`, and uniformity.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;

mod common;
use common::{chi_square, fails, secrets};

struct Run {
    stdout: String,
    stderr: String,
}

/// A successful run.
fn run(args: &[&str]) -> Run {
    let output = secrets().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A successful run with nothing on standard error.
fn stdout_of(args: &[&str]) -> String {
    let result = run(args);
    assert!(result.stderr.is_empty(), "{args:?}: {}", result.stderr);
    result.stdout
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim_end()).unwrap()
}

/// A word list file with the given bytes.
fn list_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file.flush().unwrap();
    file
}

fn path(file: &tempfile::NamedTempFile) -> &str {
    file.path().to_str().unwrap()
}

fn eff_long() -> HashSet<String> {
    secrets_gen::wordlist::WordList::eff_long()
        .words()
        .map(str::to_owned)
        .collect()
}

// ---- the default: EFF long, 6 words, 77.5 bits -------------------------------

#[test]
fn default_is_six_eff_long_words_with_77_bits() {
    let words = eff_long();
    let text = stdout_of(&["passphrase", "-n", "20"]);
    for line in text.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 6, "{line}");
        assert!(parts.iter().all(|w| words.contains(*w)), "{line}");
    }
    let record = json(&stdout_of(&["passphrase", "--json"]));
    assert_eq!(record["entropy_bits"], 77.5489);
    assert_eq!(record["words"], 6);
    assert_eq!(record["wordlist"], "eff-long");
}

#[test]
fn words_separator_and_capitalize() {
    let result = run(&[
        "passphrase",
        "--words",
        "4",
        "--separator",
        "-",
        "--capitalize",
    ]);
    let parts: Vec<&str> = result.stdout.trim_end().split('-').collect();
    assert!(parts.len() >= 4, "{}", result.stdout);
    assert!(parts[0].starts_with(|c: char| c.is_ascii_uppercase()));
    // Four EFF long words contain "-" ("drop-down"...): the lint says so.
    assert!(
        result.stderr.contains("contain the separator \"-\""),
        "{}",
        result.stderr
    );
    let line = stdout_of(&["passphrase", "-w", "4", "-s", ".", "--capitalize"]);
    let parts: Vec<&str> = line.trim_end().split('.').collect();
    assert_eq!(parts.len(), 4, "{line}");
    assert!(
        parts
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
    );
    let line = stdout_of(&["passphrase", "-w", "3", "-s", ""]);
    assert!(!line.trim_end().contains(' '));
}

#[test]
fn bits_picks_the_fewest_words() {
    // EFF long: 12.925 bits a word; 6 words = 77.55, 7 = 90.47.
    for (bits, words) in [("77", 6), ("78", 7), ("1", 1), ("12", 1), ("13", 2)] {
        let record = json(&stdout_of(&["passphrase", "--bits", bits, "--json"]));
        assert_eq!(record["words"], words, "--bits {bits}");
        let value = record["value"].as_str().unwrap();
        assert_eq!(value.split(' ').count(), words);
    }
    fails(&["passphrase", "--bits", "80", "--words", "3"]);
    fails(&["passphrase", "--words", "0"]);
}

#[test]
fn other_embedded_lists() {
    let record = json(&stdout_of(&[
        "passphrase",
        "--wordlist",
        "eff-short-1",
        "--json",
    ]));
    // 1296 words: 10.34 bits each, 8 words for 75 bits.
    assert_eq!(record["words"], 8);
    assert_eq!(record["wordlist"], "eff-short-1");
    for name in ["eff-short-2", "beale", "minilock", "efflong"] {
        run(&["passphrase", "--wordlist", name]);
    }
}

// ---- word list files -----------------------------------------------------------

#[test]
fn a_word_list_file_is_trimmed_and_deduplicated() {
    let file = list_file(b"alpha\r\n  bravo \n\ncharlie\nalpha\ndelta\nbravo\n");
    let result = run(&["passphrase", "--wordlist", path(&file), "-w", "50"]);
    let words: HashSet<&str> = result.stdout.trim_end().split(' ').collect();
    assert!(words.is_subset(&HashSet::from(["alpha", "bravo", "charlie", "delta"])));
    assert!(
        result.stderr.contains("2 duplicate word(s) removed"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.starts_with("warning: "));
    let record = json(&run(&["passphrase", "--wordlist", path(&file), "-w", "5", "--json"]).stdout);
    assert_eq!(record["entropy_bits"], 10.0);
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let err = fails(&["passphrase", "--wordlist", "no/such/words.txt"]);
    assert!(err.contains("no/such/words.txt"), "{err}");
    let err = fails(&["wordlist-check", "no/such/words.txt"]);
    assert!(err.contains("no/such/words.txt"), "{err}");
}

#[test]
fn non_utf8_file_names_file_and_line() {
    let file = list_file(b"one\ntwo\nthree\nfo\xffur\n");
    let err = fails(&["passphrase", "--wordlist", path(&file)]);
    assert!(err.contains(path(&file)), "{err}");
    assert!(err.contains("line 4"), "{err}");
}

#[test]
fn separators_longer_than_32_characters_are_refused() {
    let longest = "-".repeat(32);
    let phrase = stdout_of(&["passphrase", "--words", "3", "--separator", &longest]);
    assert_eq!(
        phrase.trim_end().matches(longest.as_str()).count(),
        2,
        "{phrase}"
    );
    let longer = "-".repeat(33);
    for args in [
        &["passphrase", "--separator", &longer][..],
        &["passphrase", "--digit", "--separator", &longer],
        &["wordlist-check", "eff-long", "--separator", &longer],
    ] {
        let err = fails(args);
        assert!(
            err.contains("a separator of 33 characters was given; the most is 32"),
            "{err}"
        );
    }
}

#[test]
fn fewer_than_two_distinct_words_is_an_error() {
    for bytes in [&b""[..], b"\n \n", b"solo\nsolo\n"] {
        let file = list_file(bytes);
        let err = fails(&["passphrase", "--wordlist", path(&file)]);
        assert!(
            err.contains(path(&file)) && err.contains("at least 2"),
            "{err}"
        );
    }
    // Two words that fold to one are too few as well.
    let file = list_file("Straße\nSTRASSE\n".as_bytes());
    let err = fails(&["passphrase", "--wordlist", path(&file)]);
    assert!(err.contains("at least 2"), "{err}");
}

#[test]
fn case_folded_duplicates_lower_the_entropy_with_a_warning() {
    let file = list_file(b"Apple\napple\npear\nplum\nfig\n");
    let result = run(&["passphrase", "--wordlist", path(&file), "-w", "3", "--json"]);
    assert!(result.stderr.contains("case-folding"), "{}", result.stderr);
    // 4 distinct words after folding: 2 bits each.
    assert_eq!(json(&result.stdout)["entropy_bits"], 6.0);
}

#[test]
fn ambiguous_joined_phrases_get_a_warning_and_lower_bits() {
    let result = run(&[
        "passphrase",
        "--wordlist",
        "reinhold",
        "--separator",
        "",
        "--json",
    ]);
    assert!(
        result.stderr.contains("cannot always be split back"),
        "{}",
        result.stderr
    );
    let record = json(&result.stdout);
    let bits = record["entropy_bits"].as_f64().unwrap();
    let words = record["words"].as_u64().unwrap() as f64;
    assert!(bits >= 75.0);
    assert!(bits < words * 7776f64.log2(), "{bits} not lowered");
    // The EFF long list is prefix-free: joining is safe and not penalised.
    let result = run(&["passphrase", "--separator", "", "--json"]);
    assert!(result.stderr.is_empty(), "{}", result.stderr);
    assert_eq!(json(&result.stdout)["entropy_bits"], 77.5489);
}

// ---- uniformity ------------------------------------------------------------------

/// Chi-square test of the words drawn: a 10-word list, 10,000 draws, 9
/// degrees of freedom. The critical value 44.8 has a false-alarm
/// probability of 1e-6; a list whose first word were drawn 1.5 times as
/// often would score about 190.
#[test]
fn passphrase_words_are_uniform() {
    let names = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let file = list_file(names.join("\n").as_bytes());
    let text = stdout_of(&[
        "passphrase",
        "--wordlist",
        path(&file),
        "-w",
        "50",
        "-n",
        "200",
    ]);
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for word in text.split([' ', '\n']).filter(|w| !w.is_empty()) {
        *counts.entry(word).or_default() += 1;
    }
    let counts: Vec<u64> = names
        .iter()
        .map(|name| counts.get(name).copied().unwrap_or(0))
        .collect();
    // Every word is one of the list's, so the cells hold all the draws.
    assert_eq!(counts.iter().sum::<u64>(), 10_000);
    let chi = chi_square(&counts);
    assert!(chi < 44.8, "chi-square {chi}");
}

// ---- wordlist-check ----------------------------------------------------------------

#[test]
fn wordlist_check_reports_a_clean_list() {
    let report = stdout_of(&["wordlist-check", "eff-long"]);
    assert!(report.contains("words: 7776 distinct"), "{report}");
    assert!(report.contains("uniquely decodable: yes"), "{report}");
    assert!(!report.contains("warning"), "{report}");
}

#[test]
fn wordlist_check_finds_every_problem() {
    let file = list_file(b"rock\nrocket\nethic\nhic\nRock\nrock\nice-cream\n");
    let report = stdout_of(&["wordlist-check", path(&file), "--separator", ""]);
    assert!(report.contains("1 exact duplicate(s) removed"), "{report}");
    assert!(report.contains("\"rock\", \"Rock\""), "{report}");
    assert!(report.contains("uniquely decodable: no"), "{report}");
    let report = stdout_of(&["wordlist-check", path(&file), "--separator", "-"]);
    assert!(
        report.contains("contains the separator: \"ice-cream\""),
        "{report}"
    );
    let record = json(&stdout_of(&[
        "wordlist-check",
        path(&file),
        "-s",
        "",
        "--json",
    ]));
    assert_eq!(record["uniquely_decodable"], false);
    assert_eq!(record["distinct"], 5);
    let example = record["ambiguous_example"].as_array().unwrap();
    let joined = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect::<String>()
    };
    assert_eq!(joined(&example[0]), joined(&example[1]));
}
