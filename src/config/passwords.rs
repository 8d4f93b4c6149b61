//! Plain-text NETCONF passwords never reach the store: the datastore turns
//! each `password` into a `password-hash` before it saves or publishes a
//! configuration, whether the password came from the file, NETCONF
//! edit-config or `ctl set`. Readers of the configuration (get-config,
//! `ctl get-config`, the store's revisions) then only ever see the hash.

use super::password_hash as password;
use super::path::ConfigPath;
use super::schema::Config;
use super::source::ConfigIssue;

/// Replaces every user's plain `password` by its SHA-crypt hash. A user
/// already holding only a hash is left alone, so the result is stable:
/// hashing a configuration twice changes nothing the second time.
pub fn hash_plain_passwords(config: &mut Config) -> Result<(), ConfigIssue> {
    for (name, user) in config.netconf.users.iter_mut() {
        let Some(plain) = user.password.take() else {
            continue;
        };
        let plain = zeroize::Zeroizing::new(plain);
        let hash = password::hash(&plain).map_err(|e| {
            ConfigIssue::at(
                ConfigPath::from("netconf.users")
                    .then(name)
                    .with("password"),
                e.to_string(),
            )
        })?;
        user.password_hash = Some(hash);
    }
    Ok(())
}

/// A user whose plain `password` verifies against the hash `base` holds
/// for the same user keeps that hash, so that a configuration file read
/// again does not look changed: each hashing draws a new salt, and a new
/// hash would read as a password changed by the file (see
/// [`super::reconcile`]).
pub fn reuse_verified_hashes(config: &mut Config, base: &Config) {
    for (name, user) in config.netconf.users.iter_mut() {
        let (Some(plain), None) = (&user.password, &user.password_hash) else {
            continue;
        };
        let old = base
            .netconf
            .users
            .get(name)
            .and_then(|u| u.password_hash.as_ref());
        if let Some(old) = old.filter(|h| password::verify(plain, h)) {
            user.password_hash = Some(old.clone());
            user.password = None;
        }
    }
}

/// An edit that sets a user's `password` while the user still carries the
/// hash it had in `base` means a new password: the old hash is dropped so
/// that the two do not clash ("password or password-hash, not both").
/// A hash set by the same edit stays, and validation reports the clash.
pub fn supersede_stale_hashes(edited: &mut Config, base: &Config) {
    for (name, user) in edited.netconf.users.iter_mut() {
        let stale = user.password.is_some()
            && user.password_hash.is_some()
            && base
                .netconf
                .users
                .get(name)
                .is_some_and(|old| old.password_hash == user.password_hash);
        if stale {
            user.password_hash = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::NetconfUser;

    fn with_user(password: Option<&str>, hash: Option<&str>) -> Config {
        let mut c = Config::default();
        c.netconf.users.clear();
        c.netconf.users.insert(
            "ann".into(),
            NetconfUser {
                password: password.map(str::to_string),
                password_hash: hash.map(str::to_string),
                authorized_keys: vec![],
                admin: false,
                groups: vec![],
            },
        );
        c
    }

    #[test]
    fn plain_passwords_become_verifiable_hashes_once() {
        let mut c = with_user(Some("s3cret-pw"), None);
        hash_plain_passwords(&mut c).unwrap();
        let ann = &c.netconf.users["ann"];
        assert_eq!(ann.password, None);
        let hash = ann.password_hash.clone().unwrap();
        assert!(password::verify("s3cret-pw", &hash));
        assert!(!serde_json::to_string(&c).unwrap().contains("s3cret-pw"));
        hash_plain_passwords(&mut c).unwrap();
        assert_eq!(c.netconf.users["ann"].password_hash, Some(hash));
    }

    #[test]
    fn a_new_password_replaces_the_old_hash_but_not_a_hash_set_with_it() {
        let old_hash = password::hash("old").unwrap();
        let base = with_user(None, Some(&old_hash));
        let mut edited = with_user(Some("new"), Some(&old_hash));
        supersede_stale_hashes(&mut edited, &base);
        assert_eq!(edited.netconf.users["ann"].password_hash, None);
        let other = password::hash("other").unwrap();
        let mut both = with_user(Some("new"), Some(&other));
        supersede_stale_hashes(&mut both, &base);
        assert_eq!(both.netconf.users["ann"].password_hash, Some(other));
    }
}
