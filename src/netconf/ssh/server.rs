//! The listener: binds `netconf.listen`, runs one russh session per TCP
//! connection, and closes them all on shutdown.

use super::admission::{Admission, LoginLimits, Ticket};
use super::auth::{Authenticator, peer_name};
use super::connection::Connection;
use super::limit::{SessionLimit, SessionLimits};
use super::statistics::TransportStatistics;
use super::users::UserDirectory;
use super::{SessionStarter, SshError, hostkey};
use crate::config::NetconfConfig;
use russh::MethodKind;
use russh::server::Config as RusshConfig;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Every rejected login takes this long, whether the user exists or not,
/// which slows password guessing and hides which names are valid.
const AUTH_REJECTION_DELAY: Duration = Duration::from_millis(300);

/// Authentication requests of any kind one connection may make.
const RUSSH_AUTH_ATTEMPTS: usize = 20;

/// Keepalives find peers that vanished without closing TCP; after
/// KEEPALIVE_MAX unanswered ones the connection is closed. Idle sessions
/// that still answer are the session layer's business (idle-timeout).
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(60);
const KEEPALIVE_MAX: usize = 3;

/// How long a connection gets to say goodbye at shutdown.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// What every connection of one server shares.
pub(super) struct Shared {
    pub auth: Authenticator,
    pub sessions: Arc<SessionLimit>,
    pub admission: Arc<Admission>,
    pub starter: Arc<dyn SessionStarter>,
}

/// The running SSH listener. Dropping it stops accepting and closes the
/// connections in the background; [`SshServer::shutdown`] also waits for
/// them.
pub struct SshServer {
    local_addr: SocketAddr,
    fingerprint: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SshServer {
    /// The bound address (the real port when `netconf.listen` asks for 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The host key's `SHA256:...` fingerprint, as clients show it.
    pub fn host_key_fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Rejected passwords and public keys since start.
    pub fn auth_failures(&self) -> u64 {
        self.shared.auth.failures()
    }

    /// What the transport refused and dropped, since start.
    pub fn statistics(&self) -> Arc<TransportStatistics> {
        self.shared.admission.statistics.clone()
    }

    /// The connection and login limits, shared with the running server:
    /// new limits set through it apply to the next connection.
    pub fn admission(&self) -> Arc<Admission> {
        self.shared.admission.clone()
    }

    /// NETCONF sessions whose stream the session layer still holds.
    pub fn active_sessions(&self) -> u32 {
        self.shared.sessions.active()
    }

    /// `max-sessions` and the per-user and admin limits, shared with the
    /// running server: new limits set through it apply to the next session.
    pub fn session_limit(&self) -> Arc<SessionLimit> {
        self.shared.sessions.clone()
    }

    /// Stops accepting, disconnects every client, and waits until their
    /// connections are closed. Streams already handed out then read EOF.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds `netconf.listen` and serves SSH there; see the module docs of
/// [`super`] for what a client can do. `config.enabled` is the caller's
/// decision: this starts the server regardless.
pub async fn start(
    config: &NetconfConfig,
    data_dir: &Path,
    users: Arc<UserDirectory>,
    starter: Arc<dyn SessionStarter>,
) -> Result<SshServer, SshError> {
    serve_on(bind(config)?, config, data_dir, users, starter).await
}

/// Binds `netconf.listen`, without serving it yet: the agent binds every
/// listener before it opens its store.
pub fn bind(config: &NetconfConfig) -> Result<std::net::TcpListener, SshError> {
    let addr: SocketAddr = config
        .listen
        .parse()
        .map_err(|_| SshError::ListenAddress(config.listen.clone()))?;
    let listener =
        std::net::TcpListener::bind(addr).map_err(|error| SshError::Bind { addr, error })?;
    listener
        .set_nonblocking(true)
        .map_err(|error| SshError::Bind { addr, error })?;
    Ok(listener)
}

/// Serves SSH on a listener [`bind`] made from the same configuration.
pub async fn serve_on(
    listener: std::net::TcpListener,
    config: &NetconfConfig,
    data_dir: &Path,
    users: Arc<UserDirectory>,
    starter: Arc<dyn SessionStarter>,
) -> Result<SshServer, SshError> {
    let local_addr = listener.local_addr().map_err(|error| SshError::Bind {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        error,
    })?;
    let addr = local_addr;
    let key_path = config.host_key_path(data_dir);
    let key = hostkey::load_or_create(&key_path)?;
    let fingerprint = hostkey::fingerprint(&key);
    let listener =
        TcpListener::from_std(listener).map_err(|error| SshError::Bind { addr, error })?;
    tracing::info!(
        "NETCONF SSH server listening on {local_addr}; host key {fingerprint} ({}) in {}",
        key_type(&key),
        key_path.display()
    );
    let russh_config = Arc::new(RusshConfig {
        server_id: russh::SshId::Standard(
            concat!("SSH-2.0-chain-agent_", env!("CARGO_PKG_VERSION")).into(),
        ),
        methods: (&[MethodKind::PublicKey, MethodKind::Password][..]).into(),
        auth_rejection_time: AUTH_REJECTION_DELAY,
        // Password tries are counted by the handler (`max-auth-tries`);
        // this caps everything else a client may try on one connection,
        // public keys offered included.
        max_auth_attempts: RUSSH_AUTH_ATTEMPTS,
        // The "none" probe every client starts with is not a failure.
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        inactivity_timeout: None,
        keepalive_interval: Some(KEEPALIVE_INTERVAL),
        keepalive_max: KEEPALIVE_MAX,
        nodelay: true,
        ..RusshConfig::default()
    });
    let statistics = Arc::new(TransportStatistics::default());
    let shared = Arc::new(Shared {
        auth: Authenticator::new(users, statistics.clone()),
        sessions: Arc::new(SessionLimit::new(session_limits(config))),
        admission: Arc::new(Admission::new(LoginLimits::from_config(config), statistics)),
        starter,
    });
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, russh_config, shared.clone(), stopped));
    Ok(SshServer {
        local_addr,
        fingerprint,
        shared,
        stop,
        task: Some(task),
    })
}

