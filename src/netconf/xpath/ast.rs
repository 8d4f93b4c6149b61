//! The parsed form of an XPath 1.0 expression.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Union,
}

#[derive(Debug, Clone)]
pub enum Expr {
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
    Literal(String),
    Number(f64),
    Call(String, Vec<Expr>),
    Path(Path),
}

/// Where a location path starts.
#[derive(Debug, Clone)]
pub enum Start {
    /// `/...`: the document root.
    Root,
    /// A relative path: the context node.
    Context,
    /// A filter expression (`(expr)[pred]`, a function call, ...).
    Filter(Box<Expr>, Vec<Expr>),
}

#[derive(Debug, Clone)]
pub struct Path {
    pub start: Start,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Ancestor,
    AncestorOrSelf,
    Attribute,
    Child,
    Descendant,
    DescendantOrSelf,
    Following,
    FollowingSibling,
    Parent,
    Preceding,
    PrecedingSibling,
    /// `self::`
    This,
}

impl Axis {
    pub fn from_name(name: &str) -> Option<Axis> {
        Some(match name {
            "ancestor" => Axis::Ancestor,
            "ancestor-or-self" => Axis::AncestorOrSelf,
            "attribute" => Axis::Attribute,
            "child" => Axis::Child,
            "descendant" => Axis::Descendant,
            "descendant-or-self" => Axis::DescendantOrSelf,
            "following" => Axis::Following,
            "following-sibling" => Axis::FollowingSibling,
            "parent" => Axis::Parent,
            "preceding" => Axis::Preceding,
            "preceding-sibling" => Axis::PrecedingSibling,
            "self" => Axis::This,
            _ => return None,
        })
    }

    /// Reverse axes number their nodes from the context node backwards
    /// (XPath 1.0 section 2.4: proximity position).
    pub fn is_reverse(self) -> bool {
        matches!(
            self,
            Axis::Ancestor | Axis::AncestorOrSelf | Axis::Preceding | Axis::PrecedingSibling
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeTest {
    /// `module:name`, `name`, `module:*` or `*`; `module` is a module name
    /// (prefixes were rewritten before parsing).
    Name {
        module: Option<String>,
        local: Option<String>,
    },
    /// `node()`
    Node,
    /// `text()`
    Text,
    /// `comment()` and `processing-instruction()`: YANG data has none.
    Nothing,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub axis: Axis,
    pub test: NodeTest,
    pub predicates: Vec<Expr>,
}
