//! The command responder (RFC 3413 §3.2, RFC 3416 §4.2): Get, GetNext,
//! GetBulk and Set over the MIB view, with VACM rights already resolved.
//! Pure request → response logic; the dispatcher owns sockets, security
//! and encoding. v1 requests get v1 semantics (RFC 3584 §4.1, §4.4):
//! exceptions become noSuchName, Counter64 is invisible, v2 error codes
//! are mapped down.

use super::codec::varbind_encoded_len;
use super::counters::Counters;
use super::mib::{Ctx, SetAction, SetError, Syntax};
use super::oid::Oid;
use super::pdu::{Pdu, PduKind};
use super::vacm::Rights;
use super::value::{Value, VarBind};
use super::view::{Def, Hint, MibView};
use crate::config::ConfigPath;
use crate::core::datastore::Edit;

/// RFC 3416 error-status values used outside SET's own list.
pub mod status {
    pub const NO_ERROR: i32 = 0;
    pub const TOO_BIG: i32 = 1;
    pub const NO_SUCH_NAME: i32 = 2;
    pub const BAD_VALUE: i32 = 3;
    pub const READ_ONLY: i32 = 4;
    pub const GEN_ERR: i32 = 5;
    pub const AUTHORIZATION_ERROR: i32 = 16;
}

/// Applies a validated SET: one configuration transaction, then alarm
/// acknowledgements.
pub trait SetBackend {
    fn commit(&self, edits: Vec<Edit>, who: &str) -> Result<(), CommitRefused>;
    fn acknowledge(&self, alarm: u64, acknowledged: bool, who: &str) -> Result<(), CommitRefused>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitRefused {
    /// The new configuration is invalid; `key` names the offending setting.
    Invalid { key: ConfigPath },
    /// Another manager holds the datastore (a NETCONF lock).
    Locked,
    /// Storage failed: nothing was changed.
    Failed,
}

pub struct Request<'a> {
    pub pdu: &'a Pdu,
    /// v1 semantics.
    pub v1: bool,
    pub rights: &'a Rights,
    /// Octets available for the encoded varbinds of the response.
    pub budget: usize,
    /// Who is asking, for the operation log ("snmp:v2c@127.0.0.1", never the community);
    /// built only when a SET needs it.
    pub who: &'a dyn Fn() -> String,
}

fn response(req: &Pdu, status: i32, index: i32, varbinds: Vec<VarBind>) -> Pdu {
    Pdu {
        kind: PduKind::Response,
        request_id: req.request_id,
        error_status: status,
        error_index: index,
        varbinds,
    }
}

/// The Response for a Get, GetNext, GetBulk or Set; None when the PDU is
/// not a request this responder handles.
pub fn respond(
    view: &MibView,
    ctx: &Ctx,
    req: &Request,
    counters: &Counters,
    backend: &dyn SetBackend,
) -> Option<Pdu> {
    let pdu = req.pdu;
    let n = pdu.varbinds.len() as u32;
    let out = match pdu.kind {
        PduKind::Get => {
            Counters::inc(&counters.in_get_requests);
            get(view, ctx, req)
        }
        PduKind::GetNext => {
            Counters::inc(&counters.in_get_nexts);
            get_next(view, ctx, req)
        }
        PduKind::GetBulk if !req.v1 => get_bulk(view, ctx, req),
        PduKind::Set => {
            Counters::inc(&counters.in_set_requests);
            let r = set(view, ctx, req, backend);
            if r.error_status == status::NO_ERROR {
                Counters::add(&counters.in_total_set_vars, n);
            }
            r
        }
        _ => return None,
    };
    let out = fit(out, pdu, req.budget);
    // snmpInTotalReqVars counts objects "retrieved successfully" (RFC
    // 3418): none for an error response (noSuchName, tooBig), and for a
    // GetBulk the instances returned, not the names asked for.
    if pdu.kind != PduKind::Set && out.error_status == status::NO_ERROR {
        Counters::add(&counters.in_total_req_vars, out.varbinds.len() as u32);
    }
    count_errors(&out, counters);
    Some(out)
}

