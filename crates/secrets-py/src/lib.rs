//! The Rust half of the Python package `secrets-rs` (`import secrets_rs`).
//!
//! Python's `secrets` module and `random.SystemRandom`, drawing from the
//! `secrets` library (the vDSO `getrandom` on Linux 6.11+). The Python
//! half, `python/secrets_rs/__init__.py`, defines `SystemRandom` as a
//! subclass of the running interpreter's own `random.SystemRandom`, whose
//! methods call the `sr_*` functions here.
//!
//! This file only registers; one module per concern:
//!
//! - [`hooks`]: what the Python half installs, and the patch checks that
//!   decide between a fast path and CPython's own code;
//! - [`errors`]: library errors as Python exceptions, fallible allocation;
//! - [`draw`]: drawing from the library, releasing the GIL for large draws;
//! - [`system_random`]: the scalar methods (`random`, `getrandbits`,
//!   `randbytes`, `_randbelow`, `randrange`, `randint`, `uniform`, `gauss`);
//! - [`sequences`]: `choice`, `shuffle`, `sample`, `choices`;
//! - [`tokens`]: the module functions (`token_*`, `randbelow`, `randbits`,
//!   `choice`);
//! - [`compare`]: the `compare_digest` function;
//! - [`floor`]: the benchmark's floor (a no-op call, the library's draws);
//! - [`capi`]: the platform layer, the few C-API calls PyO3 has no safe
//!   form for (the only `unsafe` of the binding).

mod capi;
mod compare;
mod draw;
mod errors;
mod extras;
mod floor;
mod hooks;
mod sequences;
mod system_random;
mod tokens;

use pyo3::prelude::*;

/// The Rust half of ``secrets_rs``.
#[pymodule]
fn _secrets_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    capi::note_interpreter(m.py());
    draw::make_small_ints(m.py())?;
    m.add_function(wrap_pyfunction!(hooks::_install, m)?)?;
    m.add_function(wrap_pyfunction!(hooks::_rust_calls, m)?)?;
    m.add_function(wrap_pyfunction!(hooks::_class_watched, m)?)?;
    m.add_function(wrap_pyfunction!(hooks::_module_watch, m)?)?;
    m.add_function(wrap_pyfunction!(hooks::_class_versioned, m)?)?;
    m.add_function(wrap_pyfunction!(hooks::_instance_patched, m)?)?;
    m.add_function(wrap_pyfunction!(hooks::_all_ours, m)?)?;
    m.add_function(wrap_pyfunction!(compare::_ascii_in_place, m)?)?;
    capi::add_function::<tokens::TokenBytes>(m)?;
    capi::add_function::<tokens::TokenHex>(m)?;
    capi::add_function::<tokens::TokenUrlsafe>(m)?;
    capi::add_function::<tokens::Randbelow>(m)?;
    capi::add_function::<compare::CompareDigest>(m)?;
    capi::add_function::<system_random::SrRandom>(m)?;
    capi::add_function::<system_random::SrGetrandbits>(m)?;
    capi::add_function::<system_random::SrRandbytes>(m)?;
    capi::add_function::<system_random::SrRandbelow>(m)?;
    capi::add_function::<system_random::SrRandrange>(m)?;
    capi::add_function::<system_random::SrRandint>(m)?;
    capi::add_function::<system_random::SrUniform>(m)?;
    capi::add_function::<system_random::SrGauss>(m)?;
    capi::add_function::<sequences::SrChoice>(m)?;
    capi::add_function::<sequences::SrShuffle>(m)?;
    capi::add_function::<sequences::SrSample>(m)?;
    capi::add_function::<sequences::SrChoices>(m)?;
    capi::add_function::<floor::Noop>(m)?;
    capi::add_function::<floor::NoopLike>(m)?;
    m.add_function(wrap_pyfunction!(floor::_set_like, m)?)?;
    m.add_function(wrap_pyfunction!(floor::_noop_uuid, m)?)?;
    m.add_function(wrap_pyfunction!(floor::_floor, m)?)?;
    extras::register(m)?;
    Ok(())
}
