//! `estimate`: zxcvbn's figures for known weak and strong passwords, the
//! exact entropy winning when given, and the input rules (stdin only).

mod common;

use common::{fails, secrets, succeeds};

fn estimate(password: &str, extra: &[&str]) -> serde_json::Value {
    let (stdout, _) = succeeds(
        secrets()
            .args(["estimate", "--json"])
            .args(extra)
            .write_stdin(format!("{password}\n")),
    );
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn weak_passwords_score_low_and_say_why() {
    for weak in ["password", "123456", "qwerty", "password1", "iloveyou"] {
        let report = estimate(weak, &[]);
        assert_eq!(report["basis"], "estimate");
        assert!(report["score"].as_u64().unwrap() <= 1, "{weak}: {report}");
        assert!(
            report["guesses_log10"].as_f64().unwrap() < 6.0,
            "{weak}: {report}"
        );
        assert!(!report["patterns"].as_array().unwrap().is_empty());
        assert!(report["warning"].is_string(), "{weak}: {report}");
        // The password itself is never echoed.
        let echoed = ["iloveyou", "qwerty", "123456"]
            .iter()
            .any(|w| report.to_string().contains(w));
        assert!(!echoed, "{report}");
    }
}

#[test]
fn strong_passwords_score_high() {
    for strong in ["x7#Qm9!pLz2$Vw4&kR8", "mZ4%tq9@Lw2!cV7#"] {
        let report = estimate(strong, &[]);
        assert_eq!(report["score"], 4, "{report}");
        assert!(
            report["guesses_log10"].as_f64().unwrap() >= 10.0,
            "{report}"
        );
        assert_eq!(
            report["crack_times"]["online_throttled"]["display"],
            "centuries"
        );
    }
}

#[test]
fn a_known_entropy_wins_and_is_said_to() {
    let report = estimate("password", &["--entropy", "100"]);
    assert_eq!(report["basis"], "exact");
    let log10 = report["guesses_log10"].as_f64().unwrap();
    assert!(
        (log10 - 100.0 * std::f64::consts::LOG10_2).abs() < 0.01,
        "{report}"
    );
    assert!(report["estimated_guesses_log10"].as_f64().unwrap() < 6.0);

    let (stdout, _) = succeeds(
        secrets()
            .args(["estimate", "--entropy", "104.6"])
            .write_stdin("x7#Qm9!pLz2$Vw4&\n"),
    );
    assert!(stdout.starts_with("exact entropy: 104.6 bits"), "{stdout}");
    assert!(stdout.contains("wins over the estimate"), "{stdout}");
}

#[test]
fn plain_text_is_labelled_an_estimate() {
    let (stdout, _) = succeeds(secrets().arg("estimate").write_stdin("Tr0ub4dor&3"));
    assert!(stdout.starts_with("estimate (zxcvbn"), "{stdout}");
    assert!(stdout.contains("offline, fast hash"), "{stdout}");
}

#[test]
fn bad_input_is_one_error_line() {
    // No password at all (empty standard input).
    let line = fails(&["estimate"]);
    assert!(line.contains("no password"), "{line}");
    // The password is never an argument.
    fails(&["estimate", "hunter2"]);
    fails(&["estimate", "--entropy", "-3"]);
}
