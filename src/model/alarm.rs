//! Alarm: fault management with the ITU-T X.733 fields, numbered as in
//! IANA-ITU-ALARM-TC-MIB (RFC 3877) so SNMP can carry the values unchanged.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

/// X.733 perceived severity, with ITU-ALARM-TC-MIB's ItuPerceivedSeverity numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Cleared = 1,
    Indeterminate = 2,
    Critical = 3,
    Major = 4,
    Minor = 5,
    Warning = 6,
}

/// X.733/X.736 event type, with IANAItuEventType numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EventType {
    Other = 1,
    CommunicationsAlarm = 2,
    QualityOfServiceAlarm = 3,
    ProcessingErrorAlarm = 4,
    EquipmentAlarm = 5,
    EnvironmentalAlarm = 6,
    IntegrityViolation = 7,
    OperationalViolation = 8,
    PhysicalViolation = 9,
    SecurityServiceOrMechanismViolation = 10,
    TimeDomainViolation = 11,
}

/// The X.733 probable causes this agent reports, with IANAItuProbableCause numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProbableCause {
    ConnectionEstablishmentError = 22,
    ApplicationSubsystemFailure = 158,
    ConfigurationOrCustomisationError = 159,
    DatabaseInconsistency = 160,
    TimeoutExpired = 164,
    ExcessiveResponseTime = 204,
    CommunicationsSubsystemFailure = 505,
    CpuCyclesLimitExceeded = 509,
    PerformanceDegraded = 532,
    ResourceAtOrNearingCapacity = 541,
    KeyExpired = 609,
    Other = 1024,
}

/// Every kind of alarm the agent raises. Each has fixed X.733 classification,
/// so operators can filter and correlate by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AlarmType {
    NodeUnreachable,
    LinkDown,
    LinkDegraded,
    SyncLag,
    CpuHigh,
    MemoryHigh,
    ConsensusStalled,
    ForkDetected,
    CrossChainTimeout,
    TxPoolSaturated,
    ConfigApplyFailed,
    PeerCountLow,
    BlockProductionStalled,
    RelayerPacketsStuck,
    RelayerClientExpiring,
    NodeDegraded,
    EndpointCertificateExpiring,
    ContractFailureRate,
    DiskSpaceLow,
}

impl AlarmType {
    /// The abstract identity every alarm type of chain-agent-alarms
    /// derives from, as RFC 7951 names it.
    pub const BASE_IDENTITY: &'static str = "chain-agent-alarms:chain-agent-alarm";

    /// The type's identity in chain-agent-alarms, as RFC 7951 names it.
    pub fn identity(self) -> String {
        format!("chain-agent-alarms:{}", self.as_str())
    }

    /// Whether this type is `identity` or derived from it (RFC 8632's
    /// alarm-type-id match).
    pub fn is_of(self, identity: &str) -> bool {
        identity == Self::BASE_IDENTITY || identity == self.identity()
    }

