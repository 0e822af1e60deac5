//! UUID version 4 and 7 (RFC 9562) and ULID.
//!
//! The `uuid` crate lays out the fields (version and variant bits); every
//! random bit comes from this crate's source.
//!
//! # Ordering within a millisecond
//!
//! v7 UUIDs and ULIDs made in one process are strictly increasing, even
//! within one millisecond and when the clock steps back: RFC 9562 section
//! 6.2's method 2, with a random increment of 1 to 2^32 rather than `+1`,
//! so that the next ID is not guessable from the last (see
//! [`Monotonic`](super::Monotonic)). The first ID of each millisecond
//! carries 74 (v7) or 80 (ULID) fresh random bits, each later one in the
//! same millisecond 32; [`ordered_uuid_v7`] and [`ordered_ulid`] say which.
//!
//! # What the timestamp tells
//!
//! A v7 UUID or a ULID shows when it was made, to the millisecond. Use
//! [`uuid_v4`] (or a token) when that must stay private.

use std::time::{SystemTime, UNIX_EPOCH};

use zeroize::Zeroize;

use super::CROCKFORD_ALPHABET;
use super::ordered::{OrderedId, PROCESS};
use secrets_kit::{EntropySource, Error, ErrorKind, OsEntropy, Result};

/// Random bits in a version 4 UUID: 128 less 4 version and 2 variant bits.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::UUID_V4_RANDOM_BITS, 122);
/// ```
pub const UUID_V4_RANDOM_BITS: u64 = 122;

/// Random bits in a version 7 UUID: 128 less the 48-bit timestamp, 4
/// version and 2 variant bits (`rand_a` and `rand_b` of RFC 9562).
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::UUID_V7_RANDOM_BITS, 74);
/// ```
pub const UUID_V7_RANDOM_BITS: u64 = 74;

/// Random bits in a ULID: 128 less the 48-bit timestamp.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::ULID_RANDOM_BITS, 80);
/// ```
pub const ULID_RANDOM_BITS: u64 = 80;

/// A random version 4 UUID, hyphenated lower case
/// (`xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx`, `V` one of `8 9 a b`).
///
/// # Errors
///
/// [`ErrorKind::Os`](crate::ErrorKind::Os) when the kernel's random source fails.
///
/// # Examples
///
/// ```
/// assert_ne!(secrets_kit_tokens::formats::uuid_v4()?, secrets_kit_tokens::formats::uuid_v4()?);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn uuid_v4() -> Result<String> {
    uuid_v4_with(&OsEntropy)
}

/// A version 4 UUID from 16 bytes of `source`: the bytes in order, with
/// the version and variant bits overwritten (RFC 9562 section 5.4).
///
/// # Errors
///
/// When `source` fails.
///
/// # Examples
///
/// ```
/// let id = secrets_kit_tokens::formats::uuid_v4_with(&secrets_kit::OsEntropy)?;
/// assert_eq!(&id[14..15], "4");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn uuid_v4_with<S: EntropySource + ?Sized>(source: &S) -> Result<String> {
    let mut bytes = [0u8; 16];
    source.fill_bytes(&mut bytes)?;
    let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
    bytes.zeroize();
    Ok(hyphenated(id))
}

/// A version 7 UUID: the current Unix time in milliseconds (48 bits), then
/// 74 random bits, hyphenated lower case.
///
/// IDs made in one process are strictly increasing, within a millisecond
/// too (see the module notes).
///
/// # Errors
///
/// [`ErrorKind::Os`](crate::ErrorKind::Os) when the kernel's random source fails;
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when the system clock reads before
/// 1970-01-01, and [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) after the year 10889, where 48
/// bits of milliseconds end.
///
/// # Examples
///
/// ```
/// let a = secrets_kit_tokens::formats::uuid_v7()?;
/// std::thread::sleep(std::time::Duration::from_millis(2));
/// let b = secrets_kit_tokens::formats::uuid_v7()?;
/// assert!(a < b); // later milliseconds sort later
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn uuid_v7() -> Result<String> {
    uuid_v7_with(&OsEntropy)
}

/// A version 7 UUID whose 74 random bits come from 10 bytes of `source`.
///
/// # Errors
///
/// As [`uuid_v7`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// let id = secrets_kit_tokens::formats::uuid_v7_with(&secrets_kit::OsEntropy)?;
/// assert_eq!(&id[14..15], "7");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn uuid_v7_with<S: EntropySource + ?Sized>(source: &S) -> Result<String> {
    ordered_uuid_v7_with(source).map(|id| id.text)
}

/// The next v7 UUID of this process, with its timestamp and how many
/// fresh random bits it has (74 for the first of its millisecond, 32
/// after).
///
/// # Errors
///
/// As [`uuid_v7`].
///
/// # Examples
///
/// ```
/// let a = secrets_kit_tokens::formats::ordered_uuid_v7()?;
/// let b = secrets_kit_tokens::formats::ordered_uuid_v7()?;
/// assert!(a.text < b.text);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn ordered_uuid_v7() -> Result<OrderedId> {
    ordered_uuid_v7_with(&OsEntropy)
}

/// The next v7 UUID of this process as its 128-bit value (what Python's
/// `uuid.UUID.int` holds), without making its text: the sequence
/// [`ordered_uuid_v7`] draws from, for a caller that builds its own UUID
/// type.
///
/// # Errors
///
/// As [`uuid_v7`].
///
/// # Examples
///
/// ```
/// let a = secrets_kit_tokens::formats::ordered_uuid_v7()?;
/// let b = secrets_kit_tokens::formats::uuid_v7_value()?;
/// assert!(a.value < b);
/// assert_eq!((b >> 76) & 0xf, 7);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn uuid_v7_value() -> Result<u128> {
    PROCESS.uuid_v7_value_at_with(&OsEntropy, unix_millis()?)
}

