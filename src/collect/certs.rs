//! The certificates of the nodes' TLS endpoints (issue 14 §2,
//! `endpoint-certificate-expiring`): wraps any platform's adapter and
//! adds, to each node whose RPC endpoint, metrics endpoint or host
//! exporter is `https://`, the notAfter of the certificate it presents
//! and the days left before it (the earliest of the node's endpoints).
//!
//! A certificate changes rarely, so each endpoint is read by a handshake
//! of its own ([`super::transport::peer_cert`]) at most once per
//! [`RECHECK`]; one that could not be read is tried again after
//! [`RETRY`], its last date kept meanwhile (the days left still count
//! down). A node without a TLS endpoint has no certificate figures:
//! absent, not 0. Nothing is read on a request path.

use super::adapter::ChainAdapter;
use super::observation::{ChainObservation, NodeObservation};
use super::transport::peer_cert;
use crate::collect::enrich::{Enriched, Enrichment};
use crate::config::ChainConfig;
use crate::model::UnixMillis;
use async_trait::async_trait;
use std::time::{Duration, Instant};

/// How long a certificate that was read is trusted to be the one served.
pub const RECHECK: Duration = Duration::from_secs(3600);
/// How long after a failed read the endpoint is tried again.
pub const RETRY: Duration = Duration::from_secs(60);

/// One TLS endpoint of one node.
struct Probe {
    node: String,
    url: String,
    /// When it is read next (None: at the next collection).
    due: Option<Instant>,
    /// The notAfter last read.
    not_after: Option<UnixMillis>,
    /// The last error, logged once until it changes.
    error: Option<String>,
}

pub struct CertificateAdapter {
    chain: String,
    probes: Vec<Probe>,
    timeout: Duration,
    recheck: Duration,
}

/// The `https://` endpoints of each node of `chain`, in node order.
fn tls_endpoints(chain: &ChainConfig) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, node) in &chain.nodes {
        let urls = [
            node.endpoint.as_deref(),
            node.metrics_endpoint.as_ref().map(|m| m.url.as_str()),
            node.host_exporter.as_ref().map(|m| m.url.as_str()),
        ];
        for url in urls.into_iter().flatten() {
            let listed = out.iter().any(|(n, u)| n == name && u == url);
            if peer_cert::tls_target(url).is_some() && !listed {
                out.push((name.clone(), url.to_string()));
            }
        }
    }
    out
}

impl CertificateAdapter {
    /// `inner` itself when no node of the chain has a TLS endpoint.
    pub fn wrap(
        id: &str,
        chain: &ChainConfig,
        inner: Box<dyn ChainAdapter>,
    ) -> Box<dyn ChainAdapter> {
        Self::wrap_every(id, chain, inner, RECHECK)
    }

    /// As [`Self::wrap`], reading each certificate again after `recheck`
    /// (the tests read a renewed certificate at once).
    pub fn wrap_every(
        id: &str,
        chain: &ChainConfig,
        inner: Box<dyn ChainAdapter>,
        recheck: Duration,
    ) -> Box<dyn ChainAdapter> {
        let probes: Vec<Probe> = tls_endpoints(chain)
            .into_iter()
            .map(|(node, url)| Probe {
                node,
                url,
                due: None,
                not_after: None,
                error: None,
            })
            .collect();
        if probes.is_empty() {
            return inner;
        }
        Enriched::boxed(
            inner,
            CertificateAdapter {
                chain: id.to_string(),
                probes,
                timeout: Duration::from_millis(chain.rpc_timeout_ms),
                recheck,
            },
        )
    }
}

