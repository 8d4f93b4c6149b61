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

mod smi;
mod yang_fixture;

use chain_agent::config::Config;
use chain_agent::config::ConfigPath;
use chain_agent::model::objects::{self, Access as MapAccess, Datum, Step, Target, Yang};
use chain_agent::model::snapshot::Snapshot;
use chain_agent::netconf::yang::*;
use chain_agent::snmp::mib::blockchain::{index_of, notifications, scalars, tables};
use chain_agent::snmp::mib::{AgentState, Ctx};
use chain_agent::snmp::value::Value as SnmpValue;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
        "performance.nodes[].certificate-endpoint",
        "the node's endpoints are its configuration; the one whose certificate expires first is named in the alarm's specific problem",
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

/// `rest` below `base`, each leading `..` a step up.
fn p(base: &str, rest: &str) -> String {
    let mut base = base;
    let mut rest = rest;
    while let Some(r) = rest.strip_prefix("../") {
        base = &base[..base.rfind('/').unwrap_or(0)];
        rest = r;
    }
    format!("{base}/{rest}")
}

/// Every BLOCKCHAIN-MGMT-MIB object the agent defines: index objects,
/// columns, scalars and notifications. Every table, and the scalar groups
/// of the object map (`chain_agent::model::objects`), come from it; the
/// other scalars and the notifications are listed here.
fn mib_map() -> Vec<(&'static str, To)> {
    let mut map = listed_map();
    map.extend(object_map());
    map
}

/// The objects of the object map's tables, where it says they are in YANG.
/// An INDEX object of another entry (the chain, the node) is mapped with
/// the table that owns it.
fn object_map() -> Vec<(&'static str, To)> {
    let mut out = Vec::new();
    for t in objects::tables() {
        for (part, leaf) in t.index() {
            if let Some(leaf) = leaf
                && part.oid.starts_with(t.oid())
            {
                out.push((part.name, Node(leak(p(t.yang(), leaf)))));
            }
        }
        for (part, why) in t.unkeyed() {
            // An entry declared in parts states it with each.
            if !out.iter().any(|(name, _)| *name == part.name) {
                out.push((part.name, Nothing(why)));
            }
        }
        for o in t.objects() {
            out.push((
                o.name,
                match o.yang {
                    Yang::Leaf(leaf) | Yang::Mandatory(leaf) => Node(leak(p(t.yang(), leaf))),
                    Yang::ReadWrite { read, write } => ReadWrite {
                        read: leak(p(t.yang(), read)),
                        write: leak(p(t.yang(), write)),
                    },
                    Yang::Nothing(reason) => Nothing(reason),
                },
            ));
        }
    }
    for g in objects::scalar_groups() {
        for o in g.objects() {
            out.push((o.name, yang_of(g.yang(), &o)));
        }
    }
    out
}

/// Where the map says an object is in YANG, below `base`.
fn yang_of(base: &str, o: &objects::Object) -> To {
    match o.yang {
        Yang::Leaf(leaf) | Yang::Mandatory(leaf) => Node(leak(p(base, leaf))),
        Yang::ReadWrite { read, write } => ReadWrite {
            read: leak(p(base, read)),
            write: leak(p(base, write)),
        },
        Yang::Nothing(reason) => Nothing(reason),
    }
}

/// The scalars and notifications the object map does not hold (every
/// table is the map's).
fn listed_map() -> Vec<(&'static str, To)> {
    vec![
        (
            "bcmAlarmActiveCount",
            Node("/ietf-alarms:alarms/summary/alarm-summary/not-cleared"),
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
        (
            "bcmNodeRestarted",
            Node("/chain-agent-nodes:node-restarted"),
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
            // A RowStatus creates and deletes the row: in YANG, the
            // list entry edit-config creates, not a leaf.
            out.insert(
                c.name,
                c.access.writable() && c.syntax != chain_agent::snmp::mib::Syntax::RowStatus,
            );
        }
    }
    for s in scalars() {
        out.insert(s.name, s.access.writable());
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

/// The tables whose YANG list has entries the MIB has no row for, and
/// the list narrowed to those it has (configured objects the snapshot
/// lacks, cleared alarms); every other table is counted at the node the
/// object map gives (a table in parts, at its first part's).
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
        "bcmConsensusEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus[height]"),
    ),
    (
        "bcmConsParamEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/parameter[settable]"),
    ),
    (
        "bcmChannelEntry",
        Some("/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel[state]"),
    ),
];

