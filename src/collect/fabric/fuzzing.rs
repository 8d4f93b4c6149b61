//! Entry point for the fuzz targets: the Fabric operations service's
//! JSON answers (participation API, /healthz) and its Prometheus metrics.

use crate::collect::transport::prometheus;
use serde_json::Value;

/// Run each Fabric JSON parser over `v`; none may panic.
#[doc(hidden)]
pub fn responses(v: &Value, raw: &str) {
    let _ = super::participation::parse_list(v);
    let _ = super::participation::parse_channel(v);
    let _ = super::health::parse(200, raw);
    let _ = super::health::parse(503, raw);
}

/// Parse `text` as Prometheus exposition and read Fabric's metrics from it.
#[doc(hidden)]
pub fn metrics(text: &str) {
    let samples = prometheus::parse(text);
    let m = super::metrics::FabricMetrics::from_samples(&samples);
    let _ = m.height();
    let _ = m.peer_count();
}
