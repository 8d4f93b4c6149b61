//! The SSH transport of the NETCONF server (RFC 6242).
//!
//! [`start`] binds `netconf.listen` and authenticates users of the
//! [`UserDirectory`] by password (SHA-crypt hashes) or public key. Each
//! `netconf` subsystem request on a session channel becomes one
//! [`SessionStarter::start`] call with an authenticated byte stream; the
//! session layer (framing, hello, RPCs, idle timeout) runs on top of it.
//! Nothing else is served: shells, commands, terminals, other subsystems
//! and forwarding are refused, and a channel runs at most one subsystem.

pub mod admission;
mod auth;
mod connection;
pub mod hostkey;
mod limit;
pub mod penalty;
mod server;
pub mod statistics;
mod stream;
mod users;

pub use admission::{Admission, LoginLimits};
pub use hostkey::HostKeyError;
pub use limit::{SessionLimit, SessionLimits, SessionRefusal};
pub use server::{SshServer, bind, serve_on, session_limits, start};
pub use statistics::TransportStatistics;
pub use users::{UserDirectory, UserError};

use std::net::SocketAddr;

/// The byte stream of one NETCONF session: the SSH channel's data in both
/// directions. Reading returns 0 once the client sent EOF or the
/// connection is gone; shutting down the writer sends EOF; dropping the
/// stream closes the channel and frees its `max-sessions` slot.
///
/// russh hands incoming data to the stream through a bounded queue, so
/// the session layer should keep reading while it writes (for example by
/// splitting the stream with `tokio::io::split`): a client that pipelines
/// requests against a reader that has stopped stalls its whole connection.
pub trait ByteStream:
    tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static
{
}

impl<T> ByteStream for T where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static
{
}

/// Who is on the other end of a new session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The authenticated user name.
    pub user: String,
    pub peer: Option<SocketAddr>,
    /// The user's `admin` flag when the session started.
    pub admin: bool,
    /// Ends when the client closes the session's channel or the SSH
    /// connection goes away (an EOF alone does not end it: a client may
    /// send its last request and EOF, and still read the reply).
    pub open: TransportOpen,
}

/// A signal that the transport under a session is gone: the SSH layer
/// holds the sending end per channel and drops it when the channel
/// closes or the connection ends. `None` never signals.
#[derive(Debug, Clone, Default)]
pub struct TransportOpen(pub Option<tokio::sync::watch::Receiver<()>>);

impl TransportOpen {
    /// Resolves once the transport is gone; never when unknown.
    pub async fn closed(&mut self) {
        match &mut self.0 {
            Some(rx) => while rx.changed().await.is_ok() {},
            None => std::future::pending().await,
        }
    }
}

/// Session infos compare by who and from where; the signal is not part of
/// the identity.
impl PartialEq for TransportOpen {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for TransportOpen {}

/// The session layer, as the transport sees it.
pub trait SessionStarter: Send + Sync + 'static {
    /// Called once per `netconf` subsystem request, on the connection's
    /// task: must spawn and return quickly.
    fn start(&self, info: SessionInfo, stream: Box<dyn ByteStream>);

    /// Whether `user` is in the NACM group `admin` now, which may use the
    /// sessions `reserved-admin-sessions` keeps free. `admin_flag` is the
    /// user's `admin` setting, which is all a transport knows.
    fn in_admin_group(&self, _user: &str, admin_flag: bool) -> bool {
        admin_flag
    }
}

/// Why the SSH server did not start.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    #[error("netconf.listen: '{0}' is not ADDRESS:PORT")]
    ListenAddress(String),
    /// The OS error is in the message, not the chain, so it shows once.
    #[error("netconf.listen: cannot bind TCP {addr}: {error}")]
    Bind {
        addr: SocketAddr,
        error: std::io::Error,
    },
    #[error(transparent)]
    HostKey(#[from] HostKeyError),
}
