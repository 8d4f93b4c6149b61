//! Operator workflows through `chain-agent ctl` against the running binary:
//! alarm acknowledgement, log query, delete and backup, level changes, and
//! persistence of all of it across a restart.

mod common;

use chain_agent::core::store::{LogFilter, Store};
use common::{AgentProcess, has};
use serde_json::Value;

const CHAIN: &str = r#"
[chains.sim]
platform = "simulated"
[chains.sim.consensus]
block-interval-ms = 200
"#;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn acknowledge_query_delete_backup_and_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), CHAIN);
    let (ok, out) = agent.ctl(&["fault", "inject", "down", "stop-node", "--node", "node-3"]);
    assert!(ok, "{out}");
    let alarms = agent.wait_alarms("node-unreachable", 20, |a| {
        has(a, "node-unreachable", "/chains/sim/nodes/node-3")
    });
    let id = alarms
        .iter()
        .find(|a| a["alarm-type"] == "node-unreachable")
        .unwrap()["id"]
        .as_u64()
        .unwrap();

    let (ok, out) = agent.ctl(&["ack", &id.to_string(), "--text", "on it"]);
    assert!(ok, "{out}");
    assert_eq!(json(&out)["operator"]["acknowledged"], true);
    let (ok, out) = agent.ctl(&["ack", "999999"]);
    assert!(!ok && out.contains("no alarm with id 999999"), "{out}");

    // The operation log records who changed what.
    let (ok, out) = agent.ctl(&[
        "logs",
        "query",
        "--type",
        "operation",
        "--contains",
        "faults/down",
    ]);
    assert!(ok, "{out}");
    assert!(
        !json(&out).as_array().unwrap().is_empty(),
        "the fault injection is in the operation log: {out}"
    );

    // Modify: contract warnings appear at the default level; at "error" they stop.
    let (_, out) = agent.ctl(&["logs", "query", "--type", "contract", "--level", "warning"]);
    assert!(
        !json(&out).as_array().unwrap().is_empty(),
        "failed contract calls are logged: {out}"
    );
    let (ok, out) = agent.ctl(&["set", "/logs/contract/level", "\"error\""]);
    assert!(ok, "{out}");
    let (ok, out) = agent.ctl(&["logs", "delete", "--type", "contract"]);
    assert!(ok, "{out}");
    std::thread::sleep(std::time::Duration::from_secs(2));
    let (_, out) = agent.ctl(&["logs", "query", "--type", "contract", "--level", "warning"]);
    assert_eq!(
        json(&out).as_array().unwrap().len(),
        0,
        "no warnings kept at level error: {out}"
    );

    let backup = dir.path().join("data").join("backups").join("backup.db");
    let (ok, out) = agent.ctl(&["logs", "backup", "backup.db"]);
    assert!(ok, "{out}");
    assert_eq!(json(&out)["path"], backup.display().to_string());
    // A name, not a path; an existing name is refused.
    for bad in ["../x.db", "/tmp/x.db", "file:x.db?mode=rwc"] {
        let (ok, out) = agent.ctl(&["logs", "backup", bad]);
        assert!(
            !ok && out.contains("is named by a file name"),
            "{bad}: {out}"
        );
    }
    let (ok, out) = agent.ctl(&["logs", "backup", "backup.db"]);
    assert!(!ok && out.contains("already exists"), "{out}");
    let copy = Store::open(&backup).unwrap();
    assert!(
        !copy
            .query_logs(&LogFilter::default(), 10)
            .unwrap()
            .is_empty()
    );

    agent.stop();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    let active = agent.active_alarms();
    let alarm = active
        .iter()
        .find(|a| a["id"].as_u64() == Some(id))
        .expect("the alarm survives a restart with the same id");
    assert_eq!(alarm["operator"]["acknowledged"], true);
    assert_eq!(alarm["operator"]["text"], "on it");
    let (_, out) = agent.ctl(&["get-config"]);
    let config = json(&out);
    assert_eq!(config["logs"]["contract"]["level"], "error");
    assert_eq!(
        config["chains"]["sim"]["simulation"]["faults"]["down"]["node"],
        "node-3"
    );
    let (ok, out) = agent.ctl(&["fault", "clear", "down"]);
    assert!(ok, "{out}");
    agent.wait_alarms("the alarm to clear after restart", 30, |a| {
        !a.iter().any(|x| x["id"].as_u64() == Some(id))
    });
}
