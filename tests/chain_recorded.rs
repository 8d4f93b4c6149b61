//! Fabric, CometBFT and Hermes against recorded responses served on
//! loopback by tests/data/recorded/serve.py (none of the three can be
//! installed here). Where each response's shape comes from:
//! - fabric/*/healthz.json (+ peer1 healthz.status 503): Fabric 2.5
//!   operations service docs, Health Checks
//!   (hyperledger-fabric.readthedocs.io/en/release-2.5/operations_service.html);
//! - fabric/*/logspec.json, version.json: same page, log level management
//!   and version;
//! - fabric/*/metrics.txt: Fabric 2.5 metrics reference
//!   (.../release-2.5/metrics_reference.html);
//! - fabric/orderer0/participation_v1_channels*.json: Fabric 2.5 channel
//!   participation API (osnadmin), hyperledger/fabric pkg/types ChannelInfo;
//! - cometbft/node0/*.json: CometBFT v0.38 RPC OpenAPI
//!   (cometbft/cometbft rpc/openapi/openapi.yaml, docs.cometbft.com/v0.38/rpc);
//! - cometbft/catching_up/*.json: the same, for a node whose /status says
//!   `sync_info.catching_up` true;
//! - hermes/metrics.1.txt, metrics.2.txt (served in turn, the second with
//!   client_updates_submitted risen): Hermes v1.x (≥1.6 exporter, `_total`
//!   counters) telemetry, guide documentation/telemetry/operators.md and
//!   crates/telemetry/src/state.rs;
//! - hermes/config.toml: Hermes v1.x guide, configuration ([[chains]],
//!   packet_filter).
//!
//! See tests/data/recorded/README.md.

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn recorded() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/recorded")
}

