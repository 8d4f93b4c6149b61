//! One reading of one process: /proc/PID/stat, status, io and fd, plus the
//! host facts the figures are relative to (/proc/meminfo, /proc/stat).
//!
//! Cumulative counters (CPU ticks) are kept raw here; turning them into
//! rates is [`super::tracker`]'s job. A file the kernel will not show us
//! (another user's /proc/PID/io, a kernel thread's VmRSS) gives `None`.

use std::path::Path;

use super::error::{ProcessError, read_optional, read_text};

/// What /proc/PID/stat says, in the kernel's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcStat {
    pub comm: String,
    pub utime_ticks: u64,
    pub stime_ticks: u64,
    pub num_threads: u64,
    /// Clock ticks after boot at which the process started. Together with
    /// the PID it names one process: a reused PID has a new start time.
    pub starttime_ticks: u64,
}

/// Parse /proc/PID/stat. `comm` (field 2) is in parentheses and may itself
/// hold spaces and ')', so the fields are counted after the last ')'.
pub fn parse_stat(text: &str) -> Option<ProcStat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_owned();
    let rest: Vec<&str> = text.get(close + 1..)?.split_whitespace().collect();
    // rest[0] is field 3 (state); field N is rest[N - 3].
    let field = |n: usize| rest.get(n - 3)?.parse::<u64>().ok();
    Some(ProcStat {
        comm,
        utime_ticks: field(14)?,
        stime_ticks: field(15)?,
        num_threads: field(20)?,
        starttime_ticks: field(22)?,
    })
}

/// `VmRSS` from /proc/PID/status, in bytes. Kernel threads have none.
pub fn parse_status_rss(text: &str) -> Option<u64> {
    kib_line(text, "VmRSS:")
}

/// `read_bytes` and `write_bytes` from /proc/PID/io: bytes the process
/// caused to be fetched from or sent to storage.
pub fn parse_io(text: &str) -> (Option<u64>, Option<u64>) {
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    (get("read_bytes:"), get("write_bytes:"))
}

/// `MemTotal` from /proc/meminfo, in bytes.
pub fn parse_mem_total(text: &str) -> Option<u64> {
    kib_line(text, "MemTotal:")
}

/// A `Key:   1234 kB` line, in bytes.
fn kib_line(text: &str, key: &str) -> Option<u64> {
    let v = text.lines().find_map(|l| l.strip_prefix(key))?;
    let kib = v.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
    kib.checked_mul(1024)
}

/// The number of logical CPUs (`cpuN` lines) and the boot time (`btime`, in
/// Unix seconds) from /proc/stat.
pub fn parse_proc_stat(text: &str) -> (Option<u32>, Option<u64>) {
    let cpus = text
        .lines()
        .filter(|l| {
            l.strip_prefix("cpu")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .count();
    let btime = text
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse::<u64>().ok());
    let cpus = u32::try_from(cpus).ok().filter(|&n| n > 0);
    (cpus, btime)
}

/// The host figures a process's are measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostFacts {
    pub mem_total_bytes: Option<u64>,
    pub logical_cpus: Option<u32>,
    pub boot_time_unix_s: Option<u64>,
}

/// [`HostFacts`] from `root`/meminfo and `root`/stat.
pub fn read_host_facts(root: &Path) -> HostFacts {
    let (logical_cpus, boot_time_unix_s) = read_optional(&root.join("stat"))
        .map(|t| parse_proc_stat(&t))
        .unwrap_or_default();
    HostFacts {
        mem_total_bytes: read_optional(&root.join("meminfo")).and_then(|t| parse_mem_total(&t)),
        logical_cpus,
        boot_time_unix_s,
    }
}

/// One reading of one PID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PidSample {
    pub pid: u32,
    pub stat: ProcStat,
    pub rss_bytes: Option<u64>,
    pub read_bytes: Option<u64>,
    pub write_bytes: Option<u64>,
    pub open_fds: Option<u64>,
}

/// Read `root`/PID. `Ok(None)` if the process does not exist (any more);
/// an error if its stat is there but unreadable or malformed. The other
/// files are optional: each one the kernel refuses is a `None`.
pub fn read_pid_sample(root: &Path, pid: u32) -> Result<Option<PidSample>, ProcessError> {
    let dir = root.join(pid.to_string());
    let stat_path = dir.join("stat");
    let Some(text) = read_text(&stat_path)? else {
        return Ok(None);
    };
    let stat =
        parse_stat(&text).ok_or_else(|| ProcessError::parse(&stat_path, "malformed stat line"))?;
    let (read_bytes, write_bytes) = read_optional(&dir.join("io"))
        .map(|t| parse_io(&t))
        .unwrap_or_default();
    Ok(Some(PidSample {
        pid,
        stat,
        rss_bytes: read_optional(&dir.join("status")).and_then(|t| parse_status_rss(&t)),
        read_bytes,
        write_bytes,
        open_fds: count_fds(&dir.join("fd")),
    }))
}

fn count_fds(dir: &Path) -> Option<u64> {
    let entries = std::fs::read_dir(dir).ok()?;
    u64::try_from(entries.filter(Result::is_ok).count()).ok()
}

