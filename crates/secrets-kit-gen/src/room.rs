//! Fallible growth for code that fills memory with many small allocations
//! (word lists): a failed allocation is a [`NoRoom`] value, which needs no
//! memory, returned from an inner function and turned into the core's
//! [`Error`] outside it, once that function's structures are freed, so that
//! building the message cannot itself run out of memory.

use std::collections::TryReserveError;

use secrets_kit::Error;

/// A failed allocation: `what`, of about `bytes` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NoRoom {
    pub(crate) bytes: usize,
    pub(crate) what: &'static str,
}

impl From<NoRoom> for Error {
    fn from(no_room: NoRoom) -> Self {
        Error::too_large(no_room.bytes, no_room.what)
    }
}

/// `try_reserve` results as [`NoRoom`].
pub(crate) trait Room {
    /// `Ok`, or [`NoRoom`] for `what` of about `bytes` bytes.
    fn room(self, bytes: usize, what: &'static str) -> Result<(), NoRoom>;
}

impl Room for Result<(), TryReserveError> {
    #[inline]
    fn room(self, bytes: usize, what: &'static str) -> Result<(), NoRoom> {
        self.map_err(|_| NoRoom { bytes, what })
    }
}

/// `text` as a new `String`, allocated fallibly.
pub(crate) fn try_string(text: &str, what: &'static str) -> Result<String, NoRoom> {
    let mut out = String::new();
    out.try_reserve_exact(text.len()).room(text.len(), what)?;
    out.push_str(text);
    Ok(out)
}

/// The characters of `chars` collected into a `String`, fallibly.
pub(crate) fn try_collect_string(
    chars: impl Iterator<Item = char>,
    what: &'static str,
) -> Result<String, NoRoom> {
    let mut out = String::new();
    for c in chars {
        out.try_reserve(c.len_utf8()).room(out.len() + 4, what)?;
        out.push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_reservation_is_no_room_and_a_too_large_error() {
        let mut v: Vec<u8> = Vec::new();
        let no_room = v.try_reserve(usize::MAX).room(usize::MAX, "x").unwrap_err();
        assert_eq!(
            no_room,
            NoRoom {
                bytes: usize::MAX,
                what: "x"
            }
        );
        let err = Error::from(no_room);
        assert_eq!(err.kind(), secrets_kit::ErrorKind::TooLarge);
        assert_eq!(try_string("abc", "x").unwrap(), "abc");
        assert_eq!(try_collect_string("éa".chars(), "x").unwrap(), "éa");
    }
}
