//! The NETCONF server: YANG schema and data mapping, sessions and operations.

pub mod yang;
