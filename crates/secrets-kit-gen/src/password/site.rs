//! Rules by site: the `password-rules.json` file of Apple's Password Manager
//! Resources (`quirks/password-rules.json` in the
//! `apple/password-manager-resources` repository), and the warnings a
//! site's rules deserve.
//!
//! The file maps a domain to an object with a `password-rules` string (the
//! `passwordrules` syntax of [`PasswordPolicy::from_rules`]) and an optional
//! `exact-domain-match-only` flag. An entry covers its subdomains unless
//! that flag is true. This crate does not ship the file: it changes often,
//! and users fetch the current one themselves.

use std::collections::BTreeMap;
use std::path::Path;

use secrets_kit::{Error, ErrorKind, Result};

use super::{DEFAULT_BITS, PasswordGenerator, PasswordPolicy, WEAK_BITS};
use crate::Warning;
use crate::read::{MAX_FILE_BYTES, read_capped};

/// One entry of a rules file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteEntry {
    /// The `password-rules` string.
    pub rules: String,
    /// True when the entry covers only its own domain, not subdomains.
    pub exact_domain_match_only: bool,
}

/// What [`SiteRules::lookup`] found: the entry and the domain it is listed
/// under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteMatch<'a> {
    /// The domain as the file lists it (the host itself or a parent).
    pub domain: &'a str,
    /// The entry.
    pub entry: &'a SiteEntry,
}

/// A rules file: domain to [`SiteEntry`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::SiteRules;
///
/// let file = SiteRules::from_json(r#"{
///     "example.com": {"password-rules": "minlength: 8; maxlength: 12; required: digit; allowed: lower"},
///     "bank.example": {"password-rules": "maxlength: 6; allowed: digit", "exact-domain-match-only": true}
/// }"#)?;
/// let found = file.lookup("login.example.com").unwrap();
/// assert_eq!(found.domain, "example.com");
/// let policy = found.policy()?;
/// assert_eq!(policy.generator()?.length(), 12);
/// assert!(file.lookup("www.bank.example").is_none()); // exact match only
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteRules {
    entries: BTreeMap<String, SiteEntry>,
}

impl SiteRules {
    /// Reads the JSON text of a rules file.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Parse`] when the text is not JSON, not an object of
    /// objects, or an entry lacks a `password-rules` string; the message
    /// names the entry.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::SiteRules;
    /// assert!(SiteRules::from_json("[1, 2]").is_err());
    /// assert!(SiteRules::from_json(r#"{"a.example": {}}"#).unwrap_err().to_string().contains("a.example"));
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|err| {
            Error::new(
                ErrorKind::Parse,
                format!("the password rules file is not valid JSON: {err}"),
            )
        })?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::new(
                ErrorKind::Parse,
                "the password rules file must be a JSON object from domain to \
                 {\"password-rules\": ...}",
            ));
        };
        let mut entries = BTreeMap::new();
        for (domain, entry) in map {
            let rules = entry.get("password-rules").and_then(|r| r.as_str());
            let Some(rules) = rules else {
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!(
                        "the password rules file's entry {domain:?} has no \"password-rules\" \
                         string; each entry is {{\"password-rules\": \"...\"}}"
                    ),
                ));
            };
            let exact = match entry.get("exact-domain-match-only") {
                None => false,
                Some(serde_json::Value::Bool(flag)) => *flag,
                Some(_) => {
                    return Err(Error::new(
                        ErrorKind::Parse,
                        format!(
                            "the password rules file's entry {domain:?} has an \
                             \"exact-domain-match-only\" that is not true or false"
                        ),
                    ));
                }
            };
            entries.insert(
                normalise(&domain),
                SiteEntry {
                    rules: rules.to_owned(),
                    exact_domain_match_only: exact,
                },
            );
        }
        Ok(SiteRules { entries })
    }

    /// Reads a rules file, refusing one larger than
    /// [`MAX_FILE_BYTES`] (16 MiB; Apple's is
    /// about 64 KB) while reading it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read (the message names
    /// the file, the `io::Error` saying why is the error's
    /// [`source`](std::error::Error::source)), [`ErrorKind::TooLarge`] past
    /// the size cap, [`ErrorKind::Parse`] when the text is not UTF-8, and
    /// the errors of [`from_json`](Self::from_json), with the file's name.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = secrets_kit_gen::password::SiteRules::from_file("no/such/rules.json").unwrap_err();
    /// assert_eq!(err.kind(), secrets_kit::ErrorKind::Io);
    /// assert_eq!(err.to_string(), "cannot read the password rules file 'no/such/rules.json'");
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = read_capped(path, MAX_FILE_BYTES, "the password rules file")?;
        let text = std::str::from_utf8(&bytes).map_err(|err| {
            Error::new(
                ErrorKind::Parse,
                format!(
                    "the password rules file '{}' is not UTF-8 text (bad byte at offset {})",
                    path.display(),
                    err.valid_up_to()
                ),
            )
        })?;
        Self::from_json(text).map_err(|err| {
            let message = format!("'{}': {}", path.display(), err.message());
            err.with_message(message)
        })
    }

    /// The entry for `site`: a host name (`login.example.com`) or a URL
    /// (`https://login.example.com/path`). The host itself is tried first,
    /// then each parent domain, whose entry counts unless it is
    /// `exact-domain-match-only`. Case and a final `.` are ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::SiteRules;
    /// let file = SiteRules::from_json(r#"{"example.com": {"password-rules": "minlength: 8"}}"#)?;
    /// assert_eq!(file.lookup("https://WWW.Example.com./login").unwrap().domain, "example.com");
    /// assert!(file.lookup("example.org").is_none());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn lookup(&self, site: &str) -> Option<SiteMatch<'_>> {
        let host = host_of(site);
        let mut candidate = host.as_str();
        let mut exact = true;
        loop {
            if let Some((domain, entry)) = self.entries.get_key_value(candidate) {
                if exact || !entry.exact_domain_match_only {
                    return Some(SiteMatch {
                        domain: domain.as_str(),
                        entry,
                    });
                }
            }
            let (_, parent) = candidate.split_once('.')?;
            candidate = parent;
            exact = false;
        }
    }

    /// The number of entries.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(secrets_kit_gen::password::SiteRules::from_json("{}")?.len(), 0);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(secrets_kit_gen::password::SiteRules::from_json("{}")?.is_empty());
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, by domain in sorted order.
    ///
    /// # Examples
    ///
    /// ```
    /// let file = secrets_kit_gen::password::SiteRules::from_json(r#"{"b.example": {"password-rules": ""}}"#)?;
    /// assert_eq!(file.entries().next().unwrap().0, "b.example");
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = (&str, &SiteEntry)> + '_ {
        self.entries.iter().map(|(d, e)| (d.as_str(), e))
    }
}

