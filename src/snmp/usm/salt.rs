//! The per-message salt of the privacy protocols.

use std::sync::atomic::{AtomicU64, Ordering};

use super::error::UsmCryptoError;

/// Hands out a different salt for each encrypted message. RFC 3414
/// §8.1.1.1 and RFC 3826 §3.1.2.1 ask for a counter started at an
/// arbitrary value, so that an engine restart does not replay the IVs of
/// an earlier run (DES also mixes in engineBoots).
#[derive(Debug)]
pub struct SaltCounter {
    next: AtomicU64,
}

impl SaltCounter {
    /// Starts at a random value from the operating system.
    pub fn new() -> Result<Self, UsmCryptoError> {
        let start = getrandom::u64().map_err(|e| UsmCryptoError::Randomness(e.to_string()))?;
        Ok(Self::starting_at(start))
    }

    /// A predictable start, for tests and reproducible traces.
    pub fn starting_at(start: u64) -> Self {
        Self {
            next: AtomicU64::new(start),
        }
    }

    /// The next salt; wraps around after 2^64 messages, as the RFCs allow.
    pub fn next(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_and_wraps() {
        let counter = SaltCounter::starting_at(u64::MAX - 1);
        assert_eq!(
            [counter.next(), counter.next(), counter.next()],
            [u64::MAX - 1, u64::MAX, 0]
        );
    }

    #[test]
    fn concurrent_callers_never_share_a_salt() {
        let counter = SaltCounter::new().expect("OS randomness");
        let mut salts: Vec<u64> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| (0..1000).map(|_| counter.next()).collect::<Vec<_>>()))
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("worker finished"))
                .collect()
        });
        salts.sort_unstable();
        salts.dedup();
        assert_eq!(salts.len(), 4000);
    }

    /// Two counters started from the OS should not agree; equal starts
    /// would mean the randomness is not reaching the counter.
    #[test]
    fn random_starts_differ() {
        let a = SaltCounter::new().expect("OS randomness").next();
        let b = SaltCounter::new().expect("OS randomness").next();
        assert_ne!(a, b);
    }
}