/// Read the endpoints of `probes` that are due, concurrently.
async fn read_due(chain: &str, probes: &mut [Probe], timeout: Duration, recheck: Duration) {
    let now = Instant::now();
    let reads = probes
        .iter()
        .enumerate()
        .filter(|(_, p)| p.due.is_none_or(|d| d <= now))
        .map(|(i, p)| {
            let url = p.url.clone();
            async move { (i, peer_cert::read_not_after(&url, timeout).await) }
        });
    for (i, r) in futures::future::join_all(reads).await {
        let Some(p) = probes.get_mut(i) else {
            continue;
        };
        match r {
            Ok(not_after) => {
                p.not_after = Some(not_after);
                p.due = Some(now + recheck);
                p.error = None;
            }
            Err(e) => {
                let e = e.to_string();
                if p.error.as_ref() != Some(&e) {
                    tracing::warn!(%chain, node = %p.node, "certificate not read: {e}");
                }
                p.error = Some(e);
                p.due = Some(now + RETRY);
            }
        }
    }
}

/// Give each node of `nodes` the earliest certificate of its endpoints
/// (`probes`: node, URL, notAfter), with the days left at its sample's
/// time.
pub fn apply(nodes: &mut [NodeObservation], probes: &[(&str, &str, Option<UnixMillis>)]) {
    for o in nodes {
        let earliest = probes
            .iter()
            .filter(|(node, _, _)| *node == o.node.id)
            .filter_map(|(_, url, at)| at.map(|at| (at, *url)))
            .min();
        let p = &mut o.performance;
        if let Some((not_after, url)) = earliest {
            let now = if p.sampled_at > 0 {
                p.sampled_at
            } else {
                crate::model::now_millis()
            };
            p.certificate_not_after = Some(not_after);
            p.certificate_days_left = Some(crate::model::time::days_until(not_after, now));
            p.certificate_endpoint = Some(url.to_string());
        }
    }
}

#[async_trait]
impl Enrichment for CertificateAdapter {
    async fn read(&mut self) {
        read_due(&self.chain, &mut self.probes, self.timeout, self.recheck).await;
    }

    fn add(&mut self, obs: &mut ChainObservation) {
        let probes: Vec<_> = self
            .probes
            .iter()
            .map(|p| (p.node.as_str(), p.url.as_str(), p.not_after))
            .collect();
        apply(&mut obs.nodes, &probes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{MetricsSourceConfig, NodeConfig};
    use crate::model::chain::Platform;

    #[test]
    fn only_https_endpoints_are_read_once_each() {
        let mut chain = ChainConfig::new(Platform::Ethereum);
        let source = |url: &str| MetricsSourceConfig {
            url: url.into(),
            auth: None,
            tls: None,
        };
        chain.nodes.insert(
            "a".into(),
            NodeConfig {
                endpoint: Some("https://a.example:8545".into()),
                metrics_endpoint: Some(source("https://a.example:8545")),
                host_exporter: Some(source("http://a.example:9100")),
                ..Default::default()
            },
        );
        chain.nodes.insert(
            "b".into(),
            NodeConfig {
                endpoint: Some("b.example:8545".into()),
                ..Default::default()
            },
        );
        assert_eq!(
            tls_endpoints(&chain),
            [("a".to_string(), "https://a.example:8545".to_string())]
        );
    }

    #[test]
    fn a_node_gets_the_earliest_certificate_of_its_endpoints() {
        const DAY: u64 = 86_400_000;
        let now = 1_796_000_000_000;
        let mut a = crate::collect::observation::bare_node("https://a:1", &[]);
        a.node.id = "a".into();
        a.performance.sampled_at = now;
        let mut b = a.clone();
        b.node.id = "b".into();
        let mut nodes = [a, b];
        apply(
            &mut nodes,
            &[
                ("a", "https://a:1", Some(now + 90 * DAY)),
                ("a", "https://a:2", Some(now + 5 * DAY + 1)),
                ("a", "https://a:3", None),
                ("b", "https://b:1", None),
            ],
        );
        let p = &nodes[0].performance;
        assert_eq!(p.certificate_days_left, Some(5));
        assert_eq!(p.certificate_not_after, Some(now + 5 * DAY + 1));
        assert_eq!(p.certificate_endpoint.as_deref(), Some("https://a:2"));
        let p = &nodes[1].performance;
        assert_eq!(p.certificate_days_left, None, "nothing read: absent");
        assert_eq!(p.certificate_not_after, None);
    }
}
