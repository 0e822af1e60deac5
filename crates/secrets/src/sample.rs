//! Uniform indices below a bound: the crate's one sampler.
//!
//! Every symbol generator (the token formats, PINs, passwords, passphrases)
//! draws its indices here. A candidate is 1, 2 or 4 random bytes (the fewest that
//! cover the bound), read as an integer `v` below `2^L` (`L` = 8, 16 or 32).
//! It is multiplied by the bound: the high part, `(v * bound) >> L`, is the
//! index, and the candidate is rejected when the low part,
//! `(v * bound) mod 2^L`, is below `2^L mod bound` (Lemire's method, ACM
//! TOMACS 2019). Exactly `floor(2^L / bound)` candidates are accepted for
//! each index, so every index is exactly equally likely: no modulo bias, and
//! no division per symbol. Candidates for a whole request are drawn in one
//! kernel call (more only when rejections use up the slack), instead of one
//! call per symbol.

use zeroize::Zeroize;

use crate::{EntropySource, Result};

/// Bytes drawn per kernel call at most. Enough for a 16-symbol token over
/// any alphabet of up to 256 symbols, with slack, in one call; larger
/// requests loop.
const BUFFER: usize = 512;

/// Extra candidates drawn beyond the expected need, so that one call almost
/// always suffices even when several candidates are rejected.
const SLACK: u64 = 4;

/// A sampler of uniform indices in `0..bound`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UniformIndex {
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

impl UniformIndex {
    /// A sampler for `0..bound`. `bound` must be at least 1.
    pub(crate) fn new(bound: u32) -> Self {
        debug_assert!(bound >= 1);
        let width = match bound {
            0..=0x100 => 1,
            0x101..=0x1_0000 => 2,
            _ => 4,
        };
        let space = 1u64 << (8 * width);
        let threshold = space % u64::from(bound);
        UniformIndex {
            bound,
            width,
            limit: space - threshold,
            threshold,
        }
    }

    /// Calls `emit` with `count` uniform indices drawn from `source`.
    pub(crate) fn sample<S: EntropySource + ?Sized>(
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

    /// A source that runs a closure per fill, so a test can see each call.
    struct Calls<F>(RefCell<F>);

    impl<F: FnMut(&mut [u8]) -> Result<()>> EntropySource for Calls<F> {
        fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
            (self.0.borrow_mut())(dest)
        }
    }

    impl UniformIndex {
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
        let s = UniformIndex::new(2);
        assert_eq!((s.width, s.limit), (1, 256));
        let s = UniformIndex::new(58);
        assert_eq!((s.width, s.limit), (1, 232));
        let s = UniformIndex::new(256);
        assert_eq!((s.width, s.limit), (1, 256));
        let s = UniformIndex::new(257);
        // 65536 = 255 * 257 + 1
        assert_eq!((s.width, s.limit), (2, 65_535));
        let s = UniformIndex::new(7776);
        assert_eq!((s.width, s.limit), (2, 62_208));
        let s = UniformIndex::new(70_000);
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
        UniformIndex::new(58)
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

    #[test]
    fn each_index_has_the_same_number_of_accepted_candidates() {
        // Exhaustive over every 1- and 2-byte candidate.
        for bound in [2u64, 3, 10, 58, 62, 94, 129, 255, 256, 7776] {
            let width = if bound <= 256 { 8 } else { 16 };
            let space = 1u64 << width;
            let threshold = space % bound;
            let mut per_index = vec![0u64; bound as usize];
            for v in 0..space {
                let product = v * bound;
                if product & (space - 1) >= threshold {
                    per_index[(product >> width) as usize] += 1;
                }
            }
            assert!(
                per_index.iter().all(|&n| n == space / bound),
                "bound {bound}"
            );
        }
    }

    #[test]
    fn refills_when_everything_is_rejected() {
        let mut calls = 0;
        let mut out = Vec::new();
        UniformIndex::new(10)
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
        UniformIndex::new(7776)
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
        let got = UniformIndex::new(10).sample_from(5, |_| Err(err.clone()), |_| {});
        assert_eq!(got.unwrap_err(), err);
    }

    #[test]
    fn a_16_symbol_token_takes_one_call() {
        for bound in [2u32, 10, 32, 58, 62, 94, 129, 255] {
            let mut calls = 0;
            let mut n = 0;
            UniformIndex::new(bound)
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
