//! Checks of the `[netconf]` section, with the same parsers the SSH
//! server uses, so a file that passes `check-config` also loads there.

use super::schema::*;
use super::source::ConfigIssue;
use super::validate::{issue, range_u64};
use crate::netconf::ssh::{authorized_key, password};
use std::net::SocketAddr;

/// `idle-timeout-seconds` tops out at a week; 0 switches it off.
const IDLE_TIMEOUT_MAX: u64 = 7 * 24 * 3600;
const MAX_SESSIONS_MAX: u64 = 4096;
const USER_NAME_MAX: usize = 64;
/// The XPath step limit: below the minimum no real filter passes on the
/// agent's own data; the maximum still ends an evaluation in hours, not
/// never.
pub const XPATH_MAX_STEPS_MIN: u64 = 1_000;
pub const XPATH_MAX_STEPS_MAX: u64 = 1_000_000_000_000;
/// The XPath time limit tops out at an hour; 0 switches it off.
pub const XPATH_TIMEOUT_MAX: u64 = 3_600_000;

pub(super) fn check_netconf(n: &NetconfConfig, out: &mut Vec<ConfigIssue>) {
    if n.listen.parse::<SocketAddr>().is_err() {
        issue(
            out,
            "netconf.listen".into(),
            format!("'{}' is not ADDRESS:PORT", n.listen),
        );
    }
    range_u64(
        out,
        "netconf.idle-timeout-seconds",
        n.idle_timeout_seconds,
        0,
        IDLE_TIMEOUT_MAX,
    );
    range_u64(
        out,
        "netconf.max-sessions",
        n.max_sessions.into(),
        1,
        MAX_SESSIONS_MAX,
    );
    range_u64(
        out,
        "netconf.xpath-max-steps",
        n.xpath_max_steps,
        XPATH_MAX_STEPS_MIN,
        XPATH_MAX_STEPS_MAX,
    );
    range_u64(
        out,
        "netconf.xpath-timeout-ms",
        n.xpath_timeout_ms,
        0,
        XPATH_TIMEOUT_MAX,
    );
    if n.host_key
        .as_ref()
        .is_some_and(|p| p.as_os_str().is_empty())
    {
        issue(
            out,
            "netconf.host-key".into(),
            "must be a file path (leave it out for the default)",
        );
    }
    for (name, u) in &n.users {
        check_user(name, u, out);
    }
}

fn check_user(name: &str, u: &NetconfUser, out: &mut Vec<ConfigIssue>) {
    let key = format!("netconf.users.{name}");
    if name.is_empty()
        || name.chars().count() > USER_NAME_MAX
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        issue(
            out,
            key.clone(),
            format!("a user name is 1 to {USER_NAME_MAX} characters without spaces"),
        );
    }
    if u.password.is_some() && u.password_hash.is_some() {
        issue(out, key.clone(), "set password or password-hash, not both");
    }
    if u.password.as_deref() == Some("") {
        issue(out, format!("{key}.password"), "must not be empty");
    }
    if let Some(hash) = &u.password_hash
        && let Err(e) = password::check_hash(hash)
    {
        issue(
            out,
            format!("{key}.password-hash"),
            format!("{e}; make one with `chain-agent hash-password`"),
        );
    }
    for (i, line) in u.authorized_keys.iter().enumerate() {
        if let Err(e) = authorized_key::parse(line) {
            issue(out, format!("{key}.authorized-keys[{i}]"), e.to_string());
        }
    }
    if u.groups.iter().any(|g| g.is_empty() || g.starts_with('*')) {
        issue(
            out,
            format!("{key}.groups"),
            "a group name is not empty and does not start with '*'",
        );
    }
    if u.password.is_none() && u.password_hash.is_none() && u.authorized_keys.is_empty() {
        issue(out, key, "needs password, password-hash or authorized-keys");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(n: &NetconfConfig) -> Vec<String> {
        let mut out = Vec::new();
        check_netconf(n, &mut out);
        out.into_iter().map(|i| i.key).collect()
    }

    #[test]
    fn the_defaults_pass() {
        assert_eq!(keys_of(&NetconfConfig::default()), Vec::<String>::new());
    }

    #[test]
    fn each_bad_value_is_reported_at_its_key() {
        let mut n = NetconfConfig {
            listen: "8830".into(),
            idle_timeout_seconds: IDLE_TIMEOUT_MAX + 1,
            max_sessions: 0,
            xpath_max_steps: XPATH_MAX_STEPS_MIN - 1,
            xpath_timeout_ms: XPATH_TIMEOUT_MAX + 1,
            host_key: Some("".into()),
            ..NetconfConfig::default()
        };
        n.users.clear();
        let user = |password: Option<&str>, hash: Option<&str>, keys: &[&str]| NetconfUser {
            password: password.map(str::to_string),
            password_hash: hash.map(str::to_string),
            authorized_keys: keys.iter().map(|k| k.to_string()).collect(),
            admin: false,
            groups: vec![],
        };
        n.users.insert("nothing".into(), user(None, None, &[]));
        n.users
            .insert("badhash".into(), user(None, Some("$1$md5$abc"), &[]));
        n.users.insert(
            "badkey".into(),
            user(
                None,
                None,
                &["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnlyReplaceMe"],
            ),
        );
        n.users
            .insert("both".into(), user(Some("a"), Some("b"), &[]));
        n.users.insert("empty".into(), user(Some(""), None, &[]));
        n.users
            .insert("has space".into(), user(Some("pw"), None, &[]));
        let mut got = keys_of(&n);
        got.sort();
        let mut want = vec![
            "netconf.listen",
            "netconf.idle-timeout-seconds",
            "netconf.max-sessions",
            "netconf.xpath-max-steps",
            "netconf.xpath-timeout-ms",
            "netconf.host-key",
            "netconf.users.nothing",
            "netconf.users.badhash.password-hash",
            "netconf.users.badkey.authorized-keys[0]",
            "netconf.users.both",
            "netconf.users.both.password-hash",
            "netconf.users.empty.password",
            "netconf.users.has space",
        ];
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn a_real_hash_and_zero_idle_timeout_pass() {
        let mut n = NetconfConfig {
            idle_timeout_seconds: 0,
            ..NetconfConfig::default()
        };
        let demo = n.users.get_mut("demo").unwrap();
        demo.password = None;
        demo.password_hash = Some(password::hash("pw").unwrap());
        assert_eq!(keys_of(&n), Vec::<String>::new());
    }
}
