//! The vDSO ELF parser reads memory the kernel mapped, but it must never
//! trust it: on any bytes it returns `None` or an offset inside the image,
//! gives the same answer twice, and never panics or reads out of bounds
//! (AddressSanitizer watches the last). `scripts/fuzz.sh` seeds the corpus
//! with the running kernel's own vDSO image.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|image: &[u8]| {
    for (name, version) in [
        ("__vdso_getrandom", "LINUX_2.6"),
        ("__vdso_clock_gettime", "LINUX_2.6"),
        ("", ""),
    ] {
        let found = secrets::__fuzz::vdso_lookup(image, name, version);
        if let Some(offset) = found {
            assert!(
                offset < image.len(),
                "offset {offset} outside an image of {} bytes",
                image.len()
            );
        }
        assert_eq!(found, secrets::__fuzz::vdso_lookup(image, name, version));
    }
});
