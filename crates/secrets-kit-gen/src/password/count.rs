//! Exact counting of the passwords a policy allows, and unranking.
//!
//! The alphabet is split into *atoms*: characters that belong to exactly the
//! same requirement sets are interchangeable for every constraint, so the
//! counting only needs to know which atom a character came from. A password
//! is read left to right by an automaton whose state is
//!
//! - one capped counter per requirement ("so far, how many characters from
//!   this set, up to the minimum"), combined in mixed radix, and
//! - when `max-consecutive` is set, the atom of the last character and the
//!   length of the run of that very character.
//!
//! `ways[k][s]` is the number of ways to append `k` more characters from
//! state `s` and end with every requirement met. The number of passwords of
//! length `L` is `ways[L][start]`; unranking walks the same table from the
//! start state, so a uniform rank gives a uniform password.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, Zero};

use secrets_kit::{Error, ErrorKind, Result};

/// The table may take this many bytes at most; a policy that needs more is
/// refused rather than exhausting memory.
const TABLE_BUDGET_BYTES: usize = 256 << 20;
/// The table may take this many big-number multiply-adds at most, so that
/// building it stays well under a second or two.
const WORK_BUDGET: usize = 60_000_000;
/// The most requirement-counter combinations the automaton may track.
const MAX_REQUIREMENT_STATES: usize = 1 << 16;

/// A requirement with its set already intersected with the alphabet.
#[derive(Clone, Debug)]
pub(crate) struct Constraint {
    /// Alphabet indices of the members.
    pub(crate) members: Vec<u32>,
    pub(crate) at_least: usize,
}

/// "At least `at_least` of the constraints from `first` on are met": the
/// constraints from `first` to the end form the group and are not required
/// one by one. The automaton's state already says which are met, so the
/// group only changes which states accept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClassGroup {
    pub(crate) at_least: usize,
    pub(crate) first: usize,
}

/// One way to extend a password by a character.
#[derive(Clone, Copy, Debug)]
struct Step {
    /// How many characters lead this way.
    mult: u32,
    /// The state after the character.
    next: u32,
    /// The atom the character comes from.
    atom: u32,
    /// The character repeats the previous one (only with a run limit).
    repeat: bool,
}

/// The automaton, its transition lists and the table of counts.
pub(crate) struct Counter {
    /// For each alphabet index, its atom.
    atom_of: Vec<u32>,
    /// For each atom, its alphabet indices in increasing order.
    atoms: Vec<Vec<u32>>,
    /// Number of requirement-counter combinations.
    requirement_states: usize,
    /// `requirement_next[r * atoms + a]`: the counters after a character
    /// from atom `a`.
    requirement_next: Vec<u32>,
    /// Whether a counter combination meets every minimum.
    accepting: Vec<bool>,
    /// The longest allowed run of one character, when that is limited.
    max_run: Option<usize>,
    /// The number of run-tracking variants per counter combination.
    tails: usize,
    /// Flattened outgoing steps; state `s` owns `steps[step_start[s]..step_start[s + 1]]`.
    steps: Vec<Step>,
    step_start: Vec<usize>,
    /// `ways[k][s]`, for every `k` built so far.
    ways: Vec<Vec<BigUint>>,
    table_bytes: usize,
    work: usize,
}

