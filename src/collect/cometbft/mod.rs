//! CometBFT (Tendermint) through its RPC: `/status`, `/net_info`,
//! `/validators`, `/consensus_state`, `/abci_info`, `/num_unconfirmed_txs`,
//! `/blockchain` and `/block`. Validators change through the application,
//! so nothing is applied to the platform.

mod blocks;
mod observe;
mod peers;
mod reading;
mod round_state;
mod rpc;
mod status;
mod validators;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::collect::transport::backoff::Backoff;
use crate::collect::transport::http::HttpEndpoint;
use crate::config::ChainConfig;
use crate::model::chain::Platform;
use crate::model::ledger::LedgerMember;
use async_trait::async_trait;
use observe::NodeSpec;
use reading::NodeReading;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

struct CometNode {
    spec: NodeSpec,
    http: Result<HttpEndpoint, String>,
    backoff: Backoff,
}

pub struct CometbftAdapter {
    chain: String,
    nodes: Vec<CometNode>,
    members: BTreeMap<String, LedgerMember>,
}

impl CometbftAdapter {
    pub fn new(id: &str, config: &ChainConfig) -> CometbftAdapter {
        let timeout = Duration::from_millis(config.rpc_timeout_ms);
        let nodes = config
            .nodes
            .iter()
            .map(|(name, n)| {
                let endpoint = n.endpoint.clone().unwrap_or_default();
                CometNode {
                    spec: NodeSpec {
                        name: name.clone(),
                        role: n.role,
                        endpoint: endpoint.clone(),
                    },
                    http: HttpEndpoint::new(&endpoint, n.auth.as_ref(), n.tls.as_ref(), timeout)
                        .map_err(|e| e.to_string()),
                    backoff: Backoff::new(timeout, Duration::from_secs(60)),
                }
            })
            .collect();
        CometbftAdapter {
            chain: id.to_string(),
            nodes,
            members: BTreeMap::new(),
        }
    }

    fn endpoint(&self, node: &str) -> Result<&HttpEndpoint, AdapterError> {
        let n = self
            .nodes
            .iter()
            .find(|n| n.spec.name == node)
            .ok_or_else(|| AdapterError::Protocol {
                endpoint: format!("cometbft://{node}"),
                reason: "no such node".into(),
            })?;
        n.http.as_ref().map_err(|e| AdapterError::Unreachable {
            endpoint: n.spec.endpoint.clone(),
            reason: e.clone(),
        })
    }
}

fn adapter_error(e: rpc::CometError) -> AdapterError {
    match e {
        rpc::CometError::Transport(t) if t.is_unreachable() => AdapterError::Unreachable {
            endpoint: "node".into(),
            reason: t.to_string(),
        },
        other => AdapterError::Protocol {
            endpoint: "node".into(),
            reason: other.to_string(),
        },
    }
}

#[async_trait]
impl ChainAdapter for CometbftAdapter {
    fn platform(&self) -> Platform {
        Platform::Cometbft
    }

    fn capabilities(&self) -> Capabilities {
        crate::collect::capabilities(Platform::Cometbft)
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        let now = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let Ok(http) = n.http.clone() else { continue };
            if n.backoff.ready(now) {
                tasks.spawn(async move { (i, reading::read(&http).await) });
            }
        }
        let mut results: Vec<Result<NodeReading, String>> = self
            .nodes
            .iter()
            .map(|n| match &n.http {
                Err(e) => Err(e.clone()),
                Ok(_) => Err("not asked: backing off after failures".to_string()),
            })
            .collect();
        while let Some(joined) = tasks.join_next().await {
            let Ok((i, r)) = joined else { continue };
            let Some(node) = self.nodes.get_mut(i) else {
                continue;
            };
            match &r {
                Err(e) if e.is_unreachable() => node.backoff.failed(Instant::now()),
                _ => node.backoff.succeeded(),
            }
            if let Some(slot) = results.get_mut(i) {
                *slot = r.map_err(|e| e.to_string());
            }
        }
        // The validator set from the highest node that answered.
        let best = results
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().ok().map(|r| (i, r.status.height)))
            .max_by_key(|(_, h)| *h);
        let Some((best, height)) = best else {
            let reason = results
                .iter()
                .filter_map(|r| r.as_ref().err().cloned())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(AdapterError::Unreachable {
                endpoint: "all nodes".into(),
                reason,
            });
        };
        let validators = match self.nodes.get(best).map(|n| &n.http) {
            Some(Ok(http)) => reading::validator_set(http, height)
                .await
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let nodes: Vec<(NodeSpec, Result<NodeReading, String>)> = self
            .nodes
            .iter()
            .map(|n| n.spec.clone())
            .zip(results)
            .collect();
        Ok(observe::observe(
            &self.chain,
            &nodes,
            &validators,
            &mut self.members,
            crate::model::now_millis(),
        ))
    }

    async fn block_hash(
        &mut self,
        node: &str,
        height: u64,
    ) -> Result<Option<String>, AdapterError> {
        let http = self.endpoint(node)?;
        reading::block_hash(http, height)
            .await
            .map_err(adapter_error)
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        Err(AdapterError::NotSupported(format!(
            "{change:?}: CometBFT has no RPC to change it"
        )))
    }
}
