//! Where an edit puts an entry of an ordered-by-user list or leaf-list
//! (RFC 7950 7.7.9 and 7.8.6): the `insert`, `key` and `value` attributes
//! of the YANG XML namespace. The edit engine asks [`requested`] what the
//! client wants and [`index`] where that is among the entry's siblings;
//! the order then reaches the typed configuration because every step after
//! the edit (libyang, the JSON mapping, the rule-list `Vec`) keeps the
//! order of user-ordered entries.

use crate::netconf::rpc_error::{ErrorType, RpcError, Tag};
use crate::netconf::transport::xml::{Element, Scope};

/// The namespace of `insert`, `key` and `value` (RFC 7950 7.8.6).
pub const YANG_NS: &str = "urn:ietf:params:xml:ns:yang:1";

/// The existing entry a `before` or `after` refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor {
    /// A list entry by its key values (`key="[p:name='x']"`).
    Keys(Vec<(String, String)>),
    /// A leaf-list entry by its value (`value="x"`).
    Value(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Insert {
    First,
    Last,
    Before(Anchor),
    After(Anchor),
}

/// What the node being edited is, as far as placement goes.
pub enum Ordered<'a> {
    /// An ordered-by-user list, with its key names and namespace.
    List { keys: &'a [String], ns: &'a str },
    /// An ordered-by-user leaf-list.
    LeafList,
    /// Anything else: no `insert` allowed.
    No,
}

/// The placement the edit node `e` asks for, if any.
pub fn requested(e: &Element, ordered: Ordered<'_>) -> Result<Option<Insert>, RpcError> {
    let Some(how) = e.attr(YANG_NS, "insert") else {
        return Ok(None);
    };
    let (keys, ns) = match ordered {
        Ordered::No => {
            return Err(bad_attribute(
                "insert",
                &e.name,
                format!("'{}' is not an ordered-by user list or leaf-list", e.name),
            ));
        }
        Ordered::List { keys, ns } => (Some(keys), ns),
        Ordered::LeafList => (None, ""),
    };
    let anchor = || -> Result<Anchor, RpcError> {
        let attr = if keys.is_some() { "key" } else { "value" };
        let Some(text) = e.attr(YANG_NS, attr) else {
            return Err(RpcError::protocol(
                Tag::MissingAttribute,
                format!("insert=\"{how}\" needs the '{attr}' attribute"),
            )
            .with_info("bad-attribute", attr)
            .with_info("bad-element", &e.name));
        };
        match keys {
            None => Ok(Anchor::Value(text.trim().to_string())),
            Some(names) => key_predicates(text, &e.scope, ns, names)
                .map(Anchor::Keys)
                .map_err(|why| bad_attribute("key", &e.name, why)),
        }
    };
    Ok(Some(match how {
        "first" => Insert::First,
        "last" => Insert::Last,
        "before" => Insert::Before(anchor()?),
        "after" => Insert::After(anchor()?),
        other => {
            return Err(bad_attribute(
                "insert",
                &e.name,
                format!("'{other}' is not first, last, before or after"),
            ));
        }
    }))
}

fn bad_attribute(attr: &str, element: &str, message: String) -> RpcError {
    RpcError::new(ErrorType::Protocol, Tag::BadAttribute, message)
        .with_info("bad-attribute", attr)
        .with_info("bad-element", element)
}

/// The anchor names no existing entry (RFC 7950 15.7).
pub fn missing_instance(insert: &Insert, element: &str) -> RpcError {
    let (attr, what) = match insert {
        Insert::Before(Anchor::Keys(k)) | Insert::After(Anchor::Keys(k)) => (
            "key",
            k.iter()
                .map(|(n, v)| format!("[{n}='{v}']"))
                .collect::<String>(),
        ),
        Insert::Before(Anchor::Value(v)) | Insert::After(Anchor::Value(v)) => {
            ("value", format!("'{v}'"))
        }
        Insert::First | Insert::Last => ("insert", String::new()),
    };
    RpcError::application(
        Tag::BadAttribute,
        format!("no '{element}' entry {what} to insert next to"),
    )
    .with_app_tag("missing-instance")
    .with_info("bad-attribute", attr)
    .with_info("bad-element", element)
}

