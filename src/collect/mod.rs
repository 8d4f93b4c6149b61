//! Southbound: everything that gathers data. One [`adapter::ChainAdapter`] per
//! chain platform, the host collector, and the embedded simulated chain.

pub mod adapter;
pub mod bitcoin;
pub mod cometbft;
pub mod ethereum;
pub mod fabric;
pub mod hermes;
pub mod host;
pub mod members;
pub mod observation;
pub mod sim;
pub mod transport;

pub use adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
pub use observation::{ChainEvent, ChainObservation, NodeObservation};

/// What each platform's adapter can apply, known before any adapter runs,
/// so that the datastore can reject a configuration at validation time.
pub fn capabilities(platform: crate::model::chain::Platform) -> Capabilities {
    use crate::model::chain::Platform;
    match platform {
        Platform::Simulated => sim::SimAdapter::capabilities_static(),
        // admin_changeLogLevel / debug_verbosity; clique, IBFT/QBFT and
        // Istanbul votes; contracts by address.
        Platform::Ethereum => Capabilities {
            log_levels: true,
            validator_votes: true,
            contracts: true,
            ..Capabilities::default()
        },
        // The `logging` RPC's categories.
        Platform::Bitcoin => Capabilities {
            log_levels: true,
            ..Capabilities::default()
        },
        // PUT /logspec.
        Platform::Fabric => Capabilities {
            log_levels: true,
            ..Capabilities::default()
        },
        // CometBFT has no run-time log or validator RPC (validators change
        // through the application); IBC relayers serve Cosmos chains.
        Platform::Cometbft => Capabilities {
            relayer: true,
            ..Capabilities::default()
        },
    }
}
