//! Helpers shared by the generators' unit tests: every string over a small
//! alphabet, for brute-force counts, and a chi-square check that a
//! generator draws each of its outputs equally often.

use std::collections::HashMap;

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
