//! Rule matching (RFC 8341 section 3.4): the rules of the rule lists that
//! name one of the user's groups (or `*`), in order; the first rule that
//! matches the request decides, then the module's default-deny marks,
//! then the datastore-wide default.

use super::marks::Mark;
use super::path::{self, NodeView, Path};
use crate::config::{AccessOperation, AccessOperations, NacmAction, NacmConfig, RuleTarget};

#[derive(Debug)]
enum Target {
    Any,
    /// `None`: `*`.
    Rpc(Option<String>),
    Notification(Option<String>),
    /// `None`: a path that does not resolve, which matches nothing.
    Path(Option<Path>),
}

#[derive(Debug)]
struct Rule {
    action: NacmAction,
    ops: AccessOperations,
    /// The namespace of `module-name`; `None` for `*`. A module that is
    /// not loaded gets a namespace no node has.
    module: Option<String>,
    target: Target,
}

impl Rule {
    fn module_matches(&self, ns: &str) -> bool {
        self.module.as_deref().is_none_or(|m| m == ns)
    }

    fn data_rule(&self) -> bool {
        matches!(self.target, Target::Any | Target::Path(_))
    }

    fn permits_all(&self, ops: &[AccessOperation]) -> bool {
        self.action == NacmAction::Permit
            && self.module.is_none()
            && matches!(self.target, Target::Any)
            && ops.iter().all(|o| self.ops.contains(*o))
    }
}

/// Who or what decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Rule,
    Mark,
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub permit: bool,
    pub by: By,
}

impl Decision {
    const PERMIT: Decision = Decision {
        permit: true,
        by: By::Default,
    };

    fn of(action: NacmAction, by: By) -> Decision {
        Decision {
            permit: action == NacmAction::Permit,
            by,
        }
    }
}

const WRITES: [AccessOperation; 3] = [
    AccessOperation::Create,
    AccessOperation::Update,
    AccessOperation::Delete,
];

/// One user's access rights under one `/nacm` configuration.
#[derive(Debug)]
pub struct Access {
    enabled: bool,
    read_default: NacmAction,
    write_default: NacmAction,
    exec_default: NacmAction,
    rules: Vec<Rule>,
}

impl Access {
    /// The rules for a member of `groups`; `namespace` maps a module name
    /// to its namespace.
    pub fn new(
        nacm: &NacmConfig,
        groups: &[String],
        namespace: impl Fn(&str) -> Option<String>,
    ) -> Access {
        let lists = nacm
            .rule_list
            .iter()
            .filter(|l| l.group.iter().any(|g| g == "*" || groups.contains(g)));
        let rules = lists
            .flat_map(|l| &l.rule)
            .map(|r| Rule {
                action: r.action,
                ops: r.access_operations,
                module: (r.module_name != "*").then(|| {
                    namespace(&r.module_name)
                        .unwrap_or_else(|| format!("\0unknown module {}", r.module_name))
                }),
                target: match r.target() {
                    RuleTarget::Any => Target::Any,
                    RuleTarget::Rpc(n) => Target::Rpc((n != "*").then(|| n.to_string())),
                    RuleTarget::Notification(n) => {
                        Target::Notification((n != "*").then(|| n.to_string()))
                    }
                    RuleTarget::Path(p) => Target::Path(path::parse(p, &namespace).ok()),
                },
            })
            .collect();
        Access {
            enabled: nacm.enable_nacm,
            read_default: nacm.read_default,
            write_default: nacm.write_default,
            exec_default: nacm.exec_default,
            rules,
        }
    }

    /// No access control: NACM switched off.
    pub fn unrestricted() -> Access {
        Access {
            enabled: false,
            read_default: NacmAction::Permit,
            write_default: NacmAction::Permit,
            exec_default: NacmAction::Permit,
            rules: Vec::new(),
        }
    }