    /// In BcmAlarmKind order (its numbers ascend: the operations
    /// catalogue's 11 to 18 come before config-apply-failed's 20).
    pub const ALL: [AlarmType; 19] = [
        AlarmType::NodeUnreachable,
        AlarmType::LinkDown,
        AlarmType::LinkDegraded,
        AlarmType::SyncLag,
        AlarmType::CpuHigh,
        AlarmType::MemoryHigh,
        AlarmType::ConsensusStalled,
        AlarmType::ForkDetected,
        AlarmType::CrossChainTimeout,
        AlarmType::TxPoolSaturated,
        AlarmType::PeerCountLow,
        AlarmType::BlockProductionStalled,
        AlarmType::ContractFailureRate,
        AlarmType::DiskSpaceLow,
        AlarmType::RelayerPacketsStuck,
        AlarmType::RelayerClientExpiring,
        AlarmType::NodeDegraded,
        AlarmType::EndpointCertificateExpiring,
        AlarmType::ConfigApplyFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlarmType::NodeUnreachable => "node-unreachable",
            AlarmType::LinkDown => "link-down",
            AlarmType::LinkDegraded => "link-degraded",
            AlarmType::SyncLag => "sync-lag",
            AlarmType::CpuHigh => "cpu-high",
            AlarmType::MemoryHigh => "memory-high",
            AlarmType::ConsensusStalled => "consensus-stalled",
            AlarmType::ForkDetected => "fork-detected",
            AlarmType::CrossChainTimeout => "cross-chain-timeout",
            AlarmType::TxPoolSaturated => "tx-pool-saturated",
            AlarmType::ConfigApplyFailed => "config-apply-failed",
            AlarmType::PeerCountLow => "peer-count-low",
            AlarmType::BlockProductionStalled => "block-production-stalled",
            AlarmType::EndpointCertificateExpiring => "endpoint-certificate-expiring",
            AlarmType::RelayerPacketsStuck => "relayer-packets-stuck",
            AlarmType::RelayerClientExpiring => "relayer-client-expiring",
            AlarmType::NodeDegraded => "node-degraded",
            AlarmType::ContractFailureRate => "contract-failure-rate",
            AlarmType::DiskSpaceLow => "disk-space-low",
        }
    }

    pub fn event_type(self) -> EventType {
        match self {
            AlarmType::NodeUnreachable | AlarmType::LinkDown | AlarmType::CrossChainTimeout => {
                EventType::CommunicationsAlarm
            }
            AlarmType::LinkDegraded
            | AlarmType::SyncLag
            | AlarmType::MemoryHigh
            | AlarmType::TxPoolSaturated => EventType::QualityOfServiceAlarm,
            AlarmType::CpuHigh | AlarmType::ConsensusStalled | AlarmType::ForkDetected => {
                EventType::ProcessingErrorAlarm
            }
            AlarmType::ConfigApplyFailed => EventType::ProcessingErrorAlarm,
            AlarmType::PeerCountLow => EventType::CommunicationsAlarm,
            AlarmType::BlockProductionStalled => EventType::ProcessingErrorAlarm,
            // X.736: a key (here the certificate's) reaching the end of
            // its validity is a time domain violation.
            AlarmType::EndpointCertificateExpiring => EventType::TimeDomainViolation,
            AlarmType::RelayerPacketsStuck => EventType::QualityOfServiceAlarm,
            AlarmType::RelayerClientExpiring => EventType::CommunicationsAlarm,
            AlarmType::NodeDegraded => EventType::ProcessingErrorAlarm,
            AlarmType::ContractFailureRate => EventType::ProcessingErrorAlarm,
            AlarmType::DiskSpaceLow => EventType::QualityOfServiceAlarm,
        }
    }

    pub fn probable_cause(self) -> ProbableCause {
        match self {
            AlarmType::NodeUnreachable => ProbableCause::CommunicationsSubsystemFailure,
            AlarmType::LinkDown => ProbableCause::ConnectionEstablishmentError,
            AlarmType::LinkDegraded => ProbableCause::ExcessiveResponseTime,
            AlarmType::SyncLag => ProbableCause::PerformanceDegraded,
            AlarmType::CpuHigh => ProbableCause::CpuCyclesLimitExceeded,
            AlarmType::MemoryHigh => ProbableCause::ResourceAtOrNearingCapacity,
            AlarmType::ConsensusStalled => ProbableCause::ApplicationSubsystemFailure,
            AlarmType::ForkDetected => ProbableCause::DatabaseInconsistency,
            AlarmType::CrossChainTimeout => ProbableCause::TimeoutExpired,
            AlarmType::TxPoolSaturated => ProbableCause::ResourceAtOrNearingCapacity,
            AlarmType::ConfigApplyFailed => ProbableCause::ConfigurationOrCustomisationError,
            AlarmType::PeerCountLow => ProbableCause::ConnectionEstablishmentError,
            AlarmType::BlockProductionStalled => ProbableCause::TimeoutExpired,
            AlarmType::EndpointCertificateExpiring => ProbableCause::KeyExpired,
            AlarmType::RelayerPacketsStuck => ProbableCause::ExcessiveResponseTime,
            AlarmType::RelayerClientExpiring => ProbableCause::TimeoutExpired,
            AlarmType::NodeDegraded => ProbableCause::ApplicationSubsystemFailure,
            AlarmType::ContractFailureRate => ProbableCause::ApplicationSubsystemFailure,
            AlarmType::DiskSpaceLow => ProbableCause::ResourceAtOrNearingCapacity,
        }
    }

    /// X.733 proposed repair action: the first step of fault recovery.
    pub fn proposed_repair(self) -> &'static str {
        match self {
            AlarmType::NodeUnreachable => "check the node process and its RPC endpoint",
            AlarmType::LinkDown => "check connectivity and peering between the two nodes",
            AlarmType::LinkDegraded => "check network latency and load between the two nodes",
            AlarmType::SyncLag => "check the node's peers, disk and CPU; it is not keeping up",
            AlarmType::CpuHigh => "find the process using CPU or add capacity",
            AlarmType::MemoryHigh => "find the process using memory or add capacity",
            AlarmType::ConsensusStalled => "check that a quorum of validators is up and connected",
            AlarmType::ForkDetected => {
                "isolate the nodes on the minority branch and resynchronise them"
            }
            AlarmType::CrossChainTimeout => "check the relayer and the remote chain",
            AlarmType::TxPoolSaturated => {
                "check block production and the node's fee and pool limits; it cannot include transactions as fast as they arrive"
            }
            AlarmType::ConfigApplyFailed => {
                "read the node's reason in the item's apply status; correct the item or the node"
            }
            AlarmType::PeerCountLow => {
                "check the node's network reachability, its peer list and its P2P port"
            }
            AlarmType::BlockProductionStalled => {
                "check the block producers (miners, validators, orderers) and their connectivity"
            }
            AlarmType::EndpointCertificateExpiring => {
                "renew the certificate the node's endpoint presents before its notAfter, and restart or reload the endpoint"
            }
            AlarmType::RelayerPacketsStuck => {
                "check that the relayer runs, is funded and reaches both chains; clear the packets it cannot relay"
            }
            AlarmType::RelayerClientExpiring => {
                "update the light client (hermes update client) before its trusting period runs out"
            }
            AlarmType::NodeDegraded => {
                "read the node's own health report in the specific problem and repair the component it names"
            }
            AlarmType::ContractFailureRate => {
                "read the contract's failed executions (their error) and check its callers, inputs and state"
            }
            AlarmType::DiskSpaceLow => {
                "free space on the filesystem (prune old chain data, logs) or grow it before writes fail"
            }
        }
    }
}

