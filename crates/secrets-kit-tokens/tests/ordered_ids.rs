//! Time-ordered IDs: a million v7 UUIDs and a million ULIDs, made as fast
//! as possible, are strictly increasing; a scripted clock that steps back
//! never yields a smaller or equal ID; the increment is random, not +1.

#![cfg(feature = "formats")]

use crate::common::Script;
use secrets_kit::OsEntropy;
use secrets_kit_tokens::formats::{self, Monotonic, OrderedId};

const MILLION: usize = 1_000_000;

/// A million IDs from `next`, after one from `first`, strictly increase.
/// Made as fast as possible, most share a millisecond with the one before:
/// the within-millisecond path is what was tested.
fn assert_a_million_increase(
    first: fn() -> secrets_kit::Result<String>,
    next: fn() -> secrets_kit::Result<OrderedId>,
) {
    let mut last = first().unwrap();
    let mut same_millisecond = 0;
    for _ in 1..MILLION {
        let id = next().unwrap();
        assert!(id.text > last, "{} after {last}", id.text);
        if id.fresh_bits == formats::INCREMENT_BITS {
            same_millisecond += 1;
        }
        last = id.text;
    }
    assert!(same_millisecond > MILLION / 2, "{same_millisecond}");
}

#[test]
fn a_million_v7_uuids_strictly_increase() {
    assert_a_million_increase(formats::uuid_v7, formats::ordered_uuid_v7);
}

#[test]
fn a_million_ulids_strictly_increase() {
    assert_a_million_increase(formats::ulid, formats::ordered_ulid);
}

#[test]
fn threads_share_one_order() {
    // IDs from 4 threads, each increasing, and no duplicates across them.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                (0..20_000)
                    .map(|_| formats::ulid().unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all = Vec::new();
    for handle in handles {
        let ids = handle.join().unwrap();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        all.extend(ids);
    }
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count);
}

#[test]
fn a_clock_stepping_back_never_gives_a_smaller_or_equal_id() {
    let ids = Monotonic::new();
    // Forward, the same, back a little, back a lot, forward again.
    let clock = [
        1_000u64, 1_000, 1_001, 999, 1_001, 5, 0, 1_002, 1_002, 2_000, 1_999,
    ];
    let mut last_uuid = String::new();
    let mut last_ulid = String::new();
    for &now in &clock {
        let uuid = ids.uuid_v7_at_with(&OsEntropy, now).unwrap();
        let ulid = ids.ulid_at_with(&OsEntropy, now).unwrap();
        assert!(
            uuid.text > last_uuid,
            "{} after {last_uuid} at {now}",
            uuid.text
        );
        assert!(
            ulid.text > last_ulid,
            "{} after {last_ulid} at {now}",
            ulid.text
        );
        // The timestamp never goes back, and follows the clock forward.
        assert!(uuid.millis >= now.min(uuid.millis));
        last_uuid = uuid.text;
        last_ulid = ulid.text;
    }
    // After the steps back, the IDs stayed at the last timestamp seen.
    let after = ids.ulid_at_with(&OsEntropy, 3).unwrap();
    assert_eq!(after.millis, 2_000);
    assert_eq!(after.fresh_bits, formats::INCREMENT_BITS);
}

/// The 128-bit value of a ULID.
fn ulid_value(text: &str) -> u128 {
    text.chars().fold(0u128, |acc, c| {
        acc * 32 + formats::CROCKFORD_ALPHABET.find(c).unwrap() as u128
    })
}

#[test]
fn the_increment_is_the_scripted_random_number_plus_one() {
    let ids = Monotonic::new();
    // First ID: 10 fresh bytes; second: a 4-byte increment 0x01020304,
    // added plus one.
    let mut script: Vec<u8> = vec![0; 10];
    script.extend([1, 2, 3, 4]);
    let source = Script::new(&script);
    let first = ids.ulid_at_with(&source, 7).unwrap();
    let second = ids.ulid_at_with(&source, 7).unwrap();
    assert_eq!(source.left(), 0);
    assert_eq!(ulid_value(&first.text), 7u128 << 80);
    assert_eq!(ulid_value(&second.text), (7u128 << 80) + 0x0102_0304 + 1);
    assert_eq!((first.fresh_bits, second.fresh_bits), (80, 32));
}

#[test]
fn an_exhausted_random_field_moves_to_the_next_millisecond() {
    let ids = Monotonic::new();
    // First ID: the largest random field; then the increment overflows.
    let mut script = vec![0xff; 10];
    script.extend([0, 0, 0, 0]); // increment 1
    script.extend([0; 10]); // the fresh field of the next millisecond
    let source = Script::new(&script);
    let first = ids.ulid_at_with(&source, 7).unwrap();
    let second = ids.ulid_at_with(&source, 7).unwrap();
    assert_eq!(ulid_value(&first.text), (7u128 << 80) | ((1u128 << 80) - 1));
    assert_eq!(ulid_value(&second.text), 8u128 << 80);
    assert_eq!(second.millis, 8);
    assert!(second.text > first.text);

    // The same for a v7 UUID: 74 bits all ones, then +1.
    let ids = Monotonic::new();
    let source = Script::new(&script);
    let first = ids.uuid_v7_at_with(&source, 7).unwrap();
    let second = ids.uuid_v7_at_with(&source, 7).unwrap();
    assert_eq!(first.text, "00000000-0007-7fff-bfff-ffffffffffff");
    assert_eq!(second.text, "00000000-0008-7000-8000-000000000000");
}

#[test]
fn the_end_of_time_is_an_error_not_a_wrap() {
    let ids = Monotonic::new();
    assert!(ids.ulid_at_with(&OsEntropy, 1 << 48).is_err());
    assert!(ids.ulid_at_with(&OsEntropy, (1 << 48) - 1).is_ok());
}

/// The state's random fields are those of the last IDs made (the next ones
/// follow within 32 bits): `Debug` shows none of it.
#[test]
fn debug_shows_no_state() {
    let ids = Monotonic::new();
    let source = Script::new([0xab; 10]);
    let id = ids.ulid_at_with(&source, 7).unwrap();
    let random = ulid_value(&id.text) & ((1 << 80) - 1);
    let shown = format!("{ids:?} {ids:#?}");
    assert_eq!(format!("{ids:?}"), "Monotonic { .. }");
    assert!(!shown.contains(&random.to_string()), "{shown}");
    assert!(!shown.contains("random"), "{shown}");
}

/// `OrderedId::value` is the ID's text read as a number: the UUID's 32 hex
/// digits, the ULID's 26 Crockford digits.
#[test]
fn the_value_is_the_text_as_a_number() {
    let ids = formats::Monotonic::new();
    for now in [1, 1, 2, (1 << 48) - 2] {
        let uuid = ids.uuid_v7_at_with(&OsEntropy, now).expect("uuid");
        let hex: String = uuid.text.chars().filter(|&c| c != '-').collect();
        assert_eq!(uuid.value, u128::from_str_radix(&hex, 16).expect("hex"));
        let ulid = ids.ulid_at_with(&OsEntropy, now).expect("ulid");
        assert_eq!(ulid.value, ulid_value(&ulid.text));
    }
}
