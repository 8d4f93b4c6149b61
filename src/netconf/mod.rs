//! The NETCONF server (RFC 6241 over SSH, RFC 6242): sessions, operations
//! on the shared configuration datastore, monitoring and notifications.

// An rpc-error carries what RFC 6241 Appendix A asks for (path, message,
// info); it travels only on the failure path of one request, so its size
// costs nothing worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod datastore;
pub mod events;
pub mod libyang;
pub mod monitoring;
pub mod nacm;
pub mod ops;
pub mod rpc_error;
pub mod session;
pub mod shared;
pub mod ssh;
pub mod startup;
pub mod transport;
pub mod xpath;
pub mod yang;

/// The NETCONF base namespace.
pub const NC_NS: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";
/// RFC 5277 notifications.
pub const NOTIF_NS: &str = "urn:ietf:params:xml:ns:netconf:notification:1.0";
