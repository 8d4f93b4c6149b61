//! The running SNMP agent: binds the configured UDP addresses, keeps the
//! MIB view in step with the published snapshot, answers requests on a
//! few threads of its own (blocking sockets: no scheduler hop on the hot
//! path, and a slow SET never stalls a GET on another thread), and starts
//! the notification originator.

use super::counters::Counters;
use super::dispatch::{Dispatcher, Outcome};
use super::engine_id::LocalEngine;
use super::mib::{AgentState, Ctx};
use super::notify::Notifier;
use super::responder::{CommitRefused, SetBackend};
use super::standard;
use super::users::Users;
use super::usm::SaltCounter;
use super::vacm::Vacm;
use super::value::Value;
use super::view::{Def, MibView, Registry};
use crate::config::{Access, Config, ConfigPath, SecurityLevel, SnmpConfig, hex_octets};
use crate::core::datastore::{CommitError, Edit};
use crate::core::runtime::Agent;
use crate::core::store::StoreError;
use crate::model::log::{LogKind, LogLevel};
use arc_swap::ArcSwap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Receive threads per listening socket.
const THREADS_PER_SOCKET: usize = 2;
/// How often the view checks for a new snapshot or configuration.
const REFRESH: Duration = Duration::from_millis(100);
const SOCKET_BUFFER: usize = 4 << 20;

