//! One module per subcommand (or family of subcommands); `cli.rs` lists
//! them with the function that runs each, and says how to add one.

pub(crate) mod apikey;
pub(crate) mod bytes;
pub(crate) mod choice;
pub(crate) mod compare;
pub(crate) mod completions;
pub(crate) mod estimate;
pub(crate) mod formats;
pub(crate) mod integer;
pub(crate) mod keys;
pub(crate) mod man;
pub(crate) mod passphrase;
pub(crate) mod password;
pub(crate) mod source;
pub(crate) mod token;
pub(crate) mod totp;
pub(crate) mod url;
pub(crate) mod wordlist;
