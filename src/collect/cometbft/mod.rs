//! CometBFT (Tendermint) through its RPC: `/status`, `/net_info`,
//! `/validators`, `/consensus_state`, `/abci_info`, `/num_unconfirmed_txs`,
//! `/blockchain` and `/block`. Validators change through the application,
//! so nothing is applied to the platform.

mod blocks;
#[doc(hidden)]
pub mod fuzzing;
mod observe;
mod peers;
mod reading;
mod round_state;
mod rpc;
mod status;
mod validators;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::collect::transport::http::HttpEndpoint;
use crate::collect::transport::polled::{PolledEndpoint, poll_all};
use crate::config::ChainConfig;
use crate::model::chain::Platform;
use crate::model::ledger::LedgerMember;
use async_trait::async_trait;
use observe::NodeSpec;
use reading::NodeReading;
use std::collections::BTreeMap;
use std::time::Duration;

struct CometNode {
    spec: NodeSpec,
    link: PolledEndpoint,
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
            .map(|(name, n)| CometNode {
                spec: NodeSpec {
                    name: name.clone(),
                    role: n.role,
                    endpoint: n.endpoint.clone().unwrap_or_default(),
                },
                link: PolledEndpoint::new(n, timeout),
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
        n.link.http.as_ref().map_err(|e| AdapterError::Unreachable {
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
        let results = poll_all(
            &mut self.nodes,
            |n| &mut n.link,
            |_, http| async move { reading::read(&http).await },
        )
        .await;
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
        let validators = match self.nodes.get(best).map(|n| &n.link.http) {
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
