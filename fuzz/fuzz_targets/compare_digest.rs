//! `compare_digest` must agree with `==` on every pair of byte strings, and
//! `compare_digest_str` must agree with `==` on ASCII strings and refuse
//! every pair with a non-ASCII character, as Python's does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte says where to split the rest into the two inputs, so
    // equal lengths (where the real comparison happens) are common.
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let half = rest.len() / 2;
    let at = if split & 1 == 0 {
        half
    } else {
        usize::from(split) % (rest.len() + 1)
    };
    let (a, b) = rest.split_at(at);
    // With `split & 2` the second input is a copy of the first with the
    // last byte changed, the case an early exit would get wrong.
    let mut tweaked;
    let b = if split & 2 != 0 && !a.is_empty() {
        tweaked = a.to_vec();
        let last = tweaked.len() - 1;
        tweaked[last] ^= split | 1;
        &tweaked[..]
    } else {
        b
    };

    assert_eq!(secrets::compare_digest(a, b), a == b);
    assert!(secrets::compare_digest(a, a));
    assert!(secrets::compare_digest(b, b));

    if let (Ok(sa), Ok(sb)) = (std::str::from_utf8(a), std::str::from_utf8(b)) {
        match secrets::compare::compare_digest_str(sa, sb) {
            Ok(equal) => {
                assert!(sa.is_ascii() && sb.is_ascii());
                assert_eq!(equal, sa == sb);
            }
            Err(err) => {
                assert!(!sa.is_ascii() || !sb.is_ascii());
                assert_eq!(err.kind(), secrets::ErrorKind::InvalidInput);
            }
        }
    }
});
