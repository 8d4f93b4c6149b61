//! kill-session (RFC 6241 7.9). close-session is handled by the loop.

use super::{OpResult, SessionState};
use crate::netconf::NC_NS;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::transport::envelope;
use crate::netconf::transport::xml::Element;

pub fn kill_session(
    server: &Server,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    let Some(id) = op.child(NC_NS, "session-id") else {
        return Err(
            RpcError::protocol(Tag::MissingElement, "kill-session needs <session-id>")
                .bad_element("session-id")
                .into(),
        );
    };
    let id: u32 = id.value().parse().map_err(|_| {
        RpcError::protocol(
            Tag::InvalidValue,
            format!("'{}' is not a session id", id.value()),
        )
        .bad_element("session-id")
    })?;
    if id == state.session.id {
        return Err(RpcError::protocol(
            Tag::InvalidValue,
            "a session cannot kill itself; use close-session",
        )
        .bad_element("session-id")
        .into());
    }
    let Some(victim) = server.sessions.get(id) else {
        return Err(
            RpcError::protocol(Tag::InvalidValue, format!("no session {id}"))
                .bad_element("session-id")
                .into(),
        );
    };
    // 7.9: the victim's locks go and its unconfirmed commit rolls back now,
    // before this reply, so the caller can take the lock at once.
    server.session_ended(id);
    victim.kill();
    Ok(envelope::ok(attrs))
}
