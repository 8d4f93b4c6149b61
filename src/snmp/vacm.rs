//! View-based access control (RFC 3415), configured from `[snmp]`:
//! a community or a USM user maps to read, write and notify views.
//! A view is a family of subtrees with optional wildcard masks; for an
//! OID the most specific matching subtree decides (RFC 3415 §5).

use super::oid::Oid;
use crate::config::{
    Access, SecurityLevel, SecurityModelSel, SnmpConfig, ViewEntry, ViewType, hex_octets,
};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct FamilyEntry {
    subtree: Vec<u32>,
    mask: Vec<u8>,
    included: bool,
}

impl FamilyEntry {
    /// RFC 3415 §5: every arc of the subtree matches, except where the
    /// mask bit for that arc is 0; mask bits past its end count as 1.
    fn matches(&self, oid: &[u32]) -> bool {
        if oid.len() < self.subtree.len() {
            return false;
        }
        self.subtree.iter().enumerate().all(|(i, arc)| {
            let wildcard = self
                .mask
                .get(i / 8)
                .is_some_and(|byte| byte & (0x80 >> (i % 8)) == 0);
            wildcard || oid[i] == *arc
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// Everything (a community without a configured view).
    All,
    Family(Vec<FamilyEntry>),
}

impl View {
    fn from_config(entries: &[ViewEntry]) -> View {
        View::Family(
            entries
                .iter()
                .filter_map(|e| {
                    Some(FamilyEntry {
                        subtree: Oid::parse(&e.subtree)?.0,
                        mask: if e.mask.is_empty() {
                            Vec::new()
                        } else {
                            hex_octets(&e.mask)?
                        },
                        included: e.kind == ViewType::Included,
                    })
                })
                .collect(),
        )
    }

    pub fn admits(&self, oid: &[u32]) -> bool {
        match self {
            View::All => true,
            View::Family(entries) => entries
                .iter()
                .filter(|e| e.matches(oid))
                .max_by(|a, b| {
                    a.subtree
                        .len()
                        .cmp(&b.subtree.len())
                        .then_with(|| a.subtree.cmp(&b.subtree))
                })
                .is_some_and(|e| e.included),
        }
    }
}

/// What one authenticated request may do.
#[derive(Debug, Clone)]
pub struct Rights {
    pub read: Option<Arc<View>>,
    pub write: Option<Arc<View>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityModel {
    V1,
    V2c,
    Usm,
}

struct Community {
    access: Access,
    view: Arc<View>,
    sources: Vec<(std::net::IpAddr, u8)>,
}

struct Group {
    model: SecurityModelSel,
    level: SecurityLevel,
    read: Option<Arc<View>>,
    write: Option<Arc<View>>,
    notify: Option<Arc<View>>,
}

pub struct Vacm {
    communities: BTreeMap<Vec<u8>, Community>,
    groups: BTreeMap<String, Group>,
    /// USM user name → group name.
    members: BTreeMap<Vec<u8>, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityError {
    /// snmpInBadCommunityNames: unknown, or not allowed from this source.
    BadName,
}

impl Vacm {
    pub fn from_config(s: &SnmpConfig) -> Vacm {
        let views: BTreeMap<&str, Arc<View>> = s
            .views
            .iter()
            .map(|(k, v)| (k.as_str(), Arc::new(View::from_config(v))))
            .collect();
        let view = |name: &Option<String>| name.as_deref().and_then(|n| views.get(n).cloned());
        Vacm {
            communities: s
                .communities
                .iter()
                .map(|(name, c)| {
                    (
                        name.as_bytes().to_vec(),
                        Community {
                            access: c.access,
                            view: view(&c.view).unwrap_or_else(|| Arc::new(View::All)),
                            sources: c
                                .sources
                                .iter()
                                .filter_map(|n| crate::config::parse_cidr(n))
                                .collect(),
                        },
                    )
                })
                .collect(),
            groups: s
                .groups
                .iter()
                .map(|(name, g)| {
                    (
                        name.clone(),
                        Group {
                            model: g.security_model,
                            level: g.security_level,
                            read: view(&g.read_view),
                            write: view(&g.write_view),
                            notify: view(&g.notify_view),
                        },
                    )
                })
                .collect(),
            members: s
                .users
                .iter()
                .map(|(u, c)| (u.as_bytes().to_vec(), c.group.clone()))
                .collect(),
        }
    }

    /// Rights of a v1/v2c request, after checking the community and the
    /// source network it came from.
    pub fn community(
        &self,
        name: &[u8],
        source: std::net::IpAddr,
    ) -> Result<Rights, CommunityError> {
        let c = self.communities.get(name).ok_or(CommunityError::BadName)?;
        if !c.sources.is_empty()
            && !c
                .sources
                .iter()
                .any(|(net, len)| in_net(source, *net, *len))
        {
            return Err(CommunityError::BadName);
        }
        Ok(Rights {
            read: Some(c.view.clone()),
            write: (c.access == Access::ReadWrite).then(|| c.view.clone()),
        })
    }

    /// Rights of a USM user at a security level (RFC 3415 §3.2): None when
    /// no access entry of its group admits that level (authorizationError).
    pub fn user(&self, user: &[u8], level: SecurityLevel) -> Option<Rights> {
        let group = self.groups.get(self.members.get(user)?)?;
        if !matches!(group.model, SecurityModelSel::Any | SecurityModelSel::Usm)
            || level < group.level
        {
            return None;
        }
        Some(Rights {
            read: group.read.clone(),
            write: group.write.clone(),
        })
    }

    /// The notify view of a user's group (for v3 notification targets).
    pub fn notify_view(&self, user: &[u8]) -> Option<Arc<View>> {
        self.groups.get(self.members.get(user)?)?.notify.clone()
    }
}

/// Whether `addr` is inside `net/len`; an IPv4-mapped IPv6 source counts
/// as its IPv4 address.
pub fn in_net(addr: std::net::IpAddr, net: std::net::IpAddr, len: u8) -> bool {
    use std::net::IpAddr;
    let addr = match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(addr),
        v4 => v4,
    };
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if len == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(len.min(32)))
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(len.min(128)))
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CommunityConfig, GroupConfig, UsmUserConfig};

    fn entry(subtree: &str, mask: &str, kind: ViewType) -> ViewEntry {
        ViewEntry {
            subtree: subtree.into(),
            mask: mask.into(),
            kind,
        }
    }

    #[test]
    fn most_specific_subtree_wins_and_masks_are_wildcards() {
        let v = View::from_config(&[
            entry("1.3.6.1", "", ViewType::Included),
            entry("1.3.6.1.4.1.32473.1.5", "", ViewType::Excluded),
            entry("1.3.6.1.4.1.32473.1.5.1", "", ViewType::Included),
        ]);
        assert!(v.admits(&[1, 3, 6, 1, 2, 1, 1, 1, 0]));
        assert!(!v.admits(&[1, 3, 6, 1, 4, 1, 32473, 1, 5, 2, 1, 2, 7]));
        assert!(v.admits(&[1, 3, 6, 1, 4, 1, 32473, 1, 5, 1, 1, 2, 1]));
        assert!(!v.admits(&[1, 3, 6, 2]));
        // ifEntry columns for any column, only ifIndex 2: RFC 3415 §5 example style.
        let m = View::from_config(&[entry("1.3.6.1.2.1.2.2.1.1.2", "ff:a0", ViewType::Included)]);
        assert!(m.admits(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 2]));
        assert!(!m.admits(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 3]));
        assert!(!m.admits(&[1, 3, 6, 1, 2, 1, 2, 2, 1]));
    }

    #[test]
    fn communities_check_sources_and_groups_check_level() {
        let mut s = SnmpConfig::default();
        s.communities.insert(
            "rw".into(),
            CommunityConfig {
                access: Access::ReadWrite,
                sources: vec!["10.0.0.0/8".into()],
                view: None,
            },
        );
        s.views.insert(
            "sys".into(),
            vec![entry("1.3.6.1.2.1.1", "", ViewType::Included)],
        );
        s.groups.insert(
            "ops".into(),
            GroupConfig {
                security_model: SecurityModelSel::Usm,
                security_level: SecurityLevel::AuthNoPriv,
                read_view: Some("sys".into()),
                write_view: None,
                notify_view: None,
            },
        );
        s.users.insert(
            "alice".into(),
            UsmUserConfig {
                group: "ops".into(),
                auth: crate::config::AuthAlgorithm::Sha,
                auth_password: Some("maplesyrup".into()),
                auth_key: None,
                privacy: crate::config::PrivAlgorithm::None,
                priv_password: None,
                priv_key: None,
            },
        );
        let vacm = Vacm::from_config(&s);
        let lo = "127.0.0.1".parse().unwrap();
        assert!(vacm.community(b"public", lo).unwrap().write.is_none());
        assert!(
            vacm.community(b"public", "10.1.1.1".parse().unwrap())
                .is_err()
        );
        assert!(vacm.community(b"rw", lo).is_err());
        assert!(
            vacm.community(b"rw", "10.1.1.1".parse().unwrap())
                .unwrap()
                .write
                .is_some()
        );
        assert!(vacm.community(b"nope", lo).is_err());
        assert!(vacm.user(b"alice", SecurityLevel::NoAuthNoPriv).is_none());
        let r = vacm.user(b"alice", SecurityLevel::AuthNoPriv).unwrap();
        assert!(r.read.unwrap().admits(&[1, 3, 6, 1, 2, 1, 1, 5, 0]));
        assert!(r.write.is_none());
        assert!(vacm.user(b"bob", SecurityLevel::AuthPriv).is_none());
        assert!(in_net(
            "::ffff:10.2.3.4".parse().unwrap(),
            "10.0.0.0".parse().unwrap(),
            8
        ));
    }
}
