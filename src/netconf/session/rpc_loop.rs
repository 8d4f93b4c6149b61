//! One NETCONF session: hello exchange, framing, the rpc loop, the idle
//! timeout and kill-session, over whatever byte stream the transport gives.

use crate::config::ADMIN_GROUP;
use crate::netconf::nacm::groups::user_groups;
use crate::netconf::ops::{self, After, SessionState};
use crate::netconf::rpc_error::{RpcError, Tag, reply_with_errors};
use crate::netconf::session::capabilities;
use crate::netconf::session::table::Counters;
use crate::netconf::shared::Server;
use crate::netconf::ssh::{ByteStream, SessionInfo, SessionStarter, TransportOpen};
use crate::netconf::transport::budget::{self, Hold};
use crate::netconf::transport::envelope::{self, Incoming};
use crate::netconf::transport::framing::{self, Decoder, Frame, Framing};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Largest message accepted from a client; larger ones end the session.
pub const MAX_MESSAGE: usize = 16 * 1024 * 1024;
/// How long a client has to send its hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(60);

/// Hands each SSH `netconf` subsystem to a new session task.
pub struct Starter {
    pub server: Arc<Server>,
}

impl SessionStarter for Starter {
    fn start(&self, info: SessionInfo, stream: Box<dyn ByteStream>) {
        let server = self.server.clone();
        tokio::spawn(async move { run(server, info, stream).await });
    }

    /// The NACM groups of running, as access control computes them.
    fn in_admin_group(&self, user: &str, _admin_flag: bool) -> bool {
        let running = self.server.running();
        user_groups(&running.nacm, &running.netconf, user)
            .iter()
            .any(|g| g == ADMIN_GROUP)
    }
}

/// `idle-timeout-seconds` of the running configuration, read before each
/// wait for input: a new value applies to every session from its next
/// wait on.
fn idle_timeout(server: &Server) -> Option<Duration> {
    let seconds = server.running().netconf.idle_timeout_seconds;
    (seconds > 0).then(|| Duration::from_secs(seconds))
}

#[derive(Debug, thiserror::Error)]
enum End {
    #[error("closed by the client")]
    Eof,
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("framing: {0}")]
    Framing(#[from] framing::FramingError),
    #[error("bad hello")]
    BadHello,
    #[error("no hello within {0:?}")]
    HelloTimeout(Duration),
    #[error("idle for {0:?}")]
    Idle(Duration),
    #[error("killed")]
    Killed,
    #[error("close-session")]
    Closed,
}

pub async fn run(server: Arc<Server>, info: SessionInfo, stream: Box<dyn ByteStream>) {
    let (session, kill) = server.sessions.open(&info.user, info.peer);
    let id = session.id;
    Counters::bump(&server.sessions.statistics.in_sessions);
    tracing::info!(session = id, user = %info.user, peer = ?info.peer, "NETCONF session started");
    let mut state = SessionState {
        session,
        notifications: None,
    };
    let end = serve(&server, &mut state, stream, kill, info.open.clone()).await;
    // Whatever ended the session, nothing more is done for it.
    state.session.cancel();
    // RFC 6022: close-session and kill-session end a session properly;
    // a bad hello has its own counter; anything else (transport closed,
    // timeouts, errors) is a dropped session.
    let stats = &server.sessions.statistics;
    match &end {
        End::Closed | End::Killed => tracing::info!(session = id, "NETCONF session ended: {end}"),
        End::BadHello => {
            Counters::bump(&stats.in_bad_hellos);
            tracing::warn!(session = id, "NETCONF session ended: {end}");
        }
        End::Eof => {
            Counters::bump(&stats.dropped_sessions);
            tracing::info!(session = id, "NETCONF session ended: {end}");
        }
        _ => {
            Counters::bump(&stats.dropped_sessions);
            tracing::warn!(session = id, "NETCONF session ended: {end}");
        }
    }
    server.session_ended(id);
}

