//! How adapters reach nodes: one HTTP client per node with its
//! credentials, TLS and timeout ([`http`]), JSON-RPC 1.0/2.0 on top of it
//! ([`jsonrpc`]), the certificate a TLS endpoint presents
//! ([`peer_cert`]), and the backoff that keeps a dead node from costing a
//! timeout on every collection ([`backoff`]).

pub mod backoff;
pub mod http;
pub mod jsonrpc;
pub mod peer_cert;
pub mod polled;
pub mod prometheus;

pub use backoff::Backoff;
pub use http::{HttpEndpoint, TransportError};
pub use jsonrpc::{JsonRpc, RpcError};
