//! The counting-and-unranking engine behind every constrained generator:
//! password policies, styles and rule-constrained passphrases.
//!
//! A generator describes the strings it may draw as the paths of a small
//! [`Automaton`] from its start state to an accepting state. Each
//! [`Step`] of a state stands for `mult` interchangeable symbols (the
//! characters of a class, the words of one length) that all lead to the
//! same state; the generator's `label` says which symbols those are.
//!
//! The [`Table`] holds `ways[k][s]`: the number of paths of `k` more
//! symbols from state `s` to an accepting state, in big integers, built
//! row by row (each row from the one below), within a memory and work
//! budget. The number of strings of length `L` is `ways[L][start]`.
//! Unranking walks the same table from the start: at each position the
//! steps of the current state, in their order, own consecutive blocks of
//! ranks (`mult * ways[remaining - 1][next]` each), so the rank picks a
//! step and, within it, one of its `mult` symbols. Distinct ranks give
//! distinct paths, and a uniform rank below the count gives a uniform
//! path: exactly uniform, whatever the automaton.
//!
//! When every entry up to the drawn length fits a `u128` (about 128 bits
//! of entropy), [`Table::small`] copies the table into `u128`s, and
//! [`Table::draw`] unranks without a big-number allocation, which is
//! several times faster. Both give the same string for the same rank, and
//! the rank is drawn with `randbelow`, which reads the same bytes for
//! either type.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::Zero;

use secrets_kit::{EntropySource, Error, Result};

/// One way to extend a path by a symbol: `mult` symbols lead from the
/// state that owns the step to `next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    /// How many symbols lead this way (at least 1).
    pub(crate) mult: u64,
    /// The state after the symbol.
    pub(crate) next: u32,
    /// What the symbols are, in the generator's own terms.
    pub(crate) label: u32,
}

/// A finite automaton whose steps carry multiplicities, stored flat: state
/// `s` owns `steps[step_start[s]..step_start[s + 1]]`.
#[derive(Clone, Debug)]
pub(crate) struct Automaton {
    steps: Vec<Step>,
    step_start: Vec<usize>,
    accepting: Vec<bool>,
    start: usize,
}

impl Automaton {
    /// An automaton with no states yet, whose paths will start at `start`.
    pub(crate) fn new(start: usize) -> Self {
        Automaton {
            steps: Vec::new(),
            step_start: vec![0],
            accepting: Vec::new(),
            start,
        }
    }

    /// Adds the next state (numbered from 0 in the order added), with its
    /// steps in the order unranking visits them.
    pub(crate) fn push_state(&mut self, accepting: bool, steps: impl IntoIterator<Item = Step>) {
        self.steps.extend(steps);
        self.step_start.push(self.steps.len());
        self.accepting.push(accepting);
    }

    /// The number of states.
    pub(crate) fn states(&self) -> usize {
        self.accepting.len()
    }

    /// The steps out of `state`.
    fn steps(&self, state: usize) -> &[Step] {
        &self.steps[self.step_start[state]..self.step_start[state + 1]]
    }
}

/// How large a [`Table`] may grow before it is refused, and the error that
/// refuses it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Bytes of big integers the table may hold.
    pub(crate) table_bytes: usize,
    /// Big-number multiply-adds all the rows may take.
    pub(crate) work: usize,
    /// The error for a table over either budget.
    pub(crate) too_complex: fn() -> Error,
}

impl Limits {
    /// No budget: for automata whose size the generator bounds itself.
    /// (The error is there for the type; no count reaches `usize::MAX`.)
    pub(crate) const NONE: Limits = Limits {
        table_bytes: usize::MAX,
        work: usize::MAX,
        too_complex: || Error::too_large(usize::MAX, "a counting table"),
    };
}

/// The table in `u128`, up to one length, and the count at that length.
pub(crate) type SmallTable = (Vec<Vec<u128>>, u128);

/// An automaton with its table of path counts.
#[derive(Clone)]
pub(crate) struct Table {
    automaton: Automaton,
    /// `ways[k][s]`, for every `k` built so far.
    ways: Vec<Vec<BigUint>>,
    limits: Limits,
    table_bytes: usize,
    work: usize,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("states", &self.automaton.states())
            .field("built_length", &self.built_length())
            .finish_non_exhaustive()
    }
}

