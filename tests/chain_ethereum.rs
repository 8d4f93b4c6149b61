//! End to end against real Ethereum nodes: anvil (one node; then a second
//! anvil forked from the first, each mining its own blocks: a real fork;
//! then one of them killed) and a 2-node EthereumJS proof-of-authority
//! network (peers over devp2p, the clique signer set).

mod common;
#[path = "common/ethereum.rs"]
mod ethereum;

use common::{AgentProcess, has, netconf, snapshot_json, snmp};
use ethereum::{Anvil, EthereumJs, block_number, hash_at, rpc};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn chain_section(nodes: &[(&str, String)], extra: &str) -> String {
    let mut s = format!("[chains.dev]\nname = \"dev\"\nplatform = \"ethereum\"\n{extra}\n");
    for (name, url) in nodes {
        s.push_str(&format!(
            "[chains.dev.nodes.{name}]\nendpoint = \"{url}\"\n"
        ));
    }
    s
}

fn node<'a>(snap: &'a Value, id: &str) -> &'a Value {
    snap["nodes"]["nodes"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["id"] == id))
        .unwrap_or_else(|| panic!("no node {id} in {}", snap["nodes"]))
}

fn unsupported(snap: &Value, id: &str) -> Vec<String> {
    node(snap, id)["unsupported"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Poll the running agent's snapshot until `pred` holds.
fn wait_snapshot(
    agent: &AgentProcess,
    what: &str,
    secs: u64,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
        if pred(&snap) {
            return snap;
        }
        if Instant::now() > deadline {
            panic!(
                "timed out waiting for {what}; consistency {}; nodes {}; agent log:\n{}",
                snap["consensus"]["consistency"],
                snap["nodes"]["nodes"],
                std::fs::read_to_string(agent.dir.join("agent.log")).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn anvil_snapshot_shows_chain_id_blocks_and_client() {
    let dir = tempfile::tempdir().expect("tempdir");
    let anvil = Anvil::start(dir.path(), "anvil", &[]);
    anvil.mine(5);
    let config = dir.path().join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n[snmp]\nlisten = [\"127.0.0.1:0\"]\n{}",
            dir.path().join("data").display(),
            chain_section(&[("a1", anvil.url())], "")
        ),
    )
    .expect("config");
    let snap = snapshot_json(dir.path(), &["--config".as_ref(), config.as_os_str()]);

    let chain = &snap["nodes"]["chains"][0];
    assert_eq!(chain["chain-id"], "31337", "{chain}");
    assert_eq!(chain["platform"], "ethereum");
    assert_eq!(chain["consensus-type"], "instant");
    assert_eq!(chain["genesis-hash"], hash_at(anvil.port, 0));
    let a1 = node(&snap, "a1");
    assert_eq!(a1["software"]["client"], "anvil", "{a1}");
    assert!(
        a1["software"]["version"]
            .as_str()
            .unwrap_or("")
            .starts_with('v')
    );
    assert_eq!(a1["oper-state"], "up");
    // anvil has no admin_*, net_peerCount, engine or log RPC: said, not faked.
    let u = unsupported(&snap, "a1");
    for attr in [
        "identity",
        "peers",
        "links",
        "validators",
        "pending-votes",
        "log-spec",
    ] {
        assert!(u.iter().any(|x| x == attr), "{attr} not in {u:?}");
    }
    assert!(
        !u.iter().any(|x| x == "txpool"),
        "anvil has txpool_status: {u:?}"
    );

    let blocks = snap["ledger"]["blocks"].as_array().expect("blocks");
    let heights: Vec<u64> = blocks.iter().filter_map(|b| b["height"].as_u64()).collect();
    assert_eq!(heights, (0..=5).collect::<Vec<_>>());
    for b in blocks {
        let h = b["height"].as_u64().expect("height");
        assert_eq!(b["hash"], hash_at(anvil.port, h), "block {h}");
    }
    assert_eq!(snap["ledger"]["ledgers"][0]["height"], 5);
    assert_eq!(snap["consensus"]["chains"][0]["algorithm"], "instant-seal");
    let perf = &snap["performance"]["nodes"][0];
    assert_eq!(perf["tx-pool-size"], 0, "{perf}");
    // anvil answers eth_syncing with false: in sync, so healthy.
    assert_eq!(
        perf["health"],
        json!({"healthy": true, "problem": ""}),
        "{perf}"
    );
    assert!(
        !has(
            snap["faults"]["active"].as_array().expect("alarms"),
            "node-unreachable",
            "/chains/dev/nodes/a1"
        ),
        "a reachable node raised node-unreachable"
    );
}

#[test]
fn forked_anvil_is_found_at_its_height_and_a_dead_node_is_alarmed_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a1 = Anvil::start(dir.path(), "anvil-1", &[]);
    let fork_at = 5;
    a1.mine(fork_at);
    let mut a2 = Anvil::start(
        dir.path(),
        "anvil-2",
        &[
            "--fork-url",
            &a1.url(),
            "--fork-block-number",
            &fork_at.to_string(),
        ],
    );
    assert_eq!(
        hash_at(a2.port, fork_at),
        hash_at(a1.port, fork_at),
        "same history to the fork"
    );
    // A transaction on one side only, so both sides' next blocks differ
    // even if sealed in the same second.
    let from = rpc(a2.port, "eth_accounts", json!([])).expect("eth_accounts")[0].clone();
    rpc(
        a2.port,
        "eth_sendTransaction",
        json!([{"from": from, "to": "0x000000000000000000000000000000000000dEaD", "value": "0x1"}]),
    )
    .expect("eth_sendTransaction");
    a2.mine(5);
    a1.mine(6);
    assert_ne!(hash_at(a1.port, fork_at + 1), hash_at(a2.port, fork_at + 1));

    let extra =
        "[chains.dev.validator-votes]\n\"0x00000000000000000000000000000000000000aa\" = true\n";
    let mut section = chain_section(&[("a1", a1.url()), ("a2", a2.url())], extra);
    section.push_str("log-spec = \"debug\"\n");
    let agent = AgentProcess::start(dir.path(), &section);
    let snap = wait_snapshot(&agent, "the fork", 30, |s| {
        s["consensus"]["consistency"][0]["verdict"] == "forked"
    });
    let report = &snap["consensus"]["consistency"][0];
    assert_eq!(report["first-divergent-height"], fork_at + 1, "{report}");
    assert_eq!(report["branch-count"], 2);
    agent.wait_alarms("the fork alarm", 10, |a| {
        a.iter().any(|x| x["alarm-type"] == "fork-detected")
    });
    // The same report as an NMS reads it: net-snmp with the MIB, and
    // ncclient over NETCONF.
    // The SNMP view is rebuilt from the published snapshot in the
    // background: wait for it to carry the fork too.
    let port = snmp::snmp_port(&agent);
    let walk_table = || snmp::read_with_mib("snmpwalk", port, &["bcmConsistencyTable"]);
    let deadline = Instant::now() + Duration::from_secs(15);
    let walk = loop {
        let walk = walk_table();
        if walk.contains("forked(3)") {
            break walk;
        }
        assert!(
            Instant::now() < deadline,
            "no forked verdict over SNMP:\n{walk}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let line = |column: &str| {
        walk.lines()
            .find(|l| l.contains(column) && l.contains("\"dev\""))
            .unwrap_or_else(|| panic!("no {column} for dev in:\n{walk}"))
            .to_string()
    };
    assert!(
        line("bcmConsistencyVerdict").ends_with("forked(3)"),
        "{walk}"
    );
    assert!(
        line("bcmConsistencyDivergentHeight").ends_with(&format!(": {} blocks", fork_at + 1)),
        "{walk}"
    );
    netconf::script(
        &agent,
        "admin",
        &format!(
            r#"
m = connect()
d = m.get(filter=("subtree", f'<chains xmlns="{{NODES}}"><chain><id>dev</id></chain></chains>')).data_ele
got = d.xpath("//*[local-name()='consistency']/*[local-name()='first-divergent-height']/text()")
assert got == ["{}"], got
verdict = d.xpath("//*[local-name()='consistency']/*[local-name()='verdict']/text()")
assert verdict == ["forked"], verdict
"#,
            fork_at + 1
        ),
    );
    // anvil has neither votes nor log levels: the agent says so.
    let logs = snap["logs"]["recent"].to_string();
    assert!(logs.contains("validator votes on anvil"), "{logs}");
    assert!(logs.contains("log level changes on anvil"), "{logs}");

    a2.kill();
    agent.wait_alarms("a2's node-unreachable alarm", 15, |a| {
        has(a, "node-unreachable", "/chains/dev/nodes/a2")
    });
    // a1 is still collected: its new blocks arrive while a2 stays down.
    a1.mine(3);
    let top = block_number(a1.port);
    let snap = wait_snapshot(&agent, "a1's new head", 15, |s| {
        s["ledger"]["ledgers"][0]["height"] == top
    });
    assert_eq!(node(&snap, "a2")["oper-state"], "down");
    assert_ne!(node(&snap, "a1")["oper-state"], "down");
    assert!(!has(
        &agent.active_alarms(),
        "node-unreachable",
        "/chains/dev/nodes/a1"
    ));
}

#[test]
fn ethereumjs_poa_network_reports_links_and_signers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e1 = EthereumJs::start(dir.path(), "ejs-1", &["--mine".into()]);
    let signer = e1.banner("Address:").to_ascii_lowercase();
    let key = e1.banner("Private key:");
    let key_file = dir.path().join("signer.key");
    std::fs::write(&key_file, key.trim_start_matches("0x")).expect("key file");
    // Node 2 shares node 1's dev key (so the genesis, which names the
    // signer, matches) but does not seal: one chain, one signer.
    let e2 = EthereumJs::start(
        dir.path(),
        "ejs-2",
        &[
            "--mine=false".into(),
            "--unlock".into(),
            key_file.display().to_string(),
            "--bootnodes".into(),
            e1.enode(),
        ],
    );
    let votes =
        "[chains.dev.validator-votes]\n\"0x00000000000000000000000000000000000000aa\" = true\n";
    let section = chain_section(&[("e1", e1.url()), ("e2", e2.url())], votes).replace(
        "[chains.dev.nodes.e2]",
        "log-spec = \"info\"\n[chains.dev.nodes.e2]",
    );
    let agent = AgentProcess::start(dir.path(), &section);
    let snap = wait_snapshot(&agent, "both devp2p links", 60, |s| {
        s["nodes"]["links"].as_array().is_some_and(|l| l.len() >= 2)
    });
    let links = snap["nodes"]["links"].as_array().expect("links");
    let link = |from: &str| {
        links
            .iter()
            .find(|l| l["local-node"] == from)
            .unwrap_or_else(|| panic!("no link from {from}: {links:?}"))
    };
    // e2 dialled e1 (bootnode): outbound from e2, inbound at e1.
    assert_eq!(link("e1")["remote-node"], "e2");
    assert_eq!(link("e1")["direction"], "inbound");
    assert_eq!(link("e2")["remote-node"], "e1");
    assert_eq!(link("e2")["direction"], "outbound");
    assert_eq!(
        link("e2")["remote-address"],
        format!("127.0.0.1:{}", e1.p2p_port)
    );

    let info = rpc(e1.rpc_port, "admin_nodeInfo", json!([])).expect("admin_nodeInfo");
    assert_eq!(node(&snap, "e1")["identity"], info["id"]);
    assert_eq!(node(&snap, "e1")["software"]["client"], "EthereumJS");
    assert_eq!(snap["nodes"]["chains"][0]["chain-id"], "123456");
    assert_eq!(
        snap["nodes"]["chains"][0]["consensus-type"],
        "proof-of-authority"
    );
    let consensus = &snap["consensus"]["chains"][0];
    assert_eq!(consensus["algorithm"], "clique");
    let validators: Vec<&str> = consensus["validators"]
        .as_array()
        .expect("validators")
        .iter()
        .filter_map(|v| v["address"].as_str())
        .collect();
    assert_eq!(validators, vec![signer.as_str()]);
    let members = snap["ledger"]["members"].as_array().expect("members");
    assert!(
        members
            .iter()
            .any(|m| m["address"] == signer.as_str() && m["role"] == "signer")
    );
    // EthereumJS: no clique_* (so no votes) and no txpool_status, but
    // admin_peers and debug_verbosity.
    let u = unsupported(&snap, "e1");
    assert!(u.iter().any(|x| x == "pending-votes"), "{u:?}");
    assert!(u.iter().any(|x| x == "txpool"), "{u:?}");
    assert!(!u.iter().any(|x| x == "links" || x == "peers"), "{u:?}");
    assert_eq!(node(&snap, "e1")["log-spec"], "info");
    let logs = snap["logs"]["recent"].to_string();
    assert!(logs.contains("validator votes on EthereumJS"), "{logs}");
    let peers = snap["performance"]["nodes"]
        .as_array()
        .expect("performance");
    assert!(peers.iter().all(|p| p["peer-count"] == 1), "{peers:?}");
}

/// The agent's recent blocks are exactly the node's, height by height.
fn blocks_match(snap: &Value, port: u16, top: u64) -> bool {
    let Some(blocks) = snap["ledger"]["blocks"].as_array() else {
        return false;
    };
    blocks.last().and_then(|b| b["height"].as_u64()) == Some(top)
        && blocks.iter().all(|b| {
            b["height"]
                .as_u64()
                .is_some_and(|h| b["hash"] == hash_at(port, h))
        })
}

#[test]
fn a_reorganisation_replaces_the_cached_blocks_that_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let anvil = Anvil::start(dir.path(), "anvil", &[]);
    anvil.mine(7);
    let snapshot_id = rpc(anvil.port, "evm_snapshot", json!([])).expect("evm_snapshot");
    anvil.mine(3);
    let old_top = hash_at(anvil.port, 10);
    let agent = AgentProcess::start(dir.path(), &chain_section(&[("a1", anvil.url())], ""));
    wait_snapshot(&agent, "blocks 0..10", 15, |s| {
        blocks_match(s, anvil.port, 10)
    });
    // Back to height 7, then a different block 8 (with a transaction) and
    // two more: the same heights with other hashes.
    rpc(anvil.port, "evm_revert", json!([snapshot_id])).expect("evm_revert");
    let from = rpc(anvil.port, "eth_accounts", json!([])).expect("eth_accounts")[0].clone();
    rpc(
        anvil.port,
        "eth_sendTransaction",
        json!([{"from": from, "to": "0x000000000000000000000000000000000000dEaD", "value": "0x1"}]),
    )
    .expect("eth_sendTransaction");
    anvil.mine(2);
    assert_eq!(block_number(anvil.port), 10);
    assert_ne!(hash_at(anvil.port, 10), old_top);
    let snap = wait_snapshot(&agent, "the reorganised blocks", 15, |s| {
        blocks_match(s, anvil.port, 10)
    });
    let b8 = &snap["ledger"]["blocks"].as_array().expect("blocks")[8];
    assert_eq!(b8["tx-count"], 1, "{b8}");
}

#[test]
fn a_node_that_never_answers_costs_the_others_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let anvil = Anvil::start(dir.path(), "anvil", &[]);
    // Accepts connections (the kernel does) but never answers a request.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let silent_url = format!("http://{}", silent.local_addr().expect("addr"));
    let section = chain_section(
        &[("a1", anvil.url()), ("hung", silent_url)],
        "rpc-timeout-ms = 500",
    );
    let agent = AgentProcess::start(dir.path(), &section);
    agent.wait_alarms("the hung node's alarm", 10, |a| {
        has(a, "node-unreachable", "/chains/dev/nodes/hung")
    });
    for round in 1..=3 {
        anvil.mine(1);
        wait_snapshot(&agent, "a1's next block", 5, |s| {
            s["ledger"]["ledgers"][0]["height"] == round
        });
    }
    assert!(!has(
        &agent.active_alarms(),
        "node-unreachable",
        "/chains/dev/nodes/a1"
    ));
    drop(silent);
}
