//! The password-policy solver. Two kinds of input:
//!
//! - A policy built from the fuzzer's bytes (classes, length, per-class
//!   minimums, look-alikes left out, a cap on repeated characters): every
//!   password it generates must meet the policy, and a refusal must be one
//!   of the documented error kinds.
//! - A tiny policy (an alphabet of 2 to 4 characters, length up to 6,
//!   requirements, a repeat cap): the solver's exact count must equal a
//!   brute-force count over all strings, and it must refuse the policy
//!   exactly when that count is zero.
//! - Any text given to the `passwordrules` parser: no panic, and a password
//!   from an accepted rule set uses only the allowed characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;
use secrets::ErrorKind;
use secrets_gen::password::{AMBIGUOUS, CharClass, PasswordPolicy};

const CLASSES: [CharClass; 4] = [
    CharClass::Lower,
    CharClass::Upper,
    CharClass::Digits,
    CharClass::Symbols,
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => class_policy(rest),
        1 => tiny_policy(rest),
        _ => {
            if let Ok(rules) = std::str::from_utf8(rest) {
                password_rules(rules);
            }
        }
    }
});

fn byte(data: &[u8], index: usize) -> u8 {
    data.get(index).copied().unwrap_or(0)
}

/// The value, or `None` after checking that the error is one of the
/// `documented` kinds and explains itself; `input` names the input in a
/// failure.
fn ok_or_documented<T>(
    result: Result<T, secrets::Error>,
    documented: &[ErrorKind],
    input: &dyn std::fmt::Debug,
) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(err) => {
            assert!(
                documented.contains(&err.kind()),
                "undocumented error kind for {input:?}: {err:?}"
            );
            assert!(!err.to_string().is_empty());
            None
        }
    }
}

fn longest_run(password: &str) -> usize {
    let chars: Vec<char> = password.chars().collect();
    chars
        .chunk_by(|a, b| a == b)
        .map(<[char]>::len)
        .max()
        .unwrap_or(0)
}

fn class_policy(data: &[u8]) {
    // Up to 31 characters: longer policies with a repeat cap and four
    // minimums take the exact counter most of a second under the
    // sanitizer, which would leave little time for other inputs.
    let length = usize::from(byte(data, 0) % 32);
    let chosen: Vec<CharClass> = CLASSES
        .iter()
        .enumerate()
        .filter(|(i, _)| byte(data, 1) >> i & 1 == 1)
        .map(|(_, class)| *class)
        .collect();
    let mut policy = PasswordPolicy::new().length(length).classes(&chosen);
    let mut minimums = [0usize; 4];
    for (i, class) in chosen.iter().enumerate() {
        minimums[i] = usize::from(byte(data, 2 + i) % 8);
        policy = policy.min(*class, minimums[i]);
    }
    let exclude = byte(data, 6) & 1 == 1;
    policy = policy.exclude_ambiguous(exclude);
    let max_run = (byte(data, 7) & 0x80 != 0).then(|| usize::from(byte(data, 7) % 4));
    if let Some(max) = max_run {
        policy = policy.max_consecutive(max);
    }

    let documented = [
        ErrorKind::InvalidValue,
        ErrorKind::Unsatisfiable,
        ErrorKind::TooLarge,
    ];
    let Some(generator) = ok_or_documented(policy.generator(), &documented, &policy) else {
        return;
    };
    assert!(length > 0 && !chosen.is_empty());
    assert!(*generator.count() > BigUint::ZERO);
    let password = generator
        .generate()
        .expect("a password from a built generator");
    assert_eq!(password.chars().count(), length, "{password:?}");
    for c in password.chars() {
        assert!(
            generator.alphabet().contains(&c),
            "{c:?} outside the alphabet"
        );
        assert!(chosen.iter().any(|class| class.chars().contains(c)));
        assert!(
            !exclude || !AMBIGUOUS.contains(c),
            "look-alike {c:?} in {password:?}"
        );
    }
    for (class, minimum) in chosen.iter().zip(minimums) {
        let have = password
            .chars()
            .filter(|&c| class.chars().contains(c))
            .count();
        assert!(
            have >= minimum,
            "{password:?} has {have} {class:?}, needs {minimum}"
        );
    }
    if let Some(max) = max_run {
        assert!(
            longest_run(&password) <= max,
            "{password:?} repeats more than {max}"
        );
    }
}

