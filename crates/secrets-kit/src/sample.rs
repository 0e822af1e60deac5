//! Random bytes to uniform integers: the crate's one sampling module.
//!
//! Every uniform integer the crate makes (`randbelow`, `randbits`,
//! `choice`, `SystemRandom`'s integers and sequence methods, and every
//! symbol of a token format, PIN, password, passphrase or key) comes from
//! one of the two samplers here. Two, because the crate makes two promises:
//!
//! - **Byte-for-byte parity with CPython** where Python has the function.
//!   [`ParityDraw`] is CPython's `getrandbits` and `_randbelow`: for
//!   `below(n)`, with `k` the bit length of `n`, draw `ceil(k / 8)` bytes,
//!   read them big-endian, keep the top `k` bits, and draw again while the
//!   result is `>= n`. Given the same bytes it returns what Python returns,
//!   which `tests/python_parity.rs` checks against Python's own vectors,
//!   and it works unchanged from `u8` to a `BigUint` of any size.
//! - **Only uniformity** for the symbol generators, which Python does not
//!   have. [`Uniform`] is Lemire's multiply-and-reject (ACM TOMACS
//!   2019), batched: one kernel call for a whole token instead of one per
//!   symbol, and no division per symbol. Its bytes are not Python's, and
//!   nothing promises they are.
//!
//! # One proof for both
//!
//! Both draw a candidate `v` uniformly from `0..2^L` (`L` random bits),
//! accept it or not, and map the accepted ones to `0..n`; a rejected
//! candidate is discarded whole and a fresh, independent one drawn. The
//! result is then exactly uniform if and only if every value in `0..n` is
//! the image of the same number `m` of accepted candidates: each value has
//! probability `m / (n * m) = 1 / n`. For the two methods:
//!
//! - CPython's: `L = 8 * ceil(k / 8)`, the value is `v >> (L - k)`, and it
//!   is accepted when below `n`. Each value in `0..n` is the top `k` bits
//!   of exactly `m = 2^(L - k)` candidates.
//! - Lemire's: `L` = 8, 16 or 32, the value is `(v * n) >> L`, and it is
//!   accepted when `(v * n) mod 2^L >= 2^L mod n`. Each value keeps exactly
//!   `m = floor(2^L / n)` candidates (Lemire's lemma: the rejected low
//!   parts remove the one extra candidate from the values that have
//!   `ceil(2^L / n)`).
//!
//! The unit tests below check that count for both samplers with one
//! helper, by feeding the samplers' own code every candidate for many
//! bounds; they check each sampler against a naive model of it (CPython's
//! bits as strings of `0` and `1`, Lemire's with plain division); and
//! `tests/statistics.rs` runs chi-square tests at significance 1e-6 on both
//! (`the_symbol_sampler_is_uniform`, and the `randbelow`, `randint` and
//! `choice` tests).

use crate::{EntropySource, Result};

/// The bytes a `k`-bit draw reads.
#[inline]
const fn bytes_for_bits(k: usize) -> usize {
    k.div_ceil(8)
}

/// An unsigned integer type drawn CPython's way: the primitives and, with
/// the feature `bigint`, `BigUint`.
///
/// Primitive draws are assembled on the stack with `from_be_bytes`; nothing
/// is allocated, and a draw reads only the bytes it needs
/// (`below(1000u32)` asks for 2 bytes).
///
/// `pub` only because the sealed `integer::sealed::Unsigned` builds on it;
/// this module is private, so no caller outside the crate can name it.
pub trait ParityDraw: Sized {
    /// Python's `getrandbits(k)`: `ceil(k / 8)` bytes, big-endian, the top
    /// `k` bits kept. The caller has checked that `k` bits fit the type.
    fn bits<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self>;

    /// Python's `_randbelow(n)`: `k`-bit draws, `k` the bit length of `n`,
    /// until one is below `n`. The caller has checked `n > 0`.
    fn below<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self>;

