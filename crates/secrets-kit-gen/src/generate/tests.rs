//! Every [`Generate`](crate::Generate) implementation against its naive
//! model, on small instances: one list of cases (name, generator, every
//! string the model allows), one brute-force harness and one chi-square
//! harness over the whole list.

use crate::naive::{classes_ok, is_apple, policy_ok, syllable_strings};
use crate::password::{CONSONANTS, Language, VOWELS};
use crate::password::{
    CharClass, PasswordPolicy, Style, StyleGenerator, apple_language, syllable_language,
};
use crate::test_support::{Case, all_strings, assert_brute_force, assert_chi_square};

/// The chi-square harness covers the cases with at most this many
/// strings (200 draws each).
const MAX_CHI_SQUARE_CELLS: usize = 1000;

/// The most cases the chi-square harness may check: each fails a correct
/// sampler with probability 1e-6, so the list does with at most 3e-5.
const MAX_CHI_SQUARE_CASES: usize = 30;

/// A case whose naive model is every string of `length` characters over
/// `alphabet` that `model` accepts.
fn by_filter(
    name: &str,
    generator: impl crate::Generate + 'static,
    alphabet: &str,
    length: usize,
    model: impl Fn(&[char]) -> bool,
) -> Case {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let naive = all_strings::<Vec<char>>(&alphabet, length)
        .filter(|s| model(s))
        .map(|s| s.into_iter().collect());
    Case::new(name, generator, naive)
}

/// A policy of `length` characters over `alphabet`, with `rules`.
fn policy(
    alphabet: &str,
    length: usize,
    rules: impl FnOnce(PasswordPolicy) -> PasswordPolicy,
) -> crate::password::PasswordGenerator {
    rules(PasswordPolicy::new().alphabet(alphabet).length(length))
        .generator()
        .unwrap()
}

/// `policy` with runs of at most `max_run`, if given.
fn with_runs(policy: PasswordPolicy, max_run: Option<usize>) -> PasswordPolicy {
    match max_run {
        Some(max) => policy.max_consecutive(max),
        None => policy,
    }
}

fn password_cases() -> Vec<Case> {
    let rules = "minlength: 5; maxlength: 5; required: [abc], [1]; required: [cA]; \
                 required: [c1]; allowed: [xyz]; max-consecutive: 2";
    let mut cases = vec![
        by_filter(
            "policy: runs of at most 2",
            policy("abcAB1", 6, |p| p.max_consecutive(2)),
            "abcAB1",
            6,
            |p| policy_ok(p, &[], Some(2)),
        ),
        by_filter(
            "policy: overlapping sets",
            policy("abcdxy12", 5, |p| {
                p.require("abc", 2)
                    .require("cd1", 2)
                    .require("c2", 1)
                    .max_consecutive(2)
            }),
            "abcdxy12",
            5,
            |p| policy_ok(p, &[("abc", 2), ("cd1", 2), ("c2", 1)], Some(2)),
        ),
        by_filter(
            "policy: rules with overlapping required unions",
            PasswordPolicy::from_rules(rules)
                .unwrap()
                .generator()
                .unwrap(),
            "1Aabcxyz",
            5,
            |p| policy_ok(p, &[("abc1", 1), ("cA", 1), ("c1", 1)], Some(2)),
        ),
        by_filter(
            "policy: an a, runs of at most 2",
            policy("abcd", 4, |p| p.require("a", 1).max_consecutive(2)),
            "abcd",
            4,
            |p| policy_ok(p, &[("a", 1)], Some(2)),
        ),
        by_filter(
            "policy: a letter and a digit (Python's recipe, small)",
            policy("ab1", 4, |p| {
                p.min(CharClass::Lower, 1).min(CharClass::Digits, 1)
            }),
            "ab1",
            4,
            |p| policy_ok(p, &[("ab", 1), ("1", 1)], None),
        ),
        by_filter(
            "policy: only 0, 1, 2 among digits (unranking)",
            PasswordPolicy::new()
                .classes(&[CharClass::Digits])
                .require("012", 3)
                .length(3)
                .generator()
                .unwrap(),
            "0123456789",
            3,
            |p| policy_ok(p, &[("012", 3)], None),
        ),
    ];
    for max_run in [None, Some(1)] {
        let minimums = [("abc", 2), ("12", 1), ("!", 1)];
        let generator = policy("abcAB12!", 5, |p| {
            let p = p
                .min(CharClass::Lower, 2)
                .min(CharClass::Digits, 1)
                .min(CharClass::Symbols, 1);
            with_runs(p, max_run)
        });
        cases.push(by_filter(
            &format!("policy: class minimums, runs {max_run:?}"),
            generator,
            "abcAB12!",
            5,
            |p| policy_ok(p, &minimums, max_run),
        ));
    }
    cases
}

