//! What the fast paths need from the Python half, and how they notice a
//! patch.
//!
//! `secrets_rs/__init__.py` defines `SystemRandom` as a subclass of the
//! interpreter's `random.SystemRandom`, whose methods are thin Python
//! functions calling the `sr_*` functions here. A fast path runs only
//! when the program could not tell it from CPython's own code: when the
//! methods that CPython's code would call on `self` (`self._randbelow`,
//! `self.getrandbits`, `self.random`, `self.randrange`, `self.randbytes`)
//! are still ours, on the instance and on its class. Anything else (a patch
//! on the instance or the class, a subclass override, a foreign `self`, an
//! unusual argument, every error) runs CPython's own method of the running
//! interpreter, so its inner calls see the patches exactly as they would in
//! CPython.
//!
//! What checking costs, for an instance of our own class or a module
//! function, while nothing changed: from 3.12, one flag read (CPython's
//! type and dictionary watchers report every change of the class, the
//! module's namespace and `random`'s, after which the changed part is read
//! once more: [`ALL_OURS`]); before 3.12, that flag and one sum of the
//! watched namespaces' versions (PEP 509: each moves at every change;
//! [`ALL_VERSION`]). After a change, each part is checked on its own until
//! all are ours again: flags and versions per part, and, where neither can
//! be had or once CPython stops serving the type watcher, one identity
//! check per name in the class's own dictionary (no reference taken). The class has no metaclass of its own (one
//! would make `class R(SystemRandom, abc.ABC)` a metaclass conflict, as it
//! is not with CPython's class), so no metaclass hook can tell of a change. `SystemRandom.__setattr__`/`__delattr__` raise a
//! sticky flag when one of those names is set or deleted on an instance,
//! after which instances' namespaces are read at every call. Assignment,
//! `setattr`, `delattr`, `unittest.mock` and pytest's `monkeypatch` all go
//! through those hooks; a method written straight into an instance's
//! `__dict__` (or by `object.__setattr__`) is not noticed, as the package
//! documents. Subclasses, which may have their own `__setattr__`, are
//! always checked in full: the attributes as the class resolves them and
//! the instance's namespace.
//!
//! The module functions follow CPython's `secrets.py` the same way:
//! `token_hex` and `token_urlsafe` run the module's `token_bytes`,
//! `token_bytes` reads `DEFAULT_ENTROPY` and calls `_sysrand.randbytes`,
//! `randbelow` calls `_sysrand._randbelow`; when any of those names has
//! been replaced, the Python version of the function runs instead.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};

/// How many times Python entered this module: the conformance runner reads
/// it to prove CPython's tests exercised our code and not Python's.
static CALLS: AtomicU64 = AtomicU64::new(0);

