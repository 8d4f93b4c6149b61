//! What one commit changed, computed once: the datastore builds a
//! [`ConfigDiff`] when it commits and publishes it with the new
//! configuration, and every consumer (the operation log, the
//! config-changed event, what is pushed to a chain's platform, whether a
//! collection runs at once) reads it instead of comparing on its own.

use super::path::{ConfigPath, Segment};
use super::schema::Config;
use serde_json::Value;

/// The leaves whose values differ between two configurations, in the
/// order of their JSON form (keys sorted). A section or map entry that
/// appeared or went away is one path, not one per leaf below it; a
/// sequence is one leaf.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigDiff {
    pub changed: Vec<ConfigPath>,
}

impl ConfigDiff {
    /// What changed from `old` to `new`. Only the top-level sections that
    /// differ are put in their JSON form and compared leaf by leaf: a
    /// commit usually changes one, and serialising the whole configuration
    /// twice was most of a small commit's diff.
    pub fn between(old: &Config, new: &Config) -> Result<ConfigDiff, serde_json::Error> {
        let mut changed = Vec::new();
        let out = &mut changed;
        // In the order of the JSON form's keys, so that the result is what
        // comparing the whole documents gives (a test holds them to it).
        section("agent", &old.agent, &new.agent, out)?;
        section("alarms", &old.alarms, &new.alarms, out)?;
        section("chains", &old.chains, &new.chains, out)?;
        section("logs", &old.logs, &new.logs, out)?;
        section("nacm", &old.nacm, &new.nacm, out)?;
        section("netconf", &old.netconf, &new.netconf, out)?;
        section("snmp", &old.snmp, &new.snmp, out)?;
        section("system", &old.system, &new.system, out)?;
        section("thresholds", &old.thresholds, &new.thresholds, out)?;
        Ok(ConfigDiff { changed })
    }

    /// What changed between two configurations in their JSON form.
    pub fn between_values(a: &Value, b: &Value) -> ConfigDiff {
        let mut changed = Vec::new();
        walk(Some(a), Some(b), &mut ConfigPath::root(), &mut changed);
        ConfigDiff { changed }
    }

    /// A diff that changes `path` as a whole (every leaf below it).
    pub fn whole(path: ConfigPath) -> ConfigDiff {
        ConfigDiff {
            changed: vec![path],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
    }

    /// Whether the value at `path` changed: a changed leaf lies at or
    /// below it, or a whole section above it changed.
    pub fn touches(&self, path: &ConfigPath) -> bool {
        self.changed.iter().any(|c| c.overlaps(path))
    }

    /// Whether anything in the top-level section `name` changed.
    pub fn touches_section(&self, name: &str) -> bool {
        self.touches(&ConfigPath::root().then(name))
    }

    /// Whether anything of chain `id` changed.
    pub fn touches_chain(&self, id: &str) -> bool {
        self.touches(&ConfigPath::of(["chains", id]))
    }

    /// The chains with a change below them, by id. A change of the whole
    /// `chains` section names none: ask [`ConfigDiff::touches_chain`].
    pub fn chains_changed(&self) -> std::collections::BTreeSet<&str> {
        let chains = ConfigPath::root().then("chains");
        self.changed
            .iter()
            .filter_map(|c| match c.child_of(&chains) {
                Some(Segment::Key(id)) => Some(id.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The changed paths as JSON pointers: the operation log line and
    /// what an event's subscriber sees.
    pub fn pointers(&self) -> Vec<String> {
        self.changed.iter().map(ConfigPath::pointer).collect()
    }
}

/// The leaves that differ below `path`, appended to `out`.
fn walk(a: Option<&Value>, b: Option<&Value>, path: &mut ConfigPath, out: &mut Vec<ConfigPath>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                path.push(k);
                walk(x.get(k), y.get(k), path, out);
                path.pop();
            }
        }
        (x, y) if x != y => out.push(path.clone()),
        _ => {}
    }
}

/// The leaves that differ in one top-level section, appended to `out`;
/// nothing is serialised when the typed values are equal.
fn section<T: PartialEq + serde::Serialize>(
    name: &'static str,
    a: &T,
    b: &T,
    out: &mut Vec<ConfigPath>,
) -> Result<(), serde_json::Error> {
    if a != b {
        let mut path = ConfigPath::root();
        path.push(name);
        let (a, b) = (serde_json::to_value(a)?, serde_json::to_value(b)?);
        walk(Some(&a), Some(&b), &mut path, out);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> ConfigPath {
        ConfigPath::from_pointer(text).unwrap()
    }

    #[test]
    fn lists_leaves() {
        let a = serde_json::json!({"x": {"y": 1, "z": 2}, "w": 1});
        let b = serde_json::json!({"x": {"y": 1, "z": 3}, "v": 1, "w": 1});
        assert_eq!(
            ConfigDiff::between_values(&a, &b).pointers(),
            vec!["/v", "/x/z"]
        );
        assert_eq!(
            ConfigDiff::between_values(&a, &serde_json::json!(1)).pointers(),
            vec!["/"]
        );
    }

    /// Comparing section by section gives what comparing the whole JSON
    /// documents gives, for a change in every section.
    #[test]
    fn sections_in_json_order() {
        let old = Config::default();
        let mut new = old.clone();
        new.agent.recent_blocks += 1;
        new.alarms =
            toml::from_str("[control.alarm-shelving]\nshelf = [{ name = \"a\" }]").unwrap();
        new.chains.insert(
            "sim".into(),
            toml::from_str("platform = \"simulated\"").unwrap(),
        );
        new.logs.insert("system".into(), Default::default());
        new.nacm.enable_nacm = !old.nacm.enable_nacm;
        new.netconf.enabled = !old.netconf.enabled;
        new.snmp.enabled = !old.snmp.enabled;
        new.system.contact = "ops".into();
        new.thresholds = toml::from_str("cpu-percent = 50.0").unwrap();
        let by_value = ConfigDiff::between_values(
            &serde_json::to_value(&old).unwrap(),
            &serde_json::to_value(&new).unwrap(),
        );
        let by_section = ConfigDiff::between(&old, &new).unwrap();
        assert_eq!(by_section, by_value);
        let sections: std::collections::BTreeSet<String> = by_section
            .pointers()
            .iter()
            .filter_map(|p| p.split('/').nth(1).map(str::to_string))
            .collect();
        assert_eq!(sections.len(), 9, "{sections:?}");
    }

    #[test]
    fn touches_ancestors_and_descendants() {
        let mut old = Config::default();
        old.chains.insert(
            "sim".into(),
            toml::from_str("platform = \"simulated\"").unwrap(),
        );
        let mut new = old.clone();
        new.chains
            .get_mut("sim")
            .unwrap()
            .consensus
            .insert("gas".into(), 5);
        new.system.contact = "ops".into();
        let d = ConfigDiff::between(&old, &new).unwrap();
        assert_eq!(
            d.pointers(),
            vec!["/chains/sim/consensus/gas", "/system/contact"]
        );
        assert!(d.touches(&p("/chains/sim")));
        assert!(d.touches(&p("/chains/sim/consensus/gas")));
        assert!(!d.touches(&p("/chains/sim/nodes")));
        assert!(d.touches_section("system") && !d.touches_section("agent"));
        assert!(d.touches_chain("sim") && !d.touches_chain("other"));
        assert_eq!(
            d.chains_changed().into_iter().collect::<Vec<_>>(),
            vec!["sim"]
        );
        let whole = ConfigDiff::whole(p("/chains/sim"));
        assert!(whole.touches(&p("/chains/sim/validator-votes/0xab")));
    }
}
