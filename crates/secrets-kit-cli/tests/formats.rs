//! The token formats from the outside: `token-base32`, `token-crockford`,
//! `token-base58`, `token --alphabet`, `pin`, `uuid` and `ulid`, each
//! against its standard, with `--bits` boundaries and bad input.

use std::time::{SystemTime, UNIX_EPOCH};

mod common;
use common::{chi_square, fails, secrets, stdout_of, succeeds};

const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const CROCKFORD: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(stdout_of(args).trim_end()).unwrap()
}

fn one_token(args: &[&str]) -> String {
    stdout_of(args).trim_end().to_owned()
}

fn only_from(token: &str, alphabet: &str) -> bool {
    token.chars().all(|c| alphabet.contains(c))
}

fn now_millis() -> u64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    u64::try_from(elapsed.as_millis()).unwrap()
}

// ---- base32, Crockford, base58 ----------------------------------------------

#[test]
fn base32_default_is_26_characters_of_rfc4648() {
    let token = one_token(&["token-base32"]);
    assert_eq!(token.len(), 26);
    assert!(only_from(&token, BASE32), "{token}");
    assert!(!token.contains('='));
    let record = json(&["token-base32", "--json"]);
    assert_eq!(record["entropy_bits"], 130.0);
    assert_eq!(record["format"], "base32");
    assert_eq!(record["length"], 26);
}

#[test]
fn base32_of_8_characters_decodes_to_5_bytes() {
    // RFC 4648: 8 characters are exactly 40 bits, no padding needed.
    let token = one_token(&["token-base32", "--length", "8"]);
    let mut bits: u64 = 0;
    for c in token.chars() {
        bits = bits << 5 | BASE32.find(c).unwrap() as u64;
    }
    assert!(bits < 1 << 40);
}

#[test]
fn crockford_avoids_ambiguous_letters() {
    let text = stdout_of(&["token-crockford", "--count", "200"]);
    for token in text.lines() {
        assert_eq!(token.len(), 26);
        assert!(only_from(token, CROCKFORD), "{token}");
    }
}

#[test]
fn base58_uses_the_bitcoin_alphabet() {
    let text = stdout_of(&["token-base58", "-n", "200"]);
    for token in text.lines() {
        assert_eq!(token.len(), 22); // 22 * log2(58) = 128.9 bits
        assert!(only_from(token, BASE58), "{token}");
    }
}

/// Chi-square test of base58 symbol frequencies: 2000 tokens of 22
/// characters, 44,000 symbols, 57 degrees of freedom. The critical value
/// 122.8 has a false-alarm probability of 1e-6; encoding bytes modulo 58
/// would favour 24 of the symbols by 5:4 and score in the thousands.
#[test]
fn base58_symbols_are_uniform() {
    let text = stdout_of(&["token-base58", "-n", "2000"]);
    let mut counts = [0u64; 58];
    for c in text.chars().filter(|c| *c != '\n') {
        counts[BASE58.find(c).unwrap()] += 1;
    }
    assert_eq!(counts.iter().sum::<u64>(), 44_000);
    let chi = chi_square(&counts);
    assert!(chi < 122.8, "chi-square {chi}");
}

#[test]
fn bits_picks_the_shortest_length_exactly_at_the_boundary() {
    // base32: 5 bits a character, so 130 bits is exactly 26.
    for (bits, length) in [("130", 26), ("131", 27), ("1", 1), ("5", 1), ("6", 2)] {
        let record = json(&["token-base32", "--bits", bits, "--json"]);
        let token = record["value"].as_str().unwrap();
        assert_eq!(token.len(), length, "--bits {bits}");
        assert_eq!(record["entropy_bits"], 5.0 * length as f64);
    }
    // base58: 22 characters give 128.87 bits.
    assert_eq!(one_token(&["token-base58", "--bits", "128"]).len(), 22);
    assert_eq!(one_token(&["token-base58", "--bits", "129"]).len(), 23);
    // Any alphabet of 2 symbols: 1 bit each.
    let ab = ["token", "--alphabet", "ab", "--bits"];
    assert_eq!(one_token(&[&ab[..], &["10"]].concat()).len(), 10);
    assert_eq!(one_token(&[&ab[..], &["11"]].concat()).len(), 11);
}

#[test]
fn entropy_flag_reports_on_stderr() {
    let (_, stderr) = succeeds(secrets().args(["token-crockford", "--length", "10", "--entropy"]));
    assert_eq!(stderr, "entropy: 50 bits\n");
}

#[test]
fn length_and_bits_together_are_refused() {
    fails(&["token-base58", "--length", "10", "--bits", "64"]);
    fails(&["pin", "--digits", "4", "--bits", "20"]);
}

// ---- token --alphabet --------------------------------------------------------

