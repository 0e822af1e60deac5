//! Uniform indices below a bound, many per kernel call.
//!
//! Every generator in [`formats`](super) and the passphrase generator draw
//! their symbols here. A candidate is 1, 2 or 4 random bytes (the fewest that
//! cover the bound), read as an integer `v`; it is accepted when
//! `v < limit`, the largest multiple of the bound that fits, and maps to
//! `v % bound`. Every accepted index is then exactly uniform: no modulo
//! bias. Candidates for the whole request are drawn in one kernel call
//! (more only when rejections use up the slack), instead of one call per
//! symbol.

use zeroize::Zeroize;

use crate::Result;

/// Bytes drawn per kernel call at most. Enough for a 16-symbol token over
/// any alphabet of up to 256 symbols, with slack, in one call; larger
/// requests loop.
const BUFFER: usize = 512;

/// Extra candidates drawn beyond the expected need, so that one call almost
/// always suffices even when several candidates are rejected.
const SLACK: u64 = 8;

/// A sampler of uniform indices in `0..bound`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UniformIndex {
    bound: u32,
    /// Bytes per candidate: 1, 2 or 4.
    width: usize,
    /// Candidates below this are accepted; a multiple of `bound`.
    limit: u64,
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
        let limit = space - space % u64::from(bound);
        UniformIndex {
            bound,
            width,
            limit,
        }
    }

    /// Calls `emit` with `count` uniform indices, drawing from the kernel.
    pub(crate) fn sample(&self, count: usize, emit: impl FnMut(u32)) -> Result<()> {
        self.sample_from(count, crate::sys::fill, emit)
    }

    /// [`sample`](Self::sample) over any byte source, so tests can script
    /// the bytes and reach the rejection branch on purpose.
    pub(crate) fn sample_from(
        &self,
        count: usize,
        mut fill: impl FnMut(&mut [u8]) -> Result<()>,
        mut emit: impl FnMut(u32),
    ) -> Result<()> {
        let mut buffer = [0u8; BUFFER];
        let space = 1u64 << (8 * self.width);
        let mut remaining = count;
        let mut result = Ok(());
        while remaining > 0 {
            // Expected candidates for `remaining` accepted ones, plus slack.
            let wanted = (remaining as u64)
                .saturating_mul(space)
                .div_ceil(self.limit)
                .saturating_add(SLACK);
            let candidates = wanted.min((BUFFER / self.width) as u64) as usize;
            let bytes = &mut buffer[..candidates * self.width];
            if let Err(err) = fill(bytes) {
                result = Err(err);
                break;
            }
            for candidate in bytes.chunks_exact(self.width) {
                let value = candidate
                    .iter()
                    .rev()
                    .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
                if value < self.limit {
                    // `value % bound < bound <= u32::MAX`, so this fits.
                    emit((value % u64::from(self.bound)) as u32);
                    remaining -= 1;
                    if remaining == 0 {
                        break;
                    }
                }
            }
        }
        buffer.zeroize();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Bound 58: 232..=255 must be rejected, 231 maps to 231 % 58 = 57.
        let script = [232u8, 255, 231, 0, 57, 58];
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
        assert_eq!(out, [57, 0, 57, 0]);
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
                    // First call: only rejects (250..=255); then all 3s.
                    buf.fill(if calls == 1 { 250 } else { 3 });
                    Ok(())
                },
                |i| out.push(i),
            )
            .unwrap();
        assert_eq!(calls, 2);
        assert_eq!(out, [3, 3, 3]);
    }

    #[test]
    fn two_byte_candidates_are_little_endian() {
        let mut out = Vec::new();
        UniformIndex::new(7776)
            .sample_from(
                2,
                |buf| {
                    buf.fill(0xff);
                    // 0x0102 = 258 accepted; 0xffff rejected; 0x0001 = 1.
                    buf[..6].copy_from_slice(&[0x02, 0x01, 0xff, 0xff, 0x01, 0x00]);
                    Ok(())
                },
                |i| out.push(i),
            )
            .unwrap();
        assert_eq!(out, [258, 1]);
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
                        buf.fill(0);
                        Ok(())
                    },
                    |_| n += 1,
                )
                .unwrap();
            assert_eq!((calls, n), (1, 16));
        }
    }
}
