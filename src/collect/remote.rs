//! Remote nodes' own metrics (issue 14, section 1): wraps any platform's
//! adapter and adds, to each node with a `metrics-endpoint` or a
//! `host-exporter`, what those Prometheus pages say of the node process
//! (CPU, resident memory, descriptors, start time, pool size) and of its
//! host (cores, memory: the node's hardware).
//!
//! A figure read on this host ([`super::local`], wrapped inside this one)
//! wins: a page only fills what is still absent. Both pages of every node
//! are scraped at once, each within the chain's `rpc-timeout-ms`; one that
//! does not answer leaves its figures absent and is logged once until its
//! error changes. Nothing is read on a request path.

use super::adapter::ChainAdapter;
use super::metrics::{MetricsError, NodeResourceScraper, ResourceReading};
use super::observation::{ChainObservation, NodeObservation};
use crate::collect::enrich::{Enriched, Enrichment};
use crate::config::ChainConfig;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::time::Duration;

pub struct RemoteMetricsAdapter {
    chain: String,
    /// One scraper per node with a source, by node name: each keeps its
    /// previous pages for the rates.
    scrapers: Vec<(String, NodeResourceScraper)>,
    /// The last error per node and source, logged once until it changes.
    errors: BTreeMap<(String, &'static str), String>,
    /// The pages read during the current collection, by node name.
    readings: Vec<(String, ResourceReading)>,
}

impl RemoteMetricsAdapter {
    /// `inner` itself when no node of the chain has a metrics source.
    pub fn wrap(
        id: &str,
        chain: &ChainConfig,
        inner: Box<dyn ChainAdapter>,
    ) -> Box<dyn ChainAdapter> {
        let timeout = Duration::from_millis(chain.rpc_timeout_ms);
        let mut scrapers = Vec::new();
        for (name, node) in &chain.nodes {
            match NodeResourceScraper::new(node, timeout) {
                Ok(s) if s.is_empty() => {}
                Ok(s) => scrapers.push((name.clone(), s)),
                // Validation refuses what cannot be set up; a source that
                // still fails here is left out, and said so once.
                Err(e) => tracing::warn!(chain = %id, node = %name, "metrics source left out: {e}"),
            }
        }
        if scrapers.is_empty() {
            return inner;
        }
        Enriched::boxed(
            inner,
            RemoteMetricsAdapter {
                chain: id.to_string(),
                scrapers,
                errors: BTreeMap::new(),
                readings: Vec::new(),
            },
        )
    }

    fn note(&mut self, node: &str, source: &'static str, error: Option<String>) {
        let key = (node.to_string(), source);
        match error {
            Some(e) if self.errors.get(&key) != Some(&e) => {
                tracing::warn!(chain = %self.chain, %node, "{source} gives no figures: {e}");
                self.errors.insert(key, e);
            }
            Some(_) => {}
            None => {
                self.errors.remove(&key);
            }
        }
    }
}

/// Fill what is still absent in `obs` from a round's pages.
pub fn apply(obs: &mut NodeObservation, r: &ResourceReading) {
    let cpu_of_host = r.node_cpu_percent_of_host();
    let memory_of_host = r.node_memory_percent_of_host();
    let p = &mut obs.performance;
    if let Some(Ok(m)) = &r.node {
        p.cpu_core_percent = p.cpu_core_percent.or(m.cpu_percent);
        p.cpu_percent = p.cpu_percent.or(cpu_of_host);
        p.memory_used_bytes = p.memory_used_bytes.or(m.resident_memory_bytes);
        p.memory_percent = p.memory_percent.or(memory_of_host);
        p.open_fds = p.open_fds.or(m.open_fds);
        p.process_started_at = p.process_started_at.or(m
            .start_time_seconds
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| (s * 1000.0) as u64));
        p.tx_pool_size = p.tx_pool_size.or(m.tx_pool_size);
        p.peer_count = p.peer_count.or(m.peers);
    }
    if let Some(Ok(h)) = &r.host {
        let hw = &mut obs.node.hardware;
        hw.cpu_cores = hw.cpu_cores.or(h.cores);
        hw.memory_bytes = hw.memory_bytes.or(h.memory_total_bytes);
    }
    let p = &obs.performance;
    let hw = &obs.node.hardware;
    obs.node.unsupported.retain(|a| match a.as_str() {
        "cpu-percent" => p.cpu_percent.is_none(),
        "memory-percent" => p.memory_percent.is_none(),
        "txpool" => p.tx_pool_size.is_none(),
        "peers" => p.peer_count.is_none(),
        "hardware" => hw.cpu_cores.is_none() && hw.memory_bytes.is_none(),
        _ => true,
    });
}