/// Get and GetNext responses must fit whole: otherwise tooBig with an
/// empty varbind list (RFC 3416 §4.2.1). GetBulk was already truncated.
fn fit(out: Pdu, req: &Pdu, budget: usize) -> Pdu {
    let size: usize = out.varbinds.iter().map(varbind_encoded_len).sum();
    if size <= budget {
        out
    } else {
        response(req, status::TOO_BIG, 0, Vec::new())
    }
}

fn count_errors(out: &Pdu, c: &Counters) {
    Counters::inc(&c.out_get_responses);
    match out.error_status {
        status::TOO_BIG => Counters::inc(&c.out_too_bigs),
        status::NO_SUCH_NAME => Counters::inc(&c.out_no_such_names),
        status::BAD_VALUE => Counters::inc(&c.out_bad_values),
        status::GEN_ERR => Counters::inc(&c.out_gen_errs),
        _ => {}
    }
}

fn readable(rights: &Rights, oid: &[u32]) -> bool {
    rights.read.as_ref().is_some_and(|v| v.admits(oid))
}

fn get(view: &MibView, ctx: &Ctx, req: &Request) -> Pdu {
    let pdu = req.pdu;
    let mut out = Vec::with_capacity(pdu.varbinds.len());
    for (i, vb) in pdu.varbinds.iter().enumerate() {
        let value = if readable(req.rights, &vb.oid.0) {
            view.get(ctx, &vb.oid.0)
        } else {
            Value::NoSuchObject
        };
        if req.v1 && (value.is_exception() || matches!(value, Value::Counter64(_))) {
            return response(
                pdu,
                status::NO_SUCH_NAME,
                i as i32 + 1,
                pdu.varbinds.clone(),
            );
        }
        out.push(VarBind::new(vb.oid.clone(), value));
    }
    response(pdu, status::NO_ERROR, 0, out)
}

/// The next readable instance after `oid`; v1 never sees Counter64.
fn next_of(view: &MibView, ctx: &Ctx, req: &Request, oid: &[u32]) -> Option<VarBind> {
    next_hinted(view, ctx, req, oid, &mut None)
}

/// [`next_of`], going on from where the last search with `hint` ended.
fn next_hinted(
    view: &MibView,
    ctx: &Ctx,
    req: &Request,
    oid: &[u32],
    hint: &mut Option<Hint>,
) -> Option<VarBind> {
    let admit = |o: &[u32]| readable(req.rights, o);
    let mut vb = view.next_hinted(ctx, oid, &admit, hint)?;
    while req.v1 && matches!(vb.value, Value::Counter64(_)) {
        vb = view.next_hinted(ctx, &vb.oid.0, &admit, hint)?;
    }
    Some(vb)
}

fn get_next(view: &MibView, ctx: &Ctx, req: &Request) -> Pdu {
    let pdu = req.pdu;
    let mut out = Vec::with_capacity(pdu.varbinds.len());
    for (i, vb) in pdu.varbinds.iter().enumerate() {
        match next_of(view, ctx, req, &vb.oid.0) {
            Some(found) => out.push(found),
            None if req.v1 => {
                return response(
                    pdu,
                    status::NO_SUCH_NAME,
                    i as i32 + 1,
                    pdu.varbinds.clone(),
                );
            }
            None => out.push(VarBind::new(vb.oid.clone(), Value::EndOfMibView)),
        }
    }
    response(pdu, status::NO_ERROR, 0, out)
}

