//! The configuration schema. Keys are kebab-case; maps are keyed by the
//! object's name so every setting has a stable path such as
//! `/chains/sim/nodes/node-2/admin-state`.

use crate::model::chain::Platform;
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::{AdminState, NodeRole};
use crate::model::performance::{ThresholdOverrides, Thresholds};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use super::alarms::*;
pub use super::nacm::*;
pub use super::snmp::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Config {
    pub agent: AgentConfig,
    pub system: SystemConfig,
    pub snmp: SnmpConfig,
    pub netconf: NetconfConfig,
    /// NETCONF access control (RFC 8341 `/nacm`).
    pub nacm: NacmConfig,
    /// ietf-alarms' `/alarms/control`: alarm shelving.
    pub alarms: AlarmsConfig,
    pub thresholds: Thresholds,
    /// Per log family (`system`, `consensus`, `contract`, `cross-chain`, `security`, `operation`).
    pub logs: BTreeMap<String, LogTypeConfig>,
    pub chains: BTreeMap<String, ChainConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct AgentConfig {
    /// Where the store, host key and control socket live.
    pub data_dir: PathBuf,
    /// The only directory backups are written to; relative to `data_dir`.
    pub backup_dir: PathBuf,
    /// How often each chain is polled.
    pub collect_interval_ms: u64,
    /// How often the host is sampled.
    pub host_interval_ms: u64,
    /// Recent blocks kept per chain in the published state.
    pub recent_blocks: usize,
    /// Recent contract executions and cross-chain transfers kept per chain.
    pub recent_records: usize,
    /// Cleared alarms kept in the store.
    pub alarm_history: u64,
    /// Octets of configuration revisions kept per datastore (running,
    /// startup); the oldest go first, the latest always stays.
    pub revision_history_bytes: u64,
}

/// Administrative identity of the agent (SNMPv2-MIB system group).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct SystemConfig {
    pub contact: String,
    pub name: String,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NetconfUser {
    /// Plain text only in demo configurations; prefer `password-hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorized_keys: Vec<String>,
    /// Puts the user in the NACM group `admin`.
    #[serde(default)]
    pub admin: bool,
    /// Further NACM groups of the user. A user with neither `admin` nor
    /// groups is in `readers`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct NetconfConfig {
    pub enabled: bool,
    pub listen: String,
    /// A session with no activity for this long is closed; 0 means never.
    pub idle_timeout_seconds: u64,
    /// NETCONF sessions open at once; a further `netconf` subsystem request
    /// is refused.
    pub max_sessions: u32,
    /// NETCONF sessions one user may have open at once; 0 means no
    /// per-user limit (`max-sessions` still applies).
    pub max_sessions_per_user: u32,
    /// Of `max-sessions`, this many are kept for users in the NACM group
    /// `admin`: other users are refused once they hold the rest.
    pub reserved_admin_sessions: u32,
    /// TCP connections to the SSH server at once, logged in or not;
    /// further ones are closed as soon as they are accepted.
    pub max_connections: u32,
    /// Connections that have not logged in yet, at most (OpenSSH's
    /// MaxStartups "full"): further ones are closed before the handshake.
    pub max_unauthenticated: u32,
    /// From this many connections not yet logged in, a new one is closed
    /// at random, with a chance that grows from 30 % here to 100 % at
    /// `max-unauthenticated` (MaxStartups "start:30:full").
    pub unauthenticated_drop_start: u32,
    /// Connections not yet logged in from one source address (an IPv6
    /// /64) at most.
    pub max_unauthenticated_per_source: u32,
    /// A connection that has not logged in this long after it was accepted
    /// is closed (OpenSSH's LoginGraceTime).
    pub login_grace_seconds: u64,
    /// Passwords one connection may try (OpenSSH's MaxAuthTries); after
    /// that the client must reconnect.
    pub max_auth_tries: u32,
    /// Each refused password adds this much penalty to its source address
    /// (OpenSSH's PerSourcePenalties authfail); 0 switches penalties off.
    pub auth_failure_penalty_seconds: u64,
    /// A source whose penalty exceeds this is refused (new connections
    /// closed before the handshake, logins refused even with the right
    /// password) until its penalty has run down to it.
    pub penalty_threshold_seconds: u64,
    /// A source's penalty never exceeds this.
    pub penalty_max_seconds: u64,
    /// Bytes of incoming NETCONF messages buffered across all sessions at
    /// once; a message that cannot get room within a moment is refused with
    /// `resource-denied`.
    pub message_buffer_budget_bytes: u64,
    /// Work one XPath filter (get, get-config, subscription) may do, in
    /// steps: a node visited, a predicate or function evaluated, 64
    /// characters of string handled. Past it the request fails with
    /// operation-failed / `xpath-too-costly`.
    pub xpath_max_steps: u64,
    /// Wall time one XPath filter may take; 0 means no time limit (the
    /// step limit still applies).
    pub xpath_timeout_ms: u64,
    /// SSH host key file; `None` means `ssh_host_ed25519_key` in the data
    /// directory. A relative path is taken from the data directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_key: Option<PathBuf>,
    pub users: BTreeMap<String, NetconfUser>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct LogTypeConfig {
    pub level: LogLevel,
    pub retention_records: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ChainConfig {
    #[serde(default)]
    pub name: String,
    pub platform: Platform,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimulationConfig>,
    /// Per-node settings, keyed by the agent's node name.
    #[serde(default)]
    pub nodes: BTreeMap<String, NodeConfig>,
    /// Consensus parameters the platform accepts, by name (see `Capabilities`).
    #[serde(default)]
    pub consensus: BTreeMap<String, u64>,
    #[serde(default)]
    pub channels: BTreeMap<String, ChannelConfig>,
    /// A divergence no deeper than this many blocks is a normal
    /// reorganisation on a chain without finality (proof of work, clique),
    /// reported but not alarmed. BFT and Raft chains ignore it: any
    /// divergence there is a fork.
    #[serde(default = "super::defaults::reorg_depth")]
    pub reorg_depth: u64,
    /// How long one request to a node may take before the node counts as
    /// unreachable for this collection.
    #[serde(default = "super::defaults::rpc_timeout_ms")]
    pub rpc_timeout_ms: u64,
    /// Contracts to monitor, keyed by address (Ethereum family).
    #[serde(default)]
    pub contracts: BTreeMap<String, ContractConfig>,
    /// Validator or signer votes to propose, keyed by address: `true`
    /// proposes adding it, `false` removing it. Removing an entry discards
    /// the vote.
    #[serde(default)]
    pub validator_votes: BTreeMap<String, bool>,
    /// An IBC relayer (Hermes) whose channels for this chain are supervised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relayer: Option<RelayerConfig>,
    /// This chain's overrides of the global node thresholds; a node's own
    /// overrides take precedence over them.
    #[serde(default, skip_serializing_if = "ThresholdOverrides::is_empty")]
    pub thresholds: ThresholdOverrides,
}

/// A contract under monitoring.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ContractConfig {
    #[serde(default)]
    pub name: String,
    /// Addresses that signed the contract, as the operator knows them.
    #[serde(default)]
    pub signatories: Vec<String>,
    /// Read the signatories from the contract itself: its `getOwners()`
    /// (a Safe-style multisig), added to `signatories`.
    #[serde(default)]
    pub owners_from_contract: bool,
}

/// The IBC relayer serving this chain.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RelayerConfig {
    /// Hermes' telemetry endpoint (Prometheus text), e.g. http://127.0.0.1:3001/metrics.
    pub telemetry: String,
    /// Hermes' config.toml, for the channel and client parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_file: Option<PathBuf>,
    /// This chain's id in the relayer's configuration (`[[chains]] id`).
    pub chain_id: String,
}

/// How to authenticate to a node's RPC: exactly one of basic credentials,
/// a cookie file (bitcoind's `.cookie`, read at each connection so a
/// restarted node's new cookie is picked up) or a bearer token.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AuthConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookie_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearer_token: Option<String>,
}

