//! netconf-load: a NETCONF-over-SSH load generator for tools/bench-netconf.
//! It speaks only standard NETCONF (RFC 6241, RFC 6242), through russh's
//! client and its own framing and reply reading, so any server can be
//! measured with it; it does not use the crate's NETCONF code.
//!
//! Each load run opens N sessions (one SSH connection each), then loops one
//! operation per session with one request in flight, and prints one JSON
//! line on stdout (the bench script's input) and a summary on stderr.
//! `fetch` performs one `<get>` or `<get-config>` and can save the data,
//! which the bench script uses to give another server the same datastore.

mod engine;
#[path = "../snmp-load/latency.rs"]
mod latency;
mod operation;
mod reply;
mod session;
mod transport;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use chain_agent::netconf::transport::framing::Framing;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;

use engine::{RunSettings, Tally};
use operation::{Datastore, Operation};
use reply::Outcome;
use session::{FramingChoice, Session, SessionSettings};
use transport::{Auth, Endpoint};

#[derive(Parser)]
#[command(name = "netconf-load", about = "NETCONF over SSH load generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// `<get>` of everything, or of a subtree filter.
    Get {
        #[command(flatten)]
        load: LoadArgs,
        /// Content of a subtree `<filter>` (default: no filter).
        #[arg(long)]
        filter: Option<String>,
    },
    /// `<get-config>`.
    GetConfig {
        #[command(flatten)]
        load: LoadArgs,
        #[arg(long, value_enum, default_value_t = Datastore::Running)]
        source: Datastore,
    },
    /// `<edit-config>` of the candidate then `<commit>` (or an edit of
    /// running with `--edit-target running`).
    EditCommit {
        #[command(flatten)]
        load: LoadArgs,
        /// Content of `<config>`; `{{session}}` and `{{seq}}` are replaced
        /// by the session and operation numbers.
        #[arg(long)]
        config: String,
        #[arg(long, value_enum, default_value_t = Datastore::Candidate)]
        edit_target: Datastore,
    },
    /// Any RPC, given as the content of `<rpc>`.
    Rpc {
        #[command(flatten)]
        load: LoadArgs,
        #[arg(long)]
        body: String,
    },
    /// One `<get>` or `<get-config>`: prints the sizes of the data as JSON
    /// and can save (part of) it as a `<config>` document.
    Fetch {
        #[command(flatten)]
        connection: ConnectionArgs,
        #[arg(value_enum)]
        what: FetchWhat,
        /// Keep only top-level nodes whose namespace starts with this
        /// (repeatable; default: keep everything).
        #[arg(long)]
        keep_namespace: Vec<String>,
        /// Write the kept data here.
        #[arg(long)]
        save: Option<PathBuf>,
        /// Seconds to wait for the session and the reply.
        #[arg(long, default_value_t = 60.0)]
        timeout: f64,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FetchWhat {
    Get,
    GetConfig,
}

#[derive(Args)]
struct ConnectionArgs {
    /// HOST:PORT of the server's SSH listener.
    #[arg(long)]
    target: String,
    #[arg(long)]
    user: String,
    /// Password authentication.
    #[arg(long, conflicts_with = "key")]
    password: Option<String>,
    /// Public-key authentication with this OpenSSH private key file.
    #[arg(long)]
    key: Option<PathBuf>,
    /// The only SSH cipher offered, so that every server is measured with
    /// the same one.
    #[arg(long, default_value = "aes256-gcm@openssh.com")]
    cipher: String,
    #[arg(long, value_enum, default_value_t = FramingChoice::Auto)]
    framing: FramingChoice,
    /// Milliseconds between the `<hello>` exchange and the first `<rpc>`
    /// (not measured).
    #[arg(long, default_value_t = 100)]
    hello_pause_ms: u64,
    /// Largest reply accepted, in MiB.
    #[arg(long, default_value_t = 1024)]
    max_reply_mib: usize,
    /// Tokio worker threads of the generator.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Free text copied into the JSON line (e.g. the server's name).
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Args)]
struct LoadArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Concurrent sessions, each with one operation in flight.
    #[arg(long, default_value_t = 1)]
    sessions: usize,
    /// Measured seconds, after the warm-up.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds run before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// An operation unanswered this long (s) ends its session.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Transport(#[from] transport::TransportError),
    #[error("key {0}: {1}")]
    Key(PathBuf, russh::keys::Error),
    #[error(transparent)]
    Session(#[from] session::SessionError),
    #[error(transparent)]
    Engine(#[from] engine::EngineError),
    #[error(transparent)]
    Reply(#[from] reply::ReplyError),
    #[error("the server answered with <rpc-error>: {0}")]
    RpcError(String),
    #[error("no reply within {0} s")]
    Timeout(f64),
    #[error("runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0}: {1}")]
    Write(PathBuf, std::io::Error),
}

fn seconds(value: f64, name: &str) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| CliError::Usage(format!("--{name} must be a non-negative number of seconds")))
}

