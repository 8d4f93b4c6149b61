//! NodePerformance and the thresholds that turn measurements into alarms.

use serde::{Deserialize, Serialize};

/// Measurements of one node, gathered each collection cycle. `None` means
/// the platform does not expose the figure, never "zero".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NodePerformance {
    pub chain: String,
    pub node: String,
    pub sampled_at: super::UnixMillis,
    /// CPU use as a share of the node's machine: 0 to 100 whatever its
    /// number of cores (a local node process: its CPU time over all the
    /// host's logical CPUs, see docs/information-model.md).
    pub cpu_percent: Option<f64>,
    /// Memory use as a share of the node's machine's memory.
    pub memory_percent: Option<f64>,
    /// Resident memory of the node's process.
    pub memory_used_bytes: Option<u64>,
    /// Disk space of the node's chain data.
    pub disk_used_bytes: Option<u64>,
    /// The node's process's CPU time as a share of one core: above 100
    /// when several threads are busy. Local node processes only.
    pub cpu_core_percent: Option<f64>,
    /// The PID of the node's process on the agent's host.
    pub process_id: Option<u32>,
    /// When the node's process started.
    pub process_started_at: Option<super::UnixMillis>,
    /// Restarts of the node's process (a new PID, or the PID reused)
    /// the agent has seen since it started.
    pub process_restarts: Option<u64>,
    /// Threads of the node's process.
    pub threads: Option<u64>,
    /// File descriptors the node's process holds open.
    pub open_fds: Option<u64>,
    /// Bytes the node's process caused to be read from storage, since it
    /// started (/proc/PID/io `read_bytes`).
    pub read_bytes: Option<u64>,
    /// Bytes the node's process caused to be written to storage.
    pub write_bytes: Option<u64>,
    /// Free space (for unprivileged writers) of the filesystem holding
    /// the node's configured data directory.
    pub data_fs_free_bytes: Option<u64>,
    /// Size of that filesystem.
    pub data_fs_size_bytes: Option<u64>,
    pub net_in_bytes_per_sec: Option<f64>,
    pub net_out_bytes_per_sec: Option<f64>,
    /// Peers the node is connected to; `None` where neither its RPC nor
    /// its metrics page gives the figure.
    pub peer_count: Option<u64>,
    pub height: u64,
    /// Blocks behind the highest node of the same chain.
    pub sync_lag: u64,
    pub tx_pool_size: Option<u64>,
    pub block_interval_ms: Option<f64>,
    pub tps: Option<f64>,
    /// Thresholds in force for this node (global values with its overrides).
    pub thresholds: Thresholds,
    /// The notAfter of the certificate the node's TLS endpoints present
    /// (its RPC endpoint, metrics endpoint and host exporter when they are
    /// https): the earliest of them. Absent when none is TLS or none has
    /// been read yet.
    pub certificate_not_after: Option<super::UnixMillis>,
    /// Whole days from `sampled_at` to `certificate_not_after`, rounded
    /// down: negative once the certificate has expired.
    pub certificate_days_left: Option<i32>,
    /// The endpoint (URL) that presents that certificate.
    pub certificate_endpoint: Option<String>,
    /// What the node says of its own health, where its platform reports
    /// one (Fabric `/healthz`, CometBFT `catching_up`, Ethereum
    /// `eth_syncing`); `None` when it gives nothing to go by.
    #[serde(default)]
    pub health: Option<NodeHealth>,
}

/// A node's own account of its health: it answers, but may say that it
/// cannot do its work (a failed health check, still catching up, a sync
/// that makes no progress).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NodeHealth {
    pub healthy: bool,
    /// Why it is not, in the node's words with their source (`/healthz
    /// 503: couchdb: ...`); empty when healthy.
    pub problem: String,
}

impl NodeHealth {
    pub fn healthy() -> NodeHealth {
        NodeHealth {
            healthy: true,
            problem: String::new(),
        }
    }

    pub fn unhealthy(problem: String) -> NodeHealth {
        NodeHealth {
            healthy: false,
            problem,
        }
    }
}

