//! A parser for the `passwordrules` language (Apple's Password Manager
//! Resources and the WHATWG `passwordrules` attribute proposal).
//!
//! A rule set is a list of `name: value` rules separated by `;`:
//!
//! | Rule | Value | Several of them |
//! |---|---|---|
//! | `minlength` | a decimal integer | the largest wins |
//! | `maxlength` | a decimal integer | the smallest wins |
//! | `max-consecutive` | a decimal integer: the longest run of one character | the smallest wins |
//! | `required` | classes separated by `,`: at least one character from their union | each is its own constraint |
//! | `allowed` | classes separated by `,` | their union |
//!
//! A class is `upper`, `lower`, `digit`, `special`, `ascii-printable`,
//! `unicode`, or a custom set such as `[-!@#]`. Inside a custom set, `-` may
//! only come first and a literal `]` is written as `]]` at its end. Names are
//! matched without regard to case; whitespace around the punctuation is
//! ignored; a trailing `;` is fine. Characters beyond ASCII in a set are
//! skipped (passwords are drawn from printable ASCII); control characters are
//! an error.
//!
//! The parser is our own, written from the proposal's description. Where
//! Apple's reference parser silently drops a malformed rule, this one reports
//! it, naming the rule: a password generated from half-understood rules may
//! be rejected by the site, or be weaker than the user thinks.

use super::charset::{ASCII_PRINTABLE, DIGITS, LOWER, RULES_SPECIAL, UPPER};
use secrets_kit::{Error, ErrorKind, Result};

/// What a rule set asks for, after merging repeated rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParsedRules {
    /// The largest `minlength`, if any.
    pub(crate) min_length: Option<usize>,
    /// The smallest `maxlength`, if any.
    pub(crate) max_length: Option<usize>,
    /// The smallest `max-consecutive`, if any.
    pub(crate) max_consecutive: Option<usize>,
    /// One entry per `required` rule: its text for messages (trimmed, and
    /// cut when long: [`cut`]) and the union of its classes, sorted and
    /// without repeats.
    pub(crate) required: Vec<(String, Vec<char>)>,
    /// Every character a password may contain: the `allowed` rules and the
    /// `required` ones, or all of printable ASCII when there are neither.
    pub(crate) allowed: Vec<char>,
}

/// Parses a rule set. See the module documentation for the syntax.
pub(crate) fn parse(input: &str) -> Result<ParsedRules> {
    let mut cursor = Cursor { input, pos: 0 };
    let mut rules = ParsedRules::default();
    let mut allowed: Vec<char> = Vec::new();
    let mut saw_class_rule = false;

    loop {
        cursor.skip_whitespace();
        if cursor.at_end() {
            break;
        }
        if cursor.peek() == Some(';') {
            // An empty rule (`;;` or a leading `;`) says nothing; accept it.
            cursor.bump();
            continue;
        }
        let start = cursor.pos;
        let rule = parse_rule(&mut cursor)?;
        let text = cursor.text_from(start);
        match rule {
            Rule::MinLength(n) => {
                rules.min_length = Some(rules.min_length.map_or(n, |old| old.max(n)));
            }
            Rule::MaxLength(n) => tighten_max(
                &mut rules.max_length,
                n,
                text,
                "a password of length 0 is no password; use 1 or more",
            )?,
            Rule::MaxConsecutive(n) => tighten_max(
                &mut rules.max_consecutive,
                n,
                text,
                "no character may appear even once; use 1 or more (1 forbids any repeat in a row)",
            )?,
            Rule::Required(set) => {
                saw_class_rule = true;
                add_to_set(&mut allowed, set.iter().copied());
                rules.required.push((cut(text), set));
            }
            Rule::Allowed(set) => {
                saw_class_rule = true;
                add_to_set(&mut allowed, set.iter().copied());
            }
        }
        cursor.skip_whitespace();
        match cursor.peek() {
            None => break,
            Some(';') => cursor.bump(),
            Some(other) => {
                return Err(parse_error(
                    cursor.text_from(start),
                    &format!("unexpected {other:?} after the value; separate rules with ';'"),
                ));
            }
        }
    }

    if let (Some(min), Some(max)) = (rules.min_length, rules.max_length) {
        if min > max {
            return Err(Error::new(
                ErrorKind::Unsatisfiable,
                format!(
                    "password rules: `minlength: {min}` is more than `maxlength: {max}`, \
                     so no length satisfies both; minlength must be at most maxlength"
                ),
            ));
        }
    }
    if !saw_class_rule {
        allowed.extend(ASCII_PRINTABLE.chars());
    }
    rules.allowed = sorted_set(allowed);
    Ok(rules)
}

enum Rule {
    MinLength(usize),
    MaxLength(usize),
    MaxConsecutive(usize),
    Required(Vec<char>),
    Allowed(Vec<char>),
}

