//! Framework keys: each format's exact shape, and known answers through
//! the entropy seam (the bytes in come back out of the encoding).
#![cfg(feature = "framework-keys")]

use crate::common::Script;
use base64::Engine as _;
use secrets_kit_tokens::keys::{DJANGO_ALPHABET, KeyFormat, framework_key, framework_key_with};

fn counting_bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 37 + 11) as u8).collect()
}

/// Every format: the random bytes it draws (none for Django, whose key is
/// drawn character by character) and the length of its key.
const FORMATS: [(KeyFormat, Option<usize>, usize); 6] = [
    (KeyFormat::Fernet, Some(32), 44),
    (KeyFormat::Django, None, 50),
    (KeyFormat::Flask, Some(32), 64),
    (KeyFormat::Rails, Some(64), 128),
    (KeyFormat::JwtHs256, Some(32), 43),
    (KeyFormat::JwtHs512, Some(64), 86),
];

#[test]
fn byte_keys_encode_exactly_the_bytes_drawn() {
    for (format, nbytes) in FORMATS
        .into_iter()
        .filter_map(|(format, nbytes, _)| Some((format, nbytes?)))
    {
        let bytes = counting_bytes(nbytes);
        let script = Script::new(&bytes);
        let key = framework_key_with(&script, format).unwrap();
        assert_eq!(script.left(), 0, "{format:?} drew more than {nbytes} bytes");
        let decoded = match format {
            KeyFormat::Fernet => base64::engine::general_purpose::URL_SAFE
                .decode(&key)
                .unwrap(),
            KeyFormat::JwtHs256 | KeyFormat::JwtHs512 => {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(&key)
                    .unwrap()
            }
            _ => {
                assert!(
                    key.bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                );
                (0..key.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&key[i..i + 2], 16).unwrap())
                    .collect()
            }
        };
        assert_eq!(decoded, bytes, "{format:?}");
    }
}

#[test]
fn lengths_match_the_frameworks() {
    assert_eq!(FORMATS.map(|(format, _, _)| format), KeyFormat::ALL);
    for (format, _, length) in FORMATS {
        let key = framework_key(format).unwrap();
        assert_eq!(key.len(), length, "{format:?}: {key}");
        if format == KeyFormat::Fernet {
            assert!(key.ends_with('='));
        }
    }
}

#[test]
fn django_keys_follow_the_rejection_model() {
    // Bound 50 over single bytes: byte b is kept when b * 50 mod 256 is at
    // least 256 mod 50 = 6, and stands for floor(b * 50 / 256).
    let bytes: Vec<u8> = (0..=255u8).collect();
    let alphabet: Vec<char> = DJANGO_ALPHABET.chars().collect();
    let expected: String = bytes
        .iter()
        .map(|&b| u32::from(b) * 50)
        .filter(|p| p % 256 >= 6)
        .map(|p| alphabet[(p / 256) as usize])
        .take(50)
        .collect();
    let script = Script::new(&bytes);
    assert_eq!(
        framework_key_with(&script, KeyFormat::Django).unwrap(),
        expected
    );
}

#[test]
fn django_keys_use_every_character_of_the_alphabet() {
    let mut seen = std::collections::BTreeSet::new();
    // 200 keys: 10,000 characters; a character is missed with probability
    // 50 * (49/50)^10000 < 1e-80.
    for _ in 0..200 {
        seen.extend(framework_key(KeyFormat::Django).unwrap().chars());
    }
    assert_eq!(seen, DJANGO_ALPHABET.chars().collect());
}

#[test]
fn names_round_trip() {
    for format in KeyFormat::ALL {
        assert_eq!(KeyFormat::from_name(format.name()), Some(format));
    }
}
