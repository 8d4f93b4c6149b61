//! The enumerations of the map's columns: each model value with the
//! MIB's number and the YANG enum name, written once so that SNMP (the
//! number, and a SET's value back) and NETCONF (the name) agree. The
//! names are the serde names the modules use (docs/yang.md, Types); a
//! test holds them to it.

use super::Datum;
use crate::model::alarm::{AlarmType, EventType, ProbableCause, Severity};
use crate::model::chain::{ConsensusType, Platform};
use crate::model::consensus::Verdict;
use crate::model::contract::{ContractState, ExecutionStatus};
use crate::model::crosschain::{ChannelState, TransferDirection, TransferState};
use crate::model::link::{LinkDirection, LinkState};
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::{AdminState, NodeRole, OperState};

/// Two-way mapping between a model enumeration and the number and name
/// of the MIB's enumerated INTEGER and the YANG enumeration.
macro_rules! enums {
    ($(#[$doc:meta])* $datum:ident, $to:ident, $from:ident, $ty:ident {
        $($variant:ident = $n:literal $name:literal),+ $(,)?
    }) => {
        $(#[$doc])*
        pub fn $datum(v: $ty) -> Datum<'static> {
            match v {
                $($ty::$variant => Datum::Enum($n, $name),)+
            }
        }

        /// The MIB's number of a model value.
        pub fn $to(v: $ty) -> i32 {
            match v {
                $($ty::$variant => $n,)+
            }
        }

        /// The model value of a MIB number; None for a number the MIB does not define.
        pub fn $from(n: i32) -> Option<$ty> {
            match n {
                $($n => Some($ty::$variant),)+
                _ => None,
            }
        }

        #[cfg(test)]
        impl $ty {
            /// Every variant, for the tests.
            #[allow(dead_code)]
            const VARIANTS: &[$ty] = &[$($ty::$variant),+];
        }
    };
}

enums!(
    /// bcmChainPlatform / chain platform.
    platform, platform_number, platform_from, Platform {
        Simulated = 1 "simulated", Ethereum = 2 "ethereum", Bitcoin = 3 "bitcoin",
        Fabric = 4 "fabric", Cometbft = 5 "cometbft",
    }
);

enums!(
    /// bcmChainConsensusType / chain consensus-type.
    consensus_type, consensus_type_number, consensus_type_from, ConsensusType {
        Bft = 1 "bft", Cft = 2 "cft", ProofOfAuthority = 3 "proof-of-authority",
        ProofOfWork = 4 "proof-of-work", ProofOfStake = 5 "proof-of-stake",
        Instant = 6 "instant", Unknown = 7 "unknown",
    }
);

enums!(
    /// bcmConsistencyVerdict / consistency verdict.
    verdict, verdict_number, verdict_from, Verdict {
        Consistent = 1 "consistent", Lagging = 2 "lagging", Forked = 3 "forked",
        Unknown = 4 "unknown", Reorganising = 5 "reorganising",
    }
);

enums!(
    /// bcmNodeRole / node role.
    node_role, node_role_number, node_role_from, NodeRole {
        Validator = 1 "validator", Observer = 2 "observer", Peer = 3 "peer",
        Orderer = 4 "orderer", Miner = 5 "miner",
    }
);

enums!(
    /// bcmNodeAdminState / node admin-state.
    admin_state, admin_state_number, admin_state_from, AdminState {
        Up = 1 "up", Down = 2 "down", Maintenance = 3 "maintenance",
    }
);

enums!(
    /// bcmNodeOperState / node oper-state.
    oper_state, oper_state_number, oper_state_from, OperState {
        Up = 1 "up", Down = 2 "down", Degraded = 3 "degraded", Unknown = 4 "unknown",
    }
);

enums!(
    /// bcmLinkDirection / link direction.
    link_direction, link_direction_number, link_direction_from, LinkDirection {
        Inbound = 1 "inbound", Outbound = 2 "outbound",
    }
);

enums!(
    /// bcmLinkState / link state.
    link_state, link_state_number, link_state_from, LinkState {
        Up = 1 "up", Down = 2 "down",
    }
);

enums!(
    /// bcmContractState / contract state.
    contract_state, contract_state_number, contract_state_from, ContractState {
        Active = 1 "active", Paused = 2 "paused", Destroyed = 3 "destroyed",
    }
);

enums!(
    /// bcmExecutionStatus / execution status.
    execution_status, execution_status_number, execution_status_from, ExecutionStatus {
        Success = 1 "success", Reverted = 2 "reverted", Failed = 3 "failed",
    }
);

enums!(
    /// bcmChannelState / channel state.
    channel_state, channel_state_number, channel_state_from, ChannelState {
        Open = 1 "open", Degraded = 2 "degraded", Closed = 3 "closed",
    }
);

enums!(
    /// bcmTransferDirection / transfer direction.
    transfer_direction, transfer_direction_number, transfer_direction_from, TransferDirection {
        Outgoing = 1 "outgoing", Incoming = 2 "incoming",
    }
);