/// Alarm thresholds. Configuration: they live in the datastore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Thresholds {
    pub cpu_percent: f64,
    pub memory_percent: f64,
    /// Blocks a node may trail the chain head before `syncLag` is raised.
    pub sync_lag_blocks: u64,
    /// Seconds without a new block before `consensusStalled` is raised.
    pub consensus_stall_seconds: u64,
    pub link_latency_ms: f64,
    /// Share of the last cross-chain transfers on a channel that may time out.
    pub xchain_timeout_percent: f64,
    /// Hysteresis of `cpu-high`: it clears once CPU use is this many
    /// percentage points below the threshold.
    pub cpu_hysteresis_percent: f64,
    /// Hysteresis of `memory-high`, as for CPU.
    pub memory_hysteresis_percent: f64,
    /// Hysteresis of `sync-lag`: it clears once the lag is this many
    /// blocks below the threshold.
    pub sync_lag_hysteresis_blocks: u64,
    /// Hysteresis of `link-degraded`: it clears once the latency is this
    /// many milliseconds below the threshold.
    pub link_latency_hysteresis_ms: f64,
    /// Hold-off of the alarms that have one (`consensus-stalled`,
    /// `cross-chain-timeout`: seconds their condition must be gone before
    /// they clear; `tx-pool-saturated`: also seconds it must hold before
    /// it is raised).
    pub hold_off_seconds: u64,
    /// Transactions a node's pool may hold before `tx-pool-saturated`.
    pub tx_pool_max: u64,
    /// Fewest peers a node may have: below it, once that has held for
    /// `peer-count-hold-off-seconds`, `peer-count-low` is raised. 0
    /// (the default) leaves the alarm off: how many peers a node needs
    /// depends on its network (a single-node dev chain has none).
    pub peer_count_min: u64,
    /// Hold-off of `peer-count-low`, both ways: peers come and go.
    pub peer_count_hold_off_seconds: u64,
    /// `block-production-stalled` is raised when no block came for this
    /// many times the chain's block interval; 0 leaves it off.
    pub block_stall_factor: u64,
    /// The chain's block interval in seconds, when the operator knows it
    /// better than the platform (a mine-on-demand test network); 0 (the
    /// default) uses the platform's target interval.
    pub block_interval_seconds: u64,
    /// Days before its notAfter from which the certificate of a node's
    /// TLS endpoint raises `endpoint-certificate-expiring`.
    pub cert_expiry_days: u64,
    /// Clear level of `endpoint-certificate-expiring`: it clears once the
    /// certificate has at least this many days more than the threshold.
    pub cert_expiry_hysteresis_days: u64,
    /// Seconds a node's own health must report a problem, without a
    /// break, before `node-degraded` is raised; and be good for as long
    /// before it clears.
    pub node_degraded_hold_off_seconds: u64,
    /// Seconds a relayer's oldest pending packet may wait before
    /// `relayer-packets-stuck` is raised.
    pub relayer_packet_age_seconds: u64,
    /// Packets a relayer's backlog on a channel may hold before
    /// `relayer-packets-stuck` is raised.
    pub relayer_backlog_max: u64,
    /// Hours of trusting period a channel's light client must have left;
    /// below, `relayer-client-expiring` is raised.
    pub relayer_client_expiry_hours: u64,
    /// Share of a monitored contract's calls in the window that may fail
    /// before `contract-failure-rate` is raised.
    pub contract_failure_percent: f64,
    /// The sliding window of `contract-failure-rate`, in seconds.
    pub contract_failure_window_seconds: u64,
    /// Calls a contract must have had in the window before its failure
    /// rate can raise anything.
    pub contract_failure_min_calls: u64,
    /// Free share of a filesystem (a node's data filesystem, the host's)
    /// below which `disk-space-low` is raised.
    pub disk_free_percent: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            cpu_percent: 90.0,
            memory_percent: 90.0,
            sync_lag_blocks: 5,
            consensus_stall_seconds: 15,
            link_latency_ms: 500.0,
            xchain_timeout_percent: 50.0,
            cpu_hysteresis_percent: 10.0,
            memory_hysteresis_percent: 10.0,
            sync_lag_hysteresis_blocks: 3,
            link_latency_hysteresis_ms: 100.0,
            hold_off_seconds: 10,
            tx_pool_max: 5000,
            peer_count_min: 0,
            peer_count_hold_off_seconds: 30,
            block_stall_factor: 10,
            block_interval_seconds: 0,
            cert_expiry_days: 30,
            cert_expiry_hysteresis_days: 2,
            node_degraded_hold_off_seconds: 30,
            relayer_packet_age_seconds: 300,
            relayer_backlog_max: 1000,
            relayer_client_expiry_hours: 24,
            contract_failure_percent: 25.0,
            contract_failure_window_seconds: 300,
            contract_failure_min_calls: 50,
            disk_free_percent: 10.0,
        }
    }
}

