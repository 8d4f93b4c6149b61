//! Wiring: opens the store and datastore, starts one collector task per
//! chain and one for the host, and stops cleanly on a signal with every
//! log record flushed.

use super::alarms::AlarmManager;
use super::datastore::{Datastore, Origin};
use super::engine::Engine;
use super::logs::LogSink;
use super::repush;
use super::store::{Store, StoreError};
use super::store_damage::{self, FreshStart, StoreDamage};
use crate::collect::factory;
use crate::collect::host::HostCollector;
use crate::collect::{AdapterChange, AdapterError, ChainAdapter};
use crate::config::{ChainConfig, Config, ConfigDiff, ConfigPath};
use crate::model::log::{LogKind, LogLevel};
use crate::model::now_millis;
use crate::model::snapshot::Snapshot;
use arc_swap::ArcSwap;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("data directory {0} is in use by another chain-agent")]
    Locked(PathBuf),
    #[error(transparent)]
    Private(#[from] super::data_dir::DataDirError),
    #[error(transparent)]
    Damage(#[from] StoreDamage),
    #[error(transparent)]
    Startup(#[from] super::boot_config::StartupError),
}

/// Everything a running agent shares between its tasks.
pub struct Agent {
    pub store: Arc<Store>,
    pub datastore: Arc<Datastore>,
    pub logs: LogSink,
    pub engine: Arc<Mutex<Engine>>,
    pub snapshot: Arc<ArcSwap<Snapshot>>,
    /// The count of snapshots published ([`Engine::publications`]).
    pub publications: tokio::sync::watch::Receiver<u64>,
    _lock: DataDirLock,
}

/// The data directory, prepared and held exclusively for as long as this
/// lives. Front ends that keep files there (the control socket) bind them
/// once it is held, before the store is opened.
pub struct DataDirLock {
    _file: std::fs::File,
}

/// Prepare the agent's data directory and take its lock.
pub fn lock_data_dir(file: &Config) -> Result<DataDirLock, AgentError> {
    let dir = &file.agent.data_dir;
    super::data_dir::prepare(dir)?;
    Ok(DataDirLock {
        _file: lock_dir(dir)?,
    })
}

/// Lock the engine; a panic elsewhere must not take management down with it.
pub fn lock_engine(e: &Mutex<Engine>) -> std::sync::MutexGuard<'_, Engine> {
    e.lock().unwrap_or_else(|p| p.into_inner())
}

impl Agent {
    /// In the data directory `lock` holds ([`lock_data_dir`]), check the
    /// store for damage ([`store_damage`]) before opening it and the
    /// datastore.
    pub fn open(
        lock: DataDirLock,
        file: Config,
        digest: &str,
        fresh: FreshStart,
        prefer: Option<crate::config::reconcile::Prefer>,
    ) -> Result<Agent, AgentError> {
        let dir = file.agent.data_dir.clone();
        store_damage::check_file(&file, fresh)?;
        let store = Arc::new(Store::open(&file.store_path())?);
        store_damage::check_store(&store, &file, fresh)?;
        let (bus, _) = super::events::channel();
        let logs = LogSink::start(store.clone(), &file, bus)?;
        let (datastore, origin) =
            Datastore::open(store.clone(), logs.clone(), file, digest, prefer)?;
        store_damage::mark(&store, &dir)?;
        let running = datastore.running();
        logs.configure(&running);
        let how = match origin {
            Origin::Restored(r) => format!("restored running configuration revision {r}"),
            Origin::Seeded(r) => {
                format!("seeded running configuration revision {r} from the startup configuration")
            }
            Origin::Merged {
                from,
                rev,
                applied,
                kept,
            } => format!(
                "running configuration revision {from} took in {applied} change(s) of the startup configuration and kept {kept} made at run time: revision {rev}"
            ),
        };
        logs.record(
            LogKind::System,
            LogLevel::Info,
            "agent",
            format!("chain-agent {} starting: {how}", env!("CARGO_PKG_VERSION")),
        );
        let mut alarms =
            AlarmManager::load(store.clone(), logs.clone(), running.agent.alarm_history)?;
        alarms.clear_unconfigured(
            &running
                .chains
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        // The configuration may have changed while the agent was down.
        alarms.set_shelves(&running.alarms);
        let engine = Engine::new(alarms, logs.clone());
        let snapshot = engine.published();
        let publications = engine.publications();
        engine.publish(&running);
        let engine = Arc::new(Mutex::new(engine));
        let shelving = engine.clone();
        // Only a commit that changes `/alarms` can move alarms between
        // the list and the shelves: the others do not wait for the engine,
        // which a collection pass holds while it merges and publishes.
        let shelves = Mutex::new(running.alarms.clone());
        datastore.on_commit(Box::new(move |c| {
            let mut applied = shelves.lock().unwrap_or_else(|p| p.into_inner());
            if *applied != c.alarms {
                lock_engine(&shelving).apply_shelves(c);
                *applied = c.alarms.clone();
            }
        }));
        Ok(Agent {
            store,
            datastore: Arc::new(datastore),
            logs,
            engine,
            snapshot,
            publications,
            _lock: lock,
        })
    }

    /// Start collectors; return when `shutdown` resolves.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()>,
    ) -> Result<(), AgentError> {
        let running = self.start().await?;
        shutdown.await;
        running.stop();
        Ok(())
    }

    /// Start collectors. The front ends (control socket, SNMP, NETCONF)
    /// are started by the caller on the returned handle's agent, so the
    /// core never depends on them; the caller announces the agent running
    /// once they are.
    pub async fn start(self) -> Result<Running, AgentError> {
        let config = self.datastore.running();
        // Collectors for the chains configured now, and later ones as
        // commits add, change or remove chains and nodes.
        let mut chains = super::chain_supervisor::ChainSupervisor::new(
            self.datastore.clone(),
            self.engine.clone(),
            self.logs.clone(),
        );
        chains.follow(&config).await;
        tokio::spawn(chains.run());
        // The host is known before any front end answers (sysName falls
        // back to its hostname): one sample now, from /proc, takes
        // milliseconds; the task goes on from there.
        let mut first = HostCollector::new();
        if let Ok(sample) = first.sample() {
            lock_engine(&self.engine).ingest_host(sample, &config);
        }
        tokio::spawn(host_task(
            self.datastore.clone(),
            self.engine.clone(),
            self.logs.clone(),
        ));
        Ok(Running {
            agent: Arc::new(self),
        })
    }
}

/// A started agent: stop it, after its front ends, to flush the logs.
pub struct Running {
    pub agent: Arc<Agent>,
}

impl Running {
    pub fn stop(self) {
        self.agent.logs.record(
            LogKind::System,
            LogLevel::Info,
            "agent",
            "chain-agent stopping".into(),
        );
        self.agent.logs.flush();
    }
}

fn lock_dir(dir: &std::path::Path) -> Result<std::fs::File, AgentError> {
    let path = dir.join("lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(super::data_dir::FILE_MODE)
        .open(&path)
        .map_err(|e| AgentError::DataDir(path.clone(), e))?;
    // An exclusive advisory lock (flock on Linux), held as long as the
    // file stays open, so it goes with the process however it ends.
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(AgentError::Locked(dir.to_path_buf())),
        Err(std::fs::TryLockError::Error(e)) => Err(AgentError::DataDir(path, e)),
    }
}

/// What must be pushed to chain `id`'s platform after a configuration
/// change: the entries `diff` touches. `old` is the chain before (None
/// when it is new), whose entries that went away are withdrawn.
pub fn chain_changes(
    diff: &ConfigDiff,
    id: &str,
    old: Option<&ChainConfig>,
    new: &ChainConfig,
) -> Vec<AdapterChange> {
    let chain = ConfigPath::of(["chains", id]);
    let at = |names: &[&str]| {
        let mut p = chain.clone();
        for n in names {
            p.push(n);
        }
        p
    };
    let touched = |names: &[&str]| diff.touches(&at(names));
    let mut out = Vec::new();
    for (name, value) in &new.consensus {
        if touched(&["consensus", name]) {
            out.push(AdapterChange::ConsensusParameter {
                name: name.clone(),
                value: value.to_string(),
            });
        }
    }
    for (cid, params) in &new.channels {
        if touched(&["channels", cid]) {
            out.push(AdapterChange::Channel {
                id: cid.clone(),
                params: params.clone(),
            });
        }
    }
    if let Some(o) = old {
        let gone = o.channels.keys().filter(|k| !new.channels.contains_key(*k));
        for cid in gone.filter(|k| touched(&["channels", k])) {
            out.push(AdapterChange::ChannelRemoved { id: cid.clone() });
        }
    }
    for (address, authorize) in &new.validator_votes {
        if touched(&["validator-votes", address]) {
            out.push(AdapterChange::ValidatorVote {
                address: address.clone(),
                authorize: Some(*authorize),
            });
        }
    }
    if let Some(o) = old {
        let gone = o
            .validator_votes
            .keys()
            .filter(|a| !new.validator_votes.contains_key(*a));
        for address in gone.filter(|a| touched(&["validator-votes", a])) {
            out.push(AdapterChange::ValidatorVote {
                address: address.clone(),
                authorize: None,
            });
        }
    }
    for (node, n) in &new.nodes {
        if let Some(spec) = &n.log_spec
            && touched(&["nodes", node, "log-spec"])
        {
            out.push(AdapterChange::LogSpec {
                node: node.clone(),
                spec: spec.clone(),
            });
        }
    }
    if old.is_some() && touched(&["contracts"]) {
        out.push(AdapterChange::Contracts(new.contracts.clone()));
    }
    // No simulation and one without faults are the same to a platform.
    let faults = |c: Option<&ChainConfig>| {
        c.and_then(|c| c.simulation.as_ref())
            .map(|s| s.faults.clone())
            .unwrap_or_default()
    };
    if touched(&["simulation", "faults"]) && faults(old) != faults(Some(new)) {
        out.push(AdapterChange::Faults(
            faults(Some(new)).into_values().collect(),
        ));
        // A refuse-config fault that comes or goes pushes the chain's
        // consensus parameters again, after the faults: their apply status
        // then shows what the simulated platform answers now (refused, or
        // applied again), so the demo raises and clears config-apply-failed.
        let refuses = |c: Option<&ChainConfig>| {
            faults(c)
                .values()
                .any(|f| f.kind == crate::config::FaultKind::RefuseConfig)
        };
        if refuses(old) != refuses(Some(new)) {
            out.extend(new.consensus.iter().map(|(name, value)| {
                AdapterChange::ConsensusParameter {
                    name: name.clone(),
                    value: value.to_string(),
                }
            }));
        }
    }
    out
}

/// A collection that takes longer than this is abandoned and counted as a failure.
fn collect_timeout(config: &Config) -> Duration {
    Duration::from_millis(config.agent.collect_interval_ms.max(1000) * 5)
}

/// One collection, completed with the hashes the consistency analysis
/// needs beyond the nodes' recent windows ([`super::refine`]), all within
/// the collection timeout.
async fn collect_once(
    adapter: &mut Box<dyn ChainAdapter>,
    chain: &str,
    config: &Config,
) -> Result<crate::collect::ChainObservation, AdapterError> {
    let pass = async {
        let mut obs = adapter.collect().await?;
        super::refine::refine(adapter.as_mut(), &mut obs, chain, config).await;
        Ok(obs)
    };
    match tokio::time::timeout(collect_timeout(config), pass).await {
        Ok(r) => r,
        Err(_) => Err(AdapterError::Unreachable {
            endpoint: "all nodes".into(),
            reason: "collection timed out".into(),
        }),
    }
}

/// Push configuration changes to the platform; a refusal is logged, and
/// the configuration stays as committed (the node may take it later).
/// What the platform answered becomes each item's apply status
/// ([`super::apply_status`]), in which `config` (the configuration the
/// changes come from) also withdraws the items it no longer holds.
async fn push(
    adapter: &mut Box<dyn ChainAdapter>,
    changes: Vec<AdapterChange>,
    chain: &str,
    logs: &LogSink,
    engine: &Mutex<Engine>,
    config: &Config,
) {
    let mut pushed = Vec::with_capacity(changes.len());
    for change in changes {
        let result = adapter.apply(&change).await;
        if let Err(e) = &result {
            logs.record(
                LogKind::System,
                LogLevel::Error,
                &format!("/chains/{chain}"),
                format!("cannot apply {change:?}: {e}"),
            );
        }
        pushed.push(super::apply_status::Pushed { change, result });
    }
    lock_engine(engine).record_apply(chain, &pushed, config);
}

pub(super) async fn chain_task(
    id: String,
    mut adapter: Box<dyn ChainAdapter>,
    ds: Arc<Datastore>,
    engine: Arc<Mutex<Engine>>,
    logs: LogSink,
) {
    let mut rx = ds.subscribe();
    let mut applied = rx.borrow_and_update().config.clone();
    // Votes and node log configuration live on the platform, not in the
    // adapter: push what the configuration asks for at start, and again
    // to a node that answers after having been unreachable (a restarted
    // node has forgotten them). The rest (contracts, parameters, faults)
    // the adapter was built with.
    if let Some(chain) = applied.chains.get(&id) {
        push(
            &mut adapter,
            repush::platform_state(chain),
            &id,
            &logs,
            &engine,
            &applied,
        )
        .await;
    }
    let mut returning = repush::Returning::default();
    let mut period = applied.agent.collect_interval_ms;
    let mut tick = tokio::time::interval(Duration::from_millis(period));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let config = ds.running();
                let result = collect_once(&mut adapter, &id, &config).await;
                let back = result.as_ref().map(|o| returning.observe(o)).unwrap_or_default();
                let answering = super::apply_status::answering(&result);
                let pending = lock_engine(&engine).ingest_chain(&id, result, &config);
                if let Some(chain) = config.chains.get(&id) {
                    let mut again = repush::for_returning(chain, &back);
                    for c in super::apply_status::retry(chain, &pending, &answering) {
                        if !again.contains(&c) {
                            again.push(c);
                        }
                    }
                    if !again.is_empty() {
                        push(&mut adapter, again, &id, &logs, &engine, &config).await;
                    }
                }
            }
            changed = rx.changed() => {
                if changed.is_err() {
                    return;
                }
                let committed = rx.borrow_and_update().clone();
                let diff = committed.diff_since(&applied);
                let new = committed.config;
                let Some(chain) = new.chains.get(&id) else { return };
                let changes = chain_changes(&diff, &id, applied.chains.get(&id), chain);
                push(&mut adapter, changes, &id, &logs, &engine, &new).await;
                logs.configure(&new);
                if new.agent.collect_interval_ms != period {
                    period = new.agent.collect_interval_ms;
                    tick = tokio::time::interval(Duration::from_millis(period));
                    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                }
                // Collect at once so thresholds and faults show without
                // waiting a cycle, unless nothing collection reads changed.
                if collection_affected(&diff, &new) {
                    let result = collect_once(&mut adapter, &id, &new).await;
                    lock_engine(&engine).ingest_chain(&id, result, &new);
                }
                applied = new;
            }
        }
    }
}

