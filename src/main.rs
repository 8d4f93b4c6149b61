//! The `chain-agent` command line.

// No unwrap, expect or panic on the agent's paths: input from outside ends
// in a typed error, never a crash.  An invariant that cannot fail says so
// with #[expect(..., reason = "...")].  Tests may (clippy.toml); this is
// here and not in Cargo.toml's [lints] so it does not reach tests/.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use anyhow::{Context, Result, bail};
use chain_agent::config::reconcile::Prefer;
use chain_agent::config::{self, Config, ConfigPath};
use chain_agent::control::{self, Filter, Request};
use chain_agent::core::datastore::Edit;
use chain_agent::core::logs::StoreLayer;
use chain_agent::core::runtime::{self, Agent, Running};
use chain_agent::core::store_damage::FreshStart;
use chain_agent::model::log::{LogKind, LogLevel};
use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tracing_subscriber::prelude::*;

#[derive(Parser)]
#[command(
    name = "chain-agent",
    version,
    about = "SNMP and NETCONF management agent for blockchain systems"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the agent (embedded defaults: the simulated chain, loopback only).
    Run {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Start with a new store although the data directory shows an
        /// earlier start whose store is missing, empty or replaced (a new
        /// SNMP engine ID or engine boots, no history).
        #[arg(long)]
        start_afresh: bool,
        /// Where the configuration file (or NETCONF's startup datastore)
        /// and a change made at run time changed the same value since the
        /// last start, take the startup value (each is logged).
        #[arg(long, conflicts_with = "prefer_running")]
        prefer_startup: bool,
        /// Where both changed the same value, keep the value set at run
        /// time (each startup change left out is logged).
        #[arg(long)]
        prefer_running: bool,
    },
    /// Check a configuration file; every problem names its key and line.
    CheckConfig { file: PathBuf },
    /// One collection pass, printing the whole information model.
    Snapshot {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Talk to a running agent through its control socket.
    Ctl(CtlArgs),
    /// Read a password from standard input and print its SHA-512 crypt hash
    /// for `password-hash` in `[netconf.users.NAME]`.
    HashPassword,
}

#[derive(Args)]
struct CtlArgs {
    /// Configuration file of the running agent (to find its data directory).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Control socket path; overrides --config.
    #[arg(long, global = true)]
    socket: Option<PathBuf>,
    #[command(subcommand)]
    command: CtlCommand,
}

#[derive(Subcommand)]
enum CtlCommand {
    /// Print the running (or startup) configuration as JSON.
    GetConfig {
        #[arg(long)]
        startup: bool,
    },
    /// Set one value: PATH is a JSON pointer (/thresholds/cpu-percent), VALUE is JSON or a string.
    Set { path: String, value: String },
    /// Delete one configuration entry.
    Delete { path: String },
    /// Copy the running configuration to startup.
    SaveStartup,
    /// Inject or clear a fault on a simulated chain.
    Fault {
        #[command(subcommand)]
        command: FaultCommand,
    },
    /// Print the published snapshot as JSON.
    Snapshot,
    /// List the active alarms.
    Alarms,
    /// Acknowledge an alarm (or withdraw the acknowledgement with --undo).
    Ack {
        id: u64,
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long)]
        undo: bool,
    },
    /// Query, delete or back up logs.
    Logs {
        #[command(subcommand)]
        command: LogsCommand,
    },
}

#[derive(Subcommand)]
enum FaultCommand {
    /// Inject a fault named NAME of KIND (stop-node, cut-link, slow-link, lag-node,
    /// stall-consensus, fork-node, cpu-load, memory-load, relay-down, tx-flood,
    /// peer-loss, halt-blocks, refuse-config, cert-expiry, degrade-node,
    /// relay-stall, client-expiry, contract-fail, disk-fill).
    Inject {
        name: String,
        kind: String,
        #[arg(long, default_value = "sim")]
        chain: String,
        #[arg(long)]
        node: Option<String>,
        #[arg(long)]
        peer: Option<String>,
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        value: Option<f64>,
    },
    /// Remove the fault named NAME.
    Clear {
        name: String,
        #[arg(long, default_value = "sim")]
        chain: String,
    },
}

