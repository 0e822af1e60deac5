//! The one error type of the crate.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// What kind of mistake or failure an [`Error`] reports.
///
/// Each kind corresponds to one Python exception class, so code ported from
/// Python can match on the same distinctions.
///
/// # Examples
///
/// ```
/// use secrets_kit::ErrorKind;
///
/// let err = secrets_kit::fallible::try_randbelow(0u32).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidValue);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The operating system's random source failed (Python: `OSError` /
    /// `NotImplementedError` from `os.urandom`). [`Error::raw_os_error`]
    /// gives the `errno` when there is one.
    Os,
    /// An argument is outside the values the function accepts: a zero or
    /// negative bound, an empty range, a zero step, bad weights, a
    /// distribution parameter out of range (Python: `ValueError`).
    InvalidValue,
    /// An argument has a form the function cannot take, such as a non-ASCII
    /// string given to `compare_digest` (Python: `TypeError`).
    InvalidInput,
    /// A choice from an empty sequence (Python: `IndexError`).
    EmptySequence,
    /// A parameter that Python divides by is zero (Python:
    /// `ZeroDivisionError`).
    ZeroDivision,
    /// A result or size does not fit the type that must hold it (Python:
    /// `OverflowError`).
    Overflow,
    /// A requested size is too large to allocate, or memory ran out while
    /// allocating it (Python: `MemoryError`). The fallible functions report
    /// this instead of aborting the process; the message states the size.
    TooLarge,
    /// A policy, rule set or word list that no output can satisfy.
    Unsatisfiable,
    /// Text that could not be parsed (password rules, word lists, sizes).
    Parse,
    /// Reading a file failed.
    Io,
}

/// The error of every fallible function in this crate.
///
/// Its message says what was wrong and what is allowed, in a form fit to be
/// shown to a user as it is. Match on [`Error::kind`] to tell cases apart.
///
/// An error states its cause once, as the standard library's errors do:
/// either in its message (an operating-system failure names its `errno`
/// text, as `getrandom`'s errors do) or as its
/// [`source`](std::error::Error::source) (a file that cannot be read: the
/// message names the file, the source is the `io::Error` saying why), never
/// both. To show a user everything, print the message and then each
/// source in turn, as `anyhow`'s `{:#}` does.
///
/// # Examples
///
/// ```
/// let err = secrets_kit::fallible::try_randbelow(0u64).unwrap_err();
/// assert!(err.to_string().contains("must be positive"));
/// ```
///
/// Printing an error with its causes, each once:
///
/// ```
/// use std::error::Error as _;
/// use secrets_kit::{Error, ErrorKind};
///
/// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
/// let err = Error::new(ErrorKind::Io, "cannot read the word list 'x'").with_cause(io);
/// let mut line = err.to_string();
/// let mut cause = err.source();
/// while let Some(next) = cause {
///     line = format!("{line}: {next}");
///     cause = next.source();
/// }
/// assert_eq!(line, "cannot read the word list 'x': no such file");
/// ```
#[derive(Clone, Debug)]
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
    os_code: Option<i32>,
    /// The underlying error (an `io::Error` for OS and file errors), for
    /// [`std::error::Error::source`]. Shared, so `Error` stays `Clone`.
    cause: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// Errors are equal when they say the same thing: kind, message and OS
/// code. The cause is not compared (`io::Error` has no equality).
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.message == other.message && self.os_code == other.os_code
    }
}

impl Eq for Error {}

