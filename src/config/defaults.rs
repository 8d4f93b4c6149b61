//! Embedded defaults: with no file, the agent watches the simulated
//! consortium chain and listens on loopback only, read-only.

use super::schema::*;
use crate::model::chain::Platform;
use crate::model::log::LogLevel;
use crate::model::performance::Thresholds;
use std::collections::BTreeMap;
use std::path::PathBuf;

impl Default for AgentConfig {
    fn default() -> Self {
        AgentConfig {
            data_dir: PathBuf::from("chain-agent-data"),
            backup_dir: PathBuf::from("backups"),
            collect_interval_ms: 1000,
            host_interval_ms: 5000,
            recent_blocks: 100,
            recent_records: 200,
            alarm_history: 10_000,
            revision_history_bytes: 16 << 20,
        }
    }
}

impl Default for SystemConfig {
    fn default() -> Self {
        SystemConfig {
            contact: "noc@example.net".into(),
            name: String::new(),
            location: String::new(),
        }
    }
}

impl Default for SnmpConfig {
    fn default() -> Self {
        let mut communities = BTreeMap::new();
        communities.insert(
            "public".to_string(),
            CommunityConfig {
                access: Access::ReadOnly,
                sources: vec!["127.0.0.0/8".into(), "::1/128".into()],
                view: None,
            },
        );
        SnmpConfig {
            enabled: true,
            listen: vec!["127.0.0.1:1161".into()],
            engine_id: String::new(),
            max_message_size: 65507,
            enable_authen_traps: false,
            communities,
            users: BTreeMap::new(),
            views: BTreeMap::new(),
            groups: BTreeMap::new(),
            targets: BTreeMap::new(),
        }
    }
}

impl Default for NetconfConfig {
    fn default() -> Self {
        let mut users = BTreeMap::new();
        users.insert(
            "demo".to_string(),
            NetconfUser {
                password: Some("demo".into()),
                password_hash: None,
                authorized_keys: vec![],
                admin: false,
                groups: vec![],
            },
        );
        NetconfConfig {
            enabled: true,
            listen: "127.0.0.1:8830".into(),
            idle_timeout_seconds: 3600,
            max_sessions: 64,
            max_sessions_per_user: 4,
            reserved_admin_sessions: 1,
            max_connections: 256,
            max_unauthenticated: 64,
            unauthenticated_drop_start: 32,
            max_unauthenticated_per_source: 10,
            login_grace_seconds: 30,
            max_auth_tries: 3,
            auth_failure_penalty_seconds: 5,
            penalty_threshold_seconds: 15,
            penalty_max_seconds: 600,
            message_buffer_budget_bytes: 64 * 1024 * 1024,
            xpath_max_steps: 1_000_000,
            xpath_timeout_ms: 5_000,
            host_key: None,
            users,
        }
    }
}

impl Default for LogTypeConfig {
    fn default() -> Self {
        LogTypeConfig {
            level: LogLevel::Info,
            retention_records: 10_000,
        }
    }
}

impl Default for SimulationConfig {
    fn default() -> Self {
        SimulationConfig {
            seed: 42,
            validators: 4,
            observers: 1,
            warmup_blocks: 30,
            faults: BTreeMap::new(),
        }
    }
}

/// The simulated chain's consensus parameters and their defaults.
pub const SIM_CONSENSUS_DEFAULTS: [(&str, u64); 3] = [
    ("block-interval-ms", 1000),
    ("round-timeout-ms", 3000),
    ("max-block-transactions", 40),
];

pub fn reorg_depth() -> u64 {
    3
}

pub fn rpc_timeout_ms() -> u64 {
    3000
}

impl ChainConfig {
    /// A chain of `platform` with nothing configured but its defaults.
    pub fn new(platform: Platform) -> ChainConfig {
        ChainConfig {
            name: String::new(),
            platform,
            simulation: None,
            nodes: BTreeMap::new(),
            consensus: BTreeMap::new(),
            channels: BTreeMap::new(),
            reorg_depth: reorg_depth(),
            rpc_timeout_ms: rpc_timeout_ms(),
            contracts: BTreeMap::new(),
            validator_votes: BTreeMap::new(),
            relayer: None,
            thresholds: Default::default(),
        }
    }

    pub fn simulated() -> ChainConfig {
        let mut channels = BTreeMap::new();
        channels.insert(
            "channel-0".to_string(),
            ChannelConfig {
                remote_chain: "partner-chain".into(),
                relay_endpoint: "relay.sim:26657".into(),
                timeout_ms: 4000,
                fee: 10,
                capacity: 16,
            },
        );
        ChainConfig {
            name: "Simulated consortium chain".into(),
            simulation: Some(SimulationConfig::default()),
            consensus: SIM_CONSENSUS_DEFAULTS
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            channels,
            ..ChainConfig::new(Platform::Simulated)
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        let mut chains = BTreeMap::new();
        chains.insert("sim".to_string(), ChainConfig::simulated());
        Config {
            agent: AgentConfig::default(),
            system: SystemConfig::default(),
            snmp: SnmpConfig::default(),
            netconf: NetconfConfig::default(),
            nacm: NacmConfig::default(),
            alarms: AlarmsConfig::default(),
            thresholds: Thresholds::default(),
            logs: BTreeMap::new(),
            chains,
        }
    }
}
