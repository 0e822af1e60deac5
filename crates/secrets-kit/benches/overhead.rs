//! What the library adds to a bare vDSO call, measured interleaved.
//!
//! Criterion times one benchmark after another, so on a shared 2-core
//! machine two rows can see different loads; this harness alternates the
//! bare call, `fill_bytes` and `token_bytes` of 32 bytes in short rounds
//! and keeps each one's fastest round, so the ratios compare like with
//! like. Run with `cargo bench -p secrets-kit --bench overhead`.
//!
//! Without the vDSO (another kernel, or `SECRETS_FORCE_SYSCALL=1`) there is
//! no bare call to compare with, and it says so.

use std::hint::black_box;
use std::time::Instant;

const LEN: usize = 32;
const CALLS_PER_ROUND: u32 = 100_000;
const ROUNDS: usize = 40;

fn nanos_per_call(mut call: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..CALLS_PER_ROUND {
        call();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(CALLS_PER_ROUND)
}

fn main() {
    let Some(mut bare) = secrets_kit::__private::BareVdso::new() else {
        println!(
            "no vDSO getrandom in this process ({}): nothing to compare",
            secrets_kit::backend()
        );
        return;
    };
    let mut buf = [0u8; LEN];
    let mut fastest = [f64::INFINITY; 3];
    for _ in 0..ROUNDS {
        let round = [
            nanos_per_call(|| bare.fill(black_box(&mut buf)).expect("vDSO call")),
            nanos_per_call(|| secrets_kit::fill_bytes(black_box(&mut buf))),
            nanos_per_call(|| drop(black_box(secrets_kit::token_bytes(black_box(LEN))))),
        ];
        for (best, time) in fastest.iter_mut().zip(round) {
            *best = best.min(time);
        }
    }
    let [bare_ns, fill_ns, token_ns] = fastest;
    println!("bare vDSO call, {LEN} B:    {bare_ns:6.1} ns");
    println!(
        "fill_bytes({LEN} B):        {fill_ns:6.1} ns  {:.3}x bare",
        fill_ns / bare_ns
    );
    println!(
        "token_bytes({LEN}):         {token_ns:6.1} ns  {:.3}x bare (target <= 1.2x)",
        token_ns / bare_ns
    );
}
