//! ietf-netconf-monitoring (RFC 6022) `/netconf-state`, as RFC 7951 JSON:
//! built from the server's own tables (the hello's capabilities, the lock
//! table, the schema, the session table and its counters) each time it is
//! read, so it is never stale. Partial locks (RFC 5717) are not supported,
//! so a datastore shows at most a global lock.

use crate::core::datastore::{LockHolder, Target};
use crate::netconf::monitoring::yang_library;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::session::table::{Counters, Session, Statistics};
use crate::netconf::shared::Server;
use crate::netconf::ssh::TransportStatistics;
use crate::netconf::yang::WithDefaults;
use crate::netconf::yang::time::date_and_time;
use crate::netconf::yang::tree::{self, Content};
use crate::netconf::yang::{ModuleInfo, Schema};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use yang5::data::DataTree;

pub const MONITORING_NS: &str = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring";

/// The module whose augmentation carries the refusal counters.
const SYSTEM_MODULE: &str = "chain-agent-system";

/// Where get-schema fetches a schema: over NETCONF itself (RFC 6022 2.1.3).
const LOCATION_NETCONF: &str = "NETCONF";

/// The server's own state, monitoring and YANG library, merged into a
/// `<get>` tree (the XPath path, which needs one tree).
pub fn merge_into(server: &Server, tree: &mut DataTree<'_>) -> Result<(), RpcError> {
    merge_library(server, tree)?;
    merge(tree, &live_tree(server)?, "server state")
}

/// The YANG library, which changes only with the schema: merged into the
/// rendering `<get>` caches per snapshot.
pub fn merge_library(server: &Server, tree: &mut DataTree<'_>) -> Result<(), RpcError> {
    let library = yang_library::library_json(&server.schema);
    let parsed = tree::parse_json(&server.schema, &library, Content::State).map_err(|e| {
        RpcError::application(Tag::OperationFailed, format!("YANG library to YANG: {e}"))
    })?;
    merge(tree, &parsed, "YANG library")
}

/// `/netconf-state` as XML in `wd`, what printing [`live_tree`] gives: the
/// parts that change (datastores and their locks, sessions, statistics)
/// are built for each read, the fixed parts come from `server`'s
/// [`Fixed`].
pub fn live_xml(server: &Server, wd: WithDefaults) -> Result<String, RpcError> {
    let fixed = server
        .netconf_state
        .printed(&server.schema, &server.capabilities, wd)?;
    let locks = server.agent.datastore.locks();
    let sessions = server.sessions.list();
    changing_xml(
        &server.schema,
        &Inputs {
            capabilities: &server.capabilities,
            locks: &locks,
            schema: &server.schema,
            sessions: &sessions,
            statistics: &server.sessions.statistics,
        },
        &fixed,
        wd,
    )
}

/// The parts of `/netconf-state` that do not change while the server runs
/// (the hello's capabilities, the schema list: most of its nodes), printed
/// once per with-defaults mode.
#[derive(Default)]
pub struct Fixed {
    printed: Mutex<HashMap<WithDefaults, Arc<FixedXml>>>,
}

/// The printed `<capabilities>` and `<schemas>` elements.
pub struct FixedXml {
    capabilities: String,
    schemas: String,
}

impl Fixed {
    fn printed(
        &self,
        schema: &Schema,
        capabilities: &[String],
        wd: WithDefaults,
    ) -> Result<Arc<FixedXml>, RpcError> {
        let mut printed = self.printed.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(p) = printed.get(&wd) {
            return Ok(p.clone());
        }
        let p = Arc::new(print_fixed(schema, capabilities, wd)?);
        printed.insert(wd, p.clone());
        Ok(p)
    }
}

fn state_error(e: impl std::fmt::Display) -> RpcError {
    RpcError::application(Tag::OperationFailed, format!("server state to YANG: {e}"))
}

/// The fixed parts printed alone, cut out of their `<netconf-state>`.
pub fn print_fixed(
    schema: &Schema,
    capabilities: &[String],
    wd: WithDefaults,
) -> Result<FixedXml, RpcError> {
    let value = json!({
        "ietf-netconf-monitoring:netconf-state": {
            "capabilities": { "capability": capabilities },
            "schemas": { "schema": schemas(schema.modules()) },
        }
    });
    let tree = tree::parse_json(schema, &value, Content::State).map_err(state_error)?;
    let xml = tree::print_xml(&tree, wd).map_err(state_error)?;
    let inner = xml
        .find('>')
        .and_then(|open| Some(&xml[open + 1..xml.rfind("</netconf-state>")?]))
        .unwrap_or_default();
    let (capabilities, schemas) = inner.split_at(inner.find("<schemas>").unwrap_or(inner.len()));
    Ok(FixedXml {
        capabilities: capabilities.to_string(),
        schemas: schemas.to_string(),
    })
}

