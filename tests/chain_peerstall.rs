//! peer-count-low and block-production-stalled (issue 14 §2) against
//! real Litecoin Core regtest nodes on loopback: a node with fewer peers
//! than its minimum raises peer-count-low and connecting a peer clears
//! it; a chain whose mining stops raises block-production-stalled (and
//! not consensus-stalled: Bitcoin reports no consensus round), and mining
//! again clears it.

mod common;
#[path = "common/litecoin.rs"]
mod litecoin;

use common::{AgentProcess, has, snmp};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

/// A litecoind with password authentication, stopped when dropped.
struct Node {
    name: &'static str,
    dir: std::path::PathBuf,
    p2p: u16,
    rpc: u16,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Node {
    fn start(root: &Path, name: &'static str) -> Node {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("datadir");
        let (p2p, rpc) = (free_port(), free_port());
        let child = litecoin::spawn(
            &dir,
            p2p,
            rpc,
            &[format!("-rpcuser={name}"), "-rpcpassword=pw".to_string()],
        );
        let node = Node {
            name,
            dir,
            p2p,
            rpc,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while node.try_cli(&["getblockchaininfo"]).is_err() {
            assert!(
                Instant::now() < deadline,
                "litecoind {name} does not answer"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        node
    }

    fn try_cli(&self, args: &[&str]) -> Result<Value, String> {
        let credentials = [format!("-rpcuser={}", self.name), "-rpcpassword=pw".into()];
        litecoin::cli(&self.dir, self.rpc, &credentials, args)
    }

    fn cli(&self, args: &[&str]) -> Value {
        self.try_cli(args)
            .unwrap_or_else(|e| panic!("litecoin-cli {args:?} on {}: {e}", self.name))
    }

    /// Mine `n` blocks to OP_TRUE (no wallet needed).
    fn mine(&self, n: u32) {
        let info = self.cli(&["getdescriptorinfo", "raw(51)"]);
        let desc = info["descriptor"].as_str().expect("descriptor").to_string();
        self.cli(&["generatetodescriptor", &n.to_string(), &desc]);
    }

    fn chain_config(&self) -> String {
        format!(
            "[chains.ltc.nodes.{}]\nendpoint = \"127.0.0.1:{}\"\nauth = {{ username = \"{}\", password = \"pw\" }}\n",
            self.name, self.rpc, self.name
        )
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.try_cli(&["stop"]);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn alarm(agent: &AgentProcess, alarm_type: &str, resource: &str) -> Option<Value> {
    agent
        .active_alarms()
        .into_iter()
        .find(|a| a["alarm-type"] == alarm_type && a["resource"] == resource)
}

fn perf(agent: &AgentProcess, node: &str) -> Value {
    let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
    snap["performance"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["chain"] == "ltc" && p["node"] == node)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn a_litecoind_with_too_few_peers_raises_peer_count_low_until_a_peer_connects() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let n1 = Node::start(tmp.path(), "n1");
    let n2 = Node::start(tmp.path(), "n2");
    n1.mine(1);
    // A 1 s hold-off and no stall alarm from the file; the minimum of 1
    // peer set at run time, on the chain, with ctl.
    let config = format!(
        "[chains.ltc]\nplatform = \"bitcoin\"\n\n[chains.ltc.thresholds]\npeer-count-hold-off-seconds = 1\nblock-stall-factor = 0\n\n{}",
        n1.chain_config()
    );
    let agent_dir = tmp.path().join("agent");
    std::fs::create_dir_all(&agent_dir).unwrap();
    let agent = AgentProcess::start(&agent_dir, &config);
    let resource = "/chains/ltc/nodes/n1";
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        alarm(&agent, "peer-count-low", resource).is_none(),
        "peer-count-min 0, the default, is off"
    );
    let (ok, out) = agent.ctl(&["set", "/chains/ltc/thresholds/peer-count-min", "1"]);
    assert!(ok, "{out}");
    // A node cannot take a chain's ledger threshold.
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/ltc/nodes/n1/thresholds/block-stall-factor",
        "2",
    ]);
    assert!(!ok && out.contains("a chain's threshold"), "{out}");
    agent.wait_alarms("peer-count-low on n1", 30, |a| {
        has(a, "peer-count-low", resource)
    });
    let a = alarm(&agent, "peer-count-low", resource).expect("the alarm");
    assert_eq!(
        a["specific-problem"], "0 peers, below the minimum of 1",
        "{a}"
    );
    assert_eq!(a["event-type"], "communicationsAlarm");
    assert_eq!(a["probable-cause"], "connectionEstablishmentError");
    assert_eq!(perf(&agent, "n1")["peer-count"], 0);
    assert_eq!(perf(&agent, "n1")["thresholds"]["peer-count-min"], 1);
    // As an NMS reads it: the count, the chain's minimum, the alarm kind
    // (the SNMP view follows the published snapshot in the background).
    let port = snmp::snmp_port(&agent);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let walk = [
            "bcmPerfPeerCount",
            "bcmChainThreshPeerCountMin",
            "bcmAlarmActiveTable",
        ]
        .map(|o| snmp::read_with_mib("snmpwalk", port, &[o]))
        .join("");
        if walk.contains("bcmPerfPeerCount.\"ltc\".\"n1\" = Gauge32: 0")
            && walk.contains("bcmChainThreshPeerCountMin.\"ltc\" = Gauge32: 1")
            && walk.contains("peerCountLow(11)")
        {
            break;
        }
        assert!(Instant::now() < deadline, "not over SNMP:\n{walk}");
        std::thread::sleep(Duration::from_millis(500));
    }

    n1.cli(&["addnode", &format!("127.0.0.1:{}", n2.p2p), "onetry"]);
    agent.wait_alarms("peer-count-low to clear", 30, |a| {
        !has(a, "peer-count-low", resource)
    });
    assert_eq!(perf(&agent, "n1")["peer-count"], 1);
}

#[test]
fn a_litecoind_chain_whose_mining_stops_raises_block_production_stalled_until_it_mines_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let n1 = Node::start(tmp.path(), "n1");
    n1.mine(1);
    // regtest mines on demand: this chain's interval is 1 s, stalled
    // after 3 intervals; the global hold-off 1 s.
    let config = format!(
        "[thresholds]\nhold-off-seconds = 1\n\n[chains.ltc]\nplatform = \"bitcoin\"\n\n[chains.ltc.thresholds]\nblock-interval-seconds = 1\nblock-stall-factor = 3\n\n{}",
        n1.chain_config()
    );
    let agent_dir = tmp.path().join("agent");
    std::fs::create_dir_all(&agent_dir).unwrap();
    let agent = AgentProcess::start(&agent_dir, &config);
    let resource = "/chains/ltc/ledger";
    // Blocks every half second for 6 s: no alarm.
    let until = Instant::now() + Duration::from_secs(6);
    while Instant::now() < until {
        n1.mine(1);
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            alarm(&agent, "block-production-stalled", resource).is_none(),
            "raised while blocks come"
        );
    }
    // Mining stops.
    let alarms = agent.wait_alarms("block-production-stalled", 20, |a| {
        has(a, "block-production-stalled", resource)
    });
    let a = alarms
        .iter()
        .find(|a| a["alarm-type"] == "block-production-stalled")
        .expect("the alarm");
    let problem = a["specific-problem"].as_str().unwrap_or("");
    assert!(
        problem.starts_with("no block after height ")
            && problem.ends_with(", threshold 3 s (3 x the 1 s block interval)"),
        "{a}"
    );
    assert_eq!(a["perceived-severity"], "critical");
    assert!(
        !has(&alarms, "consensus-stalled", "/chains/ltc/consensus"),
        "one cause, one alarm: {alarms:?}"
    );
    // Mining again.
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        n1.mine(1);
        std::thread::sleep(Duration::from_millis(500));
        if alarm(&agent, "block-production-stalled", resource).is_none() {
            break;
        }
        assert!(Instant::now() < until, "block-production-stalled stays");
    }
}