    /// A uniform value in `0..=max`, reading the same bytes as
    /// `_randbelow(max + 1)` even when `max + 1` does not fit the type.
    fn up_to<S: EntropySource + ?Sized>(source: &S, max: &Self) -> Result<Self>;
}

macro_rules! parity_primitive {
    ($($t:ty),* $(,)?) => {$(
        impl ParityDraw for $t {
            #[inline]
            fn bits<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self> {
                const BYTES: usize = size_of::<$t>();
                debug_assert!(k <= BYTES * 8);
                let len = bytes_for_bits(k);
                if len == 0 {
                    return Ok(0);
                }
                // Leading zero bytes then the draw: from_be_bytes reads the
                // draw as a big-endian number, and the shift keeps its top
                // k bits, as Python's getrandbits does.
                let mut word = [0u8; BYTES];
                source.fill_bytes(&mut word[BYTES - len..])?;
                Ok(<$t>::from_be_bytes(word) >> (8 * len - k))
            }

            #[inline]
            fn below<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self> {
                debug_assert!(*n > 0);
                let k = (<$t>::BITS - n.leading_zeros()) as usize;
                loop {
                    let candidate = Self::bits(source, k)?;
                    if candidate < *n {
                        return Ok(candidate);
                    }
                }
            }

            #[inline]
            fn up_to<S: EntropySource + ?Sized>(source: &S, max: &Self) -> Result<Self> {
                if *max < <$t>::MAX {
                    return Self::below(source, &(*max + 1));
                }
                // `_randbelow(2^BITS)`: (BITS + 1)-bit draws from BITS/8 + 1
                // bytes, shifted right by 7; rejected when bit BITS is set,
                // which is the top bit of the first byte.
                const BYTES: usize = size_of::<$t>();
                let mut draw = [0u8; BYTES + 1];
                loop {
                    source.fill_bytes(&mut draw)?;
                    let head = draw[0];
                    if head & 0x80 != 0 {
                        continue;
                    }
                    let mut tail = [0u8; BYTES];
                    tail.copy_from_slice(&draw[1..]);
                    let tail = <$t>::from_be_bytes(tail);
                    return Ok((<$t>::from(head) << (<$t>::BITS - 7)) | (tail >> 7));
                }
            }
        }
    )*};
}

parity_primitive!(u8, u16, u32, u64, u128, usize);

#[cfg(feature = "bigint")]
mod big {
    use num_bigint::BigUint;
    use num_traits::Zero as _;
    use zeroize::Zeroizing;

    use super::{ParityDraw, bytes_for_bits};
    use crate::{EntropySource, Error, ErrorKind, Result};

    impl ParityDraw for BigUint {
        fn bits<S: EntropySource + ?Sized>(source: &S, k: usize) -> Result<Self> {
            let len = bytes_for_bits(k);
            if len == 0 {
                return Ok(BigUint::zero());
            }
            let mut draw = secret_buffer(len)?;
            source.fill_bytes(&mut draw)?;
            Ok(BigUint::from_bytes_be(&draw) >> (8 * len - k))
        }

        fn below<S: EntropySource + ?Sized>(source: &S, n: &Self) -> Result<Self> {
            debug_assert!(!n.is_zero());
            let k = bit_length(n)?;
            let len = bytes_for_bits(k);
            let shift = 8 * len - k;
            // `draw >> shift < n` exactly when `draw < n << shift`, and
            // `n << shift` has exactly `len` bytes. Comparing the raw bytes
            // keeps every rejected candidate inside the zeroized buffer
            // instead of in BigUint digits, which num-bigint never wipes.
            let limit = (n << shift).to_bytes_be();
            debug_assert_eq!(limit.len(), len);
            let mut draw = secret_buffer(len)?;
            loop {
                source.fill_bytes(&mut draw)?;
                if draw.as_slice() < limit.as_slice() {
                    return Ok(BigUint::from_bytes_be(&draw) >> shift);
                }
            }
        }

