//! The `nacm:default-deny-write` and `nacm:default-deny-all` marks of
//! every loaded module, read from libyang's compiled schema. libyang's
//! NACM extension plugin copies a mark to every descendant of the node
//! that carries it, so a node's own extension list says whether it is
//! covered. yang5 has no accessor for extension instances of schema
//! nodes; the raw compiled node has them.

use crate::netconf::libyang::extensions::extension_instances;
use std::collections::HashMap;
use yang5::context::Context;
use yang5::iter::IterSchemaFlags;
use yang5::schema::SchemaNode;

const NACM_MODULE: &str = "ietf-netconf-acm";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Writes need an explicit rule.
    DenyWrite,
    /// Reads, writes and execution need an explicit rule.
    DenyAll,
}

/// The NACM mark on a compiled schema node (data node, rpc, action or
/// notification), its own or inherited from an ancestor.
pub fn mark_of(node: &SchemaNode<'_>) -> Option<Mark> {
    extension_instances(node)
        .into_iter()
        .filter(|(module, _)| module == NACM_MODULE)
        .find_map(|(_, name)| match name.as_str() {
            "default-deny-all" => Some(Mark::DenyAll),
            "default-deny-write" => Some(Mark::DenyWrite),
            _ => None,
        })
}

/// The schema nodes that carry a mark, and their ancestors, by namespace
/// and name. A node off the tree has its parent's mark: only the nodes
/// where the mark changes, and the way to them, are kept, so a walk that
/// follows this tree touches a few nodes of a large datastore.
#[derive(Debug, Default)]
pub struct MarkTree {
    children: HashMap<(String, String), MarkNode>,
}

#[derive(Debug)]
pub struct MarkNode {
    /// The node's mark, inheritance included.
    pub mark: Option<Mark>,
    pub children: MarkTree,
}

impl MarkTree {
    /// Top-level data nodes and notifications of every implemented module.
    pub fn build(ctx: &Context) -> MarkTree {
        let mut tree = MarkTree::default();
        for m in ctx.modules(false).filter(|m| m.is_implemented()) {
            let tops = m
                .top_level_nodes(IterSchemaFlags::empty())
                .chain(m.notifications());
            for top in tops {
                tree.add(&top, None);
            }
        }
        tree
    }

    fn add(&mut self, node: &SchemaNode<'_>, parent_mark: Option<Mark>) {
        if let Some(n) = MarkNode::build(node, parent_mark) {
            self.children.insert(
                (
                    node.module().namespace().to_string(),
                    node.name().to_string(),
                ),
                n,
            );
        }
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&MarkNode> {
        // Few entries: no need to allocate a key for the lookup.
        self.children
            .iter()
            .find(|((n, m), _)| n == ns && m == name)
            .map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.children.is_empty()
    }

    /// Every marked node, as `/module:name/...` paths (for tests and logs).
    pub fn marked_paths(&self, modules: &HashMap<String, String>) -> Vec<(String, Mark)> {
        let mut out = Vec::new();
        self.collect("", None, modules, &mut out);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn collect(
        &self,
        prefix: &str,
        parent: Option<Mark>,
        modules: &HashMap<String, String>,
        out: &mut Vec<(String, Mark)>,
    ) {
        for ((ns, name), node) in &self.children {
            let module = modules.get(ns).map(String::as_str).unwrap_or(ns);
            let path = format!("{prefix}/{module}:{name}");
            if let Some(m) = node.mark
                && node.mark != parent
            {
                out.push((path.clone(), m));
            }
            node.children.collect(&path, node.mark, modules, out);
        }
    }
}

impl MarkNode {
    fn build(node: &SchemaNode<'_>, parent_mark: Option<Mark>) -> Option<MarkNode> {
        let mark = mark_of(node);
        let mut children = MarkTree::default();
        for c in node.children2(IterSchemaFlags::empty()) {
            children.add(&c, mark);
        }
        (mark != parent_mark || !children.is_empty()).then_some(MarkNode { mark, children })
    }
}

/// A trie position while walking data: the node reached, or the mark
/// inherited once the walk has left the tree.
#[derive(Debug, Clone, Copy)]
pub enum MarkCursor<'t> {
    At(&'t MarkNode),
    Off(Option<Mark>),
}

impl<'t> MarkCursor<'t> {
    pub fn root() -> MarkCursor<'t> {
        MarkCursor::Off(None)
    }

    pub fn mark(self) -> Option<Mark> {
        match self {
            MarkCursor::At(n) => n.mark,
            MarkCursor::Off(m) => m,
        }
    }

    /// The position of a child; `tree` is the root for top-level nodes.
    pub fn step(self, tree: &'t MarkTree, top: bool, ns: &str, name: &str) -> MarkCursor<'t> {
        let children = match self {
            _ if top => tree,
            MarkCursor::At(n) => &n.children,
            MarkCursor::Off(m) => return MarkCursor::Off(m),
        };
        match children.child(ns, name) {
            Some(n) => MarkCursor::At(n),
            None => MarkCursor::Off(if top { None } else { self.mark() }),
        }
    }

    /// Whether anything below can carry a different mark.
    pub fn has_marks_below(self) -> bool {
        matches!(self, MarkCursor::At(n) if !n.children.is_empty())
    }
}
