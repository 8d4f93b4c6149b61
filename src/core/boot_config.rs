//! Which running configuration the agent starts with.
//!
//! The configuration file is the startup configuration: when its text
//! changed since the last start, it replaces the stored `startup`
//! datastore (NETCONF's `:startup`, which `copy-config` can also write).
//! The running configuration is persisted with every change made at run
//! time over SNMP, NETCONF or `ctl`. At start the changes startup made
//! since running last took it in are merged into running
//! ([`crate::config::reconcile`]): run-time changes are never dropped
//! silently, and where both changed the same leaf the agent refuses to
//! start until the operator chooses with `--prefer-startup` or
//! `--prefer-running` (docs/configuration.md, "Startup and running").

use super::datastore::{Origin, STARTUP, decode, no_hash, protect};
use super::logs::LogSink;
use super::store::{Store, StoreError};
use crate::config::reconcile::{Prefer, Reconciled, reconcile};
use crate::config::{
    Config, ConfigIssue, ConfigPath, hash_plain_passwords, masked_key, normalise,
    reuse_verified_hashes, validate,
};
use crate::model::log::{LogKind, LogLevel};

const RUNNING: &str = "running";
/// The startup configuration running last took in: the base of the merge.
const APPLIED_STARTUP: &str = "applied-startup";
/// The digest of the configuration file's text the startup datastore was
/// last seeded from.
pub(super) const SEED_KEY: &str = "seed-digest";

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "the startup configuration (the configuration file, or NETCONF's startup datastore) and changes made at run time over SNMP, NETCONF or ctl both changed {}. Nothing was changed. Start again with --prefer-startup to take the startup values for these (each is logged), or with --prefer-running to keep the run-time values (each startup change left out is logged)",
        .0.join(", ")
    )]
    Conflict(Vec<String>),
    #[error(
        "the startup configuration merged with the changes made at run time breaks these rules: {}. Nothing was changed; correct the configuration file, or start with the other of --prefer-startup and --prefer-running",
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    Invalid(Vec<ConfigIssue>),
}

/// Choose the running configuration at start and persist the choice.
/// `file` has its USM passwords localised already; its NETCONF passwords
/// may still be plain.
pub(super) fn choose(
    store: &Store,
    logs: &LogSink,
    engine_id: &[u8],
    file: Config,
    digest: &str,
    prefer: Option<Prefer>,
) -> Result<(Config, Origin), StartupError> {
    let running = restorable_running(store, logs)?;
    let stored_startup = readable(store, STARTUP)?;
    let base = match readable(store, APPLIED_STARTUP)? {
        Some(b) => Some(b),
        // A store of a version before this one: startup was seeded with
        // running, or later copied from it.
        None => stored_startup.clone(),
    };
    let keep = file.agent.revision_history_bytes;
    let file_changed = store.meta(SEED_KEY)?.as_deref() != Some(digest);
    let startup = match stored_startup {
        Some(s) if !file_changed => s,
        _ => {
            let mut f = file;
            if let Some(b) = &base {
                reuse_verified_hashes(&mut f, b);
            }
            // The store never holds a plain-text password.
            hash_plain_passwords(&mut f).map_err(no_hash)?;
            let body = serde_json::to_string(&f).map_err(StoreError::Decode)?;
            store.save_config(STARTUP, &body, "file", Some((SEED_KEY, digest)), keep)?;
            f
        }
    };
    let Some((rev, running)) = running else {
        let rev = save_running(store, &startup, &startup, keep)?;
        return Ok((startup, Origin::Seeded(rev)));
    };
    let mut running = running;
    // A revision saved before passwords were hashed on commit.
    protect(&mut running, engine_id).map_err(no_hash)?;
    let Some(base) = base.filter(|b| *b != startup) else {
        // Startup brings nothing running has not taken in already.
        return Ok((running, Origin::Restored(rev)));
    };
    let value = |c: &Config| serde_json::to_value(c).map_err(StoreError::Decode);
    let merged = reconcile(&value(&base)?, &value(&running)?, &value(&startup)?, prefer)
        .map_err(|c| StartupError::Conflict(c.paths.iter().map(shown).collect()))?;
    let mut config: Config = serde_json::from_value(merged.value.clone()).map_err(|e| {
        StartupError::Invalid(vec![ConfigIssue::at(ConfigPath::root(), e.to_string())])
    })?;
    normalise(&mut config);
    let issues = validate(&config);
    if !issues.is_empty() {
        return Err(StartupError::Invalid(issues));
    }
    // Run-time changes hold no plain password; a conflict taken from
    // the file may.
    protect(&mut config, engine_id).map_err(no_hash)?;
    record(logs, rev, &merged);
    let new = save_running(store, &config, &startup, keep)?;
    Ok((
        config,
        Origin::Merged {
            from: rev,
            rev: new,
            applied: merged.applied.len(),
            kept: merged.kept.len(),
        },
    ))
}

