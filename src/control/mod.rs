//! The local control socket, a front end like SNMP and NETCONF: a Unix
//! socket in the data directory, mode 0600, speaking one JSON request per
//! line. `chain-agent ctl` uses it for configuration edits, fault
//! injection, alarm acknowledgement and log management; only the agent's
//! own user can reach it. It uses the core, never another front end.

mod client;
mod handler;
mod request;
mod socket;

pub use client::call;
pub use request::{Filter, MalformedRequest, Request, parse_request};
pub use socket::{ControlError, ControlHandle, ControlListener, bind, serve};
