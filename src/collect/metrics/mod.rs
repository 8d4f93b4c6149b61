//! Remote node resources (issue 14, section 1, "Remote nodes"): the
//! Prometheus metrics page a node already serves (`metrics-endpoint`) and a
//! Prometheus node exporter on its host (`host-exporter`), read into plain
//! typed figures for the model.
//!
//! Bottom up: [`exposition`] parses the text format strictly and within
//! bounds; [`node`] and [`host`] pick the figures out of a page, by the
//! metric names each platform really serves (cited there); [`rates`] keeps
//! the previous scrape of an endpoint for CPU percent and byte rates;
//! [`scrape`] fetches one endpoint over the node's HTTP transport (its TLS
//! and authentication apply); [`collector`] scrapes a node's two sources
//! in one call for the per-chain poll loop.
//!
//! Not wired into the adapters, model or front ends yet: the caller maps
//! [`ResourceReading`] into the node's performance.

pub mod collector;
pub mod error;
pub mod exposition;
pub mod host;
pub mod node;
pub mod rates;
pub mod scrape;

pub use collector::{NodeResourceScraper, ResourceReading};
pub use error::MetricsError;
pub use exposition::{Limits, MetricType, Page, ParseError, Sample};
pub use host::{CpuTimes, FilesystemFigures, HostMetrics, InterfaceFigures};
pub use node::{Exporter, NodeMetrics};
pub use rates::{HostRates, NodeRates};
pub use scrape::MetricsSource;

/// Entry point for the `prometheus_text` fuzz target: parse `text` and
/// read node and host figures from it; nothing may panic.
#[doc(hidden)]
pub fn fuzzing(text: &str) {
    if let Ok(page) = exposition::parse(text, &Limits::default()) {
        let mut n = NodeMetrics::from_page(&page);
        let mut h = HostMetrics::from_page(&page);
        let now = std::time::Instant::now();
        NodeRates::default().update(&mut n, now);
        HostRates::default().update(&mut h, now);
        let _ = (n.blocks_behind(), h.memory_used_percent());
    }
}