/// Whether a configuration change can alter what a collection yields or
/// how it is judged, so that a commit that only sets `/system/contact`
/// costs no collection. Every section of `new` is named, so a new one
/// needs a decision here before the crate builds.
fn collection_affected(diff: &ConfigDiff, new: &Config) -> bool {
    let Config {
        agent: _,
        thresholds: _,
        logs: _,
        chains: _,
        // Identity, the northbound interfaces and their access control:
        // nothing a collector reads.
        system: _,
        snmp: _,
        netconf: _,
        nacm: _,
        // Shelving is applied by the commit itself (Agent::open).
        alarms: _,
    } = new;
    ["agent", "thresholds", "logs", "chains"]
        .into_iter()
        .any(|section| diff.touches_section(section))
}

async fn host_task(ds: Arc<Datastore>, engine: Arc<Mutex<Engine>>, logs: LogSink) {
    let mut collector = Some(HostCollector::new());
    loop {
        let Some(mut c) = collector.take() else {
            return;
        };
        let joined = tokio::task::spawn_blocking(move || {
            let r = c.sample();
            (c, r)
        })
        .await;
        let Ok((c, result)) = joined else { return };
        collector = Some(c);
        let config = ds.running();
        match result {
            Ok(sample) => lock_engine(&engine).ingest_host(sample, &config),
            Err(e) => logs.record(
                LogKind::System,
                LogLevel::Warning,
                "/host",
                format!("host sample failed: {e}"),
            ),
        }
        tokio::time::sleep(Duration::from_millis(config.agent.host_interval_ms)).await;
    }
}