/// The changing parts printed, with the fixed ones put where the schema
/// orders them: capabilities first, schemas before sessions.
pub fn changing_xml(
    schema: &Schema,
    i: &Inputs<'_>,
    fixed: &FixedXml,
    wd: WithDefaults,
) -> Result<String, RpcError> {
    let value = json!({
        "ietf-netconf-monitoring:netconf-state": {
            "datastores": { "datastore": datastores(i.locks) },
            "sessions": { "session": i.sessions.iter().map(|s| session(s)).collect::<Vec<_>>() },
            "statistics": statistics(i.statistics),
        }
    });
    let tree = tree::parse_json(schema, &value, Content::State).map_err(state_error)?;
    let xml = tree::print_xml(&tree, wd).map_err(state_error)?;
    let open = xml
        .find('>')
        .filter(|&at| !xml[..at].ends_with('/'))
        .ok_or_else(|| state_error(format!("unexpected printed netconf-state: {xml}")))?;
    let rest = &xml[open + 1..];
    // Whole tags: `<sessions-refused-per-user` is a statistic.
    let at = [
        "<sessions>",
        "<sessions/>",
        "<statistics>",
        "<statistics/>",
        "</netconf-state>",
    ]
    .iter()
    .find_map(|tag| rest.find(tag))
    .unwrap_or(rest.len());
    let mut out = String::with_capacity(xml.len() + fixed.capabilities.len() + fixed.schemas.len());
    out.push_str(&xml[..=open]);
    out.push_str(&fixed.capabilities);
    out.push_str(&rest[..at]);
    out.push_str(&fixed.schemas);
    out.push_str(&rest[at..]);
    Ok(out)
}

/// `/netconf-state`, which changes with every rpc, as one libyang tree
/// (the XPath path).
pub fn live_tree(server: &Server) -> Result<DataTree<'_>, RpcError> {
    tree::parse_json(&server.schema, &netconf_state_json(server), Content::State).map_err(|e| {
        RpcError::application(Tag::OperationFailed, format!("server state to YANG: {e}"))
    })
}

fn merge(tree: &mut DataTree<'_>, other: &DataTree<'_>, what: &str) -> Result<(), RpcError> {
    tree.merge(other)
        .map_err(|e| RpcError::application(Tag::OperationFailed, format!("merging {what}: {e}")))
}

/// `/netconf-state` of the running server.
pub fn netconf_state_json(server: &Server) -> Value {
    netconf_state(&Inputs {
        capabilities: &server.capabilities,
        locks: &server.agent.datastore.locks(),
        schema: &server.schema,
        sessions: &server.sessions.list(),
        statistics: &server.sessions.statistics,
    })
}

/// What `/netconf-state` is made of.
pub struct Inputs<'a> {
    pub capabilities: &'a [String],
    pub locks: &'a [(Target, LockHolder)],
    pub schema: &'a Schema,
    pub sessions: &'a [Arc<Session>],
    pub statistics: &'a Statistics,
}

pub fn netconf_state(i: &Inputs<'_>) -> Value {
    json!({
        "ietf-netconf-monitoring:netconf-state": {
            "capabilities": { "capability": i.capabilities },
            "datastores": { "datastore": datastores(i.locks) },
            "schemas": { "schema": schemas(i.schema.modules()) },
            "sessions": { "session": i.sessions.iter().map(|s| session(s)).collect::<Vec<_>>() },
            "statistics": statistics(i.statistics),
        }
    })
}

/// Every datastore the server has, with its global lock when one is held.
fn datastores(locks: &[(Target, LockHolder)]) -> Vec<Value> {
    Target::ALL
        .iter()
        .map(|t| {
            let mut ds = json!({ "name": t.as_str() });
            if let Some((_, h)) = locks.iter().find(|(lt, _)| lt == t) {
                ds["locks"] = json!({
                    "global-lock": {
                        "locked-by-session": h.session,
                        "locked-time": date_and_time(h.since),
                    }
                });
            }
            ds
        })
        .collect()
}

/// Every module and submodule of the schema, implemented or imported:
/// each can be fetched with get-schema.
fn schemas(modules: &[ModuleInfo]) -> Vec<Value> {
    let entry = |name: &str, revision: &Option<String>, namespace: &str| {
        json!({
            "identifier": name,
            "version": revision.as_deref().unwrap_or(""),
            "format": "yang",
            "namespace": namespace,
            "location": [LOCATION_NETCONF],
        })
    };
    let mut out = Vec::new();
    for m in modules {
        out.push(entry(&m.name, &m.revision, &m.namespace));
        // A submodule belongs to its module's namespace (RFC 6022 2.1.3).
        for s in &m.submodules {
            out.push(entry(&s.name, &s.revision, &m.namespace));
        }
    }
    out
}

