//! `SystemRandom`'s sequence methods: `choice`, `shuffle`, `sample`,
//! `choices`.
//!
//! The fast paths read exact lists, tuples, strings and ranges, whose item
//! access runs no Python code. The picks are the library's (CPython's
//! algorithms and bytes: [`SampleIndices`], `choices_indices`,
//! `shuffle_partners`), made in steps of [`STEP`](crate::draw::STEP)
//! values that the binding stores, with a [`switch_point`] after each,
//! so a waiting thread gets the GIL as it would from CPython's own loop;
//! input-sized work that reads no Python object (index pools, their wipe)
//! runs with the GIL released. `shuffle` swaps in place, as
//! CPython's does, and every input-sized buffer is allocated fallibly:
//! memory running out raises `MemoryError`.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFloat, PyList, PyString, PyTuple};
use secrets::sequences::{SampleIndices, Weights};
use zeroize::Zeroize;

use crate::capi::{Slots, arg, fast_fn, swap_items};
use crate::draw::{DETACH_AT, STEP, below_index, exact_f64, exact_i64, rng};
use crate::errors::{OrRaise, try_vec};
use crate::hooks::{Hooks, Uses, count, hooks, method};

/// A Python function that does nothing (`lambda: None`), made once.
static SWITCH_POINT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Lets a thread that waits for the GIL take it, as CPython's own loops
/// do: calls a Python function that does nothing, and the interpreter's
/// check on entering it hands the GIL over when a waiting thread has asked
/// for it (after the switch interval, 5 ms by default). Otherwise it costs
/// one call. It also runs pending signal handlers, so Ctrl-C interrupts a
/// long call.
///
/// Releasing the GIL and taking it straight back does not do this: every
/// taking counts as a switch, and a waiting thread asks for the GIL only
/// after a whole interval with no switch, so a loop that releases it
/// often keeps the waiter from ever asking (measured: 230 ms waits during
/// `choices` of 10^7 weights, 55 ms during `choices(range(10), k=10**7)`).
fn switch_point(py: Python<'_>) -> PyResult<()> {
    let noop = SWITCH_POINT.get_or_try_init(py, || {
        py.eval(c"lambda: None", None, None).map(Bound::unbind)
    })?;
    noop.call0(py)?;
    Ok(())
}

/// The population types the fast paths read directly.
pub(crate) enum Seq<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
    /// An exact `str`, indexed through the sequence protocol.
    Str(Bound<'py, PyAny>, usize),
    /// An exact `array.array` (weights and counts only), indexed through
    /// the sequence protocol; its length may change between steps.
    Array(Bound<'py, PyAny>),
    /// A `range` whose every element fits `i64`.
    Range {
        start: i64,
        step: i64,
        len: usize,
    },
}

impl<'py> Seq<'py> {
    /// The fast-path view of `ob`, or `None` for any other type.
    #[inline]
    pub(crate) fn of(hooks: &Hooks, ob: &Bound<'py, PyAny>) -> Option<Self> {
        let py = ob.py();
        if let Ok(list) = ob.cast_exact::<PyList>() {
            return Some(Seq::List(list.clone()));
        }
        if let Ok(tuple) = ob.cast_exact::<PyTuple>() {
            return Some(Seq::Tuple(tuple.clone()));
        }
        if ob.is_exact_instance_of::<PyString>() {
            return ob.len().ok().map(|n| Seq::Str(ob.clone(), n));
        }
        if ob.get_type().is(hooks.range_type.bind(py)) {
            let len = ob.len().ok()?;
            let start = exact_i64(&ob.getattr(intern!(py, "start")).ok()?)?;
            let step = exact_i64(&ob.getattr(intern!(py, "step")).ok()?)?;
            // The last element must fit too.
            let last =
                i128::from(start) + i128::from(step) * (i128::try_from(len).ok()? - 1).max(0);
            i64::try_from(last).ok()?;
            return Some(Seq::Range { start, step, len });
        }
        None
    }

    /// The current length (a list's may change while the GIL is released).
    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            Seq::List(l) => l.len(),
            Seq::Tuple(t) => t.len(),
            Seq::Str(_, n) => *n,
            Seq::Array(ob) => ob.len().unwrap_or(0),
            Seq::Range { len, .. } => *len,
        }
    }

    /// `seq[i]`; `IndexError` when a list has shrunk past `i`.
    #[inline]
    pub(crate) fn get(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Seq::List(l) => l.get_item(i),
            Seq::Tuple(t) => t.get_item(i),
            Seq::Str(ob, _) | Seq::Array(ob) => ob.get_item(i),
            #[allow(clippy::cast_possible_wrap)] // i < len, which `of` checked.
            Seq::Range { start, step, .. } => crate::draw::int(py, start + step * i as i64),
        }
    }
}