impl ConnectionArgs {
    fn settings(&self) -> Result<SessionSettings, CliError> {
        let auth = match (&self.password, &self.key) {
            (Some(password), None) => Auth::Password(password.clone()),
            (None, Some(path)) => {
                let key = russh::keys::load_secret_key(path, None)
                    .map_err(|error| CliError::Key(path.clone(), error))?;
                Auth::Key(Arc::new(key))
            }
            _ => return Err(CliError::Usage("give --password or --key".into())),
        };
        Ok(SessionSettings {
            endpoint: Endpoint {
                address: self.target.clone(),
                user: self.user.clone(),
                auth,
                cipher: Endpoint::cipher_by_name(&self.cipher)?,
            },
            framing: self.framing,
            hello_pause: Duration::from_millis(self.hello_pause_ms),
            max_message: self.max_reply_mib.saturating_mul(1 << 20),
        })
    }

    fn runtime(&self) -> Result<tokio::runtime::Runtime, CliError> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(self.threads.max(1))
            .enable_all()
            .build()
            .map_err(CliError::Runtime)
    }
}

impl LoadArgs {
    fn settings(&self) -> Result<RunSettings, CliError> {
        let duration = seconds(self.duration, "duration")?;
        if duration.is_zero() {
            return Err(CliError::Usage("--duration must be above 0".into()));
        }
        if self.sessions == 0 {
            return Err(CliError::Usage("--sessions must be at least 1".into()));
        }
        Ok(RunSettings {
            session: self.connection.settings()?,
            sessions: self.sessions,
            warmup: seconds(self.warmup, "warmup")?,
            duration,
            timeout: seconds(self.timeout, "timeout")?,
        })
    }
}

/// CPU seconds (user + system) this process has used so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid pointer cannot fail.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Rounds for the JSON line: rates to units, times to 0.1 µs.
/// How the report names the framing in use.
fn framing_name(f: Framing) -> &'static str {
    match f {
        Framing::EndOfMessage => "base:1.0 end-of-message",
        Framing::Chunked => "base:1.1 chunked",
    }
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

struct Measured {
    tally: Tally,
    client_cpu_s: f64,
    client_wall_s: f64,
}

fn measure(load: &LoadArgs, operation: Operation) -> Result<Measured, CliError> {
    let settings = load.settings()?;
    let runtime = load.connection.runtime()?;
    let operation = Arc::new(operation);
    runtime.block_on(async {
        let cpu_before = cpu_seconds();
        let wall_before = std::time::Instant::now();
        let tally = engine::run(&settings, operation).await?;
        Ok(Measured {
            tally,
            client_cpu_s: cpu_seconds() - cpu_before,
            client_wall_s: wall_before.elapsed().as_secs_f64(),
        })
    })
}

