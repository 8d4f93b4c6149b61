//! Chains and nodes provisioned at run time, against real anvil nodes: a
//! node added over NETCONF (ncclient) is collected within two polling
//! intervals; one removed with `ctl` leaves the snapshot and its alarms
//! clear as "resource removed"; a whole chain comes and goes over `ctl`;
//! net-snmp's snmpset adds and removes a node with bcmNodeRowStatus.
//! No restart anywhere.

mod common;
#[path = "common/ethereum.rs"]
mod ethereum;

use common::{AgentProcess, has, netconf, snmp};
use ethereum::Anvil;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const INTERVAL_MS: u64 = 1000;

fn snapshot(agent: &AgentProcess) -> Value {
    agent.call(json!({"op": "snapshot"})).expect("snapshot")
}

fn node_state(snap: &Value, chain: &str, id: &str) -> Option<String> {
    snap["nodes"]["nodes"]
        .as_array()?
        .iter()
        .find(|n| n["chain"] == chain && n["id"] == id)
        .and_then(|n| n["oper-state"].as_str().map(String::from))
}

/// Whether the node has been collected and answers: `up`, or `degraded`
/// when the consistency analysis finds two separate anvil chains apart
/// (each anvil has its own genesis).
fn answers(snap: &Value, chain: &str, id: &str) -> bool {
    matches!(
        node_state(snap, chain, id).as_deref(),
        Some("up" | "degraded")
    )
}

/// Wait for `pred` on the snapshot; the time it took.
fn wait(agent: &AgentProcess, what: &str, pred: impl Fn(&Value) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let snap = snapshot(agent);
        if pred(&snap) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}; nodes {}; log:\n{}",
            snap["nodes"]["nodes"],
            netconf::agent_log(agent)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn nodes_and_chains_come_and_go_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let a1 = Anvil::start(dir.path(), "a1", &[]);
    let mut a2 = Anvil::start(dir.path(), "a2", &[]);
    let b1 = Anvil::start(dir.path(), "b1", &[]);
    std::fs::write(
        dir.path().join("agent.toml"),
        format!(
            "[agent]\ndata-dir = \"{}\"\ncollect-interval-ms = {INTERVAL_MS}\n\n\
             [snmp]\nlisten = [\"127.0.0.1:0\"]\n\n{}\
             [chains.dev]\nplatform = \"ethereum\"\n[chains.dev.nodes.a1]\nendpoint = \"{}\"\n",
            dir.path().join("data").display(),
            netconf::DEFAULT_SECTION,
            a1.url()
        ),
    )
    .unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    wait(&agent, "a1 up", |s| answers(s, "dev", "a1"));

    // A node added over NETCONF.
    netconf::script(
        &agent,
        "admin",
        &format!(
            r#"
with connect() as m:
    m.edit_config(target="running", config=f'<config><chains xmlns="{{NODES}}"><chain><id>dev</id><nodes><node><id>a2</id><endpoint>{}</endpoint></node></nodes></chain></chains></config>')
"#,
            a2.url()
        ),
    );
    let took = wait(&agent, "a2 collected", |s| answers(s, "dev", "a2"));
    assert!(
        took < Duration::from_millis(2 * INTERVAL_MS),
        "a2 was collected {took:?} after its commit, more than two intervals"
    );
    assert!(
        answers(&snapshot(&agent), "dev", "a1"),
        "the rebuilt collector still collects a1"
    );

    // It fails, and then leaves the configuration: its alarm clears as
    // "resource removed", not as a repaired fault.
    a2.kill();
    agent.wait_alarms("a2 unreachable", 30, |a| {
        has(a, "node-unreachable", "/chains/dev/nodes/a2")
    });
    let (ok, out) = agent.ctl(&["delete", "/chains/dev/nodes/a2"]);
    assert!(ok, "{out}");
    wait(&agent, "a2 gone", |s| node_state(s, "dev", "a2").is_none());
    let snap = snapshot(&agent);
    assert!(!has(
        snap["faults"]["active"].as_array().unwrap(),
        "node-unreachable",
        "/chains/dev/nodes/a2"
    ));
    let removed = snap["faults"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| {
            a["alarm-type"] == "node-unreachable"
                && a["resource"] == "/chains/dev/nodes/a2"
                && a["cleared"].is_u64()
                && a["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("resource removed"))
        });
    assert!(
        removed,
        "no 'resource removed' clear in {}",
        snap["faults"]["history"]
    );

    // A whole chain, added and removed over ctl.
    let chain = json!({"platform": "ethereum", "nodes": {"b1": {"endpoint": b1.url()}}});
    let (ok, out) = agent.ctl(&["set", "/chains/other", &chain.to_string()]);
    assert!(ok, "{out}");
    wait(&agent, "chain other collected", |s| {
        answers(s, "other", "b1")
    });
    let (ok, out) = agent.ctl(&["delete", "/chains/other"]);
    assert!(ok, "{out}");
    wait(&agent, "chain other gone", |s| {
        node_state(s, "other", "b1").is_none()
            && !s["nodes"]["chains"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == "other")
    });
    assert!(answers(&snapshot(&agent), "dev", "a1"));
}