/// Counts one call from Python. Every caller holds the GIL, so a plain
/// load and store count exactly, without a locked read-modify-write.
#[inline]
pub(crate) fn count() {
    CALLS.store(
        CALLS.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}

/// Has any method CPython's code calls on `self` (one of [`NAMES`]) ever
/// been set or deleted on an instance of `secrets_rs.SystemRandom`? Set by
/// the class's `__setattr__`/`__delattr__` (`_instance_patched`), never
/// cleared: once it is set, every call looks in the instance's namespace.
/// Until then, the instances of our own class need no look at all.
static INSTANCE_PATCHED: AtomicBool = AtomicBool::new(false);

/// Is `secrets_rs.SystemRandom` watched (CPython 3.12 and later), so that
/// [`CLASS_CHANGED`] is raised whenever the class or a base changes? Set
/// once at install; cleared for good if CPython can no longer promise the
/// reports. While it is false, the class's namespace is read at each call.
static WATCHED: AtomicBool = AtomicBool::new(false);

/// Has the class (or a base) changed since [`CLASS_PRISTINE`] was last
/// computed? Raised by the type watcher ([`class_changed`]).
static CLASS_CHANGED: AtomicBool = AtomicBool::new(true);

/// Were all of [`NAMES`] in the class's namespace our own functions when
/// last looked at?
static CLASS_PRISTINE: AtomicBool = AtomicBool::new(false);

/// The version of the class's namespace when [`CLASS_PRISTINE`] was last
/// computed, where the namespace is watched by its version (before 3.12).
static CLASS_VERSION: AtomicU64 = AtomicU64::new(0);

/// The type watcher's callback: the class or a base changed.
extern "C" fn class_changed(_cls: *mut ffi::PyTypeObject) -> std::ffi::c_int {
    CLASS_CHANGED.store(true, Ordering::Relaxed);
    ALL_OURS.store(false, Ordering::Relaxed);
    0
}

/// Does every check of every fast path pass, as last read? The module's
/// namespace as read (`_sysrand`, `token_bytes`, the encoders), `random`'s,
/// the class's own methods, and no method set on an instance: then a call
/// on our own class (or through `_sysrand`) needs one flag read (from
/// 3.12, where watchers report changes) or one sum of every watched
/// namespace's version compared with [`ALL_VERSION`] (before). Set by
/// [`Hooks::note_all_ours`] after a part was read again; cleared by every
/// watcher's report and by an instance patch.
static ALL_OURS: AtomicBool = AtomicBool::new(false);

/// Where the namespaces are watched by their versions: the sum of all
/// their versions (`Hooks::all_dicts`) when [`ALL_OURS`] was set.
static ALL_VERSION: AtomicU64 = AtomicU64::new(0);

/// Has the module's namespace changed since [`MODULE_READING`] was taken?
/// Raised by the dictionary watcher ([`module_changed`]); where the
/// namespace is watched by its version, the version is compared as well.
static MODULE_CHANGED: AtomicBool = AtomicBool::new(true);

/// Do the CPython methods' globals (`_cpython_globals`, a copy of
/// `random`'s namespace) miss a change of `random`'s namespace? Raised
/// while one of the globals they read is not what it was at install.
static CPYTHON_GLOBALS_STALE: AtomicBool = AtomicBool::new(false);

/// Is `random` known to be as at install, with no change since (set only
/// where a dictionary watcher reports changes, and cleared by its report)?
static RANDOM_OURS_UNCHANGED: AtomicBool = AtomicBool::new(false);

/// Has a watched namespace changed since [`RANDOM_OURS`] was computed?
/// Raised by the dictionary watcher, as [`MODULE_CHANGED`] is.
static RANDOM_CHANGED: AtomicBool = AtomicBool::new(true);

/// Did `random`'s globals and the interpreter's classes hold what they
/// held at install, when last read ([`RANDOM_VERSION`])?
static RANDOM_OURS: AtomicBool = AtomicBool::new(false);

/// The versions of `random`'s group of namespaces when [`RANDOM_OURS`]
/// was computed, where they are watched by their versions.
static RANDOM_VERSION: AtomicU64 = AtomicU64::new(0);

/// The watched namespaces' version when [`MODULE_READING`] was taken.
static MODULE_VERSION: AtomicU64 = AtomicU64::new(0);

/// The last [`ModuleReading`], packed ([`ModuleReading::pack`]).
static MODULE_READING: AtomicU64 = AtomicU64::new(0);

/// The dictionary watcher's callback: the module's namespace is about to
/// change.
extern "C" fn module_changed(
    _event: std::ffi::c_int,
    _dict: *mut ffi::PyObject,
    _key: *mut ffi::PyObject,
    _value: *mut ffi::PyObject,
) -> std::ffi::c_int {
    MODULE_CHANGED.store(true, Ordering::Relaxed);
    RANDOM_CHANGED.store(true, Ordering::Relaxed);
    RANDOM_OURS_UNCHANGED.store(false, Ordering::Relaxed);
    ALL_OURS.store(false, Ordering::Relaxed);
    0
}

/// What the module functions read from the module's namespace, as CPython's
/// `secrets.py` reads it at each call.
#[derive(Clone, Copy)]
pub(crate) struct ModuleReading {
    /// Is `_sysrand` the instance the module made?
    sysrand_ours: bool,
    /// Is `token_bytes` the module's own function?
    token_bytes_ours: bool,
    /// `DEFAULT_ENTROPY`, when it is a plain non-negative int below 2^60.
    default_entropy: Option<usize>,
    /// Do the encoders CPython's `token_urlsafe` (and, before 3.12,
    /// `token_hex`) call hold what they held at install (the module's
    /// `base64`, `base64.urlsafe_b64encode` and what it calls, ...)?
    encoders_ours: bool,
}

impl ModuleReading {
    const SYSRAND_OURS: u64 = 1 << 63;
    const TOKEN_BYTES_OURS: u64 = 1 << 62;
    const ENCODERS_OURS: u64 = 1 << 60;
    const ENTROPY: u64 = (1 << 60) - 1;

    fn pack(self) -> u64 {
        let entropy = self
            .default_entropy
            .and_then(|n| u64::try_from(n).ok())
            .filter(|&n| n < Self::ENTROPY)
            .unwrap_or(Self::ENTROPY);
        (u64::from(self.sysrand_ours) * Self::SYSRAND_OURS)
            | (u64::from(self.token_bytes_ours) * Self::TOKEN_BYTES_OURS)
            | (u64::from(self.encoders_ours) * Self::ENCODERS_OURS)
            | entropy
    }

    fn unpack(word: u64) -> Self {
        let entropy = word & Self::ENTROPY;
        ModuleReading {
            sysrand_ours: word & Self::SYSRAND_OURS != 0,
            token_bytes_ours: word & Self::TOKEN_BYTES_OURS != 0,
            encoders_ours: word & Self::ENCODERS_OURS != 0,
            default_entropy: (entropy != Self::ENTROPY)
                .then(|| usize::try_from(entropy).ok())
                .flatten(),
        }
    }
}

/// Notes that a method name was set or deleted on an instance
/// (`SystemRandom.__setattr__` and `__delattr__` call it).
#[pyfunction]
pub(crate) fn _instance_patched() {
    INSTANCE_PATCHED.store(true, Ordering::Relaxed);
    ALL_OURS.store(false, Ordering::Relaxed);
}

/// Does one flag serve the fast paths (for tests): see [`ALL_OURS`]?
#[pyfunction]
pub(crate) fn _all_ours() -> bool {
    ALL_OURS.load(Ordering::Relaxed)
}

/// Does the class's type watcher still serve the fast paths (for tests)?
#[pyfunction]
pub(crate) fn _class_watched() -> bool {
    WATCHED.load(Ordering::Relaxed)
}

/// Is the class's namespace watched by its version (for tests)?
#[pyfunction]
pub(crate) fn _class_versioned(py: Python<'_>) -> PyResult<bool> {
    Ok(hooks(py)?.class_version.is_some())
}

/// How the module's namespace is watched (for tests): `"watcher"`,
/// `"version"` or `"none"`.
#[pyfunction]
pub(crate) fn _module_watch(py: Python<'_>) -> PyResult<&'static str> {
    Ok(hooks(py)?.module_watch())
}

/// The number of calls Python made into this module so far.
#[pyfunction]
pub(crate) fn _rust_calls() -> u64 {
    CALLS.load(Ordering::Relaxed)
}

/// The methods CPython's code calls on `self`; a fast path names those its
/// CPython counterpart would call, directly or through another method.
#[derive(Clone, Copy)]
pub(crate) struct Uses(u8);

impl Uses {
    /// The positions in [`NAMES`] of the methods named.
    fn bits(self) -> impl Iterator<Item = usize> {
        (0..NAMES.len()).filter(move |bit| self.0 & (1 << bit) != 0)
    }

    /// No other method: nothing to check.
    pub(crate) const NONE: Uses = Uses(0);
    pub(crate) const RANDOM: Uses = Uses(1);
    pub(crate) const GETRANDBITS: Uses = Uses(2);
    pub(crate) const RANDBYTES: Uses = Uses(8);
    /// `_randbelow`, which calls `getrandbits`.
    pub(crate) const RANDBELOW: Uses = Uses(4 | 2);
    /// `randrange`, which calls `_randbelow` (`randint` calls it up to 3.13).
    pub(crate) const RANDRANGE: Uses = Uses(16 | 4 | 2);
    /// `sample`, which calls `_randbelow`; `sample` with counts calls
    /// `sample` on `range(total)`.
    pub(crate) const SAMPLE: Uses = Uses(32 | 4 | 2);
}

/// Defines the extension function behind a `SystemRandom` method: it
/// takes `self` and the method's arguments as the Python method passes
/// them, runs `fast` when [`Hooks::pristine`] allows it for `uses` and
/// `fast` takes the arguments (it gives `None` for those it leaves), and
/// CPython's own method of that name otherwise. The names in parentheses
/// are those `fast` uses: the interpreter token, the hooks, `self`, then
/// the positional arguments and, after `;`, the keyword-only ones. The
/// function is a Rust function, and (the type named after `as`) a
/// [`FastCall`](crate::capi::FastCall) function of the module, whose
/// arguments are all positional and all required.
macro_rules! method {
    (
        $(#[$doc:meta])*
        $fn:ident($py:ident, $hooks:ident, $slf:ident $(, $arg:ident)* $(; $($kw:ident),*)?)
            as $ty:ident => $name:literal, $uses:expr, $fast:block
    ) => {
        $(#[$doc])*
        pub(crate) fn $fn<'py>(
            $py: pyo3::Python<'py>,
            $slf: &pyo3::Bound<'py, pyo3::PyAny>,
            $($arg: &pyo3::Bound<'py, pyo3::PyAny>,)*
            $($($kw: &pyo3::Bound<'py, pyo3::PyAny>,)*)?
        ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
            $crate::hooks::count();
            let $hooks = $crate::hooks::hooks($py)?;
            $hooks.method($slf, $uses, || $fast, || {
                $hooks.cpython(
                    $py,
                    pyo3::intern!($py, $name),
                    $slf,
                    &[$($arg),*],
                    &[$($((pyo3::intern!($py, stringify!($kw)), $kw)),*)?],
                )
            })
        }

        $crate::capi::fast_fn! {
            $(#[$doc])*
            pub(crate) struct $ty = stringify!($fn),
                concat!("(", stringify!($slf) $(, ", ", stringify!($arg))* $($(, ", ", stringify!($kw))*)?, ", /)"),
                "";
            params [stringify!($slf) $(, stringify!($arg))* $($(, stringify!($kw))*)?], keywords false;
            |py, args| {
                let mut given = args.iter();
                let $slf = $crate::capi::next_arg(&mut given)?;
                $(let $arg = $crate::capi::next_arg(&mut given)?;)*
                $($(let $kw = $crate::capi::next_arg(&mut given)?;)*)?
                $fn(py, $slf $(, $arg)* $($(, $kw)*)?)
            }
        }
    };
}
pub(crate) use method;

/// The method names, in the order of the bits of [`Uses`].
const NAMES: [&str; 6] = [
    "random",
    "getrandbits",
    "_randbelow",
    "randbytes",
    "randrange",
    "sample",
];

/// The Python objects the fast paths compare against and fall back to,
/// given once by `secrets_rs/__init__.py` through `_install`.
pub(crate) struct Hooks {
    /// `secrets_rs.SystemRandom`.
    ours: Py<PyType>,
    /// The class's namespace: the dictionary behind `SystemRandom.__dict__`
    /// (read, never written), or that read-only view itself.
    class_dict: Namespace,
    /// [`NAMES`] as interned Python strings, and our functions for them as
    /// the class defined them.
    names: [Py<PyString>; NAMES.len()],
    originals: [Py<PyAny>; NAMES.len()],
    /// CPython's own methods by name, as they run for `random.SystemRandom`.
    cpython: Py<PyDict>,
    /// The `secrets_rs` module's namespace.
    module: Py<PyDict>,
    /// The module's `SystemRandom` instance, `_sysrand`, and its `__dict__`.
    pub(crate) sysrand: Py<PyAny>,
    sysrand_dict: Py<PyDict>,
    /// The module's functions as installed (to notice a replaced one), and
    /// their Python versions (CPython's code, run when one is replaced),
    /// with CPython's `randbits`, `choice` and `compare_digest`: by name,
    /// each the function whose argument errors the module's function of
    /// that name raises.
    token_bytes: Py<PyAny>,
    pub(crate) python: Py<PyDict>,
    /// `python["compare_digest"]`, the interpreter's `hmac.compare_digest`,
    /// kept at hand: it compares what the library's comparison leaves
    /// (other buffers, non-ASCII text, wrong types).
    hmac_compare_digest: Py<PyAny>,
    /// The same function called through its C function, when it is a
    /// builtin one (`_hashlib.compare_digest` where CPython has OpenSSL,
    /// `_operator._compare_digest` otherwise).
    c_compare_digest: Option<crate::capi::CFastFunction>,
    pub(crate) range_type: Py<PyType>,
    /// `object.__getattribute__`: a subclass with any other reads its
    /// methods its own way.
    object_getattribute: Py<PyAny>,
    /// The watch on our class, where the interpreter has type watchers.
    watch: Option<crate::capi::TypeWatch>,
    /// The watch on the namespaces the module functions and methods read
    /// (`watched`: the module's first), where they can be watched.
    module_watch: Option<crate::capi::DictWatch>,
    watched: Vec<Py<PyDict>>,
    /// The namespaces of `random`'s group (its globals, the interpreter's
    /// `random.SystemRandom` and `random.Random`): the methods read only
    /// these.
    random_dicts: Vec<Py<PyDict>>,
    /// Every namespace watched, the class's own included where it is
    /// watched by its version: what [`ALL_VERSION`] sums.
    all_dicts: Vec<Py<PyDict>>,
    /// What CPython's code reads from other modules' namespaces, as it was
    /// at install.
    snapshots: Vec<Snapshot>,
    /// `_sync_cpython_globals()`: brings the globals of CPython's methods
    /// up to date with `random`'s namespace.
    sync_cpython_globals: Py<PyAny>,
    /// The interpreter's `random.SystemRandom` (our class's base), and
    /// what it gave for each of our methods' names at install: a name it
    /// resolves otherwise now was patched there (or on `random.Random`).
    base: Py<PyType>,
    base_resolved: Vec<(Py<PyString>, Py<PyAny>)>,
    /// Where the class has no type watcher (before 3.12): the watch on its
    /// namespace's version, where that can be read.
    class_version: Option<crate::capi::DictWatch>,
    /// `array.array`, whose weights (`choices`) and counts (`sample`) are
    /// read as a list's.
    pub(crate) array_type: Py<PyType>,
}

static HOOKS: PyOnceLock<Hooks> = PyOnceLock::new();

/// The installed hooks.
#[inline]
pub(crate) fn hooks(py: Python<'_>) -> PyResult<&'static Hooks> {
    HOOKS
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("secrets_rs._secrets_rs used before _install()"))
}

/// The Python function whose argument errors the module function `name`
/// raises: the `reference` of the module's
/// [`FastCall`](crate::capi::FastCall) functions.
pub(crate) fn reference<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    hooks(py)?.reference(py, name)
}

/// Connects the Rust functions to the Python module built on them.
/// `watched` lists, by group, the namespaces (a module's dictionary, or a
/// class) whose names the fast paths depend on, with those names.
#[pyfunction]
pub(crate) fn _install(
    py: Python<'_>,
    ours: Bound<'_, PyType>,
    cpython: Bound<'_, PyDict>,
    module: Bound<'_, PyDict>,
    python: Bound<'_, PyDict>,
    watched: Vec<(String, Bound<'_, PyAny>, Vec<String>)>,
) -> PyResult<()> {
    let names = NAMES.map(|name| PyString::intern(py, name).unbind());
    let mut originals = Vec::with_capacity(NAMES.len());
    for name in &names {
        originals.push(ours.getattr(name.bind(py))?.unbind());
    }
    let originals: [Py<PyAny>; NAMES.len()] = originals
        .try_into()
        .map_err(|_| PyRuntimeError::new_err("method list"))?;
    let sysrand = module.as_any().get_item("_sysrand")?;
    let sysrand_dict = sysrand.getattr("__dict__")?.cast_into::<PyDict>()?;
    let token_bytes = module.as_any().get_item("token_bytes")?;
    let hmac_compare_digest = named(&python, &PyString::new(py, "compare_digest"))?;
    let builtins = py.import("builtins")?;
    let range_type = builtins.getattr("range")?.cast_into::<PyType>()?;
    let object_getattribute = builtins.getattr("object")?.getattr("__getattribute__")?;
    let array_type = py
        .import("array")?
        .getattr("array")?
        .cast_into::<PyType>()?;
    let watch = crate::capi::TypeWatch::new(&ours, class_changed);
    let mut snapshots = Vec::with_capacity(watched.len());
    let mut dicts = vec![module.clone()];
    let mut random_dicts: Vec<Bound<'_, PyDict>> = Vec::new();
    for (group, namespace, names) in watched {
        // A module's namespace, or a class, whose own dictionary is found
        // as our class's is.
        let dict = match namespace.cast_into::<PyDict>() {
            Ok(dict) => dict,
            Err(err) => match Namespace::of(&err.into_inner().cast_into::<PyType>()?)? {
                Namespace::Dict(dict) => dict.into_bound(py),
                Namespace::View(_) => {
                    return Err(PyRuntimeError::new_err("a class's namespace was not found"));
                }
            },
        };
        let group = match group.as_str() {
            "random" => Group::Random,
            "encoders" => Group::Encoders,
            _ => return Err(PyRuntimeError::new_err("unknown group of names")),
        };
        let mut items = Vec::with_capacity(names.len());
        for name in names {
            let name = PyString::intern(py, &name);
            let value = dict.get_item(&name)?.map(Bound::unbind);
            items.push((name.unbind(), value));
        }
        let group_dicts = match group {
            Group::Random => &mut random_dicts,
            Group::Encoders => &mut dicts,
        };
        if !group_dicts.iter().any(|seen| seen.is(&dict)) {
            group_dicts.push(dict.clone());
        }
        snapshots.push(Snapshot {
            group,
            dict: dict.unbind(),
            items,
        });
    }
    let module_watch = crate::capi::DictWatch::new(
        &dicts.iter().chain(&random_dicts).collect::<Vec<_>>(),
        module_changed,
    );
    let watched: Vec<Py<PyDict>> = dicts.into_iter().map(Bound::unbind).collect();
    let random_dicts: Vec<Py<PyDict>> = random_dicts.into_iter().map(Bound::unbind).collect();
    let sync_cpython_globals = module.as_any().get_item("_sync_cpython_globals")?.unbind();
    let base = ours.getattr("__base__")?.cast_into::<PyType>()?;
    let mut base_resolved = Vec::new();
    for name in cpython.keys() {
        let name = PyString::intern(py, &name.extract::<String>()?);
        if let Ok(resolved) = base.getattr(&name) {
            base_resolved.push((name.unbind(), resolved.unbind()));
        }
    }
    let class_dict = Namespace::of(&ours)?;
    let class_version = match (&watch, &class_dict) {
        (None, Namespace::Dict(_)) => crate::capi::DictWatch::by_version(py),
        _ => None,
    };
    let mut all_dicts: Vec<Py<PyDict>> = watched
        .iter()
        .chain(&random_dicts)
        .map(|dict| dict.clone_ref(py))
        .collect();
    if let (Some(_), Namespace::Dict(dict)) = (class_version, &class_dict) {
        all_dicts.push(dict.clone_ref(py));
    }
    let installed = Hooks {
        all_dicts,
        class_dict,
        ours: ours.unbind(),
        names,
        originals,
        cpython: cpython.unbind(),
        module: module.unbind(),
        sysrand: sysrand.unbind(),
        sysrand_dict: sysrand_dict.unbind(),
        token_bytes: token_bytes.unbind(),
        python: python.unbind(),
        c_compare_digest: crate::capi::CFastFunction::new(&hmac_compare_digest),
        hmac_compare_digest: hmac_compare_digest.unbind(),
        range_type: range_type.unbind(),
        object_getattribute: object_getattribute.unbind(),
        watch,
        module_watch,
        watched,
        random_dicts,
        snapshots,
        sync_cpython_globals,
        base: base.unbind(),
        base_resolved,
        class_version,
        array_type: array_type.unbind(),
    };
    // A second import of the module (a fresh interpreter state) keeps the
    // first hooks, which describe the same objects.
    if HOOKS.set(py, installed).is_ok() {
        WATCHED.store(
            HOOKS.get(py).is_some_and(|hooks| hooks.watch.is_some()),
            Ordering::Relaxed,
        );
    }
    Ok(())
}

impl Hooks {
    /// Would CPython's code, run on `slf`, call our own methods for every
    /// name in `uses`? Then a fast path gives what it would give.
    ///
    /// On our own class: flag reads while the type watcher says the class
    /// is unchanged, else one identity check per name in the class's
    /// namespace ([`class_has_originals`](Self::class_has_originals)); none
    /// in the instance's until some instance got a method of its own
    /// ([`INSTANCE_PATCHED`]). On a subclass (which may
    /// define its own `__setattr__`): the attributes as the class resolves
    /// them, and the instance's namespace.
    #[inline]
    pub(crate) fn pristine(&self, slf: &Bound<'_, PyAny>, uses: Uses) -> bool {
        // The type compared by address: no reference taken.
        let ours = std::ptr::eq(
            slf.get_type_ptr().cast::<ffi::PyObject>(),
            self.ours.as_ptr(),
        );
        if ours && self.all_ours(slf.py()) {
            return true;
        }
        if !self.random_ours(slf.py()) {
            return false;
        }
        if uses.0 == 0 {
            return true;
        }
        if ours && !INSTANCE_PATCHED.load(Ordering::Relaxed) {
            return self.class_has_originals(slf.py(), uses);
        }
        self.pristine_with_look_ups(slf, uses, ours)
    }

    /// Are the methods in `uses` those our class defined, in its own
    /// namespace? Where the class is watched and has not changed since it
    /// was last looked at with all its methods its own: no look at all.
    /// Before 3.12 its namespace's version tells whether it changed (only
    /// the class's own namespace matters: it defines every one of
    /// [`NAMES`]).
    #[inline]
    fn class_has_originals(&self, py: Python<'_>, uses: Uses) -> bool {
        if WATCHED.load(Ordering::Relaxed) {
            if CLASS_CHANGED.load(Ordering::Relaxed) {
                self.look_at_class_again(py);
            }
            // (Looking again may have given the watch up: the last reading
            // may then be out of date.)
            if WATCHED.load(Ordering::Relaxed) && CLASS_PRISTINE.load(Ordering::Relaxed) {
                return true;
            }
        } else if let (Some(watch), Namespace::Dict(dict)) = (self.class_version, &self.class_dict)
        {
            if let Some(version) = watch.version(py, std::slice::from_ref(dict)) {
                if version != CLASS_VERSION.load(Ordering::Relaxed) {
                    self.read_class_at(py, version);
                }
                if CLASS_PRISTINE.load(Ordering::Relaxed) {
                    return true;
                }
            }
        }
        uses.bits().all(|bit| {
            self.class_dict
                .has(py, self.names[bit].bind(py), self.originals[bit].bind(py))
        })
    }

    /// Reads the class's namespace, at this version of it.
    #[inline(never)]
    fn read_class_at(&self, py: Python<'_>, version: u64) {
        CLASS_PRISTINE.store(self.class_is_pristine(py), Ordering::Relaxed);
        CLASS_VERSION.store(version, Ordering::Relaxed);
        self.note_all_ours(py);
    }

    /// Are all of [`NAMES`] our functions in the class's own namespace?
    fn class_is_pristine(&self, py: Python<'_>) -> bool {
        self.names
            .iter()
            .zip(&self.originals)
            .all(|(name, original)| self.class_dict.has(py, name.bind(py), original.bind(py)))
    }

    /// After the watcher reported a change: asks for the next change to be
    /// reported too, then reads the class's namespace. With the GIL held
    /// throughout, no change can fall between the two.
    #[inline(never)]
    fn look_at_class_again(&self, py: Python<'_>) {
        let rearmed = self
            .watch
            .as_ref()
            .is_some_and(|watch| watch.rearm(self.ours.bind(py)));
        if !rearmed {
            WATCHED.store(false, Ordering::Relaxed);
            ALL_OURS.store(false, Ordering::Relaxed);
            CLASS_PRISTINE.store(false, Ordering::Relaxed);
            return;
        }
        CLASS_CHANGED.store(false, Ordering::Relaxed);
        CLASS_PRISTINE.store(self.class_is_pristine(py), Ordering::Relaxed);
        self.note_all_ours(py);
    }

    /// Do all the checks pass, as last read ([`ALL_OURS`])? Where the
    /// namespaces are watched by their versions, so long as none changed.
    #[inline]
    fn all_ours(&self, py: Python<'_>) -> bool {
        if !ALL_OURS.load(Ordering::Relaxed) {
            return false;
        }
        match self.module_watch {
            Some(watch @ crate::capi::DictWatch::Version { .. }) => {
                watch.version(py, &self.all_dicts) == Some(ALL_VERSION.load(Ordering::Relaxed))
            }
            _ => true,
        }
    }

    /// Sets [`ALL_OURS`] from each part's own reading, after one was read
    /// again. With the GIL held and no Python code run here, no change can
    /// fall between the reads and the store; a change during a part's
    /// reading has already raised that part's flag (from 3.12) or moved a
    /// version past the one that part kept (before), read here.
    fn note_all_ours(&self, py: Python<'_>) {
        let reading = ModuleReading::unpack(MODULE_READING.load(Ordering::Relaxed));
        let parts = !MODULE_CHANGED.load(Ordering::Relaxed)
            && reading.sysrand_ours
            && reading.token_bytes_ours
            && reading.encoders_ours
            && !INSTANCE_PATCHED.load(Ordering::Relaxed)
            && CLASS_PRISTINE.load(Ordering::Relaxed);
        let all = parts
            && match (self.module_watch, self.class_version, &self.class_dict) {
                (Some(crate::capi::DictWatch::Watcher), _, _) => {
                    RANDOM_OURS_UNCHANGED.load(Ordering::Relaxed)
                        && WATCHED.load(Ordering::Relaxed)
                        && !CLASS_CHANGED.load(Ordering::Relaxed)
                }
                (
                    Some(watch @ crate::capi::DictWatch::Version { .. }),
                    Some(class_watch),
                    Namespace::Dict(class_dict),
                ) => {
                    let current = |dicts: &[Py<PyDict>], kept: &AtomicU64| {
                        watch.version(py, dicts) == Some(kept.load(Ordering::Relaxed))
                    };
                    let all = !RANDOM_CHANGED.load(Ordering::Relaxed)
                        && RANDOM_OURS.load(Ordering::Relaxed)
                        && current(&self.random_dicts, &RANDOM_VERSION)
                        && current(&self.watched, &MODULE_VERSION)
                        && class_watch.version(py, std::slice::from_ref(class_dict))
                            == Some(CLASS_VERSION.load(Ordering::Relaxed));
                    if all {
                        ALL_VERSION.store(
                            watch.version(py, &self.all_dicts).unwrap_or(0),
                            Ordering::Relaxed,
                        );
                    }
                    all
                }
                _ => false,
            };
        ALL_OURS.store(all, Ordering::Relaxed);
    }

    /// [`pristine`](Self::pristine) when an instance may have methods of
    /// its own, or `slf` is not of our own class: out of line, so that the
    /// common case stays in the caller.
    #[inline(never)]
    fn pristine_with_look_ups(&self, slf: &Bound<'_, PyAny>, uses: Uses, ours: bool) -> bool {
        let py = slf.py();
        if ours {
            if !self.class_has_originals(py, uses) {
                return false;
            }
        } else {
            // A subclass that reads its attributes its own way: CPython's
            // code calls whatever its `__getattribute__` gives.
            let getattribute = slf.get_type().getattr(intern!(py, "__getattribute__"));
            if !getattribute.is_ok_and(|found| found.is(self.object_getattribute.bind(py))) {
                return false;
            }
            let resolved_ours = uses.bits().all(|bit| {
                slf.get_type()
                    .getattr(self.names[bit].bind(py))
                    .is_ok_and(|found| found.is(self.originals[bit].bind(py)))
            });
            if !resolved_ours {
                return false;
            }
        }
        let dict = if slf.is(self.sysrand.bind(py)) {
            self.sysrand_dict.bind(py).clone()
        } else {
            match slf
                .getattr(intern!(py, "__dict__"))
                .and_then(|d| Ok(d.cast_into::<PyDict>()?))
            {
                Ok(dict) => dict,
                Err(_) => return false,
            }
        };
        self.shadows_none(&dict, uses)
    }

    /// Does an instance namespace leave every method in `uses` to the class?
    fn shadows_none(&self, dict: &Bound<'_, PyDict>, uses: Uses) -> bool {
        let py = dict.py();
        dict.is_empty()
            || uses
                .bits()
                .all(|bit| matches!(dict.contains(self.names[bit].bind(py)), Ok(false)))
    }

    /// A method call: `fast` when CPython's code on `slf` would call our
    /// own methods for `uses` and `fast` takes the arguments (it returns
    /// `None` for those it leaves to CPython), `cpython` (CPython's own
    /// method, see [`cpython`](Self::cpython)) otherwise. Both are closures,
    /// so the fast path pays for none of the slow path's names.
    #[inline]
    pub(crate) fn method<'py>(
        &self,
        slf: &Bound<'py, PyAny>,
        uses: Uses,
        fast: impl FnOnce() -> PyResult<Option<Bound<'py, PyAny>>>,
        cpython: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if self.pristine(slf, uses) {
            if let Some(value) = fast()? {
                return Ok(value);
            }
        }
        cpython()
    }

    /// The interpreter's `hmac.compare_digest(a, b)`, through its C
    /// function when it is a builtin one (no argument tuple).
    ///
    /// # Errors
    ///
    /// What that function raises.
    pub(crate) fn compare_with_cpython<'py>(
        &self,
        py: Python<'py>,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match &self.c_compare_digest {
            Some(function) => function.call(py, &[a, b]),
            None => self.hmac_compare_digest.bind(py).call1((a, b)),
        }
    }

    /// Does every global of `random` that CPython's methods read, and every
    /// method of the interpreter's `random.SystemRandom` and `random.Random`,
    /// hold what it held at install? Where a watcher reports changes, one
    /// flag read; where the namespaces are watched by their versions, their
    /// sum compared.
    #[inline]
    fn random_ours(&self, py: Python<'_>) -> bool {
        if RANDOM_OURS_UNCHANGED.load(Ordering::Relaxed) {
            return true;
        }
        if let Some(watch @ crate::capi::DictWatch::Version { .. }) = self.module_watch {
            let version = watch.version(py, &self.random_dicts);
            if version == Some(RANDOM_VERSION.load(Ordering::Relaxed))
                && !RANDOM_CHANGED.load(Ordering::Relaxed)
            {
                return RANDOM_OURS.load(Ordering::Relaxed);
            }
        }
        self.random_ours_read(py)
    }

    /// [`random_ours`](Self::random_ours) when the flag does not say it:
    /// the last reading if nothing changed, else a new one. Out of line, so
    /// that the common case stays small.
    #[inline(never)]
    fn random_ours_read(&self, py: Python<'_>) -> bool {
        let Some(watch) = self.module_watch else {
            return self.read_random(py);
        };
        let version = watch.version(py, &self.random_dicts);
        if !RANDOM_CHANGED.load(Ordering::Relaxed)
            && version.is_none_or(|v| v == RANDOM_VERSION.load(Ordering::Relaxed))
        {
            return RANDOM_OURS.load(Ordering::Relaxed);
        }
        RANDOM_CHANGED.store(false, Ordering::Relaxed);
        let ours = self.read_random(py);
        // The reading may have run Python code (`_sync_cpython_globals`),
        // and another thread with it: a change reported meanwhile leaves
        // `RANDOM_CHANGED` raised, and the next call reads again.
        let changed_meanwhile = RANDOM_CHANGED.load(Ordering::Relaxed);
        RANDOM_OURS.store(ours, Ordering::Relaxed);
        RANDOM_VERSION.store(version.unwrap_or(0), Ordering::Relaxed);
        // With a watcher, whose report clears it: then the flag alone says it.
        RANDOM_OURS_UNCHANGED.store(
            version.is_none() && ours && !changed_meanwhile,
            Ordering::Relaxed,
        );
        self.note_all_ours(py);
        ours
    }

    /// Reads `random`'s group of namespaces; while any name differs from
    /// install (and once after), brings the CPython methods' globals up to
    /// date.
    fn read_random(&self, py: Python<'_>) -> bool {
        let ours = self
            .snapshots
            .iter()
            .filter(|snapshot| snapshot.group == Group::Random)
            .all(|snapshot| snapshot.intact(py));
        if !ours || CPYTHON_GLOBALS_STALE.load(Ordering::Relaxed) {
            // CPython's methods run (for some call) with the globals
            // `random` has now, as in CPython. (Should the copy fail, the
            // methods keep the globals they had.)
            let synced = self.sync_cpython_globals.bind(py).call0().is_ok();
            if !synced {
                let _ = PyErr::take(py);
            }
            CPYTHON_GLOBALS_STALE.store(!ours || !synced, Ordering::Relaxed);
        }
        ours
    }

    /// What the module functions read from the module's namespace: read
    /// again only after it changed, where it is watched.
    #[inline]
    fn module_reading(&self, py: Python<'_>) -> ModuleReading {
        let Some(watch) = self.module_watch else {
            return self.read_module(py);
        };
        let version = watch.version(py, &self.watched);
        let unchanged = !MODULE_CHANGED.load(Ordering::Relaxed)
            && version.is_none_or(|v| v == MODULE_VERSION.load(Ordering::Relaxed));
        if unchanged {
            return ModuleReading::unpack(MODULE_READING.load(Ordering::Relaxed));
        }
        self.read_module_again(py, version)
    }

    /// After a change: reads the namespace and keeps the reading. With the
    /// GIL held, and no Python code run by the reading, no change can fall
    /// between the two.
    #[inline(never)]
    fn read_module_again(&self, py: Python<'_>, version: Option<u64>) -> ModuleReading {
        MODULE_CHANGED.store(false, Ordering::Relaxed);
        let reading = self.read_module(py);
        MODULE_READING.store(reading.pack(), Ordering::Relaxed);
        MODULE_VERSION.store(version.unwrap_or(0), Ordering::Relaxed);
        self.note_all_ours(py);
        reading
    }

    /// Reads the module's namespace.
    fn read_module(&self, py: Python<'_>) -> ModuleReading {
        let module = self.module.bind(py);
        let default_entropy = module
            .get_item(intern!(py, "DEFAULT_ENTROPY"))
            .ok()
            .flatten()
            .and_then(|value| crate::draw::exact_i64(&value))
            .and_then(|n| usize::try_from(n).ok());
        ModuleReading {
            sysrand_ours: crate::capi::dict_item_is(
                module,
                intern!(py, "_sysrand"),
                self.sysrand.bind(py),
            ),
            token_bytes_ours: crate::capi::dict_item_is(
                module,
                intern!(py, "token_bytes"),
                self.token_bytes.bind(py),
            ),
            default_entropy,
            encoders_ours: self
                .snapshots
                .iter()
                .filter(|snapshot| snapshot.group == Group::Encoders)
                .all(|snapshot| snapshot.intact(py)),
        }
    }

    /// Is `secrets_rs._sysrand` the instance the module made, with our
    /// methods for `uses`?
    #[inline]
    pub(crate) fn sysrand_pristine(&self, py: Python<'_>, uses: Uses) -> bool {
        if self.all_ours(py) {
            return true;
        }
        self.module_reading(py).sysrand_ours && self.pristine(self.sysrand.bind(py), uses)
    }

    /// Would CPython's `token_bytes` run as ours: `_sysrand` and its
    /// `randbytes` unpatched?
    #[inline]
    pub(crate) fn token_bytes_pristine(&self, py: Python<'_>) -> bool {
        self.sysrand_pristine(py, Uses::RANDBYTES)
    }

    /// Would CPython's `token_hex`/`token_urlsafe` run as ours: the
    /// module's `token_bytes` ours and unpatched?
    #[inline]
    pub(crate) fn token_text_pristine(&self, py: Python<'_>) -> bool {
        if self.all_ours(py) {
            return true;
        }
        let reading = self.module_reading(py);
        reading.token_bytes_ours
            && reading.encoders_ours
            && reading.sysrand_ours
            && self.pristine(self.sysrand.bind(py), Uses::RANDBYTES)
    }

    /// The module's `DEFAULT_ENTROPY`, as CPython reads it at each call,
    /// when it is a plain non-negative int.
    #[inline]
    pub(crate) fn default_entropy(&self, py: Python<'_>) -> Option<usize> {
        self.module_reading(py).default_entropy
    }

    /// Is the module's namespace watched (for tests): by a dictionary
    /// watcher, by its version, or not at all?
    pub(crate) fn module_watch(&self) -> &'static str {
        match self.module_watch {
            Some(crate::capi::DictWatch::Watcher) => "watcher",
            Some(crate::capi::DictWatch::Version { .. }) => "version",
            None => "none",
        }
    }

    /// Runs CPython's own method `name` on `slf` with these arguments.
    pub(crate) fn cpython<'py>(
        &self,
        py: Python<'py>,
        name: &Bound<'py, PyString>,
        slf: &Bound<'py, PyAny>,
        args: &[&Bound<'py, PyAny>],
        keywords: &[(&Bound<'py, PyString>, &Bound<'py, PyAny>)],
    ) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = if keywords.is_empty() {
            None
        } else {
            let kwargs = PyDict::new(py);
            for (key, value) in keywords {
                kwargs.set_item(key, value)?;
            }
            Some(kwargs)
        };
        if let Some(replaced) = self.replaced_in_base(py, name, slf)? {
            return replaced.call(PyTuple::new(py, args)?, kwargs.as_ref());
        }
        let all: Vec<&Bound<'py, PyAny>> =
            std::iter::once(slf).chain(args.iter().copied()).collect();
        named(self.cpython.bind(py), name)?.call(PyTuple::new(py, all)?, kwargs.as_ref())
    }

    /// When `name` was replaced on the interpreter's `random.SystemRandom`
    /// (or on `random.Random`, for it to inherit) since install: the
    /// replacement, bound to `slf` as `random.SystemRandom` would bind it
    /// (`super(ours, slf).name`). In CPython `secrets.SystemRandom` is that
    /// very class, so such a patch changes its instances; ours are
    /// instances of a subclass that defines every method again, so without
    /// this the patch would not reach them. `None` when nothing was
    /// replaced (or `slf` is not an instance of our class).
    fn replaced_in_base<'py>(
        &self,
        py: Python<'py>,
        name: &Bound<'py, PyString>,
        slf: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        if self.random_ours(py) || !slf.is_instance(self.ours.bind(py).as_any())? {
            return Ok(None);
        }

        let Some((_, original)) = self
            .base_resolved
            .iter()
            .find(|(n, _)| n.bind(py).as_any().eq(name).unwrap_or(false))
        else {
            return Ok(None);
        };
        let base = self.base.bind(py);
        match base.getattr(name) {
            Ok(now) if now.is(original.bind(py)) => Ok(None),
            _ => {
                let bound = pyo3::types::PySuper::new(self.ours.bind(py), slf)?;
                Ok(Some(bound.getattr(name)?))
            }
        }
    }

    /// The Python function whose argument errors the module function
    /// `name` raises (see [`FastCall::reference`](crate::capi::FastCall::reference)).
    pub(crate) fn reference<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        named(self.python.bind(py), &PyString::new(py, name))
    }

    /// Runs the Python version of the module function `name` (CPython's
    /// code, in `secrets_rs/__init__.py`).
    pub(crate) fn python<'py>(
        &self,
        py: Python<'py>,
        name: &Bound<'py, PyString>,
        args: &[Bound<'py, PyAny>],
    ) -> PyResult<Bound<'py, PyAny>> {
        named(self.python.bind(py), name)?.call1(PyTuple::new(py, args)?)
    }
}

