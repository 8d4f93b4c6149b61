//! The remote-node scraper against a real Prometheus node exporter
//! (Debian's `prometheus-node-exporter`, installed by `bash tools/setup`),
//! started here on a loopback port with a temporary textfile directory.
//! It stands for both of a node's sources: as `host-exporter` its host
//! figures are compared with /proc and statvfs, and as `metrics-endpoint`
//! its own process figures (client_golang's process collector) with
//! /proc/PID of the exporter itself.
//!
//! Tolerances, and why:
//! - memory total, cores, filesystem size, max fds: exact (fixed while the
//!   test runs);
//! - memory available: 5 % of total (other processes allocate meanwhile);
//! - CPU seconds and interface byte counters: between a /proc reading just
//!   before and one just after the scrape (counters only grow);
//! - filesystem free space: 1 % of the size (other builds write meanwhile);
//! - host CPU percent: within 15 points of /proc/stat over the same two
//!   seconds (the windows differ by the scrape's latency on a shared host);
//! - the exporter's resident memory: within 25 % of /proc/PID/status VmRSS
//!   read right after (Go's heap moves between the two readings);
//! - its open fds: within 3 of /proc/PID/fd (the scrape's own socket).

#[path = "common/exporter.rs"]
mod exporter;
#[path = "common/tls.rs"]
mod tls;

use chain_agent::collect::metrics::{Exporter, Limits, MetricsSource, NodeResourceScraper};
use chain_agent::config::{AuthConfig, MetricsSourceConfig, NodeConfig, TlsConfig};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use exporter::start;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn source(url: String) -> MetricsSourceConfig {
    MetricsSourceConfig {
        url,
        auth: None,
        tls: None,
    }
}

/// Clock ticks per second of /proc/stat and /proc/PID/stat (USER_HZ).
const HZ: f64 = 100.0;

/// Sum of user..steal over the per-CPU lines of /proc/stat, in seconds,
/// and the busy part (all but idle and iowait); the number of CPUs.
fn proc_cpu() -> (f64, f64, u32) {
    let text = std::fs::read_to_string("/proc/stat").expect("/proc/stat");
    let (mut total, mut busy, mut cpus) = (0.0, 0.0, 0);
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let Some(name) = f.next() else { continue };
        if !name.starts_with("cpu") || name == "cpu" {
            continue;
        }
        cpus += 1;
        let v: Vec<f64> = f.take(8).map(|x| x.parse().unwrap_or(0.0)).collect();
        total += v.iter().sum::<f64>() / HZ;
        busy += (v.iter().sum::<f64>() - v[3] - v[4]) / HZ;
    }
    (total, busy, cpus)
}

fn meminfo_kb(key: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").expect("/proc/meminfo");
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("{key} in /proc/meminfo"))
}

/// Received and sent bytes of every interface in /proc/net/dev.
fn net_dev() -> std::collections::BTreeMap<String, (u64, u64)> {
    let text = std::fs::read_to_string("/proc/net/dev").expect("/proc/net/dev");
    text.lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(':')?;
            let f: Vec<u64> = rest
                .split_whitespace()
                .map(|x| x.parse().unwrap_or(0))
                .collect();
            Some((name.trim().to_string(), (*f.first()?, *f.get(8)?)))
        })
        .collect()
}

/// utime + stime of a PID, in seconds.
fn pid_cpu(pid: u32) -> f64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    let after = &text[text.rfind(')').expect("comm") + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of proc(5); `after` starts at field 3.
    (f[11].parse::<f64>().expect("utime") + f[12].parse::<f64>().expect("stime")) / HZ
}

fn pid_rss_bytes(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    text.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .expect("VmRSS")
        * 1024
}

