//! TOTP and HOTP against every published test vector: RFC 6238 appendix B
//! (SHA1, SHA256, SHA512 at every listed time) and RFC 4226 appendix D;
//! enrolment through the entropy seam; the QR code of the URI.

use crate::common::Script;
use secrets_kit_otp::totp::{Algorithm, Enrolment, TotpOptions, hotp, totp_code};

/// RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to 20,
/// 32 and 64 bytes.
fn seed(algorithm: Algorithm) -> Vec<u8> {
    let length = match algorithm {
        Algorithm::Sha1 => 20,
        Algorithm::Sha256 => 32,
        Algorithm::Sha512 => 64,
    };
    b"1234567890".iter().copied().cycle().take(length).collect()
}

/// Every row of RFC 6238's table: time, then the SHA1, SHA256 and SHA512
/// codes (8 digits, 30-second period).
const RFC_6238: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
];

#[test]
fn every_rfc_6238_vector() {
    for (time, sha1, sha256, sha512) in RFC_6238 {
        for (algorithm, expected) in [
            (Algorithm::Sha1, sha1),
            (Algorithm::Sha256, sha256),
            (Algorithm::Sha512, sha512),
        ] {
            let code = totp_code(&seed(algorithm), time, 30, 8, algorithm).unwrap();
            assert_eq!(code, expected, "{algorithm:?} at {time}");
            // The same path the enrolment (and so its QR code) uses.
            let options = TotpOptions::new("RFC 6238", "test")
                .algorithm(algorithm)
                .digits(8);
            let enrolment = Enrolment::from_secret_bytes(&options, &seed(algorithm)).unwrap();
            assert_eq!(enrolment.code_at(time).unwrap(), expected);
            // The URI carries the same secret.
            let secret = enrolment.secret_base32();
            assert!(enrolment.uri().contains(&format!("secret={secret}&")));
        }
    }
}

#[test]
fn every_rfc_4226_vector() {
    // Appendix D: secret "12345678901234567890", counts 0 to 9.
    let expected = [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489",
    ];
    for (count, code) in expected.iter().enumerate() {
        assert_eq!(
            hotp(b"12345678901234567890", count as u64, 6, Algorithm::Sha1).unwrap(),
            *code,
            "count {count}"
        );
    }
}

#[test]
fn enrolment_draws_its_secret_through_the_seam() {
    let bytes: Vec<u8> = (1..=20).collect();
    let script = Script::new(&bytes);
    let options = TotpOptions::new("Example Co", "alice@example.com")
        .algorithm(Algorithm::Sha256)
        .digits(8)
        .period(60);
    let enrolment = Enrolment::new_with(&script, &options).unwrap();
    assert_eq!(script.left(), 0);
    assert_eq!(enrolment.secret(), &bytes[..]);
    // base32 of 0x01..0x14 (RFC 4648 alphabet), worked out by hand from
    // the 5-bit groups.
    let expected_secret = base32_model(&bytes);
    assert_eq!(enrolment.secret_base32(), expected_secret);
    assert_eq!(
        enrolment.uri(),
        format!(
            "otpauth://totp/Example%20Co:alice%40example.com?secret={expected_secret}\
             &issuer=Example%20Co&algorithm=SHA256&digits=8&period=60"
        )
    );
}

/// RFC 4648 base32 without padding, five bits at a time.
fn base32_model(bytes: &[u8]) -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits: Vec<u8> = bytes
        .iter()
        .flat_map(|&b| (0..8).rev().map(move |i| (b >> i) & 1))
        .collect();
    bits.chunks(5)
        .map(|group| {
            let mut value = 0usize;
            for i in 0..5 {
                value = value * 2 + usize::from(*group.get(i).unwrap_or(&0));
            }
            char::from(alphabet[value])
        })
        .collect()
}

#[test]
fn a_failing_source_gives_no_enrolment() {
    let script = Script::new([0u8; 19]);
    assert!(Enrolment::new_with(&script, &TotpOptions::new("E", "a")).is_err());
}

#[cfg(feature = "qr")]
#[test]
fn the_qr_code_holds_the_uri() {
    let enrolment = Enrolment::new(&TotpOptions::new("Example", "alice")).unwrap();
    let qr = enrolment.qr().unwrap();
    // Version 5 or so: a URI of about 110 bytes at level M.
    assert!(qr.width() >= 33 && qr.width() <= 57, "{}", qr.width());
    let png = qr.to_png(4).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}
