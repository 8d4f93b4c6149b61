//! YANG ↔ model ↔ MIB. Three checks, each able to fail:
//!
//! - every data node of the chain-agent modules (and the ietf-alarms nodes
//!   the agent serves) is instantiated by the mapping of a fully populated
//!   configuration and snapshot, so no YANG node is an orphan; the strict
//!   parse in tests/yang_mapping.rs shows the converse for what is written;
//! - every field of the snapshot reaches the YANG state: changing it
//!   changes the mapping's output, apart from the fields listed with the
//!   reason they have no YANG node (the configuration's fields are shown
//!   by its exact round trip);
//! - every BLOCKCHAIN-MGMT-MIB object the agent serves is mapped to the
//!   YANG node carrying the same information, or listed with the reason it
//!   has none; a writable object maps to configuration or an action, and
//!   each table has as many rows as its YANG list has entries.

mod yang_fixture;

use chain_agent::config::Config;
use chain_agent::model::snapshot::Snapshot;
use chain_agent::netconf::yang::*;
use chain_agent::snmp::mib::blockchain::{index_of, notifications, scalars, tables};
use chain_agent::snmp::mib::{Access, AgentState, Ctx};
use chain_agent::snmp::value::Value as SnmpValue;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use yang_fixture::*;
use yang5::data::{Data, DataTree};
use yang5::schema::{SchemaNodeKind, SchemaPathFormat};

const OWN: &[&str] = &[
    "chain-agent-types",
    "chain-agent-nodes",
    "chain-agent-alarms",
    "chain-agent-logs",
    "chain-agent-ledger",
    "chain-agent-consensus",
    "chain-agent-contracts",
    "chain-agent-crosschain",
    "chain-agent-system",
];

/// ietf-alarms nodes the agent does not fill, and why.
const ALARM_NODES_NOT_SERVED: &[(&str, &str)] = &[
    (
        "/ietf-alarms:alarms/control/max-alarm-status-changes",
        "not configurable: the agent keeps ietf-alarms' default (32); only the shelves \
         of control are the agent's configuration",
    ),
    (
        "/ietf-alarms:alarms/control/notify-status-changes",
        "not configurable: the agent notifies all state changes, ietf-alarms' default",
    ),
    (
        "/ietf-alarms:alarms/control/notify-severity-level",
        "as notify-status-changes",
    ),
    (
        "/ietf-alarms:alarms/alarm-inventory/alarm-type/severity-level",
        "the model's inventory does not list the severities a type is raised with",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/alt-resource",
        "the model has one resource per alarm",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information",
        "threshold alarms carry their measurement in the text only",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/triggered-threshold",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/observed-value",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/up-high",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/up-low",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/down-low",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/down-high",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:threshold-information/arm-time",
        "as threshold-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:monitored-attributes",
        "X.733 monitored attributes are not in the model",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:monitored-attributes/id",
        "as monitored-attributes",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:monitored-attributes/value",
        "as monitored-attributes",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:trend-indication",
        "X.733 trend is not in the model",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:backedup-status",
        "no managed object has a backup",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:backup-object",
        "no managed object has a backup",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:additional-information",
        "X.733 additional information is not in the model (the specific problem is in alarm-text)",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:additional-information/identifier",
        "as additional-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:additional-information/significant",
        "as additional-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:additional-information/information",
        "as additional-information",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:security-alarm-detector",
        "the agent raises no X.736 security alarms",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:service-user",
        "the agent raises no X.736 security alarms",
    ),
    (
        "/ietf-alarms:alarms/alarm-list/alarm/ietf-alarms-x733:service-provider",
        "the agent raises no X.736 security alarms",
    ),
];

/// Data nodes (not RPC, action or notification content) of a module, by
/// schema path; augments of other modules appear under their target.
fn data_nodes(module: &str) -> Vec<(String, bool)> {
    let m = schema()
        .context()
        .get_module_implemented(module)
        .unwrap_or_else(|| panic!("{module} loaded"));
    m.data()
        .flat_map(|top| top.traverse())
        .filter(|n| {
            matches!(
                n.kind(),
                SchemaNodeKind::Container
                    | SchemaNodeKind::Leaf
                    | SchemaNodeKind::LeafList
                    | SchemaNodeKind::List
            ) && !n.is_within_input()
                && !n.is_within_output()
                && !n.is_within_notification()
        })
        .map(|n| (n.path(SchemaPathFormat::DATA), n.is_config()))
        .collect()
}

fn instantiated(tree: &DataTree<'_>, path: &str) -> bool {
    tree.find_xpath(path)
        .map(|mut set| set.next().is_some())
        .unwrap_or(false)
}

#[test]
fn every_yang_node_is_instantiated() {
    let (config, snapshot) = full_snapshot();
    let config_tree = parse_json(schema(), &config_to_yang(&config), Content::Config).unwrap();
    let state_tree =
        parse_json(schema(), &state_to_yang(&snapshot, &config), Content::State).unwrap();
    let mut orphans = Vec::new();
    let mut checked = 0;
    for module in OWN.iter().chain(&["ietf-alarms"]) {
        for (path, is_config) in data_nodes(module) {
            checked += 1;
            // A shelved alarm has the alarm list's leaves, served alike.
            let as_listed = path.replace(
                "/ietf-alarms:alarms/shelved-alarms/shelved-alarm",
                "/ietf-alarms:alarms/alarm-list/alarm",
            );
            let excused = ALARM_NODES_NOT_SERVED
                .iter()
                .any(|(p, _)| *p == path || *p == as_listed);
            let in_state = instantiated(&state_tree, &path);
            let in_config = !is_config || instantiated(&config_tree, &path);
            if excused {
                if in_state {
                    orphans.push(format!("{path}: listed as not served, but it is"));
                }
            } else if !in_state || !in_config {
                orphans.push(format!(
                    "{path}: not instantiated in {}",
                    if in_state { "configuration" } else { "state" }
                ));
            }
        }
    }
    assert!(checked > 300, "walked {checked} nodes");
    for (path, _) in ALARM_NODES_NOT_SERVED {
        assert!(
            schema().context().find_path(path).is_ok(),
            "{path} is not in the schema"
        );
    }
    assert!(orphans.is_empty(), "{orphans:#?}");
}

