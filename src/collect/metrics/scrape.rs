//! One Prometheus endpoint to scrape, built once from its configuration:
//! the node's HTTP transport (so `auth` and `tls` work as for the RPC), a
//! time limit per request, and the body and page bounds of
//! [`super::exposition::Limits`].

use super::error::MetricsError;
use super::exposition::{Limits, Page, parse};
use crate::collect::transport::HttpEndpoint;
use crate::config::MetricsSourceConfig;
use std::time::Duration;

/// What we ask for: the classic text format, not protobuf or OpenMetrics.
const ACCEPT: &str = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

/// A URL without a path means the conventional one.
const DEFAULT_PATH: &str = "/metrics";

#[derive(Debug, Clone)]
pub struct MetricsSource {
    url: String,
    endpoint: HttpEndpoint,
    path: String,
    limits: Limits,
}

/// `http://host:port/a/b?x` into `http://host:port` and `/a/b?x`.
fn split_url(url: &str) -> Result<(String, String), MetricsError> {
    let bad = |reason: &str| MetricsError::Config {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("only http:// and https:// are scraped"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("no credentials in the URL: set them under auth"));
    }
    // An IPv6 host comes with its brackets.
    let host = parsed.host_str().ok_or_else(|| bad("no host"))?;
    let base = match parsed.port() {
        Some(p) => format!("{}://{host}:{p}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    };
    let mut path = match parsed.path() {
        "" | "/" => DEFAULT_PATH.to_string(),
        p => p.to_string(),
    };
    if let Some(q) = parsed.query() {
        path.push('?');
        path.push_str(q);
    }
    Ok((base, path))
}

impl MetricsSource {
    pub fn new(
        config: &MetricsSourceConfig,
        timeout: Duration,
        limits: Limits,
    ) -> Result<MetricsSource, MetricsError> {
        let (base, path) = split_url(&config.url)?;
        let endpoint =
            HttpEndpoint::new(&base, config.auth.as_ref(), config.tls.as_ref(), timeout)?;
        Ok(MetricsSource {
            url: format!("{base}{path}"),
            endpoint,
            path,
            limits,
        })
    }

    /// The URL scraped (without credentials, which never are in it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Fetch and parse the page once.
    pub async fn scrape(&self) -> Result<Page, MetricsError> {
        let body = self
            .endpoint
            .get_text_bounded(&self.path, ACCEPT, self.limits.max_body_bytes)
            .await?;
        parse(&body, &self.limits).map_err(|source| MetricsError::Parse {
            url: self.url.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_base_and_path() {
        let ok = |u: &str| split_url(u).unwrap_or_else(|e| panic!("{u}: {e}"));
        assert_eq!(
            ok("http://10.0.0.5:6060/debug/metrics/prometheus"),
            (
                "http://10.0.0.5:6060".into(),
                "/debug/metrics/prometheus".into()
            )
        );
        assert_eq!(
            ok("https://h.example"),
            ("https://h.example".into(), "/metrics".into())
        );
        assert_eq!(
            ok("http://[::1]:9100/metrics?collect[]=cpu"),
            ("http://[::1]:9100".into(), "/metrics?collect[]=cpu".into())
        );
        for bad in ["ftp://h/x", "h:9100", "http://u:p@h/metrics", ""] {
            assert!(split_url(bad).is_err(), "{bad}");
        }
    }
}
