//! Supervision of the IBC relayer (Hermes) serving a chain: a wrapper
//! around the chain's own adapter that adds the relayer's channels, read
//! from its telemetry endpoint, with the client and filter settings of its
//! config.toml as channel parameters. Hermes' telemetry has no client
//! expiry, so `client_expiry` stays empty.

mod channels;
mod config;
mod telemetry;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::{ChainEvent, ChainObservation};
use crate::collect::transport::http::HttpEndpoint;
use crate::collect::transport::prometheus;
use crate::config::RelayerConfig;
use crate::model::chain::Platform;
use crate::model::log::{LogKind, LogLevel};
use async_trait::async_trait;
use std::time::Duration;

pub struct RelayerAdapter {
    inner: Box<dyn ChainAdapter>,
    relayer: Relayer,
    /// The last problem reported, so it is logged once, not every pass.
    last_problem: Option<String>,
}

/// The relayer's side, apart from the inner adapter so that reading it
/// borrows nothing that is not `Sync`.
struct Relayer {
    chain: String,
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
                chain: chain.to_string(),
                config: relayer.clone(),
                http: HttpEndpoint::new(&relayer.telemetry, None, None, timeout)
                    .map_err(|e| e.to_string()),
            },
            last_problem: None,
        }
    }
}

impl Relayer {
    async fn channels(
        &self,
    ) -> (
        Vec<crate::model::crosschain::CrossChainChannel>,
        Vec<String>,
    ) {
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
        let text = match &self.http {
            Err(e) => Err(e.clone()),
            // The URL names the metrics path itself.
            Ok(http) => http.get_text("").await.map_err(|e| e.to_string()),
        };
        let paths = match text {
            Ok(t) => telemetry::paths(&prometheus::parse(&t), &self.config.chain_id),
            Err(e) => {
                problems.push(format!("relayer telemetry: {e}"));
                return (Vec::new(), problems);
            }
        };
        let ctx = channels::Context {
            chain: &self.chain,
            chain_id: &self.config.chain_id,
            telemetry_url: &self.config.telemetry,
            settings: settings.as_ref(),
            now: crate::model::now_millis(),
        };
        (channels::channels(&ctx, &paths), problems)
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
        let (channels, problems) = self.relayer.channels().await;
        let problem = (!problems.is_empty()).then(|| problems.join("; "));
        if problem != self.last_problem {
            let source = format!("/chains/{}/relayer", self.relayer.chain);
            obs.events.push(match &problem {
                Some(p) => {
                    ChainEvent::new(LogKind::CrossChain, LogLevel::Warning, source, p.clone())
                }
                None => ChainEvent::new(
                    LogKind::CrossChain,
                    LogLevel::Info,
                    source,
                    "relayer telemetry and configuration readable again".into(),
                ),
            });
            self.last_problem = problem;
        }
        for c in channels
            .iter()
            .filter(|c| c.state == crate::model::crosschain::ChannelState::Degraded)
        {
            obs.events.push(ChainEvent::new(
                LogKind::CrossChain,
                LogLevel::Warning,
                format!("/chains/{}/channels/{}", self.relayer.chain, c.id),
                format!(
                    "packet {} pending for {} s ({} in the backlog)",
                    c.oldest_pending_sequence,
                    c.oldest_pending_age_ms / 1000,
                    c.pending
                ),
            ));
        }
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
