//! NETCONF access control (RFC 8341). The rules are `/nacm` of
//! ietf-netconf-acm in the shared configuration ([`crate::config::NacmConfig`]),
//! read afresh for every request, so an edit of them applies at once. Users
//! and their external groups come from `[netconf.users]` (see
//! [`groups::user_groups`]).
//!
//! Enforcement, one function per kind of access:
//! - exec: [`check_rpc`] for every rpc, [`check_action`] for YANG actions;
//! - read: [`readable`] / [`prune`] on the rendered reply of get and
//!   get-config; [`check_source_readable`] for copy-config's source;
//! - write: [`check_write`] on the old and new content of a datastore;
//! - notifications: [`notification`] for each one sent.
//!
//! SNMP is not subject to NACM: it has its own access control (VACM).

pub mod groups;
pub mod lockout;
pub mod marks;
mod notify;
pub mod path;
mod read;
pub mod rules;
mod state;
mod write;

pub use notify::Verdict;
pub use rules::{Access, By, Decision};
pub use state::merge_state;

use crate::config::Config;
use crate::core::datastore::Target;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::session::table::Session;
use crate::netconf::shared::Server;
use crate::netconf::transport::xml::Element;
use crate::netconf::yang::Schema;
use marks::{MarkTree, mark_of};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use yang5::data::DataTree;
use yang5::iter::IterSchemaFlags;
use yang5::schema::SchemaNodeKind;

/// RFC 8341 counters (`/nacm/denied-*`), since the server started.
#[derive(Debug, Default)]
pub struct Counters {
    pub denied_operations: AtomicU64,
    pub denied_data_writes: AtomicU64,
    pub denied_notifications: AtomicU64,
}

impl Counters {
    /// The sum of the counters: it changes whenever one of them does
    /// (they only grow), which tells a cached rendering of them is old.
    pub fn total(&self) -> u64 {
        [
            &self.denied_operations,
            &self.denied_data_writes,
            &self.denied_notifications,
        ]
        .iter()
        .map(|c| Self::get(c))
        .fold(0, u64::wrapping_add)
    }

    fn bump(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::Relaxed)
    }
}

/// What NACM knows of the schema, computed once: where the default-deny
/// marks are, and each module's namespace and prefix.
#[derive(Debug)]
pub struct SchemaInfo {
    pub marks: MarkTree,
    /// namespace → (module name, prefix)
    modules: HashMap<String, (String, String)>,
    /// module name → namespace
    namespaces: HashMap<String, String>,
}

impl SchemaInfo {
    pub fn new(schema: &Schema) -> SchemaInfo {
        let mut modules = HashMap::new();
        let mut namespaces = HashMap::new();
        for m in schema.modules() {
            modules.insert(m.namespace.clone(), (m.name.clone(), m.prefix.clone()));
            namespaces.insert(m.name.clone(), m.namespace.clone());
        }
        SchemaInfo {
            marks: MarkTree::build(schema.context()),
            modules,
            namespaces,
        }
    }

    pub fn namespace(&self, module: &str) -> Option<String> {
        self.namespaces.get(module).cloned()
    }

    pub fn prefix(&self, ns: &str) -> Option<&str> {
        self.modules.get(ns).map(|(_, p)| p.as_str())
    }

    /// Every marked schema node as `/module:node/...`, with its mark.
    pub fn marked_paths(&self) -> Vec<(String, marks::Mark)> {
        let names = self
            .modules
            .iter()
            .map(|(ns, (name, _))| (ns.clone(), name.clone()))
            .collect();
        self.marks.marked_paths(&names)
    }
}

/// The server's NACM state.
#[derive(Debug)]
pub struct Nacm {
    pub counters: Counters,
    pub info: SchemaInfo,
}

impl Nacm {
    pub fn new(schema: &Schema) -> Nacm {
        Nacm {
            counters: Counters::default(),
            info: SchemaInfo::new(schema),
        }
    }

    /// `user`'s NACM groups under `config`, sorted: users with the same
    /// groups have the same rights.
    pub fn groups(&self, config: &Config, user: &str) -> Vec<String> {
        let mut g = groups::user_groups(&config.nacm, &config.netconf, user);
        g.sort();
        g.dedup();
        g
    }

    /// `user`'s rights under `config`'s `/nacm`.
    pub fn access(&self, config: &Config, user: &str) -> Access {
        let groups = groups::user_groups(&config.nacm, &config.netconf, user);
        Access::new(&config.nacm, &groups, |m| self.info.namespace(m))
    }
}

/// The session user's rights under the running configuration.
pub fn access(server: &Server, session: &Session) -> Access {
    server.nacm.access(&server.running(), &session.user)
}

fn denied_operation(server: &Server, session: &Session, what: &str) -> RpcError {
    Counters::bump(&server.nacm.counters.denied_operations);
    RpcError::protocol(
        Tag::AccessDenied,
        format!("access control denies user '{}' {what}", session.user),
    )
}

