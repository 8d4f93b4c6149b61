//! A libyang data tree laid out for XPath: every node numbered in
//! document order (pre-order), with its parent, the end of its subtree and
//! its sibling before it, so each axis is a walk over indices, node-sets
//! are sorted index vectors, and document order is a comparison.

use super::XPathError;
use super::budget::Budget;
use crate::netconf::libyang::tree_walk::first_top;
use crate::netconf::libyang::values;
use std::collections::HashMap;
use std::rc::Rc;
use yang5::data::{DataNodeRef, DataTree};
use yang5::schema::SchemaNodeKind;

/// Index of a node; 0 is the document root.
pub type Ix = u32;
pub const ROOT: Ix = 0;
const NONE: Ix = Ix::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Root,
    /// Container, list entry, notification, rpc or action.
    Inner,
    /// Leaf or leaf-list entry.
    Term,
    /// anydata / anyxml.
    Any,
}

/// What nodes of one schema node share.
#[derive(Debug)]
pub struct Meta {
    pub name: Rc<str>,
    pub module: Rc<str>,
    pub namespace: Rc<str>,
    pub kind: Kind,
}

#[derive(Debug)]
pub struct Node<'a> {
    pub data: Option<DataNodeRef<'a>>,
    pub parent: Ix,
    /// One past the last node of the subtree.
    pub end: Ix,
    pub prev_sibling: Ix,
    pub meta: Rc<Meta>,
    /// Canonical value of a leaf or leaf-list entry.
    pub value: Option<Box<str>>,
}

#[derive(Debug)]
pub struct Doc<'a> {
    pub nodes: Vec<Node<'a>>,
    /// The node relative paths start from (libyang takes the first
    /// top-level node of the tree).
    pub context: Ix,
}

impl<'a> Doc<'a> {
    /// Lay out `tree`. Costs nothing against the step limit (it is linear
    /// in the data and done once), but looks at the cancellation flags.
    pub fn new(tree: &'a DataTree<'a>, budget: &Budget) -> Result<Doc<'a>, XPathError> {
        let root_meta = Rc::new(Meta {
            name: "".into(),
            module: "".into(),
            namespace: "".into(),
            kind: Kind::Root,
        });
        let mut nodes = vec![Node {
            data: None,
            parent: NONE,
            end: 1,
            prev_sibling: NONE,
            meta: root_meta,
            value: None,
        }];
        let mut metas: HashMap<usize, Rc<Meta>> = HashMap::new();
        // Nodes still to lay out with their depth (top level: 1), children
        // pushed in reverse so they pop in order; `open` holds the nodes
        // whose subtree is not finished, the root first.
        let mut open: Vec<Ix> = vec![ROOT];
        let mut stack: Vec<(DataNodeRef<'a>, usize)> = Vec::new();
        let first: Vec<DataNodeRef<'a>> = match first_top(tree) {
            Some(r) => r.inclusive_siblings().collect(),
            None => Vec::new(),
        };
        for n in first.into_iter().rev() {
            stack.push((n, 1));
        }
        let context_raw = tree.reference().map(|r| r.as_raw());
        let mut context = ROOT;
        while let Some((n, depth)) = stack.pop() {
            if nodes.len() % 1024 == 0 {
                budget.check()?;
            }
            // Close the subtrees this node is not part of.
            while open.len() > depth {
                let done = open.pop().unwrap_or(ROOT);
                nodes[done as usize].end = nodes.len() as Ix;
            }
            if !values::has_schema(&n) {
                continue;
            }
            let ix = nodes.len() as Ix;
            let parent = *open.last().unwrap_or(&ROOT);
            if Some(n.as_raw()) == context_raw {
                context = ix;
            }
            let schema = n.schema();
            let key = schema.as_raw() as usize;
            let meta = metas
                .entry(key)
                .or_insert_with(|| {
                    let kind = match schema.kind() {
                        SchemaNodeKind::Leaf | SchemaNodeKind::LeafList => Kind::Term,
                        SchemaNodeKind::AnyData | SchemaNodeKind::AnyXml => Kind::Any,
                        _ => Kind::Inner,
                    };
                    let module = schema.module();
                    Rc::new(Meta {
                        name: schema.name().into(),
                        module: module.name().into(),
                        namespace: module.namespace().into(),
                        kind,
                    })
                })
                .clone();
            let value = match meta.kind {
                Kind::Term => n.value_canonical().map(String::into_boxed_str),
                _ => None,
            };
            let children: Vec<DataNodeRef<'a>> = match meta.kind {
                Kind::Inner => n.children().collect(),
                _ => Vec::new(),
            };
            nodes.push(Node {
                data: Some(n),
                parent,
                end: ix + 1,
                prev_sibling: NONE,
                meta,
                value,
            });
            open.push(ix);
            for c in children.into_iter().rev() {
                stack.push((c, depth + 1));
            }
        }
        let total = nodes.len() as Ix;
        for ix in open {
            nodes[ix as usize].end = total;
        }
        let mut doc = Doc { nodes, context };
        for parent in 0..total {
            let mut prev = NONE;
            let mut child = doc.first_child(parent);
            while let Some(c) = child {
                doc.nodes[c as usize].prev_sibling = prev;
                prev = c;
                child = doc.next_sibling(c);
            }
        }
        Ok(doc)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn node(&self, ix: Ix) -> &Node<'a> {
        &self.nodes[ix as usize]
    }

    pub fn parent(&self, ix: Ix) -> Option<Ix> {
        let p = self.node(ix).parent;
        (p != NONE).then_some(p)
    }

    pub fn end(&self, ix: Ix) -> Ix {
        self.node(ix).end
    }

    pub fn prev_sibling(&self, ix: Ix) -> Option<Ix> {
        let p = self.node(ix).prev_sibling;
        (p != NONE).then_some(p)
    }

    /// The sibling after `ix`, if any.
    pub fn next_sibling(&self, ix: Ix) -> Option<Ix> {
        let parent = self.parent(ix)?;
        let next = self.end(ix);
        (next < self.end(parent)).then_some(next)
    }

    pub fn first_child(&self, ix: Ix) -> Option<Ix> {
        (ix + 1 < self.end(ix)).then_some(ix + 1)
    }

    pub fn kind(&self, ix: Ix) -> Kind {
        self.node(ix).meta.kind
    }
}
