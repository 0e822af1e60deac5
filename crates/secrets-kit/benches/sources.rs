//! Where the time goes: this crate on the vDSO and on the system call
//! against the `getrandom` crate, `rand::rng()` and `rand`'s `SysRng`, for
//! the operations Python's `secrets` offers.
//!
//! Run with `cargo bench -p secrets-kit --bench sources`; the script
//! `scripts/bench-vs-python.sh` runs it next to Python's `timeit` and prints
//! ratios. Ids of this crate's own rows name the source in use, so a second
//! run under `SECRETS_FORCE_SYSCALL=1` adds rows instead of replacing them.
//!
//! Rows:
//! - `secrets-<source>`: the public API, with whatever `secrets_kit::backend()`
//!   picked for this process.
//! - `secrets-fallback`: the same operation with its bytes from the
//!   `getrandom` crate path of this crate, in the same process.
//! - `bare-vdso`: one vDSO call on a state the benchmark holds, with no
//!   thread-local lookup: the floor for the vDSO path.
//! - `getrandom`, `rand-rng`, `rand-sysrng`: the other crates.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use num_bigint::BigUint;
use rand::rngs::SysRng;
use rand::{Rng as _, RngExt as _, TryRng as _};
use secrets_kit::{EntropySource, SystemRandom};

/// The 62 characters of Python's `string.ascii_letters + string.digits`.
const ALPHANUMERIC: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// This crate's bytes from its `getrandom`-crate path, whatever the
/// process uses.
#[derive(Clone, Copy, Debug)]
struct ViaFallback;

impl EntropySource for ViaFallback {
    fn fill_bytes(&self, dest: &mut [u8]) -> secrets_kit::Result<()> {
        secrets_kit::__private::fill_via_fallback(dest)
    }
}

/// The id of this crate's own rows: `secrets-vdso-getrandom` or
/// `secrets-getrandom-syscall`.
fn ours() -> String {
    format!("secrets-{}", secrets_kit::backend())
}

fn token_bytes(c: &mut Criterion) {
    for (name, len) in [("4", 4), ("32", 32), ("256", 256), ("1MiB", 1 << 20)] {
        let mut group = c.benchmark_group(format!("token_bytes_{name}"));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(ours(), |b| {
            b.iter(|| secrets_kit::token_bytes(black_box(len)))
        });
        group.bench_function("secrets-fallback", |b| {
            b.iter(|| {
                let mut out = vec![0u8; black_box(len)];
                secrets_kit::__private::fill_via_fallback(&mut out).unwrap();
                out
            })
        });
        if let Some(mut bare) = secrets_kit::__private::BareVdso::new() {
            // Into a buffer the benchmark keeps: the call alone.
            let mut buf = vec![0u8; len];
            group.bench_function("bare-vdso", |b| {
                b.iter(|| {
                    bare.fill(black_box(&mut buf)).unwrap();
                })
            });
        }
        group.bench_function("getrandom", |b| {
            b.iter(|| {
                let mut out = vec![0u8; black_box(len)];
                getrandom::fill(&mut out).unwrap();
                out
            })
        });
        group.bench_function("rand-rng", |b| {
            let mut rng = rand::rng();
            b.iter(|| {
                let mut out = vec![0u8; black_box(len)];
                rng.fill_bytes(&mut out);
                out
            })
        });
        group.bench_function("rand-sysrng", |b| {
            b.iter(|| {
                let mut out = vec![0u8; black_box(len)];
                SysRng.try_fill_bytes(&mut out).unwrap();
                out
            })
        });
        group.finish();
    }
    // The same fill into a kept buffer, through the public API: what the
    // library adds to a bare call, without the allocation of a token.
    let mut group = c.benchmark_group("fill_bytes_32");
    let mut buf = [0u8; 32];
    group.bench_function(ours(), |b| {
        b.iter(|| secrets_kit::fill_bytes(black_box(&mut buf)))
    });
    group.finish();
}

fn tokens(c: &mut Criterion) {
    let mut group = c.benchmark_group("token_hex_32");
    group.bench_function(ours(), |b| b.iter(|| secrets_kit::token_hex(black_box(32))));
    group.finish();
    let mut group = c.benchmark_group("token_urlsafe_32");
    group.bench_function(ours(), |b| {
        b.iter(|| secrets_kit::token_urlsafe(black_box(32)))
    });
    group.finish();
}

fn integers(c: &mut Criterion) {
    let fallback = SystemRandom::with_source(ViaFallback);

    let mut group = c.benchmark_group("randbelow_1000");
    group.bench_function(ours(), |b| {
        b.iter(|| secrets_kit::randbelow(black_box(1000u32)))
    });
    group.bench_function("secrets-fallback", |b| {
        b.iter(|| fallback.randbelow(black_box(1000u32)).unwrap())
    });
    group.bench_function("rand-rng", |b| {
        // Canon's method: slightly biased, shown for scale only.
        let mut rng = rand::rng();
        b.iter(|| rng.random_range(0..black_box(1000u32)))
    });
    group.finish();

    let bound = BigUint::from(1u8) << 256u32;
    let mut group = c.benchmark_group("randbelow_2pow256");
    group.bench_function(ours(), |b| {
        b.iter(|| secrets_kit::randbelow(black_box(bound.clone())))
    });
    group.bench_function("secrets-fallback", |b| {
        b.iter(|| fallback.randbelow(black_box(bound.clone())).unwrap())
    });
    group.finish();

    let symbols: Vec<char> = ALPHANUMERIC.chars().collect();
    let mut group = c.benchmark_group("choice_62");
    group.bench_function(ours(), |b| {
        b.iter(|| *secrets_kit::choice(black_box(&symbols)).unwrap())
    });
    group.bench_function("secrets-fallback", |b| {
        b.iter(|| *fallback.choice(black_box(&symbols)).unwrap())
    });
    group.finish();
}

fn passwords(c: &mut Criterion) {
    let symbols: Vec<char> = ALPHANUMERIC.chars().collect();
    let mut group = c.benchmark_group("password_16");
    // All the randomness in one draw: the symbol sampler every password,
    // passphrase and token format of the crates beside this one uses.
    let uniform = secrets_kit::Uniform::new(62).unwrap();
    let table = ALPHANUMERIC.as_bytes();
    group.bench_function(ours(), |b| {
        b.iter(|| {
            let mut out = String::with_capacity(16);
            uniform
                .sample(&secrets_kit::OsEntropy, black_box(16), |i| {
                    out.push(char::from(table[i as usize]))
                })
                .unwrap();
            out
        })
    });
    // Python's recipe transcribed: sixteen separate choices.
    group.bench_function(format!("{}-16-choices", ours()), |b| {
        b.iter(|| {
            (0..16)
                .map(|_| *secrets_kit::choice(black_box(&symbols)).unwrap())
                .collect::<String>()
        })
    });
    group.finish();
}

fn compare(c: &mut Criterion) {
    for (name, len) in [("32", 32), ("1MiB", 1 << 20)] {
        let a = secrets_kit::token_bytes(len);
        let b_copy = a.clone();
        let mut group = c.benchmark_group(format!("compare_digest_{name}"));
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(BenchmarkId::new("secrets", "equal"), |b| {
            b.iter(|| secrets_kit::compare_digest(black_box(&a), black_box(&b_copy)))
        });
        group.finish();
    }
}

/// Short runs: the whole file takes a minute or two on 2 cores. Command-line
/// options (`--measurement-time`, `--warm-up-time`) override these.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = token_bytes, tokens, integers, passwords, compare
}
criterion_main!(benches);
