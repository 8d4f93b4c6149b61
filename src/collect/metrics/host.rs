//! What a Prometheus node exporter says about a remote node's host: cores,
//! CPU time, memory, filesystems and interface counters, in plain typed
//! figures. Rates (CPU percent, bytes per second) need two scrapes:
//! [`super::rates::HostRates`] fills them.
//!
//! Names as node_exporter serves them (collector/cpu_linux.go,
//! meminfo.go, filesystem_common.go, netdev_common.go, boot_time and
//! loadavg collectors; checked against Debian's prometheus-node-exporter
//! 1.5.0): `node_cpu_seconds_total{cpu,mode}`, `node_memory_MemTotal_bytes`,
//! `node_memory_MemAvailable_bytes`, `node_filesystem_size_bytes`,
//! `node_filesystem_free_bytes` and `node_filesystem_avail_bytes`
//! `{device,fstype,mountpoint}`, `node_network_receive_bytes_total` and
//! `node_network_transmit_bytes_total{device}`, `node_boot_time_seconds`,
//! `node_load1`.

use super::exposition::Page;
use std::collections::{BTreeMap, BTreeSet};

/// CPU time of all cores since boot, from `node_cpu_seconds_total`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CpuTimes {
    /// All modes.
    pub total_seconds: f64,
    /// All modes but `idle` and `iowait` (as the agent's own host sampler
    /// counts busy time from /proc/stat).
    pub busy_seconds: f64,
}

/// One mounted filesystem.
#[derive(Debug, Clone, PartialEq)]
pub struct FilesystemFigures {
    pub mountpoint: String,
    pub device: String,
    pub fstype: String,
    pub size_bytes: Option<u64>,
    /// Free blocks, root's reserve included (`f_bfree`).
    pub free_bytes: Option<u64>,
    /// Free for unprivileged users (`f_bavail`): what a node process can use.
    pub avail_bytes: Option<u64>,
}

/// One network interface.
#[derive(Debug, Clone, PartialEq)]
pub struct InterfaceFigures {
    pub name: String,
    pub rx_bytes_total: Option<u64>,
    pub tx_bytes_total: Option<u64>,
    pub rx_bytes_per_second: Option<f64>,
    pub tx_bytes_per_second: Option<f64>,
}

/// One scrape of a node exporter.
#[derive(Debug, Clone, PartialEq)]
pub struct HostMetrics {
    /// Logical CPUs: the distinct `cpu` labels of `node_cpu_seconds_total`.
    pub cores: Option<u32>,
    pub cpu_times: Option<CpuTimes>,
    /// Busy share of all cores between the last two scrapes, 0 to 100.
    pub cpu_percent: Option<f64>,
    pub memory_total_bytes: Option<u64>,
    pub memory_available_bytes: Option<u64>,
    /// By mount point.
    pub filesystems: Vec<FilesystemFigures>,
    /// By interface name.
    pub interfaces: Vec<InterfaceFigures>,
    pub boot_time_seconds: Option<f64>,
    pub load1: Option<f64>,
    /// A node exporter page has `node_cpu_seconds_total` or
    /// `node_memory_MemTotal_bytes`; without either, the URL probably points
    /// at something else (worth a warning to the operator).
    pub looks_like_node_exporter: bool,
}

fn bytes(v: f64) -> Option<u64> {
    (v.is_finite() && v >= 0.0 && v <= u64::MAX as f64).then(|| v.round() as u64)
}

