//! The one trait every chain platform implements. The core polls it on its
//! own task per chain, so a slow or dead platform never stalls another chain
//! or the northbound.

use super::observation::ChainObservation;
use crate::model::chain::Platform;
pub use crate::model::platform::Capabilities;
use async_trait::async_trait;

/// A configuration change to push to the platform, computed by the core
/// from a committed datastore diff.
#[derive(Debug, Clone, PartialEq)]
pub enum AdapterChange {
    ConsensusParameter {
        name: String,
        value: String,
    },
    Channel {
        id: String,
        params: crate::config::ChannelConfig,
    },
    ChannelRemoved {
        id: String,
    },
    /// The complete set of faults that should now be in force.
    Faults(Vec<crate::config::FaultConfig>),
    /// Propose (`Some(authorize)`) or discard (`None`) a validator vote.
    ValidatorVote {
        address: String,
        authorize: Option<bool>,
    },
    /// Set a node's log configuration, in its platform's words.
    LogSpec {
        node: String,
        spec: String,
    },
    /// The complete set of contracts that should now be monitored.
    Contracts(std::collections::BTreeMap<String, crate::config::ContractConfig>),
}

#[derive(Debug, thiserror::Error)]
pub enum AdapterError {
    #[error("{endpoint}: unreachable: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error("{endpoint}: unexpected response: {reason}")]
    Protocol { endpoint: String, reason: String },
    #[error("not supported by this platform: {0}")]
    NotSupported(String),
    #[error("rejected by the platform: {0}")]
    Rejected(String),
}

#[async_trait]
pub trait ChainAdapter: Send {
    fn platform(&self) -> Platform;

    fn capabilities(&self) -> Capabilities;

    /// One collection pass over every node of the chain. A node that does not
    /// answer is reported unreachable inside the observation; an `Err` means
    /// nothing at all could be learnt.
    async fn collect(&mut self) -> Result<ChainObservation, AdapterError>;

    /// Hash of the block at `height` as `node` sees it, for the consistency
    /// analysis to search past the recent window.
    async fn block_hash(&mut self, node: &str, height: u64)
    -> Result<Option<String>, AdapterError>;

    /// Push a configuration change to the platform.
    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError>;
}
