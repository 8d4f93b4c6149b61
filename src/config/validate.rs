//! Semantic checks on a whole configuration. The datastore runs them on
//! every commit, `check-config` on files; each issue names its key.

use super::defaults::SIM_CONSENSUS_DEFAULTS;
use super::path::ConfigPath;
use super::schema::*;
use super::source::ConfigIssue;
use crate::model::chain::Platform;
use crate::model::log::LogKind;
use crate::model::performance::{ThresholdOverrides, Thresholds};

/// Fill what a partial file leaves implicit, so that validation and the
/// collectors see one complete document.
pub fn normalise(config: &mut Config) {
    // Leaf-lists YANG orders itself (by value): kept in that order so
    // that a trip through NETCONF changes nothing.
    let sort = |v: &mut Vec<String>| {
        v.sort();
        v.dedup();
    };
    config
        .netconf
        .users
        .values_mut()
        .for_each(|u| sort(&mut u.groups));
    config
        .nacm
        .groups
        .values_mut()
        .for_each(|g| sort(&mut g.user_name));
    config
        .nacm
        .rule_list
        .iter_mut()
        .for_each(|l| sort(&mut l.group));
    for shelf in &mut config.alarms.control.alarm_shelving.shelf {
        sort(&mut shelf.resource);
        // A keyed list YANG orders itself, as the leaf-lists.
        shelf.alarm_type.sort();
        shelf.alarm_type.dedup();
    }
    for chain in config.chains.values_mut() {
        if chain.platform == Platform::Simulated {
            chain
                .simulation
                .get_or_insert_with(SimulationConfig::default);
            for (name, value) in SIM_CONSENSUS_DEFAULTS {
                chain.consensus.entry(name.to_string()).or_insert(value);
            }
        }
    }
}

pub fn validate(config: &Config) -> Vec<ConfigIssue> {
    let mut out = Vec::new();
    check_agent(&config.agent, &mut out);
    check_system(&config.system, &mut out);
    check_thresholds(config, &mut out);
    check_logs(config, &mut out);
    super::validate_snmp::check_snmp(&config.snmp, &mut out);
    super::validate_netconf::check_netconf(&config.netconf, &mut out);
    super::validate_nacm::check_nacm(&config.nacm, &mut out);
    super::validate_alarms::check_alarms(&config.alarms, &mut out);
    for (id, chain) in &config.chains {
        check_chain(id, chain, &mut out);
    }
    out
}

pub(super) fn issue(
    out: &mut Vec<ConfigIssue>,
    key: impl Into<ConfigPath>,
    message: impl Into<String>,
) {
    out.push(ConfigIssue::at(key.into(), message));
}

/// The most octets of text SNMP can carry (DisplayString, BcmAdminString):
/// a longer value would be accepted here and then cut or refused there.
pub const MIB_TEXT_MAX: usize = 255;

/// The largest number an Unsigned32 object carries.
pub const MIB_UNSIGNED_MAX: u64 = u32::MAX as u64;

/// Text that SNMP shows too: at most [`MIB_TEXT_MAX`] octets in UTF-8.
pub(super) fn mib_text(out: &mut Vec<ConfigIssue>, key: impl Into<ConfigPath>, v: &str) {
    if v.len() > MIB_TEXT_MAX {
        issue(
            out,
            key,
            format!(
                "at most {MIB_TEXT_MAX} octets (SNMP carries no more), not {}",
                v.len()
            ),
        );
    }
}

/// `[system]`: sysContact, sysName and sysLocation are DisplayStrings.
fn check_system(s: &SystemConfig, out: &mut Vec<ConfigIssue>) {
    mib_text(out, "system.contact", &s.contact);
    mib_text(out, "system.name", &s.name);
    mib_text(out, "system.location", &s.location);
}

pub(super) fn range_u64(
    out: &mut Vec<ConfigIssue>,
    key: impl Into<ConfigPath>,
    v: u64,
    lo: u64,
    hi: u64,
) {
    if v < lo || v > hi {
        issue(out, key, format!("must be between {lo} and {hi}, not {v}"));
    }
}

fn percent(out: &mut Vec<ConfigIssue>, key: impl Into<ConfigPath>, v: f64) {
    if !(v > 0.0 && v <= 100.0) {
        issue(
            out,
            key,
            format!("must be a percentage above 0 and at most 100, not {v}"),
        );
    }
}

