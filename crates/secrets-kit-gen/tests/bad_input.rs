//! The bad-input matrix (TESTING.md) for passwords and word lists.

use crate::common::Matrix;
use secrets_kit::ErrorKind;
use secrets_kit_gen::password::{CharClass, MAX_LENGTH, PasswordPolicy};
#[cfg(feature = "wordlist")]
use secrets_kit_gen::wordlist::{PassphraseGenerator, WordList};

#[test]
fn passwords_and_word_lists() {
    use ErrorKind::*;
    let mut m = Matrix::default();

    let p = PasswordPolicy::new;
    m.case("password: length 0", InvalidValue, || {
        p().length(0).generator()
    });
    m.case("password: length MAX_LENGTH + 1", InvalidValue, || {
        p().length(MAX_LENGTH + 1).generator()
    });
    m.case("password: alphabet \"a\"", InvalidValue, || {
        p().alphabet("a").length(8).generator()
    });
    m.case("password: alphabet \"abca\"", InvalidValue, || {
        p().alphabet("abca").length(8).generator()
    });
    m.case("password: no classes", InvalidValue, || {
        p().classes(&[]).length(8).generator()
    });
    m.case("password: max_consecutive 0", InvalidValue, || {
        p().max_consecutive(0).generator()
    });
    m.case("password: length 4, 5 digits", Unsatisfiable, || {
        p().length(4).min(CharClass::Digits, 5).generator()
    });
    m.case("password: digits only, 1 symbol", Unsatisfiable, || {
        p().classes(&[CharClass::Digits])
            .min(CharClass::Symbols, 1)
            .length(8)
            .generator()
    });
    m.case(
        "password: alphabet \"ab\", length 5, max run 1, 4 a's",
        Unsatisfiable,
        || {
            p().alphabet("ab")
                .length(5)
                .max_consecutive(1)
                .require("a", 4)
                .generator()
        },
    );
    m.case("passwordrules \"required: uper\"", Parse, || {
        PasswordPolicy::from_rules("required: uper")
    });
    m.case(
        "passwordrules \"minlength: 20; maxlength: 10\"",
        Unsatisfiable,
        || PasswordPolicy::from_rules("minlength: 20; maxlength: 10"),
    );
    m.case("passwordrules \"nonsense\"", Parse, || {
        PasswordPolicy::from_rules("nonsense")
    });

    #[cfg(feature = "wordlist")]
    {
        m.case("word list: not UTF-8", Parse, || {
            WordList::from_text("list.txt", b"one\n\xff\xfe\n")
        });
        m.case("word list: one distinct word", Unsatisfiable, || {
            WordList::from_text("list.txt", b"same\n same \n\n")
        });
        m.case("word list: empty file", Unsatisfiable, || {
            WordList::from_text("list.txt", b"")
        });
        m.case("word list: missing file", Io, || {
            WordList::from_file("this/file/does/not/exist.txt")
        });
        m.case(
            "passphrase: words equal after case-folding",
            InvalidValue,
            || {
                let list = WordList::from_words("demo", ["Yes", "yes"])?;
                PassphraseGenerator::new(&list, " ")
            },
        );
    }

    m.finish("Passwords and word lists");
}
