//! bcmConfigApply / chain-agent-nodes config-apply: intended versus
//! applied configuration (ApplyStatus), one row per configuration item a
//! chain's nodes must take, beside the configuration it reports on.

use super::Datum::{self, *};
use super::Syntax::*;
use super::Yang::Leaf;
use super::chain::CHAIN_NAME;
use super::{Column, IndexPart, IndexSyntax, Key, Table, ro};
use crate::model::apply::{ApplyState, ApplyStatus};

/// The item's path relative to its chain. 80 octets hold the longest
/// item path the configuration allows (a 32-octet node name in
/// `nodes/NAME/log-spec`, a 42-character address in
/// `validator-votes/ADDRESS`) and keep the instance within 128
/// sub-identifiers beside a 32-octet chain name.
pub static APPLY_ITEM: IndexPart = IndexPart {
    name: "bcmConfigApplyItem",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 11, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 80 },
};

/// bcmConfigApplyState / config-apply state.
pub fn apply_state(s: ApplyState) -> Datum<'static> {
    match s {
        ApplyState::Applied => Enum(1, "applied"),
        ApplyState::Pending => Enum(2, "pending"),
        ApplyState::Refused => Enum(3, "refused"),
        ApplyState::Unsupported => Enum(4, "unsupported"),
    }
}

pub static CONFIG_APPLY: Table<ApplyStatus> = Table {
    entry: "bcmConfigApplyEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 11, 1, 1],
    yang: "/chain-agent-nodes:chains/chain/config-apply",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|s| Some(Text(&s.chain))),
        },
        Key {
            part: &APPLY_ITEM,
            leaf: Some("item"),
            why: None,
            get: Some(|s| Some(Text(&s.item))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmConfigApplyNode", AdminString, Leaf("node")),
            get: |s| Some(Text(&s.node)),
        },
        Column {
            object: ro(3, "bcmConfigApplyState", Integer32, Leaf("state")),
            get: |s| Some(apply_state(s.state)),
        },
        Column {
            object: ro(4, "bcmConfigApplyReason", AdminString, Leaf("reason")),
            get: |s| Some(Text(&s.reason)),
        },
        Column {
            object: ro(5, "bcmConfigApplyChanged", DateAndTime, Leaf("changed")),
            get: |s| Some(Time(s.changed)),
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_own_number_and_name() {
        let all = [
            ApplyState::Applied,
            ApplyState::Pending,
            ApplyState::Refused,
            ApplyState::Unsupported,
        ];
        let numbers: Vec<_> = all.iter().map(|s| apply_state(*s).number()).collect();
        assert_eq!(numbers, [Some(1), Some(2), Some(3), Some(4)]);
        let names: Vec<_> = all
            .iter()
            .map(|s| serde_json::to_value(s).ok())
            .collect::<Vec<_>>();
        for (s, name) in all.iter().zip(names) {
            assert_eq!(
                name.as_ref().and_then(|v| v.as_str()),
                Some(super::super::enums::name(apply_state(*s)))
            );
        }
    }
}
