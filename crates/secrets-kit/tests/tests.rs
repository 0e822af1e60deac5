//! The core's integration-test binary for every test that needs no process
//! of its own (ripgrep's layout: one link, one line per module saying what
//! belongs there). Tests that install a global allocator, fork, catch
//! signals or run under strace, and those `.ci/run` or the scripts run by
//! name, stay in their own binaries beside this one. The modules are in
//! `suite/`, where cargo does not take each for a test binary of its own.

// Scripted, broken and counting sources, chi-square and bad-input helpers.
mod common;

// Every documented refusal of the library, with its error kind (TESTING.md's matrix).
#[path = "suite/bad_input.rs"]
mod bad_input;
// CPython's own byte-stream vectors replayed through scripted sources.
#[path = "suite/python_parity.rs"]
mod python_parity;
// Chi-square and moment tests of every sampler (alpha 1e-6 each).
#[path = "suite/statistics.rs"]
mod statistics;
// SystemRandom's methods: arguments, errors, scripted bytes and properties.
#[path = "suite/system_random.rs"]
mod system_random;