impl SiteMatch<'_> {
    /// The entry's rules as a policy ([`PasswordPolicy::from_rules`]).
    ///
    /// # Errors
    ///
    /// As [`PasswordPolicy::from_rules`].
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::password::SiteRules;
    /// let file = SiteRules::from_json(r#"{"example.com": {"password-rules": "maxlength: 4; allowed: digit"}}"#)?;
    /// let pin = file.lookup("example.com").unwrap().policy()?.generate()?;
    /// assert_eq!(pin.len(), 4);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn policy(&self) -> Result<PasswordPolicy> {
        PasswordPolicy::from_rules(&self.entry.rules)
    }
}

fn normalise(domain: &str) -> String {
    domain.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The host of a URL or host name, lower case, without port or final dot.
fn host_of(site: &str) -> String {
    let rest = site.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, after)| after);
    let rest = rest.split(['/', '?', '#']).next().unwrap_or("");
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => rest,
    };
    normalise(host)
}

/// The warnings a rule set deserves:
///
/// - [`Warning::NonAscii`]: characters outside printable ASCII in the rules
///   (such as `§` or `ä`), which browsers drop silently and passwords here
///   never use;
/// - [`Warning::Weak`]: a best password under [`WEAK_BITS`] (64) bits, the
///   exact entropy at the longest length the rules allow.
///
/// # Errors
///
/// As [`PasswordPolicy::from_rules`] and [`PasswordPolicy::generator`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::Warning;
/// use secrets_kit_gen::password::rules_warnings;
///
/// let warnings = rules_warnings("maxlength: 4; allowed: digit")?;
/// assert!(matches!(warnings[..], [Warning::Weak { length: 4, .. }]));
/// assert!(warnings[0].to_string().contains("13.29 bits"));
/// let warnings = rules_warnings("minlength: 8; allowed: lower, [§!]")?;
/// assert_eq!(warnings, [Warning::NonAscii { chars: vec!['§'] }]);
/// assert!(rules_warnings("minlength: 12")?.is_empty());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn rules_warnings(rules: &str) -> Result<Vec<Warning>> {
    let policy = PasswordPolicy::from_rules(rules)?;
    let mut warnings = non_ascii(rules);
    if let Some(best) = best_generator(&policy)? {
        warnings.extend(weak(&best));
    }
    Ok(warnings)
}

