//! The Python docs' XKCD-style passphrase: four words from a dictionary.
//!
//! ```python
//! with open('/usr/share/dict/words') as f:
//!     words = [word.strip() for word in f]
//!     password = ' '.join(choice(words) for i in range(4))
//! ```
//!
//! The Python recipe keeps blank lines and duplicates, which makes some
//! words likelier than others; this one drops them. Give a word-list file
//! as the first argument (default `/usr/share/dict/words`).
//!
//! Run with `cargo run --example passphrase -- /usr/share/dict/words`.

use std::collections::BTreeSet;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/usr/share/dict/words".to_owned());
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("cannot read word list {path}: {err}"))?;
    let words: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if words.len() < 2 {
        return Err(format!("{path} holds fewer than 2 distinct words").into());
    }
    let phrase = (0..4)
        .map(|_| secrets_kit::fallible::try_choice(&words).copied())
        .collect::<Result<Vec<_>, _>>()?
        .join(" ");
    println!("{phrase}");
    let bits = 4.0 * (words.len() as f64).log2();
    eprintln!("{bits:.1} bits of entropy ({} distinct words)", words.len());
    Ok(())
}
