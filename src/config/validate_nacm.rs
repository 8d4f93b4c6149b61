//! Checks of the `[nacm]` section beyond what its types say: what
//! ietf-netconf-acm's patterns and keys demand, so a file that passes
//! `check-config` is also valid `/nacm` data.

use super::nacm_path as path;
use super::path::ConfigPath;
use super::schema::*;
use super::source::ConfigIssue;
use super::validate::issue;
use std::collections::BTreeSet;

pub(super) fn check_nacm(n: &NacmConfig, out: &mut Vec<ConfigIssue>) {
    for (name, g) in &n.groups {
        if !group_name_ok(name) {
            issue(
                out,
                ConfigPath::from("nacm.groups").then(name),
                "a group name is not empty and does not start with '*'",
            );
        }
        if g.user_name.iter().any(String::is_empty) {
            issue(
                out,
                ConfigPath::from("nacm.groups").then(name).with("user-name"),
                "user names are not empty",
            );
        }
    }
    let mut lists = BTreeSet::new();
    for l in &n.rule_list {
        let key = ConfigPath::from("nacm.rule-list").then(&l.name);
        if l.name.is_empty() {
            issue(out, key.clone(), "a rule-list needs a name");
        }
        if !lists.insert(l.name.as_str()) {
            issue(out, key.clone(), "two rule-lists have this name");
        }
        if l.group.iter().any(|g| g != "*" && !group_name_ok(g)) {
            issue(
                out,
                key.with("group"),
                "each group is '*' or a group name (not empty, no leading '*')",
            );
        }
        let mut rules = BTreeSet::new();
        for r in &l.rule {
            let rkey = key.with("rule").then(&r.name);
            if r.name.is_empty() {
                issue(out, rkey.clone(), "a rule needs a name");
            }
            if !rules.insert(r.name.as_str()) {
                issue(out, rkey.clone(), "two rules of the list have this name");
            }
            let targets = [&r.rpc_name, &r.notification_name, &r.path]
                .iter()
                .filter(|t| t.is_some())
                .count();
            if targets > 1 {
                issue(
                    out,
                    rkey.clone(),
                    "set at most one of rpc-name, notification-name and path",
                );
            }
            if let Some(p) = &r.path
                && let Err(e) = path::parse(p, |m| Some(m.to_string()))
            {
                issue(out, rkey.with("path"), format!("'{p}': {e}"));
            }
        }
    }
}

/// ietf-netconf-acm's group-name-type: `[^\*].*`, at least one character.
fn group_name_ok(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(n: &NacmConfig) -> Vec<String> {
        let mut out = Vec::new();
        check_nacm(n, &mut out);
        out.into_iter().map(|i| i.key.to_string()).collect()
    }

    #[test]
    fn the_defaults_pass_and_mistakes_are_named() {
        assert_eq!(keys_of(&NacmConfig::default()), Vec::<String>::new());
        let mut n = NacmConfig::default();
        n.groups.insert("*bad".into(), NacmGroup::default());
        let mut dup = n.rule_list[0].clone();
        dup.group = vec!["".into()];
        dup.rule[0].rpc_name = Some("get".into());
        dup.rule[0].path = Some("no-slash".into());
        dup.rule.push(dup.rule[0].clone());
        n.rule_list.push(dup);
        assert_eq!(
            keys_of(&n),
            [
                "nacm.groups.*bad",
                "nacm.rule-list.admin",
                "nacm.rule-list.admin.group",
                "nacm.rule-list.admin.rule.permit-all",
                "nacm.rule-list.admin.rule.permit-all.path",
                "nacm.rule-list.admin.rule.permit-all",
                "nacm.rule-list.admin.rule.permit-all",
                "nacm.rule-list.admin.rule.permit-all.path",
            ]
        );
    }
}
