//! A remote node's resources in the agent's own output: an anvil node
//! reached by this host's name (`hostname`, which the agent does not
//! take for this host, so nothing is read from /proc for it) with a real
//! Prometheus node exporter as both its `metrics-endpoint` (the
//! exporter's own process figures stand for a node's) and its
//! `host-exporter`. The node's CPU, memory and hardware then come from
//! the pages, and are compared with /proc: the exporter's VmRSS within
//! 25 % (Go's heap moves between the two readings), the host's cores and
//! MemTotal exactly.

mod common;
#[path = "common/ethereum.rs"]
mod ethereum;
#[path = "common/exporter.rs"]
mod exporter;

use common::AgentProcess;
use ethereum::Anvil;
use serde_json::{Value, json};
use std::process::Command;
use std::time::{Duration, Instant};

fn proc_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"))
}

fn mem_total_bytes() -> u64 {
    let m = std::fs::read_to_string("/proc/meminfo").unwrap();
    m.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap()
        * 1024
}

#[test]
fn a_remote_nodes_cpu_memory_and_hardware_come_from_its_metrics_pages() {
    let dir = tempfile::tempdir().unwrap();
    let anvil = Anvil::start(dir.path(), "anvil", &[]);
    let port = ethereum::free_port();
    let exporter = exporter::start(dir.path(), port, &[]);
    let host = String::from_utf8(Command::new("hostname").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    assert!(
        !host.is_empty() && host != "localhost",
        "hostname: {host:?}"
    );
    let metrics = format!("{{ url = \"http://127.0.0.1:{port}/metrics\" }}");
    std::fs::write(
        dir.path().join("agent.toml"),
        format!(
            "[agent]\ndata-dir = \"{}\"\ncollect-interval-ms = 1000\n\n\
             [snmp]\nlisten = [\"127.0.0.1:0\"]\n\n{}\
             [chains.dev]\nplatform = \"ethereum\"\n[chains.dev.nodes.r1]\n\
             endpoint = \"http://{host}:{}\"\nmetrics-endpoint = {metrics}\nhost-exporter = {metrics}\n",
            dir.path().join("data").display(),
            common::netconf::DEFAULT_SECTION,
            anvil.port
        ),
    )
    .unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    // The CPU rate needs two scrapes.
    let deadline = Instant::now() + Duration::from_secs(30);
    let (perf, node) = loop {
        let snap = agent.call(json!({"op": "snapshot"})).unwrap();
        let pick = |list: &Value| {
            list.as_array()
                .and_then(|a| a.iter().find(|n| n["node"] == "r1" || n["id"] == "r1"))
                .cloned()
        };
        let perf = pick(&snap["performance"]["nodes"]);
        let node = pick(&snap["nodes"]["nodes"]);
        if let (Some(p), Some(n)) = (perf, node)
            && p["cpu-core-percent"].is_number()
            && p["memory-used-bytes"].is_number()
        {
            break (p, n);
        }
        assert!(
            Instant::now() < deadline,
            "no figures from the pages; snapshot {}; log:\n{}",
            snap["performance"]["nodes"],
            common::netconf::agent_log(&agent)
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    // Nothing was read on this host for a node by another name.
    assert!(perf["process-id"].is_null(), "{perf}");
    let rss = perf["memory-used-bytes"].as_u64().unwrap() as f64;
    let vm_rss = proc_kib(exporter.0.id(), "VmRSS:") as f64 * 1024.0;
    assert!(
        (rss - vm_rss).abs() <= 0.25 * vm_rss,
        "agent {rss} bytes, /proc {vm_rss}"
    );
    assert!(perf["cpu-percent"].is_number(), "{perf}");
    assert!(perf["memory-percent"].is_number(), "{perf}");
    // The exporter counts the CPUs /proc/stat lists.
    let cores = std::fs::read_to_string("/proc/stat")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit))
        .count() as u64;
    assert_eq!(
        node["hardware"]["cpu-cores"].as_u64(),
        Some(cores),
        "{node}"
    );
    assert_eq!(
        node["hardware"]["memory-bytes"].as_u64(),
        Some(mem_total_bytes()),
        "{node}"
    );
    let unsupported = node["unsupported"].to_string();
    assert!(
        !unsupported.contains("\"cpu-percent\"") && !unsupported.contains("\"hardware\""),
        "{unsupported}"
    );
}
