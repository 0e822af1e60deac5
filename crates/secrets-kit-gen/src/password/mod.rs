//! Passwords under a policy, drawn uniformly from exactly the strings the
//! policy allows, with their exact entropy.
//!
//! A [`PasswordPolicy`] says what a password must look like: its length (or
//! how many bits of entropy it must reach), the characters it may use, how
//! many it needs from each class or set, whether look-alike characters are
//! left out, and how long a run of one character may be. It can also be read
//! from a site's `passwordrules` string ([`PasswordPolicy::from_rules`]).
//!
//! [`PasswordPolicy::generator`] turns a policy into a
//! [`PasswordGenerator`]: it counts the passwords the policy allows, exactly,
//! and reports `log2` of that number as the entropy. Every password it
//! returns is equally likely among them. That is not true of the common
//! "place one character of each class, fill up, shuffle" method, which
//! makes passwords with few digits rarer than they should be.
//!
//! # Security
//!
//! Randomness comes from the kernel, as for every function of this crate.
//! Generation never loops without bound: when plain rejection (draw
//! characters, keep the password if it satisfies the policy) would accept
//! fewer than a quarter of the candidates, the generator instead draws a
//! uniform rank below the count and unranks it. Both ways give the same
//! distribution; the choice only affects speed.
//!
//! # Examples
//!
//! ```
//! use secrets_kit_gen::password::{CharClass, PasswordPolicy};
//!
//! // The default: 16 characters from all four classes, at least one of each.
//! let password = PasswordPolicy::default().generate()?;
//! assert_eq!(password.chars().count(), 16);
//!
//! // Python's documented recipe: ten alphanumerics with at least one lower
//! // case letter, one upper case letter and three digits.
//! let policy = PasswordPolicy::new()
//!     .classes(&[CharClass::Lower, CharClass::Upper, CharClass::Digits])
//!     .min(CharClass::Digits, 3)
//!     .length(10);
//! let generator = policy.generator()?;
//! let password = generator.generate()?;
//! assert!(password.chars().filter(char::is_ascii_digit).count() >= 3);
//! assert!(generator.entropy_bits() > 55.0 && generator.entropy_bits() < 60.0);
//!
//! // A site's rules, in the `passwordrules` syntax.
//! let site = PasswordPolicy::from_rules("minlength: 8; maxlength: 12; required: digit; allowed: lower")?;
//! let generator = site.generator()?;
//! assert_eq!(generator.length(), 12); // as long as the rules allow, since 100 bits are out of reach
//! # Ok::<(), secrets_kit::Error>(())
//! ```
//!
//! # Layout
//!
//! - `policy`: the character classes and the [`PasswordPolicy`] builder,
//!   resolved into an alphabet and counting constraints;
//! - `rules`: the `passwordrules` parser behind [`PasswordPolicy::from_rules`];
//! - `count`: the exact counting automaton (and unranking);
//! - `generator`: [`PasswordGenerator`], which picks the length and the
//!   [`Sampling`] and draws.

mod count;
mod generator;
#[cfg(test)]
mod group_tests;
mod policy;
mod rules;
#[cfg(feature = "site-rules")]
mod site;
mod style;
#[cfg(test)]
mod tests;

pub use generator::{PasswordGenerator, Sampling};
// For the rule-constrained passphrases in `wordlist`.
pub use crate::warning::WEAK_BITS;
pub use policy::{CharClass, PasswordPolicy};
#[cfg(feature = "wordlist")]
pub(crate) use rules::{ParsedRules, parse as parse_rules};
#[cfg(feature = "site-rules")]
pub use site::{SiteEntry, SiteMatch, SiteRules, policy_warnings, rules_warnings};
#[cfg(test)]
pub(crate) use style::{Language, apple_language, syllable_language};
pub use style::{MAX_STYLE_SIZE, Style, StyleGenerator};

use crate::charset;
pub use charset::{AMBIGUOUS, CONSONANTS, VOWELS};

/// The entropy a policy aims for when it gives no length: the smallest
/// length that reaches 100 bits is chosen.
///
/// # Examples
///
/// ```
/// let generator = secrets_kit_gen::password::PasswordPolicy::default().generator()?;
/// assert!(generator.entropy_bits() >= secrets_kit_gen::password::DEFAULT_BITS as f64);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub const DEFAULT_BITS: u64 = 100;

/// The longest password a policy may ask for.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::password::{PasswordPolicy, MAX_LENGTH};
///
/// assert!(PasswordPolicy::new().length(MAX_LENGTH + 1).generator().is_err());
/// ```
pub const MAX_LENGTH: usize = 4096;
