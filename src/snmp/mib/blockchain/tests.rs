//! Checks of the BLOCKCHAIN-MGMT-MIB definitions against the fixture
//! snapshot: OID layout, row indexes, cell syntax and values, SETs and
//! their errors, notifications.

use super::fixture::{self, T};
use super::*;
use crate::config::{Config, validate};
use crate::core::datastore::{Edit, apply_edits};
use crate::core::events::Event;
use crate::model::node::{AdminState, OperState};
use crate::snmp::mib::convert::{date_and_time, octets_index};
use crate::snmp::mib::{ROOT, SetAction, SetError, instance};
use crate::snmp::oid::Oid;
use serde_json::json;

/// Length-prefixed text sub-identifiers of each part, concatenated.
fn idx(parts: &[&str]) -> Vec<u32> {
    parts
        .iter()
        .flat_map(|p| octets_index(p.as_bytes()))
        .collect()
}

fn get(ctx: &Ctx, table: &TableDef, index: &[u32], col: u32) -> Option<Value> {
    let rows = (table.rows)(ctx);
    let row = rows.iter().find(|r| r.index == index)?;
    (table.get)(ctx, row, col)
}

fn set(
    ctx: &Ctx,
    table: &TableDef,
    index: &[u32],
    col: u32,
    v: Value,
) -> Result<SetAction, SetError> {
    let set = table.set.expect("a writable table");
    set(ctx, index, col, &v)
}

fn text(s: &str) -> Value {
    Value::string(s)
}

fn date(ms: u64) -> Value {
    Value::OctetString(date_and_time(ms))
}

fn edit_set(path: &str, value: serde_json::Value) -> SetAction {
    SetAction::Config(vec![Edit::Set {
        path: path.parse().unwrap(),
        value,
    }])
}

/// The configuration after a SET's edits, which must be valid.
fn applied(config: &Config, action: SetAction) -> Config {
    let SetAction::Config(edits) = action else {
        panic!("not a configuration edit: {action:?}");
    };
    let c = apply_edits(config, &edits).expect("edits apply");
    let issues = validate(&c);
    assert!(issues.is_empty(), "{issues:?}");
    c
}

fn all_definitions() -> Vec<(&'static str, &'static [u32])> {
    let mut defs: Vec<(&str, &[u32])> = Vec::new();
    defs.extend(tables().iter().map(|t| (t.name, t.entry)));
    defs.extend(scalars().iter().map(|s| (s.name, s.oid)));
    defs.extend(notifications().iter().map(|n| (n.name, n.oid)));
    defs
}

#[test]
fn every_definition_is_under_root() {
    for (name, oid) in all_definitions() {
        assert!(oid.starts_with(ROOT), "{name} {oid:?}");
        assert!(oid.len() > ROOT.len() + 1, "{name}");
    }
    for t in tables() {
        for part in index_of(t).expect("every table has an index") {
            assert!(part.oid.starts_with(ROOT), "{}", part.name);
        }
    }
    for n in notifications() {
        assert_eq!(&n.oid[..ROOT.len() + 1], Oid::new(ROOT).join(&[0]).arcs());
    }
}

#[test]
fn definitions_are_ordered_and_never_overlap() {
    for t in tables() {
        assert!(!t.columns.is_empty(), "{}", t.name);
        assert!(
            t.columns.windows(2).all(|w| w[0].id < w[1].id),
            "{} columns not ascending",
            t.name
        );
        assert!(t.name.ends_with("Entry"), "{}", t.name);
        assert_eq!(t.entry.last(), Some(&1), "{} is not Table.1", t.name);
    }
    assert!(tables().windows(2).all(|w| w[0].entry < w[1].entry));
    assert!(scalars().windows(2).all(|w| w[0].oid < w[1].oid));
    assert!(notifications().windows(2).all(|w| w[0].oid < w[1].oid));
    let defs = all_definitions();
    for (i, (a, x)) in defs.iter().enumerate() {
        for (b, y) in &defs[i + 1..] {
            assert!(
                !x.starts_with(y) && !y.starts_with(x),
                "{a} and {b} overlap"
            );
        }
    }
    let mut names: Vec<&str> = defs.iter().map(|d| d.0).collect();
    names.extend(
        tables()
            .iter()
            .flat_map(|t| t.columns.iter().map(|c| c.name)),
    );
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "duplicate descriptor");
}

#[test]
fn writability_matches_access() {
    for t in tables() {
        let writable = t.columns.iter().any(|c| c.access.writable());
        assert_eq!(writable, t.set.is_some(), "{}", t.name);
    }
    for s in scalars() {
        assert_eq!(s.access.writable(), s.set.is_some(), "{}", s.name);
    }
}

#[test]
fn index_objects_are_not_accessible_columns_of_an_entry() {
    for t in tables() {
        for part in index_of(t).unwrap() {
            let (col, entry) = part.oid.split_last().unwrap();
            let owner = tables()
                .iter()
                .find(|o| o.entry == entry)
                .unwrap_or_else(|| panic!("{} is not under an entry", part.name));
            assert!(
                owner
                    .columns
                    .iter()
                    .all(|c| c.id != *col && c.name != part.name),
                "{} is an accessible column",
                part.name
            );
        }
    }
    assert!(
        index_of(&TableDef {
            entry: &[1, 2],
            ..chains::CHAIN_TABLE
        })
        .is_none()
    );
}

#[test]
fn every_table_has_rows_whose_cells_have_the_declared_syntax() {
    let (snapshot, config) = (fixture::snapshot(), Config::default());
    let ctx = fixture::ctx(&snapshot, &config);
    for t in tables() {
        let rows = (t.rows)(&ctx);
        assert!(!rows.is_empty(), "{} has no rows in the fixture", t.name);
        let parts = index_of(t).unwrap();
        let mut indexes: Vec<&Vec<u32>> = rows.iter().map(|r| &r.index).collect();
        indexes.sort();
        indexes.dedup();
        assert_eq!(indexes.len(), rows.len(), "{} duplicate index", t.name);
        for row in &rows {
            assert!(
                index::decode(parts, &row.index).is_some(),
                "{} index {:?} does not decode",
                t.name,
                row.index
            );
            let mut present = 0;
            for c in t.columns {
                if let Some(v) = (t.get)(&ctx, row, c.id) {
                    present += 1;
                    assert!(c.syntax.accepts(&v), "{} = {v:?}", c.name);
                    if let Value::OctetString(b) = &v {
                        assert!(b.len() <= 255, "{}", c.name);
                    }
                }
            }
            assert!(present > 0, "{} row {:?} is empty", t.name, row.index);
            assert_eq!((t.get)(&ctx, row, 0), None);
            assert_eq!((t.get)(&ctx, row, 99), None);
        }
    }
    for s in scalars() {
        let v = (s.get)(&ctx).unwrap_or_else(|| panic!("{} absent", s.name));
        assert!(s.syntax.accepts(&v), "{} = {v:?}", s.name);
    }
}

