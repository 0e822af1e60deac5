//! `passphrase`: words from an embedded or user word list, with
//! capitals, a digit, a symbol, a length limit or a site's rules, uniform
//! over exactly the phrases the options allow:
//! `secrets_kit_gen::wordlist::PhraseOptions`, as `secrets passphrase`
//! runs it.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use secrets_kit_gen::wordlist::{Capitalize, EmbeddedList, Passphrases, PhraseOptions, WordList};

use super::args::{length_or_bits, opt_size, opt_usize};
use super::cache::Cache;
use super::{OrRaise as _, warn_all};

/// The options of a passphrase from an embedded list: the key of the
/// cache of built generators (a file's list is read on every call, since
/// the file may change).
#[derive(PartialEq)]
struct PhraseKey {
    list: EmbeddedList,
    separator: String,
    capitalize: Capitalize,
    digit: bool,
    symbol: bool,
    max_length: Option<usize>,
    rules: Option<String>,
    words: Option<usize>,
    bits: Option<u64>,
}

static PHRASES: Cache<PhraseKey, Passphrases> = Cache::new();

/// Which word list `wordlist=` names.
enum ListChoice {
    Embedded(EmbeddedList),
    File(WordList),
}

/// The word list `wordlist=` names: an embedded list by name, else a file
/// (read now).
fn word_list(py: Python<'_>, wordlist: &Bound<'_, PyAny>) -> PyResult<ListChoice> {
    if let Ok(name) = wordlist.cast::<PyString>() {
        let name = name.to_cow()?;
        if let Some(list) = EmbeddedList::from_name(&name) {
            return Ok(ListChoice::Embedded(list));
        }
        let name = name.into_owned();
        return py
            .detach(|| WordList::open(&name))
            .or_raise()
            .map(ListChoice::File);
    }
    match wordlist.extract::<PathBuf>() {
        Ok(path) => py
            .detach(|| WordList::from_file(&path))
            .or_raise()
            .map(ListChoice::File),
        Err(_) => Err(PyTypeError::new_err(format!(
            "wordlist must be a str or an os.PathLike, not {}",
            wordlist.get_type().name()?
        ))),
    }
}

/// A passphrase, uniform over exactly the phrases the options allow.
///
/// - ``words``: how many words, 1 to 64 (default: the fewest that reach
///   75 bits, 6 with the EFF long list); ``bits``: the fewest words that
///   reach ``bits``. Give one or neither.
/// - ``wordlist``: an embedded list (``"eff-long"``, the default, ``"eff-short-1"``,
///   ``"eff-short-2"``, ``"reinhold"``, ``"beale"``, ``"minilock"``) or the
///   path of a UTF-8 file with one word per line (at most 16 MiB).
/// - ``separator``: between the words, at most 32 characters.
/// - ``capitalize``: ``"all"`` (each word starts with a capital), ``"one"``
///   (exactly one word, chosen at random) or ``"random"`` (each word or
///   not, one bit a word); ``None`` leaves the words as listed.
/// - ``digit``, ``symbol``: append one digit or one ASCII punctuation
///   character to one word (both chosen uniformly).
/// - ``max_length``: at most this many characters in all.
/// - ``rules``: a site's rules in the ``passwordrules`` syntax; the phrase
///   meets them with as few changes as they need.
///
/// The library's warnings (a word list whose phrases do not split back
/// uniquely, a phrase short of 75 bits) are issued as ``UserWarning``.
/// Raises ``ValueError`` for options nothing can meet, ``TypeError`` for
/// arguments of the wrong type, ``OSError`` when the word list file cannot
/// be read.
///
/// >>> import secrets_rs
/// >>> len(secrets_rs.passphrase().split(" "))
/// 6
/// >>> len(secrets_rs.passphrase(4, separator=".").split("."))
/// 4
#[pyfunction]
#[pyo3(signature = (words=None, *, wordlist=None, separator=" ", capitalize=None, digit=false,
    symbol=false, max_length=None, rules=None, bits=None),
    text_signature = "(words=None, *, wordlist='eff-long', separator=' ', capitalize=None, \
    digit=False, symbol=False, max_length=None, rules=None, bits=None)")]
#[allow(clippy::too_many_arguments)]
pub(crate) fn passphrase(
    py: Python<'_>,
    words: Option<&Bound<'_, PyAny>>,
    wordlist: Option<&Bound<'_, PyAny>>,
    separator: &str,
    capitalize: Option<&str>,
    digit: bool,
    symbol: bool,
    max_length: Option<&Bound<'_, PyAny>>,
    rules: Option<String>,
    bits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let words = opt_usize(words, "words")?;
    let bits = opt_size(bits, "bits")?;
    length_or_bits(&words, &bits, "words")?;
    let max_length = opt_usize(max_length, "max_length")?;
    let capitalize = match capitalize {
        None => Capitalize::AsListed,
        Some("all") => Capitalize::All,
        Some("one") => Capitalize::One,
        Some("random") => Capitalize::Random,
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "capitalize must be \"all\", \"one\", \"random\" or None, not {}",
                secrets::Error::quoted(other)
            )));
        }
    };
    let list = match wordlist {
        Some(wordlist) if !wordlist.is_none() => word_list(py, wordlist)?,
        _ => ListChoice::Embedded(EmbeddedList::EffLong),
    };
    let mut options = PhraseOptions::new()
        .separator(separator)
        .digit(digit)
        .symbol(symbol)
        .capitalize(capitalize);
    if let Some(max) = max_length {
        options = options.max_length(max);
    }
    if let Some(rules) = &rules {
        options = options.rules(rules);
    }
    let phrases = match list {
        ListChoice::File(list) => {
            py.detach(|| options.passphrases(&list, words, bits).map(Arc::new))
        }
        ListChoice::Embedded(embedded) => {
            let key = PhraseKey {
                list: embedded,
                separator: separator.to_owned(),
                capitalize,
                digit,
                symbol,
                max_length,
                rules: rules.clone(),
                words,
                bits,
            };
            PHRASES.get_or_build(py, key, |_| {
                options.passphrases(&WordList::embedded(embedded), words, bits)
            })
        }
    }
    .or_raise()?;
    warn_all(py, phrases.warnings())?;
    // At most 64 words: quicker made than the GIL is released and taken
    // back.
    phrases.generate().or_raise()
}
