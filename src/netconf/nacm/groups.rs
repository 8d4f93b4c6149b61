//! A user's NACM groups: those `/nacm/groups` lists the user in, and,
//! with `enable-external-groups`, those `[netconf.users]` gives: `admin`
//! for an `admin = true` user, the user's `groups`, and `readers` for a
//! user with neither.

use crate::config::{ADMIN_GROUP, NacmConfig, NetconfConfig, READERS_GROUP};

pub fn user_groups(nacm: &NacmConfig, users: &NetconfConfig, user: &str) -> Vec<String> {
    let mut groups: Vec<String> = nacm
        .groups
        .iter()
        .filter(|(_, g)| g.user_name.iter().any(|u| u == user))
        .map(|(name, _)| name.clone())
        .collect();
    if nacm.enable_external_groups
        && let Some(u) = users.users.get(user)
    {
        let mut external: Vec<String> = Vec::new();
        if u.admin {
            external.push(ADMIN_GROUP.into());
        }
        external.extend(u.groups.iter().cloned());
        if external.is_empty() {
            external.push(READERS_GROUP.into());
        }
        for g in external {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{NacmGroup, NetconfUser};

    fn users() -> NetconfConfig {
        let mut n = NetconfConfig::default();
        let user = |admin: bool, groups: &[&str]| NetconfUser {
            password: Some("x".into()),
            password_hash: None,
            authorized_keys: vec![],
            admin,
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        n.users.insert("boss".into(), user(true, &["audit"]));
        n.users.insert("ops".into(), user(false, &["ops"]));
        n.users.insert("plain".into(), user(false, &[]));
        n
    }

    #[test]
    fn external_groups_follow_the_user_table() {
        let nacm = NacmConfig::default();
        let u = users();
        assert_eq!(user_groups(&nacm, &u, "boss"), ["admin", "audit"]);
        assert_eq!(user_groups(&nacm, &u, "ops"), ["ops"]);
        assert_eq!(user_groups(&nacm, &u, "plain"), ["readers"]);
        assert!(user_groups(&nacm, &u, "stranger").is_empty());
    }

    #[test]
    fn nacm_groups_add_to_them_and_stand_alone_without_external_groups() {
        let mut nacm = NacmConfig::default();
        nacm.groups.insert(
            "night".into(),
            NacmGroup {
                user_name: vec!["plain".into()],
            },
        );
        let u = users();
        assert_eq!(user_groups(&nacm, &u, "plain"), ["night", "readers"]);
        nacm.enable_external_groups = false;
        assert_eq!(user_groups(&nacm, &u, "plain"), ["night"]);
        assert!(user_groups(&nacm, &u, "boss").is_empty());
    }
}