impl Error {
    /// Makes an error of the given kind with a message for users.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{Error, ErrorKind};
    ///
    /// let err = Error::new(ErrorKind::InvalidValue, "length must be at least 1");
    /// assert_eq!(err.kind(), ErrorKind::InvalidValue);
    /// assert_eq!(err.to_string(), "length must be at least 1");
    /// ```
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            kind,
            message: message.into(),
            os_code: None,
            cause: None,
        }
    }

    /// The same error, recording `cause` as its
    /// [`source`](std::error::Error::source): the lower-level error that
    /// says why (an `io::Error` for a file that cannot be read). The
    /// message should then not repeat the cause's text: a chain printed
    /// whole would say it twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::error::Error as _;
    /// use secrets_kit::{Error, ErrorKind};
    ///
    /// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
    /// let err = Error::new(ErrorKind::Io, "cannot read the word list 'x'").with_cause(io);
    /// assert_eq!(err.to_string(), "cannot read the word list 'x'");
    /// assert_eq!(err.source().unwrap().to_string(), "no such file");
    /// ```
    #[must_use]
    pub fn with_cause(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.cause = Some(Arc::new(cause));
        self
    }

    /// The same error with `message` in place of its message; the kind,
    /// the OS code and the cause stay. For a caller that knows better what
    /// went wrong, such as a word list name that is neither an embedded
    /// list nor a file.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::error::Error as _;
    /// use secrets_kit::{Error, ErrorKind};
    ///
    /// let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
    /// let err = Error::new(ErrorKind::Io, "cannot read 'efflong'").with_cause(io);
    /// let err = err.with_message("no word list is named 'efflong'");
    /// assert_eq!(err.kind(), ErrorKind::Io);
    /// assert_eq!(err.to_string(), "no word list is named 'efflong'");
    /// assert_eq!(err.source().unwrap().to_string(), "no such file");
    /// ```
    #[must_use]
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = message.into();
        self
    }

    /// Makes an [`ErrorKind::Os`] error from an operating-system error code.
    ///
    /// The message names the call and the code's text (as `getrandom`'s
    /// errors do), so the error has no separate
    /// [`source`](std::error::Error::source): the cause is stated once.
    /// [`raw_os_error`](Error::raw_os_error) gives the code, and the
    /// conversion to `io::Error` keeps it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::error::Error as _;
    ///
    /// let err = secrets_kit::Error::from_os(5, "getrandom");
    /// assert_eq!(err.raw_os_error(), Some(5));
    /// assert!(err.to_string().starts_with("the operating system's random source failed (getrandom): "));
    /// assert!(err.source().is_none());
    /// ```
    pub fn from_os(code: i32, what: &str) -> Self {
        let description = std::io::Error::from_raw_os_error(code);
        Error {
            kind: ErrorKind::Os,
            message: format!("the operating system's random source failed ({what}): {description}")
                .into(),
            os_code: Some(code),
            cause: None,
        }
    }

    /// What kind of error this is.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::ErrorKind;
    /// assert_eq!(secrets_kit::fallible::try_token_bytes(usize::MAX).unwrap_err().kind(), ErrorKind::TooLarge);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The `errno` value when the operating system reported one.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{Error, ErrorKind};
    /// assert_eq!(Error::new(ErrorKind::InvalidValue, "x").raw_os_error(), None);
    /// ```
    pub fn raw_os_error(&self) -> Option<i32> {
        self.os_code
    }

    /// The message, without the kind.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::{Error, ErrorKind};
    /// assert_eq!(Error::new(ErrorKind::Parse, "bad rule").message(), "bad rule");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// An [`ErrorKind::InvalidValue`] error with `message`: the shorthand
    /// for an argument the documentation refuses.
    ///
    /// ```
    /// let err = secrets_kit::Error::invalid("length must be at least 1");
    /// assert_eq!(err.kind(), secrets_kit::ErrorKind::InvalidValue);
    /// ```
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::InvalidValue, message)
    }

    /// How many characters of a long input [`Error::quoted`] shows.
    ///
    /// ```
    /// assert_eq!(secrets_kit::Error::QUOTED_CHARS, 40);
    /// ```
    pub const QUOTED_CHARS: usize = 40;

    /// The start of `input` for an error message, so that a huge input
    /// makes no huge message (CPython's messages cut theirs, `%.200R`):
    /// `(input, None)` when it has at most `max_chars` characters, else its
    /// first `max_chars` characters and `Some` of its length in characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::Error;
    /// assert_eq!(Error::excerpt("short", 8), ("short", None));
    /// assert_eq!(Error::excerpt("ééééé", 2), ("éé", Some(5)));
    /// ```
    #[must_use]
    pub fn excerpt(input: &str, max_chars: usize) -> (&str, Option<usize>) {
        match input.char_indices().nth(max_chars) {
            None => (input, None),
            Some((end, _)) => (&input[..end], Some(input.chars().count())),
        }
    }

    /// `input` quoted for an error message, as `{:?}` quotes it: whole up
    /// to [`Error::QUOTED_CHARS`] characters, a longer one by its start and
    /// its length (see [`Error::excerpt`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit::Error;
    /// assert_eq!(Error::quoted("sha3"), "\"sha3\"");
    /// let long = Error::quoted(&"x".repeat(10_000_000));
    /// assert_eq!(long, format!("{:?}... (10000000 characters)", "x".repeat(40)));
    /// ```
    #[must_use]
    pub fn quoted(input: &str) -> String {
        match Error::excerpt(input, Error::QUOTED_CHARS) {
            (whole, None) => format!("{whole:?}"),
            (start, Some(chars)) => format!("{start:?}... ({chars} characters)"),
        }
    }

    /// Memory ran out for `what`, of `requested` bytes.
    pub(crate) fn out_of_memory(requested: usize, what: &str) -> Self {
        Error::new(
            ErrorKind::TooLarge,
            format!("cannot allocate {what} of {requested} bytes: out of memory"),
        )
    }

    /// An [`ErrorKind::TooLarge`] error: `what`, of `requested` bytes,
    /// could not be allocated, beyond what any allocation may be
    /// (`isize::MAX` bytes), or out of memory.
    ///
    /// ```
    /// let err = secrets_kit::Error::too_large(usize::MAX, "a token");
    /// assert_eq!(err.kind(), secrets_kit::ErrorKind::TooLarge);
    /// ```
    pub fn too_large(requested: usize, what: &str) -> Self {
        if requested <= isize::MAX as usize {
            return Error::out_of_memory(requested, what);
        }
        Error::new(
            ErrorKind::TooLarge,
            format!(
                "{what} of {requested} bytes is too large to allocate; \
                 ask for at most {} bytes",
                isize::MAX
            ),
        )
    }
}

