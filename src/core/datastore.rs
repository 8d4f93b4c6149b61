//! The configuration datastore: `running` and `startup`, one typed document
//! each, persisted as revisions in the store. Every change is a transaction:
//! edit a copy, normalise, validate, persist (fsync), then publish. A commit
//! that returned is on disk; one that failed left nothing behind.

use super::boot_config::StartupError;
use super::events::Event;
use super::logs::LogSink;
use super::store::{Journal, Store, StoreError};
use crate::config::reconcile::Prefer;
use crate::config::{
    Config, ConfigDiff, ConfigIssue, ConfigPath, UsmMasterKeys, hash_plain_passwords,
    localize_usm_passwords, normalise, restart_only_change, supersede_stale_hashes, validate,
};
use crate::model::log::{LogKind, LogLevel};
use arc_swap::ArcSwap;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

const RUNNING: &str = "running";
pub(super) const STARTUP: &str = "startup";

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("invalid configuration: {}", join(.0))]
    Invalid(Vec<ConfigIssue>),
    #[error("{0}: only a restart with an edited configuration file can change this")]
    RestartRequired(&'static str),
    #[error("{path}: {message}")]
    BadEdit { path: String, message: String },
    #[error("the {target} datastore is locked by NETCONF session {}", .holder.session)]
    Locked { target: Target, holder: LockHolder },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The configuration datastores of RFC 6241 that can be locked. `running`
/// and `startup` live here; `candidate` lives in the NETCONF server, but its
/// lock is kept here too so that every lock is in one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Running,
    Candidate,
    Startup,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Running, Target::Candidate, Target::Startup];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Running => "running",
            Target::Candidate => "candidate",
            Target::Startup => "startup",
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A configuration that passed the commit checks while `against` was the
/// running configuration (see [`Datastore::check_for_commit`]). Only the
/// datastore makes one, so holding one proves the checks ran.
#[derive(Debug, Clone)]
pub struct Checked {
    config: Config,
    against: Arc<Config>,
}

impl Checked {
    /// The checked configuration, as a commit would store it.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// A NETCONF session holding a datastore lock (RFC 6241 7.5).
#[derive(Debug, Clone, PartialEq)]
pub struct LockHolder {
    pub session: u32,
    pub user: String,
    pub since: crate::model::UnixMillis,
}

/// Who asks for a commit: a NETCONF session (which may hold the lock) or
/// anyone else (SNMP, the control socket), who never holds one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Session(u32),
    Other,
    /// The agent undoing a confirmed commit nobody confirmed: RFC 6241 8.4
    /// rolls back whoever holds the lock.
    System,
}

fn join(issues: &[ConfigIssue]) -> String {
    issues
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// One change to apply to the running configuration, addressed by a
/// configuration path (a JSON pointer into its JSON form on the wire:
/// `/thresholds/cpu-percent`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "op")]
pub enum Edit {
    Set { path: ConfigPath, value: Value },
    Delete { path: ConfigPath },
}

impl Edit {
    /// The configuration path the edit changes.
    pub fn path(&self) -> &ConfigPath {
        match self {
            Edit::Set { path, .. } | Edit::Delete { path } => path,
        }
    }
}

/// A committed running configuration as the watch channel publishes it:
/// the configuration, and what changed from `base`, the one before it.
#[derive(Debug, Clone)]
pub struct Committed {
    pub config: Arc<Config>,
    pub diff: Arc<ConfigDiff>,
    base: Arc<Config>,
}

impl Committed {
    /// What changed since `applied`, the configuration a subscriber last
    /// acted on: the published diff when `applied` is its base; when the
    /// subscriber missed commits (the channel keeps only the latest),
    /// the two are compared.
    pub fn diff_since(&self, applied: &Arc<Config>) -> Arc<ConfigDiff> {
        if Arc::ptr_eq(applied, &self.base) {
            return self.diff.clone();
        }
        if Arc::ptr_eq(applied, &self.config) {
            return Arc::new(ConfigDiff::default());
        }
        Arc::new(
            ConfigDiff::between(applied, &self.config)
                .unwrap_or_else(|_| ConfigDiff::whole(ConfigPath::root())),
        )
    }
}

pub struct Datastore {
    store: Arc<Store>,
    logs: LogSink,
    running: ArcSwap<Config>,
    /// Serialises commits; readers never take it.
    commit_lock: Mutex<()>,
    /// NETCONF locks; a lock on running also stops SNMP SETs.
    locks: Mutex<std::collections::BTreeMap<Target, LockHolder>>,
    watch: watch::Sender<Committed>,
    /// Run inside each commit, before it returns: what must hold as soon
    /// as the committer is answered (alarm shelving moving alarms).
    on_commit: Mutex<Vec<CommitHook>>,
    /// The local snmpEngineID, to which SNMPv3 passwords are localised
    /// before a configuration is saved.
    engine_id: Vec<u8>,
    /// The USM master keys (Ku) of the passwords in the file, in memory
    /// only: informs localise them to the receiver's engine.
    usm_masters: UsmMasterKeys,
}

/// A function [`Datastore::on_commit`] runs with each new running configuration.
pub type CommitHook = Box<dyn Fn(&Config) + Send + Sync>;

/// How the running configuration was chosen at start.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// Restored from the store: the file is unchanged since it seeded it.
    Restored(i64),
    /// Seeded from the startup configuration (first start, or running
    /// could not be restored).
    Seeded(i64),
    /// Running revision `from` merged with a startup configuration that
    /// changed since running last took it in: revision `rev`.
    Merged {
        from: i64,
        rev: i64,
        applied: usize,
        kept: usize,
    },
}

