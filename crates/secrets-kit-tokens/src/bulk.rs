//! Bulk random bytes, megabytes to terabytes, for filling files and disks:
//! keyed by the kernel, faster than reading it.
//!
//! Reading the kernel directly (what [`fill_bytes`](secrets_kit::fill_bytes)
//! does) runs at about 700 MB/s here. This module makes the same kind of
//! bytes several times faster, the way the kernel's own generator does
//! ("fast key erasure"):
//!
//! - The output is a sequence of blocks of [`BLOCK_LEN`] (1 MiB) bytes, the
//!   last one possibly shorter. Each block is the keystream of a cipher
//!   under its own 256-bit key, drawn fresh from the source for that block
//!   and wiped as soon as the block is made. No key ever produces more than
//!   one block, and no generator state outlives its block. Since every key
//!   is fresh, the nonce (or initial counter) stays zero.
//! - The cipher ([`Keystream`]) is AES-256-CTR when the processor has AES
//!   instructions (AES-NI, ARMv8 AES; the `aes` crate picks them, and VAES,
//!   at run time), about twice as fast as ChaCha20 there, and ChaCha20
//!   otherwise, since software AES would be slow.
//! - A request of at most [`DIRECT_MAX`] (64 KiB) bytes through
//!   [`fill`] or [`write_to`] is simply read from the source: the kernel is
//!   as fast as a cipher for so little.
//!
//! So, for a `len`-byte request with `len > DIRECT_MAX`, the output is
//! exactly: for each block in order, 32 key bytes read from the source, then
//! that key's keystream (AES-256 of the 128-bit big-endian counters 0, 1, 2,
//! ..., or ChaCha20 of RFC 8439 with a zero nonce and block counter from 0).
//! The tests replay this from scripted key bytes against models written
//! from the ciphers' definitions.
//!
//! Three ways in:
//!
//! - [`fill`]: a buffer, on the calling thread;
//! - [`write_to`]: `len` bytes to a writer, the blocks made by one worker
//!   thread per core (up to four) and written in order by the caller's
//!   thread. This is what `secrets bytes` runs;
//! - [`BulkStream`]: an endless stream to read from in pieces of any size
//!   (it implements [`std::io::Read`]); any split of the reads gives the
//!   same bytes as one read of the total.
//!
//! [`Bulk`] chooses the cipher and the number of workers; each of its
//! drawing methods has a `_with` form taking the [`EntropySource`] the keys
//! come from.
//!
//! # Security
//!
//! These bytes are as unpredictable as the keys, which come from the kernel
//! (or the source given), but they are a cipher's output rather than the
//! kernel's: prefer [`fill_bytes`](secrets_kit::fill_bytes) and the token
//! functions for keys and tokens, and this module for volume (disk wiping,
//! test data, one-time pads of large files).
//!
//! # Examples
//!
//! ```
//! use std::io::Read as _;
//!
//! // A buffer.
//! let mut image = vec![0u8; 3 << 20];
//! secrets_kit_tokens::bulk::fill(&mut image)?;
//!
//! // A file (here a Vec) of a given size.
//! let mut file = Vec::new();
//! secrets_kit_tokens::bulk::write_to(&mut file, 5_000_000)?;
//! assert_eq!(file.len(), 5_000_000);
//!
//! // A stream, read in pieces.
//! let mut stream = secrets_kit_tokens::bulk::BulkStream::new();
//! let mut piece = [0u8; 4096];
//! stream.read_exact(&mut piece)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Write};
use std::sync::mpsc;

use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit as _, StreamCipher as _};
use zeroize::{Zeroize as _, Zeroizing};

use secrets_kit::buffer::DrawBuffer;
use secrets_kit::{EntropySource, Error, OsEntropy, Result};

/// The length of a block, and so the most output any one key produces:
/// 1 MiB.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::bulk::BLOCK_LEN, 1 << 20);
/// ```
pub const BLOCK_LEN: usize = 1 << 20;

/// The bytes of each block's key, drawn from the source: 32 (256 bits).
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::bulk::KEY_LEN, 32);
/// ```
pub const KEY_LEN: usize = 32;

