//! Hyperledger Fabric through each node's operations service (HTTPS with
//! mutual TLS in production): `/healthz`, `/version`, `/metrics`,
//! `/logspec`, and on orderers `/participation/v1/channels`. The service
//! gives heights but no block hashes, so consistency compares heights only
//! and `block_hash` is not supported.

#[doc(hidden)]
pub mod fuzzing;
mod health;
mod metrics;
mod observe;
mod participation;
mod reading;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::collect::transport::polled::{PolledEndpoint, poll_all};
use crate::config::ChainConfig;
use crate::model::chain::Platform;
use crate::model::node::NodeRole;
use async_trait::async_trait;
use observe::{History, NodeSpec};
use reading::NodeReading;
use std::time::Duration;

struct FabricNode {
    spec: NodeSpec,
    link: PolledEndpoint,
}

pub struct FabricAdapter {
    chain: String,
    nodes: Vec<FabricNode>,
    history: History,
}

impl FabricAdapter {
    pub fn new(id: &str, config: &ChainConfig) -> FabricAdapter {
        let timeout = Duration::from_millis(config.rpc_timeout_ms);
        let nodes = config
            .nodes
            .iter()
            .map(|(name, n)| FabricNode {
                spec: NodeSpec {
                    name: name.clone(),
                    role: n.role.unwrap_or(NodeRole::Peer),
                    endpoint: n.endpoint.clone().unwrap_or_default(),
                },
                link: PolledEndpoint::new(n, timeout),
            })
            .collect();
        FabricAdapter {
            chain: id.to_string(),
            nodes,
            history: History::default(),
        }
    }

    pub fn capabilities_static() -> Capabilities {
        crate::collect::capabilities(Platform::Fabric)
    }
}

#[async_trait]
impl ChainAdapter for FabricAdapter {
    fn platform(&self) -> Platform {
        Platform::Fabric
    }

    fn capabilities(&self) -> Capabilities {
        Self::capabilities_static()
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        let results = poll_all(
            &mut self.nodes,
            |n| &mut n.link,
            |n, http| {
                let orderer = n.spec.role == NodeRole::Orderer;
                async move { reading::read(&http, orderer).await }
            },
        )
        .await;
        if results.iter().all(Result::is_err) {
            let reason = results
                .iter()
                .filter_map(|r| r.as_ref().err().cloned())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(AdapterError::Unreachable {
                endpoint: "all nodes".into(),
                reason,
            });
        }
        let nodes: Vec<(NodeSpec, Result<NodeReading, String>)> = self
            .nodes
            .iter()
            .map(|n| n.spec.clone())
            .zip(results)
            .collect();
        Ok(observe::observe(
            &self.chain,
            &nodes,
            &mut self.history,
            crate::model::now_millis(),
        ))
    }

    async fn block_hash(
        &mut self,
        _node: &str,
        _height: u64,
    ) -> Result<Option<String>, AdapterError> {
        Err(AdapterError::NotSupported(
            "block hashes: the Fabric operations service does not expose them".into(),
        ))
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        match change {
            AdapterChange::LogSpec { node, spec } => {
                let n = self
                    .nodes
                    .iter()
                    .find(|n| &n.spec.name == node)
                    .ok_or_else(|| AdapterError::Rejected(format!("no node {node}")))?;
                let http = n
                    .link
                    .http
                    .as_ref()
                    .map_err(|e| AdapterError::Unreachable {
                        endpoint: n.spec.endpoint.clone(),
                        reason: e.clone(),
                    })?;
                let (status, body) = http
                    .send_json(
                        reqwest::Method::PUT,
                        "/logspec",
                        &serde_json::json!({ "spec": spec }),
                    )
                    .await
                    .map_err(|e| AdapterError::Unreachable {
                        endpoint: http.base().to_string(),
                        reason: e.to_string(),
                    })?;
                if (200..300).contains(&status) {
                    Ok(())
                } else {
                    Err(AdapterError::Rejected(format!(
                        "PUT /logspec: HTTP {status}: {}",
                        body.chars().take(200).collect::<String>()
                    )))
                }
            }
            other => Err(AdapterError::NotSupported(format!(
                "{other:?} on Fabric (only the log specification can be set)"
            ))),
        }
    }
}
