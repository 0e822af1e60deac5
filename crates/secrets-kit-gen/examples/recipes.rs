//! The recipes of the README's library section, kept compiling.
//!
//! Run with `cargo run --example recipes`.

use secrets_kit_gen::password::{CharClass, PasswordPolicy};

fn main() -> Result<(), secrets_kit::Error> {
    // Tokens: token_hex(16), token_hex(None) and friends.
    let api_key = secrets_kit::token_hex(16);
    let reset_url = format!(
        "https://example.com/reset={}",
        secrets_kit::token_urlsafe(None)
    );

    // An eight-character alphanumeric password (uniform, one kernel call).
    let password = PasswordPolicy::new()
        .alphabet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        .length(8)
        .generate()?;

    // A ten-character password with a lowercase letter, an uppercase letter
    // and three digits: exactly uniform over all such passwords.
    let policy = PasswordPolicy::new()
        .length(10)
        .classes(&[CharClass::Lower, CharClass::Upper, CharClass::Digits])
        .min(CharClass::Lower, 1)
        .min(CharClass::Upper, 1)
        .min(CharClass::Digits, 3);
    let strong = policy.generate()?;

    // An XKCD-style passphrase from the embedded EFF long list.
    let phrase = secrets_kit_gen::wordlist::passphrase(4)?;

    for line in [api_key, reset_url, password, strong, phrase] {
        println!("{line}");
    }
    Ok(())
}
