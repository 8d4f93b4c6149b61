//! snmp-load: an SNMPv2c load generator and UDP echo server for
//! tools/bench-snmp. It encodes and reads its own messages (ber.rs,
//! message.rs) rather than using the crate's SNMP code, so it measures the
//! agent as an independent client would.
//!
//! Each run prints one JSON line on stdout (the bench script's input) and
//! a readable summary on stderr.

mod ber;
mod echo;
mod engine;
mod latency;
mod message;
#[cfg(test)]
mod test_support;
mod workload;

use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde_json::json;

use ber::EncodedOid;
use engine::{Settings, Tally};
use workload::{Get, Walk};

#[derive(Parser)]
#[command(
    name = "snmp-load",
    about = "SNMPv2c load generator and UDP echo server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// GetRequests of one object, `window` in flight per thread.
    Get {
        #[command(flatten)]
        load: LoadArgs,
        /// Object instance to get, dotted (e.g. 1.3.6.1.2.1.1.3.0).
        #[arg(long)]
        oid: String,
    },
    /// Repeated GETBULK walks of a subtree, one walk per in-flight slot.
    Walk {
        #[command(flatten)]
        load: LoadArgs,
        /// Subtree to walk, dotted (e.g. a table's OID).
        #[arg(long)]
        oid: String,
        #[arg(long, default_value_t = 50)]
        max_repetitions: u32,
    },
    /// Returns every datagram unchanged, to measure the ceiling.
    EchoServer {
        #[arg(long)]
        listen: SocketAddr,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Exits by itself after this many seconds.
        #[arg(long, default_value_t = 3600)]
        lifetime: u64,
    },
}

#[derive(Args)]
struct LoadArgs {
    /// HOST:PORT of the agent (or echo server).
    #[arg(long)]
    target: String,
    #[arg(long, default_value = "public")]
    community: String,
    /// Generator threads, each with its own socket.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Requests kept in flight per thread.
    #[arg(long, default_value_t = 1)]
    window: usize,
    /// Measured seconds, after the warm-up.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds run before measuring.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// A request unanswered this long (ms) is a timeout and is re-sent.
    #[arg(long, default_value_t = 1000)]
    retransmit_ms: u64,
    /// Accept an echo of the request as its response (for echo-server).
    #[arg(long)]
    echo: bool,
    /// Free text copied into the JSON line (e.g. the server's name).
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Oid(#[from] ber::BerError),
    #[error(transparent)]
    Engine(#[from] engine::EngineError),
    #[error("echo server: {0}")]
    Echo(#[from] std::io::Error),
}

fn seconds(value: f64, name: &str) -> Result<Duration, CliError> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| CliError::Usage(format!("--{name} must be a non-negative number of seconds")))
}

impl LoadArgs {
    fn settings(&self) -> Result<Settings, CliError> {
        let target = self
            .target
            .to_socket_addrs()
            .ok()
            .and_then(|mut addresses| addresses.next())
            .ok_or_else(|| CliError::Usage(format!("cannot resolve --target {}", self.target)))?;
        let duration = seconds(self.duration, "duration")?;
        if duration.is_zero() {
            return Err(CliError::Usage("--duration must be above 0".into()));
        }
        Ok(Settings {
            target,
            threads: self.threads,
            window: self.window,
            warmup: seconds(self.warmup, "warmup")?,
            duration,
            retransmit_after: Duration::from_millis(self.retransmit_ms.max(1)),
            echo: self.echo,
        })
    }
}

fn rate(count: u64, settings: &Settings) -> f64 {
    count as f64 / settings.duration.as_secs_f64()
}

/// Rounds for the JSON line: rates to units, times to 0.1 µs.
fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

fn report(
    mode: &str,
    load: &LoadArgs,
    settings: &Settings,
    extra: serde_json::Value,
    tally: Tally,
) {
    let throughput = rate(tally.responses, settings);
    let varbinds_per_s = rate(tally.varbinds, settings);
    let varbinds_per_response = if tally.responses == 0 {
        0.0
    } else {
        tally.varbinds as f64 / tally.responses as f64
    };
    let walks_per_s = rate(tally.walks, settings);
    let percentiles = tally.latencies.percentiles_us(&[0.5, 0.99]);
    let p50 = percentiles.first().copied().flatten();
    let p99 = percentiles.get(1).copied().flatten();
    let mut line = json!({
        "mode": mode,
        "label": load.label,
        "target": settings.target.to_string(),
        "echo": settings.echo,
        "threads": settings.threads,
        "window": settings.window,
        "duration_s": settings.duration.as_secs_f64(),
        "responses": tally.responses,
        "throughput": round(throughput, 0),
        "p50_us": p50.map(|v| round(v, 1)),
        "p99_us": p99.map(|v| round(v, 1)),
        "errors": tally.errors,
        "timeouts": tally.timeouts,
        "stale": tally.stale,
        "refused": tally.refused,
        "varbinds": tally.varbinds,
        "varbinds_per_s": round(varbinds_per_s, 0),
        "varbinds_per_response": round(varbinds_per_response, 2),
        "walks": tally.walks,
        "walks_per_s": round(walks_per_s, 3),
    });
    if let (Some(object), serde_json::Value::Object(extra)) = (line.as_object_mut(), extra) {
        object.extend(extra);
    }
    println!("{line}");
    eprintln!(
        "snmp-load {mode} {}: {:.0} responses/s, p50 {} us, p99 {} us, {:.0} varbinds/s, \
         {} errors, {} timeouts",
        settings.target,
        throughput,
        p50.map_or("-".into(), |v| format!("{v:.1}")),
        p99.map_or("-".into(), |v| format!("{v:.1}")),
        varbinds_per_s,
        tally.errors,
        tally.timeouts,
    );
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Get { load, oid } => {
            let settings = load.settings()?;
            let oid = EncodedOid::parse(&oid)?;
            let extra = json!({ "oid": oid.to_string() });
            let community = load.community.as_bytes();
            let tally = engine::run(&settings, || Get::new(community, oid.clone()))?;
            report("get", &load, &settings, extra, tally);
        }
        Command::Walk {
            load,
            oid,
            max_repetitions,
        } => {
            let settings = load.settings()?;
            let subtree = EncodedOid::parse(&oid)?;
            let extra = json!({ "oid": subtree.to_string(), "max_repetitions": max_repetitions });
            let community = load.community.as_bytes();
            let window = settings.window;
            let tally = engine::run(&settings, || {
                Walk::new(community, subtree.clone(), max_repetitions, window)
            })?;
            report("walk", &load, &settings, extra, tally);
        }
        Command::EchoServer {
            listen,
            threads,
            lifetime,
        } => echo::serve(listen, threads, Duration::from_secs(lifetime))?,
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("snmp-load: {error}");
            ExitCode::FAILURE
        }
    }
}
