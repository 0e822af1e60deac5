//! The bad-input matrix (TESTING.md) for the token formats.

use crate::common::Matrix;
use secrets_kit::ErrorKind;

#[test]
fn formats() {
    use ErrorKind::*;
    let mut m = Matrix::default();
    m.case("formats::token_alphabet(\"aba\", 8)", InvalidValue, || {
        secrets_kit_tokens::formats::token_alphabet("aba", 8)
    });
    m.case("formats::token_alphabet(\"a\", 8)", InvalidValue, || {
        secrets_kit_tokens::formats::token_alphabet("a", 8)
    });
    m.case("formats::token_alphabet(\"ab\", 0)", InvalidValue, || {
        secrets_kit_tokens::formats::token_alphabet("ab", 0)
    });
    m.case("formats::token_base32(0)", InvalidValue, || {
        secrets_kit_tokens::formats::token_base32(0)
    });
    m.case("formats::token_base58(usize::MAX)", TooLarge, || {
        secrets_kit_tokens::formats::token_base58(usize::MAX)
    });
    m.case("formats::pin(0)", InvalidValue, || {
        secrets_kit_tokens::formats::pin(0)
    });
    m.case("formats::length_for_bits(1, 128)", InvalidValue, || {
        secrets_kit_tokens::formats::length_for_bits(1, 128)
    });
    m.case("formats::length_for_bits(10, 0)", InvalidValue, || {
        secrets_kit_tokens::formats::length_for_bits(10, 0)
    });

    m.finish("Token formats");
}
