//! SNMPv3 passwords never reach the store, as in net-snmp: the datastore
//! turns each `auth-password` / `priv-password` into the key localised to
//! the local engine (RFC 3414 A.2, Kul, in `auth-key` / `priv-key`) before
//! it saves or publishes a configuration. The master keys (Ku) are only
//! returned to the caller, which keeps them in memory for informs, whose
//! keys are localised to the receiver's engine (RFC 3414 §2.3).

use super::path::ConfigPath;
use super::schema::{AuthAlgorithm, Config, PrivAlgorithm};
use super::source::ConfigIssue;
use super::usm_key::{localize_key, password_to_key};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// A user's master keys (Ku), from the passwords it was configured with.
#[derive(Clone, Default)]
pub struct MasterKeys {
    pub auth: Option<Zeroizing<Vec<u8>>>,
    pub privacy: Option<Zeroizing<Vec<u8>>>,
}

/// Keys never reach a log line, even through `{:?}`.
impl std::fmt::Debug for MasterKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKeys")
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .field("privacy", &self.privacy.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Master keys by USM user name.
pub type UsmMasterKeys = BTreeMap<String, MasterKeys>;

/// Replaces every USM password by its key localised to `engine_id`, and
/// returns the master keys of the users that had passwords. A user
/// already holding only keys is left alone, so the result is stable. A
/// password for an algorithm set to none has no use and is dropped.
pub fn localize_usm_passwords(
    config: &mut Config,
    engine_id: &[u8],
) -> Result<UsmMasterKeys, ConfigIssue> {
    let mut masters = UsmMasterKeys::new();
    for (name, user) in config.snmp.users.iter_mut() {
        let protocol = user.auth;
        let derive = |what: &str, password: Option<String>| {
            let password = Zeroizing::new(password?);
            Some(
                password_to_key(protocol, password.as_bytes())
                    .map(Zeroizing::new)
                    .map_err(|e| {
                        ConfigIssue::at(
                            ConfigPath::from("snmp.users")
                                .then(name)
                                .then(&format!("{what}-password")),
                            e.to_string(),
                        )
                    }),
            )
        };
        let mut keys = MasterKeys::default();
        if user.auth == AuthAlgorithm::None {
            user.auth_password = None;
            user.priv_password = None;
        } else {
            if let Some(ku) = derive("auth", user.auth_password.take()).transpose()? {
                user.auth_key = Some(hex::encode(localize_key(protocol, &ku, engine_id)));
                keys.auth = Some(ku);
            }
            if user.privacy == PrivAlgorithm::None {
                user.priv_password = None;
            } else if let Some(ku) = derive("priv", user.priv_password.take()).transpose()? {
                user.priv_key = Some(hex::encode(localize_key(protocol, &ku, engine_id)));
                keys.privacy = Some(ku);
            }
        }
        if keys.auth.is_some() || keys.privacy.is_some() {
            masters.insert(name.clone(), keys);
        }
    }
    Ok(masters)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::UsmUserConfig;

    fn with_user(auth_password: Option<&str>, priv_password: Option<&str>) -> Config {
        let mut c = Config::default();
        c.snmp.users.insert(
            "ann".into(),
            UsmUserConfig {
                group: "g".into(),
                auth: AuthAlgorithm::Sha,
                auth_password: auth_password.map(str::to_string),
                auth_key: None,
                privacy: PrivAlgorithm::Aes,
                priv_password: priv_password.map(str::to_string),
                priv_key: None,
            },
        );
        c
    }

    /// RFC 3414 A.3.2: "maplesyrup", SHA, engine 00..02.
    #[test]
    fn passwords_become_the_rfc_localised_keys_once() {
        let engine = [0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        let mut c = with_user(Some("maplesyrup"), Some("maplesyrup"));
        let masters = localize_usm_passwords(&mut c, &engine).unwrap();
        let ann = &c.snmp.users["ann"];
        assert_eq!((&ann.auth_password, &ann.priv_password), (&None, &None));
        let kul = "6695febc9288e36282235fc7151f128497b38f3f";
        assert_eq!(ann.auth_key.as_deref(), Some(kul));
        assert_eq!(ann.priv_key.as_deref(), Some(kul));
        assert!(!serde_json::to_string(&c).unwrap().contains("maplesyrup"));
        assert_eq!(
            hex::encode(masters["ann"].auth.as_deref().unwrap()),
            "9fb5cc0381497b3793528939ff788d5d79145211"
        );
        let again = localize_usm_passwords(&mut c, &engine).unwrap();
        assert!(again.is_empty());
        assert_eq!(c.snmp.users["ann"].auth_key.as_deref(), Some(kul));
    }

    #[test]
    fn a_short_password_names_its_key_not_its_value() {
        let mut c = with_user(Some("shortpw"), None);
        let issue = localize_usm_passwords(&mut c, &[1, 2, 3, 4, 5]).unwrap_err();
        assert_eq!(issue.key, "snmp.users.ann.auth-password");
        assert!(!issue.to_string().contains("shortpw"));
    }
}
