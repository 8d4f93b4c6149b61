//! Which parts of the configuration are secrets, in one place: the SNMP
//! communities (a community is the key of its table), the USM passwords
//! and keys, the NETCONF passwords and hashes, and the credentials towards
//! the nodes. Two uses: a backup carries the configuration without them,
//! and a problem report names the key of a secret, never its value.

use super::path::{ConfigPath, Segment};
use super::schema::Config;
use super::source::ConfigIssue;

/// Removes every secret, for a copy that leaves the agent (a backup).
/// Communities are removed, not renamed: a placeholder would be a valid
/// community for anyone who read the documentation. A target keeps its
/// address but loses its community; users keep their algorithms but lose
/// their keys, so a restored copy fails closed until the secrets are
/// given again (docs/configuration.md, "Back up the store").
pub fn remove_secrets(c: &mut Config) {
    c.snmp.communities.clear();
    for t in c.snmp.targets.values_mut() {
        t.community = None;
    }
    for u in c.snmp.users.values_mut() {
        u.auth_password = None;
        u.auth_key = None;
        u.priv_password = None;
        u.priv_key = None;
    }
    for u in c.netconf.users.values_mut() {
        u.password = None;
        u.password_hash = None;
    }
    for chain in c.chains.values_mut() {
        for node in chain.nodes.values_mut() {
            let metrics = [&mut node.metrics_endpoint, &mut node.host_exporter];
            let metrics_auth = metrics
                .into_iter()
                .flatten()
                .filter_map(|m| m.auth.as_mut());
            for auth in node.auth.iter_mut().chain(metrics_auth) {
                auth.password = None;
                auth.bearer_token = None;
            }
        }
    }
}

/// Every secret's text in a configuration, for masking text written
/// before secrets were kept out of it (log records of older versions).
/// Values shorter than 4 characters are left out: masking them would
/// mangle ordinary words and protect nothing.
pub fn secret_values(c: &Config) -> Vec<String> {
    let mut out: Vec<String> = c.snmp.communities.keys().cloned().collect();
    out.extend(c.snmp.targets.values().filter_map(|t| t.community.clone()));
    for u in c.snmp.users.values() {
        out.extend(
            [&u.auth_password, &u.auth_key, &u.priv_password, &u.priv_key]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    for u in c.netconf.users.values() {
        out.extend(
            [&u.password, &u.password_hash]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    for chain in c.chains.values() {
        for node in chain.nodes.values() {
            let metrics = [&node.metrics_endpoint, &node.host_exporter];
            let metrics_auth = metrics
                .into_iter()
                .flatten()
                .filter_map(|m| m.auth.as_ref());
            for a in node.auth.iter().chain(metrics_auth) {
                out.extend(
                    [&a.password, &a.bearer_token]
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
            }
        }
    }
    out.retain(|s| s.len() >= 4);
    out.sort();
    out.dedup();
    out
}

/// The last segment of a dotted key that holds a secret value.
const SECRET_LEAVES: &[&str] = &[
    "community",
    "auth-password",
    "auth-key",
    "priv-password",
    "priv-key",
    "password",
    "password-hash",
    "bearer-token",
];

/// Where a community is named: the segment after `snmp.communities`.
const COMMUNITY_AT: usize = 2;

/// The community a path names (`snmp.communities.<community>...`), if any.
fn community(key: &ConfigPath) -> Option<&str> {
    match key.segments() {
        [
            Segment::Name(s),
            Segment::Name(c),
            Segment::Key(k) | Segment::Name(k),
            ..,
        ] if s == "snmp" && c == "communities" => Some(k),
        _ => None,
    }
}

/// Whether the value at this key is a secret (or the key itself is one:
/// a community table).
pub fn is_secret_key(key: &ConfigPath) -> bool {
    community(key).is_some() || secret_leaf(key)
}

/// Whether the key's last step is a leaf that holds a secret value.
fn secret_leaf(key: &ConfigPath) -> bool {
    key.last()
        .is_some_and(|leaf| SECRET_LEAVES.contains(&leaf.as_str()))
}

/// The key with a community, which is a table name, replaced by
/// `<community>`: `snmp.communities.<community>.access`.
pub fn masked_key(key: &ConfigPath) -> ConfigPath {
    if community(key).is_none() {
        return key.clone();
    }
    let mut segments = key.segments().to_vec();
    segments[COMMUNITY_AT] = Segment::Key("<community>".into());
    ConfigPath::from_segments(segments)
}

/// A problem report about a secret whose message may quote the value (a
/// parser's "invalid type: integer `…`"): the key is masked and the
/// message replaced. Other reports pass unchanged.
pub fn scrub_issue(issue: ConfigIssue) -> ConfigIssue {
    let quotes_community = community(&issue.key).is_some_and(|c| issue.message.contains(c));
    let message = if secret_leaf(&issue.key) || quotes_community {
        "invalid value (not shown: this key holds a secret)".into()
    } else {
        issue.message
    };
    ConfigIssue {
        key: masked_key(&issue.key),
        line: issue.line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_secrets_are_recognised_and_communities_masked() {
        for k in [
            "snmp.communities.rwsecret.access",
            "snmp.users.u.auth-password",
            "snmp.users.u.priv-key",
            "snmp.targets.t.community",
            "netconf.users.admin.password-hash",
            "chains.eth.nodes.n1.auth.bearer-token",
        ] {
            assert!(is_secret_key(&ConfigPath::from(k)), "{k}");
        }
        for k in ["snmp.listen[0]", "snmp.users.u.group", "agent.data-dir"] {
            assert!(!is_secret_key(&ConfigPath::from(k)), "{k}");
        }
        assert_eq!(
            masked_key(&ConfigPath::from("snmp.communities.rwsecret.access")).to_string(),
            "snmp.communities.<community>.access"
        );
        let i = scrub_issue(ConfigIssue::at(
            ConfigPath::from("snmp.communities.rwsecret.view"),
            "invalid type: integer `5`",
        ));
        assert_eq!(
            i.to_string(),
            "snmp.communities.<community>.view: invalid type: integer `5`"
        );
        let i = scrub_issue(ConfigIssue::at(
            ConfigPath::from("snmp.users.u.auth-password"),
            "invalid type: integer `123456789`",
        ));
        assert!(!i.to_string().contains("123456789"));
    }

    #[test]
    fn a_backup_copy_holds_no_secret() {
        let text = r#"
[snmp.communities.rwsecret77xq]
access = "read-write"
[snmp.users.u]
group = "g"
auth = "sha"
auth-key = "00112233445566778899aabbccddeeff00112233"
[snmp.groups.g]
[snmp.targets.t]
address = "127.0.0.1:162"
community = "trapsecret55"
[netconf.users.admin]
password-hash = "$6$saltsalt$hashhashhash"
admin = true
"#;
        let mut c: Config = toml::from_str(text).unwrap();
        remove_secrets(&mut c);
        let json = serde_json::to_string(&c).unwrap();
        for secret in ["rwsecret77xq", "00112233", "trapsecret55", "hashhashhash"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        assert!(c.snmp.users.contains_key("u"));
    }
}
