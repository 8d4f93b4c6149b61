//! One configuration leaf, one typed path. The same setting used to be
//! spelled three ways: the dotted key a file-validation message shows
//! (`chains.sim.nodes.node-2.admin-state`), the JSON pointer a datastore
//! edit applies (`/chains/sim/nodes/node-2/admin-state`) and the YANG
//! instance-identifier NETCONF names
//! (`/chain-agent-nodes:chains/chain[id='sim']/nodes/node[id='node-2']/admin-state`).
//! [`ConfigPath`] is the one value; those are its renderings.
//!
//! Which names hold a keyed map, and how a map and its container are
//! called in YANG, is [`MAPS`], [`RENAMED`] and [`MODULES`]: the one place
//! that knows how the file's shape becomes the YANG modules' (docs/yang.md;
//! a NETCONF test checks the table against the modules).

use std::fmt;

/// A path from the configuration's root to a section, map entry or leaf.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConfigPath(Vec<Segment>);

/// One step of a [`ConfigPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A section, container or leaf, named as the file names it
    /// (`thresholds`, `cpu-percent`).
    Name(String),
    /// The entry of a keyed map (`chains.sim`: `sim`); in YANG the entry
    /// of a list, the key its key leaf.
    Key(String),
    /// The n-th element of a sequence (`sources[0]`), or the n-th entry,
    /// in key order, of a map whose keys are secrets (a community).
    Index(usize),
}

/// Why a text is not a JSON pointer into the configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("a path starts with '/'")]
    NoLeadingSlash,
}

/// A keyed map of the configuration: where it is (names, `*` for a key),
/// and its YANG form.
pub struct MapShape {
    /// The names leading to the map, `*` standing for any map key.
    pub at: &'static [&'static str],
    /// The YANG container holding the list, module-qualified when its
    /// module differs from its parent's; none for a sequence the file
    /// keeps in order whose entries are still named by a key leaf.
    pub container: Option<&'static str>,
    /// The YANG list and its key leaf.
    pub list: &'static str,
    pub key: &'static str,
    /// For a map of plain values, the leaf that holds the value.
    pub value: Option<&'static str>,
}

const fn map(
    at: &'static [&'static str],
    container: &'static str,
    list: &'static str,
    key: &'static str,
) -> MapShape {
    MapShape {
        at,
        container: Some(container),
        list,
        key,
        value: None,
    }
}

const fn sequence(at: &'static [&'static str], list: &'static str, key: &'static str) -> MapShape {
    MapShape {
        at,
        container: None,
        list,
        key,
        value: None,
    }
}

/// Every keyed map of the configuration and the YANG list it becomes.
/// Sequences (`[i]`) are not here, being ordered, not keyed, except the
/// one whose entries validation names by their key leaf.
pub const MAPS: &[MapShape] = &[
    map(&["logs"], "logs", "type", "kind"),
    map(&["chains"], "chains", "chain", "id"),
    map(&["chains", "*", "nodes"], "nodes", "node", "id"),
    MapShape {
        value: Some("value"),
        ..map(
            &["chains", "*", "consensus"],
            "chain-agent-consensus:consensus",
            "parameter",
            "name",
        )
    },
    MapShape {
        value: Some("authorize"),
        ..map(
            &["chains", "*", "validator-votes"],
            "chain-agent-consensus:consensus",
            "validator-vote",
            "address",
        )
    },
    map(
        &["chains", "*", "contracts"],
        "chain-agent-contracts:contracts",
        "monitored",
        "address",
    ),
    map(
        &["chains", "*", "channels"],
        "chain-agent-crosschain:channels",
        "channel",
        "id",
    ),
    map(
        &["chains", "*", "simulation", "faults"],
        "faults",
        "fault",
        "name",
    ),
    map(&["netconf", "users"], "users", "user", "name"),
    map(&["snmp", "communities"], "communities", "community", "name"),
    map(&["snmp", "users"], "users", "user", "name"),
    map(&["snmp", "views"], "views", "view", "name"),
    map(&["snmp", "groups"], "groups", "group", "name"),
    map(&["snmp", "targets"], "targets", "target", "name"),
    map(&["nacm", "groups"], "groups", "group", "name"),
    // Validation names a shelf by its name.
    sequence(
        &["alarms", "control", "alarm-shelving", "shelf"],
        "shelf",
        "name",
    ),
];

