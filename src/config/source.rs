//! Reading configuration text, and pointing every problem at its key and line.

use super::path::{ConfigPath, Segment};
use super::schema::Config;
use super::validate::validate;
use std::fmt;
use std::path::Path;

/// One problem with a configuration: the configuration path it is about,
/// and the line when the configuration came from a file. The path shows
/// in its dotted form (`thresholds.cpu-percent`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigIssue {
    pub key: ConfigPath,
    pub line: Option<usize>,
    pub message: String,
}

impl ConfigIssue {
    /// An issue about `path`.
    pub fn at(path: ConfigPath, message: impl Into<String>) -> Self {
        ConfigIssue {
            key: path,
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}: {}", self.key, self.message),
            None => write!(f, "{}: {}", self.key, self.message),
        }
    }
}

/// Read and validate a configuration file. Returns the configuration with
/// its text (whose digest decides whether the file changed since last run).
pub fn load_file(path: &Path) -> Result<(Config, String), Vec<ConfigIssue>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![ConfigIssue::at(
            ConfigPath::of([path.display().to_string()]),
            format!("cannot read: {e}"),
        )]
    })?;
    let config = parse_text(&text)?;
    Ok((config, text))
}

/// Parse and validate configuration text.
pub fn parse_text(text: &str) -> Result<Config, Vec<ConfigIssue>> {
    let mut config: Config = toml::from_str(text).map_err(|e| vec![syntax_issue(text, &e)])?;
    super::validate::normalise(&mut config);
    let mut issues = validate(&config);
    if issues.is_empty() {
        return Ok(config);
    }
    for issue in &mut issues {
        issue.line = line_of_key(text, &issue.key);
    }
    Err(issues)
}

