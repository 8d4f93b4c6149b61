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

use crate::collect::adapter::{Capabilities, ChainAdapter};
use crate::collect::enrich::{Enriched, Enrichment};
use crate::collect::observation::ChainEvent;
use crate::collect::observation::ChainObservation;
use crate::collect::transport::http::HttpEndpoint;
use crate::config::RelayerConfig;
use crate::model::crosschain::CrossChainChannel;
use async_trait::async_trait;
use std::time::Duration;
use supervision::{Read, Supervision};

pub struct RelayerAdapter {
    relayer: Relayer,
    supervision: Supervision,
    /// The channels and events of the current collection's pass.
    passed: Option<(Vec<CrossChainChannel>, Vec<ChainEvent>)>,
}

/// The relayer's endpoint and configuration, apart from the supervision so
/// that reading it borrows nothing that is not `Sync`.
struct Relayer {
    config: RelayerConfig,
    http: Result<HttpEndpoint, String>,
}

impl RelayerAdapter {
    /// `inner` with the relayer's channels added to its collection.
    pub fn wrap(
        chain: &str,
        relayer: &RelayerConfig,
        timeout: Duration,
        inner: Box<dyn ChainAdapter>,
    ) -> Box<dyn ChainAdapter> {
        Enriched::boxed(
            inner,
            RelayerAdapter {
                relayer: Relayer {
                    config: relayer.clone(),
                    http: HttpEndpoint::new(&relayer.telemetry, None, None, timeout)
                        .map_err(|e| e.to_string()),
                },
                supervision: Supervision::new(chain, relayer),
                passed: None,
            },
        )
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
impl Enrichment for RelayerAdapter {
    fn capabilities(&self, platform: Capabilities) -> Capabilities {
        Capabilities {
            relayer: true,
            ..platform
        }
    }

    async fn read(&mut self) {
        let read = self.relayer.read().await;
        // Taken after the scrape: an update seen in the next scrape
        // happened after this time.
        let now = crate::model::now_millis();
        self.passed = Some(self.supervision.pass(read, now));
    }

    fn add(&mut self, obs: &mut ChainObservation) {
        if let Some((channels, events)) = self.passed.take() {
            obs.events.extend(events);
            obs.channels.extend(channels);
        }
    }
}
