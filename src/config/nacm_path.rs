//! NACM data paths (`node-instance-identifier`): an instance-identifier
//! whose list keys may be left out, e.g.
//! `/chain-agent-nodes:chains/chain[id='sim']/nodes`. A rule's path covers
//! the nodes it names and everything below them. Prefixes are module
//! names (the JSON form libyang keeps) or, for XML values, prefixes bound
//! in the element's scope: the caller resolves them to namespaces.
//!
//! The grammar is configuration's (validation checks rule paths); NACM in
//! the NETCONF server matches it against its XML elements.

/// One step of a path, its module resolved to a namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub ns: String,
    pub name: String,
    /// Key (or other child leaf) values the instance must have.
    pub keys: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("a NACM path starts with '/'")]
    NotAbsolute,
    #[error("'{0}' is not a node name")]
    BadName(String),
    #[error("the first step needs a module prefix")]
    NoModule,
    #[error("unknown module or prefix '{0}'")]
    UnknownPrefix(String),
    #[error("malformed predicate at '{0}'")]
    BadPredicate(String),
}

/// A parsed path; `/` alone (no steps) covers every node.
pub type Path = Vec<Step>;

/// Parse a path; `resolve` maps a prefix to its namespace.
pub fn parse(text: &str, resolve: impl Fn(&str) -> Option<String>) -> Result<Path, PathError> {
    let text = text.trim();
    let mut rest = text.strip_prefix('/').ok_or(PathError::NotAbsolute)?;
    let mut steps: Path = Vec::new();
    if rest.is_empty() {
        return Ok(steps);
    }
    loop {
        let (qname, after) = split_name(rest);
        let (prefix, name) = match qname.split_once(':') {
            Some((p, n)) => (Some(p), n),
            None => (None, qname),
        };
        if !is_name(name) || prefix.is_some_and(|p| !is_name(p)) {
            return Err(PathError::BadName(qname.to_string()));
        }
        let ns = match prefix {
            Some(p) => resolve(p).ok_or_else(|| PathError::UnknownPrefix(p.to_string()))?,
            None => steps
                .last()
                .map(|s| s.ns.clone())
                .ok_or(PathError::NoModule)?,
        };
        let mut step = Step {
            ns,
            name: name.to_string(),
            keys: Vec::new(),
        };
        rest = after;
        while let Some(p) = rest.strip_prefix('[') {
            let (key, value, after) =
                predicate(p).ok_or_else(|| PathError::BadPredicate(rest.to_string()))?;
            step.keys.push((key, value));
            rest = after;
        }
        steps.push(step);
        if rest.is_empty() {
            return Ok(steps);
        }
        rest = rest
            .strip_prefix('/')
            .ok_or_else(|| PathError::BadName(rest.to_string()))?;
    }
}

fn split_name(s: &str) -> (&str, &str) {
    let end = s.find(['[', '/']).unwrap_or(s.len());
    (s[..end].trim(), &s[end..])
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// `key='value']...` (after the `[`): the key without its prefix, the
/// value, and the text after `]`.
fn predicate(s: &str) -> Option<(String, String, &str)> {
    let (key, rest) = s.split_once('=')?;
    let key = key.trim();
    let key = key.rsplit_once(':').map_or(key, |(_, k)| k);
    if !is_name(key) {
        return None;
    }
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &rest[1..];
    let end = body.find(quote)?;
    let value = body[..end].to_string();
    let after = body[end + 1..].trim_start().strip_prefix(']')?;
    Some((key.to_string(), value, after))
}

/// A data node on the way from the root to the node being checked.
pub trait NodeView {
    fn ns(&self) -> &str;
    fn name(&self) -> &str;
    /// The value of the child leaf `name` (a list key), if present.
    fn key(&self, name: &str) -> Option<&str>;
}

impl NodeView for Step {
    fn ns(&self) -> &str {
        &self.ns
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self, name: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Does `path` cover the node at the end of `node` (root first): is the
/// node the one the path names, or below it?
pub fn covers<N: NodeView>(path: &[Step], node: &[N]) -> bool {
    path.len() <= node.len()
        && path.iter().zip(node).all(|(p, n)| {
            p.name == n.name()
                && p.ns == n.ns()
                && p.keys.iter().all(|(k, v)| n.key(k) == Some(v.as_str()))
        })
}

/// Could `path` cover a node below `node`: is `node` on the way to it?
pub fn leads_to<N: NodeView>(path: &[Step], node: &[N]) -> bool {
    path.len() > node.len() && covers(&path[..node.len()], node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(p: &str) -> Option<String> {
        match p {
            "m" | "n" => Some(format!("urn:{p}")),
            _ => None,
        }
    }

    #[test]
    fn paths_parse_with_modules_keys_and_inherited_namespaces() {
        let p = parse("/m:a/b[id='x'][n:k=\"y z\"]/n:c", ns).unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!((p[1].ns.as_str(), p[1].name.as_str()), ("urn:m", "b"));
        assert_eq!(
            p[1].keys,
            [("id".into(), "x".into()), ("k".into(), "y z".into())]
        );
        assert_eq!(p[2].ns, "urn:n");
        assert_eq!(parse("/", ns).unwrap(), Vec::<Step>::new());
        assert_eq!(parse("m:a", ns), Err(PathError::NotAbsolute));
        assert_eq!(parse("/a", ns), Err(PathError::NoModule));
        assert_eq!(parse("/x:a", ns), Err(PathError::UnknownPrefix("x".into())));
        assert!(matches!(
            parse("/m:a[id=x]", ns),
            Err(PathError::BadPredicate(_))
        ));
        assert!(matches!(parse("/m:a//b", ns), Err(PathError::BadName(_))));
    }
}
