//! Known answers: each generator, fed scripted bytes, must return exactly
//! what a small model written here computes from the same bytes.
//!
//! The models are deliberately naive (one candidate at a time, plain
//! integer arithmetic, no call into the library's sampler), and follow the
//! byte contract the sampler documents: a request for `count` symbols over
//! `bound` reads `ceil(count * 2^L / limit) + 4` candidates of `L / 8`
//! bytes in one fill (`limit` being the accepted share of `2^L`), takes
//! them in order, and rejects a candidate `v` when `(v * bound) mod 2^L` is
//! below `2^L mod bound`.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::common::{Script, bytes, model_indices};
use secrets_kit_tokens::formats::{self, BASE58_ALPHABET, CROCKFORD_ALPHABET};

#[test]
fn base58_token_matches_the_model() {
    let symbols: Vec<char> = BASE58_ALPHABET.chars().collect();
    // Zeros and bytes of 232 and above are rejected for 58; put some in.
    let mut script = bytes(1, 64);
    script[0] = 0;
    script[3] = 250;
    let (indices, read) = model_indices(&script, 58, 22);
    let expected: String = indices.iter().map(|&i| symbols[i as usize]).collect();
    let source = Script::new(&script[..read]);
    assert_eq!(formats::token_base58_with(&source, 22).unwrap(), expected);
    assert_eq!(source.left(), 0);
}

#[test]
fn uuid_v4_matches_the_model() {
    let script = bytes(2, 16);
    let mut model = script.clone();
    model[6] = (model[6] & 0x0f) | 0x40; // version 4
    model[8] = (model[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = model.iter().map(|b| format!("{b:02x}")).collect();
    let expected = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    let source = Script::new(&script);
    assert_eq!(formats::uuid_v4_with(&source).unwrap(), expected);
    assert_eq!(source.left(), 0);
}

#[test]
fn ulid_matches_the_model() {
    let script = bytes(3, 10);
    let millis = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_millis();
    let before = millis(SystemTime::now());
    let source = Script::new(&script);
    let id = formats::ulid_with(&source).unwrap();
    let after = millis(SystemTime::now());
    assert_eq!(source.left(), 0);

    let digits: Vec<char> = CROCKFORD_ALPHABET.chars().collect();
    let value = |text: &str| {
        text.chars().fold(0u128, |acc, c| {
            acc * 32 + digits.iter().position(|&d| d == c).unwrap() as u128
        })
    };
    // 26 characters of 5 bits hold 130 bits: the first 10 carry the 48-bit
    // time (with 2 leading zero bits), the last 16 exactly the 80 random
    // bits, which are the script's bytes read big-endian.
    let random = script
        .iter()
        .fold(0u128, |acc, &b| acc << 8 | u128::from(b));
    assert_eq!(value(&id[10..]), random, "{id}");
    let time = value(&id[..10]);
    assert!(
        (before..=after).contains(&time),
        "{id}: {time} not in {before}..={after}"
    );
}
