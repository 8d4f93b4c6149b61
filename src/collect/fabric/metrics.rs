//! What a Fabric peer's or orderer's `/metrics` tells about the ledger,
//! Raft, chaincodes and the network. Names and labels follow the Fabric
//! 2.5 metrics reference; a metric the node does not export is absent
//! here, never zero.

use crate::collect::transport::prometheus::{Sample, named};
use std::collections::BTreeMap;

/// Raft (etcdraft) state of one channel on one orderer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RaftChannel {
    pub is_leader: bool,
    pub leader_changes: u64,
    pub cluster_size: u64,
    pub active_nodes: Option<u64>,
    pub committed_block: u64,
}

/// Counters of one chaincode, by name (the version is split off labels
/// such as `mycc:1.0`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChaincodeCounters {
    pub version: String,
    /// Transactions committed, valid or not.
    pub committed: u64,
    /// Committed with a validation code other than VALID.
    pub invalid: u64,
    pub endorsement_failures: u64,
    pub execute_timeouts: u64,
    pub launch_failures: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FabricMetrics {
    /// Block height per channel.
    pub heights: BTreeMap<String, u64>,
    pub transactions: Option<u64>,
    pub raft: BTreeMap<String, RaftChannel>,
    pub chaincodes: BTreeMap<String, ChaincodeCounters>,
    pub proposals_received: Option<u64>,
    /// Peers gossip knows of, per channel (peers only).
    pub gossip_peers: BTreeMap<String, u64>,
    /// Cluster streams to other orderers, per channel (orderers only).
    pub cluster_streams: BTreeMap<String, u64>,
}

impl FabricMetrics {
    pub fn from_samples(samples: &[Sample]) -> FabricMetrics {
        let mut m = FabricMetrics::default();
        for s in named(samples, "ledger_blockchain_height") {
            m.heights.insert(label(s, "channel"), count(s.value));
        }
        let tx: Vec<&Sample> = named(samples, "ledger_transaction_count").collect();
        if !tx.is_empty() {
            m.transactions = Some(tx.iter().map(|s| count(s.value)).sum());
        }
        for s in tx.iter().filter(|s| !label(s, "chaincode").is_empty()) {
            let c = chaincode(&mut m, s);
            c.committed += count(s.value);
            if s.labels
                .get("validation_code")
                .is_some_and(|v| v != "VALID")
            {
                c.invalid += count(s.value);
            }
        }
        for s in named(samples, "endorser_endorsement_failures") {
            chaincode(&mut m, s).endorsement_failures += count(s.value);
        }
        for s in named(samples, "chaincode_execute_timeouts") {
            chaincode(&mut m, s).execute_timeouts += count(s.value);
        }
        for s in named(samples, "chaincode_launch_failures") {
            chaincode(&mut m, s).launch_failures += count(s.value);
        }
        let proposals: Vec<&Sample> = named(samples, "endorser_proposals_received").collect();
        if !proposals.is_empty() {
            m.proposals_received = Some(proposals.iter().map(|s| count(s.value)).sum());
        }
        let raft = |m: &mut FabricMetrics, s: &Sample| -> RaftChannel {
            m.raft
                .get(&label(s, "channel"))
                .cloned()
                .unwrap_or_default()
        };
        for s in samples {
            let mut r = raft(&mut m, s);
            match s.name.as_str() {
                "consensus_etcdraft_is_leader" => r.is_leader = s.value >= 1.0,
                "consensus_etcdraft_leader_changes" => r.leader_changes = count(s.value),
                "consensus_etcdraft_cluster_size" => r.cluster_size = count(s.value),
                "consensus_etcdraft_active_nodes" => r.active_nodes = Some(count(s.value)),
                "consensus_etcdraft_committed_block_number" => r.committed_block = count(s.value),
                _ => continue,
            }
            m.raft.insert(label(s, "channel"), r);
        }
        for s in named(samples, "gossip_membership_total_peers_known") {
            m.gossip_peers.insert(label(s, "channel"), count(s.value));
        }
        for s in named(samples, "cluster_comm_egress_stream_count") {
            m.cluster_streams
                .insert(label(s, "channel"), count(s.value));
        }
        m
    }

    pub fn height(&self) -> u64 {
        self.heights.values().copied().max().unwrap_or(0)
    }