#[test]
fn rows_have_the_expected_indexes() {
    let (snapshot, config) = (fixture::snapshot(), Config::default());
    let ctx = fixture::ctx(&snapshot, &config);
    let expected: Vec<(&TableDef, Vec<Vec<u32>>)> = vec![
        (&chains::CHAIN_TABLE, vec![idx(&["sim"])]),
        (
            &nodes::NODE_TABLE,
            vec![idx(&["sim", "node-1"]), idx(&["sim", "node-2"])],
        ),
        (&nodes::LINK_TABLE, vec![idx(&["sim", "node-1", "node-2"])]),
        (&host::HOST_DISK_TABLE, vec![vec![1], vec![2]]),
        (&host::HOST_IF_TABLE, vec![vec![1], vec![2]]),
        (
            &performance::NODE_PERF_TABLE,
            vec![idx(&["sim", "node-1"]), idx(&["sim", "node-2"])],
        ),
        // One row per alarm type, by its BcmAlarmKind number.
        (
            &faults::ALARM_TYPE_TABLE,
            crate::model::alarm::AlarmType::ALL
                .into_iter()
                .map(|t| vec![crate::model::objects::enums::alarm_type_number(t) as u32])
                .collect(),
        ),
        // Alarm 1<<40 cannot be indexed.
        (&faults::ALARM_ACTIVE_TABLE, vec![vec![7]]),
        // Alarm 7 of the history is still active.
        (&faults::ALARM_HISTORY_TABLE, vec![vec![5]]),
        (&logs::LOG_TYPE_TABLE, (1..=6).map(|n| vec![n]).collect()),
        (&logs::LOG_RECORD_TABLE, vec![vec![1], vec![2]]),
        (&ledger::LEDGER_TABLE, vec![idx(&["sim"])]),
        // The block above 2^32-1 cannot be indexed.
        (
            &ledger::BLOCK_TABLE,
            vec![
                [idx(&["sim"]), vec![9]].concat(),
                [idx(&["sim"]), vec![10]].concat(),
            ],
        ),
        (
            &ledger::MEMBER_TABLE,
            vec![idx(&["sim", "org-1"]), idx(&["sim", "org-5"])],
        ),
        (&consensus::CONSENSUS_TABLE, vec![idx(&["sim"])]),
        (
            &consensus::CONS_PARAM_TABLE,
            vec![
                idx(&["sim", "block-interval-ms"]),
                idx(&["sim", "max-block-transactions"]),
                idx(&["sim", "epoch"]),
                idx(&["sim", "mode"]),
            ],
        ),
        (&consensus::VALIDATOR_TABLE, vec![idx(&["sim", "node-1"])]),
        (&consensus::CONSISTENCY_TABLE, vec![idx(&["sim"])]),
        (
            &consensus::NODE_HEAD_TABLE,
            vec![idx(&["sim", "node-1"]), idx(&["sim", "node-2"])],
        ),
        (
            &consensus::PENDING_VOTE_TABLE,
            vec![idx(&["sim", "0x00000000000000000000000000000000000000c3"])],
        ),
        (&contracts::CONTRACT_TABLE, vec![idx(&["sim", "0xc0ffee"])]),
        (
            &contracts::SIGNATORY_TABLE,
            vec![
                [idx(&["sim", "0xc0ffee"]), vec![1]].concat(),
                [idx(&["sim", "0xc0ffee"]), vec![2]].concat(),
            ],
        ),
        (
            &contracts::EXECUTION_TABLE,
            vec![
                [idx(&["sim"]), vec![2, 0xa1, 0xb2]].concat(),
                idx(&["sim", "tx-2"]),
            ],
        ),
        (
            &crosschain::CHANNEL_TABLE,
            vec![idx(&["sim", "channel-0"]), idx(&["sim", "channel-old"])],
        ),
        (
            &crosschain::TRANSFER_TABLE,
            vec![
                idx(&["sim", "channel-0", "channel-0-1"]),
                idx(&["sim", "channel-0", "channel-0-2"]),
            ],
        ),
        (
            &crosschain::CHANNEL_PARAM_TABLE,
            vec![idx(&["sim", "channel-0", "trusting-period"])],
        ),
        (
            &apply::CONFIG_APPLY_TABLE,
            vec![
                idx(&["sim", "nodes/node-1/log-spec"]),
                idx(&["sim", "validator-votes/0xaa"]),
            ],
        ),
    ];
    assert_eq!(expected.len(), tables().len());
    for (table, indexes) in expected {
        let rows: Vec<Vec<u32>> = (table.rows)(&ctx).into_iter().map(|r| r.index).collect();
        assert_eq!(rows, indexes, "{}", table.name);
    }
}

#[test]
fn inventory_and_performance_cells_convert_the_model() {
    let (snapshot, config) = (fixture::snapshot(), Config::default());
    let ctx = fixture::ctx(&snapshot, &config);
    let n1 = idx(&["sim", "node-1"]);
    let n2 = idx(&["sim", "node-2"]);
    let node = |i: &[u32], c| get(&ctx, &nodes::NODE_TABLE, i, c);
    assert_eq!(
        get(&ctx, &chains::CHAIN_TABLE, &idx(&["sim"]), 3),
        Some(Value::Integer(1))
    );
    assert_eq!(
        get(&ctx, &chains::CHAIN_TABLE, &idx(&["sim"]), 7),
        Some(Value::Gauge32(2))
    );
    assert_eq!(node(&n1, 3), Some(Value::Integer(1)));
    assert_eq!(node(&n1, 12), Some(Value::Gauge32(8 << 20)));
    assert_eq!(node(&n1, 13), Some(Value::Gauge32(512_000)));
    assert_eq!(
        node(&n1, 14),
        Some(Value::Integer(1)),
        "admin state defaults to up"
    );
    assert_eq!(node(&n2, 15), Some(Value::Integer(3)));
    assert_eq!(node(&n2, 16), Some(date(T)));
    let link = idx(&["sim", "node-1", "node-2"]);
    assert_eq!(
        get(&ctx, &nodes::LINK_TABLE, &link, 5),
        Some(Value::Gauge32(12_346))
    );
    assert_eq!(
        get(&ctx, &nodes::LINK_TABLE, &link, 6),
        Some(Value::Counter64(1 << 40))
    );

    let disk = |i, c| get(&ctx, &host::HOST_DISK_TABLE, &[i], c);
    assert_eq!(disk(1, 6), Some(Value::Gauge32(10_240)));
    assert_eq!(disk(1, 7), Some(Value::Gauge32(2513)));
    assert_eq!(disk(2, 5), Some(Value::Gauge32(102_400)));
    assert_eq!(disk(2, 6), None, "/data is not sampled");
    assert_eq!(disk(2, 7), None);
    let iface = |i, c| get(&ctx, &host::HOST_IF_TABLE, &[i], c);
    assert_eq!(iface(1, 3), Some(Value::OctetString(vec![0; 6])));
    assert_eq!(iface(1, 5), None, "lo has no speed");
    assert_eq!(iface(1, 6), None, "lo is not sampled");
    assert_eq!(
        iface(2, 3),
        Some(Value::OctetString(vec![0x52, 0x54, 0, 0x12, 0x34, 0x56]))
    );
    assert_eq!(iface(2, 5), Some(Value::Gauge32(1000)));
    assert_eq!(iface(2, 6), Some(Value::Integer(1)));
    assert_eq!(iface(2, 7), Some(Value::Counter64(1000)));
    assert_eq!(iface(2, 14), Some(Value::Counter64(4)));

    let perf = |i: &[u32], c| get(&ctx, &performance::NODE_PERF_TABLE, i, c);
    assert_eq!(perf(&n1, 2), Some(Value::Gauge32(1235)));
    assert_eq!(perf(&n1, 4), Some(Value::Gauge32(3 << 20)));
    assert_eq!(perf(&n1, 5), Some(Value::Gauge32(50)));
    assert_eq!(perf(&n1, 6), Some(Value::Gauge32(2500)));
    assert_eq!(perf(&n1, 7), Some(Value::Gauge32(2501)));
    assert_eq!(
        perf(&n1, 9),
        Some(Value::Gauge32(u32::MAX)),
        "height saturates"
    );
    assert_eq!(perf(&n1, 12), Some(Value::Gauge32(1000)));
    assert_eq!(perf(&n1, 13), Some(Value::Gauge32(457)));
    assert_eq!(perf(&n2, 2), None, "not reported");
    assert_eq!(perf(&n2, 11), None);
    assert_eq!(perf(&n2, 10), Some(Value::Gauge32(12)));
    assert_eq!(perf(&n2, 14), Some(Value::Gauge32(9000)));
    assert_eq!(perf(&n2, 16), Some(Value::Gauge32(5)));
    // A local node process's columns; absent for a node without one.
    assert_eq!(perf(&n1, 17), Some(Value::Gauge32(4242)));
    assert_eq!(perf(&n1, 18), Some(date(T - 3_600_000)));
    assert_eq!(perf(&n1, 19), Some(Value::Counter64(2)));
    assert_eq!(
        perf(&n1, 20),
        Some(Value::Gauge32(15013)),
        "not held to 100 %"
    );
    assert_eq!(perf(&n1, 21), Some(Value::Gauge32(17)));
    assert_eq!(perf(&n1, 22), Some(Value::Gauge32(230)));
    assert_eq!(perf(&n1, 23), Some(Value::Counter64(7 << 30)));
    assert_eq!(perf(&n1, 24), Some(Value::Counter64(9 << 30)));
    assert_eq!(perf(&n1, 25), Some(Value::Gauge32(40 << 10)));
    assert_eq!(perf(&n1, 26), Some(Value::Gauge32(100 << 10)));
    for c in 17..=26 {
        assert_eq!(perf(&n2, c), None, "column {c} of a node without a process");
    }

    assert_eq!(
        (host::HOST_BOOT_TIME.get)(&ctx),
        Some(date(T / 1000 * 1000))
    );
    assert_eq!(
        (host::HOST_MEMORY_KBYTES.get)(&ctx),
        Some(Value::Gauge32(4 << 20))
    );
    assert_eq!(
        (performance::HOST_LOAD15.get)(&ctx),
        Some(Value::Gauge32(1235))
    );
    assert_eq!(
        (performance::HOST_UPTIME.get)(&ctx),
        Some(Value::Gauge32(3600))
    );
    assert_eq!(
        (performance::THRESH_LINK_LATENCY.get)(&ctx),
        Some(Value::Gauge32(500))
    );
    assert_eq!(
        (performance::THRESH_XCHAIN_TIMEOUT_PERCENT.get)(&ctx),
        Some(Value::Gauge32(5000))
    );
    // The hysteresis defaults: 10.00 points, 3 blocks, 100 ms, 10 s.
    assert_eq!(
        (performance::THRESH_CPU_HYSTERESIS.get)(&ctx),
        Some(Value::Gauge32(1000))
    );
    assert_eq!(
        (performance::THRESH_SYNC_LAG_HYSTERESIS.get)(&ctx),
        Some(Value::Gauge32(3))
    );
    assert_eq!(
        (performance::THRESH_LINK_LATENCY_HYSTERESIS.get)(&ctx),
        Some(Value::Gauge32(100))
    );
    assert_eq!(
        (performance::THRESH_HOLD_OFF.get)(&ctx),
        Some(Value::Gauge32(10))
    );
    assert_eq!(
        (faults::ALARM_ACTIVE_COUNT.get)(&ctx),
        Some(Value::Gauge32(2))
    );
}