impl HostMetrics {
    pub fn from_page(page: &Page) -> HostMetrics {
        let mut cpus = BTreeSet::new();
        let (mut total, mut busy, mut any_cpu) = (0.0, 0.0, false);
        for s in page.named("node_cpu_seconds_total") {
            if !s.value.is_finite() || s.value < 0.0 {
                continue;
            }
            let Some(cpu) = s.label("cpu") else { continue };
            cpus.insert(cpu.to_string());
            any_cpu = true;
            total += s.value;
            if !matches!(s.label("mode"), Some("idle" | "iowait")) {
                busy += s.value;
            }
        }
        let mut filesystems: BTreeMap<String, FilesystemFigures> = BTreeMap::new();
        for (name, field) in [
            ("node_filesystem_size_bytes", 0),
            ("node_filesystem_free_bytes", 1),
            ("node_filesystem_avail_bytes", 2),
        ] {
            for s in page.named(name) {
                let Some(mp) = s.label("mountpoint") else {
                    continue;
                };
                let fs = filesystems
                    .entry(mp.to_string())
                    .or_insert_with(|| FilesystemFigures {
                        mountpoint: mp.to_string(),
                        device: s.label("device").unwrap_or_default().to_string(),
                        fstype: s.label("fstype").unwrap_or_default().to_string(),
                        size_bytes: None,
                        free_bytes: None,
                        avail_bytes: None,
                    });
                let slot = match field {
                    0 => &mut fs.size_bytes,
                    1 => &mut fs.free_bytes,
                    _ => &mut fs.avail_bytes,
                };
                *slot = bytes(s.value);
            }
        }
        let mut interfaces: BTreeMap<String, InterfaceFigures> = BTreeMap::new();
        for (name, rx) in [
            ("node_network_receive_bytes_total", true),
            ("node_network_transmit_bytes_total", false),
        ] {
            for s in page.named(name) {
                let Some(dev) = s.label("device") else {
                    continue;
                };
                let i = interfaces
                    .entry(dev.to_string())
                    .or_insert_with(|| InterfaceFigures {
                        name: dev.to_string(),
                        rx_bytes_total: None,
                        tx_bytes_total: None,
                        rx_bytes_per_second: None,
                        tx_bytes_per_second: None,
                    });
                if rx {
                    i.rx_bytes_total = bytes(s.value);
                } else {
                    i.tx_bytes_total = bytes(s.value);
                }
            }
        }
        let memory_total_bytes = page.first("node_memory_MemTotal_bytes").and_then(bytes);
        HostMetrics {
            cores: u32::try_from(cpus.len()).ok().filter(|c| *c > 0),
            cpu_times: any_cpu.then_some(CpuTimes {
                total_seconds: total,
                busy_seconds: busy,
            }),
            cpu_percent: None,
            memory_total_bytes,
            memory_available_bytes: page.first("node_memory_MemAvailable_bytes").and_then(bytes),
            filesystems: filesystems.into_values().collect(),
            interfaces: interfaces.into_values().collect(),
            boot_time_seconds: page.first("node_boot_time_seconds").filter(|v| *v > 0.0),
            load1: page.first("node_load1").filter(|v| *v >= 0.0),
            looks_like_node_exporter: any_cpu || memory_total_bytes.is_some(),
        }
    }

    /// Memory in use, in percent of the total: (total - available) / total.
    pub fn memory_used_percent(&self) -> Option<f64> {
        let total = self.memory_total_bytes.filter(|t| *t > 0)?;
        let avail = self.memory_available_bytes?;
        Some(total.saturating_sub(avail) as f64 * 100.0 / total as f64)
    }

    /// The filesystem mounted at `mountpoint`.
    pub fn filesystem(&self, mountpoint: &str) -> Option<&FilesystemFigures> {
        self.filesystems.iter().find(|f| f.mountpoint == mountpoint)
    }

    /// The interface named `name`.
    pub fn interface(&self, name: &str) -> Option<&InterfaceFigures> {
        self.interfaces.iter().find(|i| i.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::metrics::exposition::{Limits, parse};

    const PAGE: &str = "\
node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 100
node_cpu_seconds_total{cpu=\"0\",mode=\"iowait\"} 10
node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 60
node_cpu_seconds_total{cpu=\"0\",mode=\"system\"} 30
node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 150
node_cpu_seconds_total{cpu=\"1\",mode=\"user\"} 50
node_memory_MemTotal_bytes 2.5276182528e+10
node_memory_MemAvailable_bytes 2.3667941376e+10
node_filesystem_avail_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 4.8149168128e+10
node_filesystem_free_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 2.21129592832e+11
node_filesystem_size_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/\"} 2.70553174016e+11
node_network_receive_bytes_total{device=\"eth0\"} 1.438172449e+09
node_network_transmit_bytes_total{device=\"eth0\"} 4.286344e+06
node_boot_time_seconds 1.7e9
";

    #[test]
    fn reads_the_node_exporter_names() {
        let page = parse(PAGE, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let h = HostMetrics::from_page(&page);
        assert_eq!(h.cores, Some(2));
        assert_eq!(
            h.cpu_times,
            Some(CpuTimes {
                total_seconds: 400.0,
                busy_seconds: 140.0
            })
        );
        assert_eq!(h.cpu_percent, None, "one scrape gives no rate");
        assert_eq!(h.memory_total_bytes, Some(25_276_182_528));
        let root = h
            .filesystem("/")
            .map(|f| (f.size_bytes, f.avail_bytes, f.fstype.as_str()));
        assert_eq!(
            root,
            Some((Some(270_553_174_016), Some(48_149_168_128), "ext4"))
        );
        let eth0 = h
            .interface("eth0")
            .map(|i| (i.rx_bytes_total, i.tx_bytes_per_second));
        assert_eq!(eth0, Some((Some(1_438_172_449), None)));
        assert!(h.looks_like_node_exporter);
        let used = h.memory_used_percent().unwrap_or(-1.0);
        assert!((used - 6.36).abs() < 0.01, "{used}");
    }

    #[test]
    fn a_page_of_something_else_has_no_host_figures() {
        let page = parse("process_open_fds 5\n", &Limits::default()).unwrap_or_default();
        let h = HostMetrics::from_page(&page);
        assert_eq!(
            (h.cores, h.cpu_times, h.memory_total_bytes),
            (None, None, None)
        );
        assert!(h.filesystems.is_empty() && !h.looks_like_node_exporter);
    }
}
