//! `api-key`, `verify-token`, `totp`, `key` and `--explain` from the
//! outside: what a user or a script sees.

mod common;

use common::{fails, secrets, stdout_of};

#[test]
fn api_keys_verify_and_typos_do_not() {
    let out = stdout_of(&["api-key", "--prefix", "acme_", "--count", "20"]);
    let keys: Vec<&str> = out.lines().collect();
    assert_eq!(keys.len(), 20);
    for key in &keys {
        assert!(key.starts_with("acme_") && key.len() == 41, "{key}");
        secrets().args(["verify-token", key]).assert().code(0);
        secrets()
            .args(["verify-token", "--prefix", "acme_", key])
            .assert()
            .code(0);
        secrets()
            .args(["verify-token", "--prefix", "acmf_", key])
            .assert()
            .code(1);
        let mut typo = key.as_bytes().to_vec();
        typo[20] = if typo[20] == b'x' { b'y' } else { b'x' };
        let typo = String::from_utf8(typo).unwrap();
        let output = secrets().args(["verify-token", &typo]).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn verify_token_reads_files_and_the_environment() {
    let key = stdout_of(&["api-key", "--prefix", "acme_"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key");
    std::fs::write(&path, &key).unwrap();
    secrets()
        .args(["verify-token", "--file"])
        .arg(&path)
        .assert()
        .code(0);
    secrets()
        .args(["verify-token", "--file", "-"])
        .write_stdin(key.clone())
        .assert()
        .code(0);
    secrets()
        .args(["verify-token", "--env", "SECRETS_TEST_KEY"])
        .env("SECRETS_TEST_KEY", key.trim())
        .assert()
        .code(0);
    secrets()
        .args(["verify-token", "--env", "SECRETS_TEST_KEY"])
        .env("SECRETS_TEST_KEY", "acme_nope")
        .assert()
        .code(1);
}

#[test]
fn api_key_regex_and_json() {
    let regex = stdout_of(&["api-key", "--prefix", "acme_", "--regex"]);
    assert_eq!(regex, "\\bacme_[0-9A-Za-z]{36}\\b\n");
    let line = stdout_of(&["api-key", "--prefix", "acme_", "--json"]);
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(record["prefix"], "acme_");
    assert!((record["entropy_bits"].as_f64().unwrap() - 178.6259).abs() < 1e-3);
    assert!(fails(&["api-key", "--prefix", "ACME_"]).contains("lower-case letter"));
}

#[test]
fn framework_keys_have_their_formats() {
    for (format, length, bits) in [
        ("fernet", 44, 256.0),
        ("django", 50, 282.1928),
        ("flask", 64, 256.0),
        ("rails", 128, 512.0),
        ("jwt-hs256", 43, 256.0),
        ("jwt-hs512", 86, 512.0),
    ] {
        let out = stdout_of(&["key", "--format", format, "--count", "3", "--json"]);
        for line in out.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(record["format"], format);
            assert_eq!(record["value"].as_str().unwrap().len(), length, "{line}");
            assert_eq!(record["entropy_bits"].as_f64().unwrap(), bits, "{line}");
        }
    }
    fails(&["key", "--format", "nope"]);
    fails(&["key"]);
}

#[test]
fn totp_prints_the_uri_and_writes_qr_images() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("qr.png");
    let svg = dir.path().join("qr.svg");
    let output = secrets()
        .args([
            "totp",
            "--issuer",
            "Ex Co",
            "--account",
            "a@b",
            "--json",
            "--qr-png",
        ])
        .arg(&png)
        .arg("--qr-svg")
        .arg(&svg)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let uri = record["value"].as_str().unwrap();
    let secret = record["secret"].as_str().unwrap();
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/Ex%20Co:a%40b?secret={secret}&issuer=Ex%20Co&algorithm=SHA1\
             &digits=6&period=30"
        )
    );
    assert_eq!(secret.len(), 32);
    assert_eq!(record["entropy_bits"], 160.0);
    assert_eq!(record["code"].as_str().unwrap().len(), 6);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    // No temporary file is left beside the images.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn totp_qr_in_the_terminal_follows_the_uri() {
    let out = stdout_of(&["totp", "--issuer", "E", "--account", "a", "--qr"]);
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("otpauth://totp/E:a?secret=")
    );
    let drawing: Vec<&str> = lines.collect();
    let width = drawing[0].chars().count();
    // A square code with a 4-module quiet zone: two rows per line.
    assert_eq!(drawing.len(), width.div_ceil(2));
    assert!(drawing.iter().all(|l| l.chars().count() == width));
    assert!(drawing[0].chars().all(|c| c == '█'));
}

