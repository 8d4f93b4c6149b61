//! Linux host metrics read straight from /proc and /sys.
//!
//! We read the kernel's files ourselves instead of using a crate like sysinfo
//! so that every figure has one known source and every parser can be tested
//! against fixture text. Parsers take `&str`; only the thin `read_*` layer and
//! `HostCollector::sample` touch the filesystem.

use std::collections::{HashMap, HashSet};
use std::ffi::{CStr, CString};
use std::mem::MaybeUninit;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::model::host::{
    DiskInfo, DiskUsage, HostInventory, HostPerformance, HostSample, InterfaceCounters,
    InterfaceInfo,
};

const PROC_STAT: &str = "/proc/stat";
const PROC_MEMINFO: &str = "/proc/meminfo";
const PROC_LOADAVG: &str = "/proc/loadavg";
const PROC_UPTIME: &str = "/proc/uptime";
const PROC_NET_DEV: &str = "/proc/net/dev";
const PROC_MOUNTS: &str = "/proc/mounts";
const PROC_CPUINFO: &str = "/proc/cpuinfo";
const PROC_HOSTNAME: &str = "/proc/sys/kernel/hostname";
const PROC_OSRELEASE: &str = "/proc/sys/kernel/osrelease";
const SYS_CLASS_NET: &str = "/sys/class/net";
/// os-release(5): /etc wins, /usr/lib is the vendor fallback.
const OS_RELEASE_PATHS: [&str; 2] = ["/etc/os-release", "/usr/lib/os-release"];

/// Block-device filesystems that are always 100% full by construction
/// (snap images, mounted ISOs) and would only raise false disk-full alarms.
const READ_ONLY_IMAGE_FS: [&str; 2] = ["squashfs", "iso9660"];
/// Memory-backed filesystems that sometimes carry a /dev-looking source name.
const PSEUDO_FS: [&str; 4] = ["tmpfs", "devtmpfs", "devpts", "ramfs"];
/// /proc/cpuinfo names the model differently per architecture.
const CPU_MODEL_KEYS: [&str; 4] = ["model name", "Processor", "cpu model", "cpu"];
/// IFF_UP from <linux/if.h>.
const IFF_UP: u32 = 0x1;

/// Every variant names the file, so a failed sample in the daemon's log says
/// where to look without a debugger.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot parse {path}: {reason}")]
    Parse { path: String, reason: String },
}