#[test]
fn unknown_hardware_link_figures_and_round_are_absent_not_zero() {
    let mut snapshot = fixture::snapshot();
    for n in &mut snapshot.nodes.nodes {
        n.hardware.cpu_cores = None;
        n.hardware.memory_bytes = None;
        n.hardware.disk_bytes = None;
    }
    for l in &mut snapshot.nodes.links {
        l.latency_ms = None;
        l.bytes_in = None;
        l.bytes_out = None;
    }
    for k in &mut snapshot.consensus.chains {
        k.round = None;
    }
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let n1 = idx(&["sim", "node-1"]);
    for c in [11, 12, 13] {
        assert_eq!(
            get(&ctx, &nodes::NODE_TABLE, &n1, c),
            None,
            "node column {c}"
        );
    }
    assert!(get(&ctx, &nodes::NODE_TABLE, &n1, 3).is_some());
    let link = idx(&["sim", "node-1", "node-2"]);
    for c in [5, 6, 7] {
        assert_eq!(
            get(&ctx, &nodes::LINK_TABLE, &link, c),
            None,
            "link column {c}"
        );
    }
    assert!(get(&ctx, &nodes::LINK_TABLE, &link, 8).is_some());
    let sim = idx(&["sim"]);
    assert_eq!(get(&ctx, &consensus::CONSENSUS_TABLE, &sim, 3), None);
    assert!(get(&ctx, &consensus::CONSENSUS_TABLE, &sim, 2).is_some());
}

#[test]
fn host_objects_are_absent_without_a_host_sample() {
    let mut snapshot = fixture::snapshot();
    snapshot.nodes.host = None;
    snapshot.performance.host = None;
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    for s in scalars() {
        let is_host = s
            .oid
            .starts_with(host::HOST_NAME.oid.split_last().unwrap().1)
            || s.oid
                .starts_with(performance::HOST_CPU_PERCENT.oid.split_last().unwrap().1);
        assert_eq!((s.get)(&ctx).is_none(), is_host, "{}", s.name);
    }
    assert!((host::HOST_DISK_TABLE.rows)(&ctx).is_empty());
    assert!((host::HOST_IF_TABLE.rows)(&ctx).is_empty());
}

#[test]
fn service_cells_convert_the_model() {
    let (snapshot, config) = (fixture::snapshot(), Config::default());
    let ctx = fixture::ctx(&snapshot, &config);
    let active = |c| get(&ctx, &faults::ALARM_ACTIVE_TABLE, &[7], c);
    assert_eq!(active(4), Some(Value::Integer(4)), "syncLag");
    assert_eq!(active(6), Some(Value::Integer(532)));
    assert_eq!(active(7), Some(Value::Integer(4)), "major");
    assert_eq!(active(11), Some(date(T)));
    assert_eq!(active(13), Some(Value::Integer(2)));
    assert_eq!(active(14), Some(text("snmp:admin")));
    assert_eq!(active(15), Some(date(T + 2000)));
    let hist = |c| get(&ctx, &faults::ALARM_HISTORY_TABLE, &[5], c);
    assert_eq!(hist(4), Some(Value::Integer(2)), "linkDown");
    assert_eq!(hist(7), Some(Value::Integer(1)), "cleared");
    assert_eq!(hist(11), Some(date(T + 5000)));
    assert_eq!(hist(12), Some(Value::Integer(1)));
    let kind = |k, c| get(&ctx, &faults::ALARM_TYPE_TABLE, &[k], c);
    assert_eq!(kind(4, 2), Some(Value::Integer(3)), "qualityOfServiceAlarm");
    assert_eq!(kind(9, 3), Some(Value::Integer(164)), "timeoutExpired");

    let log = |k, c| get(&ctx, &logs::LOG_TYPE_TABLE, &[k], c);
    assert_eq!(log(2, 2), Some(Value::Integer(4)), "the snapshot's debug");
    assert_eq!(log(2, 3), Some(Value::Gauge32(500)));
    assert_eq!(log(2, 5), Some(date(T)));
    assert_eq!(log(1, 5), None, "no record kept");
    assert_eq!(
        log(3, 2),
        Some(Value::Integer(3)),
        "configuration default info"
    );
    assert_eq!(log(3, 4), None, "no figures for contract");
    let message = get(&ctx, &logs::LOG_RECORD_TABLE, &[2], 6).unwrap();
    assert_eq!(message, Value::OctetString("é".repeat(127).into_bytes()));

    let sim = idx(&["sim"]);
    assert_eq!(
        get(&ctx, &ledger::LEDGER_TABLE, &sim, 5),
        Some(Value::Gauge32(1000))
    );
    assert_eq!(get(&ctx, &ledger::LEDGER_TABLE, &sim, 6), None);
    let left = idx(&["sim", "org-5"]);
    assert_eq!(
        get(&ctx, &ledger::MEMBER_TABLE, &left, 7),
        Some(Value::Integer(2))
    );
    assert_eq!(
        get(&ctx, &ledger::MEMBER_TABLE, &left, 8),
        Some(Value::Gauge32(8))
    );
    let founder = idx(&["sim", "org-1"]);
    assert_eq!(
        get(&ctx, &ledger::MEMBER_TABLE, &founder, 7),
        Some(Value::Integer(1))
    );
    assert_eq!(get(&ctx, &ledger::MEMBER_TABLE, &founder, 9), None);

    let param = |name, c| get(&ctx, &consensus::CONS_PARAM_TABLE, &idx(&["sim", name]), c);
    assert_eq!(param("block-interval-ms", 2), Some(Value::Gauge32(1000)));
    assert_eq!(
        param("epoch", 2),
        Some(Value::Gauge32(30_000)),
        "parsed from the snapshot"
    );
    assert_eq!(param("epoch", 4), Some(Value::Integer(2)));
    assert_eq!(param("mode", 2), None, "not a number");
    let validator = idx(&["sim", "node-1"]);
    assert_eq!(
        get(&ctx, &consensus::VALIDATOR_TABLE, &validator, 3),
        Some(text("18446744073709551615"))
    );
    assert_eq!(get(&ctx, &consensus::CONSISTENCY_TABLE, &sim, 3), None);
    assert_eq!(
        get(&ctx, &consensus::CONSISTENCY_TABLE, &sim, 6),
        Some(Value::Integer(1))
    );

    let exec = [idx(&["sim"]), vec![2, 0xa1, 0xb2]].concat();
    assert_eq!(
        get(&ctx, &contracts::EXECUTION_TABLE, &exec, 6),
        Some(Value::Integer(2))
    );
    let exec2 = idx(&["sim", "tx-2"]);
    assert_eq!(
        get(&ctx, &contracts::EXECUTION_TABLE, &exec2, 7),
        Some(Value::Gauge32(u32::MAX))
    );
    let contract = idx(&["sim", "0xc0ffee"]);
    assert_eq!(
        get(&ctx, &contracts::CONTRACT_TABLE, &contract, 11),
        Some(Value::Gauge32(2))
    );

    let channel = |name, c| get(&ctx, &crosschain::CHANNEL_TABLE, &idx(&["sim", name]), c);
    assert_eq!(
        channel("channel-0", 4),
        Some(text("relay.sim:26657")),
        "from the configuration"
    );
    assert_eq!(channel("channel-0", 5), Some(Value::Gauge32(4000)));
    assert_eq!(channel("channel-0", 7), Some(Value::Gauge32(16)));
    assert_eq!(
        channel("channel-old", 4),
        Some(text("old:1")),
        "from the snapshot"
    );
    assert_eq!(channel("channel-old", 8), Some(Value::Integer(3)));
    let transfer = idx(&["sim", "channel-0", "channel-0-2"]);
    assert_eq!(
        get(&ctx, &crosschain::TRANSFER_TABLE, &transfer, 3),
        Some(Value::Integer(3))
    );
    assert_eq!(
        get(&ctx, &crosschain::TRANSFER_TABLE, &transfer, 4),
        Some(text("9"))
    );
    assert_eq!(get(&ctx, &crosschain::TRANSFER_TABLE, &transfer, 7), None);
}

