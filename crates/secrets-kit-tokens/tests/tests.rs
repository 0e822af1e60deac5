//! The crate's one integration-test binary (ripgrep's layout: one link, one
//! line per module saying what belongs there).

// Scripted sources, chi-square and bad-input helpers, shared with the core.
#[path = "../../secrets-kit/tests/common/mod.rs"]
mod common;

// API keys: layout, checksum, verification and the scanner regex.
mod apikey;
// Every documented refusal of the token formats, with its kind.
mod bad_input;
// Bulk output: keystreams, splits of reads, workers, errors.
mod bulk;
// Framework keys in their exact formats.
mod keys;
// Token formats, UUIDs and ULIDs from scripted bytes against naive models.
mod known_answers;
// UUID v7 and ULID order within a process.
mod ordered_ids;
// Uniformity of the symbol sampler through the formats.
mod statistics;
