//! One node's RPC client and what the adapter remembers about it between
//! collections: its backoff, block window, chain tips and traffic counters.

use super::logspec;
use super::rpc_types::*;
use super::tips::TipWatch;
use super::window::BlockWindow;
use crate::collect::transport::{Backoff, JsonRpc, RpcError};
use crate::model::ledger::Block;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// RPC error code for "Block height out of range" (RPC_INVALID_PARAMETER).
const RPC_INVALID_PARAMETER: i64 = -8;

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("{0}")]
    Setup(String),
    #[error(
        "{endpoint}: unreachable, not asked again before the backoff ends ({failures} failures)"
    )]
    BackedOff { endpoint: String, failures: u32 },
    #[error(transparent)]
    Rpc(#[from] RpcError),
    #[error("{endpoint}: {method}: unexpected answer: {reason}")]
    Shape {
        endpoint: String,
        method: String,
        reason: String,
    },
}

impl NodeError {
    /// Whether the node did not answer at all (as opposed to answering wrong).
    pub fn is_unreachable(&self) -> bool {
        match self {
            NodeError::Setup(_) => false,
            NodeError::BackedOff { .. } => true,
            NodeError::Rpc(e) => e.is_unreachable(),
            NodeError::Shape { .. } => false,
        }
    }
}

/// Everything one collection learnt from one node.
#[derive(Debug, Clone)]
pub struct NodeReport {
    pub chain: BlockchainInfo,
    pub network: NetworkInfo,
    pub peers: Vec<PeerInfo>,
    pub mempool: Option<MempoolInfo>,
    /// Received and sent bytes per second since the previous collection.
    pub rates: Option<(f64, f64)>,
    pub log_spec: Option<String>,
    pub new_forks: Vec<ChainTip>,
    /// Set when the initial-block-download flag changed (or on first sight
    /// while downloading).
    pub ibd_changed: Option<bool>,
    /// Model attributes this node could not provide (RPC disabled or absent).
    pub unsupported: Vec<String>,
}

pub struct NodeClient {
    pub id: String,
    pub endpoint: String,
    rpc: Result<JsonRpc, String>,
    backoff: Backoff,
    pub window: BlockWindow,
    tips: TipWatch,
    /// The P2P listening socket, once learnt from an inbound peer.
    pub listen: Option<String>,
    totals: Option<NetTotals>,
    ibd: Option<bool>,
    /// The last answer, kept to describe the node while it is down.
    pub last: Option<NodeReport>,
}

impl NodeClient {
    pub fn new(
        id: String,
        endpoint: String,
        rpc: Result<JsonRpc, String>,
        timeout: Duration,
        window: usize,
    ) -> NodeClient {
        NodeClient {
            id,
            endpoint,
            rpc,
            backoff: Backoff::new(timeout.max(Duration::from_secs(1)), Duration::from_secs(60)),
            window: BlockWindow::new(window),
            tips: TipWatch::default(),
            listen: None,
            totals: None,
            ibd: None,
            last: None,
        }
    }

    fn rpc(&self) -> Result<&JsonRpc, NodeError> {
        self.rpc.as_ref().map_err(|e| NodeError::Setup(e.clone()))
    }

    async fn call<T: DeserializeOwned>(&self, method: &str, params: Value) -> Result<T, NodeError> {
        let v = self.rpc()?.call(method, params).await?;
        serde_json::from_value(v).map_err(|e| NodeError::Shape {
            endpoint: self.endpoint.clone(),
            method: method.to_string(),
            reason: e.to_string(),
        })
    }

    /// One collection from this node. An unreachable node is backed off,
    /// so that it costs one timeout per backoff period, not per collection.
    pub async fn poll(&mut self) -> Result<NodeReport, NodeError> {
        let now = Instant::now();
        if !self.backoff.ready(now) {
            return Err(NodeError::BackedOff {
                endpoint: self.endpoint.clone(),
                failures: self.backoff.failures(),
            });
        }
        let r = self.poll_now().await;
        match &r {
            Err(e) if e.is_unreachable() => self.backoff.failed(Instant::now()),
            _ => self.backoff.succeeded(),
        }
        if let Ok(report) = &r {
            self.last = Some(report.clone());
        }
        r
    }

