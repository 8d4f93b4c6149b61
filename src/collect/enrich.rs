//! A source read beside a chain's own collection that adds to its
//! observation: the node processes on this host, the nodes' metrics pages,
//! the certificates of their TLS endpoints, the relayer's telemetry. One
//! wrapper, [`Enriched`], runs the platform adapter and the source side by
//! side and passes everything else (block hashes, configuration changes)
//! to the platform, so each source only says what it reads and adds.

use super::adapter::{AdapterChange, AdapterError, ChainAdapter};
use super::observation::ChainObservation;
use crate::model::chain::Platform;
use crate::model::platform::Capabilities;
use async_trait::async_trait;

#[async_trait]
pub trait Enrichment: Send {
    /// The platform's capabilities with what this source adds.
    fn capabilities(&self, platform: Capabilities) -> Capabilities {
        platform
    }

    /// Read the source, while the platform is being collected.
    async fn read(&mut self);

    /// Add what was read to the platform's observation.
    fn add(&mut self, obs: &mut ChainObservation);
}

/// A platform adapter with one more source.
pub struct Enriched<E> {
    platform: Box<dyn ChainAdapter>,
    source: E,
}

impl<E: Enrichment + 'static> Enriched<E> {
    pub fn boxed(platform: Box<dyn ChainAdapter>, source: E) -> Box<dyn ChainAdapter> {
        Box::new(Enriched { platform, source })
    }
}

#[async_trait]
impl<E: Enrichment> ChainAdapter for Enriched<E> {
    fn platform(&self) -> Platform {
        self.platform.platform()
    }

    fn capabilities(&self) -> Capabilities {
        self.source.capabilities(self.platform.capabilities())
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        let (obs, ()) = futures::join!(self.platform.collect(), self.source.read());
        let mut obs = obs?;
        self.source.add(&mut obs);
        Ok(obs)
    }

    async fn block_hash(
        &mut self,
        node: &str,
        height: u64,
    ) -> Result<Option<String>, AdapterError> {
        self.platform.block_hash(node, height).await
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        self.platform.apply(change).await
    }
}
