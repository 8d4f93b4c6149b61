//! The configuration datastore in RFC 7951 JSON and back. [`Config`] is the
//! datastore; its YANG form follows docs/yang.md: a map of the file is a
//! list keyed by the map's key, `logs.{kind}` is `/logs/type[kind]`, a
//! chain's consensus map is `consensus/parameter[name]/value`, an SNMP view
//! is a user-ordered list of entries. Every value is written, defaults
//! included; a leaf left out on the way back takes the value the
//! configuration file would give it, which the modules declare as their
//! `default`, so libyang's with-defaults handling agrees with the agent.
//! Text the file keeps as "" for "none" (a chain's display name, an
//! engine ID to generate) is absent in YANG.

use super::json::{MapError, Reader, dec_exact, enum_value, put, put_opt, put_text, u64s};
use crate::config::*;
use crate::model::performance::{ThresholdOverrides, Thresholds};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const SYSTEM: &str = "chain-agent-system";
pub const NODES: &str = "chain-agent-nodes";
pub const LOGS: &str = "chain-agent-logs";
pub const CONSENSUS: &str = "chain-agent-consensus";
pub const CROSSCHAIN: &str = "chain-agent-crosschain";
pub const CONTRACTS: &str = "chain-agent-contracts";
pub const NACM: &str = "ietf-netconf-acm";
pub const ALARMS: &str = "ietf-alarms";

type Obj = Map<String, Value>;

/// The configuration as RFC 7951 JSON, top-level names module-qualified.
pub fn config_to_yang(c: &Config) -> Value {
    config_members(c, |_| true)
}

/// The top-level members of [`config_to_yang`] whose names (`module:node`)
/// `want` accepts; the others are not even built.
pub fn config_members(c: &Config, want: impl Fn(&str) -> bool) -> Value {
    let mut root = Obj::new();
    let mut add = |member: String, value: &dyn Fn() -> Value| {
        if want(&member) {
            put(&mut root, &member, value());
        }
    };
    add(format!("{SYSTEM}:agent"), &|| agent(&c.agent));
    add(format!("{SYSTEM}:system"), &|| system(&c.system));
    add(format!("{SYSTEM}:snmp"), &|| snmp(&c.snmp));
    add(format!("{SYSTEM}:netconf"), &|| netconf(&c.netconf));
    add(format!("{NACM}:nacm"), &|| nacm(&c.nacm));
    add(format!("{ALARMS}:alarms"), &|| alarms(&c.alarms));
    add(format!("{NODES}:thresholds"), &|| {
        Value::Object(thresholds(&c.thresholds))
    });
    add(format!("{LOGS}:logs"), &|| logs(&c.logs));
    add(format!("{NODES}:chains"), &|| {
        let chains: Vec<Value> = c
            .chains
            .iter()
            .map(|(id, chain)| Value::Object(chain_config(id, chain)))
            .collect();
        json!({ "chain": chains })
    });
    Value::Object(root)
}

/// The inverse of [`config_to_yang`]: RFC 7951 JSON of the configuration
/// (as libyang prints it, with or without defaults) to [`Config`]. Any
/// member of a chain-agent module that is not configuration is an error;
/// top-level members of other modules are ignored.
pub fn yang_to_config(v: &Value) -> Result<Config, MapError> {
    let mut root = Reader::new(v, "")?;
    let mut c = Config {
        agent: read_agent(root.container(&format!("{SYSTEM}:agent"))?)?,
        system: read_system(root.container(&format!("{SYSTEM}:system"))?)?,
        snmp: read_snmp(root.container(&format!("{SYSTEM}:snmp"))?)?,
        netconf: read_netconf(root.container(&format!("{SYSTEM}:netconf"))?)?,
        nacm: match root.object(&format!("{NACM}:nacm"))? {
            Some(n) => read_nacm(n)?,
            None => NacmConfig::default(),
        },
        alarms: read_alarms(root.container(&format!("{ALARMS}:alarms"))?)?,
        thresholds: Thresholds::default(),
        logs: BTreeMap::new(),
        chains: BTreeMap::new(),
    };
    let mut t = root.container(&format!("{NODES}:thresholds"))?;
    c.thresholds = read_thresholds(&mut t)?;
    t.finish()?;
    let mut logs = root.container(&format!("{LOGS}:logs"))?;
    for (kind, mut entry) in logs.list("type", "kind")? {
        let d = LogTypeConfig::default();
        let level = entry.enumeration("level")?.unwrap_or(d.level);
        let retention_records = entry
            .u64("retention-records")?
            .unwrap_or(d.retention_records);
        entry.finish()?;
        c.logs.insert(
            kind,
            LogTypeConfig {
                level,
                retention_records,
            },
        );
    }
    logs.finish()?;
    let mut chains = root.container(&format!("{NODES}:chains"))?;
    for (id, entry) in chains.list("chain", "id")? {
        c.chains.insert(id, read_chain(entry)?);
    }
    chains.finish()?;
    root.skip(|name| !name.starts_with(OWN_PREFIX));
    root.finish()?;
    Ok(c)
}

/// Top-level members of other modules are datastore content the agent's
/// configuration does not hold; the caller keeps them. Our modules'
/// names all start so.
const OWN_PREFIX: &str = "chain-agent-";

fn agent(a: &AgentConfig) -> Value {
    json!({
        "data-dir": a.data_dir.to_string_lossy(),
        "backup-dir": a.backup_dir.to_string_lossy(),
        "collect-interval-ms": u64s(a.collect_interval_ms),
        "host-interval-ms": u64s(a.host_interval_ms),
        "recent-blocks": u64s(a.recent_blocks as u64),
        "recent-records": u64s(a.recent_records as u64),
        "alarm-history": u64s(a.alarm_history),
        "revision-history-bytes": u64s(a.revision_history_bytes),
    })
}

fn read_agent(mut r: Reader<'_>) -> Result<AgentConfig, MapError> {
    let d = AgentConfig::default();
    let a = AgentConfig {
        data_dir: r
            .string("data-dir")?
            .map(PathBuf::from)
            .unwrap_or(d.data_dir),
        backup_dir: r
            .string("backup-dir")?
            .map(PathBuf::from)
            .unwrap_or(d.backup_dir),
        collect_interval_ms: r
            .u64("collect-interval-ms")?
            .unwrap_or(d.collect_interval_ms),
        host_interval_ms: r.u64("host-interval-ms")?.unwrap_or(d.host_interval_ms),
        recent_blocks: r.usize("recent-blocks")?.unwrap_or(d.recent_blocks),
        recent_records: r.usize("recent-records")?.unwrap_or(d.recent_records),
        alarm_history: r.u64("alarm-history")?.unwrap_or(d.alarm_history),
        revision_history_bytes: r
            .u64("revision-history-bytes")?
            .unwrap_or(d.revision_history_bytes),
    };
    r.finish()?;
    Ok(a)
}

