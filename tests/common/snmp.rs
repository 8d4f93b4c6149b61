//! Driving the agent with net-snmp's command-line tools, as an operator
//! would. A missing tool fails the test with the setup command to run.

#![allow(dead_code)]

use super::AgentProcess;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const ROOT: &str = "1.3.6.1.4.1.32473";

pub fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is not installed: run `bash tools/setup` (then `source .deps/env.sh`)"
    );
}

/// The UDP addresses the agent bound, from its start-up log line.
pub fn snmp_addrs(agent: &AgentProcess) -> Vec<std::net::SocketAddr> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let log = std::fs::read_to_string(agent.dir.join("agent.log")).unwrap_or_default();
        if let Some(line) = log.lines().find(|l| l.contains("SNMP agent listening on")) {
            let list = line
                .split("listening on ")
                .nth(1)
                .and_then(|r| r.split(", engine").next())
                .unwrap_or_default();
            return list.split(", ").filter_map(|a| a.parse().ok()).collect();
        }
        assert!(
            Instant::now() < deadline,
            "the agent did not report its SNMP listener; log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The port of the agent's first (IPv4) listener.
pub fn snmp_port(agent: &AgentProcess) -> u16 {
    snmp_addrs(agent)
        .first()
        .map(|a| a.port())
        .expect("an SNMP listener")
}

/// Run a net-snmp tool against `target` (e.g. `127.0.0.1:1161`) with
/// numeric output and no MIBs unless the arguments load some.
pub fn tool(name: &str, args: &[&str]) -> Output {
    require(name);
    Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"))
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `tool` that must succeed; returns stdout.
pub fn ok(name: &str, args: &[&str]) -> String {
    let o = tool(name, args);
    assert!(
        o.status.success(),
        "{name} {} failed:\n{}",
        args.join(" "),
        text(&o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Common options: numeric OIDs, no MIB loading, short timeout.
pub fn base<'a>(version: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["-v", version, "-On", "-m", "", "-t", "2", "-r", "1"];
    v.extend_from_slice(extra);
    v
}

/// The directory holding our MIB, and the base MIBs from tools/setup.
pub fn mib_dirs() -> String {
    let ours = concat!(env!("CARGO_MANIFEST_DIR"), "/mibs");
    let base = std::env::var("CHAIN_AGENT_MIB_PATH").unwrap_or_else(|_| {
        panic!("CHAIN_AGENT_MIB_PATH is not set: run `bash tools/setup` and `source .deps/env.sh`")
    });
    format!("{ours}:{base}")
}

/// A net-snmp tool (`snmpget`, `snmpwalk`, `snmpset`) as an NMS runs it
/// against the agent on `port`: SNMPv2c with `community`, our MIB loaded
/// beside the base MIBs, objects named by the MIB; `args` are the objects
/// (and for snmpset their types and values).
pub fn with_mib(tool_name: &str, port: u16, community: &str, args: &[&str]) -> Output {
    let dirs = format!("+{}", mib_dirs());
    let target = format!("127.0.0.1:{port}");
    let mut all = vec![
        "-v2c",
        "-c",
        community,
        "-M",
        &dirs,
        "-m",
        "+BLOCKCHAIN-MGMT-MIB",
        &target,
    ];
    all.extend_from_slice(args);
    tool(tool_name, &all)
}

/// [`with_mib`] with community `public`, which must succeed; its stdout.
pub fn read_with_mib(tool_name: &str, port: u16, args: &[&str]) -> String {
    let o = with_mib(tool_name, port, "public", args);
    assert!(
        o.status.success(),
        "{tool_name} {} failed:\n{}",
        args.join(" "),
        text(&o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Wait until the agent on `port` (community `public`) serves the first
/// collection: SNMP answers from the start, the chain rows come a
/// collection later.
pub fn wait_populated(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let node_table = format!("{ROOT}.1.2.1");
    loop {
        let o = tool(
            "snmpgetnext",
            &[
                base("2c", &["-c", "public", &format!("127.0.0.1:{port}")]).as_slice(),
                &[&node_table],
            ]
            .concat(),
        );
        if String::from_utf8_lossy(&o.stdout).starts_with(&format!(".{node_table}.")) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the agent on port {port} published no node within 20 s: {}",
            text(&o)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
