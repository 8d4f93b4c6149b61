//! The embedded store: SQLite in WAL mode with `synchronous=NORMAL`. A
//! commit that returned is in the write-ahead log, so it survives kill -9
//! and any crash of the agent, and a torn write is rolled back on the next
//! open. The log is synced to disk at checkpoints, not at every commit: an
//! operating-system crash or power loss can lose the last commits, never
//! half of one. A sync per commit cost about 0.35 ms on the benchmark
//! machine, a third of a NETCONF edit-config + commit (docs/benchmarks.md).
//! One connection behind a mutex: writes are rare (config, alarms) or
//! batched (logs, events). Checkpoints run beside it, on a connection of
//! their own (super::checkpoint).

use super::checkpoint::{self, Checkpointer};
use crate::model::UnixMillis;
use crate::model::alarm::Alarm;
use crate::model::log::{LogKind, LogLevel, LogRecord};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store: corrupt record: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("store: cannot create {0}: {1}")]
    Io(String, std::io::Error),
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS config_revision(
  id INTEGER PRIMARY KEY AUTOINCREMENT, datastore TEXT NOT NULL,
  created INTEGER NOT NULL, origin TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS config_revision_ds ON config_revision(datastore, id);
CREATE TABLE IF NOT EXISTS alarm(
  id INTEGER PRIMARY KEY, active INTEGER NOT NULL, changed INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS alarm_active ON alarm(active, id);
CREATE TABLE IF NOT EXISTS log_record(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, time INTEGER NOT NULL,
  level INTEGER NOT NULL, source TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS log_record_kind ON log_record(kind, id);
CREATE TABLE IF NOT EXISTS event(
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL);
";

/// Config revisions kept per datastore at most; older ones are pruned on
/// commit.
const CONFIG_REVISIONS_KEPT: i64 = 200;

/// Revisions are pruned by the count limit in batches: when a datastore's
/// oldest revision falls out of the newest [`CONFIG_REVISIONS_KEPT`] ids,
/// every revision older than the newest `CONFIG_REVISIONS_KEPT -
/// CONFIG_PRUNE_BATCH` ids goes, so the next deletion is that many commits
/// away. Deleting one revision per commit (its body's overflow pages
/// freed, the free list rewritten) cost about a third of saving a small
/// revision.
const CONFIG_PRUNE_BATCH: i64 = 32;

/// Notifications kept for replay; older ones are pruned as new ones arrive.
const EVENTS_KEPT: i64 = 100_000;

/// Meta key: the highest alarm id an operator purged.
const PURGED_ALARM_ID: &str = "purged-alarm-id";

pub struct Store {
    conn: Mutex<Connection>,
    /// The log counts, kept up to date by `write_batch` so that the
    /// writer does not scan every record after each batch; `None` when a
    /// deletion made them unknown (the next read recounts). Locked after
    /// `conn`, never before.
    log_stats: Mutex<Option<Vec<LogStats>>>,
    /// Octets of configuration revisions kept per datastore, as
    /// `save_config` left them, so that a commit need not sum every kept
    /// body; absent until counted, and while a write may have changed
    /// them. Locked after `conn`, never before.
    kept_config_bytes: Mutex<HashMap<String, u64>>,
    /// Checkpoints the log of a store on disk; dropped with the store.
    _checkpointer: Option<Checkpointer>,
}

/// Counts per log family, for the LogType objects.
#[derive(Debug, Clone, PartialEq)]
pub struct LogStats {
    pub kind: LogKind,
    pub count: u64,
    pub oldest: Option<UnixMillis>,
    pub newest: Option<UnixMillis>,
}

/// Selection for log query, delete and backup.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogFilter {
    pub kind: Option<LogKind>,
    pub since: Option<UnixMillis>,
    pub until: Option<UnixMillis>,
    pub min_level: Option<LogLevel>,
    pub contains: Option<String>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// An event as the store keeps it: sequence number, time, name and JSON
/// body.
pub type EventRow = (u64, UnixMillis, String, String);

/// Log records and events written with a configuration revision (see
/// [`Store::save_config_journaled`]).
#[derive(Debug, Default)]
pub struct Journal {
    pub logs: Vec<LogRecord>,
    pub events: Vec<EventRow>,
}

/// Insert log records and events in `tx` (retention is the writer's, at
/// its next batch).
fn insert_journal(
    tx: &rusqlite::Transaction<'_>,
    logs: &[LogRecord],
    events: &[EventRow],
) -> Result<(), StoreError> {
    let mut ins = tx.prepare_cached(
        "INSERT OR REPLACE INTO log_record(id, kind, time, level, source, message) VALUES(?1,?2,?3,?4,?5,?6)",
    )?;
    for r in logs {
        ins.execute(params![
            r.id as i64,
            r.kind.as_str(),
            r.time as i64,
            r.level as i64,
            r.source,
            r.message
        ])?;
    }
    let mut ev = tx.prepare_cached(
        "INSERT OR REPLACE INTO event(seq, time, name, body) VALUES(?1,?2,?3,?4)",
    )?;
    for (seq, time, name, body) in events {
        ev.execute(params![*seq as i64, *time as i64, name, body])?;
    }
    Ok(())
}

/// Count newly written records into the per-family figures.
fn add_records(stats: &mut Vec<LogStats>, logs: &[LogRecord]) {
    for r in logs {
        let t = r.time;
        match stats.iter_mut().find(|s| s.kind == r.kind) {
            Some(s) => {
                s.count += 1;
                s.oldest = Some(s.oldest.map_or(t, |o| o.min(t)));
                s.newest = Some(s.newest.map_or(t, |n| n.max(t)));
            }
            None => stats.push(LogStats {
                kind: r.kind,
                count: 1,
                oldest: Some(t),
                newest: Some(t),
            }),
        }
    }
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Io(dir.display().to_string(), e))?;
        }
        // Created 0600 here, so SQLite gives its WAL and shared memory
        // the same mode (super::data_dir).
        super::data_dir::precreate_private(path)
            .map_err(|e| StoreError::Io(path.display().to_string(), e))?;
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Checkpoints run beside the commits (super::checkpoint).
        let checkpointer = Checkpointer::start(path)?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::FALLBACK_PAGES)?;
        let mut store = Self::init(conn)?;
        store._checkpointer = Some(checkpointer);
        Ok(store)
    }

    /// A throw-away store for one-shot commands such as `snapshot`.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store {
            conn: Mutex::new(conn),
            log_stats: Mutex::new(None),
            kept_config_bytes: Mutex::new(HashMap::new()),
            _checkpointer: None,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (the
        // transaction rolls back), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let c = self.conn();
        Ok(
            c.query_row("SELECT value FROM meta WHERE key=?1", [key], |r| r.get(0))
                .optional()?,
        )
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Latest revision of a datastore: (revision id, JSON body).
    pub fn latest_config(&self, datastore: &str) -> Result<Option<(i64, String)>, StoreError> {
        let c = self.conn();
        Ok(c.query_row(
            "SELECT id, body FROM config_revision WHERE datastore=?1 ORDER BY id DESC LIMIT 1",
            [datastore],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
    }

    /// Store a new revision, and optionally a meta value, in one
    /// transaction. The datastore keeps at most [`CONFIG_REVISIONS_KEPT`]
    /// revisions (pruned in batches, see [`CONFIG_PRUNE_BATCH`]) and,
    /// beyond the new one, only as many of the newest as fit in
    /// `keep_bytes` octets of body.
    pub fn save_config(
        &self,
        datastore: &str,
        body: &str,
        origin: &str,
        meta: Option<(&str, &str)>,
        keep_bytes: u64,
    ) -> Result<i64, StoreError> {
        self.save_config_journaled(datastore, body, origin, meta, keep_bytes, |_| {
            Journal::default()
        })
        .map(|(id, _)| id)
    }

    /// [`Store::save_config`], with the log records and events that
    /// `journal` makes of the new revision's id written in the same
    /// transaction: a commit and its audit record are on disk together or
    /// not at all, in one write rather than two. Returns the revision's id
    /// and what was written with it.
    pub fn save_config_journaled(
        &self,
        datastore: &str,
        body: &str,
        origin: &str,
        meta: Option<(&str, &str)>,
        keep_bytes: u64,
        journal: impl FnOnce(i64) -> Journal,
    ) -> Result<(i64, Journal), StoreError> {
        let mut c = self.conn();
        let known = lock(&self.kept_config_bytes).remove(datastore);
        let tx = c.transaction()?;
        tx.prepare_cached(
            "INSERT INTO config_revision(datastore, created, origin, body) VALUES(?1,?2,?3,?4)",
        )?
        .execute(params![
            datastore,
            crate::model::now_millis() as i64,
            origin,
            body
        ])?;
        let id = tx.last_insert_rowid();
        // The octets kept, the new revision's included: counted once, then
        // followed through what is added and deleted here.
        let mut kept = match known {
            Some(bytes) => bytes + body.len() as u64,
            None => tx.query_row(
                "SELECT COALESCE(SUM(octet_length(body)), 0) FROM config_revision WHERE datastore=?1",
                [datastore],
                |r| r.get::<_, i64>(0),
            )? as u64,
        };
        let oldest: Option<i64> = tx
            .prepare_cached("SELECT MIN(id) FROM config_revision WHERE datastore=?1")?
            .query_row([datastore], |r| r.get(0))?;
        if oldest.is_some_and(|o| o <= id - CONFIG_REVISIONS_KEPT) {
            let last = id - (CONFIG_REVISIONS_KEPT - CONFIG_PRUNE_BATCH);
            let deleted: Vec<i64> = tx
                .prepare_cached(
                    "DELETE FROM config_revision WHERE datastore=?1 AND id <= ?2
                     RETURNING octet_length(body)",
                )?
                .query_map(params![datastore, last], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            kept -= deleted.iter().sum::<i64>() as u64;
        }
        // Beyond the new revision, only the newest that fit in keep_bytes:
        // the oldest go until the rest fits.
        if kept > keep_bytes {
            let older: Vec<(i64, i64)> = tx
                .prepare_cached(
                    "SELECT id, octet_length(body) FROM config_revision
                     WHERE datastore=?1 AND id < ?2 ORDER BY id",
                )?
                .query_map(params![datastore, id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let mut last = None;
            for (old, octets) in older {
                if kept <= keep_bytes {
                    break;
                }
                kept -= octets as u64;
                last = Some(old);
            }
            if let Some(last) = last {
                tx.prepare_cached("DELETE FROM config_revision WHERE datastore=?1 AND id <= ?2")?
                    .execute(params![datastore, last])?;
            }
        }
        if let Some((k, v)) = meta {
            tx.execute(
                "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                params![k, v],
            )?;
        }
        let journal = journal(id);
        insert_journal(&tx, &journal.logs, &journal.events)?;
        tx.commit()?;
        lock(&self.kept_config_bytes).insert(datastore.to_string(), kept);
        if let Some(stats) = lock(&self.log_stats).as_mut() {
            add_records(stats, &journal.logs);
        }
        Ok((id, journal))
    }

    /// Octets of configuration revisions kept for a datastore.
    pub fn config_bytes(&self, datastore: &str) -> Result<u64, StoreError> {
        let c = self.conn();
        let n: i64 = c.query_row(
            "SELECT COALESCE(SUM(octet_length(body)), 0) FROM config_revision WHERE datastore=?1",
            [datastore],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    pub fn save_alarm(&self, alarm: &Alarm) -> Result<(), StoreError> {
        let body = serde_json::to_string(alarm)?;
        self.conn().execute(
            "INSERT INTO alarm(id, active, changed, body) VALUES(?1,?2,?3,?4)
             ON CONFLICT(id) DO UPDATE SET active=excluded.active, changed=excluded.changed, body=excluded.body",
            params![alarm.id as i64, alarm.is_active(), alarm.changed as i64, body],
        )?;
        Ok(())
    }

    /// Active alarms, and the most recent `history` alarms of any state (newest first).
    pub fn load_alarms(&self, history: u64) -> Result<(Vec<Alarm>, Vec<Alarm>), StoreError> {
        let c = self.conn();
        let decode = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Vec<Alarm>, StoreError> {
            let mut st = c.prepare(sql)?;
            let rows = st.query_map(p, |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for body in rows {
                out.push(serde_json::from_str(&body?)?);
            }
            Ok(out)
        };
        let active = decode("SELECT body FROM alarm WHERE active=1 ORDER BY id", &[])?;
        let recent = decode(
            "SELECT body FROM alarm ORDER BY id DESC LIMIT ?1",
            &[&(history as i64)],
        )?;
        Ok((active, recent))
    }

    /// The highest alarm id ever used, purged alarms included, so that
    /// ids are never reused.
    pub fn max_alarm_id(&self) -> Result<u64, StoreError> {
        let stored: Option<i64> = {
            let c = self.conn();
            c.query_row("SELECT MAX(id) FROM alarm", [], |r| r.get(0))?
        };
        let purged = self
            .meta(PURGED_ALARM_ID)?
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        Ok((stored.unwrap_or(0) as u64).max(purged))
    }

    /// Delete these alarms if they are cleared (an operator's purge).
    pub fn delete_cleared_alarms(&self, ids: &[u64]) -> Result<u64, StoreError> {
        let Some(&highest) = ids.iter().max() else {
            return Ok(0);
        };
        let floor = self.max_alarm_id()?;
        self.set_meta(PURGED_ALARM_ID, &floor.max(highest).to_string())?;
        let c = self.conn();
        let mut st = c.prepare("DELETE FROM alarm WHERE active=0 AND id=?1")?;
        let mut n = 0;
        for id in ids {
            n += st.execute([*id as i64])? as u64;
        }
        Ok(n)
    }

    /// Drop the oldest cleared alarms beyond `keep`.
    pub fn prune_alarms(&self, keep: u64) -> Result<(), StoreError> {
        self.conn().execute(
            "DELETE FROM alarm WHERE active=0 AND id NOT IN
               (SELECT id FROM alarm WHERE active=0 ORDER BY id DESC LIMIT ?1)",
            [keep as i64],
        )?;
        Ok(())
    }

    /// Insert log records and events in one transaction, then apply retention.
    pub fn write_batch(
        &self,
        logs: &[LogRecord],
        events: &[EventRow],
        retention: &[(LogKind, u64)],
    ) -> Result<(), StoreError> {
        let mut c = self.conn();
        let mut cached = lock(&self.log_stats);
        // Taken out, so a failed write leaves the counts unknown.
        let mut stats = match cached.take() {
            Some(s) => s,
            None => Self::count_logs(&c)?,
        };
        add_records(&mut stats, logs);
        let tx = c.transaction()?;
        let mut purged = Vec::new();
        {
            insert_journal(&tx, logs, events)?;
            // The counts say how many records a family holds over its
            // retention (the newest is always kept), so the oldest ones go
            // by a walk of that many index entries, not of all kept.
            let mut prune = tx.prepare_cached(
                "DELETE FROM log_record WHERE id IN
                   (SELECT id FROM log_record WHERE kind=?1 ORDER BY id LIMIT ?2)",
            )?;
            for (kind, keep) in retention {
                let have = stats
                    .iter()
                    .find(|s| s.kind == *kind)
                    .map_or(0, |s| s.count);
                let excess = have.saturating_sub((*keep).max(1));
                if excess == 0 {
                    continue;
                }
                let n = prune.execute(params![kind.as_str(), excess as i64])?;
                if n > 0 {
                    purged.push((*kind, n as u64));
                }
            }
            if let Some((last, ..)) = events.last() {
                tx.prepare_cached("DELETE FROM event WHERE seq <= ?1")?
                    .execute([*last as i64 - EVENTS_KEPT])?;
            }
        }
        tx.commit()?;
        for (kind, n) in purged {
            let oldest: Option<i64> = c
                .query_row(
                    "SELECT time FROM log_record WHERE kind=?1 ORDER BY id LIMIT 1",
                    [kind.as_str()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(s) = stats.iter_mut().find(|s| s.kind == kind) {
                s.count = s.count.saturating_sub(n);
                s.oldest = oldest.map(|t| t as u64);
            }
        }
        // A family with no records left is absent, as when counted.
        stats.retain(|s| s.count > 0);
        *cached = Some(stats);
        Ok(())
    }

    pub fn max_log_id(&self) -> Result<u64, StoreError> {
        let v: Option<i64> = self
            .conn()
            .query_row("SELECT MAX(id) FROM log_record", [], |r| r.get(0))?;
        Ok(v.unwrap_or(0) as u64)
    }

    pub fn max_event_seq(&self) -> Result<u64, StoreError> {
        let v: Option<i64> = self
            .conn()
            .query_row("SELECT MAX(seq) FROM event", [], |r| r.get(0))?;
        Ok(v.unwrap_or(0) as u64)
    }

    /// Persisted notifications at or after `since`, oldest first: (seq, time, name, JSON body).
    pub fn events_since(
        &self,
        since: UnixMillis,
        limit: u64,
    ) -> Result<Vec<(u64, UnixMillis, String, String)>, StoreError> {
        let c = self.conn();
        let mut st = c.prepare(
            "SELECT seq, time, name, body FROM event WHERE time >= ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = st.query_map(params![since as i64, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                r.get::<_, i64>(1)? as u64,
                r.get(2)?,
                r.get(3)?,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Counts per log family: kept up to date by the writes, counted
    /// from the records only at start and after a deletion.
    pub fn log_stats(&self) -> Result<Vec<LogStats>, StoreError> {
        let c = self.conn();
        let mut cached = lock(&self.log_stats);
        if let Some(stats) = cached.as_ref() {
            return Ok(stats.clone());
        }
        let counted = Self::count_logs(&c)?;
        *cached = Some(counted.clone());
        Ok(counted)
    }

    fn count_logs(c: &Connection) -> Result<Vec<LogStats>, StoreError> {
        let mut st =
            c.prepare("SELECT kind, COUNT(*), MIN(time), MAX(time) FROM log_record GROUP BY kind")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, count, oldest, newest) = row?;
            if let Some(kind) = LogKind::parse(&kind) {
                out.push(LogStats {
                    kind,
                    count: count as u64,
                    oldest: oldest.map(|v| v as u64),
                    newest: newest.map(|v| v as u64),
                });
            }
        }
        Ok(out)
    }

    fn where_clause(f: &LogFilter) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
        let mut sql = String::from(" WHERE 1=1");
        let mut p: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        if let Some(k) = f.kind {
            sql.push_str(" AND kind=?");
            p.push(Box::new(k.as_str()));
        }
        if let Some(t) = f.since {
            sql.push_str(" AND time>=?");
            p.push(Box::new(t as i64));
        }
        if let Some(t) = f.until {
            sql.push_str(" AND time<?");
            p.push(Box::new(t as i64));
        }
        if let Some(l) = f.min_level {
            sql.push_str(" AND level<=?");
            p.push(Box::new(l as i64));
        }
        if let Some(s) = &f.contains {
            sql.push_str(" AND instr(message, ?) > 0");
            p.push(Box::new(s.clone()));
        }
        (sql, p)
    }

    /// Matching records, newest first.
    pub fn query_logs(&self, f: &LogFilter, limit: u64) -> Result<Vec<LogRecord>, StoreError> {
        let (w, mut p) = Self::where_clause(f);
        p.push(Box::new(limit as i64));
        let sql = format!(
            "SELECT id, kind, time, level, source, message FROM log_record{w} ORDER BY id DESC LIMIT ?"
        );
        let c = self.conn();
        let mut st = c.prepare(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(p.iter()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, time, level, source, message) = row?;
            let (Some(kind), Some(level)) = (LogKind::parse(&kind), level_from(level)) else {
                continue;
            };
            out.push(LogRecord {
                id: id as u64,
                kind,
                time: time as u64,
                level,
                source,
                message,
            });
        }
        Ok(out)
    }

    /// Delete matching records; returns how many went.
    pub fn delete_logs(&self, f: &LogFilter) -> Result<u64, StoreError> {
        let (w, p) = Self::where_clause(f);
        let c = self.conn();
        let n = c.execute(
            &format!("DELETE FROM log_record{w}"),
            rusqlite::params_from_iter(p.iter()),
        )?;
        *lock(&self.log_stats) = None;
        Ok(n as u64)
    }

    /// Rewrite every stored configuration revision `f` changes (returns
    /// Some), then rebuild the file so that no free page keeps the old
    /// text: how secrets written by an older version leave the store.
    /// Returns how many revisions changed.
    pub fn rewrite_config_bodies(
        &self,
        f: impl Fn(&str) -> Option<String>,
    ) -> Result<usize, StoreError> {
        let mut c = self.conn();
        let rows: Vec<(i64, String)> = {
            let mut st = c.prepare("SELECT id, body FROM config_revision")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let changed: Vec<(i64, String)> = rows
            .into_iter()
            .filter_map(|(id, body)| f(&body).map(|b| (id, b)))
            .collect();
        if changed.is_empty() {
            return Ok(0);
        }
        lock(&self.kept_config_bytes).clear();
        let tx = c.transaction()?;
        for (id, body) in &changed {
            tx.execute(
                "UPDATE config_revision SET body=?1 WHERE id=?2",
                params![body, id],
            )?;
        }
        tx.commit()?;
        // VACUUM rewrites the database; the old pages then leave the WAL
        // at the checkpoint, which TRUNCATE empties.
        c.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(changed.len())
    }

    /// A consistent copy of the whole store in a new SQLite file (VACUUM INTO),
    /// readable while the agent keeps writing.
    pub fn backup_to(&self, path: &Path) -> Result<(), StoreError> {
        let p = path.to_string_lossy().to_string();
        self.conn().execute("VACUUM INTO ?1", [p])?;
        Ok(())
    }
}

pub fn level_from(v: i64) -> Option<LogLevel> {
    match v {
        1 => Some(LogLevel::Error),
        2 => Some(LogLevel::Warning),
        3 => Some(LogLevel::Info),
        4 => Some(LogLevel::Debug),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: u64, kind: LogKind, msg: &str) -> LogRecord {
        LogRecord {
            id,
            kind,
            time: id * 10,
            level: LogLevel::Info,
            source: "t".into(),
            message: msg.into(),
        }
    }

    #[test]
    fn config_revisions_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let s = Store::open(&path).unwrap();
            s.save_config("running", "{\"a\":1}", "test", Some(("seed", "x")), 1 << 20)
                .unwrap();
            s.save_config("running", "{\"a\":2}", "test", None, 1 << 20)
                .unwrap();
        }
        let s = Store::open(&path).unwrap();
        let (_, body) = s.latest_config("running").unwrap().unwrap();
        assert_eq!(body, "{\"a\":2}");
        assert_eq!(s.meta("seed").unwrap().as_deref(), Some("x"));
        assert!(s.latest_config("startup").unwrap().is_none());
    }

    /// The ids of the revisions left in `datastore`.
    fn revisions(s: &Store, datastore: &str) -> Vec<i64> {
        let c = s.conn();
        let mut st = c
            .prepare("SELECT id FROM config_revision WHERE datastore=?1 ORDER BY id")
            .unwrap();
        st.query_map([datastore], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn revision_history_is_bounded_by_size_and_keeps_the_latest() {
        let s = Store::open_in_memory().unwrap();
        let body = |n: usize| format!("{{\"x\":\"{}\"}}", "a".repeat(n - 8));
        // Four 1000-octet revisions fit in 4000 octets; a fifth pushes out the first.
        for _ in 0..4 {
            s.save_config("running", &body(1000), "t", None, 4000)
                .unwrap();
        }
        s.save_config("startup", &body(1000), "t", None, 4000)
            .unwrap();
        assert_eq!(revisions(&s, "running"), vec![1, 2, 3, 4]);
        s.save_config("running", &body(1000), "t", None, 4000)
            .unwrap();
        assert_eq!(revisions(&s, "running"), vec![2, 3, 4, 6]);
        // A revision larger than the bound is kept alone.
        let big = s
            .save_config("running", &body(10_000), "t", None, 4000)
            .unwrap();
        assert_eq!(revisions(&s, "running"), vec![big]);
        assert_eq!(s.latest_config("running").unwrap().unwrap().1.len(), 10_000);
        // The other datastore is not touched.
        assert_eq!(revisions(&s, "startup"), vec![5]);
    }

    #[test]
    fn the_count_bound_prunes_the_oldest_in_batches() {
        let s = Store::open_in_memory().unwrap();
        let mut pruned_at = Vec::new();
        let mut previous = 0;
        let mut issued = Vec::new();
        for n in 1..=500i64 {
            // Another datastore's revisions take ids too: here every
            // multiple of the batch size.
            if (issued.last().copied().unwrap_or(0) + 1) % CONFIG_PRUNE_BATCH == 0 {
                s.save_config("startup", "{}", "t", None, 1 << 30).unwrap();
            }
            let id = s.save_config("running", "{}", "t", None, 1 << 30).unwrap();
            let kept = revisions(&s, "running");
            assert!(
                kept.len() as i64 <= CONFIG_REVISIONS_KEPT,
                "{} after {n}",
                kept.len()
            );
            // The newest, within the last CONFIG_REVISIONS_KEPT ids.
            assert_eq!(kept.last(), Some(&id));
            assert!(kept[0] > id - CONFIG_REVISIONS_KEPT, "{kept:?}");
            // Nothing newer than the batch's bound goes, and what is kept
            // has no gap.
            issued.push(id);
            let newest = id - (CONFIG_REVISIONS_KEPT - CONFIG_PRUNE_BATCH);
            let expected: Vec<i64> = issued
                .iter()
                .copied()
                .filter(|&i| i >= kept[0].min(newest + 1))
                .collect();
            assert_eq!(kept, expected, "after {n}");
            if kept.len() < previous {
                pruned_at.push(n);
            }
            previous = kept.len();
        }
        assert!(!revisions(&s, "startup").is_empty());
        assert!(pruned_at.len() >= 5, "pruned at {pruned_at:?}");
    }

    #[test]
    fn the_byte_bound_follows_a_model_over_many_commits() {
        let s = Store::open_in_memory().unwrap();
        let mut model: Vec<(i64, usize)> = Vec::new();
        for n in 0..60usize {
            let size = 200 + (n * 7919) % 1800;
            let body = "b".repeat(size);
            let id = s.save_config("running", &body, "t", None, 5000).unwrap();
            model.push((id, size));
            // Newest first: the new one, then older ones while all fit.
            let mut kept = Vec::new();
            let mut total = 0;
            for (i, &(rid, octets)) in model.iter().rev().enumerate() {
                total += octets;
                if i > 0 && total > 5000 {
                    break;
                }
                kept.push(rid);
            }
            kept.reverse();
            model.retain(|(rid, _)| kept.contains(rid));
            assert_eq!(revisions(&s, "running"), kept, "after {n}");
            let octets: usize = model.iter().map(|&(_, o)| o).sum();
            assert_eq!(s.config_bytes("running").unwrap(), octets as u64);
        }
    }

    #[test]
    fn retention_keeps_the_newest_per_kind() {
        let s = Store::open_in_memory().unwrap();
        let logs: Vec<_> = (1..=10)
            .map(|i| rec(i, LogKind::Consensus, &format!("m{i}")))
            .collect();
        let other = [rec(11, LogKind::System, "s")];
        s.write_batch(&logs, &[], &[]).unwrap();
        s.write_batch(
            &other,
            &[],
            &[(LogKind::Consensus, 3), (LogKind::System, 3)],
        )
        .unwrap();
        let got = s
            .query_logs(
                &LogFilter {
                    kind: Some(LogKind::Consensus),
                    ..Default::default()
                },
                100,
            )
            .unwrap();
        let ids: Vec<u64> = got.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![10, 9, 8]);
        let stats = s.log_stats().unwrap();
        assert!(
            stats
                .iter()
                .any(|st| st.kind == LogKind::System && st.count == 1)
        );
    }

    /// The counts kept across writes, purges and deletions equal a count
    /// of the records themselves.
    #[test]
    fn kept_log_counts_match_a_recount() {
        let s = Store::open_in_memory().unwrap();
        let recount = |s: &Store| {
            let mut v = Store::count_logs(&s.conn()).unwrap();
            v.sort_by_key(|st| st.kind.as_str());
            v
        };
        let kept = |s: &Store| {
            let mut v = s.log_stats().unwrap();
            v.sort_by_key(|st| st.kind.as_str());
            v
        };
        assert!(kept(&s).is_empty());
        let first: Vec<_> = (1..=10).map(|i| rec(i, LogKind::Consensus, "c")).collect();
        s.write_batch(&first, &[], &[]).unwrap();
        assert_eq!(kept(&s), recount(&s));
        assert_eq!(kept(&s)[0].count, 10);
        // A purge to 4 records moves the oldest on.
        let more = [
            rec(11, LogKind::Consensus, "c"),
            rec(12, LogKind::System, "s"),
        ];
        s.write_batch(&more, &[], &[(LogKind::Consensus, 4)])
            .unwrap();
        assert_eq!(kept(&s), recount(&s));
        let consensus = kept(&s)
            .into_iter()
            .find(|st| st.kind == LogKind::Consensus)
            .unwrap();
        assert_eq!((consensus.count, consensus.oldest), (4, Some(80)));
        // A deletion makes the counts unknown; they are counted again.
        let gone = s
            .delete_logs(&LogFilter {
                kind: Some(LogKind::System),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(gone, 1);
        assert_eq!(kept(&s), recount(&s));
        assert!(kept(&s).iter().all(|st| st.kind != LogKind::System));
        // A family purged to nothing disappears, as in a count.
        s.write_batch(
            &[rec(13, LogKind::System, "s")],
            &[],
            &[(LogKind::Consensus, 0)],
        )
        .unwrap();
        assert_eq!(kept(&s), recount(&s));
    }

    #[test]
    fn query_and_delete_filter_by_text_and_time() {
        let s = Store::open_in_memory().unwrap();
        let logs: Vec<_> = (1..=6)
            .map(|i| {
                rec(
                    i,
                    LogKind::Contract,
                    if i % 2 == 0 { "revert" } else { "ok" },
                )
            })
            .collect();
        s.write_batch(&logs, &[], &[]).unwrap();
        let f = LogFilter {
            contains: Some("revert".into()),
            ..Default::default()
        };
        assert_eq!(s.query_logs(&f, 10).unwrap().len(), 3);
        let before = LogFilter {
            until: Some(35),
            ..Default::default()
        };
        assert_eq!(s.delete_logs(&before).unwrap(), 3);
        assert_eq!(s.query_logs(&LogFilter::default(), 10).unwrap().len(), 3);
    }

    #[test]
    fn backup_is_a_readable_store() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("a.db")).unwrap();
        s.write_batch(&[rec(1, LogKind::System, "hello")], &[], &[])
            .unwrap();
        let copy = dir.path().join("b.db");
        s.backup_to(&copy).unwrap();
        let b = Store::open(&copy).unwrap();
        assert_eq!(
            b.query_logs(&LogFilter::default(), 10).unwrap()[0].message,
            "hello"
        );
    }
}