#[test]
fn threshold_sets_edit_the_configuration_and_show_at_once() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let cpu = &performance::THRESH_CPU_PERCENT;
    let action = (cpu.set.unwrap())(&ctx, &Value::Gauge32(8550)).unwrap();
    assert_eq!(action, edit_set("/thresholds/cpu-percent", json!(85.5)));
    assert_eq!(
        (cpu.set.unwrap())(&ctx, &Value::Gauge32(10_001)),
        Err(SetError::WrongValue)
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!((cpu.get)(&ctx), Some(Value::Gauge32(8550)));

    let latency = &performance::THRESH_LINK_LATENCY;
    let action = (latency.set.unwrap())(&ctx, &Value::Gauge32(250)).unwrap();
    assert_eq!(
        action,
        edit_set("/thresholds/link-latency-ms", json!(250.0))
    );
    let stall = &performance::THRESH_CONSENSUS_STALL;
    let action2 = (stall.set.unwrap())(&ctx, &Value::Gauge32(30)).unwrap();
    assert_eq!(
        action2,
        edit_set("/thresholds/consensus-stall-seconds", json!(30))
    );
    let config = applied(&applied(&config, action), action2);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!((latency.get)(&ctx), Some(Value::Gauge32(250)));
    assert_eq!((stall.get)(&ctx), Some(Value::Gauge32(30)));
}

/// The fixture's chain "sim" configured as an Ethereum chain, its
/// node-2 with an endpoint (a chain of real nodes keeps at least one).
fn sim_as_ethereum() -> Config {
    let mut config = Config::default();
    let mut chain = crate::config::ChainConfig::new(crate::model::chain::Platform::Ethereum);
    chain.nodes.insert(
        "node-2".into(),
        crate::config::NodeConfig {
            endpoint: Some("http://127.0.0.1:8545".into()),
            ..Default::default()
        },
    );
    config.chains.insert("sim".into(), chain);
    config
}

#[test]
fn node_log_spec_set_edits_the_configuration_and_shows_at_once() {
    let snapshot = fixture::snapshot();
    // Only a platform that can push a log configuration accepts one.
    let config = sim_as_ethereum();
    let ctx = fixture::ctx(&snapshot, &config);
    let n2 = idx(&["sim", "node-2"]);
    let col = nodes::LOG_SPEC;
    // Unconfigured: what the node reports.
    assert_eq!(get(&ctx, &nodes::NODE_TABLE, &n2, col), Some(text("info")));
    assert_eq!(
        get(&ctx, &nodes::NODE_TABLE, &n2, 18),
        Some(text("txpool,validators"))
    );
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &n2, col, text("")),
        Ok(SetAction::Config(vec![])),
        "nothing configured, nothing to remove"
    );
    let action = set(&ctx, &nodes::NODE_TABLE, &n2, col, text("debug")).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/nodes/node-2/log-spec", json!("debug"))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, &nodes::NODE_TABLE, &n2, col), Some(text("debug")));
    let action = set(&ctx, &nodes::NODE_TABLE, &n2, col, text("")).unwrap();
    assert_eq!(
        action,
        SetAction::Config(vec![Edit::Delete {
            path: "/chains/sim/nodes/node-2/log-spec".parse().unwrap()
        }])
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, &nodes::NODE_TABLE, &n2, col), Some(text("info")));
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &n2, 18, text("x")),
        Err(SetError::NotWritable)
    );
}

#[test]
fn node_sets_edit_admin_state_and_threshold_overrides() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let n2 = idx(&["sim", "node-2"]);
    let action = set(&ctx, &nodes::NODE_TABLE, &n2, 14, Value::Integer(3)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/nodes/node-2/admin-state", json!("maintenance"))
    );
    let config = applied(&config, action);
    assert_eq!(config.admin_state("sim", "node-2"), AdminState::Maintenance);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(
        get(&ctx, &nodes::NODE_TABLE, &n2, 14),
        Some(Value::Integer(3))
    );

    let perf = &performance::NODE_PERF_TABLE;
    let action = set(&ctx, perf, &n2, 14, Value::Gauge32(8000)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/nodes/node-2/thresholds/cpu-percent",
            json!(80.0)
        )
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, perf, &n2, 14), Some(Value::Gauge32(8000)));
    let n1 = idx(&["sim", "node-1"]);
    assert_eq!(
        get(&ctx, perf, &n1, 14),
        Some(Value::Gauge32(9000)),
        "node-1 keeps the global"
    );

    // 0 removes the override; with none there is nothing to remove.
    let action = set(&ctx, perf, &n2, 14, Value::Gauge32(0)).unwrap();
    assert_eq!(
        action,
        SetAction::Config(vec![Edit::Delete {
            path: "/chains/sim/nodes/node-2/thresholds/cpu-percent"
                .parse()
                .unwrap()
        }])
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, perf, &n2, 14), Some(Value::Gauge32(9000)));
    assert_eq!(
        set(&ctx, perf, &n2, 16, Value::Gauge32(0)),
        Ok(SetAction::Config(vec![]))
    );
    let action = set(&ctx, perf, &n2, 16, Value::Gauge32(20)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/nodes/node-2/thresholds/sync-lag-blocks",
            json!(20)
        )
    );
    let config = applied(&config, action);
    assert_eq!(config.thresholds_for("sim", "node-2").sync_lag_blocks, 20);
}

