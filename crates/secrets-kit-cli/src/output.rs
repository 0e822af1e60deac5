//! What every generator shares: `--count`, `--json`, `--entropy`, `--bits`,
//! and the one way results reach standard output.
//!
//! A result is produced whole in memory before any of it is written, so a
//! failure while producing one leaves nothing of it on standard output.

use std::fmt::Display;
use std::io::{self, IsTerminal as _, Write};
use std::ops::RangeInclusive;
use std::str::FromStr;

use anyhow::{Context as _, Result, bail};
use clap::Args;
use secrets_gen::explain::{Explanation, Magnitude, SetSize};
use zeroize::Zeroizing;

/// The output flags every generator flattens into its args.
#[derive(Debug, Clone, Args)]
pub(crate) struct OutputArgs {
    /// Print N results, one a line.
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        default_value = "1",
        value_parser = parse_count
    )]
    pub(crate) count: u64,

    /// Print each result as a JSON object on its own line, with its value
    /// and its entropy in bits: {"value": ..., "entropy_bits": ...}.
    #[arg(long)]
    pub(crate) json: bool,

    /// Print the bits of entropy of the results to standard error.
    #[arg(long)]
    pub(crate) entropy: bool,

    /// Explain the results' strength on standard error: the size of the set
    /// they are drawn from, the entropy, the probability of a collision
    /// among --among values, and the expected time to guess one at 10^12
    /// guesses a second. With --json the same figures are in each record.
    #[arg(long)]
    pub(crate) explain: bool,

    /// How many values the collision probability of --explain and --json
    /// is for.
    #[arg(long, value_name = "N", default_value_t = secrets_gen::explain::DEFAULT_AMONG,
          value_parser = parse_among)]
    pub(crate) among: u64,

    /// End each result with a NUL byte instead of a newline (for `xargs -0`
    /// and values that may hold newlines).
    #[arg(short = '0', long, conflicts_with = "json")]
    pub(crate) null: bool,
}

/// `--bits N`: pick the smallest size whose entropy is at least N bits.
///
/// Commands with a positional size declare it with
/// `conflicts_with = "bits"`, so clap rejects giving both.
#[derive(Debug, Clone, Copy, Args)]
pub(crate) struct BitsArg {
    /// Choose the smallest size whose entropy is at least N bits, instead of
    /// giving the size.
    #[arg(long, value_name = "N", value_parser = parse_bits)]
    pub(crate) bits: Option<u64>,
}

/// The most `--bits` may ask for: 2^33 bits is a 1 GiB token, far more than
/// any secret needs, and a bound keeps the arithmetic exact.
pub(crate) const MAX_BITS: u64 = 1 << 33;

fn parse_count(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("the count must be at least 1".to_owned()),
        Ok(count) => Ok(count),
        Err(_) => Err(format!(
            "the count must be a whole number from 1 to {}",
            u64::MAX
        )),
    }
}

/// A value parser for clap: [`parse_in_range`] with `range` and `what`
/// fixed, for a flag whose bounds are a library constant.
pub(crate) fn in_range<T>(
    range: RangeInclusive<T>,
    what: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: FromStr + PartialOrd + Display + Clone + Send + Sync + 'static,
{
    move |text| parse_in_range(text, range.clone(), what)
}

/// Parses a whole number in `range` for clap; the error says `what` must be
/// one, and from where to where.
pub(crate) fn parse_in_range<T>(
    text: &str,
    range: RangeInclusive<T>,
    what: &str,
) -> Result<T, String>
where
    T: FromStr + PartialOrd + Display,
{
    match text.parse::<T>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(format!(
            "{what} must be a whole number from {} to {}",
            range.start(),
            range.end()
        )),
    }
}

fn parse_among(text: &str) -> Result<u64, String> {
    parse_in_range(text, 1..=u64::MAX, "--among")
}

fn parse_bits(text: &str) -> Result<u64, String> {
    parse_in_range(text, 1..=MAX_BITS, "the number of bits")
}

