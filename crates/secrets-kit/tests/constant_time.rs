//! A dudect-style timing test of `compare_digest` (Reparaz, Balasch and
//! Verbauwhede, "Dude, is my code constant time?", 2017).
//!
//! Two classes of input of equal length are compared against the same
//! secret: class "equal" is a copy of the secret, class "differs" differs
//! in its first byte, which is where an early-exit comparison would stop.
//! Measurements of both classes are interleaved in random order, and
//! Welch's t-test asks whether their mean times differ. Time that depends
//! on the data gives a |t| that grows with the number of measurements;
//! constant time keeps |t| small (dudect calls |t| > 10 a certain leak).
//!
//! The same harness runs on a naive early-exit comparison, which must be
//! reported as leaking: that is what shows the test can fail.
//!
//! Timing on a shared two-core machine is noisy. Noise lowers |t| rather
//! than raising it (it adds variance, not a class-dependent shift, since
//! the class order is random), so the checks are: ours below 10, with up
//! to two retries on fresh measurements, and the naive one above 10. Each
//! measurement times a batch of comparisons with `Instant` (its resolution
//! is tens of nanoseconds) and the slowest measurements are cropped, as
//! dudect does, to drop interrupts and preemption.
//!
//! The long run (`cargo test -p secrets-kit --test constant_time -- --ignored
//! --nocapture`, with `CT_MEASUREMENTS` to size it) prints the t-values
//! recorded in TESTING.md.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::Instant;

/// |t| above which dudect reports a leak with certainty.
const LEAK_T: f64 = 10.0;
/// Measurements per class pair in the CI run.
const CI_MEASUREMENTS: usize = 40_000;
/// Attempts our comparison gets to stay below `LEAK_T`.
const ATTEMPTS: usize = 3;

/// Serialises the timing tests of this binary: the test harness runs tests
/// on parallel threads, and two timing loops on two cores disturb each
/// other.
static TIMING: Mutex<()> = Mutex::new(());

type Compare = fn(&[u8], &[u8]) -> bool;

/// The comparison the test must catch: stops at the first difference.
fn naive_early_exit(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return false;
        }
    }
    true
}

/// Running mean and variance (Welford), one per class.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        self.m2 / (self.n - 1.0)
    }
}

/// Welch's t statistic of the two classes.
fn welch_t(equal: &Moments, differs: &Moments) -> f64 {
    let se = (equal.variance() / equal.n + differs.variance() / differs.n).sqrt();
    if se == 0.0 {
        return 0.0;
    }
    (differs.mean - equal.mean) / se
}

/// Timings of `measurements` batches, each tagged with its class.
fn measure(compare: Compare, len: usize, measurements: usize) -> Vec<(bool, f64)> {
    // Enough repetitions that one batch takes about a microsecond, well
    // above the clock's resolution.
    let reps = (2048 / len).clamp(2, 64);
    let secret = secrets_kit::token_bytes(Some(len));
    let mut candidate = secret.clone();
    let mut coin = vec![0u8; measurements * 2];
    secrets_kit::fill_bytes(&mut coin);

    let mut out = Vec::with_capacity(measurements);
    for draw in coin.chunks_exact(2) {
        let class = draw[0] & 1;
        // The same instructions for both classes, with no branch on the
        // class before the clock starts: only the value of the mask
        // differs (0, or a random non-zero byte). An `if` here instead
        // gave |t| of 15 to 40 at 2 million measurements with identical
        // inputs in both classes (the branch's history, not the compare,
        // was being measured).
        let mask = (draw[1] | 1) & 0u8.wrapping_sub(class);
        candidate.copy_from_slice(&secret);
        candidate[0] ^= mask;

        let start = Instant::now();
        for _ in 0..reps {
            black_box(compare(black_box(&secret), black_box(&candidate)));
        }
        let elapsed = start.elapsed().as_nanos() as f64;
        out.push((class == 1, elapsed));
    }
    out
}

