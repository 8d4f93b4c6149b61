//! Who may log in, and how: the `[netconf.users]` section turned into what
//! authentication compares against. Plain-text demo passwords are hashed
//! here, once, so nothing after loading ever holds them.
//!
//! The table sits behind an [`ArcSwap`]: NETCONF edits can change users
//! while sessions run, and a login in progress keeps the table it started
//! with.

use crate::config::authorized_key::{self, KeyLineError};
use crate::config::password_hash::{self as password, HashError, HashFormatError};
use crate::config::{NetconfConfig, NetconfUser};
use arc_swap::ArcSwap;
use russh::keys::ssh_key::public::KeyData;
use std::collections::HashMap;
use std::sync::Arc;

/// A user that cannot be loaded, by its configuration key.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("netconf.users.{user}.password-hash: {source}")]
    PasswordHash {
        user: String,
        source: HashFormatError,
    },
    #[error("netconf.users.{user}.password: {source}")]
    Password { user: String, source: HashError },
    #[error("netconf.users.{user}.authorized-keys[{index}]: {source}")]
    AuthorizedKey {
        user: String,
        index: usize,
        source: KeyLineError,
    },
    #[error("netconf.users.{user}: needs password, password-hash or authorized-keys")]
    NoCredential { user: String },
}

/// One user's credentials as authentication sees them.
#[derive(Debug)]
pub(super) struct UserEntry {
    /// A SHA-crypt string, never plain text.
    pub password_hash: Option<String>,
    pub keys: Vec<KeyData>,
    pub admin: bool,
}

impl UserEntry {
    fn from_config(name: &str, u: &NetconfUser) -> Result<UserEntry, UserError> {
        let password_hash = match (&u.password_hash, &u.password) {
            (Some(hash), _) => {
                password::check_hash(hash).map_err(|source| UserError::PasswordHash {
                    user: name.to_string(),
                    source,
                })?;
                Some(hash.clone())
            }
            (None, Some(plain)) => {
                Some(password::hash(plain).map_err(|source| UserError::Password {
                    user: name.to_string(),
                    source,
                })?)
            }
            (None, None) => None,
        };
        let keys = u
            .authorized_keys
            .iter()
            .enumerate()
            .map(|(index, line)| {
                authorized_key::parse(line).map_err(|source| UserError::AuthorizedKey {
                    user: name.to_string(),
                    index,
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if password_hash.is_none() && keys.is_empty() {
            return Err(UserError::NoCredential {
                user: name.to_string(),
            });
        }
        Ok(UserEntry {
            password_hash,
            keys,
            admin: u.admin,
        })
    }

    pub fn has_key(&self, key: &KeyData) -> bool {
        self.keys.iter().any(|k| k == key)
    }
}

type UserTable = HashMap<String, Arc<UserEntry>>;

fn table(config: &NetconfConfig) -> Result<UserTable, UserError> {
    config
        .users
        .iter()
        .map(|(name, u)| Ok((name.clone(), Arc::new(UserEntry::from_config(name, u)?))))
        .collect()
}

/// The users the SSH server authenticates against, swappable at run time.
pub struct UserDirectory {
    table: ArcSwap<UserTable>,
}

impl UserDirectory {
    pub fn from_config(config: &NetconfConfig) -> Result<UserDirectory, UserError> {
        Ok(UserDirectory {
            table: ArcSwap::from_pointee(table(config)?),
        })
    }

    /// Installs the users of `config` for every later login. On error the
    /// users in force stay as they were; sessions already open are not
    /// touched either way.
    pub fn replace(&self, config: &NetconfConfig) -> Result<(), UserError> {
        self.table.store(Arc::new(table(config)?));
        Ok(())
    }

    /// Whether `name` is a configured user (for callers that must not
    /// treat an unknown name as a user, such as kill-session checks).
    pub fn contains(&self, name: &str) -> bool {
        self.table.load().contains_key(name)
    }

    /// The administrator flag of `name`, or `None` for an unknown user.
    pub fn is_admin(&self, name: &str) -> Option<bool> {
        self.table.load().get(name).map(|u| u.admin)
    }

    pub(super) fn get(&self, name: &str) -> Option<Arc<UserEntry>> {
        self.table.load().get(name).cloned()
    }
}

impl std::fmt::Debug for UserDirectory {
    /// Names and admin flags only: credentials stay out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let table = self.table.load();
        let mut names: Vec<(&String, bool)> = table.iter().map(|(n, u)| (n, u.admin)).collect();
        names.sort();
        f.debug_struct("UserDirectory")
            .field("users", &names)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(password: Option<&str>, hash: Option<&str>, keys: &[&str]) -> NetconfUser {
        NetconfUser {
            password: password.map(str::to_string),
            password_hash: hash.map(str::to_string),
            authorized_keys: keys.iter().map(|k| k.to_string()).collect(),
            admin: false,
            groups: vec![],
        }
    }

    fn config(users: &[(&str, NetconfUser)]) -> NetconfConfig {
        NetconfConfig {
            users: users
                .iter()
                .map(|(n, u)| (n.to_string(), u.clone()))
                .collect(),
            ..NetconfConfig::default()
        }
    }

    #[test]
    fn plain_passwords_are_kept_only_as_hashes() {
        let dir = UserDirectory::from_config(&config(&[("demo", user(Some("demo"), None, &[]))]))
            .unwrap();
        let entry = dir.get("demo").unwrap();
        let hash = entry.password_hash.as_deref().unwrap();
        assert!(hash.starts_with("$6$"), "{hash}");
        assert!(!hash.contains("demo"));
        assert!(password::verify("demo", hash));
        assert!(!format!("{dir:?}").contains(hash));
    }

    #[test]
    fn a_bad_user_names_its_key_and_keeps_the_old_table() {
        let good = config(&[("a", user(Some("pw"), None, &[]))]);
        let dir = UserDirectory::from_config(&good).unwrap();
        let cases = [
            (
                user(None, Some("md5-nonsense"), &[]),
                "netconf.users.b.password-hash: ",
            ),
            (
                user(Some("x"), None, &["ssh-ed25519 AAAA"]),
                "netconf.users.b.authorized-keys[0]: ",
            ),
            (user(None, None, &[]), "netconf.users.b: needs"),
        ];
        for (bad, key) in cases {
            let err = dir.replace(&config(&[("b", bad)])).unwrap_err().to_string();
            assert!(err.starts_with(key), "{err}");
            assert!(dir.contains("a") && !dir.contains("b"));
        }
        dir.replace(&config(&[("b", user(Some("pw"), None, &[]))]))
            .unwrap();
        assert!(dir.contains("b") && !dir.contains("a"));
    }
}
