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
//!   runs for a class that defines no `__new__`, again without the tuples.
#![allow(unsafe_code)]

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple, PyType};

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
