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
//! - [`exact_int_i64`]: an exact int's value in one call;
//! - [`new_ref`] and [`make_immortal`]: a kept int's reference count, as
//!   CPython's headers count it for this ABI (PyO3 calls `Py_IncRef`), and
//!   made immortal from 3.12 as CPython's own small ints are;
//! - [`ascii_text`]: an ASCII `str`'s characters, read in place (under
//!   the 3.9 limited API PyO3 can only copy them), its kind read from the
//!   string's own `state` bits, where [`str_layout`] found them;
//! - [`new_ascii`]: a new `str` whose ASCII characters the library writes
//!   in place (`PyUnicode_New`, which the limited API leaves out);
//! - [`DictWatch`]: the changes of the namespaces the module functions
//!   read (the module's, `random`'s, `base64`'s) noticed without reading
//!   them (a dictionary watcher from 3.12, their versions before);
//! - [`TypeWatch`]: CPython's type watchers (3.12+), found at run time, so
//!   that a class's changes reach the fast paths without a look at the
//!   class's namespace on every call;
//! - [`CFastFunction`]: one of CPython's builtin functions called through
//!   its C function, with the caller's arguments (a call from Rust through
//!   the 3.9 limited API builds a tuple, which CPython then unpacks);
//! - [`dict_item_is`]: an identity check of a dictionary's item without
//!   taking a reference to it;
//! - [`new_instance`]: `PyType_GenericNew`, what `object.__new__(cls)`
//!   runs for a class that defines no `__new__`, again without the tuples;
//! - [`SlotPair`]: where the instances of one class keep two slot
//!   values, found once from a sample instance, so that `uuid7` can fill
//!   a new `uuid.UUID`'s `int` and `is_safe` as the slots' own descriptors
//!   do, without two `object.__setattr__` look-ups a call;
//! - [`Slots`]: `PyList_New`, a list of `k` slots made at once (the
//!   result of `sample` and `choices`), filled by the caller, kept out of
//!   Python's sight until every slot is set;
//! - [`random_item`]: `choice`'s read of an exact list's item, from
//!   the same item array;
//! - [`swap_items`]: `shuffle`'s swaps on a list's own item array, found
//!   once on a sample list (the API would take six calls a swap);
//! - [`FastCall`]: the hot functions as `METH_FASTCALL` functions, called
//!   with the caller's own array of arguments (PyO3 built for the 3.9
//!   limited API builds a tuple for every call, and parses it).
#![allow(unsafe_code)]

use std::ffi::{CStr, c_int};

use pyo3::exceptions::{PyIndexError, PyMemoryError, PySystemError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt, PyList, PyModule, PyString, PyTuple, PyType};

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

/// Is `dict[key]` the very object `expected`? A look-up that takes no
/// reference to what it finds (`PyDict_GetItemWithError`), which is all
/// an identity check needs: the patch checks of the module's functions
/// make one on every call. False when the key is missing or the look-up
/// raised (the error is cleared: the caller then runs the code that
/// reads the name itself, and meets the error there).
#[inline]
pub(crate) fn dict_item_is(
    dict: &Bound<'_, PyDict>,
    key: &Bound<'_, PyString>,
    expected: &Bound<'_, PyAny>,
) -> bool {
    // SAFETY: `dict` and `key` are live objects held by their `Bound`s,
    // with the GIL held. `PyDict_GetItemWithError` returns a borrowed
    // reference (or null), which is only compared, never used.
    let found = unsafe { ffi::PyDict_GetItemWithError(dict.as_ptr(), key.as_ptr()) };
    if found.is_null() {
        // A str key's hash and comparison cannot raise; should it, the
        // code that reads the name raises it again.
        let _ = PyErr::take(dict.py());
        return false;
    }
    std::ptr::eq(found, expected.as_ptr())
}

/// The value of an exact `int` (not a subclass: its `__index__` could
/// run Python code) when it fits `i64`, by `PyLong_AsLongLongAndOverflow`
/// alone: PyO3's `extract::<i64>` first checks the type's flags and, on
/// `-1`, asks whether an error is set, two more calls into the
/// interpreter on every integer argument of the hot calls.
pub(crate) fn exact_int_i64(ob: &Bound<'_, PyInt>) -> Option<i64> {
    let mut overflow: c_int = 0;
    // SAFETY: `ob` is a live exact int held by its `Bound`, with the GIL
    // held. For an int, `PyLong_AsLongLongAndOverflow` calls no Python
    // code and raises nothing: a value out of range sets `overflow` to
    // +1 or -1 (and returns -1) instead.
    let value = unsafe { ffi::PyLong_AsLongLongAndOverflow(ob.as_ptr(), &raw mut overflow) };
    (overflow == 0).then_some(value)
}

/// Does the running interpreter keep immortal objects (CPython 3.12 and
/// later), whose reference count is then its low 32 bits? Then the count
/// CPython gives an object it makes immortal (`_Py_IMMORTAL_REFCNT`,
/// `u32::MAX`, in 3.12 and 3.13; `_Py_IMMORTAL_INITIAL_REFCNT`, `3 << 30`,
/// from 3.14), else 0. Set once by [`note_interpreter`].
static IMMORTAL_COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Notes what [`new_ref`] and [`make_immortal`] need to know of the
/// running interpreter; called once, when the module is made.
pub(crate) fn note_interpreter(py: Python<'_>) {
    let count = if py.version_info() >= (3, 14) {
        3 << 30
    } else if py.version_info() >= (3, 12) {
        u32::MAX
    } else {
        0
    };
    IMMORTAL_COUNT.store(count, std::sync::atomic::Ordering::Relaxed);
}

/// A new reference to `ob`, made as CPython's own headers make one for an
/// extension of the 3.9 stable ABI (which this one is): the reference
/// count incremented in place, left alone on an immortal object. PyO3
/// calls the interpreter's `Py_IncRef` for every stable-ABI build, a
/// function call of about 2 ns; [`crate::draw::uint`] hands out one of its
/// kept ints this way (from 3.12 they are immortal, and no count is
/// written: see [`make_immortal`]).
#[cfg(target_pointer_width = "64")]
#[inline]
pub(crate) fn new_ref<'py>(ob: &Bound<'py, PyAny>) -> Bound<'py, PyAny> {
    let ptr = ob.as_ptr();
    // SAFETY: `ob` is live (held by its `Bound`) and the GIL is held, so
    // no other thread touches the count: the object's first word, an
    // aligned 64-bit count. (The free-threaded build, whose count is laid
    // out otherwise, does not load stable-ABI extensions.)
    let count = unsafe { (*ptr).ob_refcnt };
    // From 3.12 an object whose count's low 32 bits read negative is
    // immortal (3.15 keeps its ints below 1025 so, and so may be some of
    // the kept ints) and must not be counted; before, the whole word is
    // the count. Either way the word is written whole: the interpreter
    // reads it whole when it releases the reference, and a load wider
    // than the store before it stalls the processor. Below 2^31 the
    // increment carries nothing into the high half (3.14 keeps flags
    // there).
    #[allow(clippy::cast_possible_truncation)] // The low half, as CPython reads it.
    let immortal =
        IMMORTAL_COUNT.load(std::sync::atomic::Ordering::Relaxed) != 0 && (count as i32) < 0;
    if !immortal {
        // SAFETY: as above; CPython's headers for this ABI increment the
        // count as this does.
        unsafe {
            (*ptr).ob_refcnt = count + 1;
        }
    }
    // SAFETY: `ptr` is a live object, and the reference just made (or, on
    // an immortal object, none needed) is handed to the `Bound`, which
    // releases it as CPython's own code would.
    unsafe { Bound::from_owned_ptr(ob.py(), ptr) }
}

