//! Southbound: everything that gathers data. One [`adapter::ChainAdapter`] per
//! chain platform, the host collector, and the embedded simulated chain.

pub mod adapter;
pub mod bitcoin;
pub mod certs;
pub mod cometbft;
pub mod enrich;
pub mod ethereum;
pub mod fabric;
pub mod factory;
pub mod hermes;
pub mod host;
pub mod local;
pub mod members;
pub mod metrics;
pub mod observation;
pub mod process;
pub mod remote;
pub mod sim;
pub mod transport;

pub use crate::model::platform::capabilities;
pub use adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
pub use observation::{ChainEvent, ChainObservation, NodeObservation};
