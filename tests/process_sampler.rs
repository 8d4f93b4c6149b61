//! The process sampler against a real node: anvil on a loopback port is
//! found through its listening socket, its figures agree with what the
//! kernel says in /proc/PID/status, and a restart (killed, started again on
//! the same port) is followed to the new PID.

#[path = "common/ethereum.rs"]
mod ethereum;

use chain_agent::collect::process::{
    ProcessFigures, ProcessLocator, ProcessTracker, TrackerConfig,
};
use ethereum::{free_port, require, rpc};
use serde_json::json;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A child killed when dropped, so a failed assertion leaves no node behind.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// anvil on 127.0.0.1:`port`, answering RPC.
fn start_anvil(dir: &Path, port: u16) -> Node {
    let log = std::fs::File::create(dir.join(format!("anvil-{port}.log"))).expect("log");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut child = Node(
        Command::new("anvil")
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--silent",
            ])
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .expect("start anvil"),
    );
    while rpc(port, "eth_blockNumber", json!([])).is_err() {
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("anvil exited: {status}");
        }
        assert!(Instant::now() < deadline, "anvil did not answer on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

/// `Key:  value` from /proc/PID/status, the number only.
fn status_field(pid: u32, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
}

/// Sample until `pred` holds (the kernel tears a socket down asynchronously).
fn sample_until(
    t: &mut ProcessTracker,
    what: &str,
    pred: impl Fn(&Option<ProcessFigures>) -> bool,
) -> Option<ProcessFigures> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let s = t.sample().expect("sample");
        if pred(&s) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {s:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn check_against_kernel(s: &ProcessFigures, pid: u32) {
    assert_eq!(s.pid, pid);
    // RSS moves a little between two reads; the thread count of an idle
    // anvil hardly at all.
    let rss = status_field(pid, "VmRSS:") * 1024;
    let got = s.rss_bytes.expect("rss");
    assert!(got.abs_diff(rss) <= rss / 5, "rss {got} vs kernel {rss}");
    let threads = status_field(pid, "Threads:");
    assert!(
        s.threads.abs_diff(threads) <= 2,
        "threads {} vs kernel {threads}",
        s.threads
    );
    assert!(
        s.memory_percent_of_host
            .is_some_and(|p| p > 0.0 && p < 100.0)
    );
    // Our own user's process: its fds and io are readable.
    assert!(s.open_fds.is_some_and(|n| n >= 3), "{s:?}");
    assert!(s.read_bytes.is_some() && s.write_bytes.is_some(), "{s:?}");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let started = s.started_at_unix_s.expect("start time");
    assert!(now.abs_diff(started) <= 120, "started {started}, now {now}");
}

#[test]
fn follows_a_real_node_through_its_socket_and_across_a_restart() {
    require("anvil");
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let node = start_anvil(dir.path(), port);
    let first_pid = node.0.id();

    let mut config = TrackerConfig::new(ProcessLocator::Listener(addr));
    config.data_dir = Some(dir.path().to_path_buf());
    let mut t = ProcessTracker::new(config);

    let a = t
        .sample()
        .expect("sample")
        .expect("anvil found by its socket");
    check_against_kernel(&a, first_pid);
    assert!(!a.restarted && a.cpu_percent_of_core.is_none());
    let data = a.data_dir.expect("data-dir figures");
    assert!(data.used_bytes.is_some() && data.fs_free_bytes.is_some());

    // Some work for anvil, then a CPU figure between two samples.
    for _ in 0..20 {
        rpc(port, "anvil_mine", json!(["0x5"])).expect("mine");
    }
    std::thread::sleep(Duration::from_millis(300));
    let b = t.sample().expect("sample").expect("still there");
    assert_eq!((b.pid, b.restarted), (first_pid, false));
    let core = b.cpu_percent_of_core.expect("cpu between two samples");
    let host = b.cpu_percent_of_host.expect("cpu of the host");
    assert!(core > 0.0, "anvil mined 100 blocks without CPU time");
    assert!(host <= core && host <= 100.0, "{b:?}");

    // The same process through a pid-file.
    let pid_file = dir.path().join("anvil.pid");
    std::fs::write(&pid_file, format!("{first_pid}\n")).unwrap();
    let mut by_file = ProcessTracker::new(TrackerConfig::new(ProcessLocator::PidFile(pid_file)));
    let f = by_file
        .sample()
        .expect("sample")
        .expect("found by pid-file");
    check_against_kernel(&f, first_pid);

    // Killed: nothing serves the endpoint.
    drop(node);
    sample_until(&mut t, "the node to be gone", Option::is_none);

    // Started again on the same port: a new PID, followed.
    let node = start_anvil(dir.path(), port);
    let second_pid = node.0.id();
    assert_ne!(second_pid, first_pid);
    let c = sample_until(&mut t, "the new node", Option::is_some).expect("found");
    check_against_kernel(&c, second_pid);
    assert_eq!((c.restarted, c.restarts), (true, 1));
    assert_eq!(
        c.cpu_percent_of_core, None,
        "no CPU figure across a restart"
    );
    let d = t.sample().expect("sample").expect("still there");
    assert_eq!((d.pid, d.restarted, d.restarts), (second_pid, false, 1));
    drop(node);
}