fn session(s: &Session) -> Value {
    let mut v = json!({
        "session-id": s.id,
        "transport": "netconf-ssh",
        "username": s.user,
        "login-time": date_and_time(s.login_time),
    });
    if let Some(peer) = s.peer {
        v["source-host"] = json!(peer.ip().to_string());
    }
    add_counters(&mut v, &s.counters);
    v
}

fn statistics(st: &Statistics) -> Value {
    let mut v = json!({
        "netconf-start-time": date_and_time(st.start_time),
        "in-bad-hellos": counter32(&st.in_bad_hellos),
        "in-sessions": counter32(&st.in_sessions),
        "dropped-sessions": counter32(&st.dropped_sessions),
    });
    add_counters(&mut v, &st.rpcs);
    add_refusals(&mut v, st);
    v
}

/// The `chain-agent-system` augmentation: what the server refused.
fn add_refusals(v: &mut Value, st: &Statistics) {
    let put = |v: &mut Value, name: &str, c: &AtomicU64| {
        v[format!("{SYSTEM_MODULE}:{name}")] = json!(counter32(c));
    };
    let none = TransportStatistics::default();
    let t = st.transport.get().map_or(&none, |t| t.as_ref());
    put(v, "connections-dropped", &t.connections_dropped);
    put(
        v,
        "penalised-connections-refused",
        &t.penalised_connections_refused,
    );
    put(v, "penalised-logins-refused", &t.penalised_logins_refused);
    put(v, "sources-penalised", &t.sources_penalised);
    put(v, "login-grace-timeouts", &t.login_grace_timeouts);
    put(v, "auth-failures", &t.auth_failures);
    put(v, "auth-tries-exhausted", &t.auth_tries_exhausted);
    put(v, "sessions-refused-per-user", &t.sessions_refused_per_user);
    put(
        v,
        "sessions-refused-server-limit",
        &t.sessions_refused_server_limit,
    );
    put(v, "messages-refused-budget", &st.messages_refused_budget);
}

fn add_counters(v: &mut Value, c: &Counters) {
    v["in-rpcs"] = json!(counter32(&c.in_rpcs));
    v["in-bad-rpcs"] = json!(counter32(&c.in_bad_rpcs));
    v["out-rpc-errors"] = json!(counter32(&c.out_rpc_errors));
    v["out-notifications"] = json!(counter32(&c.out_notifications));
}

/// yang:zero-based-counter32 wraps at 2^32 (RFC 6991), so the low 32 bits
/// of the running count are the counter's value.
fn counter32(c: &AtomicU64) -> u32 {
    (c.load(Ordering::Relaxed) & u64::from(u32::MAX)) as u32
}

