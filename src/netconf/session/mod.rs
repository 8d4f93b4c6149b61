//! NETCONF sessions: the hello and its capabilities, the rpc loop of one
//! session, the table of all sessions and their counters, and the run-time
//! `[netconf]` settings applied to them after each commit.

pub mod capabilities;
pub mod live_config;
pub mod rpc_loop;
pub mod table;
