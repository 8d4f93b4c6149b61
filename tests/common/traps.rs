//! A real snmptrapd with our MIB loaded, logging what it decodes to a file
//! the tests read: the one receiver of every notification test.

use super::snmp::{mib_dirs, require};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An unused UDP port on the loopback.
pub fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("free UDP port")
}

pub struct TrapReceiver {
    child: Child,
    log: PathBuf,
    pub port: u16,
}

impl TrapReceiver {
    /// A v1/v2c receiver that logs what the community `traps` sends.
    pub fn start(dir: &Path) -> TrapReceiver {
        TrapReceiver::start_named(dir, "snmptrapd", "authCommunity log traps\n")
    }

    /// A receiver in `dir/name` with `conf` as its snmptrapd.conf (users,
    /// communities).
    pub fn start_named(dir: &Path, name: &str, conf: &str) -> TrapReceiver {
        require("snmptrapd");
        let port = free_udp_port();
        let home = dir.join(name);
        std::fs::create_dir_all(&home).expect("snmptrapd dir");
        let conf_path = home.join("snmptrapd.conf");
        std::fs::write(&conf_path, conf).expect("snmptrapd.conf");
        let log = home.join("traps.log");
        let child = Command::new("snmptrapd")
            .args(["-f", "-Lf"])
            .arg(&log)
            .args(["-C", "-c"])
            .arg(&conf_path)
            .args(["-M", &mib_dirs(), "-m", "ALL"])
            .arg(format!("udp:127.0.0.1:{port}"))
            .env("SNMP_PERSISTENT_DIR", &home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start snmptrapd");
        let r = TrapReceiver { child, log, port };
        // snmptrapd logs a start line once it listens.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !r.text().contains("NET-SNMP version") {
            assert!(Instant::now() < deadline, "snmptrapd {name} did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        r
    }

    /// Everything logged so far.
    pub fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The decoded traps logged so far, one string each (snmptrapd starts
    /// each with a timestamped header line; the varbinds follow).
    pub fn traps(&self) -> Vec<String> {
        let text = self.text();
        let mut out: Vec<String> = Vec::new();
        for line in text.lines() {
            let header = line.len() > 20
                && line.as_bytes()[0].is_ascii_digit()
                && line.as_bytes()[4] == b'-';
            if header || out.is_empty() {
                out.push(line.to_string());
            } else if let Some(last) = out.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        }
        out.retain(|t| t.contains("snmpTrapOID"));
        out
    }

    /// Wait up to `secs` for a trap that contains every one of `parts`;
    /// returns it, or fails with what arrived.
    pub fn wait_trap(&self, parts: &[&str], secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(t) = self
                .traps()
                .into_iter()
                .find(|t| parts.iter().all(|p| t.contains(p)))
            {
                return t;
            }
            assert!(
                Instant::now() < deadline,
                "no trap with {parts:?}; snmptrapd logged:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for TrapReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
