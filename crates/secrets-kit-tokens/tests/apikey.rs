//! API keys: known answers through the entropy seam, computed by an
//! independent model (bitwise CRC-32, rejection written out, base62 by
//! division); `verify_api_key` against every single-character change; the
//! scanner regex against keys and near misses.
#![cfg(feature = "api-key")]

use crate::common::Script;
use proptest::prelude::*;
use secrets_kit_tokens::apikey::{self, BASE62_ALPHABET, Invalid};

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final
/// 0xFFFFFFFF), one bit at a time, as in the textbook.
fn crc32_model(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn base62_model(mut value: u64, width: usize) -> String {
    let alphabet: Vec<char> = BASE62_ALPHABET.chars().collect();
    let mut digits = Vec::new();
    while value > 0 {
        digits.push(alphabet[(value % 62) as usize]);
        value /= 62;
    }
    while digits.len() < width {
        digits.push('0');
    }
    digits.iter().rev().collect()
}

/// The key the library must make from `bytes`: a byte `b` is a candidate
/// for `floor(b * 62 / 256)`, kept only when `b * 62 mod 256` is at least
/// `256 mod 62` (so each index keeps exactly 4 of the 256 bytes).
fn key_model(prefix: &str, bytes: &[u8]) -> String {
    let alphabet: Vec<char> = BASE62_ALPHABET.chars().collect();
    let body: String = bytes
        .iter()
        .map(|&b| u32::from(b) * 62)
        .filter(|product| product % 256 >= 256 % 62)
        .map(|product| alphabet[(product / 256) as usize])
        .take(30)
        .collect();
    assert_eq!(body.len(), 30, "the model needs more bytes");
    let check = base62_model(u64::from(crc32_model(body.as_bytes())), 6);
    format!("{prefix}{body}{check}")
}

#[test]
fn crc_model_has_the_check_value() {
    assert_eq!(crc32_model(b"123456789"), 0xCBF4_3926);
}

#[test]
fn known_answers_through_the_seam() {
    // Bytes 0..=255, twice: includes every rejected byte (the model skips
    // them) and runs of accepted ones.
    let bytes: Vec<u8> = (0..=255u8).chain(0..=255).collect();
    let script = Script::new(&bytes);
    let key = apikey::api_key_with(&script, "acme_").unwrap();
    assert_eq!(key, key_model("acme_", &bytes));
    // A fixed answer as well: bytes 0..=255 start with 0 (rejected), then
    // 1..4 map to '0', 5..8 to '1' and so on (29 is rejected too).
    assert!(
        key.starts_with("acme_000011112222333344445555666677"),
        "{key}"
    );
    assert_eq!(apikey::verify_api_key(&key), Ok(()));
}

#[test]
fn a_failing_source_is_an_error_not_a_key() {
    let script = Script::new([1u8; 5]);
    assert!(apikey::api_key_with(&script, "acme_").is_err());
}

#[test]
fn bad_prefixes_are_refused_before_drawing() {
    let script = Script::new([1u8; 0]);
    let err = apikey::api_key_with(&script, "ACME_").unwrap_err();
    assert!(err.to_string().contains("[a-z]") || err.to_string().contains("lower-case"));
}

fn prefix_strategy() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{1,9}_"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn model_and_library_agree(prefix in prefix_strategy(), bytes in proptest::collection::vec(any::<u8>(), 64..200)) {
        let accepted = bytes.iter().filter(|&&b| (u32::from(b) * 62) % 256 >= 8).count();
        prop_assume!(accepted >= 30);
        // The library may draw more bytes than it uses; pad the script so
        // it never runs out.
        let padded: Vec<u8> = bytes.iter().copied().chain(std::iter::repeat_n(1, 64)).collect();
        let script = Script::new(&padded);
        let key = apikey::api_key_with(&script, &prefix).unwrap();
        prop_assert_eq!(key, key_model(&prefix, &bytes));
    }

    #[test]
    fn every_key_verifies_and_every_single_change_fails(prefix in prefix_strategy()) {
        let key = apikey::api_key(&prefix).unwrap();
        prop_assert_eq!(apikey::verify_api_key(&key), Ok(()));
        let chars: Vec<char> = key.chars().collect();
        // Every position, every replacement from a set covering base62,
        // prefix characters, and characters outside both.
        let replacements: Vec<char> = BASE62_ALPHABET.chars().chain("_-.é ".chars()).collect();
        for i in 0..chars.len() {
            for &c in &replacements {
                if c == chars[i] {
                    continue;
                }
                let mut changed = chars.clone();
                changed[i] = c;
                let changed: String = changed.into_iter().collect();
                // Knowing the issuer's prefix, every change is caught.
                prop_assert!(apikey::verify_api_key_for(&changed, &prefix).is_err(), "{} accepted", changed);
                // Without it, a change in the prefix may make another
                // issuer's valid key; every change after it is caught (a
                // CRC catches every error burst of up to 32 bits).
                if i >= prefix.len() {
                    prop_assert!(apikey::verify_api_key(&changed).is_err(), "{} accepted", changed);
                }
            }
        }
    }

    #[test]
    fn the_regex_matches_keys_and_not_near_misses(prefix in prefix_strategy()) {
        let pattern = apikey::api_key_regex(&prefix).unwrap();
        let regex = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
        let scanner = regex::Regex::new(&pattern).unwrap();
        let key = apikey::api_key(&prefix).unwrap();
        prop_assert!(regex.is_match(&key));
        let text = format!("token={key}; next");
        let found: Vec<&str> = scanner.find_iter(&text).map(|m| m.as_str()).collect();
        prop_assert_eq!(found, vec![key.as_str()]);
        let near_misses = [
            key[..key.len() - 1].to_owned(),                  // 35 characters
            format!("{key}A"),                                // 37 characters
            format!("x{key}"),                                // a longer prefix run
            key.replacen('_', "-", 1),                        // wrong separator
            format!("{}{}", key.to_uppercase().get(..prefix.len()).unwrap(), &key[prefix.len()..]),
            format!("{}_{}", &key[..prefix.len() + 10], &key[prefix.len() + 11..]), // '_' in the body
        ];
        for miss in &near_misses {
            prop_assert!(!scanner.is_match(miss), "{} matched", miss);
        }
        let other = if prefix == "zz_" { "yy_" } else { "zz_" };
        prop_assert!(!scanner.is_match(&apikey::api_key(other).unwrap()));
    }
}

#[test]
fn invalid_reasons() {
    let other = apikey::api_key("other_").unwrap();
    assert_eq!(
        apikey::verify_api_key_for(&other, "acme_"),
        Err(Invalid::Prefix)
    );
    assert_eq!(apikey::verify_api_key_for(&other, "other_"), Ok(()));
    let key = apikey::api_key("acme_").unwrap();
    assert_eq!(apikey::verify_api_key(""), Err(Invalid::Length));
    assert_eq!(
        apikey::verify_api_key(&key.replace("acme_", "Acme_")),
        Err(Invalid::Prefix)
    );
    let mut body_bad = key.clone();
    body_bad.replace_range(10..11, "-");
    assert_eq!(apikey::verify_api_key(&body_bad), Err(Invalid::Character));
}
