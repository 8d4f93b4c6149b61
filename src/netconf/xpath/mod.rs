//! The agent's own XPath 1.0 evaluator, for `<filter type="xpath">` in
//! get, get-config and subscriptions.
//!
//! libyang's XPath cannot be bounded or interrupted: a filter such as
//! `//*[count(//*)>0]` is quadratic in the data, nested once more it is
//! cubic, and C code cannot be stopped from outside. This evaluator works
//! on the same libyang data trees and gives the same node-sets (a
//! differential test holds it to libyang), but every node it visits and
//! every function it calls is paid for from a [`Budget`]: past the
//! configured number of steps or time it fails with
//! [`XPathError::TooCostly`], and when the session is killed, its
//! transport drops or the agent shuts down it stops with
//! [`XPathError::Cancelled`].
//!
//! Expressions are in libyang's JSON form: prefixes are module names (see
//! `data::xpath_expr`), and an unprefixed name matches a node of that name
//! in any module, as in libyang.

mod ast;
pub mod budget;
mod doc;
mod eval;
mod functions;
mod identity;
mod lexer;
mod parser;
mod value;

pub use budget::{Budget, Limit, shut_down};

use yang5::data::{DataNodeRef, DataTree};

/// error-app-tag of the rpc-error for a filter past its bound.
pub const TOO_COSTLY_APP_TAG: &str = "xpath-too-costly";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XPathError {
    #[error("syntax: {0}")]
    Syntax(String),
    #[error("not supported: {0}")]
    Unsupported(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the filter needs more work than allowed ({})", describe(.0))]
    TooCostly(Limit),
    #[error("the request was cancelled")]
    Cancelled,
}

fn describe(l: &Limit) -> String {
    match l {
        Limit::Steps(n) => format!("netconf.xpath-max-steps = {n}"),
        Limit::Time(d) => format!("netconf.xpath-timeout-ms = {}", d.as_millis()),
    }
}

/// Evaluate `expr` (libyang JSON form) on `tree` within `budget`: the
/// elements of the resulting node-set, in document order. An expression
/// whose result is not a node-set is an error, as with libyang's
/// `lyd_find_xpath`. The context node (and `current()`) is the node the
/// tree handle points at, as for libyang.
pub fn evaluate_bounded<'a>(
    tree: &'a DataTree<'a>,
    expr: &str,
    budget: &mut Budget,
) -> Result<Vec<DataNodeRef<'a>>, XPathError> {
    budget.check()?;
    let ast = parser::parse(expr)?;
    check_modules(tree, &ast)?;
    let doc = doc::Doc::new(tree, budget)?;
    let mut ev = eval::Evaluator::new(&doc, budget);
    match ev.run(&ast)? {
        value::Value::Nodes(nodes) => Ok(nodes
            .into_iter()
            .filter_map(|n| doc.node(n).data.clone())
            .collect()),
        _ => Err(XPathError::Invalid(format!(
            "XPath \"{expr}\" result is not a node set"
        ))),
    }
}

/// Every module a name test names must be implemented, as libyang
/// requires (an unknown one is an error, not an empty result).
fn check_modules(tree: &DataTree<'_>, e: &ast::Expr) -> Result<(), XPathError> {
    use ast::{Expr, NodeTest, Start};
    use yang5::data::Data;
    let check_path = |p: &ast::Path| -> Result<(), XPathError> {
        for step in &p.steps {
            if let NodeTest::Name {
                module: Some(m), ..
            } = &step.test
                && tree.context().get_module_implemented(m).is_none()
            {
                return Err(XPathError::Invalid(format!(
                    "unknown or not implemented module \"{m}\""
                )));
            }
            for p in &step.predicates {
                check_modules(tree, p)?;
            }
        }
        if let Start::Filter(f, preds) = &p.start {
            check_modules(tree, f)?;
            for p in preds {
                check_modules(tree, p)?;
            }
        }
        Ok(())
    };
    match e {
        Expr::Binary(_, a, b) => {
            check_modules(tree, a)?;
            check_modules(tree, b)
        }
        Expr::Negate(a) => check_modules(tree, a),
        Expr::Literal(_) | Expr::Number(_) => Ok(()),
        Expr::Call(_, args) => args.iter().try_for_each(|a| check_modules(tree, a)),
        Expr::Path(p) => check_path(p),
    }
}

