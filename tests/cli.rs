//! The command line as a user meets it: `snapshot --json` on the embedded
//! defaults, `check-config` pointing at key and line, `--version`.

mod common;

use common::BIN;
use std::process::Command;

#[test]
fn snapshot_json_on_defaults_fills_all_eight_areas() {
    let dir = tempfile::tempdir().unwrap();
    let v = common::snapshot_json(dir.path(), &[]);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 8, "{keys:?}");
    let non_empty = |area: &str, list: &str| {
        let n = v[area][list].as_array().map_or(0, |a| a.len());
        assert!(n > 0, "{area}.{list} is empty");
        n
    };
    assert!(non_empty("nodes", "nodes") >= 4);
    non_empty("nodes", "links");
    assert!(
        v["nodes"]["host"]["cpu-cores"].as_u64().unwrap() >= 1,
        "the host inventory is real"
    );
    non_empty("performance", "nodes");
    assert!(
        v["performance"]["host"]["memory-total-bytes"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(
        non_empty("faults", "inventory"),
        chain_agent::model::alarm::AlarmType::ALL.len(),
        "every alarm type is listed"
    );
    non_empty("logs", "types");
    non_empty("logs", "recent");
    non_empty("ledger", "blocks");
    non_empty("ledger", "members");
    non_empty("consensus", "chains");
    non_empty("consensus", "consistency");
    non_empty("contracts", "contracts");
    non_empty("contracts", "executions");
    non_empty("cross-chain", "channels");
    non_empty("cross-chain", "transfers");
    let statuses: Vec<&str> = v["contracts"]["executions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert!(
        statuses.contains(&"success") && statuses.iter().any(|s| *s != "success"),
        "some contract calls fail"
    );
    let signed = v["contracts"]["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| !c["signatories"].as_array().unwrap().is_empty());
    assert!(signed, "contracts carry signatories");
}

#[test]
fn snapshot_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[chains.a]\nplatform = \"simulated\"\n[chains.a.simulation]\nseed = 7\nwarmup-blocks = 20\n").unwrap();
    let hashes = || {
        let v = common::snapshot_json(dir.path(), &["--config".as_ref(), cfg.as_os_str()]);
        v["ledger"]["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .take(20)
            .map(|b| b["hash"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (a, b) = (hashes(), hashes());
    assert_eq!(a.len(), 20);
    assert_eq!(a, b);
}

#[test]
fn check_config_names_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[agent]\ncollect-interval-ms = 1000\n\n[chains.sim]\nplatform = \"simulated\"\n\n[chains.sim.channels.c1]\nremote-chain = \"x\"\ntimeout-ms = 5\ncapacity = 4\n").unwrap();
    let (ok, err) = common::check_config(&cfg);
    assert!(!ok);
    assert!(
        err.contains("line 9: chains.sim.channels.c1.timeout-ms: must be between 100"),
        "{err}"
    );

    std::fs::write(&cfg, "[snmp]\nlisten = [\"127.0.0.1:1161\"]\n").unwrap();
    let (ok, out) = common::check_config(&cfg);
    assert!(ok, "{out}");
}

#[test]
fn version_is_printed() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("chain-agent {}", env!("CARGO_PKG_VERSION"))
    );
}
