//! edit-config semantics (RFC 6241 section 7.2) on element trees.
//!
//! The target datastore arrives as the XML libyang printed for it and the
//! edit as the client's `<config>` content. Each edit node is matched to
//! its schema node (libyang) and to the target node (same name; lists by
//! their keys, leaf-lists by value), then merged, replaced, created,
//! deleted or removed. Entries of ordered-by-user lists and leaf-lists go
//! where the `insert` attribute says (RFC 7950 7.8.6, see [`insert`]); the
//! others are appended. The result goes back to libyang for validation, so
//! this module only has to be right about structure, not about types.

use crate::netconf::NC_NS;
use crate::netconf::datastore::insert::{self, Anchor, Insert, Ordered, YANG_NS};
use crate::netconf::rpc_error::{ErrorType, RpcError, Tag};
use crate::netconf::transport::xml::Element;
use yang5::context::Context;
use yang5::iter::IterSchemaFlags;
use yang5::schema::{SchemaNode, SchemaNodeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Merge,
    Replace,
    Create,
    Delete,
    Remove,
    None,
}

impl Operation {
    pub fn parse(s: &str) -> Option<Operation> {
        Some(match s {
            "merge" => Operation::Merge,
            "replace" => Operation::Replace,
            "create" => Operation::Create,
            "delete" => Operation::Delete,
            "remove" => Operation::Remove,
            "none" => Operation::None,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorOption {
    StopOnError,
    ContinueOnError,
    RollbackOnError,
}

/// What an edit did: the errors met (only more than one with
/// continue-on-error) and whether anything changed.
#[derive(Debug, Default)]
pub struct Outcome {
    pub errors: Vec<RpcError>,
    pub changed: bool,
}

/// Apply `edits` (the children of `<config>`) to `target` (the top-level
/// nodes of the datastore).
pub fn apply(
    ctx: &Context,
    target: &mut Vec<Element>,
    edits: &[Element],
    default: Operation,
    error_option: ErrorOption,
) -> Outcome {
    let mut run = Run {
        ctx,
        outcome: Outcome::default(),
        continue_on_error: error_option == ErrorOption::ContinueOnError,
        stopped: false,
    };
    for e in edits {
        if run.stopped {
            break;
        }
        let schema = top_schema(ctx, &e.ns, &e.name);
        let mut path = Path::default();
        run.node(target, e, schema, default, &mut path);
    }
    run.outcome
}

/// The error-path being built, with the prefixes it binds.
#[derive(Default, Clone)]
struct Path {
    text: String,
    prefixes: Vec<(String, String)>,
}

impl Path {
    fn push(&mut self, schema: &SchemaNode<'_>, e: &Element, keys: &[(String, String)]) {
        let module = schema.module();
        let prefix = module.prefix().to_string();
        if !self.prefixes.iter().any(|(p, _)| *p == prefix) {
            self.prefixes
                .push((prefix.clone(), module.namespace().to_string()));
        }
        self.text.push('/');
        self.text.push_str(&prefix);
        self.text.push(':');
        self.text.push_str(&e.name);
        for (k, v) in keys {
            let quote = if v.contains('\'') { '"' } else { '\'' };
            self.text
                .push_str(&format!("[{prefix}:{k}={quote}{v}{quote}]"));
        }
    }

    fn error(&self, mut e: RpcError) -> RpcError {
        if !self.text.is_empty() {
            e.path = Some(self.text.clone());
            e.path_ns = self.prefixes.clone();
        }
        e
    }
}

struct Run<'c> {
    ctx: &'c Context,
    outcome: Outcome,
    continue_on_error: bool,
    stopped: bool,
}

enum Kind {
    Container,
    List(Vec<String>),
    Leaf,
    LeafList,
    Other,
}

fn kind(schema: &SchemaNode<'_>) -> Kind {
    match schema.kind() {
        SchemaNodeKind::Container => Kind::Container,
        SchemaNodeKind::List => {
            Kind::List(schema.list_keys().map(|k| k.name().to_string()).collect())
        }
        SchemaNodeKind::Leaf => Kind::Leaf,
        SchemaNodeKind::LeafList => Kind::LeafList,
        _ => Kind::Other,
    }
}

/// The placement `e` asks for: checked against the schema (only
/// ordered-by-user nodes take one).
fn placement(
    e: &Element,
    schema: &SchemaNode<'_>,
    kind: &Kind,
) -> Result<Option<Insert>, RpcError> {
    let ordered = match kind {
        Kind::List(keys) if schema.is_user_ordered() => Ordered::List { keys, ns: &e.ns },
        Kind::LeafList if schema.is_user_ordered() => Ordered::LeafList,
        _ => Ordered::No,
    };
    insert::requested(e, ordered)
}

/// Whether `s` is the existing entry `anchor` names.
fn is_anchor(s: &Element, anchor: &Anchor) -> bool {
    match anchor {
        Anchor::Keys(keys) => keys
            .iter()
            .all(|(k, v)| s.children.iter().any(|c| c.name == *k && c.value() == v)),
        Anchor::Value(v) => s.value() == v,
    }
}

/// Put `node` (taken out of `siblings` from `old`, or new) where `insert`
/// says, or back at `old`, or last. True when the order of the entries
/// changed (other siblings do not count: libyang orders them by schema).
/// The anchor was checked to exist beforehand; it may be the node itself,
/// which then stays where it was.
fn place(
    siblings: &mut Vec<Element>,
    node: Element,
    insert: Option<&Insert>,
    old: Option<usize>,
) -> bool {
    let same = |s: &Element| s.name == node.name && s.ns == node.ns;
    let wanted = match insert {
        Some(Insert::Before(a) | Insert::After(a)) if old.is_some() && is_anchor(&node, a) => old,
        Some(ins) => insert::index(siblings, ins, same, is_anchor),
        None => old,
    };
    let rank = |at: usize| {
        siblings[..at.min(siblings.len())]
            .iter()
            .filter(|s| same(s))
            .count()
    };
    let at = match (wanted, old) {
        (Some(w), Some(o)) if rank(w) == rank(o) => o,
        (Some(w), _) => w,
        (None, _) => siblings.len(),
    };
    let at = at.min(siblings.len());
    let moved = old.is_none_or(|o| rank(o) != rank(at));
    siblings.insert(at, node);
    moved
}

impl Run<'_> {
    fn fail(&mut self, e: RpcError) {
        self.outcome.errors.push(e);
        if !self.continue_on_error {
            self.stopped = true;
        }
    }

    fn node(
        &mut self,
        siblings: &mut Vec<Element>,
        e: &Element,
        schema: Option<SchemaNode<'_>>,
        inherited: Operation,
        path: &mut Path,
    ) {
        let Some(schema) = schema else {
            let known_ns = self.ctx.get_module_latest_ns(&e.ns).is_some();
            let err = if known_ns || e.ns.is_empty() {
                RpcError::application(
                    Tag::UnknownElement,
                    format!("no node '{}' here in the schema", e.name),
                )
                .bad_element(&e.name)
            } else {
                RpcError::application(
                    Tag::UnknownNamespace,
                    format!("no module has the namespace '{}'", e.ns),
                )
                .with_info("bad-element", &e.name)
                .with_info("bad-namespace", &e.ns)
            };
            let err = path.error(err);
            return self.fail(err);
        };
        let op = match e.attr(NC_NS, "operation") {
            Some(v) => match Operation::parse(v) {
                Some(op) => op,
                None => {
                    let err = path.error(
                        RpcError::new(
                            ErrorType::Protocol,
                            Tag::BadAttribute,
                            format!("'{v}' is not an edit operation"),
                        )
                        .with_info("bad-attribute", "operation")
                        .with_info("bad-element", &e.name),
                    );
                    return self.fail(err);
                }
            },
            None => inherited,
        };
        let kind = kind(&schema);
        let keys: Vec<(String, String)> = match &kind {
            Kind::List(names) => {
                let mut keys = Vec::with_capacity(names.len());
                for k in names {
                    match e.children.iter().find(|c| c.name == *k && c.ns == e.ns) {
                        Some(c) => keys.push((k.clone(), c.value().to_string())),
                        None => {
                            let mut p = path.clone();
                            p.push(&schema, e, &keys);
                            let err = p.error(
                                RpcError::application(
                                    Tag::MissingElement,
                                    format!("list entry '{}' has no key '{k}'", e.name),
                                )
                                .bad_element(k),
                            );
                            return self.fail(err);
                        }
                    }
                }
                keys
            }
            _ => Vec::new(),
        };
        let len = path.text.len();
        let nprefixes = path.prefixes.len();
        path.push(&schema, e, &keys);
        if !schema.is_config() {
            let err = path.error(
                RpcError::application(
                    Tag::InvalidValue,
                    format!("'{}' is state data and cannot be configured", e.name),
                )
                .bad_element(&e.name),
            );
            self.fail(err);
        } else if matches!(kind, Kind::Other) {
            let err = path.error(
                RpcError::application(
                    Tag::OperationNotSupported,
                    format!("'{}' cannot be edited", e.name),
                )
                .bad_element(&e.name),
            );
            self.fail(err);
        } else {
            match placement(e, &schema, &kind) {
                Ok(insert) => {
                    let edit = Edit {
                        e,
                        schema: &schema,
                        kind: &kind,
                        keys: &keys,
                        insert: insert.as_ref(),
                    };
                    self.apply_op(siblings, &edit, op, path);
                }
                Err(err) => {
                    let err = path.error(err);
                    self.fail(err);
                }
            }
        }
        path.text.truncate(len);
        path.prefixes.truncate(nprefixes);
    }

    fn apply_op(
        &mut self,
        siblings: &mut Vec<Element>,
        edit: &Edit<'_, '_>,
        op: Operation,
        path: &mut Path,
    ) {
        let Edit {
            e,
            schema,
            kind,
            keys,
            insert,
        } = *edit;
        let found = siblings.iter().position(|t| matches(t, e, kind, keys));
        // RFC 7950 7.8.6: insert applies to merge, replace and create.
        let insert = insert.filter(|_| {
            matches!(
                op,
                Operation::Merge | Operation::Replace | Operation::Create
            )
        });
        if let Some(ins @ (Insert::Before(a) | Insert::After(a))) = insert {
            let same = |s: &Element| s.name == e.name && s.ns == e.ns;
            if !siblings.iter().any(|s| same(s) && is_anchor(s, a)) {
                let err = path.error(insert::missing_instance(ins, &e.name));
                return self.fail(err);
            }
        }
        match op {
            Operation::Delete | Operation::Remove => match found {
                Some(i) => {
                    siblings.remove(i);
                    self.outcome.changed = true;
                }
                None if op == Operation::Delete => {
                    let err = path.error(
                        RpcError::application(
                            Tag::DataMissing,
                            format!("'{}' does not exist", e.name),
                        )
                        .bad_element(&e.name),
                    );
                    self.fail(err);
                }
                None => {}
            },
            Operation::Create if found.is_some() => {
                let err = path.error(
                    RpcError::application(Tag::DataExists, format!("'{}' already exists", e.name))
                        .bad_element(&e.name),
                );
                self.fail(err);
            }
            Operation::Replace => {
                let fresh = strip(e);
                let old = found.map(|i| siblings.remove(i));
                let same = old.as_ref() == Some(&fresh);
                let moved = place(siblings, fresh, insert, found);
                if moved || !same {
                    self.outcome.changed = true;
                }
            }
            Operation::Merge | Operation::Create | Operation::None => {
                let child_op = if op == Operation::Create {
                    Operation::Merge
                } else {
                    op
                };
                match kind {
                    Kind::Leaf | Kind::LeafList => {
                        if op == Operation::None {
                            return;
                        }
                        let old = found.map(|i| siblings.remove(i));
                        let same = old.as_ref().is_some_and(|o| o.value() == e.value());
                        let node = match old {
                            Some(o) if same => o,
                            _ => strip(e),
                        };
                        let moved = place(siblings, node, insert, found);
                        if moved || !same {
                            self.outcome.changed = true;
                        }
                    }
                    _ => {
                        let (mut node, existed) = match found {
                            Some(i) => (siblings.remove(i), Some(i)),
                            None => (shell(e, keys), None),
                        };
                        let before = self.outcome.changed;
                        self.outcome.changed = false;
                        for c in &e.children {
                            if self.stopped {
                                break;
                            }
                            // Keys identify the entry; they are not edited.
                            if keys.iter().any(|(k, _)| *k == c.name) && c.ns == e.ns {
                                continue;
                            }
                            let cs = child_schema(schema, &c.ns, &c.name);
                            self.node(&mut node.children, c, cs, child_op, path);
                        }
                        // A new node appears if the edit wrote anything in it, or
                        // if the edit asked for it (merge or create of an empty
                        // container or list entry).
                        // Under `none`, a missing node is created only when an
                        // operation below writes into it; a delete below it has
                        // already reported data-missing.
                        let wrote =
                            self.outcome.changed || (existed.is_none() && op != Operation::None);
                        self.outcome.changed = before || wrote;
                        if existed.is_some() || wrote {
                            let moved = place(siblings, node, insert, existed);
                            if moved && existed.is_some() {
                                self.outcome.changed = true;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One edit node with what the engine knows of it.
#[derive(Clone, Copy)]
struct Edit<'a, 's> {
    e: &'a Element,
    schema: &'a SchemaNode<'s>,
    kind: &'a Kind,
    keys: &'a [(String, String)],
    insert: Option<&'a Insert>,
}

/// Same node: same name; lists by key values, leaf-lists by value.
fn matches(t: &Element, e: &Element, kind: &Kind, keys: &[(String, String)]) -> bool {
    if t.name != e.name || t.ns != e.ns {
        return false;
    }
    match kind {
        Kind::List(_) => keys.iter().all(|(k, v)| {
            let edit_key = e.children.iter().find(|c| c.name == *k);
            t.children.iter().any(|c| {
                c.name == *k
                    && match edit_key {
                        Some(ek) => same_value(c, ek),
                        None => c.value() == v,
                    }
            })
        }),
        Kind::LeafList => same_value(t, e),
        _ => true,
    }
}

/// Equal values, where a `prefix:name` (an identityref) whose prefix each
/// side binds in its own scope compares by namespace: the datastore's
/// printed prefixes and the client's are chosen independently.
fn same_value(a: &Element, b: &Element) -> bool {
    a.value() == b.value() || resolved(a).is_some_and(|ra| resolved(b) == Some(ra))
}

fn resolved(e: &Element) -> Option<(&str, &str)> {
    let (prefix, name) = e.value().split_once(':')?;
    let ns = e.scope.get(prefix)?;
    Some((ns.as_str(), name))
}

/// A new, empty container or list entry (with its keys) for `e`.
fn shell(e: &Element, keys: &[(String, String)]) -> Element {
    let mut node = Element::new(&e.ns, &e.name);
    node.scope = e.scope.clone();
    for (k, v) in keys {
        // The edit's own key element, so that prefixes declared on it (an
        // identityref key) stay bound.
        let key = match e.children.iter().find(|c| c.name == *k) {
            Some(c) => strip(c),
            None => {
                let mut key = Element::new(&e.ns, k).with_text(v.clone());
                key.scope = e.scope.clone();
                key
            }
        };
        node.children.push(key);
    }
    node
}

/// The edit node as data: operation and insert attributes dropped,
/// everywhere below.
fn strip(e: &Element) -> Element {
    let mut out = e.clone();
    fn walk(e: &mut Element) {
        e.attrs.retain(|a| a.ns != NC_NS && a.ns != YANG_NS);
        for c in &mut e.children {
            walk(c);
        }
    }
    walk(&mut out);
    out
}

fn top_schema<'a>(ctx: &'a Context, ns: &str, name: &str) -> Option<SchemaNode<'a>> {
    let module = ctx.get_module_implemented_ns(ns)?;
    module
        .top_level_nodes(IterSchemaFlags::empty())
        .find(|n| n.name() == name)
}

fn child_schema<'a>(parent: &SchemaNode<'a>, ns: &str, name: &str) -> Option<SchemaNode<'a>> {
    parent
        .children2(IterSchemaFlags::empty())
        .find(|n| n.name() == name && n.module().namespace() == ns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yang5::context::ContextFlags;
    use yang5::schema::{SchemaInputFormat, SchemaModule};

    const MODULE: &str = r#"module t { yang-version 1.1; namespace "urn:t"; prefix t;
        container top {
          leaf a { type string; }
          leaf-list tag { type string; }
          list item { key name; leaf name { type string; } leaf v { type int32; } }
          leaf state { type string; config false; }
          list rule { key "name"; ordered-by user;
            leaf name { type string; } leaf v { type int32; } }
          list pair { key "a b"; ordered-by user;
            leaf a { type string; } leaf b { type string; } }
          leaf-list hop { type string; ordered-by user; }
          list kind { key id; leaf id { type identityref { base base-kind; } } leaf v { type int32; } }
        }
        identity base-kind; identity cpu { base base-kind; }
      }"#;

    fn ctx() -> Context {
        let ctx = Context::new(ContextFlags::NO_YANGLIBRARY).unwrap();
        SchemaModule::parse_string(&ctx, MODULE, SchemaInputFormat::YANG).unwrap();
        ctx
    }

    fn doc(s: &str) -> Vec<Element> {
        Element::parse(&format!(
            "<config xmlns='urn:t' xmlns:nc='{NC_NS}'>{s}</config>"
        ))
        .unwrap()
        .children
    }

    /// An identityref key: a prefix declared on the key leaf itself stays
    /// bound in a new entry, and an entry the datastore printed with
    /// another prefix is the same entry.
    #[test]
    fn identityref_keys_keep_their_prefix_and_match_by_namespace() {
        let (out, o) = run(
            "",
            "<top><kind><id xmlns:x='urn:t'>x:cpu</id><v>1</v></kind></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let back = Element::parse(&out).unwrap();
        let id = &back.children[0].children[0];
        assert_eq!(id.value(), "x:cpu");
        assert_eq!(id.scope.get("x").map(String::as_str), Some("urn:t"));
        let (out, o) = run(
            "<top><kind><id xmlns:t='urn:t'>t:cpu</id><v>1</v></kind></top>",
            "<top><kind><id xmlns:y='urn:t'>y:cpu</id><v>2</v></kind></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let back = Element::parse(&out).unwrap();
        assert_eq!(
            back.children.len(),
            1,
            "merged into the existing entry: {out}"
        );
        assert_eq!(back.children[0].children[1].value(), "2", "{out}");
    }

    fn run(target: &str, edit: &str, default: Operation, eo: ErrorOption) -> (String, Outcome) {
        let ctx = ctx();
        let mut t = doc(target);
        let out = apply(&ctx, &mut t, &doc(edit), default, eo);
        (t.iter().map(Element::to_xml).collect(), out)
    }

    const BASE: &str = "<top><a>1</a><item><name>x</name><v>1</v></item></top>";

    #[test]
    fn merge_updates_and_adds() {
        let (t, o) = run(
            BASE,
            "<top><a>2</a><item><name>y</name><v>5</v></item><tag>k</tag></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty() && o.changed, "{:?}", o.errors);
        assert!(
            t.contains("<a>2</a>")
                && t.contains("<name>y</name>")
                && t.contains("<name>x</name>")
                && t.contains("<tag>k</tag>"),
            "{t}"
        );
        let (_, o) = run(
            BASE,
            "<top><a>1</a></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(!o.changed);
    }

    #[test]
    fn create_delete_remove_follow_existence() {
        let (_, o) = run(
            BASE,
            "<top><item nc:operation='create'><name>x</name></item></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::DataExists);
        assert_eq!(
            o.errors[0].path.as_deref(),
            Some("/t:top/t:item[t:name='x']")
        );
        let (_, o) = run(
            BASE,
            "<top><item nc:operation='delete'><name>z</name></item></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::DataMissing);
        let (t, o) = run(
            BASE,
            "<top><item nc:operation='remove'><name>z</name></item><a nc:operation='remove'/></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty() && !t.contains("<a>"), "{t}");
        let (t, o) = run(
            BASE,
            "<top><item nc:operation='delete'><name>x</name></item></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty() && !t.contains("item"), "{t}");
    }

    #[test]
    fn replace_swaps_the_whole_entry() {
        let (t, o) = run(
            BASE,
            "<top><item nc:operation='replace'><name>x</name></item></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.changed && !t.contains("<v>"), "{t}");
    }

    #[test]
    fn none_touches_only_what_carries_an_operation() {
        let (t, o) = run(
            BASE,
            "<top><a>9</a><item><name>x</name><v nc:operation='merge'>7</v></item></top>",
            Operation::None,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        assert!(t.contains("<a>1</a>") && t.contains("<v>7</v>"), "{t}");
        let (_, o) = run(
            "",
            "<top><a nc:operation='delete'/></top>",
            Operation::None,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::DataMissing);
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let (_, o) = run(
            BASE,
            "<top><nope>1</nope></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::UnknownElement);
        let (_, o) = run(
            BASE,
            "<top><state>1</state></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::InvalidValue);
        let (_, o) = run(
            BASE,
            "<top><a nc:operation='frob'>1</a></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::BadAttribute);
        let (_, o) = run(
            BASE,
            "<top><item><v>1</v></item></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::MissingElement);
    }

    #[test]
    fn continue_on_error_goes_on_and_stop_does_not() {
        let edit = "<top><item nc:operation='delete'><name>z</name></item><a>5</a><nope/></top>";
        let (t, o) = run(BASE, edit, Operation::Merge, ErrorOption::ContinueOnError);
        assert_eq!(o.errors.len(), 2);
        assert!(t.contains("<a>5</a>"), "{t}");
        let (_, o) = run(BASE, edit, Operation::Merge, ErrorOption::StopOnError);
        assert_eq!(o.errors.len(), 1);
    }

    const Y: &str = "xmlns:yang='urn:ietf:params:xml:ns:yang:1' xmlns:t='urn:t'";

    /// The names of the `rule` entries (or `hop` values) in order.
    fn order(t: &str, what: &str) -> Vec<String> {
        let top = Element::parse(t).unwrap();
        top.children
            .iter()
            .filter(|c| c.name == what)
            .map(|c| match c.child("urn:t", "name") {
                Some(n) => n.value().to_string(),
                None => c.value().to_string(),
            })
            .collect()
    }

    const RULES: &str = "<top><rule><name>a</name></rule><a>1</a><rule><name>b</name></rule>\
        <rule><name>c</name></rule><hop>x</hop><hop>y</hop></top>";

    fn edit_order(edit: &str) -> (Vec<String>, Vec<String>, Outcome) {
        let (t, o) = run(RULES, edit, Operation::Merge, ErrorOption::StopOnError);
        (order(&t, "rule"), order(&t, "hop"), o)
    }

    #[test]
    fn new_entries_go_where_insert_says() {
        let cases = [
            ("first", "", "n,a,b,c"),
            ("last", "", "a,b,c,n"),
            ("before", "yang:key=\"[t:name='b']\"", "a,n,b,c"),
            ("after", "yang:key=\"[t:name='b']\"", "a,b,n,c"),
            ("after", "yang:key=\"[name='c']\"", "a,b,c,n"),
        ];
        for (how, anchor, want) in cases {
            let edit =
                format!("<top {Y}><rule yang:insert='{how}' {anchor}><name>n</name></rule></top>");
            let (rules, _, o) = edit_order(&edit);
            assert!(o.errors.is_empty() && o.changed, "{how}: {:?}", o.errors);
            assert_eq!(rules.join(","), want, "{how} {anchor}");
        }
        // Without insert: last.
        let (rules, _, _) = edit_order("<top><rule><name>n</name></rule></top>");
        assert_eq!(rules.join(","), "a,b,c,n");
    }

    #[test]
    fn existing_entries_move_with_merge_and_replace_and_stay_without_insert() {
        let (rules, _, o) = edit_order(&format!(
            "<top {Y}><rule yang:insert='first'><name>c</name><v>3</v></rule></top>"
        ));
        assert!(o.changed && o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(rules.join(","), "c,a,b");
        let (rules, _, o) = edit_order(&format!(
            "<top {Y}><rule nc:operation='replace' yang:insert='after' \
             yang:key=\"[t:name='b']\"><name>a</name></rule></top>"
        ));
        assert!(o.changed && o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(rules.join(","), "b,a,c");
        // Moving an entry next to itself, or where it already is, changes nothing.
        for edit in [
            format!(
                "<top {Y}><rule yang:insert='before' yang:key=\"[t:name='b']\"><name>b</name></rule></top>"
            ),
            format!(
                "<top {Y}><rule yang:insert='after' yang:key=\"[t:name='a']\"><name>b</name></rule></top>"
            ),
            "<top><rule><name>a</name></rule></top>".to_string(),
        ] {
            let (rules, _, o) = edit_order(&edit);
            assert!(!o.changed && o.errors.is_empty(), "{edit}: {:?}", o.errors);
            assert_eq!(rules.join(","), "a,b,c", "{edit}");
        }
        // A merge without insert edits in place.
        let (t, o) = run(
            RULES,
            "<top><rule><name>a</name><v>9</v></rule></top>",
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.changed && t.contains("<v>9</v>"), "{t}");
        assert_eq!(order(&t, "rule").join(","), "a,b,c");
    }

    #[test]
    fn leaf_list_values_take_value_anchors() {
        let (_, hops, o) = edit_order(&format!(
            "<top {Y}><hop yang:insert='before' yang:value='x'>z</hop></top>"
        ));
        assert!(o.changed && o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(hops.join(","), "z,x,y");
        let (_, hops, o) = edit_order(&format!(
            "<top {Y}><hop yang:insert='first'>y</hop><hop yang:insert='after' yang:value='x'>w</hop></top>"
        ));
        assert!(o.changed && o.errors.is_empty(), "{:?}", o.errors);
        assert_eq!(hops.join(","), "y,x,w");
        // The data keeps no insert attribute.
        let (t, _) = run(
            RULES,
            &format!("<top {Y}><hop yang:insert='first'>q</hop></top>"),
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(!t.contains("insert"), "{t}");
    }

    #[test]
    fn multi_key_anchors_need_every_key() {
        let base = "<top><pair><a>1</a><b>1</b></pair><pair><a>1</a><b>2</b></pair></top>";
        let (t, o) = run(
            base,
            &format!(
                "<top {Y}><pair yang:insert='before' yang:key=\"[t:a='1'][t:b='2']\"><a>0</a><b>0</b></pair></top>"
            ),
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert!(o.errors.is_empty(), "{:?}", o.errors);
        let top = Element::parse(&t).unwrap();
        let bs: Vec<&str> = top
            .children
            .iter()
            .filter_map(|p| p.child("urn:t", "b").map(Element::value))
            .collect();
        assert_eq!(bs, ["1", "0", "2"]);
        let (_, o) = run(
            base,
            &format!(
                "<top {Y}><pair yang:insert='before' yang:key=\"[t:a='1']\"><a>0</a><b>0</b></pair></top>"
            ),
            Operation::Merge,
            ErrorOption::StopOnError,
        );
        assert_eq!(o.errors[0].tag, Tag::BadAttribute);
    }

    #[test]
    fn insert_errors_follow_rfc_7950() {
        // Not ordered-by user.
        let (_, _, o) = edit_order(&format!(
            "<top {Y}><item yang:insert='first'><name>n</name></item></top>"
        ));
        assert_eq!(o.errors[0].tag, Tag::BadAttribute);
        let (_, _, o) = edit_order(&format!("<top {Y}><tag yang:insert='first'>n</tag></top>"));
        assert_eq!(o.errors[0].tag, Tag::BadAttribute);
        // Not a placement.
        let (_, _, o) = edit_order(&format!(
            "<top {Y}><rule yang:insert='middle'><name>n</name></rule></top>"
        ));
        assert_eq!(o.errors[0].tag, Tag::BadAttribute);
        // before/after without its anchor attribute.
        let (_, _, o) = edit_order(&format!(
            "<top {Y}><rule yang:insert='before'><name>n</name></rule></top>"
        ));
        assert_eq!(o.errors[0].tag, Tag::MissingAttribute);
        let (_, _, o) = edit_order(&format!("<top {Y}><hop yang:insert='after'>n</hop></top>"));
        assert_eq!(o.errors[0].tag, Tag::MissingAttribute);
        // An anchor naming no entry: bad-attribute, missing-instance, with the path.
        let (rules, _, o) = edit_order(&format!(
            "<top {Y}><rule yang:insert='after' yang:key=\"[t:name='zz']\"><name>a</name></rule></top>"
        ));
        let e = &o.errors[0];
        assert_eq!(
            (e.tag, e.app_tag.as_deref(), e.path.as_deref()),
            (
                Tag::BadAttribute,
                Some("missing-instance"),
                Some("/t:top/t:rule[t:name='a']")
            )
        );
        assert_eq!(rules.join(","), "a,b,c", "nothing moved");
        let (_, hops, o) = edit_order(&format!(
            "<top {Y}><hop yang:insert='before' yang:value='nope'>n</hop></top>"
        ));
        assert_eq!(o.errors[0].app_tag.as_deref(), Some("missing-instance"));
        assert_eq!(hops.join(","), "x,y", "nothing added");
    }
}
