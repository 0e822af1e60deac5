//! The portable backend: the `getrandom` crate.

use crate::{Error, ErrorKind};

pub(super) fn fill(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(|err| match err.raw_os_error() {
        Some(code) => Error::from_os(code, "getrandom"),
        None => Error::new(
            ErrorKind::Os,
            format!("the operating system's random source failed: {err}"),
        ),
    })
}
