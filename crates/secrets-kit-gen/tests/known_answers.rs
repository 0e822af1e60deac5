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

use crate::common::{Script, bytes, model_indices};
use secrets_kit_gen::password::{CharClass, PasswordPolicy, Sampling};
#[cfg(feature = "wordlist")]
use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};

#[cfg(feature = "wordlist")]
#[test]
fn passphrase_matches_the_model() {
    let words = ["apple", "berry", "cherry", "damson", "elder"];
    let list = WordList::from_words("known answers", words).unwrap();
    let generator = PassphraseGenerator::new(&list, "-").unwrap();
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
