//! Bitcoin-family adapter (Bitcoin Core, Litecoin Core and forks) over
//! JSON-RPC: getblockchaininfo, getnetworkinfo, getpeerinfo, getchaintips,
//! getmempoolinfo, getnettotals, getblock/getblockhash, and `logging` as
//! the node's log configuration. Nodes are polled concurrently, each
//! request bounded by the chain's RPC timeout and each node backed off
//! on its own, so a dead node never delays the others.

mod client;
#[doc(hidden)]
pub mod fuzzing;
mod logspec;
mod observe;
mod peers;
mod rpc_types;
mod tips;
mod window;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::collect::transport::{HttpEndpoint, JsonRpc, RpcError};
use crate::config::ChainConfig;
use crate::model::chain::Platform;
use crate::model::node::NodeRole;
use async_trait::async_trait;
use client::{NodeClient, NodeError};
use observe::{ChainMemory, Inputs};
use std::collections::BTreeMap;
use std::time::Duration;

/// Blocks each node's window keeps: enough for the consistency analysis
/// to locate a usual fork without extra calls, and few enough that a
/// first collection stays cheap. Deeper forks are searched by block_hash.
const WINDOW: usize = 32;

pub struct BitcoinAdapter {
    chain: String,
    nodes: Vec<NodeClient>,
    roles: BTreeMap<String, NodeRole>,
    memory: ChainMemory,
}

impl BitcoinAdapter {
    pub fn new(id: &str, config: &ChainConfig) -> BitcoinAdapter {
        let timeout = Duration::from_millis(config.rpc_timeout_ms);
        let nodes = config
            .nodes
            .iter()
            .map(|(name, n)| {
                let endpoint = n.endpoint.clone().unwrap_or_default();
                let rpc = HttpEndpoint::new(&endpoint, n.auth.as_ref(), n.tls.as_ref(), timeout)
                    .map(JsonRpc::new)
                    .map_err(|e| e.to_string());
                NodeClient::new(name.clone(), endpoint, rpc, timeout, WINDOW)
            })
            .collect();
        BitcoinAdapter {
            chain: id.to_string(),
            nodes,
            roles: config
                .nodes
                .iter()
                .filter_map(|(name, n)| n.role.map(|r| (name.clone(), r)))
                .collect(),
            memory: ChainMemory::default(),
        }
    }

    fn node(&self, id: &str) -> Result<&NodeClient, AdapterError> {
        self.nodes
            .iter()
            .find(|n| n.id == id)
            .ok_or_else(|| AdapterError::Rejected(format!("no node {id} on chain {}", self.chain)))
    }
}

fn adapter_error(endpoint: &str, e: NodeError) -> AdapterError {
    match e {
        e if e.is_unreachable() => AdapterError::Unreachable {
            endpoint: endpoint.to_string(),
            reason: e.to_string(),
        },
        NodeError::Rpc(RpcError::Call {
            method,
            code,
            message,
        }) => AdapterError::Rejected(format!("{method}: error {code}: {message}")),
        e => AdapterError::Protocol {
            endpoint: endpoint.to_string(),
            reason: e.to_string(),
        },
    }
}

#[async_trait]
impl ChainAdapter for BitcoinAdapter {
    fn platform(&self) -> Platform {
        Platform::Bitcoin
    }

    fn capabilities(&self) -> Capabilities {
        crate::collect::capabilities(Platform::Bitcoin)
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        let polls = futures::future::join_all(self.nodes.iter_mut().map(|n| n.poll())).await;
        let now = crate::model::now_millis();
        if self.memory.genesis.is_none() {
            for (n, _) in self.nodes.iter().zip(&polls).filter(|(_, p)| p.is_ok()) {
                if let Ok(Some(h)) = n.block_hash(0).await {
                    self.memory.genesis = Some(h);
                    break;
                }
            }
        }
        Ok(observe::observe(
            &Inputs {
                chain: &self.chain,
                clients: &self.nodes,
                polls: &polls,
                roles: &self.roles,
                now,
            },
            &mut self.memory,
        ))
    }

    async fn block_hash(
        &mut self,
        node: &str,
        height: u64,
    ) -> Result<Option<String>, AdapterError> {
        let n = self.node(node)?;
        n.block_hash(height)
            .await
            .map_err(|e| adapter_error(&n.endpoint, e))
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        match change {
            AdapterChange::LogSpec { node, spec } => {
                let parsed = logspec::parse(spec)
                    .map_err(|e| AdapterError::Rejected(format!("log spec {spec:?}: {e}")))?;
                let n = self.node(node)?;
                n.set_logging(&parsed)
                    .await
                    .map_err(|e| adapter_error(&n.endpoint, e))
            }
            other => Err(AdapterError::NotSupported(format!("{other:?}"))),
        }
    }
}