/// Every warning for the passwords `policy` makes, where `rules` is the
/// `passwordrules` text the policy was read from (and then changed), if
/// any:
///
/// - [`Warning::NonAscii`] for characters of `rules` outside printable
///   ASCII;
/// - [`Warning::Weak`] when the best password the policy allows (at its
///   maximum length) has under [`WEAK_BITS`] bits;
/// - otherwise [`Warning::ShortPassword`] when the policy asks for neither
///   a [`length`](PasswordPolicy::length) nor [`bits`](PasswordPolicy::bits)
///   and its maximum length keeps the passwords under [`DEFAULT_BITS`].
///
/// # Errors
///
/// As [`PasswordPolicy::generator`].
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::Warning;
/// use secrets_kit_gen::password::{PasswordPolicy, policy_warnings};
///
/// let rules = "maxlength: 12; allowed: lower, upper, digit";
/// let policy = PasswordPolicy::from_rules(rules)?;
/// let warnings = policy_warnings(&policy, Some(rules))?;
/// assert!(matches!(warnings[..], [Warning::ShortPassword { length: 12, target_bits: 100, .. }]));
/// // Asking for a length says the user knows: no warning.
/// assert!(policy_warnings(&policy.length(10), Some(rules))?.is_empty());
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub fn policy_warnings(policy: &PasswordPolicy, rules: Option<&str>) -> Result<Vec<Warning>> {
    let mut warnings = rules.map(non_ascii).unwrap_or_default();
    if let Some(best) = best_generator(policy)? {
        let bits = best.entropy_bits();
        if let Some(warning) = weak(&best) {
            warnings.push(warning);
        } else if policy.length.is_none()
            && policy.target_bits.is_none()
            && bits < DEFAULT_BITS as f64
        {
            warnings.push(Warning::ShortPassword {
                length: best.length(),
                bits,
                target_bits: DEFAULT_BITS,
            });
        }
    }
    Ok(warnings)
}

/// [`Warning::NonAscii`] for the characters of `rules` outside printable
/// ASCII, if any.
fn non_ascii(rules: &str) -> Vec<Warning> {
    let mut chars: Vec<char> = rules
        .chars()
        .filter(|&c| !(' '..='~').contains(&c) && !c.is_ascii_whitespace())
        .collect();
    chars.sort_unstable();
    chars.dedup();
    if chars.is_empty() {
        Vec::new()
    } else {
        vec![Warning::NonAscii { chars }]
    }
}

/// [`Warning::Weak`] when `best` is under [`WEAK_BITS`].
fn weak(best: &PasswordGenerator) -> Option<Warning> {
    let bits = best.entropy_bits();
    (bits < WEAK_BITS).then(|| Warning::Weak {
        length: best.length(),
        bits,
    })
}