/// One recorded node served by serve.py; killed on drop.
struct Served {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Served {
    fn start(dir: &str, tmp: &Path) -> Served {
        let log = tmp.join(format!("{}.requests", dir.replace('/', "_")));
        let mut child = Command::new("python3")
            .arg(recorded().join("serve.py"))
            .arg(recorded().join(dir))
            .arg(&log)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is needed to serve recorded responses: run `bash tools/setup`");
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        BufReader::new(out).read_line(&mut line).expect("port line");
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("serve.py printed {line:?} instead of its port")
        });
        Served { child, port, log }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Network {
    peer0: Served,
    peer1: Served,
    orderer0: Served,
    comet: Served,
    hermes: Served,
}

fn network(tmp: &Path) -> Network {
    Network {
        peer0: Served::start("fabric/peer0", tmp),
        peer1: Served::start("fabric/peer1", tmp),
        orderer0: Served::start("fabric/orderer0", tmp),
        comet: Served::start("cometbft/node0", tmp),
        hermes: Served::start("hermes", tmp),
    }
}

fn chains(n: &Network) -> String {
    format!(
        r#"
[chains.fab]
platform = "fabric"
[chains.fab.nodes.peer0]
endpoint = "{p0}"
role = "peer"
log-spec = "gossip=warning:info"
[chains.fab.nodes.peer1]
endpoint = "{p1}"
role = "peer"
[chains.fab.nodes.orderer0]
endpoint = "{o0}"
role = "orderer"

[chains.hub]
platform = "cometbft"
[chains.hub.nodes.node0]
endpoint = "{c0}"
[chains.hub.relayer]
telemetry = "{h}/metrics"
config-file = "{cfg}"
chain-id = "ibc-0"
"#,
        p0 = n.peer0.url(),
        p1 = n.peer1.url(),
        o0 = n.orderer0.url(),
        c0 = n.comet.url(),
        h = n.hermes.url(),
        cfg = recorded().join("hermes/config.toml").display()
    )
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .and_then(|a| a.iter().find(|x| x[key] == value))
        .unwrap_or_else(|| panic!("no {key}={value} in {list}"))
}

#[test]
fn snapshot_of_recorded_fabric_cometbft_and_hermes() {
    let tmp = tempfile::tempdir().unwrap();
    let n = network(tmp.path());
    let config = tmp.path().join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n[thresholds]\nnode-degraded-hold-off-seconds = 0\n{}",
            tmp.path().join("data").display(),
            chains(&n)
        ),
    )
    .unwrap();
    let s = common::snapshot_json(tmp.path(), &["--config".as_ref(), config.as_os_str()]);
    let active = s["faults"]["active"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let alarm = |alarm_type: &str, resource: &str| {
        active
            .iter()
            .find(|a| a["alarm-type"] == alarm_type && a["resource"] == resource)
            .cloned()
            .unwrap_or_else(|| panic!("no {alarm_type} on {resource} in {active:?}"))
    };
    let nodes = &s["nodes"]["nodes"];
    // Fabric: heights, health, Raft, chaincodes, no block hashes.
    let peer0 = find(nodes, "id", "peer0");
    assert_eq!(peer0["oper-state"], "up", "{peer0}");
    assert_eq!(peer0["software"]["version"], "v2.5.4");
    assert_eq!(peer0["log-spec"], "info");
    assert!(
        peer0["unsupported"]
            .as_array()
            .unwrap()
            .contains(&"block-hashes".into())
    );
    let peer1 = find(nodes, "id", "peer1");
    assert_eq!(peer1["oper-state"], "degraded", "503 /healthz: {peer1}");
    let perf = &s["performance"]["nodes"];
    // node-degraded from /healthz 503 (hold-off 0 here, so at once).
    let health = &find(perf, "node", "peer1")["health"];
    assert_eq!(health["healthy"], false, "{health}");
    let problem = health["problem"].as_str().unwrap();
    assert!(
        problem.starts_with("/healthz failed checks: couchdb: "),
        "{problem}"
    );
    assert_eq!(find(perf, "node", "peer0")["health"]["healthy"], true);
    let degraded = alarm("node-degraded", "/chains/fab/nodes/peer1");
    assert_eq!(
        degraded["specific-problem"],
        format!("{problem}, for at least the hold-off of 0 s")
    );
    assert_eq!(degraded["perceived-severity"], "major");
    assert!(
        !active
            .iter()
            .any(|a| a["alarm-type"] == "node-degraded"
                && a["resource"] != "/chains/fab/nodes/peer1"),
        "only peer1 is unhealthy: {active:?}"
    );
    assert_eq!(find(perf, "node", "peer0")["height"], 42);
    assert_eq!(find(perf, "node", "orderer0")["peer-count"], 2);
    let fab = find(&s["consensus"]["chains"], "chain", "fab");
    assert_eq!(fab["algorithm"], "etcdraft");
    assert_eq!(fab["leader"], "orderer0");
    assert_eq!(fab["view-changes"], 2);
    assert_eq!(
        find(&fab["parameters"], "name", "cluster-size")["value"],
        "3"
    );
    assert_eq!(
        find(
            &fab["parameters"],
            "name",
            "participation/orderer0/mychannel"
        )["value"],
        "consenter, active, height 42"
    );
    let basic = find(&s["contracts"]["contracts"], "id", "basic");
    // 32 committed + 4 endorsement failures (3 on peer0, 1 on peer1);
    // 2 invalid commits + 4 endorsement failures.
    assert_eq!(
        (basic["calls"].as_u64(), basic["failed-calls"].as_u64()),
        (Some(36), Some(6))
    );
    assert_eq!(basic["version"], "1.0");
    let fab_ledger = find(&s["ledger"]["ledgers"], "chain", "fab");
    assert_eq!(fab_ledger["height"], 42);
    assert_eq!(
        find(&s["consensus"]["consistency"], "chain", "fab")["verdict"],
        "consistent"
    );
    let logs = s["logs"]["recent"].to_string();
    assert!(logs.contains("health check couchdb failed"), "{logs}");
    assert!(
        logs.contains("1 execute timeouts, 2 launch failures"),
        "{logs}"
    );

    // CometBFT: status, validators, round, peers.
    let node0 = find(nodes, "id", "node0");
    assert_eq!(
        node0["identity"],
        "5576458aef205977e18fd50b274e9b5d9014525a"
    );
    assert_eq!(node0["role"], "validator");
    assert_eq!(find(perf, "node", "node0")["height"], 12);
    assert_eq!(find(perf, "node", "node0")["tx-pool-size"], 3);
    let hub = find(&s["consensus"]["chains"], "chain", "hub");
    assert_eq!(hub["height"], 13);
    assert_eq!(hub["leader"], "8E1F0A6D0C7C5B3F6A2D9E4B1C0F7A3D2E5B6C9A");
    assert_eq!(hub["validators"].as_array().map(Vec::len), Some(2));
    let chain = find(&s["nodes"]["chains"], "id", "hub");
    assert_eq!(
        (chain["chain-id"].as_str(), chain["consensus-type"].as_str()),
        (Some("ibc-0"), Some("bft"))
    );
    let link = find(&s["nodes"]["links"], "local-node", "node0");
    assert_eq!(link["remote-address"], "10.0.0.2");
    assert_eq!(
        (link["bytes-in"].as_u64(), link["bytes-out"].as_u64()),
        (Some(7340), Some(5120))
    );
    assert_eq!(link["direction"], "outbound");
    let hub_ledger = find(&s["ledger"]["ledgers"], "chain", "hub");
    assert_eq!(hub_ledger["head-hash"], format!("B{:063}", 12));
    assert_eq!(
        s["ledger"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["chain"] == "hub")
            .count(),
        2
    );

    // Hermes: backlog and parameters of the relayer's channels.
    let ch = &s["cross-chain"]["channels"];
    let c0 = find(ch, "id", "transfer/channel-0");
    assert_eq!(c0["remote-chain"], "ibc-1");
    assert_eq!(
        (
            c0["pending"].as_u64(),
            c0["completed"].as_u64(),
            c0["timed-out"].as_u64()
        ),
        (Some(3), Some(15), Some(2))
    );
    assert_eq!(c0["oldest-pending-sequence"], 17);
    assert!(c0["oldest-pending-age-ms"].as_u64().unwrap() > 3_600_000);
    assert_eq!(c0["state"], "degraded", "packet 17 stuck since 2024");
    let stuck = alarm(
        "relayer-packets-stuck",
        "/chains/hub/channels/transfer/channel-0",
    );
    assert_eq!(
        stuck["specific-problem"],
        "packet 17 pending longer than 300 s"
    );
    assert_eq!(find(perf, "node", "node0")["health"]["healthy"], true);
    assert_eq!(
        find(&c0["parameters"], "name", "trusting-period")["value"],
        "14days"
    );
    assert_eq!(
        find(&c0["parameters"], "name", "trust-threshold")["value"],
        "2/3"
    );
    assert_eq!(
        find(&c0["parameters"], "name", "packet-filter.list")["value"],
        "transfer/channel-0,transfer/channel-1"
    );
    let c1 = find(ch, "id", "transfer/channel-1");
    assert_eq!(
        (c1["state"].as_str(), c1["pending"].as_u64()),
        (Some("open"), Some(0))
    );
    assert_eq!(ch.as_array().map(Vec::len), Some(2), "only ibc-0's paths");
    assert!(
        c0["client-expiry"].is_null(),
        "one scrape shows no client update: expiry unknown, {c0}"
    );
    assert!(
        !active
            .iter()
            .any(|a| a["alarm-type"] == "relayer-client-expiring"),
        "no expiry known, nothing expiring: {active:?}"
    );
}

