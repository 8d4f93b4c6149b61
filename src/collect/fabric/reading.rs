//! One pass over one Fabric node's operations service: everything fetched,
//! nothing interpreted beyond parsing, so the requests of all nodes can run
//! at once and the chain is assembled afterwards.

use super::health::{self, Health};
use super::metrics::FabricMetrics;
use super::participation::{self, ChannelInfo};
use crate::collect::transport::http::{HttpEndpoint, TransportError};
use crate::collect::transport::prometheus;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct NodeReading {
    pub health: Health,
    /// `Version` of `/version`, when the node answers it.
    pub version: Option<String>,
    pub metrics: FabricMetrics,
    pub log_spec: Option<String>,
    /// Orderers only.
    pub channels: Vec<ChannelInfo>,
    /// Endpoints that answered with an error: the node is up, the
    /// attributes they feed stay empty.
    pub problems: Vec<String>,
}

/// Fetch a node. `Err` when the node does not answer at all, or its
/// `/healthz` says nothing usable.
pub async fn read(http: &HttpEndpoint, orderer: bool) -> Result<NodeReading, TransportError> {
    let (status, body) = http.get_any("/healthz").await?;
    let health = health::parse(status, &body).map_err(|e| TransportError::Protocol {
        endpoint: http.base().to_string(),
        reason: e.to_string(),
    })?;
    let mut problems = Vec::new();
    let version = answered(http.get_json("/version").await, &mut problems)?
        .and_then(|v| v.get("Version").and_then(Value::as_str).map(str::to_string));
    let metrics = answered(http.get_text("/metrics").await, &mut problems)?
        .map(|t| FabricMetrics::from_samples(&prometheus::parse(&t)))
        .unwrap_or_default();
    let log_spec = answered(http.get_json("/logspec").await, &mut problems)?
        .and_then(|v| v.get("spec").and_then(Value::as_str).map(str::to_string));
    let mut channels = Vec::new();
    if orderer
        && let Some(list) = answered(
            http.get_json("/participation/v1/channels").await,
            &mut problems,
        )?
    {
        for (_, url) in participation::parse_list(&list) {
            if let Some(v) = answered(http.get_json(&url).await, &mut problems)?
                && let Some(c) = participation::parse_channel(&v)
            {
                channels.push(c);
            }
        }
    }
    Ok(NodeReading {
        health,
        version,
        metrics,
        log_spec,
        channels,
        problems,
    })
}

/// An unreachable node fails the whole reading; an error answer only
/// leaves its attribute empty.
fn answered<T>(
    r: Result<T, TransportError>,
    problems: &mut Vec<String>,
) -> Result<Option<T>, TransportError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_unreachable() => Err(e),
        Err(e) => {
            problems.push(e.to_string());
            Ok(None)
        }
    }
}