/// Refuses to write raw bytes to a terminal, where they would garble it,
/// unless the user insists with `--force`.
///
/// # Errors
///
/// When `stdout_is_terminal` and not `force`.
pub(crate) fn check_raw_destination(stdout_is_terminal: bool, force: bool) -> Result<()> {
    if stdout_is_terminal && !force {
        bail!(
            "refusing to write raw random bytes to a terminal; redirect standard output \
             to a file or pipe, or pass --force"
        );
    }
    Ok(())
}

/// [`check_raw_destination`] for this process's standard output.
pub(crate) fn check_raw_stdout(force: bool) -> Result<()> {
    check_raw_destination(io::stdout().is_terminal(), force)
}

/// Standard output as a plain file handle, so writes go straight to
/// `write(2)`: Rust's `Stdout` is line-buffered, which would scan every
/// buffer for newlines and keep a copy of the tail after the last one in a
/// buffer nobody wipes.
///
/// When standard output is closed (`secrets token-hex >&-`) every write
/// fails, so the command reports it instead of printing into nothing and
/// exiting 0. Rust's runtime hides a closed standard output: before `main`
/// it opens `/dev/null` in its place, so writes "succeed". So the command
/// looks before the runtime does (see `crate::sys`). Where there
/// are no file descriptors, this is `Stdout`.
pub(crate) fn raw_stdout() -> Box<dyn Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd as _;
        if crate::sys::stdout_closed_at_start() {
            return Box::new(Unwritable::Closed);
        }
        match io::stdout().as_fd().try_clone_to_owned() {
            Ok(fd) => Box::new(std::fs::File::from(fd)),
            Err(err) => Box::new(Unwritable::from(&err)),
        }
    }
    #[cfg(not(unix))]
    {
        Box::new(io::stdout())
    }
}

/// Standard output that cannot be written: every write fails with the
/// reason. Flushing succeeds, as nothing is pending.
#[cfg(unix)]
#[derive(Debug)]
enum Unwritable {
    /// Closed when the command started.
    Closed,
    /// It could not be duplicated, for this OS error.
    Os(i32),
    /// It could not be duplicated, for an error of this kind.
    Kind(io::ErrorKind),
}

#[cfg(unix)]
impl From<&io::Error> for Unwritable {
    fn from(err: &io::Error) -> Self {
        err.raw_os_error()
            .map_or(Unwritable::Kind(err.kind()), Unwritable::Os)
    }
}

#[cfg(unix)]
impl Write for Unwritable {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(match *self {
            Unwritable::Closed => io::Error::other("it is closed"),
            Unwritable::Os(code) => io::Error::from_raw_os_error(code),
            Unwritable::Kind(kind) => io::Error::from(kind),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The size of [`SecretWriter`]'s buffer.
const SECRET_BUFFER: usize = 64 * 1024;

/// A buffered writer to standard output whose buffer never reallocates and
/// is wiped when dropped, so printed secrets do not linger in freed memory.
pub(crate) struct SecretWriter {
    buffer: Zeroizing<Vec<u8>>,
    out: Box<dyn Write + Send>,
}

impl std::fmt::Debug for SecretWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The buffer holds secrets: never show it.
        f.debug_struct("SecretWriter").finish_non_exhaustive()
    }
}

impl SecretWriter {
    /// A writer to this process's standard output.
    pub(crate) fn stdout() -> Self {
        SecretWriter::new(raw_stdout())
    }

    fn new(out: Box<dyn Write + Send>) -> Self {
        SecretWriter {
            buffer: Zeroizing::new(Vec::with_capacity(SECRET_BUFFER)),
            out,
        }
    }

    fn write_buffer(&mut self) -> io::Result<()> {
        let result = self.out.write_all(&self.buffer);
        self.buffer.clear();
        result
    }
}

impl Write for SecretWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buffer.len() + data.len() > SECRET_BUFFER {
            self.write_buffer()?;
        }
        if data.len() > SECRET_BUFFER {
            // Too big to buffer without reallocating: straight through.
            self.out.write_all(data)?;
        } else {
            // Fits in the reserved capacity, so no copy is left behind by a
            // reallocation.
            self.buffer.extend_from_slice(data);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_buffer()?;
        self.out.flush()
    }
}