/// The function `name` of a table the Python half gave.
fn named<'py>(
    table: &Bound<'py, PyDict>,
    name: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    table
        .get_item(name)?
        .ok_or_else(|| PyRuntimeError::new_err(format!("no function {name} in the hooks")))
}

/// Which fast paths a group of watched names serves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    /// Every method (and the module functions through `_sysrand`).
    Random,
    /// `token_hex` and `token_urlsafe`.
    Encoders,
}

/// Names of a namespace and what they held at install (`None`: the name
/// was not there).
struct Snapshot {
    group: Group,
    dict: Py<PyDict>,
    items: Vec<(Py<PyString>, Option<Py<PyAny>>)>,
}

impl Snapshot {
    /// Does every name still hold what it held at install (or is it still
    /// missing)?
    fn intact(&self, py: Python<'_>) -> bool {
        let dict = self.dict.bind(py);
        self.items.iter().all(|(name, value)| match value {
            Some(value) => crate::capi::dict_item_is(dict, name.bind(py), value.bind(py)),
            None => matches!(dict.contains(name.bind(py)), Ok(false)),
        })
    }
}

/// Where a class's attributes are looked up directly.
enum Namespace {
    /// The class's own dictionary: one dictionary look-up.
    Dict(Py<PyDict>),
    /// `cls.__dict__`, the read-only view, where the dictionary could not
    /// be found: a look-up through the view.
    View(Py<PyAny>),
}

