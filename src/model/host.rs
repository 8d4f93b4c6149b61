//! Host inventory and performance figures as the daemon reports them.
//!
//! These types carry no I/O so that storage, the API and tests can share the
//! wire format without pulling in the /proc and /sys readers.

use serde::{Deserialize, Serialize};

/// Slow-changing facts about the machine. They travel with every sample so a
/// consumer never has to join a performance figure against an older inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct HostInventory {
    pub hostname: String,
    /// PRETTY_NAME, because that is the string operators recognise.
    pub os_name: String,
    pub os_version: String,
    pub kernel: String,
    pub arch: String,
    pub cpu_model: String,
    /// Logical CPUs: the set `cpu_percent` is averaged over.
    pub cpu_cores: u32,
    pub memory_total_bytes: u64,
    pub boot_time_unix: u64,
    pub disks: Vec<DiskInfo>,
    pub interfaces: Vec<InterfaceInfo>,
}

/// A filesystem worth watching for space. Pseudo filesystems are left out
/// because their sizes say nothing about the machine's storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DiskInfo {
    pub mount_point: String,
    pub device: String,
    pub fs_type: String,
    pub total_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InterfaceInfo {
    pub name: String,
    pub mac: String,
    pub mtu: u32,
    /// None when the driver cannot tell (virtual links, links that are down).
    pub speed_mbps: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct HostPerformance {
    pub sampled_at_unix_ms: u64,
    /// Busy share of all logical CPUs since the previous sample (since boot on
    /// the first one), 0..=100, so it does not depend on the core count.
    pub cpu_percent: f64,
    pub load1: f64,
    pub load5: f64,
    pub load15: f64,
    /// Total minus MemAvailable: page cache the kernel can drop is not "used".
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    pub memory_percent: f64,
    pub swap_used_bytes: u64,
    pub uptime_seconds: u64,
    pub disks: Vec<DiskUsage>,
    pub interfaces: Vec<InterfaceCounters>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DiskUsage {
    pub mount_point: String,
    pub total_bytes: u64,
    pub used_bytes: u64,
    /// Computed as `df` does, used / (used + available to unprivileged users),
    /// so it reaches 100 when ordinary processes can no longer write even
    /// though root-reserved blocks remain.
    pub percent: f64,
}

/// Raw kernel counters plus rates, so consumers can alert on either without
/// keeping their own history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InterfaceCounters {
    pub name: String,
    pub oper_up: bool,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_drops: u64,
    pub tx_drops: u64,
    /// 0 on the first sample and after a counter reset, rather than a guess.
    pub rx_bytes_per_sec: f64,
    pub tx_bytes_per_sec: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct HostSample {
    pub inventory: HostInventory,
    pub performance: HostPerformance,
}
