//! The `SIZE` parser of `secrets bytes` must accept exactly the sizes its
//! help describes (a whole number, optional blanks, an optional unit from
//! a fixed table, case-insensitive) and return number x unit, or an error
//! when that exceeds `u64::MAX`; never panic. The reference below
//! computes the same in 128-bit arithmetic with a plain table walk.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The command's own parser, compiled from its source file.
#[path = "../../crates/secrets-kit-cli/src/size.rs"]
#[allow(dead_code)]
mod size;

const UNITS: &[(&str, u128)] = &[
    ("", 1),
    ("B", 1),
    ("K", 1 << 10),
    ("KIB", 1 << 10),
    ("M", 1 << 20),
    ("MIB", 1 << 20),
    ("G", 1 << 30),
    ("GIB", 1 << 30),
    ("T", 1 << 40),
    ("TIB", 1 << 40),
    ("KB", 1_000),
    ("MB", 1_000_000),
    ("GB", 1_000_000_000),
    ("TB", 1_000_000_000_000),
];

fn reference(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let (number, unit) = text.split_at(digits);
    // More than 20 digits cannot be a u64, whatever the unit.
    let number: u128 = number.trim_start_matches('0').parse().ok().or_else(|| {
        number.bytes().all(|b| b == b'0').then_some(0)
    })?;
    if number > u128::from(u64::MAX) {
        return None;
    }
    let unit = unit.trim_start().to_ascii_uppercase();
    let (_, multiplier) = UNITS.iter().find(|(name, _)| *name == unit)?;
    u64::try_from(number * multiplier).ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = size::parse_size(text);
    match (parsed, reference(text)) {
        (Ok(got), Some(want)) => assert_eq!(got, want, "{text:?}"),
        (Err(message), None) => assert!(!message.is_empty()),
        (got, want) => panic!("{text:?}: parser gave {got:?}, reference {want:?}"),
    }
});
