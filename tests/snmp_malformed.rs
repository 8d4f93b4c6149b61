//! End to end: the malformed-message corpus of tests/data/snmp-malformed,
//! random datagrams and oversized ones, replayed over UDP against the real
//! binary. Nothing malformed may be answered or stop the agent, and each
//! message must land in the counter its README row names. The expected
//! counts come from that README, so a new corpus file is covered as soon
//! as it is generated.

mod common;

use chain_agent::snmp::codec::{DecodeError, decode_message, encode_message};
use chain_agent::snmp::oid::Oid;
use chain_agent::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPduData, V3Message, Version, flags,
};
use chain_agent::snmp::value::{Value, VarBind};
use common::AgentProcess;
use common::snmp::{base, ok, snmp_port};
use std::collections::BTreeMap;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The engine ID the corpus's v3 messages are addressed to (README).
const ENGINE_ID: &str = "80007ed9050102030405060708";
/// Every corpus file is sent this many times.
const SENDS: u64 = 2;
const VALID_BER: &str = "valid-ber-";
/// The largest UDP payload over IPv4.
const MAX_UDP: usize = 65_507;

const SNMP_IN_PKTS: &str = "1.3.6.1.2.1.11.1.0";
const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";

/// The counters the README names, by name.
const COUNTERS: &[(&str, &str)] = &[
    ("snmpInASNParseErrs", "1.3.6.1.2.1.11.6.0"),
    ("snmpInBadVersions", "1.3.6.1.2.1.11.3.0"),
    ("snmpInBadCommunityNames", "1.3.6.1.2.1.11.4.0"),
    ("snmpUnknownSecurityModels", "1.3.6.1.6.3.11.2.1.1.0"),
    ("snmpInvalidMsgs", "1.3.6.1.6.3.11.2.1.2.0"),
    ("usmStatsNotInTimeWindows", "1.3.6.1.6.3.15.1.1.2.0"),
    ("usmStatsUnknownUserNames", "1.3.6.1.6.3.15.1.1.3.0"),
    ("usmStatsWrongDigests", "1.3.6.1.6.3.15.1.1.5.0"),
];

fn counter_oid(name: &str) -> &'static str {
    COUNTERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, oid)| *oid)
        .unwrap_or_else(|| panic!("the README names counter {name}, unknown to this test"))
}

fn config() -> String {
    format!(
        r#"[snmp]
listen = ["127.0.0.1:0"]
engine-id = "{ENGINE_ID}"

[snmp.communities.public]
access = "read-only"
sources = ["127.0.0.0/8"]

[snmp.views]
all = [{{ subtree = "1" }}]

[snmp.groups.readers]
security-level = "auth-no-priv"
read-view = "all"

[snmp.users.authsha]
group = "readers"
auth = "sha"
auth-password = "authsha-password"
"#
    )
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/snmp-malformed")
}

/// One corpus file and the counter its README row names.
struct Entry {
    name: String,
    bytes: Vec<u8>,
    counter: String,
}

impl Entry {
    /// The v3 `valid-ber-` messages are reportable: the agent answers them
    /// with a Report carrying their counter (README).
    fn expects_report(&self) -> bool {
        self.name.starts_with(VALID_BER)
            && matches!(
                decode_message(&self.bytes).map(|d| d.message),
                Ok(Message::V3(ref m)) if m.flags & flags::REPORTABLE != 0
            )
    }
}

/// The README's table, checked to list exactly the directory's files.
fn corpus() -> Vec<Entry> {
    let dir = corpus_dir();
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("corpus README");
    let mut rows = BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(file), Some(counter)) = (cells.get(1), cells.get(3)) else {
            panic!("README row without a counter: {line}");
        };
        rows.insert(file.trim_matches('`').to_string(), counter.to_string());
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".bin"))
        .collect();
    files.sort();
    let listed: Vec<&String> = rows.keys().collect();
    assert_eq!(
        files.iter().collect::<Vec<_>>(),
        listed,
        "the README table and the corpus files differ"
    );
    assert!(files.len() > 50, "the corpus looks truncated: {files:?}");
    files
        .into_iter()
        .map(|name| Entry {
            bytes: std::fs::read(dir.join(&name)).expect("corpus file"),
            counter: rows[&name].clone(),
            name,
        })
        .collect()
}