/// A chain's override sits between the global value and a node's own:
/// a SET writes it, every node of the chain without an override of its
/// own takes it, and 0 deletes it.
#[test]
fn chain_sets_edit_the_chain_threshold_overrides() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let sim = idx(&["sim"]);
    let table = &chains::CHAIN_TABLE;
    assert_eq!(get(&ctx, table, &sim, 8), Some(Value::Gauge32(9000)));
    let action = set(&ctx, table, &sim, 8, Value::Gauge32(7000)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/thresholds/cpu-percent", json!(70.0))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, table, &sim, 8), Some(Value::Gauge32(7000)));
    let perf = &performance::NODE_PERF_TABLE;
    let (n1, n2) = (idx(&["sim", "node-1"]), idx(&["sim", "node-2"]));
    assert_eq!(get(&ctx, perf, &n1, 14), Some(Value::Gauge32(7000)));
    let action = set(&ctx, perf, &n2, 14, Value::Gauge32(8000)).unwrap();
    let config = applied(&config, action);
    assert_eq!(config.thresholds_for("sim", "node-2").cpu_percent, 80.0);
    assert_eq!(config.thresholds_for("sim", "node-1").cpu_percent, 70.0);
    let action = set(&ctx, table, &sim, 10, Value::Gauge32(9)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/thresholds/sync-lag-blocks", json!(9))
    );
    let config = applied(&config, action);
    assert_eq!(config.chain_thresholds("sim").sync_lag_blocks, 9);
    let ctx = fixture::ctx(&snapshot, &config);
    let action = set(&ctx, table, &sim, 8, Value::Gauge32(0)).unwrap();
    let config = applied(&config, action);
    assert_eq!(config.thresholds_for("sim", "node-1").cpu_percent, 90.0);
    assert_eq!(config.thresholds_for("sim", "node-2").cpu_percent, 80.0);
}

/// tx-pool-max and the hold-off have a chain override (bcmChainEntry 11,
/// 12) and a node override (bcmNodePerfEntry 42, 43), in force in that
/// order; 0 deletes an override.
#[test]
fn tx_pool_and_hold_off_overrides_per_chain_and_node() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let sim = idx(&["sim"]);
    let (n1, n2) = (idx(&["sim", "node-1"]), idx(&["sim", "node-2"]));
    let (table, perf) = (&chains::CHAIN_TABLE, &performance::NODE_PERF_TABLE);
    assert_eq!(get(&ctx, table, &sim, 11), Some(Value::Gauge32(5000)));
    assert_eq!(get(&ctx, table, &sim, 12), Some(Value::Gauge32(10)));
    let action = set(&ctx, table, &sim, 11, Value::Gauge32(800)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/thresholds/tx-pool-max", json!(800))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    let action = set(&ctx, table, &sim, 12, Value::Gauge32(30)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/thresholds/hold-off-seconds", json!(30))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, perf, &n1, 42), Some(Value::Gauge32(800)));
    assert_eq!(get(&ctx, perf, &n1, 43), Some(Value::Gauge32(30)));
    let action = set(&ctx, perf, &n2, 42, Value::Gauge32(90)).unwrap();
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    let action = set(&ctx, perf, &n2, 43, Value::Gauge32(2)).unwrap();
    let config = applied(&config, action);
    let node2 = config.thresholds_for("sim", "node-2");
    assert_eq!((node2.tx_pool_max, node2.hold_off_seconds), (90, 2));
    let node1 = config.thresholds_for("sim", "node-1");
    assert_eq!((node1.tx_pool_max, node1.hold_off_seconds), (800, 30));
    assert_eq!(config.chain_thresholds("sim").hold_off_seconds, 30);
    let ctx = fixture::ctx(&snapshot, &config);
    let action = set(&ctx, table, &sim, 11, Value::Gauge32(0)).unwrap();
    let config = applied(&config, action);
    assert_eq!(config.thresholds_for("sim", "node-1").tx_pool_max, 5000);
    assert_eq!(config.thresholds_for("sim", "node-2").tx_pool_max, 90);
}
/// endpoint-certificate-expiring: the days left (negative once expired)
/// and notAfter of a node's certificate, absent without one, and its
/// threshold at every level (global, chain, node; 0 deletes an override).
#[test]
fn certificate_columns_and_their_threshold_levels() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let perf = &performance::NODE_PERF_TABLE;
    let (n1, n2) = (idx(&["sim", "node-1"]), idx(&["sim", "node-2"]));
    assert_eq!(get(&ctx, perf, &n1, 40), Some(Value::Integer(-2)));
    assert_eq!(get(&ctx, perf, &n1, 41), Some(date(T - 2 * 86_400_000)));
    assert_eq!(get(&ctx, perf, &n2, 40), None, "no TLS endpoint");
    assert_eq!(get(&ctx, perf, &n2, 41), None);
    assert_eq!(get(&ctx, perf, &n1, 39), Some(Value::Gauge32(30)));
    assert_eq!(
        (performance::THRESH_CERT_EXPIRY_DAYS.get)(&ctx),
        Some(Value::Gauge32(30))
    );
    assert_eq!(
        (performance::THRESH_CERT_EXPIRY_HYSTERESIS.get)(&ctx),
        Some(Value::Gauge32(2))
    );
    let sim = idx(&["sim"]);
    let table = &chains::CHAIN_TABLE;
    let action = set(&ctx, table, &sim, 27, Value::Gauge32(45)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/thresholds/cert-expiry-days", json!(45))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, table, &sim, 27), Some(Value::Gauge32(45)));
    assert_eq!(get(&ctx, perf, &n1, 39), Some(Value::Gauge32(45)));
    let action = set(&ctx, perf, &n2, 39, Value::Gauge32(10)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/nodes/node-2/thresholds/cert-expiry-days",
            json!(10)
        )
    );
    let config = applied(&config, action);
    assert_eq!(config.thresholds_for("sim", "node-2").cert_expiry_days, 10);
    assert_eq!(config.thresholds_for("sim", "node-1").cert_expiry_days, 45);
    let ctx = fixture::ctx(&snapshot, &config);
    let action = set(&ctx, perf, &n2, 39, Value::Gauge32(0)).unwrap();
    let config = applied(&config, action);
    assert_eq!(config.thresholds_for("sim", "node-2").cert_expiry_days, 45);
}

/// The health and relayer thresholds (issue 14 §2) over SNMP: the global
/// scalars, the chain's overrides, the node's hold-off override; and a
/// node's own health report, absent where it gives none.
#[test]
fn health_and_relayer_thresholds_and_node_health() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let expiry = &performance::THRESH_RELAYER_CLIENT_EXPIRY;
    assert_eq!((expiry.get)(&ctx), Some(Value::Gauge32(24)));
    let action = (expiry.set.unwrap())(&ctx, &Value::Gauge32(48)).unwrap();
    assert_eq!(
        action,
        edit_set("/thresholds/relayer-client-expiry-hours", json!(48))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!((expiry.get)(&ctx), Some(Value::Gauge32(48)));

    let sim = idx(&["sim"]);
    let table = &chains::CHAIN_TABLE;
    assert_eq!(get(&ctx, table, &sim, 24), Some(Value::Gauge32(300)));
    let action = set(&ctx, table, &sim, 24, Value::Gauge32(60)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/thresholds/relayer-packet-age-seconds",
            json!(60)
        )
    );
    let config = applied(&config, action);
    assert_eq!(
        config.chain_thresholds("sim").relayer_packet_age_seconds,
        60
    );
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, table, &sim, 24), Some(Value::Gauge32(60)));
    assert_eq!(get(&ctx, table, &sim, 26), Some(Value::Gauge32(48)));

    let perf = &performance::NODE_PERF_TABLE;
    let (n1, n2) = (idx(&["sim", "node-1"]), idx(&["sim", "node-2"]));
    assert_eq!(get(&ctx, perf, &n2, 37), Some(Value::Gauge32(30)));
    let action = set(&ctx, perf, &n2, 37, Value::Gauge32(90)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/nodes/node-2/thresholds/node-degraded-hold-off-seconds",
            json!(90)
        )
    );
    let config = applied(&config, action);
    assert_eq!(
        config
            .thresholds_for("sim", "node-2")
            .node_degraded_hold_off_seconds,
        90
    );
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, perf, &n2, 37), Some(Value::Gauge32(90)));
    assert_eq!(get(&ctx, perf, &n1, 37), Some(Value::Gauge32(30)));

    // node-1 reports a failed check, node-2 nothing at all.
    assert_eq!(get(&ctx, perf, &n1, 35), Some(Value::Integer(2)), "false");
    assert_eq!(
        get(&ctx, perf, &n1, 36),
        Some(text("/healthz failed checks: couchdb: down"))
    );
    assert_eq!(get(&ctx, perf, &n2, 35), None);
    assert_eq!(get(&ctx, perf, &n2, 36), None);
}

