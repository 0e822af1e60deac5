//! Can joined words be split back? The Sardinas–Patterson test.
//!
//! A set of words is a *uniquely decodable code* when no string is the
//! concatenation of two different sequences of its words. A passphrase
//! `w1 S w2 S ... S wk` joined with separator `S` can be split back exactly
//! when the set `{ w + S }` is uniquely decodable (append one more `S` to
//! the phrase and it is a concatenation of those). With a space separator
//! and words without spaces that is always so; with an empty separator it
//! depends on the list (`"rock" + "ethic"` = `"rocket" + "hic"`).
//!
//! The Sardinas–Patterson algorithm decides it. Let `S1` be the *dangling
//! suffixes* `v - u` for codewords `u` a proper prefix of codeword `v`, and
//! `S(n+1)` the suffixes `c - x` (for `x` in `Sn` a proper prefix of a
//! codeword `c`) and `x - c` (for a codeword `c` a proper prefix of `x`).
//! The code is uniquely decodable exactly when no `Sn` contains a codeword.
//! All dangling suffixes are suffixes of codewords, so the search ends. Each
//! suffix is expanded once: codewords that extend it are found by binary
//! search in the sorted list, codewords that are prefixes of it by hashing
//! its prefixes, so a list of tens of thousands of words takes milliseconds.
//!
//! When a codeword turns up, the chain of suffixes that led to it gives two
//! different word sequences with the same concatenation: the witness shown
//! to the user.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::room::{NoRoom, Room as _};

/// The answer of [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Every concatenation has one parse.
    Unique,
    /// Two different sequences of codeword indices with the same
    /// concatenation.
    Ambiguous(Vec<usize>, Vec<usize>),
}

/// How a dangling suffix came about: the two word sequences `top` and
/// `bottom` with `concat(top) = concat(bottom) + suffix` are rebuilt from
/// these steps.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Codeword `short` is a proper prefix of codeword `long`.
    Start { short: usize, long: usize },
    /// The parent suffix was a proper prefix of `word`: `bottom` gains
    /// `word` and overtakes, so the two sequences swap roles.
    Overtake { parent: usize, word: usize },
    /// Codeword `word` was a proper prefix of the parent suffix: `bottom`
    /// gains `word` and is still behind.
    CatchUp { parent: usize, word: usize },
}

/// The search's queue of dangling suffixes: every step, its suffix, the
/// set of suffixes seen, and the steps still to expand. All four grow
/// fallibly.
struct Search<'a> {
    steps: Vec<Step>,
    suffixes: Vec<&'a [u8]>,
    seen: HashSet<&'a [u8]>,
    queue: VecDeque<usize>,
}

impl<'a> Search<'a> {
    /// Records `step` for `suffix` unless that suffix was seen before.
    fn record(&mut self, step: Step, suffix: &'a [u8]) -> Result<(), NoRoom> {
        if self.seen.contains(suffix) {
            return Ok(());
        }
        let bytes = (self.steps.len() + 1)
            * (size_of::<Step>() + 3 * size_of::<&[u8]>() + size_of::<usize>());
        self.seen.try_reserve(1).room(bytes, SUFFIXES)?;
        self.steps.try_reserve(1).room(bytes, SUFFIXES)?;
        self.suffixes.try_reserve(1).room(bytes, SUFFIXES)?;
        self.queue.try_reserve(1).room(bytes, SUFFIXES)?;
        self.seen.insert(suffix);
        self.steps.push(step);
        self.suffixes.push(suffix);
        self.queue.push_back(self.steps.len() - 1);
        Ok(())
    }
}

const SUFFIXES: &str = "the dangling suffixes of a word list";

