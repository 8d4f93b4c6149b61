//! Runs one operation in a loop on each of N sessions, one operation in
//! flight per session, and counts what completes inside the measured
//! window.
//!
//! All sessions are opened (SSH, authentication, `<hello>`) before the
//! clock starts, so connection set-up is never measured. An operation
//! counts when its last reply arrives after the warm-up and before the end
//! of the window; its latency runs from sending its first `<rpc>` to
//! receiving its last reply.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::latency::Latencies;
use crate::operation::Operation;
use crate::reply::{self, DataSize, Outcome};
use crate::session::{Answer, Session, SessionError, SessionSettings};
use chain_agent::netconf::transport::framing::Framing;

#[derive(Clone)]
pub struct RunSettings {
    pub session: SessionSettings,
    pub sessions: usize,
    pub warmup: Duration,
    pub duration: Duration,
    /// An operation unanswered this long ends its session: with one
    /// request in flight there is no way to skip a lost reply.
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("session {index} could not be opened: {source}")]
    Open { index: usize, source: SessionError },
    #[error("a session task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// The first reply of session 0, for the report: how big the answer was.
#[derive(Debug, Clone)]
pub struct Sample {
    pub reply_bytes: usize,
    pub data: Option<DataSize>,
}

#[derive(Debug, Default)]
pub struct Tally {
    pub operations: u64,
    pub rpcs: u64,
    /// Operations answered with `<rpc-error>` (counted, not timed).
    pub errors: u64,
    pub timeouts: u64,
    /// Sessions that ended early: a timeout, or a transport or protocol
    /// failure.
    pub failed_sessions: u64,
    pub first_error: Option<String>,
    pub latencies: Latencies,
    pub framing: Option<Framing>,
    pub sample: Option<Sample>,
}

impl Tally {
    fn absorb(&mut self, other: Tally) {
        self.operations += other.operations;
        self.rpcs += other.rpcs;
        self.errors += other.errors;
        self.timeouts += other.timeouts;
        self.failed_sessions += other.failed_sessions;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.latencies.absorb(other.latencies);
        self.framing = self.framing.or(other.framing);
        if self.sample.is_none() {
            self.sample = other.sample;
        }
    }

    fn note_error(&mut self, error: String) {
        self.first_error.get_or_insert(error);
    }
}

/// What one operation came to.
struct Performed {
    rpcs: u64,
    /// The first `<rpc-error>`, if any reply had one.
    error: Option<String>,
    last: Option<Answer>,
}

async fn perform(
    session: &mut Session,
    operation: &Operation,
    index: usize,
    seq: u64,
) -> Result<Performed, SessionError> {
    let mut performed = Performed {
        rpcs: 0,
        error: None,
        last: None,
    };
    for request in operation.requests(index, seq) {
        let answer = session.call(&request).await?;
        performed.rpcs += 1;
        if let Outcome::Error(error) = &answer.outcome {
            performed.error = Some(error.clone());
            break;
        }
        performed.last = Some(answer);
    }
    Ok(performed)
}

fn sample_of(answer: &Answer) -> Sample {
    let data = match answer.outcome {
        Outcome::Data => reply::extract_data(&answer.message, &answer.message_id, &[])
            .ok()
            .map(|extract| extract.size),
        _ => None,
    };
    Sample {
        reply_bytes: answer.message.len(),
        data,
    }
}

struct Window {
    measure_from: Instant,
    end: Instant,
}

async fn drive(
    mut session: Session,
    operation: Arc<Operation>,
    index: usize,
    window: Arc<Window>,
    timeout: Duration,
) -> Tally {
    let mut tally = Tally {
        framing: Some(session.framing()),
        ..Tally::default()
    };
    let mut seq = 0u64;
    loop {
        let began = Instant::now();
        if began >= window.end {
            break;
        }
        seq += 1;
        let result =
            tokio::time::timeout(timeout, perform(&mut session, &operation, index, seq)).await;
        let done = Instant::now();
        let counted = done >= window.measure_from && done < window.end;
        let performed = match result {
            Err(_) => {
                tally.timeouts += 1;
                tally.failed_sessions += 1;
                tally.note_error(format!("no reply within {} s", timeout.as_secs_f64()));
                // The reply may still come; the session cannot be reused.
                return tally;
            }
            Ok(Err(error)) => {
                tally.failed_sessions += 1;
                tally.note_error(error.to_string());
                return tally;
            }
            Ok(Ok(performed)) => performed,
        };
        if index == 0
            && tally.sample.is_none()
            && performed.error.is_none()
            && let Some(last) = &performed.last
        {
            tally.sample = Some(sample_of(last));
        }
        if !counted {
            continue;
        }
        tally.rpcs += performed.rpcs;
        match performed.error {
            None => {
                tally.operations += 1;
                tally.latencies.record(done - began);
            }
            Some(error) => {
                tally.errors += 1;
                tally.note_error(error);
            }
        }
    }
    session.close().await;
    tally
}

pub async fn run(settings: &RunSettings, operation: Arc<Operation>) -> Result<Tally, EngineError> {
    let mut opening = JoinSet::new();
    for index in 0..settings.sessions {
        let session_settings = settings.session.clone();
        let timeout = settings.timeout;
        opening.spawn(async move {
            let opened = tokio::time::timeout(timeout, Session::open(&session_settings))
                .await
                .unwrap_or(Err(SessionError::Timeout(timeout)));
            (index, opened)
        });
    }
    let mut sessions = Vec::with_capacity(settings.sessions);
    while let Some(opened) = opening.join_next().await {
        let (index, result) = opened?;
        match result {
            Ok(session) => sessions.push((index, session)),
            Err(source) => return Err(EngineError::Open { index, source }),
        }
    }

    let start = Instant::now();
    let window = Arc::new(Window {
        measure_from: start + settings.warmup,
        end: start + settings.warmup + settings.duration,
    });
    let mut running = JoinSet::new();
    for (index, session) in sessions {
        running.spawn(drive(
            session,
            operation.clone(),
            index,
            window.clone(),
            settings.timeout,
        ));
    }
    let mut tally = Tally::default();
    while let Some(done) = running.join_next().await {
        tally.absorb(done?);
    }
    Ok(tally)
}
