//! The operational datastore in RFC 7951 JSON: the snapshot's objects under
//! the configuration's lists (docs/yang.md, "State is the snapshot"). A
//! chain, node, channel or log type known to either side has one entry; an
//! object the snapshot has takes its configuration leaves from it (the
//! values in use), the leaves only the configuration holds (simulation,
//! threshold overrides) from the configuration. Sections with no state
//! (agent, system, snmp, netconf) are the configuration itself.
//!
//! A list entry whose key repeats one already written is left out (libyang
//! refuses duplicate keys), as the MIB keeps the first row of an index.

use super::config_map::{self, CONSENSUS, CONTRACTS, CROSSCHAIN, LOGS, NODES, config_to_yang};
use super::json::{dec_round, percent, put, put_opt, u32_clamped, u64s};
use super::objects;
use super::state_alarms::alarms;
use crate::config::{ChainConfig, Config};
use crate::model::consensus::{Consensus, ConsistencyReport};
use crate::model::contract::Contract;
use crate::model::crosschain::CrossChainChannel;
use crate::model::host::{HostInventory, HostPerformance};
use crate::model::ledger::Ledger;
use crate::model::link::PeerLink;
use crate::model::node::Node;
use crate::model::objects::apply::CONFIG_APPLY;
use crate::model::objects::chain::CHAIN;
use crate::model::objects::consensus::{
    CONS_PARAM, CONSENSUS as CONSENSUS_TABLE, CONSISTENCY, NODE_HEAD, PENDING_VOTE, VALIDATOR,
};
use crate::model::objects::contracts::{CONTRACT, EXECUTION, SIGNATORY};
use crate::model::objects::crosschain::{CHANNEL, CHANNEL_PARAM, TRANSFER};
use crate::model::objects::host::{
    HOST, HOST_DISK, HOST_DISK_USAGE, HOST_IF, HOST_IF_COUNTERS, HOST_PERF,
};
use crate::model::objects::ledger::{BLOCK, LEDGER, MEMBER};
use crate::model::objects::logs::{LOG_RECORD, LOG_TYPE};
use crate::model::objects::node::{LINK, NODE};
use crate::model::objects::performance::NODE_PERF;
use crate::model::performance::{NodePerformance, Thresholds};
use crate::model::snapshot::Snapshot;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

type Obj = Map<String, Value>;

/// The whole operational datastore: configuration and state.
pub fn state_to_yang(s: &Snapshot, c: &Config) -> Value {
    let mut root = match config_to_yang(c) {
        Value::Object(o) => o,
        _ => Obj::new(),
    };
    root.insert(
        format!("{NODES}:thresholds"),
        Value::Object(thresholds(&s.performance.thresholds)),
    );
    root.remove(&format!("{NODES}:chains"));
    put(&mut root, &format!("{NODES}:chains"), chains(s, c));
    put(&mut root, &format!("{NODES}:host"), host(s));
    root.remove(&format!("{LOGS}:logs"));
    put(&mut root, &format!("{LOGS}:logs"), logs(s, c));
    // ietf-alarms' state beside its configuration (the shelves).
    let mut faults = match alarms(s, &c.alarms) {
        Value::Object(o) => o,
        _ => Obj::new(),
    };
    if let Some(Value::Object(control)) = root.remove("ietf-alarms:alarms") {
        faults.extend(control);
    }
    put(&mut root, "ietf-alarms:alarms", Value::Object(faults));
    Value::Object(root)
}

/// List entries in order, without repeated keys.
#[derive(Default)]
struct Entries {
    keys: BTreeSet<String>,
    items: Vec<Value>,
}

impl Entries {
    fn push(&mut self, key: String, entry: Obj) {
        if self.keys.insert(key) {
            self.items.push(Value::Object(entry));
        }
    }

