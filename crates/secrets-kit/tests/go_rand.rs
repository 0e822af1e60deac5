//! Go's `crypto/rand` tests (`rand_test.go`), adapted: the output does not
//! compress, every byte value turns up in a small read, reads of any size
//! (empty, one byte, many megabytes) are filled, and concurrent readers get
//! distinct bytes. Go's allocation test is `tests/alloc_free.rs` (it needs a
//! counting global allocator of its own).
//!
//! Each randomness check states how rarely it fails by chance.

use std::collections::HashSet;
use std::io::Write as _;
use std::thread;

use flate2::Compression;
use flate2::write::ZlibEncoder;

/// Go's `TestRead` reads 4e6 bytes; so do we.
const COMPRESS_LEN: usize = 4_000_000;

/// The zlib (level 9) size of `bytes`.
fn compressed_len(bytes: &[u8]) -> usize {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to a Vec");
    encoder.finish().expect("writing to a Vec").len()
}

/// Fails if `bytes` compress below 99% of their size, as Go's test does.
/// Chance of a false alarm: saving 1% of 32 million bits means describing
/// the input in 320,000 fewer bits, which at most a 2^-320,000 share of all
/// inputs allows.
fn assert_incompressible(what: &str, bytes: &[u8]) {
    let compressed = compressed_len(bytes);
    println!(
        "{what}: {} bytes -> {compressed} with zlib level 9",
        bytes.len()
    );
    assert!(
        compressed >= bytes.len() * 99 / 100,
        "{what}: {} bytes compressed to {compressed}",
        bytes.len()
    );
}

#[test]
fn four_megabytes_from_fill_bytes_do_not_compress() {
    let mut bytes = vec![0u8; COMPRESS_LEN];
    secrets_kit::fill_bytes(&mut bytes);
    assert_incompressible("fill_bytes", &bytes);
}

/// The same through small draws, the path of tokens: 16-byte pieces.
#[test]
fn four_megabytes_of_small_draws_do_not_compress() {
    let mut bytes = vec![0u8; COMPRESS_LEN];
    for piece in bytes.chunks_mut(16) {
        secrets_kit::fill_bytes(piece);
    }
    assert_incompressible("fill_bytes in 16-byte pieces", &bytes);
}

/// The compressor can tell: a stream that repeats itself every 16 KiB
/// (inside zlib's 32 KiB window), or uses half the byte values, compresses
/// well below 99%.
#[test]
fn the_compression_check_catches_redundant_streams() {
    const PERIOD: usize = 16 << 10;
    let mut bytes = vec![0u8; COMPRESS_LEN];
    secrets_kit::fill_bytes(&mut bytes[..PERIOD]);
    for index in PERIOD..COMPRESS_LEN {
        bytes[index] = bytes[index - PERIOD];
    }
    assert!(compressed_len(&bytes) < COMPRESS_LEN / 2);
    secrets_kit::fill_bytes(&mut bytes);
    for byte in &mut bytes {
        *byte &= 0x7f;
    }
    assert!(compressed_len(&bytes) < COMPRESS_LEN * 99 / 100);
}

#[test]
fn four_megabytes_of_bulk_output_do_not_compress() {
    let mut bytes = vec![0u8; COMPRESS_LEN];
    secrets_kit_tokens::bulk::fill(&mut bytes).expect("bulk::fill");
    assert_incompressible("bulk::fill", &bytes);
}

/// Bytes read for the all-values checks. A given value is missing from
/// 8,192 random bytes with probability (255/256)^8192 = 1.2e-14; one of
/// the 256 is missing with probability below 256 times that, 3.1e-12.
const ALL_VALUES_READ: usize = 8_192;

fn missing_values(bytes: impl IntoIterator<Item = u8>) -> Vec<u8> {
    let mut seen = [false; 256];
    for byte in bytes {
        seen[usize::from(byte)] = true;
    }
    (0..=255)
        .filter(|&value| !seen[usize::from(value)])
        .collect()
}

/// Go's `TestReadLoops` reads one byte at a time until it has seen every
/// value; here a fixed number of one-byte reads must show all 256.
#[test]
fn every_byte_value_appears_in_one_byte_reads() {
    let bytes = (0..ALL_VALUES_READ).map(|_| {
        let mut byte = [0u8];
        secrets_kit::fill_bytes(&mut byte);
        byte[0]
    });
    let missing = missing_values(bytes);
    assert!(missing.is_empty(), "never drawn: {missing:?}");
}

#[test]
fn every_byte_value_appears_in_one_small_read() {
    let mut bytes = vec![0u8; ALL_VALUES_READ];
    secrets_kit::fill_bytes(&mut bytes);
    let missing = missing_values(bytes);
    assert!(missing.is_empty(), "never drawn: {missing:?}");
}

/// Go's `TestReadEmpty`: an empty read succeeds, through every entry point.
#[test]
fn empty_reads_succeed() {
    secrets_kit::fill_bytes(&mut []);
    secrets_kit::try_fill_bytes(&mut []).expect("an empty read");
    assert!(secrets_kit::token_bytes(0).is_empty());
}

/// Go's `TestLargeRead` (40 MiB): one request far larger than a vDSO call
/// serves is filled to its end. Every 4 KiB block is written: a random
/// block is all zero with probability 2^-32768.
#[test]
fn a_forty_mebibyte_read_is_filled() {
    let mut bytes = vec![0u8; 40 << 20];
    secrets_kit::fill_bytes(&mut bytes);
    for (index, block) in bytes.chunks(4096).enumerate() {
        assert!(block.iter().any(|&b| b != 0), "block {index} unfilled");
    }
}

/// Go's `TestConcurrentRead`: 8 threads read at once, 1,000 reads each in
/// sizes from 1 byte to 4 KiB. Every read of 16 bytes or more starts with 16
/// bytes no other read starts with (fewer than 8,000 such reads: a chance
/// repeat has probability below n^2 / 2^129 < 2^-103), and each thread's
/// output does not compress.
#[test]
fn concurrent_readers_get_distinct_bytes() {
    const THREADS: usize = 8;
    const READS: usize = 1_000;
    let sizes = [1usize, 7, 16, 17, 31, 32, 100, 256, 1000, 4096];
    let outputs: Vec<(Vec<[u8; 16]>, Vec<u8>)> = thread::scope(|scope| {
        let readers: Vec<_> = (0..THREADS)
            .map(|reader| {
                scope.spawn(move || {
                    let mut heads = Vec::new();
                    let mut all = Vec::new();
                    for read in 0..READS {
                        let mut buf = vec![0u8; sizes[(read + reader) % sizes.len()]];
                        secrets_kit::fill_bytes(&mut buf);
                        if let Some(head) = buf.first_chunk::<16>() {
                            heads.push(*head);
                        }
                        all.extend_from_slice(&buf);
                    }
                    (heads, all)
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|reader| reader.join().expect("a reader"))
            .collect()
    });
    let mut seen = HashSet::new();
    for (reader, (heads, all)) in outputs.iter().enumerate() {
        for head in heads {
            assert!(
                seen.insert(*head),
                "reader {reader} repeated a read's first 16 bytes"
            );
        }
        assert_incompressible(&format!("concurrent reader {reader}"), all);
    }
}