const RULE_NAMES: &str = "minlength, maxlength, max-consecutive, required, allowed";
const CLASS_NAMES: &str =
    "upper, lower, digit, special, ascii-printable, unicode, or a set of characters in [...]";

fn parse_rule(cursor: &mut Cursor<'_>) -> Result<Rule> {
    let start = cursor.pos;
    let name = cursor
        .take_while(|c| c.is_ascii_alphabetic() || c == '-')
        .to_ascii_lowercase();
    if name.is_empty() {
        let found = cursor.peek().unwrap_or(' ');
        return Err(parse_error(
            cursor.text_to_separator(start),
            &format!("expected a rule name, found {found:?}; the rules are {RULE_NAMES}"),
        ));
    }
    if !matches!(
        name.as_str(),
        "minlength" | "maxlength" | "max-consecutive" | "required" | "allowed"
    ) {
        return Err(parse_error(
            cursor.text_to_separator(start),
            &format!(
                "unknown rule {}; the rules are {RULE_NAMES}",
                Error::quoted(&name)
            ),
        ));
    }
    cursor.skip_whitespace();
    if cursor.peek() != Some(':') {
        return Err(parse_error(
            cursor.text_to_separator(start),
            &format!("expected ':' after {name:?}; write `{name}: value`"),
        ));
    }
    cursor.bump();
    cursor.skip_whitespace();
    if cursor.at_end() || cursor.peek() == Some(';') {
        let what = if matches!(name.as_str(), "required" | "allowed") {
            format!("one or more classes: {CLASS_NAMES}")
        } else {
            "a whole number".to_owned()
        };
        return Err(parse_error(
            cursor.text_to_separator(start),
            &format!("the rule has no value; give {what}"),
        ));
    }
    match name.as_str() {
        "minlength" => parse_number(cursor, start).map(Rule::MinLength),
        "maxlength" => parse_number(cursor, start).map(Rule::MaxLength),
        "max-consecutive" => parse_number(cursor, start).map(Rule::MaxConsecutive),
        "required" => parse_classes(cursor, start).map(Rule::Required),
        _ => parse_classes(cursor, start).map(Rule::Allowed),
    }
}

fn parse_number(cursor: &mut Cursor<'_>, rule_start: usize) -> Result<usize> {
    let digits = cursor.take_while(|c| c.is_ascii_digit());
    let rest_is_clean = {
        cursor.skip_whitespace();
        matches!(cursor.peek(), None | Some(';'))
    };
    if digits.is_empty() || !rest_is_clean {
        return Err(parse_error(
            cursor.text_to_separator(rule_start),
            "the value must be a whole number written with the digits 0-9",
        ));
    }
    digits.parse::<usize>().map_err(|_| {
        parse_error(
            cursor.text_to_separator(rule_start),
            &format!(
                "the number is too large; the largest accepted is {}",
                usize::MAX
            ),
        )
    })
}

fn parse_classes(cursor: &mut Cursor<'_>, rule_start: usize) -> Result<Vec<char>> {
    let mut set = Vec::new();
    loop {
        cursor.skip_whitespace();
        match cursor.peek() {
            Some('[') => add_to_set(&mut set, parse_custom_class(cursor, rule_start)?),
            Some(c) if c.is_ascii_alphabetic() => {
                let name = cursor.take_while(|c| c.is_ascii_alphabetic() || c == '-');
                let members = match name.to_ascii_lowercase().as_str() {
                    "upper" => UPPER,
                    "lower" => LOWER,
                    "digit" => DIGITS,
                    "special" => RULES_SPECIAL,
                    // `unicode` cannot be enumerated; a generator has to pick
                    // characters people can type, so it stands for printable
                    // ASCII, as in the password managers that read these rules.
                    "ascii-printable" | "unicode" => ASCII_PRINTABLE,
                    _ => {
                        return Err(parse_error(
                            cursor.text_to_separator(rule_start),
                            &format!(
                                "unknown class {}; the classes are {CLASS_NAMES}",
                                Error::quoted(&name)
                            ),
                        ));
                    }
                };
                add_to_set(&mut set, members.chars());
            }
            found => {
                let found = found.map_or_else(|| "the end".to_owned(), |c| format!("{c:?}"));
                return Err(parse_error(
                    cursor.text_to_separator(rule_start),
                    &format!("expected a class, found {found}; the classes are {CLASS_NAMES}"),
                ));
            }
        }
        cursor.skip_whitespace();
        match cursor.peek() {
            None | Some(';') => return Ok(sorted_set(set)),
            Some(',') => cursor.bump(),
            Some(other) => {
                return Err(parse_error(
                    cursor.text_to_separator(rule_start),
                    &format!("unexpected {other:?}; separate classes with ',' and rules with ';'"),
                ));
            }
        }
    }
}