/// The largest |t| over the full data and over the data cropped at a few
/// percentiles of the pooled timings (dudect's way of reducing the effect
/// of outliers, which are never class-dependent).
fn max_abs_t(samples: &[(bool, f64)]) -> f64 {
    let mut sorted: Vec<f64> = samples.iter().map(|&(_, t)| t).collect();
    sorted.sort_by(f64::total_cmp);
    let mut worst: f64 = 0.0;
    for percentile in [1.0, 0.99, 0.9, 0.5] {
        let index = ((sorted.len() - 1) as f64 * percentile) as usize;
        let cutoff = sorted[index];
        let mut classes = [Moments::default(); 2];
        for &(differs, time) in samples.iter().filter(|&&(_, time)| time <= cutoff) {
            classes[usize::from(differs)].push(time);
        }
        if classes.iter().all(|c| c.n > 10.0) {
            worst = worst.max(welch_t(&classes[0], &classes[1]).abs());
        }
    }
    worst
}

fn t_value(compare: Compare, len: usize, measurements: usize) -> f64 {
    // A short warm-up so the first measurements do not see a cold cache
    // and a sleeping CPU.
    measure(compare, len, measurements / 10 + 100);
    max_abs_t(&measure(compare, len, measurements))
}

/// Our comparison must stay below `LEAK_T` on one of `ATTEMPTS` runs, and
/// the naive one must exceed it.
fn check(len: usize) {
    let _guard = TIMING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut ours = Vec::new();
    for _ in 0..ATTEMPTS {
        let t = t_value(secrets_kit::compare_digest, len, CI_MEASUREMENTS);
        ours.push(t);
        if t < LEAK_T {
            break;
        }
    }
    let naive = t_value(naive_early_exit, len, CI_MEASUREMENTS);
    eprintln!("{len} B: compare_digest |t| = {ours:.2?}, naive early exit |t| = {naive:.2}");
    assert!(
        ours.iter().any(|&t| t < LEAK_T),
        "compare_digest on {len} B looks data-dependent: |t| = {ours:.2?} (limit {LEAK_T})"
    );
    assert!(
        naive > LEAK_T,
        "the harness missed the naive early-exit comparison on {len} B: |t| = {naive:.2} \
         (must exceed {LEAK_T}), so it cannot be trusted to find a leak"
    );
}

#[test]
fn compare_digest_32_bytes_is_constant_time_and_naive_is_not() {
    check(32);
}

#[test]
fn compare_digest_4_kib_is_constant_time_and_naive_is_not() {
    check(4096);
}

#[test]
fn welch_t_separates_shifted_samples_and_not_equal_ones() {
    let mut low = Moments::default();
    let mut high = Moments::default();
    let mut same = Moments::default();
    for i in 0..1000 {
        let jitter = f64::from(i % 7);
        low.push(100.0 + jitter);
        high.push(110.0 + jitter);
        same.push(100.0 + f64::from((i + 3) % 7));
    }
    assert!(welch_t(&low, &high) > 50.0);
    assert!(welch_t(&low, &same).abs() < 1.0);
}

/// The long version: many more measurements, t-values printed for
/// TESTING.md. Not judged against the naive comparison's size, only run.
#[test]
#[ignore = "long run for TESTING.md: cargo test -p secrets-kit --test constant_time -- --ignored --nocapture"]
fn long_run_prints_t_values() {
    let _guard = TIMING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let measurements = std::env::var("CT_MEASUREMENTS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(2_000_000);
    for len in [32, 4096] {
        let ours = t_value(secrets_kit::compare_digest, len, measurements);
        let naive = t_value(naive_early_exit, len, measurements);
        println!(
            "| {len} B | {measurements} | {ours:.2} | {naive:.1} | {} |",
            if ours < LEAK_T {
                "no leak found"
            } else {
                "LEAK"
            }
        );
        assert!(ours < LEAK_T && naive > LEAK_T);
    }
}