/// Writes results to standard output, one a line, as plain text or JSON,
/// and reports their entropy to standard error with `--entropy`.
///
/// Call [`Emitter::finish`] at the end: it flushes and reports write errors.
// Derived Debug shows no secret: the results pass only through `out`, whose
// Debug hides its buffer.
#[derive(Debug)]
pub(crate) struct Emitter {
    out: SecretWriter,
    json: bool,
    entropy: bool,
    terminator: &'static [u8],
    last_reported_bits: Option<f64>,
    /// With `--entropy`, printed once in place of the per-result lines,
    /// for generators whose results differ in entropy.
    entropy_note: Option<String>,
    explain: bool,
    among: u64,
    /// The set the results are drawn from, when their entropy alone does
    /// not give it exactly (a whole number of bits `k` means `2^k`).
    set_size: Option<SetSize>,
    /// The last explanation, the entropy it was made for, and its JSON
    /// fields, rendered once.
    explained: Option<(f64, Explanation, String)>,
    /// Sets whose explanation went to standard error already.
    explained_on_stderr: Vec<String>,
}

/// Context for every failed write to standard output.
pub(crate) const WRITE_CONTEXT: &str = "cannot write to standard output";

impl Emitter {
    /// An emitter honouring `--json` and `--entropy`.
    pub(crate) fn new(args: &OutputArgs) -> Self {
        Emitter {
            out: SecretWriter::stdout(),
            json: args.json,
            entropy: args.entropy,
            terminator: if args.null { b"\0" } else { b"\n" },
            last_reported_bits: None,
            entropy_note: None,
            explain: args.explain,
            among: args.among,
            set_size: None,
            explained: None,
            explained_on_stderr: Vec::new(),
        }
    }

    /// Names the set the results are drawn from, for `--explain` and
    /// `--json`.
    pub(crate) fn with_set_size(mut self, set_size: SetSize) -> Self {
        self.set_size(set_size);
        self
    }

    /// Names the set the next results are drawn from.
    pub(crate) fn set_size(&mut self, set_size: SetSize) {
        self.set_size = Some(set_size);
        self.explained = None;
    }

