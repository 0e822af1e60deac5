//! A buffer of random bytes that is safe across `fork`: [`DrawBuffer`].
//!
//! Drawing from the kernel in one large call and handing the bytes out in
//! small pieces saves kernel calls, but a plain buffer is copied by
//! `fork`: the child would hand out the very bytes the parent hands out.
//! Every buffer of drawn bytes in this crate is therefore kept in memory a
//! forked child cannot inherit the contents of:
//!
//! - on Linux 4.14+, a private mapping marked `MADV_WIPEONFORK`: the
//!   kernel gives a child zero-filled pages, however it was forked;
//! - elsewhere (older kernels, other systems), ordinary memory checked
//!   before every use against a fork generation (a `pthread_atfork` child
//!   handler on Linux, and the process id), and zeroed when it changed.
//!
//! Either way the buffer's fill level and read position live *inside* that
//! memory, so in a child they read as zero: the buffer is empty, and the
//! child's next draw refills it from the kernel. The child never serves
//! the parent's bytes, and never serves the wiped zeros as random.
//!
//! The memory is also kept out of core dumps where the system allows
//! (`MADV_DONTDUMP`), every byte is wiped as it is handed out (or at the
//! next call, for the slice [`DrawBuffer::take`] lends), and all of it is
//! wiped when the buffer is dropped.
//!
//! # Which APIs buffer drawn bytes, and why each is safe
//!
//! | API | What it holds between calls | Why a child cannot repeat it |
//! |---|---|---|
//! | [`DrawBuffer`] | up to its capacity of kernel bytes | wipe-on-fork memory, fill level inside it |
//! | `secrets_kit_tokens::bulk::BulkStream` (feature `bulk`) | the unread rest of the current 1 MiB keystream block | the block and its unread count in wipe-on-fork memory; the next block gets a fresh kernel key in the child |
//! | [`TokenBatch`](crate::batch::TokenBatch) | the raw bytes of the batch's tokens not yet given to the callback | in wipe-on-fork memory, so a callback that forks gets fresh tokens in the child |
//! | `secrets_kit_tokens::bulk::write_to` (feature `bulk`) | blocks made ahead by its worker threads | checked against the process id before each block is written: a child (forked by the writer) gets an error, not the parent's blocks |
//!
//! Nothing else keeps drawn bytes between calls: every other function
//! draws what it needs from the kernel (whose vDSO state the kernel itself
//! wipes on fork) and hands it out before returning.
//!
//! One thing no buffer can do: bytes already handed out are the caller's.
//! A slice returned by [`DrawBuffer::take`] borrows the buffer's memory, so
//! a child forked while it is held reads zeros there (it would otherwise
//! hold the parent's bytes); copy what you take before anything can fork.
//!
//! # Examples
//!
//! ```
//! use secrets_kit::buffer::DrawBuffer;
//!
//! // One kernel call for 4096 bytes, then 256 16-byte nonces from it.
//! let mut buffer = DrawBuffer::with_capacity(4096)?;
//! let mut nonces = Vec::new();
//! for _ in 0..256 {
//!     let nonce: [u8; 16] = buffer.take(16)?.try_into().unwrap();
//!     nonces.push(nonce);
//! }
//! nonces.sort_unstable();
//! nonces.dedup();
//! assert_eq!(nonces.len(), 256);
//! # Ok::<(), secrets_kit::Error>(())
//! ```

use zeroize::Zeroize as _;

use crate::entropy::WipeOnFork;
use crate::{EntropySource, Error, ErrorKind, OsEntropy, Result};

/// Bytes at the front of the memory that hold the [`Cursor`].
const HEADER: usize = 24;

/// Where a pool's unread bytes are, stored in its wipe-on-fork memory so
/// that a child reads all zeros: nothing unread, nothing to wipe.
///
/// The unread bytes are `data[pos..end]`; the `last` bytes before `pos`
/// were lent by the latest `take` and are wiped at the next call.
#[derive(Clone, Copy)]
struct Cursor {
    pos: usize,
    end: usize,
    last: usize,
}

impl Cursor {
    const EMPTY: Cursor = Cursor {
        pos: 0,
        end: 0,
        last: 0,
    };

