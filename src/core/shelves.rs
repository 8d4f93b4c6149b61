//! ietf-alarms alarm shelving (RFC 8632 `/alarms/control/alarm-shelving`):
//! the configured shelves, compiled once per configuration, and which
//! shelf an alarm goes on.

use crate::config::{AlarmsConfig, shelf_regex};
use crate::model::alarm::AlarmType;
use regex::Regex;

/// The alarm-type-qualifier of every alarm the agent raises.
const QUALIFIER: &str = "";

#[derive(Debug, Clone, Default)]
pub struct Shelves {
    config: AlarmsConfig,
    shelves: Vec<CompiledShelf>,
}

#[derive(Debug, Clone)]
struct CompiledShelf {
    name: String,
    resources: Vec<Regex>,
    /// (identity, qualifier match).
    types: Vec<(String, Regex)>,
}

impl Shelves {
    /// Compile the configured shelves. A pattern that does not compile
    /// (validation refuses it before any commit) makes its criterion match
    /// nothing, so a bad shelf hides nothing.
    pub fn new(config: &AlarmsConfig) -> Shelves {
        let never = || Regex::new(r"[^\s\S]").ok();
        let shelves = config
            .shelves()
            .iter()
            .map(|s| CompiledShelf {
                name: s.name.clone(),
                resources: s
                    .resource
                    .iter()
                    .filter_map(|r| shelf_regex(r).ok().or_else(never))
                    .collect(),
                types: s
                    .alarm_type
                    .iter()
                    .filter_map(|t| {
                        let q = shelf_regex(&t.alarm_type_qualifier_match)
                            .ok()
                            .or_else(never)?;
                        Some((t.alarm_type_id.clone(), q))
                    })
                    .collect(),
            })
            .collect();
        Shelves {
            config: config.clone(),
            shelves,
        }
    }

    /// The configuration these shelves were compiled from.
    pub fn config(&self) -> &AlarmsConfig {
        &self.config
    }

    /// The first shelf (in the configured order) whose criteria all hold
    /// for the alarm: its resource matches one of the shelf's resources,
    /// and its type is, or derives from, one of the shelf's alarm types
    /// with a matching qualifier. A criterion left empty holds for every
    /// alarm.
    pub fn shelf_of(&self, resource: &str, alarm_type: AlarmType) -> Option<&str> {
        self.shelves
            .iter()
            .find(|s| {
                (s.resources.is_empty() || s.resources.iter().any(|r| r.is_match(resource)))
                    && (s.types.is_empty()
                        || s.types
                            .iter()
                            .any(|(id, q)| alarm_type.is_of(id) && q.is_match(QUALIFIER)))
            })
            .map(|s| s.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Shelf, ShelfAlarmType};

    fn shelves(list: Vec<Shelf>) -> Shelves {
        let mut c = AlarmsConfig::default();
        c.control.alarm_shelving.shelf = list;
        Shelves::new(&c)
    }

    fn shelf(name: &str, resource: &[&str], types: &[(&str, &str)]) -> Shelf {
        Shelf {
            name: name.into(),
            resource: resource.iter().map(|r| r.to_string()).collect(),
            alarm_type: types
                .iter()
                .map(|(id, q)| ShelfAlarmType {
                    alarm_type_id: id.to_string(),
                    alarm_type_qualifier_match: q.to_string(),
                })
                .collect(),
            description: None,
        }
    }

    #[test]
    fn criteria_are_anded_and_the_first_shelf_wins() {
        let s = shelves(vec![
            shelf(
                "lab-cpu",
                &["/chains/lab/.*"],
                &[("chain-agent-alarms:cpu-high", "")],
            ),
            shelf("lab", &["/chains/lab/.*", "/host"], &[]),
            shelf(
                "forks",
                &[],
                &[("chain-agent-alarms:chain-agent-alarm", "x?")],
            ),
        ]);
        let node = "/chains/lab/nodes/node-1";
        assert_eq!(s.shelf_of(node, AlarmType::CpuHigh), Some("lab-cpu"));
        assert_eq!(s.shelf_of(node, AlarmType::SyncLag), Some("lab"));
        assert_eq!(s.shelf_of("/host", AlarmType::MemoryHigh), Some("lab"));
        // The base identity matches every type; "x?" matches "".
        assert_eq!(
            s.shelf_of("/chains/sim/ledger", AlarmType::ForkDetected),
            Some("forks")
        );
    }

    #[test]
    fn a_qualifier_match_that_excludes_the_empty_qualifier_shelves_nothing() {
        let s = shelves(vec![shelf(
            "q",
            &[],
            &[("chain-agent-alarms:node-unreachable", ".+")],
        )]);
        assert_eq!(
            s.shelf_of("/chains/sim/nodes/node-2", AlarmType::NodeUnreachable),
            None
        );
        let s = shelves(vec![shelf(
            "q",
            &[],
            &[("chain-agent-alarms:node-unreachable", ".*")],
        )]);
        assert_eq!(
            s.shelf_of("/chains/sim/nodes/node-2", AlarmType::NodeUnreachable),
            Some("q")
        );
        assert_eq!(
            s.shelf_of("/chains/sim/nodes/node-2", AlarmType::LinkDown),
            None
        );
    }

    #[test]
    fn no_shelves_or_a_bad_pattern_shelve_nothing() {
        assert_eq!(shelves(vec![]).shelf_of("/host", AlarmType::CpuHigh), None);
        let s = shelves(vec![shelf("bad", &["("], &[])]);
        assert_eq!(s.shelf_of("(", AlarmType::CpuHigh), None);
        // An empty shelf takes every alarm.
        let all = shelves(vec![shelf("all", &[], &[])]);
        assert_eq!(all.shelf_of("/host", AlarmType::CpuHigh), Some("all"));
    }
}
