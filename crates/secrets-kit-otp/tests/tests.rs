//! The crate's one integration-test binary (ripgrep's layout: one link, one
//! line per module saying what belongs there).

// Scripted sources, shared with the core.
#[path = "../../secrets-kit/tests/common/mod.rs"]
mod common;

// RFC 6238/4226 vectors, enrolment URIs and QR codes.
mod totp;
