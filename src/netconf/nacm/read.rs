//! Read access on rendered data (RFC 8341 3.4.5): nodes the user may not
//! read are left out of the reply without a word.
//!
//! Three speeds. A user whose rules permit every read costs nothing. A
//! user no rule restricts (only the modules' default-deny-all marks do)
//! costs a walk along the few marked schema nodes. Anyone else gets every
//! node checked.

use super::marks::{Mark, MarkCursor, MarkTree};
use super::path::Step;
use super::rules::{Access, By};
use crate::config::AccessOperation;
use crate::netconf::shared::Server;
use crate::netconf::transport::xml::Element;
use yang5::context::Context;
use yang5::iter::IterSchemaFlags;
use yang5::schema::{SchemaNode, SchemaNodeKind};

/// Remove unreadable nodes from `nodes` (top-level data nodes, or a
/// notification); true when something was removed.
pub(super) fn prune(access: &Access, server: &Server, nodes: &mut Vec<Element>) -> bool {
    if access.reads_everything() {
        return false;
    }
    let marks = &server.nacm.info.marks;
    if access.reads_by_marks_only() {
        return by_marks(marks, nodes, MarkCursor::root(), true);
    }
    let mut walk = Walk {
        access,
        marks,
        ctx: server.schema.context(),
        stack: Vec::new(),
    };
    walk.nodes(nodes, MarkCursor::root())
}

fn by_marks(tree: &MarkTree, nodes: &mut Vec<Element>, at: MarkCursor<'_>, top: bool) -> bool {
    let mut removed = false;
    nodes.retain_mut(|e| {
        let c = at.step(tree, top, &e.ns, &e.name);
        if c.mark() == Some(Mark::DenyAll) {
            removed = true;
            return false;
        }
        if c.has_marks_below()
            && !e.children.is_empty()
            && by_marks(tree, &mut e.children, c, false)
        {
            removed = true;
            // A container left empty by access control goes too: it
            // would only say that something is hidden in it.
            return !e.children.is_empty();
        }
        true
    });
    removed
}

/// A node as rule paths see it: name, namespace and the values of its
/// leaf children (list keys among them).
pub(super) fn step_of(e: &Element) -> Step {
    Step {
        ns: e.ns.clone(),
        name: e.name.clone(),
        keys: e
            .children
            .iter()
            .filter(|c| c.children.is_empty() && c.ns == e.ns)
            .map(|c| (c.name.clone(), c.value().to_string()))
            .collect(),
    }
}

struct Walk<'a> {
    access: &'a Access,
    marks: &'a MarkTree,
    ctx: &'a Context,
    stack: Vec<Step>,
}

impl Walk<'_> {
    fn nodes(&mut self, nodes: &mut Vec<Element>, at: MarkCursor<'_>) -> bool {
        let top = self.stack.is_empty();
        let before = nodes.len();
        let mut removed = false;
        let mut kept = Vec::with_capacity(nodes.len());
        for mut e in nodes.drain(..) {
            let c = at.step(self.marks, top, &e.ns, &e.name);
            self.stack.push(step_of(&e));
            let d = self
                .access
                .data(AccessOperation::Read, &self.stack, c.mark());
            let keep = if d.permit {
                let had_children = !e.children.is_empty();
                removed |= self.nodes(&mut e.children, c);
                !(had_children && e.children.is_empty())
            } else if d.by == By::Default && !e.children.is_empty() {
                // Denied by read-default only: a rule may still permit
                // something below, which is then shown with the way to it.
                let keys = self.list_keys();
                let original: Vec<Element> = e
                    .children
                    .iter()
                    .filter(|k| keys.contains(&k.name) && k.ns == e.ns)
                    .cloned()
                    .collect();
                self.nodes(&mut e.children, c);
                removed = true;
                if e.children.is_empty() {
                    false
                } else {
                    for k in original.into_iter().rev() {
                        if !e.children.iter().any(|x| x.name == k.name && x.ns == k.ns) {
                            e.children.insert(0, k);
                        }
                    }
                    true
                }
            } else {
                false
            };
            self.stack.pop();
            if keep {
                kept.push(e);
            } else {
                removed = true;
            }
        }
        *nodes = kept;
        removed || nodes.len() != before
    }

    /// The key names of the node on top of the stack if it is a list entry.
    fn list_keys(&self) -> Vec<String> {
        let Some(schema) = schema_of(self.ctx, &self.stack) else {
            return Vec::new();
        };
        if schema.kind() != SchemaNodeKind::List {
            return Vec::new();
        }
        schema.list_keys().map(|k| k.name().to_string()).collect()
    }
}

/// The schema node of a data path (data nodes and notifications).
pub(super) fn schema_of<'c>(ctx: &'c Context, steps: &[Step]) -> Option<SchemaNode<'c>> {
    let (first, rest) = steps.split_first()?;
    let module = ctx.get_module_implemented_ns(&first.ns)?;
    let mut node = module
        .top_level_nodes(IterSchemaFlags::empty())
        .chain(module.notifications())
        .find(|n| n.name() == first.name)?;
    for s in rest {
        node = node
            .children2(IterSchemaFlags::empty())
            .find(|c| c.name() == s.name && c.module().namespace() == s.ns)?;
    }
    Some(node)
}
