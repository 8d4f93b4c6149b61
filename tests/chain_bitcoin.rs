//! End to end against a real 3-node Litecoin Core regtest network on
//! loopback: chain-agent must see the nodes, their peers and links as
//! getpeerinfo reports them, apply a log spec through `logging`, detect a
//! fork made by splitting one node off and mining on both sides (with its
//! first divergent height and the nodes on each branch), and clear it
//! after the network heals and the short side reorganises.

mod common;
#[path = "common/litecoin.rs"]
mod litecoin;

use common::AgentProcess;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A litecoind child process, stopped (then killed) when dropped, also
/// when the test panics.
struct Litecoind {
    name: &'static str,
    dir: PathBuf,
    p2p: u16,
    rpc: u16,
    /// `None`: cookie authentication (the agent reads the cookie file).
    password: Option<&'static str>,
    child: Child,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn require_litecoind() {
    let found = Command::new("litecoind")
        .arg("-version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "litecoind is not installed: run `bash tools/setup` (it installs the apt package litecoind)"
    );
}

impl Litecoind {
    fn start(root: &Path, name: &'static str, password: Option<&'static str>) -> Litecoind {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("datadir");
        let (p2p, rpc) = (free_port(), free_port());
        let child = spawn(&dir, p2p, rpc, name, password);
        let mut n = Litecoind {
            name,
            dir,
            p2p,
            rpc,
            password,
            child,
        };
        n.wait_rpc();
        n
    }