fn system(s: &SystemConfig) -> Value {
    let mut o = Obj::new();
    o.insert("contact".into(), json!(s.contact));
    put_text(&mut o, "name", &s.name);
    put_text(&mut o, "location", &s.location);
    Value::Object(o)
}

fn read_system(mut r: Reader<'_>) -> Result<SystemConfig, MapError> {
    let s = SystemConfig {
        contact: r
            .string("contact")?
            .unwrap_or_else(|| SystemConfig::default().contact),
        name: r.string("name")?.unwrap_or_default(),
        location: r.string("location")?.unwrap_or_default(),
    };
    r.finish()?;
    Ok(s)
}

fn snmp(s: &SnmpConfig) -> Value {
    let mut o = Obj::new();
    o.insert("enabled".into(), json!(s.enabled));
    put(&mut o, "listen", json!(s.listen));
    put_text(&mut o, "engine-id", &s.engine_id);
    o.insert("max-message-size".into(), json!(s.max_message_size));
    o.insert("enable-authen-traps".into(), json!(s.enable_authen_traps));
    let communities: Vec<Value> = s
        .communities
        .iter()
        .map(|(name, c)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            e.insert("access".into(), enum_value(&c.access));
            put(&mut e, "sources", json!(c.sources));
            if let Some(v) = &c.view {
                e.insert("view".into(), json!(v));
            }
            Value::Object(e)
        })
        .collect();
    put(&mut o, "communities", json!({ "community": communities }));
    let users: Vec<Value> = s
        .users
        .iter()
        .map(|(name, u)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            e.insert("group".into(), json!(u.group));
            e.insert("auth".into(), enum_value(&u.auth));
            opt_text(&mut e, "auth-password", &u.auth_password);
            opt_text(&mut e, "auth-key", &u.auth_key);
            e.insert("priv".into(), enum_value(&u.privacy));
            opt_text(&mut e, "priv-password", &u.priv_password);
            opt_text(&mut e, "priv-key", &u.priv_key);
            Value::Object(e)
        })
        .collect();
    put(&mut o, "users", json!({ "user": users }));
    let views: Vec<Value> = s
        .views
        .iter()
        .map(|(name, entries)| {
            let entries: Vec<Value> = entries
                .iter()
                .map(|v| {
                    let mut e = Obj::new();
                    e.insert("subtree".into(), json!(v.subtree));
                    put_text(&mut e, "mask", &v.mask);
                    e.insert("type".into(), enum_value(&v.kind));
                    Value::Object(e)
                })
                .collect();
            let mut view = Obj::new();
            view.insert("name".into(), json!(name));
            put(&mut view, "entry", Value::Array(entries));
            Value::Object(view)
        })
        .collect();
    put(&mut o, "views", json!({ "view": views }));
    let groups: Vec<Value> = s
        .groups
        .iter()
        .map(|(name, g)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            e.insert("security-model".into(), enum_value(&g.security_model));
            e.insert("security-level".into(), enum_value(&g.security_level));
            opt_text(&mut e, "read-view", &g.read_view);
            opt_text(&mut e, "write-view", &g.write_view);
            opt_text(&mut e, "notify-view", &g.notify_view);
            Value::Object(e)
        })
        .collect();
    put(&mut o, "groups", json!({ "group": groups }));
    let targets: Vec<Value> = s
        .targets
        .iter()
        .map(|(name, t)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            e.insert("address".into(), json!(t.address));
            e.insert("kind".into(), enum_value(&t.kind));
            e.insert("version".into(), enum_value(&t.version));
            opt_text(&mut e, "community", &t.community);
            opt_text(&mut e, "user", &t.user);
            e.insert("security-level".into(), enum_value(&t.security_level));
            e.insert("timeout-ms".into(), u64s(t.timeout_ms));
            e.insert("retries".into(), json!(t.retries));
            Value::Object(e)
        })
        .collect();
    put(&mut o, "targets", json!({ "target": targets }));
    Value::Object(o)
}

fn read_snmp(mut r: Reader<'_>) -> Result<SnmpConfig, MapError> {
    let d = SnmpConfig::default();
    let mut s = SnmpConfig {
        enabled: r.bool("enabled")?.unwrap_or(d.enabled),
        listen: r.strings("listen")?,
        engine_id: r.string("engine-id")?.unwrap_or_default(),
        max_message_size: r.u32("max-message-size")?.unwrap_or(d.max_message_size),
        enable_authen_traps: r
            .bool("enable-authen-traps")?
            .unwrap_or(d.enable_authen_traps),
        communities: BTreeMap::new(),
        users: BTreeMap::new(),
        views: BTreeMap::new(),
        groups: BTreeMap::new(),
        targets: BTreeMap::new(),
    };
    let mut communities = r.container("communities")?;
    for (name, mut e) in communities.list("community", "name")? {
        let c = CommunityConfig {
            access: e.required_enumeration("access")?,
            sources: e.strings("sources")?,
            view: e.string("view")?,
        };
        e.finish()?;
        s.communities.insert(name, c);
    }
    communities.finish()?;
    let mut users = r.container("users")?;
    for (name, mut e) in users.list("user", "name")? {
        let u = UsmUserConfig {
            group: e.required_string("group")?,
            auth: e.enumeration("auth")?.unwrap_or_default(),
            auth_password: e.string("auth-password")?,
            auth_key: e.string("auth-key")?,
            privacy: e.enumeration("priv")?.unwrap_or_default(),
            priv_password: e.string("priv-password")?,
            priv_key: e.string("priv-key")?,
        };
        e.finish()?;
        s.users.insert(name, u);
    }
    users.finish()?;
    let mut views = r.container("views")?;
    for (name, mut view) in views.list("view", "name")? {
        let mut entries = Vec::new();
        for (subtree, mut e) in view.list("entry", "subtree")? {
            entries.push(ViewEntry {
                subtree,
                mask: e.string("mask")?.unwrap_or_default(),
                kind: e.enumeration("type")?.unwrap_or_default(),
            });
            e.finish()?;
        }
        view.finish()?;
        s.views.insert(name, entries);
    }
    views.finish()?;
    let mut groups = r.container("groups")?;
    for (name, mut e) in groups.list("group", "name")? {
        let g = GroupConfig {
            security_model: e.enumeration("security-model")?.unwrap_or_default(),
            security_level: e.enumeration("security-level")?.unwrap_or_default(),
            read_view: e.string("read-view")?,
            write_view: e.string("write-view")?,
            notify_view: e.string("notify-view")?,
        };
        e.finish()?;
        s.groups.insert(name, g);
    }
    groups.finish()?;
    let mut targets = r.container("targets")?;
    for (name, mut e) in targets.list("target", "name")? {
        let t = TargetConfig {
            address: e.required_string("address")?,
            kind: e.enumeration("kind")?.unwrap_or_default(),
            version: e.enumeration("version")?.unwrap_or_default(),
            community: e.string("community")?,
            user: e.string("user")?,
            security_level: e.enumeration("security-level")?.unwrap_or_default(),
            timeout_ms: e.u64("timeout-ms")?.unwrap_or(DEFAULT_TARGET.0),
            retries: e.u32("retries")?.unwrap_or(DEFAULT_TARGET.1),
        };
        e.finish()?;
        s.targets.insert(name, t);
    }
    targets.finish()?;
    r.finish()?;
    Ok(s)
}

