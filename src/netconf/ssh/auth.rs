//! Password and public-key checks against the [`UserDirectory`], with the
//! bookkeeping every rejection gets: a counter and a log line naming the
//! user and the peer, never the secret. The fixed rejection delay is
//! russh's `auth_rejection_time` (see `server.rs`), which also hides
//! whether the user exists.

use super::statistics::TransportStatistics;
use super::users::UserDirectory;
use russh::keys::ssh_key::public::KeyData;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// A user who proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Login {
    pub user: String,
    pub admin: bool,
}

pub(super) struct Authenticator {
    users: Arc<UserDirectory>,
    statistics: Arc<TransportStatistics>,
}

/// How a peer is shown in logs.
pub(super) fn peer_name(peer: Option<SocketAddr>) -> String {
    peer.map_or_else(|| "an unknown address".to_string(), |p| p.to_string())
}

impl Authenticator {
    pub fn new(users: Arc<UserDirectory>, statistics: Arc<TransportStatistics>) -> Authenticator {
        Authenticator { users, statistics }
    }

    /// Rejected passwords and keys since start.
    pub fn failures(&self) -> u64 {
        self.statistics.auth_failures.load(Ordering::Relaxed)
    }

    fn reject(&self, method: &str, user: &str, peer: Option<SocketAddr>, why: &str) {
        TransportStatistics::bump(&self.statistics.auth_failures);
        // {:?} escapes control characters a client may put in the name.
        tracing::warn!(
            log_kind = "security",
            "NETCONF SSH: {method} login refused for user {user:?} from {}: {why}",
            peer_name(peer)
        );
    }

    pub async fn password(
        &self,
        user: &str,
        password: &str,
        peer: Option<SocketAddr>,
    ) -> Option<Login> {
        let Some(entry) = self.users.get(user) else {
            self.reject("password", user, peer, "unknown user");
            return None;
        };
        let Some(hash) = entry.password_hash.clone() else {
            self.reject("password", user, peer, "the user has no password");
            return None;
        };
        // SHA-crypt costs thousands of digest rounds (more if the hash asks
        // for it): off the async workers.
        let password = zeroize::Zeroizing::new(password.to_string());
        let matched = tokio::task::spawn_blocking(move || {
            crate::config::password_hash::verify(&password, &hash)
        })
        .await
        .unwrap_or(false);
        if matched {
            Some(Login {
                user: user.to_string(),
                admin: entry.admin,
            })
        } else {
            self.reject("password", user, peer, "wrong password");
            None
        }
    }

    /// The admin flag of `user` if the user is still configured: an SSH
    /// connection outlives the table it logged in with, and each NETCONF
    /// session it starts must belong to a user who exists now.
    pub fn still_configured(&self, user: &str) -> Option<bool> {
        self.users.is_admin(user)
    }

    /// Whether `key` may be tried for `user` at all. A client tries its
    /// keys in turn, so each refused key counts as one failure.
    pub fn key_offered(&self, user: &str, key: &KeyData, peer: Option<SocketAddr>) -> bool {
        match self.users.get(user) {
            None => {
                self.reject("public-key", user, peer, "unknown user");
                false
            }
            Some(entry) if !entry.has_key(key) => {
                self.reject("public-key", user, peer, "key not authorized");
                false
            }
            Some(_) => true,
        }
    }

    /// `key` has signed the session: the login, if the key is (still)
    /// one of the user's.
    pub fn key_verified(
        &self,
        user: &str,
        key: &KeyData,
        peer: Option<SocketAddr>,
    ) -> Option<Login> {
        match self.users.get(user) {
            Some(entry) if entry.has_key(key) => Some(Login {
                user: user.to_string(),
                admin: entry.admin,
            }),
            _ => {
                self.reject("public-key", user, peer, "key not authorized");
                None
            }
        }
    }
}
