//! CometBFT's RPC over HTTP GET (`/status`, `/block?height=5`): a JSON-RPC
//! 2.0 envelope whose `result` carries the answer. 64-bit integers are
//! JSON strings, times RFC 3339 with nanoseconds.

use crate::collect::transport::http::{HttpEndpoint, TransportError};
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum CometError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The node answered with a JSON-RPC error (a height it does not have).
    #[error("{path}: error {code}: {message} {data}")]
    Call {
        path: String,
        code: i64,
        message: String,
        data: String,
    },
}

impl CometError {
    pub fn is_unreachable(&self) -> bool {
        matches!(self, CometError::Transport(t) if t.is_unreachable())
    }
}

impl crate::collect::transport::polled::Unreachable for CometError {
    fn is_unreachable(&self) -> bool {
        CometError::is_unreachable(self)
    }
}

pub async fn get(http: &HttpEndpoint, path: &str) -> Result<Value, CometError> {
    // CometBFT answers RPC errors with HTTP 500 and the error in the body.
    let (status, body) = http.get_any(path).await?;
    let v: Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(e) => {
            return Err(if (200..300).contains(&status) {
                TransportError::Protocol {
                    endpoint: http.base().to_string(),
                    reason: format!("{path}: not JSON: {e}"),
                }
            } else {
                TransportError::Status {
                    endpoint: http.base().to_string(),
                    status,
                    body: body.chars().take(200).collect(),
                }
            }
            .into());
        }
    };
    result(path, v).map_err(|e| match e {
        Unwrapped::Call(c) => c,
        Unwrapped::Missing => TransportError::Protocol {
            endpoint: http.base().to_string(),
            reason: format!("{path}: neither result nor error"),
        }
        .into(),
    })
}

enum Unwrapped {
    Call(CometError),
    Missing,
}

fn result(path: &str, mut v: Value) -> Result<Value, Unwrapped> {
    if let Some(e) = v.get("error").filter(|e| !e.is_null()) {
        let s = |k: &str| {
            e.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        return Err(Unwrapped::Call(CometError::Call {
            path: path.to_string(),
            code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: s("message"),
            data: s("data"),
        }));
    }
    match v.get_mut("result") {
        Some(r) => Ok(r.take()),
        None => Err(Unwrapped::Missing),
    }
}

/// An integer that CometBFT may send as a string ("42") or a number.
pub fn num(v: &Value, key: &str) -> u64 {
    match v.get(key) {
        Some(Value::String(s)) => s.parse().unwrap_or(0),
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}

pub fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Milliseconds since the epoch of an RFC 3339 UTC time such as
/// `2024-05-02T10:00:01.123456789Z`; None when it is not one.
pub fn rfc3339_millis(s: &str) -> Option<u64> {
    let (date, rest) = s.split_once('T')?;
    let mut d = date.splitn(3, '-');
    let (y, m, day): (i64, i64, i64) = (
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
        d.next()?.parse().ok()?,
    );
    let rest = rest.strip_suffix('Z')?;
    let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut t = hms.splitn(3, ':');
    let (hh, mm, ss): (i64, i64, i64) = (
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
        t.next()?.parse().ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let millis: i64 = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(3).collect();
        if !frac.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        format!("{digits:0<3}").parse().ok()?
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss;
    u64::try_from(secs * 1000 + millis).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_as_strings_and_times() {
        let v = json!({"a": "42", "b": 7, "c": "x"});
        assert_eq!(
            (num(&v, "a"), num(&v, "b"), num(&v, "c"), num(&v, "d")),
            (42, 7, 0, 0)
        );
        assert_eq!(rfc3339_millis("1970-01-01T00:00:01.5Z"), Some(1500));
        assert_eq!(
            rfc3339_millis("2024-05-02T10:00:01.123456789Z"),
            Some(1_714_644_001_123)
        );
        assert_eq!(
            rfc3339_millis("2024-05-02T10:00:01Z"),
            Some(1_714_644_001_000)
        );
        assert_eq!(rfc3339_millis("yesterday"), None);
        assert_eq!(rfc3339_millis("2024-13-02T10:00:01Z"), None);
    }

    #[test]
    fn envelope_result_and_error() {
        assert!(
            matches!(result("/status", json!({"jsonrpc":"2.0","id":-1,"result":{"x":1}})), Ok(r) if r["x"] == 1)
        );
        match result(
            "/block?height=99",
            json!({"jsonrpc":"2.0","id":-1,"error":{"code":-32603,"message":"Internal error","data":"height 99 must be less than or equal to the current blockchain height 50"}}),
        ) {
            Err(Unwrapped::Call(CometError::Call { code, data, .. })) => {
                assert_eq!(code, -32603);
                assert!(data.contains("current blockchain height"));
            }
            _ => panic!("expected a call error"),
        }
        assert!(matches!(result("/x", json!({})), Err(Unwrapped::Missing)));
    }
}