/// A CometBFT node whose /status says it is still catching up: not
/// healthy, oper state degraded, node-degraded naming the source.
#[test]
fn a_node_catching_up_is_degraded() {
    let tmp = tempfile::tempdir().unwrap();
    let node = Served::start("cometbft/catching_up", tmp.path());
    let config = tmp.path().join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n\n[chains.sync]\nplatform = \"cometbft\"\n\
             [chains.sync.thresholds]\nnode-degraded-hold-off-seconds = 0\n\
             [chains.sync.nodes.node1]\nendpoint = \"{}\"\n",
            tmp.path().join("data").display(),
            node.url()
        ),
    )
    .unwrap();
    let s = common::snapshot_json(tmp.path(), &["--config".as_ref(), config.as_os_str()]);
    let node1 = find(&s["nodes"]["nodes"], "id", "node1");
    assert_eq!(node1["oper-state"], "degraded", "{node1}");
    let health = &find(&s["performance"]["nodes"], "node", "node1")["health"];
    assert_eq!(health["healthy"], false, "{health}");
    assert_eq!(health["problem"], "/status sync_info.catching_up is true");
    let a = find(&s["faults"]["active"], "alarm-type", "node-degraded");
    assert_eq!(a["resource"], "/chains/sync/nodes/node1");
    assert_eq!(
        a["specific-problem"],
        "/status sync_info.catching_up is true, for at least the hold-off of 0 s"
    );
}

/// ibc-1's `trusting_period` in the recorded config.toml, in ms: the
/// period of the client on ibc-0 that tracks ibc-1.
fn recorded_trusting_period_of_ibc1() -> u64 {
    let text = std::fs::read_to_string(recorded().join("hermes/config.toml")).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    let period = doc["chains"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"].as_str() == Some("ibc-1")))
        .and_then(|c| c["trusting_period"].as_str())
        .expect("ibc-1 trusting_period in the recorded config.toml");
    let days: u64 = period
        .strip_suffix("days")
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("expected '<n>days', got {period:?}"));
    days * 86_400_000
}

