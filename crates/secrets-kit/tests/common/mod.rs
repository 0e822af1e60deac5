//! Helpers shared by the library's integration tests.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::borrow::Borrow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
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

/// Asserts that `observed` counts are uniform: Pearson's chi-square
/// statistic against equal expected counts stays below the critical value
/// for a false-alarm rate of 1e-6 ([`chi_square_critical`]).
pub(crate) fn assert_uniform(what: &str, observed: &[u64]) {
    let cells = observed.len();
    let total: u64 = observed.iter().sum();
    let expected = total as f64 / cells as f64;
    let statistic: f64 = observed
        .iter()
        .map(|&o| (o as f64 - expected).powi(2) / expected)
        .sum();
    let critical = chi_square_critical((cells - 1) as f64);
    assert!(
        statistic < critical,
        "{what}: chi-square {statistic:.1} >= {critical:.1} (df {}), counts {observed:?}",
        cells - 1
    );
}

/// Collects the outcome of every case, then fails once with all problems.
#[derive(Default)]
pub(crate) struct Matrix {
    rows: Vec<String>,
    problems: Vec<String>,
}

impl Matrix {
    /// Runs `call`, which must return an error of `kind`.
    pub(crate) fn case<T: Debug>(
        &mut self,
        input: &str,
        kind: ErrorKind,
        call: impl FnOnce() -> Result<T>,
    ) {
        match catch_unwind(AssertUnwindSafe(call)) {
            Err(_) => self.problems.push(format!("{input}: panicked")),
            Ok(Ok(value)) => self.problems.push(format!(
                "{input}: returned {value:?}, expected a {kind:?} error"
            )),
            Ok(Err(err)) => {
                let message = err.to_string();
                if err.kind() != kind {
                    self.problems.push(format!(
                        "{input}: {:?} error ({message}), expected {kind:?}",
                        err.kind()
                    ));
                } else if message.trim().is_empty() || message.contains('\n') {
                    self.problems.push(format!(
                        "{input}: the message must be one non-empty line: {message:?}"
                    ));
                }
                self.rows.push(format!(
                    "| `{input}` | `{:?}` | {} |",
                    err.kind(),
                    message.replace('|', "\\|")
                ));
            }
        }
    }

    /// Checks a case whose answer is `None` rather than an error.
    pub(crate) fn none<T: Debug>(&mut self, input: &str, value: Option<T>) {
        if let Some(value) = value {
            self.problems
                .push(format!("{input}: returned Some({value:?}), expected None"));
        }
        self.rows.push(format!(
            "| `{input}` | `None` | (no error: an empty `Option`) |"
        ));
    }

    pub(crate) fn finish(self, title: &str) {
        println!("\n{title}\n\n| input | kind | message |\n| --- | --- | --- |");
        for row in &self.rows {
            println!("{row}");
        }
        assert!(
            self.problems.is_empty(),
            "{} bad-input case(s) went wrong:\n{}",
            self.problems.len(),
            self.problems.join("\n")
        );
    }
}

/// The model of one request: `count` indices below `bound`, from `bytes`
/// (which must hold exactly the fills the request makes). Returns the
/// indices and how many bytes were read.
pub(crate) fn model_indices(bytes: &[u8], bound: u64, count: usize) -> (Vec<u64>, usize) {
    let width = if bound <= 1 << 8 {
        1
    } else if bound <= 1 << 16 {
        2
    } else {
        4
    };
    let space = 1u64 << (8 * width);
    let rejected_below = space % bound;
    let accepted = space - rejected_below;
    let mut out = Vec::new();
    let mut read = 0;
    while out.len() < count {
        let needed = (count - out.len()) as u64;
        let candidates = ((needed * space).div_ceil(accepted) + 4).min(512 / width as u64);
        let fill = &bytes[read..read + candidates as usize * width];
        read += fill.len();
        for candidate in fill.chunks(width) {
            if out.len() == count {
                break;
            }
            let mut v = 0u64;
            for (i, byte) in candidate.iter().enumerate() {
                v += u64::from(*byte) << (8 * i);
            }
            if (v * bound) % space >= rejected_below {
                out.push(v * bound / space);
            }
        }
    }
    (out, read)
}

/// Bytes that look random enough and are the same on every run.
pub(crate) fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            // splitmix64
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

/// Runs the forking tests of one binary one at a time: a fork copies only
/// the forking thread, so a child of one test must never inherit a lock
/// another test's threads held at that moment (the harness's output
/// capture among them), which would hang the child. Hold the guard for the
/// whole test. A test that failed while holding it poisons it; the next
/// runs anyway, as the lock guards no data.
pub(crate) fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
