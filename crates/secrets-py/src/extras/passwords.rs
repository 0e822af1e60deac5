//! `password`: passwords under a policy (the four classes with counts, an
//! alphabet, a site's `passwordrules`, the rules of a site from a rules
//! file, k of n classes) or in a memorable style, each exactly uniform over
//! the strings the options allow: `secrets_kit_gen::password`, as the
//! command's `secrets password` runs it.

use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBool;
use secrets_kit_gen::password::{
    CharClass, PasswordGenerator, PasswordPolicy, SiteRules, Style, StyleGenerator, policy_warnings,
};

use super::args::{length_or_bits, opt_size, opt_usize, size_usize};
use super::cache::Cache;
use super::{OrRaise as _, warn_all};
use crate::draw::DETACH_AT;

/// Generators of the last policies (with the rules their warnings name),
/// and their warnings.
type PolicyKey = (PasswordPolicy, Option<String>);
static POLICIES: Cache<PolicyKey, (PasswordGenerator, Vec<String>)> = Cache::new();

/// Generators of the last styles and sizes.
static STYLES: Cache<(Style, Option<usize>, Option<u64>), StyleGenerator> = Cache::new();

/// The environment variable naming the rules file for `site=` when
/// `rules_file=` is not given (the command's too).
const RULES_FILE_VAR: &str = "SECRETS_PASSWORD_RULES_FILE";

/// What one of `lower=`, `upper=`, `digits=`, `symbols=` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClassOption {
    /// Not given: as `True`.
    Default,
    /// `False`: none of the class.
    Exclude,
    /// `True`: the class is allowed, at least one of it.
    Include,
    /// An int `n`: the class is allowed, at least `n` of it (0: allowed,
    /// not needed).
    AtLeast(usize),
}

impl ClassOption {
    fn read(ob: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Self> {
        let Some(ob) = ob else {
            return Ok(ClassOption::Default);
        };
        if ob.is_none() {
            return Ok(ClassOption::Default);
        }
        if ob.is_instance_of::<PyBool>() {
            return Ok(if ob.is_truthy()? {
                ClassOption::Include
            } else {
                ClassOption::Exclude
            });
        }
        if ob.is_instance_of::<pyo3::types::PyInt>() {
            return size_usize(ob, name).map(ClassOption::AtLeast);
        }
        Err(PyTypeError::new_err(format!(
            "{name} must be a bool or an int, not {}",
            ob.get_type().name()?
        )))
    }
}

/// The library's name of a style, or the `ValueError` listing them.
fn style_named(name: &str) -> PyResult<Style> {
    Style::ALL
        .into_iter()
        .find(|style| style.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = Style::ALL.iter().map(|s| s.name()).collect();
            PyValueError::new_err(format!(
                "no password style is named {}; they are {}",
                secrets::Error::quoted(name),
                names.join(", ")
            ))
        })
}