/// A source's error of this round, as text.
fn failed<T>(x: &Option<Result<T, MetricsError>>) -> Option<String> {
    x.as_ref()
        .and_then(|x| x.as_ref().err())
        .map(|e| e.to_string())
}

#[async_trait]
impl Enrichment for RemoteMetricsAdapter {
    async fn read(&mut self) {
        let polls = self
            .scrapers
            .iter_mut()
            .map(|(name, s)| async move { (name.clone(), s.poll().await) });
        self.readings = futures::future::join_all(polls).await;
    }

    fn add(&mut self, obs: &mut ChainObservation) {
        for (node, r) in std::mem::take(&mut self.readings) {
            self.note(&node, "metrics-endpoint", failed(&r.node));
            self.note(&node, "host-exporter", failed(&r.host));
            if let Some(o) = obs.nodes.iter_mut().find(|o| o.node.id == node) {
                apply(o, &r);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::metrics::{Exporter, HostMetrics, NodeMetrics};

    fn observation() -> NodeObservation {
        crate::collect::observation::bare_node(
            "http://node.example:8545",
            &["cpu-percent", "hardware", "peers"],
        )
    }

    fn node_page() -> NodeMetrics {
        let mut m = NodeMetrics::from_page(&Default::default());
        m.exporter = Exporter::detect(&Default::default());
        m.cpu_percent = Some(150.0);
        m.resident_memory_bytes = Some(512 << 20);
        m.start_time_seconds = Some(1_700_000_000.5);
        m
    }

    fn host_page() -> HostMetrics {
        let mut h = HostMetrics::from_page(&Default::default());
        h.cores = Some(4);
        h.memory_total_bytes = Some(4 << 30);
        h
    }

    #[test]
    fn pages_fill_what_is_absent_and_never_what_this_host_read() {
        let r = ResourceReading {
            node: Some(Ok(node_page())),
            host: Some(Ok(host_page())),
        };
        let mut o = observation();
        apply(&mut o, &r);
        let p = &o.performance;
        assert_eq!(p.cpu_core_percent, Some(150.0));
        assert_eq!(p.cpu_percent, Some(37.5), "150 % of one core of 4");
        assert_eq!(p.memory_used_bytes, Some(512 << 20));
        assert_eq!(p.memory_percent, Some(12.5));
        assert_eq!(p.process_started_at, Some(1_700_000_000_500));
        assert_eq!(p.open_fds, None, "the page has none: absent, not 0");
        assert_eq!(o.node.hardware.cpu_cores, Some(4));
        assert_eq!(o.node.unsupported, ["peers"]);

        // A figure read on this host stays.
        let mut local = observation();
        local.performance.cpu_percent = Some(3.0);
        local.performance.memory_used_bytes = Some(7);
        apply(&mut local, &r);
        assert_eq!(local.performance.cpu_percent, Some(3.0));
        assert_eq!(local.performance.memory_used_bytes, Some(7));

        // A source that failed fills nothing.
        let failed = ResourceReading {
            node: Some(Err(MetricsError::Config {
                url: "http://node.example:6060".into(),
                reason: "refused".into(),
            })),
            host: None,
        };
        let mut o = observation();
        apply(&mut o, &failed);
        assert_eq!(o.performance.cpu_percent, None);
        assert_eq!(o.node.unsupported.len(), 3);
    }

    /// The page's peer figure fills a peer count the RPC did not give
    /// (and the node then supports "peers"); one the RPC gave stays.
    #[test]
    fn a_page_fills_the_peer_count_the_rpc_left_absent() {
        let mut m = node_page();
        m.peers = Some(7);
        let r = ResourceReading {
            node: Some(Ok(m)),
            host: None,
        };
        let mut o = observation();
        apply(&mut o, &r);
        assert_eq!(o.performance.peer_count, Some(7));
        assert_eq!(o.node.unsupported, ["cpu-percent", "hardware"]);
        let mut rpc = observation();
        rpc.performance.peer_count = Some(2);
        apply(&mut rpc, &r);
        assert_eq!(rpc.performance.peer_count, Some(2));
        // No figure on the page: still absent, never 0.
        let mut none = observation();
        apply(
            &mut none,
            &ResourceReading {
                node: Some(Ok(node_page())),
                host: None,
            },
        );
        assert_eq!(none.performance.peer_count, None);
    }
}
