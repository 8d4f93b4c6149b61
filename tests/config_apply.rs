//! Intended versus applied configuration against real nodes, driving the
//! binary: a log spec litecoind refuses (an unknown `logging` category),
//! set over SNMP, is committed (the SET succeeds) and then reported
//! `refused` with litecoind's words, in the snapshot and in
//! bcmConfigApplyTable, and raises `config-apply-failed`; a valid one set
//! with `ctl` is `applied` and clears the alarm. anvil answers "Method not
//! found" to `debug_verbosity`: a log spec for it is `unsupported`.

mod common;
#[path = "common/ethereum.rs"]
mod ethereum;
#[path = "common/litecoin.rs"]
mod litecoin;

use common::traps::TrapReceiver;
use common::{AgentProcess, netconf, snmp};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SNMP_RW: &str = r#"[snmp]
listen = ["127.0.0.1:0"]

[snmp.communities.public]
access = "read-only"
sources = ["127.0.0.0/8"]

[snmp.communities.private]
access = "read-write"
sources = ["127.0.0.0/8"]
"#;

/// One litecoind on regtest, killed when dropped (also on a panic).
struct Litecoind {
    dir: PathBuf,
    p2p: u16,
    rpc: u16,
    child: Child,
}

impl Litecoind {
    fn start(root: &Path) -> Litecoind {
        let found = Command::new("litecoind")
            .arg("-version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "litecoind is not installed: run `bash tools/setup` (it installs the apt package litecoind)"
        );
        let dir = root.join("ltc");
        std::fs::create_dir_all(&dir).expect("datadir");
        let (p2p, rpc) = (ethereum::free_port(), ethereum::free_port());
        let child = spawn(&dir, p2p, rpc);
        let n = Litecoind {
            dir,
            p2p,
            rpc,
            child,
        };
        n.wait_rpc();
        n
    }

    fn wait_rpc(&self) {
        wait("litecoind to answer RPC", 30, || {
            self.cli(&["getblockchaininfo"]).is_ok()
        });
    }

    /// Kill the node; it keeps its data and ports for [`Self::restart`].
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn restart(&mut self) {
        self.child = spawn(&self.dir, self.p2p, self.rpc);
        self.wait_rpc();
    }
}

/// litecoind on regtest in `dir`, RPC with a password, loopback only.
fn spawn(dir: &Path, p2p: u16, rpc: u16) -> Child {
    litecoin::spawn(
        dir,
        p2p,
        rpc,
        &["-rpcuser=n1".into(), "-rpcpassword=pw1".into()],
    )
}

impl Litecoind {
    fn cli(&self, args: &[&str]) -> Result<Value, String> {
        let credentials = ["-rpcuser=n1".to_string(), "-rpcpassword=pw1".to_string()];
        litecoin::cli(&self.dir, self.rpc, &credentials, args)
    }
}