impl Table {
    /// The table of `automaton` with its first row (paths of no symbol).
    ///
    /// # Errors
    ///
    /// `limits.too_complex()` when even that row is over the budget.
    pub(crate) fn new(automaton: Automaton, limits: Limits) -> Result<Self> {
        let first: Vec<BigUint> = automaton
            .accepting
            .iter()
            .map(|&accepting| BigUint::from(u8::from(accepting)))
            .collect();
        let mut table = Table {
            automaton,
            ways: Vec::new(),
            limits,
            table_bytes: 0,
            work: 0,
        };
        table.account(&first)?;
        table.ways.push(first);
        Ok(table)
    }

    /// The automaton counted.
    #[cfg(test)]
    pub(crate) fn automaton(&self) -> &Automaton {
        &self.automaton
    }

    /// The longest length whose counts are in the table.
    pub(crate) fn built_length(&self) -> usize {
        self.ways.len() - 1
    }

    /// Adds the counts for one more symbol.
    ///
    /// # Errors
    ///
    /// `limits.too_complex()` when the table would outgrow its budget.
    pub(crate) fn extend(&mut self) -> Result<()> {
        let below = self
            .ways
            .last()
            .expect("the table always has its first row");
        self.work = self.work.saturating_add(self.automaton.steps.len());
        if self.work > self.limits.work {
            return Err((self.limits.too_complex)());
        }
        let mut row = Vec::with_capacity(below.len());
        for state in 0..below.len() {
            let mut total = BigUint::zero();
            for step in self.automaton.steps(state) {
                let ways = &below[step.next as usize];
                if !ways.is_zero() {
                    total += ways * step.mult;
                }
            }
            row.push(total);
        }
        self.account(&row)?;
        self.ways.push(row);
        Ok(())
    }

    /// Extends the table until it reaches `length`.
    ///
    /// # Errors
    ///
    /// As [`extend`](Self::extend).
    pub(crate) fn extend_to(&mut self, length: usize) -> Result<()> {
        while self.built_length() < length {
            self.extend()?;
        }
        Ok(())
    }

    fn account(&mut self, row: &[BigUint]) -> Result<()> {
        let bytes: usize = row
            .iter()
            .map(|n| std::mem::size_of::<BigUint>() + n.bits().div_ceil(64) as usize * 8)
            .sum();
        self.table_bytes = self.table_bytes.saturating_add(bytes);
        if self.table_bytes > self.limits.table_bytes {
            return Err((self.limits.too_complex)());
        }
        Ok(())
    }

    /// The number of paths of `length` symbols from the start; the table
    /// must reach that length.
    pub(crate) fn count(&self, length: usize) -> &BigUint {
        &self.ways[length][self.automaton.start]
    }

    /// Drops the rows beyond `length`, which no unranking will need.
    pub(crate) fn truncate(&mut self, length: usize) {
        self.ways.truncate(length + 1);
    }

    /// The big-number table, for [`unrank`](Self::unrank).
    #[cfg(test)]
    pub(crate) fn big(&self) -> &[Vec<BigUint>] {
        &self.ways
    }

