//! The binding's platform layer: the few calls into CPython's stable C API
//! that PyO3 has no safe form for. Everything else in the binding goes
//! through PyO3's safe API; the `unsafe` blocks of the package are here,
//! each with the reason it is sound.
//!
//! - [`generic_setattr`]: `PyObject_GenericSetAttr`, what
//!   `object.__setattr__(obj, name, value)` runs, without the argument
//!   tuple and its slice that calling `object.__setattr__` from Rust
//!   costs (under the limited API a call from Rust always builds a tuple).
//!   `uuid7` sets a `uuid.UUID`'s two slots with it, as the standard
//!   library's `UUID._from_int` does with `object.__setattr__`;
//! - [`new_instance`]: `PyType_GenericNew`, what `object.__new__(cls)`
//!   runs for a class that defines no `__new__`, again without the tuples;
//! - [`SlotPair`]: where the instances of one class keep two slot
//!   values, found once from a sample instance, so that `uuid7` can fill
//!   a new `uuid.UUID`'s `int` and `is_safe` as the slots' own descriptors
//!   do, without two `object.__setattr__` look-ups a call;
//! - [`Slots`]: `PyList_New`, a list of `k` slots made at once (the
//!   result of `sample` and `choices`), filled by the caller, kept out of
//!   Python's sight until every slot is set.
#![allow(unsafe_code)]

use pyo3::exceptions::{PyIndexError, PyMemoryError, PySystemError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple, PyType};

/// `object.__new__(cls)` for a plain, non-abstract class that defines no
/// `__new__` and takes no arguments to make: a new instance from the
/// class's own allocator, its slots empty.
///
/// # Errors
///
/// `MemoryError` when the instance cannot be allocated.
pub(crate) fn new_instance<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    let no_args = PyTuple::empty(py);
    // SAFETY: `cls` is a live type object held by its `Bound` for the
    // length of the call, with the GIL held; `no_args` is a live tuple
    // held likewise (`PyType_GenericNew` ignores both arguments but the
    // type). It calls the class's `tp_alloc` and returns a new reference,
    // or null with an exception set.
    let made = unsafe {
        ffi::PyType_GenericNew(cls.as_type_ptr(), no_args.as_ptr(), std::ptr::null_mut())
    };
    // SAFETY: `made` is that new reference (owned from here on) or null
    // with the exception set, as `from_owned_ptr_or_err` expects.
    unsafe { Bound::from_owned_ptr_or_err(py, made) }
}

/// `object.__setattr__(obj, name, value)`: sets `name` on `obj` through
/// the type's descriptors and the instance's `__dict__`, skipping any
/// `__setattr__` the class defines (a `uuid.UUID` refuses its own).
///
/// # Errors
///
/// What `object.__setattr__` raises: `AttributeError` for a name the
/// object has no slot or `__dict__` entry for, a descriptor's own error.
pub(crate) fn generic_setattr(
    obj: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: the three pointers are live objects, each held by a `Bound`
    // for the length of the call, and the GIL is held (a `Bound` proves
    // it). `PyObject_GenericSetAttr` only borrows them (it takes its own
    // reference to `value` when it stores it) and returns 0 or -1 with an
    // exception set.
    let status =
        unsafe { ffi::PyObject_GenericSetAttr(obj.as_ptr(), name.as_ptr(), value.as_ptr()) };
    if status == 0 {
        Ok(())
    } else {
        Err(PyErr::fetch(obj.py()))
    }
}

/// A new list of `len` slots, set in order by [`Slots::push`], then
/// handed out by [`Slots::finish`].
///
/// `PyList_New` makes the slot array at once (zeroed memory, so a large
/// one costs no time until written), where `[None] * k` made in pieces
/// grew it by copies that took up to 15 ms each for 10^7 slots, with the
/// GIL held. Its slots start null, which no Python code may see: the list
/// is taken off the garbage collector's lists (where `gc.get_objects()` in
/// another thread, at a switch point, would find it) until `finish`, and
/// only `finish` returns it, after every slot is set. Dropped unfinished
/// (an error, an interrupt), the list is freed: CPython frees null slots.
pub(crate) struct Slots<'py> {
    list: Bound<'py, PyList>,
    len: usize,
    filled: usize,
}

impl<'py> Slots<'py> {
    /// The list of `len` empty slots.
    ///
    /// # Errors
    ///
    /// `MemoryError` when it cannot be made, as for `[None] * len`.
    pub(crate) fn new(py: Python<'py>, len: usize) -> PyResult<Self> {
        let size = isize::try_from(len).map_err(|_| PyMemoryError::new_err(()))?;
        // SAFETY: the GIL is held (`py` proves it). `PyList_New` returns a
        // new reference to a list of `size` null slots, or null with an
        // exception set (MemoryError for a size it cannot allocate).
        let made = unsafe { ffi::PyList_New(size) };
        // SAFETY: `made` is that new reference (owned from here on) or
        // null with the exception set.
        let list = unsafe { Bound::from_owned_ptr_or_err(py, made) }?;
        let list = list.cast_into::<PyList>()?;
        // SAFETY: `list` is a live list the collector tracks (`PyList_New`
        // tracks it); `PyObject_GC_UnTrack` only unlinks it from the
        // collector's lists, and the list's own deallocator accepts an
        // untracked list.
        unsafe { ffi::PyObject_GC_UnTrack(list.as_ptr().cast()) };
        Ok(Slots {
            list,
            len,
            filled: 0,
        })
    }

