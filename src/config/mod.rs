//! The agent's configuration: one typed document. The file seeds it; the
//! datastore owns it at run time, and SNMP SET and NETCONF edit it.

mod alarms;
pub mod authorized_key;
mod defaults;
mod diff;
mod nacm;
pub mod nacm_path;
pub mod password_hash;
mod passwords;
mod path;
pub mod reconcile;
mod schema;
mod secrets;
mod snmp;
mod source;
pub mod usm_key;
mod usm_keys;
mod validate;
mod validate_alarms;
mod validate_chain;
mod validate_nacm;
mod validate_netconf;
mod validate_snmp;

pub use diff::ConfigDiff;
pub use passwords::{hash_plain_passwords, reuse_verified_hashes, supersede_stale_hashes};
pub use path::{ConfigPath, MAPS, MODULES, MapShape, PathError, RENAMED, Segment, YangStep};
pub use schema::*;
pub use secrets::{is_secret_key, masked_key, remove_secrets, scrub_issue, secret_values};
pub use source::{ConfigIssue, load_file, parse_text};
pub use usm_keys::{MasterKeys, UsmMasterKeys, localize_usm_passwords};
pub use validate::{normalise, parse_cidr, restart_only_change, validate};
pub use validate_alarms::known_alarm_type_ids;
pub use validate_snmp::hex_octets;
