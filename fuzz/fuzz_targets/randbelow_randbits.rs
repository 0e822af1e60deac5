//! `randbelow(n)` is below `n` for every `n >= 1` and an `InvalidValue`
//! error for 0; `randbits(k)` is below `2**k`; the fixed-width forms refuse
//! a `k` wider than their type with `Overflow`. Checked on big integers of
//! up to 4096 bits and on `u64`/`u128`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;
use secrets::ErrorKind;

/// Big integers above this many bytes add time, not coverage.
const MAX_BOUND_BYTES: usize = 512;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let k = usize::from(u16::from_le_bytes(*head)) % 4200;
    let bound_bytes = &rest[..rest.len().min(MAX_BOUND_BYTES)];

    // Arbitrary-size bound.
    let n = BigUint::from_bytes_be(bound_bytes);
    match secrets::fallible::try_randbelow(n.clone()) {
        Ok(r) => assert!(r < n, "randbelow({n}) gave {r}"),
        Err(err) => {
            assert_eq!(n, BigUint::ZERO, "randbelow({n}) failed: {err}");
            assert_eq!(err.kind(), ErrorKind::InvalidValue);
        }
    }

    // Fixed-width bounds from the same bytes.
    let mut word = [0u8; 16];
    let take = bound_bytes.len().min(16);
    word[..take].copy_from_slice(&bound_bytes[..take]);
    let n128 = u128::from_le_bytes(word);
    let n64 = n128 as u64;
    match secrets::fallible::try_randbelow(n64) {
        Ok(r) => assert!(r < n64),
        Err(err) => assert!(n64 == 0 && err.kind() == ErrorKind::InvalidValue),
    }
    match secrets::fallible::try_randbelow(n128) {
        Ok(r) => assert!(r < n128),
        Err(err) => assert!(n128 == 0 && err.kind() == ErrorKind::InvalidValue),
    }

    // randbits on every width.
    let big: BigUint = secrets::fallible::try_randbits(k).expect("randbits of at most 4200 bits");
    assert!(
        big.bits() <= k as u64,
        "randbits({k}) gave {} bits",
        big.bits()
    );
    match secrets::fallible::try_randbits::<u64>(k) {
        Ok(r) => assert!(k <= 64 && (k == 64 || r >> k == 0)),
        Err(err) => assert!(k > 64 && err.kind() == ErrorKind::Overflow),
    }
    match secrets::fallible::try_randbits::<u128>(k) {
        Ok(r) => assert!(k <= 128 && (k == 128 || r >> k == 0)),
        Err(err) => assert!(k > 128 && err.kind() == ErrorKind::Overflow),
    }
    let rng = secrets::SystemRandom::new();
    match rng.getrandbits::<u64>(k) {
        Ok(r) => assert!(k <= 64 && (k == 64 || r >> k == 0)),
        Err(err) => assert!(k > 64 && err.kind() == ErrorKind::Overflow),
    }
});