/// `faults.active` and `faults.history` hold the same alarms (an active
/// alarm is in both), so their fields are changed together, under this name.
const ALARMS: &str = "faults.alarms[]";

/// Snapshot fields with no YANG node of their own.
const MODEL_FIELDS_NOT_IN_YANG: &[(&str, &str)] = &[
    (
        "faults.alarms[].id",
        "the agent's sequence number; ietf-alarms identifies an alarm by resource and type",
    ),
    (
        "faults.alarms[].chain",
        "the chain is the first step of the alarm's resource path",
    ),
    (
        "faults.alarms[].specific-problem",
        "part of alarm-text, which the agent writes as '<type> on <resource>: <specific problem>'",
    ),
];

/// Leaf paths of a JSON document with list positions folded, e.g.
/// `nodes.nodes[].software.client`.
fn field_patterns(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                field_patterns(item, &p, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| i.is_object() || i.is_array()) => {
            for item in items {
                field_patterns(item, &format!("{path}[]"), out);
            }
        }
        _ => {
            out.insert(path.to_string());
        }
    }
}

/// As [`field_patterns`], for the leaves holding a value.
fn non_empty_patterns(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                non_empty_patterns(item, &p, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| i.is_object() || i.is_array()) => {
            for item in items {
                non_empty_patterns(item, &format!("{path}[]"), out);
            }
        }
        Value::Null => {}
        Value::String(s) if s.is_empty() => {}
        _ => {
            out.insert(path.to_string());
        }
    }
}

/// Change every value at `pattern`; strings that are enumerations take
/// another variant, which serde names when it refuses the changed text.
fn perturb(snapshot: &Value, pattern: &str) -> Option<Snapshot> {
    let mut v = snapshot.clone();
    let targets: Vec<String> = match pattern.strip_prefix(ALARMS) {
        Some(rest) => vec![
            format!("faults.active[]{rest}"),
            format!("faults.history[]{rest}"),
        ],
        None => vec![pattern.to_string()],
    };
    let targets: Vec<Vec<&str>> = targets.iter().map(|t| t.split('.').collect()).collect();
    let each = |v: &mut Value, f: &dyn Fn(&mut Value)| {
        for steps in &targets {
            apply(v, steps, f);
        }
    };
    each(&mut v, &|leaf| match leaf {
        Value::Bool(b) => *b = !*b,
        Value::Number(n) => {
            *leaf = if let Some(u) = n.as_u64() {
                // One to one, so that numbers used as identities stay distinct.
                Value::from(u.checked_add(1).unwrap_or_else(|| u - 1))
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                Value::from(if f >= 50.0 { f - 1.5 } else { f + 1.5 })
            }
        }
        Value::String(s) => s.push('x'),
        // A leaf-list: every entry changed.
        Value::Array(items) => {
            for item in items {
                if let Value::String(s) = item {
                    s.push('x');
                }
            }
        }
        _ => {}
    });
    match serde_json::from_value::<Snapshot>(v.clone()) {
        Ok(s) => Some(s),
        Err(e) => {
            // An enumeration: "unknown variant `upx`, expected one of `up`, `down`".
            let text = e.to_string();
            let expected = text.split("expected").nth(1)?;
            let variants: Vec<String> = expected
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            let mut v = snapshot.clone();
            each(&mut v, &|leaf| {
                if let Value::String(s) = leaf
                    && let Some(other) = variants.iter().find(|o| *o != s)
                {
                    *s = other.clone();
                }
            });
            serde_json::from_value(v).ok()
        }
    }
}

fn apply(v: &mut Value, steps: &[&str], f: &dyn Fn(&mut Value)) {
    let Some((first, rest)) = steps.split_first() else {
        f(v);
        return;
    };
    let (name, arrays) = match first.find("[]") {
        Some(i) => (&first[..i], first[i..].matches("[]").count()),
        None => (*first, 0),
    };
    if let Some(child) = v.get_mut(name) {
        descend(child, arrays, rest, f);
    }
}

fn descend(v: &mut Value, arrays: usize, rest: &[&str], f: &dyn Fn(&mut Value)) {
    if arrays == 0 {
        apply(v, rest, f);
    } else if let Value::Array(items) = v {
        for item in items {
            descend(item, arrays - 1, rest, f);
        }
    }
}

#[test]
fn every_snapshot_field_reaches_yang() {
    let (config, snapshot) = full_snapshot();
    let json = serde_json::to_value(&snapshot).unwrap();
    let mut patterns = BTreeSet::new();
    field_patterns(&json, "", &mut patterns);
    let mut empty = Vec::new();
    empty_fields(&json, "", &mut empty);
    let fold = |p: &str| {
        let mut out = String::new();
        let mut skipping = false;
        for ch in p.trim_start_matches('.').chars() {
            match ch {
                '[' => {
                    skipping = true;
                    out.push_str("[]");
                }
                ']' => skipping = false,
                c if !skipping => out.push(c),
                _ => {}
            }
        }
        out
    };
    let empty: BTreeSet<String> = empty.iter().map(|p| fold(p)).collect();
    let mut filled = BTreeSet::new();
    non_empty_patterns(&json, "", &mut filled);
    // An active alarm is never cleared.
    let never_filled: Vec<&String> = empty
        .iter()
        .filter(|p| !filled.contains(*p) && *p != "faults.active[].cleared")
        .collect();
    assert!(
        never_filled.is_empty(),
        "the fixture never fills: {never_filled:#?}"
    );
    assert!(patterns.len() > 150, "{}", patterns.len());
    let patterns: BTreeSet<String> = patterns
        .into_iter()
        .filter(|p| p != "faults.active[].cleared")
        .map(|p| {
            for list in ["faults.active[]", "faults.history[]"] {
                if let Some(rest) = p.strip_prefix(list) {
                    return format!("{ALARMS}{rest}");
                }
            }
            p
        })
        .collect();
    let before = state_to_yang(&snapshot, &config);
    let mut unmapped = BTreeSet::new();
    for pattern in &patterns {
        let changed = perturb(&json, pattern)
            .unwrap_or_else(|| panic!("{pattern}: no other value the model accepts"));
        if state_to_yang(&changed, &config) == before {
            unmapped.insert(pattern.as_str());
        }
    }
    let listed: BTreeSet<&str> = MODEL_FIELDS_NOT_IN_YANG.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        unmapped, listed,
        "snapshot fields whose change does not show in YANG, against those listed"
    );
}

