//! Hyperledger Fabric through each node's operations service (HTTPS with
//! mutual TLS in production): `/healthz`, `/version`, `/metrics`,
//! `/logspec`, and on orderers `/participation/v1/channels`. The service
//! gives heights but no block hashes, so consistency compares heights only
//! and `block_hash` is not supported.

mod health;
mod metrics;
mod observe;
mod participation;
mod reading;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::collect::transport::backoff::Backoff;
use crate::collect::transport::http::HttpEndpoint;
use crate::config::ChainConfig;
use crate::model::chain::Platform;
use crate::model::node::NodeRole;
use async_trait::async_trait;
use observe::{History, NodeSpec};
use reading::NodeReading;
use std::time::{Duration, Instant};

struct FabricNode {
    spec: NodeSpec,
    /// Err when the configuration cannot make a client (unreadable key).
    http: Result<HttpEndpoint, String>,
    backoff: Backoff,
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
            .map(|(name, n)| {
                let endpoint = n.endpoint.clone().unwrap_or_default();
                FabricNode {
                    spec: NodeSpec {
                        name: name.clone(),
                        role: n.role.unwrap_or(NodeRole::Peer),
                        endpoint: endpoint.clone(),
                    },
                    http: HttpEndpoint::new(&endpoint, n.auth.as_ref(), n.tls.as_ref(), timeout)
                        .map_err(|e| e.to_string()),
                    backoff: Backoff::new(timeout, Duration::from_secs(60)),
                }
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
        let now = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for (i, n) in self.nodes.iter().enumerate() {
            let Ok(http) = n.http.clone() else { continue };
            if !n.backoff.ready(now) {
                continue;
            }
            let orderer = n.spec.role == NodeRole::Orderer;
            tasks.spawn(async move { (i, reading::read(&http, orderer).await) });
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
                let http = n.http.as_ref().map_err(|e| AdapterError::Unreachable {
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
