//! The `getrandom` crate: the portable path to the kernel, which both
//! backends use (the vDSO backend for every request it cannot serve).

use std::mem::MaybeUninit;

use crate::{Error, ErrorKind};

pub(super) fn fill(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(os_error)
}

/// Like [`fill`], for memory that need not be initialised yet.
pub(super) fn fill_uninit(buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
    getrandom::fill_uninit(buf).map(drop).map_err(os_error)
}

fn os_error(err: getrandom::Error) -> Error {
    match err.raw_os_error() {
        Some(code) => Error::from_os(code, "getrandom"),
        None => Error::new(
            ErrorKind::Os,
            format!("the operating system's random source failed: {err}"),
        ),
    }
}
