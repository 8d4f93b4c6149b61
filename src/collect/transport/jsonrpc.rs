//! JSON-RPC over HTTP POST, as Ethereum clients (2.0) and bitcoind (1.0
//! with a "jsonrpc" member tolerated) speak it.

use super::http::{HttpEndpoint, TransportError};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The node answered with a JSON-RPC error object.
    #[error("{method}: error {code}: {message}")]
    Call {
        method: String,
        code: i64,
        message: String,
    },
}

impl RpcError {
    /// Whether the node lacks the method (or its namespace is disabled):
    /// the attribute it feeds is then "not supported by this platform".
    pub fn is_method_not_found(&self) -> bool {
        match self {
            // -32601 is JSON-RPC's "method not found"; geth and Besu also
            // answer -32604 or -32000 with "not available"/"not found" text
            // for namespaces they have but do not serve.
            RpcError::Call { code, message, .. } => {
                *code == -32601
                    || message.contains("not found")
                    || message.contains("not available")
                    || message.contains("not supported")
                    || message.contains("does not exist")
            }
            // bitcoind answers an unknown method with HTTP 404 and the
            // JSON-RPC error in the body; that is parsed as Call above.
            RpcError::Transport(_) => false,
        }
    }

    pub fn is_unreachable(&self) -> bool {
        matches!(self, RpcError::Transport(t) if t.is_unreachable())
    }
}

#[derive(Debug)]
pub struct JsonRpc {
    http: HttpEndpoint,
    next_id: AtomicU64,
}

impl JsonRpc {
    pub fn new(http: HttpEndpoint) -> JsonRpc {
        JsonRpc {
            http,
            next_id: AtomicU64::new(1),
        }
    }

    pub fn endpoint(&self) -> &str {
        self.http.base()
    }

    pub async fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let (status, text) = self
            .http
            .send_json(reqwest::Method::POST, "", &body)
            .await?;
        interpret(self.endpoint(), method, status, &text)
    }
}

/// What one JSON-RPC answer means: its `result`, its error object, or a
/// protocol failure. Pure, so the fuzz target `adapter_responses` can feed
/// it whatever a node might send.
pub fn interpret(endpoint: &str, method: &str, status: u16, text: &str) -> Result<Value, RpcError> {
    // bitcoind reports RPC errors with HTTP 404/500 and a JSON body;
    // only a body that is not JSON-RPC makes the status the error.
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) if !(200..300).contains(&status) => {
            return Err(TransportError::Status {
                endpoint: endpoint.to_string(),
                status,
                body: text.chars().take(200).collect(),
            }
            .into());
        }
        Err(e) => {
            return Err(TransportError::Protocol {
                endpoint: endpoint.to_string(),
                reason: format!("{method}: not JSON: {e}"),
            }
            .into());
        }
    };
    match value.get("error") {
        Some(e) if !e.is_null() => Err(RpcError::Call {
            method: method.to_string(),
            code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        }),
        _ => match value.get("result") {
            Some(r) => Ok(r.clone()),
            None => Err(TransportError::Protocol {
                endpoint: endpoint.to_string(),
                reason: format!("{method}: neither result nor error"),
            }
            .into()),
        },
    }
}
