//! Checks of the `[alarms]` section: what ietf-alarms' keys and types
//! demand of the shelves, and that their regular expressions compile, so
//! that a bad shelf is refused at commit with its path rather than
//! shelving nothing.

use super::alarms::{AlarmsConfig, shelf_regex};
use super::path::ConfigPath;
use super::source::ConfigIssue;
use super::validate::issue;
use crate::model::alarm::AlarmType;
use std::collections::BTreeSet;

const SHELVES: &str = "alarms.control.alarm-shelving.shelf";

/// The identities a shelf may name: each alarm type and their common
/// base (chain-agent-alarms), as RFC 7951 writes them.
pub fn known_alarm_type_ids() -> Vec<String> {
    std::iter::once(AlarmType::BASE_IDENTITY.to_string())
        .chain(AlarmType::ALL.iter().map(|t| t.identity()))
        .collect()
}

pub(super) fn check_alarms(a: &AlarmsConfig, out: &mut Vec<ConfigIssue>) {
    let known = known_alarm_type_ids();
    let mut names = BTreeSet::new();
    for shelf in a.shelves() {
        let key = ConfigPath::from(SHELVES).then(&shelf.name);
        if !names.insert(shelf.name.as_str()) {
            issue(out, key.clone(), "two shelves have this name");
        }
        for r in &shelf.resource {
            if let Err(e) = shelf_regex(r) {
                issue(
                    out,
                    key.with("resource"),
                    format!("'{r}' is not a regular expression: {}", first_line(&e)),
                );
            }
        }
        for t in &shelf.alarm_type {
            let tkey = key.with("alarm-type");
            if !known.contains(&t.alarm_type_id) {
                issue(
                    out,
                    tkey.with("alarm-type-id"),
                    format!(
                        "'{}' is not an alarm type of the agent (one of {})",
                        t.alarm_type_id,
                        known.join(", ")
                    ),
                );
            }
            if let Err(e) = shelf_regex(&t.alarm_type_qualifier_match) {
                issue(
                    out,
                    tkey.with("alarm-type-qualifier-match"),
                    format!(
                        "'{}' is not a regular expression: {}",
                        t.alarm_type_qualifier_match,
                        first_line(&e)
                    ),
                );
            }
        }
    }
}

/// The regex crate's messages draw the pattern over several lines; the
/// last says what is wrong.
fn first_line(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .map(|l| {
            l.trim_start()
                .trim_start_matches("error:")
                .trim()
                .to_string()
        })
        .unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Shelf, ShelfAlarmType};

    fn config(shelves: Vec<Shelf>) -> AlarmsConfig {
        let mut a = AlarmsConfig::default();
        a.control.alarm_shelving.shelf = shelves;
        a
    }

    fn shelf(name: &str, resource: &str, id: &str, qualifier: &str) -> Shelf {
        Shelf {
            name: name.into(),
            resource: vec![resource.into()],
            alarm_type: vec![ShelfAlarmType {
                alarm_type_id: id.into(),
                alarm_type_qualifier_match: qualifier.into(),
            }],
            description: None,
        }
    }

    #[test]
    fn bad_shelves_are_named_by_their_key() {
        let mut out = Vec::new();
        check_alarms(
            &config(vec![
                shelf("ok", "/chains/.*", "chain-agent-alarms:cpu-high", ".*"),
                shelf(
                    "re",
                    "/chains/(",
                    "chain-agent-alarms:chain-agent-alarm",
                    "[",
                ),
                shelf("ok", "/host", "chain-agent-alarms:bogus", ""),
            ]),
            &mut out,
        );
        let keys: Vec<String> = out.iter().map(|i| i.key.to_string()).collect();
        assert_eq!(
            keys,
            [
                "alarms.control.alarm-shelving.shelf.re.resource",
                "alarms.control.alarm-shelving.shelf.re.alarm-type.alarm-type-qualifier-match",
                "alarms.control.alarm-shelving.shelf.ok",
                "alarms.control.alarm-shelving.shelf.ok.alarm-type.alarm-type-id",
            ]
        );
        assert!(
            out[1].message.contains("'[' is not a regular expression"),
            "{}",
            out[1].message
        );
        assert!(!out[1].message.contains('\n'));
    }

    #[test]
    fn no_shelves_no_issues() {
        let mut out = Vec::new();
        check_alarms(&AlarmsConfig::default(), &mut out);
        assert!(out.is_empty());
    }
}
