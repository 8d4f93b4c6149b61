//! A real Prometheus node exporter for end-to-end tests (Debian's
//! `prometheus-node-exporter`, installed by `bash tools/setup`), on a
//! loopback port with its textfile directory in a test's directory.

#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const EXPORTER: &str = "prometheus-node-exporter";

/// The exporter, killed when dropped so a failed assertion leaves none.
pub struct RunningExporter(pub Child);

impl Drop for RunningExporter {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start the exporter with only the collectors the host figures use, its
/// textfile directory in `dir`, and wait until it answers.
pub fn start(dir: &std::path::Path, port: u16, extra: &[String]) -> RunningExporter {
    let found = Command::new(EXPORTER)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found,
        "{EXPORTER} is not installed: run `bash tools/setup` (it installs the apt package {EXPORTER})"
    );
    let log = std::fs::File::create(dir.join("exporter.log")).expect("log file");
    let child = Command::new(EXPORTER)
        .args([
            &format!("--web.listen-address=127.0.0.1:{port}"),
            &format!("--collector.textfile.directory={}", dir.display()),
            "--collector.disable-defaults",
            "--collector.cpu",
            "--collector.meminfo",
            "--collector.filesystem",
            "--collector.netdev",
            "--collector.stat",
            "--collector.loadavg",
            "--collector.textfile",
        ])
        .args(extra)
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("start prometheus-node-exporter");
    let mut e = RunningExporter(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = e.0.try_wait() {
            let log = std::fs::read_to_string(dir.join("exporter.log")).unwrap_or_default();
            panic!("{EXPORTER} exited: {status}\n{log}");
        }
        assert!(
            Instant::now() < deadline,
            "{EXPORTER} did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    e
}
