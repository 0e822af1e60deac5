//! Helpers shared by the library's integration tests.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::borrow::Borrow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use secrets_kit::{EntropySource, Error, ErrorKind, Result};

/// Hands out scripted bytes in order, then fails: a test that reads more
/// than its vector fails instead of reading the kernel.
#[derive(Debug, Default)]
pub(crate) struct Script(RefCell<VecDeque<u8>>);

impl Script {
    /// A source that serves `bytes`, in order.
    pub(crate) fn new<B: Borrow<u8>>(bytes: impl IntoIterator<Item = B>) -> Self {
        Script(RefCell::new(
            bytes.into_iter().map(|b| *b.borrow()).collect(),
        ))
    }

    /// How many scripted bytes are still unread.
    pub(crate) fn left(&self) -> usize {
        self.0.borrow().len()
    }
}

impl EntropySource for Script {
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        let mut bytes = self.0.borrow_mut();
        if bytes.len() < dest.len() {
            return Err(Error::new(ErrorKind::Os, "the script has run out of bytes"));
        }
        let len = dest.len();
        for (slot, byte) in dest.iter_mut().zip(bytes.drain(..len)) {
            *slot = byte;
        }
        Ok(())
    }
}

/// Fills every request with one byte value.
#[derive(Debug)]
pub(crate) struct Constant(pub(crate) u8);

impl EntropySource for Constant {
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        dest.fill(self.0);
        Ok(())
    }
}

/// Fails every request, as a broken kernel source would (EIO).
#[derive(Debug)]
pub(crate) struct Broken;

impl EntropySource for Broken {
    fn fill_bytes(&self, _dest: &mut [u8]) -> Result<()> {
        Err(Error::from_os(5, "a test source that always fails"))
    }
}

/// Kernel bytes, counting how many were read. Clones share the count, so a
/// test can tell whether a cloned generator draws or reuses a cache.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counting(Rc<Cell<usize>>);

impl Counting {
    /// How many bytes all the clones of this source have read.
    pub(crate) fn read(&self) -> usize {
        self.0.get()
    }
}

impl EntropySource for Counting {
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        self.0.set(self.0.get() + dest.len());
        secrets_kit::try_fill_bytes(dest)
    }
}

/// The chi-square value of `counts` against the uniform distribution over
/// `cells` outcomes (outcomes never seen count as zero).
pub(crate) fn chi_square_uniform(
    counts: &std::collections::HashMap<String, u64>,
    cells: usize,
    draws: u64,
) -> f64 {
    let expected = draws as f64 / cells as f64;
    let seen: f64 = counts
        .values()
        .map(|&o| (o as f64 - expected).powi(2) / expected)
        .sum();
    let unseen = (cells - counts.len()) as f64 * expected;
    seen + unseen
}

/// The upper 1e-6 quantile of the chi-square distribution with `df` degrees
/// of freedom (Wilson-Hilferty; z = 4.7534 is the normal 1e-6 upper tail).
pub(crate) fn chi_square_critical(df: f64) -> f64 {
    let z = 4.7534;
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + z * a.sqrt()).powi(3)
}
