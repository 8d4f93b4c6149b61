//! Message processing (RFC 3412 §4.2, RFC 3414 §3.2, RFC 3584 §5): one
//! datagram in, at most one datagram out. Community messages are checked
//! against the configured communities and their source networks; v3
//! messages go through USM (engine discovery, timeliness, HMAC,
//! decryption, Report PDUs) and VACM. Anything malformed is counted and
//! dropped; nothing here can fail the agent.

use super::codec::{self, DecodeError};
use super::counters::Counters;
use super::engine_id::{LocalEngine, MAX_BOOTS};
use super::mib::Ctx;
use super::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPdu, ScopedPduData, UsmParams,
    V3Message, Version, flags,
};
use super::responder::{self, Request, SetBackend};
use super::seal::{Keys, seal};
use super::standard::usm_stat;
use super::users::{User, Users};
use super::usm::{self, SaltCounter};
use super::vacm::{Rights, Vacm};
use super::value::{Value, VarBind};
use super::view::MibView;
use crate::config::SecurityLevel;
use std::net::SocketAddr;

/// RFC 3414 §3.2 step 7: the timeliness window, seconds.
const TIME_WINDOW: i64 = 150;
/// Room left in a response budget for length octets that grow as the
/// varbind list does, and for DES padding.
const SLACK: usize = 24;
/// The USM security model number.
const USM: i32 = 3;

/// Why a message was not answered normally, for the caller's bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A response or report is in the output buffer.
    Reply,
    /// Dropped (and counted).
    Dropped,
    /// Dropped because it failed authentication: an authenticationFailure
    /// notification is due when enabled.
    AuthFailure,
    /// Failed authentication, and a Report says so (usmStatsWrongDigests).
    ReportedAuthFailure,
}

pub struct Dispatcher<'a> {
    pub engine: &'a LocalEngine,
    pub counters: &'a Counters,
    pub vacm: &'a Vacm,
    pub users: &'a Users,
    pub salt: &'a SaltCounter,
    pub backend: &'a dyn SetBackend,
    pub max_size: usize,
}

/// How the request authenticated, for the response and for VACM.
struct Secured<'u> {
    user: &'u User,
    level: SecurityLevel,
}

