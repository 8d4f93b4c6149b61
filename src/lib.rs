//! chain-agent: SNMP and NETCONF management of blockchain systems, after the
//! ITU-T drafts *Requirements for management of blockchain system* and
//! *Information model for management of blockchain system*.
//!
//! Data flows one way: [`collect`] → [`core`] → northbound interfaces.

pub mod collect;
pub mod config;
pub mod core;
pub mod model;
pub mod netconf;
pub mod snmp;