/// Makes `ob` immortal where the interpreter keeps immortal objects (3.12
/// and later), as CPython keeps its own small ints: the low 32 bits of its
/// count set to the count CPython gives an object it makes immortal
/// ([`IMMORTAL_COUNT`]; the high half, where 3.14 keeps flags, left as it
/// is). CPython then never counts it down, nor up (3.12 and 3.13 stop at
/// `u32::MAX`, 3.14 at any count whose low half reads negative).
/// [`crate::draw::uint`]'s kept ints are made so: they live as long as the
/// process anyway, and a drawn int then is, like CPython's below 257, one
/// whose count neither side writes, which takes two unpredictable branches
/// off each call (about 5 ns of `randbelow(1000)`). Nothing before 3.12.
#[cfg(target_pointer_width = "64")]
pub(crate) fn make_immortal(ob: &Bound<'_, PyAny>) {
    let immortal = IMMORTAL_COUNT.load(std::sync::atomic::Ordering::Relaxed);
    if immortal == 0 {
        return;
    }
    let ptr = ob.as_ptr();
    // SAFETY: `ob` is live (held by its `Bound`) and the GIL is held; its
    // first word is the aligned 64-bit count (see `new_ref`).
    let count = unsafe { (*ptr).ob_refcnt };
    #[allow(clippy::cast_possible_truncation)] // The low half, as CPython reads it.
    if (count as i32) < 0 {
        return; // Immortal already (one of CPython's own).
    }
    // SAFETY: as above. The object is an exact int the caller keeps for
    // good, so no reference to it is ever given back for the last time.
    unsafe {
        (*ptr).ob_refcnt = (count & !0xFFFF_FFFF) | immortal as isize;
    }
}

/// [`make_immortal`] on a 32-bit build: nothing.
#[cfg(not(target_pointer_width = "64"))]
pub(crate) fn make_immortal(_ob: &Bound<'_, PyAny>) {}

/// [`new_ref`] on a 32-bit build, whose count CPython lays out otherwise:
/// PyO3's own (`Py_IncRef`).
#[cfg(not(target_pointer_width = "64"))]
#[inline]
pub(crate) fn new_ref<'py>(ob: &Bound<'py, PyAny>) -> Bound<'py, PyAny> {
    ob.clone()
}

/// The characters of an exact `str` when all are ASCII, read in place:
/// CPython keeps an ASCII string's characters as one byte each, right
/// after the object's header, which is also their UTF-8 form. `None` for
/// a string with any other character (`compare_digest` then lets
/// CPython's own function raise its `TypeError`), or where the layout
/// could not be confirmed ([`str_layout`]).
///
/// The string's `state` bits say whether it is ASCII: CPython's own
/// `PyUnicode_IS_COMPACT_ASCII` reads the same bits (the C API has no
/// function for it, and `str.isascii()` is a method call of tens of
/// nanoseconds, more than comparing a short token costs).
pub(crate) fn ascii_text<'a>(text: &'a Bound<'_, PyString>) -> Option<&'a [u8]> {
    let layout = str_layout(text.py())?;
    let base = text.as_ptr().cast::<u8>();
    // SAFETY: `text` is a live exact str held by its `Bound` (the GIL is
    // held), at least `PyASCIIObject`-sized; `str_layout` found and
    // checked the aligned 32-bit `state` word at this offset within it.
    let state = unsafe { read_at::<u32>(text.as_any(), layout.state_at) };
    if state & STATE_MASK != COMPACT_ASCII {
        return None;
    }
    // SAFETY: as above, for the length word just after the object header.
    let len = unsafe { read_at::<usize>(text.as_any(), size_of::<ffi::PyObject>()) };
    // SAFETY: a compact ASCII string (its state bits say so) keeps its
    // `len` characters, one byte each, at `data_at` (checked by
    // `str_layout` on sample strings), for as long as the string lives:
    // while `text` is borrowed for `'a`. A str never changes, so reading
    // them needs no GIL.
    Some(unsafe { std::slice::from_raw_parts(base.wrapping_add(layout.data_at), len) })
}

/// Was the layout [`ascii_text`] reads confirmed?
pub(crate) fn ascii_in_place(py: Python<'_>) -> bool {
    str_layout(py).is_some()
}

/// The `state` bits of a str that say how it is kept: `kind` (bits 2-4),
/// `compact` (bit 5) and `ascii` (bit 6), after the two `interned` bits,
/// in the order `cpython/unicodeobject.h` declares them (3.3 to 3.15).
const STATE_MASK: u32 = 0b111_1100;
/// A compact ASCII string: kind 1 (one byte a character), compact, ASCII.
const COMPACT_ASCII: u32 = 0b110_0100;

/// Where a str keeps its `state` bits and a compact ASCII string its
/// characters.
#[derive(Clone, Copy)]
struct StrLayout {
    state_at: usize,
    data_at: usize,
    /// Can a new string be written in place ([`new_ascii`])?
    writable: bool,
}

static STR_LAYOUT: PyOnceLock<Option<StrLayout>> = PyOnceLock::new();

