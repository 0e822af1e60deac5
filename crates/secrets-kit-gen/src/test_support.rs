//! Helpers shared by the generators' unit tests: every string over a small
//! alphabet, for brute-force counts, a chi-square check that a generator
//! draws each of its outputs equally often, and the two harnesses that
//! run every [`Generate`] implementation against its naive model.

use std::collections::{HashMap, HashSet};

use num_bigint::BigUint;

use crate::Generate;
use crate::engine::log2;
use crate::test_common::{chi_square_critical, chi_square_uniform};

/// Every string of `length` characters over `alphabet`, as a base-`n`
/// counter (first character fastest), collected as `T`: `String` or
/// `Vec<char>`.
pub(crate) fn all_strings<T: FromIterator<char>>(
    alphabet: &[char],
    length: usize,
) -> impl Iterator<Item = T> + '_ {
    let total = alphabet.len().pow(length as u32);
    (0..total).map(move |mut n| {
        (0..length)
            .map(|_| {
                let c = alphabet[n % alphabet.len()];
                n /= alphabet.len();
                c
            })
            .collect()
    })
}

/// How often each string came up in `draws` calls of `draw`.
pub(crate) fn tally(draws: u64, mut draw: impl FnMut() -> String) -> HashMap<String, u64> {
    let mut counts = HashMap::new();
    for _ in 0..draws {
        *counts.entry(draw()).or_insert(0) += 1;
    }
    counts
}

/// Draws 200 strings per cell from a generator with `cells` equally likely
/// outputs, asserts that every output came up and that the counts pass the
/// chi-square test of uniformity, and returns the counts for more checks.
///
/// A correct sampler fails with probability 1e-6 (Wilson-Hilferty critical
/// value, z = 4.7534); `label` names the sampler in the failure message.
pub(crate) fn assert_uniform_sample(
    cells: usize,
    label: &str,
    draw: impl FnMut() -> String,
) -> HashMap<String, u64> {
    let draws = cells as u64 * 200;
    let counts = tally(draws, draw);
    assert_eq!(counts.len(), cells, "{label}: not every output came up");
    let chi = chi_square_uniform(&counts, cells, draws);
    let critical = chi_square_critical((cells - 1) as f64);
    assert!(
        chi < critical,
        "{label}: chi-square {chi} >= {critical} over {cells} cells"
    );
    counts
}

/// A generator under test, behind `dyn`: the [`Generate`] methods the
/// harnesses use.
pub(crate) trait Subject {
    fn draw(&self) -> String;
    fn size(&self) -> &BigUint;
    fn bits(&self) -> f64;
}

impl<G: Generate> Subject for G {
    fn draw(&self) -> String {
        self.generate().expect("the kernel's randomness is there")
    }

    fn size(&self) -> &BigUint {
        self.count()
    }

    fn bits(&self) -> f64 {
        self.entropy_bits()
    }
}

/// One generator on a small instance, with every string its naive model
/// allows.
pub(crate) struct Case {
    pub(crate) name: String,
    generator: Box<dyn Subject>,
    naive: HashSet<String>,
}

impl Case {
    /// The case of `generator` and the strings of its naive model, which
    /// must all be different (the model builds each string once).
    pub(crate) fn new(
        name: impl Into<String>,
        generator: impl Generate + 'static,
        naive: impl IntoIterator<Item = String>,
    ) -> Self {
        let name = name.into();
        let naive: Vec<String> = naive.into_iter().collect();
        let distinct: HashSet<String> = naive.iter().cloned().collect();
        assert_eq!(
            distinct.len(),
            naive.len(),
            "{name}: the naive model gives a string twice"
        );
        Case {
            name,
            generator: Box::new(generator),
            naive: distinct,
        }
    }

    /// How many strings the naive model allows.
    pub(crate) fn cells(&self) -> usize {
        self.naive.len()
    }
}

/// The brute-force harness: `count()` is the number of strings the naive
/// model allows, `entropy_bits()` its `log2`, and 500 draws all are among
/// those strings.
pub(crate) fn assert_brute_force(case: &Case) {
    let name = &case.name;
    let expected = case.naive.len();
    assert_eq!(case.generator.size(), &BigUint::from(expected), "{name}");
    let bits = case.generator.bits();
    assert!(
        (bits - log2(&BigUint::from(expected))).abs() < 1e-9,
        "{name}: {bits} bits for {expected} strings"
    );
    for _ in 0..500 {
        let drawn = case.generator.draw();
        assert!(case.naive.contains(&drawn), "{name}: drew {drawn:?}");
    }
}

/// The chi-square harness: 200 draws per string the naive model allows,
/// every one of them drawn, nothing else, and the counts uniform (a
/// correct sampler fails with probability 1e-6: [`assert_uniform_sample`]).
pub(crate) fn assert_chi_square(case: &Case) {
    let counts = assert_uniform_sample(case.cells(), &case.name, || case.generator.draw());
    for drawn in counts.keys() {
        assert!(case.naive.contains(drawn), "{}: drew {drawn:?}", case.name);
    }
}
