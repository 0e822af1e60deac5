//! Strictly increasing v7 UUIDs and ULIDs (RFC 9562 section 6.2, method
//! 2, "monotonic random").
//!
//! Each kind keeps, process-wide and under a mutex, the timestamp and the
//! random field of the last ID it made. The next ID:
//!
//! - in a later millisecond than the last, gets a fresh random field (74
//!   bits for a v7 UUID, 80 for a ULID);
//! - in the same millisecond, or when the clock has stepped back, keeps
//!   the last timestamp and adds a random increment from 1 to 2^32 to the
//!   last random field: 32 fresh bits, so the next ID cannot be guessed
//!   from the last one as it could with `+1`;
//! - when that addition would overflow the field, moves its timestamp one
//!   millisecond on (ahead of the clock, as RFC 9562 allows) with a fresh
//!   random field.
//!
//! So no ID is ever smaller than or equal to the one before it, whatever
//! the clock does.
//!
//! # What an ID still hides
//!
//! To someone who has seen the previous ID of the same millisecond, an ID
//! carries the 32 bits of its increment; to anyone else, all of its random
//! field. [`OrderedId::fresh_bits`] says which applies to each ID: 74 or
//! 80 for the first of its millisecond, 32 for the others.

use std::sync::{Mutex, PoisonError};

use zeroize::Zeroize as _;

use super::ids::{ULID_RANDOM_BITS, UUID_V7_RANDOM_BITS};
use secrets_kit::{EntropySource, Error, ErrorKind, Result};

/// Fresh random bits an ID has beyond its predecessor in the same
/// millisecond: the size of the random increment.
///
/// ```
/// assert_eq!(secrets_kit_tokens::formats::INCREMENT_BITS, 32);
/// ```
pub const INCREMENT_BITS: u64 = 32;

/// The largest millisecond a 48-bit timestamp holds.
const MAX_MILLIS: u64 = (1 << 48) - 1;

/// A time-ordered ID and how much of it is fresh randomness.
///
/// # Examples
///
/// ```
/// let id = secrets_kit_tokens::formats::ordered_ulid_with(&secrets_kit::OsEntropy)?;
/// assert_eq!(id.text.len(), 26);
/// assert_eq!(id.value >> 80, u128::from(id.millis));
/// assert!(id.fresh_bits == 80 || id.fresh_bits == 32);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderedId {
    /// The ID as text: a hyphenated lower-case UUID, or 26 Crockford
    /// base32 characters.
    pub text: String,
    /// The ID's 128 bits as one integer, most significant first: what
    /// `text` spells (32 hexadecimal digits, or 26 base32 digits), and for
    /// a UUID what Python's `uuid.UUID.int` holds.
    pub value: u128,
    /// Its 48-bit Unix millisecond timestamp (which may run ahead of the
    /// clock, see the module notes).
    pub millis: u64,
    /// Random bits drawn for this ID: the whole random field (74 or 80) for
    /// the first ID of a millisecond, [`INCREMENT_BITS`] for the others.
    pub fresh_bits: u64,
}

/// The last timestamp and random field of one kind of ID. The random field
/// is as secret as the last ID: wiped on drop, never shown by `Debug`.
struct Last {
    millis: u64,
    random: u128,
    started: bool,
}

impl Drop for Last {
    fn drop(&mut self) {
        self.random.zeroize();
    }
}

/// Monotonic state for v7 UUIDs and ULIDs, each kind on its own.
///
/// The functions [`uuid_v7`](super::uuid_v7), [`ulid`](super::ulid) and
/// their forms share one process-wide `Monotonic`; make your own to replay
/// a clock in a test.
///
/// # Examples
///
/// ```
/// use secrets_kit::OsEntropy;
/// use secrets_kit_tokens::formats::Monotonic;
///
/// let ids = Monotonic::new();
/// let a = ids.ulid_at_with(&OsEntropy, 1_000)?;
/// let b = ids.ulid_at_with(&OsEntropy, 999)?; // the clock stepped back
/// assert!(b.text > a.text);
/// assert_eq!(b.millis, 1_000);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct Monotonic {
    uuid_v7: Mutex<Last>,
    ulid: Mutex<Last>,
}

impl std::fmt::Debug for Monotonic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the state: its random fields are those of the last IDs
        // made, from which the next ones follow within 32 bits.
        f.debug_struct("Monotonic").finish_non_exhaustive()
    }
}

impl Default for Monotonic {
    fn default() -> Self {
        Self::new()
    }
}

/// The state behind the plain functions.
pub(super) static PROCESS: Monotonic = Monotonic::new();