/// A target's timeout and retries when the file leaves them out: serde's
/// defaults, read from the schema type itself so they cannot drift.
static DEFAULT_TARGET: std::sync::LazyLock<(u64, u32)> = std::sync::LazyLock::new(|| {
    serde_json::from_value::<TargetConfig>(json!({ "address": "" }))
        .map(|t| (t.timeout_ms, t.retries))
        .unwrap_or((0, 0))
});

fn netconf(n: &NetconfConfig) -> Value {
    let users: Vec<Value> = n
        .users
        .iter()
        .map(|(name, u)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            opt_text(&mut e, "password", &u.password);
            opt_text(&mut e, "password-hash", &u.password_hash);
            put(&mut e, "authorized-keys", json!(u.authorized_keys));
            e.insert("admin".into(), json!(u.admin));
            put(&mut e, "groups", json!(u.groups));
            Value::Object(e)
        })
        .collect();
    let mut o = Obj::new();
    o.insert("enabled".into(), json!(n.enabled));
    o.insert("listen".into(), json!(n.listen));
    o.insert("idle-timeout-seconds".into(), u64s(n.idle_timeout_seconds));
    o.insert("max-sessions".into(), json!(n.max_sessions));
    o.insert(
        "max-sessions-per-user".into(),
        json!(n.max_sessions_per_user),
    );
    o.insert(
        "reserved-admin-sessions".into(),
        json!(n.reserved_admin_sessions),
    );
    o.insert("max-connections".into(), json!(n.max_connections));
    o.insert("max-unauthenticated".into(), json!(n.max_unauthenticated));
    o.insert(
        "unauthenticated-drop-start".into(),
        json!(n.unauthenticated_drop_start),
    );
    o.insert(
        "max-unauthenticated-per-source".into(),
        json!(n.max_unauthenticated_per_source),
    );
    o.insert("login-grace-seconds".into(), u64s(n.login_grace_seconds));
    o.insert("max-auth-tries".into(), json!(n.max_auth_tries));
    o.insert(
        "auth-failure-penalty-seconds".into(),
        u64s(n.auth_failure_penalty_seconds),
    );
    o.insert(
        "penalty-threshold-seconds".into(),
        u64s(n.penalty_threshold_seconds),
    );
    o.insert("penalty-max-seconds".into(), u64s(n.penalty_max_seconds));
    o.insert(
        "message-buffer-budget-bytes".into(),
        u64s(n.message_buffer_budget_bytes),
    );
    o.insert("xpath-max-steps".into(), u64s(n.xpath_max_steps));
    o.insert("xpath-timeout-ms".into(), u64s(n.xpath_timeout_ms));
    if let Some(k) = &n.host_key {
        o.insert("host-key".into(), json!(k.display().to_string()));
    }
    put(&mut o, "users", json!({ "user": users }));
    Value::Object(o)
}

fn read_netconf(mut r: Reader<'_>) -> Result<NetconfConfig, MapError> {
    let d = NetconfConfig::default();
    let mut n = NetconfConfig {
        enabled: r.bool("enabled")?.unwrap_or(d.enabled),
        listen: r.string("listen")?.unwrap_or(d.listen),
        idle_timeout_seconds: r
            .u64("idle-timeout-seconds")?
            .unwrap_or(d.idle_timeout_seconds),
        max_sessions: r.u32("max-sessions")?.unwrap_or(d.max_sessions),
        max_sessions_per_user: r
            .u32("max-sessions-per-user")?
            .unwrap_or(d.max_sessions_per_user),
        reserved_admin_sessions: r
            .u32("reserved-admin-sessions")?
            .unwrap_or(d.reserved_admin_sessions),
        max_connections: r.u32("max-connections")?.unwrap_or(d.max_connections),
        max_unauthenticated: r
            .u32("max-unauthenticated")?
            .unwrap_or(d.max_unauthenticated),
        unauthenticated_drop_start: r
            .u32("unauthenticated-drop-start")?
            .unwrap_or(d.unauthenticated_drop_start),
        max_unauthenticated_per_source: r
            .u32("max-unauthenticated-per-source")?
            .unwrap_or(d.max_unauthenticated_per_source),
        login_grace_seconds: r
            .u64("login-grace-seconds")?
            .unwrap_or(d.login_grace_seconds),
        max_auth_tries: r.u32("max-auth-tries")?.unwrap_or(d.max_auth_tries),
        auth_failure_penalty_seconds: r
            .u64("auth-failure-penalty-seconds")?
            .unwrap_or(d.auth_failure_penalty_seconds),
        penalty_threshold_seconds: r
            .u64("penalty-threshold-seconds")?
            .unwrap_or(d.penalty_threshold_seconds),
        penalty_max_seconds: r
            .u64("penalty-max-seconds")?
            .unwrap_or(d.penalty_max_seconds),
        message_buffer_budget_bytes: r
            .u64("message-buffer-budget-bytes")?
            .unwrap_or(d.message_buffer_budget_bytes),
        xpath_max_steps: r.u64("xpath-max-steps")?.unwrap_or(d.xpath_max_steps),
        xpath_timeout_ms: r.u64("xpath-timeout-ms")?.unwrap_or(d.xpath_timeout_ms),
        host_key: r.string("host-key")?.map(std::path::PathBuf::from),
        users: BTreeMap::new(),
    };
    let mut users = r.container("users")?;
    for (name, mut e) in users.list("user", "name")? {
        let u = NetconfUser {
            password: e.string("password")?,
            password_hash: e.string("password-hash")?,
            authorized_keys: e.strings("authorized-keys")?,
            admin: e.bool("admin")?.unwrap_or(false),
            groups: e.strings("groups")?,
        };
        e.finish()?;
        n.users.insert(name, u);
    }
    users.finish()?;
    r.finish()?;
    Ok(n)
}

