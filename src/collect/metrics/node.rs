//! What a node's own metrics page says about the node process and its
//! view of the network, in plain typed figures, whichever platform serves
//! the page. Each figure is read from the first metric name below that the
//! page has; a figure no name gives stays absent, never 0.
//!
//! Where the names come from (read in each project's source):
//! - `process_*`: the standard process metrics of Prometheus' client
//!   libraries. Go (client_golang's process collector, in the default
//!   registry that CometBFT and Fabric serve): `process_cpu_seconds_total`,
//!   `process_resident_memory_bytes`, `process_open_fds`,
//!   `process_max_fds`, `process_start_time_seconds`. Java (Besu registers
//!   `ProcessMetrics` of prometheus-metrics-instrumentation-jvm in
//!   metrics/core/.../PrometheusMetricsSystem.java): the same five names.
//!   .NET (prometheus-net's DotNetStats, Nethermind): `process_cpu_seconds_total`,
//!   `process_start_time_seconds` and `process_working_set_bytes` (no
//!   resident-memory, open-fd or max-fd gauge of that name).
//! - geth (go-ethereum v1.17, `--metrics`, `/debug/metrics/prometheus`;
//!   names are the registry's with `/` turned into `_`,
//!   metrics/prometheus/collector.go): `system/cpu/procload/total`
//!   (process CPU seconds from getrusage, metrics/metrics.go),
//!   `p2p/peers` (p2p/metrics.go), `txpool/pending` and `txpool/queued`
//!   (core/txpool/legacypool/legacypool.go), `chain/head/block` and
//!   `chain/head/header` (core/blockchain.go). geth refreshes its
//!   `system/*` figures every 3 s (cmd/utils/flags.go), so a CPU percent
//!   over a shorter poll interval swings between 0 and a multiple of the
//!   real figure; poll it at 3 s or more. geth serves no resident memory
//!   (its `system/memory/held` is the Go runtime's own total, not the
//!   RSS), no open or max fds and no start time.
//! - Besu (26.x; category prefix `besu_` except for the `ethereum`
//!   category, metrics/core/.../BesuMetricCategory.java):
//!   `ethereum_peer_count` and `ethereum_peer_limit` (EthPeers.java),
//!   `ethereum_blockchain_height` (DefaultBlockchain.java),
//!   `ethereum_best_known_block_number` and `besu_synchronizer_in_sync`
//!   (DefaultSynchronizer.java), `besu_transaction_pool_number_of_transactions`
//!   by `layer` (TransactionPoolMetrics.java).
//! - Nethermind: the EIP-2159 names `ethereum_peer_count`,
//!   `ethereum_peer_limit` (Nethermind.Network/Metrics.cs),
//!   `ethereum_blockchain_height`, `ethereum_best_known_block_number`
//!   (Nethermind.Blockchain/Metrics.cs), and `nethermind_transaction_count`
//!   (Nethermind.TxPool/Metrics.cs, "Number of transactions in pool").
//! - CometBFT (v0.38-v0.40, namespace `cometbft`, each with a `chain_id`
//!   label; `*.metrics.gen.go`): `cometbft_p2p_peers`,
//!   `cometbft_mempool_size`, `cometbft_consensus_latest_block_height`,
//!   `cometbft_blocksync_latest_block_height`, `cometbft_blocksync_syncing`,
//!   `cometbft_statesync_syncing`. The Go process metrics come with them.
//! - Fabric operations service (2.5 metrics reference):
//!   `ledger_blockchain_height` and `gossip_membership_total_peers_known`,
//!   both per `channel`; the largest channel's figure is the node's.

use super::exposition::Page;

/// Which software served the page, told by the names it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exporter {
    Geth,
    Besu,
    Nethermind,
    CometBft,
    Fabric,
    /// Prometheus process metrics only, or names we do not know.
    Other,
}

impl Exporter {
    pub fn detect(page: &Page) -> Exporter {
        let has = |n: &str| page.named(n).next().is_some();
        let prefixed = |p: &str| page.samples().iter().any(|s| s.name.starts_with(p));
        if has("chain_head_block") || has("system_cpu_procload_total") || has("p2p_peers") {
            Exporter::Geth
        } else if prefixed("besu_") {
            Exporter::Besu
        } else if prefixed("nethermind_") {
            Exporter::Nethermind
        } else if prefixed("cometbft_") {
            Exporter::CometBft
        } else if has("ledger_blockchain_height") {
            Exporter::Fabric
        } else {
            Exporter::Other
        }
    }
}

