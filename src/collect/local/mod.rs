//! Node processes on the agent's host (issue 14, section 1): wraps any
//! platform's adapter and adds, to each node whose process runs here,
//! what the kernel knows of that process (CPU, memory, threads,
//! descriptors, I/O, start time, restarts), the space its data directory
//! takes and has left, and this host as its hardware.
//!
//! A node is watched when its endpoint is a loopback address or an
//! address of this host (its process is the one holding the listening
//! socket, found through /proc/net/tcp{,6} and /proc/PID/fd), when it has
//! a `pid-file`, or, for the data directory alone, when it has a
//! `data-dir`. The trackers live here, one per node, from one collection
//! to the next: CPU is a rate between two collections, and a new PID is
//! counted as a restart and followed without a restart of the agent.
//! Nothing is read on a request path: the front ends show the last
//! collection.

pub mod apply;
pub mod endpoint;
pub mod watch;

use crate::collect::enrich::{Enriched, Enrichment};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use async_trait::async_trait;
use tokio::task::JoinHandle;

use super::adapter::ChainAdapter;
use super::observation::{ChainEvent, ChainObservation};
use super::process::{DEFAULT_MAX_ENTRIES, ProcessLocator, dir_usage};
use crate::config::ChainConfig;
use crate::model::log::{LogKind, LogLevel};
use apply::HostNames;
use watch::{DATA_DIR_WALK_INTERVAL, LocalReading, Watched};

/// How the process of a configured node is found, if it is on this host:
/// its `pid-file` first, else the socket listening on its endpoint.
pub fn locator(node: &crate::config::NodeConfig) -> Option<ProcessLocator> {
    if let Some(f) = &node.pid_file {
        return Some(ProcessLocator::PidFile(f.clone()));
    }
    node.endpoint
        .as_deref()
        .and_then(endpoint::local_listener)
        .map(ProcessLocator::Listener)
}

/// The nodes of `chain` with something to watch on this host.
pub fn watched_nodes(chain: &ChainConfig) -> Vec<Watched> {
    chain
        .nodes
        .iter()
        .filter_map(|(name, n)| Watched::new(name, locator(n), n.data_dir.clone()))
        .collect()
}

pub struct LocalNodeAdapter {
    chain: String,
    /// Shared with the blocking thread that reads them, so that a
    /// collection cancelled by the core's timeout leaves them in place.
    watched: Arc<Mutex<Vec<Watched>>>,
    /// A data-directory walk under way, per node name.
    walks: Vec<(String, JoinHandle<Option<u64>>)>,
    names: HostNames,
    /// The last sampling error per node, logged once until it changes.
    errors: std::collections::BTreeMap<String, String>,
    /// What the current collection read: node, on this host, reading.
    readings: Vec<(String, bool, LocalReading)>,
}

impl LocalNodeAdapter {
    /// `inner` itself when no node of the chain is on this host.
    pub fn wrap(
        id: &str,
        chain: &ChainConfig,
        inner: Box<dyn ChainAdapter>,
    ) -> Box<dyn ChainAdapter> {
        let watched = watched_nodes(chain);
        if watched.is_empty() {
            return inner;
        }
        Enriched::boxed(
            inner,
            LocalNodeAdapter {
                chain: id.to_string(),
                watched: Arc::new(Mutex::new(watched)),
                walks: Vec::new(),
                names: super::host::host_names(),
                errors: Default::default(),
                readings: Vec::new(),
            },
        )
    }

    /// Start the data-directory walks that are due, and keep the results
    /// of those that have finished. A walk runs on its own blocking
    /// thread so that a large database never holds up a collection.
    async fn tend_walks(&mut self) {
        let now = Instant::now();
        let mut running = Vec::new();
        for (node, handle) in std::mem::take(&mut self.walks) {
            if !handle.is_finished() {
                running.push((node, handle));
                continue;
            }
            let used = match handle.await {
                Ok(used) => used,
                Err(e) => {
                    tracing::warn!(chain = %self.chain, %node, "data-dir walk failed: {e}");
                    None
                }
            };
            if let Some(w) = lock(&self.watched).iter_mut().find(|w| w.node == node) {
                w.used_bytes = used;
            }
        }
        for w in lock(&self.watched).iter_mut() {
            let Some(dir) = w.data_dir.clone() else {
                continue;
            };
            if now < w.next_walk || running.iter().any(|(n, _)| *n == w.node) {
                continue;
            }
            w.next_walk = now + DATA_DIR_WALK_INTERVAL;
            let walk = tokio::task::spawn_blocking(move || dir_usage(&dir, DEFAULT_MAX_ENTRIES));
            running.push((w.node.clone(), walk));
        }
        self.walks = running;
    }

    /// Read every watched node, off the async threads: (node, whether
    /// its process is looked for on this host, the reading).
    async fn read_all(&mut self) -> Vec<(String, bool, LocalReading)> {
        let watched = Arc::clone(&self.watched);
        let job = tokio::task::spawn_blocking(move || {
            lock(&watched)
                .iter_mut()
                .map(|w| (w.node.clone(), w.has_process(), w.read()))
                .collect::<Vec<_>>()
        });
        match job.await {
            Ok(readings) => readings,
            Err(e) => {
                tracing::warn!(chain = %self.chain, "sampling node processes failed: {e}");
                Vec::new()
            }
        }
    }

    fn log_error(&mut self, node: &str, error: Option<&String>) {
        match error {
            Some(e) if self.errors.get(node) != Some(e) => {
                tracing::warn!(chain = %self.chain, %node, "cannot sample the node process: {e}");
                self.errors.insert(node.to_string(), e.clone());
            }
            Some(_) => {}
            None => {
                self.errors.remove(node);
            }
        }
    }
}

#[async_trait]
impl Enrichment for LocalNodeAdapter {
    async fn read(&mut self) {
        self.tend_walks().await;
        self.readings = self.read_all().await;
    }

    fn add(&mut self, obs: &mut ChainObservation) {
        for (node, on_host, r) in std::mem::take(&mut self.readings) {
            self.log_error(&node, r.error.as_ref());
            if let Some(f) = r.process.as_ref().filter(|f| f.restarted) {
                obs.events.push(ChainEvent::new(
                    LogKind::System,
                    LogLevel::Warning,
                    format!("/chains/{}/nodes/{node}", self.chain),
                    format!(
                        "node process restarted: now PID {} ({}), {} restarts seen",
                        f.pid, f.command, f.restarts
                    ),
                ));
            }
            if let Some(o) = obs.nodes.iter_mut().find(|o| o.node.id == node) {
                apply::apply(o, &r, on_host, &self.names);
            }
        }
    }
}

/// The watches, also after a reading thread panicked while holding them:
/// each holds only counters that a later reading corrects.
fn lock(watched: &Mutex<Vec<Watched>>) -> MutexGuard<'_, Vec<Watched>> {
    watched.lock().unwrap_or_else(PoisonError::into_inner)
}
