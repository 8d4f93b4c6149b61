//! Bytes to messages and back: RFC 6242 framing over the SSH channel, the
//! XML element tree, the `<hello>`/`<rpc>` envelope and the budget that
//! bounds the message bytes all sessions hold. SSH itself is in `ssh`.

pub mod budget;
pub mod envelope;
pub mod framing;
pub mod xml;