/// A password, uniform over exactly the passwords the options allow.
///
/// With no options: 16 characters from lower-case and upper-case letters,
/// digits and the 32 ASCII punctuation characters, at least one of each
/// (about 104.6 bits).
///
/// - ``length``: characters (default: the fewest that reach 100 bits);
///   ``bits``: the fewest characters whose exact entropy reaches ``bits``.
///   Give one or neither.
/// - ``lower``, ``upper``, ``digits``, ``symbols``: each ``True`` (the
///   default: the class is allowed and appears at least once), ``False``
///   (the class is left out), or an int ``n`` (allowed, at least ``n`` of
///   it; ``0``: allowed, not needed). With ``alphabet``, ``rules`` or
///   ``site``, an int or ``True`` counts the class's characters among those
///   allowed, and ``False`` is an error.
/// - ``alphabet``: draw from exactly these characters (no repeats) instead
///   of the classes.
/// - ``rules``: a site's rules in the ``passwordrules`` syntax, such as
///   ``"minlength: 12; required: upper; required: digit; allowed: lower"``.
/// - ``site``: the rules listed for this host name in ``rules_file`` (the
///   JSON ``password-rules.json`` of Apple's Password Manager Resources;
///   default: the file named by ``$SECRETS_PASSWORD_RULES_FILE``).
///   Subdomains match unless the entry says otherwise; a site not listed
///   gets the default policy.
/// - ``at_least_classes``: need characters from at least ``k`` of the
///   allowed classes rather than all of them ("3 of upper, lower, digits,
///   symbols"); it replaces the ``True``/default minimums, an int count
///   still applies.
/// - ``exclude_ambiguous``: leave out look-alikes (``0 O o 1 l I i | B 8 G
///   6 ' " `` and the backquote); ``max_consecutive``: at most ``n`` copies
///   of a character in a row.
/// - ``style``: ``"apple"`` (xxxxxx-xxxxxx-xxxxxx, ``length`` counts
///   groups), ``"pronounceable"``, ``"pin"`` or ``"alnum"``, with ``length``
///   or ``bits``; a style replaces the policy options.
///
/// The library's warnings (a weak policy, a short length) are issued as
/// ``UserWarning``.
///
/// Raises ``ValueError`` for options nothing can meet or that contradict
/// each other, ``TypeError`` for arguments of the wrong type, ``OSError``
/// when the rules file cannot be read.
///
/// >>> import secrets_rs
/// >>> len(secrets_rs.password())
/// 16
/// >>> p = secrets_rs.password(10, symbols=False, digits=3)
/// >>> sum(c.isdigit() for c in p) >= 3 and any(c.islower() for c in p)
/// True
/// >>> len(secrets_rs.password(style="apple"))
/// 20
#[pyfunction]
#[pyo3(signature = (length=None, *, lower=None, upper=None, digits=None, symbols=None,
    alphabet=None, rules=None, site=None, rules_file=None, at_least_classes=None,
    exclude_ambiguous=false, max_consecutive=None, style=None, bits=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn password(
    py: Python<'_>,
    length: Option<&Bound<'_, PyAny>>,
    lower: Option<&Bound<'_, PyAny>>,
    upper: Option<&Bound<'_, PyAny>>,
    digits: Option<&Bound<'_, PyAny>>,
    symbols: Option<&Bound<'_, PyAny>>,
    alphabet: Option<String>,
    rules: Option<String>,
    site: Option<String>,
    rules_file: Option<PathBuf>,
    at_least_classes: Option<&Bound<'_, PyAny>>,
    exclude_ambiguous: bool,
    max_consecutive: Option<&Bound<'_, PyAny>>,
    style: Option<String>,
    bits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let length = opt_usize(length, "length")?;
    let bits = opt_size(bits, "bits")?;
    length_or_bits(&length, &bits, "length")?;
    let classes = [
        (CharClass::Lower, ClassOption::read(lower, "lower")?),
        (CharClass::Upper, ClassOption::read(upper, "upper")?),
        (CharClass::Digits, ClassOption::read(digits, "digits")?),
        (CharClass::Symbols, ClassOption::read(symbols, "symbols")?),
    ];
    let at_least_classes = opt_usize(at_least_classes, "at_least_classes")?;
    let max_consecutive = opt_usize(max_consecutive, "max_consecutive")?;

    if let Some(style) = style {
        let policy_given = classes.iter().any(|(_, o)| *o != ClassOption::Default)
            || alphabet.is_some()
            || rules.is_some()
            || site.is_some()
            || rules_file.is_some()
            || at_least_classes.is_some()
            || exclude_ambiguous
            || max_consecutive.is_some();
        if policy_given {
            return Err(PyValueError::new_err(
                "style= replaces the policy: give it with length or bits only",
            ));
        }
        let style = style_named(&style)?;
        let generator = STYLES
            .get_or_build(py, (style, length, bits), |key| match (key.1, key.2) {
                (Some(size), _) => style.with_size(size),
                (None, Some(bits)) => style.for_bits(bits),
                (None, None) => style.generator(),
            })
            .or_raise()?;
        return detach_if(py, is_long(length, bits), || generator.generate()).or_raise();
    }

    let sources = [alphabet.is_some(), rules.is_some(), site.is_some()];
    if sources.iter().filter(|&&given| given).count() > 1 {
        return Err(PyValueError::new_err(
            "give one of alphabet, rules and site: each sets the characters",
        ));
    }
    if rules_file.is_some() && site.is_none() {
        return Err(PyValueError::new_err(
            "rules_file is read for site=; give site too",
        ));
    }
    let site_rules = match &site {
        Some(site) => site_rules(py, site, rules_file)?,
        None => None,
    };
    let rules = site_rules.or(rules);

    // The classes decide the characters unless rules or an alphabet do.
    let by_classes = rules.is_none() && alphabet.is_none();
    // The classes not left out: the alphabet's when they decide it, and
    // the ones k of n counts from (all four otherwise).
    let listed: Vec<CharClass> = if by_classes {
        classes
            .iter()
            .filter(|(_, o)| *o != ClassOption::Exclude)
            .map(|(c, _)| *c)
            .collect()
    } else {
        CharClass::ALL.to_vec()
    };
    let mut policy = match (&rules, alphabet) {
        // Long rules take long to read: without the GIL.
        (Some(rules), _) => detach_if(py, rules.len() >= DETACH_AT, || {
            PasswordPolicy::from_rules(rules)
        })
        .or_raise()?,
        (None, Some(alphabet)) => PasswordPolicy::new().alphabet(alphabet),
        (None, None) => PasswordPolicy::new().classes(&listed),
    };
    if let Some(k) = at_least_classes {
        policy = policy.at_least_classes(k, &listed);
    }
    for (class, option) in classes {
        match option {
            ClassOption::Default => {}
            ClassOption::Exclude if by_classes => {}
            ClassOption::Exclude => {
                return Err(PyValueError::new_err(format!(
                    "{}=False leaves a class out of the four classes; with alphabet, rules or \
                     site the characters are theirs (count a class with an int instead)",
                    class_arg(class)
                )));
            }
            // Already needed once by `classes`, unless k of n replaced it.
            ClassOption::Include if by_classes => {}
            ClassOption::Include => policy = policy.min(class, 1),
            ClassOption::AtLeast(n) => policy = policy.min(class, n),
        }
    }
    if let Some(length) = length {
        policy = policy.length(length);
    }
    if let Some(bits) = bits {
        policy = policy.bits(bits);
    }
    if let Some(max) = max_consecutive {
        policy = policy.max_consecutive(max);
    }
    let policy = policy.exclude_ambiguous(exclude_ambiguous);
    let built = POLICIES
        .get_or_build(py, (policy, rules), |(policy, rules)| {
            let warnings = policy_warnings(policy, rules.as_deref())?;
            let warnings = warnings.iter().map(ToString::to_string).collect();
            Ok::<_, secrets::Error>((policy.generator()?, warnings))
        })
        .or_raise()?;
    warn_all(py, &built.1)?;
    detach_if(py, is_long(length, bits), || built.0.generate()).or_raise()
}

