//! The one place the workspace opens and reads files: whole files (word
//! lists, site rules files, and the command's inputs) with a size cap that
//! is checked while reading.
//!
//! [`read_capped`] reads a file, [`read_capped_from`] any reader (standard
//! input). Both read at most `cap + 1` bytes, so `/dev/zero` or a 50 GiB
//! file is refused without filling memory first, and both return the bytes
//! in a buffer that is wiped when dropped ([`Zeroizing`]): the command reads
//! secrets with them (`compare-digest --file-a`), and a buffer that grows is
//! copied by hand into a larger one, the old one wiped, so no copy of what
//! was read is left behind in freed memory. Every buffer is allocated
//! fallibly: memory that cannot be had is an
//! [`ErrorKind::TooLarge`] error, not an abort.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_gen::read::{MAX_FILE_BYTES, read_capped};
//!
//! let path = std::env::temp_dir().join(format!("read-doc-{}.txt", std::process::id()));
//! std::fs::write(&path, "red\ngreen\n")?;
//! let bytes = read_capped(&path, MAX_FILE_BYTES, "the colours")?;
//! assert_eq!(&bytes[..], b"red\ngreen\n");
//! let err = read_capped(&path, 4, "the colours").unwrap_err();
//! assert_eq!(err.kind(), secrets_kit::ErrorKind::TooLarge);
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{ErrorKind as IoErrorKind, Read};
use std::path::Path;

use secrets_kit::{Error, ErrorKind, Result};
use zeroize::Zeroizing;

/// The cap on every file the library and the command read whole: 16 MiB,
/// over ten times the largest word lists in use (a full system dictionary
/// is about 1 MB; Apple's site rules file is about 64 KB), small enough to
/// hold in memory.
///
/// # Examples
///
/// ```
/// assert_eq!(secrets_kit_gen::read::MAX_FILE_BYTES, 16 << 20);
/// ```
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The first buffer when the size is not known in advance (a pipe).
const FIRST_CHUNK: usize = 8 << 10;

/// Reads the whole file at `path`, refusing more than `cap` bytes.
///
/// `what` names the contents in errors, which then name the file too:
/// `"the word list"` gives "cannot read the word list 'words.txt'" (with
/// the `io::Error` as the [`source`](std::error::Error::source), not in the
/// message) and "the word list 'words.txt' is larger than 16 MiB ...".
///
/// # Errors
///
/// - [`ErrorKind::Io`] when the file cannot be opened or read; the
///   `io::Error` is the error's source;
/// - [`ErrorKind::TooLarge`] when it holds more than `cap` bytes (found
///   after reading at most `cap + 1`), or memory for it cannot be had.
///
/// # Examples
///
/// ```
/// use std::error::Error as _;
/// use secrets_kit_gen::read::{MAX_FILE_BYTES, read_capped};
///
/// let err = read_capped("no/such/file", MAX_FILE_BYTES, "the word list").unwrap_err();
/// assert_eq!(err.kind(), secrets_kit::ErrorKind::Io);
/// assert_eq!(err.to_string(), "cannot read the word list 'no/such/file'");
/// assert!(err.source().is_some()); // the io::Error saying why
/// ```
pub fn read_capped(path: impl AsRef<Path>, cap: u64, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let path = path.as_ref();
    let named = format!("{what} '{}'", path.display());
    let file = std::fs::File::open(path).map_err(|err| cannot_read(&named, err))?;
    // A directory opens on Unix but fails to read; its length says nothing.
    let len = file
        .metadata()
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|meta| meta.len());
    read_capped_from(file, len, cap, &named)
}

/// Reads all of `reader`, refusing more than `cap` bytes; `size_hint` (a
/// file's length, when known) sizes the buffer up front. `what` names the
/// input in errors, whole: `"the items on standard input"`.
///
/// # Errors
///
/// As [`read_capped`]: [`ErrorKind::Io`] with the `io::Error` as the
/// source, [`ErrorKind::TooLarge`] past the cap.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::read::read_capped_from;
///
/// let bytes = read_capped_from(&b"abc"[..], None, 3, "the input")?;
/// assert_eq!(&bytes[..], b"abc");
/// // An endless reader is refused after cap + 1 bytes.
/// let err = read_capped_from(std::io::repeat(0), None, 1000, "the input").unwrap_err();
/// assert_eq!(err.to_string(), "the input is larger than 1000 bytes, the most that is read");
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn read_capped_from(
    mut reader: impl Read,
    size_hint: Option<u64>,
    cap: u64,
    what: &str,
) -> Result<Zeroizing<Vec<u8>>> {
    // At most `limit` bytes are read: one past the cap shows it is passed.
    let limit = usize::try_from(cap.saturating_add(1)).unwrap_or(usize::MAX);
    let first = match size_hint {
        // Room for the whole file and the one byte that says it ended.
        Some(len) => usize::try_from(len.saturating_add(1)).unwrap_or(usize::MAX),
        None => FIRST_CHUNK,
    };
    let mut buffer = with_room(Vec::new(), first.clamp(1, limit), what)?;
    while buffer.len() < limit {
        if buffer.len() == buffer.capacity() {
            let larger = buffer.capacity().saturating_mul(2).min(limit);
            buffer = with_room(std::mem::take(&mut *buffer), larger, what)?;
        }
        let start = buffer.len();
        // Zeros up to the capacity (no reallocation), read into them, then
        // drop what was not read.
        let end = buffer.capacity().min(limit);
        buffer.resize(end, 0);
        match reader.read(&mut buffer[start..]) {
            Ok(0) => {
                buffer.truncate(start);
                break;
            }
            Ok(read) => buffer.truncate(start + read),
            Err(err) if err.kind() == IoErrorKind::Interrupted => buffer.truncate(start),
            Err(err) => return Err(cannot_read(what, err)),
        }
    }
    if buffer.len() as u64 > cap {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "{what} is larger than {}, the most that is read",
                describe(cap)
            ),
        ));
    }
    Ok(buffer)
}

