//! Telling a first start from a lost store. A store that is missing or
//! empty while the data directory shows the agent ran there before, or
//! whose identity or SNMP engine ID is gone, is damage: starting afresh
//! would lose the configuration history, alarms and logs, and give SNMP
//! managers a new engine ID or an snmpEngineBoots that went back (which
//! RFC 3414 §2.2.2 forbids for the same engine ID). The agent refuses
//! such a start unless the operator asks for a fresh one.
//!
//! The proof of an earlier start is the `store-id` file, written beside
//! the store once it holds a configuration and naming the identity kept
//! inside it, and, for data directories from before that file, the SSH
//! host key the agent creates in the data directory.

use super::store::{Store, StoreError};
use crate::config::Config;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Meta key of the generated snmpEngineID (hex), kept by the SNMP agent.
pub const ENGINE_ID_KEY: &str = "snmp-engine-id";
/// Meta key of snmpEngineBoots, kept by the SNMP agent.
pub const ENGINE_BOOTS_KEY: &str = "snmp-engine-boots";
/// Meta key of the store's identity, repeated in [`MARKER`].
const STORE_ID_KEY: &str = "store-id";
/// File in the data directory naming the store that belongs there.
pub const MARKER: &str = "store-id";
/// The flag that accepts a fresh start, as the refusal names it.
pub const FLAG: &str = "chain-agent run --start-afresh";

