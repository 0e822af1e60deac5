//! The word-list loader against a simple reference: drop a leading
//! byte-order mark, split on `\n`, trim,
//! skip blank lines, keep the first of each duplicate. Bytes that are not
//! UTF-8 are a `Parse` error; fewer than two distinct words are
//! `Unsatisfiable`; otherwise the list holds exactly the reference's words
//! in order, and a passphrase drawn from it (when the list makes a usable
//! generator) is made of its words.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use secrets::ErrorKind;
use secrets_gen::wordlist::{PassphraseGenerator, WordList};

fuzz_target!(|bytes: &[u8]| {
    let loaded = WordList::from_text("fuzz.txt", bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        let err = loaded.expect_err("bytes that are not UTF-8 were accepted");
        assert_eq!(err.kind(), ErrorKind::Parse);
        assert!(err.to_string().contains("fuzz.txt"), "{err}");
        return;
    };

    // A UTF-8 byte-order mark at the start of a file is not part of the
    // first word.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut seen = HashSet::new();
    let expected: Vec<&str> = text
        .split('\n')
        .map(str::trim)
        .filter(|word| !word.is_empty() && seen.insert(*word))
        .collect();

    let list = match loaded {
        Ok(list) => list,
        Err(err) => {
            assert!(
                expected.len() < 2,
                "{} distinct words refused: {err}",
                expected.len()
            );
            assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
            return;
        }
    };
    assert!(expected.len() >= 2);
    assert_eq!(list.len(), expected.len());
    assert!(list.words().eq(expected.iter().copied()));

    // A passphrase of three words, separated by a character no word has.
    if let Ok(generator) = PassphraseGenerator::new(&list, "\n") {
        let phrase = generator
            .generate(3)
            .expect("a passphrase from a valid list");
        let words: Vec<&str> = phrase.split('\n').collect();
        assert_eq!(words.len(), 3, "{phrase:?}");
        for word in words {
            assert!(seen.contains(word), "{word:?} is not in the list");
        }
    }
});
