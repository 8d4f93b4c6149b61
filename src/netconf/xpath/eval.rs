//! Evaluation of a parsed expression over a [`Doc`], every visited node
//! and every call paid for from the [`Budget`].

use super::XPathError;
use super::ast::{Axis, BinOp, Expr, NodeTest, Path, Start, Step};
use super::budget::Budget;
use super::doc::{Doc, Ix, Kind, ROOT};
use super::value::{Value, node_string, str_to_num, string_cost};
use std::collections::{HashMap, HashSet};

/// The context of one evaluation (XPath 1.0 section 1): node, position
/// and size.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub node: Ix,
    pub pos: usize,
    pub size: usize,
}

pub struct Evaluator<'d, 'a> {
    pub doc: &'d Doc<'a>,
    pub budget: &'d mut Budget,
    /// What `current()` returns: the initial context node.
    pub current: Ix,
    pub regexes: HashMap<String, regex::Regex>,
    /// Literals canonical per leaf type: (schema node, literal).
    canonical: HashMap<(usize, String), String>,
}

impl<'d, 'a> Evaluator<'d, 'a> {
    pub fn new(doc: &'d Doc<'a>, budget: &'d mut Budget) -> Evaluator<'d, 'a> {
        Evaluator {
            current: doc.context,
            doc,
            budget,
            regexes: HashMap::new(),
            canonical: HashMap::new(),
        }
    }

    /// Evaluate from the document's context node.
    pub fn run(&mut self, e: &Expr) -> Result<Value, XPathError> {
        let ctx = Ctx {
            node: self.doc.context,
            pos: 1,
            size: 1,
        };
        self.eval(e, ctx)
    }

    pub fn eval(&mut self, e: &Expr, ctx: Ctx) -> Result<Value, XPathError> {
        self.budget.spend(1)?;
        match e {
            Expr::Literal(s) => Ok(Value::Str(s.clone())),
            Expr::Number(n) => Ok(Value::Num(*n)),
            Expr::Negate(a) => {
                let v = self.eval(a, ctx)?;
                Ok(Value::Num(-v.number(self.doc, self.budget)?))
            }
            Expr::Binary(op, a, b) => self.binary(*op, a, b, ctx),
            Expr::Call(name, args) => self.call(name, args, ctx),
            Expr::Path(p) => self.path(p, ctx).map(Value::Nodes),
        }
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, ctx: Ctx) -> Result<Value, XPathError> {
        match op {
            BinOp::Or => {
                let l = self.eval(a, ctx)?.boolean();
                Ok(Value::Bool(l || self.eval(b, ctx)?.boolean()))
            }
            BinOp::And => {
                let l = self.eval(a, ctx)?.boolean();
                Ok(Value::Bool(l && self.eval(b, ctx)?.boolean()))
            }
            BinOp::Union => {
                let l = self.eval(a, ctx)?;
                let r = self.eval(b, ctx)?;
                match (l, r) {
                    (Value::Nodes(l), Value::Nodes(r)) => {
                        self.budget.spend((l.len() + r.len()) as u64)?;
                        Ok(Value::Nodes(merge(l, r)))
                    }
                    _ => Err(XPathError::Invalid(
                        "both operands of '|' must be node-sets".into(),
                    )),
                }
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let l = self.eval(a, ctx)?;
                let r = self.eval(b, ctx)?;
                self.compare(op, &l, &r).map(Value::Bool)
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                let l = self.eval(a, ctx)?.number(self.doc, self.budget)?;
                let r = self.eval(b, ctx)?.number(self.doc, self.budget)?;
                Ok(Value::Num(match op {
                    BinOp::Add => l + r,
                    BinOp::Sub => l - r,
                    BinOp::Mul => l * r,
                    BinOp::Div => l / r,
                    _ => l % r,
                }))
            }
        }
    }

    /// Comparisons (XPath 1.0 section 3.4), each node-set side read once.
    fn compare(&mut self, op: BinOp, l: &Value, r: &Value) -> Result<bool, XPathError> {
        match (l, r) {
            (Value::Nodes(a), Value::Nodes(b)) => {
                if matches!(op, BinOp::Eq | BinOp::Ne) {
                    let sa = self.strings(a)?;
                    let sb = self.strings(b)?;
                    if op == BinOp::Eq {
                        let set: HashSet<&str> = sa.iter().map(String::as_str).collect();
                        Ok(sb.iter().any(|s| set.contains(s.as_str())))
                    } else {
                        let all: HashSet<&str> =
                            sa.iter().chain(sb.iter()).map(String::as_str).collect();
                        Ok(!sa.is_empty() && !sb.is_empty() && all.len() > 1)
                    }
                } else {
                    let na = self.numbers(a)?;
                    let nb = self.numbers(b)?;
                    let (Some((amin, amax)), Some((bmin, bmax))) = (min_max(&na), min_max(&nb))
                    else {
                        return Ok(false);
                    };
                    Ok(match op {
                        BinOp::Lt => amin < bmax,
                        BinOp::Le => amin <= bmax,
                        BinOp::Gt => amax > bmin,
                        _ => amax >= bmin,
                    })
                }
            }
            (Value::Nodes(a), other) => self.compare_nodes(op, a, other),
            (other, Value::Nodes(b)) => self.compare_nodes(flip(op), b, other),
            _ => {
                if matches!(op, BinOp::Eq | BinOp::Ne) {
                    let eq = if matches!(l, Value::Bool(_)) || matches!(r, Value::Bool(_)) {
                        l.boolean() == r.boolean()
                    } else if matches!(l, Value::Num(_)) || matches!(r, Value::Num(_)) {
                        l.number(self.doc, self.budget)? == r.number(self.doc, self.budget)?
                    } else {
                        l.string(self.doc, self.budget)? == r.string(self.doc, self.budget)?
                    };
                    Ok(eq == (op == BinOp::Eq))
                } else {
                    let a = l.number(self.doc, self.budget)?;
                    let b = r.number(self.doc, self.budget)?;
                    Ok(relate(op, a, b))
                }
            }
        }
    }

