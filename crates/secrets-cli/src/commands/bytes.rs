//! `bytes SIZE`: bulk random bytes to standard output, for filling files and
//! disks, at least as fast as `openssl rand`.
//!
//! # Where the bytes come from
//!
//! Small requests (up to [`KERNEL_DIRECT_MAX`]) are read straight from the
//! kernel. Larger ones are cut into blocks of at most [`KEY_PERIOD`] bytes;
//! each block is a keystream under its own 256-bit key, drawn fresh from the
//! kernel for that block and wiped when the block is done. This is the "fast
//! key erasure" design the Linux kernel itself uses: no key ever produces
//! more than one MiB, and no generator state outlives its block, let alone
//! the command. Since every key is fresh, the nonce (or initial counter) can
//! stay zero.
//!
//! The keystream is AES-256-CTR when the processor has AES instructions
//! (AES-NI, ARMv8 AES; the `aes` crate picks them, and VAES, at run time),
//! which is about twice as fast as ChaCha20 here, and ChaCha20 (the
//! `chacha20` crate) otherwise, since software AES would be slow.
//!
//! One core is not quite enough to beat `openssl rand`, so the blocks are
//! made by one worker thread per core (up to [`MAX_WORKERS`]); the main
//! thread writes them to standard output in order. Worker `w` makes blocks
//! `w`, `w + workers`, ..., so each worker has its own channel and the writer
//! takes from them in turn.

use std::io::{self, IsTerminal as _, Write};
use std::sync::mpsc;

use anyhow::{Context as _, Result, anyhow};
use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit as _, StreamCipher as _};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use zeroize::Zeroizing;

use crate::output::{self, WRITE_CONTEXT};

/// The most keystream any one key produces: 1 MiB.
pub(crate) const KEY_PERIOD: usize = 1 << 20;

/// Requests up to this size are read from the kernel directly.
pub(crate) const KERNEL_DIRECT_MAX: u64 = 64 * 1024;

/// The most worker threads; beyond a few, writing is the bottleneck.
const MAX_WORKERS: usize = 4;

/// Blocks each worker may have made ahead of the writer.
const BLOCKS_AHEAD: usize = 2;

/// From this size on, a terminal on standard error shows a progress bar.
const PROGRESS_MIN: u64 = 64 * 1024 * 1024;

#[derive(Debug, Args)]
pub(crate) struct BytesArgs {
    /// How many bytes: a whole number with an optional suffix, K M G T
    /// (1024-based, also KiB MiB GiB TiB) or KB MB GB TB (1000-based).
    #[arg(value_name = "SIZE", value_parser = crate::size::parse_size)]
    size: u64,

    /// Write raw bytes even when standard output is a terminal.
    #[arg(long)]
    force: bool,

    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

/// The keystream generator of the `bytes` command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keystream {
    /// AES-256 in counter mode (128-bit big-endian counter from zero).
    Aes256Ctr,
    /// ChaCha20 (RFC 8439), zero nonce.
    ChaCha20,
}

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;

impl Keystream {
    /// AES-256-CTR when the processor has AES instructions, else ChaCha20.
    pub(crate) fn fastest() -> Self {
        if has_aes_instructions() {
            Keystream::Aes256Ctr
        } else {
            Keystream::ChaCha20
        }
    }

    /// Fills `block` with the keystream under a fresh kernel key. The key
    /// and the cipher state are wiped on return (both crates' `zeroize`
    /// features wipe the cipher state on drop).
    fn fill(self, block: &mut [u8]) -> Result<()> {
        let mut key = Zeroizing::new([0u8; 32]);
        secrets::try_fill_bytes(key.as_mut_slice())?;
        // The keystream XORed onto zeros is the keystream. A block is at
        // most 1 MiB, far below either cipher's limit per key and nonce
        // (256 GiB for ChaCha20's 32-bit block counter), so neither can run
        // out.
        block.fill(0);
        match self {
            Keystream::Aes256Ctr => {
                Aes256Ctr::new(&(*key).into(), &[0u8; 16].into()).apply_keystream(block);
            }
            Keystream::ChaCha20 => {
                ChaCha20::new(&(*key).into(), &[0u8; 12].into()).apply_keystream(block);
            }
        }
        Ok(())
    }
}

fn has_aes_instructions() -> bool {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        std::arch::is_x86_feature_detected!("aes")
    }
    #[cfg(all(target_arch = "aarch64", any(target_os = "linux", target_os = "macos")))]
    {
        std::arch::is_aarch64_feature_detected!("aes")
    }
    #[cfg(not(any(
        target_arch = "x86",
        target_arch = "x86_64",
        all(target_arch = "aarch64", any(target_os = "linux", target_os = "macos"))
    )))]
    {
        false
    }
}

/// The length of block `index` of a `size`-byte stream.
fn block_len(index: u64, size: u64) -> usize {
    let start = index * KEY_PERIOD as u64;
    // At most KEY_PERIOD, so the conversion cannot truncate.
    usize::try_from((size - start).min(KEY_PERIOD as u64)).unwrap_or(KEY_PERIOD)
}

/// A block on its way from a worker to the writer.
type Block = Result<(Zeroizing<Vec<u8>>, usize)>;