method! {
    /// `choice(seq)`; the module's `choice` is `_sysrand.choice`.
    sr_choice(py, hooks, slf, seq) as SrChoice => "choice", Uses::RANDBELOW, {
        // An exact list straight from its item array; the sequences
        // [`Seq`] reads, when not empty.
        if let Some(item) = crate::capi::random_item(seq, below_index)? {
            return Ok(Some(item));
        }
        let Some(s) = Seq::of(hooks, seq) else {
            return Ok(None);
        };
        match s.len() {
            0 => Ok(None),
            n => s.get(py, below_index(n)?).map(Some),
        }
    }
}

fast_fn! {
    /// `shuffle(x)` (and, up to 3.10, `shuffle(x, random)`).
    pub(crate) struct SrShuffle = "sr_shuffle", "(slf, x, random=None, /)", "";
    params ["slf", "x"; "random"], keywords false;
    |py, args| sr_shuffle(py, arg(args, 0)?, arg(args, 1)?, args[2].as_deref())
}

fn sr_shuffle<'py>(
    py: Python<'py>,
    slf: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    random: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    count();
    let hooks = hooks(py)?;
    let name = || intern!(py, "shuffle");
    match random.filter(|r| !r.is_none()) {
        None => hooks.method(
            slf,
            Uses::RANDBELOW,
            || {
                let Ok(list) = x.cast_exact::<PyList>() else {
                    return Ok(None);
                };
                shuffle_list(py, list)?;
                Ok(Some(py.None().into_bound(py)))
            },
            || hooks.cpython(py, name(), slf, &[x], &[]),
        ),
        Some(random) => hooks.cpython(py, name(), slf, &[x, random], &[]),
    }
}

/// CPython's Fisher-Yates, in place: for `i` from `len - 1` down to 1,
/// swap `x[i]` with `x[_randbelow(i + 1)]`. The swaps hold references to
/// both items, so no object is freed (and no finalizer runs) on the way;
/// another thread that shrinks the list meanwhile gets CPython's
/// `IndexError`.
fn shuffle_list(py: Python<'_>, list: &Bound<'_, PyList>) -> PyResult<()> {
    let top = list.len().saturating_sub(1);
    in_steps(
        py,
        top,
        |done, step| rng().shuffle_partners(top - done, step),
        |done, step| {
            if swap_items(list, top - done, step)? {
                return Ok(());
            }
            for (t, &j) in step.iter().enumerate() {
                let i = top - (done + t);
                let a = list.get_item(i)?;
                let b = list.get_item(j)?;
                list.set_item(i, b)?;
                list.set_item(j, a)?;
            }
            Ok(())
        },
    )
}

/// Makes `k` picks in steps of [`STEP`]: `draw(done, step)` fills a step,
/// `store(done, step)` does its Python work, and a [`switch_point`]
/// between steps lets a waiting thread in. The picks say which items were chosen: they are
/// wiped at the end.
fn in_steps(
    py: Python<'_>,
    k: usize,
    mut draw: impl FnMut(usize, &mut [usize]) -> secrets::Result<()>,
    mut store: impl FnMut(usize, &[usize]) -> PyResult<()>,
) -> PyResult<()> {
    let mut picks = [0usize; STEP];
    let mut used = 0;
    let mut done = 0;
    let result = loop {
        if done >= k {
            break Ok(());
        }
        let size = STEP.min(k - done);
        used = used.max(size);
        let step = &mut picks[..size];
        if let Err(err) = draw(done, step).or_raise() {
            break Err(err);
        }
        if let Err(err) = store(done, step) {
            break Err(err);
        }
        done += size;
        // Between steps only: a call of one step (most calls) pays nothing.
        if done < k {
            if let Err(err) = switch_point(py) {
                break Err(err);
            }
        }
    };
    picks[..used].zeroize();
    result
}

/// `out[done + t] = item(step[t])` for a step of picks (the slots before
/// `done` are the earlier steps').
fn store_picks<'py>(
    out: &mut Slots<'py>,
    done: usize,
    step: &[usize],
    mut item: impl FnMut(usize) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<()> {
    debug_assert_eq!(done, out.filled());
    for &j in step {
        out.push(item(j)?)?;
    }
    Ok(())
}

