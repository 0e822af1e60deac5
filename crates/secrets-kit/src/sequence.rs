//! `SystemRandom`'s sequence methods: `choice`, `choices`, `sample`,
//! `shuffle`, with CPython's algorithms and byte consumption.

use std::borrow::Cow;

use zeroize::Zeroizing;

use crate::error::try_vec;
use crate::integer::choice_with;
use crate::integer::sealed::Unsigned;
use crate::{EntropySource, Error, ErrorKind, Result, SystemRandom};

/// How [`SystemRandom::choices`] weighs the population: Python's
/// `weights` and `cum_weights` arguments, as one value so that giving both
/// (a `TypeError` in Python) cannot be written.
///
/// As in Python, only the *total* is checked: it must be positive and
/// finite. Negative or NaN weights before the last cumulative value are
/// accepted and give whatever the bisection makes of them.
///
/// # Examples
///
/// ```
/// use secrets_kit::{SystemRandom, sequences::Weights};
///
/// let rng = SystemRandom::new();
/// let fair = rng.choices(&["a", "b"], Weights::Equal, 3)?;
/// let loaded = rng.choices(&["a", "b"], Weights::Relative(&[9.0, 1.0]), 3)?;
/// let same = rng.choices(&["a", "b"], Weights::Cumulative(&[9.0, 10.0]), 3)?;
/// assert_eq!((fair.len(), loaded.len(), same.len()), (3, 3, 3));
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Weights<'w> {
    /// Every element equally likely (Python: no weights). Each pick is
    /// `population[floor(random() * n)]`, as in Python, which is within
    /// `2^-53` of uniform; use [`SystemRandom::choice`] in a loop for exact
    /// uniformity.
    #[default]
    Equal,
    /// Relative weights, one per element (Python: `weights=`).
    Relative(&'w [f64]),
    /// Cumulative weights, one per element (Python: `cum_weights=`).
    Cumulative(&'w [f64]),
}

impl<S: EntropySource> SystemRandom<S> {
    /// A uniformly chosen element of `seq`, or `None` when it is empty:
    /// Python's `choice(seq)`, where the empty case is an `IndexError`.
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_choice`](Self::try_choice).
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert_eq!(rng.choice(&[50]), Some(&50));
    /// assert_eq!(rng.choice::<u8>(&[]), None);
    /// ```
    #[track_caller]
    pub fn choice<'a, T>(&self, seq: &'a [T]) -> Option<&'a T> {
        match choice_with(&self.source, seq) {
            Ok(item) => Some(item),
            Err(err) if err.kind() == ErrorKind::EmptySequence => None,
            Err(err) => crate::fail(err),
        }
    }

    /// A uniformly chosen element of `seq`, or an error.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::EmptySequence`] when `seq` is empty (Python:
    /// `IndexError`), and the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// assert!([25, 75].contains(rng.try_choice(&[25, 75])?));
    /// assert!(rng.try_choice::<u8>(&[]).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_choice<'a, T>(&self, seq: &'a [T]) -> Result<&'a T> {
        choice_with(&self.source, seq)
    }

    /// `k` elements of `population` chosen with replacement, optionally
    /// weighted: Python's `choices(population, weights, cum_weights=, k=)`.
    ///
    /// Each pick reads one `random()` (7 bytes), as in Python.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::EmptySequence`] for an empty population with `k > 0`,
    ///   or with weights given (Python: `IndexError`);
    /// - [`ErrorKind::InvalidValue`] when the number of weights differs from
    ///   the population's, or their total is not positive and finite;
    /// - [`ErrorKind::TooLarge`] when `k` results cannot be allocated;
    /// - the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{SystemRandom, sequences::Weights};
    ///
    /// let rng = SystemRandom::new();
    /// let picks = rng.choices(&['a', 'b', 'c', 'd'], Weights::Relative(&[1.0, 0.0, 0.0, 0.0]), 5)?;
    /// assert_eq!(picks, [&'a'; 5]);
    /// assert!(rng.choices(&['a', 'b'], Weights::Relative(&[0.0, 0.0]), 1).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn choices<'a, T>(
        &self,
        population: &'a [T],
        weights: Weights<'_>,
        k: usize,
    ) -> Result<Vec<&'a T>> {
        let n = population.len();
        let cum = checked_weights(weights, n, k)?;
        let mut out = try_vec(k, "the choices")?;
        for _ in 0..k {
            out.push(&population[self.choices_index(n, cum.as_deref())?]);
        }
        Ok(out)
    }

    /// The indices [`choices`](Self::choices) would pick from a population
    /// of `n`, one per slot of `out`: the same checks, the same bytes
    /// (7 a pick) and the same picks, for a caller that makes its picks a
    /// step at a time (a binding that lets other threads in between
    /// steps, or that holds its population elsewhere).
    ///
    /// Each call checks `weights` again: relative weights are summed anew,
    /// so a caller in steps passes [`Weights::Cumulative`].
    ///
    /// # Errors
    ///
    /// Those of [`choices`](Self::choices), with `out.len()` as `k`. On the
    /// source's error, the slots before the failed pick hold their picks.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{SystemRandom, sequences::Weights};
    ///
    /// let rng = SystemRandom::new();
    /// let mut picks = [0usize; 4];
    /// rng.choices_indices(3, Weights::Cumulative(&[0.0, 0.0, 2.0]), &mut picks)?;
    /// assert_eq!(picks, [2; 4]);
    /// rng.choices_indices(3, Weights::Equal, &mut picks)?;
    /// assert!(picks.iter().all(|&i| i < 3));
    /// assert!(rng.choices_indices(0, Weights::Equal, &mut picks).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn choices_indices(&self, n: usize, weights: Weights<'_>, out: &mut [usize]) -> Result<()> {
        let cum = checked_weights(weights, n, out.len())?;
        for slot in out.iter_mut() {
            *slot = self.choices_index(n, cum.as_deref())?;
        }
        Ok(())
    }

    /// One pick of `choices` from a population of `n > 0`, with the checked
    /// cumulative weights (`None`: equal weights).
    #[inline]
    fn choices_index(&self, n: usize, cum: Option<&[f64]>) -> Result<usize> {
        let u = self.try_random()?;
        Ok(match cum {
            None => {
                #[allow(clippy::cast_precision_loss)] // As Python's float(n).
                let scale = n as f64;
                // floor(u * n) < n for every u < 1 (see the tests); the
                // clamp only guards that proof.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let index = ((u * scale).floor() as usize).min(n - 1);
                index
            }
            Some(cum) => bisect_right(cum, u * cum[n - 1], n - 1),
        })
    }

    /// `k` distinct positions of `population`, in selection order: Python's
    /// `sample(population, k)`.
    ///
    /// Every prefix of the result is itself a random sample. Elements are
    /// told apart by position, so a population with repeated values can
    /// return equal values.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `k > population.len()` (Python:
    /// `ValueError: Sample larger than population or is negative`),
    /// [`ErrorKind::TooLarge`] when the result cannot be allocated, and the
    /// source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let winners = rng.sample(&["ann", "bob", "cy", "dee"], 2)?;
    /// assert_eq!(winners.len(), 2);
    /// assert_ne!(winners[0], winners[1]);
    /// assert!(rng.sample(&[1, 2], 3).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn sample<'a, T>(&self, population: &'a [T], k: usize) -> Result<Vec<&'a T>> {
        let indices = self.sample_indices(population.len(), k)?;
        let mut out = try_vec(k, "the sample")?;
        out.extend(indices.iter().map(|&i| &population[i]));
        Ok(out)
    }

    /// `k` elements of a population where element `i` appears `counts[i]`
    /// times: Python's `sample(population, k, counts=counts)`.
    ///
    /// `sample_counts(&["red", "blue"], &[4, 2], 5)` is
    /// `sample(&["red", "red", "red", "red", "blue", "blue"], 5)` without
    /// building the long list.
    ///
    /// # Errors
    ///
    /// - [`ErrorKind::InvalidValue`] when `counts` and `population` differ
    ///   in length, or `k` exceeds the total count;
    /// - [`ErrorKind::Overflow`] when the counts add up beyond `usize::MAX`;
    /// - [`ErrorKind::TooLarge`] when the result cannot be allocated;
    /// - the source's error.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let balls = rng.sample_counts(&["red", "blue"], &[4, 2], 5)?;
    /// assert_eq!(balls.len(), 5);
    /// assert!(balls.iter().filter(|b| **b == &"blue").count() <= 2);
    /// assert!(rng.sample_counts(&["x"], &[1], 2).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn sample_counts<'a, T>(
        &self,
        population: &'a [T],
        counts: &[usize],
        k: usize,
    ) -> Result<Vec<&'a T>> {
        if counts.len() != population.len() {
            return Err(Error::invalid(format!(
                "The number of counts does not match the population: \
                 {} counts for {} elements; give exactly one count per element",
                counts.len(),
                population.len()
            )));
        }
        // Running totals; the last is the size of the virtual population
        // and the others are the boundaries Python bisects.
        let mut boundaries = try_vec(counts.len(), "the count boundaries")?;
        let mut total = 0usize;
        for &count in counts {
            total = total.checked_add(count).ok_or_else(|| {
                Error::new(
                    ErrorKind::Overflow,
                    format!(
                        "the counts add up to more than {}; keep their total within usize",
                        usize::MAX
                    ),
                )
            })?;
            boundaries.push(total);
        }
        boundaries.pop();
        let selections = self.sample_indices(total, k)?;
        let mut out = try_vec(k, "the sample")?;
        out.extend(
            selections
                .iter()
                .map(|&s| &population[boundaries.partition_point(|&b| b <= s)]),
        );
        Ok(out)
    }

    /// Shuffles `x` in place, every order equally likely: Python's
    /// `shuffle(x)` (Fisher–Yates from the end).
    ///
    /// # Panics
    ///
    /// If the source fails; see [`try_shuffle`](Self::try_shuffle).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut deck: Vec<u32> = (0..52).collect();
    /// secrets_kit::SystemRandom::new().shuffle(&mut deck);
    /// deck.sort();
    /// assert_eq!(deck, (0..52).collect::<Vec<_>>());
    /// ```
    #[track_caller]
    pub fn shuffle<T>(&self, x: &mut [T]) {
        self.try_shuffle(x).unwrap_or_else(|err| crate::fail(err));
    }

    /// Shuffles `x` in place, or reports the source's error.
    ///
    /// On error, `x` holds a permutation of its elements (the swaps done so
    /// far), never a lost or duplicated element.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`] when the source fails.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut hand = ['a', 'b', 'c'];
    /// secrets_kit::SystemRandom::new().try_shuffle(&mut hand)?;
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn try_shuffle<T>(&self, x: &mut [T]) -> Result<()> {
        for i in (1..x.len()).rev() {
            x.swap(i, self.shuffle_partner(i)?);
        }
        Ok(())
    }

    /// The partners [`shuffle`](Self::shuffle) swaps positions `top`,
    /// `top - 1`, … with, one per slot of `out`: `out[t]` is uniform in
    /// `0..=top - t`, drawn as `shuffle` draws it (Python's
    /// `_randbelow(i + 1)` for position `i`). For a caller that shuffles a
    /// step at a time: swapping `x[top - t]` with `x[out[t]]` in order, step
    /// after step down to position 1, is `shuffle(x)` with `top = len - 1`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `out` is longer than `top` (position
    /// 0 has no partner to draw; nothing is drawn), and the source's error;
    /// then the slots before the failed draw hold their partners.
    ///
    /// # Examples
    ///
    /// ```
    /// let rng = secrets_kit::SystemRandom::new();
    /// let mut deck = ['a', 'b', 'c', 'd'];
    /// let mut partners = [0usize; 3];
    /// rng.shuffle_partners(3, &mut partners)?;
    /// for (t, &j) in partners.iter().enumerate() {
    ///     assert!(j <= 3 - t);
    ///     deck.swap(3 - t, j);
    /// }
    /// assert!(rng.shuffle_partners(2, &mut [0; 3]).is_err());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn shuffle_partners(&self, top: usize, out: &mut [usize]) -> Result<()> {
        if out.len() > top {
            return Err(Error::invalid(format!(
                "asked for {} shuffle partners down from position {top}; \
                 at most {top} positions (down to 1) have one",
                out.len()
            )));
        }
        for (t, slot) in out.iter_mut().enumerate() {
            *slot = self.shuffle_partner(top - t)?;
        }
        Ok(())
    }

    /// The partner of position `i >= 1` in Fisher–Yates: `_randbelow(i + 1)`.
    #[inline]
    fn shuffle_partner(&self, i: usize) -> Result<usize> {
        usize::below_from(&self.source, &(i + 1))
    }

    /// Python's sampling of `k` distinct indices from `0..n`, in one step
    /// of [`SampleIndices`]. The result is wiped when dropped.
    fn sample_indices(&self, n: usize, k: usize) -> Result<Zeroizing<Vec<usize>>> {
        // As CPython: the result (`[None] * k`) before the pool or the set.
        check_sample(n, k)?;
        let mut result = Zeroizing::new(try_vec(k, "the sample")?);
        result.resize(k, 0);
        let mut picks = SampleIndices::new(n, k)?;
        picks.fill(self, &mut result)?;
        Ok(result)
    }
}