/// Requests up to this many bytes through [`Bulk::fill`] or
/// [`Bulk::write_to`] are read from the source directly: 64 KiB.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_tokens::bulk::DIRECT_MAX, 64 * 1024);
/// ```
pub const DIRECT_MAX: usize = 64 * 1024;

/// The most worker threads [`Bulk::write_to`] uses; beyond a few, writing
/// is the bottleneck.
const MAX_WORKERS: usize = 4;

/// Blocks each worker may have made ahead of the writer.
const BLOCKS_AHEAD: usize = 2;

/// The cipher whose keystream makes the blocks.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::bulk::Keystream;
///
/// let fastest = Keystream::fastest();
/// assert!(matches!(fastest, Keystream::Aes256Ctr | Keystream::ChaCha20));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Keystream {
    /// AES-256 in counter mode (128-bit big-endian counter from zero).
    Aes256Ctr,
    /// ChaCha20 (RFC 8439), zero nonce, block counter from zero.
    ChaCha20,
}

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;

impl Keystream {
    /// AES-256-CTR when the processor has AES instructions, else ChaCha20.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_tokens::bulk::Keystream;
    ///
    /// println!("bulk bytes use {:?}", Keystream::fastest());
    /// ```
    pub fn fastest() -> Self {
        if has_aes_instructions() {
            Keystream::Aes256Ctr
        } else {
            Keystream::ChaCha20
        }
    }

    /// Overwrites `block` (at most [`BLOCK_LEN`] bytes) with the keystream
    /// under `key`. Both cipher crates' `zeroize` features wipe the cipher
    /// state when it is dropped, here.
    fn write_keystream(self, key: &[u8; KEY_LEN], block: &mut [u8]) {
        // A block is at most 1 MiB, far below either cipher's limit per key
        // and nonce (256 GiB for ChaCha20's 32-bit block counter), so
        // neither can run out.
        match self {
            Keystream::Aes256Ctr => aes256_ctr_keystream(key, block),
            Keystream::ChaCha20 => chacha20_keystream(key, block),
        }
    }

    /// Makes one block: a fresh key from `source`, its keystream over
    /// `block`, the key wiped on return.
    fn fill_block<S: EntropySource + ?Sized>(self, source: &S, block: &mut [u8]) -> Result<()> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        source.fill_bytes(key.as_mut_slice())?;
        self.write_keystream(&key, block);
        Ok(())
    }

    /// Makes one block from a buffer whose first [`KEY_LEN`] bytes hold its
    /// key (put there by the writer thread): the key is moved to a wiped
    /// local, its place in the buffer zeroed, and `buffer[..len]` becomes
    /// the keystream.
    fn fill_keyed_buffer(self, buffer: &mut [u8], len: usize) {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(&buffer[..KEY_LEN]);
        buffer[..KEY_LEN].zeroize();
        self.write_keystream(&key, &mut buffer[..len]);
    }
}

// `write_keystream` writes the keystream itself, rather than XORing it onto
// a zeroed block: no memset, and (measured) the AES-CTR loop this compiles
// to inside this crate runs as fast as the command's own copy did, where
// zeroing plus `apply_keystream` ran about 25% slower.
//
// The key goes to the cipher by reference (`&[u8; 32]` into `&Key`), so no
// unwiped copy of it is left on the stack; the cipher's own copy is wiped
// when it is dropped, at the end of the statement.
fn aes256_ctr_keystream(key: &[u8; KEY_LEN], block: &mut [u8]) {
    Aes256Ctr::new(key.into(), &[0u8; 16].into()).write_keystream(block);
}

fn chacha20_keystream(key: &[u8; KEY_LEN], block: &mut [u8]) {
    ChaCha20::new(key.into(), &[0u8; 12].into()).write_keystream(block);
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

/// How bulk bytes are made: the cipher and, for [`write_to`](Bulk::write_to),
/// the number of worker threads.
///
/// [`Bulk::new`] is what the free functions [`fill`] and [`write_to`] use:
/// [`Keystream::fastest`] and one worker per core, up to four.
///
/// # Examples
///
/// ```
/// use secrets_kit_tokens::bulk::{Bulk, Keystream};
///
/// let chacha = Bulk::new().keystream(Keystream::ChaCha20).workers(1);
/// let mut out = Vec::new();
/// chacha.write_to(&mut out, 2_000_000)?;
/// assert_eq!(out.len(), 2_000_000);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bulk {
    keystream: Keystream,
    workers: usize,
}

