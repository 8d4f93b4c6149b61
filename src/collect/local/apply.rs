//! Folds what was read on this host into a node's observation: the
//! process figures into its NodePerformance, this host's size into its
//! NodeHardware. A local reading wins over what the platform's RPC said,
//! where it has a value; where it has none the platform's value stays.

use super::watch::LocalReading;
use crate::collect::observation::NodeObservation;

/// What the host itself is called, for a local node's hardware.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HostNames {
    pub host: String,
    pub os: String,
    pub arch: String,
}

/// Put `r` into `obs`. `on_host`: the node's process runs on this host
/// (so its hardware is this host's), even if it is down right now.
pub fn apply(obs: &mut NodeObservation, r: &LocalReading, on_host: bool, names: &HostNames) {
    let p = &mut obs.performance;
    if let Some(f) = &r.process {
        p.process_id = Some(f.pid);
        p.process_started_at = f.started_at_unix_s.map(|s| s.saturating_mul(1000));
        p.process_restarts = Some(f.restarts);
        p.cpu_core_percent = f.cpu_percent_of_core;
        p.threads = Some(f.threads);
        p.open_fds = f.open_fds;
        p.read_bytes = f.read_bytes;
        p.write_bytes = f.write_bytes;
        p.cpu_percent = f.cpu_percent_of_host.or(p.cpu_percent);
        p.memory_percent = f.memory_percent_of_host.or(p.memory_percent);
        p.memory_used_bytes = f.rss_bytes.or(p.memory_used_bytes);
    }
    if let Some(d) = &r.data_dir {
        p.disk_used_bytes = d.used_bytes.or(p.disk_used_bytes);
        p.data_fs_free_bytes = d.fs_free_bytes;
        p.data_fs_size_bytes = d.fs_total_bytes;
    }
    if !on_host {
        return;
    }
    let hw = &mut obs.node.hardware;
    hw.host.clone_from(&names.host);
    hw.os.clone_from(&names.os);
    hw.arch.clone_from(&names.arch);
    hw.cpu_cores = r.host.logical_cpus;
    hw.memory_bytes = r.host.mem_total_bytes;
    hw.disk_bytes = r.data_dir.and_then(|d| d.fs_total_bytes);
    let p = &obs.performance;
    obs.node.unsupported.retain(|a| match a.as_str() {
        "hardware" => false,
        "cpu-percent" => p.cpu_percent.is_none() && r.process.is_none(),
        "memory-percent" => p.memory_percent.is_none() && r.process.is_none(),
        _ => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::process::{DataDirUsage, HostFacts, ProcessFigures};
    use crate::model::performance::NodePerformance;

    fn observation() -> NodeObservation {
        let mut o = crate::collect::observation::bare_node(
            "http://127.0.0.1:1",
            &["hardware", "cpu-percent", "txpool"],
        );
        o.performance = NodePerformance {
            disk_used_bytes: Some(123),
            ..Default::default()
        };
        o
    }

    fn figures() -> ProcessFigures {
        ProcessFigures {
            pid: 77,
            command: "anvil".into(),
            started_at_unix_s: Some(1_700_000_000),
            restarted: false,
            restarts: 1,
            cpu_percent_of_core: Some(150.0),
            cpu_percent_of_host: Some(37.5),
            rss_bytes: Some(4096),
            memory_percent_of_host: Some(0.5),
            threads: 9,
            open_fds: Some(20),
            read_bytes: None,
            write_bytes: Some(8),
            data_dir: None,
        }
    }

    fn names() -> HostNames {
        HostNames {
            host: "h".into(),
            os: "Debian".into(),
            arch: "x86_64".into(),
        }
    }

    #[test]
    fn process_and_data_dir_fill_performance_and_hardware() {
        let mut o = observation();
        let r = LocalReading {
            process: Some(figures()),
            error: None,
            host: HostFacts {
                mem_total_bytes: Some(1 << 30),
                logical_cpus: Some(4),
                boot_time_unix_s: None,
            },
            data_dir: Some(DataDirUsage {
                used_bytes: Some(5000),
                fs_free_bytes: Some(6000),
                fs_total_bytes: Some(7000),
            }),
        };
        apply(&mut o, &r, true, &names());
        let p = &o.performance;
        assert_eq!(p.process_id, Some(77));
        assert_eq!(p.process_started_at, Some(1_700_000_000_000));
        assert_eq!(p.process_restarts, Some(1));
        assert_eq!(
            (p.cpu_percent, p.cpu_core_percent),
            (Some(37.5), Some(150.0))
        );
        assert_eq!(
            (p.memory_percent, p.memory_used_bytes),
            (Some(0.5), Some(4096))
        );
        assert_eq!((p.threads, p.open_fds), (Some(9), Some(20)));
        assert_eq!((p.read_bytes, p.write_bytes), (None, Some(8)));
        assert_eq!(p.disk_used_bytes, Some(5000));
        assert_eq!(
            (p.data_fs_free_bytes, p.data_fs_size_bytes),
            (Some(6000), Some(7000))
        );
        let hw = &o.node.hardware;
        assert_eq!(
            (hw.cpu_cores, hw.memory_bytes, hw.disk_bytes),
            (Some(4), Some(1 << 30), Some(7000))
        );
        assert_eq!((hw.host.as_str(), hw.arch.as_str()), ("h", "x86_64"));
        assert_eq!(o.node.unsupported, vec!["txpool".to_string()]);
    }

    #[test]
    fn no_process_leaves_the_platform_figures_and_absent_ones_absent() {
        let mut o = observation();
        let r = LocalReading {
            data_dir: Some(DataDirUsage::default()),
            ..Default::default()
        };
        apply(&mut o, &r, false, &names());
        let p = &o.performance;
        // The walk has not run yet: the platform's figure stays.
        assert_eq!(p.disk_used_bytes, Some(123));
        assert_eq!((p.process_id, p.cpu_percent, p.threads), (None, None, None));
        assert_eq!(p.data_fs_free_bytes, None);
        // Not on this host: the hardware is not ours to state.
        assert_eq!(o.node.hardware, Default::default());
        assert_eq!(o.node.unsupported.len(), 3);

        // On this host but down: this host's size, no process figures,
        // cpu-percent still unsupported by the platform.
        apply(&mut o, &LocalReading::default(), true, &names());
        assert_eq!(o.node.hardware.host, "h");
        assert_eq!(o.node.hardware.cpu_cores, None);
        assert_eq!(
            o.node.unsupported,
            vec!["cpu-percent".to_string(), "txpool".to_string()]
        );
    }
}