/// Containers that are not maps but live in another YANG module than
/// their parent.
pub const RENAMED: &[(&[&str], &str)] = &[(
    &["chains", "*", "relayer"],
    "chain-agent-crosschain:relayer",
)];

/// The YANG module of each top-level section.
pub const MODULES: &[(&str, &str)] = &[
    ("agent", "chain-agent-system"),
    ("system", "chain-agent-system"),
    ("snmp", "chain-agent-system"),
    ("netconf", "chain-agent-system"),
    ("nacm", "ietf-netconf-acm"),
    ("alarms", "ietf-alarms"),
    ("thresholds", "chain-agent-nodes"),
    ("logs", "chain-agent-logs"),
    ("chains", "chain-agent-nodes"),
];

impl ConfigPath {
    /// The whole configuration.
    pub fn root() -> ConfigPath {
        ConfigPath(Vec::new())
    }

    /// A path from names (`["chains", "sim", "nodes"]`), each one that
    /// stands where a map takes a key becoming a [`Segment::Key`].
    pub fn of<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> ConfigPath {
        let mut p = ConfigPath::root();
        for n in names {
            p = p.then(n.as_ref());
        }
        p
    }

    /// This path with `name` added: a key where a map is, else a name.
    pub fn then(mut self, name: &str) -> ConfigPath {
        self.push(name);
        self
    }

    /// This path followed by a key written in the code, in its dotted
    /// form (`"thresholds.cpu-percent"`, `"sources[0]"`). The text is
    /// `'static` so that no run-time name (a chain's id may hold a '.')
    /// is ever read as dots: those are added with [`ConfigPath::then`].
    pub fn with(&self, dotted: &'static str) -> ConfigPath {
        let mut p = self.clone();
        p.push_dotted(dotted);
        p
    }

    /// Add the steps of a dotted key (`sources[0]`) in place.
    fn push_dotted(&mut self, dotted: &str) {
        for part in dotted.split('.') {
            let (name, indexes) = split_indexes(part);
            self.push(name);
            for i in indexes {
                self.0.push(Segment::Index(i));
            }
        }
    }

    /// Add `name` in place, as [`ConfigPath::then`] does.
    pub fn push(&mut self, name: &str) {
        let seg = if self.map_shape().is_some() {
            Segment::Key(name.to_string())
        } else {
            Segment::Name(name.to_string())
        };
        self.0.push(seg);
    }

    /// Remove the last segment.
    pub fn pop(&mut self) -> Option<Segment> {
        self.0.pop()
    }

    /// This path with the n-th element of a sequence added.
    pub fn at(mut self, n: usize) -> ConfigPath {
        self.0.push(Segment::Index(n));
        self
    }

    /// The JSON pointer form (RFC 6901) a datastore edit carries:
    /// `/thresholds/cpu-percent`; "/" is the whole configuration.
    pub fn from_pointer(text: &str) -> Result<ConfigPath, PathError> {
        let rest = text.strip_prefix('/').ok_or(PathError::NoLeadingSlash)?;
        if rest.is_empty() {
            return Ok(ConfigPath::root());
        }
        Ok(ConfigPath::of(
            rest.split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~")),
        ))
    }

    /// The dotted form of a validation message: `snmp.communities[1].sources[0]`.
    /// Any text reads as some path, and renders back as it was. Tests
    /// only: run-time names may hold dots, so the product builds paths
    /// from segments ([`ConfigPath::then`], [`ConfigPath::with`]).
    #[cfg(test)]
    pub fn from_dotted(text: &str) -> ConfigPath {
        let mut p = ConfigPath::root();
        p.push_dotted(text);
        p
    }