/// The kernel's USER_HZ, the unit of /proc/PID/stat times (100 on every
/// mainstream Linux architecture, which is the fallback should sysconf fail).
pub fn clock_ticks_per_second() -> u64 {
    match rustix::param::clock_ticks_per_second() {
        0 => 100,
        t => t,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A stat line as the kernel writes it, with the fields the sampler
    /// reads set from the arguments.
    pub fn stat_line(
        pid: u32,
        comm: &str,
        utime: u64,
        stime: u64,
        threads: u64,
        start: u64,
    ) -> String {
        format!(
            "{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 1000 0 0 0 {utime} {stime} 0 0 20 0 {threads} 0 {start} 123456789 2000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        )
    }

    #[test]
    fn stat_fields_counted_after_the_last_paren() {
        let s = parse_stat(&stat_line(42, "geth", 150, 50, 17, 9000)).unwrap();
        assert_eq!(
            s,
            ProcStat {
                comm: "geth".into(),
                utime_ticks: 150,
                stime_ticks: 50,
                num_threads: 17,
                starttime_ticks: 9000
            }
        );
        // A hostile comm: spaces, parens and digits.
        let s = parse_stat(&stat_line(7, "a) 1 2 (b ) 3", 11, 22, 3, 44)).unwrap();
        assert_eq!(s.comm, "a) 1 2 (b ) 3");
        assert_eq!(
            (
                s.utime_ticks,
                s.stime_ticks,
                s.num_threads,
                s.starttime_ticks
            ),
            (11, 22, 3, 44)
        );
    }

    #[test]
    fn malformed_stat_is_none() {
        assert_eq!(parse_stat(""), None);
        assert_eq!(parse_stat("42 (x) S 1 2 3"), None);
        assert_eq!(parse_stat("42 x S 1"), None);
        let bad = stat_line(1, "x", 1, 2, 3, 4).replace("123456789", "vsize");
        assert!(parse_stat(&bad).is_some(), "an unrelated field is not read");
    }

    #[test]
    fn status_io_meminfo() {
        let status = "Name:\tgeth\nVmPeak:\t  900 kB\nVmRSS:\t    2048 kB\nThreads:\t17\n";
        assert_eq!(parse_status_rss(status), Some(2048 * 1024));
        assert_eq!(parse_status_rss("Name:\tkthreadd\nThreads:\t1\n"), None);
        let io = "rchar: 10\nwchar: 20\nsyscr: 1\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n";
        assert_eq!(parse_io(io), (Some(4096), Some(8192)));
        assert_eq!(parse_io("rchar: 10\n"), (None, None));
        let mem = "MemTotal:       16303140 kB\nMemFree:         1000 kB\n";
        assert_eq!(parse_mem_total(mem), Some(16_303_140 * 1024));
        assert_eq!(parse_mem_total("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn cpu_count_and_btime() {
        let stat = "cpu  1 2 3 4\ncpu0 1 2 3 4\ncpu1 1 2 3 4\ncpu3 1 2 3 4\nintr 5\nctxt 6\nbtime 1700000000\nprocesses 9\n";
        assert_eq!(parse_proc_stat(stat), (Some(3), Some(1_700_000_000)));
        assert_eq!(parse_proc_stat("intr 1\n"), (None, None));
    }

    #[test]
    fn reads_a_fake_pid_and_absent_files_are_none() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("42");
        std::fs::create_dir_all(p.join("fd")).unwrap();
        std::fs::write(p.join("stat"), stat_line(42, "node", 5, 6, 8, 100)).unwrap();
        let s = read_pid_sample(dir.path(), 42).unwrap().unwrap();
        assert_eq!((s.stat.utime_ticks, s.stat.num_threads), (5, 8));
        assert_eq!(
            (s.rss_bytes, s.read_bytes, s.write_bytes),
            (None, None, None)
        );
        assert_eq!(s.open_fds, Some(0));

        for i in 0..3 {
            std::os::unix::fs::symlink("/dev/null", p.join("fd").join(i.to_string())).unwrap();
        }
        std::fs::write(p.join("status"), "VmRSS:\t 10 kB\n").unwrap();
        std::fs::write(p.join("io"), "read_bytes: 1\nwrite_bytes: 2\n").unwrap();
        let s = read_pid_sample(dir.path(), 42).unwrap().unwrap();
        assert_eq!(s.open_fds, Some(3));
        assert_eq!(
            (s.rss_bytes, s.read_bytes, s.write_bytes),
            (Some(10240), Some(1), Some(2))
        );

        assert_eq!(read_pid_sample(dir.path(), 43).unwrap(), None);
        std::fs::write(p.join("stat"), "42 (node) S").unwrap();
        assert!(read_pid_sample(dir.path(), 42).is_err());
    }

    #[test]
    fn host_facts_from_a_fake_root() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_host_facts(dir.path()), HostFacts::default());
        std::fs::write(dir.path().join("meminfo"), "MemTotal: 4 kB\n").unwrap();
        std::fs::write(dir.path().join("stat"), "cpu0 1\ncpu1 1\nbtime 7\n").unwrap();
        assert_eq!(
            read_host_facts(dir.path()),
            HostFacts {
                mem_total_bytes: Some(4096),
                logical_cpus: Some(2),
                boot_time_unix_s: Some(7)
            }
        );
    }

    #[test]
    fn reads_this_very_process() {
        let me = std::process::id();
        let s = read_pid_sample(Path::new("/proc"), me).unwrap().unwrap();
        assert!(s.stat.num_threads >= 1);
        assert!(s.rss_bytes.is_some_and(|r| r > 0));
        assert!(s.open_fds.is_some_and(|n| n >= 3));
    }
}