/// May the session run the rpc `name` of the module with namespace `ns`?
/// close-session always may (RFC 8341 3.4.4). An rpc no module defines is
/// judged by the rules alone; its dispatch reports it unknown.
pub fn check_rpc(server: &Server, session: &Session, ns: &str, name: &str) -> Result<(), RpcError> {
    if ns == crate::netconf::NC_NS && name == "close-session" {
        return Ok(());
    }
    let access = access(server, session);
    let mark = rpc_mark(server.schema.context(), ns, name);
    if access.exec(ns, name, mark).permit {
        return Ok(());
    }
    Err(denied_operation(server, session, &format!("the operation '{name}'")).bad_element(name))
}

/// RFC 8341 restricts kill-session and delete-config by
/// default; RFC 6241's ietf-netconf module predates NACM and does not
/// mark them, so they are marked here when the module does not.
const RESTRICTED_BASE_OPERATIONS: [&str; 2] = ["kill-session", "delete-config"];

/// The default-deny mark of an rpc.
pub fn rpc_mark(ctx: &yang5::context::Context, ns: &str, name: &str) -> Option<marks::Mark> {
    let written = ctx
        .get_module_implemented_ns(ns)
        .and_then(|m| m.rpcs().find(|r| r.name() == name))
        .and_then(|r| mark_of(&r));
    let restricted = ns == crate::netconf::NC_NS && RESTRICTED_BASE_OPERATIONS.contains(&name);
    written.or(restricted.then_some(marks::Mark::DenyAll))
}

/// May the session run the YANG action that `top` (the child of
/// `<action xmlns="urn:ietf:params:xml:ns:yang:1">`) leads to? The
/// element path is walked down to the first node that is an action in the
/// schema; rules with no target or a path covering the action node decide,
/// then the action's default-deny-all mark, then exec-default. A tree
/// that names no action passes: the dispatcher reports it.
pub fn check_action(server: &Server, session: &Session, top: &Element) -> Result<(), RpcError> {
    let ctx = server.schema.context();
    let Some(mut schema) = ctx.get_module_implemented_ns(&top.ns).and_then(|m| {
        m.top_level_nodes(IterSchemaFlags::empty())
            .find(|n| n.name() == top.name)
    }) else {
        return Ok(());
    };
    let mut chain: Vec<&Element> = vec![top];
    let mut el = top;
    while schema.kind() != SchemaNodeKind::Action {
        let found = el.children.iter().find_map(|c| {
            schema
                .children2(IterSchemaFlags::empty())
                .chain(schema.actions())
                .find(|s| s.name() == c.name && s.module().namespace() == c.ns)
                .map(|s| (c, s))
        });
        let Some((child, s)) = found else {
            return Ok(());
        };
        chain.push(child);
        el = child;
        schema = s;
    }
    let access = access(server, session);
    if access.exec_action(&chain, mark_of(&schema)).permit {
        return Ok(());
    }
    Err(
        denied_operation(server, session, &format!("the action '{}'", schema.name()))
            .bad_element(schema.name()),
    )
}

/// Whether the session may read everything, so that replies need no
/// pruning (an admin under the default rules, or NACM off). Cheap.
pub fn reads_everything(server: &Server, session: &Session) -> bool {
    access(server, session).reads_everything()
}

/// Remove from rendered data (top-level elements of a reply) what the
/// session may not read: silently, as RFC 8341 3.4.5 asks. True when
/// anything was removed.
pub fn prune(server: &Server, session: &Session, nodes: &mut Vec<Element>) -> bool {
    read::prune(&access(server, session), server, nodes)
}

/// The printed reply data with what `access` may not read removed.
pub fn readable_as(server: &Server, access: &Access, xml: String) -> Result<String, RpcError> {
    if access.reads_everything() || xml.is_empty() {
        return Ok(xml);
    }
    let mut nodes = crate::netconf::datastore::data::elements(&xml)?;
    if !read::prune(access, server, &mut nodes) {
        return Ok(xml);
    }
    Ok(nodes.iter().map(Element::to_xml).collect())
}

/// copy-config from a datastore reads all of it: refused unless the
/// session may read every node of it (copying what one cannot read would
/// leak it into a datastore one can).
pub fn check_source_readable(
    server: &Server,
    session: &Session,
    config: &Config,
) -> Result<(), RpcError> {
    let access = access(server, session);
    if access.reads_everything() {
        return Ok(());
    }
    let mut nodes = write::render(server, config)?;
    if read::prune(&access, server, &mut nodes) {
        Counters::bump(&server.nacm.counters.denied_operations);
        return Err(RpcError::protocol(
            Tag::AccessDenied,
            format!(
                "access control denies user '{}' reading all of the source",
                session.user
            ),
        ));
    }
    Ok(())
}