    /// A path of these segments, as another path's [`ConfigPath::segments`]
    /// gave them.
    pub fn from_segments(segments: Vec<Segment>) -> ConfigPath {
        ConfigPath(segments)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The top-level section (`chains`), if the path is not the root.
    pub fn section(&self) -> Option<&str> {
        match self.0.first() {
            Some(Segment::Name(n)) => Some(n),
            _ => None,
        }
    }

    /// Whether `prefix` is this path or one of its ancestors.
    pub fn starts_with(&self, prefix: &ConfigPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// Whether one of the two paths lies within the other: a change at
    /// one is a change at the other.
    pub fn overlaps(&self, other: &ConfigPath) -> bool {
        self.starts_with(other) || other.starts_with(self)
    }

    /// The last segment as text (a name, a key or an index).
    pub fn last(&self) -> Option<String> {
        self.0.last().map(|s| s.text())
    }

    /// The segment after `prefix`, when this path lies below it: the
    /// entry of a map `prefix` names.
    pub fn child_of(&self, prefix: &ConfigPath) -> Option<&Segment> {
        if self.starts_with(prefix) {
            self.0.get(prefix.0.len())
        } else {
            None
        }
    }

    /// The shape of the map this path names, if it names one.
    fn map_shape(&self) -> Option<&'static MapShape> {
        MAPS.iter().find(|m| self.matches(m.at))
    }

    fn matches(&self, pattern: &[&str]) -> bool {
        pattern.len() == self.0.len()
            && pattern.iter().zip(&self.0).all(|(p, s)| match s {
                Segment::Name(n) => *p == "*" || p == n,
                Segment::Key(_) => *p == "*",
                Segment::Index(_) => false,
            })
    }

    /// The dotted form users see in validation messages.
    pub fn dotted(&self) -> String {
        let mut out = String::new();
        for s in &self.0 {
            match s {
                Segment::Name(n) | Segment::Key(n) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(n);
                }
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// The JSON pointer into the configuration's JSON form.
    pub fn pointer(&self) -> String {
        if self.0.is_empty() {
            return "/".into();
        }
        let mut out = String::new();
        for s in &self.0 {
            out.push('/');
            out.push_str(&s.text().replace('~', "~0").replace('/', "~1"));
        }
        out
    }

    /// The YANG instance-identifier in RFC 7951 form: module names as
    /// prefixes where the module changes, list entries with their key
    /// (`/chain-agent-nodes:chains/chain[id='sim']/nodes/node[id='n1']`).
    /// An element named by position (a sequence, a community) names its
    /// list without a predicate: the key is not known, or is a secret.
    pub fn yang(&self) -> String {
        let steps = self.yang_steps();
        if steps.is_empty() {
            return "/".into();
        }
        steps.iter().map(YangStep::to_string).collect()
    }

    /// The modules whose names [`ConfigPath::yang`] uses as prefixes, in
    /// order: what an XML rendering binds to their namespaces.
    pub fn yang_modules(&self) -> Vec<&'static str> {
        let mut modules = Vec::new();
        for m in self.yang_steps().into_iter().filter_map(|s| s.module) {
            if !modules.contains(&m) {
                modules.push(m);
            }
        }
        modules
    }

    /// The path as YANG data nodes, from [`MAPS`], [`RENAMED`] and
    /// [`MODULES`]: a map's name becomes its container, an entry its
    /// list with the key, a map of plain values ends in its value leaf.
    pub fn yang_steps(&self) -> Vec<YangStep> {
        let mut steps = Vec::new();
        let node = |qualified: &'static str| match qualified.split_once(':') {
            Some((module, name)) => YangStep::node(Some(module), name),
            None => YangStep::node(None, qualified),
        };
        let mut at = ConfigPath::root();
        let mut shape: Option<&'static MapShape> = None;
        for s in &self.0 {
            match s {
                Segment::Name(n) if at.is_root() => {
                    let module = MODULES.iter().find(|(top, _)| top == n).map(|(_, m)| *m);
                    steps.push(YangStep::node(module, n));
                }
                Segment::Name(n) => {
                    let probe = at.clone().then(n);
                    if let Some(m) = MAPS.iter().find(|m| probe.matches(m.at)) {
                        // A sequence's list step comes with its entry.
                        if let Some(container) = m.container {
                            steps.push(node(container));
                        }
                    } else if let Some((_, c)) = RENAMED.iter().find(|(p, _)| probe.matches(p)) {
                        steps.push(node(c));
                    } else {
                        steps.push(YangStep::node(None, n));
                    }
                }
                Segment::Key(k) => steps.push(match shape {
                    Some(m) => YangStep {
                        key: Some((m.key, k.clone())),
                        ..YangStep::node(None, m.list)
                    },
                    None => YangStep::node(None, k),
                }),
                Segment::Index(_) => {
                    if let Some(m) = shape {
                        steps.push(YangStep::node(None, m.list));
                    }
                }
            }
            match (s, shape) {
                // A map entry named by position stands for its key.
                (Segment::Index(_), Some(_)) => at.0.push(Segment::Key(String::new())),
                (Segment::Index(_), None) => {}
                _ => at.0.push(s.clone()),
            }
            shape = at.map_shape();
        }
        // A map of plain values: the entry's value leaf.
        if let Some(Segment::Key(_)) = self.0.last() {
            let parent = ConfigPath(self.0[..self.0.len() - 1].to_vec());
            if let Some(leaf) = parent.map_shape().and_then(|m| m.value) {
                steps.push(YangStep::node(None, leaf));
            }
        }
        steps
    }
}

/// One YANG data node of a [`ConfigPath`]: its module where the module
/// changes, its name, and for a list entry the key leaf and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YangStep {
    pub module: Option<&'static str>,
    pub name: String,
    pub key: Option<(&'static str, String)>,
}

impl YangStep {
    fn node(module: Option<&'static str>, name: &str) -> YangStep {
        YangStep {
            module,
            name: name.to_string(),
            key: None,
        }
    }
}

/// `/module:name[key='value']`, quoting with `"` a value that holds `'`.
impl fmt::Display for YangStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("/")?;
        if let Some(m) = self.module {
            write!(f, "{m}:")?;
        }
        f.write_str(&self.name)?;
        if let Some((key, value)) = &self.key {
            let q = if value.contains('\'') { '"' } else { '\'' };
            write!(f, "[{key}={q}{value}{q}]")?;
        }
        Ok(())
    }
}

