//! The policy's automaton, counted and unranked by the crate's engine.
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
//! A step is an atom (its characters, less the last one when that one may
//! not repeat) or the repeat of the last character; [`engine::Table`]
//! counts the paths and unranks a rank into steps, and [`Counter::unrank`]
//! turns the steps into alphabet indices.

use num_bigint::BigUint;

use crate::engine::{self, Automaton, Limits, Step, Table};
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

/// The table's budget: a policy over it is refused rather than exhausting
/// memory or taking more than a second or two.
const LIMITS: Limits = Limits {
    table_bytes: TABLE_BUDGET_BYTES,
    work: WORK_BUDGET,
    too_complex,
};

/// A step's label: its atom, and whether it repeats the last character
/// (only with a run limit).
fn label(atom: usize, repeat: bool) -> u32 {
    (atom as u32) << 1 | u32::from(repeat)
}

/// The atom and the repeat flag of a step's label.
fn atom_of_label(label: u32) -> (usize, bool) {
    ((label >> 1) as usize, label & 1 == 1)
}

/// The policy's automaton, with its table of counts.
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
    table: Table,
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
        let mut automaton = Automaton::new(0);
        for state in 0..states {
            let requirement = state / tails;
            let steps = steps_of(
                &atoms,
                &requirement_next[requirement * atoms.len()..][..atoms.len()],
                max_run,
                tails,
                state % tails,
            );
            automaton.push_state(accepting[requirement], steps);
        }
        Ok(Counter {
            atom_of,
            atoms,
            requirement_states,
            requirement_next,
            accepting,
            max_run,
            table: Table::new(automaton, LIMITS)?,
        })
    }

    /// The longest length whose counts are in the table.
    pub(crate) fn built_length(&self) -> usize {
        self.table.built_length()
    }

    /// Adds the counts for one more character.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::TooLarge`] when the table would outgrow its budget.
    pub(crate) fn extend(&mut self) -> Result<()> {
        self.table.extend()
    }

    /// The number of passwords of `length` characters; the table must
    /// already reach that length.
    pub(crate) fn count(&self, length: usize) -> BigUint {
        self.table.count(length)
    }

    /// Drops the rows beyond `length`, which no sampling will need.
    pub(crate) fn truncate(&mut self, length: usize) {
        self.table.truncate(length);
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

    /// The password of `length` characters with the given rank (below the
    /// count at `length`), as alphabet indices; with `big_rows`, unranked
    /// in a copy of the table held in big integers.
    #[cfg(test)]
    pub(crate) fn unrank(&self, length: usize, rank: &BigUint, big_rows: bool) -> Vec<u32> {
        let big;
        let table = if big_rows {
            big = self.table.to_big();
            &big
        } else {
            &self.table
        };
        let mut password = Vec::with_capacity(length);
        table.unrank(length, rank, |step, which| {
            let index = self.index_of(step, which, password.last().copied());
            password.push(index);
        });
        password
    }

    /// Draws a password of `length` characters from `source` by unranking,
    /// as alphabet indices.
    ///
    /// # Errors
    ///
    /// When `source` fails.
    pub(crate) fn draw<S: secrets_kit::EntropySource + ?Sized>(
        &self,
        length: usize,
        source: &S,
    ) -> Result<Vec<u32>> {
        let mut password = Vec::with_capacity(length);
        self.table.draw(length, source, |step, which| {
            let index = self.index_of(step, which, password.last().copied());
            password.push(index);
        })?;
        Ok(password)
    }

    /// The alphabet index of the `which`-th character of `step`, after the
    /// character `last`.
    #[inline]
    fn index_of(&self, step: &Step, which: usize, last: Option<u32>) -> u32 {
        let (atom, repeat) = atom_of_label(step.label);
        if repeat {
            return last.expect("a repeat step follows a character");
        }
        let members = &self.atoms[atom];
        // Fresh steps skip the previous character when it is in this atom
        // and runs are limited.
        match last
            .filter(|_| self.max_run.is_some())
            .map(|l| members.binary_search(&l))
        {
            Some(Ok(position)) if which >= position => members[which + 1],
            _ => members[which],
        }
    }
}

/// The steps out of one state: with `max_run`, `tail` 0 is "nothing
/// written yet", and otherwise says the last atom and the run length
/// (1-based) of the last character. `next_requirement[a]` is the counter
/// combination after a character of atom `a`.
fn steps_of(
    atoms: &[Vec<u32>],
    next_requirement: &[u32],
    max_run: Option<usize>,
    tails: usize,
    tail: usize,
) -> Vec<Step> {
    let Some(max_run) = max_run else {
        return atoms
            .iter()
            .enumerate()
            .map(|(atom, members)| Step {
                mult: members.len() as u64,
                next: next_requirement[atom],
                label: label(atom, false),
            })
            .collect();
    };
    let last = (tail > 0).then(|| ((tail - 1) / max_run, (tail - 1) % max_run + 1));
    let mut steps = Vec::with_capacity(atoms.len() + 1);
    for (atom, members) in atoms.iter().enumerate() {
        // Any character but the last one starts a new run.
        let fresh = members.len() - usize::from(last.is_some_and(|(a, _)| a == atom));
        if fresh > 0 {
            let next = next_requirement[atom] as usize * tails + 1 + atom * max_run;
            steps.push(Step {
                mult: fresh as u64,
                next: next as u32,
                label: label(atom, false),
            });
        }
    }
    if let Some((atom, run)) = last {
        if run < max_run {
            let requirement = next_requirement[atom] as usize;
            steps.push(Step {
                mult: 1,
                next: (requirement * tails + tail + 1) as u32,
                label: label(atom, true),
            });
        }
    }
    steps
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

pub(crate) use engine::log2;