/// Whether a start may begin afresh over a damaged store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FreshStart {
    /// Refuse to start on a damaged store (the default).
    #[default]
    Refuse,
    /// The operator passed `--start-afresh`.
    Accept,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreDamage {
    #[error(
        "store {store} is {state}, but {evidence} shows the agent ran in this data directory \
         before: the store was lost or damaged. Starting afresh would give SNMP a new engine ID \
         or set snmpEngineBoots back, and lose the configuration history, alarms and logs. \
         Restore the store from a backup, or run `{FLAG}` to accept a fresh start"
    )]
    Lost {
        store: PathBuf,
        state: &'static str,
        evidence: String,
    },
    #[error(
        "store {store} is not the one {marker} names (store identity {found}, expected \
         {expected}): it was replaced or damaged. Put the right store back, or run `{FLAG}` \
         to accept this one"
    )]
    Replaced {
        store: PathBuf,
        marker: PathBuf,
        found: String,
        expected: String,
    },
    #[error(
        "store {store} counts snmpEngineBoots {boots} but has lost the SNMP engine ID it \
         generated, and snmp.engine-id is not set: a new ID would break every manager and \
         localised key that knows the old one. Restore the store, set snmp.engine-id to the \
         old ID, or run `{FLAG}` to accept a new engine ID"
    )]
    EngineIdLost { store: PathBuf, boots: String },
    #[error("{0}: {1}")]
    Marker(PathBuf, std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Before the store is opened: a missing or empty store file is damage
/// when the data directory proves an earlier start.
pub fn check_file(config: &Config, fresh: FreshStart) -> Result<(), StoreDamage> {
    let store = config.store_path();
    let state = match std::fs::metadata(&store) {
        Ok(m) if m.len() > 0 => return Ok(()),
        Ok(_) => "empty (0 bytes)",
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing",
        Err(e) => return Err(StoreDamage::Marker(store, e)),
    };
    let Some(evidence) = earlier_start(config) else {
        return Ok(());
    };
    if fresh == FreshStart::Accept {
        return Ok(());
    }
    Err(StoreDamage::Lost {
        store,
        state,
        evidence,
    })
}

/// What in the data directory shows an earlier start, if anything.
fn earlier_start(config: &Config) -> Option<String> {
    let dir = &config.agent.data_dir;
    let marker = dir.join(MARKER);
    if marker.exists() {
        return Some(format!("{}", marker.display()));
    }
    // The host key the agent made there; one configured outside the data
    // directory may have been put there by the operator before any start.
    let default_key = crate::config::NetconfConfig {
        host_key: None,
        ..config.netconf.clone()
    }
    .host_key_path(dir);
    [config.netconf.host_key_path(dir), default_key]
        .into_iter()
        .find(|k| k.starts_with(dir) && k.exists())
        .map(|k| format!("the SSH host key {}", k.display()))
}

/// After the store is opened, before anything is written to it: its
/// identity must be the one the marker names, and a generated engine ID
/// that boots were counted for must still be there.
pub fn check_store(store: &Store, config: &Config, fresh: FreshStart) -> Result<(), StoreDamage> {
    if fresh == FreshStart::Accept {
        return Ok(());
    }
    let path = config.store_path();
    let marker = config.agent.data_dir.join(MARKER);
    match std::fs::read_to_string(&marker) {
        Ok(expected) => {
            let expected = expected.trim().to_string();
            let found = store.meta(STORE_ID_KEY)?.unwrap_or_default();
            if found != expected {
                return Err(StoreDamage::Replaced {
                    store: path,
                    marker,
                    found: if found.is_empty() {
                        "none".into()
                    } else {
                        found
                    },
                    expected,
                });
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(StoreDamage::Marker(marker, e)),
    }
    if config.snmp.engine_id.is_empty()
        && store.meta(ENGINE_ID_KEY)?.is_none()
        && let Some(boots) = store.meta(ENGINE_BOOTS_KEY)?
    {
        return Err(StoreDamage::EngineIdLost { store: path, boots });
    }
    Ok(())
}

/// Once the store holds a configuration: give it an identity if it has
/// none, and name that identity in the marker beside it.
pub fn mark(store: &Store, data_dir: &Path) -> Result<(), StoreDamage> {
    let id = match store.meta(STORE_ID_KEY)? {
        Some(id) => id,
        None => {
            let id = new_id();
            store.set_meta(STORE_ID_KEY, &id)?;
            id
        }
    };
    let marker = data_dir.join(MARKER);
    if std::fs::read_to_string(&marker).is_ok_and(|m| m.trim() == id) {
        return Ok(());
    }
    write_marker(&marker, &id).map_err(|e| StoreDamage::Marker(marker, e))
}

fn new_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        let t = crate::model::now_millis();
        bytes[..8].copy_from_slice(&t.to_be_bytes());
    }
    hex::encode(bytes)
}

/// Write the marker whole or not at all: a temporary file, synced, renamed.
fn write_marker(path: &Path, id: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(&tmp)?;
    writeln!(f, "{id}")?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path) -> Config {
        let mut c = Config::default();
        c.agent.data_dir = dir.to_path_buf();
        c
    }

    #[test]
    fn a_first_start_passes_and_a_lost_store_beside_a_marker_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        check_file(&c, FreshStart::Refuse).unwrap();
        let store = Store::open(&c.store_path()).unwrap();
        check_store(&store, &c, FreshStart::Refuse).unwrap();
        mark(&store, dir.path()).unwrap();
        check_store(&store, &c, FreshStart::Refuse).unwrap();
        drop(store);
        std::fs::File::create(c.store_path()).unwrap();
        let e = check_file(&c, FreshStart::Refuse).unwrap_err().to_string();
        assert!(e.contains("empty (0 bytes)") && e.contains(FLAG), "{e}");
        check_file(&c, FreshStart::Accept).unwrap();
        std::fs::remove_file(c.store_path()).unwrap();
        let e = check_file(&c, FreshStart::Refuse).unwrap_err().to_string();
        assert!(e.contains("missing"), "{e}");
    }

    #[test]
    fn a_host_key_in_the_data_directory_proves_an_earlier_start() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        std::fs::write(dir.path().join("ssh_host_ed25519_key"), "k").unwrap();
        let e = check_file(&c, FreshStart::Refuse).unwrap_err().to_string();
        assert!(e.contains("SSH host key"), "{e}");
    }

    #[test]
    fn another_store_or_a_lost_engine_id_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let c = config(dir.path());
        let store = Store::open(&c.store_path()).unwrap();
        mark(&store, dir.path()).unwrap();
        store.set_meta(STORE_ID_KEY, "other").unwrap();
        let e = check_store(&store, &c, FreshStart::Refuse).unwrap_err();
        assert!(matches!(e, StoreDamage::Replaced { .. }), "{e}");
        check_store(&store, &c, FreshStart::Accept).unwrap();
        // Accepting makes the marker name the store that is there.
        mark(&store, dir.path()).unwrap();
        check_store(&store, &c, FreshStart::Refuse).unwrap();
        store.set_meta(ENGINE_BOOTS_KEY, "7").unwrap();
        let e = check_store(&store, &c, FreshStart::Refuse).unwrap_err();
        assert!(matches!(e, StoreDamage::EngineIdLost { .. }), "{e}");
        let mut configured = c.clone();
        configured.snmp.engine_id = "8000000001".into();
        check_store(&store, &configured, FreshStart::Refuse).unwrap();
        store.set_meta(ENGINE_ID_KEY, "800000000102").unwrap();
        check_store(&store, &c, FreshStart::Refuse).unwrap();
    }
}