impl Default for Bulk {
    fn default() -> Self {
        Bulk::new()
    }
}

impl Bulk {
    /// The fastest cipher on this processor, one worker per core (up to
    /// four).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buf = vec![0u8; 100_000];
    /// secrets_kit_tokens::bulk::Bulk::new().fill(&mut buf)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Bulk {
            keystream: Keystream::fastest(),
            workers: cores.clamp(1, MAX_WORKERS),
        }
    }

    /// The same, with `keystream` as the cipher.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_tokens::bulk::{Bulk, Keystream};
    ///
    /// let mut buf = vec![0u8; 100_000];
    /// Bulk::new().keystream(Keystream::ChaCha20).fill(&mut buf)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn keystream(self, keystream: Keystream) -> Self {
        Bulk { keystream, ..self }
    }

    /// The same, with `workers` worker threads for
    /// [`write_to`](Bulk::write_to) (0 counts as 1; more than 64 as 64).
    /// The bytes do not depend on it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut out = Vec::new();
    /// secrets_kit_tokens::bulk::Bulk::new().workers(1).write_to(&mut out, 3 << 20)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    #[must_use]
    pub fn workers(self, workers: usize) -> Self {
        Bulk {
            workers: workers.clamp(1, 64),
            ..self
        }
    }

    /// Fills `dest` with bulk random bytes, keyed by the kernel, on the
    /// calling thread.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Os`](crate::ErrorKind::Os) error if the kernel's random source fails;
    /// `dest` is then partly written and must not be used.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut disk_image = vec![0u8; 4 << 20];
    /// secrets_kit_tokens::bulk::Bulk::new().fill(&mut disk_image)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill(&self, dest: &mut [u8]) -> Result<()> {
        self.fill_with(&OsEntropy, dest)
    }

    /// [`fill`](Bulk::fill) with the keys (or, up to [`DIRECT_MAX`] bytes,
    /// the bytes themselves) drawn from `source`.
    ///
    /// # Security
    ///
    /// The output is exactly as secret as `source`; see [`EntropySource`].
    ///
    /// # Errors
    ///
    /// Whatever `source` returns; `dest` is then partly written and must not
    /// be used.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_tokens::bulk::{Bulk, Keystream, BLOCK_LEN};
    /// use secrets_kit::{EntropySource, Result};
    ///
    /// /// Every key all zeros: a test source, never for real use.
    /// struct ZeroKeys;
    /// impl EntropySource for ZeroKeys {
    ///     fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
    ///         dest.fill(0);
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let mut two_blocks = vec![0u8; 2 * BLOCK_LEN];
    /// Bulk::new().keystream(Keystream::Aes256Ctr).fill_with(&ZeroKeys, &mut two_blocks)?;
    /// // AES-256 of the zero block under the zero key, then the same again
    /// // for the second block, which has the same (zero) key here.
    /// assert_eq!(two_blocks[..4], [0xdc, 0x95, 0xc0, 0x78]);
    /// assert_eq!(two_blocks[BLOCK_LEN..BLOCK_LEN + 4], [0xdc, 0x95, 0xc0, 0x78]);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill_with<S: EntropySource + ?Sized>(&self, source: &S, dest: &mut [u8]) -> Result<()> {
        if dest.len() <= DIRECT_MAX {
            return source.fill_bytes(dest);
        }
        for block in dest.chunks_mut(BLOCK_LEN) {
            self.keystream.fill_block(source, block)?;
        }
        Ok(())
    }

    /// Writes `len` bulk random bytes to `out`, keyed by the kernel: the
    /// blocks are made by the worker threads, and written in order from
    /// the calling thread with one `write_all` per block. Nothing is
    /// flushed.
    ///
    /// At most two blocks per worker are made ahead of the writer, so
    /// memory stays at a few MiB whatever `len` is.
    ///
    /// # Errors
    ///
    /// The first error of `out`, as it was returned (so a closed pipe is an
    /// [`io::ErrorKind::BrokenPipe`]); or, if the kernel's random source
    /// fails, an [`io::ErrorKind::Other`] error wrapping the library's
    /// [`Error`] (see [`io::Error::get_ref`]); an
    /// [`io::ErrorKind::OutOfMemory`] error if a block buffer cannot be
    /// allocated, or the error of starting a worker thread. Some bytes may
    /// have been written before the error.
    ///
    /// A child process forked by `out` (inside a `write`) gets an error at
    /// its next block rather than the blocks already made for the parent.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut file = Vec::new();
    /// secrets_kit_tokens::bulk::Bulk::new().write_to(&mut file, 3_000_000)?;
    /// assert_eq!(file.len(), 3_000_000);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_to<W: Write + ?Sized>(&self, out: &mut W, len: u64) -> io::Result<()> {
        self.write_to_with(&OsEntropy, out, len)
    }

    /// [`write_to`](Bulk::write_to) with the keys (or, up to [`DIRECT_MAX`]
    /// bytes, the bytes themselves) drawn from `source`, from the calling
    /// thread and in block order, so the output is that of
    /// [`fill_with`](Bulk::fill_with) for the same bytes of `source`,
    /// whatever the number of workers.
    ///
    /// # Security
    ///
    /// The output is exactly as secret as `source`; see [`EntropySource`].
    ///
    /// # Errors
    ///
    /// As for [`write_to`](Bulk::write_to), with `source`'s errors in place
    /// of the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::OsEntropy;
    ///
    /// let mut file = Vec::new();
    /// secrets_kit_tokens::bulk::Bulk::new().write_to_with(&OsEntropy, &mut file, 100)?;
    /// assert_eq!(file.len(), 100);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_to_with<S, W>(&self, source: &S, out: &mut W, len: u64) -> io::Result<()>
    where
        S: EntropySource + ?Sized,
        W: Write + ?Sized,
    {
        if let Ok(small) = usize::try_from(len) {
            if small <= DIRECT_MAX {
                let mut buffer = Zeroizing::new(block_buffer(small)?);
                source.fill_bytes(&mut buffer).map_err(io::Error::other)?;
                return out.write_all(&buffer);
            }
        }
        let blocks = len.div_ceil(BLOCK_LEN as u64);
        let workers = self
            .workers
            .min(usize::try_from(blocks).unwrap_or(usize::MAX));
        // Threads of their own rather than scoped ones (the workers need
        // nothing borrowed): a child forked by `out` must be able to return,
        // and a scope would wait in it for workers that do not exist there.
        let mut lanes = Vec::new();
        let mut handles = Vec::new();
        let started = (0..workers).try_for_each(|_| {
            let (lane, handle) = Lane::start(self.keystream)?;
            lanes.push(lane);
            handles.push(handle);
            Ok(())
        });
        let pid = std::process::id();
        let result = started.and_then(|()| write_blocks(&lanes, source, out, len, pid));
        if std::process::id() != pid {
            // In a child forked by `out`: the workers are the parent's, not
            // ours. Their channels are let go, not dropped: a worker may
            // have been halfway through a send when the parent forked, and
            // dropping a channel waits for that send to finish, which in
            // the child never happens (a hang, seen in the fork tests). The
            // handles are let go too.
            std::mem::forget(lanes);
            std::mem::forget(handles);
            return result;
        }
        // The workers end when their job channels close.
        drop(lanes);
        for handle in handles {
            // A worker only panics if the cipher does, which it cannot for
            // a block of at most 1 MiB; its blocks are then missing and the
            // writer has already reported it.
            let _ = handle.join();
        }
        result
    }

    /// An endless stream of bulk bytes with this cipher, to read in pieces.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_tokens::bulk::{Bulk, Keystream};
    ///
    /// let mut stream = Bulk::new().keystream(Keystream::ChaCha20).stream();
    /// let mut piece = [0u8; 100];
    /// stream.fill(&mut piece)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn stream(&self) -> BulkStream {
        BulkStream {
            keystream: self.keystream,
            block: None,
        }
    }
}

