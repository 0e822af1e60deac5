//! A comparison that does not leak which input lengths were compared.
//!
//! [`compare_digest`](crate::compare_digest), like Python's, does not return
//! early when the lengths differ: it then compares `b` with itself, so its
//! time depends only on the length of `b`, as CPython's loop, which always
//! runs `len(b)` times. It does not hide lengths, though: whether they are
//! equal is an ordinary branch, and when the stored secret is `b` the time
//! follows the secret's length. Python's documentation says as much: a
//! timing attack may reveal the lengths, not the contents.
//!
//! The functions here hash both inputs with HMAC-SHA256 under a key drawn
//! fresh from the kernel for each call, and compare the two 32-byte tags
//! with `compare_digest`. This is the "double HMAC" construction: whatever
//! the attacker sends, what is compared are unpredictable fixed-size tags,
//! equal exactly when the inputs are equal (but for a SHA-256 collision
//! under a key nobody knows). The key, the HMAC states (which hold the key
//! mixed into SHA-256's state) and the tags are wiped when dropped.

use hmac::digest::CtOutput;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::{EntropySource, Error, ErrorKind, OsEntropy, Result};

type HmacSha256 = Hmac<Sha256>;

/// Bytes of the random HMAC key: SHA-256's output size.
const KEY_BYTES: usize = 32;

/// SHA-256's block size: the unit in which hashing time grows.
const BLOCK: usize = 64;

/// Compares two byte strings without an early exit on different lengths.
///
/// Returns `true` when `a == b`. Both inputs are authenticated with
/// HMAC-SHA256 under a fresh random key and the tags compared in constant
/// time. This is not Python's API: Python has only `compare_digest`.
///
/// # Security
///
/// What it hides and what it does not:
/// - The comparison itself takes the same time for any inputs; no prefix
///   of the secret can be learnt by timing, and unequal lengths do not
///   return early.
/// - Hashing still takes time proportional to each input's length, in
///   64-byte blocks: an attacker who can time precisely can still learn
///   `ceil((len + 9) / 64)` for the secret. Use
///   [`compare_length_hidden_padded`](crate::compare::compare_length_hidden_padded) to hash a fixed number of blocks.
/// - It costs a kernel call for the key and two HMACs: about 0.4 µs for
///   32-byte inputs on a 2-core x86-64 machine, where `compare_digest`
///   takes 15 ns. When both sides are fixed-size values (hashes, MACs)
///   `compare_digest` is enough.
///
/// # Errors
///
/// [`ErrorKind::Os`] if the kernel's random source fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::compare::compare_length_hidden;
///
/// assert!(compare_length_hidden(b"s3cret-token", b"s3cret-token")?);
/// assert!(!compare_length_hidden(b"s3cret-token", b"s3cret")?);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn compare_length_hidden(a: &[u8], b: &[u8]) -> Result<bool> {
    compare_length_hidden_with(&OsEntropy, a, b)
}

/// [`compare_length_hidden`](crate::compare::compare_length_hidden) with the HMAC key drawn from `source`.
///
/// # Errors
///
/// When `source` fails.
///
/// # Examples
///
/// ```
/// assert!(secrets_kit::compare::compare_length_hidden_with(&secrets_kit::OsEntropy, b"k", b"k")?);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn compare_length_hidden_with<S: EntropySource + ?Sized>(
    source: &S,
    a: &[u8],
    b: &[u8],
) -> Result<bool> {
    tags_equal(source, a, b, None)
}

/// Compares two byte strings of at most `max_len` bytes, hashing exactly
/// as many blocks for any lengths up to `max_len`.
///
/// Each input is fed to HMAC-SHA256 as an 8-byte length prefix, the input,
/// then zeros up to `max_len` bytes; the length prefix keeps `"a"` and
/// `"a\0"` apart. So both HMACs run the same number of SHA-256 block
/// compressions whatever the lengths, and the tags are compared in
/// constant time.
///
/// # Security
///
/// What is left: the memory traffic of copying the input and of the zero
/// padding differ slightly (both are straight-line `memcpy`-like work, no
/// branch on the contents); the cost is that of hashing `2 * max_len`
/// bytes every time, and the call fails, visibly, for inputs longer than
/// `max_len`. Pick `max_len` as the longest secret you store.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when either input is longer than
/// `max_len` (the message gives both limits, not the input's contents);
/// [`ErrorKind::Os`] if the kernel's random source fails.
///
/// # Examples
///
/// ```
/// use secrets_kit::compare::compare_length_hidden_padded;
///
/// assert!(compare_length_hidden_padded(b"abc", b"abc", 64)?);
/// assert!(!compare_length_hidden_padded(b"abc", b"abc\0", 64)?);
/// assert!(compare_length_hidden_padded(&[0u8; 65], b"x", 64).is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn compare_length_hidden_padded(a: &[u8], b: &[u8], max_len: usize) -> Result<bool> {
    compare_length_hidden_padded_with(&OsEntropy, a, b, max_len)
}

