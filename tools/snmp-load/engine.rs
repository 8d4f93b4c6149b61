//! The request loop shared by every mode: each thread owns one connected
//! UDP socket and keeps `window` requests in flight, sending the next one
//! for a slot as soon as that slot's response arrives. Blocking std sockets
//! keep the generator's own cost per request to two system calls, which
//! matters on a 2-core machine where it competes with the server.

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

use crate::ber::tag;
use crate::latency::Latencies;
use crate::message::Received;

/// How the engine is driven; identical for every target in one benchmark.
#[derive(Debug, Clone)]
pub struct Settings {
    pub target: SocketAddr,
    pub threads: usize,
    pub window: usize,
    /// Responses before this are not counted, so socket buffers, caches and
    /// the server's own warm-up do not skew the first second.
    pub warmup: Duration,
    pub duration: Duration,
    /// A request unanswered for this long is counted as a timeout and
    /// re-sent under a fresh request-id.
    pub retransmit_after: Duration,
    /// Accept any PDU whose request-id matches (an echo of the request).
    pub echo: bool,
}

/// What a workload made of one matched response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Valid { varbinds: u64, walks_completed: u64 },
    Invalid,
}

/// The request content of one mode. Slots are independent: a GET slot
/// always asks the same thing, a walk slot carries its own position.
pub trait Workload: Send {
    fn encode(&self, slot: usize, request_id: i32, out: &mut Vec<u8>);
    /// Called for a response whose request-id matched the slot's request.
    fn on_response(&mut self, slot: usize, response: &Received<'_>) -> Outcome;
}

/// One thread's counts inside the measured window.
#[derive(Debug, Default)]
pub struct Tally {
    pub responses: u64,
    pub errors: u64,
    pub timeouts: u64,
    /// Responses whose request-id is no longer in flight: answers that
    /// came after their retransmission, or duplicates.
    pub stale: u64,
    /// ICMP port unreachable reported on the socket: nobody listens.
    pub refused: u64,
    pub varbinds: u64,
    pub walks: u64,
    pub latencies: Latencies,
}

impl Tally {
    fn absorb(&mut self, other: Tally) {
        self.responses += other.responses;
        self.errors += other.errors;
        self.timeouts += other.timeouts;
        self.stale += other.stale;
        self.refused += other.refused;
        self.varbinds += other.varbinds;
        self.walks += other.walks;
        self.latencies.absorb(other.latencies);
    }
}

/// Request-ids carry the thread number in bits 24..30, so ids never repeat
/// across threads and stay positive Integer32 values.
struct RequestIds {
    base: i32,
    sequence: i32,
}

impl RequestIds {
    const SEQUENCE_BITS: u32 = 24;
    const MAX_THREADS: usize = 127;

    fn new(thread: usize) -> Self {
        // `thread` < MAX_THREADS, checked by `run`.
        let base = (thread as i32 + 1) << Self::SEQUENCE_BITS;
        Self { base, sequence: 0 }
    }

    fn next(&mut self) -> i32 {
        self.sequence = (self.sequence + 1) & ((1 << Self::SEQUENCE_BITS) - 1);
        self.base | self.sequence
    }
}

#[derive(Clone, Copy)]
struct Slot {
    request_id: i32,
    sent_at: Instant,
}

#[derive(Clone, Copy)]
struct Window {
    measure_from: Instant,
    end: Instant,
}

impl Window {
    fn counts(&self, at: Instant) -> bool {
        at >= self.measure_from && at < self.end
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("threads must be 1..={max} and window at least 1")]
    BadShape { max: usize },
    #[error("socket: {0}")]
    Io(#[from] io::Error),
    #[error("a generator thread panicked")]
    ThreadPanicked,
}

/// Runs `settings.threads` copies of the loop, one workload each, and adds
/// up their tallies.
pub fn run<W: Workload + 'static>(
    settings: &Settings,
    mut make_workload: impl FnMut() -> W,
) -> Result<Tally, EngineError> {
    if settings.threads == 0 || settings.threads > RequestIds::MAX_THREADS || settings.window == 0 {
        return Err(EngineError::BadShape {
            max: RequestIds::MAX_THREADS,
        });
    }
    let start = Instant::now();
    let window = Window {
        measure_from: start + settings.warmup,
        end: start + settings.warmup + settings.duration,
    };
    let handles: Vec<_> = (0..settings.threads)
        .map(|index| {
            let workload = make_workload();
            let settings = settings.clone();
            thread::spawn(move || run_thread(index, &settings, window, workload))
        })
        .collect();
    let mut total = Tally::default();
    for handle in handles {
        let tally = handle.join().map_err(|_| EngineError::ThreadPanicked)??;
        total.absorb(tally);
    }
    Ok(total)
}

/// How often in-flight requests are checked for expiry while responses
/// keep arriving; also the socket's read timeout when they do not.
const EXPIRY_SCAN: Duration = Duration::from_millis(10);

struct Sender<W> {
    socket: UdpSocket,
    workload: W,
    ids: RequestIds,
    slots: Vec<Slot>,
    out: Vec<u8>,
}

impl<W: Workload> Sender<W> {
    fn send(&mut self, slot: usize) -> io::Result<()> {
        let request_id = self.ids.next();
        self.workload.encode(slot, request_id, &mut self.out);
        let sent_at = Instant::now();
        self.slots[slot] = Slot {
            request_id,
            sent_at,
        };
        match self.socket.send(&self.out) {
            // The target may not be bound yet, or has gone: the request
            // counts as sent and expires like a lost one.
            Err(error) if error.kind() == ErrorKind::ConnectionRefused => Ok(()),
            other => other.map(|_| ()),
        }
    }

