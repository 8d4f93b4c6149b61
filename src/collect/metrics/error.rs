//! Why a scrape of a metrics endpoint gave no figures: the endpoint could
//! not be set up, did not answer as HTTP should, or served a page that is
//! not Prometheus text. Each names the endpoint.

use super::exposition::ParseError;
use crate::collect::transport::TransportError;

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// The configured URL cannot be used; retrying will not help.
    #[error("{url}: {reason}")]
    Config { url: String, reason: String },
    /// Set-up, connection, HTTP status or body-size failure.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The page is not valid Prometheus text exposition.
    #[error("{url}: not Prometheus text: {source}")]
    Parse {
        url: String,
        #[source]
        source: ParseError,
    },
}

impl MetricsError {
    /// Whether the endpoint did not answer at all (as opposed to answering
    /// with something wrong).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, MetricsError::Transport(t) if t.is_unreachable())
    }
}
