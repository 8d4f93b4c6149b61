//! Southbound: everything that gathers data. One [`adapter::ChainAdapter`] per
//! chain platform, the host collector, and the embedded simulated chain.

pub mod adapter;
pub mod host;
pub mod observation;
pub mod sim;

pub use adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
pub use observation::{ChainEvent, ChainObservation, NodeObservation};

/// What each platform's adapter can apply, known before any adapter runs,
/// so that the datastore can reject a configuration at validation time.
pub fn capabilities(platform: crate::model::chain::Platform) -> Capabilities {
    match platform {
        crate::model::chain::Platform::Simulated => sim::SimAdapter::capabilities_static(),
        _ => Capabilities::default(),
    }
}