/// `/nacm`, every leaf written. Without it (nothing but YANG defaults in
/// the datastore) the embedded defaults apply: see [`read_nacm`].
fn nacm(n: &NacmConfig) -> Value {
    let groups: Vec<Value> = n
        .groups
        .iter()
        .map(|(name, g)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            put(&mut e, "user-name", json!(g.user_name));
            Value::Object(e)
        })
        .collect();
    let lists: Vec<Value> = n
        .rule_list
        .iter()
        .map(|l| {
            let rules: Vec<Value> = l
                .rule
                .iter()
                .map(|r| {
                    let mut e = Obj::new();
                    e.insert("name".into(), json!(r.name));
                    e.insert("module-name".into(), json!(r.module_name));
                    opt_text(&mut e, "rpc-name", &r.rpc_name);
                    opt_text(&mut e, "notification-name", &r.notification_name);
                    opt_text(&mut e, "path", &r.path);
                    e.insert(
                        "access-operations".into(),
                        json!(String::from(r.access_operations)),
                    );
                    e.insert("action".into(), enum_value(&r.action));
                    opt_text(&mut e, "comment", &r.comment);
                    Value::Object(e)
                })
                .collect();
            let mut e = Obj::new();
            e.insert("name".into(), json!(l.name));
            put(&mut e, "group", json!(l.group));
            put(&mut e, "rule", Value::Array(rules));
            Value::Object(e)
        })
        .collect();
    let mut o = Obj::new();
    o.insert("enable-nacm".into(), json!(n.enable_nacm));
    o.insert("read-default".into(), enum_value(&n.read_default));
    o.insert("write-default".into(), enum_value(&n.write_default));
    o.insert("exec-default".into(), enum_value(&n.exec_default));
    o.insert(
        "enable-external-groups".into(),
        json!(n.enable_external_groups),
    );
    put(&mut o, "groups", json!({ "group": groups }));
    put(&mut o, "rule-list", Value::Array(lists));
    Value::Object(o)
}

/// `/nacm` when present; absent leaves and lists take ietf-netconf-acm's
/// defaults (no groups, no rules). An absent `/nacm` is the embedded
/// default, rules included (the caller's choice), so that clearing it
/// cannot lock every NETCONF user out.
fn read_nacm(mut r: Reader<'_>) -> Result<NacmConfig, MapError> {
    let d = NacmConfig::yang_defaults();
    let mut n = NacmConfig {
        enable_nacm: r.bool("enable-nacm")?.unwrap_or(d.enable_nacm),
        read_default: r.enumeration("read-default")?.unwrap_or(d.read_default),
        write_default: r.enumeration("write-default")?.unwrap_or(d.write_default),
        exec_default: r.enumeration("exec-default")?.unwrap_or(d.exec_default),
        enable_external_groups: r
            .bool("enable-external-groups")?
            .unwrap_or(d.enable_external_groups),
        groups: BTreeMap::new(),
        rule_list: Vec::new(),
    };
    let mut groups = r.container("groups")?;
    for (name, mut g) in groups.list("group", "name")? {
        let group = NacmGroup {
            user_name: g.strings("user-name")?,
        };
        g.finish()?;
        n.groups.insert(name, group);
    }
    groups.finish()?;
    for (name, mut l) in r.list("rule-list", "name")? {
        let mut list = RuleList {
            name,
            group: l.strings("group")?,
            rule: Vec::new(),
        };
        for (name, mut e) in l.list("rule", "name")? {
            let ops_path = format!("{}/access-operations", e.path());
            let access_operations = match e.string("access-operations")? {
                None => AccessOperations::default(),
                Some(text) => {
                    AccessOperations::try_from(text.clone()).map_err(|_| MapError::Value {
                        path: ops_path,
                        value: text,
                    })?
                }
            };
            list.rule.push(NacmRule {
                name,
                module_name: e.string("module-name")?.unwrap_or_else(|| "*".into()),
                rpc_name: e.string("rpc-name")?,
                notification_name: e.string("notification-name")?,
                path: e.string("path")?,
                access_operations,
                action: e.required_enumeration("action")?,
                comment: e.string("comment")?,
            });
            e.finish()?;
        }
        l.finish()?;
        n.rule_list.push(list);
    }
    r.finish()?;
    Ok(n)
}

/// ietf-alarms' `/alarms/control`: the alarm shelves, in their order.
fn alarms(a: &AlarmsConfig) -> Value {
    let shelves: Vec<Value> = a
        .shelves()
        .iter()
        .map(|s| {
            let types: Vec<Value> = s
                .alarm_type
                .iter()
                .map(|t| {
                    json!({
                        "alarm-type-id": t.alarm_type_id,
                        "alarm-type-qualifier-match": t.alarm_type_qualifier_match,
                    })
                })
                .collect();
            let mut e = Obj::new();
            e.insert("name".into(), json!(s.name));
            put(&mut e, "resource", json!(s.resource));
            put(&mut e, "alarm-type", Value::Array(types));
            opt_text(&mut e, "description", &s.description);
            Value::Object(e)
        })
        .collect();
    json!({"control": {"alarm-shelving": {"shelf": shelves}}})
}

/// `/alarms/control`'s shelves. Its other leaves (status-change limits,
/// notification filter) are not the agent's configuration: the agent
/// keeps ietf-alarms' defaults, which libyang prints with the data.
fn read_alarms(mut r: Reader<'_>) -> Result<AlarmsConfig, MapError> {
    let mut a = AlarmsConfig::default();
    let mut control = r.container("control")?;
    let mut shelving = control.container("alarm-shelving")?;
    for (name, mut e) in shelving.list("shelf", "name")? {
        let mut shelf = Shelf {
            name,
            resource: e.strings("resource")?,
            alarm_type: Vec::new(),
            description: e.string("description")?,
        };
        if let Some((types, path)) = e.get("alarm-type") {
            let Value::Array(items) = types else {
                return Err(MapError::Type {
                    path,
                    expected: "an array of list entries",
                });
            };
            for item in items {
                let mut t = Reader::new(item, path.clone())?;
                shelf.alarm_type.push(ShelfAlarmType {
                    alarm_type_id: t.required_string("alarm-type-id")?,
                    alarm_type_qualifier_match: t.required_string("alarm-type-qualifier-match")?,
                });
                t.finish()?;
            }
        }
        e.finish()?;
        a.control.alarm_shelving.shelf.push(shelf);
    }
    shelving.finish()?;
    control.skip(|name| {
        matches!(
            name,
            "max-alarm-status-changes" | "notify-status-changes" | "notify-severity-level"
        )
    });
    control.finish()?;
    r.finish()?;
    Ok(a)
}

/// The global thresholds, exactly as configured.
pub fn thresholds(t: &Thresholds) -> Obj {
    thresholds_as(t, |v| Some(dec_exact(v)), |v| Some(dec_exact(v)))
}