        fn up_to<S: EntropySource + ?Sized>(source: &S, max: &Self) -> Result<Self> {
            Self::below(source, &(max + 1u8))
        }
    }

    fn bit_length(n: &BigUint) -> Result<usize> {
        usize::try_from(n.bits()).map_err(|_| {
            Error::new(
                ErrorKind::TooLarge,
                "the bound has more bits than this platform can address; \
                 use a bound below 2^(usize::MAX)",
            )
        })
    }

    /// A zero-filled buffer of `len` bytes that is wiped when dropped, or a
    /// `TooLarge` error instead of an allocation abort.
    fn secret_buffer(len: usize) -> Result<Zeroizing<Vec<u8>>> {
        let mut buffer = crate::token::try_alloc(len, "a random integer")?;
        buffer.resize(len, 0);
        Ok(Zeroizing::new(buffer))
    }
}

pub use lemire::Uniform;

/// Lemire's sampler, which the symbol generators of the crates beside this
/// one use through [`Uniform`].
mod lemire {
    use zeroize::Zeroize;

    use crate::{EntropySource, Result};

    /// Bytes drawn per kernel call at most. Enough for a 16-symbol token over
    /// any alphabet of up to 256 symbols, with slack, in one call; larger
    /// requests loop.
    const BUFFER: usize = 512;

    /// Extra candidates drawn beyond the expected need, so that one call almost
    /// always suffices even when several candidates are rejected.
    const SLACK: u64 = 4;

    /// A sampler of uniform indices in `0..bound`, for symbol generators:
    /// one kernel call draws the candidates for a whole request.
    ///
    /// A candidate is 1, 2 or 4 random bytes (the fewest that cover the bound),
    /// read as a little-endian integer `v` below `2^L` (`L` = 8, 16 or 32). It
    /// is multiplied by the bound: the high part, `(v * bound) >> L`, is the
    /// index, and the candidate is rejected when the low part,
    /// `(v * bound) mod 2^L`, is below `2^L mod bound`. Candidates for a whole
    /// request are drawn in one kernel call (more only when rejections use up
    /// the slack), instead of one call per symbol.
    ///
    /// ```
    /// use secrets_kit::Uniform;
    ///
    /// let symbols = b"abcdefghijklmnopqrstuvwxyz";
    /// let mut token = String::new();
    /// Uniform::new(26)?.sample(&secrets_kit::OsEntropy, 12, |i| {
    ///     token.push(char::from(symbols[i as usize]))
    /// })?;
    /// assert_eq!(token.len(), 12);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[derive(Clone, Copy, Debug)]
    pub struct Uniform {
        bound: u32,
        /// Bytes per candidate: 1, 2 or 4.
        width: usize,
        /// How many of the `2^L` candidates are accepted: a multiple of
        /// `bound`, used to size the draw.
        limit: u64,
        /// Candidates whose low product part is below this are rejected:
        /// `2^L mod bound`.
        threshold: u64,
    }

    impl Uniform {
        /// A sampler for `0..bound`.
        ///
        /// # Errors
        ///
        /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when
        /// `bound` is 0: there is no index to draw.
        ///
        /// ```
        /// assert!(secrets_kit::Uniform::new(0).is_err());
        /// assert!(secrets_kit::Uniform::new(1).is_ok());
        /// ```
        pub fn new(bound: u32) -> Result<Self> {
            if bound == 0 {
                return Err(crate::Error::invalid(
                    "Uniform::new(0): the bound must be at least 1",
                ));
            }
            let width = match bound {
                0..=0x100 => 1,
                0x101..=0x1_0000 => 2,
                _ => 4,
            };
            let space = 1u64 << (8 * width);
            let threshold = space % u64::from(bound);
            Ok(Uniform {
                bound,
                width,
                limit: space - threshold,
                threshold,
            })
        }

