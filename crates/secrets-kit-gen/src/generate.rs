//! One trait for every generator: [`Generate`].

use num_bigint::BigUint;

use secrets_kit::{EntropySource, OsEntropy, Result};

use crate::engine::log2;
use crate::password::{PasswordGenerator, StyleGenerator};
#[cfg(feature = "wordlist")]
use crate::wordlist::{PassphraseGenerator, PhraseGenerator};

/// What every generator of this crate does: draw a string uniformly from
/// a set it knows the exact size of.
///
/// Implemented by [`PasswordGenerator`], [`StyleGenerator`],
/// [`PhraseGenerator`](crate::wordlist::PhraseGenerator) and
/// [`SizedPassphrase`] (a
/// [`PassphraseGenerator`](crate::wordlist::PassphraseGenerator) with its
/// number of words); the last two need the feature `wordlist`. Each has
/// the same methods of its own, so the trait only needs importing for
/// code that takes any generator.
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::Generate;
/// use secrets_kit_gen::password::{PasswordPolicy, Style};
///
/// /// A line for the user: a sample and its strength.
/// fn describe(generator: &impl Generate) -> secrets_kit::Result<String> {
///     Ok(format!("{} ({:.1} bits)", generator.generate()?, generator.entropy_bits()))
/// }
///
/// let pin = Style::Pin.with_size(4)?;
/// assert_eq!(pin.count().to_string(), "10000");
/// assert!(describe(&pin)?.ends_with("(13.3 bits)"));
/// let password = PasswordPolicy::new().length(12).generator()?;
/// assert!(describe(&password)?.len() > 12);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
pub trait Generate {
    /// Draws one string, with randomness from `source`.
    ///
    /// # Errors
    ///
    /// When `source` fails, or as the generator's own method says.
    fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String>;

    /// Draws one string, with the kernel's randomness.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Os`](crate::ErrorKind::Os) if the kernel's random
    /// source fails, or as the generator's own method says.
    fn generate(&self) -> Result<String> {
        self.generate_with(&OsEntropy)
    }

    /// The exact size of the set drawn from: every member is equally
    /// likely.
    fn count(&self) -> &BigUint;

    /// The entropy of a draw, in bits: `log2` of [`count`](Self::count),
    /// lowered where two members can spell the same string (joined words
    /// a list cannot always split back).
    fn entropy_bits(&self) -> f64 {
        log2(self.count())
    }
}

/// Implements [`Generate`] by the type's own methods of the same names.
macro_rules! generate_by_own_methods {
    ($($generator:ty),+ $(,)?) => {$(
        impl Generate for $generator {
            fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
                <$generator>::generate_with(self, source)
            }

            fn count(&self) -> &BigUint {
                <$generator>::count(self)
            }

            fn entropy_bits(&self) -> f64 {
                <$generator>::entropy_bits(self)
            }
        }
    )+};
}

generate_by_own_methods!(PasswordGenerator, StyleGenerator);
#[cfg(feature = "wordlist")]
generate_by_own_methods!(PhraseGenerator);

/// A [`PassphraseGenerator`] with its number of words fixed, as a
/// [`Generate`]: it draws each word uniformly and independently from the
/// list's distinct words, so it draws uniformly from the `distinct^words`
/// word sequences, and its entropy is the lint's figure
/// ([`LintReport::entropy_bits`](crate::wordlist::LintReport::entropy_bits)).
///
/// # Examples
///
/// ```
/// use secrets_kit_gen::{Generate, SizedPassphrase, wordlist::{PassphraseGenerator, WordList}};
///
/// let generator = PassphraseGenerator::new(&WordList::eff_long(), "-")?;
/// let six = SizedPassphrase::new(generator, 6)?;
/// assert_eq!(six.generate()?.split('-').count(), 6);
/// assert_eq!(six.count(), &num_bigint::BigUint::from(7776u32).pow(6));
/// assert!((six.entropy_bits() - 6.0 * 7776f64.log2()).abs() < 1e-9);
/// # Ok::<(), secrets_kit::Error>(())
/// ```
#[cfg(feature = "wordlist")]
#[derive(Clone, Debug)]
pub struct SizedPassphrase {
    generator: PassphraseGenerator,
    words: usize,
    count: BigUint,
}

#[cfg(feature = "wordlist")]
impl SizedPassphrase {
    /// Fixes the number of words of `generator`'s phrases.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for 0
    /// words, [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge) for more
    /// than `u32::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::{SizedPassphrase, wordlist::{PassphraseGenerator, WordList}};
    ///
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// assert!(SizedPassphrase::new(generator.clone(), 0).is_err());
    /// assert_eq!(SizedPassphrase::new(generator, 4)?.words(), 4);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn new(generator: PassphraseGenerator, words: usize) -> Result<Self> {
        if words == 0 {
            return Err(secrets_kit::Error::invalid(
                "a passphrase of 0 words was asked for; ask for at least 1 word",
            ));
        }
        // The count takes at most 32 bits a word (a list has at most
        // u32::MAX distinct words), no more than the phrase itself.
        let exponent = u32::try_from(words)
            .map_err(|_| secrets_kit::Error::too_large(words, "a passphrase"))?;
        let count = BigUint::from(generator.report().distinct).pow(exponent);
        Ok(SizedPassphrase {
            generator,
            words,
            count,
        })
    }

    /// The number of words of each phrase.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::{SizedPassphrase, wordlist::{PassphraseGenerator, WordList}};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// assert_eq!(SizedPassphrase::new(generator, 7)?.words(), 7);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn words(&self) -> usize {
        self.words
    }

    /// The generator the words come from.
    ///
    /// # Examples
    ///
    /// ```
    /// use secrets_kit_gen::{SizedPassphrase, wordlist::{PassphraseGenerator, WordList}};
    /// let generator = PassphraseGenerator::new(&WordList::eff_long(), " ")?;
    /// let six = SizedPassphrase::new(generator, 6)?;
    /// assert_eq!(six.generator().report().distinct, 7776);
    /// # Ok::<(), secrets_kit::Error>(())
    /// ```
    pub fn generator(&self) -> &PassphraseGenerator {
        &self.generator
    }
}

#[cfg(feature = "wordlist")]
impl Generate for SizedPassphrase {
    fn generate_with<S: EntropySource + ?Sized>(&self, source: &S) -> Result<String> {
        self.generator.generate_with(source, self.words)
    }

    fn count(&self) -> &BigUint {
        &self.count
    }

    fn entropy_bits(&self) -> f64 {
        self.generator.entropy_bits(self.words)
    }
}

#[cfg(test)]
mod tests;
