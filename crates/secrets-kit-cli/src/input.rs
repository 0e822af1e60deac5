//! Reading the files the command is given (`choice --file`, the
//! `compare-digest` files; word lists go through the library's loader, which
//! has the same cap), with a size cap checked while reading: `/dev/zero` or
//! a 50 GiB file is refused after [`MAX_INPUT_BYTES`] + 1 bytes instead of
//! exhausting memory first.

use std::io::Read;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use zeroize::Zeroizing;

/// The most bytes read from one input file or from standard input: 16 MiB,
/// far beyond any list of items or digest, small enough to hold in memory.
/// The same as the library's `secrets_gen::wordlist::MAX_FILE_BYTES`.
pub(crate) const MAX_INPUT_BYTES: u64 = 16 << 20;

/// `MAX_INPUT_BYTES` for people: "16 MiB".
pub(crate) const MAX_INPUT_TEXT: &str = "16 MiB";

/// Reads all of `reader` (named `what` in errors) into a buffer that is
/// wiped on drop, refusing more than `cap` bytes. At most `cap + 1` bytes
/// are ever read. The buffer never grows by reallocation past `cap_hint`
/// (the file's length, when known), so no unwiped copy of a secret is left
/// behind in freed memory.
pub(crate) fn read_capped(
    reader: impl Read,
    cap: u64,
    cap_hint: Option<u64>,
    what: &str,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut raw = Zeroizing::new(Vec::new());
    if let Some(len) = cap_hint {
        // Room for the whole file up front (when it is within the cap).
        let room = usize::try_from(len.min(cap)).unwrap_or(0).saturating_add(1);
        let _ = raw.try_reserve(room);
    }
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut raw)
        .with_context(|| format!("cannot read {what}"))?;
    if raw.len() as u64 > cap {
        bail!(
            "{what} is larger than {MAX_INPUT_TEXT} ({cap} bytes), the most this command reads \
             from one input"
        );
    }
    Ok(raw)
}

/// Reads the file at `path`, or standard input for `-`, with the
/// [`MAX_INPUT_BYTES`] cap. `what` names the contents ("the items").
pub(crate) fn read_path(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    if path == Path::new("-") {
        return read_capped(
            std::io::stdin().lock(),
            MAX_INPUT_BYTES,
            None,
            &format!("{what} from standard input"),
        );
    }
    let shown = format!("{what} from '{}'", path.display());
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {shown}"))?;
    let len = file.metadata().ok().map(|meta| meta.len());
    read_capped(file, MAX_INPUT_BYTES, len, &shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_checked_while_reading() {
        let ok = read_capped(&[7u8; 10][..], 10, None, "ten").unwrap();
        assert_eq!(ok.len(), 10);
        let err = read_capped(&[7u8; 11][..], 10, None, "eleven").unwrap_err();
        assert!(
            format!("{err:#}").contains("eleven is larger than"),
            "{err:#}"
        );
        // An endless reader ends after cap + 1 bytes.
        let err = read_capped(std::io::repeat(0), 1000, None, "endless").unwrap_err();
        assert!(format!("{err:#}").contains("endless"), "{err:#}");
    }
}