        /// Calls `emit` with `count` uniform indices drawn from `source`.
        ///
        /// # Errors
        ///
        /// The source's error, after which `emit` may have been called for
        /// some of the indices.
        ///
        /// ```
        /// let mut seen = Vec::new();
        /// secrets_kit::Uniform::new(6)?.sample(&secrets_kit::OsEntropy, 3, |i| seen.push(i))?;
        /// assert!(seen.len() == 3 && seen.iter().all(|&i| i < 6));
        /// # Ok::<(), secrets_kit::Error>(())
        /// ```
        pub fn sample<S: EntropySource + ?Sized>(
            &self,
            source: &S,
            count: usize,
            mut emit: impl FnMut(u32),
        ) -> Result<()> {
            let mut buffer = [0u8; BUFFER];
            let space = 1u64 << (8 * self.width);
            let mut remaining = count;
            // Only the part of the buffer ever filled needs wiping; wiping all
            // of it (volatile byte stores) would cost more than the draw.
            let mut used = 0;
            let mut result = Ok(());
            while remaining > 0 {
                // Expected candidates for `remaining` accepted ones, plus slack.
                let wanted = (remaining as u64)
                    .saturating_mul(space)
                    .div_ceil(self.limit)
                    .saturating_add(SLACK);
                let candidates = wanted.min((BUFFER / self.width) as u64) as usize;
                let bytes = &mut buffer[..candidates * self.width];
                used = used.max(bytes.len());
                if let Err(err) = source.fill_bytes(bytes) {
                    result = Err(err);
                    break;
                }
                // One loop per width, so each is a tight loop over fixed-size
                // candidates.
                remaining = match self.width {
                    1 => self.accept::<1>(bytes, remaining, &mut emit),
                    2 => self.accept::<2>(bytes, remaining, &mut emit),
                    _ => self.accept::<4>(bytes, remaining, &mut emit),
                };
            }
            buffer[..used].zeroize();
            result
        }

        /// Emits the indices of the accepted `W`-byte candidates in `bytes`,
        /// at most `remaining` of them, and returns how many are still needed.
        #[inline(always)]
        fn accept<const W: usize>(
            &self,
            bytes: &[u8],
            mut remaining: usize,
            emit: &mut impl FnMut(u32),
        ) -> usize {
            let shift = 8 * W as u32;
            let low_mask = (1u64 << shift) - 1;
            let bound = u64::from(self.bound);
            for candidate in bytes.chunks_exact(W) {
                let mut le = [0u8; 8];
                le[..W].copy_from_slice(candidate);
                // `value < 2^32` and `bound <= 2^32`: the product fits.
                let product = u64::from_le_bytes(le) * bound;
                if product & low_mask >= self.threshold {
                    // The high part is below `bound`, so it fits `u32`.
                    emit((product >> shift) as u32);
                    remaining -= 1;
                    if remaining == 0 {
                        break;
                    }
                }
            }
            remaining
        }
    }

    #[cfg(test)]
    mod tests {
        use std::cell::RefCell;

        use super::*;
        use crate::sample::tests::candidates_per_value;

        /// A source that runs a closure per fill, so a test can see each call.
        struct Calls<F>(RefCell<F>);

        impl<F: FnMut(&mut [u8]) -> Result<()>> EntropySource for Calls<F> {
            fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
                (self.0.borrow_mut())(dest)
            }
        }

        impl Uniform {
            fn sample_from(
                &self,
                count: usize,
                fill: impl FnMut(&mut [u8]) -> Result<()>,
                emit: impl FnMut(u32),
            ) -> Result<()> {
                self.sample(&Calls(RefCell::new(fill)), count, emit)
            }
        }