    /// How many slots are set (the first that many).
    pub(crate) fn filled(&self) -> usize {
        self.filled
    }

    /// Sets the next slot (the first, then the second, ...).
    ///
    /// # Errors
    ///
    /// `IndexError` when every slot is already set.
    pub(crate) fn push(&mut self, item: Bound<'py, PyAny>) -> PyResult<()> {
        let index = self.filled;
        if index >= self.len {
            return Err(PyIndexError::new_err("list assignment index out of range"));
        }
        // SAFETY: `self.list` is a live list of `self.len` slots, `index`
        // is below that (checked above, so it fits an `isize` too), and
        // the GIL is held. `PyList_SetItem` takes over the reference
        // `into_ptr` gives it and releases what the slot held: nothing,
        // since slots are set in order, each once, and `index` is the
        // first not yet set.
        let status = unsafe {
            ffi::PyList_SetItem(
                self.list.as_ptr(),
                index as ffi::Py_ssize_t,
                item.into_ptr(),
            )
        };
        if status != 0 {
            return Err(PyErr::fetch(self.list.py()));
        }
        self.filled += 1;
        Ok(())
    }

    /// The list, once every slot is set, back on the collector's lists.
    ///
    /// # Errors
    ///
    /// `SystemError` when not every slot was set (a bug in the caller):
    /// the list is then freed, never shown.
    pub(crate) fn finish(self) -> PyResult<Bound<'py, PyList>> {
        if self.filled != self.len {
            return Err(PySystemError::new_err(format!(
                "{} of {} list slots set",
                self.filled, self.len
            )));
        }
        // SAFETY: every slot holds a reference (the `len` slots were set
        // in order, each once), the list is live and untracked (`new` untracked
        // it and nothing tracked it since), and the GIL is held.
        unsafe { ffi::PyObject_GC_Track(self.list.as_ptr().cast()) };
        Ok(self.list)
    }
}

/// Where the instances of one class keep the values of two of its
/// `__slots__`: byte offsets into the instance, found once by
/// [`SlotPair::find`] on a sample instance, used by
/// [`SlotPair::new_instance`] to fill a new instance's two slots as their
/// member descriptors would (a strong reference stored in an empty slot).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SlotPair {
    first: usize,
    second: usize,
}

impl SlotPair {
    /// The offsets of the slots of `sample` (an instance of `cls`) that
    /// hold `first` and `second`, two distinct objects just set on it, or
    /// `None` unless each is found exactly once among the pointer-sized
    /// words of the instance past its object header (then the caller sets
    /// the slots by name, as before).
    pub(crate) fn find(
        cls: &Bound<'_, PyType>,
        sample: &Bound<'_, PyAny>,
        first: &Bound<'_, PyAny>,
        second: &Bound<'_, PyAny>,
    ) -> Option<SlotPair> {
        if !sample.get_type().is(cls) || first.is(second) {
            return None;
        }
        let size: usize = cls.getattr("__basicsize__").ok()?.extract().ok()?;
        let word = size_of::<*mut ffi::PyObject>();
        let header = size_of::<ffi::PyObject>();
        let base = sample.as_ptr().cast::<u8>();
        let (mut found_first, mut found_second) = (Vec::new(), Vec::new());
        for offset in (header..size.saturating_sub(word - 1)).step_by(word) {
            let word_at = base.wrapping_add(offset).cast::<*mut ffi::PyObject>();
            // SAFETY: `sample` is a live instance of `cls` (checked above),
            // so its memory is at least `cls.__basicsize__` bytes long, and
            // `offset + word <= size`; it is an aligned word (objects are
            // aligned to at least a word, and offsets step by words). The
            // GIL is held, so nothing writes the instance meanwhile.
            let value = unsafe { word_at.read() };
            if value == first.as_ptr() {
                found_first.push(offset);
            }
            if value == second.as_ptr() {
                found_second.push(offset);
            }
        }
        match (found_first.as_slice(), found_second.as_slice()) {
            ([first], [second]) => Some(SlotPair {
                first: *first,
                second: *second,
            }),
            _ => None,
        }
    }

    /// A new instance of `cls` (as [`new_instance`] makes it) with its two
    /// slots holding `first` and `second`.
    ///
    /// `cls` must be the class the offsets were found on: the caller keeps
    /// the pair beside the class it belongs to.
    ///
    /// # Errors
    ///
    /// `MemoryError` when the instance cannot be allocated.
    pub(crate) fn new_instance<'py>(
        self,
        cls: &Bound<'py, PyType>,
        first: Bound<'py, PyAny>,
        second: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let made = new_instance(cls)?;
        let base = made.as_ptr().cast::<u8>();
        for (offset, value) in [(self.first, first), (self.second, second)] {
            let slot = base.wrapping_add(offset).cast::<*mut ffi::PyObject>();
            // SAFETY: `made` is a new instance of `cls`, whose layout the
            // offsets were found on (a class's instances share one
            // layout), so each offset is an aligned, in-bounds slot word;
            // the class's allocator zeroes a new instance, so the slot is
            // empty and there is no reference in it to release. Storing a
            // strong reference (`into_ptr`) is what the slot's member
            // descriptor does on `object.__setattr__`; the instance's
            // deallocator releases it. The GIL is held.
            unsafe { slot.write(value.into_ptr()) };
        }
        Ok(made)
    }
}
