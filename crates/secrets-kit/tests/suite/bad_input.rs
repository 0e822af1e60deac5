//! The library's bad-input matrix (TESTING.md): every argument the
//! documentation says is refused, with the error kind it must give.
//!
//! Each case must return an error (never panic, never a value) of the
//! expected kind, whose message is one non-empty line. All cases run before
//! the test fails, so one run lists every broken case;
//! `cargo test --test tests bad_input -- --nocapture` prints the matrix as the
//! Markdown table in TESTING.md, messages included.

use crate::common;

use common::Matrix;
#[cfg(feature = "bigint")]
use num_bigint::BigUint;
use secrets_kit::{ErrorKind, SystemRandom, sequences::Weights};

#[test]
fn integers_and_sequences() {
    use ErrorKind::*;
    let mut m = Matrix::default();

    m.case("randbelow(0u8)", InvalidValue, || {
        secrets_kit::fallible::try_randbelow(0u8)
    });
    m.case("randbelow(0u64)", InvalidValue, || {
        secrets_kit::fallible::try_randbelow(0u64)
    });
    m.case("randbelow(0u128)", InvalidValue, || {
        secrets_kit::fallible::try_randbelow(0u128)
    });
    m.case("randbelow(0usize)", InvalidValue, || {
        secrets_kit::fallible::try_randbelow(0usize)
    });
    #[cfg(feature = "bigint")]
    m.case("randbelow(BigUint 0)", InvalidValue, || {
        secrets_kit::fallible::try_randbelow(BigUint::ZERO)
    });
    m.case("randbits::<u8>(9)", Overflow, || {
        secrets_kit::fallible::try_randbits::<u8>(9)
    });
    m.case("randbits::<u64>(65)", Overflow, || {
        secrets_kit::fallible::try_randbits::<u64>(65)
    });
    m.case("randbits::<u128>(129)", Overflow, || {
        secrets_kit::fallible::try_randbits::<u128>(129)
    });
    #[cfg(feature = "bigint")]
    m.case("randbits::<BigUint>(usize::MAX)", TooLarge, || {
        secrets_kit::fallible::try_randbits::<BigUint>(usize::MAX)
    });
    m.case("choice(&[])", EmptySequence, || {
        secrets_kit::fallible::try_choice::<u8>(&[])
    });
    m.none("choice(&[]) (Option form)", secrets_kit::choice::<u8>(&[]));

    let rng = SystemRandom::new();
    m.case("SystemRandom.getrandbits::<u32>(33)", Overflow, || {
        rng.getrandbits::<u32>(33)
    });
    m.case("SystemRandom.getrandbits::<u64>(65)", Overflow, || {
        rng.getrandbits::<u64>(65)
    });
    m.case("SystemRandom.randbytes(usize::MAX)", TooLarge, || {
        rng.try_randbytes(usize::MAX)
    });
    m.case("SystemRandom.randbelow(0u32)", InvalidValue, || {
        rng.randbelow(0u32)
    });
    m.case("randrange(0)", InvalidValue, || rng.randrange(0i64));
    m.case("randrange(-5)", InvalidValue, || rng.randrange(-5i64));
    m.case("randrange(5, 5)", InvalidValue, || {
        rng.randrange_from(5i32, 5)
    });
    m.case("randrange(5, 2)", InvalidValue, || {
        rng.randrange_from(5i32, 2)
    });
    m.case("randrange(0, 10, 0)", InvalidValue, || {
        rng.randrange_step(0i32, 10, 0)
    });
    m.case("randrange(5, 5, 0)", InvalidValue, || {
        rng.randrange_step(5i32, 5, 0)
    });
    m.case("randrange(0, 10, -1)", InvalidValue, || {
        rng.randrange_step(0i32, 10, -1)
    });
    m.case("randint(5, 2)", InvalidValue, || rng.randint(5i64, 2));
    m.case("SystemRandom.choice(&[])", EmptySequence, || {
        rng.try_choice::<u8>(&[])
    });

    let none: [u8; 0] = [];
    let abc = ['a', 'b', 'c'];
    m.case("choices([], k=1)", EmptySequence, || {
        rng.choices(&none, Weights::Equal, 1)
    });
    m.case("choices([], weights=[], k=0)", EmptySequence, || {
        rng.choices(&none, Weights::Relative(&[]), 0)
    });
    m.case("choices('abc', weights=[1, 2])", InvalidValue, || {
        rng.choices(&abc, Weights::Relative(&[1.0, 2.0]), 1)
    });
    m.case("choices('abc', cum_weights=[1, 2])", InvalidValue, || {
        rng.choices(&abc, Weights::Cumulative(&[1.0, 2.0]), 1)
    });
    m.case("choices('abc', weights=[0, 0, 0])", InvalidValue, || {
        rng.choices(&abc, Weights::Relative(&[0.0, 0.0, 0.0]), 1)
    });
    m.case("choices('abc', weights=[1, -3, 1])", InvalidValue, || {
        rng.choices(&abc, Weights::Relative(&[1.0, -3.0, 1.0]), 1)
    });
    m.case("choices('abc', weights=[1, NaN, 1])", InvalidValue, || {
        rng.choices(&abc, Weights::Relative(&[1.0, f64::NAN, 1.0]), 1)
    });
    m.case("choices('abc', weights=[1, inf, 1])", InvalidValue, || {
        rng.choices(&abc, Weights::Relative(&[1.0, f64::INFINITY, 1.0]), 1)
    });
    m.case(
        "choices('abc', weights=[1e308, 1e308, 1])",
        InvalidValue,
        || rng.choices(&abc, Weights::Relative(&[1e308, 1e308, 1.0]), 1),
    );
    m.case(
        "choices('abc', cum_weights=[1, 2, NaN])",
        InvalidValue,
        || rng.choices(&abc, Weights::Cumulative(&[1.0, 2.0, f64::NAN]), 1),
    );
    m.case("sample('abc', 4)", InvalidValue, || rng.sample(&abc, 4));
    m.case("sample([], 1)", InvalidValue, || rng.sample(&none, 1));
    m.case("sample('abc', 1, counts=[1, 1])", InvalidValue, || {
        rng.sample_counts(&abc, &[1, 1], 1)
    });
    m.case("sample('abc', 5, counts=[1, 1, 1])", InvalidValue, || {
        rng.sample_counts(&abc, &[1, 1, 1], 5)
    });
    m.case("sample('ab', 1, counts=[usize::MAX, 1])", Overflow, || {
        rng.sample_counts(&abc[..2], &[usize::MAX, 1], 1)
    });

    m.finish("Integers and sequences");
}