/// Every leaf of a `thresholds` container, the decimals written by
/// `percent` (the percentages) and `millis` (the latencies): exact for
/// the configuration, rounded and held to their types for the state
/// (the values in force for a node). One list of leaves, so the two
/// cannot drift apart.
pub fn thresholds_as(
    t: &Thresholds,
    percent: impl Fn(f64) -> Option<Value>,
    millis: impl Fn(f64) -> Option<Value>,
) -> Obj {
    let mut o = Obj::new();
    for (leaf, v) in [
        ("cpu-percent", t.cpu_percent),
        ("memory-percent", t.memory_percent),
        ("xchain-timeout-percent", t.xchain_timeout_percent),
        ("cpu-hysteresis-percent", t.cpu_hysteresis_percent),
        ("memory-hysteresis-percent", t.memory_hysteresis_percent),
        ("contract-failure-percent", t.contract_failure_percent),
        ("disk-free-percent", t.disk_free_percent),
    ] {
        put_opt(&mut o, leaf, percent(v));
    }
    for (leaf, v) in [
        ("link-latency-ms", t.link_latency_ms),
        ("link-latency-hysteresis-ms", t.link_latency_hysteresis_ms),
    ] {
        put_opt(&mut o, leaf, millis(v));
    }
    for (leaf, v) in [
        ("sync-lag-blocks", t.sync_lag_blocks),
        ("consensus-stall-seconds", t.consensus_stall_seconds),
        ("sync-lag-hysteresis-blocks", t.sync_lag_hysteresis_blocks),
        ("hold-off-seconds", t.hold_off_seconds),
        ("tx-pool-max", t.tx_pool_max),
        ("peer-count-min", t.peer_count_min),
        ("peer-count-hold-off-seconds", t.peer_count_hold_off_seconds),
        ("block-stall-factor", t.block_stall_factor),
        ("block-interval-seconds", t.block_interval_seconds),
        ("cert-expiry-days", t.cert_expiry_days),
        ("cert-expiry-hysteresis-days", t.cert_expiry_hysteresis_days),
        (
            "node-degraded-hold-off-seconds",
            t.node_degraded_hold_off_seconds,
        ),
        ("relayer-packet-age-seconds", t.relayer_packet_age_seconds),
        ("relayer-backlog-max", t.relayer_backlog_max),
        ("relayer-client-expiry-hours", t.relayer_client_expiry_hours),
        (
            "contract-failure-window-seconds",
            t.contract_failure_window_seconds,
        ),
        ("contract-failure-min-calls", t.contract_failure_min_calls),
    ] {
        o.insert(leaf.into(), u64s(v));
    }
    o
}

fn read_thresholds(r: &mut Reader<'_>) -> Result<Thresholds, MapError> {
    let d = Thresholds::default();
    Ok(Thresholds {
        cpu_percent: r.f64("cpu-percent")?.unwrap_or(d.cpu_percent),
        memory_percent: r.f64("memory-percent")?.unwrap_or(d.memory_percent),
        sync_lag_blocks: r.u64("sync-lag-blocks")?.unwrap_or(d.sync_lag_blocks),
        consensus_stall_seconds: r
            .u64("consensus-stall-seconds")?
            .unwrap_or(d.consensus_stall_seconds),
        link_latency_ms: r.f64("link-latency-ms")?.unwrap_or(d.link_latency_ms),
        xchain_timeout_percent: r
            .f64("xchain-timeout-percent")?
            .unwrap_or(d.xchain_timeout_percent),
        cpu_hysteresis_percent: r
            .f64("cpu-hysteresis-percent")?
            .unwrap_or(d.cpu_hysteresis_percent),
        memory_hysteresis_percent: r
            .f64("memory-hysteresis-percent")?
            .unwrap_or(d.memory_hysteresis_percent),
        sync_lag_hysteresis_blocks: r
            .u64("sync-lag-hysteresis-blocks")?
            .unwrap_or(d.sync_lag_hysteresis_blocks),
        link_latency_hysteresis_ms: r
            .f64("link-latency-hysteresis-ms")?
            .unwrap_or(d.link_latency_hysteresis_ms),
        hold_off_seconds: r.u64("hold-off-seconds")?.unwrap_or(d.hold_off_seconds),
        tx_pool_max: r.u64("tx-pool-max")?.unwrap_or(d.tx_pool_max),
        peer_count_min: r.u64("peer-count-min")?.unwrap_or(d.peer_count_min),
        peer_count_hold_off_seconds: r
            .u64("peer-count-hold-off-seconds")?
            .unwrap_or(d.peer_count_hold_off_seconds),
        block_stall_factor: r.u64("block-stall-factor")?.unwrap_or(d.block_stall_factor),
        block_interval_seconds: r
            .u64("block-interval-seconds")?
            .unwrap_or(d.block_interval_seconds),
        cert_expiry_days: r.u64("cert-expiry-days")?.unwrap_or(d.cert_expiry_days),
        cert_expiry_hysteresis_days: r
            .u64("cert-expiry-hysteresis-days")?
            .unwrap_or(d.cert_expiry_hysteresis_days),
        node_degraded_hold_off_seconds: r
            .u64("node-degraded-hold-off-seconds")?
            .unwrap_or(d.node_degraded_hold_off_seconds),
        relayer_packet_age_seconds: r
            .u64("relayer-packet-age-seconds")?
            .unwrap_or(d.relayer_packet_age_seconds),
        relayer_backlog_max: r
            .u64("relayer-backlog-max")?
            .unwrap_or(d.relayer_backlog_max),
        relayer_client_expiry_hours: r
            .u64("relayer-client-expiry-hours")?
            .unwrap_or(d.relayer_client_expiry_hours),
        contract_failure_percent: r
            .f64("contract-failure-percent")?
            .unwrap_or(d.contract_failure_percent),
        contract_failure_window_seconds: r
            .u64("contract-failure-window-seconds")?
            .unwrap_or(d.contract_failure_window_seconds),
        contract_failure_min_calls: r
            .u64("contract-failure-min-calls")?
            .unwrap_or(d.contract_failure_min_calls),
        disk_free_percent: r.f64("disk-free-percent")?.unwrap_or(d.disk_free_percent),
    })
}

fn logs(logs: &BTreeMap<String, LogTypeConfig>) -> Value {
    let types: Vec<Value> = logs
        .iter()
        .map(|(kind, t)| Value::Object(log_type_config(kind, t)))
        .collect();
    json!({ "type": types })
}

/// A log type's configured leaves: `logs.{kind}`.
pub fn log_type_config(kind: &str, t: &LogTypeConfig) -> Obj {
    let mut o = Obj::new();
    o.insert("kind".into(), json!(kind));
    o.insert("level".into(), enum_value(&t.level));
    o.insert("retention-records".into(), u64s(t.retention_records));
    o
}

