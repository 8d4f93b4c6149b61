//! Fabric's `/healthz`: 200 with `{"status":"OK"}`, or 503 with the checks
//! that failed. A failed check means the process runs but a component it
//! depends on (CouchDB, the chaincode runtime, ...) does not, so the node
//! is degraded rather than down.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct FailedCheck {
    pub component: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    pub ok: bool,
    pub failed_checks: Vec<FailedCheck>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HealthError {
    #[error("/healthz: HTTP {0} is neither 200 nor 503")]
    Status(u16),
    #[error("/healthz: not JSON: {0}")]
    NotJson(String),
}

pub fn parse(status: u16, body: &str) -> Result<Health, HealthError> {
    if status != 200 && status != 503 {
        return Err(HealthError::Status(status));
    }
    let v: Value = serde_json::from_str(body).map_err(|e| HealthError::NotJson(e.to_string()))?;
    let failed_checks: Vec<FailedCheck> = v
        .get("failed_checks")
        .and_then(Value::as_array)
        .map(|checks| {
            checks
                .iter()
                .map(|c| FailedCheck {
                    component: text(c, "component"),
                    reason: text(c, "reason"),
                })
                .collect()
        })
        .unwrap_or_default();
    let ok = status == 200 && v.get("status").and_then(Value::as_str) == Some("OK");
    Ok(Health { ok, failed_checks })
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_and_failed_checks() {
        let h = parse(200, r#"{"status":"OK","time":"2024-05-02T10:00:00Z"}"#).unwrap();
        assert!(h.ok);
        assert!(h.failed_checks.is_empty());
        let h = parse(
            503,
            r#"{"status":"Service Unavailable","time":"2024-05-02T10:00:00Z",
                "failed_checks":[{"component":"couchdb","reason":"failed to connect to couch db [Head \"http://couchdb:5984\": dial tcp: lookup couchdb: no such host]"}]}"#,
        )
        .unwrap();
        assert!(!h.ok);
        assert_eq!(h.failed_checks.len(), 1);
        assert_eq!(h.failed_checks[0].component, "couchdb");
        assert!(h.failed_checks[0].reason.contains("no such host"));
    }

    #[test]
    fn other_statuses_and_garbage_are_errors() {
        assert_eq!(
            parse(404, "404 page not found"),
            Err(HealthError::Status(404))
        );
        assert!(matches!(parse(200, "<html>"), Err(HealthError::NotJson(_))));
    }
}