/// Save `config` as running, and `startup` as the startup configuration
/// it took in. A crash between the two only makes the next start merge
/// the same changes again, which finds running holding them already.
fn save_running(
    store: &Store,
    config: &Config,
    startup: &Config,
    keep: u64,
) -> Result<i64, StoreError> {
    let body = serde_json::to_string(config).map_err(StoreError::Decode)?;
    let rev = store.save_config(RUNNING, &body, "startup", None, keep)?;
    let body = serde_json::to_string(startup).map_err(StoreError::Decode)?;
    store.save_config(APPLIED_STARTUP, &body, "startup", None, keep)?;
    Ok(rev)
}

/// Note that running took in `startup` (it was copied from running).
pub(super) fn took_in(store: &Store, body: &str, keep: u64) -> Result<(), StoreError> {
    store.save_config(APPLIED_STARTUP, body, "startup", None, keep)?;
    Ok(())
}

/// A path as logs and errors show it: a community is masked.
fn shown(p: &ConfigPath) -> String {
    masked_key(p).pointer()
}

/// One operation-log record per path a side won or lost, so that the
/// operator sees what the start did to their changes.
fn record(logs: &LogSink, from: i64, m: &Reconciled) {
    let say = |level, text: String| logs.record(LogKind::Operation, level, "datastore", text);
    for p in &m.applied {
        say(
            LogLevel::Info,
            format!("start: {} taken from the startup configuration", shown(p)),
        );
    }
    for p in &m.overridden {
        say(
            LogLevel::Warning,
            format!(
                "start: {} taken from the startup configuration over the value set at run time (--prefer-startup)",
                shown(p)
            ),
        );
    }
    for p in &m.ignored {
        say(
            LogLevel::Warning,
            format!(
                "start: {} kept as set at run time; the startup configuration's change was left out (--prefer-running)",
                shown(p)
            ),
        );
    }
    say(
        LogLevel::Info,
        format!(
            "start: running revision {from} merged with the startup configuration: {} startup change(s) applied, {} run-time change(s) kept, {} overridden, {} left out",
            m.applied.len(),
            m.kept.len(),
            m.overridden.len(),
            m.ignored.len()
        ),
    );
}

/// The latest configuration of a datastore, if it can be read.
fn readable(store: &Store, datastore: &str) -> Result<Option<Config>, StoreError> {
    Ok(store
        .latest_config(datastore)?
        .and_then(|(_, body)| decode(&body).ok()))
}