    /// Makes the explanation of a result of `entropy_bits`, once per set,
    /// and reports it with `--explain`.
    fn explain_result(&mut self, entropy_bits: f64) -> Result<()> {
        if let Some((bits, _, _)) = &self.explained {
            if *bits == entropy_bits {
                return Ok(());
            }
        }
        let set = match &self.set_size {
            Some(set) => set.clone(),
            // A whole number of bits, k, is a uniform draw from 2^k values.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            None if entropy_bits.fract() == 0.0 && entropy_bits >= 0.0 => {
                SetSize::bits(entropy_bits as u64)
            }
            None => SetSize::from_entropy(entropy_bits)?,
        };
        let explanation = set.explain(self.among);
        self.report_explanation(&explanation);
        // Magnitudes are written as number literals of their own, which stay
        // exact beyond f64's range (1e-5000 is not 0).
        let fields = format!(
            ",\"set_size\":{},\"among\":{},\"collision_probability\":{},\"guess_seconds\":{}",
            serde_json::Value::from(explanation.set_size.as_str()),
            explanation.among,
            explanation.collision_probability.to_json(),
            explanation.guess_seconds.to_json()
        );
        self.explained = Some((entropy_bits, explanation, fields));
        Ok(())
    }

    /// `--explain`: the figures, once per distinct set, on standard error.
    fn report_explanation(&mut self, explanation: &Explanation) {
        if !self.explain || self.explained_on_stderr.contains(&explanation.set_size) {
            return;
        }
        self.explained_on_stderr.push(explanation.set_size.clone());
        let _ = write!(io::stderr().lock(), "{}", explanation_text(explanation));
    }

    /// With `--entropy`, prints `note` once instead of a line whenever the
    /// entropy changes from one result to the next.
    pub(crate) fn with_entropy_note(mut self, note: String) -> Self {
        self.entropy_note = Some(note);
        self
    }

    /// Writes one result.
    ///
    /// # Errors
    ///
    /// When standard output cannot be written.
    pub(crate) fn emit(&mut self, value: &str, entropy_bits: f64) -> Result<()> {
        self.emit_with(value, entropy_bits, &[])
    }

    /// Writes one result; with `--json`, `extra` fields follow `value` and
    /// `entropy_bits` in its object.
    ///
    /// # Errors
    ///
    /// When standard output cannot be written.
    pub(crate) fn emit_with(
        &mut self,
        value: &str,
        entropy_bits: f64,
        extra: &[(&str, serde_json::Value)],
    ) -> Result<()> {
        self.report_entropy(entropy_bits);
        if self.explain || self.json {
            self.explain_result(entropy_bits)?;
        }
        self.write_record(value, entropy_bits, extra)
            .context(WRITE_CONTEXT)
    }

    fn write_record(
        &mut self,
        value: &str,
        entropy_bits: f64,
        extra: &[(&str, serde_json::Value)],
    ) -> io::Result<()> {
        if !self.json {
            self.out.write_all(value.as_bytes())?;
            return self.out.write_all(self.terminator);
        }
        self.out.write_all(b"{\"value\":")?;
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b",\"entropy_bits\":")?;
        serde_json::to_writer(&mut self.out, &round_bits(entropy_bits))?;
        for (key, field) in extra {
            self.out.write_all(b",")?;
            serde_json::to_writer(&mut self.out, key)?;
            self.out.write_all(b":")?;
            serde_json::to_writer(&mut self.out, field)?;
        }
        if let Some((_, _, fields)) = &self.explained {
            self.out.write_all(fields.as_bytes())?;
        }
        self.out.write_all(b"}\n")
    }

    fn report_entropy(&mut self, bits: f64) {
        if self.entropy {
            if let Some(note) = self.entropy_note.take() {
                let _ = writeln!(io::stderr(), "{note}");
                // Reported once: no per-result lines after it.
                self.entropy = false;
                return;
            }
        }
        if self.entropy && self.last_reported_bits != Some(bits) {
            self.last_reported_bits = Some(bits);
            let _ = writeln!(io::stderr(), "entropy: {} bits", format_bits(bits));
        }
    }

    /// Writes `count` results made by `next`, each of `entropy_bits` and with
    /// the `--json` fields `extra`, wiping each from memory once written;
    /// then finishes.
    ///
    /// # Errors
    ///
    /// The first error of `next` (nothing of that result is written), or a
    /// failed write.
    pub(crate) fn emit_all<E>(
        mut self,
        count: u64,
        entropy_bits: f64,
        extra: &[(&str, serde_json::Value)],
        mut next: impl FnMut() -> Result<String, E>,
    ) -> Result<()>
    where
        anyhow::Error: From<E>,
    {
        for _ in 0..count {
            let value = Zeroizing::new(next()?);
            self.emit_with(&value, entropy_bits, extra)?;
        }
        self.finish()
    }

    /// Writes out what is buffered, so that other output to standard
    /// output comes after it.
    ///
    /// # Errors
    ///
    /// When standard output cannot be written.
    pub(crate) fn flush(&mut self) -> Result<()> {
        self.out.flush().context(WRITE_CONTEXT)
    }

    /// Flushes everything written so far.
    ///
    /// # Errors
    ///
    /// When standard output cannot be written (a full disk, a closed pipe).
    pub(crate) fn finish(mut self) -> Result<()> {
        self.out.flush().context(WRITE_CONTEXT)
    }
}

/// The `--json` field `count`: how many values the generator can make,
/// exactly, as a decimal string (it can exceed what a JSON number holds).
pub(crate) fn count_field(count: impl Display) -> (&'static str, serde_json::Value) {
    ("count", serde_json::Value::from(count.to_string()))
}

/// Seconds in a Julian year, for guess times people can read.
const SECONDS_PER_YEAR: f64 = 31_557_600.0;

