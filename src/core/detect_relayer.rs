//! The relayer's alarms on a chain's cross-chain channels (Hermes):
//! - `relayer-packets-stuck`: the oldest packet of a channel's backlog has
//!   waited longer than `relayer-packet-age-seconds`, or the backlog holds
//!   more than `relayer-backlog-max` packets;
//! - `relayer-client-expiring`: the light client behind a channel has
//!   less than `relayer-client-expiry-hours` of its trusting period left
//!   (critical once it has expired: the channel cannot relay until the
//!   client is recovered).
//!
//! Both are raised at once (their thresholds are already a time or a
//! count that has built up) and cleared only after their condition has
//! been gone for `hold-off-seconds`, so a backlog that drains and refills
//! around its limit does not flap. Their specific problems stay the same
//! while the fault does (no running age), so an active alarm is not
//! re-announced on every collection.

use super::alarms::Condition;
use super::hysteresis::Gate;
use crate::model::UnixMillis;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::crosschain::{ChannelState, CrossChainChannel};
use crate::model::performance::Thresholds;
use crate::model::time::rfc3339_seconds;

/// The relayer conditions of `chain`'s channels at `now`.
pub fn relayer_conditions(
    chain: &str,
    channels: &[CrossChainChannel],
    t: &Thresholds,
    now: UnixMillis,
) -> Vec<Condition> {
    let gate = Gate::HoldOff {
        raise_ms: 0,
        clear_ms: t.hold_off_seconds.saturating_mul(1000),
    };
    let mut out = Vec::new();
    for c in channels.iter().filter(|c| c.state != ChannelState::Closed) {
        let resource = format!("/chains/{chain}/channels/{}", c.id);
        let mut cond = |alarm_type: AlarmType, severity, specific_problem: String| {
            out.push(Condition {
                text: format!("{} on {resource}: {specific_problem}", alarm_type.as_str()),
                resource: resource.clone(),
                chain: chain.to_string(),
                alarm_type,
                severity,
                specific_problem,
                gate,
            })
        };
        let mut stuck = Vec::new();
        if too_old(c, t) {
            stuck.push(format!(
                "packet {} pending longer than {} s",
                c.oldest_pending_sequence, t.relayer_packet_age_seconds
            ));
        }
        if too_many(c, t) {
            stuck.push(format!(
                "{} packets in the backlog, above {}",
                c.pending, t.relayer_backlog_max
            ));
        }
        if !stuck.is_empty() {
            cond(
                AlarmType::RelayerPacketsStuck,
                Severity::Major,
                stuck.join("; "),
            );
        }
        if let Some(expiry) = c.client_expiry {
            let client = if c.client_id.is_empty() {
                "the light client".to_string()
            } else {
                format!("client {}", c.client_id)
            };
            let limit_ms = t.relayer_client_expiry_hours.saturating_mul(3_600_000);
            if now >= expiry {
                cond(
                    AlarmType::RelayerClientExpiring,
                    Severity::Critical,
                    format!(
                        "{client} tracking {} expired at {}",
                        c.remote_chain,
                        rfc3339_seconds(expiry)
                    ),
                );
            } else if expiry - now < limit_ms {
                cond(
                    AlarmType::RelayerClientExpiring,
                    Severity::Major,
                    format!(
                        "{client} tracking {} expires at {}, less than {} h away",
                        c.remote_chain,
                        rfc3339_seconds(expiry),
                        t.relayer_client_expiry_hours
                    ),
                );
            }
        }
    }
    out
}

/// Whether the channel's oldest pending packet has waited longer than
/// `relayer-packet-age-seconds`.
fn too_old(c: &CrossChainChannel, t: &Thresholds) -> bool {
    c.pending > 0 && c.oldest_pending_age_ms > t.relayer_packet_age_seconds.saturating_mul(1000)
}

/// Whether the channel's backlog holds more than `relayer-backlog-max`.
fn too_many(c: &CrossChainChannel, t: &Thresholds) -> bool {
    u64::from(c.pending) > t.relayer_backlog_max
}