    /// Other nodes this one talks to: gossip membership on a peer, cluster
    /// streams (or active Raft nodes but itself) on an orderer.
    /// `None` when the page has none of these figures.
    pub fn peer_count(&self) -> Option<u64> {
        let most = |m: &BTreeMap<String, u64>| m.values().copied().max();
        let raft = self
            .raft
            .values()
            .filter_map(|r| r.active_nodes)
            .max()
            .map(|n| n.saturating_sub(1));
        most(&self.gossip_peers)
            .or_else(|| most(&self.cluster_streams))
            .or(raft)
    }
}

fn chaincode<'a>(m: &'a mut FabricMetrics, s: &Sample) -> &'a mut ChaincodeCounters {
    let full = label(s, "chaincode");
    let (name, version) = match full.split_once(':') {
        Some((n, v)) => (n.to_string(), v.to_string()),
        None => (full, String::new()),
    };
    let c = m.chaincodes.entry(name).or_default();
    if c.version.is_empty() {
        c.version = version;
    }
    c
}

fn label(s: &Sample, key: &str) -> String {
    s.labels.get(key).cloned().unwrap_or_default()
}

/// Counters and gauges as whole numbers; NaN and negatives are 0.
fn count(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::transport::prometheus::parse;

    #[test]
    fn peer_metrics() {
        let text = r#"
# TYPE ledger_blockchain_height gauge
ledger_blockchain_height{channel="mychannel"} 42
ledger_blockchain_height{channel="other"} 7
ledger_transaction_count{chaincode="basic",channel="mychannel",transaction_type="ENDORSER_TRANSACTION",validation_code="VALID"} 30
ledger_transaction_count{chaincode="basic",channel="mychannel",transaction_type="ENDORSER_TRANSACTION",validation_code="MVCC_READ_CONFLICT"} 2
ledger_transaction_count{chaincode="_lifecycle",channel="mychannel",transaction_type="ENDORSER_TRANSACTION",validation_code="VALID"} 4
ledger_transaction_count{chaincode="",channel="mychannel",transaction_type="CONFIG",validation_code="VALID"} 3
endorser_endorsement_failures{chaincode="basic",chaincodeerror="true",channel="mychannel"} 5
chaincode_execute_timeouts{chaincode="basic:1.0"} 1
chaincode_launch_failures{chaincode="basic:1.0"} 2
endorser_proposals_received 44
gossip_membership_total_peers_known{channel="mychannel"} 3
"#;
        let m = FabricMetrics::from_samples(&parse(text));
        assert_eq!(m.height(), 42);
        assert_eq!(m.heights["other"], 7);
        assert_eq!(m.transactions, Some(39));
        let b = &m.chaincodes["basic"];
        assert_eq!((b.committed, b.invalid), (32, 2));
        assert_eq!(b.endorsement_failures, 5);
        assert_eq!((b.execute_timeouts, b.launch_failures), (1, 2));
        assert_eq!(b.version, "1.0");
        assert_eq!(m.chaincodes["_lifecycle"].committed, 4);
        assert_eq!(m.proposals_received, Some(44));
        assert_eq!(m.peer_count(), Some(3));
        assert!(m.raft.is_empty());
    }

    #[test]
    fn orderer_raft_metrics() {
        let text = r#"
consensus_etcdraft_is_leader{channel="mychannel"} 1
consensus_etcdraft_leader_changes{channel="mychannel"} 2
consensus_etcdraft_cluster_size{channel="mychannel"} 3
consensus_etcdraft_active_nodes{channel="mychannel"} 3
consensus_etcdraft_committed_block_number{channel="mychannel"} 41
cluster_comm_egress_stream_count{channel="mychannel"} 2
"#;
        let m = FabricMetrics::from_samples(&parse(text));
        let r = &m.raft["mychannel"];
        assert!(r.is_leader);
        assert_eq!(
            (r.leader_changes, r.cluster_size, r.committed_block),
            (2, 3, 41)
        );
        assert_eq!(r.active_nodes, Some(3));
        assert_eq!(m.peer_count(), Some(2));
        assert_eq!(m.transactions, None, "absent, not zero");
        assert_eq!(m.height(), 0);
    }
}