/// contract-failure-rate and disk-space-low thresholds over SNMP: the
/// global scalars, the chain's overrides (contracts are a chain's) and a
/// node's data filesystem threshold, most specific first.
#[test]
fn contract_and_disk_threshold_sets_edit_global_chain_and_node_values() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let window = &performance::THRESH_CONTRACT_FAILURE_WINDOW;
    assert_eq!((window.get)(&ctx), Some(Value::Gauge32(300)));
    let action = (window.set.unwrap())(&ctx, &Value::Gauge32(60)).unwrap();
    assert_eq!(
        action,
        edit_set("/thresholds/contract-failure-window-seconds", json!(60))
    );
    let disk = &performance::THRESH_DISK_FREE_PERCENT;
    let action2 = (disk.set.unwrap())(&ctx, &Value::Gauge32(1500)).unwrap();
    assert_eq!(
        action2,
        edit_set("/thresholds/disk-free-percent", json!(15.0))
    );
    let config = applied(&applied(&config, action), action2);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!((window.get)(&ctx), Some(Value::Gauge32(60)));
    assert_eq!(
        (performance::THRESH_CONTRACT_FAILURE_MIN_CALLS.get)(&ctx),
        Some(Value::Gauge32(50))
    );
    assert_eq!(
        (performance::THRESH_CONTRACT_FAILURE_PERCENT.get)(&ctx),
        Some(Value::Gauge32(2500))
    );

    let sim = idx(&["sim"]);
    let table = &chains::CHAIN_TABLE;
    let action = set(&ctx, table, &sim, 19, Value::Gauge32(4000)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/thresholds/contract-failure-percent",
            json!(40.0)
        )
    );
    let config = applied(&config, action);
    assert_eq!(
        config.chain_thresholds("sim").contract_failure_percent,
        40.0
    );
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, table, &sim, 19), Some(Value::Gauge32(4000)));
    assert_eq!(get(&ctx, table, &sim, 20), Some(Value::Gauge32(60)));
    let action = set(&ctx, table, &sim, 21, Value::Gauge32(7)).unwrap();
    let config = applied(&config, action);
    assert_eq!(config.chain_thresholds("sim").contract_failure_min_calls, 7);
    let ctx = fixture::ctx(&snapshot, &config);
    let action = set(&ctx, table, &sim, 22, Value::Gauge32(2000)).unwrap();
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);

    let perf = &performance::NODE_PERF_TABLE;
    let (n1, n2) = (idx(&["sim", "node-1"]), idx(&["sim", "node-2"]));
    assert_eq!(get(&ctx, perf, &n1, 31), Some(Value::Gauge32(2000)));
    let action = set(&ctx, perf, &n2, 31, Value::Gauge32(500)).unwrap();
    assert_eq!(
        action,
        edit_set(
            "/chains/sim/nodes/node-2/thresholds/disk-free-percent",
            json!(5.0)
        )
    );
    let config = applied(&config, action);
    assert_eq!(
        config.thresholds_for("sim", "node-2").disk_free_percent,
        5.0
    );
    assert_eq!(
        config.thresholds_for("sim", "node-1").disk_free_percent,
        20.0
    );
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, perf, &n2, 31), Some(Value::Gauge32(500)));
    // 0 deletes the node's override: the chain's applies again.
    let action = set(&ctx, perf, &n2, 31, Value::Gauge32(0)).unwrap();
    let config = applied(&config, action);
    assert_eq!(
        config.thresholds_for("sim", "node-2").disk_free_percent,
        20.0
    );
}

#[test]
fn alarm_log_parameter_and_channel_sets() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(
        set(
            &ctx,
            &faults::ALARM_ACTIVE_TABLE,
            &[7],
            13,
            Value::Integer(1)
        ),
        Ok(SetAction::AckAlarm {
            id: 7,
            acknowledged: false
        })
    );
    assert_eq!(
        set(
            &ctx,
            &faults::ALARM_ACTIVE_TABLE,
            &[7],
            13,
            Value::Integer(2)
        ),
        Ok(SetAction::AckAlarm {
            id: 7,
            acknowledged: true
        })
    );

    let logs = &logs::LOG_TYPE_TABLE;
    let level = set(&ctx, logs, &[2], 2, Value::Integer(2)).unwrap();
    assert_eq!(level, edit_set("/logs/consensus/level", json!("warning")));
    let retention = set(&ctx, logs, &[4], 3, Value::Gauge32(77)).unwrap();
    assert_eq!(
        retention,
        edit_set("/logs/cross-chain/retention-records", json!(77))
    );
    let config = applied(&applied(&config, level), retention);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, logs, &[2], 2), Some(Value::Integer(2)));
    assert_eq!(get(&ctx, logs, &[4], 3), Some(Value::Gauge32(77)));

    let params = &consensus::CONS_PARAM_TABLE;
    let interval = idx(&["sim", "block-interval-ms"]);
    let action = set(&ctx, params, &interval, 2, Value::Gauge32(2000)).unwrap();
    assert_eq!(
        action,
        edit_set("/chains/sim/consensus/block-interval-ms", json!(2000))
    );
    let config = applied(&config, action);
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, params, &interval, 2), Some(Value::Gauge32(2000)));

    let channels = &crosschain::CHANNEL_TABLE;
    let ch = idx(&["sim", "channel-0"]);
    let relay = set(&ctx, channels, &ch, 4, text("relay.new:9")).unwrap();
    assert_eq!(
        relay,
        edit_set(
            "/chains/sim/channels/channel-0/relay-endpoint",
            json!("relay.new:9")
        )
    );
    let timeout = set(&ctx, channels, &ch, 5, Value::Gauge32(8000)).unwrap();
    let fee = set(&ctx, channels, &ch, 6, Value::Gauge32(3)).unwrap();
    let capacity = set(&ctx, channels, &ch, 7, Value::Gauge32(32)).unwrap();
    assert_eq!(
        capacity,
        edit_set("/chains/sim/channels/channel-0/capacity", json!(32))
    );
    let mut config = config;
    for a in [relay, timeout, fee, capacity] {
        config = applied(&config, a);
    }
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(get(&ctx, channels, &ch, 4), Some(text("relay.new:9")));
    assert_eq!(get(&ctx, channels, &ch, 5), Some(Value::Gauge32(8000)));
    assert_eq!(get(&ctx, channels, &ch, 6), Some(Value::Gauge32(3)));
    assert_eq!(get(&ctx, channels, &ch, 7), Some(Value::Gauge32(32)));
}