fn tiny_policy(data: &[u8]) {
    const POOL: [char; 4] = ['a', 'b', '7', '#'];
    let size = 2 + usize::from(byte(data, 0) % 3);
    let alphabet: String = POOL[..size].iter().collect();
    let length = 1 + usize::from(byte(data, 1) % 6);
    let mut policy = PasswordPolicy::new()
        .alphabet(alphabet.as_str())
        .length(length);
    // Up to two requirements over subsets of the pool (members outside the
    // alphabet do not count, as documented).
    let mut requirements: Vec<(Vec<char>, usize)> = Vec::new();
    for r in 0..usize::from(byte(data, 2) % 3) {
        let mask = byte(data, 3 + 2 * r);
        let set: Vec<char> = POOL
            .iter()
            .enumerate()
            .filter(|(i, _)| mask >> i & 1 == 1)
            .map(|(_, &c)| c)
            .collect();
        let at_least = usize::from(byte(data, 4 + 2 * r) % 4);
        if set.is_empty() {
            continue;
        }
        let text: String = set.iter().collect();
        policy = policy.require(&text, at_least);
        requirements.push((set, at_least));
    }
    let max_run = (byte(data, 7) & 0x80 != 0).then(|| 1 + usize::from(byte(data, 7) % 3));
    if let Some(max) = max_run {
        policy = policy.max_consecutive(max);
    }

    let allowed: Vec<char> = alphabet.chars().collect();
    let meets = |candidate: &[char]| {
        requirements.iter().all(|(set, at_least)| {
            candidate.iter().filter(|c| set.contains(c)).count() >= *at_least
        }) && max_run.is_none_or(|max| {
            candidate
                .chunk_by(|a, b| a == b)
                .all(|run| run.len() <= max)
        })
    };
    let mut brute_force = 0u64;
    let mut candidate = vec![allowed[0]; length];
    let total = size.pow(u32::try_from(length).unwrap());
    for mut index in 0..total {
        for slot in candidate.iter_mut() {
            *slot = allowed[index % size];
            index /= size;
        }
        brute_force += u64::from(meets(&candidate));
    }

    match policy.generator() {
        Ok(generator) => {
            assert_eq!(
                *generator.count(),
                BigUint::from(brute_force),
                "count of {policy:?}"
            );
            let password: Vec<char> = generator.generate().unwrap().chars().collect();
            assert_eq!(password.len(), length);
            assert!(password.iter().all(|c| allowed.contains(c)));
            assert!(meets(&password), "{password:?} breaks {policy:?}");
        }
        Err(err) => {
            assert_eq!(
                brute_force, 0,
                "{policy:?} refused ({err}) but {brute_force} passwords meet it"
            );
            assert_eq!(err.kind(), ErrorKind::Unsatisfiable, "{err}");
        }
    }
}

fn password_rules(rules: &str) {
    let documented = [
        ErrorKind::Parse,
        ErrorKind::Unsatisfiable,
        ErrorKind::InvalidValue,
    ];
    let Some(policy) = ok_or_documented(PasswordPolicy::from_rules(rules), &documented, &rules)
    else {
        return;
    };
    let Ok(generator) = policy.generator() else {
        return;
    };
    let password = generator
        .generate()
        .expect("a password from a built generator");
    assert_eq!(password.chars().count(), generator.length());
    assert!(password.chars().all(|c| generator.alphabet().contains(&c)));
}
