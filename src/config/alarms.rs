//! The `[alarms]` section: ietf-alarms' `/alarms/control` (RFC 8632) in
//! the shared datastore. Only alarm shelving is configuration the agent
//! acts on; the keys follow the YANG names, so
//! `alarms.control.alarm-shelving.shelf` is `/alarms/control/alarm-shelving/shelf`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct AlarmsConfig {
    pub control: AlarmsControl,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct AlarmsControl {
    pub alarm_shelving: AlarmShelving,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct AlarmShelving {
    /// Shelves in the operator's order: an alarm goes on the first that
    /// matches it.
    pub shelf: Vec<Shelf>,
}

/// One shelf: the alarms matching every criterion given (none given:
/// every alarm) leave the alarm list for the shelved-alarm list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Shelf {
    pub name: String,
    /// Regular expressions (see [`shelf_regex`]), one of which must match
    /// the alarm's resource; none: any resource.
    #[serde(default)]
    pub resource: Vec<String>,
    /// Alarm types, one of which must match; none: any type.
    #[serde(default)]
    pub alarm_type: Vec<ShelfAlarmType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ShelfAlarmType {
    /// An alarm-type identity as RFC 7951 names it
    /// (`chain-agent-alarms:cpu-high`); the alarm's type must be it or
    /// derived from it (`chain-agent-alarms:chain-agent-alarm` is every
    /// type the agent raises).
    pub alarm_type_id: String,
    /// A regular expression the alarm-type-qualifier must match. The
    /// agent's qualifiers are all empty, so "" or ".*" matches them.
    pub alarm_type_qualifier_match: String,
}

impl AlarmsConfig {
    pub fn shelves(&self) -> &[Shelf] {
        &self.control.alarm_shelving.shelf
    }
}

/// A shelf's regular expression (resource match, alarm-type-qualifier
/// match) as the agent applies it. RFC 8632 gives both as XML Schema
/// regular expressions, which match the whole string; they are read by
/// the `regex` crate, anchored at both ends. The common XSD syntax
/// (classes, `\d`, `\p{..}`, quantifiers, alternation) means the same.
/// XSD's `\i`/`\c` escapes are refused as invalid; XSD's class
/// subtraction (`[a-z-[aeiou]]`) is not supported: the crate reads it as
/// a union.
pub fn shelf_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&format!("^(?:{pattern})$"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shelf_expressions_match_the_whole_string() {
        let r = shelf_regex("/chains/lab/.*").unwrap();
        assert!(r.is_match("/chains/lab/nodes/node-1"));
        assert!(
            !r.is_match("/x/chains/lab/nodes/node-1"),
            "anchored at the start"
        );
        let exact = shelf_regex("/host").unwrap();
        assert!(exact.is_match("/host"));
        assert!(!exact.is_match("/host/disk"), "anchored at the end");
        let alternatives = shelf_regex("a|b").unwrap();
        assert!(alternatives.is_match("b") && !alternatives.is_match("ab"));
        assert!(shelf_regex("").unwrap().is_match(""));
        assert!(shelf_regex("[unclosed").is_err());
        assert!(shelf_regex("(").is_err());
    }
}