    /// Running an rpc or action (`ns` is its module's namespace).
    /// close-session is the caller's to let through.
    pub fn exec(&self, ns: &str, name: &str, mark: Option<Mark>) -> Decision {
        if !self.enabled {
            return Decision::PERMIT;
        }
        let hit = self.rules.iter().find(|r| {
            r.ops.contains(AccessOperation::Exec)
                && r.module_matches(ns)
                && match &r.target {
                    Target::Any => true,
                    Target::Rpc(n) => n.as_deref().is_none_or(|n| n == name),
                    _ => false,
                }
        });
        match (hit, mark) {
            (Some(r), _) => Decision::of(r.action, By::Rule),
            (None, Some(Mark::DenyAll)) => Decision::of(NacmAction::Deny, By::Mark),
            (None, _) => Decision::of(self.exec_default, By::Default),
        }
    }

    /// Running an action: rules with no target or a path covering the
    /// action node, and the action's mark.
    pub fn exec_action<N: NodeView>(&self, node: &[N], mark: Option<Mark>) -> Decision {
        self.data_like(AccessOperation::Exec, node, mark, self.exec_default)
    }

    /// Receiving a notification (`ns` is its module's namespace).
    pub fn notification(&self, ns: &str, name: &str, mark: Option<Mark>) -> Decision {
        if !self.enabled {
            return Decision::PERMIT;
        }
        let hit = self.rules.iter().find(|r| {
            r.ops.contains(AccessOperation::Read)
                && r.module_matches(ns)
                && match &r.target {
                    Target::Any => true,
                    Target::Notification(n) => n.as_deref().is_none_or(|n| n == name),
                    _ => false,
                }
        });
        match (hit, mark) {
            (Some(r), _) => Decision::of(r.action, By::Rule),
            (None, Some(Mark::DenyAll)) => Decision::of(NacmAction::Deny, By::Mark),
            (None, _) => Decision::of(self.read_default, By::Default),
        }
    }

    /// `op` on the data node at the end of `node` (root first).
    pub fn data<N: NodeView>(
        &self,
        op: AccessOperation,
        node: &[N],
        mark: Option<Mark>,
    ) -> Decision {
        let default = match op {
            AccessOperation::Read => self.read_default,
            AccessOperation::Exec => self.exec_default,
            _ => self.write_default,
        };
        self.data_like(op, node, mark, default)
    }

    fn data_like<N: NodeView>(
        &self,
        op: AccessOperation,
        node: &[N],
        mark: Option<Mark>,
        default: NacmAction,
    ) -> Decision {
        if !self.enabled {
            return Decision::PERMIT;
        }
        let Some(last) = node.last() else {
            return Decision::PERMIT;
        };
        let hit = self.rules.iter().find(|r| {
            r.ops.contains(op)
                && r.module_matches(last.ns())
                && match &r.target {
                    Target::Any => true,
                    Target::Path(Some(p)) => path::covers(p, node),
                    _ => false,
                }
        });
        let denied_by_mark = match (mark, op) {
            (Some(Mark::DenyAll), _) => true,
            (Some(Mark::DenyWrite), o) => WRITES.contains(&o),
            (None, _) => false,
        };
        match hit {
            Some(r) => Decision::of(r.action, By::Rule),
            None if denied_by_mark => Decision::of(NacmAction::Deny, By::Mark),
            None => Decision::of(default, By::Default),
        }
    }

    /// Whether some rule with `op` could decide about a node below `node`
    /// other than by covering `node` itself: a path rule leading further
    /// down.
    pub fn rules_below<N: NodeView>(&self, op: AccessOperation, node: &[N]) -> bool {
        self.rules.iter().any(|r| {
            r.ops.contains(op)
                && matches!(&r.target, Target::Path(Some(p)) if path::leads_to(p, node))
        })
    }