#[test]
fn distributions() {
    use ErrorKind::*;
    let mut m = Matrix::default();
    let rng = SystemRandom::new();
    let (nan, inf) = (f64::NAN, f64::INFINITY);

    m.case("expovariate(0.0)", ZeroDivision, || rng.expovariate(0.0));
    m.case("vonmisesvariate(0.0, NaN)", InvalidValue, || {
        rng.vonmisesvariate(0.0, nan)
    });
    for (alpha, beta) in [
        (0.0, 1.0),
        (1.0, 0.0),
        (-1.0, 1.0),
        (1.0, -2.0),
        (nan, 1.0),
        (1.0, nan),
        (inf, 1.0),
    ] {
        m.case(
            &format!("gammavariate({alpha:?}, {beta:?})"),
            InvalidValue,
            || rng.gammavariate(alpha, beta),
        );
    }
    for (alpha, beta) in [(0.0, 1.0), (1.0, 0.0), (nan, 1.0), (1.0, inf), (-1.0, 1.0)] {
        m.case(
            &format!("betavariate({alpha:?}, {beta:?})"),
            InvalidValue,
            || rng.betavariate(alpha, beta),
        );
    }
    m.case("paretovariate(0.0)", ZeroDivision, || {
        rng.paretovariate(0.0)
    });
    m.case("weibullvariate(1.0, 0.0)", ZeroDivision, || {
        rng.weibullvariate(1.0, 0.0)
    });
    m.case("lognormvariate(1000.0, 0.0)", Overflow, || {
        rng.lognormvariate(1000.0, 0.0)
    });
    for p in [-0.1, 1.1, nan, inf, -inf] {
        m.case(&format!("binomialvariate(10, {p:?})"), InvalidValue, || {
            rng.binomialvariate(10, p)
        });
    }

    m.finish("Distributions");
}

#[test]
fn tokens_formats_and_sizes() {
    use ErrorKind::*;
    let mut m = Matrix::default();

    m.case("token_bytes(usize::MAX)", TooLarge, || {
        secrets_kit::fallible::try_token_bytes(usize::MAX)
    });
    m.case("token_hex(usize::MAX)", TooLarge, || {
        secrets_kit::fallible::try_token_hex(usize::MAX)
    });
    m.case("token_hex(usize::MAX / 2 + 1)", TooLarge, || {
        secrets_kit::fallible::try_token_hex(usize::MAX / 2 + 1)
    });
    m.case("token_urlsafe(usize::MAX)", TooLarge, || {
        secrets_kit::fallible::try_token_urlsafe(usize::MAX)
    });
    m.case("compare_digest_str(\"é\", \"é\")", InvalidInput, || {
        secrets_kit::compare::compare_digest_str("é", "é")
    });
    m.case("compare_digest_str(\"abc\", \"é\")", InvalidInput, || {
        secrets_kit::compare::compare_digest_str("abc", "é")
    });
    #[cfg(feature = "compare-hidden")]
    m.case(
        "compare_length_hidden_padded(65 B, 1 B, max 64)",
        InvalidValue,
        || secrets_kit::compare::compare_length_hidden_padded(&[0; 65], &[0], 64),
    );
    m.finish("Tokens, formats and sizes");
}