fn report(mode: &str, load: &LoadArgs, measured: Measured) {
    let Measured {
        tally,
        client_cpu_s,
        client_wall_s,
    } = measured;
    let duration = load.duration;
    let throughput = tally.operations as f64 / duration;
    let percentiles = tally.latencies.percentiles_us(&[0.5, 0.9, 0.99]);
    let p = |i: usize| percentiles.get(i).copied().flatten().map(|v| round(v, 1));
    let sample = tally.sample.as_ref();
    let line = json!({
        "mode": mode,
        "label": load.connection.label,
        "target": load.connection.target,
        "sessions": load.sessions,
        "threads": load.connection.threads,
        "duration_s": duration,
        "warmup_s": load.warmup,
        "operations": tally.operations,
        "throughput": round(throughput, 1),
        "rpcs": tally.rpcs,
        "p50_us": p(0),
        "p90_us": p(1),
        "p99_us": p(2),
        "errors": tally.errors,
        "timeouts": tally.timeouts,
        "failed_sessions": tally.failed_sessions,
        "first_error": tally.first_error,
        "framing": tally.framing.map(framing_name),
        "cipher": load.connection.cipher,
        "reply_bytes": sample.map(|s| s.reply_bytes),
        "data_elements": sample.and_then(|s| s.data).map(|d| d.elements),
        "data_leaves": sample.and_then(|s| s.data).map(|d| d.leaves),
        "client_cpu_s": round(client_cpu_s, 2),
        "client_wall_s": round(client_wall_s, 2),
    });
    println!("{line}");
    eprintln!(
        "netconf-load {mode} {} x{}: {:.1} ops/s, p50 {} us, p99 {} us, {} errors, {} timeouts, {} failed sessions{}",
        load.connection.target,
        load.sessions,
        throughput,
        p(0).map_or("-".into(), |v| format!("{v:.1}")),
        p(2).map_or("-".into(), |v| format!("{v:.1}")),
        tally.errors,
        tally.timeouts,
        tally.failed_sessions,
        tally
            .first_error
            .as_ref()
            .map_or(String::new(), |e| format!(" (first: {e})")),
    );
}

fn fetch(
    connection: &ConnectionArgs,
    what: FetchWhat,
    keep: &[String],
    save: Option<&PathBuf>,
    timeout: f64,
) -> Result<(), CliError> {
    let settings = connection.settings()?;
    let timeout_duration = seconds(timeout, "timeout")?;
    let runtime = connection.runtime()?;
    let operation = match what {
        FetchWhat::Get => Operation::Get { filter: None },
        FetchWhat::GetConfig => Operation::GetConfig {
            source: Datastore::Running,
        },
    };
    let exchange = async {
        let mut session = Session::open(&settings).await?;
        let request = operation.requests(0, 1).concat();
        let answer = session.call(&request).await?;
        let framing = session.framing();
        let capabilities = session.server_hello.capabilities.len();
        session.close().await;
        Ok::<_, CliError>((answer, framing, capabilities))
    };
    let (answer, framing, capabilities) = runtime.block_on(async {
        tokio::time::timeout(timeout_duration, exchange)
            .await
            .map_err(|_| CliError::Timeout(timeout))?
    })?;
    if let Outcome::Error(error) = &answer.outcome {
        return Err(CliError::RpcError(error.clone()));
    }
    let extract = reply::extract_data(&answer.message, &answer.message_id, keep)?;
    if let Some(path) = save {
        std::fs::write(path, &extract.document)
            .map_err(|error| CliError::Write(path.clone(), error))?;
    }
    let line = json!({
        "mode": "fetch",
        "label": connection.label,
        "target": connection.target,
        "operation": operation.mode(),
        "framing": framing_name(framing),
        "capabilities": capabilities,
        "reply_bytes": answer.message.len(),
        "data_elements": extract.size.elements,
        "data_leaves": extract.size.leaves,
        "kept_elements": extract.kept.elements,
        "kept_leaves": extract.kept.leaves,
        "keep_namespaces": keep,
    });
    println!("{line}");
    Ok(())
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Get { load, filter } => {
            let measured = measure(&load, Operation::Get { filter })?;
            report("get", &load, measured);
        }
        Command::GetConfig { load, source } => {
            let measured = measure(&load, Operation::GetConfig { source })?;
            report("get-config", &load, measured);
        }
        Command::EditCommit {
            load,
            config,
            edit_target,
        } => {
            let operation = Operation::Edit {
                config,
                target: edit_target,
            };
            let mode = operation.mode();
            let measured = measure(&load, operation)?;
            report(mode, &load, measured);
        }
        Command::Rpc { load, body } => {
            let measured = measure(&load, Operation::Rpc { body })?;
            report("rpc", &load, measured);
        }
        Command::Fetch {
            connection,
            what,
            keep_namespace,
            save,
            timeout,
        } => fetch(&connection, what, &keep_namespace, save.as_ref(), timeout)?,
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("netconf-load: {error}");
            ExitCode::FAILURE
        }
    }
}
