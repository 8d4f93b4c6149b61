//! One collection pass over what was read from Hermes, with the state kept
//! between passes (client update counters, warnings already raised). Time
//! is passed in, so passes can be replayed with chosen times.

use super::channels;
use super::clients::ClientUpdates;
use super::config::ChainSettings;
use super::expiry_warning::ExpiryWarnings;
use super::telemetry;
use crate::collect::observation::ChainEvent;
use crate::collect::transport::prometheus;
use crate::config::RelayerConfig;
use crate::model::UnixMillis;
use crate::model::crosschain::CrossChainChannel;
use crate::model::log::{LogKind, LogLevel};
use std::collections::BTreeMap;

/// What one pass read from the relayer.
pub struct Read {
    pub settings: Option<ChainSettings>,
    /// The telemetry page, or why it could not be read.
    pub telemetry: Result<String, String>,
    /// Problems other than the telemetry (the config file).
    pub problems: Vec<String>,
}

pub struct Supervision {
    chain: String,
    config: RelayerConfig,
    /// The last problem reported, so it is logged once, not every pass.
    last_problem: Option<String>,
    updates: ClientUpdates,
    warnings: ExpiryWarnings,
}

impl Supervision {
    pub fn new(chain: &str, config: &RelayerConfig) -> Supervision {
        Supervision {
            chain: chain.to_string(),
            config: config.clone(),
            last_problem: None,
            updates: ClientUpdates::default(),
            warnings: ExpiryWarnings::default(),
        }
    }

    /// The channels and the events of a pass whose reads completed at `now`.
    pub fn pass(
        &mut self,
        read: Read,
        now: UnixMillis,
    ) -> (Vec<CrossChainChannel>, Vec<ChainEvent>) {
        let mut problems = read.problems;
        let mut channels = Vec::new();
        let mut events = Vec::new();
        match &read.telemetry {
            Err(e) => problems.push(format!("relayer telemetry: {e}")),
            Ok(text) => {
                let samples = prometheus::parse(text);
                let chain_id = &self.config.chain_id;
                let paths = telemetry::paths(&samples, chain_id);
                self.updates
                    .observe(&telemetry::client_counters(&samples, chain_id), now);
                let period = |tracked: &str| {
                    read.settings
                        .as_ref()
                        .and_then(|s| s.trusting_periods.get(tracked).copied())
                };
                let expiries: BTreeMap<String, (String, UnixMillis)> = paths
                    .values()
                    .filter_map(|p| {
                        let e = self
                            .updates
                            .earliest(&p.counterparty, period(&p.counterparty)?)?;
                        Some((p.counterparty.clone(), e))
                    })
                    .collect();
                let ctx = channels::Context {
                    chain: &self.chain,
                    chain_id,
                    telemetry_url: &self.config.telemetry,
                    settings: read.settings.as_ref(),
                    expiries: &expiries,
                    now,
                };
                channels = channels::channels(&ctx, &paths);
                events.extend(self.warnings.events(&self.chain, &channels, period, now));
            }
        }
        let problem = (!problems.is_empty()).then(|| problems.join("; "));
        if problem != self.last_problem {
            let source = format!("/chains/{}/relayer", self.chain);
            events.push(match &problem {
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
        // A stuck backlog is the relayer-packets-stuck alarm's (core's
        // detect_relayer, with its configured thresholds), not a log line
        // written on every pass.
        (channels, events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::crosschain::ChannelState;

    const DAY: u64 = 86_400_000;
    const CONFIG: &str = "[[chains]]\nid = 'ibc-0'\ntrusting_period = '14days'\n\
                          [[chains]]\nid = 'ibc-1'\ntrusting_period = '3days'\n";

    fn scrape(updates_from_ibc1: u64, updates_from_ibc2: u64) -> String {
        format!(
            r#"backlog_size{{chain="ibc-0",channel="channel-0",counterparty="ibc-1",port="transfer"}} 0
backlog_size{{chain="ibc-0",channel="channel-1",counterparty="ibc-2",port="transfer"}} 0
client_updates_submitted_total{{client="07-tendermint-0",dst_chain="ibc-0",src_chain="ibc-1"}} {updates_from_ibc1}
client_updates_submitted_total{{client="07-tendermint-1",dst_chain="ibc-0",src_chain="ibc-2"}} {updates_from_ibc2}
client_updates_submitted_total{{client="07-tendermint-0",dst_chain="ibc-1",src_chain="ibc-0"}} 99
"#
        )
    }

    fn read(text: String) -> Read {
        Read {
            settings: Some(super::super::config::parse(CONFIG, "ibc-0").unwrap()),
            telemetry: Ok(text),
            problems: vec![],
        }
    }

    fn supervision() -> Supervision {
        Supervision::new(
            "hub",
            &RelayerConfig {
                telemetry: "http://127.0.0.1:3001/metrics".into(),
                config_file: None,
                chain_id: "ibc-0".into(),
            },
        )
    }

    #[test]
    fn client_expiry_from_successive_scrapes() {
        let mut s = supervision();
        let t0 = 1_700_000_000_000;
        let (c, e) = s.pass(read(scrape(5, 2)), t0);
        assert_eq!((c[0].client_expiry, c[1].client_expiry), (None, None));
        assert!(e.is_empty(), "{e:?}");
        let (c, _) = s.pass(read(scrape(6, 3)), t0 + 200);
        assert_eq!(
            c[0].client_expiry,
            Some(t0 + 3 * DAY),
            "ibc-1's trusting period, from the scrape before the increase"
        );
        assert_eq!(c[0].client_id, "07-tendermint-0");
        assert_eq!(
            c[1].client_expiry, None,
            "ibc-2 has no [[chains]] entry: trusting period unknown"
        );
        let (c, e) = s.pass(read(scrape(6, 3)), t0 + 2 * DAY + 1);
        assert_eq!(c[0].state, ChannelState::Open);
        assert_eq!(e.len(), 1, "less than a third left: {e:?}");
        assert!(e[0].message.contains("expires in"), "{}", e[0].message);
        let (c, e) = s.pass(read(scrape(6, 3)), t0 + 3 * DAY);
        assert_eq!(c[0].state, ChannelState::Degraded, "expired");
        assert!(e[0].message.contains("has expired"), "{}", e[0].message);
        let (c, e) = s.pass(read(scrape(7, 3)), t0 + 3 * DAY + 200);
        assert_eq!(c[0].client_expiry, Some(t0 + 6 * DAY), "updated again");
        assert_eq!(c[0].state, ChannelState::Open);
        assert!(e.is_empty(), "{e:?}");
    }

    #[test]
    fn unreadable_telemetry_is_reported_once() {
        let mut s = supervision();
        let down = || Read {
            settings: None,
            telemetry: Err("connection refused".into()),
            problems: vec![],
        };
        let (c, e) = s.pass(down(), 1);
        assert!(c.is_empty());
        assert_eq!(e[0].message, "relayer telemetry: connection refused");
        assert!(s.pass(down(), 2).1.is_empty());
        let (_, e) = s.pass(read(scrape(1, 1)), 3);
        assert_eq!(e[0].level, LogLevel::Info);
    }
}