/// Writes `size` random bytes to `out`, calling `progress` after each block.
///
/// # Errors
///
/// When the kernel's random source fails or `out` cannot be written.
pub(crate) fn write_random(
    size: u64,
    keystream: Keystream,
    out: &mut impl Write,
    mut progress: impl FnMut(u64),
) -> Result<()> {
    if size <= KERNEL_DIRECT_MAX {
        let len = usize::try_from(size).unwrap_or(0);
        let mut buffer = Zeroizing::new(vec![0u8; len]);
        secrets::try_fill_bytes(&mut buffer)?;
        out.write_all(&buffer).context(WRITE_CONTEXT)?;
        progress(size);
        return Ok(());
    }
    let blocks = size.div_ceil(KEY_PERIOD as u64);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = cores
        .clamp(1, MAX_WORKERS)
        .min(usize::try_from(blocks).unwrap_or(MAX_WORKERS));
    std::thread::scope(|scope| {
        let mut lanes = Vec::with_capacity(workers);
        for worker in 0..workers {
            let (full_tx, full_rx) = mpsc::sync_channel::<Block>(BLOCKS_AHEAD);
            let (free_tx, free_rx) = mpsc::channel::<Zeroizing<Vec<u8>>>();
            for _ in 0..BLOCKS_AHEAD {
                // The receiver is alive: it is right here.
                let _ = free_tx.send(Zeroizing::new(vec![0u8; KEY_PERIOD]));
            }
            scope.spawn(move || {
                let mut index = worker as u64;
                while index < blocks {
                    // Both channels fail only once the writer has stopped.
                    let Ok(mut buffer) = free_rx.recv() else {
                        return;
                    };
                    let len = block_len(index, size);
                    let block = keystream.fill(&mut buffer[..len]).map(|()| (buffer, len));
                    if full_tx.send(block).is_err() {
                        return;
                    }
                    index += workers as u64;
                }
            });
            lanes.push((full_rx, free_tx));
        }
        for index in 0..blocks {
            let (full_rx, free_tx) = &lanes[usize::try_from(index % workers as u64).unwrap_or(0)];
            let (buffer, len) = full_rx
                .recv()
                .map_err(|_| anyhow!("a random-block worker stopped unexpectedly"))??;
            out.write_all(&buffer[..len]).context(WRITE_CONTEXT)?;
            progress(len as u64);
            // A worker that has finished has dropped its receiver; then the
            // buffer is simply dropped (and wiped) here.
            let _ = free_tx.send(buffer);
        }
        // Dropping `lanes` on any return unblocks the workers, and the scope
        // waits for them.
        Ok(())
    })
}

fn progress_bar(size: u64, enabled: bool) -> ProgressBar {
    if !enabled || size < PROGRESS_MIN || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    if let Ok(style) = ProgressStyle::with_template(
        "{bytes}/{total_bytes} [{wide_bar}] {binary_bytes_per_sec}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// `bytes SIZE`.
pub(crate) fn run(args: &BytesArgs) -> Result<()> {
    output::check_raw_stdout(args.force)?;
    let bar = progress_bar(args.size, !args.no_progress);
    let mut out = output::raw_stdout();
    let result = write_random(args.size, Keystream::fastest(), &mut out, |done| {
        bar.inc(done)
    })
    .and_then(|()| out.flush().context(WRITE_CONTEXT));
    bar.finish_and_clear();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_size_exactly() {
        let size = 5 * KEY_PERIOD as u64 + 7;
        let total: u64 = (0..size.div_ceil(KEY_PERIOD as u64))
            .map(|index| block_len(index, size) as u64)
            .sum();
        assert_eq!(total, size);
        assert_eq!(block_len(5, size), 7);
    }

    /// Counts the distinct 64-byte chunks of the output: with fresh keys per
    /// block (and per worker) no chunk may repeat. A repeat among these ~80k
    /// chunks of 512 bits by chance has probability below 2^-480.
    #[test]
    fn every_size_is_written_exactly_and_blocks_differ() {
        let sizes = [0, 1, 65_536, 65_537, KEY_PERIOD as u64 * 5 + 12_345];
        for (size, keystream) in sizes
            .into_iter()
            .flat_map(|size| [(size, Keystream::Aes256Ctr), (size, Keystream::ChaCha20)])
        {
            let mut out = Vec::new();
            let mut reported = 0;
            write_random(size, keystream, &mut out, |n| reported += n).unwrap();
            assert_eq!(out.len() as u64, size);
            assert_eq!(reported, size);
            let mut chunks: Vec<&[u8]> = out.chunks_exact(64).collect();
            let before = chunks.len();
            chunks.sort_unstable();
            chunks.dedup();
            assert_eq!(
                chunks.len(),
                before,
                "a 64-byte chunk repeated at size {size}"
            );
        }
    }

    /// The keystreams are the plain ciphers, used as documented: known
    /// answers for the all-zero key (RFC 8439 appendix A.1, test vector 1
    /// for ChaCha20; AES-256 of the zero block for the first counter block).
    #[test]
    fn keystreams_match_known_answers() {
        let mut chacha = [0u8; 64];
        ChaCha20::new(&[0u8; 32].into(), &[0u8; 12].into()).apply_keystream(&mut chacha);
        assert_eq!(
            const_hex::encode(chacha),
            "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7\
             da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
        );
        let mut aes_ctr = [0u8; 16];
        Aes256Ctr::new(&[0u8; 32].into(), &[0u8; 16].into()).apply_keystream(&mut aes_ctr);
        assert_eq!(
            const_hex::encode(aes_ctr),
            "dc95c078a2408989ad48a21492842087"
        );
    }

    #[test]
    fn a_failed_write_stops_the_workers_and_reports() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::StorageFull))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write_random(64 << 20, Keystream::fastest(), &mut Full, |_| {}).unwrap_err();
        assert!(format!("{err:#}").contains("standard output"), "{err:#}");
    }
}
