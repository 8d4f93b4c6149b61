//! Start-up edges, driving the binary: a listener listed twice is refused
//! by `check-config`; a start whose port is taken fails before it writes
//! anything or says it runs; a store lost beside the traces of an earlier
//! start is refused until the operator passes `--start-afresh`.

mod common;

use common::{AgentProcess, BIN};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `chain-agent run ARGS --config FILE`, which must end by itself.
fn run_to_exit(config: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .arg("run")
        .args(args)
        .arg("--config")
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chain-agent");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "the agent kept running; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn config_with(dir: &Path, snmp: &str, netconf: &str) -> std::path::PathBuf {
    let config = dir.join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n\n[snmp]\nlisten = [{snmp}]\n\n[netconf]\nlisten = \"{netconf}\"\n\n\
             [netconf.users.admin]\npassword = \"admin-pw\"\nadmin = true\n",
            dir.join("data").display()
        ),
    )
    .unwrap();
    config
}

#[test]
fn check_config_refuses_a_listener_listed_twice() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(
        dir.path(),
        "\"127.0.0.1:1161\", \"127.0.0.1:1161\"",
        "127.0.0.1:8830",
    );
    let (ok, err) = common::check_config(&config);
    assert!(!ok, "{err}");
    assert!(
        err.contains("snmp.listen[1]: '127.0.0.1:1161' is listed twice (snmp.listen[0])"),
        "{err}"
    );
    let config = config_with(
        dir.path(),
        "\"0.0.0.0:1161\", \"127.0.0.1:1161\"",
        "127.0.0.1:8830",
    );
    let (ok, err) = common::check_config(&config);
    assert!(!ok && err.contains("snmp.listen[1]"), "{err}");
    // SNMP over UDP and NETCONF over TCP may share a port number.
    let config = config_with(dir.path(), "\"127.0.0.1:8830\"", "127.0.0.1:8830");
    let (ok, out) = common::check_config(&config);
    assert!(ok, "{out}");
}

/// The failed start left nothing behind and never said it was running.
fn assert_failed_cleanly(out: &Output, dir: &Path, names: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains(names), "stderr names {names}: {err}");
    assert!(!err.contains("running"), "{err}");
    let data = dir.join("data");
    assert!(
        !data.join("chain-agent.db").exists(),
        "the store was created"
    );
    assert!(
        !data.join("control.sock").exists(),
        "the control socket is left"
    );
    assert!(!data.join("ssh_host_ed25519_key").exists());
}

#[test]
fn a_taken_snmp_port_ends_the_start_before_the_store_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let config = config_with(dir.path(), &format!("\"{addr}\""), "127.0.0.1:0");
    let out = run_to_exit(&config, &[]);
    assert_failed_cleanly(
        &out,
        dir.path(),
        &format!("snmp.listen: cannot bind UDP {addr}"),
    );
}

#[test]
fn a_taken_netconf_port_ends_the_start_before_the_store_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let config = config_with(dir.path(), "\"127.0.0.1:0\"", &addr.to_string());
    let out = run_to_exit(&config, &[]);
    assert_failed_cleanly(
        &out,
        dir.path(),
        &format!("netconf.listen: cannot bind TCP {addr}"),
    );
}

/// A port taken on a later start leaves the existing store as it was.
#[test]
fn a_taken_port_on_a_later_start_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), "");
    agent.stop();
    let data = dir.path().join("data");
    let files = |d: &Path| {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap() != "lock")
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = files(&data);
    let busy = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let text = std::fs::read_to_string(&agent.config).unwrap().replace(
        "listen = [\"127.0.0.1:0\"]",
        &format!("listen = [\"{addr}\"]"),
    );
    std::fs::write(&agent.config, text).unwrap();
    let out = run_to_exit(&agent.config, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains(&addr.to_string()),
        "{err}"
    );
    assert!(!err.contains("running"), "{err}");
    assert!(before == files(&data), "the data directory changed");
}

#[test]
fn an_emptied_store_is_refused_until_start_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), "");
    agent.stop();
    let data = dir.path().join("data");
    let store = data.join("chain-agent.db");
    // What a full disk or a bad copy leaves: an empty file, no journal.
    std::fs::File::create(&store).unwrap();
    for journal in ["chain-agent.db-wal", "chain-agent.db-shm"] {
        let _ = std::fs::remove_file(data.join(journal));
    }
    let out = run_to_exit(&agent.config, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("is empty (0 bytes)") && err.contains("chain-agent run --start-afresh"),
        "{err}"
    );
    assert!(!err.contains("running"), "{err}");
    assert_eq!(std::fs::metadata(&store).unwrap().len(), 0, "store seeded");
    assert!(!data.join("control.sock").exists());

    // The same with the store gone altogether.
    std::fs::remove_file(&store).unwrap();
    let out = run_to_exit(&agent.config, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("is missing"), "{err}");
    assert!(!store.exists());

    // The operator accepts a fresh start: it runs, and the next start is
    // an ordinary one again.
    let log = std::fs::File::create(dir.path().join("afresh.log")).unwrap();
    let mut child = Command::new(BIN)
        .args(["run", "--start-afresh", "--config"])
        .arg(&agent.config)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let log = dir.path().join("afresh.log");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("chain-agent running")
    {
        assert!(child.try_wait().unwrap().is_none(), "afresh start exited");
        assert!(Instant::now() < deadline, "afresh start did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert!(child.wait().unwrap().success());
    assert!(data.join("store-id").exists());
    // AgentProcess::start fails the test if the agent exits.
    let again = AgentProcess::start(dir.path(), "");
    drop(again);
}
