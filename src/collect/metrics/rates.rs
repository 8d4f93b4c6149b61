//! Rates from counters: a scrape gives totals since a process or a host
//! started; percent and bytes per second are differences between two
//! scrapes of the same endpoint. One small state per endpoint keeps the
//! previous sample. A rate that cannot be computed (first scrape, a counter
//! that went backwards because the process or host restarted, no time
//! elapsed) is absent, never 0.

use super::host::{CpuTimes, HostMetrics};
use super::node::NodeMetrics;
use std::collections::BTreeMap;
use std::time::Instant;

/// The previous scrape of a node's metrics page.
#[derive(Debug, Default)]
pub struct NodeRates {
    prev: Option<(Instant, f64, Option<f64>)>,
}

impl NodeRates {
    /// Fill `m.cpu_percent` from the CPU seconds of this scrape (taken at
    /// `at`) and the previous one, and keep this one.
    pub fn update(&mut self, m: &mut NodeMetrics, at: Instant) {
        let Some(cpu) = m.cpu_seconds_total else {
            self.prev = None;
            m.cpu_percent = None;
            return;
        };
        m.cpu_percent = self.prev.and_then(|(t, prev_cpu, prev_start)| {
            // A new start time is a new process: its counter began again.
            if prev_start.is_some()
                && m.start_time_seconds.is_some()
                && prev_start != m.start_time_seconds
            {
                return None;
            }
            let dt = at.checked_duration_since(t)?.as_secs_f64();
            (dt > 0.0 && cpu >= prev_cpu).then(|| (cpu - prev_cpu) / dt * 100.0)
        });
        self.prev = Some((at, cpu, m.start_time_seconds));
    }
}

/// The previous scrape of a node exporter.
#[derive(Debug, Default)]
pub struct HostRates {
    prev_cpu: Option<(Option<u32>, CpuTimes)>,
    prev_net: BTreeMap<String, (Option<u64>, Option<u64>)>,
    prev_at: Option<Instant>,
}

/// Per-second rate of a counter; absent when it went backwards (reboot,
/// interface re-created) or either reading is missing.
fn per_second(prev: Option<u64>, now: Option<u64>, dt: f64) -> Option<f64> {
    let d = now?.checked_sub(prev?)?;
    (dt > 0.0).then(|| d as f64 / dt)
}

impl HostRates {
    /// Fill the CPU percent and interface rates of `m` (scraped at `at`)
    /// from the previous scrape, and keep this one.
    pub fn update(&mut self, m: &mut HostMetrics, at: Instant) {
        m.cpu_percent = match (self.prev_cpu, m.cpu_times) {
            // A changed number of cores changes the totals' meaning.
            (Some((cores, prev)), Some(now)) if cores == m.cores => {
                let total = now.total_seconds - prev.total_seconds;
                let busy = now.busy_seconds - prev.busy_seconds;
                (total > 0.0 && busy >= 0.0).then(|| (busy / total * 100.0).min(100.0))
            }
            _ => None,
        };
        self.prev_cpu = m.cpu_times.map(|t| (m.cores, t));
        let dt = self
            .prev_at
            .and_then(|t| at.checked_duration_since(t))
            .map_or(0.0, |d| d.as_secs_f64());
        let mut net = BTreeMap::new();
        for i in &mut m.interfaces {
            if let Some((rx, tx)) = self.prev_net.get(&i.name) {
                i.rx_bytes_per_second = per_second(*rx, i.rx_bytes_total, dt);
                i.tx_bytes_per_second = per_second(*tx, i.tx_bytes_total, dt);
            }
            net.insert(i.name.clone(), (i.rx_bytes_total, i.tx_bytes_total));
        }
        self.prev_net = net;
        self.prev_at = Some(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::metrics::exposition::{Limits, parse};
    use std::time::Duration;

    fn node(text: &str) -> NodeMetrics {
        NodeMetrics::from_page(&parse(text, &Limits::default()).unwrap_or_default())
    }

    #[test]
    fn node_cpu_percent_needs_two_scrapes_and_restarts_reset_it() {
        let t0 = Instant::now();
        let mut r = NodeRates::default();
        let mut a = node("process_cpu_seconds_total 10\nprocess_start_time_seconds 100\n");
        r.update(&mut a, t0);
        assert_eq!(a.cpu_percent, None);
        let mut b = node("process_cpu_seconds_total 11.5\nprocess_start_time_seconds 100\n");
        r.update(&mut b, t0 + Duration::from_secs(2));
        assert_eq!(b.cpu_percent, Some(75.0));
        // Restarted: a new start time, a counter from zero.
        let mut c = node("process_cpu_seconds_total 0.25\nprocess_start_time_seconds 200\n");
        r.update(&mut c, t0 + Duration::from_secs(4));
        assert_eq!(c.cpu_percent, None);
        let mut d = node("process_cpu_seconds_total 0.75\nprocess_start_time_seconds 200\n");
        r.update(&mut d, t0 + Duration::from_secs(5));
        assert_eq!(d.cpu_percent, Some(50.0));
        // geth gives no start time: a counter that went back is a restart.
        let mut r = NodeRates::default();
        let mut e = node("system_cpu_procload_total 5\n");
        r.update(&mut e, t0);
        let mut f = node("system_cpu_procload_total 1\n");
        r.update(&mut f, t0 + Duration::from_secs(1));
        assert_eq!(f.cpu_percent, None);
    }

    #[test]
    fn host_rates_from_two_scrapes() {
        let page = |idle: u32, user: u32, rx: u32| {
            let text = format!(
                "node_cpu_seconds_total{{cpu=\"0\",mode=\"idle\"}} {idle}\n\
                 node_cpu_seconds_total{{cpu=\"0\",mode=\"user\"}} {user}\n\
                 node_network_receive_bytes_total{{device=\"eth0\"}} {rx}\n\
                 node_network_transmit_bytes_total{{device=\"eth0\"}} 7\n"
            );
            HostMetrics::from_page(&parse(&text, &Limits::default()).unwrap_or_default())
        };
        let t0 = Instant::now();
        let mut r = HostRates::default();
        let mut a = page(100, 100, 1000);
        r.update(&mut a, t0);
        assert_eq!(a.cpu_percent, None);
        assert_eq!(a.interfaces[0].rx_bytes_per_second, None);
        let mut b = page(103, 101, 3000);
        r.update(&mut b, t0 + Duration::from_secs(2));
        assert_eq!(b.cpu_percent, Some(25.0));
        assert_eq!(b.interfaces[0].rx_bytes_per_second, Some(1000.0));
        assert_eq!(b.interfaces[0].tx_bytes_per_second, Some(0.0));
        // A counter that went back (host rebooted): absent, not 0.
        let mut c = page(1, 1, 10);
        r.update(&mut c, t0 + Duration::from_secs(3));
        assert_eq!(c.cpu_percent, None);
        assert_eq!(c.interfaces[0].rx_bytes_per_second, None);
    }
}