#[test]
fn sets_fail_with_rfc_3416_errors() {
    let snapshot = fixture::snapshot();
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let n2 = idx(&["sim", "node-2"]);
    let cases: Vec<(&TableDef, Vec<u32>, u32, Value, SetError)> = vec![
        (
            &nodes::NODE_TABLE,
            n2.clone(),
            3,
            Value::Integer(1),
            SetError::NotWritable,
        ),
        (
            &nodes::NODE_TABLE,
            n2.clone(),
            14,
            Value::Integer(4),
            SetError::WrongValue,
        ),
        (
            &nodes::NODE_TABLE,
            n2.clone(),
            14,
            Value::Integer(0),
            SetError::WrongValue,
        ),
        (
            &nodes::NODE_TABLE,
            idx(&["sim", "node-9"]),
            14,
            Value::Integer(2),
            SetError::NoCreation,
        ),
        (
            &nodes::NODE_TABLE,
            vec![99],
            14,
            Value::Integer(2),
            SetError::NoCreation,
        ),
        (
            &nodes::NODE_TABLE,
            n2.clone(),
            14,
            Value::Gauge32(2),
            SetError::WrongType,
        ),
        (
            &performance::NODE_PERF_TABLE,
            n2.clone(),
            15,
            Value::Gauge32(10_001),
            SetError::WrongValue,
        ),
        (
            &performance::NODE_PERF_TABLE,
            idx(&["sim", "node-3"]),
            14,
            Value::Gauge32(50),
            SetError::NoCreation,
        ),
        (
            &performance::NODE_PERF_TABLE,
            n2.clone(),
            9,
            Value::Gauge32(50),
            SetError::NotWritable,
        ),
        (
            &faults::ALARM_ACTIVE_TABLE,
            vec![7],
            13,
            Value::Integer(3),
            SetError::WrongValue,
        ),
        (
            &faults::ALARM_ACTIVE_TABLE,
            vec![5],
            13,
            Value::Integer(2),
            SetError::NoCreation,
        ),
        (
            &faults::ALARM_ACTIVE_TABLE,
            vec![0],
            13,
            Value::Integer(2),
            SetError::NoCreation,
        ),
        (
            &faults::ALARM_ACTIVE_TABLE,
            vec![7, 1],
            13,
            Value::Integer(2),
            SetError::NoCreation,
        ),
        (
            &faults::ALARM_ACTIVE_TABLE,
            vec![7],
            7,
            Value::Integer(2),
            SetError::NotWritable,
        ),
        (
            &logs::LOG_TYPE_TABLE,
            vec![7],
            2,
            Value::Integer(2),
            SetError::NoCreation,
        ),
        (
            &logs::LOG_TYPE_TABLE,
            vec![1],
            2,
            Value::Integer(5),
            SetError::WrongValue,
        ),
        (
            &logs::LOG_TYPE_TABLE,
            vec![1],
            4,
            Value::Gauge32(5),
            SetError::NotWritable,
        ),
        (
            &consensus::CONS_PARAM_TABLE,
            idx(&["sim", "block-interval-ms"]),
            2,
            Value::Gauge32(10),
            SetError::WrongValue,
        ),
        (
            &consensus::CONS_PARAM_TABLE,
            idx(&["sim", "epoch"]),
            2,
            Value::Gauge32(10),
            SetError::NotWritable,
        ),
        (
            &consensus::CONS_PARAM_TABLE,
            idx(&["sim", "gas-limit"]),
            2,
            Value::Gauge32(10),
            SetError::NoCreation,
        ),
        (
            &consensus::CONS_PARAM_TABLE,
            idx(&["other", "block-interval-ms"]),
            2,
            Value::Gauge32(1000),
            SetError::NoCreation,
        ),
        (
            &crosschain::CHANNEL_TABLE,
            idx(&["sim", "channel-0"]),
            4,
            Value::OctetString(vec![b'a'; 256]),
            SetError::WrongLength,
        ),
        (
            &crosschain::CHANNEL_TABLE,
            idx(&["sim", "channel-0"]),
            4,
            Value::OctetString(vec![0xc3]),
            SetError::WrongValue,
        ),
        (
            &crosschain::CHANNEL_TABLE,
            idx(&["sim", "channel-old"]),
            5,
            Value::Gauge32(1000),
            SetError::InconsistentValue,
        ),
        (
            &crosschain::CHANNEL_TABLE,
            idx(&["sim", "channel-9"]),
            5,
            Value::Gauge32(1000),
            SetError::NoCreation,
        ),
        (
            &crosschain::CHANNEL_TABLE,
            idx(&["sim", "channel-0"]),
            8,
            Value::Integer(1),
            SetError::NotWritable,
        ),
    ];
    for (table, index, col, value, error) in cases {
        assert_eq!(
            set(&ctx, table, &index, col, value.clone()),
            Err(error),
            "{} col {col} index {index:?} value {value:?}",
            table.name
        );
    }
    // A node of a chain the running configuration no longer has.
    let mut gone = config.clone();
    gone.chains.clear();
    let ctx = fixture::ctx(&snapshot, &gone);
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &n2, 14, Value::Integer(2)),
        Err(SetError::InconsistentValue)
    );
}

fn varbind_map(vbs: &[crate::snmp::value::VarBind]) -> Vec<(String, Value)> {
    let mut names = Vec::new();
    for vb in vbs {
        let (table, col) = tables()
            .iter()
            .find_map(|t| {
                let rest = vb.oid.arcs().strip_prefix(t.entry)?;
                Some((t, *rest.first()?))
            })
            .unwrap_or_else(|| panic!("{} is in no table", vb.oid));
        let c = table.columns.iter().find(|c| c.id == col).unwrap();
        assert!(c.syntax.accepts(&vb.value), "{} = {:?}", c.name, vb.value);
        names.push((c.name.to_string(), vb.value.clone()));
    }
    names
}

#[test]
fn notification_objects_are_columns_of_their_tables() {
    for n in notifications() {
        assert!(!n.objects.is_empty(), "{}", n.name);
        for (table, col) in n.objects {
            assert!(
                table.columns.iter().any(|c| c.id == *col),
                "{} object {col} of {}",
                n.name,
                table.name
            );
        }
    }
}