/// The key predicates of an instance-identifier (`[p:a='x'][p:b="y"]`):
/// one per key of the list, prefixes (if any) bound to the list's
/// namespace in the attribute's scope.
fn key_predicates(
    text: &str,
    scope: &Scope,
    list_ns: &str,
    names: &[String],
) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let body = rest
            .strip_prefix('[')
            .ok_or_else(|| format!("'{text}' is not a list of key predicates"))?
            .trim_start();
        let (qname, after) = body
            .split_once('=')
            .ok_or_else(|| format!("a predicate of '{text}' has no '='"))?;
        let qname = qname.trim();
        let name = match qname.split_once(':') {
            Some((prefix, local)) => {
                if scope.get(prefix).map(String::as_str) != Some(list_ns) {
                    return Err(format!(
                        "prefix '{prefix}' in '{text}' is not bound to {list_ns}"
                    ));
                }
                local
            }
            None => qname,
        };
        let after = after.trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '\'' || *c == '"')
            .ok_or_else(|| format!("the value of '{name}' in '{text}' is not quoted"))?;
        let value_and_more = &after[1..];
        let end = value_and_more
            .find(quote)
            .ok_or_else(|| format!("unterminated value in '{text}'"))?;
        let value = &value_and_more[..end];
        rest = value_and_more[end + 1..]
            .trim_start()
            .strip_prefix(']')
            .ok_or_else(|| format!("a predicate of '{text}' is not closed"))?
            .trim_start();
        if !names.iter().any(|n| n == name) {
            return Err(format!("'{name}' is not a key of the list"));
        }
        if out.iter().any(|(n, _)| n == name) {
            return Err(format!("key '{name}' given twice in '{text}'"));
        }
        out.push((name.to_string(), value.to_string()));
    }
    if out.len() != names.len() {
        return Err(format!(
            "'{text}' does not give every key ({})",
            names.join(", ")
        ));
    }
    Ok(out)
}

/// Where among `siblings` (the entry itself not among them) the entry goes.
/// `same` tells the entries of the same list or leaf-list; `is_anchor`
/// which one the anchor names. None: the anchor is not there.
pub fn index(
    siblings: &[Element],
    insert: &Insert,
    same: impl Fn(&Element) -> bool,
    is_anchor: impl Fn(&Element, &Anchor) -> bool,
) -> Option<usize> {
    match insert {
        Insert::First => Some(siblings.iter().position(&same).unwrap_or(siblings.len())),
        Insert::Last => Some(
            siblings
                .iter()
                .rposition(&same)
                .map_or(siblings.len(), |i| i + 1),
        ),
        Insert::Before(a) => siblings.iter().position(|s| same(s) && is_anchor(s, a)),
        Insert::After(a) => siblings
            .iter()
            .position(|s| same(s) && is_anchor(s, a))
            .map(|i| i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn scope() -> Scope {
        Arc::new(BTreeMap::from([
            ("a".to_string(), "urn:a".to_string()),
            ("b".to_string(), "urn:b".to_string()),
        ]))
    }

    #[test]
    fn key_predicates_resolve_prefixes_and_quotes() {
        let names = ["name".to_string(), "id".to_string()];
        let k = key_predicates(
            " [a:name='x y'] [ id = \"it's\" ]",
            &scope(),
            "urn:a",
            &names,
        );
        assert_eq!(
            k,
            Ok(vec![
                ("name".into(), "x y".into()),
                ("id".into(), "it's".into())
            ])
        );
        for bad in [
            "[b:name='x'][id='1']",
            "[c:name='x'][id='1']",
            "[name='x']",
            "[name='x'][name='y']",
            "[nope='x'][id='1']",
            "name='x'",
            "[name=x][id='1']",
            "[name='x'",
            "[name='x' [id='1']",
        ] {
            assert!(
                key_predicates(bad, &scope(), "urn:a", &names).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn positions_count_only_entries_of_the_same_list() {
        let els: Vec<Element> = ["o", "e1", "e2", "o"]
            .iter()
            .map(|n| Element::new("urn:a", &n[..1]).with_text(*n))
            .collect();
        let same = |e: &Element| e.name == "e";
        let anchor = |e: &Element, a: &Anchor| matches!(a, Anchor::Value(v) if v == e.value());
        assert_eq!(index(&els, &Insert::First, same, anchor), Some(1));
        assert_eq!(index(&els, &Insert::Last, same, anchor), Some(3));
        let before = Insert::Before(Anchor::Value("e2".into()));
        assert_eq!(index(&els, &before, same, anchor), Some(2));
        let after = Insert::After(Anchor::Value("e1".into()));
        assert_eq!(index(&els, &after, same, anchor), Some(2));
        let missing = Insert::After(Anchor::Value("o".into()));
        assert_eq!(index(&els, &missing, same, anchor), None);
        assert_eq!(index(&[], &Insert::First, same, anchor), Some(0));
    }
}
