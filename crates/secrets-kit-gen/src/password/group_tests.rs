//! Tests of "at least K of these classes": exact counts against
//! inclusion-exclusion over class subsets, uniformity of both sampling
//! methods, and errors. (Counts against brute force, with other rules too:
//! the harness in `generate/tests.rs`.)

use num_bigint::BigUint;

use super::*;
use crate::naive::{class_of, classes_ok as naive_ok};
use crate::test_support::assert_uniform_sample;
use secrets_kit::ErrorKind;

fn policy(alphabet: &str, length: usize, at_least: usize, classes: &[CharClass]) -> PasswordPolicy {
    PasswordPolicy::new()
        .alphabet(alphabet)
        .length(length)
        .at_least_classes(at_least, classes)
}

/// Passwords over the alphabet's characters outside the classes not in
/// `subset`, with no class rule: `g(U)` of inclusion-exclusion.
fn avoiding_others(
    alphabet: &str,
    length: usize,
    classes: &[CharClass],
    subset: &[CharClass],
    max_run: Option<usize>,
) -> BigUint {
    let kept: String = alphabet
        .chars()
        .filter(|&c| class_of(c).is_none_or(|k| !classes.contains(&k) || subset.contains(&k)))
        .collect();
    match kept.chars().count() {
        0 => BigUint::ZERO,
        // One character: one string, allowed only if the run fits.
        1 => BigUint::from(u8::from(max_run.is_none_or(|m| m >= length))),
        _ => {
            let mut p = PasswordPolicy::new().alphabet(kept).length(length);
            if let Some(m) = max_run {
                p = p.max_consecutive(m);
            }
            p.generator().unwrap().count().clone()
        }
    }
}

/// The count by inclusion-exclusion: the passwords whose classes present
/// are exactly `T` number `sum over U in T of (-1)^(|T|-|U|) g(U)`; add
/// those over every `T` of at least `at_least` classes.
fn inclusion_exclusion(
    alphabet: &str,
    length: usize,
    at_least: usize,
    classes: &[CharClass],
    max_run: Option<usize>,
) -> BigUint {
    let n = classes.len();
    let subset = |mask: usize| -> Vec<CharClass> {
        (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| classes[i])
            .collect()
    };
    let mut total: i128 = 0;
    for t in 0..1usize << n {
        if (t.count_ones() as usize) < at_least {
            continue;
        }
        let mut exactly: i128 = 0;
        let mut u = t;
        loop {
            let g = i128::try_from(&avoiding_others(
                alphabet,
                length,
                classes,
                &subset(u),
                max_run,
            ))
            .unwrap();
            let sign = if (t.count_ones() - u.count_ones()) % 2 == 0 {
                1
            } else {
                -1
            };
            exactly += sign * g;
            if u == 0 {
                break;
            }
            u = (u - 1) & t;
        }
        total += exactly;
    }
    BigUint::try_from(total).unwrap()
}

#[test]
fn counts_match_inclusion_exclusion() {
    let alphabet = "abAB01!?";
    for (length, at_least, classes, max_run) in [
        (4, 3, CharClass::ALL.to_vec(), None),
        (4, 2, CharClass::ALL.to_vec(), Some(1)),
        (5, 3, CharClass::ALL.to_vec(), Some(2)),
        (3, 1, vec![CharClass::Digits, CharClass::Symbols], None),
        (4, 4, CharClass::ALL.to_vec(), None),
    ] {
        let mut p = policy(alphabet, length, at_least, &classes);
        if let Some(m) = max_run {
            p = p.max_consecutive(m);
        }
        assert_eq!(
            p.generator().unwrap().count(),
            &inclusion_exclusion(alphabet, length, at_least, &classes, max_run),
            "{length} {at_least} {classes:?} {max_run:?}"
        );
    }
}

/// Chi-square over all the qualifying passwords, for both sampling
/// methods; each fails a correct sampler with probability 1e-6, so the
/// test does with 2e-6.
#[test]
fn both_sampling_methods_are_uniform() {
    let generator = policy("abA0!", 4, 3, &CharClass::ALL).generator().unwrap();
    let cells = usize::try_from(generator.count()).unwrap();
    for sampling in [Sampling::Rejection, Sampling::Unranking] {
        let counts = assert_uniform_sample(cells, &format!("{sampling:?}"), || {
            generator.generate_by(&crate::OsEntropy, sampling).unwrap()
        });
        assert!(counts.keys().all(|p| naive_ok(
            &p.chars().collect::<Vec<_>>(),
            3,
            &CharClass::ALL,
            None,
            ""
        )));
    }
}

#[test]
fn three_of_four_on_the_full_classes_is_exact() {
    // 94^L minus the passwords missing two or more classes, by hand:
    // with the class sizes 26, 26, 10, 32.
    let sizes = [26u32, 26, 10, 32];
    let length = 8u32;
    let g = |mask: usize| -> BigUint {
        let n: u32 = (0..4)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| sizes[i])
            .sum();
        BigUint::from(n).pow(length)
    };
    let mut expected = BigUint::ZERO;
    for t in 0..16usize {
        if t.count_ones() < 3 {
            continue;
        }
        // exactly(T) by inclusion-exclusion; signs kept in i-terms.
        let mut plus = BigUint::ZERO;
        let mut minus = BigUint::ZERO;
        let mut u = t;
        loop {
            if (t.count_ones() - u.count_ones()) % 2 == 0 {
                plus += g(u)
            } else {
                minus += g(u)
            }
            if u == 0 {
                break;
            }
            u = (u - 1) & t;
        }
        expected += plus - minus;
    }
    let generator = PasswordPolicy::new()
        .length(length as usize)
        .at_least_classes(3, &CharClass::ALL)
        .generator()
        .unwrap();
    assert_eq!(generator.count(), &expected);
    assert!((generator.entropy_bits() - count::log2(&expected)).abs() < 1e-12);
}

#[test]
fn impossible_groups_are_errors() {
    let zero = PasswordPolicy::new().at_least_classes(0, &CharClass::ALL);
    assert_eq!(
        zero.generator().unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    let five = PasswordPolicy::new().at_least_classes(5, &CharClass::ALL);
    assert_eq!(
        five.generator().unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    let absent = PasswordPolicy::new()
        .alphabet("abc012")
        .at_least_classes(3, &CharClass::ALL);
    let err = absent.generator().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsatisfiable);
    assert!(err.to_string().contains("only 2 of those classes"), "{err}");
    let short = PasswordPolicy::new()
        .length(2)
        .at_least_classes(3, &CharClass::ALL);
    assert_eq!(
        short.generator().unwrap_err().kind(),
        ErrorKind::Unsatisfiable
    );
}