/// The generator at the longest length the policy allows, when it has a
/// maximum (without one, any entropy is within reach).
fn best_generator(policy: &PasswordPolicy) -> Result<Option<PasswordGenerator>> {
    match policy.max_length {
        Some(max) => policy
            .clone()
            .length(max.min(super::MAX_LENGTH))
            .generator()
            .map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{
        "example.com": {"password-rules": "minlength: 8; maxlength: 12; allowed: lower, digit"},
        "login.example.com": {"password-rules": "minlength: 20; allowed: upper"},
        "bank.example": {"password-rules": "maxlength: 6; allowed: digit", "exact-domain-match-only": true},
        "Mixed.Example.": {"password-rules": "minlength: 9"}
    }"#;

    #[test]
    fn subdomains_match_unless_exact_only() {
        let file = SiteRules::from_json(FILE).unwrap();
        assert_eq!(file.len(), 4);
        // The host itself wins over its parent.
        assert_eq!(
            file.lookup("login.example.com").unwrap().domain,
            "login.example.com"
        );
        assert_eq!(
            file.lookup("a.b.login.example.com").unwrap().domain,
            "login.example.com"
        );
        assert_eq!(
            file.lookup("shop.example.com").unwrap().domain,
            "example.com"
        );
        assert_eq!(file.lookup("example.com").unwrap().domain, "example.com");
        // Exact only: the domain itself, no subdomain.
        assert_eq!(file.lookup("bank.example").unwrap().domain, "bank.example");
        assert!(file.lookup("www.bank.example").is_none());
        // Unknown sites, and names that only end alike.
        assert!(file.lookup("unknown.org").is_none());
        assert!(file.lookup("notexample.com").is_none());
        // URLs, case, ports, final dots, user info.
        assert_eq!(
            file.lookup("HTTPS://user@Shop.Example.COM.:8443/x?y#z")
                .unwrap()
                .domain,
            "example.com"
        );
        assert_eq!(
            file.lookup("mixed.example").unwrap().domain,
            "mixed.example"
        );
    }

    #[test]
    fn malformed_files_name_the_problem() {
        assert_eq!(
            SiteRules::from_json("{").unwrap_err().kind(),
            ErrorKind::Parse
        );
        let err = SiteRules::from_json(r#"{"x.example": {"password-rules": 5}}"#).unwrap_err();
        assert!(err.to_string().contains("x.example"), "{err}");
        let err = SiteRules::from_json(
            r#"{"x.example": {"password-rules": "", "exact-domain-match-only": "yes"}}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("exact-domain-match-only"), "{err}");
    }

    #[test]
    fn weak_and_non_ascii_rules_are_warned_about() {
        let warnings = rules_warnings("minlength: 4; maxlength: 4; allowed: digit").unwrap();
        match &warnings[..] {
            [Warning::Weak { length: 4, bits }] => {
                assert!((bits - 10f64.powi(4).log2()).abs() < 1e-9, "{bits}");
            }
            other => panic!("{other:?}"),
        }
        assert!(
            warnings[0].to_string().contains("13.29 bits"),
            "{warnings:?}"
        );
        let warnings = rules_warnings("minlength: 8; required: [äü!]; required: lower").unwrap();
        assert_eq!(
            warnings,
            [Warning::NonAscii {
                chars: vec!['ä', 'ü']
            }]
        );
        let text = warnings[0].to_string();
        assert!(text.contains("U+00E4") && text.contains("U+00FC"), "{text}");
        // 64 bits exactly is not under 64.
        assert!(
            rules_warnings("maxlength: 16; allowed: [0123456789abcdef]")
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            rules_warnings("maxlength: 15; allowed: [0123456789abcdef]")
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn policy_warnings_say_weak_or_short_once() {
        // 36^12 is 62 bits: weak, and not also short.
        let rules = "maxlength: 12; allowed: lower, digit";
        let policy = PasswordPolicy::from_rules(rules).unwrap();
        let warnings = policy_warnings(&policy, Some(rules)).unwrap();
        assert!(
            matches!(warnings[..], [Warning::Weak { length: 12, .. }]),
            "{warnings:?}"
        );
        // 94^12 is 78.7 bits: short of the default 100 only.
        let rules = "maxlength: 12";
        let policy = PasswordPolicy::from_rules(rules).unwrap();
        let warnings = policy_warnings(&policy, Some(rules)).unwrap();
        match &warnings[..] {
            [
                Warning::ShortPassword {
                    length: 12,
                    bits,
                    target_bits: 100,
                },
            ] => {
                let generator = policy.generator().unwrap();
                assert_eq!(*bits, generator.entropy_bits());
                assert_eq!(generator.length(), 12);
            }
            other => panic!("{other:?}"),
        }
        // A length or a strength asked for: not short.
        assert!(
            policy_warnings(&policy.clone().length(12), None)
                .unwrap()
                .is_empty()
        );
        assert!(
            policy_warnings(&policy.clone().bits(70), None)
                .unwrap()
                .is_empty()
        );
        // Without a maximum nothing is short; the rules' characters still count.
        let rules = "minlength: 8; allowed: lower, [§!]";
        let policy = PasswordPolicy::from_rules(rules).unwrap();
        let warnings = policy_warnings(&policy, Some(rules)).unwrap();
        assert_eq!(warnings, [Warning::NonAscii { chars: vec!['§'] }]);
    }

    #[test]
    fn rules_files_are_read_capped_and_name_the_file() {
        use std::error::Error as _;
        let err = SiteRules::from_file("no/such/rules.json").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io);
        assert_eq!(
            err.to_string(),
            "cannot read the password rules file 'no/such/rules.json'"
        );
        assert!(
            err.source()
                .unwrap()
                .downcast_ref::<std::io::Error>()
                .is_some()
        );
        let dir = std::env::temp_dir().join(format!("site-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rules.json");
        std::fs::write(&path, "[1]").unwrap();
        let err = SiteRules::from_file(&path).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Parse);
        assert!(
            err.to_string()
                .starts_with(&format!("'{}': ", path.display())),
            "{err}"
        );
        std::fs::write(&path, FILE).unwrap();
        assert_eq!(SiteRules::from_file(&path).unwrap().len(), 4);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
