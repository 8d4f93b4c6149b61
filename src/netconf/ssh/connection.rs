//! One SSH connection: russh calls this handler for each authentication
//! attempt and channel request. Only the `netconf` subsystem is served
//! (RFC 6242 §3); shells, commands, terminals and forwarding are refused.

use super::SessionInfo;
use super::admission::Ticket;
use super::auth::{Login, peer_name};
use super::limit::SessionRefusal;
use super::server::Shared;
use super::stream::SessionStream;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, MethodKind, Pty};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

/// The only subsystem served (RFC 6242 §3).
const SUBSYSTEM: &str = "netconf";

/// Session channels a client may hold open before starting a subsystem on
/// them; a client needs one per NETCONF session it is about to start.
const PENDING_CHANNELS: usize = 8;

pub(super) struct Connection {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    login: Option<Login>,
    /// Set once authentication succeeds; the connection task reads it to
    /// end logins that take too long.
    authenticated: Arc<AtomicBool>,
    /// Session channels opened but not yet running `netconf`.
    pending: HashMap<ChannelId, Channel<Msg>>,
    /// Passwords refused on this connection (`max-auth-tries`).
    password_failures: u32,
    /// The connection's place in the admission counts.
    ticket: Ticket,
    /// Per channel running `netconf`: dropped when the channel closes or
    /// the connection ends, which tells the session its transport is gone
    /// (see [`super::TransportOpen`]).
    running: HashMap<ChannelId, tokio::sync::watch::Sender<()>>,
}

impl Connection {
    pub fn new(
        shared: Arc<Shared>,
        peer: Option<SocketAddr>,
        authenticated: Arc<AtomicBool>,
        ticket: Ticket,
    ) -> Connection {
        Connection {
            shared,
            peer,
            login: None,
            authenticated,
            pending: HashMap::new(),
            password_failures: 0,
            ticket,
            running: HashMap::new(),
        }
    }

    /// Whether the peer's address is penalised for failed logins: then
    /// no login succeeds, whatever the password or key.
    fn penalised(&self, user: &str, method: &str) -> bool {
        let Some(peer) = self.peer else {
            return false;
        };
        let Some(left) = self.shared.admission.penalised(peer.ip()) else {
            return false;
        };
        self.shared.admission.bump(|s| &s.penalised_logins_refused);
        tracing::warn!(
            log_kind = "security",
            "NETCONF SSH: {method} login refused for user {user:?} from {}: source penalised for failed logins for {}s more",
            peer_name(self.peer),
            left.as_secs().max(1)
        );
        true
    }

    /// A refused password: the source's penalty grows, and the client may
    /// try again until `max-auth-tries` is used up.
    fn password_refused(&mut self, user: &str) -> Auth {
        self.password_failures += 1;
        if let Some(peer) = self.peer {
            self.shared.admission.login_failed(peer.ip());
        }
        let tries = self.shared.admission.limits().max_auth_tries;
        if self.password_failures < tries {
            return Auth::Reject {
                proceed_with_methods: Some(
                    (&[MethodKind::PublicKey, MethodKind::Password][..]).into(),
                ),
                partial_success: false,
            };
        }
        self.shared.admission.bump(|s| &s.auth_tries_exhausted);
        tracing::warn!(
            log_kind = "security",
            "NETCONF SSH: user {user:?} from {} used up max-auth-tries ({tries}): no more passwords on this connection",
            peer_name(self.peer)
        );
        Auth::reject()
    }

    fn accept(&mut self, login: Option<Login>) -> Auth {
        match login {
            Some(login) => {
                self.login = Some(login);
                Auth::Accept
            }
            None => Auth::reject(),
        }
    }

    /// Refuses a channel request, and empties the channel's queue: russh
    /// queues every request and data packet for the channel's owner, and
    /// nobody reads a pending channel, so a full queue would stall the
    /// whole connection.
    fn refuse(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        self.discard_queued(channel);
        session.channel_failure(channel)
    }

