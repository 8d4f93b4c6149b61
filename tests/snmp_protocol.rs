//! End to end: RFC 3416 edge cases against the real binary. net-snmp's
//! tools where they can express the request; elsewhere requests built with
//! our codec and sent over a UDP socket, so that sizes, request-ids,
//! error-status and error-index can be checked octet for octet.

mod common;

use chain_agent::snmp::codec::{decode_message, encode_message};
use chain_agent::snmp::oid::Oid;
use chain_agent::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPdu, ScopedPduData, UsmParams,
    V3Message, Version, flags,
};
use chain_agent::snmp::value::{Value, VarBind};
use common::AgentProcess;
use common::snmp::{ROOT, base, ok, snmp_port, text, tool};
use serde_json::json;
use std::cell::Cell;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

const ENGINE_ID: &str = "80007ed905aabbccddeeff0012";

const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_LOCATION: &str = "1.3.6.1.2.1.1.6.0";
/// usmStatsDecryptionErrors.0: the last object the agent serves.
const LAST_OBJECT: &str = "1.3.6.1.6.3.15.1.1.6.0";
const BLOCK_TABLE: &str = "1.3.6.1.4.1.32473.1.6.2";
const BLOCK_HASH: &str = "1.3.6.1.4.1.32473.1.6.2.1.2";
const THRESH_CPU: &str = "1.3.6.1.4.1.32473.1.3.1.1.0";
const THRESH_STALL: &str = "1.3.6.1.4.1.32473.1.3.1.4.0";
/// bcmLogTypeRetention, without the family index.
const LOG_RETENTION: &str = "1.3.6.1.4.1.32473.1.5.1.1.3";

/// RFC 3416 error-status values.
const NO_ERROR: i32 = 0;
const TOO_BIG: i32 = 1;
const NO_SUCH_NAME: i32 = 2;
const BAD_VALUE: i32 = 3;
const INCONSISTENT_VALUE: i32 = 12;

/// The agent keeps a few octets of a GetBulk budget for length octets that
/// grow with the list; a response is "full" when one more varbind would
/// come within this many octets of the limit.
const FULL_MARGIN: usize = 32;

fn config(max_message_size: Option<u32>) -> String {
    let max = max_message_size
        .map(|m| format!("max-message-size = {m}\n"))
        .unwrap_or_default();
    format!(
        r#"[snmp]
listen = ["127.0.0.1:0"]
engine-id = "{ENGINE_ID}"
{max}
[snmp.communities.public]
access = "read-only"
sources = ["127.0.0.0/8"]

[snmp.communities.private]
access = "read-write"
sources = ["127.0.0.0/8"]

[snmp.views]
all = [{{ subtree = "1" }}]

[snmp.groups.open]
security-level = "no-auth-no-priv"
read-view = "all"

[snmp.users.noauth]
group = "open"
"#
    )
}

fn start(dir: &std::path::Path, max_message_size: Option<u32>) -> (AgentProcess, Client) {
    let agent = AgentProcess::start(dir, &config(max_message_size));
    let client = Client::new(snmp_port(&agent));
    client.wait_for_blocks();
    (agent, client)
}

fn oid(s: &str) -> Oid {
    Oid::parse(s).unwrap_or_else(|| panic!("bad OID {s}"))
}

fn nulls(oids: &[&str]) -> Vec<VarBind> {
    oids.iter().map(|o| VarBind::null(oid(o))).collect()
}

/// An RFC 2578 §7.7 string index: length, then one arc per octet.
fn text_index(s: &str) -> String {
    let mut parts = vec![s.len().to_string()];
    parts.extend(s.bytes().map(|b| b.to_string()));
    parts.join(".")
}

fn pdu(kind: PduKind, status: i32, index: i32, varbinds: Vec<VarBind>) -> Pdu {
    Pdu {
        kind,
        request_id: 0,
        error_status: status,
        error_index: index,
        varbinds,
    }
}

fn get(varbinds: Vec<VarBind>) -> Pdu {
    pdu(PduKind::Get, 0, 0, varbinds)
}

fn get_next(varbinds: Vec<VarBind>) -> Pdu {
    pdu(PduKind::GetNext, 0, 0, varbinds)
}

fn bulk(non_repeaters: i32, max_repetitions: i32, varbinds: Vec<VarBind>) -> Pdu {
    pdu(PduKind::GetBulk, non_repeaters, max_repetitions, varbinds)
}