#[derive(Args, Clone)]
struct LogSelect {
    /// Log type: system, consensus, contract, cross-chain, security, operation.
    #[arg(long = "type")]
    kind: Option<String>,
    /// Only records at or after this time (ms since the epoch).
    #[arg(long)]
    since: Option<u64>,
    /// Only records before this time (ms since the epoch).
    #[arg(long)]
    until: Option<u64>,
    /// Only records at least this severe: error, warning, info, debug.
    #[arg(long)]
    level: Option<String>,
    /// Only records whose message contains this text.
    #[arg(long)]
    contains: Option<String>,
}

#[derive(Subcommand)]
enum LogsCommand {
    Query {
        #[command(flatten)]
        select: LogSelect,
        #[arg(long, default_value_t = 100)]
        limit: u64,
    },
    Delete {
        #[command(flatten)]
        select: LogSelect,
    },
    /// Write a consistent copy of the whole store (logs, alarms, configuration;
    /// no secrets) as the new file NAME in the agent's backup directory.
    Backup { name: String },
}

/// How long the exit waits for request work still running on blocking
/// threads once the services have stopped.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("chain-agent: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(dispatch(cli.command));
    // Request work still running on blocking threads (libyang printing a
    // large reply, say) must not hold the exit: XPath filters stop at once
    // (see `run`), anything else gets a few seconds.
    rt.shutdown_timeout(SHUTDOWN_GRACE);
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chain-agent: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn dispatch(command: Command) -> Result<()> {
    match command {
        Command::Run {
            config,
            start_afresh,
            prefer_startup,
            prefer_running,
        } => {
            let fresh = if start_afresh {
                FreshStart::Accept
            } else {
                FreshStart::Refuse
            };
            let prefer = match (prefer_startup, prefer_running) {
                (true, _) => Some(Prefer::Startup),
                (_, true) => Some(Prefer::Running),
                _ => None,
            };
            run(config.as_deref(), fresh, prefer).await
        }
        Command::CheckConfig { file } => check_config(&file),
        Command::Snapshot { json, config } => snapshot(json, config.as_deref()).await,
        Command::Ctl(args) => ctl(args).await,
        Command::HashPassword => hash_password(),
    }
}

fn hash_password() -> Result<()> {
    use chain_agent::config::password_hash as password;
    let plain = password::read_from_stdin().context("cannot read the password")?;
    if plain.is_empty() {
        bail!("empty password: give it on standard input");
    }
    println!("{}", password::hash(&plain)?);
    Ok(())
}

/// The configuration and the digest that tells whether it changed since the
/// datastore was seeded from it.
fn load(path: Option<&Path>) -> Result<(Config, String)> {
    let Some(path) = path else {
        let mut c = Config::default();
        config::normalise(&mut c);
        return Ok((c, "embedded-defaults".to_string()));
    };
    match config::load_file(path) {
        Ok((c, text)) => {
            use sha2::Digest;
            Ok((c, hex::encode(sha2::Sha256::digest(text.as_bytes()))))
        }
        Err(issues) => {
            for i in &issues {
                eprintln!("{}: {i}", path.display());
            }
            bail!("{} problem(s) in {}", issues.len(), path.display())
        }
    }
}

fn check_config(file: &Path) -> Result<()> {
    load(Some(file))?;
    println!("{}: OK", file.display());
    Ok(())
}