/// The str layout, found once and checked on sample strings: CPython's
/// `PyASCIIObject` is the object header, the length, the hash, then the
/// 32-bit `state` word. The word is taken only when it reads as each
/// sample's kind says (ASCII; Latin-1 but not ASCII; two and four bytes a
/// character), with the length word before it right; the characters'
/// place only when `PyUnicode_AsUTF8AndSize` lends each ASCII sample's
/// characters from that same place. Anything else (another layout, a
/// big-endian machine): `None`, and every string takes CPython's path.
fn str_layout(py: Python<'_>) -> Option<StrLayout> {
    *STR_LAYOUT.get_or_init(py, || {
        let word = size_of::<usize>();
        let header = size_of::<ffi::PyObject>();
        let state_at = header + 2 * word;
        // Every word read below ends within the basic size.
        basic_size(&py.get_type::<PyString>()).filter(|&basic| basic >= state_at + 4)?;
        // Each sample with the state bits its kind has.
        let samples = [
            ("x", COMPACT_ASCII),
            ("a token of some forty characters, all ASCII", COMPACT_ASCII),
            ("caf\u{e9}", 0b010_0100),
            ("\u{100}\u{101}", 0b010_1000),
            ("\u{10000}", 0b011_0000),
        ];
        let mut data_at = None;
        for (text, kind) in samples {
            let sample = PyString::new(py, text);
            // SAFETY: `sample` is a live str held by its `Bound`, at least
            // the basic size of a str; the word is aligned and below
            // `state_at`.
            let length = unsafe { read_at::<usize>(sample.as_any(), header) };
            // SAFETY: as above, for the 32-bit word ending at
            // `state_at + 4`, within the basic size (checked above).
            let state = unsafe { read_at::<u32>(sample.as_any(), state_at) };
            if length != text.chars().count() || state & STATE_MASK != kind {
                return None;
            }
            let ascii = kind == COMPACT_ASCII;
            if ascii {
                let lent = utf8_in_place(&sample)?;
                let at = (lent as usize).checked_sub(sample.as_ptr() as usize)?;
                if at < state_at + 4 || data_at.is_some_and(|found| found != at) {
                    return None;
                }
                data_at = Some(at);
            }
        }
        let mut layout = StrLayout {
            state_at,
            data_at: data_at?,
            writable: false,
        };
        // A new string written in place reads back as the same text.
        layout.writable = new_ascii_at(py, layout, 3, |buf| {
            buf.copy_from_slice(b"abc");
            Ok(())
        })
        .and_then(Result::ok)
        .is_some_and(|made| made.as_any().eq("abc").unwrap_or(false));
        Some(layout)
    })
}

/// A new `str` of `len` ASCII characters that `write` writes in place,
/// before any other code can see the string: `PyUnicode_New(len, 127)`
/// and the characters' place [`str_layout`] found, with no copy (the C
/// API's way of making a string, which the limited API leaves out).
/// `None` where that place could not be confirmed (or on Windows, whose
/// `python3.dll` lacks `PyUnicode_New`): the caller makes the string
/// another way.
///
/// # Errors
///
/// `MemoryError` when the string cannot be made; what `write` returns;
/// `SystemError` if `write` wrote anything but ASCII (the string is then
/// never shown to Python).
pub(crate) fn new_ascii<'py>(
    py: Python<'py>,
    len: usize,
    write: impl FnOnce(&mut [u8]) -> PyResult<()>,
) -> Option<PyResult<Bound<'py, PyString>>> {
    let layout = str_layout(py).filter(|layout| layout.writable)?;
    new_ascii_at(py, layout, len, write)
}

/// [`new_ascii`] at a given layout (whose `writable` is not yet known
/// while [`str_layout`] checks it).
#[cfg(not(windows))]
fn new_ascii_at<'py>(
    py: Python<'py>,
    layout: StrLayout,
    len: usize,
    write: impl FnOnce(&mut [u8]) -> PyResult<()>,
) -> Option<PyResult<Bound<'py, PyString>>> {
    unsafe extern "C" {
        fn PyUnicode_New(size: ffi::Py_ssize_t, maxchar: u32) -> *mut ffi::PyObject;
    }
    let size = ffi::Py_ssize_t::try_from(len).ok()?;
    // SAFETY: with the GIL held, `PyUnicode_New` (signature as in CPython's
    // `unicodeobject.h` since 3.3) returns a new reference to a new compact
    // str of `size` characters of at most U+007F (ASCII: one byte each, at
    // the place `str_layout` found), or null with an exception set.
    let made = unsafe { PyUnicode_New(size, 127) };
    // SAFETY: `made` is that new reference (owned from here on) or null
    // with the exception set, as `from_owned_ptr_or_err` expects.
    let made = match unsafe { Bound::from_owned_ptr_or_err(py, made) } {
        Ok(made) => made.cast_into::<PyString>().ok()?,
        Err(err) => return Some(Err(err)),
    };
    let base = made.as_ptr().cast::<u8>();
    // SAFETY: the new string's `len` characters (its terminating NUL after
    // them is not part of the slice) are at `data_at`, as `str_layout`
    // found for compact ASCII strings; no one else holds the string yet
    // (but for the shared empty string, of which the slice covers
    // nothing), so the slice is the only access to them until it is
    // dropped.
    let buf = unsafe { std::slice::from_raw_parts_mut(base.wrapping_add(layout.data_at), len) };
    if let Err(err) = write(buf) {
        return Some(Err(err));
    }
    if !buf.is_ascii() {
        return Some(Err(PySystemError::new_err(
            "a new str was written with non-ASCII bytes",
        )));
    }
    Some(Ok(made))
}

/// On Windows: `None` (see the other platforms' version).
#[cfg(windows)]
fn new_ascii_at<'py>(
    _py: Python<'py>,
    _layout: StrLayout,
    _len: usize,
    _write: impl FnOnce(&mut [u8]) -> PyResult<()>,
) -> Option<PyResult<Bound<'py, PyString>>> {
    None
}

/// `PyUnicode_AsUTF8AndSize`'s pointer for an ASCII string: the string's
/// own characters. In the limited API from 3.10 and exported by every
/// CPython 3 on Linux and macOS, where extensions find the interpreter's
/// functions by name; Windows' `python3.dll` before 3.10 lacks it, so
/// there every string takes CPython's path.
#[cfg(not(windows))]
fn utf8_in_place(ascii: &Bound<'_, PyString>) -> Option<*const u8> {
    unsafe extern "C" {
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut ffi::PyObject,
            size: *mut ffi::Py_ssize_t,
        ) -> *const std::ffi::c_char;
    }
    let mut size: ffi::Py_ssize_t = 0;
    // SAFETY: `ascii` is a live str held by its `Bound`, with the GIL held;
    // the function (signature as in CPython's `unicodeobject.h` since 3.3)
    // returns the string's UTF-8 form and its size, or null with an
    // exception set. Of an ASCII string it makes no copy.
    let utf8 = unsafe { PyUnicode_AsUTF8AndSize(ascii.as_ptr(), &raw mut size) };
    if utf8.is_null() {
        let _ = PyErr::take(ascii.py());
        return None;
    }
    Some(utf8.cast::<u8>())
}

/// On Windows: `None` (see the other platforms' version).
#[cfg(windows)]
fn utf8_in_place(_ascii: &Bound<'_, PyString>) -> Option<*const u8> {
    None
}

/// What CPython calls when a watched type changes (`PyType_WatchCallback`).
pub(crate) type TypeChanged = extern "C" fn(*mut ffi::PyTypeObject) -> c_int;

/// A class watched by one of CPython's type watchers (3.12 and later): the
/// interpreter calls a [`TypeChanged`] function whenever the class, or one
/// of its bases, is changed (`PyType_Modified`: an attribute set or
/// deleted, by any means). The functions are not in the limited API, and
/// not in 3.9-3.11 at all, so they are looked up by name when the module
/// is installed (`dlsym`); where any is missing, there is no watch.
///
/// CPython reports a series of changes once, until the class's version tag
/// is assigned again: after each report, [`rearm`](Self::rearm) assigns it
/// (`PyUnstable_Type_AssignVersionTag`), which fails for a class changed
/// too many times (about 1000 on 3.13); from then on the watch is no
/// longer reliable, and the caller stops relying on it.
pub(crate) struct TypeWatch {
    assign_version_tag: unsafe extern "C" fn(*mut ffi::PyTypeObject) -> c_int,
}