fn set(varbinds: Vec<VarBind>) -> Pdu {
    pdu(PduKind::Set, 0, 0, varbinds)
}

fn encode(msg: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    encode_message(msg, &mut out).expect("encode");
    out
}

/// The PDU of a v1, v2c or plaintext v3 message.
fn pdu_of(msg: &Message) -> &Pdu {
    let any = match msg {
        Message::Community(m) => &m.pdu,
        Message::V3(V3Message {
            data: ScopedPduData::Plain(sp),
            ..
        }) => &sp.pdu,
        other => panic!("not a plaintext message: {other:?}"),
    };
    match any {
        AnyPdu::Pdu(p) => p,
        AnyPdu::TrapV1(t) => panic!("a Trap-PDU: {t:?}"),
    }
}

/// The encoded size of `reply` with `extra` appended to its varbinds.
fn size_with(reply: &[u8], extra: &VarBind) -> usize {
    let mut msg = decode_message(reply).expect("decode").message;
    let any = match &mut msg {
        Message::Community(m) => &mut m.pdu,
        Message::V3(V3Message {
            data: ScopedPduData::Plain(sp),
            ..
        }) => &mut sp.pdu,
        other => panic!("not a plaintext message: {other:?}"),
    };
    if let AnyPdu::Pdu(p) = any {
        p.varbinds.push(extra.clone());
    }
    encode(&msg).len()
}

/// A manager speaking our codec over UDP.
struct Client {
    sock: UdpSocket,
    agent: SocketAddr,
    next_id: Cell<i32>,
}

/// A reply: its size on the wire and its PDU.
struct Reply {
    raw: Vec<u8>,
    pdu: Pdu,
}

impl Client {
    fn new(port: u16) -> Client {
        let sock = UdpSocket::bind("127.0.0.1:0").expect("bind");
        sock.set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        Client {
            sock,
            agent: SocketAddr::from(([127, 0, 0, 1], port)),
            next_id: Cell::new(1000),
        }
    }

    /// Send `msg`, return the reply whose PDU carries `request_id`.
    fn exchange(&self, msg: &Message, request_id: i32) -> Reply {
        self.sock
            .send_to(&encode(msg), self.agent)
            .expect("send request");
        let mut buf = vec![0u8; 65_536];
        loop {
            let (n, _) = self
                .sock
                .recv_from(&mut buf)
                .unwrap_or_else(|e| panic!("no reply to {msg:?}: {e}"));
            let raw = buf[..n].to_vec();
            let decoded = decode_message(&raw).expect("a well-formed reply").message;
            let pdu = pdu_of(&decoded).clone();
            if pdu.request_id == request_id {
                assert_eq!(pdu.kind, PduKind::Response, "{pdu:?}");
                return Reply { raw, pdu };
            }
        }
    }

    fn fresh_id(&self) -> i32 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// A v1 or v2c request with `pdu`'s fields and the given request-id.
    fn community_with_id(
        &self,
        version: Version,
        community: &str,
        mut pdu: Pdu,
        request_id: i32,
    ) -> Reply {
        pdu.request_id = request_id;
        let msg = Message::Community(CommunityMessage {
            version,
            community: community.as_bytes().to_vec(),
            pdu: AnyPdu::Pdu(pdu),
        });
        self.exchange(&msg, request_id)
    }

    fn v2c(&self, community: &str, pdu: Pdu) -> Reply {
        self.community_with_id(Version::V2c, community, pdu, self.fresh_id())
    }

    fn v1(&self, community: &str, pdu: Pdu) -> Reply {
        self.community_with_id(Version::V1, community, pdu, self.fresh_id())
    }

    /// A v3 noAuthNoPriv request from user "noauth" with `max_size` as
    /// msgMaxSize.
    fn v3(&self, max_size: i32, mut pdu: Pdu) -> Reply {
        let engine = hex::decode(ENGINE_ID).unwrap();
        pdu.request_id = self.fresh_id();
        let request_id = pdu.request_id;
        let msg = Message::V3(V3Message {
            msg_id: request_id,
            max_size,
            flags: flags::REPORTABLE,
            security_model: 3,
            usm: UsmParams {
                engine_id: engine.clone(),
                user_name: b"noauth".to_vec(),
                ..UsmParams::default()
            },
            data: ScopedPduData::Plain(ScopedPdu {
                context_engine_id: engine,
                context_name: Vec::new(),
                pdu: AnyPdu::Pdu(pdu),
            }),
        });
        self.exchange(&msg, request_id)
    }

