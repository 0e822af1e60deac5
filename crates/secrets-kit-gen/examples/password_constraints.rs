//! The Python docs' second recipe: a ten-character alphanumeric password
//! with at least one lowercase letter, one uppercase letter and three
//! digits.
//!
//! ```python
//! while True:
//!     password = ''.join(choice(alphabet) for i in range(10))
//!     if (any(c.islower() for c in password)
//!             and any(c.isupper() for c in password)
//!             and sum(c.isdigit() for c in password) >= 3):
//!         break
//! ```
//!
//! Rejecting whole candidates keeps the result uniform over every password
//! that meets the rules ("one of each, then shuffle" would not). About 1 in
//! 4 candidates passes here, so the loop ends quickly; for policies that
//! almost nothing meets, the `secrets` command counts and unranks instead.
//!
//! Run with `cargo run --example password_constraints`.

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn main() -> Result<(), secrets_kit::Error> {
    let password = loop {
        let candidate: Vec<u8> = (0..10)
            .map(|_| secrets_kit::fallible::try_choice(ALPHABET).copied())
            .collect::<Result<_, _>>()?;
        let lower = candidate.iter().any(u8::is_ascii_lowercase);
        let upper = candidate.iter().any(u8::is_ascii_uppercase);
        let digits = candidate.iter().filter(|c| c.is_ascii_digit()).count();
        if lower && upper && digits >= 3 {
            break String::from_utf8(candidate).expect("the alphabet is ASCII");
        }
    };
    println!("{password}");
    Ok(())
}