#[test]
fn notifications_carry_the_event_data() {
    let snapshot = fixture::snapshot();
    let mut config = Config::default();
    config
        .chains
        .get_mut("sim")
        .unwrap()
        .nodes
        .entry("node-2".into())
        .or_default()
        .admin_state = AdminState::Maintenance;
    let ctx = fixture::ctx(&snapshot, &config);
    let active = snapshot.faults.active[0].clone();

    let (oid, vbs) = notification(
        &Event::AlarmRaised {
            alarm: active.clone(),
        },
        &ctx,
    )
    .unwrap();
    assert_eq!(oid.arcs(), notifications::ALARM_RAISED.oid);
    assert_eq!(
        vbs[0].oid,
        instance(faults::ALARM_ACTIVE_TABLE.entry, &[2, 7])
    );
    let names = varbind_map(&vbs);
    let expected: Vec<&str> = vec![
        "bcmAlarmResource",
        "bcmAlarmType",
        "bcmAlarmEventType",
        "bcmAlarmProbableCause",
        "bcmAlarmSeverity",
        "bcmAlarmSpecificProblem",
        "bcmAlarmText",
    ];
    assert_eq!(
        names.iter().map(|n| n.0.as_str()).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(names[4].1, Value::Integer(4));
    let (oid, _) = notification(&Event::AlarmChanged { alarm: active }, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::ALARM_CHANGED.oid);

    let cleared = snapshot.faults.history[1].clone();
    let (oid, vbs) = notification(&Event::AlarmCleared { alarm: cleared }, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::ALARM_CLEARED.oid);
    let names = varbind_map(&vbs);
    assert_eq!(names.len(), 6);
    assert_eq!(
        names[5],
        ("bcmAlarmHistCleared".to_string(), date(T + 5000))
    );
    assert_eq!(
        vbs[5].oid,
        instance(faults::ALARM_HISTORY_TABLE.entry, &[11, 5])
    );

    let unindexable = snapshot.faults.active[1].clone();
    assert_eq!(
        notification(&Event::AlarmRaised { alarm: unindexable }, &ctx),
        None
    );

    let left = snapshot.ledger.members[1].clone();
    let (oid, vbs) = notification(&Event::MemberLeft { member: left }, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::MEMBER_LEFT.oid);
    let names = varbind_map(&vbs);
    assert_eq!(
        names[2],
        ("bcmMemberLeftHeight".to_string(), Value::Gauge32(8))
    );
    assert!(vbs[0].oid.arcs().ends_with(&idx(&["sim", "org-5"])));
    let joined = snapshot.ledger.members[0].clone();
    let (_, vbs) = notification(&Event::MemberJoined { member: joined }, &ctx).unwrap();
    assert_eq!(varbind_map(&vbs).len(), 4);

    let event = Event::NodeStateChanged {
        chain: "sim".into(),
        node: "node-2".into(),
        from: OperState::Up,
        to: OperState::Down,
    };
    let (oid, vbs) = notification(&event, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::NODE_STATE_CHANGED.oid);
    assert_eq!(
        varbind_map(&vbs),
        vec![
            ("bcmNodeAdminState".to_string(), Value::Integer(3)),
            ("bcmNodeOperState".to_string(), Value::Integer(2)),
        ]
    );
    assert_eq!(
        vbs[1].oid,
        instance(nodes::NODE_TABLE.entry, &[15]).join(&idx(&["sim", "node-2"]))
    );

    let mut report = snapshot.consensus.consistency[0].clone();
    let (_, vbs) = notification(
        &Event::ForkDetected {
            report: report.clone(),
        },
        &ctx,
    )
    .unwrap();
    assert_eq!(
        varbind_map(&vbs).len(),
        2,
        "divergent height unknown: left out"
    );
    report.first_divergent_height = Some(8);
    report.branch_count = 2;
    let (oid, vbs) = notification(&Event::ForkDetected { report }, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::FORK_DETECTED.oid);
    assert_eq!(
        varbind_map(&vbs),
        vec![
            ("bcmConsistencyCommonHeight".to_string(), Value::Gauge32(9)),
            (
                "bcmConsistencyDivergentHeight".to_string(),
                Value::Gauge32(8)
            ),
            ("bcmConsistencyBranchCount".to_string(), Value::Gauge32(2)),
        ]
    );

    let stalled = Event::ConsensusStalled {
        chain: "sim".into(),
        height: 11,
        seconds: 20,
    };
    let (oid, vbs) = notification(&stalled, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::CONSENSUS_STALLED.oid);
    assert_eq!(
        varbind_map(&vbs),
        vec![
            ("bcmConsensusHeight".to_string(), Value::Gauge32(11)),
            ("bcmConsensusLeader".to_string(), text("node-3")),
        ]
    );

    let transfer = snapshot.cross_chain.transfers[1].as_ref().clone();
    let (oid, vbs) = notification(&Event::CrossChainTransferFailed { transfer }, &ctx).unwrap();
    assert_eq!(oid.arcs(), notifications::CROSS_CHAIN_TRANSFER_FAILED.oid);
    let names = varbind_map(&vbs);
    assert_eq!(names[0].1, Value::Integer(3));
    assert_eq!(names[1].1, text("9"));
    assert_eq!(names[2].1, text("no acknowledgement within 4000 ms"));

    let config_changed = Event::ConfigChanged {
        revision: 3,
        origin: "snmp".into(),
        changed: vec!["/thresholds/cpu-percent".parse().unwrap()],
    };
    assert_eq!(notification(&config_changed, &ctx), None);
}

#[test]
fn shelved_alarms_are_not_in_the_mib() {
    let mut snapshot = fixture::snapshot();
    for a in snapshot
        .faults
        .active
        .iter_mut()
        .chain(snapshot.faults.history.iter_mut())
        .filter(|a| a.id == 7 || a.id == 5)
    {
        a.shelf = Some("quiet".into());
    }
    let config = Config::default();
    let ctx = fixture::ctx(&snapshot, &config);
    let ids =
        |t: &TableDef| -> Vec<Vec<u32>> { (t.rows)(&ctx).into_iter().map(|r| r.index).collect() };
    assert!(!ids(&faults::ALARM_ACTIVE_TABLE).contains(&vec![7]));
    assert!(ids(&faults::ALARM_HISTORY_TABLE).is_empty());
    // The other active alarm (an id beyond Unsigned32, no row) still counts.
    assert_eq!(
        (faults::ALARM_ACTIVE_COUNT.get)(&ctx),
        Some(Value::Gauge32(1))
    );
    let shelved = snapshot.faults.active[0].clone();
    assert_eq!(shelved.id, 7);
    assert!(
        notification(
            &Event::AlarmRaised {
                alarm: shelved.clone()
            },
            &ctx
        )
        .is_none()
    );
    assert!(
        notification(
            &Event::AlarmCleared {
                alarm: shelved.clone()
            },
            &ctx
        )
        .is_none()
    );
    assert!(matches!(
        set(
            &ctx,
            &faults::ALARM_ACTIVE_TABLE,
            &[7],
            faults::ACK_STATE,
            Value::Integer(2)
        ),
        Err(SetError::NoCreation)
    ));
}

/// bcmNodeRowStatus: createAndGo creates the node's entry (the endpoint
/// of the same SET fills it), destroy removes it, active keeps it; the
/// values the agent does not support, and rows it cannot create, fail
/// with RFC 2579's errors.
#[test]
fn node_row_status_creates_and_destroys_configuration_entries() {
    let snapshot = fixture::snapshot();
    let config = sim_as_ethereum();
    let col = nodes::ROW_STATUS;
    let endpoint = 4;
    let new = idx(&["sim", "n9"]);
    let ctx = fixture::ctx(&snapshot, &config);
    // Every row shown is active; node-1 is shown, not configured.
    let n2 = idx(&["sim", "node-1"]);
    assert_eq!(
        get(&ctx, &nodes::NODE_TABLE, &n2, col),
        Some(Value::Integer(1))
    );
    for (value, error) in [
        (5, SetError::WrongValue),
        (2, SetError::WrongValue),
        (9, SetError::WrongValue),
    ] {
        assert_eq!(
            set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(value)),
            Err(error),
            "{value}"
        );
    }
    // A shown row exists already; one of an unconfigured chain cannot be.
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &n2, col, Value::Integer(4)),
        Err(SetError::InconsistentValue)
    );
    assert_eq!(
        set(
            &ctx,
            &nodes::NODE_TABLE,
            &idx(&["other", "n9"]),
            col,
            Value::Integer(4)
        ),
        Err(SetError::NoCreation)
    );
    // active of a row that does not exist; destroy of one the
    // configuration does not hold but the agent shows.
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(1)),
        Err(SetError::InconsistentValue)
    );
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &n2, col, Value::Integer(6)),
        Err(SetError::InconsistentValue)
    );
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(6)),
        Ok(SetAction::Config(vec![])),
        "destroying what is not there changes nothing"
    );
    // The endpoint alone cannot create the row.
    let url = text("http://127.0.0.1:8545");
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &new, endpoint, url.clone()),
        Err(SetError::NoCreation)
    );
    // In the SET that creates the row, it fills it.
    let creating = vec![[nodes::NODE_TABLE.entry, new.as_slice()].concat()];
    let ctx = Ctx {
        creating: &creating,
        ..ctx
    };
    let created = set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(4)).unwrap();
    let SetAction::CreateRow(entry) = created else {
        panic!("{created:?}");
    };
    let fill = set(&ctx, &nodes::NODE_TABLE, &new, endpoint, url).unwrap();
    let SetAction::Config(mut edits) = fill else {
        panic!("{fill:?}");
    };
    edits.insert(0, entry);
    let config = applied(&config, SetAction::Config(edits));
    assert_eq!(
        config.chains["sim"].nodes["n9"].endpoint.as_deref(),
        Some("http://127.0.0.1:8545")
    );
    // Configured, not yet collected: it exists for createAndGo and active,
    // and destroy removes it.
    let ctx = fixture::ctx(&snapshot, &config);
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(4)),
        Err(SetError::InconsistentValue)
    );
    assert_eq!(
        set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(1)),
        Ok(SetAction::Config(vec![]))
    );
    let gone = applied(
        &config,
        set(&ctx, &nodes::NODE_TABLE, &new, col, Value::Integer(6)).unwrap(),
    );
    assert!(!gone.chains["sim"].nodes.contains_key("n9"));
}