/// A buffer on its way between the writer and a worker, and the length of
/// its block.
type Job = (Zeroizing<Vec<u8>>, usize);

struct Lane {
    job_tx: mpsc::Sender<Job>,
    done_rx: mpsc::Receiver<Job>,
}

impl Lane {
    /// A worker thread that makes the blocks of the jobs it is sent and
    /// sends them back, until its job channel closes.
    fn start(keystream: Keystream) -> io::Result<(Lane, std::thread::JoinHandle<()>)> {
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done_rx) = mpsc::channel::<Job>();
        let handle = std::thread::Builder::new()
            .name("secrets-bulk".to_owned())
            .spawn(move || {
                for (mut buffer, block_len) in job_rx {
                    keystream.fill_keyed_buffer(&mut buffer, block_len);
                    if done_tx.send((buffer, block_len)).is_err() {
                        return;
                    }
                }
            })?;
        Ok((Lane { job_tx, done_rx }, handle))
    }
}

/// The writer's side of [`Bulk::write_to_with`]: keeps `BLOCKS_AHEAD`
/// blocks per worker in flight and writes them in order. Before each block
/// it checks that this is still the process that started: a writer that
/// forks must not let the child write the blocks already made for the
/// parent.
fn write_blocks<S, W>(lanes: &[Lane], source: &S, out: &mut W, len: u64, pid: u32) -> io::Result<()>
where
    S: EntropySource + ?Sized,
    W: Write + ?Sized,
{
    let blocks = len.div_ceil(BLOCK_LEN as u64);
    let workers = lanes.len();
    // Block `index` goes to worker `index % workers`; `ahead` blocks are in
    // flight, so each worker has BLOCKS_AHEAD.
    let ahead = (workers * BLOCKS_AHEAD) as u64;
    for index in 0..blocks.min(ahead) {
        issue(lanes, source, index, len, None)?;
    }
    for index in 0..blocks {
        if std::process::id() != pid {
            return Err(io::Error::other(
                "the process forked while writing bulk random bytes; \
                 the child must not continue the parent's output",
            ));
        }
        let lane = &lanes[lane_of(index, workers)];
        let (buffer, block_len) = lane
            .done_rx
            .recv()
            .map_err(|_| io::Error::other("a bulk-output worker stopped unexpectedly"))?;
        out.write_all(&buffer[..block_len])?;
        if index + ahead < blocks {
            issue(lanes, source, index + ahead, len, Some(buffer))?;
        }
        // Otherwise the buffer is dropped, and wiped, here.
    }
    Ok(())
}

