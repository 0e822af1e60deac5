//! The files the command is given (`choice --file`, the `compare-digest`
//! files, `verify-token --file`), or standard input for `-`, read whole
//! through the library's one capped reader (`secrets_gen::read`): the cap
//! is checked while reading, so `/dev/zero` or a 50 GiB file is refused
//! after the cap + 1 bytes instead of exhausting memory first, and the
//! bytes are wiped when dropped.

use std::path::Path;

use anyhow::Result;
use secrets_gen::read::{read_capped, read_capped_from};
use zeroize::Zeroizing;

pub(crate) use secrets_gen::read::MAX_FILE_BYTES;

/// Reads the file at `path`, or standard input for `-`, refusing more than
/// `cap` bytes. `what` names the contents ("the items"): errors say "the
/// items file 'x'" or "the items on standard input".
pub(crate) fn read_path(path: &Path, cap: u64, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    if path == Path::new("-") {
        let stdin = std::io::stdin().lock();
        let what = format!("{what} on standard input");
        return Ok(read_capped_from(stdin, None, cap, &what)?);
    }
    Ok(read_capped(path, cap, &format!("{what} file"))?)
}

/// The command's error for memory that ran out: `what`, of about `bytes`
/// bytes, could not be allocated: the library's error, so both say it in
/// the same words.
pub(crate) fn out_of_memory(bytes: usize, what: &str) -> anyhow::Error {
    secrets::Error::too_large(bytes, what).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_with_what_they_hold() {
        let err = read_path(Path::new("no/such/file"), MAX_FILE_BYTES, "the items").unwrap_err();
        let io = std::fs::File::open("no/such/file").unwrap_err();
        // The cause once, after the file's name.
        assert_eq!(
            format!("{err:#}"),
            format!("cannot read the items file 'no/such/file': {io}")
        );
    }
}
