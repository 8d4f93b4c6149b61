//! The part of the configuration an edit-config touches. An edit names a
//! few top-level nodes, while libyang's cost is in proportion to the tree
//! it parses: sending only the named top-level nodes through it (with the
//! chains, which leafrefs of their module point to) keeps an edit's cost in
//! proportion to what it changes, not to the whole configuration (NACM's
//! rule lists alone are most of it).
//!
//! Each top-level configuration node holds one section of [`Config`]
//! (`yang::config_map`), so the edited sections go back into a copy of the
//! base configuration and the others stay as they were.

use crate::config::Config;
use crate::netconf::transport::xml::Element;
use crate::netconf::yang::Schema;
use crate::netconf::yang::config_map::{ALARMS, LOGS, NACM, NODES, SYSTEM, config_members};
use serde_json::Value;
use std::collections::BTreeSet;

/// Which sections of the configuration an edit works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// RFC 7951 member names (`module:node`) of top-level nodes.
    members: BTreeSet<String>,
}

/// A top-level configuration node, by module and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Agent,
    System,
    Snmp,
    Netconf,
    Nacm,
    Alarms,
    Thresholds,
    Logs,
    Chains,
}

impl Section {
    const ALL: [Section; 9] = [
        Section::Agent,
        Section::System,
        Section::Snmp,
        Section::Netconf,
        Section::Nacm,
        Section::Alarms,
        Section::Thresholds,
        Section::Logs,
        Section::Chains,
    ];

    fn member(self) -> String {
        let (module, node) = match self {
            Section::Agent => (SYSTEM, "agent"),
            Section::System => (SYSTEM, "system"),
            Section::Snmp => (SYSTEM, "snmp"),
            Section::Netconf => (SYSTEM, "netconf"),
            Section::Nacm => (NACM, "nacm"),
            Section::Alarms => (ALARMS, "alarms"),
            Section::Thresholds => (NODES, "thresholds"),
            Section::Logs => (LOGS, "logs"),
            Section::Chains => (NODES, "chains"),
        };
        format!("{module}:{node}")
    }

    fn of_member(member: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.member() == member)
    }
}

impl Scope {
    /// The scope of an edit's top-level elements, or `None` when one of
    /// them is not a top-level configuration node of the agent's: the
    /// whole configuration then goes through libyang, which reports it.
    pub fn of_edit(schema: &Schema, nodes: &[Element]) -> Option<Scope> {
        let mut members = Vec::new();
        for n in nodes {
            let module = schema.context().get_module_latest_ns(&n.ns)?;
            members.push(format!("{}:{}", module.name(), n.name));
        }
        Scope::of_members(members)
    }

    /// A scope of these member names, or `None` if one is not a section.
    /// The chains come along with any node of their module, whose leafrefs
    /// point into them; no other module's configuration refers to another
    /// module (a part that does not validate alone falls back to the whole
    /// configuration anyway).
    pub fn of_members(members: impl IntoIterator<Item = String>) -> Option<Scope> {
        let mut set = BTreeSet::new();
        for m in members {
            Section::of_member(&m)?;
            if m.starts_with(&format!("{NODES}:")) {
                set.insert(Section::Chains.member());
            }
            set.insert(m);
        }
        Some(Scope { members: set })
    }

    /// The configuration's RFC 7951 JSON, limited to the scope.
    pub fn json(&self, config: &Config) -> Value {
        config_members(config, |m| self.members.contains(m))
    }

    /// True when every section is in one of the agent's own modules
    /// (not NACM's or ietf-alarms').
    pub fn own_modules_only(&self) -> bool {
        !self.has(Section::Nacm) && !self.has(Section::Alarms)
    }

    fn has(&self, s: Section) -> bool {
        self.members.contains(&s.member())
    }

    /// `base` with the scope's sections taken from `edited`, the mapping
    /// of the edited scope (its other sections are defaults, not data).
    pub fn merge(&self, base: &Config, edited: Config) -> Config {
        let mut out = base.clone();
        let Config {
            agent,
            system,
            snmp,
            netconf,
            nacm,
            alarms,
            thresholds,
            logs,
            chains,
        } = edited;
        if self.has(Section::Agent) {
            out.agent = agent;
        }
        if self.has(Section::System) {
            out.system = system;
        }
        if self.has(Section::Snmp) {
            out.snmp = snmp;
        }
        if self.has(Section::Netconf) {
            out.netconf = netconf;
        }
        if self.has(Section::Nacm) {
            out.nacm = nacm;
        }
        if self.has(Section::Alarms) {
            out.alarms = alarms;
        }
        if self.has(Section::Thresholds) {
            out.thresholds = thresholds;
        }
        if self.has(Section::Logs) {
            out.logs = logs;
        }
        if self.has(Section::Chains) {
            out.chains = chains;
        }
        out
    }
}

/// Every top-level member the mapping writes, as the scope knows them: for
/// the tests that keep [`Section`] and `config_map` in step.
pub fn section_members() -> Vec<String> {
    Section::ALL.iter().map(|s| s.member()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::yang::schema::test_schema;

    /// What lets an edit of the agent's own modules be validated without
    /// their defaults (`Content::OwnConfigModules`): no node of theirs has
    /// a `must` or `when` statement a default could satisfy. One added
    /// later must take that shortcut away.
    #[test]
    fn own_modules_have_no_must_or_when() {
        let schema = test_schema();
        let mut seen = 0;
        for name in [SYSTEM, NODES, LOGS] {
            let module = schema
                .context()
                .get_module_latest(name)
                .unwrap_or_else(|| panic!("{name} not loaded"));
            for node in module.traverse() {
                seen += 1;
                let at = node.path(yang5::schema::SchemaPathFormat::DATA);
                assert_eq!(node.musts().map_or(0, |m| m.count()), 0, "must in {at}");
                assert_eq!(node.whens().count(), 0, "when in {at}");
            }
        }
        assert!(seen > 100, "only {seen} schema nodes walked");
    }

    #[test]
    fn scopes_of_nacm_or_alarms_are_not_own_modules() {
        let own = |members: &[String]| {
            Scope::of_members(members.to_vec())
                .unwrap()
                .own_modules_only()
        };
        assert!(own(&[
            format!("{SYSTEM}:system"),
            format!("{NODES}:thresholds")
        ]));
        assert!(!own(&[format!("{SYSTEM}:system"), format!("{NACM}:nacm")]));
        assert!(!own(&[format!("{ALARMS}:alarms")]));
    }
}
