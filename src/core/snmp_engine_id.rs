//! The local snmpEngineID, chosen before anything else needs it: the
//! datastore localises SNMPv3 passwords to it before they could reach the
//! store (config::localize_usm_passwords), and the SNMP engine answers
//! with it. The configured ID wins; otherwise one is generated on first
//! start and kept in the store, so it never changes.

use super::store::{Store, StoreError};

// Meta key of the generated ID, shared with the damage check.
use super::store_damage::ENGINE_ID_KEY as ID_KEY;

/// Our IANA enterprise number, the last arc of the MIB root (the SNMP
/// front end checks that they agree).
pub const ENTERPRISE: u32 = 32473;

/// The engine ID in force: `configured` (hex, as `snmp.engine-id`) when
/// set and valid, else the stored one, else a new one, stored.
pub fn local_engine_id(store: &Store, configured: &str) -> Result<Vec<u8>, StoreError> {
    if let Some(id) = (!configured.is_empty())
        .then(|| crate::config::hex_octets(configured))
        .flatten()
    {
        return Ok(id);
    }
    if let Some(id) = store.meta(ID_KEY)?.and_then(|h| hex::decode(h).ok()) {
        return Ok(id);
    }
    let id = generate_id();
    store.set_meta(ID_KEY, &hex::encode(&id))?;
    Ok(id)
}

/// RFC 3411 §5 SnmpEngineID format: bit 7 set, our enterprise number,
/// format 5 (administratively assigned octets), then 8 random octets.
fn generate_id() -> Vec<u8> {
    let mut id = (ENTERPRISE | 0x8000_0000).to_be_bytes().to_vec();
    id.push(5);
    let mut random = [0u8; 8];
    if getrandom::fill(&mut random).is_err() {
        // No entropy source: fall back to time, still unique per machine run.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        random = t.to_be_bytes();
    }
    id.extend_from_slice(&random);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_id_is_kept_and_a_configured_one_wins() {
        let store = Store::open_in_memory().unwrap();
        let a = local_engine_id(&store, "").unwrap();
        assert_eq!(local_engine_id(&store, "").unwrap(), a);
        assert_eq!(&a[..5], &[0x80, 0x00, 0x7e, 0xd9, 0x05]);
        assert_eq!(a.len(), 13);
        assert_eq!(
            local_engine_id(&store, "0102030405").unwrap(),
            vec![1, 2, 3, 4, 5]
        );
        assert_eq!(local_engine_id(&store, "").unwrap(), a);
    }
}