impl Drop for Litecoind {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait(what: &str, secs: u64, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The apply status of `item` of `chain` in the agent's snapshot.
fn status(agent: &AgentProcess, chain: &str, item: &str) -> Option<Value> {
    let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
    snap["nodes"]["config-apply"]
        .as_array()?
        .iter()
        .find(|s| s["chain"] == chain && s["item"] == item)
        .cloned()
}

fn wait_state(agent: &AgentProcess, chain: &str, item: &str, state: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = status(agent, chain, item);
        if let Some(s) = s.as_ref().filter(|s| s["state"] == state) {
            return s.clone();
        }
        assert!(
            Instant::now() < deadline,
            "{chain} {item} is not {state}: {s:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn apply_alarm(alarms: &[Value], resource: &str) -> Option<Value> {
    alarms
        .iter()
        .find(|a| a["alarm-type"] == "config-apply-failed" && a["resource"] == resource)
        .cloned()
}

fn walk_apply_table(port: u16) -> String {
    snmp::read_with_mib("snmpwalk", port, &["bcmConfigApplyTable"])
}

#[test]
fn a_log_spec_litecoind_refuses_is_reported_refused_and_alarmed_until_a_valid_one_applies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ltc = Litecoind::start(tmp.path());
    let traps = TrapReceiver::start(tmp.path());
    let config = format!(
        "{SNMP_RW}\n[snmp.targets.nms]\naddress = \"127.0.0.1:{}\"\ncommunity = \"traps\"\n\n[chains.ltc]\nplatform = \"bitcoin\"\n\n[chains.ltc.nodes.n1]\nendpoint = \"127.0.0.1:{}\"\nauth = {{ username = \"n1\", password = \"pw1\" }}\n",
        traps.port, ltc.rpc
    );
    let agent_dir = tmp.path().join("agent");
    std::fs::create_dir_all(&agent_dir).expect("agent dir");
    let agent = AgentProcess::start(&agent_dir, &config);
    let port = snmp::snmp_port(&agent);
    snmp::wait_populated(port);

    // What litecoind itself says to the category.
    let direct = ltc
        .cli(&["logging", "[\"nosuchcategory\"]"])
        .expect_err("litecoind accepts an unknown logging category");
    assert!(direct.contains("nosuchcategory"), "{direct}");

    // The SET is committed: it succeeds whatever the node says after.
    let set = snmp::with_mib(
        "snmpset",
        port,
        "private",
        &["bcmNodeLogSpec.\"ltc\".\"n1\"", "s", "nosuchcategory"],
    );
    assert!(set.status.success(), "snmpset: {}", snmp::text(&set));
    let (ok, running) = agent.ctl(&["get-config"]);
    assert!(ok && running.contains("nosuchcategory"), "{running}");

    let refused = wait_state(&agent, "ltc", "nodes/n1/log-spec", "refused");
    assert_eq!(refused["node"], "n1");
    let reason = refused["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("logging") && reason.contains("nosuchcategory"),
        "the reason should be litecoind's: {reason}"
    );
    let resource = "/chains/ltc/nodes/n1/log-spec";
    let alarms = agent.wait_alarms("config-apply-failed", 10, |a| {
        apply_alarm(a, resource).is_some()
    });
    let alarm = apply_alarm(&alarms, resource).expect("the alarm");
    assert_eq!(alarm["event-type"], "processingErrorAlarm");
    assert_eq!(alarm["probable-cause"], "configurationOrCustomisationError");
    assert_eq!(alarm["chain"], "ltc");
    assert!(
        alarm["specific-problem"]
            .as_str()
            .is_some_and(|p| p.contains("nosuchcategory")),
        "{alarm}"
    );
    // The trap an NMS receives, decoded with the MIB.
    wait("the bcmAlarmRaised trap of config-apply-failed", 20, || {
        let t = traps.text();
        [
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmRaised",
            "/chains/ltc/nodes/n1/log-spec",
            "configApplyFailed(20)",
            "processingErrorAlarm(4)",
            "configurationOrCustomisationError(159)",
        ]
        .iter()
        .all(|w| t.contains(w))
    });
    let (_, listed) = agent.ctl(&["alarms"]);
    assert!(listed.contains("config-apply-failed"), "{listed}");

    // The same over SNMP, read with the MIB (the view follows the
    // published snapshot in the background).
    let deadline = Instant::now() + Duration::from_secs(15);
    let walk = loop {
        let walk = walk_apply_table(port);
        if walk.contains("refused(3)") {
            break walk;
        }
        assert!(Instant::now() < deadline, "not refused over SNMP:\n{walk}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        walk.contains("bcmConfigApplyNode.\"ltc\".\"nodes/n1/log-spec\" = STRING: n1"),
        "{walk}"
    );
    assert!(walk.contains("nosuchcategory"), "{walk}");
    // And over NETCONF: the state beside the chain's configuration, and
    // the alarm in ietf-alarms' list.
    netconf::script(
        &agent,
        "admin",
        r#"
m = connect()
d = m.get(filter=("subtree", f'<chains xmlns="{NODES}"><chain><id>ltc</id><config-apply/></chain></chains>')).data_ele
entry = "//*[local-name()='config-apply'][*[local-name()='item']='nodes/n1/log-spec']"
state = d.xpath(entry + "/*[local-name()='state']/text()")
assert state == ["refused"], state
reason = d.xpath(entry + "/*[local-name()='reason']/text()")
assert len(reason) == 1 and "nosuchcategory" in reason[0], reason
assert d.xpath(entry + "/*[local-name()='node']/text()") == ["n1"]
a = m.get(filter=("subtree", '<alarms xmlns="urn:ietf:params:xml:ns:yang:ietf-alarms"><alarm-list/></alarms>')).data_ele
types = a.xpath("//*[local-name()='alarm'][*[local-name()='resource']='/chains/ltc/nodes/n1/log-spec']/*[local-name()='alarm-type-id']/text()")
assert any(t.endswith("config-apply-failed") for t in types), types
"#,
    );

    // A valid spec: applied, and the alarm clears.
    let (ok, out) = agent.ctl(&["set", "/chains/ltc/nodes/n1/log-spec", "\"net\""]);
    assert!(ok, "{out}");
    let applied = wait_state(&agent, "ltc", "nodes/n1/log-spec", "applied");
    assert!(applied.get("reason").is_none_or(|r| r == ""), "{applied}");
    assert!(
        applied["changed"].as_u64() >= refused["changed"].as_u64(),
        "{applied}"
    );
    let logging = ltc.cli(&["logging"]).expect("logging");
    assert_eq!(logging["net"], true, "{logging}");
    agent.wait_alarms("config-apply-failed to clear", 10, |a| {
        apply_alarm(a, resource).is_none()
    });
    wait("the bcmAlarmCleared trap", 20, || {
        traps
            .text()
            .contains("BLOCKCHAIN-MGMT-MIB::bcmAlarmCleared")
    });

    // The node down at a commit: pending; pushed when it answers again.
    let mut ltc = ltc;
    ltc.kill();
    let (ok, out) = agent.ctl(&["set", "/chains/ltc/nodes/n1/log-spec", "\"rpc\""]);
    assert!(ok, "{out}");
    let pending = wait_state(&agent, "ltc", "nodes/n1/log-spec", "pending");
    assert!(
        pending["reason"]
            .as_str()
            .is_some_and(|r| r.contains("unreachable")),
        "{pending}"
    );
    ltc.restart();
    wait_state(&agent, "ltc", "nodes/n1/log-spec", "applied");
    let logging = ltc.cli(&["logging"]).expect("logging");
    assert_eq!(
        logging["rpc"], true,
        "the restarted node took it: {logging}"
    );

    // Refused again, then withdrawn: the status goes and the alarm clears.
    let (ok, out) = agent.ctl(&["set", "/chains/ltc/nodes/n1/log-spec", "\"nosuchcategory\""]);
    assert!(ok, "{out}");
    agent.wait_alarms("config-apply-failed again", 10, |a| {
        apply_alarm(a, resource).is_some()
    });
    let (ok, out) = agent.ctl(&["delete", "/chains/ltc/nodes/n1/log-spec"]);
    assert!(ok, "{out}");
    agent.wait_alarms("config-apply-failed to clear on withdrawal", 10, |a| {
        apply_alarm(a, resource).is_none()
    });
    assert_eq!(status(&agent, "ltc", "nodes/n1/log-spec"), None);
}

#[test]
fn a_log_spec_for_anvil_is_unsupported_and_raises_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let anvil = ethereum::Anvil::start(dir.path(), "anvil", &[]);
    let config = format!(
        "[chains.dev]\nplatform = \"ethereum\"\n\n[chains.dev.nodes.a1]\nendpoint = \"{}\"\n",
        anvil.url()
    );
    let agent_dir = dir.path().join("agent");
    std::fs::create_dir_all(&agent_dir).expect("agent dir");
    let agent = AgentProcess::start(&agent_dir, &config);
    let (ok, out) = agent.ctl(&["set", "/chains/dev/nodes/a1/log-spec", "\"debug\""]);
    assert!(ok, "{out}");
    let s = wait_state(&agent, "dev", "nodes/a1/log-spec", "unsupported");
    assert_eq!(s["node"], "a1");
    assert!(
        s["reason"]
            .as_str()
            .is_some_and(|r| r.contains("log level changes")),
        "{s}"
    );
    // Unsupported is not a refusal: no alarm, after a few collections.
    std::thread::sleep(Duration::from_millis(1000));
    assert!(
        apply_alarm(&agent.active_alarms(), "/chains/dev/nodes/a1/log-spec").is_none(),
        "{:?}",
        agent.active_alarms()
    );
}
