//! The Python docs' first recipe: an eight-character alphanumeric password.
//!
//! ```python
//! alphabet = string.ascii_letters + string.digits
//! password = ''.join(choice(alphabet) for i in range(8))
//! ```
//!
//! Run with `cargo run --example password`.

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn main() -> Result<(), secrets_kit::Error> {
    let password: String = (0..8)
        .map(|_| secrets_kit::fallible::try_choice(ALPHABET).map(|&c| char::from(c)))
        .collect::<Result<_, _>>()?;
    println!("{password}");
    Ok(())
}
