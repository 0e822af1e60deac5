//! Both backends (the vDSO `getrandom` and the `getrandom` crate) give
//! well-formed bytes, and `secrets_kit::backend()` follows `SECRETS_FORCE_SYSCALL`.
//!
//! One `cargo test` covers both paths: `fallback_path_in_a_child_process`
//! runs this same test binary again with `SECRETS_FORCE_SYSCALL=1`, and
//! checks that every test passes there too.
//!
//! The randomness checks below can fail by chance; each states how rarely.

use secrets_kit::Backend;

/// Set in the re-run child, so that it does not re-run itself.
const CHILD_MARK: &str = "SECRETS_BACKENDS_TEST_CHILD";

/// Set by CI on machines whose kernel has the vDSO `getrandom` (Linux 6.11+
/// on x86_64), so that a silent fall back to the system call fails the
/// tests. The `--cfg secrets_require_vdso` build does the same, at the cost
/// of a second build of everything.
const REQUIRE_VDSO: &str = "SECRETS_TEST_REQUIRE_VDSO";

/// Whether this process was started with the system call forced, by the
/// rule the library documents (any value but empty or `0`).
fn forced_by_env() -> bool {
    std::env::var_os("SECRETS_FORCE_SYSCALL").is_some_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn source_follows_the_environment() {
    let source = secrets_kit::backend();
    if forced_by_env() {
        assert_eq!(source, Backend::GetrandomCrate);
    } else if cfg!(secrets_require_vdso) || std::env::var_os(REQUIRE_VDSO).is_some() {
        assert_eq!(
            source,
            Backend::VdsoGetrandom,
            "{REQUIRE_VDSO} is set, but the vDSO is not used"
        );
    } else if !cfg!(target_os = "linux") || cfg!(secrets_force_fallback) {
        assert_eq!(source, Backend::GetrandomCrate);
    }
    // The choice is made once per process.
    assert_eq!(secrets_kit::backend(), source);
}

#[test]
fn states_are_mapped_only_on_the_vdso_path() {
    secrets_kit::fill_bytes(&mut [0u8; 8]);
    let mapped = secrets_kit::__private::vdso_states_mapped();
    match secrets_kit::backend() {
        Backend::VdsoGetrandom => {
            assert!(mapped > 0);
            assert!(secrets_kit::__private::BareVdso::new().is_some());
        }
        _ => {
            assert_eq!(mapped, 0);
            assert!(secrets_kit::__private::BareVdso::new().is_none());
        }
    }
}

/// Fails if `buf` (filled over zeros) kept a run of 16 zero bytes at its
/// start or end, which an unfilled part would. False alarm: about 2^-127 per
/// buffer.
fn assert_filled(buf: &[u8]) {
    let edge = buf.len().min(16);
    if edge < 16 {
        return;
    }
    assert!(
        buf[..edge].iter().any(|&b| b != 0),
        "start of a {}-byte buffer unfilled",
        buf.len()
    );
    assert!(
        buf[buf.len() - edge..].iter().any(|&b| b != 0),
        "end of a {}-byte buffer unfilled",
        buf.len()
    );
}

fn check_sizes(mut fill: impl FnMut(&mut [u8])) {
    let sizes = (0..=300).chain([511, 512, 513, 4095, 4096, 4097, 65_537]);
    for len in sizes {
        let mut first = vec![0u8; len];
        let mut second = vec![0u8; len];
        fill(&mut first);
        fill(&mut second);
        assert_filled(&first);
        assert_filled(&second);
        // Two fills of 16+ bytes agree with probability 2^-128.
        if len >= 16 {
            assert_ne!(first, second, "two {len}-byte fills are equal");
        }
    }
}

#[test]
fn every_size_is_filled_through_the_chosen_path() {
    check_sizes(secrets_kit::fill_bytes);
}

#[test]
fn every_size_is_filled_through_the_fallback() {
    check_sizes(|buf| secrets_kit::__private::fill_via_fallback(buf).unwrap());
}

#[test]
fn every_size_is_filled_by_a_bare_vdso_state() {
    let Some(mut bare) = secrets_kit::__private::BareVdso::new() else {
        return;
    };
    check_sizes(|buf| bare.fill(buf).unwrap());
}

/// Requests of 1 MiB and more are served whole: every 4 KiB block of the
/// output is written (a block skipped after a short return would stay all
/// zero; a random block is all zero with probability 2^-32768).
#[test]
fn large_requests_are_filled_whole() {
    for len in [1 << 20, (1 << 20) + 1, (8 << 20) + 3] {
        let mut buf = vec![0u8; len];
        secrets_kit::fill_bytes(&mut buf);
        for (index, block) in buf.chunks(4096).enumerate() {
            assert!(
                block.len() < 16 || block.iter().any(|&b| b != 0),
                "block {index} of {len} unfilled"
            );
        }
    }
}

/// The bits of 1 MiB are balanced. Ones in 2^23 fair bits: mean 2^22,
/// standard deviation 1448; we allow 6 standard deviations, a false alarm
/// about once in 500 million runs. A generator stuck on a byte pattern, or a
/// buffer half unfilled, is far outside.
#[test]
fn one_mebibyte_has_balanced_bits() {
    let mut buf = vec![0u8; 1 << 20];
    secrets_kit::fill_bytes(&mut buf);
    let ones: u64 = buf.iter().map(|b| u64::from(b.count_ones())).sum();
    let mean = 4_194_304.0_f64;
    let deviation = (ones as f64 - mean).abs() / 1448.15;
    assert!(
        deviation < 6.0,
        "{ones} ones in 2^23 bits: {deviation:.1} standard deviations off"
    );
}

/// The whole suite again, with the system call forced. Skipped in that
/// child itself.
#[test]
fn fallback_path_in_a_child_process() {
    if std::env::var_os(CHILD_MARK).is_some() {
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = std::process::Command::new(exe)
        .env("SECRETS_FORCE_SYSCALL", "1")
        .env(CHILD_MARK, "1")
        .env_remove(REQUIRE_VDSO)
        .args(["--test-threads", "2"])
        .output()
        .expect("re-running the test binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the tests failed with SECRETS_FORCE_SYSCALL=1:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Make sure the child really ran the checks, rather than nothing.
    for test in [
        "source_follows_the_environment",
        "every_size_is_filled_through_the_chosen_path",
    ] {
        assert!(
            stdout.contains(&format!("test {test} ... ok")),
            "{test} did not run:\n{stdout}"
        );
    }
}