fn class_group_cases() -> Vec<Case> {
    let alphabet = "abAB01!?";
    let all = CharClass::ALL;
    let mut cases: Vec<Case> = [
        (4, 3, all.to_vec(), None),
        (4, 2, all.to_vec(), Some(1)),
        (5, 3, all.to_vec(), Some(2)),
        (3, 1, vec![CharClass::Digits, CharClass::Symbols], None),
        (4, 4, all.to_vec(), None),
    ]
    .into_iter()
    .map(|(length, at_least, classes, max_run)| {
        let generator = policy(alphabet, length, |p| {
            with_runs(p.at_least_classes(at_least, &classes), max_run)
        });
        by_filter(
            &format!("{at_least} of {classes:?}, {length} characters, runs {max_run:?}"),
            generator,
            alphabet,
            length,
            |p| classes_ok(p, at_least, &classes, max_run, ""),
        )
    })
    .collect();
    cases.push(by_filter(
        "3 of 4 classes, a '?', runs of at most 2",
        policy(alphabet, 4, |p| {
            p.at_least_classes(3, &all)
                .require("?", 1)
                .max_consecutive(2)
        }),
        alphabet,
        4,
        |p| classes_ok(p, 3, &all, Some(2), "?"),
    ));
    cases.push(by_filter(
        "2 of 4 classes and 2 digits",
        policy(alphabet, 4, |p| {
            p.at_least_classes(2, &all).min(CharClass::Digits, 2)
        }),
        alphabet,
        4,
        |p| {
            classes_ok(p, 2, &all, None, "") && p.iter().filter(|c| c.is_ascii_digit()).count() >= 2
        },
    ));
    cases.push(by_filter(
        "3 of 4 classes over abA0!",
        policy("abA0!", 4, |p| p.at_least_classes(3, &all)),
        "abA0!",
        4,
        |p| classes_ok(p, 3, &all, None, ""),
    ));
    cases
}

fn style_cases() -> Vec<Case> {
    let small =
        |language: Language, length: usize| StyleGenerator::of_language(language, length).unwrap();
    let mut cases = vec![
        Case::new(
            "pin, 2 digits",
            Style::Pin.with_size(2).unwrap(),
            all_strings::<String>(&"0123456789".chars().collect::<Vec<_>>(), 2),
        ),
        Case::new(
            "pronounceable, 2 letters",
            Style::Pronounceable.with_size(2).unwrap(),
            syllable_strings(CONSONANTS, VOWELS, 2),
        ),
        Case::new(
            "pronounceable, 3 letters",
            Style::Pronounceable.with_size(3).unwrap(),
            syllable_strings(CONSONANTS, VOWELS, 3),
        ),
        Case::new(
            "any string over aB3",
            small(Language::free("aB3".chars()), 5),
            all_strings::<String>(&['a', 'B', '3'], 5),
        ),
    ];
    for (groups, group_len) in [(1, 2), (1, 3), (2, 2), (3, 1)] {
        let length = groups * (group_len + 1) - 1;
        cases.push(by_filter(
            &format!("apple layout, {groups}x{group_len} over ab, AB, 01"),
            small(apple_language(groups, group_len, "ab", "AB", "01"), length),
            "abAB01-",
            length,
            |s| {
                is_apple(
                    &s.iter().collect::<String>(),
                    groups,
                    group_len,
                    "ab",
                    "AB",
                    "01",
                )
            },
        ));
    }
    for length in 2..=9 {
        cases.push(Case::new(
            format!("syllables over bd and ao, {length} letters"),
            small(syllable_language("bd", "ao"), length),
            syllable_strings("bd", "ao", length),
        ));
    }
    cases
}