/// Parses `[...]`. The set ends at the first `]`, unless a second `]`
/// follows at once: `]]` is a literal `]` and the end of the set.
fn parse_custom_class(cursor: &mut Cursor<'_>, rule_start: usize) -> Result<Vec<char>> {
    cursor.bump(); // the '['
    // The ASCII members, each once (a long set costs no more memory than
    // a short one), and which are in: bit `c` of `present`.
    let mut members = Vec::new();
    let mut present: u128 = 0;
    let mut add = |c: char, members: &mut Vec<char>| {
        let bit = 1u128 << (c as u32);
        if present & bit == 0 {
            present |= bit;
            members.push(c);
        }
    };
    let mut seen_any = false;
    loop {
        let Some(c) = cursor.peek() else {
            return Err(parse_error(
                cursor.text_to_separator(rule_start),
                "the set of characters has no closing ']'",
            ));
        };
        cursor.bump();
        if c == ']' {
            if cursor.peek() == Some(']') {
                cursor.bump();
                add(']', &mut members);
            }
            break;
        }
        if c == '-' && !members.is_empty() {
            return Err(parse_error(
                cursor.text_to_separator(rule_start),
                "'-' may only be the first character of a set, as in [-!@]; sets have no ranges",
            ));
        }
        if c.is_ascii_control() {
            return Err(parse_error(
                cursor.text_to_separator(rule_start),
                &format!("{c:?} cannot be in a set; sets hold printable characters"),
            ));
        }
        seen_any = true;
        // Characters beyond ASCII (such as '§' or 'ä', which real rules
        // list) are accepted and skipped, as Apple's parser does: generated
        // passwords stick to characters every keyboard can type.
        if c.is_ascii() {
            add(c, &mut members);
        }
    }
    if members.is_empty() {
        let why = if seen_any {
            "the set has no printable ASCII character, and only those are used in passwords"
        } else {
            "the set [] is empty; list its characters inside the brackets, such as [!@#]"
        };
        return Err(parse_error(cursor.text_to_separator(rule_start), why));
    }
    Ok(members)
}

/// Adds `more` to `set`, which [`sorted_set`] sorts and deduplicates at
/// the end; a set that grows past a few hundred is deduplicated at once,
/// so that many repeated classes cost no more memory than one.
fn add_to_set(set: &mut Vec<char>, more: impl IntoIterator<Item = char>) {
    set.extend(more);
    if set.len() > 512 {
        *set = sorted_set(std::mem::take(set));
    }
}

fn sorted_set(mut chars: Vec<char>) -> Vec<char> {
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// How many characters of a rule a message shows: a real rule has fewer.
const SHOWN_RULE_CHARS: usize = 80;

/// `rule`, trimmed, for a message: whole, or when longer than
/// [`SHOWN_RULE_CHARS`] its start and `...`, so that a huge input makes no
/// huge message (and no huge copy kept for later ones).
fn cut(rule: &str) -> String {
    match Error::excerpt(rule.trim(), SHOWN_RULE_CHARS) {
        (whole, None) => whole.to_owned(),
        (start, Some(_)) => format!("{start}..."),
    }
}

/// `rule` in backquotes for an error message, and its length when it was
/// cut ([`cut`]).
fn shown(rule: &str) -> String {
    match Error::excerpt(rule.trim(), SHOWN_RULE_CHARS) {
        (whole, None) => format!("`{whole}`"),
        (start, Some(chars)) => format!("`{start}...` ({chars} characters)"),
    }
}

fn parse_error(rule: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::Parse,
        format!("password rules: in {}: {why}", shown(rule)),
    )
}

/// Applies an upper bound `n` from `rule`: a repeated rule keeps the
/// tightest bound, and a bound of zero is refused with `if_zero`.
fn tighten_max(bound: &mut Option<usize>, n: usize, rule: &str, if_zero: &str) -> Result<()> {
    if n == 0 {
        return Err(unsatisfiable(rule, if_zero));
    }
    *bound = Some(bound.map_or(n, |old| old.min(n)));
    Ok(())
}

fn unsatisfiable(rule: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::Unsatisfiable,
        format!("password rules: {} cannot be met: {why}", shown(rule)),
    )
}

/// A position in the input: a byte offset, always at the start of a
/// character (or the end). The input is read in place, so a rule set costs
/// no memory beyond what it asks for.
struct Cursor<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    /// Moves past the current character, if any.
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    /// The input from the position `start` up to the current one.
    fn text_from(&self, start: usize) -> &'a str {
        &self.input[start..self.pos]
    }

    /// The input from the position `start` up to the next `;` outside a
    /// set (or the end): the whole rule, for an error message.
    fn text_to_separator(&self, start: usize) -> &'a str {
        let rest = &self.input[start..];
        let mut in_set = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match c {
                '[' if !in_set => {
                    in_set = true;
                    false
                }
                ']' if in_set => {
                    in_set = false;
                    false
                }
                ';' => !in_set,
                _ => false,
            })
            .map_or(rest.len(), |(offset, _)| offset);
        &rest[..end]
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r' | '\x0c')) {
            self.bump();
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        self.text_from(start).to_owned()
    }
}
