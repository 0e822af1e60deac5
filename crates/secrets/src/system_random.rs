//! STUB (to be written): SystemRandom, the whole random.Random API.
#![allow(missing_docs)]

use crate::{EntropySource, OsEntropy};

#[derive(Clone, Debug, Default)]
pub struct SystemRandom<S: EntropySource = OsEntropy> {
    source: S,
    gauss_next: Option<f64>,
}

impl SystemRandom<OsEntropy> {
    pub fn new() -> Self {
        SystemRandom { source: OsEntropy, gauss_next: None }
    }
}

impl<S: EntropySource> SystemRandom<S> {
    pub fn with_source(source: S) -> Self {
        SystemRandom { source, gauss_next: None }
    }

    pub fn source(&self) -> &S {
        let _ = self.gauss_next;
        &self.source
    }
}