/// The function `name` of the running interpreter, if it has it.
#[cfg(unix)]
fn interpreter_function(name: &CStr) -> Option<*mut std::ffi::c_void> {
    // SAFETY: `dlsym` with `RTLD_DEFAULT` searches the symbols already
    // loaded into the process (the interpreter's among them) for a
    // nul-terminated name; it only reads them.
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    (!found.is_null()).then_some(found)
}

#[cfg(not(unix))]
fn interpreter_function(_name: &CStr) -> Option<*mut std::ffi::c_void> {
    None
}

impl TypeWatch {
    /// Starts watching `cls`, `changed` to be called on each change;
    /// `None` where the interpreter has no type watchers (before 3.12) or
    /// none is free (CPython allows eight).
    pub(crate) fn new(cls: &Bound<'_, PyType>, changed: TypeChanged) -> Option<Self> {
        type AddWatcher = unsafe extern "C" fn(TypeChanged) -> c_int;
        type Watch = unsafe extern "C" fn(c_int, *mut ffi::PyObject) -> c_int;
        type AssignVersionTag = unsafe extern "C" fn(*mut ffi::PyTypeObject) -> c_int;
        let add_watcher = interpreter_function(c"PyType_AddWatcher")?;
        let watch = interpreter_function(c"PyType_Watch")?;
        let assign = interpreter_function(c"PyUnstable_Type_AssignVersionTag")?;
        // The symbols are CPython's functions of those names, whose C
        // signatures (`cpython/object.h`, 3.12 and later) the types declare.
        // SAFETY: as just said.
        let add_watcher =
            unsafe { std::mem::transmute::<*mut std::ffi::c_void, AddWatcher>(add_watcher) };
        // SAFETY: as above.
        let watch = unsafe { std::mem::transmute::<*mut std::ffi::c_void, Watch>(watch) };
        // SAFETY: as above.
        let assign =
            unsafe { std::mem::transmute::<*mut std::ffi::c_void, AssignVersionTag>(assign) };
        // SAFETY: called with the GIL held; `changed` is a plain function
        // that stays valid for the life of the process. It returns the
        // watcher's number, or -1 with an exception set.
        let id = unsafe { add_watcher(changed) };
        if id < 0 {
            let _ = PyErr::take(cls.py());
            return None;
        }
        // SAFETY: `cls` is a live type held by its `Bound`, with the GIL
        // held; `id` is the watcher just registered. It returns 0, or -1
        // with an exception set.
        if unsafe { watch(id, cls.as_ptr()) } < 0 {
            let _ = PyErr::take(cls.py());
            return None;
        }
        Some(TypeWatch {
            assign_version_tag: assign,
        })
    }

    /// Makes the next change of `cls` reported again; false when CPython
    /// can no longer promise that (the class was changed too many times).
    pub(crate) fn rearm(&self, cls: &Bound<'_, PyType>) -> bool {
        // SAFETY: `cls` is a live type held by its `Bound`, with the GIL
        // held; the function returns 1 when the class has a version tag.
        unsafe { (self.assign_version_tag)(cls.as_type_ptr()) == 1 }
    }
}