impl Segment {
    /// The segment as its pointer token: a name, a key or an index.
    pub fn text(&self) -> String {
        match self {
            Segment::Name(n) | Segment::Key(n) => n.clone(),
            Segment::Index(i) => i.to_string(),
        }
    }
}

/// `name[1][2]` into `name` and its indexes; text that is not that is a name.
fn split_indexes(part: &str) -> (&str, Vec<usize>) {
    let mut name = part;
    let mut indexes = Vec::new();
    while let Some(open) = name.strip_suffix(']').and_then(|s| s.rfind('[')) {
        let Ok(i) = name[open + 1..name.len() - 1].parse::<usize>() else {
            break;
        };
        if name[open + 1..name.len() - 1].starts_with('+') {
            break;
        }
        indexes.push(i);
        name = &name[..open];
    }
    if name.is_empty() && !indexes.is_empty() {
        return (part, Vec::new());
    }
    indexes.reverse();
    (name, indexes)
}

/// The dotted form: what a user reads.
impl fmt::Display for ConfigPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dotted())
    }
}

/// Text is read as a JSON pointer, the form edits and events carry.
/// A key written in the code (`"agent.data-dir"`): see [`ConfigPath::with`]
/// for why only `'static` text converts.
impl From<&'static str> for ConfigPath {
    fn from(dotted: &'static str) -> ConfigPath {
        ConfigPath::root().with(dotted)
    }
}

impl From<&ConfigPath> for ConfigPath {
    fn from(p: &ConfigPath) -> ConfigPath {
        p.clone()
    }
}

impl std::str::FromStr for ConfigPath {
    type Err = PathError;
    fn from_str(s: &str) -> Result<ConfigPath, PathError> {
        ConfigPath::from_pointer(s)
    }
}

/// A path compares with text in its dotted form.
impl PartialEq<str> for ConfigPath {
    fn eq(&self, other: &str) -> bool {
        self.dotted() == other
    }
}

impl PartialEq<&str> for ConfigPath {
    fn eq(&self, other: &&str) -> bool {
        self.dotted() == *other
    }
}

/// On the wire (the control socket, the event history) a path is its
/// JSON pointer.
impl serde::Serialize for ConfigPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.pointer())
    }
}

