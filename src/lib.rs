//! chain-agent: SNMP and NETCONF management of blockchain systems, after the
//! ITU-T drafts *Requirements for management of blockchain system* and
//! *Information model for management of blockchain system*.
//!
//! Data flows one way: [`collect`] → [`core`] → the front ends. Imports only
//! point down the floors, bottom up:
//!
//! 1. [`model`]: the information model's plain types and pure helpers
//!    (OIDs, calendar time, platform capabilities);
//! 2. [`config`]: the typed configuration and its pure checks;
//! 3. [`collect`]: the chain adapters, built by [`collect::factory`];
//! 4. [`core`]: snapshots, the datastore and store, alarms and logs, and
//!    the operations front ends ask of them;
//! 5. the front ends [`snmp`], [`netconf`] and [`control`] (the local
//!    control socket), which never import each other;
//! 6. `main.rs`, which wires them together.
//!
//! `tests/floors.rs` fails on an import that points up or across.

// No unwrap, expect or panic on the agent's paths: input from outside ends
// in a typed error, never a crash.  An invariant that cannot fail says so
// with #[expect(..., reason = "...")].  Tests may (clippy.toml); this is
// here and not in Cargo.toml's [lints] so it does not reach tests/.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod collect;
pub mod config;
pub mod control;
pub mod core;
pub mod model;
pub mod netconf;
pub mod snmp;
