//! The core's integration-test binary for every test that needs no process
//! of its own (ripgrep's layout: one link, one line per module saying what
//! belongs there). Tests that install a global allocator, fork, catch
//! signals or run under strace, and those `.ci/run` or the scripts run by
//! name, stay in their own binaries beside this one.

// Scripted, broken and counting sources, chi-square and bad-input helpers.
mod common;

// Every documented refusal of the library, with its error kind (TESTING.md's matrix).
mod bad_input;
// CPython's own byte-stream vectors replayed through scripted sources.
mod python_parity;
// Chi-square and moment tests of every sampler (alpha 1e-6 each).
mod statistics;
// SystemRandom's methods: arguments, errors, scripted bytes and properties.
mod system_random;
