//! Follows one node process across samples: finds it, turns cumulative CPU
//! ticks into percentages between two samples, and notices a restart (a new
//! PID, or the same PID with a new start time) without a restart of the agent.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use super::PROC_ROOT;
use super::datadir::{DEFAULT_MAX_ENTRIES, DataDirUsage, data_dir_usage};
use super::error::{ProcessError, read_text};
use super::owner::{ScanLimits, find_socket_owner, read_pid_file};
use super::sample::{
    PidSample, clock_ticks_per_second, parse_stat, read_host_facts, read_pid_sample,
};
use super::sockets::read_listening_inode;

/// How the node's process is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessLocator {
    /// The process holding the socket that listens on this endpoint (an
    /// exact or a wildcard listener on its port).
    Listener(SocketAddr),
    /// The PID written in this file. A stale file whose PID was reused by
    /// another process cannot be told apart; prefer `Listener` when the
    /// agent may read the node's /proc/PID/fd.
    PidFile(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerConfig {
    pub locator: ProcessLocator,
    /// The node's data directory, for [`ProcessFigures::data_dir`].
    pub data_dir: Option<PathBuf>,
    /// Where /proc is; a fake tree in tests.
    pub proc_root: PathBuf,
    pub scan_limits: ScanLimits,
    pub max_data_dir_entries: usize,
    /// USER_HZ, the unit of /proc/PID/stat's times.
    pub clock_ticks_per_second: u64,
}

impl TrackerConfig {
    /// The real /proc, default bounds, no data directory.
    pub fn new(locator: ProcessLocator) -> Self {
        Self {
            locator,
            data_dir: None,
            proc_root: PathBuf::from(PROC_ROOT),
            scan_limits: ScanLimits::default(),
            max_data_dir_entries: DEFAULT_MAX_ENTRIES,
            clock_ticks_per_second: clock_ticks_per_second(),
        }
    }
}

/// One sample of the node process. Every figure a source could not give is
/// `None`, never 0.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessFigures {
    pub pid: u32,
    /// The kernel's short command name (`comm`, at most 15 bytes).
    pub command: String,
    /// When the process started, Unix seconds (to the second: boot time is
    /// whole seconds).
    pub started_at_unix_s: Option<u64>,
    /// This sample found a different process from the last one found.
    pub restarted: bool,
    /// Restarts seen since the tracker was made.
    pub restarts: u64,
    /// CPU time since the previous sample of the same process, as a share of
    /// one core (may exceed 100 for a multi-threaded process). `None` on the
    /// first sample of a process.
    pub cpu_percent_of_core: Option<f64>,
    /// The same as a share of all the host's logical CPUs (0..=100).
    pub cpu_percent_of_host: Option<f64>,
    pub rss_bytes: Option<u64>,
    pub memory_percent_of_host: Option<f64>,
    pub threads: u64,
    pub open_fds: Option<u64>,
    /// Cumulative bytes read from and written to storage (/proc/PID/io).
    pub read_bytes: Option<u64>,
    pub write_bytes: Option<u64>,
    /// Only with a configured data directory.
    pub data_dir: Option<DataDirUsage>,
}

/// A PID names a process only together with its start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    pid: u32,
    starttime_ticks: u64,
}

#[derive(Debug)]
pub struct ProcessTracker {
    config: TrackerConfig,
    /// The process found last, kept while it is down so that its
    /// successor counts as a restart.
    identity: Option<Identity>,
    /// The listening socket's inode when the process was found.
    inode: Option<u64>,
    /// CPU ticks of `identity` and when they were read.
    prev_cpu: Option<(u64, Instant)>,
    restarts: u64,
}

impl ProcessTracker {
    pub fn new(config: TrackerConfig) -> Self {
        Self {
            config,
            identity: None,
            inode: None,
            prev_cpu: None,
            restarts: 0,
        }
    }

    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// Sample now. `Ok(None)`: no process serves the endpoint (the node is
    /// down, or not ours to see).
    pub fn sample(&mut self) -> Result<Option<ProcessFigures>, ProcessError> {
        self.sample_at(Instant::now())
    }

