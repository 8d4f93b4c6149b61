//! Warnings as a channel's light client nears and passes its expiry, each
//! raised once per approach: when less than a third of the trusting period
//! is left (Hermes itself refreshes clients at 2/3 of it, so a client this
//! close has missed its refresh), and when it has expired. A client update
//! that moves the expiry away re-arms them.

use crate::collect::observation::ChainEvent;
use crate::model::UnixMillis;
use crate::model::crosschain::CrossChainChannel;
use crate::model::log::{LogKind, LogLevel};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Near,
    Expired,
}

#[derive(Debug, Default)]
pub struct ExpiryWarnings {
    /// Channel id → the last stage warned about.
    warned: BTreeMap<String, Stage>,
}

impl ExpiryWarnings {
    /// The warnings due at `now`; `trusting_period` gives the period (ms)
    /// of the client tracking a counterparty chain.
    pub fn events(
        &mut self,
        chain: &str,
        channels: &[CrossChainChannel],
        trusting_period: impl Fn(&str) -> Option<u64>,
        now: UnixMillis,
    ) -> Vec<ChainEvent> {
        let mut events = Vec::new();
        let mut warned = BTreeMap::new();
        for c in channels {
            let (Some(expiry), Some(period)) = (c.client_expiry, trusting_period(&c.remote_chain))
            else {
                continue;
            };
            let left = expiry.saturating_sub(now);
            let stage = if now >= expiry {
                Stage::Expired
            } else if left < period / 3 {
                Stage::Near
            } else {
                continue;
            };
            if self.warned.get(&c.id).is_none_or(|last| *last < stage) {
                let message = match stage {
                    Stage::Near => format!(
                        "light client tracking {} expires in {} (trusting period {}): \
                         less than a third left and no update seen",
                        c.remote_chain,
                        span(left),
                        span(period)
                    ),
                    Stage::Expired => format!(
                        "light client tracking {} has expired: no update seen for its \
                         trusting period ({})",
                        c.remote_chain,
                        span(period)
                    ),
                };
                events.push(ChainEvent::new(
                    LogKind::CrossChain,
                    LogLevel::Warning,
                    format!("/chains/{chain}/channels/{}", c.id),
                    message,
                ));
            }
            warned.insert(c.id.clone(), stage);
        }
        self.warned = warned;
        events
    }
}

/// '2d 3h 5min', to the minute.
fn span(ms: u64) -> String {
    let minutes = ms / 60_000;
    let (d, h, m) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "min")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    if parts.is_empty() {
        "under 1min".into()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400_000;

    fn channel(expiry: Option<UnixMillis>) -> CrossChainChannel {
        CrossChainChannel {
            client_expiry: expiry,
            ..CrossChainChannel::test_open()
        }
    }

    #[test]
    fn once_near_once_expired_rearmed_by_an_update() {
        let mut w = ExpiryWarnings::default();
        let period = |c: &str| (c == "ibc-1").then_some(3 * DAY);
        let expiry = 10 * DAY;
        let at = |w: &mut ExpiryWarnings, e, now| w.events("hub", &[channel(e)], period, now);
        assert!(
            at(&mut w, Some(expiry), expiry - DAY).is_empty(),
            "a third left"
        );
        let near = at(&mut w, Some(expiry), expiry - DAY + 1);
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].level, LogLevel::Warning);
        assert_eq!(near[0].kind, LogKind::CrossChain);
        assert_eq!(near[0].source, "/chains/hub/channels/transfer/channel-0");
        assert!(
            near[0].message.contains("expires in 23h 59min"),
            "{}",
            near[0].message
        );
        assert!(at(&mut w, Some(expiry), expiry - 1000).is_empty(), "once");
        let expired = at(&mut w, Some(expiry), expiry);
        assert_eq!(expired.len(), 1);
        assert!(
            expired[0].message.contains("has expired"),
            "{}",
            expired[0].message
        );
        assert!(at(&mut w, Some(expiry), expiry + DAY).is_empty(), "once");
        // Updated: the expiry moves 3 days on, the warnings re-arm.
        assert!(at(&mut w, Some(expiry + 3 * DAY), expiry + DAY).is_empty());
        assert_eq!(
            at(&mut w, Some(expiry + 3 * DAY), expiry + 2 * DAY + 1).len(),
            1
        );
        assert!(
            at(&mut w, None, expiry + 5 * DAY).is_empty(),
            "unknown expiry"
        );
        let unknown_period = |_: &str| None;
        assert!(
            w.events("hub", &[channel(Some(1))], unknown_period, 2)
                .is_empty()
        );
    }
}
