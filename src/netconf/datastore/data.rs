//! Datastore contents as libyang trees and XML: the configuration and the
//! state go through their RFC 7951 JSON form (yang::*_map) into libyang,
//! which validates, filters by XPath and prints with-defaults modes.

use crate::config::{Config, NetconfConfig};
use crate::model::snapshot::Snapshot;
use crate::netconf::datastore::edit_scope::Scope;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::transport::xml::Element;
use crate::netconf::xpath::{self, Budget, XPathError};
use crate::netconf::yang::tree::{self, Content, DataError, TreeError};
use crate::netconf::yang::{Schema, config_to_yang, state_to_yang};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use yang5::data::DataTree;

pub use crate::netconf::yang::WithDefaults;

/// A libyang failure on data the agent produced itself: a bug, reported as
/// operation-failed rather than blamed on the client.
fn internal(what: &str, e: impl std::fmt::Display) -> RpcError {
    RpcError::application(Tag::OperationFailed, format!("{what}: {e}"))
}

/// The configuration as a validated libyang tree (defaults added).
pub fn config_tree<'s>(schema: &'s Schema, config: &Config) -> Result<DataTree<'s>, RpcError> {
    tree::parse_json(schema, &config_to_yang(config), Content::Config)
        .map_err(|e| internal("configuration to YANG", e))
}

/// The configuration as a libyang tree for printing in `wd`. The
/// explicit and trim modes print no default libyang adds, and the agent's
/// configuration was validated when it was committed, so for them the
/// tree is parsed without validation, which costs a fraction; report-all
/// needs the defaults validation adds.
pub fn config_tree_for<'s>(
    schema: &'s Schema,
    config: &Config,
    wd: WithDefaults,
) -> Result<DataTree<'s>, RpcError> {
    match wd {
        WithDefaults::Trim | WithDefaults::Explicit => {
            tree::parse_json(schema, &config_to_yang(config), Content::ConfigFragment)
                .map_err(|e| internal("configuration to YANG", e))
        }
        WithDefaults::ReportAll | WithDefaults::ReportAllTagged => config_tree(schema, config),
    }
}

/// The top-level nodes of `scope` in `config`, in the trim form an edit
/// starts from (unvalidated, like [`config_tree_for`]).
pub fn scoped_elements(
    schema: &Schema,
    scope: &Scope,
    config: &Config,
) -> Result<Vec<Element>, RpcError> {
    let tree = tree::parse_json(schema, &scope.json(config), Content::ConfigFragment)
        .map_err(|e| internal("configuration to YANG", e))?;
    elements(&print(&tree, WithDefaults::Trim)?)
}

/// Configuration and state together, as `<get>` returns them. State is not
/// validated: it is what the chains report, leafrefs and all.
pub fn full_tree<'s>(
    schema: &'s Schema,
    config: &Config,
    snapshot: &Snapshot,
) -> Result<DataTree<'s>, RpcError> {
    let mut tree = config_tree(schema, config)?;
    let state = tree::parse_json(schema, &state_to_yang(snapshot, config), Content::State)
        .map_err(|e| internal("state to YANG", e))?;
    tree.merge(&state)
        .map_err(|e| internal("merging state", e))?;
    Ok(tree)
}

/// Print a tree's top-level siblings as XML.
pub fn print(tree: &DataTree<'_>, wd: WithDefaults) -> Result<String, RpcError> {
    tree::print_xml(tree, wd).map_err(|e| internal("printing data", e))
}

/// Printed XML (several top-level elements) as element trees.
pub fn elements(xml: &str) -> Result<Vec<Element>, RpcError> {
    let wrapped = format!("<data>{xml}</data>");
    Element::parse(&wrapped)
        .map(|e| e.children)
        .map_err(|e| internal("reading printed data", e))
}

/// Client configuration (the children of `<config>`, or an edit's result)
/// into the typed configuration: libyang checks types, ranges, leafrefs
/// and mandatory nodes; the core checks the rest at commit.
pub fn config_from_elements(schema: &Schema, nodes: &[Element]) -> Result<Config, RpcError> {
    let xml: String = nodes.iter().map(Element::to_xml).collect();
    tree::config_from_xml(schema, &xml).map_err(invalid)
}

/// The configuration of the modules whose top-level nodes are `nodes`
/// (the content of `scope`), each validated whole; other modules' sections
/// are defaults, for [`Scope::merge`] to leave out.
pub fn scoped_config_from_elements(
    schema: &Schema,
    scope: &Scope,
    nodes: &[Element],
) -> Result<Config, RpcError> {
    let xml: String = nodes.iter().map(Element::to_xml).collect();
    tree::modules_config_from_xml(schema, &xml, scope.own_modules_only()).map_err(invalid)
}

/// Client data libyang or the mapping refused, as an rpc-error.
fn invalid(e: DataError) -> RpcError {
    match e {
        DataError::Tree(TreeError::Invalid {
            message,
            path,
            apptag,
        }) => {
            let mut err = RpcError::application(Tag::InvalidValue, message);
            if let Some(p) = path {
                err = err.with_path(p);
            }
            if let Some(t) = apptag {
                err = err.with_app_tag(t);
            }
            err
        }
        other => RpcError::application(Tag::InvalidValue, other.to_string()),
    }
}

