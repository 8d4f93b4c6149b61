//! A chain's members as a set the platform reports anew at each
//! collection (validators, signers), kept with their joining and leaving.

use crate::model::ledger::LedgerMember;
use std::collections::BTreeMap;

/// Record who is a member now; those gone are marked left, and one who
/// comes back starts a new membership. The adapters whose member set is a
/// validator or signer set (Ethereum, CometBFT) keep it across collections
/// with this.
pub fn update_members(
    members: &mut BTreeMap<String, LedgerMember>,
    chain: &str,
    current: &[String],
    role: &str,
    height: u64,
    now: u64,
) {
    for a in current {
        let m = members.entry(a.clone()).or_insert_with(|| LedgerMember {
            chain: chain.to_string(),
            id: a.clone(),
            name: a.clone(),
            address: a.clone(),
            role: role.to_string(),
            joined_height: height,
            joined_at: now,
            left_height: None,
            left_at: None,
        });
        if m.left_height.is_some() {
            // Back again: a new membership.
            m.joined_height = height;
            m.joined_at = now;
            m.left_height = None;
            m.left_at = None;
        }
    }
    for m in members.values_mut() {
        if m.left_height.is_none() && !current.contains(&m.id) {
            m.left_height = Some(height);
            m.left_at = Some(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_join_leave_and_come_back_with_a_new_membership() {
        let mut m = BTreeMap::new();
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        update_members(&mut m, "c", &set(&["a", "b"]), "signer", 10, 1000);
        assert_eq!(m["a"].joined_height, 10);
        assert_eq!(m["a"].role, "signer");
        update_members(&mut m, "c", &set(&["a"]), "signer", 12, 1200);
        assert_eq!((m["b"].left_height, m["b"].left_at), (Some(12), Some(1200)));
        assert!(m["a"].is_active());
        update_members(&mut m, "c", &set(&["a", "b"]), "signer", 15, 1500);
        assert!(m["b"].is_active());
        assert_eq!((m["b"].joined_height, m["b"].joined_at), (15, 1500));
        assert_eq!(m["a"].joined_height, 10, "a stayed: its membership goes on");
    }
}