async fn run(path: Option<&Path>, fresh: FreshStart, prefer: Option<Prefer>) -> Result<()> {
    // Belt and braces: whatever the agent creates is its own alone (the
    // data directory module also sets each mode explicitly).
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe { libc::umask(0o077) };
    let (config, digest) = load(path)?;
    // Every listener is bound before the store is opened or anything is
    // announced: a port in use ends the start with nothing written.
    let snmp_sockets = chain_agent::snmp::service::bind(&config.snmp).context("cannot start")?;
    let netconf_listener =
        chain_agent::netconf::startup::bind(&config.netconf).context("cannot start")?;
    // The control socket lives in the data directory: bound once the
    // directory is locked, before the store is opened.
    let lock = runtime::lock_data_dir(&config).context("cannot start")?;
    let control_listener = control::bind(&config.control_socket()).context("cannot start")?;
    let agent = Agent::open(lock, config, &digest, fresh, prefer).context("cannot start")?;
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(filter),
        )
        .with(StoreLayer::new(agent.logs.clone()))
        .init();
    let running = agent.datastore.running();
    tracing::info!(
        "data directory {}, control socket {}, {} chain(s): {}",
        running.agent.data_dir.display(),
        running.control_socket().display(),
        running.chains.len(),
        running
            .chains
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    let running = agent.start().await?;
    let control = match control::serve(running.agent.clone(), control_listener) {
        Ok(control) => control,
        Err(e) => {
            running.stop();
            return Err(e.into());
        }
    };
    let (snmp, netconf) = match front_ends(&running, snmp_sockets, netconf_listener).await {
        Ok(started) => started,
        Err(e) => {
            // The control socket goes, and the logs are flushed.
            control.stop();
            running.stop();
            return Err(e);
        }
    };
    tracing::info!(log_kind = "system", "chain-agent running");
    shutdown_signal().await;
    // Every XPath evaluation stops at its next check, whatever session it
    // serves, so no session holds the shutdown.
    chain_agent::netconf::xpath::shut_down();
    if let Some(netconf) = netconf {
        netconf.stop().await;
    }
    if let Some(snmp) = snmp {
        snmp.stop();
    }
    control.stop();
    running.stop();
    Ok(())
}

