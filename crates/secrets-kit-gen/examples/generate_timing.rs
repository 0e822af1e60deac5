//! Times building and drawing from the generators (passwords by rejection
//! and by unranking, styles, plain and rule-constrained passphrases), and
//! prints a digest of everything drawn.
//!
//! The draws read a seeded user-space source, so the timings measure the
//! library rather than the kernel, and two builds fed the same seed must
//! print the same digests: comparing two builds' output shows both their
//! speed ratio and whether they draw byte for byte the same strings.
//!
//! Run with `cargo run --release -p secrets-kit-gen --features wordlist
//! --example generate_timing [ROUNDS]`; each row prints the fastest round,
//! in nanoseconds per operation. With `GENERATE_TIMING_ONLY=TEXT` in the
//! environment, only the rows whose names contain `TEXT` are timed, so
//! that two builds can alternate row by row.

use std::cell::Cell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::hint::black_box;
use std::time::Instant;

use secrets_kit::{EntropySource, Result};
use secrets_kit_gen::password::{CharClass, PasswordPolicy, Style};
use secrets_kit_gen::wordlist::{PassphraseGenerator, PhraseOptions, WordList};
use secrets_kit_gen::{Generate, SizedPassphrase};

/// A seeded xorshift64* stream: fast, and the same on every run.
struct Seeded(Cell<u64>);

impl EntropySource for Seeded {
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        for chunk in dest.chunks_mut(8) {
            let mut x = self.0.get();
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0.set(x);
            let word = x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// Times `generator`'s draws, as [`row`] does.
fn draws(name: &str, rounds: u32, iterations: u32, generator: &impl Generate) {
    row(name, rounds, iterations, |s| generator.generate_with(s));
}

/// Runs `op` `iterations` times per round; prints the fastest round's time
/// per operation and the digest of the strings of the first round.
fn row(name: &str, rounds: u32, iterations: u32, mut op: impl FnMut(&Seeded) -> Result<String>) {
    if std::env::var("GENERATE_TIMING_ONLY").is_ok_and(|only| !name.contains(&only)) {
        return;
    }
    let mut best = f64::INFINITY;
    let mut digest = 0;
    for round in 0..rounds {
        let source = Seeded(Cell::new(0x9e37_79b9_7f4a_7c15));
        let mut hasher = DefaultHasher::new();
        let start = Instant::now();
        for _ in 0..iterations {
            let text = black_box(op(&source).expect("the timed operation succeeds"));
            if round == 0 {
                text.hash(&mut hasher);
            }
        }
        let per_op = start.elapsed().as_nanos() as f64 / f64::from(iterations);
        best = best.min(per_op);
        if round == 0 {
            digest = hasher.finish();
        }
    }
    println!("{name}\t{best:.1}\t{digest:016x}");
}

fn main() -> Result<()> {
    let rounds: u32 = std::env::args()
        .nth(1)
        .map_or(5, |n| n.parse().expect("ROUNDS is a whole number"));

    let default = PasswordPolicy::default();
    row("password-default-build", rounds, 2_000, |_| {
        Ok(default.generator()?.length().to_string())
    });
    let generator = default.generator()?;
    draws("password-default-draw", rounds, 200_000, &generator);
    let digits = PasswordPolicy::new()
        .length(12)
        .min(CharClass::Digits, 12)
        .min(CharClass::Lower, 0)
        .min(CharClass::Upper, 0)
        .min(CharClass::Symbols, 0);
    let generator = digits.generator()?;
    draws("password-unranking-u128-draw", rounds, 200_000, &generator);
    let tight = PasswordPolicy::new()
        .length(64)
        .min(CharClass::Symbols, 60)
        .max_consecutive(1);
    row("password-unranking-big-build", rounds, 20, |_| {
        Ok(tight.generator()?.count().to_string())
    });
    let generator = tight.generator()?;
    draws("password-unranking-big-draw", rounds, 20_000, &generator);
    let rules = PasswordPolicy::from_rules(
        "minlength: 12; maxlength: 40; required: lower; required: upper; \
         required: digit; required: [-!@#]; max-consecutive: 2",
    )?;
    row("password-rules-build", rounds, 200, |_| {
        Ok(rules.generator()?.length().to_string())
    });
    let groups = PasswordPolicy::new()
        .length(20)
        .at_least_classes(3, &CharClass::ALL);
    row("password-3-of-4-build", rounds, 200, |_| {
        Ok(groups.generator()?.count().to_string())
    });

    for style in Style::ALL {
        row(&format!("style-{style}-build"), rounds, 2_000, |_| {
            Ok(style.generator()?.count().to_string())
        });
        let generator = style.generator()?;
        draws(&format!("style-{style}-draw"), rounds, 100_000, &generator);
    }
    row("style-apple-32-build", rounds, 5, |_| {
        Ok(Style::Apple.with_size(32)?.count().to_string())
    });
    row("style-pronounceable-for-bits-256", rounds, 50, |_| {
        Ok(Style::Pronounceable.for_bits(256)?.count().to_string())
    });

    let eff = WordList::eff_long();
    let generator = PassphraseGenerator::new(&eff, " ")?;
    draws(
        "passphrase-draw",
        rounds,
        200_000,
        &SizedPassphrase::new(generator, 6)?,
    );
    let options = PhraseOptions::new().rules(
        "minlength: 16; maxlength: 40; required: upper; required: digit; allowed: lower, [-]",
    );
    row("phrase-rules-build", rounds, 20, |_| {
        Ok(options.generator(&eff, None, None)?.count().to_string())
    });
    let generator = options.generator(&eff, None, None)?;
    draws("phrase-rules-draw", rounds, 50_000, &generator);
    let plain = PhraseOptions::new().digit(true).max_length(48);
    let generator = plain.generator(&eff, Some(6), None)?;
    draws("phrase-plain-draw", rounds, 50_000, &generator);
    Ok(())
}