    fn wait_rpc(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.try_cli(&["getblockchaininfo"]).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "litecoind {} exited ({status}) before answering RPC",
                    self.name
                );
            }
            assert!(
                Instant::now() < deadline,
                "litecoind {} does not answer RPC",
                self.name
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stop the node and start it again on the same data and ports: it
    /// comes back with its chain but with its default log categories.
    fn restart(&mut self) {
        self.stop();
        self.child = spawn(&self.dir, self.p2p, self.rpc, self.name, self.password);
        self.wait_rpc();
    }

    fn stop(&mut self) {
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

    fn cookie(&self) -> PathBuf {
        self.dir.join("regtest").join(".cookie")
    }

    /// `litecoin-cli ARGS`, its output parsed as JSON when it is JSON.
    fn try_cli(&self, args: &[&str]) -> Result<Value, String> {
        let credentials: Vec<String> = match self.password {
            Some(pw) => vec![
                format!("-rpcuser={}", self.name),
                format!("-rpcpassword={pw}"),
            ],
            None => vec![],
        };
        litecoin::cli(&self.dir, self.rpc, &credentials, args)
    }

    fn cli(&self, args: &[&str]) -> Value {
        self.try_cli(args)
            .unwrap_or_else(|e| panic!("litecoin-cli {args:?} on {}: {e}", self.name))
    }

    fn height(&self) -> u64 {
        self.cli(&["getblockcount"]).as_u64().expect("height")
    }

    fn best(&self) -> String {
        self.cli(&["getbestblockhash"])
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn p2p_addr(&self) -> String {
        format!("127.0.0.1:{}", self.p2p)
    }

    /// Mine `n` blocks (no wallet needed). Each node pays its own script
    /// (OP_1, OP_2, ...): otherwise two sides mining on the same parent in
    /// the same second would build the very same blocks and never fork.
    fn mine(&self, n: u32) {
        let op = 0x50 + self.name.trim_start_matches('n').parse::<u8>().unwrap_or(1);
        let info = self.cli(&["getdescriptorinfo", &format!("raw({op:02x})")]);
        let desc = info["descriptor"].as_str().expect("descriptor").to_string();
        self.cli(&["generatetodescriptor", &n.to_string(), &desc]);
    }

    fn peers(&self) -> Vec<Value> {
        self.cli(&["getpeerinfo"])
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for Litecoind {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(
    dir: &Path,
    p2p: u16,
    rpc: u16,
    name: &str,
    password: Option<&str>,
) -> std::process::Child {
    let credentials = match password {
        Some(pw) => vec![format!("-rpcuser={name}"), format!("-rpcpassword={pw}")],
        None => Vec::new(),
    };
    litecoin::spawn(dir, p2p, rpc, &credentials)
}

fn wait(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn snapshot(agent: &AgentProcess) -> Value {
    agent.call(json!({"op": "snapshot"})).expect("snapshot")
}

fn consistency(snap: &Value) -> Value {
    snap["consensus"]["consistency"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["chain"] == "ltc"))
        .cloned()
        .unwrap_or(Value::Null)
}

fn fork_alarm(agent: &AgentProcess) -> Option<Value> {
    agent
        .active_alarms()
        .into_iter()
        .find(|a| a["alarm-type"] == "fork-detected" && a["resource"] == "/chains/ltc/ledger")
}

/// (remote address, inbound) of each connection, sorted.
fn peer_set(peers: &[Value]) -> Vec<(String, bool)> {
    let mut v: Vec<(String, bool)> = peers
        .iter()
        .map(|p| {
            (
                p["addr"].as_str().unwrap_or("").to_string(),
                p["inbound"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    v.sort();
    v
}

fn link_set(snap: &Value, node: &str) -> Vec<(String, bool)> {
    let mut v: Vec<(String, bool)> = snap["nodes"]["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["chain"] == "ltc" && l["local-node"] == node)
        .map(|l| {
            (
                l["remote-address"].as_str().unwrap_or("").to_string(),
                l["direction"] == "inbound",
            )
        })
        .collect();
    v.sort();
    v
}

fn remotes(snap: &Value, node: &str) -> Vec<String> {
    let mut v: Vec<String> = snap["nodes"]["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["chain"] == "ltc" && l["local-node"] == node)
        .map(|l| l["remote-node"].as_str().unwrap_or("").to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn litecoin_regtest_fork_is_detected_located_and_cleared() {
    require_litecoind();
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    // n1 authenticates with its cookie file, the others with a password.
    let n1 = Litecoind::start(root, "n1", None);
    let mut n2 = Litecoind::start(root, "n2", Some("pw2"));
    let n3 = Litecoind::start(root, "n3", Some("pw3"));
    n2.cli(&["addnode", &n1.p2p_addr(), "add"]);
    n3.cli(&["addnode", &n1.p2p_addr(), "add"]);
    n3.cli(&["addnode", &n2.p2p_addr(), "add"]);
    n1.mine(10);
    wait("the three nodes to share 10 blocks", 30, || {
        [&n2, &n3].iter().all(|n| n.height() == 10)
    });

    let config = format!(
        r#"
[chains.ltc]
platform = "bitcoin"
reorg-depth = 2
rpc-timeout-ms = 2000

[chains.ltc.nodes.n1]
endpoint = "127.0.0.1:{}"
auth = {{ cookie-file = "{}" }}

[chains.ltc.nodes.n2]
endpoint = "http://127.0.0.1:{}"
auth = {{ username = "n2", password = "pw2" }}
log-spec = "net,rpc"

[chains.ltc.nodes.n3]
endpoint = "127.0.0.1:{}"
auth = {{ username = "n3", password = "pw3" }}
"#,
        n1.rpc,
        n1.cookie().display(),
        n2.rpc,
        n3.rpc
    );
    let agent_dir = root.join("agent");
    std::fs::create_dir_all(&agent_dir).unwrap();
    let agent = AgentProcess::start(&agent_dir, &config);

    // Inventory, chain and consistency as the nodes report them.
    wait("the agent to see all three nodes at height 10", 30, || {
        let s = snapshot(&agent);
        let up = s["nodes"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|n| n["chain"] == "ltc" && n["oper-state"] == "up")
            .count();
        up == 3
            && consistency(&s)["verdict"] == "consistent"
            && s["ledger"]["ledgers"][0]["height"] == 10
    });
    let s = snapshot(&agent);
    let chain = &s["nodes"]["chains"][0];
    assert_eq!(chain["chain-id"], "regtest");
    assert_eq!(chain["consensus-type"], "proof-of-work");
    assert_eq!(chain["genesis-hash"], n1.cli(&["getblockhash", "0"]));
    let node2 = s["nodes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "n2")
        .cloned()
        .unwrap();
    assert_eq!(node2["software"]["client"], "LitecoinCore");
    // No Bitcoin RPC gives CPU or the machine, but n2 runs on this host:
    // its process is sampled from /proc (tests/node_resources.rs checks
    // the figures), so neither is listed as unsupported.
    let unsupported = node2["unsupported"].as_array().unwrap();
    assert!(
        !unsupported.contains(&json!("hardware")) && unsupported.contains(&json!("validators")),
        "{unsupported:?}"
    );
    let blocks = s["ledger"]["blocks"].as_array().unwrap();
    assert_eq!(blocks.last().unwrap()["hash"], n1.best().as_str());

    // The log spec was pushed with `logging` and is read back.
    let logging = n2.cli(&["logging"]);
    assert_eq!(
        (logging["net"].as_bool(), logging["rpc"].as_bool()),
        (Some(true), Some(true))
    );
    wait("n2's log spec in the model", 10, || {
        snapshot(&agent)["nodes"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|n| n["id"] == "n2" && n["log-spec"] == "net,rpc")
    });

    // Peers and links match getpeerinfo, remote ends resolved to node ids.
    wait("links to match getpeerinfo on every node", 30, || {
        let s = snapshot(&agent);
        [("n1", &n1), ("n2", &n2), ("n3", &n3)]
            .iter()
            .all(|(id, n)| link_set(&s, id) == peer_set(&n.peers()) && link_set(&s, id).len() == 2)
    });
    let s = snapshot(&agent);
    assert_eq!(remotes(&s, "n1"), vec!["n2", "n3"]);
    assert_eq!(remotes(&s, "n2"), vec!["n1", "n3"]);
    assert_eq!(remotes(&s, "n3"), vec!["n1", "n2"]);
    let perf3 = s["performance"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["node"] == "n3")
        .cloned()
        .unwrap();
    assert_eq!(perf3["peer-count"], 2);
    assert_eq!(perf3["tx-pool-size"], 0);
    let members: Vec<&str> = s["ledger"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["left-height"].is_null())
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        members,
        vec!["n1", "n2", "n3"],
        "the peer set is the membership"
    );

    // Split n3 off and mine on both sides: 5 blocks on n3, 7 on n1.
    n3.cli(&["setnetworkactive", "false"]);
    wait("n3 to drop its peers", 20, || n3.peers().is_empty());
    n3.mine(5);
    n1.mine(7);
    wait("n2 to follow n1", 20, || n2.height() == 17);
    let alarm = {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let r = consistency(&snapshot(&agent));
            if let Some(a) = fork_alarm(&agent)
                && r["split-length"] == 7
            {
                break a;
            }
            assert!(Instant::now() < deadline, "no fork alarm; consistency {r}");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let r = consistency(&snapshot(&agent));
    assert_eq!(r["verdict"], "forked");
    assert_eq!(r["first-divergent-height"], 11);
    assert_eq!(r["branch-count"], 2);
    let branch = |id: &str| {
        r["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["node"] == id)
            .map(|h| h["branch"].clone())
            .unwrap()
    };
    assert_eq!(branch("n1"), branch("n2"));
    assert_ne!(branch("n1"), branch("n3"));
    assert_eq!(
        alarm["specific-problem"],
        "branches [n1,n2] vs [n3] diverge at height 11 (split length 7)"
    );
    let (ok, text) = agent.ctl(&["alarms"]);
    assert!(
        ok && text.contains("diverge at height 11"),
        "ctl alarms: {text}"
    );
    let s = snapshot(&agent);
    let left: Vec<&str> = s["ledger"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m["left-height"].is_null())
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        left,
        vec!["n3"],
        "nobody sees n3 any more: it left the peer set"
    );

    // Heal: n3 reconnects and reorganises to the longer branch.
    n3.cli(&["setnetworkactive", "true"]);
    n3.cli(&["addnode", &n1.p2p_addr(), "onetry"]);
    wait("n3 to reorganise onto n1's branch", 30, || {
        n3.best() == n1.best()
    });
    let tips = n3.cli(&["getchaintips"]);
    assert!(
        tips.as_array()
            .unwrap()
            .iter()
            .any(|t| t["status"] == "valid-fork" && t["height"] == 15),
        "n3 keeps its abandoned branch as valid-fork: {tips}"
    );
    agent.wait_alarms("the fork alarm to clear", 20, |a| {
        !a.iter().any(|x| x["alarm-type"] == "fork-detected")
    });
    wait("a consistent verdict at height 17", 20, || {
        let r = consistency(&snapshot(&agent));
        r["verdict"] == "consistent" && r["common-height"] == 17
    });
    let r = consistency(&snapshot(&agent));
    assert_eq!(r["split-length"], 0);
    assert!(r["first-divergent-height"].is_null());
    wait("the abandoned branch in the consensus log", 20, || {
        snapshot(&agent)["logs"]["recent"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|l| l.to_string().contains("abandoned a branch"))
    });

    // A short split, no deeper than reorg-depth (2): a normal
    // reorganisation of a proof-of-work chain, reported but not alarmed.
    n3.cli(&["setnetworkactive", "false"]);
    wait("n3 to drop its peers again", 20, || n3.peers().is_empty());
    n3.mine(1);
    n1.mine(2);
    wait("n2 to follow n1 to 19", 20, || n2.height() == 19);
    wait("a reorganising verdict", 20, || {
        let r = consistency(&snapshot(&agent));
        r["verdict"] == "reorganising" && r["split-length"] == 2
    });
    let r = consistency(&snapshot(&agent));
    assert_eq!(r["first-divergent-height"], 18, "{r}");
    assert!(
        fork_alarm(&agent).is_none(),
        "a reorganisation within reorg-depth pages nobody"
    );
    n3.cli(&["setnetworkactive", "true"]);
    n3.cli(&["addnode", &n1.p2p_addr(), "onetry"]);
    wait("n3 to reorganise again", 30, || n3.best() == n1.best());
    wait("consistent again at 19", 20, || {
        let r = consistency(&snapshot(&agent));
        r["verdict"] == "consistent" && r["common-height"] == 19
    });
    assert!(fork_alarm(&agent).is_none());
    // A restarted node has forgotten its run-time log categories: the
    // agent pushes its log spec again once it answers.
    // (litecoind starts with its default categories: net and rpc off.)
    n2.restart();
    wait("n2's log spec pushed again after its restart", 20, || {
        let l = n2.cli(&["logging"]);
        l["net"].as_bool() == Some(true) && l["rpc"].as_bool() == Some(true)
    });
}