/// A zeroed buffer of `len` bytes, or an error saying it could not be had.
fn block_buffer(len: usize) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    buffer
        .try_reserve_exact(len)
        .map_err(|_| io::Error::from(Error::too_large(len, "a bulk-output block")))?;
    buffer.resize(len, 0);
    Ok(buffer)
}

fn lane_of(index: u64, workers: usize) -> usize {
    // `index % workers < workers`, so it fits.
    usize::try_from(index % workers as u64).unwrap_or(0)
}

/// The length of block `index` of a `len`-byte output.
fn block_len(index: u64, len: u64) -> usize {
    let start = index * BLOCK_LEN as u64;
    // At most BLOCK_LEN, so the conversion cannot truncate.
    usize::try_from((len - start).min(BLOCK_LEN as u64)).unwrap_or(BLOCK_LEN)
}

/// Draws block `index`'s key into the front of a buffer (a recycled one, or
/// a new one) and hands it to the block's worker.
fn issue<S: EntropySource + ?Sized>(
    lanes: &[Lane],
    source: &S,
    index: u64,
    len: u64,
    buffer: Option<Zeroizing<Vec<u8>>>,
) -> io::Result<()> {
    let mut buffer = match buffer {
        Some(buffer) => buffer,
        None => Zeroizing::new(block_buffer(BLOCK_LEN)?),
    };
    source
        .fill_bytes(&mut buffer[..KEY_LEN])
        .map_err(io::Error::other)?;
    lanes[lane_of(index, lanes.len())]
        .job_tx
        .send((buffer, block_len(index, len)))
        .map_err(|_| io::Error::other("a bulk-output worker stopped unexpectedly"))
}