    fn into_value(self) -> Value {
        Value::Array(self.items)
    }
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// Thresholds in force: configured values, written as the types allow.
fn thresholds(t: &Thresholds) -> Obj {
    config_map::thresholds_as(t, percent, |v| dec_round(v, 3))
}

fn chains(s: &Snapshot, c: &Config) -> Value {
    let ids: BTreeSet<&str> = s
        .nodes
        .chains
        .iter()
        .map(|m| m.id.as_str())
        .chain(c.chains.keys().map(String::as_str))
        .collect();
    let mut out = Entries::default();
    for id in ids {
        out.push(id.to_string(), chain(s, c.chains.get(id), id));
    }
    json!({ "chain": out.into_value() })
}

fn chain(s: &Snapshot, cfg: Option<&ChainConfig>, id: &str) -> Obj {
    let mut o = match cfg {
        Some(cfg) => config_map::chain_config(id, cfg),
        None => {
            let mut o = Obj::new();
            o.insert("id".into(), text(id));
            o
        }
    };
    // What the platform reports replaces the configured name, even by none.
    if let Some(m) = s.nodes.chains.iter().find(|m| m.id == id) {
        o.remove("name");
        o.extend(objects::leaves(&CHAIN, m));
    }
    put(&mut o, "nodes", nodes(s, cfg, id));
    if let Some(l) = s.ledger.ledgers.iter().find(|l| l.chain == id) {
        o.insert(
            "chain-agent-ledger:ledger".into(),
            Value::Object(ledger(s, l)),
        );
    }
    let consensus_key = format!("{CONSENSUS}:consensus");
    o.remove(&consensus_key);
    put(&mut o, &consensus_key, Value::Object(consensus(s, cfg, id)));
    let contracts_key = format!("{CONTRACTS}:contracts");
    o.remove(&contracts_key);
    put(&mut o, &contracts_key, contracts(s, cfg, id));
    let channels_key = format!("{CROSSCHAIN}:channels");
    o.remove(&channels_key);
    put(&mut o, &channels_key, channels(s, cfg, id));
    put(&mut o, "config-apply", config_apply(s, id));
    o
}

/// What became of the chain's pushed configuration
/// (`model::objects::apply`), beside that configuration.
fn config_apply(s: &Snapshot, chain: &str) -> Value {
    let mut out = Entries::default();
    for a in s.nodes.config_apply.iter().filter(|a| a.chain == chain) {
        out.push(a.item.clone(), objects::leaves(&CONFIG_APPLY, a));
    }
    out.into_value()
}

fn nodes(s: &Snapshot, cfg: Option<&ChainConfig>, chain: &str) -> Value {
    // One pass over each list, not one per node.
    let mut reported: BTreeMap<&str, &Node> = BTreeMap::new();
    for n in s.nodes.nodes.iter().filter(|n| n.chain == chain) {
        reported.entry(n.id.as_str()).or_insert(n);
    }
    let mut links: BTreeMap<&str, Vec<&PeerLink>> = BTreeMap::new();
    for l in s.nodes.links.iter().filter(|l| l.chain == chain) {
        links.entry(l.local_node.as_str()).or_default().push(l);
    }
    let mut perf: BTreeMap<&str, &NodePerformance> = BTreeMap::new();
    for p in s.performance.nodes.iter().filter(|p| p.chain == chain) {
        perf.entry(p.node.as_str()).or_insert(p);
    }
    let ids: BTreeSet<&str> = reported
        .keys()
        .copied()
        .chain(
            cfg.into_iter()
                .flat_map(|c| c.nodes.keys().map(String::as_str)),
        )
        .collect();
    let mut out = Entries::default();
    for id in ids {
        let mut o = match cfg.and_then(|c| c.nodes.get(id)) {
            Some(n) => config_map::node_config(id, n),
            None => {
                let mut o = Obj::new();
                o.insert("id".into(), text(id));
                o
            }
        };
        if let Some(n) = reported.get(id) {
            node_state(&mut o, n);
        }
        let mut node_links = Entries::default();
        for l in links.get(id).map(Vec::as_slice).unwrap_or_default() {
            node_links.push(l.remote_node.clone(), objects::leaves(&LINK, l));
        }
        put(&mut o, "links", json!({ "link": node_links.into_value() }));
        if let Some(p) = perf.get(id) {
            o.insert("performance".into(), Value::Object(performance(p)));
        }
        out.push(id.to_string(), o);
    }
    json!({ "node": out.into_value() })
}

/// What the node reports replaces what is configured (the endpoint, the
/// log specification, the admin state); a node without one keeps the
/// configured intent (`model::objects::node`).
fn node_state(o: &mut Obj, n: &Node) {
    o.extend(objects::leaves(&NODE, n));
}

/// A node's measurements (`model::objects::performance`), with all the
/// thresholds in force, of which the MIB has the three a node overrides.
fn performance(p: &NodePerformance) -> Obj {
    let mut o = objects::leaves(&NODE_PERF, p);
    o.insert(
        "thresholds".into(),
        Value::Object(thresholds(&p.thresholds)),
    );
    o
}

/// A chain's ledger with its blocks and members (`model::objects::ledger`).
fn ledger(s: &Snapshot, l: &Ledger) -> Obj {
    let mut o = objects::leaves(&LEDGER, l);
    let mut blocks = Entries::default();
    for b in s.ledger.blocks.iter().filter(|b| b.chain == l.chain) {
        blocks.push(b.height.to_string(), objects::leaves(&BLOCK, b));
    }
    put(&mut o, "block", blocks.into_value());
    let mut members = Entries::default();
    for m in s.ledger.members.iter().filter(|m| m.chain == l.chain) {
        members.push(m.id.clone(), objects::leaves(&MEMBER, m));
    }
    put(&mut o, "member", members.into_value());
    o
}

/// The longest consensus parameter name (BcmName).
const PARAMETER_NAME_MAX: usize = 32;

/// Parameters: those the platform reports and those configured. The value
/// is the configured one when set, else the platform's when it is a
/// number, as bcmConsParamValue shows it.
fn consensus(s: &Snapshot, cfg: Option<&ChainConfig>, chain: &str) -> Obj {
    let reported = s.consensus.chains.iter().find(|k| k.chain == chain);
    let configured: BTreeMap<&str, u64> = cfg
        .map(|c| c.consensus.iter().map(|(k, v)| (k.as_str(), *v)).collect())
        .unwrap_or_default();
    let mut params = Entries::default();
    // A name bcmConsParamName cannot index is not listed there, nor here.
    for p in reported
        .map(|k| k.parameters.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|p| p.name.len() <= PARAMETER_NAME_MAX)
    {
        let mut e = objects::leaves(&CONS_PARAM, p);
        // The value in force: the configured one when set.
        let value = configured
            .get(p.name.as_str())
            .copied()
            .or_else(|| p.value.trim().parse::<u64>().ok());
        e.remove("value");
        put_opt(&mut e, "value", value.map(u32_clamped));
        params.push(p.name.clone(), e);
    }
    for (name, value) in &configured {
        params.push(name.to_string(), config_map::parameter_config(name, *value));
    }
    let mut o = Obj::new();
    put(&mut o, "parameter", params.into_value());
    if let Some(c) = cfg {
        put(
            &mut o,
            "validator-vote",
            Value::Array(config_map::validator_votes(c)),
        );
    }
    if let Some(k) = reported {
        consensus_state(&mut o, k);
    }
    if let Some(r) = s.consensus.consistency.iter().find(|r| r.chain == chain) {
        o.insert("consistency".into(), Value::Object(consistency(r)));
    }
    o
}

fn consensus_state(o: &mut Obj, k: &Consensus) {
    o.extend(objects::leaves(&CONSENSUS_TABLE, k));
    let mut validators = Entries::default();
    for v in &k.validators {
        validators.push(v.id.clone(), objects::leaves(&VALIDATOR, v));
    }
    put(o, "validator", validators.into_value());
    let mut votes = Entries::default();
    for v in &k.pending_votes {
        votes.push(v.address.clone(), objects::leaves(&PENDING_VOTE, v));
    }
    put(o, "pending-vote", votes.into_value());
}

/// A chain's consistency analysis with its nodes' heads.
fn consistency(r: &ConsistencyReport) -> Obj {
    let mut o = objects::leaves(&CONSISTENCY, r);
    let mut nodes = Entries::default();
    for n in &r.nodes {
        nodes.push(n.node.clone(), objects::leaves(&NODE_HEAD, n));
    }
    put(&mut o, "node", nodes.into_value());
    o
}

/// The monitored contracts as configured, and the contracts and
/// executions the platform reports.
fn contracts(s: &Snapshot, cfg: Option<&ChainConfig>, chain: &str) -> Value {
    let mut list = Entries::default();
    for k in s.contracts.contracts.iter().filter(|k| k.chain == chain) {
        list.push(k.id.clone(), contract(k));
    }
    let mut executions = Entries::default();
    for e in s.contracts.executions.iter().filter(|e| e.chain == chain) {
        executions.push(e.tx.clone(), objects::leaves(&EXECUTION, e));
    }
    let mut o = Obj::new();
    if let Some(c) = cfg {
        put(
            &mut o,
            "monitored",
            Value::Array(config_map::monitored_contracts(c)),
        );
    }
    put(&mut o, "contract", list.into_value());
    put(&mut o, "execution", executions.into_value());
    Value::Object(o)
}

/// A contract with its signatories (`model::objects::contracts`).
fn contract(k: &Contract) -> Obj {
    let mut o = objects::leaves(&CONTRACT, k);
    let mut signatories = Entries::default();
    for g in &k.signatories {
        signatories.push(g.id.clone(), objects::leaves(&SIGNATORY, g));
    }
    put(&mut o, "signatory", signatories.into_value());
    o
}

fn channels(s: &Snapshot, cfg: Option<&ChainConfig>, chain: &str) -> Value {
    let ids: BTreeSet<&str> = s
        .cross_chain
        .channels
        .iter()
        .filter(|ch| ch.chain == chain)
        .map(|ch| ch.id.as_str())
        .chain(
            cfg.into_iter()
                .flat_map(|c| c.channels.keys().map(String::as_str)),
        )
        .collect();
    let mut out = Entries::default();
    for id in ids {
        let reported = s
            .cross_chain
            .channels
            .iter()
            .find(|ch| ch.chain == chain && ch.id == id);
        let o = match (reported, cfg.and_then(|c| c.channels.get(id))) {
            (Some(ch), _) => channel_state(s, ch),
            (None, Some(conf)) => config_map::channel_config(id, conf),
            (None, None) => continue,
        };
        out.push(id.to_string(), o);
    }
    json!({ "channel": out.into_value() })
}

/// A channel with its parameters and transfers
/// (`model::objects::crosschain`).
fn channel_state(s: &Snapshot, ch: &CrossChainChannel) -> Obj {
    let mut o = objects::leaves(&CHANNEL, ch);
    let mut parameters = Entries::default();
    for p in &ch.parameters {
        parameters.push(p.name.clone(), objects::leaves(&CHANNEL_PARAM, p));
    }
    put(&mut o, "parameter", parameters.into_value());
    let mut transfers = Entries::default();
    for t in s
        .cross_chain
        .transfers
        .iter()
        .filter(|t| t.chain == ch.chain && t.channel == ch.id)
    {
        transfers.push(t.id.clone(), objects::leaves(&TRANSFER, t));
    }
    put(&mut o, "transfer", transfers.into_value());
    o
}

fn host(s: &Snapshot) -> Value {
    let mut o = Obj::new();
    if let Some(h) = &s.nodes.host {
        host_inventory(&mut o, h);
    }
    if let Some(p) = &s.performance.host {
        o.insert("performance".into(), Value::Object(host_performance(p)));
    }
    Value::Object(o)
}

fn host_inventory(o: &mut Obj, h: &HostInventory) {
    o.extend(objects::scalar_leaves(&HOST, h));
    let mut disks = Entries::default();
    for d in &h.disks {
        disks.push(d.mount_point.clone(), objects::leaves(&HOST_DISK, d));
    }
    put(o, "disk", disks.into_value());
    let mut interfaces = Entries::default();
    for i in &h.interfaces {
        interfaces.push(i.name.clone(), objects::leaves(&HOST_IF, i));
    }
    put(o, "interface", interfaces.into_value());
}

fn host_performance(p: &HostPerformance) -> Obj {
    let mut o = Obj::new();
    o.extend(objects::scalar_leaves(&HOST_PERF, p));
    // The leaves no MIB scalar carries.
    o.insert("sampled-at-unix-ms".into(), u64s(p.sampled_at_unix_ms));
    o.insert("memory-total-bytes".into(), u64s(p.memory_total_bytes));
    // The entries' keys and the leaves no MIB column carries.
    let mut disks = Entries::default();
    for d in &p.disks {
        let mut e = objects::leaves(&HOST_DISK_USAGE, d);
        e.insert("mount-point".into(), text(&d.mount_point));
        e.insert("total-bytes".into(), u64s(d.total_bytes));
        disks.push(d.mount_point.clone(), e);
    }
    put(&mut o, "disk", disks.into_value());
    let mut interfaces = Entries::default();
    for i in &p.interfaces {
        let mut e = objects::leaves(&HOST_IF_COUNTERS, i);
        e.insert("name".into(), text(&i.name));
        put_opt(&mut e, "rx-bytes-per-sec", dec_round(i.rx_bytes_per_sec, 2));
        put_opt(&mut e, "tx-bytes-per-sec", dec_round(i.tx_bytes_per_sec, 2));
        interfaces.push(i.name.clone(), e);
    }
    put(&mut o, "interface", interfaces.into_value());
    o
}

/// Log types: those the snapshot reports (with the level and retention in
/// force) and those only configured.
fn logs(s: &Snapshot, c: &Config) -> Value {
    let mut types = Entries::default();
    for t in &s.logs.types {
        types.push(t.kind.as_str().to_string(), objects::leaves(&LOG_TYPE, t));
    }
    for (kind, t) in &c.logs {
        types.push(kind.clone(), config_map::log_type_config(kind, t));
    }
    let mut records = Entries::default();
    for r in &s.logs.recent {
        records.push(r.id.to_string(), objects::leaves(&LOG_RECORD, r));
    }
    let mut o = Obj::new();
    put(&mut o, "type", types.into_value());
    put(&mut o, "recent", json!({ "record": records.into_value() }));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::chain::{ConsensusType, ManagedChain, Platform};
    use crate::model::consensus::ConsensusParameter;

    fn param(name: &str, value: &str) -> ConsensusParameter {
        ConsensusParameter {
            name: name.into(),
            value: value.into(),
            unit: "ms".into(),
            settable: true,
        }
    }

    #[test]
    fn configuration_and_snapshot_merge_per_entry() {
        let mut c = Config::default();
        let sim = c.chains.get_mut("sim").unwrap();
        sim.consensus.insert("round-timeout-ms".into(), 2500);
        sim.nodes.insert("node-9".into(), Default::default());
        let mut s = Snapshot::default();
        s.nodes.chains.push(ManagedChain {
            id: "found".into(),
            name: "Discovered".into(),
            platform: Platform::Ethereum,
            chain_id: "1".into(),
            consensus_type: ConsensusType::ProofOfStake,
            genesis_hash: String::new(),
            node_count: 0,
        });
        s.consensus.chains.push(Consensus {
            chain: "sim".into(),
            algorithm: "sim-bft".into(),
            parameters: vec![
                param("round-timeout-ms", "3000"),
                param("engine", "clique"),
                param("engine", "twice"),
            ],
            height: 1,
            round: None,
            leader: String::new(),
            validators: vec![],
            view_changes: 0,
            last_block_at: 0,
            pending_votes: Vec::new(),
        });
        let v = state_to_yang(&s, &c);
        let chains = v["chain-agent-nodes:chains"]["chain"].as_array().unwrap();
        let ids: Vec<&str> = chains.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["found", "sim"], "configured and discovered chains");
        assert_eq!(chains[0]["platform"], json!("ethereum"));
        assert_eq!(chains[0].get("genesis-hash"), None, "empty text is absent");
        let sim = &chains[1];
        assert_eq!(sim["nodes"]["node"][0]["id"], json!("node-9"));
        assert_eq!(sim["nodes"]["node"][0].get("oper-state"), None);
        let params = sim["chain-agent-consensus:consensus"]["parameter"]
            .as_array()
            .unwrap();
        let by_name = |n: &str| params.iter().find(|p| p["name"] == json!(n)).unwrap();
        assert_eq!(by_name("round-timeout-ms")["value"], json!("2500"));
        assert_eq!(by_name("round-timeout-ms")["unit"], json!("ms"));
        assert_eq!(by_name("engine").get("value"), None, "not a number");
        assert_eq!(
            params
                .iter()
                .filter(|p| p["name"] == json!("engine"))
                .count(),
            1
        );
        assert_eq!(by_name("block-interval-ms")["value"], json!("1000"));
        assert_eq!(
            by_name("block-interval-ms").get("unit"),
            None,
            "configured only"
        );
    }
}