/// `k` distinct indices of `0..n` in selection order, drawn a step at a
/// time: Python's `sample(range(n), k)`, for a caller that has work to do
/// between steps (a binding that stores each step's items and lets other
/// threads in). [`SystemRandom::sample`] takes them in one step.
///
/// It uses Python's two methods, with CPython's switch-over point (it
/// decides which bytes are read): a pool of the indices not yet taken when
/// `n` is small next to `k`, a set of those taken otherwise. Given the same
/// bytes, any split into steps gives the indices of one
/// [`SystemRandom::sample`]. The pool's order and the set of indices taken
/// are secret-derived, and both are wiped when dropped.
///
/// It holds no drawn bytes: each pick draws from the source as it is made,
/// so after a `fork` the parent's and the child's next picks come from
/// draws of their own, never from a shared store.
///
/// # Examples
///
/// ```
/// use secrets_kit::{SystemRandom, sequences::SampleIndices};
///
/// let rng = SystemRandom::new();
/// let mut picks = SampleIndices::new(10, 4)?;
/// let (mut first, mut last) = ([0usize; 3], [0usize; 1]);
/// picks.fill(&rng, &mut first)?;
/// picks.fill(&rng, &mut last)?;
/// assert_eq!(picks.remaining(), 0);
/// let mut all = [first[0], first[1], first[2], last[0]];
/// all.sort();
/// assert!(all.windows(2).all(|w| w[0] < w[1]) && all[3] < 10);
/// assert!(picks.fill(&rng, &mut [0]).is_err());
/// assert!(SampleIndices::new(3, 4).is_err());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub struct SampleIndices {
    n: usize,
    k: usize,
    /// How many indices have been handed out.
    done: usize,
    taken: Taken,
}