    fn first_data_rule(&self, ops: &[AccessOperation]) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.data_rule() && ops.iter().any(|o| r.ops.contains(*o)))
    }

    /// Everything is readable: NACM is off, or the first rule that can
    /// decide about reading data permits all of it. No need to look at
    /// the data.
    pub fn reads_everything(&self) -> bool {
        !self.enabled
            || self
                .first_data_rule(&[AccessOperation::Read])
                .is_some_and(|r| r.permits_all(&[AccessOperation::Read]))
    }

    /// No rule is about reading data and reading is permitted by default:
    /// only the default-deny-all marks hide anything.
    pub fn reads_by_marks_only(&self) -> bool {
        self.enabled
            && self.read_default == NacmAction::Permit
            && self.first_data_rule(&[AccessOperation::Read]).is_none()
    }

    /// Every change of data is permitted, whatever it touches.
    pub fn writes_everything(&self) -> bool {
        !self.enabled
            || self
                .first_data_rule(&WRITES)
                .is_some_and(|r| r.permits_all(&WRITES))
    }

    /// Every notification is permitted, whatever its type.
    pub fn notifications_everything(&self) -> bool {
        !self.enabled
            || self
                .rules
                .iter()
                .find(|r| {
                    r.ops.contains(AccessOperation::Read)
                        && matches!(r.target, Target::Any | Target::Notification(_))
                })
                .is_some_and(|r| r.permits_all(&[AccessOperation::Read]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{NacmRule, RuleList};
    use crate::netconf::nacm::path::Step;

    const NETCONF: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";
    const NODES: &str = "urn:chain-agent:yang:chain-agent-nodes";

    fn namespace(module: &str) -> Option<String> {
        match module {
            "ietf-netconf" => Some(NETCONF.into()),
            "chain-agent-nodes" => Some(NODES.into()),
            _ => None,
        }
    }

    fn access(nacm: &NacmConfig, groups: &[&str]) -> Access {
        let groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
        Access::new(nacm, &groups, namespace)
    }

    fn step(name: &str, keys: &[(&str, &str)]) -> Step {
        Step {
            ns: NODES.into(),
            name: name.into(),
            keys: keys
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn rule(name: &str, ops: &str, action: NacmAction) -> NacmRule {
        NacmRule {
            name: name.into(),
            module_name: "*".into(),
            rpc_name: None,
            notification_name: None,
            path: None,
            access_operations: AccessOperations::try_from(ops.to_string()).unwrap(),
            action,
            comment: None,
        }
    }

    #[test]
    fn the_defaults_let_admins_do_everything_and_readers_only_read() {
        let nacm = NacmConfig::default();
        let admin = access(&nacm, &["admin"]);
        assert!(admin.reads_everything() && admin.writes_everything());
        assert!(admin.notifications_everything());
        assert!(
            admin
                .exec(NETCONF, "kill-session", Some(Mark::DenyAll))
                .permit
        );
        let reader = access(&nacm, &["readers"]);
        assert!(!reader.reads_everything() && reader.reads_by_marks_only());
        assert!(!reader.writes_everything());
        for op in ["edit-config", "lock", "commit", "validate"] {
            assert_eq!(
                reader.exec(NETCONF, op, None),
                Decision {
                    permit: false,
                    by: By::Rule
                },
                "{op}"
            );
        }
        assert!(reader.exec(NETCONF, "get", None).permit);
        let node = [step("thresholds", &[])];
        assert!(reader.data(AccessOperation::Read, &node, None).permit);
        assert!(
            !reader
                .data(AccessOperation::Read, &node, Some(Mark::DenyAll))
                .permit
        );
        assert!(!reader.data(AccessOperation::Update, &node, None).permit);
        // A user in no group: only the defaults and the marks.
        let nobody = access(&nacm, &[]);
        assert!(nobody.exec(NETCONF, "edit-config", None).permit);
        assert_eq!(
            nobody.exec(NETCONF, "kill-session", Some(Mark::DenyAll)),
            Decision {
                permit: false,
                by: By::Mark
            }
        );
    }

    #[test]
    fn the_first_matching_rule_wins_in_list_then_rule_order() {
        let mut nacm = NacmConfig::yang_defaults();
        let mut cpu = rule("cpu", "update", NacmAction::Permit);
        cpu.path = Some("/chain-agent-nodes:thresholds/cpu-percent".into());
        let mut hide = rule("hide", "read", NacmAction::Deny);
        hide.path = Some("/chain-agent-nodes:chains/chain[id='sim']".into());
        hide.module_name = "chain-agent-nodes".into();
        nacm.rule_list = vec![
            RuleList {
                name: "first".into(),
                group: vec!["ops".into()],
                rule: vec![cpu, hide],
            },
            RuleList {
                name: "everyone".into(),
                group: vec!["*".into()],
                rule: vec![rule("all", "*", NacmAction::Permit)],
            },
        ];
        let ops = access(&nacm, &["ops"]);
        let cpu_leaf = [step("thresholds", &[]), step("cpu-percent", &[])];
        let mem_leaf = [step("thresholds", &[]), step("memory-percent", &[])];
        assert!(ops.data(AccessOperation::Update, &cpu_leaf, None).permit);
        // memory-percent falls through to the `*` list, which permits.
        assert!(ops.data(AccessOperation::Update, &mem_leaf, None).permit);
        let sim = [step("chains", &[]), step("chain", &[("id", "sim")])];
        let lab = [step("chains", &[]), step("chain", &[("id", "lab")])];
        assert!(!ops.data(AccessOperation::Read, &sim, None).permit);
        assert!(ops.data(AccessOperation::Read, &lab, None).permit);
        assert!(ops.rules_below(AccessOperation::Read, &sim[..1]));
        assert!(!ops.rules_below(AccessOperation::Read, &lab));
        assert!(!ops.reads_everything() && !ops.reads_by_marks_only());
        // Someone outside `ops` only has the `*` list: everything.
        let other = access(&nacm, &["x"]);
        assert!(other.reads_everything() && other.writes_everything());
        assert!(
            other
                .data(AccessOperation::Read, &sim, Some(Mark::DenyAll))
                .permit
        );
    }

    #[test]
    fn marks_apply_when_no_rule_matches() {
        let mut nacm = NacmConfig::yang_defaults();
        nacm.write_default = NacmAction::Permit;
        let a = access(&nacm, &[]);
        let n = [step("x", &[])];
        assert!(a.data(AccessOperation::Create, &n, None).permit);
        for op in [
            AccessOperation::Create,
            AccessOperation::Update,
            AccessOperation::Delete,
        ] {
            assert!(!a.data(op, &n, Some(Mark::DenyWrite)).permit);
        }
        assert!(
            a.data(AccessOperation::Read, &n, Some(Mark::DenyWrite))
                .permit
        );
        assert!(
            !a.data(AccessOperation::Read, &n, Some(Mark::DenyAll))
                .permit
        );
        nacm.enable_nacm = false;
        let off = access(&nacm, &[]);
        assert!(
            off.data(AccessOperation::Read, &n, Some(Mark::DenyAll))
                .permit
        );
        assert!(
            off.exec(NETCONF, "kill-session", Some(Mark::DenyAll))
                .permit
        );
    }

    #[test]
    fn rpc_and_notification_rules_match_by_module_and_name() {
        let mut nacm = NacmConfig::yang_defaults();
        let mut no_get_config = rule("g", "exec", NacmAction::Deny);
        no_get_config.module_name = "ietf-netconf".into();
        no_get_config.rpc_name = Some("get-config".into());
        let mut no_change = rule("n", "read", NacmAction::Deny);
        no_change.notification_name = Some("netconf-config-change".into());
        let mut unknown_module = rule("u", "*", NacmAction::Deny);
        unknown_module.module_name = "no-such-module".into();
        nacm.rule_list = vec![RuleList {
            name: "l".into(),
            group: vec!["g".into()],
            rule: vec![unknown_module, no_get_config, no_change],
        }];
        let a = access(&nacm, &["g"]);
        assert!(!a.exec(NETCONF, "get-config", None).permit);
        assert!(a.exec(NETCONF, "get", None).permit);
        assert!(a.exec("urn:other", "get-config", None).permit);
        assert!(
            !a.notification("urn:x", "netconf-config-change", None)
                .permit
        );
        assert!(a.notification("urn:x", "alarm-notification", None).permit);
        assert!(!a.notifications_everything());
        // Data rules do not match notifications, nor notification rules data.
        assert!(
            a.data(AccessOperation::Read, &[step("x", &[])], None)
                .permit
        );
    }
}
