//! Supervision of the IBC relayer (Hermes) serving a chain: a wrapper
//! around the chain's own adapter that adds the relayer's channels, read
//! from its telemetry endpoint, with the client and filter settings of its
//! config.toml as channel parameters. Hermes exports no client state; the
//! expiry of the clients on this chain is derived from its client update
//! counters across collections (see `clients`).

mod channels;
mod clients;
mod config;
mod duration;
mod expiry_warning;
#[doc(hidden)]
pub mod fuzzing;
mod supervision;
mod telemetry;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::ChainObservation;
use crate::collect::transport::http::HttpEndpoint;
use crate::config::RelayerConfig;
use crate::model::chain::Platform;
use async_trait::async_trait;
use std::time::Duration;
use supervision::{Read, Supervision};

pub struct RelayerAdapter {
    inner: Box<dyn ChainAdapter>,
    relayer: Relayer,
    supervision: Supervision,
}

/// The relayer's side, apart from the inner adapter so that reading it
/// borrows nothing that is not `Sync`.
struct Relayer {
    config: RelayerConfig,
    http: Result<HttpEndpoint, String>,
}

impl RelayerAdapter {
    pub fn new(
        chain: &str,
        relayer: &RelayerConfig,
        timeout: Duration,
        inner: Box<dyn ChainAdapter>,
    ) -> RelayerAdapter {
        RelayerAdapter {
            inner,
            relayer: Relayer {
                config: relayer.clone(),
                http: HttpEndpoint::new(&relayer.telemetry, None, None, timeout)
                    .map_err(|e| e.to_string()),
            },
            supervision: Supervision::new(chain, relayer),
        }
    }
}

impl Relayer {
    async fn read(&self) -> Read {
        let mut problems = Vec::new();
        let settings = match &self.config.config_file {
            None => None,
            Some(path) => match config::load(path, &self.config.chain_id) {
                Ok(s) => Some(s),
                Err(e) => {
                    problems.push(e.to_string());
                    None
                }
            },
        };
        let telemetry = match &self.http {
            Err(e) => Err(e.clone()),
            // The URL names the metrics path itself.
            Ok(http) => http.get_text("").await.map_err(|e| e.to_string()),
        };
        Read {
            settings,
            telemetry,
            problems,
        }
    }
}

#[async_trait]
impl ChainAdapter for RelayerAdapter {
    fn platform(&self) -> Platform {
        self.inner.platform()
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            relayer: true,
            ..self.inner.capabilities()
        }
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        let mut obs = self.inner.collect().await?;
        let read = self.relayer.read().await;
        // Taken after the scrape: an update seen in the next scrape
        // happened after this time.
        let now = crate::model::now_millis();
        let (channels, events) = self.supervision.pass(read, now);
        obs.events.extend(events);
        obs.channels.extend(channels);
        Ok(obs)
    }

    async fn block_hash(
        &mut self,
        node: &str,
        height: u64,
    ) -> Result<Option<String>, AdapterError> {
        self.inner.block_hash(node, height).await
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        self.inner.apply(change).await
    }
}