/// A consensus parameter's configured leaves: `consensus.{name}`.
pub fn parameter_config(name: &str, value: u64) -> Obj {
    let mut o = Obj::new();
    o.insert("name".into(), json!(name));
    o.insert("value".into(), u64s(value));
    o
}

/// The configuration of one chain: its own leaves, its nodes, and the
/// consensus and cross-chain augments.
pub fn chain_config(id: &str, c: &ChainConfig) -> Obj {
    let mut o = Obj::new();
    o.insert("id".into(), json!(id));
    put_text(&mut o, "name", &c.name);
    o.insert("platform".into(), enum_value(&c.platform));
    if let Some(sim) = &c.simulation {
        o.insert("simulation".into(), simulation(sim));
    }
    o.insert("reorg-depth".into(), u64s(c.reorg_depth));
    o.insert("rpc-timeout-ms".into(), u64s(c.rpc_timeout_ms));
    put(
        &mut o,
        "thresholds",
        Value::Object(threshold_overrides(&c.thresholds)),
    );
    let nodes: Vec<Value> = c
        .nodes
        .iter()
        .map(|(id, n)| Value::Object(node_config(id, n)))
        .collect();
    put(&mut o, "nodes", json!({ "node": nodes }));
    let params: Vec<Value> = c
        .consensus
        .iter()
        .map(|(name, v)| Value::Object(parameter_config(name, *v)))
        .collect();
    put(
        &mut o,
        &format!("{CONSENSUS}:consensus"),
        json!({ "parameter": params, "validator-vote": validator_votes(c) }),
    );
    put(
        &mut o,
        &format!("{CONTRACTS}:contracts"),
        json!({ "monitored": monitored_contracts(c) }),
    );
    let channels: Vec<Value> = c
        .channels
        .iter()
        .map(|(id, ch)| Value::Object(channel_config(id, ch)))
        .collect();
    put(
        &mut o,
        &format!("{CROSSCHAIN}:channels"),
        json!({ "channel": channels }),
    );
    if let Some(r) = &c.relayer {
        o.insert(format!("{CROSSCHAIN}:relayer"), relayer(r));
    }
    o
}

/// `validator-votes.{address}`: the votes the agent proposes.
pub fn validator_votes(c: &ChainConfig) -> Vec<Value> {
    c.validator_votes
        .iter()
        .map(|(address, authorize)| json!({ "address": address, "authorize": authorize }))
        .collect()
}

/// `contracts.{address}`: the contracts to monitor.
pub fn monitored_contracts(c: &ChainConfig) -> Vec<Value> {
    c.contracts
        .iter()
        .map(|(address, m)| {
            let mut e = Obj::new();
            e.insert("address".into(), json!(address));
            put_text(&mut e, "name", &m.name);
            put(&mut e, "signatories", json!(m.signatories));
            e.insert("owners-from-contract".into(), json!(m.owners_from_contract));
            Value::Object(e)
        })
        .collect()
}

fn relayer(r: &RelayerConfig) -> Value {
    let mut o = Obj::new();
    o.insert("telemetry".into(), json!(r.telemetry));
    opt_path(&mut o, "config-file", &r.config_file);
    o.insert("chain-id".into(), json!(r.chain_id));
    Value::Object(o)
}

fn simulation(s: &SimulationConfig) -> Value {
    let faults: Vec<Value> = s
        .faults
        .iter()
        .map(|(name, f)| {
            let mut e = Obj::new();
            e.insert("name".into(), json!(name));
            e.insert("kind".into(), enum_value(&f.kind));
            opt_text(&mut e, "node", &f.node);
            opt_text(&mut e, "peer", &f.peer);
            opt_text(&mut e, "channel", &f.channel);
            if let Some(v) = f.value {
                e.insert("value".into(), dec_exact(v));
            }
            Value::Object(e)
        })
        .collect();
    let mut o = Obj::new();
    o.insert("seed".into(), u64s(s.seed));
    o.insert("validators".into(), json!(s.validators));
    o.insert("observers".into(), json!(s.observers));
    o.insert("warmup-blocks".into(), json!(s.warmup_blocks));
    put(&mut o, "faults", json!({ "fault": faults }));
    Value::Object(o)
}

/// A node's configured leaves; in state the node's entry adds to them.
pub fn node_config(id: &str, n: &NodeConfig) -> Obj {
    let mut o = Obj::new();
    o.insert("id".into(), json!(id));
    opt_text(&mut o, "endpoint", &n.endpoint);
    if let Some(role) = &n.role {
        o.insert("role".into(), enum_value(role));
    }
    o.insert("admin-state".into(), enum_value(&n.admin_state));
    put(
        &mut o,
        "thresholds",
        Value::Object(threshold_overrides(&n.thresholds)),
    );
    put_access(&mut o, &n.auth, &n.tls);
    opt_text(&mut o, "log-spec", &n.log_spec);
    opt_path(&mut o, "pid-file", &n.pid_file);
    opt_path(&mut o, "data-dir", &n.data_dir);
    for (name, source) in [
        ("metrics-endpoint", &n.metrics_endpoint),
        ("host-exporter", &n.host_exporter),
    ] {
        if let Some(m) = source {
            let mut e = Obj::new();
            e.insert("url".into(), json!(m.url));
            put_access(&mut e, &m.auth, &m.tls);
            o.insert(name.into(), Value::Object(e));
        }
    }
    o
}

/// The `auth` and `tls` containers of an HTTP service of a node (its
/// RPC, its metrics page, its host's exporter).
fn put_access(o: &mut Obj, auth: &Option<AuthConfig>, tls: &Option<TlsConfig>) {
    if let Some(a) = auth {
        let mut e = Obj::new();
        opt_text(&mut e, "username", &a.username);
        opt_text(&mut e, "password", &a.password);
        opt_path(&mut e, "cookie-file", &a.cookie_file);
        opt_text(&mut e, "bearer-token", &a.bearer_token);
        o.insert("auth".into(), Value::Object(e));
    }
    if let Some(t) = tls {
        let mut e = Obj::new();
        opt_path(&mut e, "ca-file", &t.ca_file);
        opt_path(&mut e, "cert-file", &t.cert_file);
        opt_path(&mut e, "key-file", &t.key_file);
        o.insert("tls".into(), Value::Object(e));
    }
}

/// What [`put_access`] wrote.
fn read_access(n: &mut Reader<'_>) -> Result<(Option<AuthConfig>, Option<TlsConfig>), MapError> {
    let auth = match n.object("auth")? {
        Some(mut a) => {
            let auth = AuthConfig {
                username: a.string("username")?,
                password: a.string("password")?,
                cookie_file: a.string("cookie-file")?.map(PathBuf::from),
                bearer_token: a.string("bearer-token")?,
            };
            a.finish()?;
            Some(auth)
        }
        None => None,
    };
    let tls = match n.object("tls")? {
        Some(mut t) => {
            let tls = TlsConfig {
                ca_file: t.string("ca-file")?.map(PathBuf::from),
                cert_file: t.string("cert-file")?.map(PathBuf::from),
                key_file: t.string("key-file")?.map(PathBuf::from),
            };
            t.finish()?;
            Some(tls)
        }
        None => None,
    };
    Ok((auth, tls))
}

