//! The backend for every build without the vDSO (`not(secrets_vdso)`):
//! the `getrandom` crate serves every request. It exports the same items as
//! `linux_vdso.rs`, as the contract in `mod.rs` asks.

use std::mem::MaybeUninit;

use super::getrandom_crate;
use crate::Error;

/// Fills `buf` entirely through the `getrandom` crate.
#[inline]
pub(super) fn fill_uninit(buf: &mut [MaybeUninit<u8>]) -> Result<(), Error> {
    getrandom_crate::fill_uninit(buf)
}

/// Never: this build has no vDSO backend.
pub(super) fn uses_vdso() -> bool {
    false
}

/// No vDSO states exist in this build.
pub(super) fn vdso_states_mapped() -> usize {
    0
}

/// Never constructed: there is no vDSO backend in this build.
pub(super) enum BareState {}

impl BareState {
    /// Always `None`.
    pub(super) fn new() -> Option<Self> {
        None
    }

    /// Unreachable, as no value of this type exists.
    pub(super) fn fill(&mut self, _buf: &mut [u8]) -> Result<(), Error> {
        match *self {}
    }
}