/// One scrape of a node's metrics page. `cpu_percent` needs two scrapes:
/// [`super::rates::NodeRates`] fills it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeMetrics {
    pub exporter: Exporter,
    /// CPU time of the node process, user and system, since it started.
    pub cpu_seconds_total: Option<f64>,
    /// CPU of the node process between the last two scrapes, in percent of
    /// one core (200 = two cores busy).
    pub cpu_percent: Option<f64>,
    pub resident_memory_bytes: Option<u64>,
    pub open_fds: Option<u64>,
    pub max_fds: Option<u64>,
    /// Start of the node process, seconds since the Unix epoch.
    pub start_time_seconds: Option<f64>,
    pub peers: Option<u64>,
    pub peer_limit: Option<u64>,
    /// Transactions waiting in the node's pool or mempool.
    pub tx_pool_size: Option<u64>,
    /// The node's head block number (Fabric: the ledger height, one more
    /// than the last block number).
    pub block_height: Option<u64>,
    /// The highest block the node knows of from its peers.
    pub best_known_block: Option<u64>,
    /// Whether the node says it is catching up.
    pub syncing: Option<bool>,
}

/// A count from a gauge: finite, not negative, rounded.
fn count(v: Option<f64>) -> Option<u64> {
    v.filter(|v| v.is_finite() && *v >= 0.0 && *v <= u64::MAX as f64)
        .map(|v| v.round() as u64)
}

/// CometBFT's head: consensus' latest block, or block sync's while that
/// runs (consensus' gauge stands still then); the higher of the two.
fn comet_height(page: &Page) -> Option<f64> {
    let c = page.first("cometbft_consensus_latest_block_height");
    let b = page.first("cometbft_blocksync_latest_block_height");
    match (c, b) {
        (Some(c), Some(b)) => Some(c.max(b)),
        (c, b) => c.or(b),
    }
}

/// The first of `names` the page has.
fn first_of(page: &Page, names: &[&str]) -> Option<f64> {
    names.iter().find_map(|n| page.first(n))
}

impl NodeMetrics {
    pub fn from_page(page: &Page) -> NodeMetrics {
        let geth_pool = match (page.first("txpool_pending"), page.first("txpool_queued")) {
            (None, None) => None,
            (p, q) => Some(p.unwrap_or(0.0) + q.unwrap_or(0.0)),
        };
        let comet_syncing = match (
            page.first("cometbft_blocksync_syncing"),
            page.first("cometbft_statesync_syncing"),
        ) {
            (None, None) => None,
            (b, s) => Some(b.unwrap_or(0.0) >= 1.0 || s.unwrap_or(0.0) >= 1.0),
        };
        let besu_syncing = page.first("besu_synchronizer_in_sync").map(|v| v < 1.0);
        NodeMetrics {
            exporter: Exporter::detect(page),
            cpu_seconds_total: first_of(
                page,
                &["process_cpu_seconds_total", "system_cpu_procload_total"],
            )
            .filter(|v| *v >= 0.0),
            cpu_percent: None,
            resident_memory_bytes: count(first_of(
                page,
                &["process_resident_memory_bytes", "process_working_set_bytes"],
            )),
            open_fds: count(page.first("process_open_fds")),
            max_fds: count(page.first("process_max_fds")),
            start_time_seconds: page
                .first("process_start_time_seconds")
                .filter(|v| *v > 0.0),
            peers: count(
                first_of(
                    page,
                    &["p2p_peers", "ethereum_peer_count", "cometbft_p2p_peers"],
                )
                .or_else(|| page.max("gossip_membership_total_peers_known")),
            ),
            peer_limit: count(page.first("ethereum_peer_limit")),
            tx_pool_size: count(
                geth_pool
                    .or_else(|| page.sum("besu_transaction_pool_number_of_transactions"))
                    .or_else(|| page.first("nethermind_transaction_count"))
                    .or_else(|| page.first("cometbft_mempool_size")),
            ),
            block_height: count(
                first_of(page, &["chain_head_block", "ethereum_blockchain_height"])
                    .or_else(|| comet_height(page))
                    .or_else(|| page.max("ledger_blockchain_height")),
            ),
            best_known_block: count(first_of(
                page,
                &["chain_head_header", "ethereum_best_known_block_number"],
            )),
            syncing: besu_syncing.or(comet_syncing),
        }
    }

    /// How far the node's head is behind the best block it knows of.
    pub fn blocks_behind(&self) -> Option<u64> {
        Some(self.best_known_block?.saturating_sub(self.block_height?))
    }