/// What CPython calls when a watched dictionary is about to change
/// (`PyDict_WatchCallback`: the event, the dictionary, the key, the new
/// value).
pub(crate) type DictChanged =
    extern "C" fn(c_int, *mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> c_int;

/// How the changes of some dictionaries (module namespaces) are noticed
/// without reading them: their items are then read again only after a
/// change, instead of on every call.
#[derive(Clone, Copy)]
pub(crate) enum DictWatch {
    /// CPython's dictionary watchers (3.12 and later, not in the limited
    /// API, so looked up by name): a [`DictChanged`] function is called
    /// before each change.
    Watcher,
    /// The dictionary's version (PEP 509, CPython 3.6 to 3.11): a 64-bit
    /// word at `at` that CPython gives a new value, from one counter for
    /// all dictionaries, at each change.
    Version { at: usize },
}

impl DictWatch {
    /// Starts watching `dicts`: with one watcher where the interpreter has
    /// them and one is free, by their versions where [`version_at`]
    /// confirms where those are kept, otherwise not at all (`None`).
    pub(crate) fn new(dicts: &[&Bound<'_, PyDict>], changed: DictChanged) -> Option<Self> {
        let py = dicts.first()?.py();
        if watch_dicts(py, dicts, changed) {
            return Some(DictWatch::Watcher);
        }
        Self::by_version(py)
    }

    /// Watches dictionaries by their versions alone, where [`version_at`]
    /// confirms where those are kept (CPython 3.6 to 3.11).
    pub(crate) fn by_version(py: Python<'_>) -> Option<Self> {
        version_at(py).map(|at| DictWatch::Version { at })
    }

    /// When watched by their versions: the sum of the versions of `dicts`
    /// (those given to [`new`](Self::new), or any for
    /// [`by_version`](Self::by_version)). A change gives its dictionary a
    /// version above every version given before, so the sum grows at every
    /// change and never comes back.
    #[inline]
    pub(crate) fn version(self, py: Python<'_>, dicts: &[Py<PyDict>]) -> Option<u64> {
        match self {
            DictWatch::Watcher => None,
            DictWatch::Version { at } => Some(dicts.iter().fold(0u64, |sum, dict| {
                // SAFETY: each is a live exact dict (held by its `Py`,
                // the GIL held: `py` proves it), and `version_at` found
                // its aligned 64-bit version word at `at`, within it.
                sum.wrapping_add(unsafe { read_at::<u64>(dict.bind(py).as_any(), at) })
            })),
        }
    }
}

/// The size of an instance of `cls` before any items (`__basicsize__`):
/// the bound of the words a layout check may read.
fn basic_size(cls: &Bound<'_, PyType>) -> Option<usize> {
    cls.getattr("__basicsize__").ok()?.extract().ok()
}

/// Reads a `T` at `offset` bytes into `ob`.
///
/// # Safety
///
/// `ob` must hold an aligned, initialised `T` at `offset`, within the
/// object, and the GIL must be held (no one writes it meanwhile).
#[inline]
unsafe fn read_at<T: Copy>(ob: &Bound<'_, PyAny>, offset: usize) -> T {
    // SAFETY: as the caller promises.
    unsafe {
        ob.as_ptr()
            .cast::<u8>()
            .wrapping_add(offset)
            .cast::<T>()
            .read()
    }
}

/// Has one dictionary watcher been set on each of `dicts`?
fn watch_dicts(py: Python<'_>, dicts: &[&Bound<'_, PyDict>], changed: DictChanged) -> bool {
    type AddWatcher = unsafe extern "C" fn(DictChanged) -> c_int;
    type Watch = unsafe extern "C" fn(c_int, *mut ffi::PyObject) -> c_int;
    let (Some(add_watcher), Some(watch)) = (
        interpreter_function(c"PyDict_AddWatcher"),
        interpreter_function(c"PyDict_Watch"),
    ) else {
        return false;
    };
    // The symbols are CPython's functions of those names, whose C
    // signatures (`cpython/dictobject.h`, 3.12 and later) the types
    // declare.
    // SAFETY: as just said.
    let add_watcher =
        unsafe { std::mem::transmute::<*mut std::ffi::c_void, AddWatcher>(add_watcher) };
    // SAFETY: as above.
    let watch = unsafe { std::mem::transmute::<*mut std::ffi::c_void, Watch>(watch) };
    // SAFETY: called with the GIL held; `changed` is a plain function that
    // stays valid for the life of the process. It returns the watcher's
    // number, or -1 with an exception set.
    let id = unsafe { add_watcher(changed) };
    // SAFETY: each dict is live, held by its `Bound`, with the GIL held;
    // `id` is the watcher just registered. It returns 0, or -1 with an
    // exception set.
    let watched = id >= 0
        && dicts
            .iter()
            .all(|dict| unsafe { watch(id, dict.as_ptr()) } == 0);
    if !watched {
        let _ = PyErr::take(py);
    }
    watched
}

/// Where a dictionary keeps its version, found and checked on sample
/// dictionaries: CPython's `PyDictObject` (3.6 to 3.11) is the object
/// header, the number of items, then the 64-bit version. Taken only when
/// the word before it counts the items, and the word itself takes a new,
/// larger value at each kind of change (an item added, replaced,
/// removed), stays put when nothing changes, and moves on a change of
/// another dictionary only in that one. Where CPython no longer keeps a
/// version there (3.14 made the word a watcher tag that changes do not
/// move) the checks fail: `None`.
fn version_at(py: Python<'_>) -> Option<usize> {
    let header = size_of::<ffi::PyObject>();
    let (used_at, at) = (header, header + size_of::<usize>());
    // Every word read below ends within the basic size.
    basic_size(&py.get_type::<PyDict>()).filter(|&basic| basic >= at + 8)?;
    let first = PyDict::new(py);
    let other = PyDict::new(py);
    let read = |dict: &Bound<'_, PyDict>| {
        // SAFETY: a live exact dict (the GIL is held), at least the basic
        // size of a dict; the word is aligned and ends before `at`.
        let used = unsafe { read_at::<usize>(dict.as_any(), used_at) };
        // SAFETY: as above, for the word ending at `at + 8`, within the
        // basic size (checked above).
        let version = unsafe { read_at::<u64>(dict.as_any(), at) };
        (used, version)
    };
    let key = PyString::new(py, "key");
    let mut last = read(&first);
    let mut step = |change: &dyn Fn() -> PyResult<()>, items: usize| -> Option<()> {
        change().ok()?;
        let now = read(&first);
        (now.0 == items && now.1 > last.1).then_some(())?;
        last = now;
        Some(())
    };
    step(&|| first.set_item(&key, 1), 1)?;
    step(&|| first.set_item(&key, "another value"), 1)?;
    step(&|| first.del_item(&key), 0)?;
    step(&|| first.set_item(&key, 2), 1)?;
    let before = read(&first);
    other.set_item(&key, 1).ok()?;
    let _ = first.get_item(&key).ok()?;
    (read(&first) == before && read(&other).1 > before.1).then_some(at)
}

/// A builtin function of the interpreter that takes its arguments as an
/// array and no keywords (`METH_FASTCALL`), called through its C function
/// as the interpreter calls it: the arguments the caller holds, no tuple.
/// `compare_digest` hands short strings to CPython's own comparison this
/// way, for about the price of a call from Python.
pub(crate) struct CFastFunction {
    /// The function object: holds the module (`self`) that the C
    /// function is called with.
    function: Py<PyAny>,
    c_function: PositionalFunction,
}

/// What CPython calls for `METH_FASTCALL` alone.
type PositionalFunction = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
) -> *mut ffi::PyObject;

impl CFastFunction {
    /// `function`'s C function, when `function` is a builtin function whose
    /// flags are `METH_FASTCALL` alone; `None` for anything else (a
    /// Python function, keywords, another calling convention).
    pub(crate) fn new(function: &Bound<'_, PyAny>) -> Option<Self> {
        let ptr = function.as_ptr();
        // The flags and the C function are read only once the type check
        // says `function` is a builtin function.
        // SAFETY: `function` is a live object held by its `Bound`, with
        // the GIL held.
        if unsafe { ffi::PyCFunction_Check(ptr) } == 0 {
            return None;
        }
        // SAFETY: as above, and `function` is a builtin function.
        if unsafe { ffi::PyCFunction_GetFlags(ptr) } != METH_FASTCALL {
            return None;
        }
        // SAFETY: as above, and `function` is a builtin function.
        let c_function = unsafe { ffi::PyCFunction_GetFunction(ptr) }?;
        // SAFETY: the flags are exactly `METH_FASTCALL`, which tells the
        // interpreter to call the stored function pointer as a
        // `PositionalFunction` (its `cfunction_vectorcall_FASTCALL` casts
        // it the same way); the pointer is stored under the generic type.
        let c_function =
            unsafe { std::mem::transmute::<ffi::PyCFunction, PositionalFunction>(c_function) };
        Some(CFastFunction {
            function: function.clone().unbind(),
            c_function,
        })
    }

    /// Calls the function with these two positional arguments.
    ///
    /// # Errors
    ///
    /// What the function raises.
    pub(crate) fn call<'py>(
        &self,
        py: Python<'py>,
        args: &[&Bound<'py, PyAny>; 2],
    ) -> PyResult<Bound<'py, PyAny>> {
        let array = args.map(Bound::as_ptr);
        // SAFETY: `self.function` is a live builtin function (checked in
        // `new`), with the GIL held; its `self` (its module, or null) is
        // borrowed from it, and `self.function` keeps it alive.
        let module = unsafe { ffi::PyCFunction_GetSelf(self.function.as_ptr()) };
        // SAFETY: with the GIL held, the C function gets what the
        // interpreter gives it: its `self`, an array of borrowed references
        // to live arguments (held by the caller's `Bound`s), and their
        // number. It returns a new reference, or null with an exception set.
        let result = unsafe { (self.c_function)(module, array.as_ptr(), 2) };
        // SAFETY: `result` is that new reference (owned from here on) or
        // null with the exception set, as `from_owned_ptr_or_err` expects.
        unsafe { Bound::from_owned_ptr_or_err(py, result) }
    }
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
        let size = basic_size(cls)?;
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