    /// A node-set (left) against a string, number or boolean (right).
    fn compare_nodes(
        &mut self,
        op: BinOp,
        nodes: &[Ix],
        other: &Value,
    ) -> Result<bool, XPathError> {
        match other {
            Value::Bool(b) => {
                let a = !nodes.is_empty();
                Ok(match op {
                    BinOp::Eq => a == *b,
                    BinOp::Ne => a != *b,
                    _ => relate(op, f64::from(u8::from(a)), f64::from(u8::from(*b))),
                })
            }
            Value::Num(n) => {
                for &x in nodes {
                    let v = str_to_num(&node_string(self.doc, x, self.budget)?);
                    let hit = match op {
                        BinOp::Eq => v == *n,
                        BinOp::Ne => v != *n,
                        _ => relate(op, v, *n),
                    };
                    if hit {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Str(s) => {
                for &x in nodes {
                    let v = node_string(self.doc, x, self.budget)?;
                    // libyang reads the literal as a value of the leaf's
                    // type first (`[id='01']` matches id 1).
                    let lit = self.canonical_as(x, s)?;
                    let hit = match op {
                        BinOp::Eq => v == lit,
                        BinOp::Ne => v != lit,
                        _ => relate(op, str_to_num(&v), str_to_num(&lit)),
                    };
                    if hit {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Nodes(_) => Err(XPathError::Invalid("internal: node-set pair".into())),
        }
    }

    /// `literal` canonical for the type of leaf `n` (itself when `n` is
    /// not a leaf or the literal is no value of its type), cached per
    /// schema node.
    fn canonical_as(&mut self, n: Ix, literal: &str) -> Result<String, XPathError> {
        let Some(data) = self.doc.node(n).data.as_ref() else {
            return Ok(literal.to_string());
        };
        if self.doc.kind(n) != Kind::Term {
            return Ok(literal.to_string());
        }
        let key = (data.schema().as_raw() as usize, literal.to_string());
        if let Some(c) = self.canonical.get(&key) {
            return Ok(c.clone());
        }
        self.budget.spend(string_cost(literal.len()) * 4)?;
        let c = super::identity::canonical_as(self.doc, n, literal)
            .unwrap_or_else(|| literal.to_string());
        self.canonical.insert(key, c.clone());
        Ok(c)
    }

    fn strings(&mut self, nodes: &[Ix]) -> Result<Vec<String>, XPathError> {
        nodes
            .iter()
            .map(|&n| node_string(self.doc, n, self.budget))
            .collect()
    }

    fn numbers(&mut self, nodes: &[Ix]) -> Result<Vec<f64>, XPathError> {
        Ok(self.strings(nodes)?.iter().map(|s| str_to_num(s)).collect())
    }

    pub fn path(&mut self, p: &Path, ctx: Ctx) -> Result<Vec<Ix>, XPathError> {
        let mut set = match &p.start {
            Start::Root => vec![ROOT],
            Start::Context => vec![ctx.node],
            Start::Filter(e, preds) => {
                let Value::Nodes(nodes) = self.eval(e, ctx)? else {
                    return Err(XPathError::Invalid(
                        "a path or predicate applies only to a node-set".into(),
                    ));
                };
                self.predicates(nodes, preds)?
            }
        };
        for step in &p.steps {
            set = self.step(&set, step)?;
            if set.is_empty() {
                break;
            }
        }
        Ok(set)
    }

    fn step(&mut self, set: &[Ix], step: &Step) -> Result<Vec<Ix>, XPathError> {
        let mut out = Vec::new();
        for &n in set {
            let found = if step.test == NodeTest::Text {
                // libyang's text() on the child axis is the leaf itself
                // (a leaf stands for its text node); other axes have none.
                self.budget.spend(1)?;
                if step.axis == Axis::Child && self.doc.kind(n) == Kind::Term {
                    vec![n]
                } else {
                    Vec::new()
                }
            } else {
                self.axis(n, step.axis, &step.test)?
            };
            let mut found = self.predicates_on_axis(found, &step.predicates)?;
            if step.axis.is_reverse() {
                found.reverse();
            }
            out.extend(found);
        }
        if set.len() > 1 {
            self.budget.spend(out.len() as u64)?;
            out.sort_unstable();
            out.dedup();
        }
        Ok(out)
    }

    /// Filter `nodes` (in the order their positions count) through each
    /// predicate in turn.
    fn predicates_on_axis(
        &mut self,
        mut nodes: Vec<Ix>,
        preds: &[Expr],
    ) -> Result<Vec<Ix>, XPathError> {
        for pred in preds {
            let size = nodes.len();
            let mut kept = Vec::new();
            for (i, &n) in nodes.iter().enumerate() {
                let ctx = Ctx {
                    node: n,
                    pos: i + 1,
                    size,
                };
                let keep = match self.eval(pred, ctx)? {
                    Value::Num(x) => x == (i + 1) as f64,
                    v => v.boolean(),
                };
                if keep {
                    kept.push(n);
                }
            }
            nodes = kept;
        }
        Ok(nodes)
    }

    /// Predicates of a filter expression: positions in document order.
    fn predicates(&mut self, nodes: Vec<Ix>, preds: &[Expr]) -> Result<Vec<Ix>, XPathError> {
        self.predicates_on_axis(nodes, preds)
    }

    fn matches(&self, n: Ix, test: &NodeTest) -> bool {
        match test {
            NodeTest::Node => true,
            NodeTest::Text | NodeTest::Nothing => false,
            NodeTest::Name { module, local } => {
                let node = self.doc.node(n);
                if node.meta.kind == Kind::Root {
                    return false;
                }
                module.as_deref().is_none_or(|m| *node.meta.module == *m)
                    && local.as_deref().is_none_or(|l| *node.meta.name == *l)
            }
        }
    }

    /// The nodes of `axis` from `n` that pass `test`, in axis order
    /// (reverse axes nearest first). One step per node visited.
    fn axis(&mut self, n: Ix, axis: Axis, test: &NodeTest) -> Result<Vec<Ix>, XPathError> {
        let doc = self.doc;
        let mut out = Vec::new();
        let visit = |this: &mut Self, x: Ix, out: &mut Vec<Ix>| -> Result<(), XPathError> {
            this.budget.spend(1)?;
            if this.matches(x, test) {
                out.push(x);
            }
            Ok(())
        };
        match axis {
            Axis::This => visit(self, n, &mut out)?,
            Axis::Attribute => {}
            Axis::Child => {
                let mut c = doc.first_child(n);
                while let Some(x) = c {
                    visit(self, x, &mut out)?;
                    c = doc.next_sibling(x);
                }
            }
            Axis::Descendant | Axis::DescendantOrSelf => {
                let from = if axis == Axis::Descendant { n + 1 } else { n };
                for x in from..doc.end(n) {
                    visit(self, x, &mut out)?;
                }
            }
            Axis::Parent => {
                if let Some(p) = doc.parent(n) {
                    visit(self, p, &mut out)?;
                }
            }
            Axis::Ancestor | Axis::AncestorOrSelf => {
                if axis == Axis::AncestorOrSelf {
                    visit(self, n, &mut out)?;
                }
                let mut p = doc.parent(n);
                while let Some(x) = p {
                    visit(self, x, &mut out)?;
                    p = doc.parent(x);
                }
            }
            Axis::FollowingSibling => {
                let mut c = doc.next_sibling(n);
                while let Some(x) = c {
                    visit(self, x, &mut out)?;
                    c = doc.next_sibling(x);
                }
            }
            Axis::PrecedingSibling => {
                let mut c = doc.prev_sibling(n);
                while let Some(x) = c {
                    visit(self, x, &mut out)?;
                    c = doc.prev_sibling(x);
                }
            }
            Axis::Following => {
                for x in doc.end(n)..doc.len() as Ix {
                    visit(self, x, &mut out)?;
                }
            }
            Axis::Preceding => {
                // Everything before `n` in document order but its
                // ancestors, nearest first.
                let mut x = n;
                while x > 1 {
                    x -= 1;
                    if doc.end(x) > n {
                        // an ancestor
                        self.budget.spend(1)?;
                        continue;
                    }
                    visit(self, x, &mut out)?;
                }
            }
        }
        Ok(out)
    }
}

fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        o => o,
    }
}

fn relate(op: BinOp, a: f64, b: f64) -> bool {
    match op {
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        BinOp::Ge => a >= b,
        BinOp::Eq => a == b,
        _ => a != b,
    }
}

fn min_max(v: &[f64]) -> Option<(f64, f64)> {
    v.iter()
        .filter(|x| !x.is_nan())
        .fold(None, |acc, &x| match acc {
            None => Some((x, x)),
            Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
        })
}

/// Union of two sorted, duplicate-free index lists.
fn merge(a: Vec<Ix>, b: Vec<Ix>) -> Vec<Ix> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}
