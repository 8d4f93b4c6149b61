//! The notification originator (RFC 3413 §3.3): every event on the core's
//! bus that the MIB defines a notification for, plus coldStart and
//! authenticationFailure, goes to each configured target as a v2c or v3
//! trap or inform. Each target has its own queue and task, so a silent
//! inform receiver delays only itself. Informs to a v3 receiver first
//! discover its engine (RFC 3414 §4) and use keys localised to it.

use super::codec;
use super::counters::Counters;
use super::mib::AgentState;
use super::oid::Oid;
use super::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPdu, ScopedPduData, UsmParams,
    V3Message, Version, flags,
};
use super::seal::{Keys, seal};
use super::service::Shared;
use super::standard::{AUTHENTICATION_FAILURE, COLD_START, SNMP_TRAP_OID_0, SYS_UPTIME_0};
use super::users::User;
use super::usm::{self, Authenticator};
use super::value::{Value, VarBind};
use crate::config::{NotifyKind, SnmpVersion, TargetConfig};
use crate::model::log::{LogKind, LogLevel};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

/// One notification, ready for any target.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub trap_oid: Oid,
    pub varbinds: Vec<VarBind>,
}

/// Replies awaited, by the id they will carry: the request-id of a
/// community message, the msgID of a v3 one.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<HashMap<i32, oneshot::Sender<Vec<u8>>>>>);

impl Pending {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<i32, oneshot::Sender<Vec<u8>>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn register(&self, id: i32) -> oneshot::Receiver<Vec<u8>> {
        let (tx, rx) = oneshot::channel();
        self.map().insert(id, tx);
        rx
    }

    /// Stop waiting (the reply timed out).
    fn forget(&self, id: i32) {
        self.map().remove(&id);
    }

    fn deliver(&self, id: i32, reply: Vec<u8>) {
        if let Some(waiter) = self.map().remove(&id) {
            let _ = waiter.send(reply);
        }
    }
}

pub struct Notifier {
    queues: Vec<mpsc::UnboundedSender<Arc<Outgoing>>>,
}

impl Notifier {
    /// Start one task per target, the event listener and the
    /// authenticationFailure listener. Must run inside the tokio runtime.
    pub fn start(
        shared: Arc<Shared>,
        auth_failures: mpsc::UnboundedReceiver<SocketAddr>,
    ) -> std::io::Result<Arc<Notifier>> {
        let config = shared.agent.datastore.running();
        let pending = Pending::default();
        let ids = Arc::new(AtomicI32::new(initial_id()));
        let mut sockets: HashMap<bool, Arc<UdpSocket>> = HashMap::new();
        let mut queues = Vec::new();
        for (name, target) in &config.snmp.targets {
            let Ok(addr) = target.address.parse::<SocketAddr>() else {
                continue;
            };
            let v6 = addr.is_ipv6();
            let sock = match sockets.get(&v6) {
                Some(s) => s.clone(),
                None => {
                    let bind = if v6 { "[::]:0" } else { "0.0.0.0:0" };
                    let std = std::net::UdpSocket::bind(bind)?;
                    std.set_nonblocking(true)?;
                    let s = Arc::new(UdpSocket::from_std(std)?);
                    tokio::spawn(receive(s.clone(), pending.clone()));
                    sockets.insert(v6, s.clone());
                    s
                }
            };
            let (tx, rx) = mpsc::unbounded_channel();
            queues.push(tx);
            let sender = TargetSender {
                name: name.clone(),
                target: target.clone(),
                addr,
                sock,
                shared: shared.clone(),
                pending: pending.clone(),
                ids: ids.clone(),
                receiver_engine: None,
            };
            tokio::spawn(sender.run(rx));
        }
        let notifier = Arc::new(Notifier { queues });
        tokio::spawn(events(shared.clone(), notifier.clone()));
        tokio::spawn(auth_failure_events(auth_failures, notifier.clone()));
        Ok(notifier)
    }

    pub fn send(&self, n: Outgoing) {
        let n = Arc::new(n);
        for q in &self.queues {
            let _ = q.send(n.clone());
        }
    }

    pub fn cold_start(&self) {
        self.send(Outgoing {
            trap_oid: Oid::new(COLD_START),
            varbinds: Vec::new(),
        });
    }
}

fn initial_id() -> i32 {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    (u32::from_be_bytes(b) & 0x3fff_ffff) as i32
}

