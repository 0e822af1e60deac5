//! The library's bulk output must be one stream whatever the shape of the
//! requests: reading a `BulkStream` in pieces of any lengths gives the
//! bytes of one read of the total; `Bulk::fill_with` gives the same bytes
//! (past its direct-read size); `Bulk::write_to_with` gives what
//! `fill_with` gives, with any number of workers and either keystream. All
//! from the same key bytes (a deterministic source seeded by the input),
//! and never a panic.
#![no_main]

use std::cell::Cell;

use libfuzzer_sys::fuzz_target;
use secrets_tokens::bulk::{Bulk, DIRECT_MAX, Keystream};
use secrets::{EntropySource, Result};

/// The most bytes one input asks for: a little over three blocks, so block
/// boundaries are crossed but each input stays fast.
const MAX_TOTAL: usize = (3 << 20) + 4096;

/// Key bytes from the input's seed and a running counter: the same seed
/// gives the same bytes, every key differs.
struct Seeded {
    seed: [u8; 8],
    drawn: Cell<u64>,
}

impl Seeded {
    fn new(seed: [u8; 8]) -> Self {
        Seeded {
            seed,
            drawn: Cell::new(0),
        }
    }
}

impl EntropySource for Seeded {
    fn fill_bytes(&self, dest: &mut [u8]) -> Result<()> {
        for byte in dest {
            let at = self.drawn.get();
            let mixed = (at.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8;
            *byte = self.seed[(at % 8) as usize] ^ mixed;
            self.drawn.set(at + 1);
        }
        Ok(())
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let keystream = if flags & 1 == 0 {
        Keystream::Aes256Ctr
    } else {
        Keystream::ChaCha20
    };
    let workers = usize::from((flags >> 1) & 7) + 1;
    let bulk = Bulk::new().keystream(keystream).workers(workers);
    let (seed_bytes, shape) = rest.split_at(rest.len().min(8));
    let mut seed = [0u8; 8];
    seed[..seed_bytes.len()].copy_from_slice(seed_bytes);

    // Piece lengths: two bytes each, scaled so that a few pieces reach
    // block boundaries (up to about 3 MiB for one piece).
    let mut pieces = Vec::new();
    let mut total = 0;
    for pair in shape.chunks_exact(2) {
        let raw = usize::from(u16::from_le_bytes([pair[0], pair[1]]));
        let len = if raw & 1 == 0 {
            raw >> 1
        } else {
            (raw >> 1) * 97
        };
        if total + len > MAX_TOTAL {
            break;
        }
        total += len;
        pieces.push(len);
    }

    let mut whole = vec![0u8; total];
    bulk.stream()
        .fill_with(&Seeded::new(seed), &mut whole)
        .unwrap();

    let source = Seeded::new(seed);
    let mut stream = bulk.stream();
    let mut offset = 0;
    for &len in &pieces {
        let mut piece = vec![0u8; len];
        stream.fill_with(&source, &mut piece).unwrap();
        assert!(
            piece == whole[offset..offset + len],
            "a piece of {len} bytes at {offset} differs from one read of {total}"
        );
        offset += len;
    }

    let mut filled = vec![0u8; total];
    bulk.fill_with(&Seeded::new(seed), &mut filled).unwrap();
    if total > DIRECT_MAX {
        assert!(
            filled == whole,
            "fill_with differs from the stream at {total} bytes"
        );
    }

    let mut written = Vec::new();
    bulk.write_to_with(&Seeded::new(seed), &mut written, total as u64)
        .unwrap();
    assert!(
        written == filled,
        "write_to_with with {workers} workers differs from fill_with at {total} bytes"
    );
});