    /// Sample, taking `now` as the time of the reading (tests pass their own).
    pub fn sample_at(&mut self, now: Instant) -> Result<Option<ProcessFigures>, ProcessError> {
        let Some(pid) = self.resolve()? else {
            self.prev_cpu = None;
            return Ok(None);
        };
        let root = &self.config.proc_root;
        let Some(s) = read_pid_sample(root, pid)? else {
            // Gone between finding and reading it.
            self.prev_cpu = None;
            return Ok(None);
        };
        let id = Identity {
            pid,
            starttime_ticks: s.stat.starttime_ticks,
        };
        let restarted = self.identity.is_some_and(|old| old != id);
        if restarted {
            self.restarts += 1;
            self.prev_cpu = None;
        }
        self.identity = Some(id);
        let host = read_host_facts(root);
        let core = self.cpu_percent(&s, now);
        let hz = self.config.clock_ticks_per_second;
        Ok(Some(ProcessFigures {
            pid,
            command: s.stat.comm.clone(),
            started_at_unix_s: host
                .boot_time_unix_s
                .map(|b| b.saturating_add(s.stat.starttime_ticks / hz)),
            restarted,
            restarts: self.restarts,
            cpu_percent_of_core: core,
            cpu_percent_of_host: core.zip(host.logical_cpus).map(|(c, n)| c / f64::from(n)),
            memory_percent_of_host: s
                .rss_bytes
                .zip(host.mem_total_bytes.filter(|&t| t > 0))
                .map(|(r, t)| r as f64 * 100.0 / t as f64),
            rss_bytes: s.rss_bytes,
            threads: s.stat.num_threads,
            open_fds: s.open_fds,
            read_bytes: s.read_bytes,
            write_bytes: s.write_bytes,
            data_dir: self
                .config
                .data_dir
                .as_deref()
                .map(|d| data_dir_usage(d, self.config.max_data_dir_entries)),
        }))
    }

    /// Percent of one core between the previous reading and this one. No
    /// time between them, or ticks going backwards, carries no figure.
    fn cpu_percent(&mut self, s: &PidSample, now: Instant) -> Option<f64> {
        let ticks = s.stat.utime_ticks.saturating_add(s.stat.stime_ticks);
        let prev = self.prev_cpu.replace((ticks, now));
        let (t0, at0) = prev?;
        let secs = now.checked_duration_since(at0)?.as_secs_f64();
        if secs <= 0.0 || ticks < t0 {
            return None;
        }
        let cpu_secs = (ticks - t0) as f64 / self.config.clock_ticks_per_second as f64;
        Some(cpu_secs * 100.0 / secs)
    }

    /// The PID serving the node now.
    fn resolve(&mut self) -> Result<Option<u32>, ProcessError> {
        let root = self.config.proc_root.clone();
        match &self.config.locator {
            ProcessLocator::PidFile(path) => read_pid_file(path),
            ProcessLocator::Listener(addr) => {
                let Some(inode) = read_listening_inode(&root, *addr)? else {
                    self.inode = None;
                    return Ok(None);
                };
                let last = self.identity;
                // Same socket, same process: no scan.
                if self.inode == Some(inode)
                    && let Some(id) = last
                    && starttime(&root, id.pid)? == Some(id.starttime_ticks)
                {
                    return Ok(Some(id.pid));
                }
                let pid = find_socket_owner(
                    &root,
                    inode,
                    last.map(|id| id.pid),
                    self.config.scan_limits,
                )?;
                self.inode = pid.map(|_| inode);
                Ok(pid)
            }
        }
    }
}

fn starttime(root: &std::path::Path, pid: u32) -> Result<Option<u64>, ProcessError> {
    let path = root.join(pid.to_string()).join("stat");
    Ok(read_text(&path)?
        .as_deref()
        .and_then(parse_stat)
        .map(|s| s.starttime_ticks))
}

#[cfg(test)]
mod tests {
    use super::super::sample::tests::stat_line;
    use super::*;
    use std::os::unix::fs::symlink;
    use std::path::Path;
    use std::time::Duration;

    struct FakeProc {
        dir: tempfile::TempDir,
    }