    /// The instance after `from`, for a v2c manager.
    fn next_after(&self, from: &Oid) -> VarBind {
        let r = self.v2c("public", get_next(vec![VarBind::null(from.clone())]));
        assert_eq!(r.pdu.error_status, NO_ERROR);
        r.pdu.varbinds.into_iter().next().expect("one varbind")
    }

    /// The agent answers before its first collection is published; wait
    /// until the block table has rows.
    fn wait_for_blocks(&self) {
        let hash = oid(BLOCK_HASH);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.next_after(&hash).oid.starts_with(hash.arcs()) {
            assert!(Instant::now() < deadline, "the block table stays empty");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn counter(&self, oids: &[&str]) -> Vec<u32> {
        let r = self.v2c("public", get(nulls(oids)));
        assert_eq!(r.pdu.error_status, NO_ERROR);
        r.pdu
            .varbinds
            .iter()
            .map(|vb| match vb.value {
                Value::Counter32(n) => n,
                ref v => panic!("{}: not a Counter32: {v:?}", vb.oid),
            })
            .collect()
    }
}

/// A GetBulk response within `limit` octets that holds as many varbinds
/// as fit: the next instance would not have.
fn assert_full_bulk(client: &Client, r: &Reply, limit: usize, what: &str) {
    assert!(
        r.raw.len() <= limit,
        "{what}: {} octets, limit {limit}",
        r.raw.len()
    );
    assert_eq!(
        (r.pdu.error_status, r.pdu.error_index),
        (NO_ERROR, 0),
        "{what}"
    );
    // An endOfMibView repeats the name before it (RFC 3416 §4.2.3).
    let oids: Vec<&Oid> = r
        .pdu
        .varbinds
        .iter()
        .filter(|vb| vb.value != Value::EndOfMibView)
        .map(|vb| &vb.oid)
        .collect();
    assert!(
        oids.windows(2).all(|w| w[0] < w[1]),
        "{what}: not increasing: {:?}",
        oids.iter().map(|o| o.to_string()).collect::<Vec<_>>()
    );
    let last = r.pdu.varbinds.last().expect("at least one varbind");
    if last.value == Value::EndOfMibView {
        return;
    }
    let next = client.next_after(&last.oid);
    let grown = size_with(&r.raw, &next);
    assert!(
        grown > limit - FULL_MARGIN,
        "{what}: {} octets and room for {} (one more varbind makes {grown}, limit {limit})",
        r.raw.len(),
        next.oid
    );
}

#[test]
fn getbulk_is_cut_to_the_smaller_of_both_message_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, c) = start(dir.path(), Some(1500));
    let table = oid(BLOCK_TABLE);

    // v2c: the agent's max-message-size.
    let r = c.v2c("public", bulk(0, 5000, vec![VarBind::null(table.clone())]));
    assert_full_bulk(&c, &r, 1500, "v2c max-repetitions 5000");
    assert!(r.pdu.varbinds.len() >= 10, "{:?}", r.pdu.varbinds);
    assert!(
        r.pdu
            .varbinds
            .iter()
            .all(|vb| vb.oid.starts_with(table.arcs())),
        "the block table has more rows than fit"
    );

    // v3: the manager's msgMaxSize when smaller, else the agent's.
    for max_size in [484, 1000, 65_507] {
        let r = c.v3(max_size, bulk(0, 5000, vec![VarBind::null(table.clone())]));
        let limit = (max_size as usize).min(1500);
        assert_full_bulk(&c, &r, limit, &format!("v3 msgMaxSize {max_size}"));
        assert!(!r.pdu.varbinds.is_empty());
    }

    // net-snmp agrees.
    let out = ok(
        "snmpbulkget",
        &[
            base("2c", &["-c", "public", "-Cr5000"]).as_slice(),
            &[&format!("127.0.0.1:{}", c.agent.port()), BLOCK_TABLE],
        ]
        .concat(),
    );
    assert!(out.lines().count() >= 10, "{out}");
}

