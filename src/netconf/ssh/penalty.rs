//! Per-source penalties for failed logins, in the spirit of OpenSSH's
//! PerSourcePenalties: each refused password adds time to its source's
//! penalty, which runs down in real time; while the penalty left exceeds
//! the threshold, the source is refused outright (new connections closed
//! before the handshake, logins refused even with the right password).
//! A user who mistypes a few times stays under the threshold; a guesser is
//! held to about one try per `per-failure` seconds.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;
use tokio::time::Instant;

/// Sources remembered at most; past it, those whose penalty ran out go
/// first, then those closest to running out.
const MAX_SOURCES: usize = 4096;

/// Where connections come from, as penalties and per-source limits see
/// it: an IPv4 address, or an IPv6 /64 (one subscriber's usual share, so
/// hopping addresses inside it does not help).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source(IpAddr);

impl Source {
    pub fn of(ip: IpAddr) -> Source {
        match ip {
            IpAddr::V4(v4) => Source(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Source(IpAddr::V4(v4)),
                None => {
                    let bits = u128::from(v6) & !((1u128 << 64) - 1);
                    Source(IpAddr::V6(bits.into()))
                }
            },
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

/// The penalty settings (see `netconf.auth-failure-penalty-seconds` and
/// the two after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenaltyRule {
    /// Added per refused password; zero switches penalties off.
    pub per_failure: Duration,
    pub threshold: Duration,
    pub max: Duration,
}

#[derive(Debug, Default)]
pub struct Penalties {
    /// When each source's penalty runs out.
    ends: HashMap<Source, Instant>,
}

impl Penalties {
    /// Adds one failure's penalty to `source`; true if that takes the
    /// source over the threshold (it was not penalised before).
    pub fn add_failure(&mut self, source: Source, rule: &PenaltyRule, now: Instant) -> bool {
        if rule.per_failure.is_zero() {
            return false;
        }
        let was = self.refused_for(source, rule, now).is_some();
        if !self.ends.contains_key(&source) && self.ends.len() >= MAX_SOURCES {
            self.make_room(now);
        }
        let end = self.ends.entry(source).or_insert(now);
        let from = (*end).max(now);
        *end = (from + rule.per_failure).min(now + rule.max);
        !was && self.refused_for(source, rule, now).is_some()
    }

    /// How much longer `source` is refused, if it is.
    pub fn refused_for(
        &self,
        source: Source,
        rule: &PenaltyRule,
        now: Instant,
    ) -> Option<Duration> {
        if rule.per_failure.is_zero() {
            return None;
        }
        let left = self.ends.get(&source)?.saturating_duration_since(now);
        (left > rule.threshold).then(|| left - rule.threshold)
    }

    /// Sources remembered.
    pub fn sources(&self) -> usize {
        self.ends.len()
    }

    fn make_room(&mut self, now: Instant) {
        self.ends.retain(|_, end| *end > now);
        if self.ends.len() >= MAX_SOURCES
            && let Some(first) = self
                .ends
                .iter()
                .min_by_key(|(_, end)| **end)
                .map(|(s, _)| *s)
        {
            self.ends.remove(&first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: PenaltyRule = PenaltyRule {
        per_failure: Duration::from_secs(5),
        threshold: Duration::from_secs(15),
        max: Duration::from_secs(60),
    };

    fn src(s: &str) -> Source {
        Source::of(s.parse().unwrap())
    }

    #[test]
    fn a_few_failures_stay_under_the_threshold_more_are_refused_until_it_runs_down() {
        let mut p = Penalties::default();
        let t0 = Instant::now();
        let a = src("192.0.2.1");
        for _ in 0..3 {
            assert!(!p.add_failure(a, &RULE, t0));
        }
        assert_eq!(p.refused_for(a, &RULE, t0), None, "15 s is not over 15 s");
        assert!(p.add_failure(a, &RULE, t0), "the fourth crosses it");
        assert_eq!(p.refused_for(a, &RULE, t0), Some(Duration::from_secs(5)));
        assert!(!p.add_failure(a, &RULE, t0), "already penalised");
        assert_eq!(p.refused_for(a, &RULE, t0), Some(Duration::from_secs(10)));
        let later = t0 + Duration::from_secs(10);
        assert_eq!(p.refused_for(a, &RULE, later), None);
        assert_eq!(p.refused_for(src("192.0.2.2"), &RULE, t0), None);
    }

    #[test]
    fn the_penalty_is_capped_and_zero_switches_it_off() {
        let mut p = Penalties::default();
        let t0 = Instant::now();
        let a = src("192.0.2.1");
        for _ in 0..100 {
            p.add_failure(a, &RULE, t0);
        }
        assert_eq!(p.refused_for(a, &RULE, t0), Some(Duration::from_secs(45)));
        let off = PenaltyRule {
            per_failure: Duration::ZERO,
            ..RULE
        };
        assert_eq!(p.refused_for(a, &off, t0), None);
        assert!(!p.add_failure(src("192.0.2.9"), &off, t0));
    }

    #[test]
    fn ipv6_sources_are_a_64_and_mapped_ipv4_is_ipv4() {
        assert_eq!(src("2001:db8::1"), src("2001:db8::ffff:2"));
        assert_ne!(src("2001:db8::1"), src("2001:db8:0:1::1"));
        assert_eq!(src("::ffff:192.0.2.1"), src("192.0.2.1"));
        assert_eq!(src("2001:db8::1").to_string(), "2001:db8::/64");
    }

    #[test]
    fn the_table_is_bounded_and_forgets_expired_sources_first() {
        let mut p = Penalties::default();
        let t0 = Instant::now();
        for i in 0..MAX_SOURCES as u32 {
            let ip = std::net::Ipv4Addr::from(0x0a00_0000 + i);
            p.add_failure(Source::of(ip.into()), &RULE, t0);
        }
        assert_eq!(p.sources(), MAX_SOURCES);
        let hot = src("192.0.2.1");
        for _ in 0..4 {
            p.add_failure(hot, &RULE, t0);
        }
        assert_eq!(p.sources(), MAX_SOURCES);
        assert!(p.refused_for(hot, &RULE, t0).is_some());
        let later = t0 + Duration::from_secs(6);
        p.add_failure(src("192.0.2.2"), &RULE, later);
        assert!(
            p.sources() <= 3,
            "expired sources were dropped: {}",
            p.sources()
        );
    }
}
