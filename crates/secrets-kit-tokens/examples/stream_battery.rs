//! Writes a stream of random bytes made by one of the library's functions to
//! standard output, for the statistical batteries in `scripts/ci-proof.sh`
//! (rngtest, ent, dieharder).
//!
//! ```text
//! cargo run --release --example stream_battery -- MODE [NBYTES]
//! ```
//!
//! MODE says which code path makes each byte, so that a bias in any of them
//! shows up in the batteries:
//!
//! - `bytes`: raw kernel bytes through `secrets_kit::fill_bytes` (the vDSO, or
//!   the system call when `SECRETS_FORCE_SYSCALL=1` is set);
//! - `randbelow256`: one `secrets_kit::randbelow(256)` per byte (rejection
//!   sampling with 9-bit draws);
//! - `choice256`: one `secrets_kit::choice` over the 256 byte values per byte;
//! - `getrandbits8`: one `SystemRandom::getrandbits(8)` per byte;
//! - `bulk`: the library's bulk output, `secrets_kit_tokens::bulk::BulkStream` (1 MiB
//!   blocks of AES-256-CTR or ChaCha20 keystream, each under a fresh kernel
//!   key), read in chunks of 64 KiB;
//! - `bulk-chacha20`: the same with ChaCha20, which a machine with AES
//!   instructions would otherwise never use;
//! - `modulo-biased`: a deliberately flawed stream, a random byte `% 255`
//!   (the naive "randbelow(255)" without rejection: 0 twice as likely as
//!   the rest, 255 never). The proof scripts check that the batteries
//!   fail it, so a pass on the real streams means something.
//!
//! Without NBYTES it writes until the reader closes the pipe, then exits
//! with success, as a battery reading standard input stops when it has
//! enough.

use std::io::{self, Write};
use std::process::ExitCode;

use secrets_kit::SystemRandom;
use secrets_kit_tokens::bulk::{Bulk, BulkStream, Keystream};

/// Bytes handed to `write` at a time: large enough that the pipe, not the
/// write calls, sets the pace.
const CHUNK: usize = 64 * 1024;

#[derive(Clone, Copy)]
enum Mode {
    Bytes,
    Randbelow256,
    Choice256,
    Getrandbits8,
    Bulk,
    BulkChaCha20,
    ModuloBiased,
}

impl Mode {
    fn parse(name: &str) -> Option<Mode> {
        match name {
            "bytes" => Some(Mode::Bytes),
            "randbelow256" => Some(Mode::Randbelow256),
            "choice256" => Some(Mode::Choice256),
            "getrandbits8" => Some(Mode::Getrandbits8),
            "bulk" => Some(Mode::Bulk),
            "bulk-chacha20" => Some(Mode::BulkChaCha20),
            "modulo-biased" => Some(Mode::ModuloBiased),
            _ => None,
        }
    }

    /// Fills `chunk` with bytes from this mode's code path.
    fn fill(
        self,
        chunk: &mut [u8],
        rng: &SystemRandom,
        bulk: &mut BulkStream,
    ) -> secrets_kit::Result<()> {
        match self {
            Mode::Bulk | Mode::BulkChaCha20 => bulk.fill(chunk)?,
            Mode::Bytes => secrets_kit::try_fill_bytes(chunk)?,
            Mode::Randbelow256 => {
                for byte in chunk {
                    *byte = narrow(secrets_kit::fallible::try_randbelow(256u32)?);
                }
            }
            Mode::Choice256 => {
                let all_values: Vec<u8> = (0..=u8::MAX).collect();
                for byte in chunk {
                    *byte = *secrets_kit::fallible::try_choice(&all_values)?;
                }
            }
            Mode::Getrandbits8 => {
                for byte in chunk {
                    *byte = narrow(rng.getrandbits::<u32>(8)?);
                }
            }
            Mode::ModuloBiased => {
                secrets_kit::try_fill_bytes(chunk)?;
                for byte in chunk {
                    *byte %= 255;
                }
            }
        }
        Ok(())
    }
}

/// The low byte of a value the library promised to keep below 256; a value
/// that is not is a bug the batteries should not hide.
fn narrow(value: u32) -> u8 {
    u8::try_from(value).expect("the library returned a value of 256 or more")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, limit) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "usage: stream_battery bytes|randbelow256|choice256|getrandbits8|bulk|bulk-chacha20|modulo-biased [NBYTES]"
            );
            return ExitCode::from(2);
        }
    };
    let mut written = 0;
    let result = stream(mode, limit, &mut written);
    // How much the battery read, for the record of what ran.
    eprintln!("bytes written: {written}");
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[String]) -> Result<(Mode, Option<u64>), String> {
    let mode_name = args.first().ok_or("missing MODE")?;
    let mode = Mode::parse(mode_name).ok_or_else(|| format!("unknown MODE {mode_name:?}"))?;
    let limit = match args.get(1) {
        None => None,
        Some(text) => Some(
            text.parse::<u64>()
                .map_err(|_| format!("NBYTES must be a whole number, not {text:?}"))?,
        ),
    };
    if args.len() > 2 {
        return Err("too many arguments".to_owned());
    }
    Ok((mode, limit))
}

/// Writes `limit` bytes (or until the reader goes away), counting what was
/// written in `written`.
fn stream(mode: Mode, limit: Option<u64>, written: &mut u64) -> io::Result<()> {
    // Tell the battery script which kernel interface made the bytes.
    eprintln!("source: {}", secrets_kit::backend());
    let rng = SystemRandom::new();
    let mut bulk = match mode {
        Mode::BulkChaCha20 => Bulk::new().keystream(Keystream::ChaCha20).stream(),
        _ => BulkStream::new(),
    };
    let mut out = io::stdout().lock();
    let mut chunk = vec![0u8; CHUNK];
    let mut remaining = limit.unwrap_or(u64::MAX);
    while remaining > 0 {
        let len = usize::try_from(remaining).map_or(CHUNK, |left| left.min(CHUNK));
        let chunk = &mut chunk[..len];
        mode.fill(chunk, &rng, &mut bulk).map_err(io::Error::from)?;
        out.write_all(chunk)?;
        remaining -= len as u64;
        *written += len as u64;
    }
    out.flush()
}
