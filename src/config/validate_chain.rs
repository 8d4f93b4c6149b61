//! Checks for what a chain asks of its platform's adapter: endpoints and
//! credentials of real nodes, and the southbound settings (votes, log
//! configuration, contracts, relayer) that only some platforms can honour.
//! A setting the platform cannot apply is refused here, at commit, with
//! its path, rather than failing later in the adapter.

use super::path::ConfigPath;
use super::schema::*;
use super::source::ConfigIssue;
use super::validate::{issue, range_u64};
use crate::model::chain::Platform;
use crate::model::platform::Capabilities;

/// Checks that hold for every chain, simulated or real.
pub(super) fn check_southbound(
    key: &ConfigPath,
    chain: &ChainConfig,
    caps: &Capabilities,
    out: &mut Vec<ConfigIssue>,
) {
    let platform = chain.platform.as_str();
    let unsupported = format!("not supported by the {platform} platform");
    range_u64(out, key.with("reorg-depth"), chain.reorg_depth, 0, 1000);
    range_u64(
        out,
        key.with("rpc-timeout-ms"),
        chain.rpc_timeout_ms,
        100,
        120_000,
    );
    if !chain.validator_votes.is_empty() && !caps.validator_votes {
        issue(out, key.with("validator-votes"), unsupported.clone());
    }
    for address in chain.validator_votes.keys() {
        check_address(
            out,
            &key.with("validator-votes").then(address),
            chain.platform,
            address,
        );
    }
    if !chain.contracts.is_empty() && !caps.contracts {
        issue(out, key.with("contracts"), unsupported.clone());
    }
    for (address, c) in &chain.contracts {
        let ckey = key.with("contracts").then(address);
        check_address(out, &ckey, chain.platform, address);
        for s in &c.signatories {
            check_address(out, &ckey.with("signatories"), chain.platform, s);
        }
    }
    if !chain.channels.is_empty() && !caps.channel_parameters {
        issue(out, key.with("channels"), unsupported.clone());
    }
    if let Some(r) = &chain.relayer {
        let rkey = key.with("relayer");
        if !caps.relayer {
            issue(out, rkey.clone(), unsupported.clone());
        }
        if r.telemetry.is_empty() {
            issue(out, rkey.with("telemetry"), "must not be empty");
        }
        if r.chain_id.is_empty() {
            issue(out, rkey.with("chain-id"), "must not be empty");
        }
    }
    for (node, n) in &chain.nodes {
        let nkey = key.with("nodes").then(node);
        if let Some(spec) = &n.log_spec {
            if !caps.log_levels {
                issue(out, nkey.with("log-spec"), unsupported.clone());
            } else if spec.trim().is_empty() || spec.len() > super::validate::MIB_TEXT_MAX {
                issue(
                    out,
                    nkey.with("log-spec"),
                    "1 to 255 octets (SNMP carries no more)",
                );
            }
        }
        if let Some(a) = &n.auth {
            check_auth(out, &nkey.with("auth"), a);
        }
        for (path, field) in [(&n.pid_file, "pid-file"), (&n.data_dir, "data-dir")] {
            if let Some(p) = path {
                check_local_path(out, nkey.with(field), p);
            }
        }
        if let Some(t) = &n.tls
            && t.cert_file.is_some() != t.key_file.is_some()
        {
            issue(
                out,
                nkey.with("tls"),
                "a client certificate needs both cert-file and key-file",
            );
        }
        for (field, source) in [
            ("metrics-endpoint", &n.metrics_endpoint),
            ("host-exporter", &n.host_exporter),
        ] {
            if let Some(m) = source {
                check_metrics_source(out, &nkey.with(field), m);
            }
        }
    }
}

/// A Prometheus endpoint to scrape: a full http(s) URL without
/// credentials (they belong in `auth`), and the RPC's auth and TLS rules.
fn check_metrics_source(out: &mut Vec<ConfigIssue>, key: &ConfigPath, m: &MetricsSourceConfig) {
    let url = m.url.as_str();
    if has_userinfo(url) {
        issue(
            out,
            key.with("url"),
            "no credentials in the URL: set them under auth",
        );
    } else if !(url.starts_with("http://") || url.starts_with("https://")) || !valid_endpoint(url) {
        issue(
            out,
            key.with("url"),
            "an http:// or https:// URL, e.g. http://10.0.0.5:9100/metrics",
        );
    } else {
        super::validate::mib_text(out, key.with("url"), url);
    }
    if let Some(a) = &m.auth {
        check_auth(out, &key.with("auth"), a);
    }
    if let Some(t) = &m.tls
        && t.cert_file.is_some() != t.key_file.is_some()
    {
        issue(
            out,
            key.with("tls"),
            "a client certificate needs both cert-file and key-file",
        );
    }
}