/// How [`SampleIndices`] keeps its picks distinct.
enum Taken {
    /// The indices not yet taken, in `pool[..n - done]`.
    Pool(Zeroizing<Vec<usize>>),
    /// The indices taken.
    Set(TakenSet),
}

/// The indices [`SampleIndices`] has taken, for CPython's set method: an
/// open-addressed table (linear probing) of at least twice as many slots
/// as picks, each holding an index plus one (0: empty), in memory wiped
/// when dropped. The keys are the source's uniform draws, never input, so
/// a multiplicative hash spreads them; the standard library's `HashSet`
/// (SipHash) took about a fifth of each pick (a sample of 1000 from 10^6:
/// 35.5 µs with it, 29 µs with this), and could only be cleared.
struct TakenSet {
    slots: Zeroizing<Vec<usize>>,
    /// `64 - log2(slots.len())`: a key's slot is the top bits of its
    /// product with the golden ratio (Fibonacci hashing).
    shift: u32,
}

impl TakenSet {
    /// Room for `k` indices.
    fn with_room(k: usize) -> Result<Self> {
        let len = k
            .max(1)
            .checked_mul(2)
            .and_then(usize::checked_next_power_of_two)
            .ok_or_else(|| {
                Error::out_of_memory(
                    k.saturating_mul(2 * size_of::<usize>()),
                    "the set of sampled indices",
                )
            })?;
        let mut slots = Zeroizing::new(try_vec(len, "the set of sampled indices")?);
        slots.resize(len, 0);
        Ok(TakenSet {
            slots,
            shift: 64 - len.trailing_zeros(),
        })
    }