impl Datastore {
    /// Open the datastore. The file (or the embedded defaults) seeds it on
    /// first start; later, the persisted running configuration, with every
    /// change made through the agent, takes in what startup changed
    /// since (see [`super::boot_config`]).
    pub fn open(
        store: Arc<Store>,
        logs: LogSink,
        file: Config,
        digest: &str,
        prefer: Option<Prefer>,
    ) -> Result<(Datastore, Origin), StartupError> {
        let engine_id = super::snmp_engine_id::local_engine_id(&store, &file.snmp.engine_id)?;
        // Revisions an older version saved with passwords in them.
        let cleaned = store.rewrite_config_bodies(|body| {
            let mut c: Config = serde_json::from_str(body).ok()?;
            if !holds_password(&c) {
                return None;
            }
            protect(&mut c, &engine_id).ok()?;
            serde_json::to_string(&c).ok()
        })?;
        if cleaned > 0 {
            logs.record(
                LogKind::Security,
                LogLevel::Warning,
                "datastore",
                format!("{cleaned} stored configuration revision(s) held passwords; they now hold hashes and localised keys"),
            );
        }
        // The file's USM passwords give the master keys, whichever
        // configuration wins; the SNMP engine uses one only if it matches
        // the key in force.
        let mut file = file;
        let usm_masters = localize_usm_passwords(&mut file, &engine_id).map_err(no_hash)?;
        let (config, origin) =
            super::boot_config::choose(&store, &logs, &engine_id, file, digest, prefer)?;
        let config = Arc::new(config);
        let (watch, _) = watch::channel(Committed {
            config: config.clone(),
            diff: Default::default(),
            base: config.clone(),
        });
        Ok((
            Datastore {
                store,
                logs,
                running: ArcSwap::new(config),
                commit_lock: Mutex::new(()),
                locks: Mutex::new(Default::default()),
                watch,
                on_commit: Mutex::new(Vec::new()),
                engine_id,
                usm_masters,
            },
            origin,
        ))
    }

    pub fn running(&self) -> Arc<Config> {
        self.running.load_full()
    }

    /// The USM master keys from the configuration file's passwords.
    pub fn usm_master_keys(&self) -> &UsmMasterKeys {
        &self.usm_masters
    }

    /// Told of every committed running configuration, with its diff.
    pub fn subscribe(&self) -> watch::Receiver<Committed> {
        self.watch.subscribe()
    }

    pub fn startup(&self) -> Result<Config, CommitError> {
        match self.store.latest_config(STARTUP)? {
            Some((_, body)) => Ok(decode(&body)?),
            None => Ok((*self.running()).clone()),
        }
    }

    /// Check a candidate without committing it (NETCONF validate, SNMP SET
    /// phase one). The result is what a commit stores: plain passwords are
    /// hashed.
    pub fn check(&self, candidate: &Config) -> Result<Config, CommitError> {
        self.check_against(&self.running(), candidate)
    }