        #[test]
        fn widths_and_limits() {
            let s = Uniform::new(2).unwrap();
            assert_eq!((s.width, s.limit), (1, 256));
            let s = Uniform::new(58).unwrap();
            assert_eq!((s.width, s.limit), (1, 232));
            let s = Uniform::new(256).unwrap();
            assert_eq!((s.width, s.limit), (1, 256));
            let s = Uniform::new(257).unwrap();
            // 65536 = 255 * 257 + 1
            assert_eq!((s.width, s.limit), (2, 65_535));
            let s = Uniform::new(7776).unwrap();
            assert_eq!((s.width, s.limit), (2, 62_208));
            let s = Uniform::new(70_000).unwrap();
            assert_eq!(
                (s.width, s.limit),
                (4, (1u64 << 32) - (1u64 << 32) % 70_000)
            );
        }

        #[test]
        fn rejected_bytes_are_skipped_not_reduced() {
            // Bound 58: threshold 256 mod 58 = 24; 0 and 9 are rejected (low
            // parts 0 and 10), 1 -> 58 >> 8 = 0, 231 -> 13398 >> 8 = 52,
            // 255 -> 57.
            let script = [0u8, 9, 1, 231, 255, 4];
            let mut served = false;
            let mut out = Vec::new();
            Uniform::new(58)
                .unwrap()
                .sample_from(
                    4,
                    |buf| {
                        assert!(!served, "one call must be enough here");
                        served = true;
                        buf.fill(255);
                        buf[..script.len()].copy_from_slice(&script);
                        Ok(())
                    },
                    |i| out.push(i),
                )
                .unwrap();
            assert_eq!(out, [0, 52, 57, 0]);
        }

        /// The sampler's own acceptance of one candidate: the index, or `None`
        /// when it is rejected.
        fn accept_one(sampler: &Uniform, candidate: &[u8]) -> Option<u64> {
            let mut index = None;
            let mut keep = |i| index = Some(u64::from(i));
            match sampler.width {
                1 => sampler.accept::<1>(candidate, 1, &mut keep),
                2 => sampler.accept::<2>(candidate, 1, &mut keep),
                _ => sampler.accept::<4>(candidate, 1, &mut keep),
            };
            index
        }

        #[test]
        fn each_index_has_the_same_number_of_accepted_candidates() {
            // Exhaustive over every 1- and 2-byte candidate.
            for bound in [2u32, 3, 10, 58, 62, 94, 129, 255, 256, 257, 7776, 65_535] {
                let sampler = Uniform::new(bound).unwrap();
                let per_index = candidates_per_value(u64::from(bound), sampler.width, |c| {
                    accept_one(&sampler, c)
                });
                let space = 1u64 << (8 * sampler.width);
                assert_eq!(per_index, space / u64::from(bound), "bound {bound}");
            }
        }

        /// Lemire's method spelled out with plain division: the indices of the
        /// accepted `width`-byte little-endian candidates of `bytes`, in order.
        fn naive_indices(bytes: &[u8], bound: u64, width: usize) -> Vec<u32> {
            let space = 1u128 << (8 * width);
            let threshold = space % u128::from(bound);
            bytes
                .chunks_exact(width)
                .filter_map(|candidate| {
                    let v = candidate
                        .iter()
                        .rev()
                        .fold(0u128, |acc, &b| acc * 256 + u128::from(b));
                    let product = v * u128::from(bound);
                    (product % space >= threshold).then(|| (product / space) as u32)
                })
                .collect()
        }