#[test]
fn too_big_gets_an_empty_varbind_list_and_bulk_still_fits() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, c) = start(dir.path(), Some(484));
    // Block hashes (66 characters each), found by GetNext.
    let mut hashes = Vec::new();
    let mut at = oid(BLOCK_HASH);
    while hashes.len() < 8 {
        let vb = c.next_after(&at);
        assert!(vb.oid.starts_with(oid(BLOCK_HASH).arcs()), "{vb:?}");
        at = vb.oid.clone();
        hashes.push(vb.oid.to_string());
    }
    let mut oids = vec![SYS_DESCR; 10];
    oids.extend(hashes.iter().map(String::as_str));
    let request = get(nulls(&oids));
    // The request itself fits the agent's limit; its response cannot.
    let probe = Message::Community(CommunityMessage {
        version: Version::V2c,
        community: b"public".to_vec(),
        pdu: AnyPdu::Pdu(request.clone()),
    });
    assert!(encode(&probe).len() <= 484);
    const OUT_TOO_BIGS: &str = "1.3.6.1.2.1.11.20.0";
    let before = c.counter(&[OUT_TOO_BIGS])[0];
    for request_id in [7, -7] {
        let r = c.community_with_id(Version::V2c, "public", request.clone(), request_id);
        assert_eq!(r.pdu.request_id, request_id);
        assert_eq!(
            (r.pdu.error_status, r.pdu.error_index),
            (TOO_BIG, 0),
            "{:?}",
            r.pdu
        );
        assert!(r.pdu.varbinds.is_empty(), "{:?}", r.pdu.varbinds);
        assert!(r.raw.len() <= 484);
    }
    assert_eq!(c.counter(&[OUT_TOO_BIGS])[0], before + 2, "snmpOutTooBigs");
    // One object fits.
    let r = c.v2c("public", get(nulls(&[SYS_DESCR])));
    assert_eq!(r.pdu.error_status, NO_ERROR);
    // GetBulk is cut, never tooBig.
    let r = c.v2c("public", bulk(0, 5000, nulls(&[BLOCK_TABLE])));
    assert_full_bulk(&c, &r, 484, "v2c GetBulk at 484");
    assert!(!r.pdu.varbinds.is_empty());
    // net-snmp reports it too.
    let o = tool(
        "snmpget",
        &[
            base(
                "2c",
                &["-c", "public", &format!("127.0.0.1:{}", c.agent.port())],
            )
            .as_slice(),
            &oids,
        ]
        .concat(),
    );
    assert!(text(&o).contains("tooBig"), "{}", text(&o));
}

fn names(r: &Reply) -> Vec<&Oid> {
    r.pdu.varbinds.iter().map(|vb| &vb.oid).collect()
}

