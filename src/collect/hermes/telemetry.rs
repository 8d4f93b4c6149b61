//! Hermes' telemetry (Prometheus text) per path of one chain. Names and
//! labels are those of Hermes v1.x `crates/telemetry/src/state.rs`: the
//! backlog gauges and the event counters carry `chain`, `counterparty`,
//! `channel` and `port`; the OpenTelemetry exporter of Hermes 1.6 and later
//! appends `_total` to counters, which is accepted with or without.
//! `client_updates_submitted` carries `src_chain` (the tracked chain),
//! `dst_chain` (the chain hosting the client) and `client` (state.rs
//! `client_updates_submitted` and `init_per_client`, which sets it to 0 for
//! every client Hermes supervises).

use crate::collect::transport::prometheus::Sample;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PathTelemetry {
    pub counterparty: String,
    pub backlog_size: u64,
    /// 0 when the backlog is empty.
    pub oldest_sequence: u64,
    /// Seconds since the epoch when Hermes first saw the oldest pending
    /// packet; 0 when the backlog is empty.
    pub oldest_timestamp: u64,
    pub send_packets: u64,
    pub acknowledgements: u64,
    pub timeouts: u64,
}

/// (port, channel) → telemetry, for the paths whose `chain` is `chain_id`.
pub fn paths(samples: &[Sample], chain_id: &str) -> BTreeMap<(String, String), PathTelemetry> {
    let mut out: BTreeMap<(String, String), PathTelemetry> = BTreeMap::new();
    for s in samples {
        if s.labels.get("chain").map(String::as_str) != Some(chain_id) {
            continue;
        }
        let (Some(port), Some(channel)) = (s.labels.get("port"), s.labels.get("channel")) else {
            continue;
        };
        let name = s.name.strip_suffix("_total").unwrap_or(&s.name);
        let value = if s.value.is_finite() && s.value > 0.0 {
            s.value as u64
        } else {
            0
        };
        if !KNOWN.contains(&name) {
            continue;
        }
        let p = out.entry((port.clone(), channel.clone())).or_default();
        if p.counterparty.is_empty()
            && let Some(c) = s.labels.get("counterparty")
        {
            p.counterparty = c.clone();
        }
        set(p, name, value);
    }
    out
}

/// The update counter of one light client hosted on `chain_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCounter {
    pub client: String,
    /// The chain the client tracks.
    pub tracked: String,
    pub updates: u64,
}

/// The `client_updates_submitted` counters of the clients whose
/// `dst_chain` is `chain_id`.
pub fn client_counters(samples: &[Sample], chain_id: &str) -> Vec<ClientCounter> {
    samples
        .iter()
        .filter(|s| s.name.strip_suffix("_total").unwrap_or(&s.name) == "client_updates_submitted")
        .filter(|s| s.labels.get("dst_chain").map(String::as_str) == Some(chain_id))
        .filter_map(|s| {
            Some(ClientCounter {
                client: s.labels.get("client")?.clone(),
                tracked: s.labels.get("src_chain")?.clone(),
                updates: if s.value.is_finite() && s.value > 0.0 {
                    s.value as u64
                } else {
                    0
                },
            })
        })
        .collect()
}

const KNOWN: [&str; 6] = [
    "backlog_size",
    "backlog_oldest_sequence",
    "backlog_oldest_timestamp",
    "send_packet_events",
    "acknowledgement_events",
    "timeout_events",
];

fn set(p: &mut PathTelemetry, name: &str, value: u64) {
    match name {
        "backlog_size" => p.backlog_size = value,
        "backlog_oldest_sequence" => p.oldest_sequence = value,
        "backlog_oldest_timestamp" => p.oldest_timestamp = value,
        "send_packet_events" => p.send_packets += value,
        "acknowledgement_events" => p.acknowledgements += value,
        "timeout_events" => p.timeouts += value,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::transport::prometheus::parse;

    #[test]
    fn paths_of_one_chain() {
        let text = r#"
# HELP backlog_size Total number of SendPacket events in the backlog
# TYPE backlog_size gauge
backlog_size{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer",service_name="unknown_service",otel_scope_name="hermes",otel_scope_version=""} 3
backlog_oldest_sequence{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer"} 17
backlog_oldest_timestamp{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer"} 1700000000
send_packet_events_total{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer"} 20
acknowledgement_events_total{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer"} 15
timeout_events{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer"} 2
backlog_size{chain="ibc-1",channel="channel-5",counterparty="ibc-0",port="transfer"} 9
workers{type="packet"} 2
client_updates_submitted_total{client="07-tendermint-0",dst_chain="ibc-0",src_chain="ibc-1",service_name="unknown_service"} 7
client_updates_submitted{client="07-tendermint-1",dst_chain="ibc-1",src_chain="ibc-0"} 4
client_updates_submitted{dst_chain="ibc-0",src_chain="ibc-1"} 4
"#;
        let p = paths(&parse(text), "ibc-0");
        assert_eq!(p.len(), 1);
        let t = &p[&("transfer".to_string(), "channel-0".to_string())];
        assert_eq!(t.counterparty, "ibc-1");
        assert_eq!(
            (t.backlog_size, t.oldest_sequence, t.oldest_timestamp),
            (3, 17, 1_700_000_000)
        );
        assert_eq!(
            (t.send_packets, t.acknowledgements, t.timeouts),
            (20, 15, 2)
        );
        assert_eq!(
            client_counters(&parse(text), "ibc-0"),
            vec![ClientCounter {
                client: "07-tendermint-0".into(),
                tracked: "ibc-1".into(),
                updates: 7
            }],
            "only clients hosted on ibc-0, and only with a client label"
        );
    }
}
