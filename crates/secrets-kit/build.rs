//! States once, for the whole crate, whether the vDSO `getrandom` backend
//! is built: `cfg(secrets_vdso)`. `src/sys/mod.rs` picks its backend file
//! by this one name, so the condition is never written twice.
//!
//! Written by hand rather than with the `cfg_aliases` crate: it is one
//! condition, and a build dependency would add a crate to every build.

use std::env;

/// The architectures whose vDSO has a `getrandom` (Linux 6.11+ on x86_64;
/// 6.12+ on aarch64, s390x and loongarch64; 6.16+ on riscv64). Not
/// powerpc, whose vDSO reports errors in a way a plain call cannot see.
const VDSO_ARCHES: &[&str] = &["x86_64", "aarch64", "s390x", "loongarch64", "riscv64"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(secrets_vdso)");
    // Cargo passes the target's cfgs, including `--cfg` flags given in
    // RUSTFLAGS, as CARGO_CFG_* variables.
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let forced_fallback = env::var_os("CARGO_CFG_SECRETS_FORCE_FALLBACK").is_some();
    // Miri cannot call into the vDSO.
    let miri = env::var_os("CARGO_CFG_MIRI").is_some();
    if target_os == "linux"
        && VDSO_ARCHES.contains(&target_arch.as_str())
        && !forced_fallback
        && !miri
    {
        println!("cargo::rustc-cfg=secrets_vdso");
    }
}
