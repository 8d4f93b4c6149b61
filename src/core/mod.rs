//! The core: published snapshots, the configuration datastore with its
//! durable store, and the management functions (alarms, logs, consistency).

pub mod alarm_actions;
pub mod alarms;
pub mod apply_status;
pub mod backup;
pub mod boot_config;
pub mod chain_supervisor;
pub mod checkpoint;
pub mod consistency;
pub mod data_dir;
pub mod datastore;
pub mod detect;
pub mod detect_certs;
pub mod detect_contracts;
pub mod detect_disk;
pub mod detect_health;
pub mod detect_peers;
pub mod detect_relayer;
pub mod detect_stall;
pub mod engine;
pub mod events;
pub mod hysteresis;
pub mod log_admin;
pub mod logs;
pub mod refine;
pub mod repush;
pub mod runtime;
pub mod shelves;
pub mod snmp_engine_id;
pub mod store;
pub mod store_damage;
