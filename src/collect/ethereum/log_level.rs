//! Run-time log levels: Besu's `admin_changeLogLevel` takes a level name
//! (and optional logger filters); geth's `debug_verbosity` takes a number,
//! 0 (critical) to 5 (trace), and EthereumJS serves the same method. None
//! of them has a getter, so the node's log spec is the last one it accepted.

use crate::collect::adapter::AdapterError;
use crate::collect::transport::{JsonRpc, RpcError};
use serde_json::{Value, json};

const LEVELS: [&str; 6] = ["crit", "error", "warn", "info", "debug", "trace"];

/// geth verbosity for `spec`: a number 0–5 or a level name.
pub fn verbosity(spec: &str) -> Option<u64> {
    let s = spec.trim().to_ascii_lowercase();
    if let Ok(n) = s.parse::<u64>() {
        return (n <= 5).then_some(n);
    }
    let s = match s.as_str() {
        "critical" | "fatal" => "crit",
        "warning" => "warn",
        other => other,
    };
    LEVELS.iter().position(|l| *l == s).map(|i| i as u64)
}

/// Besu parameters for `LEVEL` or `LEVEL:logger,logger`.
pub fn besu_params(spec: &str) -> Option<Value> {
    let (level, filters) = match spec.split_once(':') {
        Some((l, f)) => (l, Some(f)),
        None => (spec, None),
    };
    let level = level.trim().to_ascii_uppercase();
    const BESU: [&str; 7] = ["OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"];
    if !BESU.contains(&level.as_str()) {
        return None;
    }
    Some(match filters {
        Some(f) => json!([level, f.split(',').map(str::trim).collect::<Vec<_>>()]),
        None => json!([level]),
    })
}

fn is_besu(client: &str) -> bool {
    client.eq_ignore_ascii_case("besu")
}

/// Push `spec` to the node; `Ok` is the spec now in force.
pub async fn apply(rpc: &JsonRpc, client: &str, spec: &str) -> Result<String, AdapterError> {
    let (method, params) = if is_besu(client) {
        let p = besu_params(spec).ok_or_else(|| {
            AdapterError::Rejected(format!(
                "'{spec}': Besu wants LEVEL or LEVEL:logger,… (OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE)"
            ))
        })?;
        ("admin_changeLogLevel", p)
    } else {
        let n = verbosity(spec).ok_or_else(|| {
            AdapterError::Rejected(format!(
                "'{spec}': debug_verbosity wants 0-5 or crit, error, warn, info, debug, trace"
            ))
        })?;
        ("debug_verbosity", json!([n]))
    };
    match rpc.call(method, params).await {
        Ok(_) => Ok(spec.trim().to_string()),
        Err(e) if e.is_method_not_found() => Err(AdapterError::NotSupported(format!(
            "log level changes on {client}"
        ))),
        Err(e) => Err(rpc_error(rpc, e)),
    }
}

pub fn rpc_error(rpc: &JsonRpc, e: RpcError) -> AdapterError {
    match e {
        RpcError::Call { .. } => AdapterError::Rejected(e.to_string()),
        e if e.is_unreachable() => AdapterError::Unreachable {
            endpoint: rpc.endpoint().to_string(),
            reason: e.to_string(),
        },
        e => AdapterError::Protocol {
            endpoint: rpc.endpoint().to_string(),
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_numbers_and_names() {
        assert_eq!(verbosity("3"), Some(3));
        assert_eq!(verbosity("DEBUG"), Some(4));
        assert_eq!(verbosity("warning"), Some(2));
        assert_eq!(verbosity("6"), None);
        assert_eq!(verbosity("loud"), None);
    }

    #[test]
    fn besu_levels_and_filters() {
        assert_eq!(besu_params("debug"), Some(json!(["DEBUG"])));
        assert_eq!(
            besu_params("TRACE:org.hyperledger.besu.ethereum, org.hyperledger.besu.consensus"),
            Some(json!([
                "TRACE",
                [
                    "org.hyperledger.besu.ethereum",
                    "org.hyperledger.besu.consensus"
                ]
            ]))
        );
        assert_eq!(besu_params("4"), None);
    }
}