/// The persisted running configuration, unless it cannot be used: then
/// the startup configuration seeds running, and the log says why.
fn restorable_running(store: &Store, logs: &LogSink) -> Result<Option<(i64, Config)>, StoreError> {
    let Some((rev, body)) = store.latest_config(RUNNING)? else {
        return Ok(None);
    };
    let why = match decode(&body) {
        // A revision committed before a rule it breaks (a text SNMP
        // cannot carry) is not restored either.
        Ok(c) => {
            let issues = validate(&c);
            if issues.is_empty() {
                return Ok(Some((rev, c)));
            }
            format!(
                "breaks rules of this version ({})",
                issues
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
        Err(e) => format!("is unusable ({e})"),
    };
    logs.record(
        LogKind::System,
        LogLevel::Error,
        "datastore",
        format!("stored running revision {rev} {why}; seeding from the startup configuration"),
    );
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::super::datastore::{Actor, Datastore, Edit};
    use super::*;
    use serde_json::Value;
    use std::sync::Arc;

    struct Dir {
        _tmp: tempfile::TempDir,
        path: std::path::PathBuf,
    }

    fn dir() -> Dir {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.db");
        Dir { _tmp: tmp, path }
    }

    fn start(
        d: &Dir,
        file: &str,
        prefer: Option<Prefer>,
    ) -> Result<(Datastore, Origin), StartupError> {
        let config: Config = toml::from_str(file).unwrap();
        let store = Arc::new(Store::open(&d.path).unwrap());
        let (tx, _) = super::super::events::channel();
        let logs = LogSink::start(store.clone(), &config, tx).unwrap();
        // The digest stands for the file's text, as main computes it.
        Datastore::open(store, logs, config, file, prefer)
    }

    fn set(ds: &Datastore, path: &str, value: Value) {
        let edit = Edit::Set {
            path: path.parse().unwrap(),
            value,
        };
        ds.edit(&[edit], "test").unwrap();
    }

    const FILE: &str = "[thresholds]\ncpu-percent = 80.0\n";

    /// The bug this module fixes: an edited file used to re-seed running
    /// and drop every change made at run time.
    #[test]
    fn an_edited_file_keeps_run_time_changes_and_brings_its_own() {
        let d = dir();
        let (ds, origin) = start(&d, FILE, None).unwrap();
        assert!(matches!(origin, Origin::Seeded(_)), "{origin:?}");
        set(&ds, "/thresholds/memory-percent", 70.0.into());
        drop(ds);
        let edited = "[thresholds]\ncpu-percent = 60.0\n";
        let (ds, origin) = start(&d, edited, None).unwrap();
        assert!(
            matches!(
                origin,
                Origin::Merged {
                    applied: 1,
                    kept: 1,
                    ..
                }
            ),
            "{origin:?}"
        );
        let t = &ds.running().thresholds;
        assert_eq!((t.cpu_percent, t.memory_percent), (60.0, 70.0));
        drop(ds);
        // Started again with the same file: nothing more to merge.
        let (ds, origin) = start(&d, edited, None).unwrap();
        assert!(matches!(origin, Origin::Restored(_)), "{origin:?}");
        assert_eq!(ds.running().thresholds.memory_percent, 70.0);
    }

    #[test]
    fn a_value_both_changed_needs_the_operators_choice() {
        let d = dir();
        let (ds, _) = start(&d, FILE, None).unwrap();
        set(&ds, "/thresholds/cpu-percent", 50.0.into());
        drop(ds);
        let edited = "[thresholds]\ncpu-percent = 60.0\n";
        let e = start(&d, edited, None).err().unwrap();
        let text = e.to_string();
        assert!(matches!(e, StartupError::Conflict(_)), "{text}");
        for word in [
            "/thresholds/cpu-percent",
            "--prefer-startup",
            "--prefer-running",
        ] {
            assert!(text.contains(word), "{word} missing from: {text}");
        }
        // The refusal changed nothing: it says the same again.
        assert!(matches!(
            start(&d, edited, None),
            Err(StartupError::Conflict(_))
        ));
        let (ds, _) = start(&d, edited, Some(Prefer::Running)).unwrap();
        assert_eq!(ds.running().thresholds.cpu_percent, 50.0);
        drop(ds);
        // The choice is made once: the file's change counts as taken in.
        let (ds, origin) = start(&d, edited, None).unwrap();
        assert!(matches!(origin, Origin::Restored(_)), "{origin:?}");
        assert_eq!(ds.running().thresholds.cpu_percent, 50.0);
        drop(ds);

        let d = dir();
        let (ds, _) = start(&d, FILE, None).unwrap();
        set(&ds, "/thresholds/cpu-percent", 50.0.into());
        drop(ds);
        let (ds, _) = start(&d, edited, Some(Prefer::Startup)).unwrap();
        assert_eq!(ds.running().thresholds.cpu_percent, 60.0);
    }

    /// A password in the file hashes to a new text each time; read again
    /// with the file edited elsewhere, it is not a change of the file's
    /// that overrides the password set at run time.
    #[test]
    fn an_unchanged_file_password_is_no_change() {
        let d = dir();
        let file = "[netconf.users.ann]\npassword = \"Ann-Secret-41\"\n";
        let (ds, _) = start(&d, file, None).unwrap();
        set(&ds, "/netconf/users/ann/password", "Ann-Runtime-42".into());
        drop(ds);
        let edited = format!("{file}[system]\ncontact = \"noc\"\n");
        let (ds, origin) = start(&d, &edited, None).unwrap();
        assert!(matches!(origin, Origin::Merged { .. }), "{origin:?}");
        let hash = ds.running().netconf.users["ann"].password_hash.clone();
        assert!(crate::config::password_hash::verify(
            "Ann-Runtime-42",
            &hash.unwrap()
        ));
        assert_eq!(ds.running().system.contact, "noc");
    }

    /// NETCONF's `:startup`: a startup configuration written at run time
    /// is what the next start takes in; one copied from running adds
    /// nothing running lacks.
    #[test]
    fn the_startup_datastore_is_taken_in_at_start() {
        let d = dir();
        let (ds, _) = start(&d, FILE, None).unwrap();
        let mut staged = (*ds.running()).clone();
        staged.system.location = "rack 9".into();
        ds.set_startup(&staged, "test", Actor::Other).unwrap();
        assert_eq!(ds.running().system.location, "");
        drop(ds);
        let (ds, origin) = start(&d, FILE, None).unwrap();
        assert!(
            matches!(origin, Origin::Merged { applied: 1, .. }),
            "{origin:?}"
        );
        assert_eq!(ds.running().system.location, "rack 9");
        set(&ds, "/system/contact", "noc".into());
        ds.save_startup("test").unwrap();
        set(&ds, "/system/contact", "night shift".into());
        drop(ds);
        let (ds, origin) = start(&d, FILE, None).unwrap();
        assert!(matches!(origin, Origin::Restored(_)), "{origin:?}");
        assert_eq!(ds.running().system.contact, "night shift");
    }
}