    async fn poll_now(&mut self) -> Result<NodeReport, NodeError> {
        let (chain, network, peers, tips, mempool, totals, logging) = tokio::join!(
            self.call::<BlockchainInfo>("getblockchaininfo", json!([])),
            self.call::<NetworkInfo>("getnetworkinfo", json!([])),
            self.call::<Vec<PeerInfo>>("getpeerinfo", json!([])),
            self.call::<Vec<ChainTip>>("getchaintips", json!([])),
            self.call::<MempoolInfo>("getmempoolinfo", json!([])),
            self.call::<NetTotals>("getnettotals", json!([])),
            self.call::<Value>("logging", json!([])),
        );
        let (chain, network, peers) = (chain?, network?, peers?);
        let mut unsupported = Vec::new();
        // The optional calls fail alone when an rpcwhitelist or a fork
        // lacks them; the attribute is then reported unsupported.
        let tips = optional(tips, "chain-tips", &mut unsupported);
        let mempool = optional(mempool, "tx-pool-size", &mut unsupported);
        let totals = optional(totals, "net-rates", &mut unsupported);
        let log_spec =
            optional(logging, "log-spec", &mut unsupported).map(|v| logspec::enabled(&v));

        let rates = totals.and_then(|t| {
            let prev = self.totals.replace(t.clone())?;
            let ms = t
                .timemillis
                .checked_sub(prev.timemillis)
                .filter(|ms| *ms > 0)? as f64;
            Some((
                t.totalbytesrecv.saturating_sub(prev.totalbytesrecv) as f64 * 1000.0 / ms,
                t.totalbytessent.saturating_sub(prev.totalbytessent) as f64 * 1000.0 / ms,
            ))
        });
        let new_forks = tips.map(|t| self.tips.new_forks(&t)).unwrap_or_default();
        let ibd_changed = match self.ibd.replace(chain.initialblockdownload) {
            None if chain.initialblockdownload => Some(true),
            Some(was) if was != chain.initialblockdownload => Some(chain.initialblockdownload),
            _ => None,
        };
        if let Some(l) = super::peers::listen_address(&peers, &[]) {
            self.listen = Some(l);
        }
        self.refresh_window(&chain.bestblockhash, chain.blocks)
            .await?;
        Ok(NodeReport {
            chain,
            network,
            peers,
            mempool,
            rates,
            log_spec,
            new_forks,
            ibd_changed,
            unsupported,
        })
    }

    /// Bring the block window up to the node's best block, fetching only
    /// blocks the window does not hold.
    async fn refresh_window(&mut self, best: &str, height: u64) -> Result<(), NodeError> {
        if self.window.is_current(height, best) {
            return Ok(());
        }
        if self.window.holds(best) {
            self.window.truncate_above(height);
            return Ok(());
        }
        let mut tail = Vec::new();
        let mut next = Some(best.to_string());
        while let Some(hash) = next.take() {
            if tail.len() >= self.window.capacity() || self.window.holds(&hash) {
                break;
            }
            let b: BlockInfo = self.call("getblock", json!([hash, 1])).await?;
            next = b.previousblockhash.clone();
            tail.push(Block {
                chain: String::new(),
                height: b.height,
                hash: b.hash,
                parent_hash: b.previousblockhash.unwrap_or_default(),
                time: b.time.saturating_mul(1000),
                // Proof of work has no proposer; the coinbase payee is not
                // an identity.
                proposer: String::new(),
                tx_count: b.n_tx,
                size_bytes: b.size,
            });
        }
        tail.reverse();
        self.window.splice(tail);
        Ok(())
    }

    /// The hash of the node's block at `height`; `None` above its tip.
    pub async fn block_hash(&self, height: u64) -> Result<Option<String>, NodeError> {
        match self.call::<String>("getblockhash", json!([height])).await {
            Ok(h) => Ok(Some(h)),
            Err(NodeError::Rpc(RpcError::Call { code, .. })) if code == RPC_INVALID_PARAMETER => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Enable and disable debug categories with `logging`.
    pub async fn set_logging(&self, change: &logspec::LoggingChange) -> Result<(), NodeError> {
        self.call::<Value>("logging", json!([change.include, change.exclude]))
            .await
            .map(|_| ())
    }
}

/// An optional call's answer; one that fails on a node that answers
/// (an rpcwhitelist, a fork without the method) makes its attribute
/// unsupported rather than failing the node.
fn optional<T>(
    r: Result<T, NodeError>,
    attribute: &str,
    unsupported: &mut Vec<String>,
) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if e.is_unreachable() => None,
        Err(_) => {
            unsupported.push(attribute.to_string());
            None
        }
    }
}