fn parse_err(path: &str, reason: impl Into<String>) -> HostError {
    HostError::Parse {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Keeps the previous counters because CPU busy share and network rates only
/// mean something as differences between two readings.
#[derive(Debug)]
pub struct HostCollector {
    prev_cpu: CpuTimes,
    last_cpu_percent: f64,
    prev_net: HashMap<String, (u64, u64)>,
    prev_net_at: Option<Instant>,
}

impl Default for HostCollector {
    fn default() -> Self {
        Self::new()
    }
}

impl HostCollector {
    /// Starts from zero CPU jiffies so the first sample reports the average
    /// since boot instead of a meaningless 0.
    pub fn new() -> Self {
        Self {
            prev_cpu: CpuTimes::default(),
            last_cpu_percent: 0.0,
            prev_net: HashMap::new(),
            prev_net_at: None,
        }
    }

    /// Reads everything each time, inventory included, because disks and
    /// interfaces come and go and a stale inventory is worse than a few reads.
    pub fn sample(&mut self) -> Result<HostSample, HostError> {
        let stat = read_text(PROC_STAT)?;
        let mem = parse_meminfo(&read_text(PROC_MEMINFO)?)?;
        let filesystems = mounted_filesystems()?;
        let inventory = read_inventory(&stat, &mem, &filesystems)?;
        let performance = self.read_performance(&stat, &mem, &filesystems)?;
        Ok(HostSample {
            inventory,
            performance,
        })
    }

    fn read_performance(
        &mut self,
        stat: &str,
        mem: &MemInfo,
        filesystems: &[(Mount, FsStats)],
    ) -> Result<HostPerformance, HostError> {
        let (load1, load5, load15) = parse_loadavg(&read_text(PROC_LOADAVG)?)?;
        let uptime_seconds = parse_uptime(&read_text(PROC_UPTIME)?)?;
        let cpu_percent = self.cpu_percent(parse_cpu_times(stat)?);
        let net = parse_net_dev(&read_text(PROC_NET_DEV)?);
        let interfaces = self.with_rates(net, Instant::now());
        Ok(HostPerformance {
            sampled_at_unix_ms: unix_ms(),
            cpu_percent,
            load1,
            load5,
            load15,
            memory_used_bytes: mem.used(),
            memory_total_bytes: mem.total,
            memory_percent: percent(mem.used(), mem.total),
            swap_used_bytes: mem.swap_total.saturating_sub(mem.swap_free),
            uptime_seconds,
            disks: filesystems.iter().map(disk_usage).collect(),
            interfaces,
        })
    }

    /// Two samples within one clock tick carry no new CPU information, so
    /// the previous figure is repeated rather than reporting a false idle.
    fn cpu_percent(&mut self, now: CpuTimes) -> f64 {
        if let Some(p) = busy_percent(self.prev_cpu, now) {
            self.prev_cpu = now;
            self.last_cpu_percent = p;
        }
        self.last_cpu_percent
    }

    fn with_rates(
        &mut self,
        mut counters: Vec<InterfaceCounters>,
        now: Instant,
    ) -> Vec<InterfaceCounters> {
        let secs = self
            .prev_net_at
            .map(|t| now.duration_since(t).as_secs_f64());
        for c in &mut counters {
            c.oper_up = read_oper_up(&c.name);
            if let (Some(secs), Some(&(rx, tx))) = (secs, self.prev_net.get(&c.name)) {
                c.rx_bytes_per_sec = rate(rx, c.rx_bytes, secs);
                c.tx_bytes_per_sec = rate(tx, c.tx_bytes, secs);
            }
        }
        self.prev_net = counters
            .iter()
            .map(|c| (c.name.clone(), (c.rx_bytes, c.tx_bytes)))
            .collect();
        self.prev_net_at = Some(now);
        counters
    }
}

// ---------------------------------------------------------------- reading

/// Lossy on purpose: a mount point with non-UTF-8 bytes must not make the
/// whole of /proc/mounts unreadable.
fn read_text(path: &str) -> Result<String, HostError> {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|source| HostError::Read {
            path: path.to_owned(),
            source,
        })
}

/// sysfs attributes legitimately fail (speed of a down link is EINVAL), so
/// absence is an answer here, not an error.
fn read_sys(dir: &str, attr: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("{dir}/{attr}")).ok()?;
    Some(text.trim().to_owned())
}

fn read_inventory(
    stat: &str,
    mem: &MemInfo,
    filesystems: &[(Mount, FsStats)],
) -> Result<HostInventory, HostError> {
    let (os_name, os_version) = parse_os_release(&read_os_release());
    Ok(HostInventory {
        hostname: read_text(PROC_HOSTNAME)?.trim().to_owned(),
        os_name,
        os_version,
        kernel: read_text(PROC_OSRELEASE)?.trim().to_owned(),
        arch: machine_arch(),
        cpu_model: parse_cpu_model(&read_text(PROC_CPUINFO)?),
        cpu_cores: parse_cpu_count(stat)?,
        memory_total_bytes: mem.total,
        boot_time_unix: parse_btime(stat)?,
        disks: filesystems.iter().map(disk_info).collect(),
        interfaces: read_interfaces()?,
    })
}

/// The host's name, operating system and architecture: what a node
/// running on this host has as its hardware's `host`, `os` and `arch`.
pub fn host_names() -> crate::collect::local::apply::HostNames {
    let (os, _) = parse_os_release(&read_os_release());
    crate::collect::local::apply::HostNames {
        host: read_text(PROC_HOSTNAME)
            .map(|h| h.trim().to_owned())
            .unwrap_or_default(),
        os,
        arch: machine_arch(),
    }
}

/// Minimal images (distroless, scratch) ship no os-release; the spec says
/// to assume "Linux" then, which beats failing the whole sample.
fn read_os_release() -> String {
    OS_RELEASE_PATHS
        .iter()
        .find_map(|p| read_text(p).ok())
        .unwrap_or_default()
}

