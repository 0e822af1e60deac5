//! Naive models of every generator, for the harness (`generate/tests.rs`)
//! and the modules' own tests: each says, character by character or by
//! building every construction one at a time, which strings a generator
//! may return, and shares nothing with the generators' counting.

use std::collections::HashSet;

use crate::password::CharClass;
#[cfg(feature = "wordlist")]
use crate::password::ParsedRules;
#[cfg(feature = "wordlist")]
use crate::wordlist::Capitalize;

/// A password policy: at least `n` characters from each `(set, n)`, and no
/// run of one character longer than `max_run`.
pub(crate) fn policy_ok(password: &[char], sets: &[(&str, usize)], max_run: Option<usize>) -> bool {
    let sets_ok = sets
        .iter()
        .all(|(set, at_least)| password.iter().filter(|c| set.contains(**c)).count() >= *at_least);
    let runs_ok =
        max_run.is_none_or(|max| password.chunk_by(|a, b| a == b).all(|run| run.len() <= max));
    sets_ok && runs_ok
}

/// The class a character belongs to, if any.
pub(crate) fn class_of(c: char) -> Option<CharClass> {
    CharClass::ALL.into_iter().find(|k| k.chars().contains(c))
}

/// "At least `at_least` of `classes`" (a class counts when the password
/// has one of its characters), with a run limit and, unless `required` is
/// empty, one character of `required`.
pub(crate) fn classes_ok(
    password: &[char],
    at_least: usize,
    classes: &[CharClass],
    max_run: Option<usize>,
    required: &str,
) -> bool {
    let present = classes
        .iter()
        .filter(|k| password.iter().any(|&c| class_of(c) == Some(**k)))
        .count();
    let runs_ok =
        max_run.is_none_or(|max| password.chunk_by(|a, b| a == b).all(|run| run.len() <= max));
    let required_ok = required.is_empty() || password.iter().any(|c| required.contains(*c));
    present >= at_least && runs_ok && required_ok
}

/// Apple's layout: `groups` groups of `group_len` characters joined by
/// `-`, letters from `lower` except exactly one from `upper` and exactly
/// one from `digits`.
pub(crate) fn is_apple(
    text: &str,
    groups: usize,
    group_len: usize,
    lower: &str,
    upper: &str,
    digits: &str,
) -> bool {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != groups * (group_len + 1) - 1 {
        return false;
    }
    let mut uppers = 0;
    let mut digit_count = 0;
    for (i, &c) in chars.iter().enumerate() {
        let hyphen_place = i % (group_len + 1) == group_len;
        if hyphen_place {
            if c != '-' {
                return false;
            }
        } else if upper.contains(c) {
            uppers += 1;
        } else if digits.contains(c) {
            digit_count += 1;
        } else if !lower.contains(c) {
            return false;
        }
    }
    uppers == 1 && digit_count == 1
}

/// Every concatenation of syllables (`cv` or `cvc`) with `length` letters,
/// as a set: the distinct strings, however many ways each is built.
pub(crate) fn syllable_strings(consonants: &str, vowels: &str, length: usize) -> HashSet<String> {
    let mut syllables: Vec<String> = Vec::new();
    for c in consonants.chars() {
        for v in vowels.chars() {
            syllables.push(format!("{c}{v}"));
            for c2 in consonants.chars() {
                syllables.push(format!("{c}{v}{c2}"));
            }
        }
    }
    let mut by_length: Vec<HashSet<String>> = vec![HashSet::from([String::new()])];
    for n in 1..=length {
        let mut here = HashSet::new();
        for syllable in &syllables {
            if syllable.len() <= n {
                for prefix in &by_length[n - syllable.len()] {
                    here.insert(format!("{prefix}{syllable}"));
                }
            }
        }
        by_length.push(here);
    }
    by_length.swap_remove(length)
}

/// Every way to pick one option for each slot, in order: the options of
/// slot `i` are the `i`-th item of `slots`.
#[cfg(feature = "wordlist")]
pub(crate) fn product<T: Clone>(slots: impl IntoIterator<Item = Vec<T>>) -> Vec<Vec<T>> {
    let mut picks = vec![Vec::new()];
    for options in slots {
        picks = picks
            .into_iter()
            .flat_map(|prefix: Vec<T>| {
                options.iter().map(move |option| {
                    let mut pick = prefix.clone();
                    pick.push(option.clone());
                    pick
                })
            })
            .collect();
    }
    picks
}

/// Every phrase of `k` words from `words` joined by `separator`, words
/// repeating freely.
#[cfg(feature = "wordlist")]
pub(crate) fn passphrases(words: &[&str], k: usize, separator: &str) -> Vec<String> {
    product((0..k).map(|_| words.to_vec()))
        .into_iter()
        .map(|phrase| phrase.join(separator))
        .collect()
}

/// Every construction of a rule-constrained passphrase's structure: all
/// word sequences, capitals, separators and insertions, filtered by the
/// length bounds. Returns the list of phrases (with repeats).
#[cfg(feature = "wordlist")]
pub(crate) fn constructions(
    words: &[&str],
    k: usize,
    case: Capitalize,
    seps: &[String],
    insert: &[Vec<char>],
    min: usize,
    max: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    let sequences = product((0..k).map(|_| words.iter().map(|w| (*w).to_owned()).collect()));
    let case_choices: Vec<Vec<bool>> = match case {
        Capitalize::AsListed => vec![vec![false; k]],
        Capitalize::All => vec![vec![true; k]],
        Capitalize::One => (0..k).map(|i| (0..k).map(|j| i == j).collect()).collect(),
        Capitalize::Random => (0..1 << k)
            .map(|m: usize| (0..k).map(|j| m & (1 << j) != 0).collect())
            .collect(),
        Capitalize::Upper => unreachable!(),
    };
    let insert_choices = product(insert.iter().map(|set| {
        (0..k)
            .flat_map(|w| set.iter().map(move |&c| (w, c)))
            .collect()
    }));
    let sep_choices = product((1..k).map(|_| seps.to_vec()));
    for seq in &sequences {
        for caps in &case_choices {
            for ins in &insert_choices {
                for sp in &sep_choices {
                    let mut phrase = String::new();
                    for i in 0..k {
                        if i > 0 {
                            phrase.push_str(&sp[i - 1]);
                        }
                        let w = &seq[i];
                        if caps[i] {
                            phrase.push_str(&w[..1].to_uppercase());
                            phrase.push_str(&w[1..]);
                        } else {
                            phrase.push_str(w);
                        }
                        for &(target, c) in ins {
                            if target == i {
                                phrase.push(c);
                            }
                        }
                    }
                    let n = phrase.chars().count();
                    if n >= min && n <= max {
                        out.push(phrase);
                    }
                }
            }
        }
    }
    out
}

/// Does `phrase` meet `rules`, checked character by character?
#[cfg(feature = "wordlist")]
pub(crate) fn satisfies(phrase: &str, rules: &ParsedRules) -> bool {
    let chars: Vec<char> = phrase.chars().collect();
    rules.min_length.is_none_or(|m| chars.len() >= m)
        && rules.max_length.is_none_or(|m| chars.len() <= m)
        && chars.iter().all(|c| rules.allowed.contains(c))
        && rules
            .required
            .iter()
            .all(|(_, set)| chars.iter().any(|c| set.contains(c)))
        && rules
            .max_consecutive
            .is_none_or(|m| chars.chunk_by(|a, b| a == b).all(|r| r.len() <= m))
}
