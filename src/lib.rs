//! chain-agent: SNMP and NETCONF management of blockchain systems, after the
//! ITU-T drafts *Requirements for management of blockchain system* and
//! *Information model for management of blockchain system*.
//!
//! Data flows one way: [`collect`] → [`core`] → northbound interfaces.

// No unwrap, expect or panic on the agent's paths: input from outside ends
// in a typed error, never a crash.  An invariant that cannot fail says so
// with #[expect(..., reason = "...")].  Tests may (clippy.toml); this is
// here and not in Cargo.toml's [lints] so it does not reach tests/.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod collect;
pub mod config;
pub mod core;
pub mod model;
pub mod netconf;
pub mod snmp;