#[test]
fn uuid_v7_and_ulid_lists_strictly_increase() {
    for args in [&["uuid", "--version", "7"][..], &["ulid"]] {
        let mut full = args.to_vec();
        full.extend(["--count", "200000"]);
        let out = stdout_of(&full);
        let ids: Vec<&str> = out.lines().collect();
        assert_eq!(ids.len(), 200_000);
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "{args:?}: {} then {}", pair[0], pair[1]);
        }
    }
    // --entropy states both figures once.
    let output = secrets()
        .args(["ulid", "--count", "1000", "--entropy"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("80 bits") && stderr.contains("32 bits"),
        "{stderr}"
    );
}

/// Every generator, with the set size its output is drawn from.
fn every_generator() -> Vec<(Vec<&'static str>, Option<String>)> {
    let pow = |base: u32, exp: u32| Some(num_bigint::BigUint::from(base).pow(exp).to_string());
    vec![
        (vec!["token-hex", "16"], pow(2, 128)),
        (vec!["token-urlsafe", "16"], pow(2, 128)),
        (vec!["token-bytes", "16"], pow(2, 128)),
        (vec!["token-base32"], pow(2, 130)),
        (vec!["token-crockford"], pow(2, 130)),
        (vec!["token-base58"], pow(58, 22)),
        (
            vec!["token", "--alphabet", "abc", "--length", "5"],
            pow(3, 5),
        ),
        (vec!["pin"], pow(10, 6)),
        (vec!["uuid"], pow(2, 122)),
        (vec!["uuid", "--version", "7"], pow(2, 74)),
        (vec!["ulid"], pow(2, 80)),
        (vec!["url", "https://example.com/?t=", "16"], pow(2, 128)),
        (
            vec!["password", "--length", "12", "--alphabet", "ab"],
            pow(2, 12),
        ),
        (vec!["password"], None),
        (vec!["passphrase", "--words", "3"], pow(7776, 3)),
        (vec!["randbelow", "1000"], Some("1000".to_owned())),
        (vec!["randbits", "20"], pow(2, 20)),
        (vec!["choice", "a", "b", "c"], Some("3".to_owned())),
        (vec!["api-key", "--prefix", "acme_"], pow(62, 30)),
        (vec!["totp", "--issuer", "E", "--account", "a"], pow(2, 160)),
        (vec!["key", "--format", "fernet"], pow(2, 256)),
        (vec!["key", "--format", "django"], pow(50, 50)),
        (vec!["key", "--format", "rails"], pow(2, 512)),
    ]
}

#[test]
fn every_generator_explains_itself() {
    for (args, set_size) in every_generator() {
        let mut full = args.clone();
        full.extend(["--json", "--explain", "--count", "2"]);
        let output = secrets().args(&full).output().unwrap();
        assert!(output.status.success(), "{full:?}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        let explain: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("explain: "))
            .collect();
        assert_eq!(explain.len(), 4, "{full:?}: {stderr}");
        for line in String::from_utf8(output.stdout).unwrap().lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let size = record["set_size"].as_str().unwrap();
            if let Some(expected) = &set_size {
                assert_eq!(size, expected, "{full:?}");
            }
            assert!(size.bytes().all(|b| b.is_ascii_digit()), "{full:?}: {size}");
            assert_eq!(record["among"], 1_000_000_000u64, "{full:?}");
            let p = record["collision_probability"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{full:?}: {p}");
            assert!(record["guess_seconds"].as_f64().unwrap() > 0.0, "{full:?}");
        }
    }
    // The raw token-bytes path explains too.
    let output = secrets()
        .args(["token-bytes", "16", "--explain"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("probability that two are equal"),
        "{stderr}"
    );
}

#[test]
fn explain_figures_are_the_exact_ones() {
    // The birthday problem: randbelow 365 among 23.
    let line = stdout_of(&["randbelow", "365", "--json", "--among", "23"]);
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    let p = record["collision_probability"].as_f64().unwrap();
    assert!((p - 0.5073).abs() < 1e-4, "{p}");
    // 2^128 among a billion: n(n-1)/2^129, written with four digits.
    let line = stdout_of(&["token-hex", "16", "--json"]);
    let record: serde_json::Value = serde_json::from_str(&line).unwrap();
    let n = 1e9f64;
    let want = n * (n - 1.0) / 2f64.powi(129);
    let got = record["collision_probability"].as_f64().unwrap();
    assert!(((got - want) / want).abs() < 1e-3, "{got} vs {want}");
    // Guessing: 2^128 / 2 / 10^12 seconds.
    let want = 2f64.powi(127) / 1e12;
    let got = record["guess_seconds"].as_f64().unwrap();
    assert!(((got - want) / want).abs() < 1e-3, "{got} vs {want}");
    // Beyond f64: still a JSON number literal, not 0.
    let line = stdout_of(&["token-hex", "512", "--json"]);
    assert!(line.contains("\"collision_probability\":"), "{line}");
    let literal = line.split("\"collision_probability\":").nth(1).unwrap();
    assert!(
        literal.starts_with(|c: char| c.is_ascii_digit()) && literal.contains("e-"),
        "{line}"
    );
    assert!(!literal.starts_with("0,"), "{line}");
}