/// `METH_FASTCALL`: the function takes its arguments as a C array, as
/// Python's vectorcall passes them, with no tuple or dict made for the
/// call. CPython has honoured it since 3.7; the limited API names it from
/// 3.10 (so PyO3, built for 3.9's, builds every call's tuple instead).
const METH_FASTCALL: c_int = 0x0080;

/// The most arguments a [`FastCall`] function takes.
pub(crate) const MAX_ARGS: usize = 5;

/// A [`FastCall`] function's arguments, in its parameters' order: `None`
/// for one not given.
pub(crate) type Args<'a, 'py> = [Option<Borrowed<'a, 'py, PyAny>>; MAX_ARGS];

/// A function of the extension module that Python calls by the fastest
/// convention it has, `METH_FASTCALL | METH_KEYWORDS`: the arguments come
/// as the caller's own array, so no tuple is built and none is parsed.
/// Calls and errors go through PyO3's own trampoline (its panic trap and
/// its count of attached threads), as a `#[pyfunction]`'s do.
///
/// The hot functions (the module's functions, the `sr_*` functions behind
/// `SystemRandom`'s methods, and the benchmark's no-op floor) are these;
/// [`add_function`] adds one to the module. The `fast_fn!` macro writes
/// the type and its constants from a name, signature and doc.
pub(crate) trait FastCall {
    /// The name Python knows the function by.
    const NAME: &'static CStr;
    /// Its `__doc__`, behind its text signature as CPython reads it:
    /// `name(params)\n--\n\ndoc`.
    const DOC: &'static CStr;
    /// Its parameters' names, in order (at most [`MAX_ARGS`]).
    const PARAMS: &'static [&'static str];
    /// How many of the first parameters must be given.
    const REQUIRED: usize;
    /// May the parameters be given by keyword? (Otherwise they are
    /// positional-only.)
    const KEYWORDS: bool;
    /// The Python function whose argument errors are this function's: a
    /// call whose arguments do not fit the signature is passed to it, so
    /// that the `TypeError` is the running interpreter's own, word for word
    /// (`None`: [`parse`]'s, worded as CPython's for a Python function).
    fn reference<'py>(_py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(None)
    }
    /// The function, given its arguments by [`parse`].
    fn call<'py>(py: Python<'py>, args: &Args<'_, 'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// Writes a [`FastCall`] type: `name(signature)`, its doc, its parameters
/// (those before `;` required), whether they take keywords, optionally the
/// function that finds its [`reference`](FastCall::reference) for argument
/// errors (called with `py` and the function's name), and the body (given
/// `py` and the [`Args`]).
macro_rules! fast_fn {
    (
        $(#[$attr:meta])*
        $vis:vis struct $ty:ident = $name:expr, $sig:expr, $doc:expr;
        params [$($req:expr),* $(; $($opt:expr),*)?], keywords $kw:literal;
        $(reference $reference:path;)?
        |$py:ident, $args:ident| $body:expr
    ) => {
        $(#[$attr])*
        #[allow(non_camel_case_types)]
        $vis struct $ty;

        impl $crate::capi::FastCall for $ty {
            const NAME: &'static ::std::ffi::CStr =
                $crate::capi::c_str(concat!($name, "\0"));
            const DOC: &'static ::std::ffi::CStr =
                $crate::capi::c_str(concat!($name, $sig, "\n--\n\n", $doc, "\0"));
            const PARAMS: &'static [&'static str] = &[$($req,)* $($($opt,)*)?];
            const REQUIRED: usize = <[&str]>::len(&[$($req),*]);
            const KEYWORDS: bool = $kw;
            $(
                fn reference<'py>(
                    py: ::pyo3::Python<'py>,
                ) -> ::pyo3::PyResult<Option<::pyo3::Bound<'py, ::pyo3::PyAny>>> {
                    $reference(py, $name).map(Some)
                }
            )?
            fn call<'py>(
                $py: ::pyo3::Python<'py>,
                $args: &$crate::capi::Args<'_, 'py>,
            ) -> ::pyo3::PyResult<::pyo3::Bound<'py, ::pyo3::PyAny>> {
                $body
            }
        }

        // At most `MAX_ARGS` parameters, checked when the crate builds.
        const _: () = assert!(
            <$ty as $crate::capi::FastCall>::PARAMS.len() <= $crate::capi::MAX_ARGS
                && <$ty as $crate::capi::FastCall>::REQUIRED
                    <= <$ty as $crate::capi::FastCall>::PARAMS.len()
        );
    };
}
pub(crate) use fast_fn;

/// A C string constant from a literal that ends in its only NUL (a
/// compile-time error otherwise).
pub(crate) const fn c_str(text: &'static str) -> &'static CStr {
    match CStr::from_bytes_with_nul(text.as_bytes()) {
        Ok(c) => c,
        Err(_) => panic!("a C string ends in its only NUL"),
    }
}

/// The next argument of a [`FastCall`] function whose parameters are all
/// required; `TypeError` if [`parse`] let one be missing (it does not).
#[inline]
pub(crate) fn next_arg<'b, 'py>(
    given: &mut std::slice::Iter<'b, Option<Borrowed<'_, 'py, PyAny>>>,
) -> PyResult<&'b Bound<'py, PyAny>> {
    given.next().and_then(|a| a.as_deref()).ok_or_else(missing)
}

/// Argument `i` of a [`FastCall`] function, which [`parse`] has checked
/// to be given (a required one); `TypeError` otherwise.
#[inline]
pub(crate) fn arg<'b, 'py>(args: &'b Args<'_, 'py>, i: usize) -> PyResult<&'b Bound<'py, PyAny>> {
    args[i].as_deref().ok_or_else(missing)
}

/// The error of a required argument [`parse`] let through missing, which
/// it does not: [`arg`] and [`next_arg`] return it rather than panic.
fn missing() -> PyErr {
    PyTypeError::new_err("missing required argument")
}

/// Adds the [`FastCall`] function `F` to the module `m`, as PyO3 adds a
/// `#[pyfunction]`: bound to the module, with its `__module__`.
pub(crate) fn add_function<F: FastCall>(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let fast: FastFunction = trampoline::<F>;
    // The definition lives as long as the function, which may be as long
    // as the process: it is made once, when the module is.
    let def: &'static mut ffi::PyMethodDef = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: F::NAME.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            // SAFETY: CPython calls `ml_meth` by the convention `ml_flags`
            // names: with `METH_FASTCALL | METH_KEYWORDS`, as a
            // `FastFunction`, the very type `fast` has. The union only has
            // a member of that type from 3.10 on, so the pointer is stored
            // as a `PyCFunction`, as C extensions cast it; the two are
            // function pointers of the same size.
            PyCFunction: unsafe { std::mem::transmute::<FastFunction, ffi::PyCFunction>(fast) },
        },
        ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: F::DOC.as_ptr(),
    }));
    let py = m.py();
    let module_name = m.name()?;
    // SAFETY: `def` is a valid, never freed method definition; `m` and
    // `module_name` are live objects held by their `Bound`s, with the GIL
    // held. `PyCFunction_NewEx` takes its own references to both and
    // returns a new reference, or null with an exception set.
    let made = unsafe { ffi::PyCFunction_NewEx(def, m.as_ptr(), module_name.as_ptr()) };
    // SAFETY: `made` is that new reference or null with the exception set.
    let function = unsafe { Bound::from_owned_ptr_or_err(py, made) }?;
    m.add(F::NAME.to_str()?, function)
}