/// [`compare_length_hidden_padded`](crate::compare::compare_length_hidden_padded) with the HMAC key drawn from `source`.
///
/// # Errors
///
/// As [`compare_length_hidden_padded`](crate::compare::compare_length_hidden_padded), with `source`'s errors in place of
/// the kernel's.
///
/// # Examples
///
/// ```
/// use secrets_kit::{OsEntropy, compare::compare_length_hidden_padded_with};
/// assert!(!compare_length_hidden_padded_with(&OsEntropy, b"a", b"b", 8)?);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn compare_length_hidden_padded_with<S: EntropySource + ?Sized>(
    source: &S,
    a: &[u8],
    b: &[u8],
    max_len: usize,
) -> Result<bool> {
    if a.len().max(b.len()) > max_len {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "an input is longer than the {max_len}-byte maximum given for a length-hiding \
                 comparison; raise the maximum to the longest secret stored"
            ),
        ));
    }
    tags_equal(source, a, b, Some(max_len))
}

fn tags_equal<S: EntropySource + ?Sized>(
    source: &S,
    a: &[u8],
    b: &[u8],
    padded_to: Option<usize>,
) -> Result<bool> {
    let mut key = Zeroizing::new([0u8; KEY_BYTES]);
    source.fill_bytes(&mut *key)?;
    // The HMAC states wipe themselves on drop: the `zeroize` features of
    // `hmac` and `sha2` (checked by a test below).
    let keyed = match HmacSha256::new_from_slice(&*key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    drop(key);
    let tag_a = tag(keyed.clone(), a, padded_to);
    let tag_b = tag(keyed, b, padded_to);
    // The tags are compared where they are and wiped when dropped.
    Ok(crate::compare_digest(tag_a.as_bytes(), tag_b.as_bytes()))
}

fn tag(mut mac: HmacSha256, input: &[u8], padded_to: Option<usize>) -> CtOutput<HmacSha256> {
    match padded_to {
        None => mac.update(input),
        Some(max_len) => {
            mac.update(&(input.len() as u64).to_le_bytes());
            mac.update(input);
            let zeros = [0u8; BLOCK];
            let mut left = max_len - input.len();
            while left > 0 {
                let take = left.min(BLOCK);
                mac.update(&zeros[..take]);
                left -= take;
            }
        }
    }
    mac.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn equal_and_unequal_inputs() {
        assert!(compare_length_hidden(b"", b"").unwrap());
        assert!(!compare_length_hidden(b"", b"\0").unwrap());
        assert!(!compare_length_hidden(b"abc", b"abd").unwrap());
        let long = vec![7u8; 10_000];
        assert!(compare_length_hidden(&long, &long.clone()).unwrap());
    }

    #[test]
    fn padding_keeps_trailing_zeros_apart() {
        for max in [3usize, 4, 63, 64, 65, 1000] {
            assert!(compare_length_hidden_padded(b"abc", b"abc", max).unwrap());
            if max >= 4 {
                assert!(!compare_length_hidden_padded(b"abc", b"abc\0", max).unwrap());
                assert!(!compare_length_hidden_padded(b"abc\0", b"abc", max).unwrap());
            }
            assert!(!compare_length_hidden_padded(b"", b"\0", max).unwrap());
        }
        let err = compare_length_hidden_padded(b"abcd", b"", 3).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let err = compare_length_hidden_padded(b"", b"abcd", 3).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
    }

    /// The HMAC state is the SHA-256 states of the inner and outer keyed
    /// blocks plus a block buffer, and the result a `CtOutput`: each must
    /// wipe itself on drop. This fails to compile when the `zeroize`
    /// features of `hmac`/`sha2` are lost.
    #[test]
    fn hmac_states_and_tags_wipe_on_drop() {
        use hmac::digest::block_api::{Buffer, CoreProxy};
        use zeroize::ZeroizeOnDrop;
        fn wiped_on_drop<T: ZeroizeOnDrop>() {}
        wiped_on_drop::<<Sha256 as CoreProxy>::Core>();
        wiped_on_drop::<Buffer<hmac::block_api::HmacCore<Sha256>>>();
        wiped_on_drop::<CtOutput<HmacSha256>>();
        wiped_on_drop::<Zeroizing<[u8; KEY_BYTES]>>();
    }

    #[test]
    fn known_hmac_value() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let tag: [u8; 32] = mac.finalize().into_bytes().into();
        assert_eq!(
            const_hex::encode(tag),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    proptest! {
        #[test]
        fn agrees_with_eq(a in proptest::collection::vec(any::<u8>(), 0..100),
                          b in proptest::collection::vec(any::<u8>(), 0..100)) {
            prop_assert_eq!(compare_length_hidden(&a, &b).unwrap(), a == b);
            prop_assert_eq!(compare_length_hidden_padded(&a, &b, 100).unwrap(), a == b);
            prop_assert!(compare_length_hidden(&a, &a).unwrap());
        }
    }
}
