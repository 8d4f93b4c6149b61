//! RFC 5277 create-subscription on the NETCONF stream: replay from the
//! persisted event history (startTime), live events from the bus, and the
//! end of the subscription at stopTime.

use crate::core::events::{Event, Notification};
use crate::model::{UnixMillis, now_millis};
use crate::netconf::NOTIF_NS;
use crate::netconf::datastore::data;
use crate::netconf::datastore::subtree;
use crate::netconf::events::notify::{
    content_tree, date_and_time, matches_xpath, parse_date_and_time, print_content,
};
use crate::netconf::nacm::{self, Verdict};
use crate::netconf::ops::params::{self, Filter};
use crate::netconf::ops::{OpResult, SessionState};
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::session::table::Counters;
use crate::netconf::shared::Server;
use crate::netconf::transport::envelope;
use crate::netconf::transport::xml::Element;
use crate::netconf::xpath::XPathError;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

/// Replayed events per subscription at most: the store keeps more, but a
/// replay is for catching up, not for bulk export.
const REPLAY_LIMIT: u64 = 10_000;

pub fn create_subscription(
    server: &Arc<Server>,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    if state.notifications.is_some() {
        return Err(
            RpcError::protocol(Tag::InUse, "this session already has a subscription").into(),
        );
    }
    if let Some(s) = op.child(NOTIF_NS, "stream")
        && s.value() != "NETCONF"
    {
        return Err(RpcError::application(
            Tag::InvalidValue,
            format!("no stream '{}'; the stream is NETCONF", s.value()),
        )
        .bad_element("stream")
        .into());
    }
    let time = |name: &'static str| -> Result<Option<UnixMillis>, RpcError> {
        match op.child(NOTIF_NS, name) {
            None => Ok(None),
            Some(e) => parse_date_and_time(e.value()).map(Some).ok_or_else(|| {
                RpcError::protocol(
                    Tag::BadElement,
                    format!("'{}' is not a date-and-time", e.value()),
                )
                .bad_element(name)
            }),
        }
    };
    let start = time("startTime")?;
    let stop = time("stopTime")?;
    let now = now_millis();
    if stop.is_some() && start.is_none() {
        return Err(
            RpcError::protocol(Tag::MissingElement, "stopTime needs startTime")
                .bad_element("startTime")
                .into(),
        );
    }
    if let (Some(a), Some(b)) = (start, stop)
        && b < a
    {
        return Err(
            RpcError::protocol(Tag::BadElement, "stopTime is before startTime")
                .bad_element("stopTime")
                .into(),
        );
    }
    if start.is_some_and(|s| s > now) {
        return Err(
            RpcError::protocol(Tag::BadElement, "startTime is in the future")
                .bad_element("startTime")
                .into(),
        );
    }
    // RFC 5277 puts <filter> in its own namespace; ncclient sends it in the
    // base one. Both are taken.
    let filter_ns = if op.child(NOTIF_NS, "filter").is_some() {
        NOTIF_NS
    } else {
        crate::netconf::NC_NS
    };
    let filter = params::filter(op, filter_ns)?;
    if let Filter::XPath(f) = &filter {
        // A filter that is not an expression is refused now rather than
        // dropping every notification later.
        let select = f.attr("", "select").unwrap_or_default();
        let expr = data::xpath_expr(&server.schema, select, &f.scope)?;
        crate::netconf::xpath::check_syntax(&expr).map_err(|e| data::xpath_error(select, e))?;
    }
    // Subscribe before reading the history, so nothing falls in between.
    let live = server.agent.logs.subscribe();
    let (tx, rx) = mpsc::channel(256);
    state.notifications = Some(rx);
    let server = server.clone();
    let session = state.session.clone();
    tokio::spawn(async move {
        let sub = Sub {
            server,
            filter,
            tx,
            session,
        };
        sub.run(live, start, stop).await;
    });
    Ok(envelope::ok(attrs))
}

struct Sub {
    server: Arc<Server>,
    filter: Filter,
    tx: mpsc::Sender<String>,
    session: Arc<crate::netconf::session::table::Session>,
}