/// Counter values read with net-snmp's snmpget.
fn read_counters(target: &str, oids: &[&str]) -> BTreeMap<String, u64> {
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", "-t", "5", target]).as_slice(),
            oids,
        ]
        .concat(),
    );
    let mut values = BTreeMap::new();
    for line in out.lines() {
        let Some((oid, rest)) = line.split_once(" = ") else {
            continue;
        };
        let value = rest
            .strip_prefix("Counter32: ")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("not a Counter32: {line}"));
        values.insert(oid.trim_start_matches('.').to_string(), value);
    }
    for oid in oids {
        assert!(values.contains_key(*oid), "{oid} missing from:\n{out}");
    }
    values
}

/// snmpInPkts through our own GetRequest (cheaper than a process).
fn in_pkts(sock: &UdpSocket, agent: SocketAddr) -> u64 {
    let request = Message::Community(CommunityMessage {
        version: Version::V2c,
        community: b"public".to_vec(),
        pdu: AnyPdu::Pdu(Pdu {
            kind: PduKind::Get,
            request_id: 4242,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::null(Oid::parse(SNMP_IN_PKTS).unwrap())],
        }),
    });
    let mut bytes = Vec::new();
    encode_message(&request, &mut bytes).expect("encode");
    sock.send_to(&bytes, agent).expect("send");
    let mut buf = vec![0u8; 65_536];
    loop {
        let (n, _) = sock.recv_from(&mut buf).expect("snmpInPkts response");
        let Ok(Message::Community(m)) = decode_message(&buf[..n]).map(|d| d.message) else {
            continue;
        };
        if let AnyPdu::Pdu(p) = m.pdu
            && p.request_id == 4242
            && let Some(Value::Counter32(v)) = p.varbinds.first().map(|vb| &vb.value)
        {
            return u64::from(*v);
        }
    }
}