/// Runs the Sardinas–Patterson test on distinct, non-empty `codewords`.
///
/// # Errors
///
/// When memory runs out (the suffixes of a huge list).
pub(crate) fn check(codewords: &[&[u8]]) -> Result<Outcome, NoRoom> {
    let n = codewords.len();
    let mut sorted: Vec<usize> = Vec::new();
    sorted
        .try_reserve_exact(n)
        .room(n * size_of::<usize>(), SUFFIXES)?;
    sorted.extend(0..n);
    sorted.sort_unstable_by_key(|&i| codewords[i]);
    let mut index: HashMap<&[u8], usize> = HashMap::new();
    index
        .try_reserve(n)
        .room(n * 2 * size_of::<(&[u8], usize)>(), SUFFIXES)?;
    index.extend(codewords.iter().enumerate().map(|(i, &w)| (w, i)));

    let mut search = Search {
        steps: Vec::new(),
        suffixes: Vec::new(),
        seen: HashSet::new(),
        queue: VecDeque::new(),
    };

    // S1: for each codeword, the codewords it is a proper prefix of.
    for (short, &word) in codewords.iter().enumerate() {
        for long in extensions(codewords, &sorted, word) {
            let suffix = &codewords[long][word.len()..];
            search.record(Step::Start { short, long }, suffix)?;
        }
    }

    while let Some(node) = search.queue.pop_front() {
        let dangling = search.suffixes[node];
        if let Some(&word) = index.get(dangling) {
            // top = bottom + dangling = bottom + word: two parses.
            let (top, mut bottom) = sequences(&search.steps, node)?;
            bottom.try_reserve(1).room(bottom.len() + 1, SUFFIXES)?;
            bottom.push(word);
            return Ok(Outcome::Ambiguous(top, bottom));
        }
        // Codewords that extend the dangling suffix.
        for word in extensions(codewords, &sorted, dangling) {
            let suffix = &codewords[word][dangling.len()..];
            search.record(Step::Overtake { parent: node, word }, suffix)?;
        }
        // Codewords that are proper prefixes of the dangling suffix.
        for cut in 1..dangling.len() {
            if let Some(&word) = index.get(&dangling[..cut]) {
                let suffix = &dangling[cut..];
                search.record(Step::CatchUp { parent: node, word }, suffix)?;
            }
        }
    }
    Ok(Outcome::Unique)
}

/// Indices of the codewords that have `prefix` as a proper prefix.
fn extensions<'a>(
    codewords: &'a [&'a [u8]],
    sorted: &'a [usize],
    prefix: &'a [u8],
) -> impl Iterator<Item = usize> + 'a {
    let start = sorted.partition_point(|&i| codewords[i] < prefix);
    sorted[start..]
        .iter()
        .copied()
        .take_while(move |&i| codewords[i].starts_with(prefix))
        .filter(move |&i| codewords[i].len() > prefix.len())
}

/// The word sequences `(top, bottom)` with
/// `concat(top) = concat(bottom) + suffix(node)`.
fn sequences(steps: &[Step], node: usize) -> Result<(Vec<usize>, Vec<usize>), NoRoom> {
    let grow = |sequence: &mut Vec<usize>, word: usize| {
        sequence
            .try_reserve(1)
            .room((sequence.len() + 1) * size_of::<usize>(), SUFFIXES)?;
        sequence.push(word);
        Ok::<(), NoRoom>(())
    };
    Ok(match steps[node] {
        Step::Start { short, long } => (vec![long], vec![short]),
        Step::Overtake { parent, word } => {
            // top = bottom + x and x + suffix = word:
            // bottom + word = top + suffix.
            let (top, mut bottom) = sequences(steps, parent)?;
            grow(&mut bottom, word)?;
            (bottom, top)
        }
        Step::CatchUp { parent, word } => {
            // top = bottom + x and x = word + suffix.
            let (top, mut bottom) = sequences(steps, parent)?;
            grow(&mut bottom, word)?;
            (top, bottom)
        }
    })
}

