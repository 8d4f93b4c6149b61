//! Checks of the `[netconf]` section, with the same parsers the SSH
//! server uses, so a file that passes `check-config` also loads there.

use super::authorized_key;
use super::password_hash as password;
use super::path::ConfigPath;
use super::schema::*;
use super::source::ConfigIssue;
use super::validate::{issue, range_u64};
use std::net::SocketAddr;

/// `idle-timeout-seconds` tops out at a week; 0 switches it off.
const IDLE_TIMEOUT_MAX: u64 = 7 * 24 * 3600;
const MAX_SESSIONS_MAX: u64 = 4096;
const USER_NAME_MAX: usize = 64;
const MAX_CONNECTIONS_MAX: u64 = 65536;
/// OpenSSH allows 600 s of LoginGraceTime by default; more only helps
/// whoever holds connections open without logging in.
const LOGIN_GRACE_MAX: u64 = 600;
const MAX_AUTH_TRIES_MAX: u64 = 10;
/// A day.
const PENALTY_MAX: u64 = 86_400;
/// The budget holds at least one ordinary message, and at most 16 GiB.
const BUDGET_MIN: u64 = 1024 * 1024;
const BUDGET_MAX: u64 = 16 * 1024 * 1024 * 1024;
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
            "netconf.listen",
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
    check_limits(n, out);
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
            "netconf.host-key",
            "must be a file path (leave it out for the default)",
        );
    }
    for (name, u) in &n.users {
        check_user(name, u, out);
    }
}

/// The connection, login and buffer limits (`max-sessions` aside): each
/// in its range, and the pairs that only make sense one way round.
fn check_limits(n: &NetconfConfig, out: &mut Vec<ConfigIssue>) {
    let ranges: [(&str, u64, u64, u64); 12] = [
        (
            "netconf.max-sessions-per-user",
            n.max_sessions_per_user.into(),
            0,
            MAX_SESSIONS_MAX,
        ),
        (
            "netconf.reserved-admin-sessions",
            n.reserved_admin_sessions.into(),
            0,
            MAX_SESSIONS_MAX - 1,
        ),
        (
            "netconf.max-connections",
            n.max_connections.into(),
            1,
            MAX_CONNECTIONS_MAX,
        ),
        (
            "netconf.max-unauthenticated",
            n.max_unauthenticated.into(),
            1,
            MAX_SESSIONS_MAX,
        ),
        (
            "netconf.unauthenticated-drop-start",
            n.unauthenticated_drop_start.into(),
            1,
            MAX_SESSIONS_MAX,
        ),
        (
            "netconf.max-unauthenticated-per-source",
            n.max_unauthenticated_per_source.into(),
            1,
            MAX_SESSIONS_MAX,
        ),
        (
            "netconf.login-grace-seconds",
            n.login_grace_seconds,
            1,
            LOGIN_GRACE_MAX,
        ),
        (
            "netconf.max-auth-tries",
            n.max_auth_tries.into(),
            1,
            MAX_AUTH_TRIES_MAX,
        ),
        (
            "netconf.auth-failure-penalty-seconds",
            n.auth_failure_penalty_seconds,
            0,
            PENALTY_MAX,
        ),
        (
            "netconf.penalty-threshold-seconds",
            n.penalty_threshold_seconds,
            0,
            PENALTY_MAX,
        ),
        (
            "netconf.penalty-max-seconds",
            n.penalty_max_seconds,
            1,
            PENALTY_MAX,
        ),
        (
            "netconf.message-buffer-budget-bytes",
            n.message_buffer_budget_bytes,
            BUDGET_MIN,
            BUDGET_MAX,
        ),
    ];
    for (key, v, lo, hi) in ranges {
        range_u64(out, key, v, lo, hi);
    }
    if n.max_sessions >= 1 && n.reserved_admin_sessions >= n.max_sessions {
        issue(
            out,
            "netconf.reserved-admin-sessions",
            format!(
                "must be below max-sessions ({}), or only admins could open a session",
                n.max_sessions
            ),
        );
    }
    if n.max_unauthenticated > n.max_connections {
        issue(
            out,
            "netconf.max-unauthenticated",
            format!("must not exceed max-connections ({})", n.max_connections),
        );
    }
    if n.unauthenticated_drop_start > n.max_unauthenticated {
        issue(
            out,
            "netconf.unauthenticated-drop-start",
            format!(
                "must not exceed max-unauthenticated ({})",
                n.max_unauthenticated
            ),
        );
    }
    if n.auth_failure_penalty_seconds > 0 && n.penalty_max_seconds <= n.penalty_threshold_seconds {
        issue(
            out,
            "netconf.penalty-max-seconds",
            format!(
                "must exceed penalty-threshold-seconds ({}), or no source is ever penalised",
                n.penalty_threshold_seconds
            ),
        );
    }
}

fn check_user(name: &str, u: &NetconfUser, out: &mut Vec<ConfigIssue>) {
    let key = ConfigPath::from("netconf.users").then(name);
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
        issue(out, key.with("password"), "must not be empty");
    }
    if let Some(hash) = &u.password_hash
        && let Err(e) = password::check_hash(hash)
    {
        issue(
            out,
            key.with("password-hash"),
            format!("{e}; make one with `chain-agent hash-password`"),
        );
    }
    for (i, line) in u.authorized_keys.iter().enumerate() {
        if let Err(e) = authorized_key::parse(line) {
            issue(out, key.with("authorized-keys").at(i), e.to_string());
        }
    }
    if u.groups.iter().any(|g| g.is_empty() || g.starts_with('*')) {
        issue(
            out,
            key.with("groups"),
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
        out.into_iter().map(|i| i.key.to_string()).collect()
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
    fn limits_out_of_range_or_the_wrong_way_round_are_reported() {
        let n = NetconfConfig {
            max_sessions: 4,
            reserved_admin_sessions: 4,
            max_connections: 10,
            max_unauthenticated: 20,
            unauthenticated_drop_start: 30,
            login_grace_seconds: 0,
            max_auth_tries: 11,
            penalty_threshold_seconds: 60,
            penalty_max_seconds: 60,
            message_buffer_budget_bytes: 1000,
            ..NetconfConfig::default()
        };
        let mut got = keys_of(&n);
        got.sort();
        let mut want = vec![
            "netconf.reserved-admin-sessions",
            "netconf.max-unauthenticated",
            "netconf.unauthenticated-drop-start",
            "netconf.login-grace-seconds",
            "netconf.max-auth-tries",
            "netconf.penalty-max-seconds",
            "netconf.message-buffer-budget-bytes",
        ];
        want.sort();
        assert_eq!(got, want);
        let off = NetconfConfig {
            auth_failure_penalty_seconds: 0,
            penalty_threshold_seconds: 60,
            penalty_max_seconds: 60,
            ..NetconfConfig::default()
        };
        assert_eq!(keys_of(&off), Vec::<String>::new(), "penalties off");
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