fn pid_max_fds(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("limits");
    text.lines()
        .find_map(|l| l.strip_prefix("Max open files"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("Max open files")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_and_process_figures_match_proc() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Our own textfile directory: the marker proves the exporter reads it
    // and not the system's /var/lib/prometheus/node-exporter.
    std::fs::write(
        dir.path().join("marker.prom"),
        "chain_agent_test_marker 42\n",
    )
    .expect("marker");
    let port = free_port();
    let exporter = start(dir.path(), port, &[]);
    let pid = exporter.0.id();
    let url = format!("http://127.0.0.1:{port}/metrics");

    let marker = MetricsSource::new(
        &source(url.clone()),
        Duration::from_secs(5),
        Limits::default(),
    )
    .expect("source")
    .scrape()
    .await
    .expect("scrape");
    assert_eq!(marker.first("chain_agent_test_marker"), Some(42.0));

    let node = NodeConfig {
        metrics_endpoint: Some(source(url.clone())),
        host_exporter: Some(source(url)),
        ..Default::default()
    };
    let mut scraper = NodeResourceScraper::new(&node, Duration::from_secs(5)).expect("scraper");
    assert!(!scraper.is_empty());

    let (before_total, before_busy, cpus) = proc_cpu();
    let net_before = net_dev();
    let pid_cpu_before = pid_cpu(pid);
    let first = scraper.poll().await;
    let (after_total, after_busy, _) = proc_cpu();
    let net_after = net_dev();
    let pid_cpu_after = pid_cpu(pid);
    let rss_after = pid_rss_bytes(pid);
    let fds_after = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("fd")
        .count() as u64;

    let host = first
        .host
        .as_ref()
        .expect("configured")
        .as_ref()
        .expect("host scrape");
    assert_eq!(host.cores, Some(cpus), "cores");
    assert_eq!(host.memory_total_bytes, Some(meminfo_kb("MemTotal") * 1024));
    let avail = host.memory_available_bytes.expect("MemAvailable") as f64;
    let avail_proc = (meminfo_kb("MemAvailable") * 1024) as f64;
    let total = (meminfo_kb("MemTotal") * 1024) as f64;
    assert!(
        (avail - avail_proc).abs() < 0.05 * total,
        "available {avail} vs {avail_proc}"
    );
    let t = host.cpu_times.expect("cpu times");
    let slack = 0.02 * f64::from(cpus);
    assert!(
        t.total_seconds >= before_total - slack && t.total_seconds <= after_total + slack,
        "cpu total {} not within [{before_total}, {after_total}]",
        t.total_seconds
    );
    assert!(
        t.busy_seconds >= before_busy - slack && t.busy_seconds <= after_busy + slack,
        "cpu busy {} not within [{before_busy}, {after_busy}]",
        t.busy_seconds
    );
    assert_eq!(host.cpu_percent, None, "no rate from one scrape");
    // The exporter leaves some interfaces out (lo in 1.5); every one it
    // lists is bracketed by /proc/net/dev before and after.
    assert!(!host.interfaces.is_empty(), "no interface listed");
    for i in &host.interfaces {
        let (Some(b), Some(a)) = (net_before.get(&i.name), net_after.get(&i.name)) else {
            continue;
        };
        let (rx, tx) = (i.rx_bytes_total.expect("rx"), i.tx_bytes_total.expect("tx"));
        assert!(
            rx >= b.0 && rx <= a.0,
            "{} rx {rx} not within {b:?}..{a:?}",
            i.name
        );
        assert!(
            tx >= b.1 && tx <= a.1,
            "{} tx {tx} not within {b:?}..{a:?}",
            i.name
        );
    }
    assert!(!host.filesystems.is_empty(), "no filesystem listed");
    for fs in &host.filesystems {
        let Ok(st) = rustix::fs::statvfs(fs.mountpoint.as_str()) else {
            continue;
        };
        // node_exporter multiplies by f_bsize (filesystem_linux.go); the
        // size is f_frsize units. Equal on ext4 and xfs; either is exact.
        let size = st.f_blocks * st.f_frsize;
        let by_bsize = st.f_blocks * st.f_bsize;
        assert!(
            fs.size_bytes == Some(size) || fs.size_bytes == Some(by_bsize),
            "size of {}: {:?} vs {size} or {by_bsize}",
            fs.mountpoint,
            fs.size_bytes
        );
        let avail = fs.avail_bytes.expect("avail") as f64;
        let unit = if fs.size_bytes == Some(size) {
            st.f_frsize
        } else {
            st.f_bsize
        };
        let avail_now = (st.f_bavail * unit) as f64;
        assert!(
            (avail - avail_now).abs() <= 0.01 * size as f64,
            "avail of {}: {avail} vs {avail_now}",
            fs.mountpoint
        );
    }

    let proc_figures = first
        .node
        .as_ref()
        .expect("configured")
        .as_ref()
        .expect("node scrape");
    assert_eq!(proc_figures.exporter, Exporter::Other);
    let cpu = proc_figures.cpu_seconds_total.expect("process cpu");
    assert!(
        cpu >= pid_cpu_before - 0.02 && cpu <= pid_cpu_after + 0.02,
        "exporter cpu {cpu} not within [{pid_cpu_before}, {pid_cpu_after}]"
    );
    let rss = proc_figures.resident_memory_bytes.expect("rss") as f64;
    assert!(
        (rss - rss_after as f64).abs() <= 0.25 * rss_after as f64,
        "rss {rss} vs VmRSS {rss_after}"
    );
    let fds = proc_figures.open_fds.expect("open fds");
    assert!(
        fds.abs_diff(fds_after) <= 3,
        "open fds {fds} vs {fds_after}"
    );
    assert_eq!(proc_figures.max_fds, Some(pid_max_fds(pid)));
    assert!(proc_figures.start_time_seconds.is_some());
    assert_eq!(proc_figures.peers, None, "an exporter has no peers");
    assert_eq!(
        first.node_memory_percent_of_host().map(|p| p > 0.0),
        Some(true)
    );

    // A second scrape two seconds later gives the rates.
    std::thread::sleep(Duration::from_secs(2));
    let second = scraper.poll().await;
    let (total2, busy2, _) = proc_cpu();
    let host2 = second
        .host
        .as_ref()
        .expect("configured")
        .as_ref()
        .expect("host scrape");
    let pct = host2.cpu_percent.expect("cpu percent from two scrapes");
    let proc_pct = (busy2 - after_busy) / (total2 - after_total) * 100.0;
    assert!((0.0..=100.0).contains(&pct), "{pct}");
    assert!(
        (pct - proc_pct).abs() <= 15.0,
        "cpu {pct} % vs /proc/stat {proc_pct} %"
    );
    for i in &host2.interfaces {
        let rates = (i.rx_bytes_per_second, i.tx_bytes_per_second);
        assert!(
            matches!(rates, (Some(rx), Some(tx)) if rx >= 0.0 && tx >= 0.0),
            "{}: {rates:?}",
            i.name
        );
    }
    let node2 = second
        .node
        .as_ref()
        .expect("configured")
        .as_ref()
        .expect("node scrape");
    assert!(
        node2.cpu_percent.is_some_and(|p| p >= 0.0),
        "{:?}",
        node2.cpu_percent
    );
    assert!(second.node_cpu_percent_of_host().is_some());
    drop(exporter);
}

/// An exporter that is not there: an unreachable error per source, no
/// figures, and no panic; a page that is not Prometheus text: a parse
/// error naming the URL.
#[tokio::test]
async fn an_absent_or_wrong_endpoint_gives_errors_not_figures() {
    let port = free_port();
    let node = NodeConfig {
        host_exporter: Some(source(format!("http://127.0.0.1:{port}/metrics"))),
        ..Default::default()
    };
    let mut scraper = NodeResourceScraper::new(&node, Duration::from_secs(2)).expect("scraper");
    let r = scraper.poll().await;
    assert!(r.node.is_none(), "not configured");
    let e = r.host.expect("configured").expect_err("nothing listens");
    assert!(e.is_unreachable(), "{e}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let body = "<html>not metrics</html>\n";
            let _ = s
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
    });
    let src = MetricsSource::new(
        &source(format!("http://127.0.0.1:{port}/metrics")),
        Duration::from_secs(2),
        Limits::default(),
    )
    .expect("source");
    let e = src.scrape().await.expect_err("HTML is no exposition");
    assert!(e.to_string().contains("not Prometheus text"), "{e}");
    let small = MetricsSource::new(
        &source(format!("http://127.0.0.1:{port}/metrics")),
        Duration::from_secs(2),
        Limits {
            max_body_bytes: 8,
            ..Limits::default()
        },
    )
    .expect("source");
    let e = small.scrape().await.expect_err("body over the bound");
    assert!(e.to_string().contains("larger than 8 octets"), "{e}");
}

/// A bcrypt hash of `password` for the exporter's web configuration, made
/// with the venv's bcrypt (installed by `bash tools/setup`).
fn bcrypt(password: &str) -> String {
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python3");
    let out = Command::new(&python)
        .args([
            "-c",
            "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(rounds=4)).decode())",
            password,
        ])
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}: run `bash tools/setup`", python.display()));
    assert!(
        out.status.success(),
        "bcrypt: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The exporter behind mutual TLS and basic authentication (its
/// `--web.config.file`): the source's `tls` and `auth` are what get the
/// page, exactly as for a node's RPC; without the client certificate or
/// with a wrong password there are errors and no figures.
#[tokio::test]
async fn tls_and_basic_auth_apply_to_a_metrics_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    tls::make_certificates(dir.path());
    let web = format!(
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  \
         client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n\
         basic_auth_users:\n  scraper: '{}'\n",
        bcrypt("s3cret-pw")
    );
    std::fs::write(dir.path().join("web.yml"), web).expect("web config");
    let port = free_port();
    // Relative paths in web.yml are taken from the file's directory.
    let _exporter = start(
        dir.path(),
        port,
        &[format!(
            "--web.config.file={}",
            dir.path().join("web.yml").display()
        )],
    );
    let path = |f: &str| Some(dir.path().join(f));
    let tls = TlsConfig {
        ca_file: path("ca.crt"),
        cert_file: path("client.crt"),
        key_file: path("client.key"),
    };
    let auth = |pw: &str| AuthConfig {
        username: Some("scraper".into()),
        password: Some(pw.into()),
        ..Default::default()
    };
    let url = format!("https://127.0.0.1:{port}/metrics");
    let scrape = |tls: Option<TlsConfig>, auth: Option<AuthConfig>| {
        let config = MetricsSourceConfig {
            url: url.clone(),
            auth,
            tls,
        };
        async move {
            MetricsSource::new(&config, Duration::from_secs(5), Limits::default())
                .expect("source")
                .scrape()
                .await
        }
    };
    let page = scrape(Some(tls.clone()), Some(auth("s3cret-pw")))
        .await
        .expect("scrape over mutual TLS with basic auth");
    assert!(page.first("node_memory_MemTotal_bytes").is_some());

    let e = scrape(Some(tls.clone()), Some(auth("wrong")))
        .await
        .expect_err("wrong password");
    assert!(e.to_string().contains("HTTP 401"), "{e}");
    assert!(!e.to_string().contains("wrong"), "the password leaked: {e}");

    let no_client_cert = TlsConfig {
        cert_file: None,
        key_file: None,
        ..tls
    };
    let e = scrape(Some(no_client_cert), Some(auth("s3cret-pw")))
        .await
        .expect_err("no client certificate");
    assert!(!e.to_string().contains("HTTP 200"), "{e}");

    let e = scrape(None, Some(auth("s3cret-pw")))
        .await
        .expect_err("the exporter's CA is not trusted");
    assert!(e.is_unreachable(), "{e}");
}
