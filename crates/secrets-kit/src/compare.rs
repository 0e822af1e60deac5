//! Equality whose time does not depend on the contents: Python's
//! [`compare_digest`] (also at the crate root) for bytes, its `str` form
//! [`compare_digest_str`], and, with the `compare-hidden` feature,
//! comparisons that hide the lengths too (`compare_length_hidden` and its
//! padded and `_with` forms).
//!
//! # Examples
//!
//! ```
//! use secrets_kit::compare::{compare_digest, compare_digest_str};
//!
//! assert!(compare_digest(b"tag", b"tag"));
//! assert!(compare_digest_str("tag", "tag")?);
//! assert!(compare_digest_str("t\u{e4}g", "tag").is_err());
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use std::hint::black_box;

#[cfg(feature = "compare-hidden")]
pub use crate::compare_hidden::{
    compare_length_hidden, compare_length_hidden_padded, compare_length_hidden_padded_with,
    compare_length_hidden_with,
};

use crate::{Error, ErrorKind, Result};

/// Bytes XOR-ed and OR-ed between two optimisation barriers. Large enough
/// that the barrier costs nothing, small enough that the compiler cannot
/// turn the whole comparison into an early-exit loop across blocks.
const BLOCK: usize = 4096;

/// Compares two byte strings in time that depends only on their lengths:
/// Python's `secrets.compare_digest` (`hmac.compare_digest`) for bytes.
///
/// Returns `true` when `a == b`. Use it to check a secret a caller
/// presents (an API token, a MAC tag, a reset code) against the stored one,
/// where `==` would tell an attacker, through its timing, how many leading
/// bytes were right.
///
/// # Security
///
/// - Equal lengths: every byte of both inputs is read, whatever their
///   contents; there is no early exit. The work is XOR-OR accumulation in
///   wide lanes, with an optimisation barrier (`std::hint::black_box`) every
///   4 KiB, and one data-independent test of the accumulator at the end.
/// - Different lengths: the result is `false`, and, as in Python, `b` is
///   compared with itself so the time depends on `len(b)` only. The
///   *lengths* therefore leak, as they do in Python and in
///   `subtle::ConstantTimeEq`. Compare fixed-size values (hashes, MACs), or
///   hash both sides first, if the length is itself secret.
/// - As with every constant-time routine, the promise holds for this
///   compiled code on common hardware; no Rust code can rule out every side
///   channel of every machine.
///
/// # Examples
///
/// ```
/// use secrets_kit::compare_digest;
///
/// let stored = b"3b8d1f0e";
/// assert!(compare_digest(b"3b8d1f0e", stored));
/// assert!(!compare_digest(b"3b8d1f0f", stored));
/// assert!(!compare_digest(b"3b8d", stored));
/// assert!(compare_digest(b"", b""));
/// ```
#[must_use]
pub fn compare_digest(a: &[u8], b: &[u8]) -> bool {
    if a.len() == b.len() {
        equal_same_length(a, b)
    } else {
        // Same work as an equal-length comparison of `b`, result discarded.
        let _ = black_box(equal_same_length(black_box(b), b));
        false
    }
}

/// Compares two strings in constant time, as Python's `compare_digest`
/// does for `str` arguments: both must be ASCII.
///
/// Python raises `TypeError` for a `str` with a character above U+007F,
/// even when the lengths differ or the strings are identical; this returns
/// the matching error. To compare any UTF-8 text, compare its bytes with
/// [`compare_digest`] (`a.as_bytes()`), which is what Python does for
/// `bytes`.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`] when either string contains a non-ASCII
/// character.
///
/// # Security
///
/// The same as [`compare_digest`]. The ASCII check reads every byte of
/// both strings and does not stop at the first non-ASCII one.
///
/// # Examples
///
/// ```
/// use secrets_kit::compare::compare_digest_str;
///
/// assert!(compare_digest_str("s3cr3t", "s3cr3t")?);
/// assert!(!compare_digest_str("s3cr3t", "s3cr3T")?);
/// assert!(compare_digest_str("é", "é").is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn compare_digest_str(a: &str, b: &str) -> Result<bool> {
    let high_bits = high_bits(a.as_bytes()) | high_bits(b.as_bytes());
    if high_bits != 0 {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "comparing strings with non-ASCII characters is not supported; \
             compare their bytes with compare_digest instead",
        ));
    }
    Ok(compare_digest(a.as_bytes(), b.as_bytes()))
}