enums!(
    /// bcmTransferState / transfer state.
    transfer_state, transfer_state_number, transfer_state_from, TransferState {
        Pending = 1 "pending", Completed = 2 "completed", TimedOut = 3 "timed-out",
        Failed = 4 "failed",
    }
);

enums!(
    /// BcmLogKind / log kind, in the order of `LogKind::ALL`.
    log_kind, log_kind_number, log_kind_from, LogKind {
        System = 1 "system", Consensus = 2 "consensus", Contract = 3 "contract",
        CrossChain = 4 "cross-chain", Security = 5 "security", Operation = 6 "operation",
    }
);

enums!(
    /// BcmLogLevel / log level.
    log_level, log_level_number, log_level_from, LogLevel {
        Error = 1 "error", Warning = 2 "warning", Info = 3 "info", Debug = 4 "debug",
    }
);

enums!(
    /// BcmPerceivedSeverity (ITU-ALARM-TC-MIB numbers) / ietf-alarms severity.
    severity, severity_number, severity_from, Severity {
        Cleared = 1 "cleared", Indeterminate = 2 "indeterminate", Critical = 3 "critical",
        Major = 4 "major", Minor = 5 "minor", Warning = 6 "warning",
    }
);

enums!(
    /// BcmEventType (IANA-ITU-ALARM-TC-MIB numbers) / ietf-alarms-x733
    /// event-type (whose names are not the model's serde names).
    event_type, event_type_number, event_type_from, EventType {
        Other = 1 "other", CommunicationsAlarm = 2 "communications-alarm",
        QualityOfServiceAlarm = 3 "quality-of-service-alarm",
        ProcessingErrorAlarm = 4 "processing-error-alarm", EquipmentAlarm = 5 "equipment-alarm",
        EnvironmentalAlarm = 6 "environmental-alarm", IntegrityViolation = 7 "integrity-violation",
        OperationalViolation = 8 "operational-violation",
        PhysicalViolation = 9 "physical-violation",
        SecurityServiceOrMechanismViolation = 10 "security-service-or-mechanism-violation",
        TimeDomainViolation = 11 "time-domain-violation",
    }
);

enums!(
    /// BcmProbableCause (IANA-ITU-ALARM-TC-MIB numbers) / ietf-alarms-x733
    /// probable-cause (the number) and probable-cause-string (the name).
    probable_cause, probable_cause_number, probable_cause_from, ProbableCause {
        ConnectionEstablishmentError = 22 "connectionEstablishmentError",
        ApplicationSubsystemFailure = 158 "applicationSubsystemFailure",
        ConfigurationOrCustomisationError = 159 "configurationOrCustomisationError",
        DatabaseInconsistency = 160 "databaseInconsistency", TimeoutExpired = 164 "timeoutExpired",
        ExcessiveResponseTime = 204 "excessiveResponseTime",
        CommunicationsSubsystemFailure = 505 "communicationsSubsystemFailure",
        CpuCyclesLimitExceeded = 509 "cpuCyclesLimitExceeded",
        PerformanceDegraded = 532 "performanceDegraded",
        ResourceAtOrNearingCapacity = 541 "resourceAtOrNearingCapacity",
        KeyExpired = 609 "keyExpired", Other = 1024 "other",
    }
);

enums!(
    /// BcmAlarmKind, in the order of `AlarmType::ALL` / the alarm type's
    /// identity in chain-agent-alarms.
    alarm_type, alarm_type_number, alarm_type_from, AlarmType {
        NodeUnreachable = 1 "node-unreachable", LinkDown = 2 "link-down",
        LinkDegraded = 3 "link-degraded", SyncLag = 4 "sync-lag", CpuHigh = 5 "cpu-high",
        MemoryHigh = 6 "memory-high", ConsensusStalled = 7 "consensus-stalled",
        ForkDetected = 8 "fork-detected", CrossChainTimeout = 9 "cross-chain-timeout",
        TxPoolSaturated = 10 "tx-pool-saturated",
        PeerCountLow = 11 "peer-count-low",
        BlockProductionStalled = 12 "block-production-stalled",
        RelayerPacketsStuck = 15 "relayer-packets-stuck",
        RelayerClientExpiring = 16 "relayer-client-expiring",
        NodeDegraded = 17 "node-degraded",
        EndpointCertificateExpiring = 18 "endpoint-certificate-expiring",
        ConfigApplyFailed = 20 "config-apply-failed",
        ContractFailureRate = 13 "contract-failure-rate", DiskSpaceLow = 14 "disk-space-low",
    }
);

/// bcmAlarmAckState's acknowledged(2).
pub const ACKNOWLEDGED: i32 = 2;

/// bcmAlarmAckState / bcmAlarmHistAckState of an alarm's acknowledgement
/// (ack or closed in ietf-alarms' operator state).
pub fn ack_state(acknowledged: bool) -> Datum<'static> {
    if acknowledged {
        Datum::Enum(ACKNOWLEDGED, "acknowledged")
    } else {
        Datum::Enum(1, "notAcknowledged")
    }
}

