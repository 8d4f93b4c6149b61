//! Which process holds a socket: the PID whose /proc/PID/fd has a link to
//! `socket:[INODE]`, or the PID a node wrote to its pid-file.
//!
//! The scan is bounded (a host with a million descriptors must not stall a
//! collection cycle) and skips what it may not read: without root or
//! CAP_SYS_PTRACE the agent sees only its own user's /proc/PID/fd, so a node
//! run by another user is found through a pid-file instead.

use std::path::Path;

use super::error::{ProcessError, read_text};

/// Caps on one scan of /proc. When a cap is reached the scan stops and
/// reports no owner rather than a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanLimits {
    /// Process directories looked into.
    pub max_pids: usize,
    /// Descriptor links read, all processes together.
    pub max_fds: usize,
}

/// The default kernel pid_max is 32768 (4194304 on large hosts, which hardly
/// ever run that many processes).
pub const DEFAULT_MAX_PIDS: usize = 32_768;
/// A busy node holds tens of thousands of descriptors; this leaves room for
/// several of them and still bounds one scan to well under a second.
pub const DEFAULT_MAX_FDS: usize = 500_000;

impl Default for ScanLimits {
    fn default() -> Self {
        Self {
            max_pids: DEFAULT_MAX_PIDS,
            max_fds: DEFAULT_MAX_FDS,
        }
    }
}

/// The PID holding socket `inode`, scanning `root` (normally /proc). `first`
/// is looked at before the others (the PID that held it last time), so the
/// common case costs one process's descriptors.
pub fn find_socket_owner(
    root: &Path,
    inode: u64,
    first: Option<u32>,
    limits: ScanLimits,
) -> Result<Option<u32>, ProcessError> {
    let target = format!("socket:[{inode}]");
    let mut fds_left = limits.max_fds;
    if let Some(pid) = first
        && holds(root, pid, &target, &mut fds_left)
    {
        return Ok(Some(pid));
    }
    let entries = std::fs::read_dir(root).map_err(|e| ProcessError::read(root, e))?;
    let pids = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| Some(pid) != first);
    for (n, pid) in pids.enumerate() {
        if n >= limits.max_pids || fds_left == 0 {
            tracing::debug!(inode, "socket owner scan stopped at its limits");
            return Ok(None);
        }
        if holds(root, pid, &target, &mut fds_left) {
            return Ok(Some(pid));
        }
    }
    Ok(None)
}

/// Whether `pid` has a descriptor linked to `target`. Unreadable directories
/// (another user's process, a process that just exited) hold nothing.
fn holds(root: &Path, pid: u32, target: &str, fds_left: &mut usize) -> bool {
    let Ok(fds) = std::fs::read_dir(root.join(pid.to_string()).join("fd")) else {
        return false;
    };
    for fd in fds.filter_map(Result::ok) {
        if *fds_left == 0 {
            return false;
        }
        *fds_left -= 1;
        if std::fs::read_link(fd.path()).is_ok_and(|link| link.as_os_str() == target) {
            return true;
        }
    }
    false
}

/// The PID in a pid-file: one decimal number, surrounding whitespace allowed.
/// `Ok(None)` if the file does not exist (the node is not running).
pub fn read_pid_file(path: &Path) -> Result<Option<u32>, ProcessError> {
    let Some(text) = read_text(path)? else {
        return Ok(None);
    };
    parse_pid(text.trim())
        .map(Some)
        .ok_or_else(|| ProcessError::parse(path, "not a process id"))
}

fn parse_pid(text: &str) -> Option<u32> {
    text.parse::<u32>().ok().filter(|&pid| pid > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A fake /proc where each (pid, links) gets fd/0.. linked to `links`.
    fn fake_proc(procs: &[(u32, &[&str])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (pid, links) in procs {
            let fd = dir.path().join(pid.to_string()).join("fd");
            std::fs::create_dir_all(&fd).unwrap();
            for (i, l) in links.iter().enumerate() {
                symlink(l, fd.join(i.to_string())).unwrap();
            }
        }
        std::fs::create_dir_all(dir.path().join("net")).unwrap();
        std::fs::create_dir_all(dir.path().join("self")).unwrap();
        dir
    }

    #[test]
    fn finds_the_process_holding_the_inode() {
        let p = fake_proc(&[
            (10, &["/dev/null", "socket:[111]"]),
            (20, &["pipe:[5]", "socket:[222]", "/tmp/x"]),
            (30, &[]),
        ]);
        let l = ScanLimits::default();
        assert_eq!(find_socket_owner(p.path(), 222, None, l).unwrap(), Some(20));
        assert_eq!(find_socket_owner(p.path(), 111, None, l).unwrap(), Some(10));
        assert_eq!(find_socket_owner(p.path(), 333, None, l).unwrap(), None);
        // socket:[22] is not socket:[222].
        assert_eq!(find_socket_owner(p.path(), 22, None, l).unwrap(), None);
    }

    #[test]
    fn the_hinted_pid_is_checked_first_and_a_wrong_hint_costs_nothing() {
        let p = fake_proc(&[(10, &["socket:[111]"]), (20, &["socket:[222]"])]);
        let tight = ScanLimits {
            max_pids: 0,
            max_fds: 1,
        };
        // With no room to scan, only the hint can answer.
        assert_eq!(
            find_socket_owner(p.path(), 222, Some(20), tight).unwrap(),
            Some(20)
        );
        assert_eq!(
            find_socket_owner(p.path(), 222, Some(10), tight).unwrap(),
            None
        );
        let l = ScanLimits::default();
        assert_eq!(
            find_socket_owner(p.path(), 222, Some(10), l).unwrap(),
            Some(20)
        );
        // A hint for a process that no longer exists.
        assert_eq!(
            find_socket_owner(p.path(), 111, Some(99), l).unwrap(),
            Some(10)
        );
    }

    #[test]
    fn the_scan_stops_at_its_fd_cap() {
        let links: Vec<String> = (0..10).map(|i| format!("socket:[{i}]")).collect();
        let refs: Vec<&str> = links.iter().map(String::as_str).collect();
        let p = fake_proc(&[(7, &refs)]);
        let cap = |max_fds| ScanLimits {
            max_pids: 10,
            max_fds,
        };
        assert_eq!(
            find_socket_owner(p.path(), 9, None, cap(10)).unwrap(),
            Some(7)
        );
        // fd entries come in directory order, so with 9 links read the 10th
        // may or may not have been seen; with 0 none are.
        assert_eq!(find_socket_owner(p.path(), 9, None, cap(0)).unwrap(), None);
    }

    #[test]
    fn unreadable_root_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        assert!(find_socket_owner(&missing, 1, None, ScanLimits::default()).is_err());
    }

    #[test]
    fn pid_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("node.pid");
        assert_eq!(read_pid_file(&f).unwrap(), None);
        std::fs::write(&f, " 4242\n").unwrap();
        assert_eq!(read_pid_file(&f).unwrap(), Some(4242));
        for bad in ["", "0", "-3", "12 13", "abc", "99999999999"] {
            std::fs::write(&f, bad).unwrap();
            assert!(read_pid_file(&f).is_err(), "{bad:?} accepted");
        }
    }
}