    /// Adds `index`; `false` when it was taken already.
    #[inline]
    fn insert(&mut self, index: usize) -> bool {
        // `index` is below the population's size, so `index + 1` fits.
        let key = index + 1;
        let mask = self.slots.len() - 1;
        #[allow(clippy::cast_possible_truncation)] // The top bits: below `slots.len()`.
        let mut at = ((index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            match self.slots[at] {
                0 => {
                    self.slots[at] = key;
                    return true;
                }
                taken if taken == key => return false,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

impl std::fmt::Debug for SampleIndices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The sizes only: never the picks.
        let SampleIndices { n, k, done, .. } = self;
        write!(f, "SampleIndices {{ n: {n}, k: {k}, done: {done}, .. }}")
    }
}

impl SampleIndices {
    /// Prepares `k` distinct picks from `0..n`. The pool (`n` indices)
    /// or the set (room for `k`) is allocated here.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `k > n` (Python: `ValueError:
    /// Sample larger than population or is negative`), and
    /// [`ErrorKind::TooLarge`] when the pool or the set cannot be
    /// allocated.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{ErrorKind, sequences::SampleIndices};
    /// assert_eq!(SampleIndices::new(5, 5)?.remaining(), 5);
    /// assert_eq!(SampleIndices::new(1, 2).unwrap_err().kind(), ErrorKind::InvalidValue);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new(n: usize, k: usize) -> Result<Self> {
        check_sample(n, k)?;
        let taken = if n <= pool_cutoff(k) {
            let mut pool = Zeroizing::new(try_vec(n, "the sampling pool")?);
            pool.extend(0..n);
            Taken::Pool(pool)
        } else {
            Taken::Set(TakenSet::with_room(k)?)
        };
        Ok(SampleIndices {
            n,
            k,
            done: 0,
            taken,
        })
    }

    /// How many of the `k` picks are still to come.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut picks = secrets_kit::sequences::SampleIndices::new(9, 3)?;
    /// picks.fill(&secrets_kit::SystemRandom::new(), &mut [0; 2])?;
    /// assert_eq!(picks.remaining(), 1);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.k - self.done
    }

    /// Writes the next `out.len()` picks into `out`, drawn from `rng`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] when `out` is longer than
    /// [`remaining`](Self::remaining) (nothing is drawn), and the source's
    /// error; then the slots before the failed pick hold their picks, which
    /// count as handed out.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{SystemRandom, sequences::SampleIndices};
    /// let mut all = [0usize; 3];
    /// SampleIndices::new(3, 3)?.fill(&SystemRandom::new(), &mut all)?;
    /// all.sort();
    /// assert_eq!(all, [0, 1, 2]);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn fill<S: EntropySource>(
        &mut self,
        rng: &SystemRandom<S>,
        out: &mut [usize],
    ) -> Result<()> {
        if out.len() > self.remaining() {
            return Err(Error::invalid(format!(
                "asked for {} more sampled indices, but only {} of {} remain",
                out.len(),
                self.remaining(),
                self.k
            )));
        }
        let SampleIndices { n, done, taken, .. } = self;
        let n = *n;
        // One loop per method: the method is chosen once, not per pick.
        match taken {
            Taken::Pool(pool) => {
                for slot in out.iter_mut() {
                    let left = n - *done;
                    let j = usize::below_from(&rng.source, &left)?;
                    *slot = pool[j];
                    pool[j] = pool[left - 1];
                    *done += 1;
                }
            }
            Taken::Set(selected) => {
                for slot in out.iter_mut() {
                    let mut j = usize::below_from(&rng.source, &n)?;
                    while !selected.insert(j) {
                        j = usize::below_from(&rng.source, &n)?;
                    }
                    *slot = j;
                    *done += 1;
                }
            }
        }
        Ok(())
    }
}

