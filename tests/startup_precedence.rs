//! The configuration file is the startup configuration, and an edited
//! file no longer re-seeds running: a restart keeps every change made at
//! run time (over NETCONF with ncclient, and `ctl`), takes in what the
//! file changed, and refuses to start, naming both choices and their
//! flags, where the two changed the same value.

mod common;

use common::netconf::script;
use common::{AgentProcess, BIN};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn running(agent: &AgentProcess) -> serde_json::Value {
    agent
        .call(serde_json::json!({"op": "get-config"}))
        .expect("get-config")
}

fn edit_file(config: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(config).unwrap();
    assert!(text.contains(from), "{from} not in the file");
    std::fs::write(config, text.replace(from, to)).unwrap();
}

/// `chain-agent run --config FILE` that must refuse to start.
fn refused(config: &Path) -> String {
    let mut child = Command::new(BIN)
        .args(["run", "--config"])
        .arg(config)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the agent started although both sides changed a value");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn operation_log(agent: &AgentProcess, contains: &str) -> String {
    let (ok, text) = agent.ctl(&[
        "logs",
        "query",
        "--type",
        "operation",
        "--contains",
        contains,
    ]);
    assert!(ok, "{text}");
    text
}

#[test]
fn an_edited_file_keeps_run_time_changes_or_asks_which_side_wins() {
    let dir = tempfile::tempdir().unwrap();
    let file =
        "[thresholds]\ncpu-percent = 80.0\nmemory-percent = 80.0\n\n[system]\ncontact = \"file\"\n";
    let mut agent = AgentProcess::start(dir.path(), file);
    // Run-time changes: one over NETCONF, one over ctl.
    script(
        &agent,
        "admin",
        r#"
with connect() as m:
    m.edit_config(target="running", config=f'<config><thresholds xmlns="{NODES}"><cpu-percent>55</cpu-percent></thresholds></config>')
"#,
    );
    let (ok, text) = agent.ctl(&["set", "/system/location", "rack 7"]);
    assert!(ok, "{text}");
    // Not a clean stop: what was committed is on disk.
    agent.kill9();

    // The file changes another value: both sides' changes hold.
    edit_file(
        &agent.config,
        "memory-percent = 80.0",
        "memory-percent = 70.0",
    );
    let agent = AgentProcess::start(dir.path(), file);
    let c = running(&agent);
    assert_eq!(c["thresholds"]["cpu-percent"], 55.0, "{c}");
    assert_eq!(c["thresholds"]["memory-percent"], 70.0, "{c}");
    assert_eq!(c["system"]["location"], "rack 7", "{c}");
    assert!(operation_log(&agent, "taken from the startup").contains("/thresholds/memory-percent"));
    drop(agent);

    // The file changes a value also changed at run time: no start
    // until the operator chooses, and nothing is lost meanwhile.
    edit_file(
        &dir.path().join("agent.toml"),
        "cpu-percent = 80.0",
        "cpu-percent = 60.0",
    );
    let err = refused(&dir.path().join("agent.toml"));
    for word in [
        "/thresholds/cpu-percent",
        "--prefer-startup",
        "--prefer-running",
    ] {
        assert!(err.contains(word), "{word} missing: {err}");
    }
    let agent = AgentProcess::start_with(dir.path(), file, &["--prefer-running"]);
    assert_eq!(running(&agent)["thresholds"]["cpu-percent"], 55.0);
    assert!(operation_log(&agent, "left out").contains("/thresholds/cpu-percent"));
    drop(agent);

    // A second conflict, settled the other way.
    let agent = AgentProcess::start(dir.path(), file);
    let (ok, text) = agent.ctl(&["set", "/system/contact", "noc"]);
    assert!(ok, "{text}");
    drop(agent);
    edit_file(
        &dir.path().join("agent.toml"),
        "contact = \"file\"",
        "contact = \"desk\"",
    );
    let err = refused(&dir.path().join("agent.toml"));
    assert!(err.contains("/system/contact"), "{err}");
    let agent = AgentProcess::start_with(dir.path(), file, &["--prefer-startup"]);
    let c = running(&agent);
    assert_eq!(c["system"]["contact"], "desk", "{c}");
    assert_eq!(
        c["thresholds"]["cpu-percent"], 55.0,
        "an earlier choice held: {c}"
    );
    assert_eq!(c["system"]["location"], "rack 7", "{c}");
    assert!(operation_log(&agent, "over the value set at run time").contains("/system/contact"));
}

/// NETCONF's `:startup`: what a client writes to startup is what the next
/// start takes in, next to the run-time changes running holds.
#[test]
fn the_startup_datastore_written_over_netconf_is_taken_in_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), "");
    script(
        &agent,
        "admin",
        r#"
def thr(leaf, v):
    return f'<config><thresholds xmlns="{NODES}"><{leaf}>{v}</{leaf}></thresholds></config>'
with connect() as m:
    # Staged for the next start: edited in candidate, copied to startup.
    m.edit_config(target="candidate", config=thr("link-latency-ms", "300"))
    m.copy_config(source="candidate", target="startup")
    m.discard_changes()
    m.edit_config(target="running", config=thr("cpu-percent", "65"))
    run = m.get_config(source="running").data_ele
    assert xp(run, "//n:thresholds/n:link-latency-ms/text()") in ([], ["500.0"], ["500"]), run
"#,
    );
    agent.kill9();
    let agent = AgentProcess::start(dir.path(), "");
    let c = running(&agent);
    assert_eq!(c["thresholds"]["link-latency-ms"], 300.0, "{c}");
    assert_eq!(c["thresholds"]["cpu-percent"], 65.0, "{c}");
}