/// [`TABLE_LISTS`] and the object map's other tables, each at its YANG node.
fn table_lists() -> Vec<(&'static str, Option<&'static str>)> {
    let mut lists = TABLE_LISTS.to_vec();
    lists.extend(
        objects::tables()
            .iter()
            .map(|t| (t.entry(), Some(t.yang()))),
    );
    lists
}

#[test]
fn every_mib_table_has_as_many_rows_as_its_yang_list() {
    let (config, snapshot) = full_snapshot();
    let tree = parse_json(schema(), &state_to_yang(&snapshot, &config), Content::State).unwrap();
    let ctx = Ctx {
        snapshot: &snapshot,
        config: &config,
        agent: &NoAgent,
        creating: &[],
    };
    let lists = table_lists();
    let listed: BTreeSet<&str> = lists.iter().map(|(t, _)| *t).collect();
    let defined: BTreeSet<&str> = tables().iter().map(|t| t.name).collect();
    assert_eq!(listed, defined, "every table, once");
    let mut differ = Vec::new();
    for table in tables() {
        let Some((_, Some(xpath))) = lists.iter().find(|(t, _)| *t == table.name) else {
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

/// Standard MIB objects the agent serves that carry configuration also in
/// YANG, with the module that defines them: (module, object, YANG node).
const STANDARD_MAP: &[(&str, &str, &str)] = &[
    (
        "SNMPv2-MIB",
        "sysContact",
        "/chain-agent-system:system/contact",
    ),
    ("SNMPv2-MIB", "sysName", "/chain-agent-system:system/name"),
    (
        "SNMPv2-MIB",
        "sysLocation",
        "/chain-agent-system:system/location",
    ),
    (
        "SNMPv2-MIB",
        "snmpEnableAuthenTraps",
        "/chain-agent-system:snmp/enable-authen-traps",
    ),
];

/// The values a MIB object's syntax can carry, as libsmi resolves it.
#[derive(Debug, Clone)]
struct MibLimit {
    /// SIZE of an OCTET STRING (octets), or else the value range.
    octets: bool,
    min: i128,
    max: i128,
    /// DISPLAY-HINT `d-N`: the value is in units of 10^-N.
    scale: u32,
    /// The textual conventions on the way to the base type.
    conventions: Vec<String>,
}

/// The limit of a syntax: the most specific SIZE or range on its way to
/// the base type, or the base type's own (RFC 2578 §7.1). Enumerations,
/// counters, TimeTicks and OIDs carry no limit a YANG type could exceed.
fn mib_limit(t: &smi::TypeRef, defs: &HashMap<String, smi::Typedef>) -> Option<MibLimit> {
    let mut limit = MibLimit {
        octets: false,
        min: 0,
        max: 0,
        scale: 0,
        conventions: Vec::new(),
    };
    let mut ranges: Vec<(i64, i64)> = Vec::new();
    let mut format: Option<String> = None;
    let mut next = Some(t.clone());
    let mut base = String::new();
    while let Some(t) = next.take() {
        let def = match &t {
            smi::TypeRef::Inline(d) => d.clone(),
            smi::TypeRef::Named(name) => match defs.get(name) {
                Some(d) => {
                    limit.conventions.push(name.clone());
                    d.clone()
                }
                None => {
                    base = name.clone();
                    break;
                }
            },
        };
        if ranges.is_empty() {
            ranges = def.ranges.clone();
        }
        if format.is_none() {
            format = def.format.clone();
        }
        match def.parent {
            Some(p) => next = Some(smi::TypeRef::Named(p)),
            None => base = def.basetype.clone(),
        }
    }
    let (octets, implicit) = match base.as_str() {
        "OctetString" | "OCTET STRING" => (true, (0, 65535)),
        "Unsigned32" | "Gauge32" => (false, (0, u32::MAX as i128)),
        "Integer32" | "INTEGER" => (false, (i32::MIN as i128, i32::MAX as i128)),
        _ => return None,
    };
    limit.octets = octets;
    (limit.min, limit.max) = match ranges.is_empty() {
        true => implicit,
        false => (
            ranges.iter().map(|r| r.0 as i128).min().unwrap_or(0),
            ranges.iter().map(|r| r.1 as i128).max().unwrap_or(0),
        ),
    };
    // smidump prints an Unsigned32 bound above i64's half as it is.
    if !octets && limit.max < limit.min {
        limit.max = u32::MAX as i128;
    }
    limit.scale = format
        .as_deref()
        .and_then(|f| f.strip_prefix("d-"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Some(limit)
}

/// Whether libyang takes `value` for the leaf `node` (its type's length,
/// range, pattern and fraction digits; a leafref's target type).
fn yang_accepts(node: &yang5::schema::SchemaNode<'_>, value: &str) -> bool {
    use yang5::ffi;
    // SAFETY: a schema node of the live context, and a value buffer that
    // outlives the call; libyang only reads both and returns a status.
    let rc = unsafe {
        ffi::lyd_value_validate(
            node.as_raw(),
            value.as_ptr() as *const std::os::raw::c_char,
            value.len() as u32,
            std::ptr::null(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    rc == ffi::LY_ERR::LY_SUCCESS || rc == ffi::LY_ERR::LY_EINCOMPLETE
}

/// `v` units of 10^-`digits` as decimal text.
fn decimal(v: i128, digits: u32) -> String {
    let p = 10i128.pow(digits);
    let (sign, a) = if v < 0 { ("-", -v) } else { ("", v) };
    let frac = format!("{:0width$}", a % p, width = digits as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", a / p)
    } else {
        format!("{sign}{}.{frac}", a / p)
    }
}

/// How a YANG leaf compares with the MIB object it shares.
#[derive(Debug, PartialEq)]
enum Fit {
    /// Every value YANG accepts the MIB can carry.
    Within,
    /// YANG accepts this value, which the MIB cannot carry.
    Exceeds(String),
    /// YANG takes no value of the MIB's form (an enumeration, a
    /// date-and-time, ...): the mapping converts, and the values are
    /// compared by the mapping's own tests.
    OtherForm,
}

fn fit(node: &yang5::schema::SchemaNode<'_>, limit: &MibLimit) -> Fit {
    if limit.octets {
        // A text of the MIB's length in a character the YANG type takes.
        let inside = limit.min.clamp(1, limit.max.max(1)) as usize;
        let Some(c) = ['a', '1', 'A']
            .into_iter()
            .find(|c| yang_accepts(node, &c.to_string().repeat(inside)))
        else {
            return Fit::OtherForm;
        };
        let over = c.to_string().repeat(limit.max as usize + 1);
        if yang_accepts(node, &over) {
            return Fit::Exceeds(format!("{} octets", over.len()));
        }
        if limit.min > 1 && yang_accepts(node, &c.to_string().repeat(limit.min as usize - 1)) {
            return Fit::Exceeds(format!("{} octets", limit.min - 1));
        }
        return Fit::Within;
    }
    // Numbers, in the YANG leaf's units: the MIB's in 10^-scale, probed
    // just outside in steps down to 10^-(scale + 6).
    let digits = limit.scale + 6;
    let (lo, hi) = (limit.min * 10i128.pow(6), limit.max * 10i128.pow(6));
    if !(yang_accepts(node, &decimal(lo, digits))
        || yang_accepts(node, &decimal(hi, digits))
        || yang_accepts(node, &decimal((lo + hi) / 2, digits))
        || yang_accepts(node, "1"))
    {
        return Fit::OtherForm;
    }
    for step in (0..=digits).map(|k| 10i128.pow(k)) {
        for v in [hi + step, lo - step] {
            let text = decimal(v, digits);
            if yang_accepts(node, &text) {
                return Fit::Exceeds(text);
            }
        }
    }
    Fit::Within
}

/// What a DESCRIPTION (the object's, one of its conventions', or the
/// module's for plain numbers) says when the MIB carries a longer or
/// larger value of the model in its own way: state may exceed the MIB
/// where it does; configuration never may.
const CARRIED_BY_THE_MIB: &[&str] = &["not listed", "cut to", "limited to"];
const NUMBERS_CLAMPED: &str = "reported as 4294967295";

/// Syntaxes that carry the same information in another form, so that
/// no value of the model is lost in the conversion.
const CONVERTED: &[(&str, &str)] = &[(
    "DateAndTime",
    "every instant YANG can show has a DateAndTime (RFC 2579) form",
)];

/// Every leaf shared by YANG and the MIB (BLOCKCHAIN-MGMT-MIB through the
/// object map, the standard groups through [`STANDARD_MAP`]) takes no
/// value the MIB cannot carry, by the limits libsmi reads from the MIB
/// and libyang applies to the YANG type. Configuration is held to it
/// strictly: NETCONF must refuse what SNMP could not serve. State may
/// exceed the MIB only where the MIB says how the excess is carried.
#[test]
fn yang_types_carry_the_mib_limits() {
    let (mut defs, mut nodes) = smi::smidump(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/mibs/BLOCKCHAIN-MGMT-MIB"
    ));
    for module in ["SNMPv2-TC", "SNMPv2-MIB"] {
        let (d, n) = smi::smidump(module);
        defs.extend(d);
        nodes.extend(n);
    }
    let description: HashMap<&str, &str> = nodes
        .iter()
        .map(|n| (n.name.as_str(), n.description.as_str()))
        .collect();
    let syntax: HashMap<&str, &smi::TypeRef> = nodes
        .iter()
        .filter_map(|n| Some((n.name.as_str(), n.syntax.as_ref()?)))
        .collect();
    let mut shared: Vec<(String, &str)> = Vec::new();
    for (name, to) in mib_map() {
        match to {
            Node(p) => shared.push((name.to_string(), p)),
            ReadWrite { read, write } => {
                shared.push((name.to_string(), read));
                shared.push((name.to_string(), write));
            }
            Nothing(_) => {}
        }
    }
    for (module, name, path) in STANDARD_MAP {
        assert!(
            chain_agent::snmp::standard::scalars()
                .iter()
                .any(|s| s.name == *name),
            "{name} is not served"
        );
        shared.push((format!("{module}::{name}"), path));
    }
    let ctx = schema().context();
    let module_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/mibs/BLOCKCHAIN-MGMT-MIB"
    ))
    .unwrap()
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    let mut checked = 0;
    let mut problems = Vec::new();
    for (name, path) in &shared {
        let object = name.rsplit("::").next().unwrap();
        let node = ctx
            .find_path(path)
            .unwrap_or_else(|e| panic!("{name}: {path}: {e}"));
        if !matches!(node.kind(), SchemaNodeKind::Leaf | SchemaNodeKind::LeafList) {
            continue;
        }
        let t = syntax
            .get(object)
            .unwrap_or_else(|| panic!("libsmi does not define {name}"));
        let Some(limit) = mib_limit(t, &defs) else {
            continue;
        };
        if let Some((tc, why)) = CONVERTED
            .iter()
            .find(|(tc, _)| limit.conventions.iter().any(|c| c == tc))
        {
            assert!(!why.is_empty(), "{tc}");
            continue;
        }
        checked += 1;
        let Fit::Exceeds(value) = fit(&node, &limit) else {
            continue;
        };
        let mut said = vec![description[object]];
        said.extend(
            limit
                .conventions
                .iter()
                .map(|c| defs[c].description.as_str()),
        );
        let excused = !node.is_config()
            && (said
                .iter()
                .any(|d| CARRIED_BY_THE_MIB.iter().any(|p| d.contains(p)))
                || (!limit.octets
                    && limit.max == u32::MAX as i128
                    && module_text.contains(NUMBERS_CLAMPED)));
        if !excused {
            problems.push(format!(
                "{name} ({}..{}{}) and {path}: YANG accepts {value}",
                limit.min,
                limit.max,
                if limit.octets { " octets" } else { "" }
            ));
        }
    }
    assert!(checked > 50, "only {checked} leaves have a MIB limit");
    assert!(problems.is_empty(), "{problems:#?}");
    // snmpEngineID is SnmpEngineID, SIZE (5..32) (RFC 3411), written in
    // hex in YANG. tools/setup installs no SNMP-FRAMEWORK-MIB for libsmi
    // to read, so this one limit is the RFC's.
    let engine = ctx.find_path("/chain-agent-system:snmp/engine-id").unwrap();
    for (octets, fits) in [(4, false), (5, true), (32, true), (33, false)] {
        for text in ["ab".repeat(octets), format!("0x{}", "ab:".repeat(octets))] {
            assert_eq!(yang_accepts(&engine, &text), fits, "engine-id {text}");
        }
    }
}

/// The object map against the MIB file (as libsmi reads it) and the YANG
/// modules (as libyang reads them): each table is the MIB entry at its
/// OID with the INDEX in the map's order, each column the MIB object at
/// its column number with the map's access, and its YANG leaf where it
/// has one. The map's unit is the one the MIB's UNITS (in the MIB's
/// scale, where the map gives one) or the YANG leaf's `units` states;
/// where both state one, they agree. The SNMP
/// tables are built from the map, so they serve exactly these objects.
#[test]
fn the_object_map_agrees_with_the_mib_and_the_yang() {
    let (_, nodes) = smi::smidump(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/mibs/BLOCKCHAIN-MGMT-MIB"
    ));
    let by_name: HashMap<&str, &smi::Node> = nodes.iter().map(|n| (n.name.as_str(), n)).collect();
    let ctx = schema().context();
    let mut problems = Vec::new();
    assert!(!objects::tables().is_empty());
    for t in objects::tables() {
        let Some(entry) = by_name.get(t.entry()) else {
            problems.push(format!("{} is not in the MIB", t.entry()));
            continue;
        };
        if entry.oid != t.oid() {
            problems.push(format!("{}: OID {:?} in the MIB", t.entry(), entry.oid));
        }
        let index: Vec<&str> = t.index().iter().map(|(part, _)| part.name).collect();
        if entry.indexes != index {
            problems.push(format!(
                "{}: INDEX {:?} in the MIB",
                t.entry(),
                entry.indexes
            ));
        }
        if ctx.find_path(t.yang()).is_err() {
            problems.push(format!("{}: {} is not in the schema", t.entry(), t.yang()));
        }
        for (part, leaf) in t.index() {
            let oid = by_name.get(part.name).map(|n| n.oid.as_slice());
            if oid != Some(part.oid) {
                problems.push(format!("{}: OID {oid:?} in the MIB", part.name));
            }
            if let Some(leaf) = leaf
                && ctx.find_path(&p(t.yang(), leaf)).is_err()
            {
                problems.push(format!("{}: key {leaf} is not in the schema", part.name));
            }
        }
        let objects = t.objects();
        let columns: Vec<&str> = nodes
            .iter()
            .filter(|n| n.kind == "column" && n.oid.starts_with(t.oid()))
            .filter(|n| !index.contains(&n.name.as_str()))
            .map(|n| n.name.as_str())
            .collect();
        // An entry declared in parts (one per YANG list) has their columns.
        let declared: Vec<&str> = objects::tables()
            .iter()
            .filter(|part| part.entry() == t.entry())
            .flat_map(|part| part.objects())
            .map(|o| o.name)
            .collect();
        if columns != declared {
            problems.push(format!(
                "{}: MIB columns {columns:?}, map {declared:?}",
                t.entry()
            ));
        }
        for o in &objects {
            let mut oid = t.oid().to_vec();
            oid.push(o.column);
            check_object(&by_name, ctx, t.yang(), &oid, o, &mut problems);
        }
    }
    for g in objects::scalar_groups() {
        match by_name.get(g.group()) {
            Some(n) if n.oid == g.oid() => {}
            other => problems.push(format!(
                "{}: {:?} in the MIB",
                g.group(),
                other.map(|n| &n.oid)
            )),
        }
        if ctx.find_path(g.yang()).is_err() {
            problems.push(format!("{}: {} is not in the schema", g.group(), g.yang()));
        }
        let scalars: Vec<&str> = nodes
            .iter()
            .filter(|n| n.kind == "scalar" && n.oid.len() == g.oid().len() + 1)
            .filter(|n| n.oid.starts_with(g.oid()))
            .map(|n| n.name.as_str())
            .collect();
        let declared: Vec<&str> = g.objects().iter().map(|o| o.name).collect();
        if scalars != declared {
            problems.push(format!(
                "{}: MIB scalars {scalars:?}, map {declared:?}",
                g.group()
            ));
        }
        for o in g.objects() {
            let mut oid = g.oid().to_vec();
            oid.push(o.column);
            check_object(&by_name, ctx, g.yang(), &oid, &o, &mut problems);
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Each writable column of the object map: the configuration path its SET
/// edits, in YANG (`ConfigPath::yang_steps`, the configuration's one
/// table of how the file becomes the modules), is the configuration leaf
/// the map names for the column, and a key the row's own list has sits
/// at that list's key. NETCONF edits the same leaf through the
/// configuration datastore, so both front ends write one node.
#[test]
fn set_targets_are_the_yang_write_leaves() {
    let ctx = schema().context();
    let mut problems = Vec::new();
    let mut checked = 0;
    let tables = objects::tables()
        .iter()
        .map(|t| (t.yang(), t.index(), t.objects()));
    let scalars = objects::scalar_groups()
        .iter()
        .map(|g| (g.yang(), Vec::new(), g.objects()));
    for (yang, index, objects) in tables.chain(scalars) {
        for o in objects {
            let Some(w) = o.write else { continue };
            let path = match w.target {
                Target::Config { path, .. } => path,
                // The row's list entry itself: the configuration list
                // edit-config creates entries of.
                Target::Row { entry, .. } => {
                    let mut config = ConfigPath::root();
                    for step in entry {
                        match *step {
                            Step::Name(n) => config.push(n),
                            Step::Key(i) => config.push(&format!("key-{i}")),
                            Step::EnumKey(..) => panic!("{}: an enumeration key", o.name),
                        }
                    }
                    let list: String = config
                        .yang_steps()
                        .iter()
                        .map(|s| match s.module {
                            Some(m) => format!("/{m}:{}", s.name),
                            None => format!("/{}", s.name),
                        })
                        .collect();
                    if list != yang {
                        problems.push(format!("{}: creates {list}, its table is {yang}", o.name));
                    }
                    match ctx.find_path(&list) {
                        Ok(node) if node.is_config() => {}
                        _ => problems.push(format!("{}: {list} is no configuration list", o.name)),
                    }
                    checked += 1;
                    continue;
                }
                Target::AckAlarm { .. } => {
                    // An operation, written through the YANG action.
                    let write = match o.yang {
                        Yang::ReadWrite { write, .. } => p(yang, write),
                        _ => String::new(),
                    };
                    match ctx.find_path(&write) {
                        Ok(node) if node.kind() == SchemaNodeKind::Action => {}
                        _ => problems.push(format!("{}: {write:?} is not an action", o.name)),
                    }
                    checked += 1;
                    continue;
                }
            };
            let mut config = ConfigPath::root();
            let mut key_text = Vec::new();
            for step in path {
                let text = match *step {
                    Step::Name(n) => n.to_string(),
                    Step::Key(i) => format!("key-{i}"),
                    Step::EnumKey(i, named) => match named(1) {
                        Some(Datum::Enum(_, name)) => {
                            key_text.push((name.to_string(), i));
                            name.to_string()
                        }
                        other => panic!("{}: enumeration key {other:?}", o.name),
                    },
                };
                if let Step::Key(i) = step {
                    key_text.push((text.clone(), *i));
                }
                config.push(&text);
            }
            let steps = config.yang_steps();
            let schema_path: String = steps
                .iter()
                .map(|s| match s.module {
                    Some(m) => format!("/{m}:{}", s.name),
                    None => format!("/{}", s.name),
                })
                .collect();
            let leaf = match o.yang {
                Yang::Leaf(l) | Yang::Mandatory(l) | Yang::ReadWrite { write: l, .. } => l,
                Yang::Nothing(_) => {
                    problems.push(format!("{} is writable with no YANG leaf", o.name));
                    continue;
                }
            };
            let named = p(yang, leaf);
            if schema_path != named {
                problems.push(format!(
                    "{}: the SET edits {schema_path}, the map names {named}",
                    o.name
                ));
            }
            match ctx.find_path(&schema_path) {
                Ok(node) if node.is_config() => {}
                Ok(_) => problems.push(format!("{}: {schema_path} is state", o.name)),
                Err(e) => problems.push(format!("{}: {schema_path}: {e}", o.name)),
            }
            for s in &steps {
                let Some((key_leaf, value)) = &s.key else {
                    continue;
                };
                let Some(&(_, i)) = key_text.iter().find(|(text, _)| text == value) else {
                    problems.push(format!("{}: {} is keyed by no INDEX value", o.name, s.name));
                    continue;
                };
                if let Some((_, Some(own))) = index.get(i)
                    && own != key_leaf
                {
                    problems.push(format!(
                        "{}: INDEX value {i} is the key {key_leaf} of {}, the map says {own}",
                        o.name, s.name
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no writable column");
    assert!(problems.is_empty(), "{problems:#?}");
}

/// One object of the map against the MIB (its OID, access and UNITS) and
/// its YANG leaf below `base` (present, in the map's unit).
fn check_object(
    by_name: &HashMap<&str, &smi::Node>,
    ctx: &yang5::context::Context,
    base: &str,
    oid: &[u32],
    o: &objects::Object,
    problems: &mut Vec<String>,
) {
    let Some(n) = by_name.get(o.name) else {
        problems.push(format!("{} is not in the MIB", o.name));
        return;
    };
    if n.oid != oid {
        problems.push(format!("{}: OID {:?} in the MIB", o.name, n.oid));
    }
    let access = match o.access {
        MapAccess::ReadOnly => "readonly",
        MapAccess::ReadWrite => "readwrite",
        // libsmi reports read-create as readwrite.
        MapAccess::ReadCreate => "readwrite",
    };
    if n.access.as_deref() != Some(access) {
        problems.push(format!("{}: access {:?} in the MIB", o.name, n.access));
    }
    let mut stated = n.units.is_some();
    if n.units.is_some() && n.units.as_deref() != o.mib_unit() {
        problems.push(format!(
            "{}: UNITS {:?} in the MIB, {:?} in the map",
            o.name,
            n.units,
            o.mib_unit()
        ));
    }
    if let Yang::Leaf(leaf) | Yang::Mandatory(leaf) | Yang::ReadWrite { read: leaf, .. } = o.yang {
        let path = p(base, leaf);
        match ctx.find_path(&path) {
            Err(e) => problems.push(format!("{}: {path}: {e}", o.name)),
            Ok(node) => {
                if let Some(units) = node.units() {
                    stated = true;
                    if Some(units) != o.unit {
                        problems.push(format!(
                            "{}: {path} is in {units}, the map says {:?}",
                            o.name, o.unit
                        ));
                    }
                }
            }
        }
    }
    if !stated && o.unit.is_some() {
        problems.push(format!(
            "{}: the map's unit is stated by neither the MIB nor YANG",
            o.name
        ));
    }
}
