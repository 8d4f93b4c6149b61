//! The local SNMP engine's identity: snmpEngineID, snmpEngineBoots and
//! snmpEngineTime (RFC 3411 §5). The ID is generated once and kept in the
//! store; boots is incremented and persisted before the agent answers, so
//! a restarted agent never repeats a (boots, time) pair (RFC 3414 §2.2.2).

use crate::core::store::{Store, StoreError};
use crate::core::store_damage::ENGINE_BOOTS_KEY as BOOTS_KEY;
use std::time::Instant;

/// RFC 3414 §2.2.1: once boots reaches this value the engine is stuck.
pub const MAX_BOOTS: u32 = 2_147_483_647;

#[derive(Debug, Clone)]
pub struct LocalEngine {
    pub id: Vec<u8>,
    pub boots: u32,
    pub started: Instant,
    pub max_message_size: u32,
}

impl LocalEngine {
    /// Load or create the engine ID (the configured one wins) and count
    /// this start in snmpEngineBoots.
    pub fn start(
        store: &Store,
        configured: Option<Vec<u8>>,
        max_message_size: u32,
    ) -> Result<LocalEngine, StoreError> {
        let id = match configured {
            Some(id) => id,
            None => crate::core::snmp_engine_id::local_engine_id(store, "")?,
        };
        let previous = store
            .meta(BOOTS_KEY)?
            .and_then(|b| b.parse::<u32>().ok())
            .unwrap_or(0);
        let boots = previous.saturating_add(1).min(MAX_BOOTS);
        store.set_meta(BOOTS_KEY, &boots.to_string())?;
        Ok(LocalEngine {
            id,
            boots,
            started: Instant::now(),
            max_message_size,
        })
    }

    /// snmpEngineTime: seconds since snmpEngineBoots last changed.
    pub fn time(&self) -> u32 {
        self.started.elapsed().as_secs().min(u64::from(MAX_BOOTS)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_id_carries_our_enterprise_number() {
        assert_eq!(
            super::super::mib::ROOT.last(),
            Some(&crate::core::snmp_engine_id::ENTERPRISE)
        );
    }

    #[test]
    fn id_is_stable_and_boots_count_starts() {
        let store = Store::open_in_memory().unwrap();
        let a = LocalEngine::start(&store, None, 1500).unwrap();
        let b = LocalEngine::start(&store, None, 1500).unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(&a.id[..5], &[0x80, 0x00, 0x7e, 0xd9, 0x05]);
        assert_eq!(a.id.len(), 13);
        assert_eq!((a.boots, b.boots), (1, 2));
        let c = LocalEngine::start(&store, Some(vec![1, 2, 3, 4, 5]), 1500).unwrap();
        assert_eq!(c.id, vec![1, 2, 3, 4, 5]);
        assert_eq!(c.boots, 3);
    }
}
