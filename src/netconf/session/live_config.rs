//! The run-time part of `[netconf]`: after every commit of the running
//! configuration, whoever made it (NETCONF, SNMP, the control socket), the
//! SSH server's user table, session, connection and login limits and the
//! message buffer budget follow it, and the sessions
//! of users who were removed are ended through the kill path that
//! kill-session uses.
//!
//! What stays as it was: the sessions of a user whose password, keys,
//! admin flag or groups changed keep running (their NACM rights are
//! computed per request from running, so groups and the admin flag apply
//! to their next request anyway); lower session or connection limits end nobody.
//! `idle-timeout-seconds` needs nothing here: each session reads it from
//! running before it waits for input. `enabled`, `listen` and `host-key`
//! are restart-only (the datastore refuses them), so never change here.

use crate::config::{Config, NetconfConfig};
use crate::netconf::shared::Server;
use crate::netconf::ssh::{Admission, LoginLimits, SessionLimit, UserDirectory, session_limits};
use std::sync::Arc;
use tokio::task::JoinHandle;

/// What the commits change: the SSH server's shared pieces and the
/// session table.
pub struct Live {
    pub server: Arc<Server>,
    pub users: Arc<UserDirectory>,
    pub limit: Arc<SessionLimit>,
    pub admission: Arc<Admission>,
}

impl Live {
    /// Follows the datastore until the task is aborted (the NETCONF
    /// handle does that on stop) or the datastore is gone. `started_with`
    /// is the configuration the server was built from: whatever was
    /// committed since is applied first.
    pub fn follow(self, started_with: &Config) -> JoinHandle<()> {
        let mut rx = self.server.agent.datastore.subscribe();
        let mut applied = rx.borrow_and_update().config.clone();
        self.apply(&started_with.netconf, &applied.netconf);
        tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                let new: Arc<Config> = rx.borrow_and_update().config.clone();
                self.apply(&applied.netconf, &new.netconf);
                applied = new;
            }
        })
    }

    /// Brings the server from `old` to `new`.
    pub fn apply(&self, old: &NetconfConfig, new: &NetconfConfig) {
        if old.users != new.users {
            // The commit validated every user with the same parsers, so
            // this fails only if they drift apart; the old table stays.
            match self.users.replace(new) {
                Ok(()) => tracing::info!(
                    "NETCONF users now: {}",
                    new.users.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
                Err(e) => tracing::error!("NETCONF users not applied: {e}"),
            }
            for name in old.users.keys().filter(|n| !new.users.contains_key(*n)) {
                self.end_sessions_of(name);
            }
        }
        if session_limits(old) != session_limits(new) {
            self.limit.set_limits(session_limits(new));
            tracing::info!(
                "NETCONF max-sessions now {}, max-sessions-per-user {}, reserved-admin-sessions {} ({} open)",
                new.max_sessions,
                new.max_sessions_per_user,
                new.reserved_admin_sessions,
                self.limit.active()
            );
        }
        let login = LoginLimits::from_config(new);
        if LoginLimits::from_config(old) != login {
            self.admission.set_limits(login);
            tracing::info!("NETCONF connection and login limits now {login:?}");
        }
        self.server
            .budget
            .set_limit(new.message_buffer_budget_bytes);
        if old.idle_timeout_seconds != new.idle_timeout_seconds {
            tracing::info!(
                "NETCONF idle-timeout-seconds now {} (0: never)",
                new.idle_timeout_seconds
            );
        }
    }

    /// A removed user keeps no session: each one is killed as by
    /// kill-session (its locks go, its confirmed commit rolls back).
    fn end_sessions_of(&self, user: &str) {
        for s in self.server.sessions.list() {
            if s.user == user {
                tracing::info!(
                    session = s.id,
                    "NETCONF user {user:?} was removed: ending session {}",
                    s.id
                );
                s.kill();
            }
        }
    }
}