fn get_bulk(view: &MibView, ctx: &Ctx, req: &Request) -> Pdu {
    let pdu = req.pdu;
    let vbs = &pdu.varbinds;
    let non_repeaters = (pdu.error_status.max(0) as usize).min(vbs.len());
    let max_repetitions = pdu.error_index.max(0) as usize;
    let mut out = Vec::new();
    let mut used = 0usize;
    let mut push = |vb: VarBind, out: &mut Vec<VarBind>| -> bool {
        let len = varbind_encoded_len(&vb);
        if used + len > req.budget {
            return false;
        }
        used += len;
        out.push(vb);
        true
    };
    for vb in &vbs[..non_repeaters] {
        let found = next_of(view, ctx, req, &vb.oid.0)
            .unwrap_or_else(|| VarBind::new(vb.oid.clone(), Value::EndOfMibView));
        if !push(found, &mut out) {
            return response(pdu, status::NO_ERROR, 0, out);
        }
    }
    // Each repeater's cursor: the varbind it goes on from, the request's
    // at first, then the one last put in the reply (by position, so that
    // the reply's varbinds are not copied).
    // With each, where its last varbind lies in the view, so that the next
    // search starts there.
    let mut cursors: Vec<(Cursor, Option<Hint>)> = (non_repeaters..vbs.len())
        .map(|i| (Cursor::Request(i), None))
        .collect();
    if cursors.is_empty() {
        return response(pdu, status::NO_ERROR, 0, out);
    }
    'reps: for _ in 0..max_repetitions {
        let mut all_ended = true;
        for (cursor, hint) in cursors.iter_mut() {
            let found = match *cursor {
                Cursor::Reply(i) if out[i].value == Value::EndOfMibView => out[i].clone(),
                Cursor::Request(i) => next_or_end(view, ctx, req, &vbs[i].oid, hint),
                Cursor::Reply(i) => next_or_end(view, ctx, req, &out[i].oid, hint),
            };
            if found.value != Value::EndOfMibView {
                all_ended = false;
            }
            if !push(found, &mut out) {
                break 'reps;
            }
            *cursor = Cursor::Reply(out.len() - 1);
        }
        if all_ended {
            break;
        }
    }
    response(pdu, status::NO_ERROR, 0, out)
}

/// The next readable instance after `oid`, or endOfMibView at `oid`.
fn next_or_end(
    view: &MibView,
    ctx: &Ctx,
    req: &Request,
    oid: &Oid,
    hint: &mut Option<Hint>,
) -> VarBind {
    next_hinted(view, ctx, req, &oid.0, hint)
        .unwrap_or_else(|| VarBind::new(oid.clone(), Value::EndOfMibView))
}

/// Where a GetBulk repeater goes on from: a varbind of the request or of
/// the reply, by position.
#[derive(Clone, Copy)]
enum Cursor {
    Request(usize),
    Reply(usize),
}

/// RFC 3584 §4.4: the v1 code for a v2 SET error.
fn v1_status(e: SetError) -> i32 {
    match e {
        SetError::NoAccess
        | SetError::NotWritable
        | SetError::NoCreation
        | SetError::InconsistentName => status::NO_SUCH_NAME,
        SetError::WrongType
        | SetError::WrongLength
        | SetError::WrongEncoding
        | SetError::WrongValue
        | SetError::InconsistentValue => status::BAD_VALUE,
        SetError::ResourceUnavailable | SetError::CommitFailed | SetError::UndoFailed => {
            status::GEN_ERR
        }
    }
}

/// Validate one SET varbind (RFC 3416 §4.2.5 order of checks).
fn check_set(
    view: &MibView,
    ctx: &Ctx,
    rights: &Rights,
    vb: &VarBind,
) -> Result<SetAction, SetError> {
    let oid = &vb.oid.0;
    if !rights.write.as_ref().is_some_and(|v| v.admits(oid)) {
        return Err(SetError::NoAccess);
    }
    let (def, rest) = view.target(oid).ok_or(SetError::NotWritable)?;
    match def {
        Def::Scalar(s) => {
            let setter = match (s.access, s.set) {
                (access, Some(f)) if access.writable() => f,
                _ => return Err(SetError::NotWritable),
            };
            if rest != [0] {
                return Err(SetError::NoCreation);
            }
            if !s.syntax.accepts(&vb.value) {
                return Err(SetError::WrongType);
            }
            setter(ctx, &vb.value)
        }
        Def::Table(t) => {
            let Some((&col, index)) = rest.split_first() else {
                return Err(SetError::NotWritable);
            };
            let column = t
                .columns
                .iter()
                .find(|c| c.id == col)
                .ok_or(SetError::NotWritable)?;
            let setter = match (column.access, t.set) {
                (access, Some(f)) if access.writable() => f,
                _ => return Err(SetError::NotWritable),
            };
            if !column.syntax.accepts(&vb.value) {
                return Err(SetError::WrongType);
            }
            setter(ctx, index, col, &vb.value)
        }
    }
}

