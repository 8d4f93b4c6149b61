//! Intended versus applied configuration: what became of each committed
//! configuration item a chain's nodes must take (a node's log spec, a
//! validator vote, a consensus or channel parameter). A commit is atomic
//! on the agent's datastore; whether a node took it is reported here, per
//! item and node, so that a refusal is never shown as a success.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

/// What became of a configuration item on its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplyState {
    /// The node took it.
    Applied,
    /// The node cannot receive it yet (unreachable); it is pushed again
    /// when the node answers.
    Pending,
    /// The node refused it; `reason` has the node's words.
    Refused,
    /// The platform or the node's client has no way to take it.
    Unsupported,
}

/// The apply status of one configuration item on one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ApplyStatus {
    pub chain: String,
    /// The item's configuration path relative to its chain, such as
    /// `nodes/n1/log-spec`, `validator-votes/0xab…`, `consensus/NAME`,
    /// `channels/ID`.
    pub item: String,
    /// The node it concerns; "" when the platform applies it chain-wide.
    pub node: String,
    pub state: ApplyState,
    /// Why it is not applied, in the node's or platform's words ("" when
    /// applied).
    pub reason: String,
    /// When `state` or `reason` last changed.
    pub changed: UnixMillis,
}

impl ApplyStatus {
    /// The item's path in the model, as an alarm resource names it.
    pub fn resource(&self) -> String {
        format!("/chains/{}/{}", self.chain, self.item)
    }
}