/// Fills `dest` with bulk random bytes ([`Bulk::new`]), keyed by the
/// kernel, on the calling thread.
///
/// # Errors
///
/// An [`ErrorKind::Os`](crate::ErrorKind::Os) error if the kernel's random source fails; `dest`
/// is then partly written and must not be used.
///
/// # Examples
///
/// ```
/// let mut test_data = vec![0u8; 10 << 20];
/// secrets_kit_tokens::bulk::fill(&mut test_data)?;
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn fill(dest: &mut [u8]) -> Result<()> {
    Bulk::new().fill(dest)
}

/// [`fill`] with the keys drawn from `source`: [`Bulk::fill_with`] with
/// [`Bulk::new`].
///
/// # Errors
///
/// Whatever `source` returns; `dest` is then partly written and must not be
/// used.
///
/// # Examples
///
/// ```
/// let mut buf = vec![0u8; 2 << 20];
/// secrets_kit_tokens::bulk::fill_with(&secrets_kit::OsEntropy, &mut buf)?;
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn fill_with<S: EntropySource + ?Sized>(source: &S, dest: &mut [u8]) -> Result<()> {
    Bulk::new().fill_with(source, dest)
}

/// Writes `len` bulk random bytes ([`Bulk::new`]) to `out`, made by one
/// worker thread per core and written in order: what `secrets bytes` does.
///
/// # Errors
///
/// As for [`Bulk::write_to`].
///
/// # Examples
///
/// ```
/// let mut file = Vec::new();
/// secrets_kit_tokens::bulk::write_to(&mut file, 5 << 20)?;
/// assert_eq!(file.len(), 5 << 20);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_to<W: Write + ?Sized>(out: &mut W, len: u64) -> io::Result<()> {
    Bulk::new().write_to(out, len)
}

/// [`write_to`] with the keys drawn from `source`: [`Bulk::write_to_with`]
/// with [`Bulk::new`].
///
/// # Errors
///
/// As for [`Bulk::write_to_with`].
///
/// # Examples
///
/// ```
/// let mut file = Vec::new();
/// secrets_kit_tokens::bulk::write_to_with(&secrets_kit::OsEntropy, &mut file, 100)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_to_with<S, W>(source: &S, out: &mut W, len: u64) -> io::Result<()>
where
    S: EntropySource + ?Sized,
    W: Write + ?Sized,
{
    Bulk::new().write_to_with(source, out, len)
}

/// An endless stream of bulk random bytes, read in pieces of any size.
///
/// The stream is the sequence of blocks described in the [module
/// documentation](self) (with no direct-read case for small requests): any
/// split of the reads gives the same bytes as one read of the total, from
/// the same source. Whole blocks are written straight into the caller's
/// buffer; the rest of a block that a read ends inside is kept, wiped as it
/// is handed out and on drop. Implements [`io::Read`] (drawing from the
/// kernel).
///
/// # Fork safety
///
/// The kept rest of a block and its unread count live in wipe-on-fork
/// memory (a [`DrawBuffer`]): a child forked at any point
/// finds nothing unread, and its next read starts a new block under a
/// fresh key from the kernel. Parent and child never read the same bytes.
///
/// # Examples
///
/// ```
/// use std::io::Read as _;
///
/// let mut stream = secrets_kit_tokens::bulk::BulkStream::new();
/// let mut header = [0u8; 16];
/// stream.fill(&mut header)?;
/// let mut body = Vec::new();
/// stream.by_ref().take(3 << 20).read_to_end(&mut body)?;
/// assert_eq!(body.len(), 3 << 20);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BulkStream {
    keystream: Keystream,
    /// The current block in fork-safe memory, with its unread count; made
    /// at the first read that ends inside a block.
    block: Option<DrawBuffer>,
}

impl std::fmt::Debug for BulkStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the bytes.
        f.debug_struct("BulkStream")
            .field("keystream", &self.keystream)
            .field("block", &self.block)
            .finish_non_exhaustive()
    }
}

impl Default for BulkStream {
    fn default() -> Self {
        BulkStream::new()
    }
}

