//! Prometheus text exposition as Fabric's operations service and Hermes'
//! telemetry serve it, remote nodes' metrics pages and node exporters (the
//! strict reader of `collect::metrics`), and Hermes' config.toml: arbitrary
//! text never panics in parsing or in the readings taken from it.

#![no_main]

use chain_agent::collect::{fabric, hermes, metrics, transport::prometheus};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let samples = prometheus::parse(text);
    let _ = prometheus::sum(&samples, "hermes_backlog_size");
    fabric::fuzzing::metrics(text);
    hermes::fuzzing::telemetry_and_config(text, "ibc-0");
    metrics::fuzzing(text);
});