    /// [`Datastore::check`], remembering the running configuration it was
    /// checked against: a NETCONF candidate is checked when it is edited,
    /// and [`Datastore::commit_checked_as`] need not check it again while
    /// that configuration is still running.
    pub fn check_for_commit(&self, candidate: &Config) -> Result<Checked, CommitError> {
        let against = self.running();
        let config = self.check_against(&against, candidate)?;
        Ok(Checked { config, against })
    }

    fn check_against(&self, running: &Config, candidate: &Config) -> Result<Config, CommitError> {
        let mut c = candidate.clone();
        normalise(&mut c);
        let issues = validate(&c);
        if !issues.is_empty() {
            return Err(CommitError::Invalid(issues));
        }
        if let Some(key) = restart_only_change(running, &c) {
            return Err(CommitError::RestartRequired(key));
        }
        protect(&mut c, &self.engine_id).map_err(|i| CommitError::Invalid(vec![i]))?;
        Ok(c)
    }

    /// Run `hook` with the new running configuration inside every commit,
    /// before the commit returns. It must not commit, nor wait for
    /// anything that does.
    pub fn on_commit(&self, hook: CommitHook) {
        self.on_commit
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(hook);
    }

    /// Replace the running configuration. Returns the new revision.
    pub fn commit(&self, candidate: Config, who: &str) -> Result<i64, CommitError> {
        self.commit_as(candidate, who, Actor::Other)
    }

    /// Replace the running configuration on behalf of `actor`, which must
    /// not be locked out of it.
    pub fn commit_as(
        &self,
        candidate: Config,
        who: &str,
        actor: Actor,
    ) -> Result<i64, CommitError> {
        let _guard = self.commit_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.check_lock(Target::Running, actor)?;
        self.commit_locked(candidate, who)
    }

    /// Fails when someone other than `actor` holds `target`'s lock.
    pub fn check_lock(&self, target: Target, actor: Actor) -> Result<(), CommitError> {
        match self.lock_holder(target) {
            Some(holder) if actor != Actor::System && Actor::Session(holder.session) != actor => {
                Err(CommitError::Locked { target, holder })
            }
            _ => Ok(()),
        }
    }