/// The most codewords that are prefixes of one string: the longest chain
/// `c1 < c2 < ...` of codewords each a prefix of the next. At any point of
/// a phrase at most this many codewords can start there, which bounds the
/// number of ways to split a phrase (see the passphrase entropy rule).
pub(crate) fn longest_prefix_chain(codewords: &[&[u8]]) -> Result<usize, NoRoom> {
    let mut set: HashSet<&[u8]> = HashSet::new();
    set.try_reserve(codewords.len())
        .room(codewords.len() * 2 * size_of::<&[u8]>(), SUFFIXES)?;
    set.extend(codewords.iter().copied());
    Ok(codewords
        .iter()
        .map(|word| {
            (1..=word.len())
                .filter(|&cut| set.contains(&word[..cut]))
                .count()
        })
        .max()
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(words: &[&str]) -> Outcome {
        let bytes: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        check(&bytes).unwrap()
    }

    /// Asserts the witness is real: two different sequences, same string.
    fn assert_ambiguous(words: &[&str]) {
        match run(words) {
            Outcome::Ambiguous(a, b) => {
                assert_ne!(a, b);
                let join = |s: &[usize]| s.iter().map(|&i| words[i]).collect::<String>();
                assert_eq!(join(&a), join(&b), "{a:?} vs {b:?}");
            }
            Outcome::Unique => panic!("{words:?} is not uniquely decodable"),
        }
    }

    #[test]
    fn prefix_free_codes_are_decodable() {
        assert_eq!(run(&["0", "10", "110", "111"]), Outcome::Unique);
        assert_eq!(run(&["apple", "banana", "cherry"]), Outcome::Unique);
    }

    #[test]
    fn decodable_codes_that_are_not_prefix_free() {
        // Suffix-free codes decode from the right: {0, 01, 11} is the
        // textbook example, and {1, 10, 100} is decodable but not
        // prefix-free either.
        assert_eq!(run(&["0", "01", "11"]), Outcome::Unique);
        assert_eq!(run(&["1", "10", "100"]), Outcome::Unique);
        assert_eq!(run(&["a", "ab", "abb"]), Outcome::Unique);
    }

    #[test]
    fn known_non_decodable_codes() {
        assert_ambiguous(&["0", "01", "10"]); // 010 = 0|10 = 01|0
        assert_ambiguous(&["a", "b", "ab"]);
        assert_ambiguous(&["rock", "rocket", "ethic", "hic"]);
        // The classic example of Sardinas and Patterson's method with a
        // long chain of dangling suffixes.
        assert_ambiguous(&["1", "011", "01110", "1110", "10011"]);
        assert_ambiguous(&["a", "c", "ad", "abb", "bad", "deb", "bbcde"]);
    }

    #[test]
    fn separators_make_lists_decodable_unless_inside_words() {
        assert_eq!(run(&["a ", "b ", "ab "]), Outcome::Unique);
        // "a-b" with "-" as separator: "a-b-" = "a-" + "b-".
        assert_ambiguous(&["a-", "b-", "a-b-"]);
    }

    #[test]
    fn prefix_chains() {
        let words: Vec<&[u8]> = [&b"a"[..], b"ab", b"abc", b"b", b"bc"].to_vec();
        assert_eq!(longest_prefix_chain(&words).unwrap(), 3);
        assert_eq!(longest_prefix_chain(&[b"x".as_slice(), b"y"]).unwrap(), 1);
    }

    #[test]
    fn unicode_words_are_split_on_bytes_consistently() {
        assert_ambiguous(&["é", "éa", "a"]);
        assert_eq!(run(&["é", "è"]), Outcome::Unique);
    }

    /// Looks for two different sequences of at most `depth` words with the
    /// same concatenation, by enumeration: a naive model to check against.
    fn brute_force_collision(words: &[String], depth: usize) -> bool {
        let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
        let mut frontier: Vec<Vec<usize>> = vec![Vec::new()];
        for _ in 0..depth {
            let mut next = Vec::new();
            for sequence in &frontier {
                for i in 0..words.len() {
                    let mut longer = sequence.clone();
                    longer.push(i);
                    let text: String = longer.iter().map(|&w| words[w].as_str()).collect();
                    if let Some(other) = seen.get(&text) {
                        if *other != longer {
                            return true;
                        }
                    }
                    seen.insert(text, longer.clone());
                    next.push(longer);
                }
            }
            frontier = next;
        }
        false
    }

    proptest::proptest! {
        /// Random small codes over {a, b}: whenever enumeration finds two
        /// parses, Sardinas–Patterson must say "ambiguous", and its own
        /// witnesses must be real.
        #[test]
        fn agrees_with_brute_force(
            words in proptest::collection::hash_set("[ab]{1,3}", 2..5)
        ) {
            let words: Vec<String> = words.into_iter().collect();
            let bytes: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
            let outcome = check(&bytes).unwrap();
            if brute_force_collision(&words, 5) {
                proptest::prop_assert_ne!(&outcome, &Outcome::Unique, "{:?}", words);
            }
            if let Outcome::Ambiguous(a, b) = outcome {
                let join = |s: &[usize]| s.iter().map(|&i| words[i].as_str()).collect::<String>();
                proptest::prop_assert_ne!(&a, &b);
                proptest::prop_assert_eq!(join(&a), join(&b));
            }
        }
    }
}
