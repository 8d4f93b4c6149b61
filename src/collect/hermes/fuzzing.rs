//! Entry point for the `prometheus_text` fuzz target: Hermes' telemetry
//! (Prometheus text) and its config.toml, as the relayer supervision reads
//! them.

use crate::collect::transport::prometheus;

/// Parse `text` as telemetry and as a relayer configuration; none may panic.
#[doc(hidden)]
pub fn telemetry_and_config(text: &str, chain_id: &str) {
    let samples = prometheus::parse(text);
    let _ = super::telemetry::paths(&samples, chain_id);
    let counters = super::telemetry::client_counters(&samples, chain_id);
    let mut clients = super::clients::ClientUpdates::default();
    clients.observe(&counters, 1_000);
    clients.observe(&counters, 2_000);
    let _ = clients.expiry(chain_id, u64::MAX);
    let _ = super::config::parse(text, chain_id);
    let _ = super::duration::millis(text);
}