#[test]
fn any_alphabet_including_unicode() {
    let token = one_token(&["token", "--alphabet", "ACGT", "--length", "40"]);
    assert_eq!(token.len(), 40);
    assert!(only_from(&token, "ACGT"));
    let token = one_token(&["token", "--alphabet", "αβγδ🂡", "--length", "30"]);
    assert_eq!(token.chars().count(), 30);
    assert!(only_from(&token, "αβγδ🂡"));
    let record = json(&[
        "token",
        "--alphabet",
        "0123456789abcdef",
        "-l",
        "8",
        "--json",
    ]);
    assert_eq!(record["entropy_bits"], 32.0);
}

#[test]
fn default_alphabet_token_has_128_bits() {
    let record = json(&[
        "token",
        "--alphabet",
        "abcdefghijklmnopqrstuvwxyz",
        "--json",
    ]);
    assert_eq!(record["value"].as_str().unwrap().len(), 28); // 27 give 126.9
    assert!(record["entropy_bits"].as_f64().unwrap() >= 128.0);
}

#[test]
fn bad_alphabets_and_lengths_are_errors() {
    let err = fails(&["token", "--alphabet", "abcb", "--length", "5"]);
    assert!(err.contains("'b'"), "{err}");
    let err = fails(&["token", "--alphabet", "a", "--length", "5"]);
    assert!(err.contains("at least 2"), "{err}");
    fails(&["token", "--alphabet", "", "--length", "5"]);
    let err = fails(&["token", "--alphabet", "a\nb", "--length", "5"]);
    assert!(err.contains("U+000A"), "{err}");
    fails(&["token", "--alphabet", "ab", "--length", "0"]);
    fails(&["token", "--alphabet", "ab", "--length", "-3"]);
    fails(&[
        "token",
        "--alphabet",
        "ab",
        "--length",
        "99999999999999999999",
    ]);
    fails(&["token", "--length", "5"]);
    fails(&["token-base32", "--length", "0"]);
    fails(&["token-base32", "--bits", "0"]);
}

// ---- PIN -------------------------------------------------------------------

#[test]
fn pins_are_digits_with_leading_zeros_kept() {
    let text = stdout_of(&["pin", "-n", "500"]);
    let mut leading_zero = false;
    for pin in text.lines() {
        assert_eq!(pin.len(), 6);
        assert!(pin.bytes().all(|b| b.is_ascii_digit()));
        leading_zero |= pin.starts_with('0');
    }
    // P(no leading zero in 500 PINs) = 0.9^500 < 1e-22.
    assert!(leading_zero);
    assert_eq!(one_token(&["pin", "--digits", "4"]).len(), 4);
    // 6 digits give 19.93 bits, 7 give 23.25.
    assert_eq!(one_token(&["pin", "--bits", "19"]).len(), 6);
    assert_eq!(one_token(&["pin", "--bits", "20"]).len(), 7);
    fails(&["pin", "--digits", "0"]);
}

// ---- UUID --------------------------------------------------------------------

#[test]
fn uuid_v4_by_default() {
    let text = stdout_of(&["uuid", "-n", "50"]);
    let mut seen = std::collections::HashSet::new();
    for line in text.lines() {
        let id = uuid::Uuid::parse_str(line).unwrap();
        assert_eq!(id.get_version_num(), 4);
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(line, id.hyphenated().to_string());
        assert!(seen.insert(line.to_owned()));
    }
    assert_eq!(json(&["uuid", "--json"])["entropy_bits"], 122.0);
}

#[test]
fn uuid_version_7_has_a_real_timestamp() {
    let before = now_millis();
    let line = one_token(&["uuid", "--version", "7"]);
    let after = now_millis();
    let id = uuid::Uuid::parse_str(&line).unwrap();
    assert_eq!(id.get_version_num(), 7);
    assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
    let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
    let millis = secs * 1000 + u64::from(nanos) / 1_000_000;
    assert!(
        (before..=after).contains(&millis),
        "{before} <= {millis} <= {after}"
    );
    assert_eq!(
        json(&["uuid", "--version", "7", "--json"])["entropy_bits"],
        74.0
    );
    let v4 = uuid::Uuid::parse_str(&one_token(&["uuid", "--version", "4"])).unwrap();
    assert_eq!(v4.get_version_num(), 4);
}

#[test]
fn uuid_version_flag_does_not_clash_with_the_program_version() {
    let text = stdout_of(&["--version"]);
    assert!(text.contains("randomness"), "{text}");
    let err = fails(&["uuid", "--version", "5"]);
    assert!(err.contains("4, 7"), "{err}");
}

// ---- ULID ----------------------------------------------------------------------

#[test]
fn ulids_decode_to_now() {
    let before = now_millis();
    let text = stdout_of(&["ulid", "-n", "20"]);
    let after = now_millis();
    for id in text.lines() {
        assert_eq!(id.len(), 26);
        assert!(only_from(id, CROCKFORD), "{id}");
        // 26 characters hold 130 bits; a 128-bit value starts with 0-7.
        assert!(id.as_bytes()[0] <= b'7');
        let millis = id[..10]
            .chars()
            .fold(0u64, |acc, c| acc * 32 + CROCKFORD.find(c).unwrap() as u64);
        assert!((before..=after).contains(&millis), "{id}");
    }
    assert_eq!(json(&["ulid", "--json"])["entropy_bits"], 80.0);
}