/// uname rather than /proc/sys/kernel/arch, which only newer kernels have.
fn machine_arch() -> String {
    let mut uts = MaybeUninit::<libc::utsname>::uninit();
    // SAFETY: `uts` is a valid, writable utsname for the kernel to fill.
    if unsafe { libc::uname(uts.as_mut_ptr()) } != 0 {
        return std::env::consts::ARCH.to_owned();
    }
    // SAFETY: uname returned 0, so every field is initialised.
    let uts = unsafe { uts.assume_init() };
    // SAFETY: the kernel NUL-terminates `machine` within its buffer.
    let machine = unsafe { CStr::from_ptr(uts.machine.as_ptr()) };
    machine.to_string_lossy().into_owned()
}

fn read_interfaces() -> Result<Vec<InterfaceInfo>, HostError> {
    let entries = std::fs::read_dir(SYS_CLASS_NET).map_err(|source| HostError::Read {
        path: SYS_CLASS_NET.to_owned(),
        source,
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names.into_iter().filter_map(interface_info).collect())
}

/// An interface whose mtu cannot be read has vanished since the directory
/// listing; dropping it is the honest answer.
fn interface_info(name: String) -> Option<InterfaceInfo> {
    let dir = format!("{SYS_CLASS_NET}/{name}");
    let mtu = read_sys(&dir, "mtu")?.parse().ok()?;
    Some(InterfaceInfo {
        mac: read_sys(&dir, "address").unwrap_or_default(),
        mtu,
        speed_mbps: read_sys(&dir, "speed").and_then(|s| parse_speed(&s)),
        name,
    })
}

fn read_oper_up(name: &str) -> bool {
    let dir = format!("{SYS_CLASS_NET}/{name}");
    let state = read_sys(&dir, "operstate").unwrap_or_default();
    is_oper_up(&state, read_sys(&dir, "flags").as_deref())
}

/// A mount we cannot statvfs (permission denied inside a container) is
/// skipped so one odd mount does not cost the whole sample.
fn mounted_filesystems() -> Result<Vec<(Mount, FsStats)>, HostError> {
    let mounts = parse_mounts(&read_text(PROC_MOUNTS)?);
    Ok(mounts
        .into_iter()
        .filter_map(|m| statvfs(&m.mount_point).map(|s| (m, s)))
        .collect())
}

#[allow(
    clippy::useless_conversion,
    reason = "statvfs fields are u64 here but u32 on some 32-bit targets"
)]
fn statvfs(path: &str) -> Option<FsStats> {
    let c_path = CString::new(path).ok()?;
    let mut st = MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c_path` is NUL-terminated and `st` is writable for the call.
    if unsafe { libc::statvfs(c_path.as_ptr(), st.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so it filled `st`.
    let st = unsafe { st.assume_init() };
    let block = u64::from(st.f_frsize);
    Some(FsStats {
        total: u64::from(st.f_blocks).saturating_mul(block),
        free: u64::from(st.f_bfree).saturating_mul(block),
        avail: u64::from(st.f_bavail).saturating_mul(block),
    })
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

// ---------------------------------------------------------------- shaping

#[derive(Debug, Clone, PartialEq, Eq)]
struct Mount {
    device: String,
    mount_point: String,
    fs_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FsStats {
    total: u64,
    free: u64,
    avail: u64,
}

fn disk_info((m, s): &(Mount, FsStats)) -> DiskInfo {
    DiskInfo {
        mount_point: m.mount_point.clone(),
        device: m.device.clone(),
        fs_type: m.fs_type.clone(),
        total_bytes: s.total,
    }
}

fn disk_usage((m, s): &(Mount, FsStats)) -> DiskUsage {
    let used = s.total.saturating_sub(s.free);
    DiskUsage {
        mount_point: m.mount_point.clone(),
        total_bytes: s.total,
        used_bytes: used,
        percent: percent(used, used.saturating_add(s.avail)),
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 / whole as f64 * 100.0).clamp(0.0, 100.0)
}

/// A counter that went down was reset (interface recreated, driver reload);
/// reporting 0 beats a huge bogus rate from wrapping arithmetic.
fn rate(prev: u64, now: u64, secs: f64) -> f64 {
    if secs <= 0.0 {
        return 0.0;
    }
    now.checked_sub(prev).map_or(0.0, |d| d as f64 / secs)
}

/// Drivers without link detection (loopback, tun) report "unknown"; for
/// them the administrative IFF_UP flag is the best signal there is.
fn is_oper_up(operstate: &str, flags: Option<&str>) -> bool {
    match operstate {
        "up" => true,
        "unknown" => flags
            .and_then(|f| u32::from_str_radix(f.trim_start_matches("0x"), 16).ok())
            .is_some_and(|f| f & IFF_UP != 0),
        _ => false,
    }
}

/// The kernel reports -1 (or u32::MAX from older drivers) for "unknown".
fn parse_speed(text: &str) -> Option<u32> {
    let mbps: i64 = text.trim().parse().ok()?;
    u32::try_from(mbps).ok().filter(|&v| v > 0 && v != u32::MAX)
}

// ---------------------------------------------------------------- /proc/stat

/// Only the split that busy share needs; guest time is already inside user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CpuTimes {
    total: u64,
    idle: u64,
}

fn parse_cpu_times(stat: &str) -> Result<CpuTimes, HostError> {
    let line = stat
        .lines()
        .find(|l| l.starts_with("cpu "))
        .ok_or_else(|| parse_err(PROC_STAT, "no aggregate cpu line"))?;
    // user nice system idle iowait irq softirq steal; guest fields excluded.
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .take(8)
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|e| parse_err(PROC_STAT, format!("cpu line: {e}")))?;
    match fields.as_slice() {
        [_, _, _, idle, rest @ ..] => Ok(CpuTimes {
            total: fields.iter().sum(),
            idle: idle + rest.first().copied().unwrap_or(0),
        }),
        _ => Err(parse_err(PROC_STAT, "cpu line has fewer than 4 fields")),
    }
}

/// Counts `cpuN` lines because they cover exactly the CPUs behind the
/// aggregate line, in a format that is the same on every architecture.
fn parse_cpu_count(stat: &str) -> Result<u32, HostError> {
    let count = stat
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.strip_prefix("cpu"))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .count();
    match u32::try_from(count) {
        Ok(0) | Err(_) => Err(parse_err(PROC_STAT, "no per-cpu lines")),
        Ok(n) => Ok(n),
    }
}

fn parse_btime(stat: &str) -> Result<u64, HostError> {
    stat.lines()
        .find_map(|l| l.strip_prefix("btime "))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| parse_err(PROC_STAT, "no valid btime line"))
}

/// iowait may run backwards on idle CPUs, hence saturating maths and the
/// clamp. None means no tick elapsed, so there is nothing to divide by.
fn busy_percent(prev: CpuTimes, now: CpuTimes) -> Option<f64> {
    let total = now.total.saturating_sub(prev.total);
    if total == 0 {
        return None;
    }
    let idle = now.idle.saturating_sub(prev.idle);
    Some(percent(total.saturating_sub(idle), total))
}

// ---------------------------------------------------------------- /proc/meminfo

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MemInfo {
    total: u64,
    available: u64,
    swap_total: u64,
    swap_free: u64,
}

impl MemInfo {
    fn used(&self) -> u64 {
        self.total.saturating_sub(self.available)
    }
}

fn parse_meminfo(text: &str) -> Result<MemInfo, HostError> {
    let bytes: HashMap<&str, u64> = text.lines().filter_map(meminfo_line).collect();
    let get = |k: &str| bytes.get(k).copied();
    let total = get("MemTotal").ok_or_else(|| parse_err(PROC_MEMINFO, "no MemTotal"))?;
    Ok(MemInfo {
        total,
        available: get("MemAvailable").unwrap_or_else(|| estimate_available(&get)),
        swap_total: get("SwapTotal").unwrap_or(0),
        swap_free: get("SwapFree").unwrap_or(0),
    })
}

/// Kernels before 3.14 lack MemAvailable; free + buffers + cache is the
/// estimate `free` used on them.
fn estimate_available(get: &dyn Fn(&str) -> Option<u64>) -> u64 {
    ["MemFree", "Buffers", "Cached"]
        .iter()
        .filter_map(|k| get(k))
        .sum()
}

/// Only "kB" lines: unit-less ones (HugePages_*) are counts, not sizes.
fn meminfo_line(line: &str) -> Option<(&str, u64)> {
    let (key, rest) = line.split_once(':')?;
    let mut parts = rest.split_whitespace();
    let kib: u64 = parts.next()?.parse().ok()?;
    (parts.next() == Some("kB")).then(|| (key.trim(), kib.saturating_mul(1024)))
}

// ---------------------------------------------------------------- small files

fn parse_loadavg(text: &str) -> Result<(f64, f64, f64), HostError> {
    let mut it = text.split_whitespace().map(str::parse::<f64>);
    match (it.next(), it.next(), it.next()) {
        (Some(Ok(a)), Some(Ok(b)), Some(Ok(c))) => Ok((a, b, c)),
        _ => Err(parse_err(PROC_LOADAVG, "expected three load averages")),
    }
}

fn parse_uptime(text: &str) -> Result<u64, HostError> {
    text.split_whitespace()
        .next()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| v as u64)
        .ok_or_else(|| parse_err(PROC_UPTIME, "expected seconds since boot"))
}

/// Keys outside this list are ignored, so any reasonable architecture gives
/// at least "unknown" instead of an error.
fn parse_cpu_model(cpuinfo: &str) -> String {
    CPU_MODEL_KEYS
        .iter()
        .find_map(|key| cpuinfo.lines().find_map(|l| cpuinfo_value(l, key)))
        .unwrap_or("unknown")
        .to_owned()
}

fn cpuinfo_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (k, v) = line.split_once(':')?;
    let v = v.trim();
    (k.trim() == key && !v.is_empty()).then_some(v)
}

/// Returns (name, version); the fallbacks follow os-release(5) defaults and
/// let rolling releases, which have no VERSION, still say something.
fn parse_os_release(text: &str) -> (String, String) {
    let vars: HashMap<&str, String> = text.lines().filter_map(os_release_line).collect();
    let first = |keys: &[&str]| keys.iter().find_map(|k| vars.get(k).cloned());
    let name = first(&["PRETTY_NAME", "NAME"]).unwrap_or_else(|| "Linux".to_owned());
    let version = first(&["VERSION", "VERSION_ID", "BUILD_ID"]).unwrap_or_default();
    (name, version)
}

fn os_release_line(line: &str) -> Option<(&str, String)> {
    let line = line.trim();
    if line.starts_with('#') {
        return None;
    }
    let (key, value) = line.split_once('=')?;
    Some((key.trim(), unquote(value.trim())))
}

/// The file is shell syntax: values may be single- or double-quoted and use
/// backslash escapes.
fn unquote(value: &str) -> String {
    let inner = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
        .unwrap_or(value);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.extend(if c == '\\' { chars.next() } else { Some(c) });
    }
    out
}

// ---------------------------------------------------------------- /proc/net/dev

/// Header lines have no colon and malformed lines too few numbers; both are
/// skipped. Rates and link state are filled in later by the collector.
fn parse_net_dev(text: &str) -> Vec<InterfaceCounters> {
    let mut out: Vec<_> = text.lines().filter_map(net_dev_line).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn net_dev_line(line: &str) -> Option<InterfaceCounters> {
    let (name, rest) = line.split_once(':')?;
    let v: Vec<u64> = rest
        .split_whitespace()
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    // rx: bytes packets errs drop fifo frame compressed multicast, then tx.
    let [rxb, rxp, rxe, rxd, _, _, _, _, txb, txp, txe, txd, ..] = v.as_slice() else {
        return None;
    };
    Some(InterfaceCounters {
        name: name.trim().to_owned(),
        oper_up: false,
        rx_bytes: *rxb,
        tx_bytes: *txb,
        rx_packets: *rxp,
        tx_packets: *txp,
        rx_errors: *rxe,
        tx_errors: *txe,
        rx_drops: *rxd,
        tx_drops: *txd,
        rx_bytes_per_sec: 0.0,
        tx_bytes_per_sec: 0.0,
    })
}

// ---------------------------------------------------------------- /proc/mounts

/// Keeps the first mount of each device: bind mounts and btrfs subvolumes
/// repeat the same filesystem and would double-count its space.
fn parse_mounts(text: &str) -> Vec<Mount> {
    let mut seen = HashSet::new();
    text.lines()
        .filter_map(mount_line)
        .filter(is_real_fs)
        .filter(|m| seen.insert(m.device.clone()))
        .collect()
}

fn mount_line(line: &str) -> Option<Mount> {
    let mut fields = line.split_whitespace();
    Some(Mount {
        device: unescape_octal(fields.next()?),
        mount_point: unescape_octal(fields.next()?),
        fs_type: fields.next()?.to_owned(),
    })
}

/// Block devices show up as /dev paths; everything else (proc, sysfs,
/// cgroup, tmpfs, network shares) is skipped, except overlay, which is the
/// root filesystem inside containers.
fn is_real_fs(m: &Mount) -> bool {
    let fs = m.fs_type.as_str();
    fs == "overlay"
        || (m.device.starts_with("/dev/")
            && !PSEUDO_FS.contains(&fs)
            && !READ_ONLY_IMAGE_FS.contains(&fs))
}

/// The kernel writes space, tab, newline and backslash in mount fields as
/// three-digit octal escapes (`\040`).
fn unescape_octal(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let code = rest
            .get(pos + 1..pos + 4)
            .and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(b) => {
                out.push(char::from(b));
                rest = &rest[pos + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[pos + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAT: &str = "\
cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0
cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0
cpu1 1335990 34452 492004 13357908 3640 0 1865 0 25474 0
cpu2 3656036 109626 1071023 10041620 3452 0 2797 0 63076 0
cpu3 3746845 113650 949634 10085662 3459 0 2656 0 63144 0
intr 1462898 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0
ctxt 2134456789
btime 1717414200
processes 1234567
procs_running 2
procs_blocked 0
softirq 229245889 94 60001584 13619 5175704 2471304 0 851151 50553024 0 60579487
";

    const MEMINFO: &str = "\
MemTotal:       16318400 kB
MemFree:         1034568 kB
MemAvailable:    9012344 kB
Buffers:          412340 kB
Cached:          7123456 kB
SwapCached:        10240 kB
Active:          8123456 kB
SwapTotal:       2097148 kB
SwapFree:        1572860 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
";

    const NET_DEV: &str = "\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 2776770   11307    0    0    0     0          0         0  2776770   11307    0    0    0     0       0          0
enp3s0: 1593624385 1305462 3 17 0 0 0 20456 112403233 743021 1 2 0 0 0 0
wlan0: garbage line
docker0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
";

    const MOUNTS: &str = "\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
udev /dev devtmpfs rw,nosuid,relatime,size=8120000k,nr_inodes=2030000,mode=755 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1631840k,mode=755 0 0
/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0
cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0
/dev/loop3 /snap/core20/2015 squashfs ro,nodev,relatime,errors=continue 0 0
/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0
/dev/sdb1 /mnt/backup\\040disk xfs rw,relatime 0 0
/dev/nvme0n1p2 /var/lib/bind-copy ext4 rw,relatime 0 0
server:/export /mnt/nfs nfs4 rw,relatime,vers=4.2 0 0
overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime,lowerdir=/l 0 0
broken-line-without-fields
";

    #[test]
    fn cpu_times_exclude_guest_and_count_iowait_as_idle() {
        let t = parse_cpu_times(STAT).expect("valid stat");
        let total = 10132153 + 290696 + 3084719 + 46828483 + 16683 + 25195;
        assert_eq!(t.total, total);
        assert_eq!(t.idle, 46828483 + 16683);
    }

    #[test]
    fn cpu_times_reject_malformed_line() {
        let err = parse_cpu_times("cpu  12 x 3 4\n").expect_err("bad field");
        assert!(err.to_string().contains("/proc/stat"), "{err}");
        assert!(parse_cpu_times("intr 1 2 3\n").is_err());
        assert!(parse_cpu_times("cpu  1 2 3\n").is_err());
    }

    #[test]
    fn cpu_count_and_btime_come_from_stat() {
        assert_eq!(parse_cpu_count(STAT).expect("cpus"), 4);
        assert_eq!(parse_btime(STAT).expect("btime"), 1717414200);
        assert!(parse_cpu_count("cpu  1 2 3 4\n").is_err());
        assert!(parse_btime("btime soon\n").is_err());
    }

    #[test]
    fn busy_percent_since_boot_and_between_samples() {
        let boot = parse_cpu_times(STAT).expect("valid stat");
        let first = busy_percent(CpuTimes::default(), boot).expect("ticks elapsed");
        assert!((first - 22.41).abs() < 0.01, "{first}");
        let later = CpuTimes {
            total: boot.total + 400,
            idle: boot.idle + 100,
        };
        assert_eq!(busy_percent(boot, later), Some(75.0));
        assert_eq!(busy_percent(boot, boot), None);
    }

    #[test]
    fn busy_percent_survives_idle_going_backwards() {
        let prev = CpuTimes {
            total: 1000,
            idle: 900,
        };
        let now = CpuTimes {
            total: 1100,
            idle: 850,
        };
        assert_eq!(busy_percent(prev, now), Some(100.0));
    }

    #[test]
    fn meminfo_converts_kib_and_prefers_mem_available() {
        let m = parse_meminfo(MEMINFO).expect("valid meminfo");
        assert_eq!(m.total, 16318400 * 1024);
        assert_eq!(m.available, 9012344 * 1024);
        assert_eq!(m.used(), (16318400 - 9012344) * 1024);
        assert_eq!(m.swap_total - m.swap_free, (2097148 - 1572860) * 1024);
    }

    #[test]
    fn meminfo_estimates_available_on_old_kernels() {
        let old = "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n";
        let m = parse_meminfo(old).expect("valid meminfo");
        assert_eq!(m.available, 420 * 1024);
        assert_eq!(m.swap_total, 0);
    }

    #[test]
    fn meminfo_without_total_is_an_error() {
        let err = parse_meminfo("MemFree: abc kB\n").expect_err("no total");
        assert!(err.to_string().contains("/proc/meminfo"), "{err}");
    }

    #[test]
    fn loadavg_and_uptime() {
        let load = parse_loadavg("0.52 0.58 0.59 2/1234 56789\n").expect("loadavg");
        assert_eq!(load, (0.52, 0.58, 0.59));
        assert!(parse_loadavg("0.52 high\n").is_err());
        assert_eq!(
            parse_uptime("350735.47 234388.90\n").expect("uptime"),
            350735
        );
        assert!(parse_uptime("\n").is_err());
        assert!(parse_uptime("-3.0 1.0\n").is_err());
    }

    #[test]
    fn net_dev_parses_counters_and_skips_junk() {
        let devs = parse_net_dev(NET_DEV);
        let names: Vec<_> = devs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["docker0", "enp3s0", "lo"]);
        let eth = &devs[1];
        assert_eq!((eth.rx_bytes, eth.rx_packets), (1593624385, 1305462));
        assert_eq!((eth.rx_errors, eth.rx_drops), (3, 17));
        assert_eq!((eth.tx_bytes, eth.tx_packets), (112403233, 743021));
        assert_eq!((eth.tx_errors, eth.tx_drops), (1, 2));
        assert_eq!(eth.rx_bytes_per_sec, 0.0);
    }

    #[test]
    fn rates_handle_resets_and_zero_time() {
        assert_eq!(rate(1000, 3000, 2.0), 1000.0);
        assert_eq!(rate(3000, 1000, 2.0), 0.0);
        assert_eq!(rate(1000, 3000, 0.0), 0.0);
    }

    #[test]
    fn mounts_keep_real_filesystems_once() {
        let mounts = parse_mounts(MOUNTS);
        let points: Vec<_> = mounts.iter().map(|m| m.mount_point.as_str()).collect();
        assert_eq!(
            points,
            [
                "/",
                "/boot/efi",
                "/mnt/backup disk",
                "/var/lib/docker/overlay2/abc/merged"
            ]
        );
        assert_eq!(mounts[0].device, "/dev/nvme0n1p2");
        assert_eq!(mounts[0].fs_type, "ext4");
    }

    #[test]
    fn unescape_octal_is_lenient() {
        assert_eq!(unescape_octal(r"/a\040b\011c"), "/a b\tc");
        assert_eq!(unescape_octal(r"/trailing\04"), r"/trailing\04");
        assert_eq!(unescape_octal(r"/é\134x"), r"/é\x");
    }

    #[test]
    fn os_release_prefers_pretty_name_and_version() {
        let ubuntu = "\
PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"
NAME=\"Ubuntu\"
VERSION_ID=\"22.04\"
VERSION=\"22.04.4 LTS (Jammy Jellyfish)\"
ID=ubuntu
";
        let (name, version) = parse_os_release(ubuntu);
        assert_eq!(name, "Ubuntu 22.04.4 LTS");
        assert_eq!(version, "22.04.4 LTS (Jammy Jellyfish)");
    }

    #[test]
    fn os_release_fallbacks_and_quoting() {
        let arch = "# comment\nNAME='Arch Linux'\nBUILD_ID=rolling\nX=\"a \\\"q\\\"\"\n";
        assert_eq!(
            parse_os_release(arch),
            ("Arch Linux".to_owned(), "rolling".to_owned())
        );
        assert_eq!(parse_os_release(""), ("Linux".to_owned(), String::new()));
        assert_eq!(unquote(r#""a \"q\"""#), r#"a "q""#);
    }

    #[test]
    fn cpuinfo_model_per_architecture() {
        let x86 = "\
processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 154
model name\t: 12th Gen Intel(R) Core(TM) i7-1260P
cpu MHz\t\t: 2500.000

processor\t: 1
model name\t: 12th Gen Intel(R) Core(TM) i7-1260P
";
        assert_eq!(parse_cpu_model(x86), "12th Gen Intel(R) Core(TM) i7-1260P");
        let ppc = "processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\n";
        assert_eq!(parse_cpu_model(ppc), "POWER9 (raw), altivec supported");
        let arm = "processor\t: 0\nBogoMIPS\t: 48.00\nCPU implementer\t: 0x41\n";
        assert_eq!(parse_cpu_model(arm), "unknown");
    }

    #[test]
    fn link_state_and_speed() {
        assert!(is_oper_up("up", None));
        assert!(is_oper_up("unknown", Some("0x9")));
        assert!(!is_oper_up("unknown", Some("0x8")));
        assert!(!is_oper_up("down", Some("0x1003")));
        assert_eq!(parse_speed("1000\n"), Some(1000));
        assert_eq!(parse_speed("-1"), None);
        assert_eq!(parse_speed("4294967295"), None);
        assert_eq!(parse_speed(""), None);
    }

    #[test]
    fn disk_usage_matches_df() {
        let m = Mount {
            device: "/dev/sda1".into(),
            mount_point: "/".into(),
            fs_type: "ext4".into(),
        };
        let s = FsStats {
            total: 1000,
            free: 100,
            avail: 50,
        };
        let u = disk_usage(&(m, s));
        assert_eq!(u.used_bytes, 900);
        assert!((u.percent - 900.0 / 950.0 * 100.0).abs() < 1e-9);
    }

    #[test]
    fn samples_the_real_machine() {
        let mut collector = HostCollector::new();
        let first = collector.sample().expect("first sample");
        std::thread::sleep(std::time::Duration::from_millis(250));
        let second = collector.sample().expect("second sample");
        for s in [&first, &second] {
            check_invariants(s);
        }
        assert!(
            first
                .performance
                .interfaces
                .iter()
                .all(|i| i.rx_bytes_per_sec == 0.0)
        );
        assert!(second.performance.sampled_at_unix_ms >= first.performance.sampled_at_unix_ms);
    }

    fn check_invariants(s: &HostSample) {
        let (inv, perf) = (&s.inventory, &s.performance);
        assert!(inv.cpu_cores >= 1);
        assert!(inv.memory_total_bytes > 0);
        assert!(!inv.hostname.is_empty() && !inv.kernel.is_empty() && !inv.arch.is_empty());
        assert!(inv.interfaces.iter().any(|i| i.name == "lo"));
        assert!(perf.memory_used_bytes <= perf.memory_total_bytes);
        assert!(
            (0.0..=100.0).contains(&perf.cpu_percent),
            "{}",
            perf.cpu_percent
        );
        assert!((0.0..=100.0).contains(&perf.memory_percent));
        assert!(perf.disks.iter().all(|d| d.used_bytes <= d.total_bytes));
        assert!(perf.interfaces.iter().any(|i| i.name == "lo"));
        for i in &perf.interfaces {
            assert!(i.rx_bytes_per_sec >= 0.0 && i.rx_bytes_per_sec.is_finite());
            assert!(i.tx_bytes_per_sec >= 0.0 && i.tx_bytes_per_sec.is_finite());
        }
    }
}
