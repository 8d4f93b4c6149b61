//! Intended versus applied configuration: turns the outcome of each push
//! of a committed change to a chain's platform into the item's apply
//! status ([`ApplyStatus`]), forgets the items withdrawn from the
//! configuration, and derives the `config-apply-failed` conditions of the
//! refused ones. The commit itself stays atomic on the datastore; this is
//! what the NMS reads afterwards to learn whether the nodes took it.

use super::alarms::Condition;
use crate::collect::{AdapterChange, AdapterError, ChainObservation};
use crate::config::{ChainConfig, ConfigDiff, ConfigPath};
use crate::model::UnixMillis;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::apply::{ApplyState, ApplyStatus};
use std::collections::{BTreeMap, BTreeSet};

/// One change pushed to a platform and what the platform answered.
#[derive(Debug)]
pub struct Pushed {
    pub change: AdapterChange,
    pub result: Result<(), AdapterError>,
}

/// The configuration item a change concerns: its path relative to the
/// chain, the node it goes to ("" for the whole chain), and whether the
/// change withdraws it. None for changes that are not items a node takes
/// (the monitored contracts, the simulator's faults).
pub fn item_of(change: &AdapterChange) -> Option<(String, &str, bool)> {
    Some(match change {
        AdapterChange::ConsensusParameter { name, .. } => (format!("consensus/{name}"), "", false),
        AdapterChange::Channel { id, .. } => (format!("channels/{id}"), "", false),
        AdapterChange::ChannelRemoved { id } => (format!("channels/{id}"), "", true),
        AdapterChange::ValidatorVote { address, authorize } => (
            format!("validator-votes/{address}"),
            "",
            authorize.is_none(),
        ),
        AdapterChange::LogSpec { node, .. } => (format!("nodes/{node}/log-spec"), node, false),
        AdapterChange::Faults(_) | AdapterChange::Contracts(_) => return None,
    })
}

/// The apply state of a push's outcome, and the reason when it is not
/// applied: a refusal or a protocol failure is the node's answer
/// (refused), an unreachable node cannot take it yet (pending), a
/// platform without the means does not support it.
pub fn state_of(result: &Result<(), AdapterError>) -> (ApplyState, String) {
    match result {
        Ok(()) => (ApplyState::Applied, String::new()),
        Err(AdapterError::Rejected(reason)) => (ApplyState::Refused, reason.clone()),
        Err(e @ AdapterError::Protocol { .. }) => (ApplyState::Refused, e.to_string()),
        Err(e @ AdapterError::Unreachable { .. }) => (ApplyState::Pending, e.to_string()),
        Err(AdapterError::NotSupported(what)) => (ApplyState::Unsupported, what.clone()),
    }
}

/// The items of a chain's configuration that a node takes, as
/// [`item_of`] names them.
pub fn configured_items(chain: &ChainConfig) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.extend(chain.consensus.keys().map(|n| format!("consensus/{n}")));
    out.extend(chain.channels.keys().map(|c| format!("channels/{c}")));
    out.extend(
        chain
            .validator_votes
            .keys()
            .map(|a| format!("validator-votes/{a}")),
    );
    out.extend(
        chain
            .nodes
            .iter()
            .filter(|(_, n)| n.log_spec.is_some())
            .map(|(id, _)| format!("nodes/{id}/log-spec")),
    );
    out
}

/// A configuration item whose node could not be reached: its path
/// relative to the chain and its node ("" for the whole chain).
#[derive(Debug, Clone, PartialEq)]
pub struct PendingItem {
    pub item: String,
    pub node: String,
}

