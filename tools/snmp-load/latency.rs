//! Round-trip times kept one by one (4 bytes each, tens of MB for the
//! longest runs), so percentiles are exact rather than bucketed.

use std::time::Duration;

#[derive(Debug, Default)]
pub struct Latencies {
    nanos: Vec<u32>,
}

impl Latencies {
    /// Times beyond u32 nanoseconds (4.3 s) are clamped; the engine re-sends
    /// long before that, so only a retransmit setting above 4 s is affected.
    pub fn record(&mut self, elapsed: Duration) {
        let nanos = u32::try_from(elapsed.as_nanos()).unwrap_or(u32::MAX);
        self.nanos.push(nanos);
    }

    pub fn absorb(&mut self, other: Latencies) {
        self.nanos.extend(other.nanos);
    }

    /// Nearest-rank percentiles in microseconds, for each `fraction` in
    /// (0, 1]; None when nothing was recorded.
    pub fn percentiles_us(mut self, fractions: &[f64]) -> Vec<Option<f64>> {
        self.nanos.sort_unstable();
        let count = self.nanos.len();
        fractions
            .iter()
            .map(|&fraction| {
                let rank = (fraction * count as f64).ceil() as usize;
                let index = rank.clamp(1, count.max(1)) - 1;
                self.nanos
                    .get(index)
                    .map(|&nanos| f64::from(nanos) / 1000.0)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut latencies = Latencies::default();
        for micros in (1..=100).rev() {
            latencies.record(Duration::from_micros(micros));
        }
        assert_eq!(
            latencies.percentiles_us(&[0.5, 0.99, 1.0]),
            vec![Some(50.0), Some(99.0), Some(100.0)]
        );
        assert_eq!(Latencies::default().percentiles_us(&[0.5]), vec![None]);
    }
}
