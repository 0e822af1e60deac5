//! `secrets_kit_tokens::bulk` against models written from the ciphers' definitions:
//! every way in (fill, write_to with any number of workers, BulkStream with
//! any split) replayed from scripted key bytes, known answers of both
//! keystreams, and failures of the source and of the writer.
#![cfg(feature = "bulk")]

use std::io::{self, Read as _, Write};

use aes::Aes256;
use aes::cipher::{BlockCipherEncrypt as _, KeyInit as _};
use secrets_kit::{Error, ErrorKind};
use secrets_kit_tokens::bulk::{BLOCK_LEN, Bulk, BulkStream, DIRECT_MAX, KEY_LEN, Keystream};

use crate::common::{Broken, Constant, Script};

const BOTH: [Keystream; 2] = [Keystream::Aes256Ctr, Keystream::ChaCha20];

/// AES-256-CTR from the block cipher alone: AES-256 of the 128-bit
/// big-endian counters 0, 1, 2, ... (no `ctr` crate involved).
fn aes_ctr_model(key: &[u8; KEY_LEN], len: usize) -> Vec<u8> {
    let cipher = Aes256::new(key.into());
    let mut out = Vec::with_capacity(len + 16);
    let mut counter: u128 = 0;
    while out.len() < len {
        let mut block = counter.to_be_bytes().into();
        cipher.encrypt_block(&mut block);
        out.extend_from_slice(&block);
        counter += 1;
    }
    out.truncate(len);
    out
}

/// ChaCha20 as RFC 8439 section 2.3 defines it, zero nonce, block counter
/// from zero (no `chacha20` crate involved).
fn chacha20_model(key: &[u8; KEY_LEN], len: usize) -> Vec<u8> {
    fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
        s[a] = s[a].wrapping_add(s[b]);
        s[d] = (s[d] ^ s[a]).rotate_left(16);
        s[c] = s[c].wrapping_add(s[d]);
        s[b] = (s[b] ^ s[c]).rotate_left(12);
        s[a] = s[a].wrapping_add(s[b]);
        s[d] = (s[d] ^ s[a]).rotate_left(8);
        s[c] = s[c].wrapping_add(s[d]);
        s[b] = (s[b] ^ s[c]).rotate_left(7);
    }
    let mut initial = [0u32; 16];
    initial[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    for (word, bytes) in initial[4..12].iter_mut().zip(key.chunks_exact(4)) {
        *word = u32::from_le_bytes(bytes.try_into().unwrap());
    }
    let mut out = Vec::with_capacity(len + 64);
    let mut counter: u32 = 0;
    while out.len() < len {
        initial[12] = counter;
        let mut state = initial;
        for _ in 0..10 {
            quarter(&mut state, 0, 4, 8, 12);
            quarter(&mut state, 1, 5, 9, 13);
            quarter(&mut state, 2, 6, 10, 14);
            quarter(&mut state, 3, 7, 11, 15);
            quarter(&mut state, 0, 5, 10, 15);
            quarter(&mut state, 1, 6, 11, 12);
            quarter(&mut state, 2, 7, 8, 13);
            quarter(&mut state, 3, 4, 9, 14);
        }
        for (word, start) in state.iter().zip(initial) {
            out.extend_from_slice(&word.wrapping_add(start).to_le_bytes());
        }
        counter += 1;
    }
    out.truncate(len);
    out
}

fn keystream_model(keystream: Keystream, key: &[u8; KEY_LEN], len: usize) -> Vec<u8> {
    match keystream {
        Keystream::Aes256Ctr => aes_ctr_model(key, len),
        Keystream::ChaCha20 => chacha20_model(key, len),
        other => panic!("no model for {other:?}"),
    }
}

/// The documented stream for `len` bytes after the direct-read case: per
/// block, the next 32 script bytes as its key, then its keystream.
fn blocks_model(keystream: Keystream, keys: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    for (index, key) in keys.chunks_exact(KEY_LEN).enumerate() {
        let block = BLOCK_LEN.min(len - index * BLOCK_LEN);
        out.extend(keystream_model(keystream, key.try_into().unwrap(), block));
    }
    assert_eq!(
        out.len(),
        len,
        "the model was given the wrong number of keys"
    );
    out
}