/// The OR of all bytes' top bits, read without an early exit.
fn high_bits(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, &b| acc | b) & 0x80
}

fn equal_same_length(a: &[u8], b: &[u8]) -> bool {
    debug_assert_eq!(a.len(), b.len());
    let mut acc = 0u64;
    for (block_a, block_b) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
        acc |= black_box(xor_or_block(block_a, block_b));
    }
    black_box(acc) == 0
}

/// OR of `a[i] ^ b[i]` over a block: eight 64-bit lanes the compiler turns
/// into vector code, then single words, then single bytes, so short inputs
/// (a 32-byte MAC is four words) never go through a byte loop.
#[inline(always)]
fn xor_or_block(a: &[u8], b: &[u8]) -> u64 {
    const LANE: usize = 8;
    const LANES: usize = 8;
    let mut acc = [0u64; LANES];
    let mut chunks_a = a.chunks_exact(LANE * LANES);
    let mut chunks_b = b.chunks_exact(LANE * LANES);
    for (ca, cb) in (&mut chunks_a).zip(&mut chunks_b) {
        for (lane, slot) in acc.iter_mut().enumerate() {
            let wa = u64::from_ne_bytes(lane_bytes(ca, lane));
            let wb = u64::from_ne_bytes(lane_bytes(cb, lane));
            *slot |= wa ^ wb;
        }
    }
    let mut words_a = chunks_a.remainder().chunks_exact(LANE);
    let mut words_b = chunks_b.remainder().chunks_exact(LANE);
    let mut tail = 0u64;
    for (wa, wb) in (&mut words_a).zip(&mut words_b) {
        tail |= u64::from_ne_bytes(lane_bytes(wa, 0)) ^ u64::from_ne_bytes(lane_bytes(wb, 0));
    }
    for (&x, &y) in words_a.remainder().iter().zip(words_b.remainder()) {
        tail |= u64::from(x ^ y);
    }
    acc.iter().fold(tail, |all, &lane| all | lane)
}

#[inline(always)]
fn lane_bytes(chunk: &[u8], lane: usize) -> [u8; 8] {
    let mut word = [0u8; 8];
    word.copy_from_slice(&chunk[lane * 8..lane * 8 + 8]);
    word
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn python_test_secrets_cases() {
        for s in ["a", "bcd", "xyz123"] {
            let long = s.repeat(100);
            assert!(compare_digest_str(&long, &long).unwrap());
            assert!(compare_digest(long.as_bytes(), long.as_bytes()));
        }
        assert!(!compare_digest_str("abc", "abcd").unwrap());
        assert!(!compare_digest(b"abc", b"abcd"));
        let q = "x".repeat(100) + "q";
        let k = "x".repeat(100) + "k";
        assert!(!compare_digest_str(&q, &k).unwrap());
        assert!(!compare_digest(q.as_bytes(), k.as_bytes()));
        assert!(compare_digest(b"", b""));
        assert!(compare_digest_str("", "").unwrap());
    }

    #[test]
    fn non_ascii_is_an_error_even_when_identical_or_lengths_differ() {
        for (a, b) in [("é", "é"), ("abc", "é"), ("é", "abc"), ("", "\u{80}")] {
            let err = compare_digest_str(a, b).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn a_difference_in_any_position_is_found() {
        for len in [1usize, 7, 8, 63, 64, 65, 4095, 4096, 4097, 10_000] {
            let a = vec![0x5au8; len];
            for pos in [0, len / 2, len - 1] {
                for bit in 0..8 {
                    let mut b = a.clone();
                    b[pos] ^= 1 << bit;
                    assert!(!compare_digest(&a, &b), "len {len} pos {pos}");
                }
            }
            assert!(compare_digest(&a, &a.clone()));
        }
    }

    proptest! {
        #[test]
        fn agrees_with_eq(a in proptest::collection::vec(any::<u8>(), 0..200),
                          b in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(compare_digest(&a, &b), a == b);
            let mut c = a.clone();
            prop_assert!(compare_digest(&a, &c));
            if let Some(last) = c.last_mut() {
                *last ^= 1;
                prop_assert!(!compare_digest(&a, &c));
            }
        }
    }
}
