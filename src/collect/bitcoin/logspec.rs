//! Bitcoin Core's `logging` RPC as the node's log configuration: the
//! enabled debug categories are the node's log spec, and a spec such as
//! "net,rpc" (enable) or "-net" (disable) becomes a `logging` call.

use serde_json::Value;

/// The categories `logging` reports enabled, sorted and comma-joined.
pub fn enabled(answer: &Value) -> String {
    let mut on: Vec<&str> = answer
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k.as_str())
                .collect()
        })
        .unwrap_or_default();
    on.sort_unstable();
    on.join(",")
}

/// What one spec asks `logging` to do.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoggingChange {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error("empty log spec")]
    Empty,
    #[error("{0:?} is not a category name (letters, digits, '_')")]
    BadCategory(String),
}

/// Parse "net,rpc,-tor": a bare name enables a category, a leading '-'
/// disables it. Names are left to the node to accept, since forks and
/// releases have different category lists ("all" and "none" included).
pub fn parse(spec: &str) -> Result<LoggingChange, SpecError> {
    let mut out = LoggingChange::default();
    for token in spec.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let (name, list) = match token.strip_prefix('-') {
            Some(n) => (n, &mut out.exclude),
            None => (token, &mut out.include),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(SpecError::BadCategory(token.to_string()));
        }
        list.push(name.to_string());
    }
    if out.include.is_empty() && out.exclude.is_empty() {
        return Err(SpecError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enabled_categories_are_sorted_and_joined() {
        let v = json!({"rpc": true, "net": true, "tor": false});
        assert_eq!(enabled(&v), "net,rpc");
        assert_eq!(enabled(&json!({"net": false})), "");
        assert_eq!(enabled(&json!([])), "");
    }

    #[test]
    fn spec_splits_into_include_and_exclude() {
        assert_eq!(
            parse("net, rpc,-tor").unwrap(),
            LoggingChange {
                include: vec!["net".into(), "rpc".into()],
                exclude: vec!["tor".into()],
            }
        );
        assert_eq!(parse("-net").unwrap().exclude, vec!["net".to_string()]);
        assert_eq!(parse(" , "), Err(SpecError::Empty));
        assert_eq!(
            parse("net;rm"),
            Err(SpecError::BadCategory("net;rm".into()))
        );
        assert_eq!(parse("-"), Err(SpecError::BadCategory("-".into())));
    }
}