impl Sub {
    /// Deliver until stopTime, the end of the bus, or the end of the
    /// session: the session drops its receiver when it ends (close-session,
    /// kill-session, transport gone, timeout), which ends the task at once,
    /// not at the next event, and drops its bus receiver with it.
    async fn run(
        self,
        live: broadcast::Receiver<Notification>,
        start: Option<UnixMillis>,
        stop: Option<UnixMillis>,
    ) {
        tokio::select! {
            _ = self.tx.closed() => {
                tracing::debug!(session = self.session.id, "NETCONF subscription ended with its session");
            }
            _ = self.deliver(live, start, stop) => {}
        }
    }

    async fn deliver(
        &self,
        mut live: broadcast::Receiver<Notification>,
        start: Option<UnixMillis>,
        stop: Option<UnixMillis>,
    ) {
        let mut last_seq = 0u64;
        if let Some(start) = start {
            let store = self.server.agent.store.clone();
            let history =
                tokio::task::spawn_blocking(move || store.events_since(start, REPLAY_LIMIT)).await;
            if let Ok(Ok(rows)) = history {
                for (seq, time, _name, body) in rows {
                    if stop.is_some_and(|s| time > s) {
                        break;
                    }
                    let Ok(event) = serde_json::from_str::<Event>(&body) else {
                        continue;
                    };
                    last_seq = seq;
                    if !self.send(&Notification { seq, time, event }).await {
                        return;
                    }
                }
            }
            if !self
                .send_raw(
                    "<replayComplete xmlns=\"urn:ietf:params:xml:ns:netmod:notification\"/>",
                    now_millis(),
                )
                .await
            {
                return;
            }
        }
        let deadline = stop.map(|s| {
            let wait = s.saturating_sub(now_millis());
            tokio::time::Instant::now() + std::time::Duration::from_millis(wait)
        });
        loop {
            let next = async {
                match deadline {
                    Some(d) => tokio::time::timeout_at(d, live.recv()).await.ok(),
                    None => Some(live.recv().await),
                }
            };
            match next.await {
                None => {
                    let _ = self
                        .send_raw("<notificationComplete xmlns=\"urn:ietf:params:xml:ns:netmod:notification\"/>", now_millis())
                        .await;
                    return;
                }
                Some(Ok(n)) => {
                    if n.seq <= last_seq {
                        continue;
                    }
                    if !self.send(&n).await {
                        return;
                    }
                }
                Some(Err(broadcast::error::RecvError::Lagged(k))) => {
                    tracing::warn!(
                        session = self.session.id,
                        "NETCONF subscriber fell behind; {k} notifications lost (still in the history)"
                    );
                }
                Some(Err(broadcast::error::RecvError::Closed)) => return,
            }
        }
    }

    /// Send one event if the filter keeps it; false when the session is gone.
    async fn send(&self, n: &Notification) -> bool {
        let schema = &self.server.schema;
        let Some(tree) = content_tree(schema, n) else {
            return true;
        };
        // Access control first: what the user may not see is not
        // filtered either.
        let pruned = match nacm::notification(&self.server, &self.session, &tree) {
            Verdict::Drop => return true,
            Verdict::Unchanged => None,
            Verdict::Pruned(content) => Some(content),
        };
        let content = || pruned.clone().or_else(|| print_content(&tree));
        let kept = match &self.filter {
            Filter::All => content(),
            Filter::Subtree(f) if f.is_empty() => None,
            Filter::Subtree(f) => content()
                .and_then(|content| data::elements(&content).ok())
                .map(|els| subtree::filter(&els, f))
                .filter(|v| !v.is_empty())
                .map(|v| v.iter().map(Element::to_xml).collect()),
            Filter::XPath(f) => {
                let select = f.attr("", "select").unwrap_or_default();
                let mut budget = data::xpath_budget(
                    &self.server.running().netconf,
                    Some(self.session.cancel_flag()),
                );
                match matches_xpath(schema, &tree, select, &f.scope, &mut budget) {
                    Ok(true) => content(),
                    Ok(false) => None,
                    Err(XPathError::Cancelled) => return false,
                    Err(e) => {
                        tracing::warn!(
                            session = self.session.id,
                            "NETCONF subscription filter dropped a {} notification: {e}",
                            n.event.name()
                        );
                        None
                    }
                }
            }
        };
        match kept {
            Some(c) => self.send_raw(&c, n.time).await,
            None => true,
        }
    }

