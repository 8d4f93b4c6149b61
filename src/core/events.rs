//! The event bus: every notification the agent emits, in one enum, fanned
//! out to SNMP traps, NETCONF notifications and the persisted event history.

use crate::model::UnixMillis;
use crate::model::alarm::Alarm;
use crate::model::consensus::ConsistencyReport;
use crate::model::crosschain::CrossChainTransfer;
use crate::model::ledger::LedgerMember;
use crate::model::node::OperState;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "event")]
pub enum Event {
    AlarmRaised {
        alarm: Alarm,
    },
    AlarmChanged {
        alarm: Alarm,
    },
    AlarmCleared {
        alarm: Alarm,
    },
    /// An operator changed the alarm's operator state (RFC 8632
    /// operator-action); the alarm itself did not change.
    AlarmOperatorAction {
        alarm: Alarm,
    },
    MemberJoined {
        member: LedgerMember,
    },
    MemberLeft {
        member: LedgerMember,
    },
    NodeStateChanged {
        chain: String,
        node: String,
        from: OperState,
        to: OperState,
    },
    /// A node's process on the agent's host was replaced (a new PID with
    /// a higher restart count): the node was restarted, by an operator, a
    /// supervisor or a crash.
    NodeRestarted {
        chain: String,
        node: String,
        process_id: u32,
        started_at: Option<UnixMillis>,
        restarts: u64,
    },
    ForkDetected {
        report: ConsistencyReport,
    },
    ConsensusStalled {
        chain: String,
        height: u64,
        seconds: u64,
    },
    CrossChainTransferFailed {
        transfer: CrossChainTransfer,
    },
    ConfigChanged {
        revision: i64,
        origin: String,
        /// The commit's [`crate::config::ConfigDiff`]: JSON pointers on the wire.
        changed: Vec<crate::config::ConfigPath>,
    },
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::AlarmRaised { .. } => "alarm-raised",
            Event::AlarmChanged { .. } => "alarm-changed",
            Event::AlarmCleared { .. } => "alarm-cleared",
            Event::AlarmOperatorAction { .. } => "alarm-operator-action",
            Event::MemberJoined { .. } => "member-joined",
            Event::MemberLeft { .. } => "member-left",
            Event::NodeStateChanged { .. } => "node-state-changed",
            Event::NodeRestarted { .. } => "node-restarted",
            Event::ForkDetected { .. } => "fork-detected",
            Event::ConsensusStalled { .. } => "consensus-stalled",
            Event::CrossChainTransferFailed { .. } => "cross-chain-transfer-failed",
            Event::ConfigChanged { .. } => "config-changed",
        }
    }
}

/// An event with its place in the agent-wide sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub seq: u64,
    pub time: UnixMillis,
    #[serde(flatten)]
    pub event: Event,
}

/// Subscribers that fall behind lose the oldest events and are told so
/// (broadcast `Lagged`); the persisted history still has them.
pub const BUS_CAPACITY: usize = 4096;

pub fn channel() -> (
    broadcast::Sender<Notification>,
    broadcast::Receiver<Notification>,
) {
    broadcast::channel(BUS_CAPACITY)
}
