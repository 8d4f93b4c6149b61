//! The NETCONF server (RFC 6241 over SSH, RFC 6242): sessions, operations
//! on the shared configuration datastore, monitoring and notifications.

pub mod edit;
pub mod envelope;
pub mod framing;
pub mod rpc_error;
pub mod sessions;
pub mod subtree;
pub mod xml;

/// The NETCONF base namespace.
pub const NC_NS: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";
/// RFC 5277 notifications.
pub const NOTIF_NS: &str = "urn:ietf:params:xml:ns:netconf:notification:1.0";
