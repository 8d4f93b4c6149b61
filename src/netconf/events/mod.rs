//! Events to the NMS: the agent's events as YANG notifications, and RFC 5277
//! subscriptions that replay and stream them.

pub mod notify;
pub mod subscription;
