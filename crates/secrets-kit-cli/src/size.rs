//! The `SIZE` argument of `secrets bytes`.
//!
//! Self-contained (standard library only) so that the fuzz target in
//! `fuzz/fuzz_targets/size_parser.rs` compiles this very file.

/// Parses a size such as `1000`, `4K`, `500MB` or `2GiB` (whole numbers only).
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let usage = "SIZE must be a whole number of bytes with an optional suffix: \
                 K, M, G, T or KiB, MiB, GiB, TiB (1024-based), KB, MB, GB, TB (1000-based)";
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits_end);
    let Ok(number) = number.parse::<u64>() else {
        return Err(usage.to_owned());
    };
    let multiplier: u64 = match suffix.trim_start().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KIB" => 1 << 10,
        "M" | "MIB" => 1 << 20,
        "G" | "GIB" => 1 << 30,
        "T" | "TIB" => 1 << 40,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return Err(usage.to_owned()),
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("size '{text}' is too large: the most is {} bytes", u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_binary_and_decimal_suffixes() {
        for (text, bytes) in [
            ("0", 0),
            ("1000", 1000),
            ("1K", 1024),
            ("1k", 1024),
            ("1KiB", 1024),
            ("1KB", 1000),
            ("3M", 3 << 20),
            ("3MB", 3_000_000),
            ("2G", 2 << 30),
            ("2GiB", 2 << 30),
            ("2GB", 2_000_000_000),
            ("1T", 1 << 40),
            ("10B", 10),
        ] {
            assert_eq!(parse_size(text), Ok(bytes), "{text:?}");
        }
        // Malformed, then too large for a u64.
        for bad in [
            "",
            "G",
            "-1",
            "1.5G",
            "1X",
            "1 G B",
            "abc",
            "1e9",
            "99999999999999999999",
            "20000000T",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
