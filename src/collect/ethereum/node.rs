//! One node's collection: what it is (client, chain id, enode), its head
//! and recent blocks, peers, transaction pool and consensus view. Each
//! node has its own backoff, so a dead one is skipped until its retry time
//! instead of costing a timeout on every pass.

use super::blocks::{self, BlockCache};
use super::consensus::{self, Engine};
use super::peers::{self, NodeInfo, PeerInfo};
use super::quantity::quantity;
use crate::collect::transport::{Backoff, HttpEndpoint, JsonRpc, RpcError, TransportError};
use crate::config::NodeConfig;
use crate::model::consensus::PendingVote;
use crate::model::performance::NodeHealth;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const BACKOFF_INITIAL: Duration = Duration::from_secs(1);
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// What does not change while a node runs; asked again after it was down.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Identity {
    pub client: String,
    pub version: String,
    /// Decimal, as operators write chain ids.
    pub chain_id: String,
    pub node_info: Option<NodeInfo>,
    pub genesis_hash: String,
}

/// Parse `web3_clientVersion`: "Geth/v1.13.5-stable/linux-amd64/go1.21",
/// "besu/v23.10/…", "anvil/v1.7.1", "EthereumJS/0.10.5/linux/node20".
pub fn client_version(s: &str) -> (String, String) {
    let mut parts = s.split('/');
    let client = parts.next().unwrap_or("").to_string();
    let version = parts.next().unwrap_or("").to_string();
    (client, version)
}

/// eth_syncing: `None` when in sync, else (current, highest).
pub fn parse_syncing(v: &Value) -> Option<(u64, u64)> {
    let current = quantity(v.get("currentBlock")?)?;
    let highest = quantity(v.get("highestBlock")?)?;
    Some((current, highest))
}

/// The node's health by eth_syncing (Ethereum JSON-RPC API,
/// ethereum/execution-apis `eth_syncing`: `false`, or an object with
/// `startingBlock`, `currentBlock`, `highestBlock`): in sync, or syncing
/// with `currentBlock` moved since the last pass, is healthy; syncing with
/// `currentBlock` where the last pass saw it is a sync making no
/// progress. `last` keeps `currentBlock` between passes.
pub fn sync_health(last: &mut Option<u64>, syncing: Option<(u64, u64)>) -> NodeHealth {
    let Some((current, _highest)) = syncing else {
        *last = None;
        return NodeHealth::healthy();
    };
    if last.replace(current) == Some(current) {
        NodeHealth::unhealthy(format!(
            "eth_syncing: currentBlock {current} made no progress since the last poll"
        ))
    } else {
        NodeHealth::healthy()
    }
}

/// Which optional methods the node serves: unknown until asked once.
#[derive(Debug, Clone, Copy, Default)]
struct Support {
    admin_node_info: Option<bool>,
    admin_peers: Option<bool>,
    net_peer_count: Option<bool>,
    txpool: Option<bool>,
}

/// What one pass learnt from a reachable node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Probe {
    /// `admin_peers`, when served.
    pub peers: Option<Vec<PeerInfo>>,
    pub peer_count: Option<u64>,
    pub tx_pool: Option<u64>,
    pub syncing: Option<(u64, u64)>,
    /// The node's health by eth_syncing; `None` when it did not answer.
    pub health: Option<NodeHealth>,
    pub validators: Option<Vec<String>>,
    pub votes: Option<Vec<PendingVote>>,
}

pub struct NodeProbe {
    pub name: String,
    pub config: NodeConfig,
    rpc: Result<JsonRpc, String>,
    backoff: Backoff,
    pub identity: Option<Identity>,
    pub engine: Option<Engine>,
    pub cache: BlockCache,
    support: Support,
    /// The last probe's result, or why the node could not be asked.
    pub last: Result<Probe, String>,
    /// The last log spec the node accepted (no client can be asked).
    pub log_spec: String,
    pub log_spec_unsupported: bool,
    /// eth_syncing's currentBlock at the last pass that saw the node
    /// syncing.
    sync_at: Option<u64>,
}

impl NodeProbe {
    pub fn new(name: &str, config: &NodeConfig, timeout: Duration) -> NodeProbe {
        let endpoint = config.endpoint.clone().unwrap_or_default();
        let rpc = HttpEndpoint::new(
            &endpoint,
            config.auth.as_ref(),
            config.tls.as_ref(),
            timeout,
        )
        .map(JsonRpc::new)
        .map_err(|e| e.to_string());
        NodeProbe {
            name: name.to_string(),
            config: config.clone(),
            rpc,
            backoff: Backoff::new(BACKOFF_INITIAL, BACKOFF_MAX),
            identity: None,
            engine: None,
            cache: BlockCache::default(),
            support: Support::default(),
            last: Err("not collected yet".into()),
            log_spec: String::new(),
            log_spec_unsupported: false,
            sync_at: None,
        }
    }