#[test]
fn getnext_and_getbulk_at_the_edges() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, c) = start(dir.path(), None);
    let t = format!("127.0.0.1:{}", c.agent.port());

    // The default size: a GetBulk walking the rest of the tree fits 65507.
    let r = c.v2c("public", bulk(0, 5000, nulls(&[BLOCK_TABLE])));
    assert_full_bulk(&c, &r, 65_507, "v2c GetBulk at 65507");
    assert!(r.pdu.varbinds.len() > 210, "{}", r.pdu.varbinds.len());

    // Past the last object: endOfMibView in v2c, for every such varbind.
    let last = oid(LAST_OBJECT);
    let before_last = Oid(last.arcs()[..last.len() - 1].to_vec());
    assert_eq!(c.next_after(&before_last).oid, last, "the last object");
    let r = c.v2c("public", get_next(nulls(&[LAST_OBJECT, "2.0", SYS_DESCR])));
    assert_eq!(r.pdu.error_status, NO_ERROR);
    let values: Vec<(String, &Value)> = r
        .pdu
        .varbinds
        .iter()
        .map(|vb| (vb.oid.to_string(), &vb.value))
        .collect();
    assert_eq!(values[0], (LAST_OBJECT.to_string(), &Value::EndOfMibView));
    assert_eq!(values[1], ("2.0".to_string(), &Value::EndOfMibView));
    assert_eq!(
        values[2].0, "1.3.6.1.2.1.1.2.0",
        "sysObjectID.0 follows sysDescr.0"
    );
    // GetBulk: the non-repeater and the repeater both end; the agent stops
    // after the first repetition that is all endOfMibView.
    let r = c.v2c("public", bulk(1, 3, nulls(&[LAST_OBJECT, "2.0"])));
    assert_eq!(r.pdu.error_status, NO_ERROR);
    assert_eq!(r.pdu.varbinds.len(), 2, "{:?}", r.pdu.varbinds);
    assert!(
        r.pdu
            .varbinds
            .iter()
            .all(|vb| vb.value == Value::EndOfMibView)
    );
    // v1: noSuchName at the varbind that ran off the end.
    let request = get_next(nulls(&[SYS_DESCR, LAST_OBJECT]));
    let r = c.v1("public", request.clone());
    assert_eq!(
        (r.pdu.error_status, r.pdu.error_index),
        (NO_SUCH_NAME, 2),
        "{:?}",
        r.pdu
    );
    assert_eq!(r.pdu.varbinds, request.varbinds, "v1 echoes the varbinds");
    let out = ok(
        "snmpgetnext",
        &[base("2c", &["-c", "public", &t]).as_slice(), &[LAST_OBJECT]].concat(),
    );
    assert!(
        out.contains("No more variables left in this MIB View"),
        "{out}"
    );
    let o = tool(
        "snmpgetnext",
        &[base("1", &["-c", "public", &t]).as_slice(), &[LAST_OBJECT]].concat(),
    );
    assert!(text(&o).contains("noSuchName"), "{}", text(&o));

    // GetBulk's fields are clamped (RFC 3416 §4.2.3): N = min(max(nr, 0),
    // varbinds), M = max(mr, 0).
    let a = oid("1.3.6.1.2.1.1");
    let b = oid("1.3.6.1.2.1.1.3");
    let a1 = c.next_after(&a).oid;
    let a2 = c.next_after(&a1).oid;
    let b1 = c.next_after(&b).oid;
    let b2 = c.next_after(&b1).oid;
    let ab = || vec![VarBind::null(a.clone()), VarBind::null(b.clone())];
    // More non-repeaters than varbinds: every varbind once.
    let r = c.v2c("public", bulk(5, 10, ab()));
    assert_eq!(names(&r), [&a1, &b1]);
    // Negative non-repeaters: none; two repetitions, interleaved.
    let r = c.v2c("public", bulk(-3, 2, ab()));
    assert_eq!(names(&r), [&a1, &b1, &a2, &b2]);
    // max-repetitions 0: only the non-repeaters are answered.
    let r = c.v2c("public", bulk(1, 0, ab()));
    assert_eq!(names(&r), [&a1]);
    // Negative max-repetitions counts as 0.
    let r = c.v2c("public", bulk(1, -5, ab()));
    assert_eq!(names(&r), [&a1]);
    let r = c.v2c("public", bulk(0, -5, ab()));
    assert_eq!(r.pdu.error_status, NO_ERROR);
    assert!(r.pdu.varbinds.is_empty());
}