    fn discard_queued(&mut self, channel: ChannelId) {
        let Some(ch) = self.pending.get_mut(&channel) else {
            return;
        };
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            let next = pin!(ch.wait());
            match next.poll(&mut cx) {
                Poll::Ready(Some(_)) => continue,
                _ => break,
            }
        }
    }

    fn start_netconf(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), russh::Error> {
        // russh opens channels only after authentication, so a login is there.
        let Some(login) = self.login.clone() else {
            return self.refuse(channel, session);
        };
        // The user may have been removed since the login; the admin flag
        // is the one in force now.
        let Some(admin) = self.shared.auth.still_configured(&login.user) else {
            tracing::warn!(
                log_kind = "security",
                "NETCONF SSH: refused a session for user {:?} from {}: no longer a configured user",
                login.user,
                peer_name(self.peer)
            );
            return self.refuse(channel, session);
        };
        if !self.pending.contains_key(&channel) {
            // The channel already runs a subsystem.
            return self.refuse(channel, session);
        }
        let privileged = self.shared.starter.in_admin_group(&login.user, admin);
        let slot = match self.shared.sessions.try_acquire(&login.user, privileged) {
            Ok(slot) => slot,
            Err(why) => {
                self.shared.admission.bump(|s| match why {
                    SessionRefusal::PerUser(_) => &s.sessions_refused_per_user,
                    _ => &s.sessions_refused_server_limit,
                });
                tracing::warn!(
                    log_kind = "security",
                    "NETCONF SSH: refused a session for user {:?} from {}: {why}",
                    login.user,
                    peer_name(self.peer),
                );
                // The reason on the channel's stderr, for clients that
                // show it (OpenSSH does); then the request fails.
                let _ = session.extended_data(
                    channel,
                    1,
                    format!("NETCONF session refused: {why}\r\n").into_bytes(),
                );
                return self.refuse(channel, session);
            }
        };
        let Some(ch) = self.pending.remove(&channel) else {
            return self.refuse(channel, session);
        };
        session.channel_success(channel)?;
        let (open, signal) = tokio::sync::watch::channel(());
        self.running.insert(channel, open);
        let info = SessionInfo {
            user: login.user,
            peer: self.peer,
            admin,
            open: super::TransportOpen(Some(signal)),
        };
        tracing::info!(
            "NETCONF SSH: session started for user {:?} from {}",
            info.user,
            peer_name(self.peer)
        );
        let stream = SessionStream::new(ch.into_stream(), slot);
        self.shared.starter.start(info, Box::new(stream));
        Ok(())
    }
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        if self.penalised(user, "password") {
            return Ok(Auth::reject());
        }
        match self.shared.auth.password(user, password, self.peer).await {
            Some(login) => Ok(self.accept(Some(login))),
            None => Ok(self.password_refused(user)),
        }
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        let known = self
            .shared
            .auth
            .key_offered(user, offer.public_key.key_data(), self.peer);
        Ok(if known { Auth::Accept } else { Auth::reject() })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.penalised(user, "public-key") {
            return Ok(Auth::reject());
        }
        let login = self
            .shared
            .auth
            .key_verified(user, key.public_key.key_data(), self.peer);
        Ok(self.accept(login))
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.authenticated.store(true, Ordering::Release);
        self.ticket.logged_in();
        if let Some(login) = &self.login {
            tracing::info!(
                log_kind = "security",
                "NETCONF SSH: user {:?}{} logged in from {}",
                login.user,
                if login.admin { " (admin)" } else { "" },
                peer_name(self.peer)
            );
        }
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.pending.len() >= PENDING_CHANNELS {
            reply.reject(ChannelOpenFailure::ResourceShortage).await;
            return Ok(());
        }
        self.pending.insert(channel.id(), channel);
        reply.accept().await;
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pending.remove(&channel);
        self.running.remove(&channel);
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if name == SUBSYSTEM {
            self.start_netconf(channel, session)
        } else {
            tracing::info!(
                log_kind = "security",
                "NETCONF SSH: refused subsystem {name:?} from {}",
                peer_name(self.peer)
            );
            self.refuse(channel, session)
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.discard_queued(channel);
        Ok(())
    }

    async fn signal(
        &mut self,
        channel: ChannelId,
        _signal: russh::Sig,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.discard_queued(channel);
        Ok(())
    }

    /// Data on a channel with no subsystem has nowhere to go.
    async fn data(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.discard_queued(channel);
        Ok(())
    }

    async fn extended_data(
        &mut self,
        channel: ChannelId,
        _code: u32,
        _data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.discard_queued(channel);
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.discard_queued(channel);
        Ok(())
    }
}