    /// Resident memory in percent of the host's total memory.
    pub fn memory_percent_of(&self, host_total_bytes: Option<u64>) -> Option<f64> {
        let total = host_total_bytes.filter(|t| *t > 0)?;
        Some(self.resident_memory_bytes? as f64 * 100.0 / total as f64)
    }

    /// CPU in percent of the whole host (all its cores).
    pub fn cpu_percent_of_host(&self, host_cores: Option<u32>) -> Option<f64> {
        let cores = host_cores.filter(|c| *c > 0)?;
        Some(self.cpu_percent? / f64::from(cores))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::metrics::exposition::{Limits, parse};

    fn page(text: &str) -> Page {
        parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_page_without_the_names_gives_absent_figures_not_zero() {
        let m = NodeMetrics::from_page(&page("go_goroutines 12\nup 1\n"));
        assert_eq!(m.exporter, Exporter::Other);
        assert_eq!(m.cpu_seconds_total, None);
        assert_eq!(m.resident_memory_bytes, None);
        assert_eq!(m.peers, None);
        assert_eq!(m.tx_pool_size, None);
        assert_eq!(m.block_height, None);
        assert_eq!(m.syncing, None);
        assert_eq!(m.blocks_behind(), None);
        assert_eq!(m.memory_percent_of(Some(100)), None);
    }

    #[test]
    fn negative_and_nan_gauges_are_no_figure() {
        let m = NodeMetrics::from_page(&page(
            "process_resident_memory_bytes -5\nprocess_open_fds NaN\n\
             process_cpu_seconds_total -1\nethereum_peer_count +Inf\n",
        ));
        assert_eq!(m.resident_memory_bytes, None);
        assert_eq!(m.open_fds, None);
        assert_eq!(m.cpu_seconds_total, None);
        assert_eq!(m.peers, None);
    }

    #[test]
    fn cometbft_and_fabric_names() {
        let m = NodeMetrics::from_page(&page(
            "cometbft_p2p_peers{chain_id=\"c\"} 3\ncometbft_mempool_size{chain_id=\"c\"} 9\n\
             cometbft_consensus_latest_block_height{chain_id=\"c\"} 120\n\
             cometbft_blocksync_syncing{chain_id=\"c\"} 0\ncometbft_statesync_syncing{chain_id=\"c\"} 1\n",
        ));
        assert_eq!(m.exporter, Exporter::CometBft);
        assert_eq!(
            (m.peers, m.tx_pool_size, m.block_height, m.syncing),
            (Some(3), Some(9), Some(120), Some(true))
        );
        let f = NodeMetrics::from_page(&page(
            "ledger_blockchain_height{channel=\"a\"} 7\nledger_blockchain_height{channel=\"b\"} 42\n\
             gossip_membership_total_peers_known{channel=\"a\"} 2\n\
             gossip_membership_total_peers_known{channel=\"b\"} 3\n",
        ));
        assert_eq!(f.exporter, Exporter::Fabric);
        assert_eq!(
            (f.block_height, f.peers, f.tx_pool_size),
            (Some(42), Some(3), None)
        );
    }

    /// Nethermind: EIP-2159 names, its pool gauge, and prometheus-net's
    /// process names (working set for resident memory; no fd gauges).
    #[test]
    fn nethermind_names() {
        let m = NodeMetrics::from_page(&page(
            "ethereum_peer_count 12
ethereum_peer_limit 50
ethereum_blockchain_height 900
             ethereum_best_known_block_number 905
nethermind_transaction_count 33
             process_cpu_seconds_total 77.5
process_working_set_bytes 1048576
             process_open_handles 410
process_start_time_seconds 1.7e9
",
        ));
        assert_eq!(m.exporter, Exporter::Nethermind);
        assert_eq!((m.peers, m.peer_limit), (Some(12), Some(50)));
        assert_eq!((m.block_height, m.blocks_behind()), (Some(900), Some(5)));
        assert_eq!(m.tx_pool_size, Some(33));
        assert_eq!(m.resident_memory_bytes, Some(1_048_576));
        assert_eq!((m.open_fds, m.max_fds, m.syncing), (None, None, None));
    }

    #[test]
    fn percentages_of_the_host() {
        let mut m = NodeMetrics::from_page(&page("process_resident_memory_bytes 250\n"));
        m.cpu_percent = Some(150.0);
        assert_eq!(m.memory_percent_of(Some(1000)), Some(25.0));
        assert_eq!(m.memory_percent_of(Some(0)), None);
        assert_eq!(m.cpu_percent_of_host(Some(4)), Some(37.5));
        assert_eq!(m.cpu_percent_of_host(None), None);
    }
}
