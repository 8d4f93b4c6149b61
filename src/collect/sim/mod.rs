//! The embedded simulated consortium chain, behind the same adapter trait as
//! the real platforms. It is the default data source and the test bed for
//! every alarm: faults come from the configuration, at start or live.

mod business;
mod chain;
mod network;
mod observe;
mod params;
mod rng;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::config::ChainConfig;
use crate::model::chain::Platform;
use async_trait::async_trait;
use chain::SimChain;
use params::Params;

/// Steps one collection may replay to catch up with the wall clock; beyond
/// that the simulated clock jumps, as a real node would after a pause.
const MAX_CATCH_UP: u32 = 10_000;

/// The node's reason for a push refused under a `refuse-config` fault.
const REFUSED: &str = "configuration refused by the node (simulated fault refuse-config)";

pub struct SimAdapter {
    chain: SimChain,
}

impl SimAdapter {
    pub fn new(id: &str, config: &ChainConfig, now: u64) -> SimAdapter {
        let sim = config.simulation.clone().unwrap_or_default();
        SimAdapter {
            chain: SimChain::new(id, &sim, Params::from_config(config), now),
        }
    }

    /// Play the chain forward to `now`.
    pub fn advance_to(&mut self, now: u64) {
        let mut steps = 0;
        while self.chain.clock + self.chain.params.block_interval_ms <= now && steps < MAX_CATCH_UP
        {
            self.chain.step();
            steps += 1;
        }
        if steps == MAX_CATCH_UP {
            self.chain.clock = now;
        }
    }

    pub fn capabilities_static() -> Capabilities {
        crate::model::platform::capabilities(Platform::Simulated)
    }
}

#[async_trait]
impl ChainAdapter for SimAdapter {
    fn platform(&self) -> Platform {
        Platform::Simulated
    }

    fn capabilities(&self) -> Capabilities {
        Self::capabilities_static()
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        self.advance_to(crate::model::now_millis());
        Ok(observe::observe(&mut self.chain))
    }

    async fn block_hash(
        &mut self,
        node: &str,
        height: u64,
    ) -> Result<Option<String>, AdapterError> {
        let idx = self.chain.nodes.iter().position(|n| n.id == node);
        match idx {
            Some(i) if self.chain.faults.stopped(node) => Err(AdapterError::Unreachable {
                endpoint: format!("sim://{}", self.chain.nodes[i].id),
                reason: "node stopped".into(),
            }),
            Some(i) => Ok(self.chain.hash_at(i, height)),
            None => Err(AdapterError::Protocol {
                endpoint: format!("sim://{node}"),
                reason: "no such node".into(),
            }),
        }
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        if self.chain.faults.refuses_config() && !matches!(change, AdapterChange::Faults(_)) {
            return Err(AdapterError::Rejected(REFUSED.into()));
        }
        match change {
            AdapterChange::ConsensusParameter { name, value } => {
                let v: u64 = value.parse().map_err(|_| {
                    AdapterError::Rejected(format!("{name}: '{value}' is not a number"))
                })?;
                if !self.chain.params.set(name, v) {
                    return Err(AdapterError::NotSupported(format!(
                        "consensus parameter {name}"
                    )));
                }
            }
            AdapterChange::Channel { id, params } => {
                self.chain
                    .params
                    .channels
                    .insert(id.clone(), params.clone());
                let p = self.chain.params.clone();
                self.chain
                    .business
                    .configure_channels(&self.chain.chain, &p);
            }
            AdapterChange::ChannelRemoved { id } => {
                self.chain.params.channels.remove(id);
                let p = self.chain.params.clone();
                self.chain
                    .business
                    .configure_channels(&self.chain.chain, &p);
            }
            AdapterChange::Faults(f) => self.chain.set_faults(f.clone()),
            AdapterChange::ValidatorVote { .. } => {
                return Err(AdapterError::NotSupported("validator votes".into()));
            }
            AdapterChange::LogSpec { .. } => {
                return Err(AdapterError::NotSupported("node log configuration".into()));
            }
            AdapterChange::Contracts(_) => {
                return Err(AdapterError::NotSupported("contract monitoring".into()));
            }
        }
        Ok(())
    }
}