/// One collection pass over every configured chain and the host, with a
/// throw-away store: what `chain-agent snapshot` prints.
pub async fn snapshot_once(config: Config) -> Result<Snapshot, AgentError> {
    let store = Arc::new(Store::open_in_memory()?);
    let (bus, _) = super::events::channel();
    let logs = LogSink::start(store.clone(), &config, bus)?;
    let mut alarms = AlarmManager::load(store, logs.clone(), config.agent.alarm_history)?;
    alarms.set_shelves(&config.alarms);
    let mut engine = Engine::new(alarms, logs.clone());
    let now = now_millis();
    for (id, chain) in &config.chains {
        let mut adapter = factory::build(id, chain, &config, now);
        let result = collect_once(&mut adapter, id, &config).await;
        engine.ingest_chain(id, result, &config);
    }
    let mut host = HostCollector::new();
    match host.sample() {
        Ok(s) => engine.ingest_host(s, &config),
        Err(e) => logs.record(
            LogKind::System,
            LogLevel::Warning,
            "/host",
            format!("host sample failed: {e}"),
        ),
    }
    // Publish after the flush so the log counts include this pass.
    logs.flush();
    engine.publish(&config);
    Ok((*engine.published().load_full()).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_data_directory_is_refused_until_the_first_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_dir(dir.path()).unwrap();
        // flock locks belong to the open file, so a second open in the same
        // process is refused as another agent's would be.
        let err = lock_dir(dir.path()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "data directory {} is in use by another chain-agent",
                dir.path().display()
            )
        );
        drop(first);
        lock_dir(dir.path()).unwrap();
    }

    fn with_chain(f: impl FnOnce(&mut ChainConfig)) -> Config {
        let mut c = Config::default();
        let mut chain = ChainConfig::simulated();
        f(&mut chain);
        c.chains.insert("sim".into(), chain);
        c
    }

    /// A refuse-config fault that comes or goes pushes the consensus
    /// parameters again after the faults; another fault does not.
    #[test]
    fn a_refuse_config_fault_pushes_the_consensus_parameters_again() {
        use crate::config::{FaultConfig, FaultKind};
        let fault = |kind| FaultConfig {
            kind,
            node: None,
            peer: None,
            channel: None,
            value: None,
        };
        let with_fault = |kind: Option<FaultKind>| {
            with_chain(|c| {
                c.consensus.insert("gas".into(), 5);
                if let (Some(s), Some(k)) = (c.simulation.as_mut(), kind) {
                    s.faults.insert("f".into(), fault(k));
                }
            })
        };
        let healthy = with_fault(None);
        let refusing = with_fault(Some(FaultKind::RefuseConfig));
        // Every consensus parameter of the chain, in order.
        let params: Vec<AdapterChange> = healthy.chains["sim"]
            .consensus
            .iter()
            .map(|(name, value)| AdapterChange::ConsensusParameter {
                name: name.clone(),
                value: value.to_string(),
            })
            .collect();
        assert!(params.contains(&AdapterChange::ConsensusParameter {
            name: "gas".into(),
            value: "5".into(),
        }));
        for (a, b) in [(&healthy, &refusing), (&refusing, &healthy)] {
            let diff = ConfigDiff::between(a, b).unwrap();
            let changes = chain_changes(&diff, "sim", a.chains.get("sim"), &b.chains["sim"]);
            assert!(
                matches!(changes[0], AdapterChange::Faults(_)),
                "{changes:?}"
            );
            assert_eq!(changes[1..], params[..]);
        }
        let stalled = with_fault(Some(FaultKind::StallConsensus));
        let diff = ConfigDiff::between(&healthy, &stalled).unwrap();
        let changes = chain_changes(
            &diff,
            "sim",
            healthy.chains.get("sim"),
            &stalled.chains["sim"],
        );
        assert_eq!(changes.len(), 1, "{changes:?}");
    }

    /// What is pushed to a platform is what the commit's diff touched,
    /// and entries that went away are withdrawn.
    #[test]
    fn chain_changes_read_the_commit_diff() {
        let old = with_chain(|c| {
            c.consensus.insert("gas".into(), 5);
            c.consensus.insert("period".into(), 2);
            c.validator_votes.insert("0xaa".into(), true);
            c.validator_votes.insert("0xbb".into(), false);
        });
        let new = with_chain(|c| {
            c.consensus.insert("gas".into(), 6);
            c.consensus.insert("period".into(), 2);
            c.validator_votes.insert("0xaa".into(), true);
            c.validator_votes.insert("0xcc".into(), true);
        });
        let diff = ConfigDiff::between(&old, &new).unwrap();
        let changes = chain_changes(&diff, "sim", old.chains.get("sim"), &new.chains["sim"]);
        assert_eq!(
            changes,
            vec![
                AdapterChange::ConsensusParameter {
                    name: "gas".into(),
                    value: "6".into()
                },
                AdapterChange::ValidatorVote {
                    address: "0xcc".into(),
                    authorize: Some(true)
                },
                AdapterChange::ValidatorVote {
                    address: "0xbb".into(),
                    authorize: None
                },
            ]
        );
        // Another chain's commit pushes nothing here.
        let elsewhere = ConfigDiff::whole(ConfigPath::of(["chains", "other"]));
        assert!(
            chain_changes(&elsewhere, "sim", old.chains.get("sim"), &new.chains["sim"]).is_empty()
        );
    }

    #[test]
    fn only_what_collection_reads_triggers_a_collection() {
        let old = Config::default();
        let mut contact = old.clone();
        contact.system.contact = "noc".into();
        let diff = ConfigDiff::between(&old, &contact).unwrap();
        assert!(!collection_affected(&diff, &contact));
        let mut cpu = old.clone();
        cpu.thresholds.cpu_percent = 50.0;
        let diff = ConfigDiff::between(&old, &cpu).unwrap();
        assert!(collection_affected(&diff, &cpu));
    }
}