impl Namespace {
    /// The namespace of `cls`. `cls.__dict__` is a read-only view whose
    /// only referent, as the garbage collector reports it, is the class's
    /// dictionary; it is checked to be that dictionary before it is used.
    fn of(cls: &Bound<'_, PyType>) -> PyResult<Self> {
        let py = cls.py();
        let view = cls.getattr(intern!(py, "__dict__"))?;
        let referents = py.import("gc")?.getattr("get_referents")?.call1((&view,))?;
        for referent in referents.try_iter()? {
            let referent = referent?;
            if let Ok(dict) = referent.cast_exact::<PyDict>() {
                let same = dict.len() == view.len()?
                    && dict.iter().try_fold(true, |same, (key, value)| {
                        Ok::<_, PyErr>(same && view.get_item(key)?.is(&value))
                    })?;
                if same {
                    return Ok(Namespace::Dict(dict.clone().unbind()));
                }
            }
        }
        Ok(Namespace::View(view.unbind()))
    }

    /// Is `name` in the namespace the very object `expected`?
    #[inline]
    fn has(&self, py: Python<'_>, name: &Bound<'_, PyString>, expected: &Bound<'_, PyAny>) -> bool {
        match self {
            Namespace::Dict(dict) => crate::capi::dict_item_is(dict.bind(py), name, expected),
            Namespace::View(view) => view
                .bind(py)
                .get_item(name)
                .is_ok_and(|found| found.is(expected)),
        }
    }
}
