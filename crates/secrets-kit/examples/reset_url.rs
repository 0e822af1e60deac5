//! The Python docs' last recipe: a hard-to-guess temporary URL for password
//! recovery.
//!
//! ```python
//! url = 'https://example.com/reset=' + token_urlsafe()
//! ```
//!
//! Store only a hash of the token server-side, and compare what comes back
//! with `secrets_kit::compare_digest`.
//!
//! Run with `cargo run --example reset_url`.

fn main() -> Result<(), secrets_kit::Error> {
    let token = secrets_kit::fallible::try_token_urlsafe(None)?;
    let url = format!("https://example.com/reset={token}");
    println!("{url}");
    Ok(())
}
