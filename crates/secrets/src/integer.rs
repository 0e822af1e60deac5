//! STUB (to be written): randbelow, randbits, choice and the RandomInteger trait.
#![allow(missing_docs, clippy::missing_panics_doc)]

use crate::Result;

pub trait RandomInteger: Sized {}
impl RandomInteger for u8 {}
impl RandomInteger for u16 {}
impl RandomInteger for u32 {}
impl RandomInteger for u64 {}
impl RandomInteger for u128 {}
impl RandomInteger for usize {}
#[cfg(feature = "bigint")]
impl RandomInteger for num_bigint::BigUint {}

pub fn randbelow<T: RandomInteger>(exclusive_upper_bound: T) -> T {
    let _ = exclusive_upper_bound;
    todo!()
}
pub fn try_randbelow<T: RandomInteger>(exclusive_upper_bound: T) -> Result<T> {
    let _ = exclusive_upper_bound;
    Err(crate::Error::invalid("Upper bound must be positive."))
}
pub fn randbits<T: RandomInteger>(k: usize) -> T {
    let _ = k;
    todo!()
}
pub fn try_randbits<T: RandomInteger>(k: usize) -> Result<T> {
    let _ = k;
    todo!()
}
pub fn choice<T>(seq: &[T]) -> Option<&T> {
    seq.first()
}
pub fn try_choice<T>(seq: &[T]) -> Result<&T> {
    seq.first().ok_or_else(|| crate::Error::new(crate::ErrorKind::EmptySequence, "Cannot choose from an empty sequence"))
}