/// Checks for a chain of real nodes.
pub(super) fn check_real_chain(key: &ConfigPath, chain: &ChainConfig, out: &mut Vec<ConfigIssue>) {
    if chain.simulation.is_some() {
        issue(
            out,
            key.with("simulation"),
            "only a simulated chain has a simulation section",
        );
    }
    if chain.nodes.is_empty() {
        issue(
            out,
            key.with("nodes"),
            "a chain of real nodes needs at least one node with an endpoint",
        );
    }
    for (node, n) in &chain.nodes {
        let nkey = key.with("nodes").then(node);
        if !super::validate::valid_name(node) {
            issue(
                out,
                nkey.clone(),
                "a node name is 1 to 32 letters, digits, '-', '_' or '.'",
            );
        }
        match &n.endpoint {
            None => issue(out, nkey.with("endpoint"), "required for a real node"),
            // Credentials in the URL would be printed with every
            // transport error; they belong in `auth`.
            Some(e) if has_userinfo(e) => issue(
                out,
                nkey.with("endpoint"),
                "no credentials in the URL: set them under auth",
            ),
            Some(e) if !valid_endpoint(e) => issue(
                out,
                nkey.with("endpoint"),
                "an http:// or https:// URL, or host:port",
            ),
            Some(e) => super::validate::mib_text(out, nkey.with("endpoint"), e),
        }
    }
}

/// A node's `pid-file` or `data-dir`: an absolute path (the agent's
/// working directory is no place to guess from), at most 255 octets.
fn check_local_path(out: &mut Vec<ConfigIssue>, key: ConfigPath, p: &std::path::Path) {
    let text = p.as_os_str().as_encoded_bytes();
    if !p.is_absolute() {
        issue(out, key, "an absolute path");
    } else if text.len() > super::validate::MIB_TEXT_MAX {
        issue(out, key, "at most 255 octets");
    }
}

fn check_auth(out: &mut Vec<ConfigIssue>, key: &ConfigPath, a: &AuthConfig) {
    let kinds = [
        a.username.is_some() || a.password.is_some(),
        a.cookie_file.is_some(),
        a.bearer_token.is_some(),
    ];
    match kinds.iter().filter(|k| **k).count() {
        0 => issue(
            out,
            key,
            "give username and password, cookie-file or bearer-token",
        ),
        1 => {}
        _ => issue(
            out,
            key,
            "only one of username/password, cookie-file and bearer-token",
        ),
    }
    if a.password.is_some() && a.username.is_none() {
        issue(out, key.with("username"), "a password needs a username");
    }
}

/// An Ethereum address is 0x and 40 hex digits; other platforms name
/// members their own way and are not checked.
fn check_address(out: &mut Vec<ConfigIssue>, key: &ConfigPath, platform: Platform, a: &str) {
    if platform == Platform::Ethereum
        && !(a.len() == 42 && a.starts_with("0x") && a[2..].chars().all(|c| c.is_ascii_hexdigit()))
    {
        issue(
            out,
            key,
            format!("'{a}' is not an address (0x and 40 hex digits)"),
        );
    }
}

/// Whether the URL's authority carries `user:password@`.
fn has_userinfo(e: &str) -> bool {
    let rest = e.split_once("://").map_or(e, |(_, r)| r);
    rest.split('/')
        .next()
        .is_some_and(|authority| authority.contains('@'))
}