/// Wait until the agent has taken in `target` packets (UDP on loopback
/// is not lost, but it is processed asynchronously).
fn wait_for_pkts(sock: &UdpSocket, agent: SocketAddr, target: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let n = in_pkts(sock, agent);
        if n >= target {
            return n;
        }
        assert!(
            Instant::now() < deadline,
            "the agent took in {n} packets, expected at least {target}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whatever has arrived on `sock`, without waiting.
fn drain(sock: &UdpSocket) -> Vec<Vec<u8>> {
    sock.set_nonblocking(true).expect("nonblocking");
    let mut buf = vec![0u8; 65_536];
    let mut got = Vec::new();
    while let Ok((n, _)) = sock.recv_from(&mut buf) {
        got.push(buf[..n].to_vec());
    }
    got
}

fn client() -> UdpSocket {
    let sock = UdpSocket::bind("127.0.0.1:0").expect("bind");
    sock.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    sock
}

/// A reply to a reportable v3 file must be a Report with its counter.
fn check_report(entry: &Entry, reply: &[u8], engine_id: &[u8]) {
    let name = &entry.name;
    let Ok(Message::V3(request)) = decode_message(&entry.bytes).map(|d| d.message) else {
        panic!("{name}: not a v3 message");
    };
    let report: V3Message = match decode_message(reply).map(|d| d.message) {
        Ok(Message::V3(m)) => m,
        other => panic!("{name}: the reply is not a v3 message: {other:?}"),
    };
    assert_eq!(report.msg_id, request.msg_id, "{name}: msgID echoed");
    assert_eq!(report.usm.engine_id, engine_id, "{name}: our engine ID");
    assert_eq!(report.flags & flags::REPORTABLE, 0, "{name}: a Report");
    assert_eq!(report.flags & flags::PRIV, 0, "{name}: not encrypted");
    // RFC 3414 §3.2 step 7b: the time-window Report is authenticated so
    // the manager can trust the boots and time it carries.
    let authenticated = entry.counter == "usmStatsNotInTimeWindows";
    assert_eq!(
        report.flags & flags::AUTH != 0,
        authenticated,
        "{name}: authFlag of the Report"
    );
    if authenticated {
        assert_eq!(report.usm.user_name, b"authsha", "{name}: user");
        assert!(report.usm.engine_boots >= 1, "{name}: boots");
    }
    let ScopedPduData::Plain(scoped) = report.data else {
        panic!("{name}: encrypted Report");
    };
    let AnyPdu::Pdu(pdu) = scoped.pdu else {
        panic!("{name}: a Trap-PDU");
    };
    assert_eq!(pdu.kind, PduKind::Report, "{name}: PDU type");
    let expected = Oid::parse(counter_oid(&entry.counter)).unwrap();
    match pdu.varbinds.as_slice() {
        [vb] => {
            assert_eq!(vb.oid, expected, "{name}: the Report's counter");
            assert!(
                matches!(vb.value, Value::Counter32(n) if n >= 1),
                "{name}: {:?}",
                vb.value
            );
        }
        other => panic!("{name}: Report varbinds {other:?}"),
    }
}

#[test]
fn the_malformed_corpus_is_dropped_and_counted() {
    let entries = corpus();
    for e in &entries {
        counter_oid(&e.counter);
    }
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), &config());
    let port = snmp_port(&agent);
    let target = format!("127.0.0.1:{port}");
    let addr: SocketAddr = target.parse().unwrap();
    let engine_id = hex::decode(ENGINE_ID).unwrap();
    let oids: Vec<&str> = COUNTERS.iter().map(|(_, oid)| *oid).collect();
    let before = read_counters(&target, &oids);
    let probe = client();
    let pkts_before = in_pkts(&probe, addr);

    // One socket per file, so every reply is attributed to its file.
    let sockets: Vec<UdpSocket> = entries
        .iter()
        .map(|e| {
            let sock = client();
            for _ in 0..SENDS {
                sock.send_to(&e.bytes, addr).expect("send corpus file");
            }
            sock
        })
        .collect();
    wait_for_pkts(&probe, addr, pkts_before + SENDS * entries.len() as u64 + 1);
    // The Reports due, waited for; then a moment for any stray reply to
    // arrive before every socket is checked without waiting.
    let mut replies: Vec<Vec<Vec<u8>>> = entries
        .iter()
        .zip(&sockets)
        .map(|(entry, sock)| {
            let mut got = Vec::new();
            let mut buf = vec![0u8; 65_536];
            while entry.expects_report() && (got.len() as u64) < SENDS {
                match sock.recv_from(&mut buf) {
                    Ok((n, _)) => got.push(buf[..n].to_vec()),
                    Err(_) => break,
                }
            }
            got
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    for (got, sock) in replies.iter_mut().zip(&sockets) {
        got.extend(drain(sock));
    }

    let mut failures = Vec::new();
    for (entry, replies) in entries.iter().zip(&replies) {
        if entry.expects_report() {
            if replies.len() as u64 != SENDS {
                failures.push(format!(
                    "{}: {} replies, expected {SENDS} Reports",
                    entry.name,
                    replies.len()
                ));
            }
            for reply in replies {
                check_report(entry, reply, &engine_id);
            }
        } else if !replies.is_empty() {
            let decoded = replies
                .iter()
                .map(|r| format!("{:?}", decode_message(r).map(|d| d.message)))
                .collect::<Vec<_>>();
            failures.push(format!("{} was answered: {decoded:?}", entry.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        entries.iter().filter(|e| e.expects_report()).count() >= 3,
        "the corpus has the three reportable v3 cases"
    );

    let after = read_counters(&target, &oids);
    for (name, oid) in COUNTERS {
        let files = entries.iter().filter(|e| e.counter == *name).count() as u64;
        let delta = after[*oid] - before[*oid];
        assert_eq!(
            delta,
            files * SENDS,
            "{name}: {files} corpus files sent {SENDS} times each"
        );
    }
}

/// splitmix64: a fixed sequence, so a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn get_request(community: &str, request_id: i32, value: Value) -> Vec<u8> {
    let msg = Message::Community(CommunityMessage {
        version: Version::V2c,
        community: community.as_bytes().to_vec(),
        pdu: AnyPdu::Pdu(Pdu {
            kind: PduKind::Get,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(Oid::parse(SYS_DESCR).unwrap(), value)],
        }),
    });
    let mut bytes = Vec::new();
    encode_message(&msg, &mut bytes).expect("encode");
    bytes
}

/// Random bytes, random bytes behind a SEQUENCE header, and a valid
/// request with some of its octets changed or cut.
fn garbage(rng: &mut Rng, valid: &[u8]) -> Vec<u8> {
    let len = rng.below(1501);
    match rng.below(3) {
        0 => rng.bytes(len),
        1 => {
            let mut b = vec![0x30, 0x82, (len >> 8) as u8, len as u8];
            b.extend(rng.bytes(len));
            b
        }
        _ => {
            let mut b = valid.to_vec();
            for _ in 0..=rng.below(4) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            b.truncate(rng.below(b.len() + 1));
            b
        }
    }
}

#[test]
fn random_and_oversized_datagrams_do_not_stop_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), &config());
    let port = snmp_port(&agent);
    let target = format!("127.0.0.1:{port}");
    let addr: SocketAddr = target.parse().unwrap();
    let probe = client();
    let sender = client();
    let before = read_counters(&target, &[counter_oid("snmpInASNParseErrs")]);
    let mut sent = in_pkts(&probe, addr);

    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let valid = get_request("public", 77, Value::Null);
    // Paced in batches: the receive buffer may be smaller than a burst.
    // What our own decoder calls a parse error, the agent must count as one.
    let mut parse_errors = 0u64;
    let mut send = |datagram: &[u8]| {
        if matches!(decode_message(datagram), Err(DecodeError::Parse(_))) {
            parse_errors += 1;
        }
        sender.send_to(datagram, addr).expect("send garbage");
    };
    for _batch in 0..12 {
        for _ in 0..25 {
            send(&garbage(&mut rng, &valid));
        }
        sent = wait_for_pkts(&probe, addr, sent + 25 + 1);
    }
    // Oversized: the largest UDP payload, as noise and as a SEQUENCE
    // whose header claims it all.
    let noise = rng.bytes(MAX_UDP);
    let mut claimed = vec![0x30, 0x83, 0x00, 0xFF, 0xDE];
    claimed.extend(rng.bytes(MAX_UDP - claimed.len()));
    send(&noise);
    send(&claimed);
    sent = wait_for_pkts(&probe, addr, sent + 2 + 1);
    drain(&sender);

    // A well-formed GetRequest of exactly the largest UDP payload (the
    // value of a Get varbind is ignored): the agent accepts
    // max-message-size octets (65507 by default) and answers it.
    let overhead = get_request("public", 78, Value::OctetString(Vec::new())).len();
    let mut filler = MAX_UDP - overhead;
    let big = loop {
        let b = get_request("public", 78, Value::OctetString(vec![b'x'; filler]));
        if b.len() <= MAX_UDP {
            break b;
        }
        filler -= b.len() - MAX_UDP;
    };
    assert_eq!(big.len(), MAX_UDP);
    sender.set_nonblocking(false).unwrap();
    sender.send_to(&big, addr).expect("send the large request");
    let mut buf = vec![0u8; 65_536];
    let (n, _) = sender
        .recv_from(&mut buf)
        .expect("a response to the 65507-octet GetRequest");
    match decode_message(&buf[..n]).map(|d| d.message) {
        Ok(Message::Community(CommunityMessage {
            pdu: AnyPdu::Pdu(p),
            ..
        })) => {
            assert_eq!(
                (p.kind, p.request_id, p.error_status),
                (PduKind::Response, 78, 0)
            );
            assert!(
                matches!(&p.varbinds[..], [vb] if matches!(&vb.value, Value::OctetString(s) if s.starts_with(b"chain-agent")))
            );
        }
        other => panic!("not a response: {other:?}"),
    }
    wait_for_pkts(&probe, addr, sent + 1);

    assert!(
        agent.child.try_wait().expect("wait").is_none(),
        "the agent exited"
    );
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", &target]).as_slice(),
            &[SYS_DESCR],
        ]
        .concat(),
    );
    assert!(out.contains("chain-agent"), "{out}");
    let after = read_counters(&target, &[counter_oid("snmpInASNParseErrs")]);
    let oid = counter_oid("snmpInASNParseErrs");
    assert!(parse_errors > 250, "the garbage is mostly unparsable");
    assert_eq!(after[oid] - before[oid], parse_errors, "snmpInASNParseErrs");
    agent.stop();
}
