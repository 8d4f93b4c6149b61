//! The core: published snapshots, the configuration datastore with its
//! durable store, and the management functions (alarms, logs, consistency).

pub mod alarms;
pub mod consistency;
pub mod control;
pub mod datastore;
pub mod detect;
pub mod engine;
pub mod events;
pub mod log_admin;
pub mod logs;
pub mod refine;
pub mod repush;
pub mod runtime;
pub mod shelves;
pub mod store;
pub mod store_damage;