    #[inline]
    fn read(header: &[u8], capacity: usize) -> Cursor {
        let field = |at: usize| match header[at..at + 8].try_into() {
            Ok(word) => usize::try_from(u64::from_ne_bytes(word)).unwrap_or(usize::MAX),
            Err(_) => usize::MAX,
        };
        let cursor = Cursor {
            pos: field(0),
            end: field(8),
            last: field(16),
        };
        // Only this module writes the header, so this always holds; were it
        // ever broken, the pool would count as empty, never read out of
        // bounds.
        if cursor.end <= capacity && cursor.pos <= cursor.end && cursor.last <= cursor.pos {
            cursor
        } else {
            Cursor::EMPTY
        }
    }

    #[inline]
    fn write(self, header: &mut [u8]) {
        header[0..8].copy_from_slice(&(self.pos as u64).to_ne_bytes());
        header[8..16].copy_from_slice(&(self.end as u64).to_ne_bytes());
        header[16..24].copy_from_slice(&(self.last as u64).to_ne_bytes());
    }
}

/// The crate's one fork-safe store of drawn bytes: `capacity` bytes of
/// wipe-on-fork memory with their [`Cursor`] inside. Refilled by whatever
/// its user passes (kernel bytes for [`DrawBuffer`] and [`TokenBatch`](crate::batch::TokenBatch),
/// a keystream block for the bulk stream).
///
/// [`TokenBatch`]: crate::batch::TokenBatch
pub(crate) struct Pool {
    region: WipeOnFork,
}

impl Pool {
    /// A pool of `capacity` bytes (at least 1), empty.
    pub(crate) fn new(capacity: usize) -> Result<Self> {
        let len = capacity
            .max(1)
            .checked_add(HEADER)
            .ok_or_else(|| Error::too_large(capacity, "a buffer of random bytes"))?;
        Ok(Pool {
            region: WipeOnFork::new(len)?,
        })
    }

    #[inline]
    pub(crate) fn capacity(&self) -> usize {
        self.region.len() - HEADER
    }

    pub(crate) fn wiped_by_kernel(&self) -> bool {
        self.region.wiped_by_kernel()
    }

    /// The header, the data, and the cursor with the last lent bytes
    /// already wiped (the caller writes the cursor back).
    #[inline]
    fn open(&mut self) -> (&mut [u8], &mut [u8], Cursor) {
        let capacity = self.capacity();
        let (header, data) = self.region.bytes().split_at_mut(HEADER);
        let mut cursor = Cursor::read(header, capacity);
        if cursor.last > 0 {
            data[cursor.pos - cursor.last..cursor.pos].zeroize();
            cursor.last = 0;
        }
        (header, data, cursor)
    }

    /// Lends the next `n` unread bytes. When fewer are left, the rest is
    /// wiped unused and `refill` writes `data[..refill_len]` first.
    /// Requires `n <= refill_len <= capacity`. The lent bytes are wiped at
    /// the next call (or on drop).
    pub(crate) fn take(
        &mut self,
        n: usize,
        refill_len: usize,
        refill: impl FnOnce(&mut [u8]) -> Result<()>,
    ) -> Result<&mut [u8]> {
        if n > refill_len || refill_len > self.capacity() {
            return Err(Error::invalid(format!(
                "internal: cannot take {n} bytes with refills of {refill_len} \
                 from a buffer of {}",
                self.capacity()
            )));
        }
        let (header, data, mut cursor) = self.open();
        if cursor.end - cursor.pos < n {
            data[cursor.pos..cursor.end].zeroize();
            // Empty before the refill, so that a failed refill leaves it so.
            Cursor::EMPTY.write(header);
            if let Err(err) = refill(&mut data[..refill_len]) {
                data[..refill_len].zeroize();
                return Err(err);
            }
            cursor = Cursor {
                pos: 0,
                end: refill_len,
                last: 0,
            };
        }
        let start = cursor.pos;
        cursor.pos += n;
        cursor.last = n;
        cursor.write(header);
        Ok(&mut data[start..start + n])
    }

    /// Fills `dest` as one stream: the unread bytes first; then the
    /// largest whole number of capacities straight through `whole`; then,
    /// for a tail shorter than the capacity, a `refill` of the whole pool,
    /// of which the tail takes the front. Any split of the calls gives the
    /// bytes of one call for the total, for the same refills. Every byte
    /// served is wiped in the pool.
    pub(crate) fn fill(
        &mut self,
        dest: &mut [u8],
        whole: impl FnOnce(&mut [u8]) -> Result<()>,
        refill: impl FnOnce(&mut [u8]) -> Result<()>,
    ) -> Result<()> {
        let capacity = self.capacity();
        let rest = self.drain_into(dest);
        let cut = rest.len() - rest.len() % capacity;
        let (direct, tail) = rest.split_at_mut(cut);
        if !direct.is_empty() {
            whole(direct)?;
        }
        if tail.is_empty() {
            return Ok(());
        }
        {
            let (header, data, _) = self.open();
            Cursor::EMPTY.write(header);
            if let Err(err) = refill(data) {
                data.zeroize();
                return Err(err);
            }
            Cursor {
                pos: 0,
                end: capacity,
                last: 0,
            }
            .write(header);
        }
        let tail = self.drain_into(tail);
        debug_assert!(tail.is_empty());
        Ok(())
    }