impl BulkStream {
    /// A stream with the fastest cipher on this processor
    /// ([`Bulk::new`]`.stream()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut stream = secrets_kit_tokens::bulk::BulkStream::new();
    /// let mut buf = [0u8; 64];
    /// stream.fill(&mut buf)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new() -> Self {
        Bulk::new().stream()
    }

    /// Fills `dest` with the stream's next bytes, keyed by the kernel.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::Os`](crate::ErrorKind::Os) error if the kernel's random source fails, or
    /// [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) if the 1 MiB block buffer cannot be
    /// allocated; `dest` is then partly written and must not be used, and
    /// the stream continues at a block boundary.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut stream = secrets_kit_tokens::bulk::BulkStream::new();
    /// let mut buf = vec![0u8; 1_500_000];
    /// stream.fill(&mut buf)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill(&mut self, dest: &mut [u8]) -> Result<()> {
        self.fill_with(&OsEntropy, dest)
    }

    /// [`fill`](BulkStream::fill) with each new block's key drawn from
    /// `source`.
    ///
    /// # Security
    ///
    /// The output is exactly as secret as `source`; see [`EntropySource`].
    ///
    /// # Errors
    ///
    /// Whatever `source` returns, or [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) if the block
    /// buffer cannot be allocated; `dest` is then partly written and must
    /// not be used.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut stream = secrets_kit_tokens::bulk::BulkStream::new();
    /// let mut buf = [0u8; 10];
    /// stream.fill_with(&secrets_kit::OsEntropy, &mut buf)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill_with<S>(&mut self, source: &S, dest: &mut [u8]) -> Result<()>
    where
        S: EntropySource + ?Sized,
    {
        let keyed = Keyed {
            keystream: self.keystream,
            source,
        };
        let block = match &mut self.block {
            Some(block) => block,
            None if dest.len() % BLOCK_LEN == 0 => return keyed.fill_bytes(dest),
            None => self.block.insert(DrawBuffer::with_capacity(BLOCK_LEN)?),
        };
        // The buffer hands out its unread bytes first, then whole blocks
        // straight into `dest`, then refills itself with one block: every
        // request it makes of `keyed` is a whole number of blocks.
        block.fill_with(&keyed, dest)
    }
}

/// A keystream under fresh keys from `source`, one key per block, as an
/// [`EntropySource`] for the stream's [`DrawBuffer`]: each request is a
/// whole number of blocks.
struct Keyed<'s, S: ?Sized> {
    keystream: Keystream,
    source: &'s S,
}

impl<S: EntropySource + ?Sized> EntropySource for Keyed<'_, S> {
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        dest.chunks_mut(BLOCK_LEN)
            .try_for_each(|block| self.keystream.fill_block(self.source, block))
    }
}

impl io::Read for BulkStream {
    /// Fills all of `buf` (never a short read) from the kernel-keyed stream.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.fill(buf)?;
        Ok(buf.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_length_exactly() {
        let len = 5 * BLOCK_LEN as u64 + 7;
        let total: u64 = (0..len.div_ceil(BLOCK_LEN as u64))
            .map(|index| block_len(index, len) as u64)
            .sum();
        assert_eq!(total, len);
        assert_eq!(block_len(5, len), 7);
    }

    /// The key's place in a worker's buffer is wiped even when the block is
    /// shorter than the key.
    #[test]
    fn a_short_block_leaves_no_key_bytes_behind() {
        for keystream in [Keystream::Aes256Ctr, Keystream::ChaCha20] {
            let mut buffer = vec![0xa5u8; 64];
            keystream.fill_keyed_buffer(&mut buffer, 5);
            assert!(buffer[5..KEY_LEN].iter().all(|&b| b == 0), "{keystream:?}");
            assert!(
                buffer[KEY_LEN..].iter().all(|&b| b == 0xa5),
                "{keystream:?}"
            );
        }
    }

    #[test]
    fn whole_blocks_need_no_block_buffer() {
        let mut stream = Bulk::new().stream();
        let mut two = vec![0u8; 2 * BLOCK_LEN];
        stream.fill(&mut two).unwrap();
        assert!(stream.block.is_none());
    }
}