/// Credentials never reach a log line, even through `{:?}`.
impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redact = |o: &Option<String>| o.as_ref().map(|_| "<redacted>");
        f.debug_struct("AuthConfig")
            .field("username", &self.username)
            .field("password", &redact(&self.password))
            .field("cookie_file", &self.cookie_file)
            .field("bearer_token", &redact(&self.bearer_token))
            .finish()
    }
}

/// TLS towards a node: a private CA to trust, and a client certificate
/// for services that demand mutual TLS (Fabric's operations service).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TlsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NodeConfig {
    /// RPC endpoint of a real node; the simulated chain has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<NodeRole>,
    #[serde(default)]
    pub admin_state: AdminState,
    #[serde(default)]
    pub thresholds: ThresholdOverrides,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
    /// Log configuration to push to the node, in its platform's words
    /// (see `Node::log_spec`); unset leaves the node's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_spec: Option<String>,
    /// A file holding the PID of the node's process on this host, for a
    /// node whose endpoint does not lead to it (another host name, a
    /// proxy). Without it a node whose endpoint is on this host is found
    /// through its listening socket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid_file: Option<PathBuf>,
    /// The node's data directory on this host: the disk space it takes
    /// and the free space of its filesystem are reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    // --- remote node resources (issue 14, section 1): keep together ---
    /// The node's own Prometheus metrics page (geth
    /// `/debug/metrics/prometheus`, Besu and Fabric `/metrics`, CometBFT
    /// `:26660/metrics`): process CPU and memory, peers, pool, sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_endpoint: Option<MetricsSourceConfig>,
    /// A Prometheus node exporter on the node's host: its CPU, memory,
    /// filesystems and interfaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_exporter: Option<MetricsSourceConfig>,
}

