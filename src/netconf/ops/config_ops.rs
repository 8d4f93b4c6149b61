//! The operations that change or guard configuration: edit-config,
//! copy-config, delete-config, lock, unlock, validate, commit,
//! discard-changes and cancel-commit (RFC 6241 7 and 8).

use super::params::{self, Source as Datastore};
use super::renderings;
use super::{Errors, OpResult, SessionState};
use crate::config::{Config, ConfigPath};
use crate::core::datastore::{self, Actor, CommitError, LockHolder, Target};
use crate::model::now_millis;
use crate::netconf::NC_NS;
use crate::netconf::datastore::data::{self, WithDefaults};
use crate::netconf::datastore::edit::{self, ErrorOption, Operation};
use crate::netconf::datastore::edit_scope::Scope;
use crate::netconf::datastore::render_cache::{Reader, Request, Source, View};
use crate::netconf::nacm;
use crate::netconf::rpc_error::{ErrorType, RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::transport::envelope;
use crate::netconf::transport::xml::Element;
use std::sync::Arc;
use std::time::Duration;

/// Who made a change, as the operation log and netconf-config-change show it.
pub fn origin(state: &SessionState) -> String {
    let s = &state.session;
    match s.peer {
        Some(p) => format!("netconf:{}:session-{}@{}", s.user, s.id, p.ip()),
        None => format!("netconf:{}:session-{}", s.user, s.id),
    }
}

fn actor(state: &SessionState) -> Actor {
    Actor::Session(state.session.id)
}

/// lock-denied naming the holder (RFC 6241 7.5: session-id 0 when the
/// holder is not a NETCONF session).
fn lock_denied(target: Target, holder: &LockHolder) -> RpcError {
    RpcError::protocol(
        Tag::LockDenied,
        format!(
            "the {target} datastore is locked by session {} ({})",
            holder.session, holder.user
        ),
    )
    .with_info("session-id", holder.session.to_string())
}

fn check_lock(server: &Server, state: &SessionState, target: Target) -> Result<(), RpcError> {
    match server.agent.datastore.check_lock(target, actor(state)) {
        Err(CommitError::Locked { target, holder }) => Err(lock_denied(target, &holder)),
        _ => Ok(()),
    }
}

/// A core commit failure as rpc-errors.
pub fn commit_errors(e: CommitError) -> Errors {
    match e {
        CommitError::Invalid(issues) => Errors(
            issues
                .into_iter()
                .map(|i| {
                    RpcError::application(Tag::InvalidValue, i.to_string())
                        .with_path(error_path(&i.key))
                })
                .collect(),
        ),
        CommitError::RestartRequired(key) => {
            RpcError::application(Tag::OperationNotSupported, e.to_string())
                .with_path(error_path(&ConfigPath::from(key)))
                .into()
        }
        CommitError::BadEdit { .. } => {
            RpcError::application(Tag::InvalidValue, e.to_string()).into()
        }
        CommitError::Locked { target, holder } => lock_denied(target, &holder).into(),
        CommitError::Store(_) => RpcError::application(Tag::OperationFailed, e.to_string()).into(),
    }
}

/// The error-path of a configuration path: the readable path operators
/// see, the dotted key with `/` (`/chains/sim/nodes/node-2`), without
/// module prefixes or list predicates: enough to find the node, and the
/// text clients and tests know. ([`ConfigPath::yang`] is the full
/// instance-identifier, with [`ConfigPath::yang_modules`] to bind.)
fn error_path(path: &ConfigPath) -> String {
    format!("/{}", path.dotted().replace('.', "/"))
}

fn default_operation(op: &Element) -> Result<Operation, RpcError> {
    match op.child(NC_NS, "default-operation") {
        None => Ok(Operation::Merge),
        Some(d) => match d.value() {
            "merge" => Ok(Operation::Merge),
            "replace" => Ok(Operation::Replace),
            "none" => Ok(Operation::None),
            v => Err(RpcError::protocol(
                Tag::InvalidValue,
                format!("'{v}' is not a default-operation"),
            )
            .bad_element("default-operation")),
        },
    }
}

#[derive(PartialEq)]
enum TestOption {
    TestThenSet,
    Set,
    TestOnly,
}

fn test_option(op: &Element) -> Result<TestOption, RpcError> {
    match op.child(NC_NS, "test-option").map(Element::value) {
        None | Some("test-then-set") => Ok(TestOption::TestThenSet),
        Some("set") => Ok(TestOption::Set),
        Some("test-only") => Ok(TestOption::TestOnly),
        Some(v) => Err(RpcError::protocol(
            Tag::InvalidValue,
            format!("'{v}' is not a test-option"),
        )
        .bad_element("test-option")),
    }
}

fn error_option(op: &Element) -> Result<ErrorOption, RpcError> {
    match op.child(NC_NS, "error-option").map(Element::value) {
        None | Some("stop-on-error") => Ok(ErrorOption::StopOnError),
        Some("continue-on-error") => Ok(ErrorOption::ContinueOnError),
        Some("rollback-on-error") => Ok(ErrorOption::RollbackOnError),
        Some(v) => Err(RpcError::protocol(
            Tag::InvalidValue,
            format!("'{v}' is not an error-option"),
        )
        .bad_element("error-option")),
    }
}

fn base_of(server: &Server, target: Target) -> Result<Config, RpcError> {
    match target {
        Target::Running => Ok((*server.running()).clone()),
        Target::Candidate => Ok(server.candidate()),
        Target::Startup => Err(RpcError::protocol(
            Tag::OperationNotSupported,
            "edit-config does not write startup; use copy-config",
        )
        .bad_element("startup")),
    }
}

/// The datastore an edit starts from, and its content as element trees in
/// the trim form the edit engine compares against: the top-level nodes of
/// `scope`, or all of them. Running's whole content comes from the cached
/// rendering that get-config also reads.
fn edit_base(
    server: &Server,
    target: Target,
    scope: Option<&Scope>,
) -> Result<(Config, Vec<Element>), RpcError> {
    let reads_running = match target {
        Target::Running => true,
        Target::Candidate => !server.candidate_dirty(),
        Target::Startup => false,
    };
    let base = match reads_running {
        true => server.running(),
        false => Arc::new(base_of(server, target)?),
    };
    if let Some(scope) = scope {
        let elements = data::scoped_elements(&server.schema, scope, &base)?;
        return Ok(((*base).clone(), elements));
    }
    let trim = || {
        data::print(
            &data::config_tree_for(&server.schema, &base, WithDefaults::Trim)?,
            WithDefaults::Trim,
        )
    };
    let elements = if reads_running {
        let request = Request {
            view: View {
                state: false,
                with_defaults: WithDefaults::Trim,
                reader: Reader::All,
            },
            // Nobody's rights: the view is unpruned.
            user: "",
            now: Source {
                config: base.clone(),
                snapshot: None,
                publication: 0,
                stamp: 0,
            },
            reads_from: 0,
        };
        let rendered = renderings::cached(server, request, None)?;
        rendered.elements()?.as_ref().clone()
    } else {
        data::elements(&trim()?)?
    };
    Ok(((*base).clone(), elements))
}

/// An edit applied to `target`'s content (or the part of it in `scope`).
struct Applied {
    base: Config,
    top: Vec<Element>,
    outcome: edit::Outcome,
}

fn apply_edit(
    server: &Server,
    target: Target,
    scope: Option<&Scope>,
    edit: &[Element],
    default: Operation,
    error_opt: ErrorOption,
) -> Result<Applied, RpcError> {
    let (base, mut top) = edit_base(server, target, scope)?;
    let outcome = edit::apply(server.schema.context(), &mut top, edit, default, error_opt);
    Ok(Applied { base, top, outcome })
}

/// What `target` holds now.
fn target_content(server: &Server, target: Target) -> Result<Config, Errors> {
    match target {
        Target::Running => Ok((*server.running()).clone()),
        Target::Candidate => Ok(server.candidate()),
        Target::Startup => server.agent.datastore.startup().map_err(commit_errors),
    }
}

/// Store `config` in `target` on behalf of the session.
fn write_target(
    server: &Server,
    state: &SessionState,
    target: Target,
    config: Config,
) -> Result<(), Errors> {
    let who = origin(state);
    match target {
        Target::Running => server
            .agent
            .datastore
            .commit_as(config, &who, actor(state))
            .map(|_| ())
            .map_err(commit_errors),
        Target::Candidate => {
            check_lock(server, state, Target::Candidate)?;
            // Checked now, so that a commit of it cannot fail on content the
            // client could have been told about at edit time.
            let checked = server
                .agent
                .datastore
                .check_for_commit(&config)
                .map_err(commit_errors)?;
            server.set_candidate(checked);
            Ok(())
        }
        Target::Startup => server
            .agent
            .datastore
            .set_startup(&config, &who, actor(state))
            .map(|_| ())
            .map_err(commit_errors),
    }
}

pub fn edit_config(
    server: &Server,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    let target = params::target(op)?;
    let default = default_operation(op)?;
    let test = test_option(op)?;
    let error_opt = error_option(op)?;
    let Some(config_el) = params::config_child(op) else {
        if op.child(NC_NS, "url").is_some() {
            return Err(RpcError::protocol(
                Tag::OperationNotSupported,
                "the :url capability is not supported",
            )
            .bad_element("url")
            .into());
        }
        return Err(
            RpcError::protocol(Tag::MissingElement, "edit-config needs <config>")
                .bad_element("config")
                .into(),
        );
    };
    check_lock(server, state, target)?;
    // Only the top-level nodes the edit names go through libyang, unless
    // default-operation replace makes the edit the whole datastore.
    let scope = match default {
        Operation::Replace => None,
        _ => Scope::of_edit(&server.schema, &config_el.children),
    };
    let edit = &config_el.children;
    let Applied { base, top, outcome } =
        apply_edit(server, target, scope.as_ref(), edit, default, error_opt)?;
    let partial = !outcome.errors.is_empty();
    if partial && (error_opt != ErrorOption::ContinueOnError || !outcome.changed) {
        return Err(Errors(outcome.errors));
    }
    if !outcome.changed && !partial {
        return Ok(envelope::ok(attrs));
    }
    let (base, mut edited) = match &scope {
        Some(scope) => match data::scoped_config_from_elements(&server.schema, scope, &top) {
            Ok(part) => {
                let edited = scope.merge(&base, part);
                (base, edited)
            }
            // Judged alone, the edited part may lack what the rest of the
            // configuration gives it: then the whole configuration
            // decides, and reports what is really wrong.
            Err(_) => {
                let whole = apply_edit(server, target, None, edit, default, error_opt)?;
                let edited = data::config_from_elements(&server.schema, &whole.top)?;
                (whole.base, edited)
            }
        },
        None => {
            let edited = data::config_from_elements(&server.schema, &top)?;
            (base, edited)
        }
    };
    // A new <password> replaces the stored hash.
    crate::config::supersede_stale_hashes(&mut edited, &base);
    nacm::check_write(server, &state.session, target, &base, &edited)?;
    if test == TestOption::TestOnly {
        server
            .agent
            .datastore
            .check(&edited)
            .map_err(commit_errors)?;
        return Ok(envelope::ok(attrs));
    }
    write_target(server, state, target, edited)?;
    if partial {
        return Err(Errors(outcome.errors));
    }
    Ok(envelope::ok(attrs))
}

pub fn copy_config(
    server: &Server,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    let target = params::target(op)?;
    let source = params::source(op)?;
    if let Datastore::Datastore(s) = &source
        && *s == target
    {
        return Err(RpcError::protocol(
            Tag::InvalidValue,
            "copy-config needs different source and target",
        )
        .bad_element("target")
        .into());
    }
    check_lock(server, state, target)?;
    let config = params::source_config(server, &source)?;
    if let Datastore::Datastore(_) = source {
        nacm::check_source_readable(server, &state.session, &config)?;
    }
    nacm::check_write(
        server,
        &state.session,
        target,
        &target_content(server, target)?,
        &config,
    )?;
    write_target(server, state, target, config)?;
    Ok(envelope::ok(attrs))
}

pub fn delete_config(
    server: &Server,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    match params::target(op)? {
        Target::Startup => {
            let startup = target_content(server, Target::Startup)?;
            nacm::check_write(
                server,
                &state.session,
                Target::Startup,
                &startup,
                &datastore::cleared_startup(),
            )?;
            server
                .agent
                .datastore
                .clear_startup(&origin(state), actor(state))
                .map_err(commit_errors)?;
            Ok(envelope::ok(attrs))
        }
        t => Err(RpcError::protocol(
            Tag::OperationNotSupported,
            format!("the {t} datastore cannot be deleted"),
        )
        .bad_element(t.as_str())
        .into()),
    }
}

pub fn lock(server: &Server, state: &mut SessionState, attrs: &str, op: &Element) -> OpResult {
    let target = params::target(op)?;
    // RFC 6241 7.5: no lock on a candidate holding uncommitted changes,
    // nor on running while a confirmed commit waits (8.4).
    if target == Target::Candidate && server.candidate_dirty() {
        return Err(
            RpcError::protocol(Tag::LockDenied, "the candidate holds uncommitted changes")
                .with_info("session-id", "0")
                .into(),
        );
    }
    let holder = LockHolder {
        session: state.session.id,
        user: state.session.user.clone(),
        since: now_millis(),
    };
    server
        .agent
        .datastore
        .lock(target, holder)
        .map_err(|h| lock_denied(target, &h))?;
    Ok(envelope::ok(attrs))
}

pub fn unlock(server: &Server, state: &mut SessionState, attrs: &str, op: &Element) -> OpResult {
    let target = params::target(op)?;
    match server.agent.datastore.unlock(target, state.session.id) {
        Ok(()) => {
            // 8.3.5.2: releasing the candidate lock discards its changes.
            if target == Target::Candidate {
                server.reset_candidate();
            }
            Ok(envelope::ok(attrs))
        }
        Err(None) => Err(RpcError::protocol(
            Tag::OperationFailed,
            format!("the {target} datastore is not locked"),
        )
        .into()),
        Err(Some(h)) => Err(lock_denied(target, &h).into()),
    }
}

pub fn validate(server: &Server, attrs: &str, op: &Element) -> OpResult {
    let source = params::source(op)?;
    let config = params::source_config(server, &source)?;
    server
        .agent
        .datastore
        .check(&config)
        .map_err(commit_errors)?;
    Ok(envelope::ok(attrs))
}

fn persist_id(op: &Element) -> Option<String> {
    op.child(NC_NS, "persist-id").map(|e| e.value().to_string())
}

/// RFC 6241 8.4.5: a commit (or cancel-commit) while a confirmed commit
/// waits must come from its session, or carry its persist token.
fn may_touch_pending(server: &Server, state: &SessionState, op: &Element) -> Result<(), RpcError> {
    let Some(p) = server.pending_confirm() else {
        return Ok(());
    };
    match (&p.persist, persist_id(op)) {
        (Some(token), Some(given)) if *token == given => Ok(()),
        (Some(_), Some(_)) => Err(RpcError::protocol(
            Tag::InvalidValue,
            "persist-id does not match the pending confirmed commit",
        )
        .bad_element("persist-id")),
        (Some(_), None) if p.session == state.session.id => Ok(()),
        (Some(_), None) => Err(RpcError::protocol(
            Tag::InUse,
            "a persistent confirmed commit is pending: give its persist-id",
        )
        .bad_element("persist-id")),
        (None, _) if p.session == state.session.id => Ok(()),
        (None, _) => Err(RpcError::protocol(
            Tag::InUse,
            format!("a confirmed commit of session {} is pending", p.session),
        )
        .with_info("session-id", p.session.to_string())),
    }
}

pub fn commit(
    server: &Arc<Server>,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    let confirmed = op.child(NC_NS, "confirmed").is_some();
    let timeout = match op.child(NC_NS, "confirm-timeout") {
        None => 600,
        Some(t) => match t.value().parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(RpcError::protocol(
                    Tag::InvalidValue,
                    "confirm-timeout is 1 to 4294967295 seconds",
                )
                .bad_element("confirm-timeout")
                .into());
            }
        },
    };
    let persist = op.child(NC_NS, "persist").map(|e| e.value().to_string());
    may_touch_pending(server, state, op)?;
    check_lock(server, state, Target::Running)?;
    let before = server.running();
    let datastore = &server.agent.datastore;
    match server.checked_candidate() {
        Some(candidate) => {
            nacm::check_write(
                server,
                &state.session,
                Target::Running,
                &before,
                candidate.config(),
            )?;
            datastore.commit_checked_as(candidate, &origin(state), actor(state))
        }
        // Nothing edited: the candidate is running, and committing it
        // changes nothing (a confirmed commit still starts its timer).
        None => datastore.commit_as((*before).clone(), &origin(state), actor(state)),
    }
    .map_err(commit_errors)?;
    server.reset_candidate();
    if confirmed {
        let generation = server.begin_confirm((*before).clone(), persist, state.session.id);
        server.arm_confirm_timer(generation, Duration::from_secs(u64::from(timeout)));
    } else {
        server.end_confirm();
    }
    Ok(envelope::ok(attrs))
}

pub fn discard_changes(server: &Server, state: &mut SessionState, attrs: &str) -> OpResult {
    check_lock(server, state, Target::Candidate)?;
    server.reset_candidate();
    Ok(envelope::ok(attrs))
}

pub fn cancel_commit(
    server: &Server,
    state: &mut SessionState,
    attrs: &str,
    op: &Element,
) -> OpResult {
    if server.pending_confirm().is_none() {
        return Err(RpcError::new(
            ErrorType::Protocol,
            Tag::OperationFailed,
            "no confirmed commit is pending",
        )
        .into());
    }
    may_touch_pending(server, state, op)?;
    server
        .rollback_confirm(None, "cancel-commit")
        .map_err(commit_errors)?;
    Ok(envelope::ok(attrs))
}
