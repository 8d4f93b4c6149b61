//! A hand-built snapshot with at least one row in every table, plus the
//! edge cases the MIB has rules for: absent (None) figures, a block above
//! 2^32-1, a disk and an interface the host sample does not cover, a
//! cleared and an active alarm, a non-numeric and a fixed consensus
//! parameter, a channel no longer configured (without relayer figures).

use crate::config::Config;
use crate::model::alarm::{Alarm, AlarmType, OperatorState, Severity};
use crate::model::apply::{ApplyState, ApplyStatus};
use crate::model::chain::{ConsensusType, ManagedChain, Platform};
use crate::model::consensus::{
    Consensus, ConsensusParameter, ConsistencyReport, NodeHead, PendingVote, Validator, Verdict,
};
use crate::model::contract::{
    Contract, ContractExecution, ContractState, ExecutionStatus, Signatory,
};
use crate::model::crosschain::{
    ChannelParameter, ChannelState, CrossChainChannel, CrossChainTransfer, TransferDirection,
    TransferState,
};
use crate::model::host::{
    DiskInfo, DiskUsage, HostInventory, HostPerformance, InterfaceCounters, InterfaceInfo,
};
use crate::model::ledger::{Block, Ledger, LedgerMember};
use crate::model::link::{LinkDirection, LinkState, PeerLink};
use crate::model::log::{LogKind, LogLevel, LogRecord, LogType};
use crate::model::node::{AdminState, Node, NodeHardware, NodeRole, NodeSoftware, OperState};
use crate::model::performance::{NodePerformance, Thresholds};
use crate::model::rows::rows;
use crate::model::snapshot::*;
use crate::snmp::mib::{AgentState, Ctx};
use crate::snmp::value::Value;

/// 2024-02-29T13:45:07.891Z.
pub const T: u64 = 1_709_214_307_891;

pub struct NoAgent;

impl AgentState for NoAgent {
    fn uptime_ticks(&self) -> u32 {
        0
    }
    /// A freshly started agent: bcmAgent counters at zero, nothing else.
    fn standard(&self, oid: &[u32]) -> Option<Value> {
        match oid.strip_prefix(crate::snmp::mib::ROOT) {
            Some([1, 10, 1..=3, 0]) => Some(Value::Counter32(0)),
            _ => None,
        }
    }
}

pub fn ctx<'a>(snapshot: &'a Snapshot, config: &'a Config) -> Ctx<'a> {
    Ctx {
        snapshot,
        config,
        agent: &NoAgent,
        creating: &[],
    }
}

fn node(id: &str, role: NodeRole, oper: OperState) -> Node {
    Node {
        chain: "sim".into(),
        id: id.into(),
        identity: format!("0x{id}"),
        role,
        endpoint: format!("sim://sim/{id}"),
        software: NodeSoftware {
            client: "chain-agent-sim".into(),
            version: "0.1.0".into(),
            protocol: "sim-bft/1".into(),
        },
        hardware: NodeHardware {
            host: "sim-host-1".into(),
            os: "Linux (simulated)".into(),
            arch: "x86_64".into(),
            cpu_cores: Some(4),
            memory_bytes: Some(8 << 30),
            disk_bytes: Some(500 << 30),
        },
        admin_state: AdminState::Up,
        oper_state: oper,
        oper_changed: T,
        log_spec: "info".into(),
        unsupported: vec!["txpool".into(), "validators".into()],
    }
}

fn alarm(id: u64, alarm_type: AlarmType, cleared: Option<u64>) -> Alarm {
    Alarm {
        id,
        resource: "/chains/sim/nodes/node-2".into(),
        chain: "sim".into(),
        alarm_type,
        event_type: alarm_type.event_type(),
        probable_cause: alarm_type.probable_cause(),
        // A cleared alarm keeps its severity; the MIB shows cleared(1).
        perceived_severity: Severity::Major,
        specific_problem: "12 blocks behind, threshold 5".into(),
        text: "sync-lag on /chains/sim/nodes/node-2: 12 blocks behind, threshold 5".into(),
        proposed_repair: alarm_type.proposed_repair().into(),
        raised: T,
        changed: T + 1000,
        cleared,
        operator: OperatorState::default(),
        shelf: None,
    }
}

