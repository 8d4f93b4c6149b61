//! disk-space-low on a real node (issue 14 §2): an anvil started here
//! keeps its state in a directory of this host's filesystem, configured as
//! the node's data-dir. A node threshold above the filesystem's free share
//! (as statvfs gives it, read here with `stat -f`) raises disk-space-low
//! on the node, naming the free share and the threshold; the same
//! threshold lowered over `ctl` below the free share clears it. The host's
//! filesystems are unit-tested in core::detect_disk with a fixture of what
//! /proc/mounts and statvfs give.

mod common;
#[path = "common/ethereum.rs"]
mod ethereum;

use common::{AgentProcess, has};
use ethereum::Anvil;
use std::path::Path;
use std::process::Command;

/// The free share, in percent, of the filesystem holding `dir`, for
/// unprivileged writers: available blocks over all blocks (`stat -f`).
fn free_percent(dir: &Path) -> f64 {
    let out = Command::new("stat")
        .args(["-f", "-c", "%a %b"])
        .arg(dir)
        .output()
        .expect("stat -f runs");
    assert!(out.status.success(), "stat -f: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text
        .split_whitespace()
        .map(|n| n.parse::<f64>().expect("a count"));
    let (avail, blocks) = (it.next().expect("available"), it.next().expect("blocks"));
    assert!(blocks > 0.0, "a filesystem of no size: {text}");
    100.0 * avail / blocks
}

#[test]
fn a_node_data_filesystem_below_its_threshold_raises_disk_space_low() {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("anvil-data");
    std::fs::create_dir_all(&data).expect("data dir");
    let state = data.join("state.json");
    let anvil = Anvil::start(
        root.path(),
        "anvil",
        &["--state", state.to_str().expect("utf-8 path")],
    );
    let free = free_percent(&data);
    // Above the free share (raised), and below it (cleared); both within
    // 0..100 whatever this filesystem holds.
    let (high, low) = ((free + 100.0) / 2.0, free / 2.0);
    assert!(low > 0.0 && high <= 100.0 && high - free > 0.1, "{free}");
    let agent_dir = root.path().join("agent");
    std::fs::create_dir_all(&agent_dir).expect("agent dir");
    let agent = AgentProcess::start(
        &agent_dir,
        &format!(
            "[thresholds]\nhold-off-seconds = 1\n\
             [chains.eth]\nplatform = \"ethereum\"\n\
             [chains.eth.nodes.a1]\nendpoint = \"{}\"\ndata-dir = \"{}\"\n\
             [chains.eth.nodes.a1.thresholds]\ndisk-free-percent = {high:.2}\n",
            anvil.url(),
            data.display()
        ),
    );
    let resource = "/chains/eth/nodes/a1";
    let alarms = agent.wait_alarms("disk-space-low on a1", 30, |a| {
        has(a, "disk-space-low", resource)
    });
    let alarm = alarms
        .iter()
        .find(|a| a["alarm-type"] == "disk-space-low" && a["resource"] == resource)
        .expect("alarm");
    assert_eq!(alarm["event-type"], "qualityOfServiceAlarm", "{alarm}");
    assert_eq!(
        alarm["probable-cause"], "resourceAtOrNearingCapacity",
        "{alarm}"
    );
    assert_eq!(alarm["perceived-severity"], "major", "{alarm}");
    let problem = alarm["specific-problem"].as_str().expect("problem");
    assert!(
        problem.starts_with("data filesystem ") && problem.ends_with(&format!("below {high:.1}%")),
        "{problem}"
    );
    // The share it names is this filesystem's, within what other writers
    // on this host change meanwhile.
    let named: f64 = problem["data filesystem ".len()..]
        .split('%')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a share in the problem");
    assert!((named - free).abs() < 2.0, "{named} vs {free}");

    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/eth/nodes/a1/thresholds/disk-free-percent",
        &format!("{low:.2}"),
    ]);
    assert!(ok, "ctl set: {out}");
    agent.wait_alarms("disk-space-low to clear", 30, |a| {
        !has(a, "disk-space-low", resource)
    });
}