/// What CPython calls for `METH_FASTCALL | METH_KEYWORDS`.
type FastFunction = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// The C function behind `F`: PyO3's trampoline around [`call`].
unsafe extern "C" fn trampoline<F: FastCall>(
    module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this as a `METH_FASTCALL | METH_KEYWORDS`
    // function, attached to the interpreter, with `nargs` positional
    // arguments in `args` followed by one value per name in the tuple
    // `kwnames` (or null), as PyO3's `fastcall_with_keywords` expects.
    unsafe {
        pyo3::impl_::trampoline::fastcall_with_keywords(module, args, nargs, kwnames, call::<F>)
    }
}

/// Parses the arguments and runs `F`, giving PyO3's trampoline the new
/// reference it returns to Python.
unsafe fn call<F: FastCall>(
    py: Python<'_>,
    _module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> PyResult<*mut ffi::PyObject> {
    // SAFETY: as [`trampoline`] was called: `args` holds `nargs` values,
    // then one per name in `kwnames`, all borrowed for the call.
    let vector = unsafe { Vector::read(py, args, nargs, kwnames) }?;
    let given = match parse::<F>(&vector) {
        Ok(given) => given,
        Err(err) => {
            let Some(reference) = F::reference(py)? else {
                return Err(err);
            };
            let (positional, keywords) = as_python(&vector)?;
            // It raises the interpreter's own TypeError for these
            // arguments (its signature is ours).
            return reference
                .call(positional, keywords.as_ref())
                .map(Bound::into_ptr);
        }
    };
    F::call(py, &given).map(Bound::into_ptr)
}

/// A vectorcall's arguments as CPython passes them: `nargs` positional
/// values, then one value per name in `kwnames`, in one array. The one
/// reader of that array, for [`parse`] and [`as_python`].
struct Vector<'a, 'py> {
    positional: usize,
    /// The keyword names; `None` when there are none.
    names: Option<Borrowed<'a, 'py, PyTuple>>,
    values: &'a [*mut ffi::PyObject],
    py: Python<'py>,
}

impl<'a, 'py> Vector<'a, 'py> {
    /// Reads the array.
    ///
    /// # Safety
    ///
    /// As CPython calls a vectorcall function: `args` holds `nargs`
    /// values, then one per name in `kwnames` (null or a tuple of str),
    /// all borrowed for the call, which outlives `'a`.
    #[inline(always)]
    unsafe fn read(
        py: Python<'py>,
        args: *const *mut ffi::PyObject,
        nargs: ffi::Py_ssize_t,
        kwnames: *mut ffi::PyObject,
    ) -> PyResult<Self> {
        let positional = usize::try_from(nargs).unwrap_or(0);
        let names = if kwnames.is_null() {
            None
        } else {
            // SAFETY: a non-null `kwnames` is a live tuple of str the
            // caller holds for the call.
            let names = unsafe { Borrowed::from_ptr(py, kwnames) };
            Some(names.cast::<PyTuple>()?).filter(|n| !n.is_empty())
        };
        let keywords = names.as_ref().map_or(0, |n| n.len());
        let values: &[*mut ffi::PyObject] = if positional + keywords == 0 {
            &[]
        } else {
            // SAFETY: CPython passes `nargs` positional values, then one
            // per keyword name, in one array it holds for the call.
            unsafe { std::slice::from_raw_parts(args, positional + keywords) }
        };
        Ok(Vector {
            positional,
            names,
            values,
            py,
        })
    }

    /// The value at `at`: the positional ones first, then the keywords'.
    #[inline(always)]
    fn value(&self, at: usize) -> Borrowed<'a, 'py, PyAny> {
        // SAFETY: every pointer in `values` is a live object the caller
        // holds for the call (see [`read`](Self::read)).
        unsafe { Borrowed::from_ptr(self.py, self.values[at]) }
    }
}

/// A vectorcall's arguments as a tuple and a dictionary of keywords
/// (`None` when there are none), to pass on to a Python function.
fn as_python<'py>(
    vector: &Vector<'_, 'py>,
) -> PyResult<(Bound<'py, PyTuple>, Option<Bound<'py, PyDict>>)> {
    let tuple = PyTuple::new(vector.py, (0..vector.positional).map(|i| vector.value(i)))?;
    let dict = match &vector.names {
        Some(names) => {
            let dict = PyDict::new(vector.py);
            for (j, key) in names.iter().enumerate() {
                dict.set_item(key, vector.value(vector.positional + j))?;
            }
            Some(dict)
        }
        None => None,
    };
    Ok((tuple, dict))
}