fn check_agent(a: &AgentConfig, out: &mut Vec<ConfigIssue>) {
    range_u64(
        out,
        "agent.collect-interval-ms",
        a.collect_interval_ms,
        100,
        3_600_000,
    );
    range_u64(
        out,
        "agent.host-interval-ms",
        a.host_interval_ms,
        100,
        3_600_000,
    );
    range_u64(
        out,
        "agent.recent-blocks",
        a.recent_blocks as u64,
        1,
        1_000_000,
    );
    range_u64(
        out,
        "agent.recent-records",
        a.recent_records as u64,
        1,
        1_000_000,
    );
    range_u64(out, "agent.alarm-history", a.alarm_history, 1, 10_000_000);
    range_u64(
        out,
        "agent.revision-history-bytes",
        a.revision_history_bytes,
        65_536,
        4_294_967_295,
    );
    if a.data_dir.as_os_str().is_empty() {
        issue(out, "agent.data-dir", "must not be empty");
    }
    if a.backup_dir.as_os_str().is_empty() {
        issue(out, "agent.backup-dir", "must not be empty");
    }
}

fn check_thresholds(config: &Config, out: &mut Vec<ConfigIssue>) {
    let t = &config.thresholds;
    percent(out, "thresholds.cpu-percent", t.cpu_percent);
    percent(out, "thresholds.memory-percent", t.memory_percent);
    percent(
        out,
        "thresholds.xchain-timeout-percent",
        t.xchain_timeout_percent,
    );
    range_u64(
        out,
        "thresholds.sync-lag-blocks",
        t.sync_lag_blocks,
        1,
        1_000_000,
    );
    range_u64(
        out,
        "thresholds.consensus-stall-seconds",
        t.consensus_stall_seconds,
        1,
        86_400,
    );
    if !(t.link_latency_ms > 0.0 && t.link_latency_ms <= 600_000.0) {
        issue(
            out,
            "thresholds.link-latency-ms",
            "must be above 0 and at most 600000",
        );
    }
    for (key, v) in [
        (
            "thresholds.cpu-hysteresis-percent",
            t.cpu_hysteresis_percent,
        ),
        (
            "thresholds.memory-hysteresis-percent",
            t.memory_hysteresis_percent,
        ),
    ] {
        if !(0.0..=100.0).contains(&v) {
            issue(out, key, "must be a percentage from 0 to 100");
        }
    }
    range_u64(
        out,
        "thresholds.sync-lag-hysteresis-blocks",
        t.sync_lag_hysteresis_blocks,
        0,
        1_000_000,
    );
    if !(0.0..=600_000.0).contains(&t.link_latency_hysteresis_ms) {
        issue(
            out,
            "thresholds.link-latency-hysteresis-ms",
            "must be from 0 to 600000",
        );
    }
    range_u64(
        out,
        "thresholds.hold-off-seconds",
        t.hold_off_seconds,
        0,
        86_400,
    );
    range_u64(
        out,
        "thresholds.tx-pool-max",
        t.tx_pool_max,
        1,
        1_000_000_000,
    );
    range_u64(
        out,
        "thresholds.cert-expiry-days",
        t.cert_expiry_days,
        1,
        CERT_DAYS_MAX,
    );
    range_u64(
        out,
        "thresholds.cert-expiry-hysteresis-days",
        t.cert_expiry_hysteresis_days,
        0,
        CERT_DAYS_MAX,
    );
    check_overrides(
        &ConfigPath::root(),
        &ThresholdOverrides {
            node_degraded_hold_off_seconds: Some(t.node_degraded_hold_off_seconds),
            relayer_packet_age_seconds: Some(t.relayer_packet_age_seconds),
            relayer_backlog_max: Some(t.relayer_backlog_max),
            relayer_client_expiry_hours: Some(t.relayer_client_expiry_hours),
            ..Default::default()
        },
        out,
    );
    for (key, v, max) in peer_and_stall_limits(t) {
        range_u64(out, ConfigPath::from("thresholds").then(key), v, 0, max);
    }
    check_contract_disk(
        &ConfigPath::from("thresholds"),
        &ThresholdOverrides {
            contract_failure_percent: Some(t.contract_failure_percent),
            contract_failure_window_seconds: Some(t.contract_failure_window_seconds),
            contract_failure_min_calls: Some(t.contract_failure_min_calls),
            disk_free_percent: Some(t.disk_free_percent),
            ..Default::default()
        },
        out,
    );
}