/// Python's refusal of a sample larger than its population.
fn check_sample(n: usize, k: usize) -> Result<()> {
    if k > n {
        return Err(Error::invalid(format!(
            "Sample larger than population or is negative: \
             asked for {k} items from a population of {n}; k must be at most {n}"
        )));
    }
    Ok(())
}

/// The cumulative weights `choices` bisects, checked as Python checks
/// them (`None` for equal weights): Python's errors for `k` picks from a
/// population of `n`.
fn checked_weights<'w>(weights: Weights<'w>, n: usize, k: usize) -> Result<Option<Cow<'w, [f64]>>> {
    let cum_weights = match weights {
        Weights::Equal => {
            if n == 0 && k > 0 {
                return Err(empty_population());
            }
            return Ok(None);
        }
        Weights::Relative(weights) => {
            let mut sums = try_vec(weights.len(), "the cumulative weights")?;
            sums.extend(weights.iter().scan(0.0, |sum, &w| {
                *sum += w;
                Some(*sum)
            }));
            Cow::Owned(sums)
        }
        Weights::Cumulative(cum_weights) => Cow::Borrowed(cum_weights),
    };
    if cum_weights.len() != n {
        return Err(Error::invalid(format!(
            "The number of weights does not match the population: \
             {} weights for {n} elements; give exactly one weight per element",
            cum_weights.len()
        )));
    }
    let Some(&total) = cum_weights.last() else {
        return Err(empty_population());
    };
    if total <= 0.0 {
        return Err(Error::invalid(format!(
            "Total of weights must be greater than zero (it is {total})"
        )));
    }
    if !total.is_finite() {
        return Err(Error::invalid(format!(
            "Total of weights must be finite (it is {total})"
        )));
    }
    Ok(Some(cum_weights))
}

