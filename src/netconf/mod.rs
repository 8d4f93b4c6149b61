//! The NETCONF server (RFC 6241 over SSH, RFC 6242): sessions, operations
//! on the shared configuration datastore, monitoring and notifications.

// An rpc-error carries what RFC 6241 Appendix A asks for (path, message,
// info); it travels only on the failure path of one request, so its size
// costs nothing worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod budget;
pub mod capabilities;
pub mod data;
pub mod edit;
pub mod edit_scope;
pub mod envelope;
pub mod framing;
pub mod insert;
pub mod live_config;
pub mod monitoring;
pub mod nacm;
pub mod notify;
pub mod ops;
pub mod render_cache;
pub mod rpc_error;
pub mod server;
pub mod service;
pub mod session;
pub mod sessions;
pub mod ssh;
pub mod subscription;
pub mod subtree;
pub mod xml;
pub mod xpath;
pub mod yang;
pub mod yang_library;

/// The NETCONF base namespace.
pub const NC_NS: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";
/// RFC 5277 notifications.
pub const NOTIF_NS: &str = "urn:ietf:params:xml:ns:netconf:notification:1.0";