async fn serve(
    server: &Arc<Server>,
    state: &mut SessionState,
    stream: Box<dyn ByteStream>,
    mut kill: tokio::sync::watch::Receiver<bool>,
    mut open: TransportOpen,
) -> End {
    let (mut rd, mut wr) = tokio::io::split(stream);
    let hello = envelope::hello(&server.capabilities, state.session.id);
    if let Err(e) = wr
        .write_all(&framing::encode(Framing::EndOfMessage, hello.as_bytes()))
        .await
    {
        return End::Io(e);
    }
    let mut decoder = Decoder::new(MAX_MESSAGE);
    let mut hold = server.budget.hold();
    let mut buf = vec![0u8; 64 * 1024];

    // The client's hello, end-of-message framed. A session can be killed
    // while it waits (kill-session, or its user removed).
    let hello = tokio::time::timeout(HELLO_TIMEOUT, async {
        loop {
            match decoder.next_frame()? {
                Some(Frame::Message(m)) => return Ok::<_, End>(m),
                // A hello too large for the budget is a bad hello.
                Some(Frame::Refused(_)) => return Err(End::BadHello),
                None => {}
            }
            let n = rd.read(&mut buf).await?;
            if n == 0 {
                return Err(End::Eof);
            }
            take_in(server, state.session.id, &mut decoder, &mut hold, &buf[..n]).await;
        }
    });
    let first = tokio::select! {
        first = hello => first,
        _ = killed(&mut kill) => return End::Killed,
    };
    let first = match first {
        Ok(Ok(m)) => m,
        // A hello the framing cannot take (oversized) is a bad hello.
        Ok(Err(End::Framing(_))) => return End::BadHello,
        Ok(Err(e)) => return e,
        Err(_) => return End::HelloTimeout(HELLO_TIMEOUT),
    };
    let framing = match envelope::parse(&first) {
        // RFC 6241 8.1: a client hello with a session-id ends the session.
        Incoming::Hello(h)
            if !h.has_session_id && capabilities::client_acceptable(&h.capabilities) =>
        {
            if capabilities::client_speaks_1_1(&h.capabilities) {
                Framing::Chunked
            } else {
                Framing::EndOfMessage
            }
        }
        _ => return End::BadHello,
    };
    decoder.set_mode(framing);
    hold.shrink_to(held_beyond_free(&decoder));

    loop {
        while let Some(frame) = match decoder.next_frame() {
            Ok(m) => m,
            Err(e) => return End::Framing(e),
        } {
            let message = match frame {
                Frame::Message(m) => m,
                Frame::Refused(prefix) => {
                    let reply = refused(server, state, &prefix);
                    if let Err(e) = wr
                        .write_all(&framing::encode(framing, reply.as_bytes()))
                        .await
                    {
                        return End::Io(e);
                    }
                    continue;
                }
            };
            let large = message.len() > budget::FREE_PER_SESSION;
            let incoming = envelope::parse(&message);
            // The parsed tree is all that is needed from here on.
            drop(message);
            let (reply, after) = match incoming {
                Incoming::Rpc(rpc) if !large && in_place(&rpc) => ops::handle(server, state, &rpc),
                Incoming::Rpc(rpc) => {
                    let watch = Watch {
                        kill: &mut kill,
                        open: &mut open,
                    };
                    let input = Input {
                        rd: &mut rd,
                        buf: &mut buf,
                        decoder: &mut decoder,
                        hold: &mut hold,
                    };
                    match handle_watched(server, state, rpc, input, watch).await {
                        Ok(done) => done,
                        Err(end) => return end,
                    }
                }
                Incoming::Hello(_) => {
                    // A second hello is a protocol error (RFC 6241 8.1);
                    // `run` counts it.
                    return End::BadHello;
                }
                Incoming::Bad(bad) => {
                    ops::count_error(server, &state.session, true);
                    (reply_with_errors(&bad.attrs, &[bad.error]), After::Continue)
                }
            };
            if let Err(e) = wr
                .write_all(&framing::encode(framing, reply.as_bytes()))
                .await
            {
                return End::Io(e);
            }
            drop(reply);
            if large {
                budget::release_memory();
            }
            if *kill.borrow() {
                return End::Killed;
            }
            if after == After::Close {
                let _ = wr.shutdown().await;
                return End::Closed;
            }
        }
        // The messages taken are answered and gone: so is their budget.
        hold.shrink_to(held_beyond_free(&decoder));
        // A session with a subscription is not idle: it is listening.
        let idle = if state.notifications.is_some() {
            None
        } else {
            idle_timeout(server)
        };
        let read = async {
            match idle {
                Some(d) => match tokio::time::timeout(d, rd.read(&mut buf)).await {
                    Ok(r) => r.map_err(End::Io),
                    Err(_) => Err(End::Idle(d)),
                },
                None => rd.read(&mut buf).await.map_err(End::Io),
            }
        };
        let n = tokio::select! {
            r = read => match r {
                Ok(0) => return End::Eof,
                Ok(n) => n,
                Err(e) => return e,
            },
            _ = killed(&mut kill) => return End::Killed,
            Some(n) = next_notification(&mut state.notifications) => {
                if let Err(e) = wr.write_all(&framing::encode(framing, n.as_bytes())).await {
                    return End::Io(e);
                }
                continue;
            }
        };
        take_in(server, state.session.id, &mut decoder, &mut hold, &buf[..n]).await;
    }
}