/// The budget of one XPath filter under the `[netconf]` settings;
/// `cancel` is the requesting session's flag.
pub fn xpath_budget(n: &NetconfConfig, cancel: Option<Arc<AtomicBool>>) -> Budget {
    let timeout = (n.xpath_timeout_ms > 0).then(|| Duration::from_millis(n.xpath_timeout_ms));
    Budget::new(n.xpath_max_steps, timeout, cancel)
}

/// The rpc-error for an XPath filter that failed: a bad expression is the
/// client's (invalid-value on the select attribute), a filter past its
/// bound gets operation-failed with the app tag `xpath-too-costly`.
pub fn xpath_error(select: &str, e: XPathError) -> RpcError {
    const SHOWN: usize = 120;
    let shown: String = if select.chars().count() > SHOWN {
        format!("{}...", select.chars().take(SHOWN).collect::<String>())
    } else {
        select.to_string()
    };
    match e {
        XPathError::TooCostly(_) => {
            RpcError::application(Tag::OperationFailed, format!("XPath filter '{shown}': {e}"))
                .with_app_tag(xpath::TOO_COSTLY_APP_TAG)
        }
        XPathError::Cancelled => RpcError::application(Tag::OperationFailed, e.to_string()),
        XPathError::Unsupported(_) => {
            RpcError::application(Tag::OperationNotSupported, format!("XPath '{shown}': {e}"))
        }
        XPathError::Syntax(_) | XPathError::Invalid(_) => {
            RpcError::protocol(Tag::InvalidValue, format!("XPath '{shown}': {e}"))
                .with_info("bad-attribute", "select")
                .with_info("bad-element", "filter")
        }
    }
}

/// Nodes an XPath expression selects, with their ancestors, as a new tree.
/// `scope` binds the expression's prefixes to namespaces (XML style); they
/// are rewritten to module names, as libyang writes them. The work is
/// bounded by `budget`.
pub fn xpath_select<'s>(
    schema: &'s Schema,
    tree: &'s DataTree<'s>,
    select: &str,
    scope: &std::collections::BTreeMap<String, String>,
    budget: &mut Budget,
) -> Result<DataTree<'s>, RpcError> {
    let expr = xpath_expr(schema, select, scope)?;
    let set = xpath::evaluate_bounded(tree, &expr, budget).map_err(|e| xpath_error(select, e))?;
    let mut out = DataTree::new(schema.context());
    for node in set {
        let dup = node
            .duplicate(true)
            .map_err(|e| internal("copying selected data", e))?;
        out.merge(&dup)
            .map_err(|e| internal("merging selected data", e))?;
    }
    Ok(out)
}

/// An XPath expression with its prefixes made module names. Prefixes
/// bound in the request's XML come first; an unbound prefix that is a
/// module name is taken as one, as libyang-based servers do.
pub fn xpath_expr(
    schema: &Schema,
    select: &str,
    scope: &std::collections::BTreeMap<String, String>,
) -> Result<String, RpcError> {
    rewrite_prefixes(select, |prefix| match scope.get(prefix) {
        Some(ns) => schema
            .context()
            .get_module_latest_ns(ns)
            .map(|m| m.name().to_string()),
        None => schema
            .context()
            .get_module_latest(prefix)
            .map(|m| m.name().to_string()),
    })
}

/// Replace each `prefix:` of an XPath expression (outside string literals,
/// not the `::` of an axis) with what `map` gives for it.
fn rewrite_prefixes(expr: &str, map: impl Fn(&str) -> Option<String>) -> Result<String, RpcError> {
    let mut out = String::with_capacity(expr.len());
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            out.push(c);
            i += 1;
            continue;
        }
        let starts_name =
            (c.is_alphabetic() || c == '_') && (i == 0 || !is_name_char(chars[i - 1]));
        if starts_name {
            let start = i;
            while i < chars.len() && is_name_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let is_prefix = i + 1 < chars.len() && chars[i] == ':' && chars[i + 1] != ':';
            if is_prefix {
                let module = map(&name).ok_or_else(|| {
                    RpcError::protocol(
                        Tag::InvalidValue,
                        format!("XPath prefix '{name}' is not bound to a known namespace"),
                    )
                    .with_info("bad-attribute", "select")
                    .with_info("bad-element", "filter")
                })?;
                out.push_str(&module);
            } else {
                out.push_str(&name);
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xpath_prefixes_become_module_names() {
        let map = |p: &str| match p {
            "n" => Some("chain-agent-nodes".to_string()),
            _ => None,
        };
        assert_eq!(
            rewrite_prefixes("/n:chains/n:chain[n:id='a:b']/child::n:nodes", map).unwrap(),
            "/chain-agent-nodes:chains/chain-agent-nodes:chain[chain-agent-nodes:id='a:b']/child::chain-agent-nodes:nodes"
        );
        assert!(rewrite_prefixes("/x:top", map).is_err());
        assert_eq!(
            rewrite_prefixes("count(/a) > 1", map).unwrap(),
            "count(/a) > 1"
        );
    }
}
