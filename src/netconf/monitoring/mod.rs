//! What the server says about itself: ietf-netconf-monitoring's
//! `/netconf-state` and ietf-yang-library.

pub mod netconf_state;
pub mod yang_library;
