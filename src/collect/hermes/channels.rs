//! Cross-chain channel records from Hermes' telemetry and configuration.

use super::config::ChainSettings;
use super::telemetry::PathTelemetry;
use crate::model::UnixMillis;
use crate::model::crosschain::{ChannelState, CrossChainChannel};
use std::collections::BTreeMap;

pub struct Context<'a> {
    pub chain: &'a str,
    pub chain_id: &'a str,
    pub telemetry_url: &'a str,
    pub settings: Option<&'a ChainSettings>,
    /// Counterparty chain id → the client on our chain tracking it that
    /// expires first, and when.
    pub expiries: &'a BTreeMap<String, (String, UnixMillis)>,
    pub now: UnixMillis,
}

pub fn channels(
    ctx: &Context,
    paths: &BTreeMap<(String, String), PathTelemetry>,
) -> Vec<CrossChainChannel> {
    paths
        .iter()
        .map(|((port, channel), t)| {
            let age = if t.backlog_size > 0 && t.oldest_timestamp > 0 {
                ctx.now
                    .saturating_sub(t.oldest_timestamp.saturating_mul(1000))
            } else {
                0
            };
            let mut parameters = ctx
                .settings
                .map(|s| s.parameters.clone())
                .unwrap_or_default();
            if let Some(s) = ctx.settings {
                parameters.push(crate::model::crosschain::ChannelParameter {
                    name: "packet-filter.relayed".into(),
                    value: relayed(s, port, channel).to_string(),
                });
            }
            let (client_id, client_expiry) = match ctx.expiries.get(&t.counterparty) {
                Some((id, e)) => (id.clone(), Some(*e)),
                None => (String::new(), None),
            };
            let expired = client_expiry.is_some_and(|e| ctx.now >= e);
            CrossChainChannel {
                chain: ctx.chain.to_string(),
                id: format!("{port}/{channel}"),
                local_chain: ctx.chain_id.to_string(),
                remote_chain: t.counterparty.clone(),
                relay_endpoint: ctx.telemetry_url.to_string(),
                timeout_ms: 0,
                fee: 0,
                capacity: 0,
                // A stuck backlog is judged by the core against the
                // chain's relayer thresholds (core::detect_relayer).
                state: if expired {
                    ChannelState::Degraded
                } else {
                    ChannelState::Open
                },
                pending: t.backlog_size.min(u32::MAX as u64) as u32,
                completed: t.acknowledgements,
                timed_out: t.timeouts,
                failed: 0,
                oldest_pending_sequence: if t.backlog_size > 0 {
                    t.oldest_sequence
                } else {
                    0
                },
                oldest_pending_age_ms: age,
                client_expiry,
                client_id,
                parameters,
            }
        })
        .collect()
}

/// Whether Hermes' packet filter lets this channel through; patterns may
/// end in `*` as Hermes' wildcards do.
fn relayed(s: &ChainSettings, port: &str, channel: &str) -> bool {
    let matches = |pat: &str, v: &str| match pat.strip_suffix('*') {
        Some(prefix) => v.starts_with(prefix),
        None => pat == v,
    };
    let listed = s
        .filter
        .iter()
        .any(|(p, c)| matches(p, port) && matches(c, channel));
    match s.policy.as_str() {
        "allow" => listed,
        "deny" => !listed,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlog_age_state_and_filter() {
        let mut paths = BTreeMap::new();
        paths.insert(
            ("transfer".into(), "channel-0".into()),
            PathTelemetry {
                counterparty: "ibc-1".into(),
                backlog_size: 3,
                oldest_sequence: 17,
                oldest_timestamp: 1_000,
                send_packets: 20,
                acknowledgements: 15,
                timeouts: 2,
            },
        );
        paths.insert(
            ("transfer".into(), "channel-1".into()),
            PathTelemetry {
                counterparty: "ibc-2".into(),
                oldest_sequence: 4,
                ..Default::default()
            },
        );
        let settings = ChainSettings {
            parameters: vec![],
            filter: vec![("transfer".into(), "channel-0".into())],
            policy: "allow".into(),
            trusting_periods: BTreeMap::new(),
        };
        let expiries = BTreeMap::from([(
            "ibc-2".to_string(),
            ("07-tendermint-1".to_string(), 2_000_000),
        )]);
        let ctx = Context {
            chain: "hub",
            chain_id: "ibc-0",
            telemetry_url: "http://h:3001/metrics",
            settings: Some(&settings),
            expiries: &expiries,
            now: 1_000_000 + 300_001,
        };
        let c = channels(&ctx, &paths);
        assert_eq!(c[0].id, "transfer/channel-0");
        assert_eq!(
            c[0].state,
            ChannelState::Open,
            "a stuck backlog is the core's to judge, by its thresholds"
        );
        assert_eq!((c[0].pending, c[0].completed, c[0].timed_out), (3, 15, 2));
        assert_eq!(c[0].oldest_pending_sequence, 17);
        assert_eq!(c[0].oldest_pending_age_ms, 300_001);
        assert_eq!(c[0].parameters[0].value, "true");
        assert_eq!(
            c[1].state,
            ChannelState::Open,
            "an empty backlog is not stuck"
        );
        assert_eq!(c[1].oldest_pending_sequence, 0);
        assert_eq!(
            (c[0].client_expiry, c[1].client_expiry),
            (None, Some(2_000_000))
        );
        assert_eq!(
            (c[0].client_id.as_str(), c[1].client_id.as_str()),
            ("", "07-tendermint-1")
        );
        assert_eq!(c[1].parameters[0].value, "false");
        let young = Context {
            now: 1_000_000 + 1000,
            ..ctx
        };
        let c = channels(&young, &paths);
        assert_eq!(c[0].state, ChannelState::Open);
        assert_eq!(c[1].state, ChannelState::Open, "client not expired yet");
        let late = Context {
            now: 2_000_000,
            ..young
        };
        assert_eq!(
            channels(&late, &paths)[1].state,
            ChannelState::Degraded,
            "client expired"
        );
    }
}