/// The nodes that answered a collection (none when it failed).
pub fn answering(result: &Result<ChainObservation, AdapterError>) -> BTreeSet<String> {
    result
        .as_ref()
        .map(|o| {
            o.nodes
                .iter()
                .filter(|n| n.reachable)
                .map(|n| n.node.id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The changes that push the `pending` items of `chain` again, now that
/// the `answering` nodes answer: an item of one node when that node
/// answers, a chain-wide item when any node does. So a pending consensus
/// or channel parameter, or a log spec whose node was down at a commit
/// without any collection seeing it down, is not left pending for good.
pub fn retry(
    chain: &ChainConfig,
    pending: &[PendingItem],
    answering: &BTreeSet<String>,
) -> Vec<AdapterChange> {
    let all = ConfigDiff::whole(ConfigPath::root());
    super::runtime::chain_changes(&all, "", None, chain)
        .into_iter()
        .filter(|c| {
            item_of(c).is_some_and(|(item, node, _)| {
                pending.iter().any(|p| p.item == item)
                    && if node.is_empty() {
                        !answering.is_empty()
                    } else {
                        answering.contains(node)
                    }
            })
        })
        .collect()
}

/// The apply statuses of one chain's items, by item path.
#[derive(Debug, Default)]
pub struct ApplyBook {
    items: BTreeMap<String, ApplyStatus>,
}

impl ApplyBook {
    /// Record what `pushed` changes brought, then forget the items no
    /// longer in `config` (None: the chain is gone). Returns whether any
    /// status changed (state or reason) or went.
    pub fn record(
        &mut self,
        chain: &str,
        pushed: &[Pushed],
        config: Option<&ChainConfig>,
        now: UnixMillis,
    ) -> bool {
        let mut changed = false;
        for p in pushed {
            let Some((item, node, withdrawn)) = item_of(&p.change) else {
                continue;
            };
            if withdrawn {
                changed |= self.items.remove(&item).is_some();
                continue;
            }
            let (state, reason) = state_of(&p.result);
            match self.items.get_mut(&item) {
                Some(s) if s.state == state && s.reason == reason && s.node == node => {}
                Some(s) => {
                    s.state = state;
                    s.reason = reason;
                    s.node = node.to_string();
                    s.changed = now;
                    changed = true;
                }
                None => {
                    self.items.insert(
                        item.clone(),
                        ApplyStatus {
                            chain: chain.to_string(),
                            item,
                            node: node.to_string(),
                            state,
                            reason,
                            changed: now,
                        },
                    );
                    changed = true;
                }
            }
        }
        let configured = config.map(configured_items).unwrap_or_default();
        let before = self.items.len();
        self.items.retain(|item, _| configured.contains(item));
        changed || self.items.len() != before
    }

    /// The statuses, by item path.
    pub fn statuses(&self) -> impl Iterator<Item = &ApplyStatus> {
        self.items.values()
    }

    /// The items whose node could not be reached.
    pub fn pending(&self) -> Vec<PendingItem> {
        self.items
            .values()
            .filter(|s| s.state == ApplyState::Pending)
            .map(|s| PendingItem {
                item: s.item.clone(),
                node: s.node.clone(),
            })
            .collect()
    }

    /// One `config-apply-failed` condition per refused item.
    pub fn conditions(&self) -> Vec<Condition> {
        self.items
            .values()
            .filter(|s| s.state == ApplyState::Refused)
            .map(|s| {
                let on = if s.node.is_empty() {
                    "the platform".to_string()
                } else {
                    format!("node {}", s.node)
                };
                Condition {
                    resource: s.resource(),
                    chain: s.chain.clone(),
                    alarm_type: AlarmType::ConfigApplyFailed,
                    severity: Severity::Major,
                    specific_problem: format!("{} refused by {on}: {}", s.item, s.reason),
                    text: format!(
                        "configuration item {} of chain {} is committed but {on} refused it: {}",
                        s.item, s.chain, s.reason
                    ),
                    // A refusal is an answer, not a noisy measurement.
                    gate: Default::default(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::NodeConfig;
    use crate::model::chain::Platform;

    fn log_spec(node: &str, spec: &str) -> AdapterChange {
        AdapterChange::LogSpec {
            node: node.into(),
            spec: spec.into(),
        }
    }

    fn chain_with(log_specs: &[(&str, &str)], votes: &[&str]) -> ChainConfig {
        let mut c = ChainConfig::new(Platform::Bitcoin);
        for (id, spec) in log_specs {
            c.nodes.insert(
                id.to_string(),
                NodeConfig {
                    log_spec: Some(spec.to_string()),
                    ..Default::default()
                },
            );
        }
        for v in votes {
            c.validator_votes.insert(v.to_string(), true);
        }
        c
    }

    #[test]
    fn adapter_errors_map_to_apply_states() {
        let cases = [
            (Ok(()), ApplyState::Applied, ""),
            (
                Err(AdapterError::Rejected("logging: error -8: unknown".into())),
                ApplyState::Refused,
                "logging: error -8: unknown",
            ),
            (
                Err(AdapterError::Protocol {
                    endpoint: "http://n1".into(),
                    reason: "not JSON".into(),
                }),
                ApplyState::Refused,
                "http://n1: unexpected response: not JSON",
            ),
            (
                Err(AdapterError::Unreachable {
                    endpoint: "http://n1".into(),
                    reason: "connection refused".into(),
                }),
                ApplyState::Pending,
                "http://n1: unreachable: connection refused",
            ),
            (
                Err(AdapterError::NotSupported(
                    "log level changes on anvil".into(),
                )),
                ApplyState::Unsupported,
                "log level changes on anvil",
            ),
        ];
        for (result, state, reason) in cases {
            assert_eq!(state_of(&result), (state, reason.to_string()));
        }
    }

    #[test]
    fn items_are_named_by_their_configuration_path() {
        assert_eq!(
            item_of(&log_spec("n1", "net")),
            Some(("nodes/n1/log-spec".to_string(), "n1", false))
        );
        let vote = |authorize| AdapterChange::ValidatorVote {
            address: "0xaa".into(),
            authorize,
        };
        assert_eq!(
            item_of(&vote(Some(false))),
            Some(("validator-votes/0xaa".to_string(), "", false))
        );
        assert_eq!(
            item_of(&vote(None)),
            Some(("validator-votes/0xaa".to_string(), "", true))
        );
        assert_eq!(
            item_of(&AdapterChange::ConsensusParameter {
                name: "period".into(),
                value: "5".into()
            }),
            Some(("consensus/period".to_string(), "", false))
        );
        assert_eq!(
            item_of(&AdapterChange::ChannelRemoved { id: "ch-0".into() }),
            Some(("channels/ch-0".to_string(), "", true))
        );
        assert_eq!(item_of(&AdapterChange::Faults(vec![])), None);
    }

    /// A refusal raises a condition on the item; applying it, or
    /// withdrawing it from the configuration, ends it.
    #[test]
    fn a_refused_item_is_a_condition_until_applied_or_withdrawn() {
        let mut book = ApplyBook::default();
        let config = chain_with(&[("n1", "bogus")], &["0xaa"]);
        let refused = Pushed {
            change: log_spec("n1", "bogus"),
            result: Err(AdapterError::Rejected(
                "logging: error -8: unknown logging category bogus".into(),
            )),
        };
        assert!(book.record("ltc", &[refused], Some(&config), 1000));
        let s: Vec<_> = book.statuses().cloned().collect();
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].item.as_str(), s[0].node.as_str(), s[0].state),
            ("nodes/n1/log-spec", "n1", ApplyState::Refused)
        );
        assert_eq!(s[0].resource(), "/chains/ltc/nodes/n1/log-spec");
        let c = book.conditions();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alarm_type, AlarmType::ConfigApplyFailed);
        assert_eq!(c[0].resource, "/chains/ltc/nodes/n1/log-spec");
        assert!(
            c[0].specific_problem
                .contains("unknown logging category bogus")
        );

        // The same refusal again changes nothing, not even the time.
        let again = Pushed {
            change: log_spec("n1", "bogus"),
            result: Err(AdapterError::Rejected(
                "logging: error -8: unknown logging category bogus".into(),
            )),
        };
        assert!(!book.record("ltc", &[again], Some(&config), 2000));
        assert_eq!(book.statuses().next().map(|s| s.changed), Some(1000));

        let config = chain_with(&[("n1", "net")], &["0xaa"]);
        let applied = Pushed {
            change: log_spec("n1", "net"),
            result: Ok(()),
        };
        assert!(book.record("ltc", &[applied], Some(&config), 3000));
        assert_eq!(
            book.statuses().next().map(|s| (s.state, s.changed)),
            Some((ApplyState::Applied, 3000))
        );
        assert!(book.conditions().is_empty());

        // Refused again, then the log spec leaves the configuration.
        let refused = Pushed {
            change: log_spec("n1", "bogus"),
            result: Err(AdapterError::Rejected("no".into())),
        };
        book.record("ltc", &[refused], Some(&config), 4000);
        assert_eq!(book.conditions().len(), 1);
        let without = chain_with(&[], &["0xaa"]);
        assert!(book.record("ltc", &[], Some(&without), 5000));
        assert_eq!(book.statuses().count(), 0);
        assert!(book.conditions().is_empty());
    }

    /// A pending item is pushed again when its node (or, chain-wide,
    /// any node) answers; an applied one is not.
    #[test]
    fn pending_items_are_retried_once_their_node_answers() {
        let mut config = chain_with(&[("n1", "net"), ("n2", "rpc")], &[]);
        config.consensus.insert("period".into(), 5);
        let mut book = ApplyBook::default();
        let down = || {
            Err(AdapterError::Unreachable {
                endpoint: "x".into(),
                reason: "down".into(),
            })
        };
        let pushed = [
            Pushed {
                change: log_spec("n1", "net"),
                result: down(),
            },
            Pushed {
                change: log_spec("n2", "rpc"),
                result: Ok(()),
            },
            Pushed {
                change: AdapterChange::ConsensusParameter {
                    name: "period".into(),
                    value: "5".into(),
                },
                result: down(),
            },
        ];
        book.record("c", &pushed, Some(&config), 1);
        let pending = book.pending();
        assert_eq!(pending.len(), 2);
        let answering = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect();
        assert!(retry(&config, &pending, &answering(&[])).is_empty());
        assert_eq!(
            retry(&config, &pending, &answering(&["n2"])),
            vec![AdapterChange::ConsensusParameter {
                name: "period".into(),
                value: "5".into()
            }]
        );
        let both = retry(&config, &pending, &answering(&["n1", "n2"]));
        assert_eq!(both.len(), 2);
        assert!(both.contains(&log_spec("n1", "net")), "{both:?}");
    }

    #[test]
    fn a_withdrawn_vote_loses_its_status() {
        let mut book = ApplyBook::default();
        let config = chain_with(&[], &["0xaa"]);
        let cast = Pushed {
            change: AdapterChange::ValidatorVote {
                address: "0xaa".into(),
                authorize: Some(true),
            },
            result: Err(AdapterError::Unreachable {
                endpoint: "n1".into(),
                reason: "down".into(),
            }),
        };
        book.record("eth", &[cast], Some(&config), 1);
        assert_eq!(
            book.statuses().next().map(|s| s.state),
            Some(ApplyState::Pending)
        );
        assert!(book.conditions().is_empty(), "pending raises nothing");
        let discard = Pushed {
            change: AdapterChange::ValidatorVote {
                address: "0xaa".into(),
                authorize: None,
            },
            result: Ok(()),
        };
        assert!(book.record("eth", &[discard], Some(&chain_with(&[], &[])), 2));
        assert_eq!(book.statuses().count(), 0);
    }
}