fn syntax_issue(text: &str, e: &toml::de::Error) -> ConfigIssue {
    let line = e.span().map(|s| line_at(text, s.start));
    let message = e.message().to_string();
    let key = line
        .and_then(|l| key_on_line(text, l))
        .map_or_else(|| ConfigPath::from("(document)"), ConfigPath::of);
    // The parser may quote the value it could not take.
    super::secrets::scrub_issue(ConfigIssue { key, line, message })
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The nearest key path at or above a line: the table header plus the
/// key, each split into its TOML key parts (`[chains."eth.main"]` is the
/// chain `eth.main`, not two steps).
fn key_on_line(text: &str, line: usize) -> Option<Vec<String>> {
    let mut table = Vec::new();
    let mut key = None;
    for (i, raw) in text.lines().enumerate() {
        if i + 1 > line {
            break;
        }
        let l = raw.trim();
        if let Some(h) = l.strip_prefix('[') {
            let header = h.trim_start_matches('[');
            let header = header.split_once(']').map_or(header, |(h, _)| h);
            table = toml_key_parts(header);
            key = None;
        } else if let Some((k, _)) = l.split_once('=') {
            key = Some(toml_key_parts(k));
        }
    }
    match (table.is_empty(), key) {
        (true, k) => k,
        (false, Some(k)) => Some([table, k].concat()),
        (false, None) => Some(table),
    }
}

/// The parts of a TOML dotted key, as TOML reads them (quotes and
/// escapes resolved); a key TOML cannot read, which a syntax error may be
/// about, stays one part as written.
fn toml_key_parts(key: &str) -> Vec<String> {
    let key = key.trim();
    match toml_edit::Key::parse(key) {
        Ok(parts) => parts.iter().map(|k| k.get().to_string()).collect(),
        Err(_) => vec![key.to_string()],
    }
}

/// Line of a configuration path in the file, or of its nearest present ancestor.
fn line_of_key(text: &str, key: &ConfigPath) -> Option<usize> {
    let doc = text.parse::<toml_edit::Document<String>>().ok()?;
    let mut item = doc.as_item();
    let mut best = None;
    for segment in key.segments() {
        let Some(table) = item.as_table_like() else {
            break;
        };
        match segment {
            Segment::Name(name) | Segment::Key(name) => {
                let Some((k, next)) = table.get_key_value(name) else {
                    break;
                };
                if let Some(span) = k.span().or_else(|| next.span()) {
                    best = Some(line_at(text, span.start));
                }
                item = next;
            }
            // The n-th entry of a table, in sorted order as the typed
            // configuration holds it (a community is named so).
            Segment::Index(n) => {
                let mut names: Vec<&str> = table.iter().map(|(name, _)| name).collect();
                names.sort_unstable();
                let Some((ek, entry)) = names.get(*n).and_then(|name| table.get_key_value(name))
                else {
                    break;
                };
                if let Some(span) = ek.span().or_else(|| entry.span()) {
                    best = Some(line_at(text, span.start));
                }
                item = entry;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantic_error_names_key_and_line() {
        let text = "[agent]\ncollect-interval-ms = 1000\n\n[thresholds]\ncpu-percent = 250\n";
        let issues = parse_text(text).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].key, "thresholds.cpu-percent");
        assert_eq!(issues[0].line, Some(5));
    }

    #[test]
    fn syntax_error_names_line() {
        let text = "[agent]\ncollect-interval-ms = \"fast\"\n";
        let issues = parse_text(text).unwrap_err();
        assert_eq!(issues[0].line, Some(2));
        assert_eq!(issues[0].key, "agent.collect-interval-ms");
    }

    #[test]
    fn unknown_key_is_rejected_with_its_line() {
        let text = "[snmp]\nenabled = true\nlisten-port = 161\n";
        let issues = parse_text(text).unwrap_err();
        assert_eq!(issues[0].line, Some(3));
        assert!(issues[0].message.contains("listen-port"), "{}", issues[0]);
    }

    #[test]
    fn nested_map_key_line() {
        let text =
            "[chains.sim]\nplatform = \"simulated\"\n[chains.sim.simulation]\nvalidators = 2\n";
        let issues = parse_text(text).unwrap_err();
        assert_eq!(issues[0].key, "chains.sim.simulation.validators");
        assert_eq!(issues[0].line, Some(4));
    }

    /// A chain's id may hold a dot: the issue's path keeps it one key, so
    /// NETCONF's error-path names the chain (it used to be read back from
    /// dotted text as two steps), and the line is still found.
    #[test]
    fn a_chain_id_with_a_dot_stays_one_key() {
        let text = "[chains.\"eth.main\"]\nplatform = \"simulated\"\n\
                    [chains.\"eth.main\".simulation]\nvalidators = 2\n";
        let issues = parse_text(text).unwrap_err();
        let expected = ConfigPath::from("chains")
            .then("eth.main")
            .with("simulation.validators");
        assert_eq!(issues[0].key, expected);
        assert_eq!(
            issues[0].key.yang(),
            "/chain-agent-nodes:chains/chain[id='eth.main']/simulation/validators"
        );
        assert_eq!(issues[0].line, Some(4));
        let syntax = "[chains.\"eth.main\"]\nplatform = \"simulated\"\nreorg-depth = \"deep\"\n";
        let issues = parse_text(syntax).unwrap_err();
        assert_eq!(issues[0].line, Some(3));
        assert_eq!(
            issues[0].key,
            ConfigPath::from("chains")
                .then("eth.main")
                .with("reorg-depth")
        );
    }

    /// A community is a secret and the name of its table: the report
    /// names its position and finds its line, and quotes neither.
    #[test]
    fn a_community_is_reported_by_position_not_by_name() {
        let text = "[snmp.communities.aaa]\naccess = \"read-only\"\n\n\
                    [snmp.communities.rwsecret77]\naccess = \"read-write\"\nsources = [\"nonsense\"]\n";
        let issues = parse_text(text).unwrap_err();
        assert_eq!(issues[0].key, "snmp.communities[1].sources[0]");
        assert_eq!(issues[0].line, Some(6));
        let bad_type = "[snmp.communities.rwsecret77]\naccess = 5\n";
        let issues = parse_text(bad_type).unwrap_err();
        assert!(
            !issues[0].to_string().contains("rwsecret77"),
            "{}",
            issues[0]
        );
        let password = "[snmp.users.u]\ngroup = \"g\"\nauth-password = 12345678901\n";
        let issues = parse_text(password).unwrap_err();
        assert!(
            !issues[0].to_string().contains("12345678901"),
            "{}",
            issues[0]
        );
        assert_eq!(issues[0].key, "snmp.users.u.auth-password");
    }

    #[test]
    fn empty_file_is_the_defaults() {
        let mut expected = Config::default();
        super::super::validate::normalise(&mut expected);
        assert_eq!(parse_text("").unwrap(), expected);
    }
}