    /// Moves as many unread bytes as fit into `dest`, wiping them in the
    /// pool; returns the part of `dest` still to fill.
    fn drain_into<'d>(&mut self, dest: &'d mut [u8]) -> &'d mut [u8] {
        let (header, data, mut cursor) = self.open();
        let count = (cursor.end - cursor.pos).min(dest.len());
        let (now, later) = dest.split_at_mut(count);
        let served = &mut data[cursor.pos..cursor.pos + count];
        now.copy_from_slice(served);
        served.zeroize();
        cursor.pos += count;
        cursor.write(header);
        later
    }

    /// How many unread bytes the pool holds (0 in a child forked since).
    /// Wipes the unread and the last lent bytes, leaving the pool empty.
    pub(crate) fn clear(&mut self) {
        let (header, data, cursor) = self.open();
        data[cursor.pos..cursor.end].zeroize();
        Cursor::EMPTY.write(header);
    }

    #[cfg(test)]
    pub(crate) fn unread(&mut self) -> usize {
        let (header, _, cursor) = self.open();
        cursor.write(header);
        cursor.end - cursor.pos
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the bytes.
        f.debug_struct("Pool")
            .field("capacity", &self.capacity())
            .field("wiped_by_kernel", &self.wiped_by_kernel())
            .finish_non_exhaustive()
    }
}

/// Random bytes drawn from the kernel in batches of a fixed capacity and
/// handed out in pieces, safe across `fork`: a forked child finds it empty
/// and refills it from the kernel (see the [module documentation](self)).
///
/// Each byte is handed out at most once. Bytes are wiped as they are
/// handed out, and all are wiped on drop. `Debug` shows no bytes.
///
/// # Examples
///
/// ```
/// use secrets_kit::buffer::DrawBuffer;
///
/// let mut buffer = DrawBuffer::with_capacity(1024)?;
/// let id = buffer.take(8)?.to_vec();
/// let mut key = [0u8; 32];
/// buffer.fill(&mut key)?;
/// assert_ne!(id[..], key[..8]);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct DrawBuffer {
    pool: Pool,
}

impl std::fmt::Debug for DrawBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DrawBuffer")
            .field("capacity", &self.pool.capacity())
            .field("wiped_by_kernel", &self.pool.wiped_by_kernel())
            .finish_non_exhaustive()
    }
}

