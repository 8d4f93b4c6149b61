//! XPath values and their conversions (XPath 1.0 section 4), written to
//! give what libyang gives: a leaf's string is its canonical value, an
//! inner node's is libyang's indented rendering of its leaves, and a
//! number prints as an integer or with one decimal.

use super::XPathError;
use super::budget::Budget;
use super::doc::{Doc, Ix, Kind};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Sorted in document order, without duplicates.
    Nodes(Vec<Ix>),
    Str(String),
    Num(f64),
    Bool(bool),
}

/// Characters of string work that cost one step.
pub const CHARS_PER_STEP: usize = 64;

/// Steps for handling a string of `len` characters.
pub fn string_cost(len: usize) -> u64 {
    1 + (len / CHARS_PER_STEP) as u64
}

/// String to number: libyang uses strtold, which takes leading blanks, a
/// sign, exponents and inf/nan, and rejects anything left over.
pub fn str_to_num(s: &str) -> f64 {
    s.trim_start().parse::<f64>().unwrap_or(f64::NAN)
}

/// Number to string, as libyang prints it.
pub fn num_to_str(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == n.trunc() && n.abs() < 9.2e18 {
        format!("{}", n as i64)
    } else {
        format!("{n:.1}")
    }
}

/// The string-value of a node. Costs one step per node of its subtree.
pub fn node_string(doc: &Doc<'_>, ix: Ix, budget: &mut Budget) -> Result<String, XPathError> {
    match doc.kind(ix) {
        Kind::Term => {
            budget.spend(1)?;
            Ok(doc.node(ix).value.as_deref().unwrap_or("").to_string())
        }
        _ => {
            let mut out = String::new();
            render(doc, ix, 0, &mut out, budget)?;
            Ok(out)
        }
    }
}

/// libyang's cast_string_recursive: an inner node adds a newline and its
/// children one level deeper; a leaf prints as indent, value and a
/// newline, except when it is the very first thing printed.
fn render(
    doc: &Doc<'_>,
    ix: Ix,
    indent: usize,
    out: &mut String,
    budget: &mut Budget,
) -> Result<(), XPathError> {
    // An explicit stack: the tree may be deep.
    let mut stack = vec![(ix, indent, false)];
    while let Some((n, ind, closing)) = stack.pop() {
        budget.spend(1)?;
        match doc.kind(n) {
            Kind::Root if closing => out.push('\n'),
            Kind::Root => {
                out.push('\n');
                stack.push((n, ind, true));
                push_children(doc, n, ind + 1, &mut stack);
            }
            Kind::Inner => {
                out.push('\n');
                push_children(doc, n, ind + 1, &mut stack);
            }
            Kind::Term | Kind::Any => {
                let v = doc.node(n).value.as_deref().unwrap_or("");
                budget.spend(string_cost(v.len()) - 1)?;
                if out.is_empty() {
                    out.push_str(v);
                } else {
                    out.extend(std::iter::repeat_n(' ', ind * 2));
                    out.push_str(v);
                    out.push('\n');
                }
            }
        }
    }
    Ok(())
}

fn push_children(doc: &Doc<'_>, n: Ix, indent: usize, stack: &mut Vec<(Ix, usize, bool)>) {
    let start = stack.len();
    let mut c = doc.first_child(n);
    while let Some(x) = c {
        stack.push((x, indent, false));
        c = doc.next_sibling(x);
    }
    stack[start..].reverse();
}

/// The string of the first node of a node-set ("" when empty).
pub fn nodes_string(
    doc: &Doc<'_>,
    nodes: &[Ix],
    budget: &mut Budget,
) -> Result<String, XPathError> {
    match nodes.first() {
        Some(&n) => node_string(doc, n, budget),
        None => Ok(String::new()),
    }
}

impl Value {
    pub fn boolean(&self) -> bool {
        match self {
            Value::Nodes(n) => !n.is_empty(),
            Value::Str(s) => !s.is_empty(),
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Bool(b) => *b,
        }
    }

    pub fn string(&self, doc: &Doc<'_>, budget: &mut Budget) -> Result<String, XPathError> {
        Ok(match self {
            Value::Nodes(n) => nodes_string(doc, n, budget)?,
            Value::Str(s) => s.clone(),
            Value::Num(n) => num_to_str(*n),
            Value::Bool(b) => if *b { "true" } else { "false" }.into(),
        })
    }

    pub fn number(&self, doc: &Doc<'_>, budget: &mut Budget) -> Result<f64, XPathError> {
        Ok(match self {
            Value::Nodes(_) => str_to_num(&self.string(doc, budget)?),
            Value::Str(s) => str_to_num(s),
            Value::Num(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_libyang() {
        assert_eq!(num_to_str(3.0), "3");
        assert_eq!(num_to_str(-0.0), "0");
        assert_eq!(num_to_str(2.5), "2.5");
        assert_eq!(num_to_str(f64::NAN), "NaN");
        assert_eq!(num_to_str(f64::NEG_INFINITY), "-Infinity");
        assert!(str_to_num(" 12").eq(&12.0));
        assert!(str_to_num("12 ").is_nan());
        assert!(str_to_num("x").is_nan());
    }
}