    pub fn rpc(&self) -> Option<&JsonRpc> {
        self.rpc.as_ref().ok()
    }

    pub fn reachable(&self) -> bool {
        self.last.is_ok()
    }

    pub fn client(&self) -> &str {
        self.identity.as_ref().map_or("", |i| i.client.as_str())
    }

    /// Whether `admin_peers` (per-link detail) and any peer count are served.
    pub fn peer_support(&self) -> (Option<bool>, Option<bool>) {
        (self.support.admin_peers, self.support.net_peer_count)
    }

    pub fn txpool_supported(&self) -> Option<bool> {
        self.support.txpool
    }

    /// One pass, bounded by `budget` as a whole; individual requests are
    /// bounded by the endpoint's timeout.
    pub async fn probe(&mut self, window: usize, budget: Duration) {
        let now = Instant::now();
        if !self.backoff.ready(now) {
            // Keep the last error: the node is still considered down.
            if self.last.is_ok() {
                self.last = Err("backing off".into());
            }
            return;
        }
        let outcome = match tokio::time::timeout(budget, self.collect(window)).await {
            Ok(r) => r,
            Err(_) => Err(ProbeError::Down(format!(
                "no complete answer within {} ms",
                budget.as_millis()
            ))),
        };
        match outcome {
            Ok(p) => {
                self.backoff.succeeded();
                self.last = Ok(p);
            }
            Err(ProbeError::Down(reason)) => {
                self.backoff.failed(Instant::now());
                // It may come back as another build or with other flags.
                self.identity = None;
                self.engine = None;
                self.support = Support::default();
                self.last = Err(reason);
            }
            Err(ProbeError::Broken(reason)) => self.last = Err(reason),
        }
    }

    async fn collect(&mut self, window: usize) -> Result<Probe, ProbeError> {
        let rpc = self
            .rpc
            .as_ref()
            .map_err(|e| ProbeError::Broken(e.clone()))?;
        if self.identity.is_none() {
            self.identity = Some(identity(rpc, &mut self.support).await?);
        }
        let head = blocks::fetch(rpc, "latest")
            .await?
            .ok_or_else(|| ProbeError::Broken("eth_getBlockByNumber(latest): no block".into()))?;
        let height = head.height;
        self.cache.refresh(rpc, head, window).await?;
        let mut p = Probe::default();
        if let Some(v) = optional(rpc, "eth_syncing", json!([]), &mut None).await? {
            p.syncing = parse_syncing(&v);
            p.health = Some(sync_health(&mut self.sync_at, p.syncing));
        }
        let s = &mut self.support;
        if let Some(v) = optional(rpc, "admin_peers", json!([]), &mut s.admin_peers).await? {
            let list = peers::parse_peers(&v);
            p.peer_count = Some(list.len() as u64);
            p.peers = Some(list);
        } else if let Some(v) =
            optional(rpc, "net_peerCount", json!([]), &mut s.net_peer_count).await?
        {
            p.peer_count = quantity(&v);
        }
        if let Some(v) = optional(rpc, "txpool_status", json!([]), &mut s.txpool).await? {
            p.tx_pool = Some(
                ["pending", "queued"]
                    .iter()
                    .filter_map(|k| v.get(k).and_then(quantity))
                    .sum(),
            );
        }
        let engine = match self.engine {
            Some(e) => e,
            None => {
                let client = self.identity.as_ref().map_or("", |i| i.client.as_str());
                let e = consensus::detect(rpc, client, height).await?;
                self.engine = Some(e);
                e
            }
        };
        p.validators = tolerate(consensus::validators(rpc, engine, height).await)?.flatten();
        p.votes = tolerate(consensus::pending_votes(rpc, engine).await)?.flatten();
        Ok(p)
    }
}

/// The node's client name, asked now if no collection has learnt it yet
/// (changes are applied at start, before the first collection).
pub async fn client_name(
    rpc: &JsonRpc,
    known: &str,
) -> Result<String, crate::collect::adapter::AdapterError> {
    if !known.is_empty() {
        return Ok(known.to_string());
    }
    let v = rpc
        .call("web3_clientVersion", json!([]))
        .await
        .map_err(|e| super::log_level::rpc_error(rpc, e))?;
    Ok(client_version(v.as_str().unwrap_or("")).0)
}

#[derive(Debug)]
enum ProbeError {
    /// No answer: back off.
    Down(String),
    /// An answer that cannot be used; the node is up but not serving.
    Broken(String),
}

