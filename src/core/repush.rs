//! Configuration that lives on a node rather than in the agent (its log
//! configuration, the validator votes it casts) is lost when the node
//! restarts, and never reaches a node that was down when it was pushed.
//! The agent pushes it at start and on every change; this module finds the
//! nodes that answer again after having been unreachable, so that their
//! part is pushed once more.

use crate::collect::{AdapterChange, ChainObservation};
use crate::config::{ChainConfig, ConfigDiff, ConfigPath};
use std::collections::BTreeSet;

/// The votes and node log configurations `chain` asks for: what lives on
/// the platform.
pub fn platform_state(chain: &ChainConfig) -> Vec<AdapterChange> {
    // Everything of a chain is new to a platform that forgot it.
    let all = ConfigDiff::whole(ConfigPath::root());
    super::runtime::chain_changes(&all, "", None, chain)
        .into_iter()
        .filter(|c| {
            matches!(
                c,
                AdapterChange::ValidatorVote { .. } | AdapterChange::LogSpec { .. }
            )
        })
        .collect()
}

/// What to push again when `back` nodes answer again: their own log
/// configuration, and the votes (a vote is cast through every node that
/// takes votes; casting it again is harmless).
pub fn for_returning(chain: &ChainConfig, back: &BTreeSet<String>) -> Vec<AdapterChange> {
    if back.is_empty() {
        return Vec::new();
    }
    platform_state(chain)
        .into_iter()
        .filter(|c| match c {
            AdapterChange::LogSpec { node, .. } => back.contains(node),
            _ => true,
        })
        .collect()
}

/// Nodes seen unreachable since their configuration was last pushed.
#[derive(Debug, Default)]
pub struct Returning {
    missed: BTreeSet<String>,
}

impl Returning {
    /// Note who answered in this collection; return the nodes that answer
    /// again after having been unreachable.
    pub fn observe(&mut self, obs: &ChainObservation) -> BTreeSet<String> {
        let mut back = BTreeSet::new();
        for n in &obs.nodes {
            let id = &n.node.id;
            if !n.reachable {
                self.missed.insert(id.clone());
            } else if self.missed.remove(id) {
                back.insert(id.clone());
            }
        }
        back
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::NodeObservation;
    use crate::config::NodeConfig;
    use crate::model::chain::Platform;

    /// A real observation (from the simulated chain) with its nodes
    /// replaced by `reachable`.
    async fn obs(reachable: &[(&str, bool)]) -> ChainObservation {
        let config = crate::config::Config::default();
        let mut sim = crate::collect::factory::build("c", &ChainConfig::simulated(), &config, 0);
        let mut o = sim.collect().await.expect("simulated collection");
        let template = o.nodes[0].clone();
        o.nodes = reachable
            .iter()
            .map(|(id, up)| {
                let mut n: NodeObservation = template.clone();
                n.node.id = id.to_string();
                n.reachable = *up;
                n
            })
            .collect();
        o
    }

    #[tokio::test]
    async fn a_node_is_returning_once_after_being_unreachable() {
        let mut r = Returning::default();
        assert!(
            r.observe(&obs(&[("a", true), ("b", true)]).await)
                .is_empty()
        );
        assert!(
            r.observe(&obs(&[("a", true), ("b", false)]).await)
                .is_empty()
        );
        assert!(
            r.observe(&obs(&[("a", true), ("b", false)]).await)
                .is_empty()
        );
        let back = r.observe(&obs(&[("a", true), ("b", true)]).await);
        assert_eq!(back, BTreeSet::from(["b".to_string()]));
        assert!(
            r.observe(&obs(&[("a", true), ("b", true)]).await)
                .is_empty()
        );
    }

    #[test]
    fn a_returning_node_gets_its_log_spec_and_the_votes() {
        let mut chain = ChainConfig::new(Platform::Ethereum);
        for (id, spec) in [("a", Some("debug")), ("b", Some("info")), ("c", None)] {
            chain.nodes.insert(
                id.into(),
                NodeConfig {
                    endpoint: Some("http://127.0.0.1:1".into()),
                    log_spec: spec.map(str::to_string),
                    ..Default::default()
                },
            );
        }
        chain
            .validator_votes
            .insert("0x00000000000000000000000000000000000000aa".into(), true);
        let back = BTreeSet::from(["b".to_string(), "c".to_string()]);
        let changes = for_returning(&chain, &back);
        assert_eq!(
            changes,
            vec![
                AdapterChange::ValidatorVote {
                    address: "0x00000000000000000000000000000000000000aa".into(),
                    authorize: Some(true),
                },
                AdapterChange::LogSpec {
                    node: "b".into(),
                    spec: "info".into(),
                },
            ]
        );
        assert!(for_returning(&chain, &BTreeSet::new()).is_empty());
    }
}
