//! `rand_core` 0.10 traits, so the kernel source plugs into `rand` and
//! `rand_distr`.
//!
//! Decision: [`SystemRandom`] is infallible (`TryRng<Error = Infallible>`,
//! hence `Rng` and `CryptoRng`). The kernel's random source does not fail on
//! a working Linux, macOS or Windows system once the process runs, and Go's
//! `crypto/rand` makes the same call; a failure panics with the OS error,
//! as [`token_bytes`](crate::token_bytes) does. Callers who must handle a
//! broken source use [`OsEntropy`], whose `TryRng` error is
//! [`Error`](crate::Error).

use core::convert::Infallible;

use rand_core::{TryCryptoRng, TryRng};

use crate::{EntropySource, Error, OsEntropy, SystemRandom};

impl TryRng for SystemRandom<OsEntropy> {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut word = [0u8; 4];
        crate::fill_bytes(&mut word);
        Ok(u32::from_le_bytes(word))
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut word = [0u8; 8];
        crate::fill_bytes(&mut word);
        Ok(u64::from_le_bytes(word))
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        crate::fill_bytes(dst);
        Ok(())
    }
}

impl TryCryptoRng for SystemRandom<OsEntropy> {}

impl TryRng for OsEntropy {
    type Error = Error;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Error> {
        let mut word = [0u8; 4];
        self.fill_bytes(&mut word)?;
        Ok(u32::from_le_bytes(word))
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Error> {
        let mut word = [0u8; 8];
        self.fill_bytes(&mut word)?;
        Ok(u64::from_le_bytes(word))
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Error> {
        self.fill_bytes(dst)
    }
}

impl TryCryptoRng for OsEntropy {}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt as _;
    use rand_core::Rng;

    fn assert_crypto_rng<R: rand_core::CryptoRng>(_: &R) {}
    fn assert_try_crypto_rng<R: TryCryptoRng>(_: &R) {}

    #[test]
    fn plugs_into_rand() {
        let mut rng = SystemRandom::new();
        assert_crypto_rng(&rng);
        assert_try_crypto_rng(&OsEntropy);
        let rolls: Vec<u8> = (0..1000).map(|_| rng.random_range(1..=6)).collect();
        assert!(rolls.iter().all(|r| (1..=6).contains(r)));
        // 1000 fair rolls miss a face with probability 6 * (5/6)^1000 < 1e-78.
        for face in 1..=6 {
            assert!(rolls.contains(&face));
        }
    }

    #[test]
    fn words_differ() {
        let mut rng = SystemRandom::new();
        // Two independent 64-bit draws collide with probability 2^-64.
        assert_ne!(rng.next_u64(), rng.next_u64());
        let mut os = OsEntropy;
        assert_ne!(os.try_next_u64().unwrap(), os.try_next_u64().unwrap());
    }

    #[test]
    fn works_with_rand_distr() {
        use rand_distr::{Distribution, Normal};
        let mut rng = SystemRandom::new();
        let normal = Normal::new(10.0, 1.0).unwrap();
        let n = 20_000;
        let mean = (0..n).map(|_| normal.sample(&mut rng)).sum::<f64>() / n as f64;
        // Standard error 1/sqrt(20000) ~ 0.0071; 0.05 is 7 sigma (p ~ 1e-12).
        assert!((mean - 10.0).abs() < 0.05, "mean {mean}");
    }
}