    fn lock_table(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<Target, LockHolder>> {
        self.locks.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn lock_holder(&self, target: Target) -> Option<LockHolder> {
        self.lock_table().get(&target).cloned()
    }

    /// Every lock held, for ietf-netconf-monitoring.
    pub fn locks(&self) -> Vec<(Target, LockHolder)> {
        self.lock_table()
            .iter()
            .map(|(t, h)| (*t, h.clone()))
            .collect()
    }

    /// Take `target`'s lock; the current holder comes back if it is taken.
    pub fn lock(&self, target: Target, holder: LockHolder) -> Result<(), LockHolder> {
        let mut table = self.lock_table();
        match table.get(&target) {
            Some(h) => Err(h.clone()),
            None => {
                table.insert(target, holder);
                Ok(())
            }
        }
    }

    /// Release `target`'s lock if `session` holds it; the holder (if any)
    /// comes back otherwise.
    pub fn unlock(&self, target: Target, session: u32) -> Result<(), Option<LockHolder>> {
        let mut table = self.lock_table();
        match table.get(&target) {
            Some(h) if h.session == session => {
                table.remove(&target);
                Ok(())
            }
            other => Err(other.cloned()),
        }
    }

    /// A session ended: its locks go with it (RFC 6241 7.5).
    pub fn release_locks(&self, session: u32) {
        self.lock_table().retain(|_, h| h.session != session);
    }

    /// Commit a configuration [`Datastore::check_for_commit`] passed. The
    /// checks only depend on the configuration and on what is running, so
    /// they are not run again unless running changed since.
    pub fn commit_checked_as(
        &self,
        checked: Checked,
        who: &str,
        actor: Actor,
    ) -> Result<i64, CommitError> {
        let _guard = self.commit_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.check_lock(Target::Running, actor)?;
        let Checked { config, against } = checked;
        let old = self.running();
        if Arc::ptr_eq(&old, &against) {
            self.publish_locked(config, old, who)
        } else {
            self.commit_locked(config, who)
        }
    }

    fn commit_locked(&self, candidate: Config, who: &str) -> Result<i64, CommitError> {
        let c = self.check(&candidate)?;
        self.publish_locked(c, self.running(), who)
    }

    /// Persist and publish `c`, checked against `old`, the running
    /// configuration; the caller holds the commit lock.
    fn publish_locked(&self, c: Config, old: Arc<Config>, who: &str) -> Result<i64, CommitError> {
        let diff = ConfigDiff::between(&old, &c).map_err(StoreError::Decode)?;
        if diff.is_empty() {
            return Ok(self.store.latest_config(RUNNING)?.map_or(0, |(r, _)| r));
        }
        let body = serde_json::to_string(&c).map_err(StoreError::Decode)?;
        let keep = c.agent.revision_history_bytes;
        let listed = diff.pointers().join(", ");
        let mut notifications = Vec::new();
        // The operation-log record and the config-changed event go to disk
        // with the revision they tell of.
        let rev = self
            .store
            .save_config_journaled(RUNNING, &body, who, None, keep, |rev| {
                let record = self.logs.numbered_record(
                    LogKind::Operation,
                    LogLevel::Info,
                    who,
                    format!("configuration revision {rev}: {listed}"),
                );
                let (n, row) = self.logs.numbered_event(Event::ConfigChanged {
                    revision: rev,
                    origin: who.to_string(),
                    changed: diff.changed.clone(),
                });
                notifications.push(n);
                Journal {
                    logs: record.into_iter().collect(),
                    events: vec![row],
                }
            });
        let (rev, journal) = rev?;
        let c = Arc::new(c);
        self.running.store(c.clone());
        for hook in self
            .on_commit
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            hook(&c);
        }
        self.watch.send_replace(Committed {
            config: c,
            diff: Arc::new(diff),
            base: old,
        });
        self.logs.written(&self.store, &journal.logs, notifications);
        Ok(rev)
    }

    /// Apply edits to the running configuration as one transaction.
    pub fn edit(&self, edits: &[Edit], who: &str) -> Result<i64, CommitError> {
        let _guard = self.commit_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.check_lock(Target::Running, Actor::Other)?;
        let running = self.running();
        let mut candidate = apply_edits(&running, edits)?;
        supersede_stale_hashes(&mut candidate, &running);
        self.commit_locked(candidate, who)
    }

    /// NETCONF copy-config running → startup.
    pub fn save_startup(&self, who: &str) -> Result<i64, CommitError> {
        self.set_startup(&self.running(), who, Actor::Other)
    }

    /// Replace the startup configuration (NETCONF copy-config to startup).
    /// It is checked like a commit, since the agent may start from it.
    pub fn set_startup(
        &self,
        config: &Config,
        who: &str,
        actor: Actor,
    ) -> Result<i64, CommitError> {
        let _guard = self.commit_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.check_lock(Target::Startup, actor)?;
        let mut c = config.clone();
        normalise(&mut c);
        let issues = validate(&c);
        if !issues.is_empty() {
            return Err(CommitError::Invalid(issues));
        }
        protect(&mut c, &self.engine_id).map_err(|i| CommitError::Invalid(vec![i]))?;
        let body = serde_json::to_string(&c).map_err(StoreError::Decode)?;
        let keep = c.agent.revision_history_bytes;
        let rev = self.store.save_config(STARTUP, &body, who, None, keep)?;
        if c == *self.running() {
            // Running holds it already: the next start has nothing of it
            // to merge (a crash between the two saves only makes the next
            // start merge equal values).
            super::boot_config::took_in(&self.store, &body, keep)?;
        }
        Ok(rev)
    }

    /// NETCONF delete-config of startup: from then on the startup
    /// configuration holds no chains and every setting at its default,
    /// until the next copy-config.
    pub fn clear_startup(&self, who: &str, actor: Actor) -> Result<i64, CommitError> {
        let _guard = self.commit_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.check_lock(Target::Startup, actor)?;
        let body = serde_json::to_string(&cleared_startup()).map_err(StoreError::Decode)?;
        let keep = self.running().agent.revision_history_bytes;
        Ok(self.store.save_config(STARTUP, &body, who, None, keep)?)
    }
}

/// The startup configuration after a delete-config: no chains, every
/// setting at its default.
pub fn cleared_startup() -> Config {
    Config {
        chains: Default::default(),
        ..Config::default()
    }
}

/// No password reaches the store: NETCONF passwords become hashes, USM
/// passwords keys localised to the local engine.
pub(super) fn protect(c: &mut Config, engine_id: &[u8]) -> Result<(), ConfigIssue> {
    hash_plain_passwords(c)?;
    localize_usm_passwords(c, engine_id)?;
    Ok(())
}

/// Whether a configuration holds a password in clear (a NETCONF or USM one).
fn holds_password(c: &Config) -> bool {
    c.netconf.users.values().any(|u| u.password.is_some())
        || c.snmp
            .users
            .values()
            .any(|u| u.auth_password.is_some() || u.priv_password.is_some())
}

/// Hashing fails only without a source of random salt.
pub(super) fn no_hash(issue: ConfigIssue) -> StoreError {
    StoreError::Io(issue.key.to_string(), std::io::Error::other(issue.message))
}

pub(super) fn decode(body: &str) -> Result<Config, StoreError> {
    let mut c: Config = serde_json::from_str(body)?;
    normalise(&mut c);
    Ok(c)
}

fn to_value(c: &Config) -> Result<Value, CommitError> {
    serde_json::to_value(c).map_err(|e| CommitError::Store(StoreError::Decode(e)))
}

/// Apply edits to a copy of `base`, in its JSON form, and type-check the result.
pub fn apply_edits(base: &Config, edits: &[Edit]) -> Result<Config, CommitError> {
    let mut doc = to_value(base)?;
    for e in edits {
        let path = e.path();
        let bad = |message: &str| CommitError::BadEdit {
            path: path.pointer(),
            message: message.into(),
        };
        let segments: Vec<String> = path.segments().iter().map(|s| s.text()).collect();
        let (last, parents) = segments.split_last().ok_or_else(|| bad("empty path"))?;
        let mut node = &mut doc;
        for seg in parents {
            let obj = node
                .as_object_mut()
                .ok_or_else(|| bad("not an object on the way"))?;
            node = obj
                .entry(seg.clone())
                .or_insert_with(|| Value::Object(Default::default()));
        }
        let obj = node
            .as_object_mut()
            .ok_or_else(|| bad("parent is not an object"))?;
        match e {
            Edit::Set { value, .. } => {
                obj.insert(last.clone(), value.clone());
            }
            Edit::Delete { .. } => {
                obj.remove(last).ok_or_else(|| bad("nothing to delete"))?;
            }
        }
    }
    serde_json::from_value(doc).map_err(|e| CommitError::BadEdit {
        path: edits
            .iter()
            .map(|e| e.path().pointer())
            .collect::<Vec<_>>()
            .join(", "),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::boot_config::SEED_KEY;

    fn open(store: Arc<Store>, file: Config, digest: &str) -> (Datastore, Origin) {
        let (tx, _) = super::super::events::channel();
        let logs = LogSink::start(store.clone(), &file, tx).unwrap();
        Datastore::open(store, logs, file, digest, None).unwrap()
    }

    fn set(path: &str, value: Value) -> Edit {
        Edit::Set {
            path: path.parse().unwrap(),
            value,
        }
    }

    /// A store written by a version that kept passwords: after an open,
    /// no revision and no byte of the file holds them, and the restored
    /// user has the keys the passwords give.
    #[test]
    fn passwords_an_older_version_stored_leave_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let text = r#"
[snmp]
engine-id = "000000000000000000000002"
[snmp.users.u]
group = "g"
auth = "sha"
auth-password = "maplesyrup"
[snmp.groups.g]
[netconf.users.ann]
password = "ann-oldpw-77"
"#;
        let file: Config = toml::from_str(text).unwrap();
        {
            let store = Store::open(&path).unwrap();
            let body = serde_json::to_string(&file).unwrap();
            store
                .save_config(STARTUP, &body, "old", None, 1 << 20)
                .unwrap();
            store
                .save_config(RUNNING, &body, "old", Some((SEED_KEY, "d1")), 1 << 20)
                .unwrap();
        }
        let (ds, origin) = open(Arc::new(Store::open(&path).unwrap()), file, "d1");
        assert!(matches!(origin, Origin::Restored(_)));
        let u = &ds.running().snmp.users["u"];
        assert_eq!(u.auth_password, None);
        // RFC 3414 A.3.2.
        assert_eq!(
            u.auth_key.as_deref(),
            Some("6695febc9288e36282235fc7151f128497b38f3f")
        );
        assert!(ds.usm_master_keys()["u"].auth.is_some());
        drop(ds);
        for suffix in ["", "-wal"] {
            let bytes = std::fs::read(format!("{}{suffix}", path.display())).unwrap_or_default();
            for secret in ["maplesyrup", "ann-oldpw-77"] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} in s.db{suffix}"
                );
            }
        }
    }

    /// Sixteen edits of a large text once kept 16 copies of it; the
    /// configured byte bound keeps the history small, the latest whole.
    #[test]
    fn revision_history_follows_the_configured_byte_bound() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let mut file = Config::default();
        file.agent.revision_history_bytes = 65_536;
        let (ds, _) = open(store.clone(), file, "d");
        for i in 0..16 {
            let text = format!("{i:03}{}", "x".repeat(200));
            ds.edit(&[set("/system/location", Value::String(text))], "t")
                .unwrap();
            ds.edit(
                &[set("/system/contact", Value::String(format!("{i}")))],
                "t",
            )
            .unwrap();
        }
        let size = |id: &str| {
            let body = store.latest_config(id).unwrap().unwrap().1;
            body.len()
        };
        let one = size(RUNNING) as u64;
        let kept = store.config_bytes(RUNNING).unwrap();
        assert!(
            kept <= 65_536 && kept >= one,
            "{kept} octets kept, one is {one}"
        );
        assert!(kept < 32 * one, "every revision was kept");
        assert_eq!(ds.running().system.contact, "15");
    }

    /// A revision an older version stored with a text SNMP cannot carry
    /// is not restored: the file seeds.
    #[test]
    fn a_stored_revision_that_breaks_a_rule_is_not_restored() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let mut bad = Config::default();
        bad.system.location = "x".repeat(300);
        let body = serde_json::to_string(&bad).unwrap();
        store
            .save_config(RUNNING, &body, "old", Some((SEED_KEY, "d")), 1 << 20)
            .unwrap();
        let (ds, origin) = open(store, Config::default(), "d");
        assert!(matches!(origin, Origin::Seeded(_)), "{origin:?}");
        assert_eq!(ds.running().system.location, "");
    }

    #[test]
    fn edits_persist_and_survive_reopen_with_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let (ds, origin) = open(
                Arc::new(Store::open(&path).unwrap()),
                Config::default(),
                "d1",
            );
            assert!(matches!(origin, Origin::Seeded(_)));
            ds.edit(&[set("/thresholds/cpu-percent", 42.0.into())], "test")
                .unwrap();
        }
        let (ds, origin) = open(
            Arc::new(Store::open(&path).unwrap()),
            Config::default(),
            "d1",
        );
        assert!(matches!(origin, Origin::Restored(_)));
        assert_eq!(ds.running().thresholds.cpu_percent, 42.0);
        // A file whose text changed but not its content changes nothing;
        // the run-time change stays.
        let (ds, origin) = open(
            Arc::new(Store::open(&path).unwrap()),
            Config::default(),
            "d2",
        );
        assert!(matches!(origin, Origin::Restored(_)), "{origin:?}");
        assert_eq!(ds.running().thresholds.cpu_percent, 42.0);
    }

    #[test]
    fn invalid_edits_are_rejected_and_leave_running_unchanged() {
        let (ds, _) = open(
            Arc::new(Store::open_in_memory().unwrap()),
            Config::default(),
            "d",
        );
        let before = ds.running();
        let e = ds
            .edit(&[set("/thresholds/cpu-percent", 420.0.into())], "t")
            .unwrap_err();
        assert!(e.to_string().contains("thresholds.cpu-percent"), "{e}");
        let e = ds
            .edit(&[set("/thresholds/cpu-percent", "high".into())], "t")
            .unwrap_err();
        assert!(matches!(e, CommitError::BadEdit { .. }), "{e}");
        let e = ds
            .edit(&[set("/snmp/enabled", false.into())], "t")
            .unwrap_err();
        assert!(matches!(e, CommitError::RestartRequired("snmp")), "{e}");
        let e = ds
            .edit(&[set("/chains/sim/consensus/gas-limit", 5.into())], "t")
            .unwrap_err();
        assert!(
            e.to_string().contains("not supported by this platform"),
            "{e}"
        );
        assert_eq!(ds.running(), before);
    }

    #[test]
    fn netconf_users_change_live_and_are_stored_hashed_but_listen_is_restart_only() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let (ds, _) = open(store.clone(), Config::default(), "d");
        let stored = |store: &Store| store.latest_config(RUNNING).unwrap().unwrap().1;
        assert!(
            !stored(&store).contains("\"password\""),
            "the seed is hashed"
        );
        let user = serde_json::json!({"password": "Plain-Secret-17", "groups": ["ops"]});
        ds.edit(&[set("/netconf/users/olga", user)], "t").unwrap();
        let olga = ds.running().netconf.users["olga"].clone();
        assert_eq!(olga.password, None);
        let hash = olga.password_hash.unwrap();
        assert!(crate::config::password_hash::verify(
            "Plain-Secret-17",
            &hash
        ));
        assert!(!stored(&store).contains("Plain-Secret-17"));
        // A new plain password replaces the hash (no "not both" clash).
        ds.edit(
            &[set(
                "/netconf/users/olga/password",
                "Other-Secret-18".into(),
            )],
            "t",
        )
        .unwrap();
        let again = ds.running().netconf.users["olga"].password_hash.clone();
        assert!(crate::config::password_hash::verify(
            "Other-Secret-18",
            again.as_deref().unwrap()
        ));
        ds.edit(&[set("/netconf/max-sessions", 3.into())], "t")
            .unwrap();
        ds.edit(&[set("/netconf/idle-timeout-seconds", 5.into())], "t")
            .unwrap();
        for (path, value, key) in [
            ("/netconf/listen", "127.0.0.1:9999".into(), "netconf.listen"),
            ("/netconf/enabled", false.into(), "netconf.enabled"),
            ("/netconf/host-key", "other_key".into(), "netconf.host-key"),
        ] {
            let e = ds.edit(&[set(path, value)], "t").unwrap_err();
            assert!(
                matches!(e, CommitError::RestartRequired(k) if k == key),
                "{e}"
            );
        }
    }

    #[test]
    fn faults_can_be_added_and_removed_by_path() {
        let (ds, _) = open(
            Arc::new(Store::open_in_memory().unwrap()),
            Config::default(),
            "d",
        );
        let mut rx = ds.subscribe();
        let fault = serde_json::json!({"kind": "stop-node", "node": "node-2"});
        ds.edit(&[set("/chains/sim/simulation/faults/f1", fault)], "t")
            .unwrap();
        assert!(rx.has_changed().unwrap());
        let seen = rx.borrow_and_update().config.clone();
        assert_eq!(
            seen.chains["sim"].simulation.as_ref().unwrap().faults["f1"]
                .node
                .as_deref(),
            Some("node-2")
        );
        ds.edit(
            &[Edit::Delete {
                path: "/chains/sim/simulation/faults/f1".parse().unwrap(),
            }],
            "t",
        )
        .unwrap();
        assert!(
            ds.running().chains["sim"]
                .simulation
                .as_ref()
                .unwrap()
                .faults
                .is_empty()
        );
        let bad = serde_json::json!({"kind": "stop-node", "node": "node-9"});
        assert!(
            ds.edit(&[set("/chains/sim/simulation/faults/f2", bad)], "t")
                .is_err()
        );
    }

    /// A commit publishes its diff with the configuration; a subscriber
    /// that missed a commit gets the diff from what it last saw.
    #[test]
    fn a_commit_publishes_its_diff() {
        let (ds, _) = open(
            Arc::new(Store::open_in_memory().unwrap()),
            Config::default(),
            "d",
        );
        let mut rx = ds.subscribe();
        let first = rx.borrow_and_update().config.clone();
        ds.edit(&[set("/system/contact", "a".into())], "t").unwrap();
        let c = rx.borrow_and_update().clone();
        assert_eq!(c.diff.pointers(), vec!["/system/contact"]);
        assert!(Arc::ptr_eq(&c.diff_since(&first), &c.diff));
        ds.edit(&[set("/system/location", "b".into())], "t")
            .unwrap();
        let c = rx.borrow_and_update().clone();
        assert_eq!(c.diff.pointers(), vec!["/system/location"]);
        assert_eq!(
            c.diff_since(&first).pointers(),
            vec!["/system/contact", "/system/location"]
        );
        assert!(c.diff_since(&c.config).is_empty());
    }
}