/// The `--explain` report: four lines, each starting `explain:`.
pub(crate) fn explanation_text(explanation: &Explanation) -> String {
    let size = &explanation.set_size;
    // Long decimals are abbreviated here; --json has them in full.
    let shown = if size.len() > 40 && size.bytes().all(|b| b.is_ascii_digit()) {
        let log10 = explanation.entropy_bits * std::f64::consts::LOG10_2;
        format!("{} ({} digits)", Magnitude::from_log10(log10), size.len())
    } else {
        size.clone()
    };
    let years = Magnitude::from_log10(explanation.guess_seconds.log10() - SECONDS_PER_YEAR.log10());
    format!(
        "explain: drawn uniformly from a set of {shown} values\n\
         explain: entropy {} bits (log2 of the set size)\n\
         explain: among {} such values, the probability that two are equal is {}\n\
         explain: expected time to guess one at 10^12 guesses/s (half the set): {} s \
         ({} years)\n",
        format_bits(explanation.entropy_bits),
        explanation.among,
        explanation.collision_probability,
        explanation.guess_seconds,
        years
    )
}

/// Entropy for JSON: exact for whole numbers, else four decimals, which is
/// more than any use needs and keeps the output stable.
fn round_bits(bits: f64) -> f64 {
    (bits * 10_000.0).round() / 10_000.0
}

/// Entropy for people: whole numbers as they are, else two decimals.
pub(crate) fn format_bits(bits: f64) -> String {
    if bits.fract() == 0.0 {
        format!("{bits:.0}")
    } else {
        format!("{bits:.2}")
    }
}

/// Produces `args.count` results with `next` and writes each as it is made.
///
/// # Errors
///
/// The first error of `next` (nothing of that result is written), or a
/// failed write.
pub(crate) fn emit_each(
    args: &OutputArgs,
    set_size: Option<SetSize>,
    mut next: impl FnMut() -> Result<(String, f64)>,
) -> Result<()> {
    let mut emitter = Emitter::new(args);
    if let Some(set_size) = set_size {
        emitter.set_size(set_size);
    }
    for _ in 0..args.count {
        let (value, bits) = next()?;
        emitter.emit(&value, bits)?;
    }
    emitter.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_bytes_are_refused_on_a_terminal_without_force() {
        assert!(check_raw_destination(true, false).is_err());
        assert!(check_raw_destination(true, true).is_ok());
        assert!(check_raw_destination(false, false).is_ok());
        assert!(check_raw_destination(false, true).is_ok());
    }

    #[test]
    fn counts_and_bits_are_validated() {
        assert!(parse_count("0").is_err());
        assert!(parse_count("-1").is_err());
        assert_eq!(parse_count("3"), Ok(3));
        assert!(parse_bits("0").is_err());
        assert!(parse_bits(&(MAX_BITS + 1).to_string()).is_err());
        assert_eq!(parse_bits("128"), Ok(128));
    }

    /// A sink that keeps what it gets, shared with the test.
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(data);
            Ok(data.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn secret_writer_passes_everything_through_in_order() {
        let sink = Shared::default();
        let mut writer = SecretWriter::new(Box::new(sink.clone()));
        let mut expected = Vec::new();
        for size in [
            1,
            10,
            SECRET_BUFFER - 5,
            3,
            SECRET_BUFFER + 1,
            7,
            2 * SECRET_BUFFER,
        ] {
            let piece: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            writer.write_all(&piece).unwrap();
            expected.extend_from_slice(&piece);
            assert!(
                writer.buffer.capacity() == SECRET_BUFFER,
                "buffer reallocated"
            );
        }
        writer.flush().unwrap();
        assert_eq!(*sink.0.lock().unwrap(), expected);
    }

    #[cfg(unix)]
    #[test]
    fn a_closed_standard_output_fails_at_the_flush_not_before() {
        let mut writer = SecretWriter::new(Box::new(Unwritable::Closed));
        // Buffered: nothing reaches the descriptor yet.
        writer.write_all(b"secret\n").unwrap();
        let err = writer.flush().unwrap_err();
        assert_eq!(err.to_string(), "it is closed");
        let mut bad_fd = Unwritable::from(&io::Error::from_raw_os_error(9));
        assert_eq!(
            bad_fd.write(b"x").unwrap_err().raw_os_error(),
            Some(9),
            "the OS error is kept"
        );
        assert!(bad_fd.flush().is_ok());
    }

    #[test]
    fn bits_are_formatted_for_people() {
        assert_eq!(format_bits(256.0), "256");
        assert_eq!(format_bits(103.398_5), "103.40");
    }
}