/// Is `expr` an XPath expression this evaluator takes (syntax, nesting,
/// no variables)? For checking a subscription's filter up front.
pub fn check_syntax(expr: &str) -> Result<(), XPathError> {
    parser::parse(expr).map(|_| ())
}

/// Does `expr` select anything in `tree`? (Subscription filters.)
pub fn selects_any(
    tree: &DataTree<'_>,
    expr: &str,
    budget: &mut Budget,
) -> Result<bool, XPathError> {
    Ok(!evaluate_bounded(tree, expr, budget)?.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::yang::schema::test_schema;

    fn tree_of(schema: &crate::netconf::yang::Schema) -> DataTree<'_> {
        let json = serde_json::json!({
            "chain-agent-system:system": {"name": "a", "contact": "b", "location": "c"}
        });
        crate::netconf::yang::tree::parse_json(
            schema,
            &json,
            crate::netconf::yang::tree::Content::Config,
        )
        .expect("tree")
    }

    /// Fuzzing regression: a NUL inside a derived-from() literal reached
    /// yang5's module lookup, which panics on it; it is a syntax error.
    #[test]
    fn a_nul_character_is_a_syntax_error() {
        let schema = test_schema();
        let tree = tree_of(&schema);
        let e = "//alarm[derived-from(alarm-type-id, 'chain-ageZ\0-alarms:c')]/resource";
        let mut b = Budget::new(1_000_000, None, None);
        assert!(matches!(
            evaluate_bounded(&tree, e, &mut b),
            Err(XPathError::Syntax(_))
        ));
    }

    /// The deepest expressions the parser accepts evaluate on a thread
    /// with the stack of tokio's blocking threads (2 MiB), and deeper
    /// ones are refused, not overflowed.
    #[test]
    fn the_deepest_accepted_expression_fits_a_blocking_thread_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(|| {
                let schema = test_schema();
                let tree = tree_of(&schema);
                let n = parser::MAX_DEPTH / 2 - 2;
                let preds = format!("//*{}", "[*".repeat(n) + &"]".repeat(n));
                let calls = format!("{}/*{}", "not(".repeat(n), ")".repeat(n));
                let parens = format!("{}1{}", "(".repeat(n), ")".repeat(n));
                for e in [&preds, &parens] {
                    let mut b = Budget::new(1_000_000, None, None);
                    evaluate_bounded(&tree, e, &mut b)
                        .map(|_| ())
                        .or_else(|e| match e {
                            XPathError::Invalid(_) => Ok(()),
                            other => Err(other),
                        })
                        .unwrap_or_else(|err| panic!("{e}: {err}"));
                }
                let mut b = Budget::new(1_000_000, None, None);
                assert!(matches!(
                    evaluate_bounded(&tree, &calls, &mut b),
                    Err(XPathError::Invalid(_))
                ));
                let too_deep = format!("//*{}", "[*".repeat(200) + &"]".repeat(200));
                let mut b = Budget::new(1_000_000, None, None);
                assert!(matches!(
                    evaluate_bounded(&tree, &too_deep, &mut b),
                    Err(XPathError::Syntax(_))
                ));
            })
            .unwrap();
        handle.join().expect("no stack overflow");
    }

    /// Token soup (a fixed pseudo-random sequence) never panics: every
    /// input ends in a value or an error within the budget.
    #[test]
    fn arbitrary_input_ends_in_a_result_or_an_error() {
        const PIECES: [&str; 40] = [
            "/",
            "//",
            "*",
            "(",
            ")",
            "[",
            "]",
            ".",
            "..",
            "@",
            ",",
            "|",
            "+",
            "-",
            "=",
            "!=",
            "<",
            ">=",
            " and ",
            " or ",
            " div ",
            " mod ",
            "'a'",
            "\"",
            "1",
            "0.5",
            "name",
            "chain-agent-system:system",
            "count(",
            "substring(",
            "re-match(",
            "concat(",
            "derived-from(",
            "enum-value(",
            "last()",
            "position()",
            "node()",
            "text()",
            "ancestor::",
            "preceding::",
        ];
        let schema = test_schema();
        let tree = tree_of(&schema);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let mut e = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = 1 + (seed >> 59) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                e.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
            }
            let mut b = Budget::new(10_000, None, None);
            let _ = evaluate_bounded(&tree, &e, &mut b);
            assert!(b.used() <= 10_001, "{e}: {}", b.used());
        }
    }
}