#[test]
fn request_ids_error_index_and_request_counters() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, c) = start(dir.path(), None);
    let missing = "1.3.6.1.2.1.1.99.0";
    let request = get(nulls(&[SYS_DESCR, SYS_NAME, missing, SYS_LOCATION]));
    for request_id in [0, 1, -1, 0x1234_5678, i32::MAX, i32::MIN] {
        let r = c.community_with_id(Version::V1, "public", request.clone(), request_id);
        assert_eq!(r.pdu.request_id, request_id);
        assert_eq!(
            (r.pdu.error_status, r.pdu.error_index),
            (NO_SUCH_NAME, 3),
            "v1 request-id {request_id}: {:?}",
            r.pdu
        );
        assert_eq!(r.pdu.varbinds, request.varbinds, "v1 echoes the request");
        let r = c.community_with_id(Version::V2c, "public", request.clone(), request_id);
        assert_eq!(r.pdu.request_id, request_id);
        assert_eq!((r.pdu.error_status, r.pdu.error_index), (NO_ERROR, 0));
        assert_eq!(r.pdu.varbinds[2].value, Value::NoSuchObject);
        assert!(matches!(r.pdu.varbinds[3].value, Value::OctetString(_)));
    }

    // snmpInGetRequests counts Get PDUs; snmpInGetNexts GetNext PDUs;
    // snmpInTotalReqVars the objects retrieved successfully (RFC 3418),
    // counted once the response is made: a reading does not include the
    // objects of its own request.
    const IN_TOTAL_REQ_VARS: &str = "1.3.6.1.2.1.11.13.0";
    const IN_GET_REQUESTS: &str = "1.3.6.1.2.1.11.15.0";
    const IN_GET_NEXTS: &str = "1.3.6.1.2.1.11.16.0";
    let read = [IN_TOTAL_REQ_VARS, IN_GET_REQUESTS, IN_GET_NEXTS];
    let before = c.counter(&read);
    // Failed: noSuchName retrieves nothing.
    let r = c.v1("public", request.clone());
    assert_eq!(r.pdu.error_status, NO_SUCH_NAME);
    // 4 objects (an exception is a successful answer in v2c).
    let r = c.v2c("public", request.clone());
    assert_eq!(r.pdu.error_status, NO_ERROR);
    // 3 objects.
    c.v2c(
        "public",
        get_next(nulls(&[SYS_DESCR, SYS_NAME, SYS_LOCATION])),
    );
    // 6 objects from a GetBulk of one varbind.
    let r = c.v2c("public", bulk(0, 6, nulls(&["1.3.6.1.2.1.1"])));
    assert_eq!(r.pdu.varbinds.len(), 6);
    let after = c.counter(&read);
    let delta: Vec<u32> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
    // The first reading's own 3 objects, then 4 + 3 + 6.
    assert_eq!(delta[0], 3 + 4 + 3 + 6, "snmpInTotalReqVars");
    // The v1 and v2c Gets and the second reading.
    assert_eq!(delta[1], 3, "snmpInGetRequests");
    assert_eq!(delta[2], 1, "snmpInGetNexts");
}

#[test]
fn set_is_inconsistent_value_when_the_configuration_would_be_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, c) = start(dir.path(), None);
    let text_of = |o: &str| {
        let r = c.v2c("public", get(nulls(&[o])));
        match &r.pdu.varbinds[0].value {
            Value::OctetString(s) => String::from_utf8_lossy(s).into_owned(),
            v => panic!("{o}: {v:?}"),
        }
    };
    let contact = text_of(SYS_CONTACT);
    let location = text_of(SYS_LOCATION);
    let s = |v: &str| Value::string(v);
    // Each value passes its object's checks (a percentage up to 10000 is
    // not wrongValue) but the configuration's validation rejects a
    // threshold of 0 and a retention above 100000000.
    let retention = format!("{LOG_RETENTION}.1");
    let cases: Vec<(Vec<VarBind>, i32)> = vec![
        (
            vec![
                VarBind::new(oid(SYS_CONTACT), s("edge@example.net")),
                VarBind::new(oid(SYS_LOCATION), s("edge lab")),
                VarBind::new(oid(THRESH_CPU), Value::Gauge32(0)),
            ],
            3,
        ),
        (
            vec![
                VarBind::new(oid(&retention), Value::Gauge32(200_000_000)),
                VarBind::new(oid(SYS_LOCATION), s("edge lab")),
            ],
            1,
        ),
        (
            vec![
                VarBind::new(oid(SYS_LOCATION), s("edge lab")),
                VarBind::new(oid(THRESH_STALL), Value::Gauge32(0)),
                VarBind::new(oid(SYS_CONTACT), s("edge@example.net")),
            ],
            2,
        ),
    ];
    for (varbinds, index) in &cases {
        let r = c.v2c("private", set(varbinds.clone()));
        assert_eq!(
            (r.pdu.error_status, r.pdu.error_index),
            (INCONSISTENT_VALUE, *index),
            "{varbinds:?}"
        );
        assert_eq!(&r.pdu.varbinds, varbinds, "the request's varbinds");
        // v1: badValue at the same index (RFC 3584 §4.4).
        let r = c.v1("private", set(varbinds.clone()));
        assert_eq!((r.pdu.error_status, r.pdu.error_index), (BAD_VALUE, *index));
    }
    // Nothing of those SETs was applied.
    assert_eq!(text_of(SYS_CONTACT), contact);
    assert_eq!(text_of(SYS_LOCATION), location);
    let r = c.v2c(
        "public",
        get(nulls(&[THRESH_CPU, THRESH_STALL, &retention])),
    );
    assert_eq!(
        r.pdu
            .varbinds
            .iter()
            .map(|vb| vb.value.clone())
            .collect::<Vec<_>>(),
        [
            Value::Gauge32(9000),
            Value::Gauge32(15),
            Value::Gauge32(10_000)
        ]
    );
    // The same objects with valid values commit together.
    let good = vec![
        VarBind::new(oid(SYS_CONTACT), s("edge@example.net")),
        VarBind::new(oid(THRESH_CPU), Value::Gauge32(8550)),
    ];
    let r = c.v2c("private", set(good.clone()));
    assert_eq!(r.pdu.error_status, NO_ERROR, "{:?}", r.pdu);
    assert_eq!(text_of(SYS_CONTACT), "edge@example.net");
    let (_, cfg) = agent.ctl(&["get-config"]);
    assert!(cfg.contains("85.5"), "{cfg}");
    // As net-snmp shows it.
    let o = tool(
        "snmpset",
        &[
            base(
                "2c",
                &["-c", "private", &format!("127.0.0.1:{}", c.agent.port())],
            )
            .as_slice(),
            &[SYS_LOCATION, "s", "x", THRESH_CPU, "u", "0"],
        ]
        .concat(),
    );
    let all = text(&o);
    assert!(
        all.contains("inconsistentValue") && all.contains(&format!("Failed object: .{THRESH_CPU}")),
        "{all}"
    );
}