impl DrawBuffer {
    /// An empty buffer that draws `bytes` bytes from the kernel at a time
    /// (rounded up to whole pages in memory). Nothing is drawn until the
    /// first [`take`](DrawBuffer::take) or [`fill`](DrawBuffer::fill).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for a capacity of 0;
    /// [`ErrorKind::TooLarge`] when the memory cannot be had, with the size
    /// in the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{ErrorKind, buffer::DrawBuffer};
    ///
    /// assert_eq!(DrawBuffer::with_capacity(4096)?.capacity(), 4096);
    /// assert_eq!(DrawBuffer::with_capacity(0).unwrap_err().kind(), ErrorKind::InvalidValue);
    /// assert_eq!(DrawBuffer::with_capacity(usize::MAX).unwrap_err().kind(), ErrorKind::TooLarge);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn with_capacity(bytes: usize) -> Result<Self> {
        if bytes == 0 {
            return Err(Error::invalid(
                "a draw buffer's capacity must be at least 1 byte",
            ));
        }
        Ok(DrawBuffer {
            pool: Pool::new(bytes)?,
        })
    }

    /// The number of bytes drawn per refill.
    ///
    /// # Examples
    ///
    /// ```
    /// let buffer = secrets_kit::buffer::DrawBuffer::with_capacity(100)?;
    /// assert_eq!(buffer.capacity(), 100);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn capacity(&self) -> usize {
        self.pool.capacity()
    }

    /// Whether the kernel wipes this buffer in a forked child
    /// (`MADV_WIPEONFORK`, Linux 4.14+); `false` means the fork check
    /// before every use does it. Either way a child never repeats the
    /// parent's bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let buffer = secrets_kit::buffer::DrawBuffer::with_capacity(64)?;
    /// println!("wiped by the kernel on fork: {}", buffer.wiped_by_kernel());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn wiped_by_kernel(&self) -> bool {
        self.pool.wiped_by_kernel()
    }

    /// The next `n` random bytes (`n` at most the capacity). When fewer
    /// than `n` are left, they are wiped unused and the buffer is refilled
    /// from the kernel first.
    ///
    /// The slice borrows the buffer; its bytes are wiped at the next call
    /// or on drop. Copy them before anything can fork: a child reads zeros
    /// there.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `n` exceeds the capacity;
    /// [`ErrorKind::Os`] when the kernel's random source fails (the buffer
    /// is then empty).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buffer = secrets_kit::buffer::DrawBuffer::with_capacity(64)?;
    /// let first = buffer.take(32)?.to_vec();
    /// let second = buffer.take(32)?.to_vec();
    /// assert_ne!(first, second);
    /// assert!(buffer.take(65).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn take(&mut self, n: usize) -> Result<&[u8]> {
        self.take_with(&OsEntropy, n)
    }

    /// [`take`](DrawBuffer::take), refilling from `source`.
    ///
    /// # Security
    ///
    /// The output is exactly as secret as `source`; see [`EntropySource`].
    ///
    /// # Errors
    ///
    /// As for [`take`](DrawBuffer::take), with `source`'s errors in place
    /// of the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{OsEntropy, buffer::DrawBuffer};
    ///
    /// let mut buffer = DrawBuffer::with_capacity(64)?;
    /// assert_eq!(buffer.take_with(&OsEntropy, 10)?.len(), 10);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn take_with<S: EntropySource + ?Sized>(&mut self, source: &S, n: usize) -> Result<&[u8]> {
        let capacity = self.capacity();
        if n > capacity {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("cannot take {n} bytes at once from a draw buffer of {capacity}"),
            ));
        }
        let bytes = self
            .pool
            .take(n, capacity, |data| source.fill_bytes(data))?;
        Ok(bytes)
    }

    /// Fills `dest` (any size) with the next random bytes: the unread
    /// bytes of the buffer first, then whole capacities straight from the
    /// kernel, then the rest from a refill. Any split of the calls gives
    /// the bytes of one call for the total.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] when the kernel's random source fails; `dest` is
    /// then partly written and must not be used.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut buffer = secrets_kit::buffer::DrawBuffer::with_capacity(4096)?;
    /// let mut small = [0u8; 12];
    /// buffer.fill(&mut small)?;
    /// let mut large = vec![0u8; 1 << 20];
    /// buffer.fill(&mut large)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill(&mut self, dest: &mut [u8]) -> Result<()> {
        self.fill_with(&OsEntropy, dest)
    }

    /// [`fill`](DrawBuffer::fill), drawing from `source`.
    ///
    /// # Security
    ///
    /// The output is exactly as secret as `source`; see [`EntropySource`].
    ///
    /// # Errors
    ///
    /// As for [`fill`](DrawBuffer::fill), with `source`'s errors in place of
    /// the kernel's.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{OsEntropy, buffer::DrawBuffer};
    ///
    /// let mut buffer = DrawBuffer::with_capacity(64)?;
    /// let mut dest = [0u8; 100];
    /// buffer.fill_with(&OsEntropy, &mut dest)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill_with<S: EntropySource + ?Sized>(
        &mut self,
        source: &S,
        dest: &mut [u8],
    ) -> Result<()> {
        self.pool.fill(
            dest,
            |direct| source.fill_bytes(direct),
            |data| source.fill_bytes(data),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use proptest::prelude::*;

    use super::*;

    /// A scripted source: byte `i` of its output is `i` as a `u32`'s low
    /// byte mixed with its next, so no two nearby positions look alike.
    /// Counts what it has given.
    #[derive(Default)]
    struct Counter(Cell<u64>);

    fn script(i: u64) -> u8 {
        (i ^ (i >> 8) ^ (i >> 16)) as u8
    }

    impl EntropySource for Counter {
        fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
            for byte in dest {
                *byte = script(self.0.get());
                self.0.set(self.0.get() + 1);
            }
            Ok(())
        }
    }

    /// The naive model: a `Vec` of the source's positions, served in
    /// order; `take` discards what is left when it is too short, `fill`
    /// streams.
    struct Model {
        capacity: u64,
        drawn: u64,
        unread: std::ops::Range<u64>,
    }

    impl Model {
        fn take(&mut self, n: u64) -> Vec<u8> {
            if self.unread.end - self.unread.start < n {
                self.unread = self.drawn..self.drawn + self.capacity;
                self.drawn += self.capacity;
            }
            let start = self.unread.start;
            self.unread.start += n;
            (start..start + n).map(script).collect()
        }

        fn fill(&mut self, n: u64) -> Vec<u8> {
            let from_unread = n.min(self.unread.end - self.unread.start);
            let mut out: Vec<u8> = (self.unread.start..self.unread.start + from_unread)
                .map(script)
                .collect();
            self.unread.start += from_unread;
            let rest = n - from_unread;
            let direct = rest - rest % self.capacity;
            out.extend((self.drawn..self.drawn + direct).map(script));
            self.drawn += direct;
            let tail = rest - direct;
            if tail > 0 {
                self.unread = self.drawn..self.drawn + self.capacity;
                self.drawn += self.capacity;
                out.extend(self.take(tail));
            }
            out
        }
    }

    proptest! {
        /// Any sequence of takes and fills gives what the model gives, and
        /// draws from the source exactly what the model draws.
        #[test]
        fn matches_the_naive_model(
            capacity in 1usize..300,
            ops in prop::collection::vec((any::<bool>(), 0usize..700), 1..40),
        ) {
            let source = Counter::default();
            let mut buffer = DrawBuffer::with_capacity(capacity).unwrap();
            let mut model = Model { capacity: capacity as u64, drawn: 0, unread: 0..0 };
            for (is_take, n) in ops {
                if is_take {
                    let n = n % (capacity + 1);
                    let got = buffer.take_with(&source, n).unwrap().to_vec();
                    prop_assert_eq!(got, model.take(n as u64));
                } else {
                    let mut got = vec![0u8; n];
                    buffer.fill_with(&source, &mut got).unwrap();
                    prop_assert_eq!(got, model.fill(n as u64));
                }
                prop_assert_eq!(source.0.get(), model.drawn);
                prop_assert_eq!(
                    buffer.pool.unread() as u64,
                    model.unread.end - model.unread.start
                );
            }
        }
    }

    #[test]
    fn too_large_a_take_is_an_error_and_changes_nothing() {
        let source = Counter::default();
        let mut buffer = DrawBuffer::with_capacity(10).unwrap();
        buffer.take_with(&source, 3).unwrap();
        let err = buffer.take_with(&source, 11).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert_eq!(
            buffer.take_with(&source, 7).unwrap(),
            &[3, 4, 5, 6, 7, 8, 9].map(script)
        );
        assert_eq!(source.0.get(), 10);
    }

    #[test]
    fn handed_out_bytes_are_wiped_in_the_buffer() {
        let mut buffer = DrawBuffer::with_capacity(100).unwrap();
        let taken = buffer.take(40).unwrap().to_vec();
        let mut filled = [0u8; 30];
        buffer.fill(&mut filled).unwrap();
        // The take was wiped at the fill; the fill's bytes as it served them.
        let data = &buffer.pool.region.bytes()[HEADER..];
        assert!(data[..70].iter().all(|&b| b == 0));
        assert!(data[70..100].iter().any(|&b| b != 0));
        assert!(taken.iter().any(|&b| b != 0));
    }

    struct Failing;

    impl EntropySource for Failing {
        fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
            dest.fill(0xee);
            Err(Error::from_os(5, "test"))
        }
    }

    #[test]
    fn a_failed_refill_leaves_the_buffer_empty_and_wiped() {
        let mut buffer = DrawBuffer::with_capacity(16).unwrap();
        assert_eq!(
            buffer.take_with(&Failing, 4).unwrap_err().kind(),
            ErrorKind::Os
        );
        assert_eq!(buffer.pool.unread(), 0);
        let mut dest = [0u8; 5];
        assert!(buffer.fill_with(&Failing, &mut dest).is_err());
        assert_eq!(buffer.pool.unread(), 0);
        assert!(buffer.pool.region.bytes().iter().all(|&b| b == 0));
    }

    #[test]
    fn debug_shows_no_bytes() {
        let mut buffer = DrawBuffer::with_capacity(32).unwrap();
        buffer.take(1).unwrap();
        let shown = format!("{buffer:?}");
        assert!(shown.starts_with("DrawBuffer { capacity: 32, wiped_by_kernel: "));
        assert!(shown.len() < 70, "{shown}");
    }
}