/// A Prometheus text endpoint to scrape, with the same authentication and
/// TLS options as a node's RPC endpoint.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MetricsSourceConfig {
    /// An http:// or https:// URL; with no path, `/metrics`.
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ChannelConfig {
    pub remote_chain: String,
    #[serde(default)]
    pub relay_endpoint: String,
    pub timeout_ms: u64,
    #[serde(default)]
    pub fee: u64,
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct SimulationConfig {
    /// Same seed, same chain: block hashes, transactions and failures repeat.
    pub seed: u64,
    pub validators: u32,
    pub observers: u32,
    /// Blocks produced at start so that a new agent shows history at once.
    pub warmup_blocks: u32,
    /// Faults in force, keyed by a name of the operator's choice.
    pub faults: BTreeMap<String, FaultConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The node's process is down: unreachable, no blocks.
    StopNode,
    /// The link between `node` and `peer` is cut.
    CutLink,
    /// The link between `node` and `peer` has `value` ms of extra latency.
    SlowLink,
    /// The node stops importing blocks but stays reachable.
    LagNode,
    /// Validators stop voting: no block is committed.
    StallConsensus,
    /// The node leaves the network and seals its own branch.
    ForkNode,
    /// The node's CPU is held at `value` percent.
    CpuLoad,
    /// The node's memory is held at `value` percent.
    MemoryLoad,
    /// The channel's relayer stops relaying: transfers time out.
    RelayDown,
    /// The node's transaction pool is held at `value` transactions.
    TxFlood,
    /// The node's peers drop to `value` (its peer count is held there).
    PeerLoss,
    /// The block producers stop proposing: no block comes, and the
    /// consensus reports no failed round (it is not a vote that fails).
    HaltBlocks,
    /// The simulated platform refuses every configuration item pushed to
    /// it (consensus parameters, channels, log specs) with a reason.
    RefuseConfig,
    /// The certificate of the node's endpoint has `value` days left
    /// (negative: expired that many days ago).
    CertExpiry,
    /// The node answers but its own health report fails (as Fabric's
    /// `/healthz` 503 does).
    DegradeNode,
    /// The channel's relayer leaves a packet pending: the oldest has
    /// waited `value` seconds.
    RelayStall,
    /// The light client behind the channel expires in `value` hours.
    ClientExpiry,
    /// `value` percent of the chain's contract calls fail (revert).
    ContractFail,
    /// The node's data filesystem is held at `value` percent used.
    DiskFill,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FaultConfig {
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

impl Config {
    /// Thresholds in force for one node: the global ones, with its
    /// chain's overrides, with its own overrides (the most specific wins).
    pub fn thresholds_for(&self, chain: &str, node: &str) -> Thresholds {
        let chain_wide = self.chain_thresholds(chain);
        match self.chains.get(chain).and_then(|c| c.nodes.get(node)) {
            Some(n) => chain_wide.with_overrides(&n.thresholds),
            None => chain_wide,
        }
    }

    /// Thresholds in force for a chain: the global ones with the chain's
    /// overrides.
    pub fn chain_thresholds(&self, chain: &str) -> Thresholds {
        match self.chains.get(chain) {
            Some(c) => self.thresholds.with_overrides(&c.thresholds),
            None => self.thresholds.clone(),
        }
    }

    pub fn admin_state(&self, chain: &str, node: &str) -> AdminState {
        self.chains
            .get(chain)
            .and_then(|c| c.nodes.get(node))
            .map(|n| n.admin_state)
            .unwrap_or_default()
    }

    pub fn log_type(&self, kind: LogKind) -> LogTypeConfig {
        self.logs.get(kind.as_str()).copied().unwrap_or_default()
    }

    pub fn control_socket(&self) -> PathBuf {
        self.agent.data_dir.join("control.sock")
    }

    pub fn store_path(&self) -> PathBuf {
        self.agent.data_dir.join("chain-agent.db")
    }

    /// The backup directory: `backup-dir` taken from the data directory
    /// (an absolute path stays as it is).
    pub fn backup_dir(&self) -> PathBuf {
        self.agent.data_dir.join(&self.agent.backup_dir)
    }
}

impl NetconfConfig {
    /// The SSH host key file: `host-key` taken from the data directory
    /// (an absolute path stays as it is), or the default file name there.
    pub fn host_key_path(&self, data_dir: &Path) -> PathBuf {
        match &self.host_key {
            Some(path) => data_dir.join(path),
            None => data_dir.join("ssh_host_ed25519_key"),
        }
    }
}

impl SimulationConfig {
    /// Names of the simulated nodes: validators first, then observers.
    pub fn node_names(&self) -> Vec<String> {
        (1..=self.validators + self.observers)
            .map(|i| format!("node-{i}"))
            .collect()
    }
}