/// Whether a password of `length` characters or `bits` bits is long
/// enough to be made without the GIL: a short one is made quicker than the
/// GIL is released and taken back.
fn is_long(length: Option<usize>, bits: Option<u64>) -> bool {
    const LONG_LENGTH: usize = 4096;
    length.is_some_and(|length| length >= LONG_LENGTH)
        || bits.is_some_and(|bits| bits >= 4 * LONG_LENGTH as u64)
}

/// `work()`, without the GIL when `long`.
fn detach_if<T: Send>(py: Python<'_>, long: bool, work: impl FnOnce() -> T + Send) -> T {
    if long { py.detach(work) } else { work() }
}

/// The argument name of a class.
fn class_arg(class: CharClass) -> &'static str {
    match class {
        CharClass::Lower => "lower",
        CharClass::Upper => "upper",
        CharClass::Digits => "digits",
        _ => "symbols",
    }
}

/// The rules of `site` in the rules file (`rules_file`, else the file the
/// environment names), or `None` when the file has no entry for it.
fn site_rules(py: Python<'_>, site: &str, rules_file: Option<PathBuf>) -> PyResult<Option<String>> {
    let path = match rules_file {
        Some(path) => path,
        None => match std::env::var_os(RULES_FILE_VAR) {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => {
                return Err(PyValueError::new_err(format!(
                    "site= needs the rules file: give rules_file= or set {RULES_FILE_VAR}; the \
                     file is quirks/password-rules.json in Apple's password-manager-resources \
                     repository"
                )));
            }
        },
    };
    let file = py.detach(|| SiteRules::from_file(&path)).or_raise()?;
    let found = file.lookup(site).map(|found| found.entry.rules.clone());
    if found.is_none() {
        // As the command notes it: the default policy is not what was
        // asked for, so it is said, not done silently.
        warn_all(
            py,
            &[format!(
                "no entry for {site} in {} ({} entries); using the default policy",
                path.display(),
                file.len()
            )],
        )?;
    }
    Ok(found)
}