/// The times (ms) at which serve.py served each file of the hermes
/// metrics sequence, in order.
fn served_metrics(hermes: &Served) -> Vec<(String, u64)> {
    hermes
        .requests()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            match f.as_slice() {
                ["GET", _, file, ms] => Some((file.to_string(), ms.parse().ok()?)),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn client_expiry_follows_a_client_update_seen_by_the_running_agent() {
    let tmp = tempfile::tempdir().unwrap();
    let comet = Served::start("cometbft/node0", tmp.path());
    let hermes = Served::start("hermes", tmp.path());
    let agent = common::AgentProcess::start(
        tmp.path(),
        &format!(
            r#"
[chains.hub]
platform = "cometbft"
[chains.hub.nodes.node0]
endpoint = "{c0}"
[chains.hub.relayer]
telemetry = "{h}/metrics"
config-file = "{cfg}"
chain-id = "ibc-0"
"#,
            c0 = comet.url(),
            h = hermes.url(),
            cfg = recorded().join("hermes/config.toml").display()
        ),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let channels = loop {
        let (ok, out) = agent.ctl(&["snapshot"]);
        assert!(ok, "ctl snapshot: {out}");
        let snap: Value = serde_json::from_str(&out).expect("ctl snapshot JSON");
        let ch = snap["cross-chain"]["channels"].clone();
        if ch.as_array().is_some_and(|a| {
            a.iter()
                .any(|c| c["id"] == "transfer/channel-0" && !c["client-expiry"].is_null())
        }) {
            break ch;
        }
        assert!(
            Instant::now() < deadline,
            "client-expiry never set; channels {ch}; served {:?}",
            served_metrics(&hermes)
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let served = served_metrics(&hermes);
    let first = served
        .iter()
        .find(|(f, _)| f == "metrics.1.txt")
        .map(|(_, t)| *t)
        .expect("metrics.1.txt served");
    let second = served
        .iter()
        .find(|(f, _)| f == "metrics.2.txt")
        .map(|(_, t)| *t)
        .expect("the expiry was set before the counter rose");
    let c0 = find(&channels, "id", "transfer/channel-0");
    let expiry = c0["client-expiry"].as_u64().expect("client-expiry in ms");
    let period = recorded_trusting_period_of_ibc1();
    // The agent saw the counter rise between its scrape of metrics.1 and its
    // scrape of metrics.2 and dates the update at the earlier one: after
    // metrics.1 was served, strictly before metrics.2 was (the agent reads
    // its clock once the scrape is in, so dating the update at the later
    // scrape would give a time at or after `second`).
    let updated = expiry - period;
    assert!(
        first <= updated && updated < second,
        "update dated {updated}, expected in [{first}, {second}) (served {served:?})"
    );
    assert_eq!(c0["state"], "degraded", "still stuck on packet 17");
    assert_eq!(c0["client-id"], "07-tendermint-0");
    // ibc-1's trusting period is 1 day and the update is dated before
    // now: less than the default 24 h left.
    let alarms = agent.wait_alarms("relayer-client-expiring", 20, |a| {
        common::has(
            a,
            "relayer-client-expiring",
            "/chains/hub/channels/transfer/channel-0",
        )
    });
    let expiring = alarms
        .iter()
        .find(|a| a["alarm-type"] == "relayer-client-expiring")
        .unwrap();
    let problem = expiring["specific-problem"].as_str().unwrap();
    assert!(
        problem.starts_with("client 07-tendermint-0 tracking ibc-1 expires at ")
            && problem.ends_with(", less than 24 h away"),
        "{problem}"
    );
    assert_eq!(expiring["perceived-severity"], "major");
    assert_eq!(expiring["event-type"], "communicationsAlarm");
    let c1 = find(&channels, "id", "transfer/channel-1");
    assert!(
        c1["client-expiry"].is_null(),
        "ibc-2 has no [[chains]] entry, so no trusting period: {c1}"
    );
    assert_eq!(c1["state"], "open");
}

#[test]
fn configured_log_spec_is_put_to_the_fabric_node() {
    let tmp = tempfile::tempdir().unwrap();
    let n = network(tmp.path());
    let _agent = common::AgentProcess::start(tmp.path(), &chains(&n));
    let deadline = Instant::now() + Duration::from_secs(20);
    while !n.peer0.requests().contains("PUT /logspec") {
        assert!(Instant::now() < deadline, "no PUT /logspec reached peer0");
        std::thread::sleep(Duration::from_millis(100));
    }
    let put = n.peer0.requests();
    let body: Value = serde_json::from_str(put.trim().splitn(3, ' ').nth(2).unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"spec": "gossip=warning:info"}));
    assert!(
        n.peer1.requests().is_empty(),
        "peer1 has no log-spec configured"
    );
}
