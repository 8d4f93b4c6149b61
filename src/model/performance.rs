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
    pub peer_count: u32,
    pub height: u64,
    /// Blocks behind the highest node of the same chain.
    pub sync_lag: u64,
    pub tx_pool_size: Option<u64>,
    pub block_interval_ms: Option<f64>,
    pub tps: Option<f64>,
    /// Thresholds in force for this node (global values with its overrides).
    pub thresholds: Thresholds,
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