/// One entry of the alarm inventory (ietf-alarms `alarm-inventory`): what the
/// agent can raise, so an NMS can prepare its filters before any alarm occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct AlarmTypeInfo {
    pub alarm_type: AlarmType,
    pub event_type: EventType,
    pub probable_cause: ProbableCause,
    /// Class of object it is raised on, as a model path pattern.
    pub resource: String,
    pub proposed_repair: String,
}

impl AlarmType {
    pub fn resource_pattern(self) -> &'static str {
        match self {
            AlarmType::NodeUnreachable
            | AlarmType::SyncLag
            | AlarmType::TxPoolSaturated
            | AlarmType::NodeDegraded => "/chains/{chain}/nodes/{node}",
            AlarmType::CpuHigh | AlarmType::MemoryHigh => "/chains/{chain}/nodes/{node} or /host",
            AlarmType::LinkDown | AlarmType::LinkDegraded => {
                "/chains/{chain}/nodes/{node}/links/{peer}"
            }
            AlarmType::ConsensusStalled => "/chains/{chain}/consensus",
            AlarmType::ForkDetected => "/chains/{chain}/ledger",
            AlarmType::CrossChainTimeout
            | AlarmType::RelayerPacketsStuck
            | AlarmType::RelayerClientExpiring => "/chains/{chain}/channels/{channel}",
            AlarmType::ConfigApplyFailed => {
                "/chains/{chain}/{item}: nodes/{node}/log-spec, validator-votes/{address}, consensus/{name} or channels/{channel}"
            }
            AlarmType::PeerCountLow => "/chains/{chain}/nodes/{node}",
            AlarmType::BlockProductionStalled => "/chains/{chain}/ledger",
            AlarmType::EndpointCertificateExpiring => "/chains/{chain}/nodes/{node}",
            AlarmType::ContractFailureRate => "/chains/{chain}/contracts/{contract}",
            AlarmType::DiskSpaceLow => "/chains/{chain}/nodes/{node} or /host/disks/{mount}",
        }
    }

    pub fn inventory() -> Vec<AlarmTypeInfo> {
        AlarmType::ALL
            .iter()
            .map(|&t| AlarmTypeInfo {
                alarm_type: t,
                event_type: t.event_type(),
                probable_cause: t.probable_cause(),
                resource: t.resource_pattern().to_string(),
                proposed_repair: t.proposed_repair().to_string(),
            })
            .collect()
    }
}

/// Operator handling of an alarm (ietf-alarms operator-state, ALARM-MIB ack).
/// The first four fields are the latest change, as SNMP and `ctl` show it;
/// `changes` is the whole history RFC 8632 keeps.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OperatorState {
    /// Acknowledged or closed: someone is taking, or took, care of it.
    pub acknowledged: bool,
    pub by: String,
    pub at: Option<UnixMillis>,
    pub text: String,
    /// Every operator state change, oldest first, at most
    /// [`MAX_OPERATOR_CHANGES`]. Alarms stored before the history existed
    /// have none; their latest change is the fields above.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<OperatorChange>,
}

/// Operator state changes kept per alarm; the oldest go first.
pub const MAX_OPERATOR_CHANGES: usize = 32;

/// The operator states of RFC 8632 an operator can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperatorAction {
    /// Nobody is taking care of the alarm.
    #[default]
    None,
    /// Being taken care of.
    Ack,
    /// Corrective action taken; separate from the alarm being cleared.
    Closed,
    /// Put on a shelf by the configuration (RFC 8632 `shelved`): the
    /// server records it, an operator cannot set it.
    Shelved,
    /// Taken off its shelf by the configuration (RFC 8632 `un-shelved`).
    Unshelved,
}

