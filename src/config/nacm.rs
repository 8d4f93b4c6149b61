//! The `[nacm]` section: NETCONF access control (RFC 8341), the
//! `/nacm` container of ietf-netconf-acm in the shared datastore. Rule
//! lists and rules keep their order: the first matching rule decides.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The group an `admin = true` NETCONF user belongs to.
pub const ADMIN_GROUP: &str = "admin";
/// The group of a NETCONF user with neither `admin` nor `groups`.
pub const READERS_GROUP: &str = "readers";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NacmAction {
    #[default]
    Permit,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct NacmConfig {
    /// Off: every user may do everything.
    pub enable_nacm: bool,
    /// What no rule decides: reading data.
    pub read_default: NacmAction,
    /// What no rule decides: creating, changing and deleting data.
    pub write_default: NacmAction,
    /// What no rule decides: running operations and actions.
    pub exec_default: NacmAction,
    /// Whether the groups of `[netconf.users]` (`admin`, `groups`) count.
    pub enable_external_groups: bool,
    /// NACM groups by name.
    pub groups: BTreeMap<String, NacmGroup>,
    /// Rule lists, evaluated in this order.
    pub rule_list: Vec<RuleList>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NacmGroup {
    #[serde(default)]
    pub user_name: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleList {
    pub name: String,
    /// Groups the list applies to; `*` is every user.
    #[serde(default)]
    pub group: Vec<String>,
    /// Rules, evaluated in this order.
    #[serde(default)]
    pub rule: Vec<NacmRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NacmRule {
    pub name: String,
    #[serde(default = "match_all")]
    pub module_name: String,
    /// At most one of `rpc-name`, `notification-name` and `path`; none
    /// matches every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpc_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_name: Option<String>,
    /// A data node path with module names as prefixes
    /// (`/chain-agent-nodes:thresholds`); the rule covers the node and
    /// everything below it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default)]
    pub access_operations: AccessOperations,
    pub action: NacmAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn match_all() -> String {
    "*".into()
}

/// What a rule's access-operations names: `*`, or some of create, read,
/// update, delete and exec (YANG bits, space-separated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccessOperations(u8);

/// One access operation of RFC 8341.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessOperation {
    Create,
    Read,
    Update,
    Delete,
    Exec,
}

impl AccessOperation {
    /// In the bit order of ietf-netconf-acm's access-operations-type.
    pub const ALL: [AccessOperation; 5] = [
        AccessOperation::Create,
        AccessOperation::Read,
        AccessOperation::Update,
        AccessOperation::Delete,
        AccessOperation::Exec,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessOperation::Create => "create",
            AccessOperation::Read => "read",
            AccessOperation::Update => "update",
            AccessOperation::Delete => "delete",
            AccessOperation::Exec => "exec",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl AccessOperations {
    pub const ANY: AccessOperations = AccessOperations(0b1_1111);

    pub fn of(ops: &[AccessOperation]) -> AccessOperations {
        AccessOperations(ops.iter().fold(0, |m, o| m | o.bit()))
    }

    pub fn contains(self, op: AccessOperation) -> bool {
        self.0 & op.bit() != 0
    }
}

impl Default for AccessOperations {
    /// ietf-netconf-acm's default: `*`.
    fn default() -> Self {
        AccessOperations::ANY
    }
}

impl TryFrom<String> for AccessOperations {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        if s.trim() == "*" {
            return Ok(AccessOperations::ANY);
        }
        let mut mask = 0u8;
        for word in s.split_whitespace() {
            let op = AccessOperation::ALL
                .into_iter()
                .find(|o| o.as_str() == word)
                .ok_or_else(|| {
                    format!(
                        "'{word}' is not an access operation (create, read, update, delete, exec or *)"
                    )
                })?;
            mask |= op.bit();
        }
        Ok(AccessOperations(mask))
    }
}

impl From<AccessOperations> for String {
    fn from(a: AccessOperations) -> String {
        if a == AccessOperations::ANY {
            return "*".into();
        }
        AccessOperation::ALL
            .into_iter()
            .filter(|o| a.contains(*o))
            .map(AccessOperation::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a rule applies to (the rule-type choice of ietf-netconf-acm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleTarget<'a> {
    Any,
    Rpc(&'a str),
    Notification(&'a str),
    Path(&'a str),
}

impl NacmRule {
    /// The rule's target; with more than one set (only a file can say
    /// so, and validation refuses it) the first in YANG order.
    pub fn target(&self) -> RuleTarget<'_> {
        match (&self.rpc_name, &self.notification_name, &self.path) {
            (Some(r), _, _) => RuleTarget::Rpc(r),
            (None, Some(n), _) => RuleTarget::Notification(n),
            (None, None, Some(p)) => RuleTarget::Path(p),
            (None, None, None) => RuleTarget::Any,
        }
    }
}

/// The operations that change a datastore, take a lock or end another
/// session: what the `readers` group may not run. `validate` is among
/// them because its errors can quote values a reader may not read.
pub const READER_DENIED_OPERATIONS: [&str; 10] = [
    "edit-config",
    "copy-config",
    "delete-config",
    "lock",
    "unlock",
    "commit",
    "discard-changes",
    "cancel-commit",
    "validate",
    "kill-session",
];

const IETF_NETCONF: &str = "ietf-netconf";

/// The YANG actions that change state (module, action path): readers may
/// not run them. The log `query` action only reads, so it stays open.
pub const READER_DENIED_ACTIONS: [(&str, &str); 5] = [
    ("chain-agent-logs", "/chain-agent-logs:logs/delete"),
    ("chain-agent-logs", "/chain-agent-logs:logs/backup"),
    (
        "ietf-alarms",
        "/ietf-alarms:alarms/alarm-list/alarm/set-operator-state",
    ),
    ("ietf-alarms", "/ietf-alarms:alarms/alarm-list/purge-alarms"),
    (
        "ietf-alarms",
        "/ietf-alarms:alarms/shelved-alarms/purge-shelved-alarms",
    ),
];

impl Default for NacmConfig {
    /// The admin group may do everything; readers may read (secrets
    /// excepted: the modules' default-deny-all marks still apply) and
    /// run what changes nothing.
    fn default() -> Self {
        let admin = RuleList {
            name: ADMIN_GROUP.into(),
            group: vec![ADMIN_GROUP.into()],
            rule: vec![NacmRule {
                name: "permit-all".into(),
                module_name: match_all(),
                rpc_name: None,
                notification_name: None,
                path: None,
                access_operations: AccessOperations::ANY,
                action: NacmAction::Permit,
                comment: Some("Administrators may do everything.".into()),
            }],
        };
        let readers = RuleList {
            name: READERS_GROUP.into(),
            group: vec![READERS_GROUP.into()],
            rule: READER_DENIED_OPERATIONS
                .iter()
                .map(|op| NacmRule {
                    name: format!("deny-{op}"),
                    module_name: IETF_NETCONF.into(),
                    rpc_name: Some((*op).into()),
                    notification_name: None,
                    path: None,
                    access_operations: AccessOperations::of(&[AccessOperation::Exec]),
                    action: NacmAction::Deny,
                    comment: Some("Readers change nothing.".into()),
                })
                .chain(READER_DENIED_ACTIONS.iter().map(|(module, path)| {
                    let action = path.rsplit('/').next().unwrap_or(path);
                    NacmRule {
                        name: format!("deny-{action}"),
                        module_name: (*module).into(),
                        rpc_name: None,
                        notification_name: None,
                        path: Some((*path).into()),
                        access_operations: AccessOperations::of(&[AccessOperation::Exec]),
                        action: NacmAction::Deny,
                        comment: Some("Readers change nothing.".into()),
                    }
                }))
                .collect(),
        };
        NacmConfig {
            enable_nacm: true,
            read_default: NacmAction::Permit,
            write_default: NacmAction::Deny,
            exec_default: NacmAction::Permit,
            enable_external_groups: true,
            groups: BTreeMap::new(),
            rule_list: vec![admin, readers],
        }
    }
}

impl NacmConfig {
    /// ietf-netconf-acm's own defaults: no groups, no rules. What an
    /// operator who writes `/nacm` starts from.
    pub fn yang_defaults() -> NacmConfig {
        NacmConfig {
            rule_list: Vec::new(),
            ..NacmConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_operations_read_and_print_as_yang_bits() {
        let a = AccessOperations::try_from("read  exec".to_string()).unwrap();
        assert!(a.contains(AccessOperation::Read) && a.contains(AccessOperation::Exec));
        assert!(!a.contains(AccessOperation::Update));
        assert_eq!(String::from(a), "read exec");
        assert_eq!(
            String::from(AccessOperations::try_from("*".to_string()).unwrap()),
            "*"
        );
        assert_eq!(
            String::from(
                AccessOperations::try_from("exec delete update read create".to_string()).unwrap()
            ),
            "*"
        );
        assert!(AccessOperations::try_from("read write".to_string()).is_err());
    }

    #[test]
    fn the_file_section_reads_in_order() {
        let n: NacmConfig = toml::from_str(
            r#"
            read-default = "deny"
            [groups.ops]
            user-name = ["ann"]
            [[rule-list]]
            name = "b"
            group = ["ops"]
            [[rule-list.rule]]
            name = "r"
            path = "/chain-agent-nodes:thresholds"
            access-operations = "read update"
            action = "permit"
            [[rule-list]]
            name = "a"
            group = ["*"]
            "#,
        )
        .unwrap();
        assert_eq!(n.read_default, NacmAction::Deny);
        assert_eq!(n.rule_list[0].name, "b");
        assert_eq!(n.rule_list[1].name, "a");
        let r = &n.rule_list[0].rule[0];
        assert_eq!(r.module_name, "*");
        assert_eq!(
            r.target(),
            RuleTarget::Path("/chain-agent-nodes:thresholds")
        );
        assert_eq!(n.groups["ops"].user_name, ["ann"]);
        assert!(n.enable_nacm && n.enable_external_groups);
    }
}
