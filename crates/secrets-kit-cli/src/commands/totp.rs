//! `totp`: a TOTP enrolment (secret and `otpauth://` URI), optionally as a
//! QR code in the terminal or in a PNG or SVG file (`secrets_otp::totp`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use secrets_otp::totp::{self, Algorithm, Enrolment, TotpOptions};

use crate::output::{Emitter, OutputArgs, WRITE_CONTEXT};

/// Pixels per QR module in image files: a 45-module code with its quiet
/// zone is 424 pixels, sharp on any screen and easy to print.
const QR_SCALE: usize = 8;

/// The `--algorithm` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AlgorithmArg {
    /// HMAC-SHA1, the default every app supports.
    #[value(name = "SHA1", alias = "sha1")]
    Sha1,
    /// HMAC-SHA256.
    #[value(name = "SHA256", alias = "sha256")]
    Sha256,
    /// HMAC-SHA512.
    #[value(name = "SHA512", alias = "sha512")]
    Sha512,
}

/// The `--digits` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DigitsArg {
    /// Six digits, the default.
    #[value(name = "6")]
    Six,
    /// Eight digits.
    #[value(name = "8")]
    Eight,
}

/// The flags of `totp`.
#[derive(Debug, Args)]
pub(crate) struct TotpArgs {
    /// Who issues the codes, shown in the app (e.g. "Example Co"); no ':'.
    #[arg(long, value_name = "NAME")]
    issuer: String,

    /// The user's account at the issuer (e.g. "alice@example.com").
    #[arg(long, value_name = "NAME")]
    account: String,

    /// The HMAC hash of the codes.
    #[arg(long, value_name = "NAME", default_value = "SHA1")]
    algorithm: AlgorithmArg,

    /// Digits per code.
    #[arg(long, value_name = "6|8", default_value = "6")]
    digits: DigitsArg,

    /// Seconds per code (most apps support only 30).
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(totp::MAX_PERIOD)))]
    period: u32,

    /// Also draw the URI as a QR code in the terminal, after the URI.
    #[arg(long)]
    qr: bool,

    /// Write the URI as a QR code to FILE, as PNG (one enrolment only).
    #[arg(long, value_name = "FILE")]
    qr_png: Option<PathBuf>,

    /// Write the URI as a QR code to FILE, as SVG (one enrolment only).
    #[arg(long, value_name = "FILE")]
    qr_svg: Option<PathBuf>,

    #[command(flatten)]
    output: OutputArgs,
}

fn options(args: &TotpArgs) -> TotpOptions {
    let algorithm = match args.algorithm {
        AlgorithmArg::Sha1 => Algorithm::Sha1,
        AlgorithmArg::Sha256 => Algorithm::Sha256,
        AlgorithmArg::Sha512 => Algorithm::Sha512,
    };
    let digits = match args.digits {
        DigitsArg::Six => 6,
        DigitsArg::Eight => 8,
    };
    TotpOptions::new(args.issuer.as_str(), args.account.as_str())
        .algorithm(algorithm)
        .digits(digits)
        .period(args.period)
}

/// Writes `data` to `path` whole: to a temporary file beside it, then
/// renamed, so a failure never leaves half an image under the name.
fn write_file(path: &Path, data: &[u8]) -> Result<()> {
    let file_name = path
        .file_name()
        .with_context(|| format!("'{}' is not a file name", path.display()))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(".tmp");
    let temporary = path.with_file_name(temporary_name);
    let written = std::fs::write(&temporary, data).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.with_context(|| format!("cannot write '{}'", path.display()))
}

/// `totp`.
pub(crate) fn run(args: &TotpArgs) -> Result<()> {
    if (args.qr_png.is_some() || args.qr_svg.is_some()) && args.output.count != 1 {
        bail!("--qr-png and --qr-svg write one enrolment; leave out --count");
    }
    if args.qr && args.output.json {
        bail!("--qr draws for a terminal and --json prints records; choose one");
    }
    let options = options(args);
    options.check()?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock reads before 1970")?
        .as_secs();
    let bits = (8 * totp::SECRET_BYTES) as f64;
    let mut emitter = Emitter::new(&args.output);
    for _ in 0..args.output.count {
        let enrolment = Enrolment::new(&options)?;
        // Everything that can fail is done before anything is printed.
        let qr = if args.qr || args.qr_png.is_some() || args.qr_svg.is_some() {
            Some(enrolment.qr()?)
        } else {
            None
        };
        if let (Some(qr), Some(path)) = (&qr, &args.qr_png) {
            write_file(path, &qr.to_png(QR_SCALE)?)?;
        }
        if let (Some(qr), Some(path)) = (&qr, &args.qr_svg) {
            write_file(path, qr.to_svg(QR_SCALE).as_bytes())?;
        }
        let code = enrolment.code_at(now)?;
        let extra = [
            ("format", serde_json::Value::from("totp")),
            ("secret", serde_json::Value::from(enrolment.secret_base32())),
            ("issuer", serde_json::Value::from(options.issuer_value())),
            ("account", serde_json::Value::from(options.account_value())),
            (
                "algorithm",
                serde_json::Value::from(options.algorithm_value().name()),
            ),
            ("digits", serde_json::Value::from(options.digits_value())),
            ("period", serde_json::Value::from(options.period_value())),
            ("time", serde_json::Value::from(now)),
            ("code", serde_json::Value::from(code)),
        ];
        emitter.emit_with(enrolment.uri(), bits, &extra)?;
        if let (true, Some(qr)) = (args.qr, &qr) {
            emitter.flush()?;
            let mut out = std::io::stdout().lock();
            out.write_all(qr.to_terminal().as_bytes())
                .and_then(|()| out.flush())
                .context(WRITE_CONTEXT)?;
        }
    }
    emitter.finish()
}
