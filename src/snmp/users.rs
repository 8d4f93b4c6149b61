//! The USM user table (RFC 3414 §2.1): each configured user with its
//! protocols and keys localised to the local engine. The store holds only
//! localised keys (config::localize_usm_passwords); the master keys (Ku)
//! of the file's passwords, held in memory by the datastore, are kept for
//! informs, whose keys are localised to the receiver's engine (RFC 3414
//! §2.3), when they still give the key in force.

use super::usm::{AuthProtocol, Authenticator, PrivProtocol, localize_key, password_to_key};
use crate::config::{
    AuthAlgorithm, MasterKeys, PrivAlgorithm, SecurityLevel, SnmpConfig, UsmMasterKeys,
    UsmUserConfig, hex_octets,
};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct User {
    pub name: Vec<u8>,
    pub auth: AuthProtocol,
    pub privacy: PrivProtocol,
    /// HMAC keyed once with the key localised to the local engine, so a
    /// request neither re-keys it nor copies the message to check it.
    pub authenticator: Option<Authenticator>,
    /// Privacy key localised to the local engine.
    pub priv_key: Vec<u8>,
    /// Master keys from passwords; None when configured as localised keys.
    pub auth_master: Option<Vec<u8>>,
    pub priv_master: Option<Vec<u8>>,
}

impl User {
    /// The highest security level the user can take part in.
    pub fn level(&self) -> SecurityLevel {
        match (self.auth, self.privacy) {
            (AuthProtocol::None, _) => SecurityLevel::NoAuthNoPriv,
            (_, PrivProtocol::None) => SecurityLevel::AuthNoPriv,
            _ => SecurityLevel::AuthPriv,
        }
    }

    /// Keys localised to another engine (an inform receiver), if the user
    /// was configured with passwords.
    pub fn keys_for(&self, engine_id: &[u8]) -> Option<(Option<Authenticator>, Vec<u8>)> {
        let auth = match &self.auth_master {
            Some(ku) => authenticator(self.auth, &localize_key(self.auth, ku, engine_id)).ok()?,
            None if self.auth == AuthProtocol::None => None,
            None => return None,
        };
        let privacy = match &self.priv_master {
            Some(ku) => localize_key(self.auth, ku, engine_id),
            None if self.privacy == PrivProtocol::None => Vec::new(),
            None => return None,
        };
        Some((auth, privacy))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("snmp.users.{user}: {message}")]
pub struct UserError {
    user: String,
    message: String,
}

pub struct Users {
    by_name: BTreeMap<Vec<u8>, User>,
}

pub fn auth_protocol(a: AuthAlgorithm) -> AuthProtocol {
    match a {
        AuthAlgorithm::None => AuthProtocol::None,
        AuthAlgorithm::Md5 => AuthProtocol::Md5,
        AuthAlgorithm::Sha => AuthProtocol::Sha1,
        AuthAlgorithm::Sha224 => AuthProtocol::Sha224,
        AuthAlgorithm::Sha256 => AuthProtocol::Sha256,
        AuthAlgorithm::Sha384 => AuthProtocol::Sha384,
        AuthAlgorithm::Sha512 => AuthProtocol::Sha512,
    }
}

pub fn priv_protocol(p: PrivAlgorithm) -> PrivProtocol {
    match p {
        PrivAlgorithm::None => PrivProtocol::None,
        PrivAlgorithm::Des => PrivProtocol::Des,
        PrivAlgorithm::Aes => PrivProtocol::Aes128,
    }
}

impl Users {
    pub fn from_config(
        s: &SnmpConfig,
        engine_id: &[u8],
        masters: &UsmMasterKeys,
    ) -> Result<Users, UserError> {
        let mut by_name = BTreeMap::new();
        for (name, c) in &s.users {
            let none = MasterKeys::default();
            let master = masters.get(name).unwrap_or(&none);
            let user = build(name, c, engine_id, master).map_err(|message| UserError {
                user: name.clone(),
                message,
            })?;
            by_name.insert(name.as_bytes().to_vec(), user);
        }
        Ok(Users { by_name })
    }

    pub fn get(&self, name: &[u8]) -> Option<&User> {
        self.by_name.get(name)
    }
}

fn build(
    name: &str,
    c: &UsmUserConfig,
    engine_id: &[u8],
    master: &MasterKeys,
) -> Result<User, String> {
    let auth = auth_protocol(c.auth);
    let privacy = priv_protocol(c.privacy);
    let secret = |password: &Option<String>,
                  key: &Option<String>,
                  master: Option<&[u8]>|
     -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
        match (password, key) {
            (Some(p), _) => {
                let ku = password_to_key(auth, p.as_bytes()).map_err(|e| e.to_string())?;
                Ok((localize_key(auth, &ku, engine_id), Some(ku)))
            }
            (None, Some(k)) => {
                let kul = hex_octets(k).ok_or("a key is hex octets")?;
                // A master key that no longer gives the key in force
                // (the file changed since) must not sign anything.
                let ku = master
                    .filter(|ku| localize_key(auth, ku, engine_id) == kul)
                    .map(<[u8]>::to_vec);
                Ok((kul, ku))
            }
            (None, None) => Ok((Vec::new(), None)),
        }
    };
    let (auth_key, auth_master) = if auth == AuthProtocol::None {
        (Vec::new(), None)
    } else {
        secret(
            &c.auth_password,
            &c.auth_key,
            master.auth.as_deref().map(|k| &k[..]),
        )?
    };
    let (priv_key, priv_master) = if privacy == PrivProtocol::None {
        (Vec::new(), None)
    } else {
        secret(
            &c.priv_password,
            &c.priv_key,
            master.privacy.as_deref().map(|k| &k[..]),
        )?
    };
    Ok(User {
        name: name.as_bytes().to_vec(),
        auth,
        privacy,
        authenticator: authenticator(auth, &auth_key)?,
        priv_key,
        auth_master,
        priv_master,
    })
}

/// The prepared HMAC for a localised key; None without authentication.
fn authenticator(auth: AuthProtocol, key: &[u8]) -> Result<Option<Authenticator>, String> {
    if auth == AuthProtocol::None {
        return Ok(None);
    }
    Authenticator::new(auth, key)
        .map(Some)
        .map_err(|e| e.to_string())
}