/// Where a MIB object's information is in YANG.
enum To {
    /// The data node holding the same information (in YANG's units).
    Node(&'static str),
    /// A writable object read from one node and written through another:
    /// a configuration node or an action.
    ReadWrite {
        read: &'static str,
        write: &'static str,
    },
    /// No YANG node, and why.
    Nothing(&'static str),
}

use To::*;

const N: &str = "/chain-agent-nodes:chains/chain/nodes/node";
const H: &str = "/chain-agent-nodes:host";
const AL: &str = "/ietf-alarms:alarms/alarm-list/alarm";
const INV: &str = "/ietf-alarms:alarms/alarm-inventory/alarm-type";
const LG: &str = "/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger";
const CS: &str = "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus";
const CT: &str = "/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts";
const CH: &str = "/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel";

fn p(base: &str, rest: &str) -> String {
    format!("{base}/{rest}")
}

/// Every BLOCKCHAIN-MGMT-MIB object the agent defines: index objects,
/// columns, scalars and notifications.
fn mib_map() -> Vec<(&'static str, To)> {
    let no_index = "a position in the agent's list; YANG keys the entry by ";
    vec![
        // bcmChains
        ("bcmChainName", Node("/chain-agent-nodes:chains/chain/id")),
        (
            "bcmChainDisplayName",
            Node("/chain-agent-nodes:chains/chain/name"),
        ),
        (
            "bcmChainPlatform",
            Node("/chain-agent-nodes:chains/chain/platform"),
        ),
        (
            "bcmChainNetworkId",
            Node("/chain-agent-nodes:chains/chain/chain-id"),
        ),
        (
            "bcmChainConsensusType",
            Node("/chain-agent-nodes:chains/chain/consensus-type"),
        ),
        (
            "bcmChainGenesisHash",
            Node("/chain-agent-nodes:chains/chain/genesis-hash"),
        ),
        (
            "bcmChainNodeCount",
            Node("/chain-agent-nodes:chains/chain/node-count"),
        ),
        // bcmNodes
        (
            "bcmNodeName",
            Node("/chain-agent-nodes:chains/chain/nodes/node/id"),
        ),
        ("bcmNodeIdentity", Node(leak(p(N, "identity")))),
        ("bcmNodeRole", Node(leak(p(N, "role")))),
        ("bcmNodeEndpoint", Node(leak(p(N, "endpoint")))),
        ("bcmNodeClient", Node(leak(p(N, "software/client")))),
        ("bcmNodeVersion", Node(leak(p(N, "software/version")))),
        ("bcmNodeProtocol", Node(leak(p(N, "software/protocol")))),
        ("bcmNodeHost", Node(leak(p(N, "hardware/host")))),
        ("bcmNodeOs", Node(leak(p(N, "hardware/os")))),
        ("bcmNodeArch", Node(leak(p(N, "hardware/arch")))),
        ("bcmNodeCpuCores", Node(leak(p(N, "hardware/cpu-cores")))),
        (
            "bcmNodeMemoryKBytes",
            Node(leak(p(N, "hardware/memory-bytes"))),
        ),
        ("bcmNodeDiskMBytes", Node(leak(p(N, "hardware/disk-bytes")))),
        ("bcmNodeAdminState", Node(leak(p(N, "admin-state")))),
        ("bcmNodeOperState", Node(leak(p(N, "oper-state")))),
        ("bcmNodeOperChanged", Node(leak(p(N, "oper-changed")))),
        ("bcmNodeLogSpec", Node(leak(p(N, "log-spec")))),
        ("bcmNodeUnsupported", Node(leak(p(N, "unsupported")))),
        (
            "bcmLinkRemoteNode",
            Node(leak(p(N, "links/link/remote-node"))),
        ),
        (
            "bcmLinkRemoteAddress",
            Node(leak(p(N, "links/link/remote-address"))),
        ),
        ("bcmLinkDirection", Node(leak(p(N, "links/link/direction")))),
        ("bcmLinkState", Node(leak(p(N, "links/link/state")))),
        ("bcmLinkLatency", Node(leak(p(N, "links/link/latency-ms")))),
        ("bcmLinkBytesIn", Node(leak(p(N, "links/link/bytes-in")))),
        ("bcmLinkBytesOut", Node(leak(p(N, "links/link/bytes-out")))),
        ("bcmLinkSince", Node(leak(p(N, "links/link/since")))),
        // bcmHost
        ("bcmHostName", Node(leak(p(H, "hostname")))),
        ("bcmHostOsName", Node(leak(p(H, "os-name")))),
        ("bcmHostOsVersion", Node(leak(p(H, "os-version")))),
        ("bcmHostKernel", Node(leak(p(H, "kernel")))),
        ("bcmHostArch", Node(leak(p(H, "arch")))),
        ("bcmHostCpuModel", Node(leak(p(H, "cpu-model")))),
        ("bcmHostCpuCores", Node(leak(p(H, "cpu-cores")))),
        (
            "bcmHostMemoryKBytes",
            Node(leak(p(H, "memory-total-bytes"))),
        ),
        ("bcmHostBootTime", Node(leak(p(H, "boot-time-unix")))),
        (
            "bcmHostDiskIndex",
            Nothing(leak(format!("{no_index}mount-point"))),
        ),
        ("bcmHostDiskMount", Node(leak(p(H, "disk/mount-point")))),
        ("bcmHostDiskDevice", Node(leak(p(H, "disk/device")))),
        ("bcmHostDiskFsType", Node(leak(p(H, "disk/fs-type")))),
        (
            "bcmHostDiskTotalMBytes",
            Node(leak(p(H, "disk/total-bytes"))),
        ),
        (
            "bcmHostDiskUsedMBytes",
            Node(leak(p(H, "performance/disk/used-bytes"))),
        ),
        (
            "bcmHostDiskPercent",
            Node(leak(p(H, "performance/disk/percent"))),
        ),
        ("bcmHostIfIndex", Nothing(leak(format!("{no_index}name")))),
        ("bcmHostIfName", Node(leak(p(H, "interface/name")))),
        ("bcmHostIfPhysAddress", Node(leak(p(H, "interface/mac")))),
        ("bcmHostIfMtu", Node(leak(p(H, "interface/mtu")))),
        ("bcmHostIfSpeed", Node(leak(p(H, "interface/speed-mbps")))),
        (
            "bcmHostIfOperStatus",
            Node(leak(p(H, "performance/interface/oper-up"))),
        ),
        (
            "bcmHostIfInOctets",
            Node(leak(p(H, "performance/interface/rx-bytes"))),
        ),
        (
            "bcmHostIfOutOctets",
            Node(leak(p(H, "performance/interface/tx-bytes"))),
        ),
        (
            "bcmHostIfInPackets",
            Node(leak(p(H, "performance/interface/rx-packets"))),
        ),
        (
            "bcmHostIfOutPackets",
            Node(leak(p(H, "performance/interface/tx-packets"))),
        ),
        (
            "bcmHostIfInErrors",
            Node(leak(p(H, "performance/interface/rx-errors"))),
        ),
        (
            "bcmHostIfOutErrors",
            Node(leak(p(H, "performance/interface/tx-errors"))),
        ),
        (
            "bcmHostIfInDrops",
            Node(leak(p(H, "performance/interface/rx-drops"))),
        ),
        (
            "bcmHostIfOutDrops",
            Node(leak(p(H, "performance/interface/tx-drops"))),
        ),
        // bcmPerformance
        (
            "bcmThreshCpuPercent",
            Node("/chain-agent-nodes:thresholds/cpu-percent"),
        ),
        (
            "bcmThreshMemoryPercent",
            Node("/chain-agent-nodes:thresholds/memory-percent"),
        ),
        (
            "bcmThreshSyncLagBlocks",
            Node("/chain-agent-nodes:thresholds/sync-lag-blocks"),
        ),
        (
            "bcmThreshConsensusStall",
            Node("/chain-agent-nodes:thresholds/consensus-stall-seconds"),
        ),
        (
            "bcmThreshLinkLatency",
            Node("/chain-agent-nodes:thresholds/link-latency-ms"),
        ),
        (
            "bcmThreshXchainTimeoutPercent",
            Node("/chain-agent-nodes:thresholds/xchain-timeout-percent"),
        ),
        (
            "bcmPerfSampledAt",
            Node(leak(p(N, "performance/sampled-at"))),
        ),
        (
            "bcmPerfCpuPercent",
            Node(leak(p(N, "performance/cpu-percent"))),
        ),
        (
            "bcmPerfMemoryPercent",
            Node(leak(p(N, "performance/memory-percent"))),
        ),
        (
            "bcmPerfMemoryUsedKBytes",
            Node(leak(p(N, "performance/memory-used-bytes"))),
        ),
        (
            "bcmPerfDiskUsedMBytes",
            Node(leak(p(N, "performance/disk-used-bytes"))),
        ),
        (
            "bcmPerfNetInRate",
            Node(leak(p(N, "performance/net-in-bytes-per-sec"))),
        ),
        (
            "bcmPerfNetOutRate",
            Node(leak(p(N, "performance/net-out-bytes-per-sec"))),
        ),
        (
            "bcmPerfPeerCount",
            Node(leak(p(N, "performance/peer-count"))),
        ),
        ("bcmPerfHeight", Node(leak(p(N, "performance/height")))),
        ("bcmPerfSyncLag", Node(leak(p(N, "performance/sync-lag")))),
        (
            "bcmPerfTxPoolSize",
            Node(leak(p(N, "performance/tx-pool-size"))),
        ),
        (
            "bcmPerfBlockInterval",
            Node(leak(p(N, "performance/block-interval-ms"))),
        ),
        ("bcmPerfTps", Node(leak(p(N, "performance/tps")))),
        (
            "bcmPerfThreshCpuPercent",
            ReadWrite {
                read: leak(p(N, "performance/thresholds/cpu-percent")),
                write: leak(p(N, "thresholds/cpu-percent")),
            },
        ),
        (
            "bcmPerfThreshMemoryPercent",
            ReadWrite {
                read: leak(p(N, "performance/thresholds/memory-percent")),
                write: leak(p(N, "thresholds/memory-percent")),
            },
        ),
        (
            "bcmPerfThreshSyncLagBlocks",
            ReadWrite {
                read: leak(p(N, "performance/thresholds/sync-lag-blocks")),
                write: leak(p(N, "thresholds/sync-lag-blocks")),
            },
        ),
        (
            "bcmHostCpuPercent",
            Node(leak(p(H, "performance/cpu-percent"))),
        ),
        ("bcmHostLoad1", Node(leak(p(H, "performance/load1")))),
        ("bcmHostLoad5", Node(leak(p(H, "performance/load5")))),
        ("bcmHostLoad15", Node(leak(p(H, "performance/load15")))),
        (
            "bcmHostMemoryUsedKBytes",
            Node(leak(p(H, "performance/memory-used-bytes"))),
        ),
        (
            "bcmHostMemoryPercent",
            Node(leak(p(H, "performance/memory-percent"))),
        ),
        (
            "bcmHostSwapUsedKBytes",
            Node(leak(p(H, "performance/swap-used-bytes"))),
        ),
        (
            "bcmHostUptime",
            Node(leak(p(H, "performance/uptime-seconds"))),
        ),
        // bcmFaults
        (
            "bcmAlarmTypeIndex",
            Nothing(leak(format!("{no_index}alarm-type-id and qualifier"))),
        ),
        (
            "bcmAlarmTypeEventType",
            Node(leak(p(INV, "ietf-alarms-x733:event-type"))),
        ),
        (
            "bcmAlarmTypeProbableCause",
            Node(leak(p(INV, "ietf-alarms-x733:probable-cause"))),
        ),
        ("bcmAlarmTypeResource", Node(leak(p(INV, "resource")))),
        ("bcmAlarmTypeRepair", Node(leak(p(INV, "description")))),
        (
            "bcmAlarmId",
            Nothing(
                "the agent's sequence number; ietf-alarms keys an alarm by resource, type and qualifier",
            ),
        ),
        ("bcmAlarmResource", Node(leak(p(AL, "resource")))),
        (
            "bcmAlarmChain",
            Nothing("the first step of the resource path"),
        ),
        ("bcmAlarmType", Node(leak(p(AL, "alarm-type-id")))),
        (
            "bcmAlarmEventType",
            Node(leak(p(AL, "ietf-alarms-x733:event-type"))),
        ),
        (
            "bcmAlarmProbableCause",
            Node(leak(p(AL, "ietf-alarms-x733:probable-cause"))),
        ),
        ("bcmAlarmSeverity", Node(leak(p(AL, "perceived-severity")))),
        ("bcmAlarmSpecificProblem", Nothing("part of alarm-text")),
        ("bcmAlarmText", Node(leak(p(AL, "alarm-text")))),
        (
            "bcmAlarmRepair",
            Node(leak(p(AL, "ietf-alarms-x733:proposed-repair-actions"))),
        ),
        ("bcmAlarmRaisedTime", Node(leak(p(AL, "last-raised")))),
        ("bcmAlarmChangedTime", Node(leak(p(AL, "last-changed")))),
        (
            "bcmAlarmAckState",
            ReadWrite {
                read: leak(p(AL, "operator-state-change/state")),
                write: leak(p(AL, "set-operator-state")),
            },
        ),
        (
            "bcmAlarmAckBy",
            Node(leak(p(AL, "operator-state-change/operator"))),
        ),
        (
            "bcmAlarmAckTime",
            Node(leak(p(AL, "operator-state-change/time"))),
        ),
        ("bcmAlarmHistId", Nothing("as bcmAlarmId")),
        ("bcmAlarmHistResource", Node(leak(p(AL, "resource")))),
        (
            "bcmAlarmHistChain",
            Nothing("the first step of the resource path"),
        ),
        ("bcmAlarmHistType", Node(leak(p(AL, "alarm-type-id")))),
        (
            "bcmAlarmHistEventType",
            Node(leak(p(AL, "ietf-alarms-x733:event-type"))),
        ),
        (
            "bcmAlarmHistProbableCause",
            Node(leak(p(AL, "ietf-alarms-x733:probable-cause"))),
        ),
        (
            "bcmAlarmHistSeverity",
            Node(leak(p(AL, "status-change/perceived-severity"))),
        ),
        ("bcmAlarmHistSpecificProblem", Nothing("part of alarm-text")),
        (
            "bcmAlarmHistText",
            Node(leak(p(AL, "status-change/alarm-text"))),
        ),
        (
            "bcmAlarmHistRaised",
            Node(leak(p(AL, "status-change/time"))),
        ),
        (
            "bcmAlarmHistCleared",
            Node(leak(p(AL, "status-change/time"))),
        ),
        (
            "bcmAlarmHistAckState",
            Node(leak(p(AL, "operator-state-change/state"))),
        ),
        (
            "bcmAlarmActiveCount",
            Node("/ietf-alarms:alarms/summary/alarm-summary/not-cleared"),
        ),
        // bcmLogs
        ("bcmLogTypeKind", Node("/chain-agent-logs:logs/type/kind")),
        ("bcmLogTypeLevel", Node("/chain-agent-logs:logs/type/level")),
        (
            "bcmLogTypeRetention",
            Node("/chain-agent-logs:logs/type/retention-records"),
        ),
        (
            "bcmLogTypeRecordCount",
            Node("/chain-agent-logs:logs/type/record-count"),
        ),
        (
            "bcmLogTypeOldest",
            Node("/chain-agent-logs:logs/type/oldest"),
        ),
        (
            "bcmLogTypeNewest",
            Node("/chain-agent-logs:logs/type/newest"),
        ),
        (
            "bcmLogRecordId",
            Node("/chain-agent-logs:logs/recent/record/id"),
        ),
        (
            "bcmLogRecordKind",
            Node("/chain-agent-logs:logs/recent/record/kind"),
        ),
        (
            "bcmLogRecordTime",
            Node("/chain-agent-logs:logs/recent/record/time"),
        ),
        (
            "bcmLogRecordLevel",
            Node("/chain-agent-logs:logs/recent/record/level"),
        ),
        (
            "bcmLogRecordSource",
            Node("/chain-agent-logs:logs/recent/record/source"),
        ),
        (
            "bcmLogRecordMessage",
            Node("/chain-agent-logs:logs/recent/record/message"),
        ),
        // bcmLedger
        ("bcmLedgerHeight", Node(leak(p(LG, "height")))),
        ("bcmLedgerHeadHash", Node(leak(p(LG, "head-hash")))),
        ("bcmLedgerHeadTime", Node(leak(p(LG, "head-time")))),
        (
            "bcmLedgerTransactions",
            Node(leak(p(LG, "transactions-seen"))),
        ),
        (
            "bcmLedgerTargetInterval",
            Node(leak(p(LG, "target-block-interval-ms"))),
        ),
        (
            "bcmLedgerMaxBlockTx",
            Node(leak(p(LG, "max-block-transactions"))),
        ),
        (
            "bcmLedgerActiveMembers",
            Node(leak(p(LG, "active-members"))),
        ),
        ("bcmBlockHeight", Node(leak(p(LG, "block/height")))),
        ("bcmBlockHash", Node(leak(p(LG, "block/hash")))),
        ("bcmBlockParentHash", Node(leak(p(LG, "block/parent-hash")))),
        ("bcmBlockTime", Node(leak(p(LG, "block/time")))),
        ("bcmBlockProposer", Node(leak(p(LG, "block/proposer")))),
        ("bcmBlockTxCount", Node(leak(p(LG, "block/tx-count")))),
        ("bcmBlockSize", Node(leak(p(LG, "block/size-bytes")))),
        ("bcmMemberId", Node(leak(p(LG, "member/id")))),
        ("bcmMemberName", Node(leak(p(LG, "member/name")))),
        ("bcmMemberAddress", Node(leak(p(LG, "member/address")))),
        ("bcmMemberRole", Node(leak(p(LG, "member/role")))),
        (
            "bcmMemberJoinedHeight",
            Node(leak(p(LG, "member/joined-height"))),
        ),
        ("bcmMemberJoinedTime", Node(leak(p(LG, "member/joined-at")))),
        (
            "bcmMemberStatus",
            Nothing("derived: a member that left has left-height, an active one has none"),
        ),
        (
            "bcmMemberLeftHeight",
            Node(leak(p(LG, "member/left-height"))),
        ),
        ("bcmMemberLeftTime", Node(leak(p(LG, "member/left-at")))),
        // bcmConsensus
        ("bcmConsensusAlgorithm", Node(leak(p(CS, "algorithm")))),
        ("bcmConsensusHeight", Node(leak(p(CS, "height")))),
        ("bcmConsensusRound", Node(leak(p(CS, "round")))),
        ("bcmConsensusLeader", Node(leak(p(CS, "leader")))),
        ("bcmConsensusViewChanges", Node(leak(p(CS, "view-changes")))),
        (
            "bcmConsensusLastBlockTime",
            Node(leak(p(CS, "last-block-at"))),
        ),
        ("bcmConsParamName", Node(leak(p(CS, "parameter/name")))),
        ("bcmConsParamValue", Node(leak(p(CS, "parameter/value")))),
        ("bcmConsParamUnit", Node(leak(p(CS, "parameter/unit")))),
        (
            "bcmConsParamSettable",
            Node(leak(p(CS, "parameter/settable"))),
        ),
        ("bcmValidatorId", Node(leak(p(CS, "validator/id")))),
        (
            "bcmValidatorAddress",
            Node(leak(p(CS, "validator/address"))),
        ),
        (
            "bcmValidatorVotingPower",
            Node(leak(p(CS, "validator/voting-power"))),
        ),
        ("bcmValidatorActive", Node(leak(p(CS, "validator/active")))),
        (
            "bcmValidatorProposedBlocks",
            Node(leak(p(CS, "validator/proposed-blocks"))),
        ),
        (
            "bcmValidatorMissedRounds",
            Node(leak(p(CS, "validator/missed-rounds"))),
        ),
        (
            "bcmConsistencyCheckedAt",
            Node(leak(p(CS, "consistency/checked-at"))),
        ),
        (
            "bcmConsistencyCommonHeight",
            Node(leak(p(CS, "consistency/common-height"))),
        ),
        (
            "bcmConsistencyDivergentHeight",
            Node(leak(p(CS, "consistency/first-divergent-height"))),
        ),
        (
            "bcmConsistencyMaxLag",
            Node(leak(p(CS, "consistency/max-lag"))),
        ),
        (
            "bcmConsistencyBranchCount",
            Node(leak(p(CS, "consistency/branch-count"))),
        ),
        (
            "bcmConsistencyVerdict",
            Node(leak(p(CS, "consistency/verdict"))),
        ),
        (
            "bcmConsistencySplitLength",
            Node(leak(p(CS, "consistency/split-length"))),
        ),
        (
            "bcmPendingVoteAddress",
            Node(leak(p(CS, "pending-vote/address"))),
        ),
        (
            "bcmPendingVoteAuthorize",
            Node(leak(p(CS, "pending-vote/authorize"))),
        ),
        (
            "bcmNodeHeadHeight",
            Node(leak(p(CS, "consistency/node/height"))),
        ),
        (
            "bcmNodeHeadHash",
            Node(leak(p(CS, "consistency/node/head-hash"))),
        ),
        (
            "bcmNodeHeadHashAtCommon",
            Node(leak(p(CS, "consistency/node/hash-at-common"))),
        ),
        ("bcmNodeHeadLag", Node(leak(p(CS, "consistency/node/lag")))),
        (
            "bcmNodeHeadBranch",
            Node(leak(p(CS, "consistency/node/branch"))),
        ),
        // bcmContracts
        ("bcmContractId", Node(leak(p(CT, "contract/id")))),
        ("bcmContractName", Node(leak(p(CT, "contract/name")))),
        ("bcmContractVersion", Node(leak(p(CT, "contract/version")))),
        (
            "bcmContractCodeHash",
            Node(leak(p(CT, "contract/code-hash"))),
        ),
        (
            "bcmContractDeployer",
            Node(leak(p(CT, "contract/deployer"))),
        ),
        (
            "bcmContractDeployedTime",
            Node(leak(p(CT, "contract/deployed-at"))),
        ),
        (
            "bcmContractDeployHeight",
            Node(leak(p(CT, "contract/deploy-height"))),
        ),
        ("bcmContractState", Node(leak(p(CT, "contract/state")))),
        ("bcmContractCalls", Node(leak(p(CT, "contract/calls")))),
        (
            "bcmContractFailedCalls",
            Node(leak(p(CT, "contract/failed-calls"))),
        ),
        (
            "bcmContractSignatoryCount",
            Nothing("derived: the number of signatory entries, count(signatory) in XPath"),
        ),
        ("bcmSignatoryIndex", Nothing(leak(format!("{no_index}id")))),
        ("bcmSignatoryId", Node(leak(p(CT, "contract/signatory/id")))),
        (
            "bcmSignatoryAddress",
            Node(leak(p(CT, "contract/signatory/address"))),
        ),
        (
            "bcmSignatoryTime",
            Node(leak(p(CT, "contract/signatory/signed-at"))),
        ),
        ("bcmExecutionTx", Node(leak(p(CT, "execution/tx")))),
        (
            "bcmExecutionContract",
            Node(leak(p(CT, "execution/contract"))),
        ),
        ("bcmExecutionHeight", Node(leak(p(CT, "execution/height")))),
        ("bcmExecutionCaller", Node(leak(p(CT, "execution/caller")))),
        ("bcmExecutionMethod", Node(leak(p(CT, "execution/method")))),
        ("bcmExecutionStatus", Node(leak(p(CT, "execution/status")))),
        ("bcmExecutionCost", Node(leak(p(CT, "execution/cost")))),
        ("bcmExecutionTime", Node(leak(p(CT, "execution/time")))),
        ("bcmExecutionError", Node(leak(p(CT, "execution/error")))),
        // bcmCrossChain
        ("bcmChannelName", Node(leak(p(CH, "id")))),
        ("bcmChannelLocalChain", Node(leak(p(CH, "local-chain")))),
        ("bcmChannelRemoteChain", Node(leak(p(CH, "remote-chain")))),
        (
            "bcmChannelRelayEndpoint",
            Node(leak(p(CH, "relay-endpoint"))),
        ),
        ("bcmChannelTimeout", Node(leak(p(CH, "timeout-ms")))),
        ("bcmChannelFee", Node(leak(p(CH, "fee")))),
        ("bcmChannelCapacity", Node(leak(p(CH, "capacity")))),
        ("bcmChannelState", Node(leak(p(CH, "state")))),
        ("bcmChannelPending", Node(leak(p(CH, "pending")))),
        ("bcmChannelCompleted", Node(leak(p(CH, "completed")))),
        ("bcmChannelTimedOut", Node(leak(p(CH, "timed-out")))),
        ("bcmChannelFailed", Node(leak(p(CH, "failed")))),
        (
            "bcmChannelOldestPendingSeq",
            Node(leak(p(CH, "oldest-pending-sequence"))),
        ),
        (
            "bcmChannelOldestPendingAge",
            Node(leak(p(CH, "oldest-pending-age-ms"))),
        ),
        ("bcmChannelClientExpiry", Node(leak(p(CH, "client-expiry")))),
        ("bcmChannelParamName", Node(leak(p(CH, "parameter/name")))),
        ("bcmChannelParamValue", Node(leak(p(CH, "parameter/value")))),
        ("bcmTransferId", Node(leak(p(CH, "transfer/id")))),
        (
            "bcmTransferDirection",
            Node(leak(p(CH, "transfer/direction"))),
        ),
        ("bcmTransferState", Node(leak(p(CH, "transfer/state")))),
        ("bcmTransferAmount", Node(leak(p(CH, "transfer/amount")))),
        ("bcmTransferStarted", Node(leak(p(CH, "transfer/started")))),
        (
            "bcmTransferFinished",
            Node(leak(p(CH, "transfer/finished"))),
        ),
        (
            "bcmTransferLatency",
            Node(leak(p(CH, "transfer/latency-ms"))),
        ),
        (
            "bcmTransferFailureReason",
            Node(leak(p(CH, "transfer/failure-reason"))),
        ),
        // bcmAgent
        (
            "bcmNotificationsSent",
            Nothing("the SNMP agent's count of notifications it sent; not part of the model"),
        ),
        ("bcmInformsAcknowledged", Nothing("as bcmNotificationsSent")),
        ("bcmInformsFailed", Nothing("as bcmNotificationsSent")),
        // Notifications
        ("bcmAlarmRaised", Node("/ietf-alarms:alarm-notification")),
        ("bcmAlarmChanged", Node("/ietf-alarms:alarm-notification")),
        ("bcmAlarmCleared", Node("/ietf-alarms:alarm-notification")),
        ("bcmMemberJoined", Node("/chain-agent-ledger:member-joined")),
        ("bcmMemberLeft", Node("/chain-agent-ledger:member-left")),
        (
            "bcmNodeStateChanged",
            Node("/chain-agent-nodes:node-state-changed"),
        ),
        (
            "bcmForkDetected",
            Node("/chain-agent-consensus:fork-detected"),
        ),
        (
            "bcmConsensusStalled",
            Node("/chain-agent-consensus:consensus-stalled"),
        ),
        (
            "bcmCrossChainTransferFailed",
            Node("/chain-agent-crosschain:cross-chain-transfer-failed"),
        ),
    ]
}

/// The table is built once per test run; its paths live as long.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Every MIB object the agent defines, with whether it is writable.
fn mib_objects() -> BTreeMap<&'static str, bool> {
    let mut out = BTreeMap::new();
    for t in tables() {
        for part in index_of(t).expect("every table has an INDEX") {
            out.insert(part.name, false);
        }
        for c in t.columns {
            out.insert(c.name, c.access == Access::ReadWrite);
        }
    }
    for s in scalars() {
        out.insert(s.name, s.access == Access::ReadWrite);
    }
    for n in notifications() {
        out.insert(n.name, false);
    }
    out
}

#[test]
fn every_mib_object_is_mapped_or_explained() {
    let objects = mib_objects();
    let map = mib_map();
    let mapped: BTreeSet<&str> = map.iter().map(|(name, _)| *name).collect();
    assert_eq!(map.len(), mapped.len(), "an object is listed twice");
    let defined: BTreeSet<&str> = objects.keys().copied().collect();
    assert_eq!(
        defined.difference(&mapped).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "MIB objects missing from the table"
    );
    assert_eq!(
        mapped.difference(&defined).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "table entries the MIB does not define"
    );
    let ctx = schema().context();
    let resolve = |name: &str, path: &str| {
        ctx.find_path(path)
            .unwrap_or_else(|e| panic!("{name}: {path} is not in the schema: {e}"))
    };
    let mut problems = Vec::new();
    for (name, to) in &map {
        let writable = objects[name];
        match to {
            Node(path) => {
                let node = resolve(name, path);
                if writable && !node.is_config() {
                    problems.push(format!("{name} is writable but {path} is state"));
                }
            }
            ReadWrite { read, write } => {
                resolve(name, read);
                let w = resolve(name, write);
                if !writable {
                    problems.push(format!("{name} is read-only but has a write path"));
                }
                if !(w.is_config() || w.kind() == SchemaNodeKind::Action) {
                    problems.push(format!(
                        "{name}: {write} is neither configuration nor an action"
                    ));
                }
            }
            Nothing(reason) => {
                if reason.is_empty() {
                    problems.push(format!("{name}: no reason given"));
                }
                if writable {
                    problems.push(format!("{name} is writable but has no YANG node"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// YANG subtrees no MIB object carries, and why.
const YANG_WITHOUT_MIB: &[(&str, &str)] = &[
    (
        "/ietf-alarms:alarms/control/alarm-shelving",
        "SNMP does not expose shelves: they are NETCONF configuration \
         (BLOCKCHAIN-MGMT-MIB has no shelf objects), and the MIB leaves shelved \
         alarms out of its tables, counts and traps, as the alarm list does",
    ),
    ("/ietf-alarms:alarms/shelved-alarms", "as alarm-shelving"),
    (
        "/ietf-alarms:alarms/summary/shelves-active",
        "as alarm-shelving",
    ),
];

#[test]
fn yang_without_mib_objects_is_explained_and_unmapped() {
    let ctx = schema().context();
    let map = mib_map();
    let mut problems = Vec::new();
    for (root, reason) in YANG_WITHOUT_MIB {
        if ctx.find_path(root).is_err() {
            problems.push(format!("{root} is not in the schema"));
        }
        if reason.is_empty() {
            problems.push(format!("{root}: no reason given"));
        }
        for (name, to) in &map {
            let paths: Vec<&str> = match to {
                Node(p) => vec![p],
                ReadWrite { read, write } => vec![read, write],
                Nothing(_) => vec![],
            };
            if paths.iter().any(|p| p.starts_with(root)) {
                problems.push(format!(
                    "{name} maps to {root}, listed as without MIB object"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

struct NoAgent;

impl AgentState for NoAgent {
    fn uptime_ticks(&self) -> u32 {
        0
    }
    fn standard(&self, _oid: &[u32]) -> Option<SnmpValue> {
        None
    }
}

/// Each table's YANG list, narrowed to the entries the snapshot has
/// (configured objects the snapshot lacks have no MIB row).
const TABLE_LISTS: &[(&str, Option<&str>)] = &[
    (
        "bcmChainEntry",
        Some("/chain-agent-nodes:chains/chain[node-count]"),
    ),
    (
        "bcmNodeEntry",
        Some("/chain-agent-nodes:chains/chain/nodes/node[oper-state]"),
    ),
    (
        "bcmLinkEntry",
        Some("/chain-agent-nodes:chains/chain/nodes/node/links/link"),
    ),
    ("bcmHostDiskEntry", Some("/chain-agent-nodes:host/disk")),
    ("bcmHostIfEntry", Some("/chain-agent-nodes:host/interface")),
    (
        "bcmNodePerfEntry",
        Some("/chain-agent-nodes:chains/chain/nodes/node/performance"),
    ),
    (
        "bcmAlarmTypeEntry",
        Some("/ietf-alarms:alarms/alarm-inventory/alarm-type"),
    ),
    (
        "bcmAlarmActiveEntry",
        Some("/ietf-alarms:alarms/alarm-list/alarm[is-cleared='false']"),
    ),
    // One row per raise; ietf-alarms has one entry per alarm identity.
    ("bcmAlarmHistoryEntry", None),
    (
        "bcmLogTypeEntry",
        Some("/chain-agent-logs:logs/type[record-count]"),
    ),
    (
        "bcmLogRecordEntry",
        Some("/chain-agent-logs:logs/recent/record"),
    ),
    (
        "bcmLedgerEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger"),
    ),
    (
        "bcmBlockEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger/block"),
    ),
    (
        "bcmMemberEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger/member"),
    ),
    (
        "bcmConsensusEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus[height]"),
    ),
    (
        "bcmConsParamEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/parameter[settable]"),
    ),
    (
        "bcmValidatorEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/validator"),
    ),
    (
        "bcmConsistencyEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/consistency"),
    ),
    (
        "bcmNodeHeadEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/consistency/node"),
    ),
    (
        "bcmPendingVoteEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/pending-vote"),
    ),
    (
        "bcmContractEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts/contract"),
    ),
    (
        "bcmSignatoryEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts/contract/signatory"),
    ),
    (
        "bcmExecutionEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts/execution"),
    ),
    (
        "bcmChannelEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel[state]"),
    ),
    (
        "bcmChannelParamEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel/parameter"),
    ),
    (
        "bcmTransferEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel/transfer"),
    ),
];