/// Ranges of the contract-failure-rate and disk-space-low thresholds,
/// global or a chain's or node's override, under `key`.
fn check_contract_disk(key: &ConfigPath, t: &ThresholdOverrides, out: &mut Vec<ConfigIssue>) {
    if let Some(v) = t.contract_failure_percent {
        percent(out, key.with("contract-failure-percent"), v);
    }
    if let Some(v) = t.contract_failure_window_seconds {
        range_u64(
            out,
            key.with("contract-failure-window-seconds"),
            v,
            1,
            86_400,
        );
    }
    if let Some(v) = t.contract_failure_min_calls {
        range_u64(out, key.with("contract-failure-min-calls"), v, 1, 1_000_000);
    }
    if let Some(v) = t.disk_free_percent {
        percent(out, key.with("disk-free-percent"), v);
    }
}

/// peer-count-low's and block-production-stalled's thresholds: each
/// leaf, its value and its largest value (the least is 0, "off" for
/// peer-count-min and block-stall-factor).
fn peer_and_stall_limits(t: &Thresholds) -> [(&'static str, u64, u64); 4] {
    [
        ("peer-count-min", t.peer_count_min, 1_000_000),
        (
            "peer-count-hold-off-seconds",
            t.peer_count_hold_off_seconds,
            86_400,
        ),
        ("block-stall-factor", t.block_stall_factor, 1_000_000),
        ("block-interval-seconds", t.block_interval_seconds, 86_400),
    ]
}

/// The most days of the certificate thresholds: ten years.
const CERT_DAYS_MAX: u64 = 3650;

fn check_logs(config: &Config, out: &mut Vec<ConfigIssue>) {
    for (name, l) in &config.logs {
        let key = ConfigPath::from("logs").then(name);
        if LogKind::parse(name).is_none() {
            let known: Vec<_> = LogKind::ALL.iter().map(|k| k.as_str()).collect();
            issue(
                out,
                key,
                format!("unknown log type; known: {}", known.join(", ")),
            );
            continue;
        }
        range_u64(
            out,
            key.with("retention-records"),
            l.retention_records,
            1,
            100_000_000,
        );
    }
}

/// Parse `addr/prefix` (or a bare address) into the address and prefix length.
pub fn parse_cidr(s: &str) -> Option<(std::net::IpAddr, u8)> {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a.parse::<std::net::IpAddr>().ok()?, l.parse::<u8>().ok()?),
        None => {
            let a = s.parse::<std::net::IpAddr>().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    (len <= max).then_some((addr, len))
}

pub(super) fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

fn check_chain(id: &str, chain: &ChainConfig, out: &mut Vec<ConfigIssue>) {
    let key = ConfigPath::from("chains").then(id);
    if !valid_name(id) {
        issue(
            out,
            key.clone(),
            "a chain name is 1 to 32 letters, digits, '-', '_' or '.'",
        );
    }
    mib_text(out, key.with("name"), &chain.name);
    check_overrides(&key, &chain.thresholds, out);
    let caps = crate::model::platform::capabilities(chain.platform);
    super::validate_chain::check_southbound(&key, chain, &caps, out);
    if chain.platform != Platform::Simulated {
        super::validate_chain::check_real_chain(&key, chain, out);
        for (node, n) in &chain.nodes {
            check_node_thresholds(&key.with("nodes").then(node), n, out);
        }
        check_consensus(&key, chain, &caps, out);
        return;
    }
    let sim = chain.simulation.clone().unwrap_or_default();
    check_simulation(&key, &sim, out);
    let names = sim.node_names();
    for (node, n) in &chain.nodes {
        let nkey = key.with("nodes").then(node);
        if !names.contains(node) {
            issue(
                out,
                nkey.clone(),
                format!("no such node; this chain has {}", names.join(", ")),
            );
        }
        for (set, field) in [
            (n.endpoint.is_some(), "endpoint"),
            (n.auth.is_some(), "auth"),
            (n.tls.is_some(), "tls"),
            (n.metrics_endpoint.is_some(), "metrics-endpoint"),
            (n.host_exporter.is_some(), "host-exporter"),
        ] {
            if set {
                issue(
                    out,
                    nkey.clone().then(field),
                    "simulated nodes have no endpoint",
                );
            }
        }
        for (set, field) in [
            (n.pid_file.is_some(), "pid-file"),
            (n.data_dir.is_some(), "data-dir"),
        ] {
            if set {
                issue(
                    out,
                    nkey.clone().then(field),
                    "simulated nodes have no process",
                );
            }
        }
        check_node_thresholds(&nkey, n, out);
    }
    check_consensus(&key, chain, &caps, out);
    for (name, c) in &chain.channels {
        let ckey = key.with("channels").then(name);
        if !valid_name(name) {
            issue(
                out,
                ckey.clone(),
                "a channel name is 1 to 32 letters, digits, '-', '_' or '.'",
            );
        }
        range_u64(out, ckey.with("timeout-ms"), c.timeout_ms, 100, 86_400_000);
        range_u64(out, ckey.with("capacity"), c.capacity as u64, 1, 100_000);
        if c.remote_chain.is_empty() {
            issue(out, ckey.with("remote-chain"), "must not be empty");
        }
        mib_text(out, ckey.with("remote-chain"), &c.remote_chain);
        mib_text(out, ckey.with("relay-endpoint"), &c.relay_endpoint);
        range_u64(out, ckey.with("fee"), c.fee, 0, MIB_UNSIGNED_MAX);
    }
    for (name, f) in &sim.faults {
        check_fault(
            &key.with("simulation.faults").then(name),
            f,
            &names,
            chain,
            out,
        );
    }
}

fn check_node_thresholds(nkey: &ConfigPath, n: &NodeConfig, out: &mut Vec<ConfigIssue>) {
    check_overrides(nkey, &n.thresholds, out);
    for (leaf, set) in [
        ("block-stall-factor", n.thresholds.block_stall_factor),
        (
            "block-interval-seconds",
            n.thresholds.block_interval_seconds,
        ),
    ] {
        if set.is_some() {
            issue(
                out,
                nkey.with("thresholds").then(leaf),
                "a chain's threshold: set it on the chain",
            );
        }
    }
    let t = &n.thresholds;
    for (name, set) in [
        (
            "thresholds.relayer-packet-age-seconds",
            t.relayer_packet_age_seconds.is_some(),
        ),
        (
            "thresholds.relayer-backlog-max",
            t.relayer_backlog_max.is_some(),
        ),
        (
            "thresholds.relayer-client-expiry-hours",
            t.relayer_client_expiry_hours.is_some(),
        ),
    ] {
        if set {
            issue(
                out,
                nkey.with(name),
                "a relayer threshold concerns a chain's channels: set it on the chain",
            );
        }
    }
    for (leaf, set) in [
        (
            "contract-failure-percent",
            t.contract_failure_percent.is_some(),
        ),
        (
            "contract-failure-window-seconds",
            t.contract_failure_window_seconds.is_some(),
        ),
        (
            "contract-failure-min-calls",
            t.contract_failure_min_calls.is_some(),
        ),
    ] {
        if set {
            issue(
                out,
                nkey.with("thresholds").with(leaf),
                "a contract's thresholds are its chain's: set them on the chain",
            );
        }
    }
}

/// Overrides of a chain or a node: the global thresholds' ranges.
fn check_overrides(nkey: &ConfigPath, t: &ThresholdOverrides, out: &mut Vec<ConfigIssue>) {
    if let Some(v) = t.cpu_percent {
        percent(out, nkey.with("thresholds.cpu-percent"), v);
    }
    if let Some(v) = t.memory_percent {
        percent(out, nkey.with("thresholds.memory-percent"), v);
    }
    if let Some(v) = t.sync_lag_blocks {
        range_u64(
            out,
            nkey.with("thresholds.sync-lag-blocks"),
            v,
            1,
            1_000_000,
        );
    }
    if let Some(v) = t.cert_expiry_days {
        range_u64(
            out,
            nkey.with("thresholds.cert-expiry-days"),
            v,
            1,
            CERT_DAYS_MAX,
        );
    }
    if let Some(v) = t.tx_pool_max {
        range_u64(
            out,
            nkey.with("thresholds.tx-pool-max"),
            v,
            1,
            1_000_000_000,
        );
    }
    if let Some(v) = t.hold_off_seconds {
        range_u64(out, nkey.with("thresholds.hold-off-seconds"), v, 0, 86_400);
    }
    let set = Thresholds::default().with_overrides(t);
    let given = [
        t.peer_count_min,
        t.peer_count_hold_off_seconds,
        t.block_stall_factor,
        t.block_interval_seconds,
    ];
    for ((key, v, max), given) in peer_and_stall_limits(&set).into_iter().zip(given) {
        if given.is_some() {
            range_u64(out, nkey.with("thresholds").then(key), v, 0, max);
        }
    }
    for (name, v, min, max) in [
        (
            "thresholds.node-degraded-hold-off-seconds",
            t.node_degraded_hold_off_seconds,
            0,
            86_400,
        ),
        (
            "thresholds.relayer-packet-age-seconds",
            t.relayer_packet_age_seconds,
            1,
            604_800,
        ),
        (
            "thresholds.relayer-backlog-max",
            t.relayer_backlog_max,
            1,
            1_000_000_000,
        ),
        (
            "thresholds.relayer-client-expiry-hours",
            t.relayer_client_expiry_hours,
            1,
            8_760,
        ),
    ] {
        if let Some(v) = v {
            range_u64(out, nkey.with(name), v, min, max);
        }
    }
    check_contract_disk(&nkey.with("thresholds"), t, out);
}

/// Consensus parameters must be ones the platform accepts, in range.
fn check_consensus(
    key: &ConfigPath,
    chain: &ChainConfig,
    caps: &crate::model::platform::Capabilities,
    out: &mut Vec<ConfigIssue>,
) {
    for (name, value) in &chain.consensus {
        let pkey = key.with("consensus").then(name);
        if !caps.consensus_parameters.contains(&name.as_str()) {
            let accepts = if caps.consensus_parameters.is_empty() {
                "none".to_string()
            } else {
                caps.consensus_parameters.join(", ")
            };
            issue(
                out,
                pkey,
                format!("not supported by this platform; it accepts {accepts}"),
            );
            continue;
        }
        let (lo, hi) = crate::model::platform::parameter_range(name);
        // bcmConsParamValue is an Unsigned32.
        range_u64(out, &pkey, *value, lo, hi.min(MIB_UNSIGNED_MAX));
    }
}

fn check_simulation(key: &ConfigPath, sim: &SimulationConfig, out: &mut Vec<ConfigIssue>) {
    let skey = key.with("simulation");
    range_u64(out, skey.with("validators"), sim.validators as u64, 4, 32);
    range_u64(out, skey.with("observers"), sim.observers as u64, 0, 16);
    range_u64(
        out,
        skey.with("warmup-blocks"),
        sim.warmup_blocks as u64,
        0,
        1_000_000,
    );
}

fn check_fault(
    key: &ConfigPath,
    f: &FaultConfig,
    names: &[String],
    chain: &ChainConfig,
    out: &mut Vec<ConfigIssue>,
) {
    let on_channel = matches!(
        f.kind,
        FaultKind::RelayDown | FaultKind::RelayStall | FaultKind::ClientExpiry
    );
    let need_node = !(matches!(
        f.kind,
        FaultKind::StallConsensus
            | FaultKind::HaltBlocks
            | FaultKind::RefuseConfig
            | FaultKind::ContractFail
    ) || on_channel);
    let need_peer = matches!(f.kind, FaultKind::CutLink | FaultKind::SlowLink);
    let need_value = matches!(
        f.kind,
        FaultKind::SlowLink
            | FaultKind::CpuLoad
            | FaultKind::MemoryLoad
            | FaultKind::TxFlood
            | FaultKind::PeerLoss
            | FaultKind::CertExpiry
            | FaultKind::RelayStall
            | FaultKind::ClientExpiry
            | FaultKind::ContractFail
            | FaultKind::DiskFill
    );
    let mut node_ok = |field: &str, v: &Option<String>, needed: bool| match (v, needed) {
        (None, true) => issue(
            out,
            key.clone().then(field),
            "required for this kind of fault",
        ),
        (Some(n), true) if !names.contains(n) => {
            issue(out, key.clone().then(field), format!("no such node '{n}'"))
        }
        (Some(_), false) => issue(
            out,
            key.clone().then(field),
            "not used by this kind of fault",
        ),
        _ => {}
    };
    node_ok("node", &f.node, need_node);
    node_ok("peer", &f.peer, need_peer);
    if need_peer && f.node.is_some() && f.node == f.peer {
        issue(out, key.with("peer"), "a link joins two different nodes");
    }
    match (&f.channel, on_channel) {
        (None, true) => issue(out, key.with("channel"), "required for this kind of fault"),
        (Some(c), true) if !chain.channels.contains_key(c) => {
            issue(out, key.with("channel"), format!("no such channel '{c}'"))
        }
        (Some(_), false) => issue(out, key.with("channel"), "not used by this kind of fault"),
        _ => {}
    }
    match (f.value, need_value) {
        (None, true) => issue(out, key.with("value"), "required for this kind of fault"),
        (Some(v), true) if f.kind == FaultKind::SlowLink && !(0.0..=600_000.0).contains(&v) => {
            issue(out, key.with("value"), "extra latency in ms, 0 to 600000")
        }
        (Some(v), true)
            if f.kind == FaultKind::TxFlood
                && !((0.0..=1_000_000_000.0).contains(&v) && v.fract() == 0.0) =>
        {
            issue(
                out,
                key.with("value"),
                "a whole number of transactions, 0 to 1000000000",
            )
        }
        (Some(v), true) if f.kind == FaultKind::RelayStall && !(0.0..=604_800.0).contains(&v) => {
            issue(
                out,
                key.with("value"),
                "seconds the oldest packet waits, 0 to 604800",
            )
        }
        (Some(v), true) if f.kind == FaultKind::ClientExpiry && !(0.0..=8_760.0).contains(&v) => {
            issue(out, key.with("value"), "hours left, 0 to 8760")
        }
        (Some(v), true)
            if f.kind == FaultKind::PeerLoss
                && !((0.0..=1_000_000.0).contains(&v) && v.fract() == 0.0) =>
        {
            issue(
                out,
                key.with("value"),
                "a whole number of peers, 0 to 1000000",
            )
        }
        (Some(v), true)
            if f.kind == FaultKind::CertExpiry
                && !((-3650.0..=3650.0).contains(&v) && v.fract() == 0.0) =>
        {
            issue(
                out,
                key.with("value"),
                "a whole number of days left, -3650 to 3650 (negative: expired)",
            )
        }
        (Some(v), true)
            if !matches!(
                f.kind,
                FaultKind::SlowLink
                    | FaultKind::TxFlood
                    | FaultKind::PeerLoss
                    | FaultKind::CertExpiry
                    | FaultKind::RelayStall
                    | FaultKind::ClientExpiry
            ) && !(0.0..=100.0).contains(&v) =>
        {
            issue(out, key.with("value"), "a percentage, 0 to 100")
        }
        (Some(_), false) => issue(out, key.with("value"), "not used by this kind of fault"),
        _ => {}
    }
}

/// The first setting that differs between two configurations and that only a
/// restart can apply (listeners, storage, the simulated network's shape).
/// The key names the setting, so that errors can point at it.
pub fn restart_only_change(old: &Config, new: &Config) -> Option<&'static str> {
    if old.agent.data_dir != new.agent.data_dir {
        return Some("agent.data-dir");
    }
    // Where the agent writes files is for the file's author alone, not
    // for a client that can edit the configuration.
    if old.agent.backup_dir != new.agent.backup_dir {
        return Some("agent.backup-dir");
    }
    // snmpEnableAuthenTraps is writable over SNMP; the rest of the
    // section shapes listeners and keys, fixed at start.
    let live_snmp = |c: &Config| SnmpConfig {
        enable_authen_traps: false,
        ..c.snmp.clone()
    };
    if live_snmp(old) != live_snmp(new) {
        return Some("snmp");
    }
    // The rest of `netconf` (users, idle timeout, max-sessions) applies
    // at once; these three shape the listener, bound at start.
    if old.netconf.enabled != new.netconf.enabled {
        return Some("netconf.enabled");
    }
    if old.netconf.listen != new.netconf.listen {
        return Some("netconf.listen");
    }
    if old.netconf.host_key != new.netconf.host_key {
        return Some("netconf.host-key");
    }
    // Chains and nodes are provisioned at run time (the core rebuilds a
    // chain's collector); only the simulated network's shape is fixed.
    for (id, o) in &old.chains {
        let Some(n) = new.chains.get(id) else {
            continue;
        };
        if o.platform != Platform::Simulated || n.platform != Platform::Simulated {
            continue;
        }
        let (os, ns) = (
            o.simulation.clone().unwrap_or_default(),
            n.simulation.clone().unwrap_or_default(),
        );
        if (os.seed, os.validators, os.observers, os.warmup_blocks)
            != (ns.seed, ns.validators, ns.observers, ns.warmup_blocks)
        {
            return Some("chains.*.simulation");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FaultConfig;

    /// The messages of `config`'s issues at keys containing `key`.
    fn issues_at(config: &Config, key: &str) -> Vec<String> {
        validate(config)
            .into_iter()
            .filter(|i| i.key.to_string().contains(key))
            .map(|i| i.message)
            .collect()
    }

    fn with_fault(kind: FaultKind, node: Option<&str>, value: Option<f64>) -> Config {
        let mut c = Config::default();
        let chain = c.chains.values_mut().next().expect("the default chain");
        let sim = chain.simulation.as_mut().expect("a simulated chain");
        sim.faults.insert(
            "f".into(),
            FaultConfig {
                kind,
                node: node.map(Into::into),
                peer: None,
                channel: None,
                value,
            },
        );
        c
    }

    #[test]
    fn cert_expiry_takes_a_node_and_whole_days_and_refuse_config_neither() {
        let ok = with_fault(FaultKind::CertExpiry, Some("node-1"), Some(-3.0));
        assert!(issues_at(&ok, "faults.f").is_empty());
        let half = with_fault(FaultKind::CertExpiry, Some("node-1"), Some(2.5));
        assert_eq!(
            issues_at(&half, "faults.f.value"),
            ["a whole number of days left, -3650 to 3650 (negative: expired)"]
        );
        let far = with_fault(FaultKind::CertExpiry, Some("node-1"), Some(4000.0));
        assert_eq!(issues_at(&far, "faults.f.value").len(), 1);
        let bare = with_fault(FaultKind::CertExpiry, None, None);
        assert_eq!(issues_at(&bare, "faults.f").len(), 2, "node and value");
        let refuse = with_fault(FaultKind::RefuseConfig, None, None);
        assert!(issues_at(&refuse, "faults.f").is_empty());
        let on_node = with_fault(FaultKind::RefuseConfig, Some("node-1"), None);
        assert_eq!(
            issues_at(&on_node, "faults.f.node"),
            ["not used by this kind of fault"]
        );
    }

    #[test]
    fn certificate_thresholds_are_held_to_ten_years() {
        let mut c = Config::default();
        c.thresholds.cert_expiry_days = 0;
        c.thresholds.cert_expiry_hysteresis_days = 3651;
        assert_eq!(issues_at(&c, "thresholds.cert-expiry-days").len(), 1);
        assert_eq!(issues_at(&c, "thresholds.cert-expiry-hysteresis").len(), 1);
        let mut c = Config::default();
        let chain = c.chains.values_mut().next().expect("the default chain");
        chain.thresholds.cert_expiry_days = Some(3651);
        assert_eq!(issues_at(&c, "thresholds.cert-expiry-days").len(), 1);
    }

    /// The health and relayer thresholds: their ranges, and the relayer
    /// ones only on a chain (they concern its channels).
    #[test]
    fn health_and_relayer_thresholds_are_checked() {
        let mut config = Config::default();
        config.thresholds.relayer_client_expiry_hours = 0;
        config.thresholds.node_degraded_hold_off_seconds = 86_401;
        let sim = config.chains.get_mut("sim").expect("the default chain");
        sim.thresholds.relayer_backlog_max = Some(5);
        let node = sim.nodes.entry("node-1".into()).or_default();
        node.thresholds.relayer_packet_age_seconds = Some(60);
        node.thresholds.node_degraded_hold_off_seconds = Some(0);
        let keys: Vec<String> = validate(&config)
            .into_iter()
            .map(|i| i.key.to_string())
            .collect();
        assert_eq!(
            keys,
            [
                "thresholds.node-degraded-hold-off-seconds",
                "thresholds.relayer-client-expiry-hours",
                "chains.sim.nodes.node-1.thresholds.relayer-packet-age-seconds",
            ],
            "a chain's relayer override and a node's 0 s hold-off are fine"
        );
    }
}