/// The acknowledgement a bcmAlarmAckState number asks for.
pub fn ack_state_from(n: i32) -> Option<bool> {
    match n {
        1 => Some(false),
        ACKNOWLEDGED => Some(true),
        _ => None,
    }
}

/// The name of an enumeration's datum ("" for any other datum).
pub fn name(d: Datum<'static>) -> &'static str {
    match d {
        Datum::Enum(_, name) => name,
        _ => "",
    }
}

/// RowStatus (RFC 2579) values the agent acts on.
pub const ROW_ACTIVE: i32 = 1;
pub const ROW_CREATE_AND_GO: i32 = 4;
pub const ROW_DESTROY: i32 = 6;

/// A RowStatus value (RFC 2579's six); None for another number.
pub fn row_status(n: i32) -> Option<Datum<'static>> {
    let name = match n {
        1 => "active",
        2 => "notInService",
        3 => "notReady",
        4 => "createAndGo",
        5 => "createAndWait",
        6 => "destroy",
        _ => return None,
    };
    Some(Datum::Enum(n, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// Each variant: its name is serde's, its number reads back.
    fn check<T: Serialize + Copy + PartialEq + std::fmt::Debug>(
        variants: &[T],
        datum: fn(T) -> Datum<'static>,
        from: fn(i32) -> Option<T>,
    ) {
        for &v in variants {
            let Datum::Enum(n, name) = datum(v) else {
                panic!("{v:?} is not an enumeration");
            };
            assert_eq!(serde_json::to_value(v).unwrap(), name, "{v:?}");
            assert_eq!(from(n), Some(v), "{v:?}");
        }
        assert_eq!(from(0), None);
    }

    #[test]
    fn names_are_serdes_and_numbers_round_trip() {
        check(Platform::VARIANTS, platform, platform_from);
        check(ConsensusType::VARIANTS, consensus_type, consensus_type_from);
        check(Verdict::VARIANTS, verdict, verdict_from);
        check(NodeRole::VARIANTS, node_role, node_role_from);
        check(AdminState::VARIANTS, admin_state, admin_state_from);
        check(OperState::VARIANTS, oper_state, oper_state_from);
        check(LinkDirection::VARIANTS, link_direction, link_direction_from);
        check(LinkState::VARIANTS, link_state, link_state_from);
        check(ChannelState::VARIANTS, channel_state, channel_state_from);
        check(
            TransferDirection::VARIANTS,
            transfer_direction,
            transfer_direction_from,
        );
        check(TransferState::VARIANTS, transfer_state, transfer_state_from);
        check(LogKind::VARIANTS, log_kind, log_kind_from);
        check(LogLevel::VARIANTS, log_level, log_level_from);
        check(ContractState::VARIANTS, contract_state, contract_state_from);
        check(
            ExecutionStatus::VARIANTS,
            execution_status,
            execution_status_from,
        );
        check(Severity::VARIANTS, severity, severity_from);
        check(ProbableCause::VARIANTS, probable_cause, probable_cause_from);
        check(AlarmType::VARIANTS, alarm_type, alarm_type_from);
        for &e in EventType::VARIANTS {
            assert_eq!(event_type_from(event_type_number(e)), Some(e));
        }
        for b in [false, true] {
            assert_eq!(ack_state(b).number().and_then(ack_state_from), Some(b));
        }
    }

    #[test]
    fn ordered_enumerations_follow_the_model_order() {
        for (i, k) in LogKind::ALL.into_iter().enumerate() {
            assert_eq!(log_kind_number(k), i as i32 + 1);
        }
        for l in LogLevel::VARIANTS {
            assert_eq!(log_level_number(*l), *l as i32);
        }
        assert_eq!(log_level_from(5), None);
    }

    #[test]
    fn numbers_are_the_mibs() {
        assert_eq!(platform_number(Platform::Cometbft), 5);
        assert_eq!(consensus_type_number(ConsensusType::Unknown), 7);
        assert_eq!(
            consensus_type_from(3),
            Some(ConsensusType::ProofOfAuthority)
        );
        assert_eq!(verdict_number(Verdict::Forked), 3);
        assert_eq!(verdict_from(4), Some(Verdict::Unknown));
        assert_eq!(admin_state_number(AdminState::Maintenance), 3);
        assert_eq!(admin_state_from(4), None);
        assert_eq!(oper_state_number(OperState::Unknown), 4);
        assert_eq!(node_role_number(NodeRole::Miner), 5);
        assert_eq!(node_role_from(2), Some(NodeRole::Observer));
        assert_eq!(link_direction_number(LinkDirection::Outbound), 2);
        assert_eq!(link_state_from(2), Some(LinkState::Down));
        assert_eq!(channel_state_number(ChannelState::Degraded), 2);
        assert_eq!(
            transfer_direction_from(2),
            Some(TransferDirection::Incoming)
        );
        assert_eq!(transfer_state_number(TransferState::TimedOut), 3);
        assert_eq!(transfer_state_from(4), Some(TransferState::Failed));
        assert_eq!(contract_state_number(ContractState::Destroyed), 3);
        assert_eq!(execution_status_from(2), Some(ExecutionStatus::Reverted));
    }
}