/// May the session change a datastore from `old` to `new`? Every node
/// created, updated or deleted is checked (create, update, delete access);
/// the first denied one is reported with its error-path and counted in
/// denied-data-writes. A permitted change of running, or of the candidate
/// that becomes it, must still leave a NETCONF administrator
/// ([`lockout`]); startup is not what the agent runs (it does not boot
/// from it), so emptying it locks nobody out.
pub fn check_write(
    server: &Server,
    session: &Session,
    target: Target,
    old: &Config,
    new: &Config,
) -> Result<(), RpcError> {
    let access = access(server, session);
    if !access.writes_everything() {
        write::check(&access, server, old, new).inspect_err(|_| {
            Counters::bump(&server.nacm.counters.denied_data_writes);
        })?;
    }
    match target {
        Target::Running | Target::Candidate => lockout::check(server, old, new),
        Target::Startup => Ok(()),
    }
}

/// What of a notification the session may receive; a dropped one is
/// counted in denied-notifications.
pub fn notification(server: &Server, session: &Session, tree: &DataTree<'_>) -> Verdict {
    let access = access(server, session);
    let verdict = notify::verdict(&access, server, tree);
    if verdict == Verdict::Drop {
        Counters::bump(&server.nacm.counters.denied_notifications);
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::marks::Mark;
    use super::*;
    use crate::netconf::yang::schema::OWN_MODULES;

    use crate::netconf::yang::schema::test_schema as schema;

    #[test]
    fn libyang_marks_are_the_ones_the_modules_write() {
        let schema = schema();
        let info = SchemaInfo::new(&schema);
        let marked = info.marked_paths();
        let find = |p: &str| marked.iter().find(|(m, _)| m == p).map(|(_, k)| *k);
        assert_eq!(find("/ietf-netconf-acm:nacm"), Some(Mark::DenyAll));
        assert_eq!(
            find(
                "/chain-agent-system:snmp/chain-agent-system:communities/chain-agent-system:community"
            ),
            Some(Mark::DenyAll),
            "{marked:?}"
        );
        assert_eq!(
            find(
                "/chain-agent-system:netconf/chain-agent-system:users/chain-agent-system:user/chain-agent-system:password"
            ),
            Some(Mark::DenyAll)
        );
        // Every mark our own modules write, and no other, is seen: a
        // mark in a grouping once per place the grouping is used.
        let written: usize = OWN_MODULES
            .iter()
            .map(|(_, text)| instantiated_marks(text))
            .sum();
        let own = marked
            .iter()
            .filter(|(p, _)| p.starts_with("/chain-agent-"))
            .count();
        assert_eq!(own, written, "{marked:?}");
    }

    /// The NACM marks a module's text writes, a mark inside a grouping
    /// counted once per instantiation of the grouping (through `uses`
    /// outside any grouping, or in another grouping, recursively).
    fn instantiated_marks(text: &str) -> usize {
        // The places of the marks, `nacm:default-deny-all;` and
        // `nacm:default-deny-write;` statements.
        let marks: Vec<usize> = ["nacm:default-deny-all;", "nacm:default-deny-write;"]
            .iter()
            .flat_map(|m| text.match_indices(m).map(|(i, _)| i))
            .collect();
        // Each grouping statement's body (a line that starts with
        // `grouping NAME {`), by brace matching.
        let mut groupings: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let Some(rest) = line.trim_start().strip_prefix("grouping ") else {
                continue;
            };
            let name = rest.trim_end().trim_end_matches('{').trim().to_string();
            let open = start
                + line
                    .find('{')
                    .expect("a grouping opens its body on its line");
            let mut depth = 0usize;
            let end = text[open..]
                .char_indices()
                .find_map(|(i, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    (depth == 0).then_some(open + i)
                })
                .expect("a closed body");
            groupings.push((name, open..end));
        }
        // The innermost grouping holding a place, if any (groupings
        // are not nested in our modules, but uses may be).
        let holder = |i: usize| {
            groupings
                .iter()
                .find(|(_, r)| r.contains(&i))
                .map(|(n, _)| n.clone())
        };
        fn instances(name: &str, text: &str, holder: &dyn Fn(usize) -> Option<String>) -> usize {
            text.match_indices(&format!("uses {name};"))
                .map(|(i, _)| match holder(i) {
                    Some(outer) => instances(&outer, text, holder),
                    None => 1,
                })
                .sum()
        }
        marks
            .into_iter()
            .map(|i| match holder(i) {
                Some(name) => instances(&name, text, &holder),
                None => 1,
            })
            .sum()
    }

    #[test]
    fn rpc_marks_of_ietf_netconf_are_read() {
        let schema = schema();
        let mark = |name: &str| rpc_mark(schema.context(), crate::netconf::NC_NS, name);
        assert_eq!(mark("kill-session"), Some(Mark::DenyAll));
        assert_eq!(mark("delete-config"), Some(Mark::DenyAll));
        assert_eq!(mark("get"), None);
        assert_eq!(mark("edit-config"), None);
    }
}