fn snmpget_value(t: &str, o: &str) -> String {
    let out = ok(
        "snmpget",
        &[base("2c", &["-c", "public", t]).as_slice(), &[o]].concat(),
    );
    out.split_once(" = ")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| panic!("{out}"))
}

/// Alarm rows come from the published snapshot, which the agent's MIB
/// view picks up on its next refresh (every 100 ms), so an acknowledgement
/// shows on a GET shortly after the SET rather than at once.
fn eventually(t: &str, o: &str, what: &str, pred: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let v = snmpget_value(t, o);
        if pred(&v) {
            return;
        }
        assert!(Instant::now() < deadline, "{o}: {v}, expected {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn eventually_value(t: &str, o: &str, expected: &str) {
    eventually(t, o, expected, |v| v == expected);
}

fn snmpset(t: &str, args: &[&str]) -> std::process::Output {
    tool(
        "snmpset",
        &[base("2c", &["-c", "private", t]).as_slice(), args].concat(),
    )
}

#[test]
fn set_acknowledges_an_active_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, c) = start(dir.path(), None);
    let t = format!("127.0.0.1:{}", c.agent.port());
    let (okay, out) = agent.ctl(&[
        "fault",
        "inject",
        "mem",
        "memory-load",
        "--node",
        "node-4",
        "--value",
        "95",
    ]);
    assert!(okay, "{out}");
    let resource = "/chains/sim/nodes/node-4";
    let alarms = agent.wait_alarms("memory-high on node-4", 20, |a| {
        common::has(a, "memory-high", resource)
    });
    let expected_id = alarms
        .iter()
        .find(|a| a["alarm-type"] == "memory-high" && a["resource"] == resource)
        .and_then(|a| a["id"].as_u64())
        .expect("alarm id");
    // Find it in bcmAlarmActiveTable by its resource, once the view has
    // picked up the snapshot that raised it.
    let col = |n: u32| format!("{ROOT}.1.4.2.1.{n}");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let walk = ok(
            "snmpwalk",
            &[base("2c", &["-c", "public", &t]).as_slice(), &[&col(2)]].concat(),
        );
        let ids: Vec<u64> = walk
            .lines()
            .filter(|l| l.ends_with(&format!("STRING: \"{resource}\"")))
            .filter_map(|l| l.split(' ').next()?.rsplit('.').next()?.parse().ok())
            .collect();
        if !ids.is_empty() || Instant::now() > deadline {
            assert_eq!(ids, [expected_id], "{walk}");
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let id = expected_id.to_string();
    let ack = format!("{}.{id}", col(13));
    assert_eq!(snmpget_value(&t, &ack), "INTEGER: 1");

    let o = snmpset(&t, &[&ack, "i", "2"]);
    assert!(o.status.success(), "{}", text(&o));
    eventually_value(&t, &ack, "INTEGER: 2");
    let by = snmpget_value(&t, &format!("{}.{id}", col(14)));
    assert!(by.contains("snmp:v2c@127.0.0.1"), "{by}");
    assert!(!by.contains("private"), "the community is a secret: {by}");
    assert!(
        snmpget_value(&t, &format!("{}.{id}", col(15))).starts_with("Hex-STRING"),
        "bcmAlarmAckTime"
    );
    let operator = |agent: &AgentProcess| {
        agent
            .active_alarms()
            .into_iter()
            .find(|a| a["id"] == json!(expected_id))
            .map(|a| a["operator"].clone())
            .expect("still active")
    };
    let op = operator(&agent);
    assert_eq!(op["acknowledged"], json!(true), "{op}");
    assert!(
        op["by"].as_str().unwrap_or("") == "snmp:v2c@127.0.0.1",
        "{op}"
    );

    // Errors: an undefined state, an alarm that does not exist, a
    // read-only community.
    assert!(text(&snmpset(&t, &[&ack, "i", "3"])).contains("wrongValue"));
    let absent = format!("{}.{}", col(13), expected_id + 1000);
    assert!(text(&snmpset(&t, &[&absent, "i", "2"])).contains("noCreation"));
    let o = tool(
        "snmpset",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[&ack, "i", "1"],
        ]
        .concat(),
    );
    assert!(text(&o).contains("noAccess"), "{}", text(&o));
    assert_eq!(operator(&agent)["acknowledged"], json!(true));

    // Withdrawn.
    let o = snmpset(&t, &[&ack, "i", "1"]);
    assert!(o.status.success(), "{}", text(&o));
    eventually_value(&t, &ack, "INTEGER: 1");
    assert_eq!(operator(&agent)["acknowledged"], json!(false));
}

