//! STUB: the `secrets` command.
#![forbid(unsafe_code)]

fn main() {
    println!("{}", secrets::token_hex(None));
}
