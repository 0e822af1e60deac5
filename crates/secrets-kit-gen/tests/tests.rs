//! The crate's one integration-test binary (ripgrep's layout: one link, one
//! line per module saying what belongs there).

// Scripted sources, chi-square and bad-input helpers, shared with the core.
#[path = "../../secrets-kit/tests/common/mod.rs"]
mod common;

// Every documented refusal of the password and word-list APIs, with its kind.
mod bad_input;
// Set sizes, entropy, collision odds and guess times against exact models.
mod explain;
// Passwords and passphrases from scripted bytes against naive models.
mod known_answers;
// The 434 real sites' rules (a corpus outside the repository).
mod real_world_rules;
