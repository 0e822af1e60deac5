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
//! symbols from state `s` to an accepting state, built row by row (each
//! row from the one below), within a memory and work budget. The number of strings of length `L` is `ways[L][start]`.
//! Unranking walks the same table from the start: at each position the
//! steps of the current state, in their order, own consecutive blocks of
//! ranks (`mult * ways[remaining - 1][next]` each), so the rank picks a
//! step and, within it, one of its `mult` symbols. Distinct ranks give
//! distinct paths, and a uniform rank below the count gives a uniform
//! path: exactly uniform, whatever the automaton.
//!
//! The table holds its rows in `u128` while every entry fits (about 128
//! bits of entropy: checked arithmetic, no allocation per entry), and in
//! big integers from the first row that does not; unranking works the
//! same on either. [`Table::draw`] draws the rank with `randbelow`, which
//! reads the same bytes for a `u128` bound as for the same bound in a big
//! integer, so the form never changes what is drawn.

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
        Automaton::with_capacity(start, 0, 0)
    }

    /// [`new`](Self::new), with room for `states` states and `steps` steps.
    pub(crate) fn with_capacity(start: usize, states: usize, steps: usize) -> Self {
        let mut step_start = Vec::with_capacity(states + 1);
        step_start.push(0);
        Automaton {
            steps: Vec::with_capacity(steps),
            step_start,
            accepting: Vec::with_capacity(states),
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

/// The rows of a [`Table`]: in `u128` while every entry fits (checked
/// arithmetic, no allocation per entry), in big integers from the first
/// row that does not.
#[derive(Clone, Debug)]
enum Rows {
    Small(Vec<Vec<u128>>),
    Big(Vec<Vec<BigUint>>),
}

/// An automaton with its table of path counts.
#[derive(Clone)]
pub(crate) struct Table {
    automaton: Automaton,
    /// `ways[k][s]`, for every `k` built so far.
    rows: Rows,
    budget: Budget,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("states", &self.automaton.states())
            .field("built_length", &self.built_length())
            .finish_non_exhaustive()
    }
}

/// What a table has used of its [`Limits`].
#[derive(Clone, Copy, Debug)]
struct Budget {
    limits: Limits,
    table_bytes: usize,
    work: usize,
    /// The bytes of the last row charged: the estimate of the next one's.
    row_bytes: usize,
}

impl Budget {
    /// Charges a row of `steps` multiply-adds.
    fn charge_work(&mut self, steps: usize) -> Result<()> {
        self.work = self.work.saturating_add(steps);
        if self.work > self.limits.work {
            return Err((self.limits.too_complex)());
        }
        Ok(())
    }

    /// Charges a row whose entries have these bit lengths, each at what it
    /// takes in big integers, whichever form the table holds it in.
    fn charge_row(&mut self, bits: impl Iterator<Item = u64>) -> Result<()> {
        let bytes: usize = bits
            .map(|bits| std::mem::size_of::<BigUint>() + bits.div_ceil(64) as usize * 8)
            .sum();
        self.table_bytes = self.table_bytes.saturating_add(bytes);
        self.row_bytes = bytes;
        if self.table_bytes > self.limits.table_bytes {
            return Err((self.limits.too_complex)());
        }
        Ok(())
    }

    /// Checks that the next row of `entries` big integers has room in
    /// memory before its arithmetic runs: big-number arithmetic allocates
    /// infallibly, so running out there would abort. The estimate is the
    /// last row's bytes (the next row's numbers are at most a few bits
    /// longer) plus slack per entry; the room is reserved and released at
    /// once. This checks the address space available, which is what a
    /// memory limit (`ulimit -v`, a container's) takes away; it is not a
    /// guarantee for every allocation that follows.
    fn check_room(&self, entries: usize) -> Result<()> {
        let estimate = self
            .row_bytes
            .saturating_add(entries.saturating_mul(std::mem::size_of::<BigUint>() + 16));
        Vec::<u8>::new()
            .try_reserve_exact(estimate)
            .map_err(|_| Error::too_large(estimate, "a row of the counting table"))
    }
}

fn u128_bits(n: &u128) -> u64 {
    u64::from(128 - n.leading_zeros())
}

/// The next row in `u128`, or `None` when an entry does not fit.
fn small_row(automaton: &Automaton, below: &[u128]) -> Option<Vec<u128>> {
    let mut row = Vec::with_capacity(below.len());
    for state in 0..below.len() {
        let mut total = 0u128;
        for step in automaton.steps(state) {
            let ways = times(below[step.next as usize], step.mult)?;
            total = total.checked_add(ways)?;
        }
        row.push(total);
    }
    Some(row)
}

/// `ways * mult`, or `None` past `u128::MAX`; one 64-by-64-bit multiply
/// in the common case where `ways` fits 64 bits.
#[inline]
fn times(ways: u128, mult: u64) -> Option<u128> {
    match u64::try_from(ways) {
        Ok(low) => Some(u128::from(low) * u128::from(mult)),
        Err(_) => ways.checked_mul(u128::from(mult)),
    }
}

/// A count as unranking does arithmetic on it: `u128` or big.
trait Ways: Clone + Integer + TryInto<usize> {
    /// `self * mult`; unranking only asks for products below a count the
    /// table holds, so the result fits.
    fn times(&self, mult: u64) -> Self;
}

impl Ways for u128 {
    #[inline]
    fn times(&self, mult: u64) -> Self {
        self * u128::from(mult)
    }
}

impl Ways for BigUint {
    #[inline]
    fn times(&self, mult: u64) -> Self {
        self * mult
    }
}

/// The next row in big integers.
fn big_row(automaton: &Automaton, below: &[BigUint]) -> Vec<BigUint> {
    (0..below.len())
        .map(|state| {
            let mut total = BigUint::zero();
            for step in automaton.steps(state) {
                let ways = &below[step.next as usize];
                if !ways.is_zero() {
                    total += ways * step.mult;
                }
            }
            total
        })
        .collect()
}

fn to_big_rows(rows: &[Vec<u128>]) -> Vec<Vec<BigUint>> {
    rows.iter()
        .map(|row| row.iter().map(|&n| BigUint::from(n)).collect())
        .collect()
}

impl Table {
    /// The table of `automaton` with its first row (paths of no symbol).
    ///
    /// # Errors
    ///
    /// `limits.too_complex()` when even that row is over the budget.
    pub(crate) fn new(automaton: Automaton, limits: Limits) -> Result<Self> {
        let first: Vec<u128> = automaton.accepting.iter().map(|&a| u128::from(a)).collect();
        let mut budget = Budget {
            limits,
            table_bytes: 0,
            work: 0,
            row_bytes: 0,
        };
        budget.charge_row(first.iter().map(u128_bits))?;
        Ok(Table {
            rows: Rows::Small(vec![first]),
            automaton,
            budget,
        })
    }

    /// The automaton counted.
    #[cfg(test)]
    pub(crate) fn automaton(&self) -> &Automaton {
        &self.automaton
    }

    /// The longest length whose counts are in the table.
    pub(crate) fn built_length(&self) -> usize {
        match &self.rows {
            Rows::Small(rows) => rows.len() - 1,
            Rows::Big(rows) => rows.len() - 1,
        }
    }

    /// Adds the counts for one more symbol: in `u128` while they fit, then
    /// in big integers.
    ///
    /// # Errors
    ///
    /// `limits.too_complex()` when the table would outgrow its budget.
    pub(crate) fn extend(&mut self) -> Result<()> {
        self.budget.charge_work(self.automaton.steps.len())?;
        if let Rows::Small(rows) = &mut self.rows {
            let below = rows.last().expect("the table always has its first row");
            if let Some(row) = small_row(&self.automaton, below) {
                self.budget.charge_row(row.iter().map(u128_bits))?;
                rows.push(row);
                return Ok(());
            }
            self.rows = Rows::Big(to_big_rows(rows));
        }
        if let Rows::Big(rows) = &mut self.rows {
            rows.try_reserve(1)
                .map_err(|_| Error::too_large(self.budget.table_bytes, "the counting table"))?;
            let below = rows.last().expect("the table always has its first row");
            self.budget.check_room(below.len())?;
            let row = big_row(&self.automaton, below);
            self.budget.charge_row(row.iter().map(BigUint::bits))?;
            rows.push(row);
        }
        Ok(())
    }

    /// Extends the table until it reaches `length`.
    ///
    /// # Errors
    ///
    /// As [`extend`](Self::extend).
    pub(crate) fn extend_to(&mut self, length: usize) -> Result<()> {
        let more = length.saturating_sub(self.built_length());
        match &mut self.rows {
            Rows::Small(rows) => rows.reserve(more),
            Rows::Big(rows) => rows.reserve(more),
        }
        while self.built_length() < length {
            self.extend()?;
        }
        Ok(())
    }

    /// The number of paths of `length` symbols from the start; the table
    /// must reach that length.
    pub(crate) fn count(&self, length: usize) -> BigUint {
        let start = self.automaton.start;
        match &self.rows {
            Rows::Small(rows) => BigUint::from(rows[length][start]),
            Rows::Big(rows) => rows[length][start].clone(),
        }
    }

    /// Drops the rows beyond `length`, which no unranking will need, and
    /// goes back to `u128` if every entry left fits.
    pub(crate) fn truncate(&mut self, length: usize) {
        match &mut self.rows {
            Rows::Small(rows) => rows.truncate(length + 1),
            Rows::Big(rows) => {
                rows.truncate(length + 1);
                let small: Option<Vec<Vec<u128>>> = rows
                    .iter()
                    .map(|row| row.iter().map(|n| u128::try_from(n).ok()).collect())
                    .collect();
                if let Some(small) = small {
                    self.rows = Rows::Small(small);
                }
            }
        }
    }

    /// The path of `length` symbols with the given rank, from the start:
    /// `visit` gets each step taken and which of its `mult` symbols, in
    /// order. `rank` must be below the count at `length`.
    #[cfg(test)]
    pub(crate) fn unrank(&self, length: usize, rank: &BigUint, visit: impl FnMut(&Step, usize)) {
        match &self.rows {
            Rows::Small(rows) => {
                let rank = u128::try_from(rank).expect("a rank below a u128 count");
                self.unrank_in(rows, length, rank, visit);
            }
            Rows::Big(rows) => self.unrank_in(rows, length, rank.clone(), visit),
        }
    }

    /// [`unrank`](Self::unrank) in the table's rows, `u128` or big.
    fn unrank_in<T>(
        &self,
        ways: &[Vec<T>],
        length: usize,
        mut rank: T,
        mut visit: impl FnMut(&Step, usize),
    ) where
        T: Ways,
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
                let block = ways.times(step.mult);
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
    /// `randbelow` does, reading the same bytes whether the count is held
    /// in a `u128` or a big integer) and unranks it.
    ///
    /// # Errors
    ///
    /// When `source` fails.
    pub(crate) fn draw<S: EntropySource + ?Sized>(
        &self,
        length: usize,
        source: &S,
        visit: impl FnMut(&Step, usize),
    ) -> Result<()> {
        match &self.rows {
            Rows::Small(rows) => {
                let count = rows[length][self.automaton.start];
                let rank = secrets_kit::with_source::randbelow_with(source, count)?;
                self.unrank_in(rows, length, rank, visit);
            }
            Rows::Big(rows) => {
                let count = rows[length][self.automaton.start].clone();
                let rank = secrets_kit::with_source::randbelow_with(source, count)?;
                self.unrank_in(rows, length, rank, visit);
            }
        }
        Ok(())
    }

    /// A copy held in big integers, to test the `u128` rows against.
    #[cfg(test)]
    pub(crate) fn to_big(&self) -> Table {
        let mut big = self.clone();
        if let Rows::Small(rows) = &self.rows {
            big.rows = Rows::Big(to_big_rows(rows));
        }
        big
    }

    /// Whether the rows are held in `u128`.
    #[cfg(test)]
    pub(crate) fn is_small(&self) -> bool {
        matches!(self.rows, Rows::Small(_))
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
        table.unrank(length, &BigUint::from(rank), |step, _| {
            text.push(char::from(step.label as u8));
        });
        text
    }

    /// Every rank's path, in the table's own rows and in big integers.
    fn assert_both_forms_agree(table: &Table, length: usize) {
        let big = table.to_big();
        assert!(!big.is_small());
        let count = u64::try_from(table.count(length)).unwrap();
        for rank in (0..count).map(BigUint::from) {
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            table.unrank(length, &rank, |s, w| ours.push((*s, w)));
            big.unrank(length, &rank, |s, w| theirs.push((*s, w)));
            assert_eq!(ours, theirs, "rank {rank}");
        }
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
        assert!(table.is_small());
        assert_both_forms_agree(&table, 10);
    }

    /// One state with 2^40 symbols then one with 3: counts pass 2^128 at
    /// the fourth symbol, and the rows turn into big integers there.
    #[test]
    fn rows_turn_big_past_u128_and_back_when_cut() {
        let mut automaton = Automaton::new(0);
        let step = |mult: u64| Step {
            mult,
            next: 0,
            label: 0,
        };
        automaton.push_state(true, [step(1 << 40), step(3)]);
        let mut table = Table::new(automaton, Limits::NONE).unwrap();
        table.extend_to(3).unwrap();
        assert!(table.is_small());
        table.extend_to(5).unwrap();
        assert!(!table.is_small());
        let each = BigUint::from((1u64 << 40) + 3);
        for length in 0..=5 {
            assert_eq!(table.count(length), each.pow(length as u32));
        }
        // The last symbols of the top ranks, in both forms, then cut back.
        let top = each.pow(5) - 1u8;
        let mut path = Vec::new();
        table.unrank(5, &top, |s, w| path.push((s.mult, w)));
        assert_eq!(path, vec![(3, 2); 5]);
        table.truncate(3);
        assert!(table.is_small());
        let mut path = Vec::new();
        table.unrank(3, &(each.pow(3) - 1u8), |s, w| path.push((s.mult, w)));
        assert_eq!(path, vec![(3, 2); 3]);
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