impl Dispatcher<'_> {
    pub fn handle(
        &self,
        view: &MibView,
        ctx: &Ctx,
        datagram: &[u8],
        from: SocketAddr,
        out: &mut Vec<u8>,
    ) -> Outcome {
        Counters::inc(&self.counters.in_pkts);
        out.clear();
        let decoded = match codec::decode_message(datagram) {
            Ok(d) => d,
            Err(e) => {
                self.count_decode_error(&e);
                return Outcome::Dropped;
            }
        };
        match decoded.message {
            Message::Community(m) => self.community(view, ctx, m, from, out),
            Message::V3(m) => self.v3(view, ctx, m, datagram, decoded.auth_offset, from, out),
        }
    }

    fn count_decode_error(&self, e: &DecodeError) {
        let c = self.counters;
        match e {
            DecodeError::BadVersion(_) => Counters::inc(&c.in_bad_versions),
            DecodeError::UnknownSecurityModel { .. } => Counters::inc(&c.unknown_security_models),
            DecodeError::InvalidFlags { .. } => Counters::inc(&c.invalid_msgs),
            DecodeError::Parse(_) => Counters::inc(&c.in_asn_parse_errs),
        }
    }

    /// Count a PDU an agent does not serve; true when it is a request.
    fn is_request(&self, pdu: AnyPdu, v1: bool) -> Option<Pdu> {
        let c = self.counters;
        match pdu {
            AnyPdu::TrapV1(_) => {
                Counters::inc(&c.in_traps);
                None
            }
            AnyPdu::Pdu(p) => match p.kind {
                PduKind::Get | PduKind::GetNext | PduKind::Set => Some(p),
                PduKind::GetBulk if !v1 => Some(p),
                PduKind::Response => {
                    Counters::inc(&c.in_get_responses);
                    None
                }
                PduKind::TrapV2 => {
                    Counters::inc(&c.in_traps);
                    None
                }
                _ => {
                    Counters::inc(&c.unknown_pdu_handlers);
                    None
                }
            },
        }
    }

    fn community(
        &self,
        view: &MibView,
        ctx: &Ctx,
        m: CommunityMessage,
        from: SocketAddr,
        out: &mut Vec<u8>,
    ) -> Outcome {
        let rights = match self.vacm.community(&m.community, from.ip()) {
            Ok(r) => r,
            Err(_) => {
                Counters::inc(&self.counters.in_bad_community_names);
                return Outcome::AuthFailure;
            }
        };
        let v1 = m.version == Version::V1;
        let CommunityMessage {
            version,
            community,
            pdu,
        } = m;
        let Some(pdu) = self.is_request(pdu, v1) else {
            return Outcome::Dropped;
        };
        if pdu.kind == PduKind::Set && rights.write.is_none() {
            Counters::inc(&self.counters.in_bad_community_uses);
        }
        let envelope = |pdu: Pdu| {
            Message::Community(CommunityMessage {
                version,
                community: community.clone(),
                pdu: AnyPdu::Pdu(pdu),
            })
        };
        let budget = match self.overhead(&envelope(empty_response(&pdu))) {
            Some(o) => self.max_size.saturating_sub(o + SLACK),
            None => {
                Counters::inc(&self.counters.silent_drops);
                return Outcome::Dropped;
            }
        };
        let who = || {
            // Never the community: it is the secret.
            format!("snmp:{}@{}", if v1 { "v1" } else { "v2c" }, from.ip())
        };
        let req = Request {
            pdu: &pdu,
            v1,
            rights: &rights,
            budget,
            who: &who,
        };
        let Some(resp) = responder::respond(view, ctx, &req, self.counters, self.backend) else {
            return Outcome::Dropped;
        };
        self.emit(&envelope(resp), out)
    }

    fn overhead(&self, msg: &Message) -> Option<usize> {
        let mut buf = Vec::with_capacity(128);
        codec::encode_message(msg, &mut buf).ok()?;
        Some(buf.len())
    }

    fn emit(&self, msg: &Message, out: &mut Vec<u8>) -> Outcome {
        out.clear();
        match codec::encode_message(msg, out) {
            Ok(_) if out.len() <= self.max_size => {
                Counters::inc(&self.counters.out_pkts);
                Outcome::Reply
            }
            _ => {
                Counters::inc(&self.counters.silent_drops);
                out.clear();
                Outcome::Dropped
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn v3(
        &self,
        view: &MibView,
        ctx: &Ctx,
        m: V3Message,
        datagram: &[u8],
        auth_offset: Option<usize>,
        from: SocketAddr,
        out: &mut Vec<u8>,
    ) -> Outcome {
        let c = self.counters;
        if m.security_model != USM {
            Counters::inc(&c.unknown_security_models);
            return Outcome::Dropped;
        }
        let reportable = m.flags & flags::REPORTABLE != 0;
        let level = match m.flags & (flags::AUTH | flags::PRIV) {
            0 => SecurityLevel::NoAuthNoPriv,
            flags::AUTH => SecurityLevel::AuthNoPriv,
            f if f == flags::AUTH | flags::PRIV => SecurityLevel::AuthPriv,
            _ => {
                Counters::inc(&c.invalid_msgs);
                return Outcome::Dropped;
            }
        };
        // The request-id is readable only from a plaintext scoped PDU.
        let plain_request_id = match &m.data {
            ScopedPduData::Plain(sp) => request_id(&sp.pdu),
            ScopedPduData::Encrypted(_) => 0,
        };
        let report = |counter: &std::sync::atomic::AtomicU32,
                      stat: u32,
                      secured: Option<&Secured>,
                      request_id: i32,
                      out: &mut Vec<u8>| {
            Counters::inc(counter);
            if !reportable {
                return Outcome::Dropped;
            }
            self.report(&m, stat, Counters::get(counter), secured, request_id, out)
        };
        let usm = &m.usm;
        // RFC 3414 §3.2 step 3: discovery, or a message for another engine.
        if usm.engine_id != self.engine.id {
            return report(&c.unknown_engine_ids, 4, None, plain_request_id, out);
        }
        let Some(user) = self.users.get(&usm.user_name) else {
            return report(&c.unknown_user_names, 3, None, plain_request_id, out);
        };
        if level > user.level() {
            return report(&c.unsupported_sec_levels, 1, None, plain_request_id, out);
        }
        let secured = Secured { user, level };
        if level >= SecurityLevel::AuthNoPriv {
            let Some(offset) = auth_offset else {
                Counters::inc(&c.in_asn_parse_errs);
                return Outcome::Dropped;
            };
            let wrong_digest = |out: &mut Vec<u8>| match report(
                &c.wrong_digests,
                5,
                None,
                plain_request_id,
                out,
            ) {
                Outcome::Reply => Outcome::ReportedAuthFailure,
                _ => Outcome::AuthFailure,
            };
            if usm.auth_params.len() != user.auth.mac_len() {
                return wrong_digest(out);
            }
            if !user
                .authenticator
                .as_ref()
                .is_some_and(|a| a.verify_at(datagram, offset))
            {
                return wrong_digest(out);
            }
            // Step 7: timeliness, against our own boots and time.
            let boots = self.engine.boots as i64;
            let now = self.engine.time() as i64;
            if boots == MAX_BOOTS as i64
                || i64::from(usm.engine_boots) != boots
                || (i64::from(usm.engine_time) - now).abs() > TIME_WINDOW
            {
                let auth_only = Secured {
                    user,
                    level: SecurityLevel::AuthNoPriv,
                };
                return report(&c.not_in_time_windows, 2, Some(&auth_only), 0, out);
            }
        }
        let scoped = match (&m.data, level) {
            (ScopedPduData::Plain(sp), SecurityLevel::NoAuthNoPriv | SecurityLevel::AuthNoPriv) => {
                sp.clone()
            }
            (ScopedPduData::Encrypted(ct), SecurityLevel::AuthPriv) => {
                let plain = usm::decrypt(
                    user.privacy,
                    &user.priv_key,
                    usm.engine_boots as u32,
                    usm.engine_time as u32,
                    &usm.priv_params,
                    ct,
                );
                match plain.ok().and_then(|p| codec::decode_scoped_pdu(&p).ok()) {
                    Some(sp) => sp,
                    None => {
                        return report(&c.decryption_errors, 6, None, 0, out);
                    }
                }
            }
            _ => {
                Counters::inc(&c.in_asn_parse_errs);
                return Outcome::Dropped;
            }
        };
        if !scoped.context_name.is_empty()
            || !(scoped.context_engine_id.is_empty() || scoped.context_engine_id == self.engine.id)
        {
            Counters::inc(&c.unknown_pdu_handlers);
            return Outcome::Dropped;
        }
        let Some(pdu) = self.is_request(scoped.pdu, false) else {
            return Outcome::Dropped;
        };
        let rights = match self.vacm.user(&user.name, level) {
            Some(r) => r,
            None => Rights {
                read: None,
                write: None,
            },
        };
        let no_access = rights.read.is_none() && rights.write.is_none();
        let build = |pdu: Pdu, auth_params: Vec<u8>| -> V3Message {
            V3Message {
                msg_id: m.msg_id,
                max_size: self.engine.max_message_size as i32,
                flags: m.flags & (flags::AUTH | flags::PRIV),
                security_model: USM,
                usm: UsmParams {
                    engine_id: self.engine.id.clone(),
                    engine_boots: self.engine.boots as i32,
                    engine_time: self.engine.time() as i32,
                    user_name: user.name.clone(),
                    auth_params,
                    priv_params: Vec::new(),
                },
                data: ScopedPduData::Plain(ScopedPdu {
                    context_engine_id: self.engine.id.clone(),
                    context_name: Vec::new(),
                    pdu: AnyPdu::Pdu(pdu),
                }),
            }
        };
        let mac_len = if level >= SecurityLevel::AuthNoPriv {
            user.auth.mac_len()
        } else {
            0
        };
        let limit = self
            .max_size
            .min(usize::try_from(m.max_size).unwrap_or(self.max_size));
        let priv_overhead = if level == SecurityLevel::AuthPriv {
            8 + 8 + 6
        } else {
            0
        };
        // Sized in plaintext; encryption adds at most priv_overhead.
        let mut sizing = build(empty_response(&pdu), vec![0; mac_len]);
        sizing.flags &= !flags::PRIV;
        let budget = match self.overhead(&Message::V3(sizing)) {
            Some(o) => limit.saturating_sub(o + SLACK + priv_overhead),
            None => {
                Counters::inc(&c.silent_drops);
                return Outcome::Dropped;
            }
        };
        let resp = if no_access {
            Counters::inc(&c.out_get_responses);
            Pdu {
                kind: PduKind::Response,
                request_id: pdu.request_id,
                error_status: responder::status::AUTHORIZATION_ERROR,
                error_index: 0,
                varbinds: pdu.varbinds.clone(),
            }
        } else {
            let who = || {
                format!(
                    "snmp:v3:{}@{}",
                    String::from_utf8_lossy(&user.name),
                    from.ip()
                )
            };
            let req = Request {
                pdu: &pdu,
                v1: false,
                rights: &rights,
                budget,
                who: &who,
            };
            match responder::respond(view, ctx, &req, c, self.backend) {
                Some(r) => r,
                None => return Outcome::Dropped,
            }
        };
        let msg = build(resp, vec![0; mac_len]);
        self.secure_and_emit(msg, &secured, out)
    }

    /// Encrypt and sign a v3 message for `secured` and write it to `out`.
    fn secure_and_emit(&self, msg: V3Message, secured: &Secured, out: &mut Vec<u8>) -> Outcome {
        let user = secured.user;
        let keys = Keys {
            authenticator: user.authenticator.as_ref(),
            privacy: user.privacy,
            priv_key: &user.priv_key,
        };
        if seal(msg, secured.level, &keys, self.salt.next(), out).is_err()
            || out.len() > self.max_size
        {
            Counters::inc(&self.counters.silent_drops);
            out.clear();
            return Outcome::Dropped;
        }
        Counters::inc(&self.counters.out_pkts);
        Outcome::Reply
    }

    /// A Report PDU carrying one usmStats counter (RFC 3412 §7.1 step 3).
    fn report(
        &self,
        m: &V3Message,
        stat: u32,
        value: u32,
        secured: Option<&Secured>,
        request_id: i32,
        out: &mut Vec<u8>,
    ) -> Outcome {
        let pdu = Pdu {
            kind: PduKind::Report,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(
                super::oid::Oid(usm_stat(stat)),
                Value::Counter32(value),
            )],
        };
        let user_name = secured
            .map(|s| s.user.name.clone())
            .unwrap_or_else(|| m.usm.user_name.clone());
        let msg = V3Message {
            msg_id: m.msg_id,
            max_size: self.engine.max_message_size as i32,
            flags: 0,
            security_model: USM,
            usm: UsmParams {
                engine_id: self.engine.id.clone(),
                engine_boots: self.engine.boots as i32,
                engine_time: self.engine.time() as i32,
                user_name,
                auth_params: Vec::new(),
                priv_params: Vec::new(),
            },
            data: ScopedPduData::Plain(ScopedPdu {
                context_engine_id: self.engine.id.clone(),
                context_name: Vec::new(),
                pdu: AnyPdu::Pdu(pdu),
            }),
        };
        match secured {
            Some(s) => self.secure_and_emit(msg, s, out),
            None => self.emit(&Message::V3(msg), out),
        }
    }
}

fn request_id(pdu: &AnyPdu) -> i32 {
    match pdu {
        AnyPdu::Pdu(p) => p.request_id,
        AnyPdu::TrapV1(_) => 0,
    }
}

fn empty_response(req: &Pdu) -> Pdu {
    Pdu {
        kind: PduKind::Response,
        request_id: req.request_id,
        error_status: 0,
        error_index: 0,
        varbinds: Vec::new(),
    }
}
