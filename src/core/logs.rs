//! Log management: records of every family go through one sink that filters
//! by the configured level, keeps a recent window in memory for the
//! snapshot, and hands batches to a writer thread that persists them with
//! the notifications and applies retention.

use super::events::{Event, Notification};
use super::store::{EventRow, LogStats, Store};
use crate::config::Config;
use crate::model::log::{LogKind, LogLevel, LogRecord, LogType};
use crate::model::{UnixMillis, now_millis};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Records kept in memory for the published snapshot.
const RECENT: usize = 500;

enum Write {
    Log(LogRecord),
    Event(u64, UnixMillis, String, String),
    Flush(mpsc::Sender<()>),
}

/// Shared handle; cheap to clone.
#[derive(Clone)]
pub struct LogSink {
    inner: Arc<Inner>,
}

struct Inner {
    levels: Mutex<[(LogLevel, u64); 6]>,
    recent: Mutex<VecDeque<LogRecord>>,
    stats: Mutex<Vec<LogStats>>,
    next_id: AtomicU64,
    next_seq: AtomicU64,
    writer: Mutex<mpsc::Sender<Write>>,
    bus: broadcast::Sender<Notification>,
}

impl LogSink {
    pub fn start(
        store: Arc<Store>,
        config: &Config,
        bus: broadcast::Sender<Notification>,
    ) -> Result<LogSink, super::store::StoreError> {
        let next_id = store.max_log_id()? + 1;
        let next_seq = store.max_event_seq()? + 1;
        let stats = store.log_stats()?;
        let recent = store
            .query_logs(&Default::default(), RECENT as u64)?
            .into_iter()
            .rev()
            .collect();
        let (tx, rx) = mpsc::channel();
        let inner = Arc::new(Inner {
            levels: Mutex::new(levels_of(config)),
            recent: Mutex::new(recent),
            stats: Mutex::new(stats),
            next_id: AtomicU64::new(next_id),
            next_seq: AtomicU64::new(next_seq),
            writer: Mutex::new(tx),
            bus,
        });
        let weak = Arc::downgrade(&inner);
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer_loop(store, rx, weak))
            .map_err(|e| super::store::StoreError::Io("store-writer thread".into(), e))?;
        Ok(LogSink { inner })
    }

    /// Apply a new configuration's levels and retention.
    pub fn configure(&self, config: &Config) {
        *lock(&self.inner.levels) = levels_of(config);
    }

    /// Record one entry if its family's level lets it through.
    pub fn record(&self, kind: LogKind, level: LogLevel, source: &str, message: String) {
        if let Some(rec) = self.numbered_record(kind, level, source, message) {
            self.keep_recent(&rec);
            self.send(Write::Log(rec));
        }
    }

    /// Number an event, persist it, and broadcast it to subscribers.
    pub fn publish(&self, event: Event) -> Notification {
        let (n, row) = self.numbered_event(event);
        let (seq, time, name, body) = row;
        self.send(Write::Event(seq, time, name, body));
        // No subscriber is not an error: the history has it.
        let _ = self.inner.bus.send(n.clone());
        n
    }

    /// A record numbered and filtered as [`LogSink::record`] does, for a
    /// caller that writes it in a transaction of its own (a commit, with
    /// its revision: [`Store::save_config_journaled`]) and then hands it
    /// to [`LogSink::written`]; `None` when its family's level drops it.
    pub fn numbered_record(
        &self,
        kind: LogKind,
        level: LogLevel,
        source: &str,
        message: String,
    ) -> Option<LogRecord> {
        let (min, _) = lock(&self.inner.levels)[index(kind)];
        if level > min {
            return None;
        }
        Some(LogRecord {
            id: self.inner.next_id.fetch_add(1, Ordering::Relaxed),
            kind,
            time: now_millis(),
            level,
            source: source.to_string(),
            message,
        })
    }

    /// An event numbered as [`LogSink::publish`] does, with the row the
    /// store keeps of it, for a caller that writes the row itself.
    pub fn numbered_event(&self, event: Event) -> (Notification, EventRow) {
        let n = Notification {
            seq: self.inner.next_seq.fetch_add(1, Ordering::Relaxed),
            time: now_millis(),
            event,
        };
        let body = serde_json::to_string(&n.event).unwrap_or_default();
        let row = (n.seq, n.time, n.event.name().to_string(), body);
        (n, row)
    }

    /// Records and events a caller numbered here and wrote to the store
    /// itself: kept in the recent window and broadcast, as if the writer
    /// had written them; the counts come from the store, which keeps them.
    pub fn written(&self, store: &Store, records: &[LogRecord], notifications: Vec<Notification>) {
        for r in records {
            self.keep_recent(r);
        }
        if !records.is_empty()
            && let Ok(stats) = store.log_stats()
        {
            *lock(&self.inner.stats) = stats;
        }
        for n in notifications {
            let _ = self.inner.bus.send(n);
        }
    }

    fn keep_recent(&self, rec: &LogRecord) {
        let mut recent = lock(&self.inner.recent);
        if recent.len() == RECENT {
            recent.pop_front();
        }
        recent.push_back(rec.clone());
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Notification> {
        self.inner.bus.subscribe()
    }

    /// Receivers of the event bus alive now: what shows that subscribers
    /// that ended left nothing behind.
    pub fn subscriber_count(&self) -> usize {
        self.inner.bus.receiver_count()
    }

    /// Block until everything recorded so far is on disk.
    pub fn flush(&self) {
        let (tx, rx) = mpsc::channel();
        self.send(Write::Flush(tx));
        let _ = rx.recv_timeout(std::time::Duration::from_secs(10));
    }

    fn send(&self, w: Write) {
        // The writer only stops when the process does.
        let _ = lock(&self.inner.writer).send(w);
    }

    pub fn recent(&self) -> Vec<LogRecord> {
        lock(&self.inner.recent).iter().cloned().collect()
    }

    pub fn types(&self) -> Vec<LogType> {
        let levels = *lock(&self.inner.levels);
        let stats = lock(&self.inner.stats).clone();
        LogKind::ALL
            .iter()
            .map(|&kind| {
                let (level, retention_records) = levels[index(kind)];
                let s = stats.iter().find(|s| s.kind == kind);
                LogType {
                    kind,
                    level,
                    retention_records,
                    record_count: s.map_or(0, |s| s.count),
                    oldest: s.and_then(|s| s.oldest),
                    newest: s.and_then(|s| s.newest),
                }
            })
            .collect()
    }

    fn retention(&self) -> Vec<(LogKind, u64)> {
        let levels = *lock(&self.inner.levels);
        LogKind::ALL
            .iter()
            .map(|&k| (k, levels[index(k)].1))
            .collect()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn index(kind: LogKind) -> usize {
    LogKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

fn levels_of(config: &Config) -> [(LogLevel, u64); 6] {
    LogKind::ALL.map(|k| {
        let c = config.log_type(k);
        (c.level, c.retention_records)
    })
}

/// Group commit: take whatever is queued, write it in one transaction.
fn writer_loop(store: Arc<Store>, rx: mpsc::Receiver<Write>, sink: std::sync::Weak<Inner>) {
    while let Ok(first) = rx.recv() {
        let mut logs = Vec::new();
        let mut events = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        while let Some(w) = next {
            match w {
                Write::Log(r) => logs.push(r),
                Write::Event(a, b, c, d) => events.push((a, b, c, d)),
                Write::Flush(tx) => flushes.push(tx),
            }
            next = if logs.len() + events.len() < 5000 {
                rx.try_recv().ok()
            } else {
                None
            };
        }
        let Some(inner) = sink.upgrade() else { return };
        let handle = LogSink { inner };
        if !logs.is_empty() || !events.is_empty() {
            if let Err(e) = store.write_batch(&logs, &events, &handle.retention()) {
                eprintln!(
                    "chain-agent: cannot persist {} log records: {e}",
                    logs.len()
                );
            }
            if let Ok(stats) = store.log_stats() {
                *lock(&handle.inner.stats) = stats;
            }
        }
        for f in flushes {
            let _ = f.send(());
        }
    }
}

/// A `tracing` layer that stores the agent's own log lines: family `system`
/// unless the event names another with a `log_kind` field.
pub struct StoreLayer {
    sink: LogSink,
}

impl StoreLayer {
    pub fn new(sink: LogSink) -> Self {
        StoreLayer { sink }
    }
}

#[derive(Default)]
struct Fields {
    message: String,
    kind: Option<LogKind>,
    rest: String,
}

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "log_kind" => self.kind = LogKind::parse(format!("{value:?}").trim_matches('"')),
            name => self.rest.push_str(&format!(" {name}={value:?}")),
        }
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "message" => self.message = value.to_string(),
            "log_kind" => self.kind = LogKind::parse(value),
            name => self.rest.push_str(&format!(" {name}={value}")),
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StoreLayer {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let meta = event.metadata();
        if !meta.target().starts_with("chain_agent") {
            return;
        }
        let level = match *meta.level() {
            tracing::Level::ERROR => LogLevel::Error,
            tracing::Level::WARN => LogLevel::Warning,
            tracing::Level::INFO => LogLevel::Info,
            _ => LogLevel::Debug,
        };
        let mut f = Fields::default();
        event.record(&mut f);
        let kind = f.kind.unwrap_or(LogKind::System);
        self.sink.record(
            kind,
            level,
            meta.target(),
            format!("{}{}", f.message, f.rest),
        );
    }
}