fn valid_endpoint(e: &str) -> bool {
    let rest = e
        .strip_prefix("http://")
        .or_else(|| e.strip_prefix("https://"))
        .unwrap_or(e);
    if rest.is_empty() || e.contains(char::is_whitespace) {
        return false;
    }
    if e.contains("://") && !e.starts_with("http://") && !e.starts_with("https://") {
        return false;
    }
    let host_port = rest.split('/').next().unwrap_or("");
    match host_port.rsplit_once(':') {
        Some((host, port)) => !host.is_empty() && port.parse::<u16>().is_ok(),
        None => e.contains("://") && !host_port.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        for ok in [
            "http://127.0.0.1:8545",
            "https://node.example:443/rpc",
            "127.0.0.1:9332",
            "https://node.example",
        ] {
            assert!(valid_endpoint(ok), "{ok}");
        }
        for bad in ["", "ftp://x:1", "node", "http://", "host:port", "a b:1"] {
            assert!(!valid_endpoint(bad), "{bad}");
        }
    }

    #[test]
    fn credentials_in_an_endpoint_url_are_refused() {
        let mut chain = ChainConfig::new(Platform::Ethereum);
        for (endpoint, refused) in [
            ("http://user:secret@127.0.0.1:8545", true),
            ("user:secret@127.0.0.1:8545", true),
            ("http://127.0.0.1:8545/rpc@v1", false),
        ] {
            chain.nodes.insert(
                "n".into(),
                NodeConfig {
                    endpoint: Some(endpoint.into()),
                    ..Default::default()
                },
            );
            let mut out = Vec::new();
            check_real_chain(&ConfigPath::from("chains.c"), &chain, &mut out);
            assert_eq!(
                out.iter()
                    .any(|i| i.to_string().contains("no credentials in the URL")),
                refused,
                "{endpoint}: {out:?}"
            );
        }
    }

    #[test]
    fn metrics_sources_are_checked_like_rpc_endpoints() {
        let caps = crate::model::platform::capabilities(Platform::Ethereum);
        for (url, auth, tls, problem) in [
            (
                "http://10.0.0.5:6060/debug/metrics/prometheus",
                None,
                None,
                None,
            ),
            ("https://h.example/metrics", None, None, None),
            ("10.0.0.5:9100", None, None, Some("metrics-endpoint.url")),
            (
                "ftp://h:1/metrics",
                None,
                None,
                Some("metrics-endpoint.url"),
            ),
            (
                "http://u:p@h:9100/metrics",
                None,
                None,
                Some("no credentials"),
            ),
            (
                "http://h:9100 /metrics",
                None,
                None,
                Some("metrics-endpoint.url"),
            ),
            (
                "http://h:9100/metrics",
                Some(AuthConfig::default()),
                None,
                Some("metrics-endpoint.auth"),
            ),
            (
                "http://h:9100/metrics",
                None,
                Some(TlsConfig {
                    cert_file: Some("/c".into()),
                    ..Default::default()
                }),
                Some("metrics-endpoint.tls"),
            ),
        ] {
            let mut chain = ChainConfig::new(Platform::Ethereum);
            chain.nodes.insert(
                "n".into(),
                NodeConfig {
                    endpoint: Some("http://127.0.0.1:8545".into()),
                    metrics_endpoint: Some(MetricsSourceConfig {
                        url: url.into(),
                        auth,
                        tls,
                    }),
                    ..Default::default()
                },
            );
            let mut out = Vec::new();
            check_southbound(&ConfigPath::from("chains.c"), &chain, &caps, &mut out);
            match problem {
                None => assert!(out.is_empty(), "{url}: {out:?}"),
                Some(p) => assert!(
                    out.iter().any(|i| i.to_string().contains(p)),
                    "{url}: expected {p} in {out:?}"
                ),
            }
        }
    }

    #[test]
    fn auth_needs_exactly_one_kind() {
        let mut out = Vec::new();
        check_auth(&mut out, &ConfigPath::from("k"), &AuthConfig::default());
        assert_eq!(out.len(), 1);
        out.clear();
        let both = AuthConfig {
            username: Some("u".into()),
            password: Some("p".into()),
            bearer_token: Some("t".into()),
            ..Default::default()
        };
        check_auth(&mut out, &ConfigPath::from("k"), &both);
        assert_eq!(out.len(), 1);
        out.clear();
        let cookie = AuthConfig {
            cookie_file: Some("/x".into()),
            ..Default::default()
        };
        check_auth(&mut out, &ConfigPath::from("k"), &cookie);
        assert!(out.is_empty());
    }

    #[test]
    fn credentials_are_redacted_in_debug_output() {
        let a = AuthConfig {
            username: Some("rpcuser".into()),
            password: Some("s3cret-pw".into()),
            bearer_token: Some("tok-123".into()),
            ..Default::default()
        };
        let s = format!("{a:?}");
        assert!(!s.contains("s3cret-pw") && !s.contains("tok-123"), "{s}");
        assert!(s.contains("rpcuser"));
    }
}