/// `/netconf-state` alone as a libyang tree: what unit tests check against
/// the schema, strictly.
pub fn netconf_state_tree<'s>(
    schema: &'s Schema,
    inputs: &Inputs<'_>,
) -> Result<DataTree<'s>, RpcError> {
    tree::parse_json(schema, &netconf_state(inputs), Content::State).map_err(|e| {
        RpcError::application(Tag::OperationFailed, format!("netconf-state to YANG: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::datastore::data;
    use crate::netconf::session::table::SessionTable;

    use crate::netconf::yang::schema::test_schema as schema;

    #[test]
    fn netconf_state_is_valid_for_the_model_and_shows_locks_sessions_and_counters() {
        let schema = schema();
        let table = SessionTable::new();
        let (a, _) = table.open("alice", Some("127.0.0.1:4000".parse().unwrap()));
        let (b, _) = table.open("bob", None);
        Counters::bump(&a.counters.in_rpcs);
        Counters::bump(&a.counters.in_rpcs);
        Counters::bump(&b.counters.out_rpc_errors);
        Counters::bump(&table.statistics.in_bad_hellos);
        let transport = Arc::new(TransportStatistics::default());
        TransportStatistics::bump(&transport.sources_penalised);
        TransportStatistics::bump(&transport.sources_penalised);
        let _ = table.statistics.transport.set(transport);
        Counters::bump(&table.statistics.messages_refused_budget);
        let locks = vec![(
            Target::Candidate,
            LockHolder {
                session: a.id,
                user: "alice".into(),
                since: 1_709_214_307_891,
            },
        )];
        let caps = vec!["urn:ietf:params:netconf:base:1.1".to_string()];
        let inputs = Inputs {
            capabilities: &caps,
            locks: &locks,
            schema: &schema,
            sessions: &table.list(),
            statistics: &table.statistics,
        };
        let tree = netconf_state_tree(&schema, &inputs).expect("strict parse");
        let xml = data::print(&tree, WithDefaults::Explicit).unwrap();
        let top = data::elements(&xml).unwrap();
        let state = &top[0];
        assert!(state.is(MONITORING_NS, "netconf-state"), "{xml}");
        let get = |e: &crate::netconf::transport::xml::Element, path: &[&str]| {
            let mut cur = e.clone();
            for p in path {
                cur = cur.child(MONITORING_NS, p).cloned().unwrap_or_else(|| {
                    panic!("no {p} in {}", cur.to_xml());
                });
            }
            cur.value().to_string()
        };
        let ds: Vec<_> = state
            .child(MONITORING_NS, "datastores")
            .unwrap()
            .children
            .clone();
        assert_eq!(ds.len(), 3);
        let candidate = ds
            .iter()
            .find(|d| get(d, &["name"]) == "candidate")
            .unwrap();
        assert_eq!(
            get(candidate, &["locks", "global-lock", "locked-by-session"]),
            a.id.to_string()
        );
        assert_eq!(
            get(candidate, &["locks", "global-lock", "locked-time"]),
            "2024-02-29T13:45:07.891Z"
        );
        let running = ds.iter().find(|d| get(d, &["name"]) == "running").unwrap();
        assert!(running.child(MONITORING_NS, "locks").is_none());

        let sessions = &state.child(MONITORING_NS, "sessions").unwrap().children;
        assert_eq!(sessions.len(), 2);
        assert_eq!(get(&sessions[0], &["username"]), "alice");
        assert_eq!(get(&sessions[0], &["source-host"]), "127.0.0.1");
        assert_eq!(get(&sessions[0], &["in-rpcs"]), "2");
        assert_eq!(get(&sessions[1], &["username"]), "bob");
        assert_eq!(get(&sessions[1], &["out-rpc-errors"]), "1");
        assert!(sessions[1].child(MONITORING_NS, "source-host").is_none());
        assert_eq!(get(state, &["statistics", "in-bad-hellos"]), "1");
        let stats = state.child(MONITORING_NS, "statistics").unwrap();
        let ours = |name: &str| {
            stats
                .child("urn:chain-agent:yang:chain-agent-system", name)
                .unwrap_or_else(|| panic!("no {name} in {}", stats.to_xml()))
                .value()
                .to_string()
        };
        assert_eq!(ours("sources-penalised"), "2");
        assert_eq!(ours("messages-refused-budget"), "1");
        assert_eq!(ours("connections-dropped"), "0");

        let schemas = &state.child(MONITORING_NS, "schemas").unwrap().children;
        let ids: Vec<String> = schemas.iter().map(|s| get(s, &["identifier"])).collect();
        for m in schema.modules() {
            assert!(ids.contains(&m.name), "{} not in schemas", m.name);
        }
        let submodules: usize = schema.modules().iter().map(|m| m.submodules.len()).sum();
        assert_eq!(ids.len(), schema.modules().len() + submodules);
    }

    #[test]
    fn the_fixed_and_changing_parts_print_as_the_whole() {
        let schema = schema();
        let caps = vec![
            "urn:ietf:params:netconf:base:1.1".to_string(),
            "urn:ietf:params:netconf:capability:candidate:1.0".to_string(),
        ];
        let locks = vec![(
            Target::Running,
            LockHolder {
                session: 7,
                user: "alice".into(),
                since: 1_709_214_307_891,
            },
        )];
        for with_sessions in [false, true] {
            let table = SessionTable::new();
            if with_sessions {
                let (a, _) = table.open("alice", Some("127.0.0.1:4000".parse().unwrap()));
                Counters::bump(&a.counters.in_rpcs);
                table.open("bob", None);
            }
            let inputs = Inputs {
                capabilities: &caps,
                locks: &locks,
                schema: &schema,
                sessions: &table.list(),
                statistics: &table.statistics,
            };
            for wd in [
                WithDefaults::Explicit,
                WithDefaults::Trim,
                WithDefaults::ReportAll,
                WithDefaults::ReportAllTagged,
            ] {
                let whole =
                    data::print(&netconf_state_tree(&schema, &inputs).unwrap(), wd).unwrap();
                let fixed = print_fixed(&schema, &caps, wd).unwrap();
                let parts = changing_xml(&schema, &inputs, &fixed, wd).unwrap();
                assert_eq!(parts, whole, "{wd:?}, sessions: {with_sessions}");
            }
        }
    }

    #[test]
    fn counters_wrap_at_32_bits() {
        let c = AtomicU64::new(u64::from(u32::MAX) + 3);
        assert_eq!(counter32(&c), 2);
    }
}
