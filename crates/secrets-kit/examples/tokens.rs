//! The Python docs' token examples: `token_bytes(16)`, `token_hex(16)`,
//! `token_urlsafe(16)`, and how many bytes a token should use.
//!
//! Run with `cargo run --example tokens`.

fn main() {
    let raw = secrets_kit::token_bytes(16);
    println!("token_bytes(16)   = {raw:02x?}");
    println!("token_hex(16)     = {}", secrets_kit::token_hex(16));
    println!("token_urlsafe(16) = {}", secrets_kit::token_urlsafe(16));
    println!(
        "default: {} bytes = {} bits of entropy",
        secrets_kit::DEFAULT_ENTROPY,
        8 * secrets_kit::DEFAULT_ENTROPY
    );
}
