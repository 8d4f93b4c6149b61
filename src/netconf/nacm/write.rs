//! Write access (RFC 8341 3.4.5): the change from one configuration to
//! another as the nodes it creates, updates and deletes, each checked for
//! that access. Both configurations are rendered by libyang with every
//! default, so that setting a leaf to its default is an update, not a
//! deletion, and the two sides compare node for node.

use super::marks::{MarkCursor, MarkTree};
use super::read::step_of;
use super::rules::Access;
use crate::config::{AccessOperation, Config};
use crate::netconf::datastore::data::{self, WithDefaults};
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::transport::xml::Element;
use crate::netconf::yang::Schema;
use yang5::context::Context;
use yang5::iter::IterSchemaFlags;
use yang5::schema::{SchemaNode, SchemaNodeKind};

/// A configuration as the top-level elements of its full XML form.
pub(super) fn render(server: &Server, config: &Config) -> Result<Vec<Element>, RpcError> {
    render_with(&server.schema, config)
}

fn render_with(schema: &Schema, config: &Config) -> Result<Vec<Element>, RpcError> {
    let mut c = config.clone();
    // What a commit stores; the difference is not the user's doing.
    crate::config::normalise(&mut c);
    let tree = data::config_tree(schema, &c)?;
    data::elements(&data::print(&tree, WithDefaults::ReportAll)?)
}

pub(super) fn check(
    access: &Access,
    server: &Server,
    old: &Config,
    new: &Config,
) -> Result<(), RpcError> {
    let old = render(server, old)?;
    let new = render(server, new)?;
    let mut diff = Diff {
        access,
        marks: &server.nacm.info.marks,
        ctx: server.schema.context(),
        prefix: &|ns| server.nacm.info.prefix(ns).map(str::to_string),
        stack: Vec::new(),
        path: Vec::new(),
    };
    diff.siblings(&old, &new, None, MarkCursor::root())
}

/// How a node is told apart from its siblings.
enum Identity {
    /// Containers and leaves: by name.
    Name,
    /// List entries: by their key values, in key order.
    Keys(Vec<String>),
    /// Leaf-list entries: by value.
    Value,
}

struct Diff<'a> {
    access: &'a Access,
    marks: &'a MarkTree,
    ctx: &'a Context,
    prefix: &'a dyn Fn(&str) -> Option<String>,
    stack: Vec<super::path::Step>,
    /// error-path segments and the prefixes they bind, parallel to `stack`.
    path: Vec<(String, (String, String))>,
}

fn identity(schema: Option<&SchemaNode<'_>>) -> Identity {
    match schema.map(SchemaNode::kind) {
        Some(SchemaNodeKind::List) => Identity::Keys(
            schema
                .map(|s| s.list_keys().map(|k| k.name().to_string()).collect())
                .unwrap_or_default(),
        ),
        Some(SchemaNodeKind::LeafList) => Identity::Value,
        _ => Identity::Name,
    }
}

fn same(a: &Element, b: &Element, id: &Identity) -> bool {
    if a.name != b.name || a.ns != b.ns {
        return false;
    }
    let key = |e: &Element, k: &str| {
        e.children
            .iter()
            .find(|c| c.name == k && c.ns == e.ns)
            .map(Element::value)
            .map(str::to_string)
    };
    match id {
        Identity::Name => true,
        Identity::Value => a.value() == b.value(),
        Identity::Keys(keys) => keys.iter().all(|k| key(a, k) == key(b, k)),
    }
}

/// The schema node of `e`, a child of `parent` (top-level without one).
fn schema_of<'c>(
    ctx: &'c Context,
    parent: Option<&SchemaNode<'c>>,
    e: &Element,
) -> Option<SchemaNode<'c>> {
    match parent {
        None => ctx
            .get_module_implemented_ns(&e.ns)?
            .top_level_nodes(IterSchemaFlags::empty())
            .find(|n| n.name() == e.name),
        Some(p) => p
            .children2(IterSchemaFlags::empty())
            .find(|n| n.name() == e.name && n.module().namespace() == e.ns),
    }
}

impl<'a> Diff<'a> {
    fn siblings(
        &mut self,
        old: &[Element],
        new: &[Element],
        parent: Option<&SchemaNode<'a>>,
        at: MarkCursor<'_>,
    ) -> Result<(), RpcError> {
        let top = parent.is_none();
        for n in new {
            let schema = schema_of(self.ctx, parent, n);
            let id = identity(schema.as_ref());
            let c = at.step(self.marks, top, &n.ns, &n.name);
            self.push(n, &id);
            match old.iter().find(|o| same(o, n, &id)) {
                None => self.subtree(n, schema.as_ref(), c, AccessOperation::Create)?,
                Some(o) if n.children.is_empty() && o.children.is_empty() => {
                    if o.value() != n.value() {
                        self.check(AccessOperation::Update, c)?;
                    }
                }
                Some(o) => self.siblings(&o.children, &n.children, schema.as_ref(), c)?,
            }
            self.pop();
        }
        for o in old {
            let schema = schema_of(self.ctx, parent, o);
            let id = identity(schema.as_ref());
            if new.iter().any(|n| same(o, n, &id)) {
                continue;
            }
            let c = at.step(self.marks, top, &o.ns, &o.name);
            self.push(o, &id);
            self.subtree(o, schema.as_ref(), c, AccessOperation::Delete)?;
            self.pop();
        }
        Ok(())
    }

    /// A node created or deleted with everything below it.
    fn subtree(
        &mut self,
        e: &Element,
        schema: Option<&SchemaNode<'a>>,
        at: MarkCursor<'_>,
        op: AccessOperation,
    ) -> Result<(), RpcError> {
        self.check(op, at)?;
        for child in &e.children {
            let s = schema.and_then(|p| schema_of(self.ctx, Some(p), child));
            let id = identity(s.as_ref());
            let c = at.step(self.marks, false, &child.ns, &child.name);
            self.push(child, &id);
            self.subtree(child, s.as_ref(), c, op)?;
            self.pop();
        }
        Ok(())
    }

    fn check(&self, op: AccessOperation, at: MarkCursor<'_>) -> Result<(), RpcError> {
        if self.access.data(op, &self.stack, at.mark()).permit {
            return Ok(());
        }
        let mut err = RpcError::application(
            Tag::AccessDenied,
            format!("access control denies {} of this node", op.as_str()),
        )
        .with_path(
            self.path
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<String>(),
        );
        let mut bound: Vec<&(String, String)> = Vec::new();
        for (_, binding) in &self.path {
            if !bound.contains(&binding) {
                bound.push(binding);
                err = err.with_path_ns(&binding.0, &binding.1);
            }
        }
        Err(err)
    }

    fn push(&mut self, e: &Element, id: &Identity) {
        let prefix = (self.prefix)(&e.ns).unwrap_or_else(|| "x".into());
        let mut seg = format!("/{prefix}:{}", e.name);
        let quote = |v: &str| if v.contains('\'') { '"' } else { '\'' };
        match id {
            Identity::Keys(keys) => {
                for k in keys {
                    let v = super::path::NodeView::key(e, k).unwrap_or_default();
                    let q = quote(v);
                    seg.push_str(&format!("[{prefix}:{k}={q}{v}{q}]"));
                }
            }
            Identity::Value => {
                let v = e.value();
                let q = quote(v);
                seg.push_str(&format!("[.={q}{v}{q}]"));
            }
            Identity::Name => {}
        }
        self.path.push((seg, (prefix, e.ns.clone())));
        self.stack.push(step_of(e));
    }

    fn pop(&mut self) {
        self.path.pop();
        self.stack.pop();
    }
}