    async fn send_raw(&self, content: &str, time: UnixMillis) -> bool {
        let msg = envelope::notification(&date_and_time(time), content);
        Counters::bump(&self.session.counters.out_notifications);
        Counters::bump(&self.server.sessions.statistics.rpcs.out_notifications);
        self.tx.send(msg).await.is_ok()
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::core::runtime::Agent;
    use crate::netconf::NC_NS;
    use crate::netconf::session::rpc_loop;
    use crate::netconf::shared::Server;
    use crate::netconf::ssh::SessionInfo;
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    const EOM: &str = "]]>]]>";

    /// A real agent (store, datastore, event bus) without collectors, so
    /// no event arrives to wake a subscription by chance.
    fn server(dir: &std::path::Path) -> Arc<Server> {
        let mut config = Config::default();
        config.agent.data_dir = dir.join("data");
        let lock = crate::core::runtime::lock_data_dir(&config).expect("data directory");
        let agent = Arc::new(
            Agent::open(lock, config, "test", Default::default(), None).expect("agent opens"),
        );
        let schema = crate::netconf::yang::schema::test_schema();
        Server::new(agent, Arc::new(schema))
    }

    /// Read up to the next end-of-message marker.
    async fn message(c: &mut DuplexStream) -> String {
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.ends_with(EOM.as_bytes()) {
            let n = tokio::time::timeout(Duration::from_secs(10), c.read(&mut byte))
                .await
                .expect("a message within 10 s")
                .expect("read");
            assert!(
                n > 0,
                "session closed; got {}",
                String::from_utf8_lossy(&got)
            );
            got.push(byte[0]);
        }
        String::from_utf8(got).unwrap()
    }

    async fn send(c: &mut DuplexStream, body: &str) {
        c.write_all(format!("{body}{EOM}").as_bytes())
            .await
            .unwrap();
    }

    /// A base:1.0 session (end-of-message framing) with a subscription;
    /// returns the client end and the session id.
    async fn subscribed(server: &Arc<Server>) -> (DuplexStream, u32) {
        let (mut client, end) = tokio::io::duplex(1 << 16);
        let info = SessionInfo {
            user: "admin".into(),
            peer: None,
            admin: true,
            open: Default::default(),
        };
        tokio::spawn(rpc_loop::run(server.clone(), info, Box::new(end)));
        let hello = message(&mut client).await;
        let id: u32 = hello
            .split("<session-id>")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .and_then(|s| s.parse().ok())
            .expect("session id in the server hello");
        send(&mut client, &format!("<hello xmlns=\"{NC_NS}\"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>")).await;
        send(&mut client, &format!("<rpc xmlns=\"{NC_NS}\" message-id=\"1\"><create-subscription xmlns=\"urn:ietf:params:xml:ns:netconf:notification:1.0\"/></rpc>")).await;
        let reply = message(&mut client).await;
        assert!(reply.contains("<ok/>"), "{reply}");
        (client, id)
    }

    /// Wait until the bus has `want` receivers; false after 3 s.
    async fn receivers_become(server: &Server, want: usize) -> bool {
        for _ in 0..300 {
            if server.agent.logs.subscriber_count() == want {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_subscription_ends_with_its_session_without_waiting_for_an_event() {
        let dir = tempfile::tempdir().unwrap();
        let server = server(dir.path());
        let idle = server.agent.logs.subscriber_count();

        // close-session
        let (mut c, _) = subscribed(&server).await;
        assert!(receivers_become(&server, idle + 1).await, "subscribed");
        send(
            &mut c,
            &format!("<rpc xmlns=\"{NC_NS}\" message-id=\"2\"><close-session/></rpc>"),
        )
        .await;
        assert!(message(&mut c).await.contains("<ok/>"));
        assert!(
            receivers_become(&server, idle).await,
            "after close-session {} receivers remain, {idle} expected",
            server.agent.logs.subscriber_count()
        );

        // The transport goes away.
        let (c, _) = subscribed(&server).await;
        assert!(receivers_become(&server, idle + 1).await, "subscribed");
        drop(c);
        assert!(
            receivers_become(&server, idle).await,
            "after the transport closed"
        );

        // kill-session (what the operation does to the session it names).
        let (_c, id) = subscribed(&server).await;
        assert!(receivers_become(&server, idle + 1).await, "subscribed");
        server.sessions.get(id).expect("session listed").kill();
        assert!(receivers_become(&server, idle).await, "after kill-session");
        assert!(server.sessions.get(id).is_none());
    }
}