/// Whether `relayer-packets-stuck` holds for the channel: the engine
/// then shows it `degraded`, by the same thresholds as the alarm.
pub fn packets_stuck(c: &CrossChainChannel, t: &Thresholds) -> bool {
    too_old(c, t) || too_many(c, t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;

    const HOUR: u64 = 3_600_000;
    /// 2024-05-02T10:00:00Z.
    const T0: u64 = 1_714_644_000_000;

    fn channel() -> CrossChainChannel {
        CrossChainChannel::test_open()
    }

    #[test]
    fn a_stuck_packet_or_a_full_backlog_names_value_and_threshold() {
        let t = Thresholds::default();
        let stuck = CrossChainChannel {
            pending: 3,
            oldest_pending_sequence: 17,
            oldest_pending_age_ms: 300_001,
            ..channel()
        };
        let c = relayer_conditions("hub", std::slice::from_ref(&stuck), &t, T0);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alarm_type, AlarmType::RelayerPacketsStuck);
        assert_eq!(c[0].resource, "/chains/hub/channels/transfer/channel-0");
        assert_eq!(c[0].specific_problem, "packet 17 pending longer than 300 s");
        assert_eq!(
            c[0].gate,
            Gate::HoldOff {
                raise_ms: 0,
                clear_ms: 10_000
            }
        );
        let young = CrossChainChannel {
            oldest_pending_age_ms: 300_000,
            ..stuck.clone()
        };
        assert!(relayer_conditions("hub", &[young], &t, T0).is_empty());
        let full = CrossChainChannel {
            pending: 1001,
            ..stuck.clone()
        };
        assert_eq!(
            relayer_conditions("hub", &[full], &t, T0)[0].specific_problem,
            "packet 17 pending longer than 300 s; 1001 packets in the backlog, above 1000"
        );
        let closed = CrossChainChannel {
            state: ChannelState::Closed,
            ..stuck
        };
        assert!(relayer_conditions("hub", &[closed], &t, T0).is_empty());
    }

    #[test]
    fn a_client_near_its_expiry_is_major_and_an_expired_one_critical() {
        let t = Thresholds::default();
        let ch = CrossChainChannel {
            client_expiry: Some(T0 + 24 * HOUR),
            client_id: "07-tendermint-0".into(),
            ..channel()
        };
        assert!(
            relayer_conditions("hub", std::slice::from_ref(&ch), &t, T0).is_empty(),
            "24 h left is not less than 24 h"
        );
        let c = relayer_conditions("hub", std::slice::from_ref(&ch), &t, T0 + 1);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alarm_type, AlarmType::RelayerClientExpiring);
        assert_eq!(c[0].severity, Severity::Major);
        assert_eq!(
            c[0].specific_problem,
            "client 07-tendermint-0 tracking ibc-1 expires at 2024-05-03T10:00:00Z, less than 24 h away"
        );
        let c = relayer_conditions("hub", &[ch], &t, T0 + 24 * HOUR);
        assert_eq!(c[0].severity, Severity::Critical);
        assert_eq!(
            c[0].specific_problem,
            "client 07-tendermint-0 tracking ibc-1 expired at 2024-05-03T10:00:00Z"
        );
        assert!(
            relayer_conditions("hub", &[channel()], &t, T0).is_empty(),
            "expiry unknown"
        );
    }

    /// A backlog that fills past its limit and drains around it, one
    /// scrape a second: one raise, and one clear once it has stayed below
    /// for the hold-off.
    #[test]
    fn a_backlog_around_its_limit_raises_once_and_clears_once() {
        let t = Thresholds {
            relayer_backlog_max: 100,
            hold_off_seconds: 3,
            ..Default::default()
        };
        let backlog = [
            90, 101, 99, 120, 98, 100, 130, 101, 97, 99, 102, 95, 90, 80, 101, 60, 50, 40, 30,
        ];
        let mut tr = Transitions::default();
        for (i, pending) in backlog.iter().enumerate() {
            let ch = CrossChainChannel {
                pending: *pending,
                ..channel()
            };
            let now = T0 + 1_000 * i as u64;
            tr.step("hub", relayer_conditions("hub", &[ch], &t, now), now);
        }
        assert_eq!(tr.counts(), (1, 1));
    }
}
