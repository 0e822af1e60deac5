//! Tests of the policy engine: exact counts by formula, the rules parser,
//! `bits` boundaries, uniformity and agreement of both sampling methods,
//! and errors. (Counts against brute force and uniformity of each
//! generator's own draws: the harness in `generate/tests.rs`.)

use num_bigint::BigUint;

use super::*;
use crate::naive::policy_ok as naive_ok;
use crate::test_common::{chi_square_critical, chi_square_uniform};
use crate::test_support::{all_strings, assert_uniform_sample, tally};
use secrets_kit::ErrorKind;

fn brute_force(
    alphabet: &str,
    length: usize,
    sets: &[(&str, usize)],
    max_run: Option<usize>,
) -> u64 {
    let alphabet: Vec<char> = alphabet.chars().collect();
    all_strings::<Vec<char>>(&alphabet, length)
        .filter(|p| naive_ok(p, sets, max_run))
        .count() as u64
}

/// The four classes' characters (lower, upper, digits, symbols) with these
/// minimums, as [`naive_ok`] takes them.
fn class_sets(minimums: [usize; 4]) -> [(&'static str, usize); 4] {
    let [lower, upper, digits, symbols] = minimums;
    [
        (charset::LOWER, lower),
        (charset::UPPER, upper),
        (charset::DIGITS, digits),
        (charset::SYMBOLS, symbols),
    ]
}

/// All four classes, with no minimum but the given ones.
fn any_class() -> PasswordPolicy {
    CharClass::ALL
        .iter()
        .fold(PasswordPolicy::new(), |policy, &class| policy.min(class, 0))
}

#[test]
fn default_policy_is_16_characters_and_at_least_100_bits() {
    let generator = PasswordPolicy::default().generator().unwrap();
    assert_eq!(generator.length(), 16);
    assert_eq!(generator.alphabet().len(), 94);
    assert!(
        generator.entropy_bits() >= 100.0,
        "{}",
        generator.entropy_bits()
    );
    // Inclusion-exclusion over the four classes gives the exact count.
    let sizes = [26u32, 26, 10, 32];
    let mut expected = num_bigint::BigInt::from(0);
    for missing in 0u32..16 {
        let left: u32 = (0..4)
            .filter(|i| missing & (1 << i) == 0)
            .map(|i| sizes[i])
            .sum();
        let term = num_bigint::BigInt::from(left).pow(16);
        if missing.count_ones() % 2 == 0 {
            expected += term;
        } else {
            expected -= term;
        }
    }
    assert_eq!(generator.count(), &expected.to_biguint().unwrap());
    for _ in 0..200 {
        let password = generator.generate().unwrap();
        let chars: Vec<char> = password.chars().collect();
        assert!(naive_ok(&chars, &class_sets([1, 1, 1, 1]), None));
    }
}

#[test]
fn entropy_is_log2_of_the_exact_count() {
    let generator = PasswordPolicy::new()
        .alphabet("0123456789abcdef")
        .length(40)
        .generator()
        .unwrap();
    assert_eq!(generator.entropy_bits(), 160.0);
    let generator = PasswordPolicy::new()
        .classes(&[CharClass::Digits])
        .length(30)
        .generator()
        .unwrap();
    let expected = 30.0 * 10f64.log2();
    assert!((generator.entropy_bits() - expected).abs() < 1e-9);
}

#[test]
fn bits_picks_the_smallest_length_at_exact_boundaries() {
    // 16 characters give exactly 4 bits each.
    let hex = PasswordPolicy::new().alphabet("0123456789abcdef");
    for (bits, length) in [(8, 2), (9, 3), (12, 3), (13, 4), (128, 32), (129, 33)] {
        let generator = hex.clone().bits(bits).generator().unwrap();
        assert_eq!(generator.length(), length, "{bits} bits");
        assert!(generator.entropy_bits() >= bits as f64);
    }
    // Under the default policy the counts are not powers of two: check that
    // the chosen length reaches the target and one less does not.
    for bits in [40, 64, 100, 101, 128, 256] {
        let generator = PasswordPolicy::new().bits(bits).generator().unwrap();
        let target = BigUint::from(1u8) << bits;
        assert!(generator.count() >= &target);
        let shorter = PasswordPolicy::new()
            .length(generator.length() - 1)
            .generator()
            .unwrap();
        assert!(shorter.count() < &target, "{bits} bits");
    }
}

#[test]
fn bits_respect_rule_bounds() {
    let policy = PasswordPolicy::from_rules("minlength: 20; allowed: digit").unwrap();
    // 10 bits fit in 4 digits, but the rules want at least 20.
    assert_eq!(policy.clone().bits(10).generator().unwrap().length(), 20);
    let capped = PasswordPolicy::from_rules("maxlength: 6; allowed: digit").unwrap();
    let err = capped.clone().bits(30).generator().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
    assert!(err.to_string().contains("30 bits"), "{err}");
    // Without an explicit target the rules' cap wins, and the entropy says so.
    let generator = capped.generator().unwrap();
    assert_eq!(generator.length(), 6);
    assert!((generator.entropy_bits() - 6.0 * 10f64.log2()).abs() < 1e-9);
}

#[test]
fn unranking_is_a_bijection_onto_the_valid_set() {
    let policy = PasswordPolicy::new()
        .alphabet("abc1!")
        .length(5)
        .require("1!", 2)
        .require("a", 1)
        .max_consecutive(2);
    let generator = policy.generator().unwrap();
    let count = u64::try_from(generator.count()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for rank in (0..count).map(BigUint::from) {
        let counter = &generator.counter;
        let indices = counter.unrank(5, &rank, false);
        assert_eq!(counter.unrank(5, &rank, true), indices);
        let password: Vec<char> = indices
            .iter()
            .map(|&i| generator.alphabet[i as usize])
            .collect();
        assert!(
            naive_ok(&password, &[("1!", 2), ("a", 1)], Some(2)),
            "{password:?}"
        );
        assert!(seen.insert(password));
    }
    assert_eq!(
        count,
        brute_force("abc1!", 5, &[("1!", 2), ("a", 1)], Some(2))
    );
}

// False-alarm rate: each of the three chi-square tests below fails a correct
// sampler with probability 1e-6, so the test does with about 3e-6.
#[test]
fn both_sampling_methods_are_uniform_and_agree() {
    let policy = PasswordPolicy::new()
        .alphabet("abcd")
        .length(4)
        .require("a", 1)
        .max_consecutive(2);
    let generator = policy.generator().unwrap();
    let cells = usize::try_from(generator.count()).unwrap();
    assert_eq!(cells as u64, brute_force("abcd", 4, &[("a", 1)], Some(2)));
    let [by_rejection, by_unranking] = [Sampling::Rejection, Sampling::Unranking].map(|sampling| {
        let counts = assert_uniform_sample(cells, &format!("{sampling:?}"), || {
            generator.generate_by(&crate::OsEntropy, sampling).unwrap()
        });
        assert!(counts.keys().all(|p| naive_ok(
            &p.chars().collect::<Vec<_>>(),
            &[("a", 1)],
            Some(2)
        )));
        counts
    });
    let critical = chi_square_critical((cells - 1) as f64);
    // Homogeneity of the two samples (same sizes): sum of (a-b)^2/(a+b).
    let homogeneity: f64 = by_rejection
        .keys()
        .chain(by_unranking.keys())
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .map(|p| {
            let a = *by_rejection.get(p).unwrap_or(&0) as f64;
            let b = *by_unranking.get(p).unwrap_or(&0) as f64;
            (a - b).powi(2) / (a + b)
        })
        .sum();
    assert!(
        homogeneity < critical,
        "samples differ: {homogeneity} >= {critical}"
    );
}

/// Twelve digits among all four classes: only 10^12 of 94^12 strings
/// qualify, so rejection would need about 10^11 tries.
fn twelve_digits() -> PasswordGenerator {
    any_class()
        .length(12)
        .min(CharClass::Digits, 12)
        .generator()
        .unwrap()
}

#[test]
fn a_policy_almost_nothing_satisfies_answers_by_unranking() {
    let generator = twelve_digits();
    assert_eq!(generator.sampling(), Sampling::Unranking);
    assert_eq!(generator.count(), &BigUint::from(10u64.pow(12)));
    for _ in 0..100 {
        let password = generator.generate().unwrap();
        assert_eq!(password.len(), 12);
        assert!(password.bytes().all(|b| b.is_ascii_digit()), "{password}");
    }
    // Long and tight: 64 characters, 60 of them symbols and one of each
    // other class, no character twice in a row.
    let generator = PasswordPolicy::new()
        .length(64)
        .min(CharClass::Symbols, 60)
        .max_consecutive(1)
        .generator()
        .unwrap();
    assert_eq!(generator.sampling(), Sampling::Unranking);
    let password: Vec<char> = generator.generate().unwrap().chars().collect();
    assert!(naive_ok(&password, &class_sets([1, 1, 1, 60]), Some(1)));
}

#[test]
fn rejection_falls_back_to_unranking_after_too_many_failures() {
    // Forcing rejection on a policy with acceptance 10^12 / 94^12 must still
    // answer, and correctly, within MAX_REJECTIONS candidates.
    let generator = twelve_digits();
    let password = generator
        .generate_by(&crate::OsEntropy, Sampling::Rejection)
        .unwrap();
    assert!(password.bytes().all(|b| b.is_ascii_digit()));
}

#[test]
fn big_alphabets_use_two_bytes_per_draw() {
    let alphabet: String = ('\u{4e00}'..'\u{4f2c}').collect();
    let generator = PasswordPolicy::new()
        .alphabet(alphabet.clone())
        .length(10)
        .generator()
        .unwrap();
    assert_eq!(generator.alphabet().len(), 300);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let password = generator.generate().unwrap();
        assert_eq!(password.chars().count(), 10);
        assert!(password.chars().all(|c| alphabet.contains(c)));
        seen.extend(password.chars());
    }
    // 2000 draws from 300 characters: each one is missed with probability
    // (299/300)^2000 ~ 1.3e-3, so more than 30 missing has odds below 1e-9.
    assert!(seen.len() > 270, "{}", seen.len());
}

#[test]
fn exclude_ambiguous_removes_exactly_the_documented_set() {
    let generator = PasswordPolicy::new()
        .exclude_ambiguous(true)
        .generator()
        .unwrap();
    assert_eq!(generator.alphabet().len(), 94 - AMBIGUOUS.chars().count());
    assert!(generator.alphabet().iter().all(|c| !AMBIGUOUS.contains(*c)));
    let err = PasswordPolicy::new()
        .alphabet("0O")
        .exclude_ambiguous(true)
        .generator()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(
        err.to_string()
            .contains("the alphabet has no characters after leaving out look-alikes;"),
        "{err}"
    );
    let err = PasswordPolicy::from_rules("required: [0O]; allowed: lower")
        .unwrap()
        .exclude_ambiguous(true)
        .generator();
    let err = err.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
    assert!(
        err.to_string().contains("required: [0O]")
            && err
                .to_string()
                .contains("alphabet (after leaving out look-alikes);"),
        "{err}"
    );
}

#[test]
fn unsatisfiable_and_invalid_policies_are_errors() {
    let cases: Vec<(PasswordPolicy, ErrorKind, &str)> = vec![
        (PasswordPolicy::new().length(4).min(CharClass::Digits, 5), ErrorKind::Unsatisfiable, "at least 5 digits"),
        (PasswordPolicy::new().length(0), ErrorKind::InvalidValue, "length 0"),
        (PasswordPolicy::new().length(MAX_LENGTH + 1), ErrorKind::InvalidValue, "4097"),
        (PasswordPolicy::new().classes(&[]), ErrorKind::InvalidValue, "no characters"),
        (PasswordPolicy::new().alphabet("a"), ErrorKind::InvalidValue, "only 'a'"),
        (PasswordPolicy::new().alphabet("abca"), ErrorKind::InvalidValue, "'a' more than once"),
        (PasswordPolicy::new().classes(&[CharClass::Lower]).min(CharClass::Digits, 1), ErrorKind::Unsatisfiable, "digit"),
        (PasswordPolicy::new().max_consecutive(0), ErrorKind::InvalidValue, "max-consecutive 0"),
        (PasswordPolicy::new().alphabet("ab").max_consecutive(1).bits(8), ErrorKind::Unsatisfiable, "8 bits"),
        (PasswordPolicy::new().alphabet("ab").max_consecutive(1), ErrorKind::Unsatisfiable, "100 bits"),
        (
            PasswordPolicy::new().alphabet("ab").length(4).require("a", 3).require("b", 2),
            ErrorKind::Unsatisfiable,
            "no password of length 4",
        ),
        (
            PasswordPolicy::from_rules("maxlength: 3; required: lower; required: upper; required: digit; required: special")
                .unwrap(),
            ErrorKind::Unsatisfiable,
            "`required: special`",
        ),
        (PasswordPolicy::from_rules("minlength: 8").unwrap().length(6), ErrorKind::Unsatisfiable, "minlength 8"),
        (PasswordPolicy::from_rules("minlength: 5000").unwrap(), ErrorKind::Unsatisfiable, "minlength 5000"),
    ];
    for (policy, kind, needle) in cases {
        let err = policy.generator().unwrap_err();
        assert_eq!(err.kind(), kind, "{policy:?}: {err}");
        assert!(
            err.to_string().contains(needle),
            "{err:?} should mention {needle:?}"
        );
        // A broken line continuation in a message shows as a run of spaces.
        assert!(
            !err.to_string().contains("  "),
            "{err:?} has a run of spaces"
        );
    }
}

#[test]
fn rules_parse_the_proposal_examples() {
    let examples = [
        "required: upper; required: lower; required: digit; minlength: 25; allowed: [-().&@?'#,/\"+]; max-consecutive: 2",
        "minlength: 20; required: lower; required: upper; required: digit; required: [-];",
        "minlength: 6; maxlength: 15; required: digit; required: digit; required: upper,lower; required: upper,lower;",
        "allowed: lower, upper, digit, [-(~!@#$%^&*_+=`|(){}[:;\"'<>,.?]];",
        "minlength: 10; maxlength: 100; required: lower; required: upper; required: digit; allowed: [-@_#!&$`%*+()./,;~:{}|?>=<^[']];",
        "minlength: 6; maxlength: 10; required: lower, upper, digit; allowed: [!\"#$%&()*+:;<=>?@[{}~]];",
        "maxlength: 6; max-consecutive: 3; allowed: digit;",
        "minlength: 14; required: digit; required: lower, upper; required: [!#$%&*@^]",
        "minlength: 5; maxlength: 20; required: lower; required: upper; required: digit; allowed: ascii-printable;",
        "minlength: 12; maxlength: 30; allowed: unicode",
        "MinLength: 8 ;  Required : UPPER ;\n allowed:lower",
        "minlength: 15; required: lower; required: lower; required: [-!@#$%^&*()_+|~=`{}[:\";'?,./.]];",
    ];
    for rules in examples {
        let parsed = rules::parse(rules).unwrap_or_else(|e| panic!("{rules}: {e}"));
        let generator = PasswordPolicy::from_rules(rules)
            .unwrap()
            .generator()
            .unwrap();
        let sets: Vec<(String, usize)> = parsed
            .required
            .iter()
            .map(|(_, set)| (set.iter().collect(), 1))
            .collect();
        let sets: Vec<(&str, usize)> = sets.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        for _ in 0..50 {
            let password: Vec<char> = generator.generate().unwrap().chars().collect();
            assert!(password.len() >= parsed.min_length.unwrap_or(1));
            assert!(password.len() <= parsed.max_length.unwrap_or(MAX_LENGTH));
            assert!(
                password.iter().all(|c| parsed.allowed.contains(c)),
                "{rules}: {password:?}"
            );
            assert!(
                naive_ok(&password, &sets, parsed.max_consecutive),
                "{rules}: {password:?}"
            );
        }
    }
}

#[test]
fn rules_merge_repeats_and_read_custom_sets() {
    let parsed = rules::parse("minlength: 8; minlength: 10; maxlength: 30; maxlength: 20; max-consecutive: 3; max-consecutive: 2; required: [abc]]; allowed: [-x]").unwrap();
    assert_eq!(parsed.min_length, Some(10));
    assert_eq!(parsed.max_length, Some(20));
    assert_eq!(parsed.max_consecutive, Some(2));
    assert_eq!(parsed.required.len(), 1);
    assert_eq!(parsed.required[0].1, vec![']', 'a', 'b', 'c']);
    assert_eq!(parsed.allowed, vec!['-', ']', 'a', 'b', 'c', 'x']);
    // Neither allowed nor required: printable ASCII without the space.
    assert_eq!(rules::parse("minlength: 4").unwrap().allowed.len(), 94);
    // `special` is the language's own 30: ASCII punctuation but '/' and '\\'.
    let special = rules::parse("required: special").unwrap().allowed;
    assert_eq!(special.len(), 30);
    assert!(special.iter().all(|c| c.is_ascii_punctuation()));
    assert!(!special.contains(&'/') && !special.contains(&'\\'));
    // `ascii-printable` keeps them.
    let printable = rules::parse("allowed: ascii-printable").unwrap().allowed;
    assert!(printable.contains(&'/') && printable.contains(&'\\'));
    assert_eq!(
        rules::parse("allowed: ascii-printable, [ ]")
            .unwrap()
            .allowed
            .len(),
        95
    );
    assert_eq!(
        rules::parse(";; required: digit ;;").unwrap().allowed.len(),
        10
    );
}

#[test]
fn malformed_rules_are_errors_that_name_the_rule() {
    let parse_errors = [
        ("minlength: 8; color: blue", "color"),
        ("required: uper", "uper"),
        ("required: upper, ", "required: upper,"),
        ("required:", "no value"),
        ("minlength: eight", "minlength: eight"),
        ("minlength: 8 9", "whole number"),
        ("minlength: -3", "whole number"),
        ("minlength 8", "':'"),
        ("maxlength: 99999999999999999999999", "too large"),
        ("allowed: [abc", "closing"),
        ("allowed: []", "empty"),
        ("allowed: [a-z]", "'-' may only be the first"),
        ("allowed: [é]", "no printable ASCII"),
        ("allowed: [a\tb]", "printable characters"),
        ("allowed: lower upper", "separate classes"),
        ("required: digit, allowed: lower", "allowed"),
        ("allowed: [ab]x", "separate classes"),
        ("123", "rule name"),
    ];
    // Well-formed rules that no password can meet.
    let unsatisfiable = [
        ("minlength: 9; maxlength: 8", "minlength: 9"),
        ("max-consecutive: 0", "max-consecutive: 0"),
        ("maxlength: 0", "maxlength: 0"),
    ];
    let cases = parse_errors
        .map(|(rules, needle)| (rules, ErrorKind::Parse, needle))
        .into_iter()
        .chain(unsatisfiable.map(|(rules, needle)| (rules, ErrorKind::Unsatisfiable, needle)));
    for (rules, kind, needle) in cases {
        let err = PasswordPolicy::from_rules(rules).unwrap_err();
        assert_eq!(err.kind(), kind, "{rules}: {err}");
        assert!(
            err.to_string().contains(needle),
            "{rules}: {err} should mention {needle:?}"
        );
    }
}

/// A huge rule is shown by its start and length, and a huge name within
/// it likewise: 10^6 characters make a message of a few hundred bytes,
/// not one that holds the input twice.
#[test]
fn a_huge_rule_is_shown_by_its_start_and_length() {
    let huge = "x".repeat(1_000_000);
    let cases = [
        (huge.clone(), "unknown rule", 1_000_000),
        (format!("required: {huge}"), "unknown class", 1_000_010),
        (format!("allowed: [{huge}"), "no closing ']'", 1_000_010),
        (format!("maxlength: 0{huge}"), "whole number", 1_000_012),
    ];
    for (rules, why, chars) in cases {
        let err = PasswordPolicy::from_rules(&rules).unwrap_err().to_string();
        assert!(err.len() < 400, "{} bytes: {}", err.len(), &err[..400]);
        assert!(err.contains(why), "{err}");
        let start: String = rules.chars().take(80).collect();
        assert!(
            err.contains(&format!("in `{start}...` ({chars} characters)")),
            "{err}"
        );
    }
    // A rule of 80 characters is shown whole.
    let rules = format!("required: {}", "x".repeat(70));
    let err = PasswordPolicy::from_rules(&rules).unwrap_err().to_string();
    assert!(err.contains(&format!("in `{rules}`: ")), "{err}");
    // A long rule that parses and cannot be met: the copy kept for later
    // messages (`required`'s text) is cut the same way.
    let set = "[".to_owned() + &"ab".repeat(100) + "]";
    let rules = format!("allowed: digit; required: {set}");
    let parsed = rules::parse(&rules).unwrap();
    let start: String = format!("required: {set}").chars().take(80).collect();
    assert_eq!(parsed.required[0].0, format!("{start}..."));
}

#[test]
fn generators_are_reusable_and_cheap_per_password() {
    let generator = PasswordPolicy::new().generator().unwrap();
    let passwords: std::collections::HashSet<String> =
        (0..1000).map(|_| generator.generate().unwrap()).collect();
    // 1000 draws from more than 2^104: a repeat has odds below 2^-84.
    assert_eq!(passwords.len(), 1000);
}

/// "One of each required class, fill up, shuffle": what many generators do.
fn one_of_each_then_shuffle() -> String {
    let draw = |set: &[char]| set[secrets_kit::fallible::try_randbelow(set.len()).unwrap()];
    let mut chars = vec![
        draw(&['a', 'b']),
        '1',
        draw(&['a', 'b', '1']),
        draw(&['a', 'b', '1']),
    ];
    for i in (1..chars.len()).rev() {
        chars.swap(i, secrets_kit::fallible::try_randbelow(i + 1).unwrap());
    }
    chars.into_iter().collect()
}

// The chi-square test above has the power to see the bias of the common
// shortcut: for 4 characters over "ab1" with a letter and a digit, the
// shortcut gives some passwords probability 1/54 and others 1/72 instead of
// 1/64 each. With 200 draws per password the statistic's mean is about 326
// (63 degrees of freedom plus a non-centrality of 263), some six standard
// deviations above the 1e-6 critical value (about 120), so the first
// assertion fails by chance with odds far below 1e-6. The policy engine
// passes the same test (false-alarm rate 1e-6).
#[test]
fn chi_square_detects_the_one_of_each_then_shuffle_bias() {
    let policy = PasswordPolicy::new()
        .alphabet("ab1")
        .length(4)
        .min(CharClass::Lower, 1)
        .min(CharClass::Digits, 1);
    let generator = policy.generator().unwrap();
    let cells = usize::try_from(generator.count()).unwrap();
    assert_eq!(cells, 64);
    let draws = cells as u64 * 200;
    let critical = chi_square_critical((cells - 1) as f64);
    let shortcut = tally(draws, one_of_each_then_shuffle);
    let chi = chi_square_uniform(&shortcut, cells, draws);
    assert!(
        chi > critical,
        "the shortcut's bias went unseen: {chi} <= {critical}"
    );
    assert_uniform_sample(cells, "policy engine", || {
        generator
            .generate_by(&crate::OsEntropy, generator.sampling())
            .unwrap()
    });
}