/// CPython's `setsize`: 21, plus `4^ceil(log4(3k))` for `k > 5`, computed
/// with the same floating-point logarithms so the same method is chosen.
fn pool_cutoff(k: usize) -> usize {
    let mut cutoff = 21usize;
    if k > 5 {
        #[allow(clippy::cast_precision_loss)]
        let three_k = k.saturating_mul(3) as f64;
        let exponent = (three_k.ln() / 4f64.ln()).ceil();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let table = 4usize.checked_pow(exponent as u32).unwrap_or(usize::MAX);
        cutoff = cutoff.saturating_add(table);
    }
    cutoff
}

/// Python's `bisect.bisect_right(a, x, 0, hi)`, step for step, so that
/// unsorted or NaN-holding `cum_weights` give Python's answer too.
fn bisect_right(a: &[f64], x: f64, hi: usize) -> usize {
    let (mut lo, mut hi) = (0usize, hi);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if x < a[mid] {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

fn empty_population() -> Error {
    Error::new(
        ErrorKind::EmptySequence,
        "Cannot choose from an empty population; give at least one element",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoff_matches_cpythons_table() {
        let table = [
            (0, 21),
            (5, 21),
            (6, 85),
            (21, 85),
            (22, 277),
            (85, 277),
            (86, 1045),
            (341, 1045),
            (342, 4117),
            (1365, 4117),
            (1366, 16405),
            (5461, 16405),
            (5462, 65557),
            (21845, 65557),
            (21846, 262165),
            (87381, 262165),
        ];
        for (k, cutoff) in table {
            assert_eq!(pool_cutoff(k), cutoff, "k = {k}");
        }
        assert_eq!(pool_cutoff(usize::MAX), usize::MAX);
    }

    #[test]
    fn taken_set_agrees_with_a_naive_set() {
        // Keys of every kind: dense, sparse, colliding in the low and the
        // high bits, the largest index; each insert answers as a plain
        // `HashSet` does, at every fill up to the room asked for.
        let seeds: [&dyn Fn(usize) -> usize; 5] = [
            &|i| i,
            &|i| i * 7_919 + 3,
            &|i| i << (usize::BITS - 24),
            &|i| (i % 13) * 1_000_003,
            &|i| usize::MAX - 1 - i,
        ];
        for k in [1, 2, 3, 5, 64, 1000] {
            for key in seeds {
                let mut ours = TakenSet::with_room(k).unwrap();
                let mut naive = std::collections::HashSet::new();
                // Each key offered twice, so half the inserts are repeats.
                for i in 0..2 * k {
                    let index = key(i / 2);
                    if naive.len() == k && !naive.contains(&index) {
                        break;
                    }
                    assert_eq!(ours.insert(index), naive.insert(index), "k {k}, i {i}");
                }
                assert_eq!(ours.slots.iter().filter(|&&s| s != 0).count(), naive.len());
            }
        }
        assert_eq!(TakenSet::with_room(0).unwrap().slots.len(), 2);
        assert_eq!(TakenSet::with_room(1000).unwrap().slots.len(), 2048);
        assert_eq!(
            TakenSet::with_room(usize::MAX).err().map(|e| e.kind()),
            Some(ErrorKind::TooLarge)
        );
    }

    #[test]
    fn bisect_right_is_pythons() {
        let a = [1.0, 3.0, 4.0];
        assert_eq!(bisect_right(&a, 0.5, 2), 0);
        assert_eq!(bisect_right(&a, 1.0, 2), 1);
        assert_eq!(bisect_right(&a, 3.5, 2), 2);
        assert_eq!(bisect_right(&a, 9.0, 2), 2);
        assert_eq!(bisect_right(&[f64::NAN, 1.0], 0.5, 1), 1);
    }

    #[test]
    fn unweighted_index_never_reaches_n() {
        let largest = 1.0 - f64::EPSILON / 2.0;
        for n in [
            1usize,
            2,
            3,
            1 << 53,
            (1 << 53) + 1,
            (1 << 54) - 1,
            usize::MAX,
        ] {
            #[allow(clippy::cast_precision_loss)]
            let product = largest * n as f64;
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let index = product.floor() as usize;
            assert!(index < n, "n = {n}");
        }
    }
}