    /// The table up to `length - 1` symbols and the count at `length`, as
    /// `u128`, when every entry fits.
    pub(crate) fn small(&self, length: usize) -> Option<SmallTable> {
        let rows = self.ways[..length]
            .iter()
            .map(|row| {
                row.iter()
                    .map(|n| u128::try_from(n).ok())
                    .collect::<Option<Vec<u128>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        Some((rows, u128::try_from(self.count(length)).ok()?))
    }

    /// The path of `length` symbols with the given rank, from the start:
    /// `visit` gets each step taken and which of its `mult` symbols, in
    /// order. `ways` is [`big`](Self::big) or the rows of
    /// [`small`](Self::small), and `rank` must be below the count at
    /// `length`.
    pub(crate) fn unrank<T>(
        &self,
        ways: &[Vec<T>],
        length: usize,
        mut rank: T,
        mut visit: impl FnMut(&Step, usize),
    ) where
        T: Clone + Integer + From<u64> + TryInto<usize>,
    {
        let mut state = self.automaton.start;
        for remaining in (1..=length).rev() {
            let below = &ways[remaining - 1];
            let mut chosen = None;
            for step in self.automaton.steps(state) {
                let ways = &below[step.next as usize];
                if ways.is_zero() {
                    continue;
                }
                let block = ways.clone() * T::from(step.mult);
                if rank < block {
                    let (which, rest) = rank.div_rem(ways);
                    rank = rest;
                    chosen = Some((step, which));
                    break;
                }
                rank = rank - block;
            }
            let (step, which) = chosen.expect("a rank below the count always lands in a step");
            let which: usize = which
                .try_into()
                .ok()
                .expect("below the step's multiplicity");
            visit(step, which);
            state = step.next as usize;
        }
    }

    /// Draws a uniform rank below the count at `length` from `source` (as
    /// `randbelow` does) and unranks it, in `u128` when `small` is the
    /// [`small`](Self::small) table at that length.
    ///
    /// # Errors
    ///
    /// When `source` fails.
    pub(crate) fn draw<S: EntropySource + ?Sized>(
        &self,
        small: Option<&SmallTable>,
        length: usize,
        source: &S,
        visit: impl FnMut(&Step, usize),
    ) -> Result<()> {
        match small {
            Some((table, count)) => {
                let rank = secrets_kit::randbelow_with(source, *count)?;
                self.unrank(table, length, rank, visit);
            }
            None => {
                let rank = secrets_kit::randbelow_with(source, self.count(length).clone())?;
                self.unrank(&self.ways, length, rank, visit);
            }
        }
        Ok(())
    }
}

/// The base-2 logarithm of a big integer, to double precision: the
/// entropy of a uniform draw from a set of `n` strings (`-inf` for 0).
pub(crate) fn log2(n: &BigUint) -> f64 {
    let bits = n.bits();
    if bits <= 64 {
        let small = u64::try_from(n).unwrap_or(u64::MAX);
        return (small as f64).log2();
    }
    let shift = bits - 64;
    let top = u64::try_from(n >> shift).unwrap_or(u64::MAX);
    (top as f64).log2() + shift as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings over `ab` with no `aa`, as an automaton: state 0 after `b`
    /// (or at the start), state 1 after `a`; labels are the letters.
    fn no_double_a() -> Table {
        let mut automaton = Automaton::new(0);
        let step = |label: u8, next: u32| Step {
            mult: 1,
            next,
            label: u32::from(label),
        };
        automaton.push_state(true, [step(b'a', 1), step(b'b', 0)]);
        automaton.push_state(true, [step(b'b', 0)]);
        Table::new(automaton, Limits::NONE).unwrap()
    }

    fn spell(table: &Table, length: usize, rank: u32) -> String {
        let mut text = String::new();
        table.unrank(table.big(), length, BigUint::from(rank), |step, _| {
            text.push(char::from(step.label as u8));
        });
        text
    }

    #[test]
    fn counts_are_fibonacci_and_unranking_is_in_step_order() {
        let mut table = no_double_a();
        table.extend_to(10).unwrap();
        let counts: Vec<u32> = (0..=10)
            .map(|k| u32::try_from(table.count(k)).unwrap())
            .collect();
        assert_eq!(counts, [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144]);
        // Every rank in order: the steps' order is the strings' order.
        let all: Vec<String> = (0..5).map(|rank| spell(&table, 3, rank)).collect();
        assert_eq!(all, ["aba", "abb", "bab", "bba", "bbb"]);
        let (small, count) = table.small(10).unwrap();
        assert_eq!(count, 144);
        for rank in 0..144u64 {
            let mut big = Vec::new();
            let mut fast = Vec::new();
            table.unrank(table.big(), 10, BigUint::from(rank), |s, w| {
                big.push((*s, w))
            });
            table.unrank(&small, 10, u128::from(rank), |s, w| fast.push((*s, w)));
            assert_eq!(big, fast);
        }
    }

    #[test]
    fn budgets_refuse_a_table_that_grows_too_large() {
        let limits = Limits {
            table_bytes: usize::MAX,
            work: 5,
            too_complex: || Error::new(secrets_kit::ErrorKind::TooLarge, "too complex"),
        };
        let mut table = Table::new(no_double_a().automaton().clone(), limits).unwrap();
        table.extend().unwrap(); // 3 steps of work
        let err = table.extend().unwrap_err(); // 6 > 5
        assert_eq!(err.kind(), secrets_kit::ErrorKind::TooLarge);
        let tiny = Limits {
            table_bytes: 1,
            ..limits
        };
        assert!(Table::new(no_double_a().automaton().clone(), tiny).is_err());
    }

    #[test]
    fn log2_is_exact_for_powers_of_two_and_close_elsewhere() {
        for bits in [0u32, 1, 52, 63, 64, 65, 100, 1000] {
            assert_eq!(log2(&(BigUint::from(1u8) << bits)), f64::from(bits));
        }
        let big = BigUint::from(3u8).pow(100);
        assert!((log2(&big) - 100.0 * 3f64.log2()).abs() < 1e-12);
        assert_eq!(log2(&BigUint::from(1000u32)), 1000f64.log2());
        assert_eq!(log2(&BigUint::ZERO), f64::NEG_INFINITY);
    }
}
