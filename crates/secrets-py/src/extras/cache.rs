//! The last few generators built, so that a program calling `password` or
//! `passphrase` in a loop with the same options counts the policy once.
//!
//! Building a generator is the costly part (a policy's counting automaton,
//! a word list's checks); drawing from a built one is cheap. A generator
//! holds no random state, only counts and alphabets, so sharing one across
//! threads and keeping it across `fork()` shows nothing of any draw.

use std::sync::{Arc, Mutex, PoisonError};

use pyo3::Python;

/// How many generators each cache keeps (most recently used).
const ENTRIES: usize = 8;

/// A small most-recently-used cache from options to a built value.
pub(crate) struct Cache<K, V> {
    entries: Mutex<Vec<(K, Arc<V>)>>,
}

impl<K: PartialEq, V> Cache<K, V> {
    /// An empty cache.
    pub(crate) const fn new() -> Self {
        Cache {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value for `key`, built by `make` when not cached. The lookup
    /// runs with the GIL held (a lock held for a few comparisons); `make`
    /// runs without it and without the lock, so two threads may both build
    /// (one wins).
    pub(crate) fn get_or_build<E: Send>(
        &self,
        py: Python<'_>,
        key: K,
        make: impl FnOnce(&K) -> Result<V, E> + Send,
    ) -> Result<Arc<V>, E>
    where
        K: Sync,
        V: Send + Sync,
    {
        {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            // The most recently used (last) first: a loop with the same
            // options finds it at once, and it is already in place.
            if let Some(i) = entries.iter().rposition(|(k, _)| *k == key) {
                if i + 1 != entries.len() {
                    let entry = entries.remove(i);
                    entries.push(entry);
                }
                return Ok(Arc::clone(&entries[entries.len() - 1].1));
            }
        }
        let value = py.detach(|| make(&key).map(Arc::new))?;
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= ENTRIES {
            entries.remove(0);
        }
        entries.push((key, Arc::clone(&value)));
        Ok(value)
    }
}