/// `old`'s bytes in a new buffer of capacity `room`; `old` is wiped as it
/// is dropped.
fn with_room(old: Vec<u8>, room: usize, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let old = Zeroizing::new(old);
    let mut new = Zeroizing::new(Vec::new());
    new.try_reserve_exact(room)
        .map_err(|_| Error::too_large(room, what))?;
    new.extend_from_slice(&old);
    Ok(new)
}

fn cannot_read(what: &str, err: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot read {what}")).with_cause(err)
}

/// A cap for people: "16 MiB (16777216 bytes)", "1000 bytes".
fn describe(cap: u64) -> String {
    const MIB: u64 = 1 << 20;
    const KIB: u64 = 1 << 10;
    if cap >= MIB && cap % MIB == 0 {
        format!("{} MiB ({cap} bytes)", cap / MIB)
    } else if cap >= KIB && cap % KIB == 0 {
        format!("{} KiB ({cap} bytes)", cap / KIB)
    } else {
        format!("{cap} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    /// A reader that hands out `data` a few bytes at a time, with an
    /// interruption between reads.
    struct Trickle<'a> {
        data: &'a [u8],
        interrupt: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.interrupt = !self.interrupt;
            if self.interrupt {
                return Err(IoErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.data.len()).min(7);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_cap_is_exact_and_checked_while_reading() {
        let data: Vec<u8> = (0..=255u8).cycle().take(20_000).collect();
        for (hint, cap) in [(None, 20_000), (Some(20_000), 20_000), (Some(3), 20_000)] {
            let read = read_capped_from(&data[..], hint, cap, "data").unwrap();
            assert_eq!(&read[..], &data[..], "{hint:?}");
        }
        let err = read_capped_from(&data[..], None, 19_999, "data").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(
            err.to_string(),
            "data is larger than 19999 bytes, the most that is read"
        );
        // An endless reader ends after cap + 1 bytes.
        let err = read_capped_from(std::io::repeat(1), None, 1 << 20, "zeros").unwrap_err();
        assert_eq!(
            err.to_string(),
            "zeros is larger than 1 MiB (1048576 bytes), the most that is read"
        );
        // An empty input and a zero cap.
        assert!(
            read_capped_from(&b""[..], None, 0, "empty")
                .unwrap()
                .is_empty()
        );
        assert!(read_capped_from(&b"x"[..], None, 0, "one").is_err());
    }

    #[test]
    fn short_and_interrupted_reads_are_joined() {
        let data: Vec<u8> = (0..100).collect();
        let reader = Trickle {
            data: &data,
            interrupt: false,
        };
        let read = read_capped_from(reader, None, 100, "trickle").unwrap();
        assert_eq!(&read[..], &data[..]);
    }

    #[test]
    fn read_errors_state_the_cause_once() {
        let err = read_capped("no/such/dir/file", MAX_FILE_BYTES, "the list").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        assert_eq!(err.to_string(), "cannot read the list 'no/such/dir/file'");
        let cause = err.source().unwrap();
        let io = cause.downcast_ref::<std::io::Error>().unwrap();
        assert_eq!(io.kind(), IoErrorKind::NotFound);
        assert!(cause.source().is_none());
    }

    #[test]
    #[cfg(unix)]
    fn a_directory_is_an_io_error_and_dev_zero_is_too_large() {
        let err = read_capped("/", MAX_FILE_BYTES, "the list").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        assert_eq!(err.to_string(), "cannot read the list '/'");
        assert!(err.source().is_some());
        let err = read_capped("/dev/zero", 1000, "the list").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(
            err.to_string(),
            "the list '/dev/zero' is larger than 1000 bytes, the most that is read"
        );
    }

    #[test]
    fn caps_are_described_for_people() {
        assert_eq!(describe(16 << 20), "16 MiB (16777216 bytes)");
        assert_eq!(describe(4096), "4 KiB (4096 bytes)");
        assert_eq!(describe(1000), "1000 bytes");
        assert_eq!(describe(0), "0 bytes");
    }
}