#[cfg(feature = "wordlist")]
fn phrase_cases() -> Vec<Case> {
    use crate::SizedPassphrase;
    use crate::charset::DIGITS;
    use crate::naive::{constructions, passphrases, satisfies};
    use crate::password::parse_rules;
    use crate::wordlist::{Capitalize, PassphraseGenerator, PhraseOptions, WordList};

    const WORDS: [&str; 5] = ["ab", "cab", "ba", "dd", "abcd"];
    let list = |words: &[&str]| {
        WordList::from_words("test", words.iter().map(|w| (*w).to_owned())).unwrap()
    };
    let digits: Vec<String> = DIGITS.chars().map(String::from).collect();
    // (rules, words, the case, separators and insertions they call for)
    type Ruled = (&'static str, usize, Capitalize, Vec<String>, Vec<Vec<char>>);
    let ruled: [Ruled; 5] = [
        // The digit rule is met by digits as separators.
        (
            "maxlength: 9; required: upper; required: digit; allowed: lower, [-]",
            2,
            Capitalize::One,
            digits.clone(),
            vec![],
        ),
        (
            "minlength: 6; maxlength: 10; required: [!?]; allowed: lower",
            3,
            Capitalize::AsListed,
            vec!["!".into(), "?".into()],
            vec![],
        ),
        (
            "maxlength: 12; required: digit; required: [#]; allowed: lower, upper",
            2,
            Capitalize::AsListed,
            digits,
            vec![vec!['#']],
        ),
        (
            "max-consecutive: 1; allowed: lower, [.]",
            2,
            Capitalize::AsListed,
            vec![".".into()],
            vec![],
        ),
        (
            "maxlength: 8; required: upper; required: [!?]; allowed: lower",
            2,
            Capitalize::One,
            vec!["!".into(), "?".into()],
            vec![],
        ),
    ];
    let mut cases = Vec::new();
    for (rules_text, k, case, separators, insertions) in ruled {
        let rules = parse_rules(rules_text).unwrap();
        let words: Vec<&str> = WORDS
            .iter()
            .copied()
            .filter(|w| {
                rules
                    .max_consecutive
                    .is_none_or(|m| w.as_bytes().chunk_by(|a, b| a == b).all(|r| r.len() <= m))
            })
            .collect();
        let naive = constructions(
            &words,
            k,
            case,
            &separators,
            &insertions,
            rules.min_length.unwrap_or(0),
            rules.max_length.unwrap_or(usize::MAX),
        );
        assert!(naive.iter().all(|p| satisfies(p, &rules)), "{rules_text}");
        let generator = PhraseOptions::new()
            .rules(rules_text)
            .generator(&list(&WORDS), Some(k), None)
            .unwrap();
        cases.push(Case::new(format!("phrase: {rules_text}"), generator, naive));
    }
    cases.push(Case::new(
        "phrase: -, random capitals, a digit, at most 9 characters",
        PhraseOptions::new()
            .separator("-")
            .capitalize(Capitalize::Random)
            .digit(true)
            .max_length(9)
            .generator(&list(&WORDS), Some(2), None)
            .unwrap(),
        constructions(
            &WORDS,
            2,
            Capitalize::Random,
            &["-".into()],
            &[DIGITS.chars().collect()],
            0,
            9,
        ),
    ));
    let fruit = ["apple", "berry", "cherry", "damson", "elder"];
    let sixteen: Vec<String> = (0..16).map(|i| format!("w{i:02}")).collect();
    let sixteen: Vec<&str> = sixteen.iter().map(String::as_str).collect();
    for (words, separator, k) in [(&fruit[..], "-", 3), (&sixteen[..], " ", 2)] {
        let generator = PassphraseGenerator::new(&list(words), separator).unwrap();
        cases.push(Case::new(
            format!("passphrase: {k} of {} words", words.len()),
            SizedPassphrase::new(generator, k).unwrap(),
            passphrases(words, k, separator),
        ));
    }
    let generator =
        PassphraseGenerator::capitalized(&list(&["alpha", "bravo", "charlie"]), " ").unwrap();
    cases.push(Case::new(
        "passphrase: capitalised",
        SizedPassphrase::new(generator, 2).unwrap(),
        passphrases(&["Alpha", "Bravo", "Charlie"], 2, " "),
    ));
    cases
}

/// Every case, of every generator.
fn cases() -> Vec<Case> {
    let mut cases = password_cases();
    cases.extend(class_group_cases());
    cases.extend(style_cases());
    #[cfg(feature = "wordlist")]
    cases.extend(phrase_cases());
    cases
}

#[test]
fn every_generator_counts_and_draws_exactly_what_its_naive_model_allows() {
    for case in cases() {
        assert_brute_force(&case);
    }
}

/// Each check fails a correct sampler with probability 1e-6; there are at
/// most [`MAX_CHI_SQUARE_CASES`], so the test fails with at most 3e-5.
#[test]
fn every_generator_is_uniform_chi_square() {
    let small: Vec<Case> = cases()
        .into_iter()
        .filter(|case| case.cells() <= MAX_CHI_SQUARE_CELLS)
        .collect();
    assert!(small.len() <= MAX_CHI_SQUARE_CASES, "{} cases", small.len());
    for case in &small {
        assert_chi_square(case);
    }
}