/// `count` keys of kernel randomness: fresh every run, so the replay is
/// checked on new keys each time.
fn random_keys(count: usize) -> Vec<u8> {
    let mut keys = vec![0u8; count * KEY_LEN];
    secrets_kit::fill_bytes(&mut keys);
    keys
}

/// Runs `produce` on a script of `keys`: it must read every key, and give
/// `model` (compared with `assert!`, as a failed `assert_eq!` would print
/// megabytes).
fn assert_replays(keys: &[u8], model: &[u8], what: &str, produce: impl FnOnce(&Script) -> Vec<u8>) {
    let script = Script::new(keys);
    let out = produce(&script);
    assert_eq!(script.left(), 0, "{what}: keys left over");
    assert!(out == model, "{what}: differs from the model");
}

/// Known answers anchor both the library and the models: RFC 8439
/// appendix A.1, test vector 1 (ChaCha20, zero key, counter 0), and AES-256
/// of the zero block under the zero key (the first counter block); FIPS-197
/// appendix C.3 for a non-zero AES-256 key.
#[test]
fn both_keystreams_match_known_answers() {
    let chacha = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7\
                  da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
    let aes = "dc95c078a2408989ad48a21492842087";
    for (keystream, expected) in [(Keystream::ChaCha20, chacha), (Keystream::Aes256Ctr, aes)] {
        let mut out = vec![0u8; DIRECT_MAX + 1];
        Bulk::new()
            .keystream(keystream)
            .fill_with(&Constant(0), &mut out)
            .unwrap();
        let known = const_hex::decode(expected).unwrap();
        assert_eq!(out[..known.len()], known[..], "{keystream:?}");
        let model = keystream_model(keystream, &[0; KEY_LEN], known.len());
        assert_eq!(model, known, "the {keystream:?} model");
    }
    let key: [u8; KEY_LEN] = std::array::from_fn(|i| i as u8);
    let cipher = Aes256::new(&key.into());
    let mut block = const_hex::decode_to_array::<_, 16>("00112233445566778899aabbccddeeff")
        .unwrap()
        .into();
    cipher.encrypt_block(&mut block);
    assert_eq!(const_hex::encode(block), "8ea2b7ca516745bfeafc49904b496089");
}

/// `fill_with` is, byte for byte, the documented stream of the scripted
/// keys, and draws exactly one key per block.
#[test]
fn fill_replays_the_model_from_scripted_keys() {
    for keystream in BOTH {
        for len in [
            DIRECT_MAX + 1,
            BLOCK_LEN,
            BLOCK_LEN + 1,
            2 * BLOCK_LEN + 12_345,
        ] {
            let keys = random_keys(len.div_ceil(BLOCK_LEN));
            let model = blocks_model(keystream, &keys, len);
            let what = format!("{keystream:?} {len}");
            assert_replays(&keys, &model, &what, |script| {
                let mut out = vec![0u8; len];
                Bulk::new()
                    .keystream(keystream)
                    .fill_with(script, &mut out)
                    .unwrap();
                out
            });
        }
    }
}

/// Up to `DIRECT_MAX` bytes are the source's own bytes.
#[test]
fn small_requests_are_the_sources_bytes() {
    for len in [0, 1, 32, DIRECT_MAX] {
        let bytes = random_keys(len.div_ceil(KEY_LEN) + 1);
        let script = Script::new(&bytes[..len]);
        let mut out = vec![0u8; len];
        secrets_kit_tokens::bulk::fill_with(&script, &mut out).unwrap();
        assert_eq!(out, bytes[..len]);
        let script = Script::new(&bytes[..len]);
        let mut written = Vec::new();
        secrets_kit_tokens::bulk::write_to_with(&script, &mut written, len as u64).unwrap();
        assert_eq!(written, bytes[..len]);
    }
}

/// `write_to_with` gives what `fill_with` gives for the same keys, with any
/// number of workers (the keys are drawn in block order by the caller's
/// thread), and writes one block per `write_all`.
#[test]
fn write_to_is_fill_whatever_the_workers() {
    let len = 5 * BLOCK_LEN + 7;
    for keystream in BOTH {
        let keys = random_keys(len.div_ceil(BLOCK_LEN));
        let model = blocks_model(keystream, &keys, len);
        for workers in 1..=5 {
            let what = format!("{keystream:?} with {workers} workers");
            assert_replays(&keys, &model, &what, |script| {
                let mut out = Vec::new();
                Bulk::new()
                    .keystream(keystream)
                    .workers(workers)
                    .write_to_with(script, &mut out, len as u64)
                    .unwrap();
                out
            });
        }
    }
}