/// Start SNMP and NETCONF on the listeners bound before the store opened.
async fn front_ends(
    running: &Running,
    snmp_sockets: Vec<std::net::UdpSocket>,
    netconf_listener: Option<std::net::TcpListener>,
) -> Result<(
    Option<chain_agent::snmp::service::SnmpHandle>,
    Option<chain_agent::netconf::startup::NetconfHandle>,
)> {
    let snmp = chain_agent::snmp::service::start(running.agent.clone(), snmp_sockets)
        .context("cannot start")?;
    match chain_agent::netconf::startup::start(running.agent.clone(), netconf_listener).await {
        Ok(netconf) => Ok((snmp, netconf)),
        Err(e) => {
            if let Some(snmp) = snmp {
                snmp.stop();
            }
            Err(anyhow::Error::new(e).context("cannot start"))
        }
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        // Without signal handlers the agent can still be stopped by SIGKILL,
        // which the store is built to survive.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

async fn snapshot(as_json: bool, path: Option<&Path>) -> Result<()> {
    let (config, _) = load(path)?;
    let snap = runtime::snapshot_once(config).await?;
    if as_json {
        return emit(&serde_json::to_string_pretty(&snap)?);
    }
    let s = &snap;
    println!(
        "chains: {}",
        s.nodes
            .chains
            .iter()
            .map(|c| format!("{} ({}, {:?})", c.id, c.platform.as_str(), c.consensus_type))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "nodes:       {} nodes, {} links",
        s.nodes.nodes.len(),
        s.nodes.links.len()
    );
    for n in &s.nodes.nodes {
        println!(
            "  {}/{} {:?} {:?}/{:?} {}",
            n.chain, n.id, n.role, n.admin_state, n.oper_state, n.endpoint
        );
    }
    println!(
        "performance: {} nodes, host CPU {:.1}%",
        s.performance.nodes.len(),
        s.performance.host.as_ref().map_or(0.0, |h| h.cpu_percent)
    );
    println!("faults:      {} active alarms", s.faults.active.len());
    for a in &s.faults.active {
        println!(
            "  #{} {:?} {} {}: {}",
            a.id,
            a.perceived_severity,
            a.alarm_type.as_str(),
            a.resource,
            a.specific_problem
        );
    }
    println!("logs:        {} recent records", s.logs.recent.len());
    println!(
        "ledger:      {}",
        s.ledger
            .ledgers
            .iter()
            .map(|l| format!("{} at height {}", l.chain, l.height))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "             {} recent blocks, {} members",
        s.ledger.blocks.len(),
        s.ledger.members.len()
    );
    println!(
        "consensus:   {}",
        s.consensus
            .consistency
            .iter()
            .map(|r| format!("{} {:?}", r.chain, r.verdict))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "contracts:   {} contracts, {} recent executions",
        s.contracts.contracts.len(),
        s.contracts.executions.len()
    );
    println!(
        "cross-chain: {} channels, {} recent transfers",
        s.cross_chain.channels.len(),
        s.cross_chain.transfers.len()
    );
    Ok(())
}

/// Print to stdout; a closed pipe (`| head`) ends the output quietly.
fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

fn socket_path(args: &CtlArgs) -> Result<PathBuf> {
    if let Some(s) = &args.socket {
        return Ok(s.clone());
    }
    let (config, _) = load(args.config.as_deref())?;
    Ok(config.control_socket())
}

fn parse_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

fn filter(s: LogSelect) -> Result<Filter> {
    let kind = match s.kind.as_deref() {
        Some(k) => Some(LogKind::parse(k).with_context(|| format!("unknown log type '{k}'"))?),
        None => None,
    };
    let level = match s.level.as_deref() {
        Some(l) => Some(
            serde_json::from_value::<LogLevel>(json!(l))
                .with_context(|| format!("unknown level '{l}'"))?,
        ),
        None => None,
    };
    Ok(Filter {
        kind,
        since: s.since,
        until: s.until,
        level,
        contains: s.contains,
    })
}

/// A `ctl set`/`ctl delete` path: a JSON pointer into the configuration.
fn config_path(path: &str) -> Result<ConfigPath> {
    path.parse().map_err(|e| anyhow::anyhow!("{path}: {e}"))
}

async fn ctl(args: CtlArgs) -> Result<()> {
    let socket = socket_path(&args)?;
    let alarms_only = matches!(args.command, CtlCommand::Alarms);
    let request = match args.command {
        CtlCommand::GetConfig { startup } => Request::GetConfig { startup },
        CtlCommand::Set { path, value } => Request::Edit {
            edits: vec![Edit::Set {
                path: config_path(&path)?,
                value: parse_value(&value),
            }],
        },
        CtlCommand::Delete { path } => Request::Edit {
            edits: vec![Edit::Delete {
                path: config_path(&path)?,
            }],
        },
        CtlCommand::SaveStartup => Request::SaveStartup,
        CtlCommand::Fault {
            command:
                FaultCommand::Inject {
                    name,
                    kind,
                    chain,
                    node,
                    peer,
                    channel,
                    value,
                },
        } => {
            let mut f = serde_json::Map::new();
            f.insert("kind".into(), json!(kind));
            for (k, v) in [("node", node), ("peer", peer), ("channel", channel)] {
                if let Some(v) = v {
                    f.insert(k.into(), json!(v));
                }
            }
            if let Some(v) = value {
                f.insert("value".into(), json!(v));
            }
            Request::Edit {
                edits: vec![Edit::Set {
                    path: ConfigPath::of(["chains", &chain, "simulation", "faults", &name]),
                    value: Value::Object(f),
                }],
            }
        }
        CtlCommand::Fault {
            command: FaultCommand::Clear { name, chain },
        } => Request::Edit {
            edits: vec![Edit::Delete {
                path: ConfigPath::of(["chains", &chain, "simulation", "faults", &name]),
            }],
        },
        CtlCommand::Snapshot => Request::Snapshot,
        CtlCommand::Alarms => Request::Snapshot,
        CtlCommand::Ack { id, text, undo } => Request::Ack {
            alarm: id,
            acknowledged: !undo,
            text,
        },
        CtlCommand::Logs {
            command: LogsCommand::Query { select, limit },
        } => Request::LogsQuery {
            filter: filter(select)?,
            limit,
        },
        CtlCommand::Logs {
            command: LogsCommand::Delete { select },
        } => Request::LogsDelete {
            filter: filter(select)?,
        },
        CtlCommand::Logs {
            command: LogsCommand::Backup { name },
        } => Request::LogsBackup { name },
    };
    let result = control::call(&socket, &request)
        .await
        .map_err(anyhow::Error::msg)?;
    let shown = if alarms_only {
        result["faults"]["active"].clone()
    } else {
        result
    };
    emit(&serde_json::to_string_pretty(&shown)?)
}