/// The session limits of `[netconf]`.
pub fn session_limits(config: &NetconfConfig) -> SessionLimits {
    SessionLimits {
        max: config.max_sessions,
        per_user: config.max_sessions_per_user,
        reserved_admin: config.reserved_admin_sessions,
    }
}

/// The key type as OpenSSH prints it after a fingerprint.
fn key_type(key: &russh::keys::PrivateKey) -> &'static str {
    use russh::keys::Algorithm;
    match key.algorithm() {
        Algorithm::Ed25519 => "ED25519",
        Algorithm::Ecdsa { .. } => "ECDSA",
        Algorithm::Rsa { .. } => "RSA",
        _ => "other",
    }
}

/// Returns once the server is told to stop, or is gone.
async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    // The guard wait_for returns must not live across an await.
    let _ = stopped.wait_for(|s| *s).await.map(|_| ());
}

async fn accept_loop(
    listener: TcpListener,
    config: Arc<RusshConfig>,
    shared: Arc<Shared>,
    stopped: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    let mut stop_signal = stopped.clone();
    loop {
        tokio::select! {
            _ = until_stopped(&mut stop_signal) => break,
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    // Refused connections close here, before any SSH work;
                    // the admission logs and counts them.
                    let Ok(ticket) = shared.admission.admit(peer.ip()) else {
                        drop(socket);
                        continue;
                    };
                    connections.spawn(serve(
                        socket,
                        peer,
                        ticket,
                        config.clone(),
                        shared.clone(),
                        stopped.clone(),
                    ));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait for
                    // connections to close instead of spinning.
                    tracing::warn!("NETCONF SSH: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
    tracing::info!("NETCONF SSH server stopped");
}

async fn serve(
    socket: TcpStream,
    peer: SocketAddr,
    ticket: Ticket,
    config: Arc<RusshConfig>,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let login_grace = shared.admission.limits().login_grace;
    let admission = shared.admission.clone();
    let authenticated = Arc::new(AtomicBool::new(false));
    // The ticket goes with the handler, which lives as long as the socket.
    let handler = Connection::new(shared, Some(peer), authenticated.clone(), ticket);
    let deadline = tokio::time::Instant::now() + login_grace;
    // The version exchange happens in run_stream: a client that never
    // sends one must not hold the task.
    let handshake = russh::server::run_stream(config, socket, handler);
    let setup = tokio::select! {
        r = tokio::time::timeout_at(deadline, handshake) => r,
        _ = until_stopped(&mut stopped) => return,
    };
    let session = match setup {
        Ok(Ok(session)) => session,
        Ok(Err(e)) => {
            tracing::debug!("NETCONF SSH: handshake with {peer} failed: {e}");
            return;
        }
        Err(_) => {
            admission.bump(|s| &s.login_grace_timeouts);
            tracing::warn!(
                log_kind = "security",
                "NETCONF SSH: {peer} did not log in within login-grace-seconds ({}s): no SSH version",
                login_grace.as_secs()
            );
            return;
        }
    };
    let handle = session.handle();
    let mut session = std::pin::pin!(session);
    let grace = tokio::time::sleep_until(deadline);
    let mut grace = std::pin::pin!(grace);
    let mut grace_checked = false;
    let reason = loop {
        tokio::select! {
            result = &mut session => {
                if let Err(e) = result {
                    tracing::debug!("NETCONF SSH: connection from {peer} ended: {e}");
                }
                return;
            }
            _ = until_stopped(&mut stopped) => break "server shutting down",
            _ = &mut grace, if !grace_checked => {
                grace_checked = true;
                if !authenticated.load(Ordering::Acquire) {
                    admission.bump(|s| &s.login_grace_timeouts);
                    tracing::warn!(
                        log_kind = "security",
                        "NETCONF SSH: {} did not log in within login-grace-seconds ({}s)",
                        peer_name(Some(peer)),
                        login_grace.as_secs()
                    );
                    break "login grace time exceeded";
                }
            }
        }
    };
    let _ = handle
        .disconnect(
            russh::Disconnect::ByApplication,
            reason.into(),
            String::new(),
        )
        .await;
    let _ = tokio::time::timeout(CLOSE_GRACE, session).await;
}
