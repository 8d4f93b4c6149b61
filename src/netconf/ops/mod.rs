//! RPC dispatch: one function per operation, each returning the reply body
//! or the errors to report.

pub mod action;
mod alarm_actions;
mod config_ops;
mod get;
mod get_schema;
mod log_actions;
pub mod params;
pub mod renderings;
mod session_ops;

use super::monitoring::netconf_state::MONITORING_NS;
use super::rpc_error::{RpcError, Tag, reply_with_errors};
use super::session::table::{Counters, Session};
use super::shared::Server;
use super::transport::envelope::{self, Rpc};
use super::{NC_NS, NOTIF_NS};
use std::sync::Arc;

pub use params::source_config;

/// What the session loop must do after sending a reply.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum After {
    #[default]
    Continue,
    /// close-session: end the session once the reply is out.
    Close,
}

/// The state one session keeps between rpcs.
pub struct SessionState {
    pub session: Arc<Session>,
    /// Notifications of this session's subscription, once it has one.
    pub notifications: Option<tokio::sync::mpsc::Receiver<String>>,
}

/// The errors of a failed operation (more than one only with
/// continue-on-error or several validation failures).
#[derive(Debug)]
pub struct Errors(pub Vec<RpcError>);

impl From<RpcError> for Errors {
    fn from(e: RpcError) -> Errors {
        Errors(vec![e])
    }
}

pub type OpResult = Result<String, Errors>;

/// Handle one rpc; returns the serialised reply.
pub fn handle(server: &Arc<Server>, state: &mut SessionState, rpc: &Rpc) -> (String, After) {
    let stats = &server.sessions.statistics.rpcs;
    Counters::bump(&stats.in_rpcs);
    Counters::bump(&state.session.counters.in_rpcs);
    let mut after = After::Continue;
    let result = dispatch(server, state, rpc, &mut after);
    if !reads_only(rpc) {
        // What the rpc published (a commit's shelving, an action's alarm
        // change) is in this session's next read, even before the
        // renderings of it are rebuilt.
        state.session.read_from(*server.agent.publications.borrow());
    }
    let reply = match result {
        Ok(body) => body,
        Err(Errors(errors)) => {
            count_error(
                server,
                &state.session,
                errors.iter().any(|e| is_bad_rpc(e.tag)),
            );
            reply_with_errors(&rpc.attrs, &errors)
        }
    };
    (reply, after)
}

/// Operations that change nothing a later read could show.
fn reads_only(rpc: &Rpc) -> bool {
    let op = &rpc.op;
    (op.ns == NC_NS && matches!(op.name.as_str(), "get" | "get-config"))
        || (op.ns == MONITORING_NS && op.name == "get-schema")
}

/// Count an error reply, server-wide and for the session; `bad_rpc` when
/// the rpc itself was wrong (RFC 6022 in-bad-rpcs).
pub fn count_error(server: &Server, session: &Session, bad_rpc: bool) {
    let stats = &server.sessions.statistics.rpcs;
    Counters::bump(&stats.out_rpc_errors);
    Counters::bump(&session.counters.out_rpc_errors);
    if bad_rpc {
        Counters::bump(&stats.in_bad_rpcs);
        Counters::bump(&session.counters.in_bad_rpcs);
    }
}

/// Errors that mean the rpc itself was wrong (RFC 6022 in-bad-rpcs).
fn is_bad_rpc(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::MalformedMessage
            | Tag::MissingAttribute
            | Tag::BadAttribute
            | Tag::UnknownAttribute
            | Tag::MissingElement
            | Tag::BadElement
            | Tag::UnknownElement
            | Tag::UnknownNamespace
    )
}

fn dispatch(
    server: &Arc<Server>,
    state: &mut SessionState,
    rpc: &Rpc,
    after: &mut After,
) -> OpResult {
    let op = &rpc.op;
    let a = &rpc.attrs;
    super::nacm::check_rpc(server, &state.session, &op.ns, &op.name)?;
    if op.ns == NC_NS {
        let session = &state.session;
        return match op.name.as_str() {
            "get" => get::get(server, session, a, op),
            "get-config" => get::get_config(server, session, a, op),
            "edit-config" => config_ops::edit_config(server, state, a, op),
            "copy-config" => config_ops::copy_config(server, state, a, op),
            "delete-config" => config_ops::delete_config(server, state, a, op),
            "lock" => config_ops::lock(server, state, a, op),
            "unlock" => config_ops::unlock(server, state, a, op),
            "validate" => config_ops::validate(server, a, op),
            "commit" => config_ops::commit(server, state, a, op),
            "discard-changes" => config_ops::discard_changes(server, state, a),
            "cancel-commit" => config_ops::cancel_commit(server, state, a, op),
            "close-session" => {
                *after = After::Close;
                Ok(envelope::ok(a))
            }
            "kill-session" => session_ops::kill_session(server, state, a, op),
            other => Err(unknown_op(other).into()),
        };
    }
    if op.ns == MONITORING_NS && op.name == "get-schema" {
        return get_schema::get_schema(server, a, op);
    }
    if op.ns == action::YANG_NS && op.name == "action" {
        return action::action(server, state, a, op);
    }
    if op.ns == NOTIF_NS && op.name == "create-subscription" {
        return super::events::subscription::create_subscription(server, state, a, op);
    }
    Err(RpcError::rpc(
        Tag::OperationNotSupported,
        format!(
            "operation '{}' in namespace '{}' is not supported",
            op.name, op.ns
        ),
    )
    .bad_element(&op.name)
    .into())
}

fn unknown_op(name: &str) -> RpcError {
    RpcError::protocol(
        Tag::OperationNotSupported,
        format!("unknown operation '{name}'"),
    )
    .bad_element(name)
}