method! {
    /// `sample(population, k, *, counts=None)`.
    sr_sample(py, hooks, slf, population, k; counts) as SrSample => "sample", Uses::RANDBELOW, {
        let k = exact_i64(k).and_then(|k| usize::try_from(k).ok());
        let (Some(seq), Some(k)) = (Seq::of(hooks, population), k) else {
            return Ok(None);
        };
        if counts.is_none() {
            return Ok(if k <= seq.len() {
                Some(sample_fast(py, &seq, k)?.into_any())
            } else {
                None
            });
        }
        // CPython's code samples `range(total)` by `self.sample`: the
        // picks are ours while that is our own method.
        if !hooks.pristine(slf, Uses::SAMPLE) {
            return Ok(None);
        }
        sample_counted(py, hooks, &seq, counts, k).map(|list| list.map(Bound::into_any))
    }
}

/// CPython's `sample` with `counts`: `population[bisect(cum_counts, s)]`
/// for each `s` of `sample(range(total), k)`, with the running totals of
/// `counts` in Rust (read in steps) and the picks the library's. `None`
/// (CPython's code runs, and raises where it raises) unless `counts` is an
/// exact list, tuple or `array.array` of exact non-negative ints, one per
/// item, with a positive total of at least `k`.
fn sample_counted<'py>(
    py: Python<'py>,
    hooks: &Hooks,
    seq: &Seq<'py>,
    counts: &Bound<'py, PyAny>,
    k: usize,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let Some(cum) = cumulative_counts(py, hooks, counts)? else {
        return Ok(None);
    };
    let total = cum.last().copied().unwrap_or(0);
    if cum.len() != seq.len() || total == 0 || k > total {
        py.detach(move || drop(cum));
        return Ok(None);
    }
    // bisect_right: the first item whose running total passes the pick.
    let list = sample_items(py, total, k, |s| {
        seq.get(py, cum.partition_point(|&c| c <= s))
    });
    // Freed (80 MB of totals for 10**7 counts) without the GIL.
    py.detach(move || drop(cum));
    list.map(Some)
}

/// The running totals of `counts`, when it is [`numbers`] of exact
/// non-negative ints whose total fits `usize`.
fn cumulative_counts(
    py: Python<'_>,
    hooks: &Hooks,
    counts: &Bound<'_, PyAny>,
) -> PyResult<Option<Vec<usize>>> {
    let Some(seq) = numbers(hooks, counts) else {
        return Ok(None);
    };
    let mut total = 0usize;
    map_in_steps(py, &seq, |item| {
        let count = exact_i64(item).and_then(|c| usize::try_from(c).ok());
        total = total.checked_add(count?)?;
        Some(total)
    })
}

/// `ob` as a sequence of numbers the fast paths read: an exact list,
/// tuple or `array.array`.
fn numbers<'py>(hooks: &Hooks, ob: &Bound<'py, PyAny>) -> Option<Seq<'py>> {
    if let Ok(list) = ob.cast_exact::<PyList>() {
        Some(Seq::List(list.clone()))
    } else if let Ok(tuple) = ob.cast_exact::<PyTuple>() {
        Some(Seq::Tuple(tuple.clone()))
    } else if ob.get_type().is(hooks.array_type.bind(ob.py())) {
        Some(Seq::Array(ob.clone()))
    } else {
        None
    }
}

/// `each` of the items of `seq`, in order, read in steps of [`STEP`] with a
/// [`switch_point`] between them. `None` (CPython's code then runs) when
/// `each` gives `None` for an item, or the length changed meanwhile.
fn map_in_steps<'py, T>(
    py: Python<'py>,
    seq: &Seq<'py>,
    mut each: impl FnMut(&Bound<'py, PyAny>) -> Option<T>,
) -> PyResult<Option<Vec<T>>> {
    let n = seq.len();
    let mut out: Vec<T> = try_vec(n)?;
    for i in 0..n {
        if i > 0 && i % STEP == 0 {
            switch_point(py)?;
            if seq.len() != n {
                return Ok(None);
            }
        }
        let Some(value) = each(&seq.get(py, i)?) else {
            return Ok(None);
        };
        out.push(value);
    }
    Ok(Some(out))
}

/// Pools of at least this many indices are made, wiped and freed
/// without the GIL.
const DETACH_POOL: usize = DETACH_AT / std::mem::size_of::<usize>();

/// CPython's `sample` of `k <= n` items.
fn sample_fast<'py>(py: Python<'py>, seq: &Seq<'py>, k: usize) -> PyResult<Bound<'py, PyList>> {
    sample_items(py, seq.len(), k, |j| seq.get(py, j))
}

