//! Checks of the `[snmp]` section: every reference resolves, every key and
//! password has a usable length, and no target asks for more security
//! than its user can give.

use super::path::ConfigPath;
use super::schema::*;
use super::source::ConfigIssue;
use super::validate::{issue, parse_cidr, range_u64};
use std::net::SocketAddr;

pub(super) fn check_snmp(s: &SnmpConfig, out: &mut Vec<ConfigIssue>) {
    let mut bound: Vec<(usize, SocketAddr)> = Vec::new();
    for (i, addr) in s.listen.iter().enumerate() {
        let Ok(a) = addr.parse::<SocketAddr>() else {
            issue(
                out,
                ConfigPath::from("snmp.listen").at(i),
                format!("'{addr}' is not ADDRESS:PORT (IPv6 as [addr]:port)"),
            );
            continue;
        };
        if let Some((j, b)) = bound.iter().find(|(_, b)| clash(a, *b)) {
            let how = if a == *b {
                "is listed twice".to_string()
            } else {
                format!("overlaps '{b}'")
            };
            issue(
                out,
                ConfigPath::from("snmp.listen").at(i),
                format!("'{addr}' {how} (snmp.listen[{j}]): the second bind would fail"),
            );
        }
        bound.push((i, a));
    }
    if !s.engine_id.is_empty() {
        match hex_octets(&s.engine_id) {
            Some(b) if (5..=32).contains(&b.len()) => {}
            _ => issue(
                out,
                "snmp.engine-id",
                "an engine ID is 5 to 32 octets in hex",
            ),
        }
    }
    range_u64(
        out,
        "snmp.max-message-size",
        s.max_message_size.into(),
        484,
        65507,
    );
    // A community is a secret, and it is the key of its table: a report
    // names it by its position (in sorted order), never by itself.
    for (n, (name, c)) in s.communities.iter().enumerate() {
        let key = ConfigPath::from("snmp.communities").at(n);
        if name.is_empty() || name.len() > 32 {
            issue(out, key.clone(), "a community is 1 to 32 characters");
        }
        for (i, net) in c.sources.iter().enumerate() {
            if parse_cidr(net).is_none() {
                issue(
                    out,
                    key.with("sources").at(i),
                    format!("'{net}' is not a network such as 10.0.0.0/8"),
                );
            }
        }
        view_ref(s, out, &key.with("view"), &c.view);
    }
    for (name, u) in &s.users {
        check_user(s, name, u, out);
    }
    for (name, family) in &s.views {
        for (i, e) in family.iter().enumerate() {
            let key = ConfigPath::from("snmp.views").then(name).at(i);
            if crate::model::oid::Oid::parse(&e.subtree).is_none() {
                issue(
                    out,
                    key.with("subtree"),
                    format!("'{}' is not a dotted OID", e.subtree),
                );
            }
            if !e.mask.is_empty() && hex_octets(&e.mask).is_none_or(|m| m.len() > 16) {
                issue(out, key.with("mask"), "a mask is up to 16 octets in hex");
            }
        }
    }
    for (name, g) in &s.groups {
        let key = ConfigPath::from("snmp.groups").then(name);
        view_ref(s, out, &key.with("read-view"), &g.read_view);
        view_ref(s, out, &key.with("write-view"), &g.write_view);
        view_ref(s, out, &key.with("notify-view"), &g.notify_view);
    }
    for (name, t) in &s.targets {
        check_target(s, name, t, out);
    }
}

/// Whether two UDP listeners cannot both be bound: the same port (0, an
/// ephemeral port, never clashes) on the same address, or on an address
/// the other's wildcard already covers (`[::]` is dual-stack on Linux).
fn clash(a: SocketAddr, b: SocketAddr) -> bool {
    if a.port() != b.port() || a.port() == 0 {
        return false;
    }
    let covers =
        |w: SocketAddr, o: SocketAddr| w.ip().is_unspecified() && (w.is_ipv6() || o.is_ipv4());
    a.ip() == b.ip() || covers(a, b) || covers(b, a)
}

fn view_ref(s: &SnmpConfig, out: &mut Vec<ConfigIssue>, key: &ConfigPath, view: &Option<String>) {
    if let Some(v) = view
        && !s.views.contains_key(v)
    {
        issue(out, key, format!("no view '{v}' in snmp.views"));
    }
}

