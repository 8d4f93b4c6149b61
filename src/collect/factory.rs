//! The one place that knows the concrete adapters: the core asks for a
//! chain's adapter by its configuration and only ever sees the
//! [`ChainAdapter`] trait.

use super::adapter::ChainAdapter;
use super::bitcoin::BitcoinAdapter;
use super::certs::CertificateAdapter;
use super::cometbft::CometbftAdapter;
use super::ethereum::EthereumAdapter;
use super::fabric::FabricAdapter;
use super::hermes::RelayerAdapter;
use super::local::LocalNodeAdapter;
use super::remote::RemoteMetricsAdapter;
use super::sim::SimAdapter;
use crate::config::{ChainConfig, Config};
use crate::model::chain::Platform;
use std::time::Duration;

/// The adapter for chain `id`: its platform's, with the node processes on
/// this host sampled (see [`super::local`]) and the nodes' metrics pages
/// read (see [`super::remote`]) and their TLS endpoints' certificates
/// (see [`super::certs`]), wrapped by the IBC relayer
/// supervision when the chain has a relayer. `now` (Unix milliseconds)
/// starts the simulated chain's clock.
pub fn build(id: &str, chain: &ChainConfig, config: &Config, now: u64) -> Box<dyn ChainAdapter> {
    let inner = match chain.platform {
        // Simulated nodes have no process.
        Platform::Simulated => platform_adapter(id, chain, config, now),
        // What this host reads of a node's process wins over what its
        // metrics pages say, which only fill what is still absent.
        _ => CertificateAdapter::wrap(
            id,
            chain,
            RemoteMetricsAdapter::wrap(
                id,
                chain,
                LocalNodeAdapter::wrap(id, chain, platform_adapter(id, chain, config, now)),
            ),
        ),
    };
    match &chain.relayer {
        // The relayer's channels are added to whatever the platform reports.
        Some(r) => RelayerAdapter::wrap(id, r, Duration::from_millis(chain.rpc_timeout_ms), inner),
        None => inner,
    }
}

fn platform_adapter(
    id: &str,
    chain: &ChainConfig,
    config: &Config,
    now: u64,
) -> Box<dyn ChainAdapter> {
    match chain.platform {
        Platform::Simulated => Box::new(SimAdapter::new(id, chain, now)),
        Platform::Bitcoin => Box::new(BitcoinAdapter::new(id, chain)),
        Platform::Ethereum => Box::new(EthereumAdapter::new(id, chain, config)),
        Platform::Fabric => Box::new(FabricAdapter::new(id, chain)),
        Platform::Cometbft => Box::new(CometbftAdapter::new(id, chain)),
    }
}