/// What a session's budget share must cover: what its decoder holds
/// beyond the free allowance.
fn held_beyond_free(decoder: &Decoder) -> usize {
    decoder.buffered().saturating_sub(budget::FREE_PER_SESSION)
}

/// Feeds `data` to the decoder within the message buffer budget: if the
/// message it belongs to cannot get room (waiting a moment for other
/// sessions to give some back), the message is discarded as it arrives,
/// and refused once it has ended.
async fn take_in(server: &Server, id: u32, decoder: &mut Decoder, hold: &mut Hold, data: &[u8]) {
    if !decoder.discarding() {
        let want = (decoder.buffered() + data.len()).saturating_sub(budget::FREE_PER_SESSION);
        if !hold.grow_to(want, budget::WAIT).await {
            decoder.discard_current();
            tracing::warn!(
                session = id,
                "NETCONF message refused: message-buffer-budget-bytes ({}) is used up ({} held); the rest of the message is discarded",
                server.budget.limit(),
                server.budget.used()
            );
        }
    }
    decoder.push(data);
    if decoder.discarding() {
        hold.shrink_to(held_beyond_free(decoder));
    }
}

/// The reply to a message refused for the budget: resource-denied,
/// echoing the `<rpc>` attributes its first bytes carry.
fn refused(server: &Server, state: &SessionState, prefix: &[u8]) -> String {
    Counters::bump(&server.sessions.statistics.messages_refused_budget);
    ops::count_error(server, &state.session, false);
    let attrs = envelope::start_tag_attrs(prefix);
    let error = RpcError::rpc(
        Tag::ResourceDenied,
        "the server's message buffer budget is used up by other sessions' messages; try again later or send a smaller message",
    );
    reply_with_errors(&attrs, &[error])
}

/// Operations run in place, on the session's own task, rather than on a
/// blocking thread watched by `handle_watched`: their work is small and
/// bounded by a message that is itself small (the caller checks), and
/// nothing in it can be cancelled, so the hand-off to a blocking thread
/// and back only added two thread switches to each (by `perf`, half of the
/// switches of an edit + commit, and a third of its latency). tokio's
/// `block_in_place` was tried and switched more, not less. What reads
/// data (filters, renderings) or may run long is still watched.
fn in_place(rpc: &envelope::Rpc) -> bool {
    const SMALL: [&str; 6] = [
        "edit-config",
        "commit",
        "discard-changes",
        "lock",
        "unlock",
        "cancel-commit",
    ];
    rpc.op.ns == crate::netconf::NC_NS && SMALL.contains(&rpc.op.name.as_str())
}