        proptest::proptest! {
            /// Whatever the kernel serves, the indices are the naive model's
            /// over the bytes of each call, in order: exactly `count` of
            /// them, or the source's error once `stream` runs out.
            #[test]
            fn agrees_with_the_naive_model(
                bound in 1u32..=70_000,
                count in 0usize..300,
                stream in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4096),
            ) {
                let sampler = Uniform::new(bound).unwrap();
                let mut unread = stream.as_slice();
                let mut served = Vec::new();
                let mut out = Vec::new();
                let result = sampler.sample_from(
                    count,
                    |buf| {
                        if buf.len() > unread.len() {
                            return Err(crate::Error::new(crate::ErrorKind::Os, "stream exhausted"));
                        }
                        let (call, rest) = unread.split_at(buf.len());
                        buf.copy_from_slice(call);
                        served.push(call);
                        unread = rest;
                        Ok(())
                    },
                    |i| out.push(i),
                );
                let mut expected = Vec::new();
                for call in &served {
                    let wanted = count - expected.len();
                    expected.extend(
                        naive_indices(call, u64::from(bound), sampler.width)
                            .into_iter()
                            .take(wanted),
                    );
                }
                proptest::prop_assert_eq!(result.is_ok(), expected.len() == count);
                proptest::prop_assert_eq!(out, expected);
            }
        }

        #[test]
        fn refills_when_everything_is_rejected() {
            let mut calls = 0;
            let mut out = Vec::new();
            Uniform::new(10)
                .unwrap()
                .sample_from(
                    3,
                    |buf| {
                        calls += 1;
                        // First call: only a rejected byte (26: 260 mod 256 = 4
                        // < 6); then all 3s (30 >> 8 = 0).
                        buf.fill(if calls == 1 { 26 } else { 3 });
                        Ok(())
                    },
                    |i| out.push(i),
                )
                .unwrap();
            assert_eq!(calls, 2);
            assert_eq!(out, [0, 0, 0]);
        }

        #[test]
        fn two_byte_candidates_are_little_endian() {
            let mut out = Vec::new();
            Uniform::new(7776)
                .unwrap()
                .sample_from(
                    2,
                    |buf| {
                        buf.fill(0xff);
                        // 0x0102 = 258 -> 30; 0x0000 rejected; 0xffff -> 7775.
                        buf[..6].copy_from_slice(&[0x02, 0x01, 0x00, 0x00, 0xff, 0xff]);
                        Ok(())
                    },
                    |i| out.push(i),
                )
                .unwrap();
            assert_eq!(out, [30, 7775]);
        }

        #[test]
        fn source_errors_are_returned() {
            let err = crate::Error::new(crate::ErrorKind::Os, "down");
            let got = Uniform::new(10)
                .unwrap()
                .sample_from(5, |_| Err(err.clone()), |_| {});
            assert_eq!(got.unwrap_err(), err);
        }

        #[test]
        fn a_16_symbol_token_takes_one_call() {
            for bound in [2u32, 10, 32, 58, 62, 94, 129, 255] {
                let mut calls = 0;
                let mut n = 0;
                Uniform::new(bound)
                    .unwrap()
                    .sample_from(
                        16,
                        |buf| {
                            calls += 1;
                            // 1 is accepted for every bound here (its low
                            // product part, the bound, is above the threshold).
                            buf.fill(1);
                            Ok(())
                        },
                        |_| n += 1,
                    )
                    .unwrap();
                assert_eq!((calls, n), (1, 16));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Binary;

    use super::*;
    use crate::test_common::Script;

    /// The lemma both samplers rest on, checked by enumeration: `draw` (a
    /// sampler's own code, fed one candidate of `bytes` bytes) accepts some
    /// candidates and maps them into `0..bound`, every value there getting
    /// the same number of them. Returns that number.
    pub(super) fn candidates_per_value(
        bound: u64,
        bytes: usize,
        mut draw: impl FnMut(&[u8]) -> Option<u64>,
    ) -> u64 {
        let mut per_value = vec![0u64; usize::try_from(bound).unwrap()];
        for v in 0..1u64 << (8 * bytes) {
            if let Some(value) = draw(&v.to_be_bytes()[8 - bytes..]) {
                per_value[usize::try_from(value).unwrap()] += 1;
            }
        }
        let (least, most) = (per_value.iter().min(), per_value.iter().max());
        assert_eq!(least, most, "bound {bound}: unequal counts");
        assert!(per_value[0] > 0, "bound {bound}: nothing accepted");
        per_value[0]
    }

    #[test]
    fn each_value_below_the_bound_has_the_same_number_of_candidates() {
        // Exhaustive over every 1- and 2-byte candidate, in a narrow and a
        // wide type (the same bytes, so the same counts).
        for bound in [
            1u16,
            2,
            3,
            5,
            10,
            58,
            255,
            256,
            257,
            1000,
            7776,
            32_769,
            u16::MAX,
        ] {
            let k = 16 - bound.leading_zeros() as usize;
            let bytes = bytes_for_bits(k);
            let expected = 1u64 << (8 * bytes - k);
            let narrow = candidates_per_value(u64::from(bound), bytes, |c| {
                u16::below(&Script::new(c), &bound).ok().map(u64::from)
            });
            let wide = candidates_per_value(u64::from(bound), bytes, |c| {
                let value = u128::below(&Script::new(c), &u128::from(bound)).ok()?;
                Some(u64::try_from(value).unwrap())
            });
            assert_eq!((narrow, wide), (expected, expected), "bound {bound}");
        }
        // The full range of a type, `_randbelow(2^8)`: 9-bit draws from 2
        // bytes, 2^7 candidates per value.
        let full = candidates_per_value(256, 2, |c| {
            u8::up_to(&Script::new(c), &u8::MAX).ok().map(u64::from)
        });
        assert_eq!(full, 1 << 7);
    }

    #[cfg(feature = "bigint")]
    #[test]
    fn big_integers_have_the_same_number_of_candidates_too() {
        use num_bigint::BigUint;
        for bound in [1u16, 3, 257, 7776, u16::MAX] {
            let k = 16 - bound.leading_zeros() as usize;
            let bytes = bytes_for_bits(k);
            let per_value = candidates_per_value(u64::from(bound), bytes, |c| {
                let value = BigUint::below(&Script::new(c), &BigUint::from(bound)).ok()?;
                Some(u64::try_from(value).unwrap())
            });
            assert_eq!(per_value, 1 << (8 * bytes - k), "bound {bound}");
        }
    }

    /// The first `k` bits of `bytes`, as a string of `0` and `1`.
    fn first_bits(bytes: &[u8], k: usize) -> String {
        let all: String = bytes.iter().map(|b| format!("{b:08b}")).collect();
        all[..k].to_owned()
    }

    /// CPython's `getrandbits(k)` on strings: the first `k` bits of
    /// `ceil(k / 8)` bytes, and the bytes read; `None` when `stream` is too
    /// short.
    fn naive_bits(stream: &[u8], k: usize) -> Option<(String, usize)> {
        let len = k.div_ceil(8);
        (stream.len() >= len).then(|| (first_bits(&stream[..len], k), len))
    }

    /// CPython's `_randbelow(n)` on strings, `n` given in binary: the first
    /// `k`-bit draw (`k` the length of `n`) below `n`, and the bytes read.
    /// Binary strings of one length compare as their numbers do.
    fn naive_below(stream: &[u8], n: &str) -> Option<(String, usize)> {
        let len = n.len().div_ceil(8);
        stream
            .chunks_exact(len)
            .enumerate()
            .map(|(i, draw)| (first_bits(draw, n.len()), (i + 1) * len))
            .find(|(candidate, _)| candidate.as_str() < n)
    }

    /// `m + 1` in binary, from `m` in binary.
    fn successor(m: &str) -> String {
        match m.rfind('0') {
            Some(i) => format!("{}1{}", &m[..i], "0".repeat(m.len() - i - 1)),
            None => format!("1{}", "0".repeat(m.len())),
        }
    }

    /// `got` is the naive model's value, and the script has served
    /// exactly the model's bytes; or both ran out of bytes.
    fn assert_agrees<T: Binary>(
        got: Result<T>,
        naive: Option<(String, usize)>,
        script: &Script,
        stream: &[u8],
    ) {
        match naive {
            Some((bits, used)) => {
                let value = got.expect("the naive model found a value");
                let bits = bits.trim_start_matches('0');
                assert_eq!(
                    format!("{value:b}"),
                    if bits.is_empty() { "0" } else { bits }
                );
                assert_eq!(script.left(), stream.len() - used, "bytes read");
            }
            None => assert!(got.is_err(), "the stream ran out first"),
        }
    }

    /// `bits(k)`, `below(n)` and `up_to(max)` over `stream` against the
    /// naive model.
    fn agrees_with_naive<T: ParityDraw + Binary>(stream: &[u8], k: usize, n: &T, max: &T) {
        let script = Script::new(stream);
        assert_agrees(T::bits(&script, k), naive_bits(stream, k), &script, stream);
        let script = Script::new(stream);
        let naive = naive_below(stream, &format!("{n:b}"));
        assert_agrees(T::below(&script, n), naive, &script, stream);
        let script = Script::new(stream);
        let naive = naive_below(stream, &successor(&format!("{max:b}")));
        assert_agrees(T::up_to(&script, max), naive, &script, stream);
    }

    proptest::proptest! {
        /// Every primitive width, bounds of every bit length, and the full
        /// range of each type.
        #[test]
        fn primitives_read_cpythons_bits(
            stream in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            raw in proptest::prelude::any::<u128>(),
            shift in 0u32..128,
            k in 0usize..=128,
        ) {
            macro_rules! each {
                ($($t:ty),*) => {$(
                    let bits = <$t>::BITS;
                    // The top bits of `raw`, shifted: bounds of every length.
                    let n = ((raw >> (128 - bits)) >> (shift % bits)) as $t;
                    let k = k % (bits as usize + 1);
                    agrees_with_naive(&stream, k, &n.max(1), &n);
                    agrees_with_naive(&stream, k, &n.max(1), &<$t>::MAX);
                )*};
            }
            each!(u8, u16, u32, u64, u128, usize);
        }
    }

    #[cfg(feature = "bigint")]
    proptest::proptest! {
        #[test]
        fn big_integers_read_cpythons_bits(
            stream in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            n in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..40),
            k in 0usize..400,
        ) {
            use num_bigint::BigUint;
            let n = BigUint::from_bytes_be(&n);
            let bound = if num_traits::Zero::is_zero(&n) { BigUint::from(1u8) } else { n.clone() };
            agrees_with_naive(&stream, k, &bound, &n);
        }
    }

    #[test]
    fn full_range_up_to_matches_python_randbelow_of_two_to_the_bits() {
        // _randbelow(256): 9-bit draws; 0xffff -> 511 rejected, 0x0080 -> 1.
        let script = Script::new([0xff, 0xff, 0x00, 0x80]);
        assert_eq!(u8::up_to(&script, &u8::MAX).unwrap(), 1);
        assert_eq!(script.left(), 0);
        // 2^16 - 1 from 0x7f 0xff 0xff: 17 bits = 0xffff.
        let script = Script::new([0x7f, 0xff, 0xff]);
        assert_eq!(u16::up_to(&script, &u16::MAX).unwrap(), u16::MAX);
        let script = Script::new([0x80, 0, 0, 0x00, 0x00, 0x80]);
        assert_eq!(u16::up_to(&script, &u16::MAX).unwrap(), 1);
    }

    #[cfg(feature = "bigint")]
    #[test]
    fn big_below_reads_the_same_bytes_as_primitives() {
        use num_bigint::BigUint;
        let bytes = [0xfa, 0x3e, 0x01, 0x23];
        let small = u32::below(&Script::new(bytes), &1000).unwrap();
        let big = BigUint::below(&Script::new(bytes), &BigUint::from(1000u32)).unwrap();
        assert_eq!(small, 4);
        assert_eq!(big, BigUint::from(4u8));
    }
}
