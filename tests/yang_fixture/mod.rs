//! Shared by the YANG mapping tests: the schema from the checkout's
//! `.deps/yang`, a configuration with every optional field set, and a
//! snapshot of the simulated chain, taken by the agent's own collection
//! pass, completed where one pass cannot show a field.

#![allow(dead_code)]

use chain_agent::config::*;
use chain_agent::core::runtime::snapshot_once;
use chain_agent::model::alarm::{AlarmType, OperatorAction, Severity};
use chain_agent::model::apply::{ApplyState, ApplyStatus};
use chain_agent::model::chain::Platform;
use chain_agent::model::consensus::PendingVote;
use chain_agent::model::crosschain::ChannelParameter;
use chain_agent::model::log::LogLevel;
use chain_agent::model::node::{AdminState, NodeRole};
use chain_agent::model::performance::{ThresholdOverrides, Thresholds};
use chain_agent::model::snapshot::Snapshot;
use chain_agent::netconf::yang::Schema;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The standard modules, as `bash tools/setup` installs them.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let deps = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".deps/yang");
        Schema::load_from(&[deps]).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn map<V>(entries: impl IntoIterator<Item = (&'static str, V)>) -> BTreeMap<String, V> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Every optional field set and every value away from its default, so a
/// field the mapping drops or swaps cannot come back equal.
pub fn full_config() -> Config {
    let agent = AgentConfig {
        data_dir: PathBuf::from("/var/lib/chain-agent-test"),
        backup_dir: PathBuf::from("/var/backups/chain-agent-test"),
        collect_interval_ms: 700,
        host_interval_ms: 6100,
        recent_blocks: 55,
        recent_records: 66,
        alarm_history: 777,
        revision_history_bytes: 1 << 20,
    };
    let system = SystemConfig {
        contact: "ops@example.org".into(),
        name: "agent-7".into(),
        location: "rack 9".into(),
    };
    let snmp = SnmpConfig {
        enabled: false,
        listen: vec!["127.0.0.1:2161".into(), "[::1]:2161".into()],
        engine_id: "80:00:1f:88:04:74:65:73:74".into(),
        max_message_size: 1500,
        enable_authen_traps: true,
        communities: map([(
            "ro",
            CommunityConfig {
                access: Access::ReadWrite,
                sources: vec!["10.0.0.0/8".into(), "::1/128".into()],
                view: Some("mgmt".into()),
            },
        )]),
        users: map([
            (
                "alice",
                UsmUserConfig {
                    group: "ops".into(),
                    auth: AuthAlgorithm::Sha256,
                    auth_password: Some("alice-auth-secret".into()),
                    auth_key: Some("0a:0b:0c:0d:0e:0f:10:11".into()),
                    privacy: PrivAlgorithm::Aes,
                    priv_password: Some("alice-priv-secret".into()),
                    priv_key: Some("0x0102030405060708".into()),
                },
            ),
            (
                "bob",
                UsmUserConfig {
                    group: "ops".into(),
                    auth: AuthAlgorithm::Md5,
                    auth_password: Some("bob-auth-secret".into()),
                    auth_key: None,
                    privacy: PrivAlgorithm::Des,
                    priv_password: Some("bob-priv-secret".into()),
                    priv_key: None,
                },
            ),
        ]),
        views: map([
            (
                "mgmt",
                vec![
                    ViewEntry {
                        subtree: "1.3.6.1.4.1.32473".into(),
                        mask: "ff:a0".into(),
                        kind: ViewType::Included,
                    },
                    ViewEntry {
                        subtree: "1.3.6.1.4.1.32473.1.5".into(),
                        mask: String::new(),
                        kind: ViewType::Excluded,
                    },
                ],
            ),
            (
                "all",
                vec![ViewEntry {
                    subtree: "1".into(),
                    mask: String::new(),
                    kind: ViewType::Included,
                }],
            ),
        ]),
        groups: map([(
            "ops",
            GroupConfig {
                security_model: SecurityModelSel::Usm,
                security_level: SecurityLevel::AuthNoPriv,
                read_view: Some("all".into()),
                write_view: Some("mgmt".into()),
                notify_view: Some("mgmt".into()),
            },
        )]),
        targets: map([
            (
                "nms",
                TargetConfig {
                    address: "10.0.0.5:162".into(),
                    kind: NotifyKind::Inform,
                    version: SnmpVersion::V2c,
                    community: Some("traps".into()),
                    user: None,
                    security_level: SecurityLevel::NoAuthNoPriv,
                    timeout_ms: 2500,
                    retries: 5,
                },
            ),
            (
                "nms3",
                TargetConfig {
                    address: "[2001:db8::5]:162".into(),
                    kind: NotifyKind::Trap,
                    version: SnmpVersion::V3,
                    community: None,
                    user: Some("alice".into()),
                    security_level: SecurityLevel::AuthPriv,
                    timeout_ms: 900,
                    retries: 0,
                },
            ),
        ]),
    };
    let netconf = NetconfConfig {
        enabled: false,
        listen: "127.0.0.1:9830".into(),
        idle_timeout_seconds: 120,
        max_sessions: 7,
        max_sessions_per_user: 3,
        reserved_admin_sessions: 2,
        max_connections: 100,
        max_unauthenticated: 40,
        unauthenticated_drop_start: 20,
        max_unauthenticated_per_source: 5,
        login_grace_seconds: 45,
        max_auth_tries: 4,
        auth_failure_penalty_seconds: 7,
        penalty_threshold_seconds: 20,
        penalty_max_seconds: 900,
        message_buffer_budget_bytes: 33_554_432,
        xpath_max_steps: 2_000_000,
        xpath_timeout_ms: 7_000,
        host_key: Some("keys/host".into()),
        users: map([
            (
                "noc",
                NetconfUser {
                    password: Some("pw".into()),
                    password_hash: Some("$6$salt$hash".into()),
                    authorized_keys: vec![
                        "ssh-ed25519 AAAAC3Nza noc@a".into(),
                        "ssh-ed25519 AAAAC3Nzb noc@b".into(),
                    ],
                    admin: true,
                    groups: vec!["audit".into(), "ops".into()],
                },
            ),
            (
                "viewer",
                NetconfUser {
                    password: None,
                    password_hash: Some("$6$x$y".into()),
                    authorized_keys: vec![],
                    admin: false,
                    groups: vec![],
                },
            ),
        ]),
    };
    let thresholds = Thresholds {
        cpu_percent: 85.5,
        memory_percent: 80.25,
        sync_lag_blocks: 7,
        consensus_stall_seconds: 20,
        link_latency_ms: 250.125,
        xchain_timeout_percent: 40.0,
        cpu_hysteresis_percent: 7.5,
        memory_hysteresis_percent: 12.25,
        sync_lag_hysteresis_blocks: 2,
        link_latency_hysteresis_ms: 50.5,
        hold_off_seconds: 4,
        tx_pool_max: 2500,
        peer_count_min: 4,
        peer_count_hold_off_seconds: 12,
        block_stall_factor: 8,
        block_interval_seconds: 3,
        cert_expiry_days: 21,
        cert_expiry_hysteresis_days: 3,
        node_degraded_hold_off_seconds: 45,
        relayer_packet_age_seconds: 600,
        relayer_backlog_max: 250,
        relayer_client_expiry_hours: 36,
        contract_failure_percent: 25.5,
        contract_failure_window_seconds: 120,
        contract_failure_min_calls: 8,
        disk_free_percent: 12.5,
    };
    let logs = map([
        (
            "consensus",
            LogTypeConfig {
                level: LogLevel::Debug,
                retention_records: 2000,
            },
        ),
        (
            "security",
            LogTypeConfig {
                level: LogLevel::Warning,
                retention_records: 50,
            },
        ),
    ]);
    let chains = map([
        ("lab", lab_chain()),
        ("besu", besu_chain()),
        ("hub", hub_chain()),
    ]);
    Config {
        agent,
        system,
        snmp,
        netconf,
        nacm: full_nacm(),
        alarms: full_alarms(),
        thresholds,
        logs,
        chains,
    }
}

/// A shelf with every leaf: the host's CPU alarms (the fixture's cleared
/// /host alarm is on it).
fn full_alarms() -> AlarmsConfig {
    let mut a = AlarmsConfig::default();
    a.control.alarm_shelving.shelf = vec![Shelf {
        name: HOST_SHELF.into(),
        resource: vec!["/chains/lab/nodes/node-9".into(), "/host".into()],
        alarm_type: vec![ShelfAlarmType {
            alarm_type_id: "chain-agent-alarms:cpu-high".into(),
            alarm_type_qualifier_match: ".*".into(),
        }],
        description: Some("host CPU alarms while the host is resized".into()),
    }];
    a
}

pub const HOST_SHELF: &str = "host-cpu";

/// Every /nacm leaf away from its default, and a rule of each type.
fn full_nacm() -> NacmConfig {
    let rule = |name: &str, action| NacmRule {
        name: name.into(),
        module_name: "*".into(),
        rpc_name: None,
        notification_name: None,
        path: None,
        access_operations: AccessOperations::ANY,
        action,
        comment: None,
    };
    NacmConfig {
        enable_nacm: false,
        read_default: NacmAction::Deny,
        write_default: NacmAction::Permit,
        exec_default: NacmAction::Deny,
        enable_external_groups: false,
        groups: map([
            (
                "ops",
                NacmGroup {
                    user_name: vec!["noc".into(), "viewer".into()],
                },
            ),
            ("empty", NacmGroup::default()),
        ]),
        rule_list: vec![
            RuleList {
                name: "ops-rules".into(),
                group: vec!["audit".into(), "ops".into()],
                rule: vec![
                    NacmRule {
                        module_name: "ietf-netconf".into(),
                        rpc_name: Some("kill-session".into()),
                        access_operations: AccessOperations::of(&[AccessOperation::Exec]),
                        comment: Some("no killing".into()),
                        ..rule("no-kill", NacmAction::Deny)
                    },
                    NacmRule {
                        module_name: "ietf-netconf-notifications".into(),
                        notification_name: Some("netconf-config-change".into()),
                        access_operations: AccessOperations::of(&[AccessOperation::Read]),
                        ..rule("no-config-change", NacmAction::Deny)
                    },
                    NacmRule {
                        path: Some("/chain-agent-nodes:thresholds/cpu-percent".into()),
                        access_operations: AccessOperations::of(&[
                            AccessOperation::Read,
                            AccessOperation::Update,
                        ]),
                        ..rule("cpu", NacmAction::Permit)
                    },
                ],
            },
            RuleList {
                name: "everyone".into(),
                group: vec!["*".into()],
                rule: vec![rule("all", NacmAction::Permit)],
            },
            RuleList {
                name: "unused".into(),
                group: vec![],
                rule: vec![],
            },
        ],
    }
}

/// A simulated chain with a fault of every kind, so one collection pass
/// raises alarms of several types.
fn lab_chain() -> ChainConfig {
    let fault =
        |kind, node: Option<&str>, peer: Option<&str>, channel: Option<&str>, value| FaultConfig {
            kind,
            node: node.map(str::to_string),
            peer: peer.map(str::to_string),
            channel: channel.map(str::to_string),
            value,
        };
    ChainConfig {
        name: "Fault lab".into(),
        platform: Platform::Simulated,
        simulation: Some(SimulationConfig {
            seed: 7,
            validators: 5,
            observers: 2,
            warmup_blocks: 12,
            faults: map([
                (
                    "stop",
                    fault(FaultKind::StopNode, Some("node-3"), None, None, None),
                ),
                (
                    "cut",
                    fault(
                        FaultKind::CutLink,
                        Some("node-1"),
                        Some("node-2"),
                        None,
                        None,
                    ),
                ),
                (
                    "slow",
                    fault(
                        FaultKind::SlowLink,
                        Some("node-1"),
                        Some("node-4"),
                        None,
                        Some(900.5),
                    ),
                ),
                (
                    "lag",
                    fault(FaultKind::LagNode, Some("node-6"), None, None, None),
                ),
                (
                    "cpu",
                    fault(FaultKind::CpuLoad, Some("node-2"), None, None, Some(97.0)),
                ),
                (
                    "mem",
                    fault(
                        FaultKind::MemoryLoad,
                        Some("node-2"),
                        None,
                        None,
                        Some(96.0),
                    ),
                ),
                (
                    "relay",
                    fault(FaultKind::RelayDown, None, None, Some("to-sim"), None),
                ),
            ]),
        }),
        nodes: map([
            (
                "node-6",
                NodeConfig {
                    endpoint: Some("http://10.0.0.6:8545".into()),
                    role: Some(NodeRole::Observer),
                    admin_state: AdminState::Maintenance,
                    thresholds: ThresholdOverrides {
                        cpu_percent: Some(95.0),
                        memory_percent: Some(97.5),
                        sync_lag_blocks: Some(20),
                        cert_expiry_days: Some(10),
                        tx_pool_max: Some(700),
                        hold_off_seconds: Some(0),
                        peer_count_min: Some(2),
                        peer_count_hold_off_seconds: Some(45),
                        node_degraded_hold_off_seconds: Some(90),
                        disk_free_percent: Some(7.5),
                        ..Default::default()
                    },
                    log_spec: Some("debug".into()),
                    ..NodeConfig::default()
                },
            ),
            (
                "node-9",
                NodeConfig {
                    endpoint: None,
                    role: None,
                    admin_state: AdminState::Down,
                    thresholds: ThresholdOverrides::default(),
                    ..NodeConfig::default()
                },
            ),
        ]),
        // max-block-transactions left to the platform, so that its
        // reported value shows.
        consensus: map([("block-interval-ms", 900), ("round-timeout-ms", 2700)]),
        channels: map([(
            "to-sim",
            ChannelConfig {
                remote_chain: "sim".into(),
                relay_endpoint: "relay.lab:26657".into(),
                timeout_ms: 6000,
                fee: 3,
                capacity: 12,
            },
        )]),
        reorg_depth: 6,
        rpc_timeout_ms: 4500,
        thresholds: ThresholdOverrides {
            cpu_percent: Some(70.5),
            memory_percent: Some(75.0),
            sync_lag_blocks: Some(9),
            tx_pool_max: Some(12_000),
            hold_off_seconds: Some(30),
            peer_count_min: Some(3),
            peer_count_hold_off_seconds: Some(20),
            block_stall_factor: Some(6),
            block_interval_seconds: Some(2),
            cert_expiry_days: Some(14),
            node_degraded_hold_off_seconds: Some(60),
            relayer_packet_age_seconds: Some(120),
            relayer_backlog_max: Some(50),
            relayer_client_expiry_hours: Some(48),
            contract_failure_percent: Some(30.0),
            contract_failure_window_seconds: Some(600),
            contract_failure_min_calls: Some(4),
            disk_free_percent: Some(5.0),
        },
        ..ChainConfig::new(Platform::Simulated)
    }
}

const SIGNER_A: &str = "0x00000000000000000000000000000000000000a1";
const SIGNER_B: &str = "0x00000000000000000000000000000000000000b2";

/// An Ethereum chain with what only a real platform accepts: credentials
/// of each kind, TLS, a log specification, monitored contracts and
/// validator votes. A collection pass would need its nodes, so it is
/// configuration only (see [`snapshot_of`]).
fn besu_chain() -> ChainConfig {
    // Each node's metrics sources take its kind of credentials, so that
    // every leaf of theirs shows somewhere.
    let node = |endpoint: &str, auth: AuthConfig| NodeConfig {
        endpoint: Some(endpoint.into()),
        auth: Some(auth.clone()),
        pid_file: Some("/run/besu/besu.pid".into()),
        data_dir: Some("/var/lib/besu".into()),
        metrics_endpoint: Some(MetricsSourceConfig {
            url: "https://10.0.0.5:9545/metrics".into(),
            auth: Some(auth.clone()),
            tls: Some(TlsConfig {
                ca_file: Some("/etc/chain-agent/ca.pem".into()),
                cert_file: Some("/etc/chain-agent/agent.pem".into()),
                key_file: Some("/etc/chain-agent/agent.key".into()),
            }),
        }),
        host_exporter: Some(MetricsSourceConfig {
            url: "https://10.0.0.5:9100/metrics".into(),
            auth: Some(auth),
            tls: Some(TlsConfig {
                ca_file: Some("/etc/chain-agent/ca.pem".into()),
                cert_file: Some("/etc/chain-agent/agent.pem".into()),
                key_file: Some("/etc/chain-agent/agent.key".into()),
            }),
        }),
        ..NodeConfig::default()
    };
    ChainConfig {
        name: "Besu QBFT".into(),
        nodes: map([
            (
                "besu-1",
                NodeConfig {
                    role: Some(NodeRole::Validator),
                    tls: Some(TlsConfig {
                        ca_file: Some("/etc/chain-agent/ca.pem".into()),
                        cert_file: Some("/etc/chain-agent/agent.pem".into()),
                        key_file: Some("/etc/chain-agent/agent.key".into()),
                    }),
                    log_spec: Some("DEBUG".into()),
                    ..node(
                        "https://10.0.1.1:8545",
                        AuthConfig {
                            username: Some("monitor".into()),
                            password: Some("besu-rpc-secret".into()),
                            ..AuthConfig::default()
                        },
                    )
                },
            ),
            (
                "besu-2",
                node(
                    "https://10.0.1.2:8545",
                    AuthConfig {
                        bearer_token: Some("jwt-token-secret".into()),
                        ..AuthConfig::default()
                    },
                ),
            ),
            (
                "besu-3",
                node(
                    "10.0.1.3:8545",
                    AuthConfig {
                        cookie_file: Some("/var/lib/besu/.cookie".into()),
                        ..AuthConfig::default()
                    },
                ),
            ),
        ]),
        contracts: map([(
            "0x5fbdb2315678afecb367f032d93f642f64180aa3",
            ContractConfig {
                name: "Treasury multisig".into(),
                signatories: vec![SIGNER_A.into(), SIGNER_B.into()],
                owners_from_contract: true,
            },
        )]),
        validator_votes: map([(SIGNER_A, true), (SIGNER_B, false)]),
        reorg_depth: 0,
        rpc_timeout_ms: 8000,
        ..ChainConfig::new(Platform::Ethereum)
    }
}

/// A CometBFT chain supervised through its IBC relayer.
fn hub_chain() -> ChainConfig {
    ChainConfig {
        name: "Cosmos hub testnet".into(),
        nodes: map([(
            "val-1",
            NodeConfig {
                endpoint: Some("http://10.0.2.1:26657".into()),
                ..NodeConfig::default()
            },
        )]),
        relayer: Some(RelayerConfig {
            telemetry: "http://10.0.2.9:3001/metrics".into(),
            config_file: Some("/etc/hermes/config.toml".into()),
            chain_id: "hub-testnet-1".into(),
        }),
        ..ChainConfig::new(Platform::Cometbft)
    }
}

/// One collection pass over `config`, as `chain-agent snapshot` takes it,
/// of its simulated chains: the others name nodes that are not there.
pub fn snapshot_of(config: &Config) -> Snapshot {
    let mut simulated = config.clone();
    simulated
        .chains
        .retain(|_, c| c.platform == Platform::Simulated);
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(snapshot_once(simulated))
        .expect("snapshot")
}

/// [`full_config`]'s snapshot with what a single pass cannot show added:
/// an acknowledged alarm, an alarm raised again after it cleared, a member
/// that left, a located fork, a failed transfer and execution, figures the
/// simulation or this host leave out. Each addition is a value the model
/// allows; the test asserts the result has no empty field left.
pub fn full_snapshot() -> (Config, Snapshot) {
    let config = full_config();
    let mut s = snapshot_of(&config);
    complete(&mut s);
    (config, s)
}

const T: u64 = 1_709_214_307_891;

fn complete(s: &mut Snapshot) {
    let f = &mut s.faults;
    assert!(!f.active.is_empty(), "the faults raise alarms");
    let first = &mut f.active[0];
    first.operator.acknowledged = true;
    first.operator.by = "noc".into();
    first.operator.at = Some(first.raised + 5);
    first.operator.text = "working on it".into();
    let acked = first.clone();
    for h in f.history.iter_mut().filter(|h| h.id == acked.id) {
        *h = acked.clone();
    }
    // An earlier raise of the same alarm, cleared.
    let mut earlier = acked.clone();
    earlier.id = 0;
    earlier.raised = acked.raised.saturating_sub(60_000);
    earlier.changed = acked.raised.saturating_sub(30_000);
    earlier.cleared = Some(earlier.changed);
    earlier.operator.at = Some(earlier.raised + 1);
    f.history.push(earlier);
    // A cleared alarm that is not raised again.
    let mut gone = acked.clone();
    gone.id = f.history.iter().map(|a| a.id).max().unwrap_or(0) + 1;
    gone.resource = "/host".into();
    gone.chain = String::new();
    gone.alarm_type = AlarmType::CpuHigh;
    gone.event_type = AlarmType::CpuHigh.event_type();
    gone.probable_cause = AlarmType::CpuHigh.probable_cause();
    gone.proposed_repair = AlarmType::CpuHigh.proposed_repair().into();
    gone.specific_problem = "cpu 97% above 90%".into();
    gone.text = "cpu-high on /host: cpu 97% above 90%".into();
    gone.cleared = Some(gone.changed + 2000);
    gone.changed += 2000;
    gone.perceived_severity = Severity::Minor;
    // On the configured shelf, put there by a configuration change after it cleared.
    gone.shelf = Some(HOST_SHELF.into());
    gone.operator.record(
        OperatorAction::Shelved,
        "server",
        gone.changed + 500,
        "shelf host-cpu",
    );
    f.shelving_changed = Some(gone.changed + 500);
    f.history.insert(0, gone);

    for m in &mut s.ledger.members {
        if m.left_height.is_none() {
            m.left_height = Some(m.joined_height + 3);
            m.left_at = Some(m.joined_at + 3000);
            break;
        }
    }
    for l in &mut s.ledger.ledgers {
        l.target_block_interval_ms.get_or_insert(1000);
        l.max_block_transactions.get_or_insert(40);
        if l.head_hash.is_empty() {
            l.head_hash = "0xabc".into();
        }
    }
    for c in &mut s.nodes.chains {
        if c.genesis_hash.is_empty() {
            c.genesis_hash = "0x00ff".into();
        }
        if c.chain_id.is_empty() {
            c.chain_id = "sim-7".into();
        }
    }
    for r in &mut s.consensus.consistency {
        r.first_divergent_height.get_or_insert(r.common_height + 1);
        if r.split_length == 0 {
            r.split_length = 2;
        }
    }
    // Votes as clique_proposals reports them on a chain that takes votes.
    for k in &mut s.consensus.chains {
        k.pending_votes = vec![
            PendingVote {
                address: "0x00000000000000000000000000000000000000c3".into(),
                authorize: true,
            },
            PendingVote {
                address: "0x00000000000000000000000000000000000000d4".into(),
                authorize: false,
            },
        ];
    }
    // A log level, as a platform with one reports it.
    for n in &mut s.nodes.nodes {
        if n.log_spec.is_empty() {
            n.log_spec = "info".into();
            n.unsupported.retain(|a| a != "log-spec");
        }
    }
    // What a relayer's telemetry and configuration add.
    for ch in &mut s.cross_chain.channels {
        ch.oldest_pending_sequence = 41;
        ch.oldest_pending_age_ms = 4200;
        ch.client_expiry.get_or_insert(T + 86_400_000);
        ch.client_id = "07-tendermint-0".into();
        ch.parameters = vec![
            ChannelParameter {
                name: "trusting-period".into(),
                value: "14days".into(),
            },
            ChannelParameter {
                name: "max-clock-drift".into(),
                value: "5s".into(),
            },
        ];
    }
    for t in s
        .cross_chain
        .transfers
        .iter_mut()
        .map(std::sync::Arc::make_mut)
    {
        t.finished.get_or_insert(t.started + 10);
        t.latency_ms.get_or_insert(10);
        if t.failure_reason.is_empty() {
            t.failure_reason = "relay timeout".into();
        }
    }
    for e in s
        .contracts
        .executions
        .iter_mut()
        .map(std::sync::Arc::make_mut)
    {
        if e.error.is_empty() {
            e.error = "out of gas".into();
        }
    }
    for p in &mut s.performance.nodes {
        p.cpu_percent.get_or_insert(12.5);
        p.memory_percent.get_or_insert(40.0);
        p.memory_used_bytes.get_or_insert(1 << 30);
        p.disk_used_bytes.get_or_insert(5 << 30);
        p.net_in_bytes_per_sec.get_or_insert(100.0);
        p.net_out_bytes_per_sec.get_or_insert(90.0);
        p.tx_pool_size.get_or_insert(4);
        p.block_interval_ms.get_or_insert(1000.0);
        p.tps.get_or_insert(3.5);
        p.cpu_core_percent.get_or_insert(150.25);
        p.process_id.get_or_insert(4242);
        p.process_started_at.get_or_insert(T - 3_600_000);
        p.process_restarts.get_or_insert(2);
        p.threads.get_or_insert(17);
        p.open_fds.get_or_insert(230);
        p.read_bytes.get_or_insert(7 << 30);
        p.write_bytes.get_or_insert(9 << 30);
        p.data_fs_free_bytes.get_or_insert(40 << 30);
        p.data_fs_size_bytes.get_or_insert(100 << 30);
        p.certificate_not_after.get_or_insert(T + 5 * 86_400_000);
        p.certificate_days_left.get_or_insert(5);
        p.certificate_endpoint
            .get_or_insert_with(|| "https://10.0.0.6:8545".into());
        // A node that answers but fails its own health checks.
        p.health = Some(chain_agent::model::performance::NodeHealth::unhealthy(
            "/healthz failed checks: couchdb: down".into(),
        ));
    }
    for t in &mut s.logs.types {
        t.oldest.get_or_insert(T);
        t.newest.get_or_insert(T + 1);
    }
    let host = s.nodes.host.as_mut().expect("the host was sampled");
    for i in &mut host.interfaces {
        i.speed_mbps.get_or_insert(1000);
        if i.mac.is_empty() {
            i.mac = "02:00:00:00:00:01".into();
        }
    }
    for text in [
        &mut host.os_version,
        &mut host.kernel,
        &mut host.cpu_model,
        &mut host.os_name,
    ] {
        if text.is_empty() {
            *text = "unknown".into();
        }
    }
    for d in &mut host.disks {
        if d.device.is_empty() {
            d.device = "/dev/vda1".into();
        }
    }
    // What a node answered to pushed configuration: a refusal, with
    // the node's words (a single pass pushes nothing).
    s.nodes.config_apply.push(ApplyStatus {
        chain: "lab".into(),
        item: "nodes/node-6/log-spec".into(),
        node: "node-6".into(),
        state: ApplyState::Refused,
        reason: "debug_verbosity: invalid argument".into(),
        changed: T,
    });
}

/// JSON paths (serde names) of the fields that are null or "" anywhere.
pub fn empty_fields(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Null => out.push(path.to_string()),
        Value::String(s) if s.is_empty() => out.push(path.to_string()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                empty_fields(item, &format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, item) in m {
                empty_fields(item, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}