/// The session's input side, read while one of its requests runs.
struct Input<'i, R> {
    rd: &'i mut R,
    buf: &'i mut [u8],
    decoder: &'i mut Decoder,
    hold: &'i mut Hold,
}

/// What ends a session while one of its requests runs.
struct Watch<'w> {
    kill: &'w mut tokio::sync::watch::Receiver<bool>,
    open: &'w mut TransportOpen,
}

/// Run one rpc on a blocking thread (libyang and XPath work is CPU-bound)
/// while watching the session: input that arrives meanwhile is queued in
/// the decoder, and when the transport goes away (channel closed,
/// connection lost) or kill-session names this session the request's
/// work is cancelled (an XPath filter stops at its next check) and the
/// session ends once the request has stopped, so that nothing it does
/// overlaps with the end of the session (locks released, candidate
/// reset). An EOF alone cancels nothing: the client may still read the
/// reply.
async fn handle_watched<R: tokio::io::AsyncRead + Unpin>(
    server: &Arc<Server>,
    state: &mut SessionState,
    rpc: envelope::Rpc,
    input: Input<'_, R>,
    watch: Watch<'_>,
) -> Result<(String, After), End> {
    let Input {
        rd,
        buf,
        decoder,
        hold,
    } = input;
    let session = state.session.clone();
    let watching = server.clone();
    let mut moved = SessionState {
        session: session.clone(),
        notifications: state.notifications.take(),
    };
    let server = server.clone();
    let mut job = tokio::task::spawn_blocking(move || {
        let out = ops::handle(&server, &mut moved, &rpc);
        (moved, out)
    });
    let mut ending: Option<End> = None;
    let mut eof = false;
    let done = loop {
        if ending.is_some() {
            break (&mut job).await;
        }
        tokio::select! {
            done = &mut job => break done,
            // Pipelined input is queued, up to two whole messages' worth
            // (and within the budget);
            // after an EOF there is nothing more to read.
            r = rd.read(buf), if !eof && decoder.buffered() < 2 * MAX_MESSAGE => match r {
                Ok(0) => eof = true,
                // Within the message buffer budget, like any input.
                Ok(n) => take_in(&watching, session.id, decoder, hold, &buf[..n]).await,
                Err(e) => ending = Some(End::Io(e)),
            },
            _ = killed(watch.kill) => ending = Some(End::Killed),
            _ = watch.open.closed() => ending = Some(End::Eof),
        }
        if ending.is_some() {
            session.cancel();
        }
    };
    let (moved, out) = match done {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(session = session.id, "NETCONF request failed: {e}");
            return Err(
                ending.unwrap_or(End::Io(std::io::Error::other("the request's task failed")))
            );
        }
    };
    state.notifications = moved.notifications;
    match ending {
        // A killed session still gets the reply of a request that ran to
        // its end (its own edit may be what removed its user); the caller
        // ends the session once the reply is out.
        Some(End::Killed) | None => Ok(out),
        Some(end) => Err(end),
    }
}

/// The next notification, or never when the session has no subscription
/// (or its subscription ended at stopTime).
async fn next_notification(rx: &mut Option<tokio::sync::mpsc::Receiver<String>>) -> Option<String> {
    match rx {
        Some(r) => match r.recv().await {
            Some(n) => Some(n),
            None => {
                *rx = None;
                std::future::pending().await
            }
        },
        None => std::future::pending().await,
    }
}

/// Resolves once kill-session has marked the session.
async fn killed(rx: &mut tokio::sync::watch::Receiver<bool>) {
    loop {
        if *rx.borrow_and_update() {
            return;
        }
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