impl From<RpcError> for ProbeError {
    fn from(e: RpcError) -> Self {
        if e.is_unreachable() {
            ProbeError::Down(e.to_string())
        } else {
            ProbeError::Broken(e.to_string())
        }
    }
}

/// A failed optional read leaves its attribute empty for this pass, unless
/// the node stopped answering altogether.
fn tolerate<T>(r: Result<T, RpcError>) -> Result<Option<T>, ProbeError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_unreachable() => Err(e.into()),
        Err(e) => {
            tracing::debug!("ethereum: {e}");
            Ok(None)
        }
    }
}

/// Call a method the client may lack; remembers a "method not found" in
/// `support` so it is not asked again while the node stays up.
async fn optional(
    rpc: &JsonRpc,
    method: &str,
    params: Value,
    support: &mut Option<bool>,
) -> Result<Option<Value>, ProbeError> {
    if *support == Some(false) {
        return Ok(None);
    }
    match rpc.call(method, params).await {
        Ok(v) => {
            *support = Some(true);
            Ok(Some(v))
        }
        Err(e) if e.is_method_not_found() => {
            *support = Some(false);
            Ok(None)
        }
        Err(e) => tolerate::<Value>(Err(e)).map(|_| None),
    }
}

async fn identity(rpc: &JsonRpc, support: &mut Support) -> Result<Identity, ProbeError> {
    let version = rpc.call("web3_clientVersion", json!([])).await?;
    let (client, version) = client_version(version.as_str().unwrap_or(""));
    let chain_id = match rpc.call("eth_chainId", json!([])).await {
        Ok(v) => quantity(&v),
        Err(e) if e.is_unreachable() => return Err(e.into()),
        Err(_) => None,
    };
    let chain_id = match chain_id {
        Some(id) => id.to_string(),
        None => {
            let v = rpc.call("net_version", json!([])).await?;
            quantity(&v).map(|n| n.to_string()).ok_or_else(|| {
                ProbeError::Broken(
                    TransportError::Protocol {
                        endpoint: rpc.endpoint().to_string(),
                        reason: format!("no chain id (eth_chainId, net_version answered {v})"),
                    }
                    .to_string(),
                )
            })?
        }
    };
    let node_info = optional(
        rpc,
        "admin_nodeInfo",
        json!([]),
        &mut support.admin_node_info,
    )
    .await?
    .as_ref()
    .and_then(peers::parse_node_info);
    let genesis_hash = blocks::fetch_height(rpc, 0)
        .await?
        .map(|b| b.hash)
        .unwrap_or_default();
    Ok(Identity {
        client,
        version,
        chain_id,
        node_info,
        genesis_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_versions() {
        assert_eq!(
            client_version("Geth/v1.13.5-stable-916d6a44/linux-amd64/go1.21.4"),
            ("Geth".into(), "v1.13.5-stable-916d6a44".into())
        );
        assert_eq!(
            client_version("EthereumJS/0.10.5/linux/node20.20.2"),
            ("EthereumJS".into(), "0.10.5".into())
        );
        assert_eq!(
            client_version("anvil/v1.7.1"),
            ("anvil".into(), "v1.7.1".into())
        );
        assert_eq!(client_version(""), (String::new(), String::new()));
    }

    /// A sync whose currentBlock stays put is unhealthy from the second
    /// pass that sees it there; progress or the end of the sync heals it.
    /// The object is geth's answer (its extra progress fields included),
    /// recorded in tests/data/recorded/ethereum/eth_syncing.json.
    #[test]
    fn a_sync_without_progress_is_unhealthy() {
        let recorded: Value = serde_json::from_str(include_str!(
            "../../../tests/data/recorded/ethereum/eth_syncing.json"
        ))
        .unwrap();
        let syncing = parse_syncing(&recorded["result"]);
        assert_eq!(syncing, Some((0x12a05f, 0x12a13c)));
        let mut last = None;
        assert!(sync_health(&mut last, syncing).healthy, "first sight");
        let stuck = sync_health(&mut last, syncing);
        assert!(!stuck.healthy);
        assert_eq!(
            stuck.problem,
            "eth_syncing: currentBlock 1220703 made no progress since the last poll"
        );
        assert!(!sync_health(&mut last, syncing).healthy, "still stuck");
        assert!(
            sync_health(&mut last, Some((0x12a060, 0x12a13c))).healthy,
            "moved on"
        );
        assert!(sync_health(&mut last, None).healthy, "in sync");
        assert_eq!(last, None);
    }

    #[test]
    fn syncing_is_false_or_progress() {
        assert_eq!(parse_syncing(&json!(false)), None);
        assert_eq!(
            parse_syncing(
                &json!({"startingBlock": "0x0", "currentBlock": "0x10", "highestBlock": "0x20"})
            ),
            Some((16, 32))
        );
    }
}
