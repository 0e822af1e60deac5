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
#![cfg(any(feature = "formats", feature = "password"))]

mod common;

#[cfg(feature = "formats")]
use std::time::{SystemTime, UNIX_EPOCH};

use common::Script;
#[cfg(feature = "formats")]
use secrets_kit::formats::{self, BASE58_ALPHABET, CROCKFORD_ALPHABET};
#[cfg(feature = "password")]
use secrets_kit::password::{CharClass, PasswordPolicy, Sampling};
#[cfg(feature = "wordlist")]
use secrets_kit::wordlist::{PassphraseGenerator, WordList};

/// The model of one request: `count` indices below `bound`, from `bytes`
/// (which must hold exactly the fills the request makes). Returns the
/// indices and how many bytes were read.
fn model_indices(bytes: &[u8], bound: u64, count: usize) -> (Vec<u64>, usize) {
    let width = if bound <= 1 << 8 {
        1
    } else if bound <= 1 << 16 {
        2
    } else {
        4
    };
    let space = 1u64 << (8 * width);
    let rejected_below = space % bound;
    let accepted = space - rejected_below;
    let mut out = Vec::new();
    let mut read = 0;
    while out.len() < count {
        let needed = (count - out.len()) as u64;
        let candidates = ((needed * space).div_ceil(accepted) + 4).min(512 / width as u64);
        let fill = &bytes[read..read + candidates as usize * width];
        read += fill.len();
        for candidate in fill.chunks(width) {
            if out.len() == count {
                break;
            }
            let mut v = 0u64;
            for (i, byte) in candidate.iter().enumerate() {
                v += u64::from(*byte) << (8 * i);
            }
            if (v * bound) % space >= rejected_below {
                out.push(v * bound / space);
            }
        }
    }
    (out, read)
}

/// Bytes that look random enough and are the same on every run.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            // splitmix64
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

#[cfg(feature = "formats")]
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

#[cfg(feature = "formats")]
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

#[cfg(feature = "formats")]
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

#[cfg(feature = "wordlist")]
#[test]
fn passphrase_matches_the_model() {
    let words = ["apple", "berry", "cherry", "damson", "elder"];
    let list = WordList::from_words("known answers", words).unwrap();
    let generator = PassphraseGenerator::new(&list, "-", false).unwrap();
    let mut script = bytes(4, 32);
    script[1] = 255; // 255 * 5 mod 256 = 251, accepted; 0 is rejected
    script[2] = 0;
    let (indices, read) = model_indices(&script, 5, 3);
    let expected: Vec<&str> = indices.iter().map(|&i| words[i as usize]).collect();
    let source = Script::new(&script[..read]);
    assert_eq!(
        generator.generate_with(&source, 3).unwrap(),
        expected.join("-")
    );
    assert_eq!(source.left(), 0);
}

#[cfg(feature = "password")]
#[test]
fn password_by_rejection_matches_the_model() {
    // Lower case and digits, at least one of each: most random strings
    // pass, so the generator draws candidates and keeps the first valid
    // one.
    let policy = PasswordPolicy::new()
        .classes(&[CharClass::Lower, CharClass::Digits])
        .length(8);
    let generator = policy.generator().unwrap();
    assert_eq!(generator.sampling(), Sampling::Rejection);
    let alphabet: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    assert_eq!(generator.alphabet(), &alphabet[..]);

    // The first candidate is all letters (indices below 26: bytes below
    // 26 * 256 / 36 = 184.9), so it fails the policy; the next passes.
    let first = [10u8; 13];
    let second = bytes(5, 13);
    let script: Vec<u8> = first.iter().chain(&second).copied().collect();

    let valid =
        |p: &[char]| p.iter().any(char::is_ascii_lowercase) && p.iter().any(char::is_ascii_digit);
    let mut read = 0;
    let expected = loop {
        let (indices, used) = model_indices(&script[read..], 36, 8);
        read += used;
        let candidate: Vec<char> = indices.iter().map(|&i| alphabet[i as usize]).collect();
        if valid(&candidate) {
            break candidate.into_iter().collect::<String>();
        }
    };
    assert!(read > 13, "the script must make the model reject once");
    let source = Script::new(&script[..read]);
    assert_eq!(generator.generate_with(&source).unwrap(), expected);
    assert_eq!(source.left(), 0);
    assert_eq!(
        policy.generate_with(&Script::new(&script[..read])).unwrap(),
        expected
    );
}

#[cfg(feature = "password")]
#[test]
fn password_by_unranking_matches_the_model() {
    // Digits only, exactly: "0" to "9" of length 3 with at least 3 of
    // "012": 27 passwords, too few of the 1000 strings for rejection.
    let policy = PasswordPolicy::new()
        .classes(&[CharClass::Digits])
        .require("012", 3)
        .length(3);
    let generator = policy.generator().unwrap();
    assert_eq!(generator.sampling(), Sampling::Unranking);
    assert_eq!(generator.count().to_string(), "27");
    // The model: every valid password in sorted order, and Python's
    // `randbelow(27)`: a 5-bit draw from one byte's top bits, retried while
    // it is 27 or more.
    let mut valid: Vec<String> = (0..1000)
        .map(|n| format!("{n:03}"))
        .filter(|p| p.chars().all(|c| "012".contains(c)))
        .collect();
    valid.sort();
    let script = [0xf8u8, 0x50]; // 31: rejected; then 10
    let rank = script
        .iter()
        .map(|b| usize::from(b >> 3))
        .find(|&r| r < 27)
        .unwrap();
    let source = Script::new(script);
    assert_eq!(generator.generate_with(&source).unwrap(), valid[rank]);
    assert_eq!(source.left(), 0);
}
