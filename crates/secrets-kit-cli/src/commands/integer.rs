//! `randbelow N` and `randbits K`: Python's integer functions, for integers
//! of any size.

use anyhow::{Result, bail};
use clap::Args;
use num_bigint::BigUint;

use crate::output::{self, OutputArgs};

/// The largest K for `randbits`: 2^20 bits, a number of about 315,000
/// decimal digits. Printing in decimal costs time quadratic in the size, so
/// the bound keeps every accepted request fast.
pub(crate) const MAX_RANDBITS: usize = 1 << 20;

#[derive(Debug, Args)]
pub(crate) struct RandbelowArgs {
    /// The exclusive upper bound: a decimal integer of any size, at least 1.
    #[arg(value_name = "N", allow_negative_numbers = true)]
    bound: String,

    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RandbitsArgs {
    /// How many random bits: the result is in [0, 2^K).
    #[arg(value_name = "K", value_parser = parse_bit_count, allow_negative_numbers = true)]
    bits: usize,

    #[command(flatten)]
    output: OutputArgs,
}

fn parse_bit_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(k) if k <= MAX_RANDBITS => Ok(k),
        _ => Err(format!(
            "K must be a whole number of bits from 0 to {MAX_RANDBITS}"
        )),
    }
}

/// Parses N: a decimal integer, at least 1. Only plain digits are taken
/// (no `+`, `_` or spaces inside), so what is used is what was meant.
fn parse_bound(text: &str) -> Result<BigUint> {
    let trimmed = text.trim();
    let is_decimal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(magnitude) = trimmed.strip_prefix('-') {
        if is_decimal(magnitude) {
            bail!("N must be at least 1, got {trimmed}: negative bounds are not allowed");
        }
    }
    if !is_decimal(trimmed) {
        bail!(
            "N must be a whole decimal number such as 100, got '{trimmed}' \
             (digits only, no sign, separators or exponent)"
        );
    }
    let bound = trimmed.parse::<BigUint>()?;
    if bound.bits() == 0 {
        bail!("N must be at least 1, got {trimmed}: randbelow(0) has no value to give");
    }
    Ok(bound)
}

/// `randbelow N`: one uniform integer in [0, N) per result.
pub(crate) fn run_randbelow(args: &RandbelowArgs) -> Result<()> {
    let bound = parse_bound(&args.bound)?;
    // The library's log2 of the set: one big-integer log2 for all.
    let set_size = secrets_gen::explain::SetSize::exact(bound.clone())?;
    let bits = set_size.log2();
    output::emit_each(&args.output, Some(set_size), || {
        let value = secrets::fallible::try_randbelow(bound.clone())?;
        Ok((value.to_string(), bits))
    })
}

/// `randbits K`: one uniform integer in [0, 2^K) per result.
pub(crate) fn run_randbits(args: &RandbitsArgs) -> Result<()> {
    #[allow(clippy::cast_precision_loss)] // K <= 2^20: exact
    let bits = args.bits as f64;
    output::emit_each(&args.output, None, || {
        let value: BigUint = secrets::fallible::try_randbits(args.bits)?;
        Ok((value.to_string(), bits))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_positive_decimal_integers() {
        assert_eq!(parse_bound("10").unwrap(), BigUint::from(10u8));
        assert_eq!(parse_bound(" 7 ").unwrap(), BigUint::from(7u8));
        let huge = "1".repeat(100);
        assert_eq!(parse_bound(&huge).unwrap().to_string(), huge);
        for bad in [
            "0", "-5", "abc", "", "1e5", "0x10", "1_000", "1.5", "+5", "-0", "00",
        ] {
            assert!(parse_bound(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(
            parse_bound("0")
                .unwrap_err()
                .to_string()
                .contains("at least 1")
        );
        assert!(
            parse_bound("-5")
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert!(
            parse_bound("abc")
                .unwrap_err()
                .to_string()
                .contains("decimal")
        );
    }

    #[test]
    fn bit_counts_are_bounded() {
        assert_eq!(parse_bit_count("0"), Ok(0));
        assert_eq!(parse_bit_count("256"), Ok(256));
        let too_many = (MAX_RANDBITS + 1).to_string();
        for bad in ["-1", &too_many] {
            assert!(parse_bit_count(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
