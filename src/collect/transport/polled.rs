//! A node reached over plain HTTP requests (Fabric's operations service,
//! CometBFT's RPC) with its own backoff, and one concurrent collection
//! pass over several such nodes: a node backing off is not asked, and a
//! node that answers with an error is not backed off.

use super::backoff::Backoff;
use super::http::{HttpEndpoint, TransportError};
use crate::config::NodeConfig;
use std::future::Future;
use std::time::{Duration, Instant};

/// The longest a dead node waits between two attempts.
const BACKOFF_MAX: Duration = Duration::from_secs(60);

pub struct PolledEndpoint {
    /// Err when the configuration cannot make a client (an unreadable key):
    /// the reason every collection reports for the node.
    pub http: Result<HttpEndpoint, String>,
    pub backoff: Backoff,
}

impl PolledEndpoint {
    pub fn new(config: &NodeConfig, timeout: Duration) -> PolledEndpoint {
        let endpoint = config.endpoint.clone().unwrap_or_default();
        PolledEndpoint {
            http: HttpEndpoint::new(
                &endpoint,
                config.auth.as_ref(),
                config.tls.as_ref(),
                timeout,
            )
            .map_err(|e| e.to_string()),
            backoff: Backoff::new(timeout, BACKOFF_MAX),
        }
    }
}

/// Whether a read failed because the node did not answer, which is what
/// backs a node off.
pub trait Unreachable {
    fn is_unreachable(&self) -> bool;
}

impl Unreachable for TransportError {
    fn is_unreachable(&self) -> bool {
        TransportError::is_unreachable(self)
    }
}

/// Read every node that is not backing off, concurrently; one result per
/// node, in order, with the reason for each node that gave nothing.
pub async fn poll_all<N, T, E, Fut>(
    nodes: &mut [N],
    endpoint: fn(&mut N) -> &mut PolledEndpoint,
    read: impl Fn(&N, HttpEndpoint) -> Fut,
) -> Vec<Result<T, String>>
where
    T: Send + 'static,
    E: Unreachable + std::fmt::Display + Send + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
{
    let now = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mut results = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter_mut().enumerate() {
        let link = endpoint(n);
        let http = match &link.http {
            Err(e) => {
                results.push(Err(e.clone()));
                continue;
            }
            Ok(_) if !link.backoff.ready(now) => {
                results.push(Err("not asked: backing off after failures".to_string()));
                continue;
            }
            Ok(http) => http.clone(),
        };
        results.push(Err("no answer".to_string()));
        let fut = read(n, http);
        tasks.spawn(async move { (i, fut.await) });
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((i, r)) = joined else { continue };
        let Some(node) = nodes.get_mut(i) else {
            continue;
        };
        let backoff = &mut endpoint(node).backoff;
        match &r {
            Err(e) if e.is_unreachable() => backoff.failed(Instant::now()),
            _ => backoff.succeeded(),
        }
        if let Some(slot) = results.get_mut(i) {
            *slot = r.map_err(|e| e.to_string());
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Node {
        link: PolledEndpoint,
    }

    fn node(endpoint: &str, key_file: Option<&str>) -> Node {
        let config = NodeConfig {
            endpoint: Some(endpoint.into()),
            tls: key_file.map(|k| crate::config::TlsConfig {
                cert_file: Some(k.into()),
                key_file: Some(k.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        Node {
            link: PolledEndpoint::new(&config, Duration::from_millis(500)),
        }
    }

    async fn pass(nodes: &mut [Node]) -> Vec<Result<String, String>> {
        poll_all(
            nodes,
            |n| &mut n.link,
            |_, http| async move { http.get_text("/").await },
        )
        .await
    }

    #[tokio::test]
    async fn a_refusing_node_is_backed_off_and_a_bad_setup_reported() {
        // A loopback port nobody listens on: connections are refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut nodes = [
            node(&format!("127.0.0.1:{port}"), None),
            node("127.0.0.1:1", Some("/nonexistent/client.pem")),
        ];
        let first = pass(&mut nodes).await;
        assert!(
            first[0].as_ref().is_err_and(|e| e.contains("unreachable")),
            "{first:?}"
        );
        assert!(
            first[1]
                .as_ref()
                .is_err_and(|e| e.contains("/nonexistent/client.pem")),
            "{first:?}"
        );
        let second = pass(&mut nodes).await;
        assert_eq!(
            second[0],
            Err("not asked: backing off after failures".to_string())
        );
        assert_eq!(second[1], first[1]);
    }
}