impl OperatorAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorAction::None => "none",
            OperatorAction::Ack => "ack",
            OperatorAction::Closed => "closed",
            OperatorAction::Shelved => "shelved",
            OperatorAction::Unshelved => "un-shelved",
        }
    }

    /// The states an operator may set (RFC 8632 writable-operator-state).
    pub fn parse(s: &str) -> Option<OperatorAction> {
        match s {
            "none" => Some(OperatorAction::None),
            "ack" => Some(OperatorAction::Ack),
            "closed" => Some(OperatorAction::Closed),
            _ => None,
        }
    }
}

/// One entry of an alarm's operator-state-change history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OperatorChange {
    pub time: UnixMillis,
    pub operator: String,
    pub state: OperatorAction,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl OperatorState {
    /// The current operator state.
    pub fn state(&self) -> OperatorAction {
        match self.changes.last() {
            Some(c) => c.state,
            None if self.acknowledged => OperatorAction::Ack,
            None => OperatorAction::None,
        }
    }

    /// The history, oldest first, including a change recorded before the
    /// history was kept.
    pub fn history(&self) -> Vec<OperatorChange> {
        match (self.changes.is_empty(), self.at) {
            (true, Some(at)) => vec![OperatorChange {
                time: at,
                operator: self.by.clone(),
                state: self.state(),
                text: self.text.clone(),
            }],
            _ => self.changes.clone(),
        }
    }

    /// Record a change by `by` at `at`.
    pub fn record(&mut self, state: OperatorAction, by: &str, at: UnixMillis, text: &str) {
        let mut changes = self.history();
        // The history is keyed by time (RFC 8632): a change in the same
        // millisecond as the last one (or earlier, if the clock stepped
        // back) is stamped a millisecond after it, so none is lost and
        // the order stays.
        let at = changes.last().map_or(at, |last| at.max(last.time + 1));
        changes.push(OperatorChange {
            time: at,
            operator: by.to_string(),
            state,
            text: text.to_string(),
        });
        let excess = changes.len().saturating_sub(MAX_OPERATOR_CHANGES);
        changes.drain(..excess);
        self.changes = changes;
        // Shelving is the server's bookkeeping, not an operator's
        // handling: the acknowledgement SNMP and `ctl` show stays.
        if !matches!(state, OperatorAction::Shelved | OperatorAction::Unshelved) {
            self.acknowledged = state != OperatorAction::None;
            self.by = by.to_string();
            self.at = Some(at);
            self.text = text.to_string();
        }
    }
}

/// One alarm instance, identified by (resource, alarm type) as in ietf-alarms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Alarm {
    /// Agent-wide sequence number; never reused, survives restarts.
    pub id: u64,
    /// The faulty object (fault location), as a path in the information model,
    /// e.g. `/chains/sim/nodes/node-2`.
    pub resource: String,
    pub chain: String,
    pub alarm_type: AlarmType,
    pub event_type: EventType,
    pub probable_cause: ProbableCause,
    /// The severity last raised or changed to. A cleared alarm keeps it
    /// (RFC 8632: the alarm's severity is that of its last raise, and
    /// `cleared` says the rest); alarms stored before this rule show
    /// `Cleared`.
    pub perceived_severity: Severity,
    /// Detail within the type (fault analysis): what was measured against what.
    pub specific_problem: String,
    pub text: String,
    pub proposed_repair: String,
    pub raised: UnixMillis,
    pub changed: UnixMillis,
    pub cleared: Option<UnixMillis>,
    pub operator: OperatorState,
    /// The configured shelf (ietf-alarms alarm shelving) the alarm is on:
    /// hidden from the alarm list, notifications and the MIB, still kept
    /// up to date. Set by the alarm manager from the configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelf: Option<String>,
}

impl Alarm {
    pub fn is_active(&self) -> bool {
        self.cleared.is_none()
    }
}

#[cfg(test)]
mod operator_history_tests {
    use super::*;

    /// Changes in one millisecond (an ack and a close in one script) are
    /// both kept, in order, each with its own time key.
    #[test]
    fn changes_in_the_same_millisecond_are_all_kept() {
        let mut s = OperatorState::default();
        s.record(OperatorAction::Ack, "a", 1000, "");
        s.record(OperatorAction::Closed, "b", 1000, "");
        s.record(OperatorAction::None, "c", 999, "");
        let got: Vec<_> = s.history().iter().map(|c| (c.state, c.time)).collect();
        assert_eq!(
            got,
            [
                (OperatorAction::Ack, 1000),
                (OperatorAction::Closed, 1001),
                (OperatorAction::None, 1002)
            ]
        );
        assert_eq!(s.at, Some(1002));
    }
}