/// Per-chain and per-node overrides of [`Thresholds`]; unset fields
/// inherit the value of the wider scope (a node's chain, the global one).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ThresholdOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_lag_blocks: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tx_pool_max: Option<u64>,
    /// The hold-off of the chain's (or the node's) alarms that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_off_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_count_min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_count_hold_off_seconds: Option<u64>,
    /// A chain's own (a node cannot set it: validation says so).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_stall_factor: Option<u64>,
    /// A chain's own, as `block_stall_factor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_interval_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert_expiry_days: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_degraded_hold_off_seconds: Option<u64>,
    /// Chain only: the relayer's thresholds concern its channels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relayer_packet_age_seconds: Option<u64>,
    /// Chain only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relayer_backlog_max: Option<u64>,
    /// Chain only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relayer_client_expiry_hours: Option<u64>,
    /// A chain's only: contracts are a chain's, not a node's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_failure_percent: Option<f64>,
    /// A chain's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_failure_window_seconds: Option<u64>,
    /// A chain's only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_failure_min_calls: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_free_percent: Option<f64>,
}

impl ThresholdOverrides {
    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        *self == ThresholdOverrides::default()
    }
}

impl Thresholds {
    pub fn with_overrides(&self, o: &ThresholdOverrides) -> Thresholds {
        Thresholds {
            cpu_percent: o.cpu_percent.unwrap_or(self.cpu_percent),
            memory_percent: o.memory_percent.unwrap_or(self.memory_percent),
            sync_lag_blocks: o.sync_lag_blocks.unwrap_or(self.sync_lag_blocks),
            tx_pool_max: o.tx_pool_max.unwrap_or(self.tx_pool_max),
            hold_off_seconds: o.hold_off_seconds.unwrap_or(self.hold_off_seconds),
            peer_count_min: o.peer_count_min.unwrap_or(self.peer_count_min),
            peer_count_hold_off_seconds: o
                .peer_count_hold_off_seconds
                .unwrap_or(self.peer_count_hold_off_seconds),
            block_stall_factor: o.block_stall_factor.unwrap_or(self.block_stall_factor),
            block_interval_seconds: o
                .block_interval_seconds
                .unwrap_or(self.block_interval_seconds),
            cert_expiry_days: o.cert_expiry_days.unwrap_or(self.cert_expiry_days),
            node_degraded_hold_off_seconds: o
                .node_degraded_hold_off_seconds
                .unwrap_or(self.node_degraded_hold_off_seconds),
            relayer_packet_age_seconds: o
                .relayer_packet_age_seconds
                .unwrap_or(self.relayer_packet_age_seconds),
            relayer_backlog_max: o.relayer_backlog_max.unwrap_or(self.relayer_backlog_max),
            relayer_client_expiry_hours: o
                .relayer_client_expiry_hours
                .unwrap_or(self.relayer_client_expiry_hours),
            contract_failure_percent: o
                .contract_failure_percent
                .unwrap_or(self.contract_failure_percent),
            contract_failure_window_seconds: o
                .contract_failure_window_seconds
                .unwrap_or(self.contract_failure_window_seconds),
            contract_failure_min_calls: o
                .contract_failure_min_calls
                .unwrap_or(self.contract_failure_min_calls),
            disk_free_percent: o.disk_free_percent.unwrap_or(self.disk_free_percent),
            ..self.clone()
        }
    }
}