#[test]
fn every_mib_table_has_as_many_rows_as_its_yang_list() {
    let (config, snapshot) = full_snapshot();
    let tree = parse_json(schema(), &state_to_yang(&snapshot, &config), Content::State).unwrap();
    let ctx = Ctx {
        snapshot: &snapshot,
        config: &config,
        agent: &NoAgent,
    };
    let listed: BTreeSet<&str> = TABLE_LISTS.iter().map(|(t, _)| *t).collect();
    let defined: BTreeSet<&str> = tables().iter().map(|t| t.name).collect();
    assert_eq!(listed, defined, "every table, once");
    let mut differ = Vec::new();
    for table in tables() {
        let Some((_, Some(xpath))) = TABLE_LISTS.iter().find(|(t, _)| *t == table.name) else {
            continue;
        };
        let rows = (table.rows)(&ctx).len();
        let entries = tree.find_xpath(xpath).map(|s| s.count()).unwrap_or(0);
        assert!(rows > 0, "{}: the fixture has no rows", table.name);
        if rows != entries {
            differ.push(format!("{}: {rows} rows, {entries} at {xpath}", table.name));
        }
    }
    assert!(differ.is_empty(), "{differ:#?}");
}

#[test]
fn a_config_round_trip_keeps_every_field() {
    // The configuration's fields reach YANG if the exact inverse holds for
    // a configuration with every field away from its default.
    let c = full_config();
    assert_eq!(yang_to_config(&config_to_yang(&c)), Ok(c.clone()));
    let d = Config::default();
    let (cj, dj) = (
        serde_json::to_value(&c).unwrap(),
        serde_json::to_value(&d).unwrap(),
    );
    let mut same = Vec::new();
    same_as_default(&cj, &dj, "", &mut same);
    assert!(
        same.is_empty(),
        "fields of full_config left at their default: {same:#?}"
    );
}

/// Fields of `c` equal to the default's at the same place (maps' entries
/// compared against the first default entry there is).
fn same_as_default(c: &Value, d: &Value, path: &str, out: &mut Vec<String>) {
    match (c, d) {
        (Value::Object(cm), Value::Object(dm)) => {
            for (k, cv) in cm {
                if let Some(dv) = dm.get(k) {
                    same_as_default(cv, dv, &format!("{path}.{k}"), out);
                }
            }
        }
        (Value::Array(_), Value::Array(_)) => {
            if c == d {
                out.push(path.to_string());
            }
        }
        _ => {
            if c == d {
                out.push(path.to_string());
            }
        }
    }
}