/// `F`'s arguments from a vectorcall, in its parameters' order, with
/// `TypeError`s worded as CPython's for a Python function.
fn parse<'a, 'py, F: FastCall>(vector: &Vector<'a, 'py>) -> PyResult<Args<'a, 'py>> {
    let params = F::PARAMS;
    // Only an error names the function.
    let name = || F::NAME.to_string_lossy();
    let mut given: Args<'a, 'py> = [None; MAX_ARGS];
    let positional = vector.positional;
    if positional > params.len() {
        let takes = if F::REQUIRED == params.len() {
            format!("{}", params.len())
        } else {
            format!("from {} to {}", F::REQUIRED, params.len())
        };
        // CPython's plural: "from 0 to 1 positional arguments".
        let noun = if F::REQUIRED == 1 && params.len() == 1 {
            "argument"
        } else {
            "arguments"
        };
        let verb = if positional == 1 { "was" } else { "were" };
        return Err(PyTypeError::new_err(format!(
            "{}() takes {takes} positional {noun} but {positional} {verb} given",
            name()
        )));
    }
    for (i, slot) in given.iter_mut().enumerate().take(positional) {
        *slot = Some(vector.value(i));
    }
    if let Some(names) = &vector.names {
        if !F::KEYWORDS {
            return Err(PyTypeError::new_err(format!(
                "{}() takes no keyword arguments",
                name()
            )));
        }
        for (j, key) in names.iter().enumerate() {
            let key = key.cast_into::<PyString>()?;
            let key = key.to_cow()?;
            let Some(i) = params.iter().position(|p| *p == key) else {
                return Err(PyTypeError::new_err(format!(
                    "{}() got an unexpected keyword argument '{key}'",
                    name()
                )));
            };
            if given[i].is_some() {
                return Err(PyTypeError::new_err(format!(
                    "{}() got multiple values for argument '{key}'",
                    name()
                )));
            }
            given[i] = Some(vector.value(positional + j));
        }
    }
    let absent: Vec<&str> = (0..F::REQUIRED)
        .filter(|&i| given[i].is_none())
        .map(|i| params[i])
        .collect();
    if !absent.is_empty() {
        let listed = match absent.as_slice() {
            [one] => format!("'{one}'"),
            [first, second] => format!("'{first}' and '{second}'"),
            [init @ .., last] => format!(
                "{}, and '{last}'",
                init.iter()
                    .map(|p| format!("'{p}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            [] => String::new(),
        };
        let noun = if absent.len() == 1 {
            "argument"
        } else {
            "arguments"
        };
        return Err(PyTypeError::new_err(format!(
            "{}() missing {} required positional {noun}: {listed}",
            name(),
            absent.len()
        )));
    }
    Ok(given)
}

/// Where an exact list keeps the pointer to its item array, found once
/// (`None`: not found, and [`random_item`] and [`swap_items`] leave their
/// work to the API).
static LIST_ITEMS_AT: PyOnceLock<Option<usize>> = PyOnceLock::new();

/// The offset of a list's item-array pointer, checked on a sample list:
/// CPython's `PyListObject` is a variable-size object header (whose last
/// word is the length) followed by the item-array pointer and the
/// allocated size. The pointer is read only when both words around it
/// hold what a new list of three items holds (length 3, allocated 3), and
/// taken only when the array it points to holds the three items, in
/// order, as `PyList_GetItem` gives them.
fn list_items_at(py: Python<'_>) -> Option<usize> {
    *LIST_ITEMS_AT.get_or_init(py, || {
        let items = [
            py.None().into_bound(py).into_any(),
            PyTuple::empty(py).into_any(),
            PyString::new(py, "x").into_any(),
        ];
        let sample = PyList::new(py, &items).ok()?;
        let word = size_of::<usize>();
        let header = size_of::<ffi::PyObject>();
        basic_size(&sample.get_type()).filter(|&basic| basic >= header + 3 * word)?;
        let base = sample.as_ptr().cast::<u8>();
        let read = |offset: usize| {
            // SAFETY: `offset + word <= header + 3 * word`, within the
            // list's basic size (checked above), and
            // word-aligned (objects are aligned to at least a word); the
            // GIL is held, so nothing writes the list meanwhile.
            unsafe { base.wrapping_add(offset).cast::<usize>().read() }
        };
        let (length, array, allocated) =
            (read(header), read(header + word), read(header + 2 * word));
        if length != 3 || allocated != 3 || array == 0 || array % word != 0 {
            return None;
        }
        // SAFETY: the words around it are the list's length and allocated
        // size, so this word is `PyListObject.ob_item`, an array of
        // `allocated` (3) item pointers, live while `sample` is.
        let held = unsafe { std::slice::from_raw_parts(array as *const *mut ffi::PyObject, 3) };
        let same = held
            .iter()
            .zip(&items)
            .all(|(p, item)| std::ptr::eq(*p, item.as_ptr()));
        same.then_some(header + word)
    })
}

/// An exact list's length and item array, read from the object where
/// [`list_items_at`] found them: the one reader [`random_item`] and
/// [`swap_items`] share. `None` when `list` is not an exact list or the
/// places are not known (the caller then goes through the API). The array
/// holds `len` live items until Python code next runs or the GIL is let go.
fn item_array(list: &Bound<'_, PyAny>) -> Option<(usize, *mut *mut ffi::PyObject)> {
    let at = list_items_at(list.py()).filter(|_| list.is_exact_instance_of::<PyList>())?;
    let base = list.as_ptr().cast::<u8>();
    // SAFETY: `list` is a live exact list (the GIL is held: a `Bound`
    // proves it), whose length is the word before its item-array pointer,
    // at `at - word`, as `list_items_at` found and checked it; the word is
    // aligned and within the object.
    let len = unsafe {
        base.wrapping_add(at - size_of::<usize>())
            .cast::<usize>()
            .read()
    };
    // SAFETY: as above, for the item-array pointer at `at`.
    let array = unsafe {
        base.wrapping_add(at)
            .cast::<*mut *mut ffi::PyObject>()
            .read()
    };
    Some((len, array))
}

/// `list[pick(len(list))]` for an exact, non-empty `list`, read from its
/// item array: `choice`'s one draw and one read without the three calls
/// into the interpreter (length, item, and the view's reference) the API
/// takes. `Ok(None)` (nothing drawn) when `list` is empty, not an exact
/// list, or its item array could not be found: the caller then reads it
/// through the API. `pick` draws from the kernel and runs no Python code,
/// so the list cannot change between the read of its length and of the
/// item.
pub(crate) fn random_item<'py>(
    list: &Bound<'py, PyAny>,
    pick: impl FnOnce(usize) -> PyResult<usize>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some((len, array)) = item_array(list).filter(|&(len, _)| len > 0) else {
        return Ok(None);
    };
    let i = pick(len)?;
    if i >= len {
        return Err(PyIndexError::new_err("list index out of range"));
    }
    // SAFETY: the array holds the list's `len` live items and `i < len`;
    // nothing has run since `item_array` read them (`pick` runs no Python
    // code and the GIL is held).
    let item = unsafe { array.wrapping_add(i).read() };
    // SAFETY: `item` is a live object the list holds; `from_borrowed_ptr`
    // takes the caller's own reference to it.
    Ok(Some(unsafe { Bound::from_borrowed_ptr(list.py(), item) }))
}

/// Fisher-Yates swaps on the exact list `list`, in place: for each `t`,
/// `x[first - t], x[picks[t]] = x[picks[t]], x[first - t]`, as CPython's
/// `shuffle` swaps, with its `IndexError` (the swaps before done) at the
/// first index past the end. Swapping moves references without changing
/// any count, so no object is freed, and no Python code runs meanwhile
/// (the swaps are plain data, not a caller's code). `Ok(false)` (nothing
/// done) when `list` is not an exact list or the item array could not be
/// found: the caller then swaps through the API.
pub(crate) fn swap_items(
    list: &Bound<'_, PyList>,
    first: usize,
    picks: &[usize],
) -> PyResult<bool> {
    let Some((len, array)) = item_array(list) else {
        return Ok(false);
    };
    let past_end = || Err(PyIndexError::new_err("list index out of range"));
    if len == 0 {
        // An emptied list: the first swap, if any, is past its end.
        return if picks.is_empty() {
            Ok(true)
        } else {
            past_end()
        };
    }
    // SAFETY: the array holds the list's `len` items (`item_array` read
    // both just now); nothing else touches it until this function
    // returns, as no Python code runs here and the GIL is held.
    let items = unsafe { std::slice::from_raw_parts_mut(array, len) };
    for (t, &j) in picks.iter().enumerate() {
        match first.checked_sub(t) {
            Some(i) if i < len && j < len => items.swap(i, j),
            _ => return past_end(),
        }
    }
    Ok(true)
}