fn set(view: &MibView, ctx: &Ctx, req: &Request, backend: &dyn SetBackend) -> Pdu {
    let pdu = req.pdu;
    let fail = |e: SetError, i: usize| {
        let code = if req.v1 { v1_status(e) } else { e.status() };
        response(pdu, code, i as i32 + 1, pdu.varbinds.clone())
    };
    let mut edits: Vec<(usize, Edit)> = Vec::new();
    let mut acks: Vec<(usize, u64, bool)> = Vec::new();
    // Rows a RowStatus createAndGo of this PDU creates: their
    // read-create columns may be set although the rows do not exist.
    let creating: Vec<Vec<u32>> = pdu
        .varbinds
        .iter()
        .filter_map(|vb| created_row(view, vb))
        .collect();
    let ctx = &Ctx {
        creating: &creating,
        ..*ctx
    };
    let mut created = 0;
    for (i, vb) in pdu.varbinds.iter().enumerate() {
        match check_set(view, ctx, req.rights, vb) {
            Ok(SetAction::Config(e)) => edits.extend(e.into_iter().map(|e| (i, e))),
            // Before the edits that fill the new entry.
            Ok(SetAction::CreateRow(e)) => {
                edits.insert(created, (i, e));
                created += 1;
            }
            Ok(SetAction::AckAlarm { id, acknowledged }) => acks.push((i, id, acknowledged)),
            Err(e) => return fail(e, i),
        }
    }
    let committed = !edits.is_empty();
    if committed {
        let culprit = |key: &ConfigPath| {
            edits
                .iter()
                .find(|(_, e)| edit_matches(e, key))
                .map(|(i, _)| *i)
                .unwrap_or(0)
        };
        let plain: Vec<Edit> = edits.iter().map(|(_, e)| e.clone()).collect();
        match backend.commit(plain, &(req.who)()) {
            Ok(()) => {}
            Err(CommitRefused::Invalid { key }) => {
                return fail(SetError::InconsistentValue, culprit(&key));
            }
            Err(CommitRefused::Locked) => return fail(SetError::ResourceUnavailable, 0),
            Err(CommitRefused::Failed) => return fail(SetError::CommitFailed, 0),
        }
    }
    for (i, id, acknowledged) in acks {
        if backend.acknowledge(id, acknowledged, &(req.who)()).is_err() {
            // Configuration already committed cannot be taken back.
            let e = if committed {
                SetError::UndoFailed
            } else {
                SetError::CommitFailed
            };
            return fail(e, i);
        }
    }
    response(pdu, status::NO_ERROR, 0, pdu.varbinds.clone())
}

/// The row a varbind creates, as its table's entry OID followed by its
/// index: a RowStatus column set to createAndGo(4).
fn created_row(view: &MibView, vb: &VarBind) -> Option<Vec<u32>> {
    if vb.value != Value::Integer(4) {
        return None;
    }
    let (Def::Table(t), rest) = view.target(&vb.oid.0)? else {
        return None;
    };
    let (&col, index) = rest.split_first()?;
    t.columns
        .iter()
        .any(|c| c.id == col && c.syntax == Syntax::RowStatus)
        .then(|| [t.entry, index].concat())
}

/// Whether a validation issue's path (`chains.sim.nodes.node-1.admin-state`)
/// names the setting an edit changed, or one within or around it.
fn edit_matches(e: &Edit, key: &ConfigPath) -> bool {
    e.path().overlaps(key)
}