/// `k` distinct picks from `range(n)` by the library's [`SampleIndices`]
/// (CPython's two methods), in steps, each stored as `item(pick)`.
fn sample_items<'py>(
    py: Python<'py>,
    n: usize,
    k: usize,
    mut item: impl FnMut(usize) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    // As CPython's `[None] * k`: MemoryError before any draw when the
    // result cannot be made.
    let mut out = Slots::new(py, k)?;
    // The pool of n indices (80 MB for 10**7) is made without the GIL.
    let mut picks = if n >= DETACH_POOL {
        py.detach(|| SampleIndices::new(n, k))
    } else {
        SampleIndices::new(n, k)
    }
    .or_raise()?;
    let drawn = in_steps(
        py,
        k,
        |_, step| picks.fill(&rng(), step),
        |done, step| store_picks(&mut out, done, step, &mut item),
    );
    if n >= DETACH_POOL {
        // Wiped and freed without the GIL.
        py.detach(move || drop(picks));
    } else {
        drop(picks);
    }
    drawn?;
    out.finish()
}

method! {
    /// `choices(population, weights=None, *, cum_weights=None, k=1)`.
    sr_choices(py, hooks, slf, population, weights; cum_weights, k) as SrChoices => "choices", Uses::RANDOM, {
        let list = choices_fast(py, hooks, population, weights, cum_weights, k)?;
        Ok(list.map(Bound::into_any))
    }
}

fn choices_fast<'py>(
    py: Python<'py>,
    hooks: &Hooks,
    population: &Bound<'py, PyAny>,
    weights: &Bound<'py, PyAny>,
    cum_weights: &Bound<'py, PyAny>,
    k: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let (Some(seq), Some(k)) = (Seq::of(hooks, population), exact_i64(k)) else {
        return Ok(None);
    };
    let n = seq.len();
    if n == 0 {
        return Ok(None);
    }
    // CPython: a negative k gives an empty list.
    let k = usize::try_from(k).unwrap_or(0);
    let cum = match (weights.is_none(), cum_weights.is_none()) {
        (true, true) => None,
        (false, true) => match cumulative(py, hooks, weights, true)? {
            Some(c) => Some(c),
            None => return Ok(None),
        },
        (true, false) => match cumulative(py, hooks, cum_weights, false)? {
            Some(c) => Some(c),
            None => return Ok(None),
        },
        (false, false) => return Ok(None),
    };
    if let Some(c) = &cum {
        let total = c.last().copied().unwrap_or(f64::NAN);
        if c.len() != n || total <= 0.0 || !total.is_finite() {
            // CPython's code raises its own error.
            return Ok(None);
        }
    }
    let list = choices_steps(py, &seq, n, cum.as_deref(), k);
    py.detach(move || drop(cum));
    list.map(Some)
}

/// CPython's picks, in steps: the library's (`population[floor(random() *
/// n)]`, or CPython's bisection of `random() * total`).
fn choices_steps<'py>(
    py: Python<'py>,
    seq: &Seq<'py>,
    n: usize,
    cum: Option<&[f64]>,
    k: usize,
) -> PyResult<Bound<'py, PyList>> {
    // CPython's list comprehension grows its list to k items: made at
    // once here, it takes no more memory than CPython's list would at the
    // end, and a k too large for memory raises MemoryError before any draw.
    let mut out = Slots::new(py, k)?;
    let weights = cum.map_or(Weights::Equal, Weights::Cumulative);
    in_steps(
        py,
        k,
        |_, step| rng().choices_indices(n, weights, step),
        |done, step| store_picks(&mut out, done, step, |j| seq.get(py, j)),
    )?;
    out.finish()
}

/// Cumulative weights as floats, when Python's own arithmetic gives
/// exactly these values: exact floats, and exact ints while the running
/// integer total stays within 2**53, in an exact list, tuple or
/// `array.array`. `None` sends the call to CPython's code. Reads in steps,
/// with a [`switch_point`] between them.
fn cumulative(
    py: Python<'_>,
    hooks: &Hooks,
    weights: &Bound<'_, PyAny>,
    accumulate: bool,
) -> PyResult<Option<Vec<f64>>> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let Some(seq) = numbers(hooks, weights) else {
        return Ok(None);
    };
    let mut total = 0.0f64;
    let mut all_int = true;
    map_in_steps(py, &seq, |item| {
        let value = if item.is_exact_instance_of::<PyFloat>() {
            all_int = false;
            item.extract::<f64>().ok()?
        } else {
            exact_f64(item).filter(|v| v.abs() <= EXACT)?
        };
        total = if accumulate { total + value } else { value };
        if all_int && total.abs() > EXACT {
            return None;
        }
        Some(total)
    })
}