impl Monotonic {
    /// Fresh state: the next ID of each kind starts a new millisecond.
    ///
    /// ```
    /// let _ids = secrets_kit_tokens::formats::Monotonic::new();
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        const START: Last = Last {
            millis: 0,
            random: 0,
            started: false,
        };
        Monotonic {
            uuid_v7: Mutex::new(START),
            ulid: Mutex::new(START),
        }
    }

    /// The next v7 UUID for a clock reading of `now_millis`.
    ///
    /// # Errors
    ///
    /// The source's error; [`ErrorKind::Overflow`] when the timestamp
    /// would pass the 48-bit field (the year 10889).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// let ids = secrets_kit_tokens::formats::Monotonic::new();
    /// let a = ids.uuid_v7_at_with(&OsEntropy, 5)?;
    /// let b = ids.uuid_v7_at_with(&OsEntropy, 5)?;
    /// assert!(a.text < b.text);
    /// assert_eq!((a.fresh_bits, b.fresh_bits), (74, 32));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn uuid_v7_at_with<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        now_millis: u64,
    ) -> Result<OrderedId> {
        let (value, millis, fresh_bits) = self.uuid_v7_fields(source, now_millis)?;
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let text = uuid::Uuid::from_u128(value)
            .hyphenated()
            .encode_lower(&mut buf)
            .to_owned();
        Ok(OrderedId {
            text,
            value,
            millis,
            fresh_bits,
        })
    }

    /// [`uuid_v7_at_with`](Self::uuid_v7_at_with)'s 128-bit value alone
    /// (what Python's `uuid.UUID.int` holds), without making its text:
    /// the same sequence, for a caller that builds its own UUID type.
    ///
    /// # Errors
    ///
    /// As [`uuid_v7_at_with`](Self::uuid_v7_at_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// let ids = secrets_kit_tokens::formats::Monotonic::new();
    /// let a = ids.uuid_v7_value_at_with(&OsEntropy, 5)?;
    /// let b = ids.uuid_v7_at_with(&OsEntropy, 5)?;
    /// assert!(a < b.value);
    /// assert_eq!((a >> 76) & 0xf, 7);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn uuid_v7_value_at_with<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        now_millis: u64,
    ) -> Result<u128> {
        self.uuid_v7_fields(source, now_millis)
            .map(|(value, _, _)| value)
    }

    /// The next v7 UUID's value, timestamp and fresh bits.
    fn uuid_v7_fields<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        now_millis: u64,
    ) -> Result<(u128, u64, u64)> {
        let (millis, random, fresh_bits) =
            next(&self.uuid_v7, source, now_millis, UUID_V7_RANDOM_BITS)?;
        // RFC 9562 section 5.7: unix_ts_ms (48), ver (4) = 7, rand_a (12),
        // var (2) = 0b10, rand_b (62).
        let value = (u128::from(millis) << 80)
            | (0x7 << 76)
            | ((random >> 62) << 64)
            | (0b10 << 62)
            | (random & ((1 << 62) - 1));
        Ok((value, millis, fresh_bits))
    }

    /// The next ULID for a clock reading of `now_millis`.
    ///
    /// # Errors
    ///
    /// As [`uuid_v7_at_with`](Self::uuid_v7_at_with).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    /// let ids = secrets_kit_tokens::formats::Monotonic::new();
    /// let a = ids.ulid_at_with(&OsEntropy, 5)?;
    /// let b = ids.ulid_at_with(&OsEntropy, 6)?;
    /// assert!(a.text < b.text);
    /// assert_eq!((a.fresh_bits, b.fresh_bits), (80, 80));
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn ulid_at_with<S: EntropySource + ?Sized>(
        &self,
        source: &S,
        now_millis: u64,
    ) -> Result<OrderedId> {
        let (millis, random, fresh_bits) = next(&self.ulid, source, now_millis, ULID_RANDOM_BITS)?;
        let value = (u128::from(millis) << 80) | random;
        Ok(OrderedId {
            text: super::ids::encode_ulid(value),
            value,
            millis,
            fresh_bits,
        })
    }
}

/// `random_bits` fresh bits of `source`, big-endian.
fn fresh<S: EntropySource + ?Sized>(source: &S, random_bits: u64) -> Result<u128> {
    let mut bytes = [0u8; 16];
    let len = random_bits.div_ceil(8) as usize;
    source.fill_bytes(&mut bytes[16 - len..])?;
    let value = u128::from_be_bytes(bytes) & ((1 << random_bits) - 1);
    bytes.zeroize();
    Ok(value)
}

/// The next (timestamp, random field, fresh bits) after the state in
/// `last`, for a clock reading of `now`.
fn next<S: EntropySource + ?Sized>(
    last: &Mutex<Last>,
    source: &S,
    now: u64,
    random_bits: u64,
) -> Result<(u64, u128, u64)> {
    // Nothing below panics while holding the lock; should a caller's
    // source panic, the state is still consistent (it is written last).
    let mut last = last.lock().unwrap_or_else(PoisonError::into_inner);
    let limit = 1u128 << random_bits;
    let (millis, random, fresh_bits) = if !last.started || now > last.millis {
        (now, fresh(source, random_bits)?, random_bits)
    } else {
        let mut increment = [0u8; 4];
        source.fill_bytes(&mut increment)?;
        let step = u128::from(u32::from_be_bytes(increment)) + 1;
        increment.zeroize();
        match last.random.checked_add(step).filter(|&r| r < limit) {
            Some(random) => (last.millis, random, INCREMENT_BITS),
            // The field is used up: on to the next millisecond.
            None => (last.millis + 1, fresh(source, random_bits)?, random_bits),
        }
    };
    if millis > MAX_MILLIS {
        return Err(Error::new(
            ErrorKind::Overflow,
            "the timestamp has reached the end of the 48-bit millisecond field of UUIDv7 \
             and ULID (the year 10889)",
        ));
    }
    *last = Last {
        millis,
        random,
        started: true,
    };
    Ok((millis, random, fresh_bits))
}