    fn slot_of(&self, request_id: i32) -> Option<usize> {
        self.slots
            .iter()
            .position(|slot| slot.request_id == request_id)
    }
}

fn run_thread<W: Workload>(
    index: usize,
    settings: &Settings,
    window: Window,
    workload: W,
) -> Result<Tally, EngineError> {
    let local: SocketAddr = if settings.target.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()
    .map_err(|_| io::Error::from(ErrorKind::InvalidInput))?;
    let socket = UdpSocket::bind(local)?;
    socket.connect(settings.target)?;
    socket.set_read_timeout(Some(EXPIRY_SCAN))?;

    let now = Instant::now();
    let mut sender = Sender {
        socket,
        workload,
        ids: RequestIds::new(index),
        slots: vec![
            Slot {
                request_id: 0,
                sent_at: now,
            };
            settings.window
        ],
        out: Vec::with_capacity(512),
    };
    let mut tally = Tally::default();
    let mut datagram = vec![0u8; 65536];
    let mut next_scan = now + EXPIRY_SCAN;

    for slot in 0..settings.window {
        sender.send(slot)?;
    }
    loop {
        let received = sender.socket.recv(&mut datagram);
        let now = Instant::now();
        if now >= window.end {
            break;
        }
        match received {
            Ok(length) => {
                let bytes = datagram.get(..length).unwrap_or_default();
                if let Some(slot) =
                    handle_datagram(bytes, now, settings.echo, window, &mut sender, &mut tally)
                {
                    sender.send(slot)?;
                }
            }
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(error) if error.kind() == ErrorKind::ConnectionRefused => {
                if window.counts(now) {
                    tally.refused += 1;
                }
            }
            Err(error) => return Err(error.into()),
        }
        if now >= next_scan {
            next_scan = now + EXPIRY_SCAN;
            for slot in 0..settings.window {
                if now.duration_since(sender.slots[slot].sent_at) >= settings.retransmit_after {
                    if window.counts(now) {
                        tally.timeouts += 1;
                    }
                    sender.send(slot)?;
                }
            }
        }
    }
    Ok(tally)
}

/// Matches a datagram to its slot and scores it; returns the slot to send
/// on, or None when the datagram belongs to no request in flight.
fn handle_datagram<W: Workload>(
    bytes: &[u8],
    received_at: Instant,
    echo: bool,
    window: Window,
    sender: &mut Sender<W>,
    tally: &mut Tally,
) -> Option<usize> {
    let counted = window.counts(received_at);
    let Ok(message) = Received::parse(bytes) else {
        // Without a readable request-id nothing can be matched; the slot
        // it belonged to will expire and be re-sent.
        if counted {
            tally.errors += 1;
        }
        return None;
    };
    let Some(slot) = sender.slot_of(message.request_id) else {
        if counted {
            tally.stale += 1;
        }
        return None;
    };
    let outcome = if echo {
        Outcome::Valid {
            varbinds: 0,
            walks_completed: 0,
        }
    } else if message.pdu_tag != tag::RESPONSE {
        Outcome::Invalid
    } else {
        sender.workload.on_response(slot, &message)
    };
    if counted {
        tally.responses += 1;
        tally
            .latencies
            .record(received_at.duration_since(sender.slots[slot].sent_at));
        match outcome {
            Outcome::Valid {
                varbinds,
                walks_completed,
            } => {
                tally.varbinds += varbinds;
                tally.walks += walks_completed;
            }
            Outcome::Invalid => tally.errors += 1,
        }
    }
    Some(slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_positive_and_distinct_per_thread() {
        let mut first = RequestIds::new(0);
        let mut last = RequestIds::new(RequestIds::MAX_THREADS - 1);
        let a = first.next();
        let b = last.next();
        assert!(a > 0 && b > 0 && a != b);
        for _ in 0..(1 << RequestIds::SEQUENCE_BITS) {
            let id = last.next();
            assert!(id > 0);
            assert_eq!(
                id >> RequestIds::SEQUENCE_BITS,
                RequestIds::MAX_THREADS as i32
            );
        }
    }
}

#[cfg(test)]
mod loopback_tests {
    use super::*;
    use crate::ber::EncodedOid;
    use crate::test_support::{decode, response, ticks};
    use crate::workload::Get;
    use rasn_snmp::v2::Pdus;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    const SYS_UPTIME: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 3, 0];

    /// A fake agent that answers GetRequests, but ignores every 10th one
    /// and answers every 7th twice, so both timeouts and stale responses
    /// occur.
    fn lossy_agent(stop: Arc<AtomicBool>) -> (SocketAddr, thread::JoinHandle<()>) {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket
            .set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        let address = socket.local_addr().unwrap();
        let handle = thread::spawn(move || {
            let mut buffer = [0u8; 2048];
            let mut seen = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let Ok((length, peer)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                seen += 1;
                let Pdus::GetRequest(request) = decode(&buffer[..length]).data else {
                    panic!("generator sent something else");
                };
                if seen % 10 == 0 {
                    continue;
                }
                let answer = response(request.0.request_id, 0, &[(SYS_UPTIME, ticks(1))]);
                let copies = if seen % 7 == 0 { 2 } else { 1 };
                for _ in 0..copies {
                    socket.send_to(&answer, peer).unwrap();
                }
            }
        });
        (address, handle)
    }

    #[test]
    fn counts_responses_timeouts_and_stale_answers() {
        let stop = Arc::new(AtomicBool::new(false));
        let (target, agent) = lossy_agent(stop.clone());
        let settings = Settings {
            target,
            threads: 2,
            window: 4,
            warmup: Duration::from_millis(50),
            duration: Duration::from_millis(600),
            retransmit_after: Duration::from_millis(30),
            echo: false,
        };
        let oid = EncodedOid::from_arcs(SYS_UPTIME).unwrap();
        let tally = run(&settings, || Get::new(b"public", oid.clone())).unwrap();
        stop.store(true, Ordering::Relaxed);
        agent.join().unwrap();

        assert!(tally.responses > 100, "{tally:?}");
        assert_eq!(tally.errors, 0);
        assert_eq!(tally.varbinds, tally.responses);
        assert!(tally.timeouts > 0, "every 10th request is dropped");
        assert!(tally.stale > 0, "every 7th answer is duplicated");
        let p50 = tally.latencies.percentiles_us(&[0.5])[0].unwrap();
        assert!(p50 > 0.0 && p50 < 30_000.0, "p50 {p50}");
    }

    #[test]
    fn an_echo_counts_only_in_echo_mode() {
        let listen: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let socket = UdpSocket::bind(listen).unwrap();
        let target = socket.local_addr().unwrap();
        drop(socket);
        // Rebinding the just-freed port: the echo server owns it for 2 s.
        thread::spawn(move || crate::echo::serve(target, 1, Duration::from_secs(2)));
        thread::sleep(Duration::from_millis(50));
        let oid = EncodedOid::from_arcs(SYS_UPTIME).unwrap();
        let mut settings = Settings {
            target,
            threads: 1,
            window: 2,
            warmup: Duration::ZERO,
            duration: Duration::from_millis(300),
            retransmit_after: Duration::from_millis(100),
            echo: true,
        };
        let echoed = run(&settings, || Get::new(b"public", oid.clone())).unwrap();
        assert!(echoed.responses > 100, "{echoed:?}");
        assert_eq!((echoed.errors, echoed.varbinds), (0, 0));

        settings.echo = false;
        let strict = run(&settings, || Get::new(b"public", oid.clone())).unwrap();
        assert_eq!(
            strict.errors, strict.responses,
            "a GetRequest is no Response"
        );
        assert!(strict.responses > 100);
    }
}
