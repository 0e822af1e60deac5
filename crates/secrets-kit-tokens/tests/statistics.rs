//! Uniformity of the symbol sampler through the token formats.

use crate::common::assert_uniform;

/// The crate's one symbol sampler (behind every format, password and
/// passphrase), through `token_alphabet`: alphabets of 3 and 58 symbols
/// (1-byte candidates, with rejection) and 300 (2-byte candidates).
#[test]
fn the_symbol_sampler_is_uniform() {
    for size in [3u32, 58, 300] {
        let symbols: Vec<char> = (0..size)
            .map(|i| char::from_u32(0x100 + i).unwrap())
            .collect();
        let alphabet: String = symbols.iter().collect();
        let token =
            secrets_kit_tokens::formats::token_alphabet(&alphabet, 200 * size as usize).unwrap();
        let mut counts = vec![0u64; size as usize];
        for c in token.chars() {
            counts[(c as u32 - 0x100) as usize] += 1;
        }
        assert_uniform(&format!("token_alphabet over {size} symbols"), &counts);
    }
}
