//! `choice ITEM...` and `choice --file PATH`: one item, chosen uniformly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;

use crate::output::{self, OutputArgs};

#[derive(Debug, Args)]
pub(crate) struct ChoiceArgs {
    /// The items to choose from.
    #[arg(
        value_name = "ITEM",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    items: Vec<String>,

    /// Read the items from a file, one per line ('-' is standard input), of
    /// at most 16 MiB. Blank lines are skipped; a trailing '\r' is removed.
    #[arg(long, value_name = "PATH")]
    file: Option<PathBuf>,

    #[command(flatten)]
    output: OutputArgs,
}

/// Reads one item per line from `path`, or from standard input for `-`.
fn read_items(path: &Path) -> Result<Vec<String>> {
    let raw = crate::input::read_path(path, crate::input::MAX_FILE_BYTES, "the items")?;
    let name = if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        format!("'{}'", path.display())
    };
    split_items(&raw, &name)
}

/// Splits text into items, one per line, skipping blank lines. A file of
/// millions of short lines takes many times its size in memory, so every
/// allocation here is fallible: running out is an error, not an abort.
fn split_items(raw: &[u8], name: &str) -> Result<Vec<String>> {
    let lines = raw.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut items = Vec::new();
    try_room(
        items.try_reserve_exact(lines),
        lines * size_of::<String>(),
        "the items",
    )?;
    for (index, line) in raw.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(line) = std::str::from_utf8(line) else {
            bail!("{name}, line {}: not valid UTF-8", index + 1);
        };
        if !line.trim().is_empty() {
            let mut item = String::new();
            if item.try_reserve_exact(line.len()).is_err() {
                // Memory is full of items: free them before the error
                // message needs some.
                drop(items);
                return Err(crate::input::out_of_memory(
                    lines * size_of::<String>() + raw.len(),
                    "the items",
                ));
            }
            item.push_str(line);
            items.push(item);
        }
    }
    if items.is_empty() {
        bail!("{name} has no items to choose from (it is empty or all blank lines)");
    }
    Ok(items)
}

/// How many distinct values `items` has, and the entropy of one uniform
/// pick from them, in bits. Repeated items are more likely than the
/// others, so this is the Shannon entropy of the distribution of values,
/// which is `log2(len)` when all are distinct. One pass, its counts grown
/// fallibly.
fn distinct_and_entropy(items: &[String]) -> Result<(usize, f64)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for item in items {
        // Grows as distinct items come, fallibly.
        try_room(
            counts.try_reserve(1),
            (counts.len() + 1) * size_of::<(&str, usize)>(),
            "the item counts",
        )?;
        *counts.entry(item.as_str()).or_default() += 1;
    }
    #[allow(clippy::cast_precision_loss)]
    let total = items.len() as f64;
    let sum: f64 = counts
        .values()
        .map(|&count| {
            #[allow(clippy::cast_precision_loss)]
            let count = count as f64;
            count * count.log2()
        })
        .sum();
    Ok((counts.len(), (total.log2() - sum / total).max(0.0)))
}

/// `choice`: one uniformly chosen item per result.
pub(crate) fn run(args: &ChoiceArgs) -> Result<()> {
    let from_file;
    let items: &[String] = match &args.file {
        Some(path) => {
            from_file = read_items(path)?;
            &from_file
        }
        None => &args.items,
    };
    if items.is_empty() {
        bail!("there is nothing to choose from; give at least one ITEM or --file PATH");
    }
    let (distinct, bits) = distinct_and_entropy(items)?;
    // The values are the distinct items (repeated ones are likelier, so
    // --explain's figures are for the best case, a uniform draw).
    let set_size = secrets_gen::explain::SetSize::exact(distinct.into())?;
    output::emit_each(&args.output, Some(set_size), || {
        let item = secrets::fallible::try_choice(items)?;
        Ok((item.clone(), bits))
    })
}

/// A failed reservation of about `bytes` bytes for `what` as the command's
/// error.
fn try_room<E>(reserved: Result<(), E>, bytes: usize, what: &str) -> Result<()> {
    reserved.map_err(|_| crate::input::out_of_memory(bytes, what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_items() {
        let items = split_items(b"a\r\nb\n\n  \nc", "x").unwrap();
        assert_eq!(items, ["a", "b", "c"]);
        assert!(split_items(b"\n\n", "x").is_err());
        let err = split_items(b"ok\n\xff\n", "'f'").unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn entropy_counts_repeats() {
        let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            distinct_and_entropy(&owned(&["a", "b", "c", "d"])).unwrap(),
            (4, 2.0)
        );
        assert_eq!(distinct_and_entropy(&owned(&["a"])).unwrap(), (1, 0.0));
        assert_eq!(distinct_and_entropy(&owned(&["a", "a"])).unwrap(), (1, 0.0));
        // p = (1/2, 1/4, 1/4): 1.5 bits.
        let (distinct, h) = distinct_and_entropy(&owned(&["a", "a", "b", "c"])).unwrap();
        assert_eq!(distinct, 3);
        assert!((h - 1.5).abs() < 1e-12, "{h}");
    }
}
