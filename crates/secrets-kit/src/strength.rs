//! The strength vocabulary shared by every generator: bits requested, the
//! length that reaches them, and the exact entropy of a result.
//!
//! Bit counts are `u64` throughout the crate and the command.

use crate::{Error, Result};

/// A length chosen for a requested strength, and the strength it reaches.
///
/// `length` is in symbols for tokens and in words for passphrases; `bits`
/// is the entropy of the result, at least the bits asked for.
///
/// # Examples
///
/// ```
/// let strength = secrets_kit::strength::length_for_bits(10, 20)?;
/// assert_eq!(strength.length, 7); // 6 digits give only 19.93 bits
/// assert!((strength.bits - 23.253).abs() < 1e-3);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strength {
    /// Symbols (or words) needed.
    pub length: usize,
    /// Bits of entropy of a result of that length.
    pub bits: f64,
}

/// The shortest length over `symbols` equally likely symbols whose entropy
/// `length * log2(symbols)` is at least `bits`, and that entropy.
///
/// For alphabets whose size is a power of two the answer is exact integer
/// arithmetic; for the others `length * log2(symbols)` is never an integer,
/// so the floating-point comparison cannot land on a tie.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when `symbols < 2` (no entropy per symbol)
/// or `bits` is 0 or above [`MAX_BITS`].
///
/// # Examples
///
/// ```
/// use secrets_kit::strength::length_for_bits;
///
/// assert_eq!(length_for_bits(32, 130)?.length, 26); // exactly 130 bits
/// assert_eq!(length_for_bits(32, 131)?.length, 27);
/// assert_eq!(length_for_bits(62, 128)?.length, 22);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn length_for_bits(symbols: usize, bits: u64) -> Result<Strength> {
    if symbols < 2 {
        return Err(Error::invalid(format!(
            "an alphabet of {symbols} symbol(s) gives no entropy; at least 2 are needed"
        )));
    }
    check_bits(bits)?;
    let per_symbol = bits_per_symbol(symbols);
    let length = if symbols.is_power_of_two() {
        let exact = symbols.trailing_zeros();
        bits.div_ceil(u64::from(exact)) as usize
    } else {
        let wanted = bits as f64; // exact: checked to be at most 2^48
        let mut length = (wanted / per_symbol).ceil() as usize;
        // Guard against rounding in the division, in either direction.
        while length > 1 && (length - 1) as f64 * per_symbol >= wanted {
            length -= 1;
        }
        while (length as f64) * per_symbol < wanted {
            length += 1;
        }
        length
    };
    Ok(Strength {
        length,
        bits: length as f64 * per_symbol,
    })
}

/// The most bits a request may ask for: 2^48, far beyond any secret, and
/// small enough that every figure is exact in `f64`.
///
/// # Examples
///
/// ```
/// use secrets_kit::strength::{MAX_BITS, length_for_bits};
/// assert!(length_for_bits(58, MAX_BITS + 1).is_err());
/// ```
pub const MAX_BITS: u64 = 1 << 48;

/// Checks a requested strength: 1 to [`MAX_BITS`].
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for 0 or more
/// than [`MAX_BITS`].
///
/// ```
/// use secrets_kit::strength::{MAX_BITS, check_bits};
/// assert!(check_bits(128).is_ok());
/// assert!(check_bits(0).is_err() && check_bits(MAX_BITS + 1).is_err());
/// ```
pub fn check_bits(bits: u64) -> Result<()> {
    if bits == 0 || bits > MAX_BITS {
        return Err(Error::invalid(format!(
            "a strength of {bits} bits was asked for; ask for 1 to {MAX_BITS} bits"
        )));
    }
    Ok(())
}

/// The entropy of one symbol drawn uniformly from `symbols`: `log2(symbols)`.
///
/// ```
/// assert_eq!(secrets_kit::strength::bits_per_symbol(64), 6.0);
/// ```
pub fn bits_per_symbol(symbols: usize) -> f64 {
    (symbols as f64).log2()
}
