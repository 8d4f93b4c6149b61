//! What each chain platform can change at run time, known before any
//! adapter runs: configuration validation rejects what a platform cannot
//! apply, and the adapters report the same capabilities.

use super::chain::Platform;

/// What an adapter can change on its platform. The datastore rejects a
/// configuration that asks for anything else, at validation time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capabilities {
    /// Consensus parameters the platform accepts at run time, by model name.
    pub consensus_parameters: Vec<&'static str>,
    /// A node's log configuration can be pushed to it (`log-spec`).
    pub log_levels: bool,
    /// Validator or signer votes (clique/IBFT/QBFT propose).
    pub validator_votes: bool,
    /// Cross-chain channel parameters (timeouts, fee, capacity).
    pub channel_parameters: bool,
    /// Fault injection; only the simulated chain has it.
    pub fault_injection: bool,
    /// Monitoring of configured contracts (code, signatories, executions).
    pub contracts: bool,
    /// Supervision of an IBC relayer's channels.
    pub relayer: bool,
}

/// The consensus parameters the simulated chain takes at run time.
pub const SIMULATED_PARAMETERS: [&str; 3] = [
    "block-interval-ms",
    "round-timeout-ms",
    "max-block-transactions",
];

/// Accepted range of each of the simulated chain's consensus parameters;
/// validation and an SNMP SET check against the same bounds.
pub fn parameter_range(name: &str) -> (u64, u64) {
    match name {
        "block-interval-ms" => (50, 60_000),
        "round-timeout-ms" => (50, 600_000),
        "max-block-transactions" => (1, 10_000),
        _ => (0, u64::MAX),
    }
}

/// What each platform's adapter can apply, known before any adapter runs,
/// so that the datastore can reject a configuration at validation time.
pub fn capabilities(platform: Platform) -> Capabilities {
    match platform {
        Platform::Simulated => Capabilities {
            consensus_parameters: SIMULATED_PARAMETERS.to_vec(),
            // The agent's own log types have levels (`[logs]`); the
            // simulated nodes have no log configuration to push.
            log_levels: false,
            validator_votes: false,
            channel_parameters: true,
            fault_injection: true,
            contracts: false,
            relayer: false,
        },
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