#[derive(Debug, thiserror::Error)]
pub enum SnmpError {
    /// The OS error is in the message, not the chain, so it shows once.
    #[error("snmp.listen: cannot bind UDP {addr}: {error}")]
    Bind { addr: String, error: std::io::Error },
    #[error("snmp engine: {0}")]
    Store(#[from] StoreError),
    #[error(transparent)]
    User(#[from] super::users::UserError),
    #[error("snmp notifications: {0}")]
    Notify(std::io::Error),
}

/// Everything the request threads share.
pub struct Shared {
    pub engine: LocalEngine,
    pub counters: Arc<Counters>,
    pub vacm: Vacm,
    pub users: Arc<Users>,
    pub salt: SaltCounter,
    pub view: ArcSwap<MibView>,
    pub registry: Arc<Registry>,
    pub agent: Arc<Agent>,
    started: Instant,
}

impl AgentState for Shared {
    fn uptime_ticks(&self) -> u32 {
        (self.started.elapsed().as_millis() / 10) as u32
    }

    fn standard(&self, oid: &[u32]) -> Option<Value> {
        let c = &self.counters;
        let counter = |a: &std::sync::atomic::AtomicU32| Some(Value::Counter32(Counters::get(a)));
        // bcmAgent (BLOCKCHAIN-MGMT-MIB): the notification statistics.
        if let Some([1, 10, n, 0]) = oid.strip_prefix(super::mib::ROOT) {
            return match n {
                1 => counter(&c.notifications_sent),
                2 => counter(&c.informs_acknowledged),
                3 => counter(&c.informs_failed),
                _ => None,
            };
        }
        match oid {
            [1, 3, 6, 1, 2, 1, 11, n, 0] => match n {
                1 => counter(&c.in_pkts),
                2 => counter(&c.out_pkts),
                3 => counter(&c.in_bad_versions),
                4 => counter(&c.in_bad_community_names),
                5 => counter(&c.in_bad_community_uses),
                6 => counter(&c.in_asn_parse_errs),
                8 => counter(&c.in_too_bigs),
                9 => counter(&c.in_no_such_names),
                10 => counter(&c.in_bad_values),
                11 => counter(&c.in_read_onlys),
                12 => counter(&c.in_gen_errs),
                13 => counter(&c.in_total_req_vars),
                14 => counter(&c.in_total_set_vars),
                15 => counter(&c.in_get_requests),
                16 => counter(&c.in_get_nexts),
                17 => counter(&c.in_set_requests),
                18 => counter(&c.in_get_responses),
                19 => counter(&c.in_traps),
                20 => counter(&c.out_too_bigs),
                21 => counter(&c.out_no_such_names),
                22 => counter(&c.out_bad_values),
                24 => counter(&c.out_gen_errs),
                25 => counter(&c.out_get_requests),
                26 => counter(&c.out_get_nexts),
                27 => counter(&c.out_set_requests),
                28 => counter(&c.out_get_responses),
                29 => counter(&c.out_traps),
                31 => counter(&c.silent_drops),
                32 => counter(&c.proxy_drops),
                _ => None,
            },
            [1, 3, 6, 1, 6, 3, 10, 2, 1, n, 0] => match n {
                1 => Some(Value::OctetString(self.engine.id.clone())),
                2 => Some(Value::Integer(self.engine.boots as i32)),
                3 => Some(Value::Integer(self.engine.time() as i32)),
                _ => None,
            },
            [1, 3, 6, 1, 6, 3, 11, 2, 1, n, 0] => match n {
                1 => counter(&c.unknown_security_models),
                2 => counter(&c.invalid_msgs),
                3 => counter(&c.unknown_pdu_handlers),
                _ => None,
            },
            [1, 3, 6, 1, 6, 3, 15, 1, 1, n, 0] => match n {
                1 => counter(&c.unsupported_sec_levels),
                2 => counter(&c.not_in_time_windows),
                3 => counter(&c.unknown_user_names),
                4 => counter(&c.unknown_engine_ids),
                5 => counter(&c.wrong_digests),
                6 => counter(&c.decryption_errors),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Shared {
    /// The view and configuration one request or notification reads.
    pub fn current(&self) -> (arc_swap::Guard<Arc<MibView>>, Arc<Config>) {
        (self.view.load(), self.agent.datastore.running())
    }

    pub fn ctx<'a>(&'a self, view: &'a MibView, config: &'a Config) -> Ctx<'a> {
        Ctx {
            snapshot: &view.snapshot,
            config,
            agent: self,
            creating: &[],
        }
    }
}

/// SETs land in the shared configuration datastore (one transaction per
/// PDU) and in the alarm manager.
struct Backend<'a> {
    shared: &'a Arc<Shared>,
}

impl SetBackend for Backend<'_> {
    fn commit(&self, edits: Vec<Edit>, who: &str) -> Result<(), CommitRefused> {
        match self.shared.agent.datastore.edit(&edits, who) {
            Ok(_) => Ok(()),
            Err(CommitError::Invalid(issues)) => Err(CommitRefused::Invalid {
                key: issues.first().map(|i| i.key.clone()).unwrap_or_default(),
            }),
            Err(CommitError::RestartRequired(key)) => Err(CommitRefused::Invalid {
                key: ConfigPath::from(key),
            }),
            Err(CommitError::BadEdit { path, .. }) => Err(CommitRefused::Invalid {
                key: ConfigPath::from_pointer(&path).unwrap_or_default(),
            }),
            Err(CommitError::Locked { .. }) => Err(CommitRefused::Locked),
            Err(CommitError::Store(_)) => Err(CommitRefused::Failed),
        }
    }

    fn acknowledge(&self, alarm: u64, acknowledged: bool, who: &str) -> Result<(), CommitRefused> {
        let agent = &self.shared.agent;
        let config = agent.datastore.running();
        agent
            .acknowledge_alarm(alarm, acknowledged, who, "")
            .map_err(|_| CommitRefused::Failed)?;
        // Alarm rows come from the view: rebuild it now, so that a GET
        // right after this SET shows the acknowledgement.
        refresh(self.shared, &config);
        Ok(())
    }
}

pub fn registry() -> Registry {
    let mut defs: Vec<Def> = Vec::new();
    defs.extend(standard::scalars().into_iter().map(Def::Scalar));
    defs.extend(standard::tables().into_iter().map(Def::Table));
    defs.extend(
        super::mib::blockchain::scalars()
            .iter()
            .map(|s| Def::Scalar(s)),
    );
    defs.extend(
        super::mib::blockchain::tables()
            .iter()
            .map(|t| Def::Table(t)),
    );
    Registry::new(defs)
}

/// A running SNMP agent; dropping it does not stop it, `stop` does.
pub struct SnmpHandle {
    stop: Arc<AtomicBool>,
    pub shared: Arc<Shared>,
    pub local_addrs: Vec<SocketAddr>,
}

impl SnmpHandle {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Bind every `snmp.listen` address (none when SNMP is disabled): done
/// before the agent opens its store, so that a port in use stops the
/// start before anything is written.
pub fn bind(s: &SnmpConfig) -> Result<Vec<UdpSocket>, SnmpError> {
    if !s.enabled {
        return Ok(Vec::new());
    }
    let mut sockets = Vec::new();
    for addr in &s.listen {
        let sock = UdpSocket::bind(addr).map_err(|error| SnmpError::Bind {
            addr: addr.clone(),
            error,
        })?;
        grow_buffers(&sock);
        sockets.push(sock);
    }
    Ok(sockets)
}

/// Serve SNMP on the sockets [`bind`] made from the same configuration.
pub fn start(agent: Arc<Agent>, sockets: Vec<UdpSocket>) -> Result<Option<SnmpHandle>, SnmpError> {
    let config = agent.datastore.running();
    let s = &config.snmp;
    if !s.enabled {
        return Ok(None);
    }
    let configured = (!s.engine_id.is_empty())
        .then(|| hex_octets(&s.engine_id))
        .flatten();
    let engine = LocalEngine::start(&agent.store, configured, s.max_message_size)?;
    let users = Arc::new(Users::from_config(
        s,
        &engine.id,
        agent.datastore.usm_master_keys(),
    )?);
    let local_addrs: Vec<SocketAddr> = sockets.iter().filter_map(|s| s.local_addr().ok()).collect();
    warn_weak_write_access(&config, &agent);
    let registry = Arc::new(registry());
    let started = Instant::now();
    let placeholder = Shared {
        engine,
        counters: Arc::new(Counters::default()),
        vacm: Vacm::from_config(s),
        users,
        salt: SaltCounter::new()
            .map_err(|e| SnmpError::Notify(std::io::Error::other(e.to_string())))?,
        view: ArcSwap::from_pointee(MibView::empty(registry.clone())),
        registry,
        agent: agent.clone(),
        started,
    };
    let shared = Arc::new(placeholder);
    refresh(&shared, &config);
    let stop = Arc::new(AtomicBool::new(false));
    let (auth_tx, auth_rx) = mpsc::unbounded_channel::<SocketAddr>();
    let notifier = Notifier::start(shared.clone(), auth_rx).map_err(SnmpError::Notify)?;
    spawn_refresher(shared.clone(), stop.clone());
    for sock in sockets {
        for _ in 0..THREADS_PER_SOCKET {
            let sock = sock.try_clone().map_err(|error| SnmpError::Bind {
                addr: format!("{:?}", sock.local_addr().ok()),
                error,
            })?;
            let shared = shared.clone();
            let stop = stop.clone();
            let auth_tx = auth_tx.clone();
            std::thread::Builder::new()
                .name("snmp-rx".into())
                .spawn(move || serve(sock, shared, stop, auth_tx))
                .map_err(SnmpError::Notify)?;
        }
    }
    tracing::info!(
        log_kind = "system",
        "SNMP agent listening on {}, engine ID {}, boots {}",
        local_addrs
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        hex::encode(&shared.engine.id),
        shared.engine.boots
    );
    notifier.cold_start();
    Ok(Some(SnmpHandle {
        stop,
        shared,
        local_addrs,
    }))
}

/// Write access that a sniffer could use or read is the operator's call,
/// but never a silent one.
fn warn_weak_write_access(config: &Config, agent: &Agent) {
    let s = &config.snmp;
    let mut weak: Vec<String> = s
        .communities
        .values()
        .enumerate()
        // A community is a secret: the warning names its key, by
        // position as configuration problems do, never the community.
        .filter(|(_, c)| c.access == Access::ReadWrite)
        .map(|(i, _)| format!("snmp.communities[{i}]"))
        .collect();
    weak.extend(
        s.groups
            .iter()
            .filter(|(_, g)| g.write_view.is_some() && g.security_level < SecurityLevel::AuthPriv)
            .map(|(n, _)| format!("group '{n}'")),
    );
    if !weak.is_empty() {
        agent.logs.record(
            LogKind::Security,
            LogLevel::Warning,
            "snmp",
            format!(
                "write access without authPriv is configured for {}",
                weak.join(", ")
            ),
        );
    }
}

fn grow_buffers(sock: &UdpSocket) {
    use std::os::fd::AsRawFd;
    let size = SOCKET_BUFFER as libc::c_int;
    for opt in [libc::SO_RCVBUF, libc::SO_SNDBUF] {
        // SAFETY: setsockopt on a socket we own with a c_int option value.
        unsafe {
            libc::setsockopt(
                sock.as_raw_fd(),
                libc::SOL_SOCKET,
                opt,
                &size as *const libc::c_int as *const libc::c_void,
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
}

/// Rebuild the view from the latest snapshot and configuration.
fn refresh(shared: &Arc<Shared>, config: &Config) {
    let snapshot = shared.agent.snapshot.load_full();
    let ctx = Ctx {
        snapshot: &snapshot,
        config,
        agent: shared.as_ref(),
        creating: &[],
    };
    let prev = shared.view.load();
    let view = MibView::build(shared.registry.clone(), snapshot.clone(), &ctx, Some(&prev));
    shared.view.store(Arc::new(view));
}

fn spawn_refresher(shared: Arc<Shared>, stop: Arc<AtomicBool>) {
    let _ = std::thread::Builder::new()
        .name("snmp-view".into())
        .spawn(move || {
            let mut last_snapshot = shared.agent.snapshot.load_full();
            let mut last_config = shared.agent.datastore.running();
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(REFRESH);
                let snapshot = shared.agent.snapshot.load_full();
                let config = shared.agent.datastore.running();
                if !Arc::ptr_eq(&snapshot, &last_snapshot) || !Arc::ptr_eq(&config, &last_config) {
                    refresh(&shared, &config);
                    last_snapshot = snapshot;
                    last_config = config;
                }
            }
        });
}

fn serve(
    sock: UdpSocket,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    auth: mpsc::UnboundedSender<SocketAddr>,
) {
    let _ = sock.set_read_timeout(Some(Duration::from_millis(250)));
    let mut buf = vec![0u8; 65536];
    let mut out = Vec::with_capacity(65536);
    let backend = Backend { shared: &shared };
    let dispatcher = Dispatcher {
        engine: &shared.engine,
        counters: &shared.counters,
        vacm: &shared.vacm,
        users: &shared.users,
        salt: &shared.salt,
        backend: &backend,
        max_size: shared.engine.max_message_size as usize,
    };
    while !stop.load(Ordering::Relaxed) {
        let (n, from) = match sock.recv_from(&mut buf) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let (view, config) = shared.current();
        let ctx = shared.ctx(&view, &config);
        match dispatcher.handle(&view, &ctx, &buf[..n], from, &mut out) {
            Outcome::Reply => {
                let _ = sock.send_to(&out, from);
            }
            Outcome::ReportedAuthFailure => {
                let _ = sock.send_to(&out, from);
                if config.snmp.enable_authen_traps {
                    let _ = auth.send(from);
                }
            }
            Outcome::AuthFailure => {
                if config.snmp.enable_authen_traps {
                    let _ = auth.send(from);
                }
            }
            Outcome::Dropped => {}
        }
    }
}