async fn events(shared: Arc<Shared>, notifier: Arc<Notifier>) {
    let mut bus = shared.agent.logs.subscribe();
    loop {
        let n = match bus.recv().await {
            Ok(n) => n,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                shared.agent.logs.record(
                    LogKind::System,
                    LogLevel::Warning,
                    "snmp",
                    format!("{missed} events were not sent as notifications: the bus overflowed"),
                );
                continue;
            }
            Err(_) => return,
        };
        let (view, config) = shared.current();
        let ctx = shared.ctx(&view, &config);
        if let Some((trap_oid, varbinds)) =
            super::mib::blockchain::notifications::notification(&n.event, &ctx)
        {
            notifier.send(Outgoing { trap_oid, varbinds });
        }
    }
}

async fn auth_failure_events(mut rx: mpsc::UnboundedReceiver<SocketAddr>, notifier: Arc<Notifier>) {
    while rx.recv().await.is_some() {
        notifier.send(Outgoing {
            trap_oid: Oid::new(AUTHENTICATION_FAILURE),
            varbinds: Vec::new(),
        });
    }
}

/// Route responses and reports to whoever waits for their id: the
/// request-id for community messages, the msgID for v3.
async fn receive(sock: Arc<UdpSocket>, pending: Pending) {
    let mut buf = vec![0u8; 65536];
    loop {
        let n = match sock.recv_from(&mut buf).await {
            Ok((n, _)) => n,
            // An ICMP error surfacing on the socket: nothing to route, but
            // do not spin if the socket keeps failing.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let data = &buf[..n];
        let id = match codec::decode_message(data).map(|d| d.message) {
            Ok(Message::Community(CommunityMessage {
                pdu: AnyPdu::Pdu(p),
                ..
            })) if p.kind == PduKind::Response => p.request_id,
            Ok(Message::V3(m)) => m.msg_id,
            _ => continue,
        };
        pending.deliver(id, data.to_vec());
    }
}

/// What an inform receiver's engine told us in its discovery Report.
#[derive(Debug, Clone)]
struct ReceiverEngine {
    id: Vec<u8>,
    boots: i32,
    time: i32,
    at: Instant,
    authenticator: Option<Authenticator>,
    priv_key: Vec<u8>,
}

impl ReceiverEngine {
    fn time_now(&self) -> i32 {
        self.time.saturating_add(self.at.elapsed().as_secs() as i32)
    }
}

struct TargetSender {
    name: String,
    target: TargetConfig,
    addr: SocketAddr,
    sock: Arc<UdpSocket>,
    shared: Arc<Shared>,
    pending: Pending,
    ids: Arc<AtomicI32>,
    receiver_engine: Option<ReceiverEngine>,
}

#[derive(Debug)]
enum SendError {
    NoUser,
    Encode,
    Io(std::io::Error),
    NoReply,
    Discovery,
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::NoUser => f.write_str("its user cannot be used for this target"),
            SendError::Encode => f.write_str("the notification cannot be encoded"),
            SendError::Io(e) => write!(f, "{e}"),
            SendError::NoReply => f.write_str("no acknowledgement"),
            SendError::Discovery => f.write_str("the receiver's engine did not answer discovery"),
        }
    }
}