impl<'de> serde::Deserialize<'de> for ConfigPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ConfigPath, D::Error> {
        let text = String::deserialize(d)?;
        ConfigPath::from_pointer(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_spellings_of_one_leaf() {
        let p = ConfigPath::from_pointer("/chains/sim/nodes/node-2/admin-state").unwrap();
        assert_eq!(
            p.segments(),
            &[
                Segment::Name("chains".into()),
                Segment::Key("sim".into()),
                Segment::Name("nodes".into()),
                Segment::Key("node-2".into()),
                Segment::Name("admin-state".into()),
            ]
        );
        assert_eq!(p.dotted(), "chains.sim.nodes.node-2.admin-state");
        assert_eq!(
            p.yang(),
            "/chain-agent-nodes:chains/chain[id='sim']/nodes/node[id='node-2']/admin-state"
        );
        assert_eq!(ConfigPath::from_dotted(&p.dotted()), p);
        assert_eq!(p.pointer(), "/chains/sim/nodes/node-2/admin-state");
    }

    #[test]
    fn yang_names_differ_where_the_modules_say() {
        let p = ConfigPath::from_pointer("/chains/x/consensus/p").unwrap();
        assert_eq!(
            p.yang(),
            "/chain-agent-nodes:chains/chain[id='x']/chain-agent-consensus:consensus/parameter[name='p']/value"
        );
        let v = ConfigPath::of(["chains", "x", "validator-votes", "0xab"]);
        assert_eq!(
            v.yang(),
            "/chain-agent-nodes:chains/chain[id='x']/chain-agent-consensus:consensus/validator-vote[address='0xab']/authorize"
        );
        assert_eq!(
            ConfigPath::from_dotted("thresholds.cpu-percent").yang(),
            "/chain-agent-nodes:thresholds/cpu-percent"
        );
        assert_eq!(
            ConfigPath::from_dotted("logs.audit.retention-records").yang(),
            "/chain-agent-logs:logs/type[kind='audit']/retention-records"
        );
        assert_eq!(
            ConfigPath::from_dotted("chains.x.relayer.telemetry").yang(),
            "/chain-agent-nodes:chains/chain[id='x']/chain-agent-crosschain:relayer/telemetry"
        );
        assert_eq!(
            ConfigPath::from_dotted("alarms.control.alarm-shelving.shelf.quiet.resource").yang(),
            "/ietf-alarms:alarms/control/alarm-shelving/shelf[name='quiet']/resource"
        );
        // A community is a secret: its position names the list only.
        assert_eq!(
            ConfigPath::from_dotted("snmp.communities[1].sources[0]").yang(),
            "/chain-agent-system:snmp/communities/community/sources"
        );
        assert_eq!(ConfigPath::root().yang(), "/");
        assert_eq!(
            p.yang_modules(),
            vec!["chain-agent-nodes", "chain-agent-consensus"]
        );
    }

    #[test]
    fn dotted_text_renders_back_as_it_was() {
        for text in [
            "snmp.communities[1].sources[0]",
            "nacm.rule-list[0].rule[2].path",
            "/etc/chain-agent.toml",
            "(document)",
            "",
            "chains.sim.simulation.faults.f1.node",
            "x[y]",
            "[3]",
        ] {
            assert_eq!(ConfigPath::from_dotted(text).dotted(), text);
        }
        let c = ConfigPath::from_dotted("snmp.communities[1].sources[0]");
        assert_eq!(c.segments()[2], Segment::Index(1));
    }

    #[test]
    fn pointers_escape_and_parse() {
        let p = ConfigPath::of(["chains", "a/b~c", "name"]);
        assert_eq!(p.pointer(), "/chains/a~1b~0c/name");
        assert_eq!(ConfigPath::from_pointer(&p.pointer()).unwrap(), p);
        assert_eq!(ConfigPath::from_pointer("/").unwrap(), ConfigPath::root());
        assert_eq!(ConfigPath::root().pointer(), "/");
        assert_eq!(
            ConfigPath::from_pointer("thresholds"),
            Err(PathError::NoLeadingSlash)
        );
    }

    #[test]
    fn prefixes_and_overlaps() {
        let leaf = ConfigPath::of(["chains", "sim", "consensus", "gas"]);
        let chain = ConfigPath::of(["chains", "sim"]);
        assert!(leaf.starts_with(&chain) && leaf.overlaps(&chain) && chain.overlaps(&leaf));
        assert!(!chain.starts_with(&leaf));
        assert!(!leaf.overlaps(&ConfigPath::of(["chains", "other"])));
        assert_eq!(
            leaf.child_of(&ConfigPath::of(["chains", "sim", "consensus"])),
            Some(&Segment::Key("gas".into()))
        );
    }
}