/// A `metrics-endpoint` or `host-exporter` container.
fn read_metrics_source(
    n: &mut Reader<'_>,
    name: &str,
) -> Result<Option<MetricsSourceConfig>, MapError> {
    let Some(mut m) = n.object(name)? else {
        return Ok(None);
    };
    let url = m.required_string("url")?;
    let (auth, tls) = read_access(&mut m)?;
    m.finish()?;
    Ok(Some(MetricsSourceConfig { url, auth, tls }))
}

/// The overrides of a chain's or a node's `thresholds` container.
fn read_overrides(t: &mut Reader<'_>) -> Result<ThresholdOverrides, MapError> {
    Ok(ThresholdOverrides {
        cpu_percent: t.f64("cpu-percent")?,
        memory_percent: t.f64("memory-percent")?,
        sync_lag_blocks: t.u64("sync-lag-blocks")?,
        tx_pool_max: t.u64("tx-pool-max")?,
        hold_off_seconds: t.u64("hold-off-seconds")?,
        peer_count_min: t.u64("peer-count-min")?,
        peer_count_hold_off_seconds: t.u64("peer-count-hold-off-seconds")?,
        block_stall_factor: t.u64("block-stall-factor")?,
        block_interval_seconds: t.u64("block-interval-seconds")?,
        cert_expiry_days: t.u64("cert-expiry-days")?,
        node_degraded_hold_off_seconds: t.u64("node-degraded-hold-off-seconds")?,
        relayer_packet_age_seconds: t.u64("relayer-packet-age-seconds")?,
        relayer_backlog_max: t.u64("relayer-backlog-max")?,
        relayer_client_expiry_hours: t.u64("relayer-client-expiry-hours")?,
        contract_failure_percent: t.f64("contract-failure-percent")?,
        contract_failure_window_seconds: t.u64("contract-failure-window-seconds")?,
        contract_failure_min_calls: t.u64("contract-failure-min-calls")?,
        disk_free_percent: t.f64("disk-free-percent")?,
    })
}

fn threshold_overrides(t: &ThresholdOverrides) -> Obj {
    let mut o = Obj::new();
    if let Some(v) = t.cpu_percent {
        o.insert("cpu-percent".into(), dec_exact(v));
    }
    if let Some(v) = t.memory_percent {
        o.insert("memory-percent".into(), dec_exact(v));
    }
    if let Some(v) = t.sync_lag_blocks {
        o.insert("sync-lag-blocks".into(), u64s(v));
    }
    for (leaf, v) in [
        ("tx-pool-max", t.tx_pool_max),
        ("hold-off-seconds", t.hold_off_seconds),
        ("peer-count-min", t.peer_count_min),
        ("peer-count-hold-off-seconds", t.peer_count_hold_off_seconds),
        ("block-stall-factor", t.block_stall_factor),
        ("block-interval-seconds", t.block_interval_seconds),
    ] {
        if let Some(v) = v {
            o.insert(leaf.into(), u64s(v));
        }
    }
    if let Some(v) = t.cert_expiry_days {
        o.insert("cert-expiry-days".into(), u64s(v));
    }
    for (leaf, v) in [
        (
            "node-degraded-hold-off-seconds",
            t.node_degraded_hold_off_seconds,
        ),
        ("relayer-packet-age-seconds", t.relayer_packet_age_seconds),
        ("relayer-backlog-max", t.relayer_backlog_max),
        ("relayer-client-expiry-hours", t.relayer_client_expiry_hours),
    ] {
        if let Some(v) = v {
            o.insert(leaf.into(), u64s(v));
        }
    }
    if let Some(v) = t.contract_failure_percent {
        o.insert("contract-failure-percent".into(), dec_exact(v));
    }
    if let Some(v) = t.contract_failure_window_seconds {
        o.insert("contract-failure-window-seconds".into(), u64s(v));
    }
    if let Some(v) = t.contract_failure_min_calls {
        o.insert("contract-failure-min-calls".into(), u64s(v));
    }
    if let Some(v) = t.disk_free_percent {
        o.insert("disk-free-percent".into(), dec_exact(v));
    }
    o
}

/// A channel's configured leaves.
pub fn channel_config(id: &str, c: &ChannelConfig) -> Obj {
    let mut o = Obj::new();
    o.insert("id".into(), json!(id));
    o.insert("remote-chain".into(), json!(c.remote_chain));
    put_text(&mut o, "relay-endpoint", &c.relay_endpoint);
    o.insert("timeout-ms".into(), u64s(c.timeout_ms));
    o.insert("fee".into(), u64s(c.fee));
    o.insert("capacity".into(), json!(c.capacity));
    o
}