impl TargetSender {
    fn next_id(&self) -> i32 {
        self.ids.fetch_add(1, Ordering::Relaxed) & 0x7fff_ffff
    }

    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Arc<Outgoing>>) {
        while let Some(n) = rx.recv().await {
            if !self.in_notify_view(&n.trap_oid) {
                continue;
            }
            let result = self.deliver(&n).await;
            let counters = &self.shared.counters;
            Counters::inc(&counters.out_traps);
            Counters::inc(&counters.notifications_sent);
            let inform = self.target.kind == NotifyKind::Inform;
            match result {
                Ok(()) if inform => Counters::inc(&counters.informs_acknowledged),
                Ok(()) => {}
                Err(e) => {
                    if inform {
                        Counters::inc(&counters.informs_failed);
                    }
                    self.shared.agent.logs.record(
                        LogKind::System,
                        LogLevel::Warning,
                        "snmp",
                        format!(
                            "notification {} to target '{}' ({}) failed: {e}",
                            n.trap_oid, self.name, self.addr
                        ),
                    );
                }
            }
        }
    }

    /// A v3 target's group may restrict what it is told (RFC 3413 §3.3).
    fn in_notify_view(&self, trap_oid: &Oid) -> bool {
        match (&self.target.version, &self.target.user) {
            (SnmpVersion::V3, Some(u)) => self
                .shared
                .vacm
                .notify_view(u.as_bytes())
                .is_none_or(|v| v.admits(&trap_oid.0)),
            _ => true,
        }
    }

    fn pdu(&self, n: &Outgoing) -> Pdu {
        let mut varbinds = vec![
            VarBind::new(
                Oid::new(SYS_UPTIME_0),
                Value::TimeTicks(self.shared.uptime_ticks()),
            ),
            VarBind::new(
                Oid::new(SNMP_TRAP_OID_0),
                Value::ObjectId(n.trap_oid.clone()),
            ),
        ];
        varbinds.extend(n.varbinds.iter().cloned());
        Pdu {
            kind: match self.target.kind {
                NotifyKind::Trap => PduKind::TrapV2,
                NotifyKind::Inform => PduKind::Inform,
            },
            request_id: self.next_id(),
            error_status: 0,
            error_index: 0,
            varbinds,
        }
    }

    async fn deliver(&mut self, n: &Outgoing) -> Result<(), SendError> {
        let attempts = match self.target.kind {
            NotifyKind::Trap => 1,
            NotifyKind::Inform => 1 + self.target.retries,
        };
        let timeout = Duration::from_millis(self.target.timeout_ms);
        let pdu = self.pdu(n);
        for _ in 0..attempts {
            let (bytes, wait_id) = match self.target.version {
                SnmpVersion::V2c => (self.community_message(&pdu)?, pdu.request_id),
                SnmpVersion::V3 => self.v3_message(&pdu).await?,
            };
            let waiter =
                (self.target.kind == NotifyKind::Inform).then(|| self.pending.register(wait_id));
            self.sock
                .send_to(&bytes, self.addr)
                .await
                .map_err(SendError::Io)?;
            let Some(rx) = waiter else {
                return Ok(());
            };
            match tokio::time::timeout(timeout, rx).await {
                Ok(Ok(reply)) => {
                    if self.accept_reply(&reply) {
                        return Ok(());
                    }
                }
                _ => self.pending.forget(wait_id),
            }
            // A retransmission keeps the request-id; a v3 one gets a fresh
            // msgID and the receiver's current time from v3_message.
        }
        Err(SendError::NoReply)
    }

    fn community_message(&self, pdu: &Pdu) -> Result<Vec<u8>, SendError> {
        let msg = Message::Community(CommunityMessage {
            version: Version::V2c,
            community: self
                .target
                .community
                .clone()
                .unwrap_or_default()
                .into_bytes(),
            pdu: AnyPdu::Pdu(pdu.clone()),
        });
        let mut out = Vec::with_capacity(512);
        codec::encode_message(&msg, &mut out).map_err(|_| SendError::Encode)?;
        Ok(out)
    }

    fn user(&self) -> Result<&User, SendError> {
        let name = self.target.user.as_deref().ok_or(SendError::NoUser)?;
        self.shared
            .users
            .get(name.as_bytes())
            .ok_or(SendError::NoUser)
    }

    /// A v3 message and the msgID its reply will carry. Traps are sent
    /// with our engine as the authoritative one; informs with the
    /// receiver's (RFC 3414 §1.5.1).
    async fn v3_message(&mut self, pdu: &Pdu) -> Result<(Vec<u8>, i32), SendError> {
        let level = self.target.security_level;
        let msg_id = self.next_id();
        let engine = &self.shared.engine;
        let (engine_id, boots, time, authenticator, priv_key) = match self.target.kind {
            NotifyKind::Trap => {
                let u = self.user()?;
                (
                    engine.id.clone(),
                    engine.boots as i32,
                    engine.time() as i32,
                    u.authenticator.clone(),
                    u.priv_key.clone(),
                )
            }
            NotifyKind::Inform => {
                if self.receiver_engine.is_none() {
                    self.receiver_engine = Some(self.discover().await?);
                }
                let r = self.receiver_engine.as_ref().ok_or(SendError::Discovery)?;
                (
                    r.id.clone(),
                    r.boots,
                    r.time_now(),
                    r.authenticator.clone(),
                    r.priv_key.clone(),
                )
            }
        };
        let user = self.user()?;
        let msg = V3Message {
            msg_id,
            max_size: engine.max_message_size as i32,
            flags: if self.target.kind == NotifyKind::Inform {
                flags::REPORTABLE
            } else {
                0
            },
            security_model: 3,
            usm: UsmParams {
                engine_id: engine_id.clone(),
                engine_boots: boots,
                engine_time: time,
                user_name: user.name.clone(),
                auth_params: Vec::new(),
                priv_params: Vec::new(),
            },
            data: ScopedPduData::Plain(ScopedPdu {
                context_engine_id: self.shared.engine.id.clone(),
                context_name: Vec::new(),
                pdu: AnyPdu::Pdu(pdu.clone()),
            }),
        };
        let keys = Keys {
            authenticator: authenticator.as_ref(),
            privacy: user.privacy,
            priv_key: &priv_key,
        };
        let mut out = Vec::with_capacity(512);
        seal(msg, level, &keys, self.shared.salt.next(), &mut out)
            .map_err(|_| SendError::Encode)?;
        Ok((out, msg_id))
    }

    /// RFC 3414 §4: an unauthenticated, reportable probe with an empty
    /// engine ID; the Report carries the receiver's engine ID, boots and time.
    async fn discover(&self) -> Result<ReceiverEngine, SendError> {
        let timeout = Duration::from_millis(self.target.timeout_ms);
        for _ in 0..=self.target.retries {
            let msg_id = self.next_id();
            let probe = Message::V3(V3Message {
                msg_id,
                max_size: self.shared.engine.max_message_size as i32,
                flags: flags::REPORTABLE,
                security_model: 3,
                usm: UsmParams::default(),
                data: ScopedPduData::Plain(ScopedPdu {
                    context_engine_id: Vec::new(),
                    context_name: Vec::new(),
                    pdu: AnyPdu::Pdu(Pdu {
                        kind: PduKind::Get,
                        request_id: self.next_id(),
                        error_status: 0,
                        error_index: 0,
                        varbinds: Vec::new(),
                    }),
                }),
            });
            let mut out = Vec::with_capacity(128);
            codec::encode_message(&probe, &mut out).map_err(|_| SendError::Encode)?;
            let rx = self.pending.register(msg_id);
            self.sock
                .send_to(&out, self.addr)
                .await
                .map_err(SendError::Io)?;
            if let Ok(Ok(reply)) = tokio::time::timeout(timeout, rx).await
                && let Ok(Message::V3(m)) = codec::decode_message(&reply).map(|d| d.message)
                && !m.usm.engine_id.is_empty()
            {
                let user = self.user()?;
                let (authenticator, priv_key) =
                    user.keys_for(&m.usm.engine_id).ok_or(SendError::NoUser)?;
                return Ok(ReceiverEngine {
                    id: m.usm.engine_id,
                    boots: m.usm.engine_boots,
                    time: m.usm.engine_time,
                    at: Instant::now(),
                    authenticator,
                    priv_key,
                });
            }
            self.pending.forget(msg_id);
        }
        Err(SendError::Discovery)
    }

    /// An inform is acknowledged by a Response; a v3 one must carry a
    /// valid MAC. A Report instead (e.g. notInTimeWindow) refreshes what
    /// we know of the receiver's clock for the retry.
    fn accept_reply(&mut self, reply: &[u8]) -> bool {
        let Ok(decoded) = codec::decode_message(reply) else {
            return false;
        };
        match decoded.message {
            Message::Community(_) => true,
            Message::V3(m) => {
                let Some(r) = self.receiver_engine.as_mut() else {
                    return false;
                };
                let Ok(user) = self
                    .target
                    .user
                    .as_deref()
                    .and_then(|n| self.shared.users.get(n.as_bytes()))
                    .ok_or(SendError::NoUser)
                else {
                    return false;
                };
                if m.flags & flags::AUTH != 0 {
                    let authentic = match (&r.authenticator, decoded.auth_offset) {
                        (Some(a), Some(offset)) => {
                            m.usm.auth_params.len() == a.mac_len() && a.verify_at(reply, offset)
                        }
                        _ => false,
                    };
                    if !authentic {
                        return false;
                    }
                }
                let pdu = match &m.data {
                    ScopedPduData::Plain(sp) => Some(sp.pdu.clone()),
                    ScopedPduData::Encrypted(ct) => usm::decrypt(
                        user.privacy,
                        &r.priv_key,
                        m.usm.engine_boots as u32,
                        m.usm.engine_time as u32,
                        &m.usm.priv_params,
                        ct,
                    )
                    .ok()
                    .and_then(|p| codec::decode_scoped_pdu(&p).ok())
                    .map(|sp| sp.pdu),
                };
                match pdu {
                    Some(AnyPdu::Pdu(p)) if p.kind == PduKind::Response => true,
                    Some(AnyPdu::Pdu(p)) if p.kind == PduKind::Report => {
                        r.boots = m.usm.engine_boots;
                        r.time = m.usm.engine_time;
                        r.at = Instant::now();
                        false
                    }
                    _ => false,
                }
            }
        }
    }
}
