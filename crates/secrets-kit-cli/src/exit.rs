//! The command's exit codes, as one type: every `return` of a code in the
//! command names one of these, never a number.

use std::process::ExitCode;

/// How the command ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Exit {
    /// The command did what was asked (for `compare-digest`: equal).
    Success = 0,
    /// A check said no: `compare-digest`'s secrets differ, or
    /// `verify-token`'s token is not well formed.
    Mismatch = 1,
    /// Any failure: bad usage, bad input (including a file past its size
    /// cap), failed I/O, or a bug; always with one `error:` line.
    Failure = 2,
}

/// A command whose `run` returns nothing succeeded (its failures are `Err`).
impl From<()> for Exit {
    fn from((): ()) -> Self {
        Exit::Success
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers are part of the command's interface (scripts test them):
    /// they must never change.
    #[test]
    fn codes_are_the_documented_numbers() {
        assert_eq!(Exit::Success as u8, 0);
        assert_eq!(Exit::Mismatch as u8, 1);
        assert_eq!(Exit::Failure as u8, 2);
        assert_eq!(ExitCode::from(Exit::Success), ExitCode::SUCCESS);
        assert_eq!(ExitCode::from(Exit::Failure), ExitCode::from(2));
    }
}