/// Any split of a stream's reads gives the bytes of one read of the total:
/// the documented blocks, with no direct-read case.
#[test]
fn stream_splits_do_not_change_the_bytes() {
    let splits: [&[usize]; 5] = [
        &[1, 2, 3],
        &[BLOCK_LEN],
        &[BLOCK_LEN - 1, 2, BLOCK_LEN],
        &[10, 3 * BLOCK_LEN, 5],
        &[DIRECT_MAX, BLOCK_LEN + 17, 0, 1, BLOCK_LEN - 3],
    ];
    for keystream in BOTH {
        for split in splits {
            let total: usize = split.iter().sum();
            let keys = random_keys(total.div_ceil(BLOCK_LEN));
            let model = blocks_model(keystream, &keys, total);
            let what = format!("{keystream:?} {split:?}");
            assert_replays(&keys, &model, &what, |script| {
                let mut stream = Bulk::new().keystream(keystream).stream();
                let mut out = Vec::new();
                for &piece in split {
                    let mut buf = vec![0u8; piece];
                    stream.fill_with(script, &mut buf).unwrap();
                    out.extend(buf);
                }
                out
            });
        }
    }
}

/// With fresh kernel keys no 64-byte chunk of the output may repeat, within
/// a block or across blocks and workers. By chance, a repeat among these
/// ~200k chunks of 512 bits has probability below 2^-470.
#[test]
fn kernel_keyed_output_never_repeats() {
    for keystream in BOTH {
        let mut out = Vec::new();
        Bulk::new()
            .keystream(keystream)
            .write_to(&mut out, 6 * BLOCK_LEN as u64 + 12_345)
            .unwrap();
        let mut filled = vec![0u8; 4 * BLOCK_LEN];
        Bulk::new().keystream(keystream).fill(&mut filled).unwrap();
        let mut read = vec![0u8; 2 * BLOCK_LEN + 99];
        BulkStream::new().read_exact(&mut read).unwrap();
        let mut chunks: Vec<&[u8]> = out
            .chunks_exact(64)
            .chain(filled.chunks_exact(64))
            .chain(read.chunks_exact(64))
            .collect();
        let before = chunks.len();
        chunks.sort_unstable();
        chunks.dedup();
        assert_eq!(
            chunks.len(),
            before,
            "{keystream:?}: a 64-byte chunk repeated"
        );
    }
}

#[test]
fn a_failing_source_is_an_error_everywhere() {
    for len in [10, BLOCK_LEN + 1] {
        let mut buf = vec![0u8; len];
        let err = secrets_kit_tokens::bulk::fill_with(&Broken, &mut buf).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Os);
        let err = BulkStream::new().fill_with(&Broken, &mut buf).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Os);
        let err = secrets_kit_tokens::bulk::write_to_with(&Broken, &mut io::sink(), len as u64)
            .unwrap_err();
        let inner = err
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Error>())
            .expect("the library's error inside");
        assert_eq!(inner.kind(), ErrorKind::Os);
    }
    // A source that fails only after some blocks: the writer stops there.
    let script = Script::new(random_keys(3));
    let mut out = Vec::new();
    let err = Bulk::new()
        .workers(2)
        .write_to_with(&script, &mut out, 10 * BLOCK_LEN as u64)
        .unwrap_err();
    assert!(err.to_string().contains("run out"), "{err}");
    assert!(out.len() <= 3 * BLOCK_LEN);
}

/// A writer that fails stops the workers, and its error comes back as it
/// was (a closed pipe stays a `BrokenPipe`).
#[test]
fn a_failing_writer_stops_the_workers() {
    struct Closed(usize);
    impl Write for Closed {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            self.0 -= 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    for accepted in [0, 1, 5] {
        let err = secrets_kit_tokens::bulk::write_to(&mut Closed(accepted), 64 << 20).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