#[test]
fn a_cpu_threshold_set_raises_and_clears_cpu_high() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, c) = start(dir.path(), None);
    let t = format!("127.0.0.1:{}", c.agent.port());
    let on_sim_nodes = |a: &[serde_json::Value]| {
        a.iter().any(|x| {
            x["alarm-type"] == "cpu-high"
                && x["resource"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("/chains/sim/nodes/"))
        })
    };
    agent.wait_alarms("no cpu-high on the simulated nodes", 10, |a| {
        !on_sim_nodes(a)
    });
    assert_eq!(snmpget_value(&t, THRESH_CPU), "Gauge32: 9000");
    // 1.00 %: every simulated node is above it.
    let o = snmpset(&t, &[THRESH_CPU, "u", "100"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(snmpget_value(&t, THRESH_CPU), "Gauge32: 100");
    agent.wait_alarms("cpu-high on a simulated node", 20, on_sim_nodes);
    eventually(&t, &format!("{ROOT}.1.4.4.0"), "active alarms", |count| {
        count
            .strip_prefix("Gauge32: ")
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n >= 1)
    });
    let o = snmpset(&t, &[THRESH_CPU, "u", "9000"]);
    assert!(o.status.success(), "{}", text(&o));
    agent.wait_alarms("cpu-high cleared on the simulated nodes", 20, |a| {
        !on_sim_nodes(a)
    });
}

#[test]
fn a_consensus_parameter_set_reaches_the_collector() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, c) = start(dir.path(), None);
    let t = format!("127.0.0.1:{}", c.agent.port());
    let name = "block-interval-ms";
    let param = format!(
        "{ROOT}.1.7.2.1.2.{}.{}",
        text_index("sim"),
        text_index(name)
    );
    let applied = |agent: &AgentProcess| -> Option<String> {
        let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
        snap["consensus"]["chains"]
            .as_array()?
            .iter()
            .find(|c| c["chain"] == "sim")?["parameters"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)?["value"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(snmpget_value(&t, &param), "Gauge32: 1000");
    assert_eq!(applied(&agent).as_deref(), Some("1000"));
    let o = snmpset(&t, &[&param, "u", "700"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(snmpget_value(&t, &param), "Gauge32: 700");
    let deadline = Instant::now() + Duration::from_secs(15);
    while applied(&agent).as_deref() != Some("700") {
        assert!(
            Instant::now() < deadline,
            "the collector still reports {:?}",
            applied(&agent)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (_, cfg) = agent.ctl(&["get-config"]);
    assert!(cfg.contains("700"), "{cfg}");
    // Outside the parameter's range (50..60000 ms): wrongValue, no change.
    assert!(text(&snmpset(&t, &[&param, "u", "10"])).contains("wrongValue"));
    assert_eq!(snmpget_value(&t, &param), "Gauge32: 700");
}
