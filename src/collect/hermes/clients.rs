//! When the light clients hosted on our chain expire, as far as Hermes'
//! telemetry lets us know. Hermes exports no client state, only a counter
//! of the updates it submitted per client; a client's consensus state
//! expires one trusting period after its last update. An update shows as
//! the counter rising between two scrapes, so it happened after the earlier
//! scrape: taking that scrape's time as the update time errs early, by at
//! most one collection interval. Until an update is seen the expiry is
//! unknown: the counter says nothing about updates made before the agent
//! started watching.

use super::telemetry::ClientCounter;
use crate::model::UnixMillis;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct ClientUpdates {
    clients: BTreeMap<String, Seen>,
}

#[derive(Debug)]
struct Seen {
    tracked: String,
    updates: u64,
    scraped_at: UnixMillis,
    /// The client was last updated after this time (and before the next
    /// scrape); None until an update has been seen.
    updated_after: Option<UnixMillis>,
}

impl ClientUpdates {
    /// Take in one scrape's counters, read at `now`. Clients missing from
    /// the scrape are no longer supervised by Hermes and are forgotten.
    pub fn observe(&mut self, counters: &[ClientCounter], now: UnixMillis) {
        let mut next = BTreeMap::new();
        for c in counters {
            let updated_after = match self.clients.remove(&c.client) {
                Some(seen) if seen.tracked == c.tracked => {
                    // A lower count is a restarted Hermes: any count above 0
                    // was submitted since the restart, after our last scrape.
                    let updated =
                        c.updates > seen.updates || (c.updates < seen.updates && c.updates > 0);
                    if updated {
                        Some(seen.scraped_at)
                    } else {
                        seen.updated_after
                    }
                }
                _ => None,
            };
            next.insert(
                c.client.clone(),
                Seen {
                    tracked: c.tracked.clone(),
                    updates: c.updates,
                    scraped_at: now,
                    updated_after,
                },
            );
        }
        self.clients = next;
    }

    /// The earliest expiry among the clients tracking `tracked` whose last
    /// update has been seen, with the tracked chain's trusting period.
    /// Clients never seen updated are left out: their expiry is unknown.
    pub fn expiry(&self, tracked: &str, trusting_period_ms: u64) -> Option<UnixMillis> {
        self.earliest(tracked, trusting_period_ms).map(|(_, e)| e)
    }

    /// [`Self::expiry`] with the client it is of (the first by id among
    /// clients expiring together).
    pub fn earliest(&self, tracked: &str, trusting_period_ms: u64) -> Option<(String, UnixMillis)> {
        self.clients
            .iter()
            .filter(|(_, s)| s.tracked == tracked)
            .filter_map(|(id, s)| Some((id, s.updated_after?)))
            .map(|(id, t)| (id.clone(), t.saturating_add(trusting_period_ms)))
            .min_by_key(|(_, e)| *e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(client: &str, tracked: &str, updates: u64) -> ClientCounter {
        ClientCounter {
            client: client.into(),
            tracked: tracked.into(),
            updates,
        }
    }

    const DAY: u64 = 86_400_000;

    #[test]
    fn expiry_is_known_once_an_update_is_seen() {
        let mut u = ClientUpdates::default();
        u.observe(&[counter("07-tendermint-0", "ibc-1", 5)], 1_000);
        assert_eq!(u.expiry("ibc-1", DAY), None, "no update seen yet");
        u.observe(&[counter("07-tendermint-0", "ibc-1", 5)], 2_000);
        assert_eq!(u.expiry("ibc-1", DAY), None, "counter unchanged");
        u.observe(&[counter("07-tendermint-0", "ibc-1", 6)], 3_000);
        assert_eq!(
            u.expiry("ibc-1", DAY),
            Some(2_000 + DAY),
            "updated after the scrape at 2000: the earlier scrape counts"
        );
        u.observe(&[counter("07-tendermint-0", "ibc-1", 6)], 4_000);
        assert_eq!(u.expiry("ibc-1", DAY), Some(2_000 + DAY), "kept");
        assert_eq!(u.expiry("ibc-2", DAY), None, "tracks another chain");
    }

    #[test]
    fn earliest_of_several_clients_and_restarts() {
        let mut u = ClientUpdates::default();
        let scrape = |a, b| {
            [
                counter("07-tendermint-0", "ibc-1", a),
                counter("07-tendermint-3", "ibc-1", b),
            ]
        };
        u.observe(&scrape(5, 1), 1_000);
        u.observe(&scrape(6, 1), 2_000);
        assert_eq!(u.expiry("ibc-1", DAY), Some(1_000 + DAY));
        u.observe(&scrape(6, 2), 3_000);
        assert_eq!(u.expiry("ibc-1", DAY), Some(1_000 + DAY), "the earliest");
        assert_eq!(
            u.earliest("ibc-1", DAY),
            Some(("07-tendermint-0".to_string(), 1_000 + DAY)),
            "and whose it is"
        );
        u.observe(&scrape(7, 2), 4_000);
        assert_eq!(u.expiry("ibc-1", DAY), Some(2_000 + DAY));
        // Hermes restarted: counters back near 0.
        u.observe(&scrape(1, 0), 5_000);
        assert_eq!(
            u.expiry("ibc-1", DAY),
            Some(2_000 + DAY),
            "07-tendermint-0 updated since the restart (after 4000); 07-tendermint-3 keeps 2000"
        );
        u.observe(&[counter("07-tendermint-0", "ibc-1", 1)], 6_000);
        assert_eq!(
            u.expiry("ibc-1", DAY),
            Some(4_000 + DAY),
            "07-tendermint-3 gone"
        );
        u.observe(&[], 7_000);
        assert_eq!(u.expiry("ibc-1", DAY), None, "no longer supervised");
    }
}
