//! Recorded metrics pages of real node software (tests/data/metrics, shapes
//! and names from each project's source, see its README) read into node
//! figures: every figure the platform serves is found, every one it does
//! not serve is absent, and a page cut short or bent is refused whole.

use chain_agent::collect::metrics::{Exporter, Limits, NodeMetrics, NodeRates, Page, exposition};
use std::time::{Duration, Instant};

fn page(rel: &str) -> Page {
    let path = format!("{}/tests/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    exposition::parse(&text, &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn geth_page() {
    let p = page("metrics/geth.txt");
    let m = NodeMetrics::from_page(&p);
    assert_eq!(m.exporter, Exporter::Geth);
    assert_eq!(m.cpu_seconds_total, Some(5312.48));
    assert_eq!(m.peers, Some(25));
    assert_eq!(m.tx_pool_size, Some(143 + 12));
    assert_eq!(m.block_height, Some(1_843_210));
    assert_eq!(m.best_known_block, Some(1_843_225));
    assert_eq!(m.blocks_behind(), Some(15));
    // geth serves none of these: absent, never 0.
    assert_eq!(
        (
            m.resident_memory_bytes,
            m.open_fds,
            m.max_fds,
            m.start_time_seconds
        ),
        (None, None, None, None)
    );
    assert_eq!((m.peer_limit, m.syncing), (None, None));
    // The info gauge's label value holds a comma: read whole.
    let info = p
        .named("geth_info")
        .next()
        .and_then(|s| s.label("protocols"));
    assert_eq!(info, Some("eth/68,eth/69"));
    let q = p.named("chain_inserts").filter_map(|s| s.label("quantile"));
    assert_eq!(q.collect::<Vec<_>>(), ["0.50", "0.95", "0.99"]);
}

#[test]
fn besu_page() {
    let m = NodeMetrics::from_page(&page("metrics/besu.txt"));
    assert_eq!(m.exporter, Exporter::Besu);
    assert_eq!(m.cpu_seconds_total, Some(8123.41));
    assert_eq!(m.resident_memory_bytes, Some(5_368_709_120));
    assert_eq!((m.open_fds, m.max_fds), (Some(612), Some(1_048_576)));
    assert_eq!(m.start_time_seconds, Some(1.796112e9));
    assert_eq!((m.peers, m.peer_limit), (Some(19), Some(25)));
    assert_eq!(m.tx_pool_size, Some(61 + 20 + 7));
    assert_eq!(m.block_height, Some(2_103_441));
    assert_eq!(m.blocks_behind(), Some(59));
    assert_eq!(m.syncing, Some(true), "besu_synchronizer_in_sync 0");
}

#[test]
fn cometbft_page() {
    let m = NodeMetrics::from_page(&page("metrics/cometbft.txt"));
    assert_eq!(m.exporter, Exporter::CometBft);
    assert_eq!(m.cpu_seconds_total, Some(412.73));
    assert_eq!(m.resident_memory_bytes, Some(143_147_008));
    assert_eq!((m.open_fds, m.max_fds), (Some(58), Some(1_048_576)));
    assert_eq!((m.peers, m.tx_pool_size), (Some(3), Some(4)));
    assert_eq!(m.block_height, Some(9812));
    assert_eq!(m.syncing, Some(false));
    assert_eq!((m.best_known_block, m.peer_limit), (None, None));
}

#[test]
fn fabric_peer_page() {
    let m = NodeMetrics::from_page(&page("recorded/fabric/peer0/metrics.txt"));
    assert_eq!(m.exporter, Exporter::Fabric);
    assert_eq!((m.block_height, m.peers), (Some(42), Some(1)));
    assert_eq!((m.tx_pool_size, m.syncing), (None, None));
}

/// Two scrapes of the Besu page, the second with the CPU counter 1.5 s
/// later after 3 s: 50 % of one core.
#[test]
fn cpu_percent_from_two_recorded_scrapes() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/metrics/besu.txt"
    ))
    .unwrap_or_default();
    let later = text.replace(
        "process_cpu_seconds_total 8123.41",
        "process_cpu_seconds_total 8124.91",
    );
    assert_ne!(text, later);
    let t0 = Instant::now();
    let mut rates = NodeRates::default();
    let parse = |t: &str| exposition::parse(t, &Limits::default()).unwrap_or_default();
    let mut a = NodeMetrics::from_page(&parse(&text));
    rates.update(&mut a, t0);
    let mut b = NodeMetrics::from_page(&parse(&later));
    rates.update(&mut b, t0 + Duration::from_secs(3));
    assert_eq!(a.cpu_percent, None);
    let pct = b.cpu_percent.unwrap_or(-1.0);
    assert!((pct - 50.0).abs() < 1e-6, "{pct}");
}

/// A page cut in the middle of a label set, or with a line that is not
/// exposition, is refused whole, with the line.
#[test]
fn damaged_recorded_pages_are_refused() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/metrics/geth.txt"
    ))
    .unwrap_or_default();
    let cut = &text[..text.find("quantile=\"0.95").unwrap_or(0) + 12];
    let e = exposition::parse(cut, &Limits::default()).err();
    assert!(e.is_some_and(|e| e.line > 1), "a cut page was accepted");
    let bent = text.replace("p2p_peers 25", "p2p_peers twenty-five");
    assert!(exposition::parse(&bent, &Limits::default()).is_err());
}