    impl FakeProc {
        /// 4 CPUs booted at Unix second 1_000_000, 1000 kB of memory.
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path();
            std::fs::create_dir(p.join("net")).unwrap();
            std::fs::write(p.join("meminfo"), "MemTotal: 1000 kB\nMemFree: 10 kB\n").unwrap();
            std::fs::write(
                p.join("stat"),
                "cpu 1 1 1 1\ncpu0 1\ncpu1 1\ncpu2 1\ncpu3 1\nbtime 1000000\n",
            )
            .unwrap();
            FakeProc { dir }
        }
        fn root(&self) -> &Path {
            self.dir.path()
        }
        fn process(&self, pid: u32, utime: u64, stime: u64, start: u64, rss_kb: u64) {
            let d = self.root().join(pid.to_string());
            std::fs::create_dir_all(d.join("fd")).unwrap();
            std::fs::write(
                d.join("stat"),
                stat_line(pid, "node x)", utime, stime, 9, start),
            )
            .unwrap();
            std::fs::write(d.join("status"), format!("VmRSS:\t{rss_kb} kB\n")).unwrap();
        }
        fn kill(&self, pid: u32) {
            std::fs::remove_dir_all(self.root().join(pid.to_string())).unwrap();
        }
        fn holds_socket(&self, pid: u32, fd: u32, inode: u64) {
            let link = self.root().join(format!("{pid}/fd/{fd}"));
            symlink(format!("socket:[{inode}]"), link).unwrap();
        }
        /// 127.0.0.1:8545 listening with `inode`, or nothing.
        fn listen(&self, inode: Option<u64>) {
            let mut text = String::from("  sl  local_address rem_address   st ...\n");
            if let Some(i) = inode {
                text += &format!(
                    "   0: 0100007F:2161 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 {i} 1\n"
                );
            }
            std::fs::write(self.root().join("net/tcp"), text).unwrap();
        }
        fn pid_file(&self, pid: u32) -> PathBuf {
            let f = self.root().join("node.pid");
            std::fs::write(&f, format!("{pid}\n")).unwrap();
            f
        }
        fn config(&self, locator: ProcessLocator) -> TrackerConfig {
            TrackerConfig {
                proc_root: self.root().to_path_buf(),
                clock_ticks_per_second: 100,
                ..TrackerConfig::new(locator)
            }
        }
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn cpu_and_memory_percentages_between_two_samples() {
        let f = FakeProc::new();
        f.process(42, 1000, 500, 30_000, 250);
        let mut t = ProcessTracker::new(f.config(ProcessLocator::PidFile(f.pid_file(42))));
        let t0 = Instant::now();
        let a = t.sample_at(t0).unwrap().unwrap();
        assert_eq!(a.pid, 42);
        assert_eq!(a.command, "node x)");
        assert_eq!((a.cpu_percent_of_core, a.cpu_percent_of_host), (None, None));
        assert_eq!(a.rss_bytes, Some(250 * 1024));
        assert!(close(a.memory_percent_of_host, 25.0));
        assert_eq!(a.threads, 9);
        assert_eq!(a.started_at_unix_s, Some(1_000_000 + 300));
        assert!(!a.restarted);
        assert_eq!((a.read_bytes, a.write_bytes), (None, None));
        assert_eq!(a.open_fds, Some(0));
        assert_eq!(a.data_dir, None);

        // 150 ticks (1.5 s of CPU) in 2 s: 75% of a core, of 4 CPUs 18.75%.
        f.process(42, 1100, 550, 30_000, 250);
        let b = t.sample_at(t0 + Duration::from_secs(2)).unwrap().unwrap();
        assert!(close(b.cpu_percent_of_core, 75.0), "{b:?}");
        assert!(close(b.cpu_percent_of_host, 18.75), "{b:?}");
        // Four busy threads: 400 ticks in 1 s is 400% of a core.
        f.process(42, 1500, 550, 30_000, 250);
        let c = t.sample_at(t0 + Duration::from_secs(3)).unwrap().unwrap();
        assert!(close(c.cpu_percent_of_core, 400.0), "{c:?}");
        assert!(close(c.cpu_percent_of_host, 100.0), "{c:?}");
        // No time elapsed: no figure.
        let d = t.sample_at(t0 + Duration::from_secs(3)).unwrap().unwrap();
        assert_eq!(d.cpu_percent_of_core, None);
        assert_eq!(t.restarts, 0);
    }

    #[test]
    fn absent_host_files_give_absent_figures() {
        let f = FakeProc::new();
        std::fs::remove_file(f.root().join("meminfo")).unwrap();
        std::fs::remove_file(f.root().join("stat")).unwrap();
        f.process(42, 0, 0, 1, 10);
        let mut t = ProcessTracker::new(f.config(ProcessLocator::PidFile(f.pid_file(42))));
        let t0 = Instant::now();
        t.sample_at(t0).unwrap().unwrap();
        f.process(42, 100, 0, 1, 10);
        let s = t.sample_at(t0 + Duration::from_secs(1)).unwrap().unwrap();
        assert!(close(s.cpu_percent_of_core, 100.0));
        assert_eq!(s.cpu_percent_of_host, None);
        assert_eq!(s.memory_percent_of_host, None);
        assert_eq!(s.started_at_unix_s, None);
    }