/// `snmpset` with the MIB loaded, against the agent's write community;
/// sent once (`-r 0`): a retransmitted createAndGo would find its row.
fn snmpset(port: u16, args: &[&str]) -> (bool, String) {
    let target = format!("127.0.0.1:{port}");
    let dirs = snmp::mib_dirs();
    let mut all = vec![
        "-v2c",
        "-c",
        "private",
        "-t",
        "3",
        "-r",
        "0",
        "-M",
        &dirs,
        "-m",
        "BLOCKCHAIN-MGMT-MIB",
        &target,
    ];
    all.extend_from_slice(args);
    let o = snmp::tool("snmpset", &all);
    (o.status.success(), snmp::text(&o))
}

/// Wait until `snmpget` of `object` says `needle`: SNMP's view is
/// rebuilt from each new snapshot, a moment after the snapshot.
fn snmp_shows(port: u16, object: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let o = snmp::with_mib("snmpget", port, "public", &[object]);
        let text = snmp::text(&o);
        if text.contains(needle) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{object} never showed {needle}: {text}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn snmp_row_status_adds_and_removes_a_node() {
    let dir = tempfile::tempdir().unwrap();
    let a1 = Anvil::start(dir.path(), "a1", &[]);
    let a2 = Anvil::start(dir.path(), "a2", &[]);
    std::fs::write(
        dir.path().join("agent.toml"),
        format!(
            "[agent]\ndata-dir = \"{}\"\ncollect-interval-ms = {INTERVAL_MS}\n\n\
             [snmp]\nlisten = [\"127.0.0.1:0\"]\n\
             [snmp.communities.public]\naccess = \"read-only\"\n\
             [snmp.communities.private]\naccess = \"read-write\"\nsources = [\"127.0.0.0/8\"]\n\n\
             [chains.dev]\nplatform = \"ethereum\"\n[chains.dev.nodes.a1]\nendpoint = \"{}\"\n",
            dir.path().join("data").display(),
            a1.url()
        ),
    )
    .unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    let port = snmp::snmp_port(&agent);
    wait(&agent, "a1 up", |s| answers(s, "dev", "a1"));
    let status = |node: &str| format!("bcmNodeRowStatus.\"dev\".\"{node}\"");
    let endpoint = |node: &str| format!("bcmNodeEndpoint.\"dev\".\"{node}\"");

    // A read-create column of a row that neither exists nor is created.
    let (ok, out) = snmpset(port, &[&endpoint("a2"), "s", &a2.url()]);
    assert!(!ok && out.contains("noCreation"), "{out}");
    // createAndWait is not supported.
    let (ok, out) = snmpset(port, &[&status("a2"), "i", "createAndWait"]);
    assert!(!ok && out.contains("wrongValue"), "{out}");
    // No chain of that name.
    let (ok, out) = snmpset(
        port,
        &["bcmNodeRowStatus.\"nope\".\"a2\"", "i", "createAndGo"],
    );
    assert!(!ok && out.contains("noCreation"), "{out}");
    // A real node needs its endpoint: the configuration refuses it.
    let (ok, out) = snmpset(port, &[&status("a2"), "i", "createAndGo"]);
    assert!(!ok && out.contains("inconsistentValue"), "{out}");

    // The status after the endpoint in the PDU: the entry is still
    // created first, then filled.
    let (ok, out) = snmpset(
        port,
        &[
            &endpoint("a2"),
            "s",
            &a2.url(),
            &status("a2"),
            "i",
            "createAndGo",
        ],
    );
    assert!(ok, "{out}");
    let took = wait(&agent, "a2 collected", |s| answers(s, "dev", "a2"));
    assert!(took < Duration::from_millis(2 * INTERVAL_MS), "{took:?}");
    let c = agent.call(json!({"op": "get-config"})).unwrap();
    assert_eq!(
        c["chains"]["dev"]["nodes"]["a2"]["endpoint"],
        a2.url().as_str(),
        "{c}"
    );
    // It exists now.
    let (ok, out) = snmpset(port, &[&status("a2"), "i", "createAndGo"]);
    assert!(!ok && out.contains("inconsistentValue"), "{out}");
    let (ok, out) = snmpset(port, &[&status("a2"), "i", "active"]);
    assert!(ok, "{out}");
    // SNMP's view follows the snapshot it is rebuilt from.
    snmp_shows(port, &status("a2"), "active(1)");

    let (ok, out) = snmpset(port, &[&status("a2"), "i", "destroy"]);
    assert!(ok, "{out}");
    wait(&agent, "a2 gone", |s| node_state(s, "dev", "a2").is_none());
    let c = agent.call(json!({"op": "get-config"})).unwrap();
    assert!(c["chains"]["dev"]["nodes"].get("a2").is_none(), "{c}");
    snmp_shows(port, &status("a2"), "No Such Instance");
    // Destroying what is gone changes nothing, and is no error.
    let (ok, out) = snmpset(port, &[&status("a2"), "i", "destroy"]);
    assert!(ok, "{out}");
    assert!(answers(&snapshot(&agent), "dev", "a1"));
}
