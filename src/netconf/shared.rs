//! The NETCONF server's shared state: the schema, the session table, the
//! candidate datastore and a pending confirmed commit. Running and startup
//! are the core datastore's, shared with SNMP and the control socket.

use super::datastore::render_cache::RenderCache;
use super::session::capabilities;
use super::session::table::SessionTable;
use super::transport::budget::MessageBudget;
use super::yang::Schema;
use crate::config::Config;
use crate::core::datastore::{Actor, Checked, CommitError, Target};
use crate::core::runtime::Agent;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub struct Server {
    pub agent: Arc<Agent>,
    pub schema: Arc<Schema>,
    pub sessions: SessionTable,
    pub capabilities: Vec<String>,
    /// Renderings of running and of the full data, shared by sessions.
    pub renders: RenderCache,
    /// The parts of `/netconf-state` that never change, printed once.
    pub netconf_state: super::monitoring::netconf_state::Fixed,
    /// Access control: the counters and what the schema marks.
    pub nacm: super::nacm::Nacm,
    /// `message-buffer-budget-bytes`, shared by every session.
    pub budget: Arc<MessageBudget>,
    /// `None` while the candidate equals running (nothing to commit);
    /// otherwise the edited candidate, checked when it was edited.
    candidate: Mutex<Option<Checked>>,
    confirm: Mutex<Option<PendingConfirm>>,
    /// Bumped by every confirmed commit, so a stale timer does nothing.
    confirm_generation: std::sync::atomic::AtomicU64,
}

/// A confirmed commit waiting for its confirming commit (RFC 6241 8.4).
#[derive(Debug, Clone)]
pub struct PendingConfirm {
    /// The running configuration before the first confirmed commit.
    pub rollback: Config,
    pub persist: Option<String>,
    pub session: u32,
    pub generation: u64,
}

impl Server {
    pub fn new(agent: Arc<Agent>, schema: Arc<Schema>) -> Arc<Server> {
        let capabilities = capabilities::server(&schema);
        let nacm = super::nacm::Nacm::new(&schema);
        let budget = MessageBudget::new(
            agent
                .datastore
                .running()
                .netconf
                .message_buffer_budget_bytes,
        );
        Arc::new(Server {
            budget,
            agent,
            schema,
            sessions: SessionTable::new(),
            capabilities,
            renders: RenderCache::default(),
            netconf_state: Default::default(),
            nacm,
            candidate: Mutex::new(None),
            confirm: Mutex::new(None),
            confirm_generation: Default::default(),
        })
    }

    pub fn running(&self) -> Arc<Config> {
        self.agent.datastore.running()
    }

    fn candidate_slot(&self) -> MutexGuard<'_, Option<Checked>> {
        self.candidate.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The candidate: running, unless edited since the last commit or discard.
    pub fn candidate(&self) -> Config {
        match &*self.candidate_slot() {
            Some(c) => c.config().clone(),
            None => (*self.running()).clone(),
        }
    }

    /// The edited candidate as it was checked, or `None` while it is
    /// running.
    pub fn checked_candidate(&self) -> Option<Checked> {
        self.candidate_slot().clone()
    }

    /// True when the candidate holds changes not in running.
    pub fn candidate_dirty(&self) -> bool {
        match &*self.candidate_slot() {
            Some(c) => c.config() != &*self.running(),
            None => false,
        }
    }

    pub fn set_candidate(&self, config: Checked) {
        *self.candidate_slot() = Some(config);
    }

    /// discard-changes, and what follows every commit.
    pub fn reset_candidate(&self) {
        *self.candidate_slot() = None;
    }

    pub fn pending_confirm(&self) -> Option<PendingConfirm> {
        self.confirm
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Start or extend a confirmed commit; the returned generation is the
    /// one the caller's timer must still find when it fires.
    pub fn begin_confirm(&self, rollback: Config, persist: Option<String>, session: u32) -> u64 {
        let generation = self
            .confirm_generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let mut slot = self.confirm.lock().unwrap_or_else(|p| p.into_inner());
        let rollback = match slot.take() {
            Some(p) => p.rollback,
            None => rollback,
        };
        *slot = Some(PendingConfirm {
            rollback,
            persist,
            session,
            generation,
        });
        generation
    }

    /// The confirming commit arrived: forget the rollback.
    pub fn end_confirm(&self) {
        *self.confirm.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Undo a confirmed commit (timeout, cancel-commit, or the session that
    /// made it went away), if `generation` is still the pending one (`None`:
    /// whatever is pending).
    pub fn rollback_confirm(
        &self,
        generation: Option<u64>,
        why: &str,
    ) -> Result<bool, CommitError> {
        let pending = {
            let mut slot = self.confirm.lock().unwrap_or_else(|p| p.into_inner());
            match &*slot {
                Some(p) if generation.is_none_or(|g| g == p.generation) => slot.take(),
                _ => None,
            }
        };
        let Some(pending) = pending else {
            return Ok(false);
        };
        let result = self.agent.datastore.commit_as(
            pending.rollback,
            &format!("netconf {why}"),
            Actor::System,
        );
        self.reset_candidate();
        result.map(|_| true)
    }

    /// A session ended (closed, killed, dropped): its locks go, a candidate
    /// it had locked loses its changes (RFC 6241 8.3.5.2), and its
    /// confirmed commit, unless persistent, rolls back (8.4.1).
    pub fn session_ended(&self, id: u32) {
        let datastore = &self.agent.datastore;
        let held_candidate = datastore
            .lock_holder(Target::Candidate)
            .is_some_and(|h| h.session == id);
        datastore.release_locks(id);
        if held_candidate {
            self.reset_candidate();
        }
        if let Some(p) = self.pending_confirm()
            && p.persist.is_none()
            && p.session == id
            && let Err(e) =
                self.rollback_confirm(Some(p.generation), "confirmed-commit session end")
        {
            tracing::error!("confirmed commit rollback failed: {e}");
        }
        self.sessions.close(id);
    }

    /// Arm the timer of a confirmed commit.
    pub fn arm_confirm_timer(self: &Arc<Self>, generation: u64, timeout: Duration) {
        let server = Arc::downgrade(self);
        tokio::spawn(async move {
            tokio::time::sleep(timeout).await;
            if let Some(server) = server.upgrade() {
                match server.rollback_confirm(Some(generation), "confirmed-commit timeout") {
                    Ok(true) => tracing::warn!(
                        "confirmed commit not confirmed in time: running configuration rolled back"
                    ),
                    Ok(false) => {}
                    Err(e) => tracing::error!("confirmed commit rollback failed: {e}"),
                }
            }
        });
    }
}
