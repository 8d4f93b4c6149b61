//! `endpoint-certificate-expiring`: the certificate a node's TLS endpoint
//! presents is near (or past) its notAfter. A pure function of one node's
//! sample, which carries the days left and the thresholds in force.
//!
//! Severity rises as the date nears: `minor` under `cert-expiry-days`,
//! `major` under [`MAJOR_DAYS`] days, `critical` once expired. The clear
//! level is `cert-expiry-hysteresis-days` above the threshold, so that two
//! endpoints behind one name presenting certificates a day apart, or a
//! clock stepping around midnight, do not make the alarm flap.

use super::alarms::Condition;
use super::hysteresis::Gate;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::performance::NodePerformance;
use crate::model::time::rfc3339_seconds;

/// Under this many days left the alarm is `major` (a renewal that has not
/// happened a week before is urgent whatever the threshold).
pub const MAJOR_DAYS: i32 = 7;

/// The condition of node `p` of `chain`, if its certificate is under
/// the threshold (raise) or under the clear level (keep); None when it
/// has enough days left or no TLS endpoint gave a certificate.
pub fn expiring(chain: &str, p: &NodePerformance) -> Option<Condition> {
    let days = p.certificate_days_left?;
    let t = &p.thresholds;
    let threshold = i64::try_from(t.cert_expiry_days).unwrap_or(i64::MAX);
    let clear =
        threshold.saturating_add(i64::try_from(t.cert_expiry_hysteresis_days).unwrap_or(i64::MAX));
    let d = i64::from(days);
    let gate = if d < threshold {
        Gate::Immediate
    } else if d < clear {
        Gate::Sustain
    } else {
        return None;
    };
    let severity = if days < 0 {
        Severity::Critical
    } else if days < MAJOR_DAYS {
        Severity::Major
    } else {
        Severity::Minor
    };
    let endpoint = p.certificate_endpoint.as_deref().unwrap_or("the endpoint");
    let not_after = p
        .certificate_not_after
        .map(|ms| format!(" (notAfter {})", rfc3339_seconds(ms)))
        .unwrap_or_default();
    let when = if days < 0 {
        format!("expired {} days ago", -d)
    } else {
        format!("expires in {days} days")
    };
    let specific_problem = format!(
        "certificate of {endpoint} {when}{not_after}, threshold {} days",
        t.cert_expiry_days
    );
    let resource = super::detect::node_resource(chain, &p.node);
    Some(Condition {
        text: format!(
            "{} on {resource}: {specific_problem}",
            AlarmType::EndpointCertificateExpiring.as_str()
        ),
        resource,
        chain: chain.to_string(),
        alarm_type: AlarmType::EndpointCertificateExpiring,
        severity,
        specific_problem,
        gate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;
    use crate::model::performance::Thresholds;

    const DAY: u64 = 86_400_000;
    const NOW: u64 = 1_796_000_000_000;

    fn sample(days: Option<i32>) -> NodePerformance {
        NodePerformance {
            chain: "c".into(),
            node: "a".into(),
            sampled_at: NOW,
            certificate_days_left: days,
            certificate_not_after: days.map(|d| (NOW as i64 + i64::from(d) * DAY as i64) as u64),
            certificate_endpoint: days.map(|_| "https://a.example:8545".into()),
            thresholds: Thresholds::default(),
            ..Default::default()
        }
    }

    #[test]
    fn names_the_days_the_date_and_the_threshold_with_a_rising_severity() {
        let c = expiring("c", &sample(Some(5))).expect("5 days is under 30");
        assert_eq!(c.alarm_type, AlarmType::EndpointCertificateExpiring);
        assert_eq!(c.resource, "/chains/c/nodes/a");
        assert_eq!(c.severity, Severity::Major);
        assert_eq!(c.gate, Gate::Immediate);
        assert_eq!(
            c.specific_problem,
            format!(
                "certificate of https://a.example:8545 expires in 5 days (notAfter {}), threshold 30 days",
                rfc3339_seconds(NOW + 5 * DAY)
            )
        );
        assert_eq!(
            expiring("c", &sample(Some(29))).unwrap().severity,
            Severity::Minor
        );
        let expired = expiring("c", &sample(Some(-3))).unwrap();
        assert_eq!(expired.severity, Severity::Critical);
        assert!(
            expired.specific_problem.contains("expired 3 days ago"),
            "{}",
            expired.specific_problem
        );
        // In the clear band (30 and 31 days with the default 2): kept only.
        assert_eq!(
            expiring("c", &sample(Some(31))).unwrap().gate,
            Gate::Sustain
        );
        assert!(expiring("c", &sample(Some(32))).is_none());
        assert!(expiring("c", &sample(None)).is_none(), "no TLS endpoint");
    }

    /// Two certificates a day apart around the threshold (an endpoint
    /// behind a balancer with two servers): one raise, one clear after
    /// the renewal.
    #[test]
    fn a_noisy_series_around_the_threshold_raises_once_and_clears_once() {
        let series = [31, 30, 29, 30, 29, 31, 30, 29, 31, 30, 365, 365];
        let mut tr = Transitions::default();
        for (i, days) in series.into_iter().enumerate() {
            let conds: Vec<_> = expiring("c", &sample(Some(days))).into_iter().collect();
            let now = NOW + i as u64 * 1000;
            tr.step("c", conds, now);
        }
        assert_eq!(tr.counts(), (1, 1));
    }
}