/// An empty `Vec` with room for exactly `len` items, or a
/// [`ErrorKind::TooLarge`] error naming `what` and its size in bytes: the
/// crate's one way to allocate a buffer whose size comes from input.
///
/// Up to 4 KiB take `Vec::with_capacity`'s direct path, which is measurably
/// cheaper than `try_reserve_exact` for a 32-byte token; failing to get a
/// few KiB means the whole process is out of memory, where Rust aborts on
/// any allocation anyway. Sizes a caller could pass by mistake are checked.
#[inline]
pub(crate) fn try_vec<T>(len: usize, what: &str) -> Result<Vec<T>> {
    const SMALL_ALLOCATION: usize = 4096;
    if len.saturating_mul(std::mem::size_of::<T>()) <= SMALL_ALLOCATION {
        return Ok(Vec::with_capacity(len));
    }
    let mut out = Vec::new();
    if out.try_reserve_exact(len).is_err() {
        let bytes = len.saturating_mul(std::mem::size_of::<T>());
        return Err(Error::too_large(bytes, what));
    }
    Ok(out)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

impl From<Error> for std::io::Error {
    fn from(err: Error) -> Self {
        match err.os_code {
            Some(code) => std::io::Error::from_raw_os_error(code),
            None => {
                let kind = match err.kind {
                    ErrorKind::TooLarge => std::io::ErrorKind::OutOfMemory,
                    ErrorKind::Os => std::io::ErrorKind::Other,
                    _ => std::io::ErrorKind::InvalidInput,
                };
                std::io::Error::new(kind, err)
            }
        }
    }
}

/// Shorthand for `Result<T, secrets_kit::Error>`.
///
/// # Examples
///
/// ```
/// fn api_key() -> secrets_kit::Result<String> {
///     secrets_kit::fallible::try_token_hex(16)
/// }
/// assert_eq!(api_key()?.len(), 32);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `excerpt` against the naive model: the first `max` characters
        /// collected one by one, and the count when there were more.
        #[test]
        fn excerpt_matches_the_naive_cut(input in "\\PC{0,60}", max in 0usize..50) {
            let model: String = input.chars().take(max).collect();
            let count = input.chars().count();
            let (start, chars) = Error::excerpt(&input, max);
            proptest::prop_assert_eq!(start, model.as_str());
            proptest::prop_assert_eq!(chars, (count > max).then_some(count));
            let quoted = Error::quoted(&input);
            if count <= Error::QUOTED_CHARS {
                proptest::prop_assert_eq!(quoted, format!("{input:?}"));
            } else {
                let start: String = input.chars().take(Error::QUOTED_CHARS).collect();
                proptest::prop_assert_eq!(quoted, format!("{start:?}... ({count} characters)"));
            }
        }
    }

    #[test]
    fn os_error_keeps_code_and_converts_to_io() {
        use std::error::Error as _;
        let err = Error::from_os(libc_eio(), "test");
        assert_eq!(err.kind(), ErrorKind::Os);
        // The code's text is in the message, once, and not again as a
        // source.
        let text = std::io::Error::from_raw_os_error(libc_eio()).to_string();
        assert_eq!(
            err.to_string(),
            format!("the operating system's random source failed (test): {text}")
        );
        assert!(err.source().is_none());
        let io: std::io::Error = err.into();
        assert_eq!(io.raw_os_error(), Some(libc_eio()));
    }

    fn libc_eio() -> i32 {
        5
    }

    #[test]
    fn non_os_error_converts_to_invalid_input() {
        let io: std::io::Error = Error::invalid("bad").into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
        assert_eq!(io.to_string(), "bad");
    }

    #[test]
    fn a_plain_error_has_no_source_and_a_wrapped_one_keeps_it() {
        use std::error::Error as _;
        assert!(Error::invalid("bad").source().is_none());
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let err = Error::new(ErrorKind::Io, "cannot read x").with_cause(io);
        let cause = err
            .source()
            .unwrap()
            .downcast_ref::<std::io::Error>()
            .unwrap();
        assert_eq!(cause.kind(), std::io::ErrorKind::PermissionDenied);
        // The message does not repeat the cause.
        assert_eq!(err.to_string(), "cannot read x");
        // Equality ignores the cause; clones share it.
        assert_eq!(err.clone(), Error::new(ErrorKind::Io, "cannot read x"));
        assert!(err.clone().source().is_some());
        // A new message keeps kind and cause.
        let renamed = err.with_message("cannot read y");
        assert_eq!(renamed.kind(), ErrorKind::Io);
        assert_eq!(renamed.to_string(), "cannot read y");
        assert!(renamed.source().is_some());
    }
}