impl Counter {
    /// Builds the automaton for `alphabet_len` characters, the given
    /// constraints (non-empty sets, positive minimums) and run limit.
    pub(crate) fn new(
        alphabet_len: usize,
        constraints: &[Constraint],
        group: Option<ClassGroup>,
        max_run: Option<usize>,
    ) -> Result<Self> {
        if constraints.len() > 64 {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "the policy has {} different required sets; at most 64 are supported",
                    constraints.len()
                ),
            ));
        }
        // Atoms: group characters by the bit mask of sets they belong to.
        let mut membership = vec![0u64; alphabet_len];
        for (bit, constraint) in constraints.iter().enumerate() {
            for &member in &constraint.members {
                membership[member as usize] |= 1 << bit;
            }
        }
        let mut atom_masks: Vec<u64> = Vec::new();
        let mut atoms: Vec<Vec<u32>> = Vec::new();
        let mut atom_of = Vec::with_capacity(alphabet_len);
        for (index, &mask) in membership.iter().enumerate() {
            let atom = match atom_masks.iter().position(|&m| m == mask) {
                Some(atom) => atom,
                None => {
                    atom_masks.push(mask);
                    atoms.push(Vec::new());
                    atoms.len() - 1
                }
            };
            atoms[atom].push(index as u32);
            atom_of.push(atom as u32);
        }

        // Requirement counters in mixed radix: digit i runs 0..=at_least_i.
        let mut requirement_states = 1usize;
        for constraint in constraints {
            requirement_states = requirement_states
                .checked_mul(constraint.at_least + 1)
                .filter(|&n| n <= MAX_REQUIREMENT_STATES)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::TooLarge,
                        format!(
                            "the minimums are too large to count exactly (more than \
                             {MAX_REQUIREMENT_STATES} combinations); lower them"
                        ),
                    )
                })?;
        }
        let digits_of = |state: usize| -> Vec<usize> {
            let mut rest = state;
            constraints
                .iter()
                .map(|c| {
                    let digit = rest % (c.at_least + 1);
                    rest /= c.at_least + 1;
                    digit
                })
                .collect()
        };
        let state_of = |digits: &[usize]| -> usize {
            let mut state = 0;
            for (digit, c) in digits.iter().zip(constraints).rev() {
                state = state * (c.at_least + 1) + digit;
            }
            state
        };
        let mut requirement_next = Vec::with_capacity(requirement_states * atoms.len());
        let mut accepting = Vec::with_capacity(requirement_states);
        for state in 0..requirement_states {
            let digits = digits_of(state);
            let grouped = group.map_or(constraints.len(), |g| g.first);
            let required_met = digits[..grouped]
                .iter()
                .zip(constraints)
                .all(|(&d, c)| d >= c.at_least);
            let group_met = group.is_none_or(|g| {
                digits[g.first..]
                    .iter()
                    .zip(&constraints[g.first..])
                    .filter(|&(&d, c)| d >= c.at_least)
                    .count()
                    >= g.at_least
            });
            accepting.push(required_met && group_met);
            for &mask in &atom_masks {
                let mut next = digits.clone();
                for (bit, (digit, c)) in next.iter_mut().zip(constraints).enumerate() {
                    if mask & (1 << bit) != 0 {
                        *digit = (*digit + 1).min(c.at_least);
                    }
                }
                requirement_next.push(state_of(&next) as u32);
            }
        }

        let tails = match max_run {
            Some(run) => 1 + atoms.len() * run,
            None => 1,
        };
        let states = requirement_states
            .checked_mul(tails)
            .filter(|&n| n <= u32::MAX as usize / 2);
        let Some(states) = states else {
            return Err(too_complex());
        };
        let mut counter = Counter {
            atom_of,
            atoms,
            requirement_states,
            requirement_next,
            accepting,
            max_run,
            tails,
            steps: Vec::new(),
            step_start: Vec::with_capacity(states + 1),
            ways: Vec::new(),
            table_bytes: 0,
            work: 0,
        };
        counter.build_steps(states);
        let first: Vec<BigUint> = (0..states)
            .map(|s| {
                if counter.accepting[s / counter.tails] {
                    BigUint::one()
                } else {
                    BigUint::zero()
                }
            })
            .collect();
        counter.account(&first)?;
        counter.ways.push(first);
        Ok(counter)
    }

    fn build_steps(&mut self, states: usize) {
        let atom_count = self.atoms.len();
        for state in 0..states {
            self.step_start.push(self.steps.len());
            let requirement = state / self.tails;
            let tail = state % self.tails;
            let next_requirement =
                |atom: usize| self.requirement_next[requirement * atom_count + atom];
            match self.max_run {
                None => {
                    for (atom, members) in self.atoms.iter().enumerate() {
                        self.steps.push(Step {
                            mult: members.len() as u32,
                            next: next_requirement(atom),
                            atom: atom as u32,
                            repeat: false,
                        });
                    }
                }
                Some(max_run) => {
                    // Tail 0: nothing written yet. Otherwise the last atom
                    // and the run length (1-based) of the last character.
                    let last = (tail > 0).then(|| ((tail - 1) / max_run, (tail - 1) % max_run + 1));
                    for (atom, members) in self.atoms.iter().enumerate() {
                        // Any character but the last one starts a new run.
                        let fresh =
                            members.len() - usize::from(last.is_some_and(|(a, _)| a == atom));
                        if fresh > 0 {
                            let next =
                                next_requirement(atom) as usize * self.tails + 1 + atom * max_run;
                            self.steps.push(Step {
                                mult: fresh as u32,
                                next: next as u32,
                                atom: atom as u32,
                                repeat: false,
                            });
                        }
                    }
                    if let Some((atom, run)) = last {
                        if run < max_run {
                            let next = next_requirement(atom) as usize * self.tails + tail + 1;
                            self.steps.push(Step {
                                mult: 1,
                                next: next as u32,
                                atom: atom as u32,
                                repeat: true,
                            });
                        }
                    }
                }
            }
        }
        self.step_start.push(self.steps.len());
    }

    fn start_state(&self) -> usize {
        0
    }

    /// The longest length whose counts are in the table.
    pub(crate) fn built_length(&self) -> usize {
        self.ways.len() - 1
    }

    /// Adds the counts for one more character.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] when the table would outgrow its budget.
    pub(crate) fn extend(&mut self) -> Result<()> {
        let below = self
            .ways
            .last()
            .expect("the table always has its first row");
        self.work = self.work.saturating_add(self.steps.len());
        if self.work > WORK_BUDGET {
            return Err(too_complex());
        }
        let mut row = Vec::with_capacity(below.len());
        for state in 0..below.len() {
            let mut total = BigUint::zero();
            for step in &self.steps[self.step_start[state]..self.step_start[state + 1]] {
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

    fn account(&mut self, row: &[BigUint]) -> Result<()> {
        let bytes: usize = row
            .iter()
            .map(|n| std::mem::size_of::<BigUint>() + n.bits().div_ceil(64) as usize * 8)
            .sum();
        self.table_bytes = self.table_bytes.saturating_add(bytes);
        if self.table_bytes > TABLE_BUDGET_BYTES {
            return Err(too_complex());
        }
        Ok(())
    }

    /// The number of passwords of `length` characters; the table must
    /// already reach that length.
    pub(crate) fn count(&self, length: usize) -> &BigUint {
        &self.ways[length][self.start_state()]
    }

    /// Drops the rows beyond `length`, which no sampling will need.
    pub(crate) fn truncate(&mut self, length: usize) {
        self.ways.truncate(length + 1);
    }

    /// Does a password (as alphabet indices) meet every constraint?
    pub(crate) fn accepts(&self, indices: impl IntoIterator<Item = u32>) -> bool {
        let atom_count = self.atoms.len();
        let mut requirement = 0usize;
        let mut last = u32::MAX;
        let mut run = 0usize;
        for index in indices {
            if index == last {
                run += 1;
            } else {
                last = index;
                run = 1;
            }
            if self.max_run.is_some_and(|max| run > max) {
                return false;
            }
            let atom = self.atom_of[index as usize] as usize;
            requirement = self.requirement_next[requirement * atom_count + atom] as usize;
        }
        self.accepting[requirement]
    }

    /// The table up to `length - 1` characters and the count at `length`,
    /// as `u128`, when every entry fits: unranking then needs no big-number
    /// allocation, which makes it several times faster.
    pub(crate) fn small_table(&self, length: usize) -> Option<(Vec<Vec<u128>>, u128)> {
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

    /// The password of `length` characters with the given rank, as alphabet
    /// indices. `ways` is the table ([`Counter::small_table`] or the big
    /// one) and `rank` must be below the count at `length`.
    pub(crate) fn unrank<T>(&self, ways: &[Vec<T>], length: usize, mut rank: T) -> Vec<u32>
    where
        T: Clone + Integer + From<u32> + TryInto<usize>,
    {
        let mut state = self.start_state();
        let mut password = Vec::with_capacity(length);
        for remaining in (1..=length).rev() {
            let below = &ways[remaining - 1];
            let mut chosen = None;
            for step in &self.steps[self.step_start[state]..self.step_start[state + 1]] {
                let ways = &below[step.next as usize];
                if ways.is_zero() {
                    continue;
                }
                let block = ways.clone() * T::from(step.mult);
                if rank < block {
                    let (which, rest) = rank.div_rem(ways);
                    rank = rest;
                    chosen = Some((*step, which));
                    break;
                }
                rank = rank - block;
            }
            let (step, which) = chosen.expect("a rank below the count always lands in a step");
            let which: usize = which
                .try_into()
                .ok()
                .expect("below the step's multiplicity");
            let last = password.last().copied();
            let index = if step.repeat {
                last.expect("a repeat step follows a character")
            } else {
                let members = &self.atoms[step.atom as usize];
                // Fresh steps skip the previous character when it is in
                // this atom and runs are limited.
                match last
                    .filter(|_| self.max_run.is_some())
                    .map(|l| members.binary_search(&l))
                {
                    Some(Ok(position)) if which >= position => members[which + 1],
                    _ => members[which],
                }
            };
            password.push(index);
            state = step.next as usize;
        }
        password
    }

    /// The big-number table, for [`Counter::unrank`].
    pub(crate) fn table(&self) -> &[Vec<BigUint>] {
        &self.ways
    }
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counter")
            .field("atoms", &self.atoms.len())
            .field("requirement_states", &self.requirement_states)
            .field("max_run", &self.max_run)
            .field("built_length", &self.built_length())
            .finish_non_exhaustive()
    }
}

fn too_complex() -> Error {
    Error::new(
        ErrorKind::TooLarge,
        "the policy is too complex to count exactly within the memory and time limits; \
         use a shorter length, smaller minimums or fewer required sets",
    )
}

/// The base-2 logarithm of a positive big integer, to double precision.
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