fn check_user(s: &SnmpConfig, name: &str, u: &UsmUserConfig, out: &mut Vec<ConfigIssue>) {
    let key = ConfigPath::from("snmp.users").then(name);
    if name.is_empty() || name.len() > 32 {
        issue(out, key.clone(), "a user name is 1 to 32 characters");
    }
    if !s.groups.contains_key(&u.group) {
        issue(
            out,
            key.with("group"),
            format!("no group '{}' in snmp.groups", u.group),
        );
    }
    let secret = |out: &mut Vec<ConfigIssue>,
                  what: &str,
                  enabled: bool,
                  password: &Option<String>,
                  hexkey: &Option<String>,
                  key_len: usize| {
        match (enabled, password, hexkey) {
            (false, None, None) => {}
            (false, _, _) => issue(
                out,
                key.clone().then(&format!("{what}-password")),
                format!("a {what} secret without a {what} algorithm"),
            ),
            (true, None, None) => issue(
                out,
                key.clone().then(&format!("{what}-password")),
                format!("{what} needs {what}-password or {what}-key"),
            ),
            (true, Some(_), Some(_)) => issue(
                out,
                key.clone().then(&format!("{what}-key")),
                format!("give {what}-password or {what}-key, not both"),
            ),
            (true, Some(p), None) => {
                if p.len() < 8 {
                    issue(
                        out,
                        key.clone().then(&format!("{what}-password")),
                        "a password is at least 8 characters (RFC 3414 §11.2)",
                    );
                }
            }
            (true, None, Some(k)) => {
                if hex_octets(k).map(|b| b.len()) != Some(key_len) {
                    issue(
                        out,
                        key.clone().then(&format!("{what}-key")),
                        format!("a localised key here is {key_len} octets in hex"),
                    );
                }
            }
        }
    };
    // A localised key is as long as the algorithm's digest.
    let auth_len = u.auth.key_len();
    secret(
        out,
        "auth",
        u.auth != AuthAlgorithm::None,
        &u.auth_password,
        &u.auth_key,
        auth_len,
    );
    if u.privacy != PrivAlgorithm::None && u.auth == AuthAlgorithm::None {
        issue(
            out,
            key.with("priv"),
            "privacy needs authentication (RFC 3414 §3.1.1)",
        );
    }
    // A localised privacy key is as long as the auth digest, and DES and
    // AES-128 need 16 octets of it: MD5 gives exactly 16.
    secret(
        out,
        "priv",
        u.privacy != PrivAlgorithm::None,
        &u.priv_password,
        &u.priv_key,
        auth_len,
    );
}

fn check_target(s: &SnmpConfig, name: &str, t: &TargetConfig, out: &mut Vec<ConfigIssue>) {
    let key = ConfigPath::from("snmp.targets").then(name);
    if t.address.parse::<SocketAddr>().is_err() {
        issue(
            out,
            key.with("address"),
            format!("'{}' is not ADDRESS:PORT", t.address),
        );
    }
    range_u64(out, key.with("timeout-ms"), t.timeout_ms, 10, 600_000);
    range_u64(out, key.with("retries"), t.retries.into(), 0, 20);
    match t.version {
        SnmpVersion::V2c => {
            if t.community.as_deref().is_none_or(str::is_empty) {
                issue(out, key.with("community"), "a v2c target needs a community");
            }
        }
        SnmpVersion::V3 => match t.user.as_ref().and_then(|u| s.users.get(u).map(|c| (u, c))) {
            None => issue(
                out,
                key.with("user"),
                "a v3 target needs a user from snmp.users",
            ),
            Some((u, c)) => {
                let level = match (c.auth, c.privacy) {
                    (AuthAlgorithm::None, _) => SecurityLevel::NoAuthNoPriv,
                    (_, PrivAlgorithm::None) => SecurityLevel::AuthNoPriv,
                    _ => SecurityLevel::AuthPriv,
                };
                if t.security_level > level {
                    issue(
                        out,
                        key.with("security-level"),
                        format!("user '{u}' cannot give {:?}", t.security_level),
                    );
                }
            }
        },
    }
}

/// Hex octets, with or without `:` separators and a `0x` prefix.
pub fn hex_octets(s: &str) -> Option<Vec<u8>> {
    let clean: String = s
        .trim()
        .trim_start_matches("0x")
        .chars()
        .filter(|c| *c != ':')
        .collect();
    hex::decode(clean).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen_issues(listen: &[&str]) -> Vec<String> {
        let s = SnmpConfig {
            listen: listen.iter().map(|a| a.to_string()).collect(),
            ..SnmpConfig::default()
        };
        let mut out = Vec::new();
        check_snmp(&s, &mut out);
        out.into_iter()
            .filter(|i| i.key.dotted().starts_with("snmp.listen"))
            .map(|i| format!("{}: {}", i.key, i.message))
            .collect()
    }

    #[test]
    fn a_listener_listed_twice_or_covered_by_a_wildcard_is_refused() {
        let twice = listen_issues(&["127.0.0.1:1161", "127.0.0.1:1162", "127.0.0.1:1161"]);
        assert_eq!(twice.len(), 1, "{twice:?}");
        assert!(
            twice[0]
                .starts_with("snmp.listen[2]: '127.0.0.1:1161' is listed twice (snmp.listen[0])")
        );
        assert_eq!(listen_issues(&["0.0.0.0:161", "10.0.0.1:161"]).len(), 1);
        assert_eq!(listen_issues(&["127.0.0.1:161", "[::]:161"]).len(), 1);
        assert_eq!(listen_issues(&["[::1]:161", "[::1]:161"]).len(), 1);
    }

    #[test]
    fn distinct_ports_families_and_ephemeral_ports_pass() {
        assert!(listen_issues(&["127.0.0.1:1161", "127.0.0.1:1162"]).is_empty());
        assert!(listen_issues(&["127.0.0.1:0", "127.0.0.1:0"]).is_empty());
        assert!(listen_issues(&["0.0.0.0:161", "[::1]:161"]).is_empty());
        assert!(listen_issues(&["127.0.0.1:161", "127.0.0.2:161"]).is_empty());
    }
}