fn read_chain(mut r: Reader<'_>) -> Result<ChainConfig, MapError> {
    let mut c = ChainConfig {
        name: r.string("name")?.unwrap_or_default(),
        ..ChainConfig::new(r.required_enumeration("platform")?)
    };
    if let Some(v) = r.u64("reorg-depth")? {
        c.reorg_depth = v;
    }
    if let Some(v) = r.u64("rpc-timeout-ms")? {
        c.rpc_timeout_ms = v;
    }
    {
        let mut t = r.container("thresholds")?;
        c.thresholds = read_overrides(&mut t)?;
        t.finish()?;
    }
    if let Some(mut sim) = r.object("simulation")? {
        let d = SimulationConfig::default();
        let mut s = SimulationConfig {
            seed: sim.u64("seed")?.unwrap_or(d.seed),
            validators: sim.u32("validators")?.unwrap_or(d.validators),
            observers: sim.u32("observers")?.unwrap_or(d.observers),
            warmup_blocks: sim.u32("warmup-blocks")?.unwrap_or(d.warmup_blocks),
            faults: BTreeMap::new(),
        };
        let mut faults = sim.container("faults")?;
        for (name, mut f) in faults.list("fault", "name")? {
            let fault = FaultConfig {
                kind: f.required_enumeration("kind")?,
                node: f.string("node")?,
                peer: f.string("peer")?,
                channel: f.string("channel")?,
                value: f.f64("value")?,
            };
            f.finish()?;
            s.faults.insert(name, fault);
        }
        faults.finish()?;
        sim.finish()?;
        c.simulation = Some(s);
    }
    let mut nodes = r.container("nodes")?;
    for (id, mut n) in nodes.list("node", "id")? {
        let mut t = n.container("thresholds")?;
        let (auth, tls) = read_access(&mut n)?;
        let metrics_endpoint = read_metrics_source(&mut n, "metrics-endpoint")?;
        let host_exporter = read_metrics_source(&mut n, "host-exporter")?;
        let node = NodeConfig {
            endpoint: n.string("endpoint")?,
            role: n.enumeration("role")?,
            admin_state: n.enumeration("admin-state")?.unwrap_or_default(),
            thresholds: read_overrides(&mut t)?,
            auth,
            tls,
            log_spec: n.string("log-spec")?,
            pid_file: n.string("pid-file")?.map(PathBuf::from),
            data_dir: n.string("data-dir")?.map(PathBuf::from),
            metrics_endpoint,
            host_exporter,
        };
        t.finish()?;
        n.finish()?;
        c.nodes.insert(id, node);
    }
    nodes.finish()?;
    let mut consensus = r.container(&format!("{CONSENSUS}:consensus"))?;
    for (name, mut p) in consensus.list("parameter", "name")? {
        c.consensus.insert(name, p.required_u64("value")?);
        p.finish()?;
    }
    for (address, mut v) in consensus.list("validator-vote", "address")? {
        c.validator_votes
            .insert(address, v.required_bool("authorize")?);
        v.finish()?;
    }
    consensus.finish()?;
    let mut contracts = r.container(&format!("{CONTRACTS}:contracts"))?;
    for (address, mut m) in contracts.list("monitored", "address")? {
        let contract = ContractConfig {
            name: m.string("name")?.unwrap_or_default(),
            signatories: m.strings("signatories")?,
            owners_from_contract: m.bool("owners-from-contract")?.unwrap_or(false),
        };
        m.finish()?;
        c.contracts.insert(address, contract);
    }
    contracts.finish()?;
    if let Some(mut rl) = r.object(&format!("{CROSSCHAIN}:relayer"))? {
        let relayer = RelayerConfig {
            telemetry: rl.required_string("telemetry")?,
            config_file: rl.string("config-file")?.map(PathBuf::from),
            chain_id: rl.required_string("chain-id")?,
        };
        rl.finish()?;
        c.relayer = Some(relayer);
    }
    let mut channels = r.container(&format!("{CROSSCHAIN}:channels"))?;
    for (id, mut ch) in channels.list("channel", "id")? {
        let channel = ChannelConfig {
            remote_chain: ch.required_string("remote-chain")?,
            relay_endpoint: ch.string("relay-endpoint")?.unwrap_or_default(),
            timeout_ms: ch.required_u64("timeout-ms")?,
            fee: ch.u64("fee")?.unwrap_or(0),
            capacity: ch.required_u32("capacity")?,
        };
        ch.finish()?;
        c.channels.insert(id, channel);
    }
    channels.finish()?;
    r.finish()?;
    Ok(c)
}

fn opt_text(o: &mut Obj, name: &str, v: &Option<String>) {
    if let Some(v) = v {
        o.insert(name.into(), json!(v));
    }
}

fn opt_path(o: &mut Obj, name: &str, v: &Option<PathBuf>) {
    if let Some(v) = v {
        o.insert(name.into(), json!(v.to_string_lossy()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_round_trips() {
        let c = Config::default();
        let y = config_to_yang(&c);
        assert_eq!(yang_to_config(&y), Ok(c));
    }

    #[test]
    fn keys_follow_docs_yang() {
        let y = config_to_yang(&Config::default());
        assert_eq!(
            y.pointer("/chain-agent-nodes:chains/chain/0/id"),
            Some(&json!("sim"))
        );
        assert_eq!(
            y.pointer(
                "/chain-agent-nodes:chains/chain/0/chain-agent-consensus:consensus/parameter/0"
            ),
            Some(&json!({"name": "block-interval-ms", "value": "1000"}))
        );
        assert_eq!(
            y.pointer("/chain-agent-system:snmp/communities/community/0/name"),
            Some(&json!("public"))
        );
        assert_eq!(
            y.pointer("/chain-agent-nodes:thresholds/cpu-percent"),
            Some(&json!("90"))
        );
    }

    #[test]
    fn absent_leaves_take_the_file_defaults() {
        let c = yang_to_config(&json!({
            "chain-agent-nodes:chains": {"chain": [
                {"id": "x", "platform": "simulated", "simulation": {},
                 "chain-agent-crosschain:channels": {"channel": [
                     {"id": "c", "remote-chain": "y", "timeout-ms": "5", "capacity": 2}
                 ]}}
            ]},
            "chain-agent-system:snmp": {"targets": {"target": [{"name": "t", "address": "a:1"}]}}
        }))
        .unwrap();
        assert_eq!(c.agent, AgentConfig::default());
        assert_eq!(c.thresholds, Thresholds::default());
        let chain = &c.chains["x"];
        assert_eq!(chain.simulation, Some(SimulationConfig::default()));
        assert_eq!(chain.channels["c"].fee, 0);
        assert_eq!(chain.channels["c"].relay_endpoint, "");
        let t = &c.snmp.targets["t"];
        assert_eq!((t.timeout_ms, t.retries), (1500, 3));
        assert!(c.snmp.listen.is_empty());
        assert!(c.snmp.communities.is_empty());
    }

    #[test]
    fn anything_without_a_mapping_is_refused() {
        let unknown = json!({"chain-agent-nodes:thresholds": {"cpu-percent": "5", "bogus": 1}});
        assert_eq!(
            yang_to_config(&unknown),
            Err(MapError::Unknown {
                path: "/chain-agent-nodes:thresholds/bogus".into()
            })
        );
        let state = json!({"chain-agent-nodes:chains": {"chain": [
            {"id": "x", "platform": "simulated", "node-count": 3}
        ]}});
        assert_eq!(
            yang_to_config(&state),
            Err(MapError::Unknown {
                path: "/chain-agent-nodes:chains/chain[id='x']/node-count".into()
            })
        );
        let no_value = json!({"chain-agent-nodes:chains": {"chain": [
            {"id": "x", "platform": "simulated",
             "chain-agent-consensus:consensus": {"parameter": [{"name": "p"}]}}
        ]}});
        assert_eq!(
            yang_to_config(&no_value),
            Err(MapError::Missing {
                path: "/chain-agent-nodes:chains/chain[id='x']/chain-agent-consensus:consensus/parameter[name='p']/value".into()
            })
        );
        let bad_enum =
            json!({"chain-agent-nodes:chains": {"chain": [{"id": "x", "platform": "cobol"}]}});
        assert!(matches!(
            yang_to_config(&bad_enum),
            Err(MapError::Value { .. })
        ));
        assert!(matches!(
            yang_to_config(&json!([])),
            Err(MapError::Type { .. })
        ));
    }
}