/// [`ordered_uuid_v7`], its random bits drawn from `source`.
///
/// # Errors
///
/// As [`uuid_v7`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// let id = secrets_kit_tokens::formats::ordered_uuid_v7_with(&secrets_kit::OsEntropy)?;
/// assert_eq!(&id.text[14..15], "7");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn ordered_uuid_v7_with<S: EntropySource + ?Sized>(source: &S) -> Result<OrderedId> {
    PROCESS.uuid_v7_at_with(source, unix_millis()?)
}

/// A ULID: 26 Crockford base32 characters holding the current Unix time in
/// milliseconds (48 bits) and 80 random bits.
///
/// IDs made in one process are strictly increasing (as strings too),
/// within a millisecond too (see the module notes).
///
/// # Errors
///
/// As [`uuid_v7`].
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::ulid()?.len(), 26);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn ulid() -> Result<String> {
    ulid_with(&OsEntropy)
}

/// A ULID whose 80 random bits are 10 bytes of `source`, big-endian after
/// the 48-bit timestamp.
///
/// # Errors
///
/// As [`ulid`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::ulid_with(&secrets_kit::OsEntropy)?.len(), 26);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn ulid_with<S: EntropySource + ?Sized>(source: &S) -> Result<String> {
    ordered_ulid_with(source).map(|id| id.text)
}

/// The next ULID of this process, with its timestamp and how many fresh
/// random bits it has (80 for the first of its millisecond, 32 after).
///
/// # Errors
///
/// As [`ulid`].
///
/// # Examples
///
/// ```
/// let a = secrets_kit_tokens::formats::ordered_ulid()?;
/// let b = secrets_kit_tokens::formats::ordered_ulid()?;
/// assert!(a.text < b.text);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn ordered_ulid() -> Result<OrderedId> {
    ordered_ulid_with(&OsEntropy)
}

/// [`ordered_ulid`], its random bits drawn from `source`.
///
/// # Errors
///
/// As [`ulid`], with `source`'s errors in place of the kernel's.
///
/// # Examples
///
/// ```
/// let id = secrets_kit_tokens::formats::ordered_ulid_with(&secrets_kit::OsEntropy)?;
/// assert_eq!(id.text.len(), 26);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn ordered_ulid_with<S: EntropySource + ?Sized>(source: &S) -> Result<OrderedId> {
    PROCESS.ulid_at_with(source, unix_millis()?)
}

/// The 26-character Crockford base32 form of a 128-bit value, most
/// significant bits first (the first character holds only 3 bits).
pub(super) fn encode_ulid(value: u128) -> String {
    let alphabet = CROCKFORD_ALPHABET.as_bytes();
    (0..26)
        .map(|i| {
            let shift = 125 - 5 * i;
            char::from(alphabet[((value >> shift) & 0x1f) as usize])
        })
        .collect()
}

fn hyphenated(id: uuid::Uuid) -> String {
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    id.hyphenated().encode_lower(&mut buf).to_owned()
}

/// Milliseconds since the Unix epoch, checked to fit the 48-bit field.
fn unix_millis() -> Result<u64> {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|_| {
        Error::invalid(
            "the system clock reads before 1970-01-01; time-based IDs (UUIDv7, ULID) \
             need a Unix time",
        )
    })?;
    let millis = since_epoch.as_millis();
    if millis >= 1 << 48 {
        return Err(Error::new(
            ErrorKind::Overflow,
            "the system clock is past the year 10889, beyond the 48-bit millisecond field \
             of UUIDv7 and ULID",
        ));
    }
    Ok(millis as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulid_encoding_matches_the_spec_layout() {
        assert_eq!(encode_ulid(0), "00000000000000000000000000");
        assert_eq!(encode_ulid(u128::MAX), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        // The spec's example timestamp 1469918176385 ms is "01ARYZ6S41".
        let value = 1_469_918_176_385u128 << 80;
        assert_eq!(&encode_ulid(value)[..10], "01ARYZ6S41");
        assert_eq!(&encode_ulid(value)[10..], "0000000000000000");
    }

    #[test]
    fn uuids_have_version_and_variant() {
        for _ in 0..100 {
            let v4 = uuid::Uuid::parse_str(&uuid_v4().unwrap()).unwrap();
            assert_eq!(v4.get_version_num(), 4);
            assert_eq!(v4.get_variant(), uuid::Variant::RFC4122);
            let v7 = uuid::Uuid::parse_str(&uuid_v7().unwrap()).unwrap();
            assert_eq!(v7.get_version_num(), 7);
            assert_eq!(v7.get_variant(), uuid::Variant::RFC4122);
        }
    }

    #[test]
    fn timestamps_are_now() {
        let before = unix_millis().unwrap();
        let v7 = uuid::Uuid::parse_str(&uuid_v7().unwrap()).unwrap();
        let ulid = ulid().unwrap();
        let after = unix_millis().unwrap();
        let (secs, nanos) = v7.get_timestamp().unwrap().to_unix();
        let v7_millis = secs * 1000 + u64::from(nanos) / 1_000_000;
        assert!((before..=after).contains(&v7_millis));
        let ulid_millis = ulid[..10].bytes().fold(0u64, |acc, c| {
            let digit = CROCKFORD_ALPHABET.bytes().position(|a| a == c).unwrap() as u64;
            acc * 32 + digit
        });
        assert!((before..=after).contains(&ulid_millis));
    }
}