pub fn snapshot() -> Snapshot {
    let mut active = alarm(7, AlarmType::SyncLag, None);
    active.operator = OperatorState {
        acknowledged: true,
        by: "snmp:admin".into(),
        at: Some(T + 2000),
        text: String::new(),
        changes: Vec::new(),
    };
    let mut huge = alarm(1 << 40, AlarmType::CpuHigh, None);
    huge.resource = "/host".into();
    huge.chain = String::new();
    Snapshot {
        nodes: NodesArea {
            chains: vec![ManagedChain {
                id: "sim".into(),
                name: "Simulated consortium chain".into(),
                platform: Platform::Simulated,
                chain_id: "sim-42".into(),
                consensus_type: ConsensusType::Bft,
                genesis_hash: "0x00ab".into(),
                node_count: 2,
            }],
            nodes: vec![
                node("node-1", NodeRole::Validator, OperState::Up),
                node("node-2", NodeRole::Observer, OperState::Degraded),
            ],
            links: vec![PeerLink {
                chain: "sim".into(),
                local_node: "node-1".into(),
                remote_node: "node-2".into(),
                remote_address: "10.0.0.2:30303".into(),
                direction: LinkDirection::Outbound,
                state: LinkState::Up,
                latency_ms: Some(12.3456),
                bytes_in: Some(1 << 40),
                bytes_out: Some(5),
                since: T,
            }],
            host: Some(HostInventory {
                hostname: "agent-host".into(),
                os_name: "Debian GNU/Linux 12 (bookworm)".into(),
                os_version: "12 (bookworm)".into(),
                kernel: "6.1.0".into(),
                arch: "x86_64".into(),
                cpu_model: "Virtual CPU".into(),
                cpu_cores: 2,
                memory_total_bytes: 4 << 30,
                boot_time_unix: T / 1000,
                disks: vec![
                    DiskInfo {
                        mount_point: "/".into(),
                        device: "/dev/vda1".into(),
                        fs_type: "ext4".into(),
                        total_bytes: 40 << 30,
                    },
                    DiskInfo {
                        mount_point: "/data".into(),
                        device: "/dev/vdb1".into(),
                        fs_type: "xfs".into(),
                        total_bytes: 100 << 30,
                    },
                ],
                interfaces: vec![
                    InterfaceInfo {
                        name: "lo".into(),
                        mac: "00:00:00:00:00:00".into(),
                        mtu: 65536,
                        speed_mbps: None,
                    },
                    InterfaceInfo {
                        name: "eth0".into(),
                        mac: "52:54:00:12:34:56".into(),
                        mtu: 1500,
                        speed_mbps: Some(1000),
                    },
                ],
            }),
            config_apply: vec![
                ApplyStatus {
                    chain: "sim".into(),
                    item: "nodes/node-1/log-spec".into(),
                    node: "node-1".into(),
                    state: ApplyState::Refused,
                    reason: "logging: error -8: unknown logging category bogus".into(),
                    changed: T,
                },
                ApplyStatus {
                    chain: "sim".into(),
                    item: "validator-votes/0xaa".into(),
                    node: String::new(),
                    state: ApplyState::Applied,
                    reason: String::new(),
                    changed: T + 1000,
                },
            ],
        },
        performance: PerformanceArea {
            thresholds: Thresholds::default(),
            nodes: vec![
                NodePerformance {
                    chain: "sim".into(),
                    node: "node-1".into(),
                    sampled_at: T,
                    cpu_percent: Some(12.345),
                    memory_percent: Some(45.0),
                    memory_used_bytes: Some(3 << 30),
                    disk_used_bytes: Some(50 << 20),
                    net_in_bytes_per_sec: Some(2500.4),
                    net_out_bytes_per_sec: Some(2500.6),
                    peer_count: Some(1),
                    height: u64::from(u32::MAX) + 10,
                    sync_lag: 0,
                    tx_pool_size: Some(3),
                    block_interval_ms: Some(1000.2),
                    tps: Some(4.567),
                    cpu_core_percent: Some(150.125),
                    process_id: Some(4242),
                    process_started_at: Some(T - 3_600_000),
                    process_restarts: Some(2),
                    threads: Some(17),
                    open_fds: Some(230),
                    read_bytes: Some(7 << 30),
                    write_bytes: Some(9 << 30),
                    data_fs_free_bytes: Some(40 << 30),
                    data_fs_size_bytes: Some(100 << 30),
                    thresholds: Thresholds::default(),
                    // Expired two days ago: a negative Integer32.
                    certificate_not_after: Some(T - 2 * 86_400_000),
                    certificate_days_left: Some(-2),
                    certificate_endpoint: Some("https://node-1.example:8545".into()),
                    health: Some(crate::model::performance::NodeHealth::unhealthy(
                        "/healthz failed checks: couchdb: down".into(),
                    )),
                },
                NodePerformance {
                    chain: "sim".into(),
                    node: "node-2".into(),
                    sampled_at: T,
                    peer_count: Some(1),
                    height: 90,
                    sync_lag: 12,
                    ..Default::default()
                },
            ],
            host: Some(HostPerformance {
                sampled_at_unix_ms: T,
                cpu_percent: 7.5,
                load1: 0.42,
                load5: 1.0,
                load15: 12.345,
                memory_used_bytes: 1 << 30,
                memory_total_bytes: 4 << 30,
                memory_percent: 25.0,
                swap_used_bytes: 0,
                uptime_seconds: 3600,
                disks: vec![DiskUsage {
                    mount_point: "/".into(),
                    total_bytes: 40 << 30,
                    used_bytes: 10 << 30,
                    percent: 25.126,
                }],
                interfaces: vec![InterfaceCounters {
                    name: "eth0".into(),
                    oper_up: true,
                    rx_bytes: 1000,
                    tx_bytes: 2000,
                    rx_packets: 10,
                    tx_packets: 20,
                    rx_errors: 1,
                    tx_errors: 2,
                    rx_drops: 3,
                    tx_drops: 4,
                    rx_bytes_per_sec: 0.0,
                    tx_bytes_per_sec: 0.0,
                }],
            }),
        },
        faults: FaultsArea {
            inventory: AlarmType::inventory(),
            active: vec![active.clone(), huge],
            history: vec![active, alarm(5, AlarmType::LinkDown, Some(T + 5000))],
            shelving_changed: None,
        },
        logs: LogsArea {
            types: vec![
                LogType {
                    kind: LogKind::Consensus,
                    level: LogLevel::Debug,
                    retention_records: 500,
                    record_count: 2,
                    oldest: Some(T),
                    newest: Some(T + 1),
                },
                LogType {
                    kind: LogKind::System,
                    level: LogLevel::Info,
                    retention_records: 10_000,
                    record_count: 0,
                    oldest: None,
                    newest: None,
                },
            ],
            recent: vec![
                LogRecord {
                    id: 1,
                    kind: LogKind::Consensus,
                    time: T,
                    level: LogLevel::Warning,
                    source: "/chains/sim/consensus".into(),
                    message: "view change at height 10".into(),
                },
                LogRecord {
                    id: 2,
                    kind: LogKind::Operation,
                    time: T + 1,
                    level: LogLevel::Info,
                    source: "ctl:uid=0".into(),
                    message: "é".repeat(200),
                },
            ],
        },
        ledger: LedgerArea {
            ledgers: vec![Ledger {
                chain: "sim".into(),
                height: 10,
                head_hash: "0xbeef".into(),
                head_time: T,
                transactions_seen: 123,
                target_block_interval_ms: Some(1000),
                max_block_transactions: None,
                active_members: 1,
            }],
            blocks: rows(vec![
                Block {
                    chain: "sim".into(),
                    height: 9,
                    hash: "0x09".into(),
                    parent_hash: "0x08".into(),
                    time: T - 1000,
                    proposer: "node-2".into(),
                    tx_count: 3,
                    size_bytes: 1140,
                },
                Block {
                    chain: "sim".into(),
                    height: 10,
                    hash: "0x0a".into(),
                    parent_hash: "0x09".into(),
                    time: T,
                    proposer: "node-3".into(),
                    tx_count: 0,
                    size_bytes: 600,
                },
                Block {
                    chain: "sim".into(),
                    height: u64::from(u32::MAX) + 1,
                    hash: "0xff".into(),
                    parent_hash: "0x0a".into(),
                    time: T,
                    proposer: String::new(),
                    tx_count: 0,
                    size_bytes: 600,
                },
            ]),
            members: vec![
                LedgerMember {
                    chain: "sim".into(),
                    id: "org-1".into(),
                    name: "Organisation 1".into(),
                    address: "0x01".into(),
                    role: "founder".into(),
                    joined_height: 0,
                    joined_at: T,
                    left_height: None,
                    left_at: None,
                },
                LedgerMember {
                    chain: "sim".into(),
                    id: "org-5".into(),
                    name: "Organisation 5".into(),
                    address: "0x05".into(),
                    role: "member".into(),
                    joined_height: 3,
                    joined_at: T,
                    left_height: Some(8),
                    left_at: Some(T + 8000),
                },
            ],
        },
        consensus: ConsensusArea {
            chains: vec![Consensus {
                chain: "sim".into(),
                algorithm: "sim-bft".into(),
                parameters: vec![
                    ConsensusParameter {
                        name: "block-interval-ms".into(),
                        value: "1000".into(),
                        unit: "ms".into(),
                        settable: true,
                    },
                    ConsensusParameter {
                        name: "max-block-transactions".into(),
                        value: "40".into(),
                        unit: "transactions".into(),
                        settable: true,
                    },
                    ConsensusParameter {
                        name: "epoch".into(),
                        value: "30000".into(),
                        unit: "blocks".into(),
                        settable: false,
                    },
                    ConsensusParameter {
                        name: "mode".into(),
                        value: "fast".into(),
                        unit: String::new(),
                        settable: false,
                    },
                ],
                height: 10,
                round: Some(1),
                leader: "node-3".into(),
                validators: vec![Validator {
                    id: "node-1".into(),
                    address: "0xnode-1".into(),
                    voting_power: u64::MAX,
                    active: true,
                    proposed_blocks: 4,
                    missed_rounds: 1,
                }],
                view_changes: 2,
                last_block_at: T,
                pending_votes: vec![PendingVote {
                    address: "0x00000000000000000000000000000000000000c3".into(),
                    authorize: true,
                }],
            }],
            consistency: vec![ConsistencyReport {
                chain: "sim".into(),
                checked_at: T,
                nodes: vec![
                    NodeHead {
                        node: "node-1".into(),
                        height: 10,
                        head_hash: "0x0a".into(),
                        hash_at_common: "0x09".into(),
                        lag: 0,
                        branch: 0,
                    },
                    NodeHead {
                        node: "node-2".into(),
                        height: 9,
                        head_hash: "0x09".into(),
                        hash_at_common: "0x09".into(),
                        lag: 1,
                        branch: 0,
                    },
                ],
                common_height: 9,
                first_divergent_height: None,
                max_lag: 1,
                branch_count: 1,
                verdict: Verdict::Consistent,
                split_length: 0,
            }],
        },
        contracts: ContractsArea {
            contracts: vec![Contract {
                chain: "sim".into(),
                id: "0xc0ffee".into(),
                name: "escrow".into(),
                version: "2.1.0".into(),
                code_hash: "0xcode".into(),
                deployer: "0x01".into(),
                deployed_at: T,
                deploy_height: 0,
                state: ContractState::Active,
                signatories: vec![
                    Signatory {
                        id: "org-1".into(),
                        address: "0x01".into(),
                        signed_at: T,
                    },
                    Signatory {
                        id: "org-2".into(),
                        address: "0x02".into(),
                        signed_at: T,
                    },
                ],
                calls: 10,
                failed_calls: 1,
            }],
            executions: rows(vec![
                ContractExecution {
                    chain: "sim".into(),
                    contract: "0xc0ffee".into(),
                    tx: "0xa1b2".into(),
                    height: 9,
                    caller: "0x01".into(),
                    method: "deposit".into(),
                    status: ExecutionStatus::Reverted,
                    cost: 21_000,
                    time: T,
                    error: "insufficient balance".into(),
                },
                ContractExecution {
                    chain: "sim".into(),
                    contract: "0xc0ffee".into(),
                    tx: "tx-2".into(),
                    height: 10,
                    caller: "0x01".into(),
                    method: "settle".into(),
                    status: ExecutionStatus::Success,
                    cost: u64::MAX,
                    time: T,
                    error: String::new(),
                },
            ]),
        },
        cross_chain: CrossChainArea {
            channels: vec![
                CrossChainChannel {
                    chain: "sim".into(),
                    id: "channel-0".into(),
                    local_chain: "sim".into(),
                    remote_chain: "partner-chain".into(),
                    relay_endpoint: "stale:1".into(),
                    timeout_ms: 1,
                    fee: 1,
                    capacity: 1,
                    state: ChannelState::Open,
                    pending: 2,
                    completed: 30,
                    timed_out: 4,
                    failed: 0,
                    oldest_pending_sequence: 17,
                    oldest_pending_age_ms: 2500,
                    client_expiry: Some(T + 3_600_000),
                    client_id: "07-tendermint-0".into(),
                    parameters: vec![ChannelParameter {
                        name: "trusting-period".into(),
                        value: "14days".into(),
                    }],
                },
                CrossChainChannel {
                    chain: "sim".into(),
                    id: "channel-old".into(),
                    local_chain: "sim".into(),
                    remote_chain: "gone-chain".into(),
                    relay_endpoint: "old:1".into(),
                    timeout_ms: 9000,
                    fee: 0,
                    capacity: 8,
                    state: ChannelState::Closed,
                    pending: 0,
                    completed: 1,
                    timed_out: 0,
                    failed: 0,
                    oldest_pending_sequence: 0,
                    oldest_pending_age_ms: 0,
                    client_expiry: None,
                    client_id: String::new(),
                    parameters: Vec::new(),
                },
            ],
            transfers: rows(vec![
                CrossChainTransfer {
                    chain: "sim".into(),
                    channel: "channel-0".into(),
                    id: "channel-0-1".into(),
                    direction: TransferDirection::Outgoing,
                    state: TransferState::Completed,
                    amount: 500,
                    started: T,
                    finished: Some(T + 700),
                    latency_ms: Some(700),
                    failure_reason: String::new(),
                },
                CrossChainTransfer {
                    chain: "sim".into(),
                    channel: "channel-0".into(),
                    id: "channel-0-2".into(),
                    direction: TransferDirection::Incoming,
                    state: TransferState::TimedOut,
                    amount: 9,
                    started: T,
                    finished: Some(T + 4000),
                    latency_ms: None,
                    failure_reason: "no acknowledgement within 4000 ms".into(),
                },
            ]),
        },
    }
}
