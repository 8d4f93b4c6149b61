//! `disk-space-low`: a filesystem whose free share is below
//! `disk-free-percent`, for a node's data filesystem (the filesystem of
//! its configured data-dir, NodePerformance `data-fs-free-bytes` over
//! `data-fs-size-bytes`) and for each of the agent host's filesystems
//! (HostPerformance `disks`). Free space shrinks and grows in steps (a
//! compaction, a log rotation), so the alarm has a hold-off both ways:
//! raised once the space has been low for `hold-off-seconds` without a
//! break, cleared once it has been back for as long.

use super::alarms::Condition;
use super::hysteresis::Gate;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::host::DiskUsage;
use crate::model::node::{AdminState, Node, OperState};
use crate::model::performance::{NodePerformance, Thresholds};

/// The resource of a host filesystem: its mount point under
/// `/host/disks`, without the mount point's leading `/` (the root
/// filesystem is `/host/disks/`).
pub fn host_disk_resource(mount_point: &str) -> String {
    format!("/host/disks/{}", mount_point.trim_start_matches('/'))
}

fn gate(t: &Thresholds) -> Gate {
    let ms = t.hold_off_seconds.saturating_mul(1000);
    Gate::HoldOff {
        raise_ms: ms,
        clear_ms: ms,
    }
}

fn condition(
    resource: String,
    chain: &str,
    what: &str,
    free_percent: f64,
    free_bytes: u64,
    size_bytes: u64,
    t: &Thresholds,
) -> Condition {
    let specific_problem = format!(
        "{what} {free_percent:.1}% free ({free_bytes} of {size_bytes} bytes) below {:.1}%",
        t.disk_free_percent
    );
    Condition {
        text: format!(
            "{} on {resource}: {specific_problem}",
            AlarmType::DiskSpaceLow.as_str()
        ),
        resource,
        chain: chain.to_string(),
        alarm_type: AlarmType::DiskSpaceLow,
        severity: Severity::Major,
        specific_problem,
        gate: gate(t),
    }
}

/// The conditions of the data filesystems of `chain`'s nodes that the
/// operator keeps in service and that answer, each against the node's own
/// thresholds. A node without a data-dir (or a size of 0) raises nothing;
/// a node that is down raises only node-unreachable (its figures are
/// those of its last collection).
pub fn node_conditions(
    chain: &str,
    nodes: &[Node],
    performance: &[NodePerformance],
) -> Vec<Condition> {
    performance
        .iter()
        .filter(|p| {
            nodes.iter().any(|n| {
                n.id == p.node && n.admin_state == AdminState::Up && n.oper_state != OperState::Down
            })
        })
        .filter_map(|p| {
            let (free, size) = (p.data_fs_free_bytes?, p.data_fs_size_bytes?);
            let percent = (size > 0).then(|| 100.0 * free as f64 / size as f64)?;
            (percent < p.thresholds.disk_free_percent).then(|| {
                condition(
                    super::detect::node_resource(chain, &p.node),
                    chain,
                    "data filesystem",
                    percent,
                    free,
                    size,
                    &p.thresholds,
                )
            })
        })
        .collect()
}