    #[test]
    fn pid_file_restart_new_pid_and_same_pid_new_start() {
        let f = FakeProc::new();
        f.process(42, 10, 0, 500, 1);
        let pid_file = f.pid_file(42);
        let mut t = ProcessTracker::new(f.config(ProcessLocator::PidFile(pid_file)));
        let t0 = Instant::now();
        assert!(!t.sample_at(t0).unwrap().unwrap().restarted);

        // Down: no pid-file, then a pid-file naming a dead process.
        f.kill(42);
        std::fs::remove_file(f.root().join("node.pid")).unwrap();
        assert_eq!(t.sample_at(t0 + Duration::from_secs(1)).unwrap(), None);
        f.pid_file(43);
        assert_eq!(t.sample_at(t0 + Duration::from_secs(2)).unwrap(), None);

        // Up again as 43: a restart, and no CPU figure across it even
        // though 43's ticks are higher than 42's were.
        f.process(43, 5000, 0, 900, 1);
        let s = t.sample_at(t0 + Duration::from_secs(3)).unwrap().unwrap();
        assert_eq!((s.pid, s.restarted, s.restarts), (43, true, 1));
        assert_eq!(s.cpu_percent_of_core, None);
        let s = t.sample_at(t0 + Duration::from_secs(4)).unwrap().unwrap();
        assert_eq!((s.restarted, s.restarts), (false, 1));
        assert!(close(s.cpu_percent_of_core, 0.0));

        // PID 43 reused by a new process: same PID, new start time.
        f.process(43, 1, 0, 2000, 1);
        let s = t.sample_at(t0 + Duration::from_secs(5)).unwrap().unwrap();
        assert_eq!((s.pid, s.restarted, s.restarts), (43, true, 2));
        assert_eq!(s.cpu_percent_of_core, None);
    }

    #[test]
    fn listener_follows_the_socket_to_a_new_process() {
        let f = FakeProc::new();
        f.process(7, 0, 0, 10, 1);
        f.process(42, 0, 0, 100, 1);
        f.holds_socket(42, 3, 555);
        f.listen(Some(555));
        let addr: SocketAddr = "127.0.0.1:8545".parse().unwrap();
        let mut t = ProcessTracker::new(f.config(ProcessLocator::Listener(addr)));
        let t0 = Instant::now();
        let s = t.sample_at(t0).unwrap().unwrap();
        assert_eq!((s.pid, s.open_fds), (42, Some(1)));

        // Same inode, same process: found without a scan (so even with the
        // descriptor link gone from our fake tree).
        std::fs::remove_file(f.root().join("42/fd/3")).unwrap();
        assert_eq!(
            t.sample_at(t0 + Duration::from_secs(1))
                .unwrap()
                .unwrap()
                .pid,
            42
        );

        // Down: nothing listens.
        f.kill(42);
        f.listen(None);
        assert_eq!(t.sample_at(t0 + Duration::from_secs(2)).unwrap(), None);

        // Back as 43 on a new socket.
        f.process(43, 0, 0, 300, 1);
        f.holds_socket(43, 5, 777);
        f.listen(Some(777));
        let s = t.sample_at(t0 + Duration::from_secs(3)).unwrap().unwrap();
        assert_eq!((s.pid, s.restarted, s.restarts), (43, true, 1));

        // The socket handed to a child that outlives its parent (same
        // inode, the old PID gone).
        f.process(44, 0, 0, 400, 1);
        f.holds_socket(44, 3, 777);
        f.kill(43);
        let s = t.sample_at(t0 + Duration::from_secs(4)).unwrap().unwrap();
        assert_eq!((s.pid, s.restarted, s.restarts), (44, true, 2));
    }

    #[test]
    fn listening_but_owner_not_visible_is_none() {
        let f = FakeProc::new();
        f.listen(Some(999));
        let addr: SocketAddr = "127.0.0.1:8545".parse().unwrap();
        let mut t = ProcessTracker::new(f.config(ProcessLocator::Listener(addr)));
        assert_eq!(t.sample().unwrap(), None);
    }

    #[test]
    fn data_dir_figures_when_configured() {
        let f = FakeProc::new();
        f.process(42, 0, 0, 1, 1);
        let data = tempfile::tempdir().unwrap();
        std::fs::write(data.path().join("db"), vec![0u8; 64 * 1024]).unwrap();
        let mut cfg = f.config(ProcessLocator::PidFile(f.pid_file(42)));
        cfg.data_dir = Some(data.path().to_path_buf());
        let s = ProcessTracker::new(cfg).sample().unwrap().unwrap();
        let d = s.data_dir.unwrap();
        assert!(d.used_bytes.is_some_and(|b| b >= 64 * 1024), "{d:?}");
        assert!(d.fs_free_bytes.is_some() && d.fs_total_bytes.is_some());
    }
}
