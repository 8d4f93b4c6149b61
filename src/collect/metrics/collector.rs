//! The piece a chain's poll loop calls for one node: scrape the node's
//! metrics endpoint and its host's node exporter (each if configured), at
//! once, and return typed figures with their rates. It keeps the previous
//! scrape of each endpoint, so one scraper lives as long as the node's
//! configuration does; a changed `metrics-endpoint` or `host-exporter`
//! means a new scraper (and rates absent for one round).

use super::error::MetricsError;
use super::exposition::Limits;
use super::host::HostMetrics;
use super::node::NodeMetrics;
use super::rates::{HostRates, NodeRates};
use super::scrape::MetricsSource;
use crate::config::NodeConfig;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct NodeResourceScraper {
    node: Option<(MetricsSource, NodeRates)>,
    host: Option<(MetricsSource, HostRates)>,
}

/// One round's figures. `None`: that source is not configured.
#[derive(Debug)]
pub struct ResourceReading {
    pub node: Option<Result<NodeMetrics, MetricsError>>,
    pub host: Option<Result<HostMetrics, MetricsError>>,
}

impl ResourceReading {
    fn node_ok(&self) -> Option<&NodeMetrics> {
        self.node.as_ref()?.as_ref().ok()
    }

    fn host_ok(&self) -> Option<&HostMetrics> {
        self.host.as_ref()?.as_ref().ok()
    }

    /// The node process's CPU in percent of all its host's cores (the
    /// cores from the host exporter).
    pub fn node_cpu_percent_of_host(&self) -> Option<f64> {
        self.node_ok()?
            .cpu_percent_of_host(self.host_ok().and_then(|h| h.cores))
    }

    /// The node process's resident memory in percent of its host's memory.
    pub fn node_memory_percent_of_host(&self) -> Option<f64> {
        self.node_ok()?
            .memory_percent_of(self.host_ok().and_then(|h| h.memory_total_bytes))
    }
}

impl NodeResourceScraper {
    /// Sources from the node's `metrics-endpoint` and `host-exporter`;
    /// `timeout` bounds each request (the chain's `rpc-timeout-ms`).
    pub fn new(node: &NodeConfig, timeout: Duration) -> Result<NodeResourceScraper, MetricsError> {
        let limits = Limits::default();
        let source = |c| MetricsSource::new(c, timeout, limits);
        Ok(NodeResourceScraper {
            node: node
                .metrics_endpoint
                .as_ref()
                .map(source)
                .transpose()?
                .map(|s| (s, NodeRates::default())),
            host: node
                .host_exporter
                .as_ref()
                .map(source)
                .transpose()?
                .map(|s| (s, HostRates::default())),
        })
    }

    /// Whether the node has neither source configured.
    pub fn is_empty(&self) -> bool {
        self.node.is_none() && self.host.is_none()
    }

    /// Scrape both sources concurrently and derive the rates.
    pub async fn poll(&mut self) -> ResourceReading {
        let node_page = async {
            match &self.node {
                Some((s, _)) => Some((s.scrape().await, Instant::now())),
                None => None,
            }
        };
        let host_page = async {
            match &self.host {
                Some((s, _)) => Some((s.scrape().await, Instant::now())),
                None => None,
            }
        };
        let (node_page, host_page) = tokio::join!(node_page, host_page);
        let node = match (node_page, &mut self.node) {
            (Some((page, at)), Some((_, rates))) => Some(page.map(|p| {
                let mut m = NodeMetrics::from_page(&p);
                rates.update(&mut m, at);
                m
            })),
            _ => None,
        };
        let host = match (host_page, &mut self.host) {
            (Some((page, at)), Some((_, rates))) => Some(page.map(|p| {
                let mut m = HostMetrics::from_page(&p);
                rates.update(&mut m, at);
                m
            })),
            _ => None,
        };
        ResourceReading { node, host }
    }
}