/// The conditions of the agent host's filesystems, against the global
/// threshold. The free share is what unprivileged writers have, as `df`
/// counts it (100 minus the disk's `percent`).
pub fn host_conditions(disks: &[DiskUsage], t: &Thresholds) -> Vec<Condition> {
    disks
        .iter()
        .filter(|d| d.total_bytes > 0)
        .filter_map(|d| {
            let percent = 100.0 - d.percent;
            (percent < t.disk_free_percent).then(|| {
                // Free for unprivileged writers, consistent with `percent`.
                let free = if d.percent > 0.0 {
                    (d.used_bytes as f64 * (100.0 - d.percent) / d.percent) as u64
                } else {
                    d.total_bytes
                };
                condition(
                    host_disk_resource(&d.mount_point),
                    "",
                    &format!("filesystem {}", d.mount_point),
                    percent,
                    free,
                    d.total_bytes,
                    t,
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;
    use crate::model::node::{NodeHardware, NodeRole, NodeSoftware};

    fn node(id: &str, admin_state: AdminState) -> Node {
        Node {
            chain: "c".into(),
            id: id.into(),
            identity: String::new(),
            role: NodeRole::Validator,
            endpoint: String::new(),
            software: NodeSoftware::default(),
            hardware: NodeHardware::default(),
            admin_state,
            oper_state: OperState::Up,
            oper_changed: 0,
            log_spec: String::new(),
            unsupported: Vec::new(),
        }
    }

    fn perf(node: &str, free: Option<u64>, size: Option<u64>) -> NodePerformance {
        NodePerformance {
            chain: "c".into(),
            node: node.into(),
            data_fs_free_bytes: free,
            data_fs_size_bytes: size,
            ..Default::default()
        }
    }

    #[test]
    fn a_node_data_filesystem_below_its_threshold_is_a_condition() {
        let nodes = [node("a", AdminState::Up), node("b", AdminState::Down)];
        let size = 1_000_000;
        let c = node_conditions(
            "c",
            &nodes,
            &[
                perf("a", Some(50_000), Some(size)),
                perf("b", Some(0), Some(size)),
            ],
        );
        assert_eq!(c.len(), 1, "a node out of service raises nothing");
        let mut down = nodes.clone();
        down[0].oper_state = OperState::Down;
        assert!(
            node_conditions("c", &down, &[perf("a", Some(0), Some(size))]).is_empty(),
            "a node that is down raises only node-unreachable"
        );
        assert_eq!(c[0].resource, "/chains/c/nodes/a");
        assert_eq!(c[0].alarm_type, AlarmType::DiskSpaceLow);
        assert_eq!(
            c[0].specific_problem,
            "data filesystem 5.0% free (50000 of 1000000 bytes) below 10.0%"
        );
        assert_eq!(
            c[0].gate,
            Gate::HoldOff {
                raise_ms: 10_000,
                clear_ms: 10_000
            }
        );
        // At the threshold, unknown, or a filesystem of no size: nothing.
        for (free, size) in [
            (Some(100_000), Some(size)),
            (None, Some(size)),
            (Some(0), None),
            (Some(0), Some(0)),
        ] {
            assert!(node_conditions("c", &nodes, &[perf("a", free, size)]).is_empty());
        }
        // The node's own threshold counts.
        let mut p = perf("a", Some(150_000), Some(size));
        p.thresholds.disk_free_percent = 20.0;
        assert_eq!(node_conditions("c", &nodes, &[p]).len(), 1);
    }

    /// What a /proc/mounts and statvfs pass gives for the host: a nearly
    /// full /var and a root with room (DiskUsage as collect::host fills
    /// it: percent = used / (used + available)).
    #[test]
    fn a_full_host_filesystem_is_a_condition_on_its_mount() {
        let disks = [
            DiskUsage {
                mount_point: "/".into(),
                total_bytes: 100 << 30,
                used_bytes: 40 << 30,
                percent: 42.1,
            },
            DiskUsage {
                mount_point: "/var".into(),
                total_bytes: 10 << 30,
                used_bytes: 9_500_000_000,
                percent: 95.0,
            },
            DiskUsage {
                mount_point: "/empty".into(),
                total_bytes: 0,
                used_bytes: 0,
                percent: 100.0,
            },
        ];
        let c = host_conditions(&disks, &Thresholds::default());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].resource, "/host/disks/var");
        assert_eq!(c[0].chain, "");
        assert_eq!(
            c[0].specific_problem,
            "filesystem /var 5.0% free (500000000 of 10737418240 bytes) below 10.0%"
        );
        assert_eq!(host_disk_resource("/"), "/host/disks/");
        let roomy = Thresholds {
            disk_free_percent: 4.0,
            ..Default::default()
        };
        assert!(host_conditions(&disks, &roomy).is_empty());
    }

    /// Free space that wavers around the threshold (a log written and
    /// rotated), one sample a second, raises once and clears once.
    #[test]
    fn a_noisy_free_space_raises_once_and_clears_once() {
        let t = Thresholds {
            hold_off_seconds: 3,
            ..Default::default()
        };
        let nodes = [node("a", AdminState::Up)];
        // Free percent per second around 10.
        let series = [
            12.0, 9.5, 11.0, 9.0, 10.5, 9.0, 8.0, 7.5, 8.5, 10.5, 8.0, 7.0, 6.5, 10.2, 12.0, 9.8,
            11.0, 12.0, 13.0, 14.0, 13.5, 14.0, 9.0, 15.0, 15.0,
        ];
        let mut tr = Transitions::default();
        for (i, free) in series.iter().enumerate() {
            let now = 1_000 * i as u64;
            let mut p = perf("a", Some((free * 10_000.0) as u64), Some(1_000_000));
            p.thresholds = t.clone();
            tr.step("c", node_conditions("c", &nodes, &[p]), now);
        }
        assert_eq!(tr.counts(), (1, 1));
        // The series does cross the threshold both ways more than once.
        let low: Vec<bool> = series.iter().map(|f| *f < 10.0).collect();
        assert!(low.windows(2).filter(|w| w[0] != w[1]).count() > 4);
    }
}
