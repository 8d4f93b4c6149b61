//! One node's HTTP endpoint: base URL, authentication, TLS trust and a
//! per-request timeout, built once from the node's configuration.

use crate::config::{AuthConfig, TlsConfig};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The endpoint could not be set up from its configuration (a bad CA
    /// file, an unreadable key); retrying will not help.
    #[error("{endpoint}: {reason}")]
    Setup { endpoint: String, reason: String },
    /// No answer: refused, reset, timed out.
    #[error("{endpoint}: unreachable: {reason}")]
    Unreachable { endpoint: String, reason: String },
    /// An answer, but an HTTP error status.
    #[error("{endpoint}: HTTP {status}: {body}")]
    Status {
        endpoint: String,
        status: u16,
        body: String,
    },
    /// An answer that is not what the protocol promises.
    #[error("{endpoint}: unexpected response: {reason}")]
    Protocol { endpoint: String, reason: String },
}

impl TransportError {
    /// Whether the node answered at all; a node that answers with an
    /// error is up, and must not be backed off as if it were down.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, TransportError::Unreachable { .. })
    }
}

/// How a request proves who sends it. Cookie files are read per request,
/// because bitcoind writes a new cookie at every start.
#[derive(Clone)]
enum Auth {
    None,
    Basic { user: String, password: String },
    Cookie(PathBuf),
    Bearer(String),
}

#[derive(Clone)]
pub struct HttpEndpoint {
    base: String,
    client: reqwest::Client,
    auth: Auth,
}

impl std::fmt::Debug for HttpEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpEndpoint")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl HttpEndpoint {
    /// `endpoint` is a URL; a bare `host:port` means plain HTTP.
    pub fn new(
        endpoint: &str,
        auth: Option<&AuthConfig>,
        tls: Option<&TlsConfig>,
        timeout: Duration,
    ) -> Result<HttpEndpoint, TransportError> {
        let base = if endpoint.contains("://") {
            endpoint.trim_end_matches('/').to_string()
        } else {
            format!("http://{}", endpoint.trim_end_matches('/'))
        };
        let setup = |reason: String| TransportError::Setup {
            endpoint: base.clone(),
            reason,
        };
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .pool_max_idle_per_host(2)
            .no_proxy();
        if let Some(t) = tls {
            if let Some(ca) = &t.ca_file {
                let pem = std::fs::read(ca)
                    .map_err(|e| setup(format!("CA file {}: {e}", ca.display())))?;
                let certs = reqwest::Certificate::from_pem_bundle(&pem)
                    .map_err(|e| setup(format!("CA file {}: {e}", ca.display())))?;
                builder = builder.tls_certs_only(certs);
            }
            match (&t.cert_file, &t.key_file) {
                (Some(cert), Some(key)) => {
                    let mut pem = std::fs::read(cert)
                        .map_err(|e| setup(format!("certificate {}: {e}", cert.display())))?;
                    pem.push(b'\n');
                    pem.extend(
                        std::fs::read(key)
                            .map_err(|e| setup(format!("key {}: {e}", key.display())))?,
                    );
                    let id = reqwest::Identity::from_pem(&pem)
                        .map_err(|e| setup(format!("client identity: {e}")))?;
                    builder = builder.identity(id);
                }
                (None, None) => {}
                _ => {
                    return Err(setup(
                        "a client certificate needs both cert-file and key-file".into(),
                    ));
                }
            }
        }
        let client = builder
            .build()
            .map_err(|e| setup(format!("HTTP client: {e}")))?;
        let auth = match auth {
            None => Auth::None,
            Some(a) => {
                if let Some(path) = &a.cookie_file {
                    Auth::Cookie(path.clone())
                } else if let Some(token) = &a.bearer_token {
                    Auth::Bearer(token.clone())
                } else if let Some(user) = &a.username {
                    Auth::Basic {
                        user: user.clone(),
                        password: a.password.clone().unwrap_or_default(),
                    }
                } else {
                    Auth::None
                }
            }
        };
        Ok(HttpEndpoint { base, client, auth })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> Result<reqwest::RequestBuilder, TransportError> {
        let url = format!("{}{}", self.base, path);
        let r = self.client.request(method, url);
        Ok(match &self.auth {
            Auth::None => r,
            Auth::Basic { user, password } => r.basic_auth(user, Some(password)),
            Auth::Bearer(token) => r.bearer_auth(token),
            Auth::Cookie(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| TransportError::Setup {
                    endpoint: self.base.clone(),
                    reason: format!("cookie file {}: {e}", path.display()),
                })?;
                let (user, password) =
                    text.trim()
                        .split_once(':')
                        .ok_or_else(|| TransportError::Setup {
                            endpoint: self.base.clone(),
                            reason: format!("cookie file {}: no user:password", path.display()),
                        })?;
                r.basic_auth(user, Some(password))
            }
        })
    }

    async fn send(&self, r: reqwest::RequestBuilder) -> Result<(u16, String), TransportError> {
        let resp = r.send().await.map_err(|e| TransportError::Unreachable {
            endpoint: self.base.clone(),
            reason: error_chain(&e),
        })?;
        let status = resp.status().as_u16();
        let body = resp.text().await.map_err(|e| TransportError::Unreachable {
            endpoint: self.base.clone(),
            reason: error_chain(&e),
        })?;
        Ok((status, body))
    }

    /// GET `path`; any status is returned with its body, for services
    /// (Fabric's /healthz) whose error statuses carry meaning.
    pub async fn get_any(&self, path: &str) -> Result<(u16, String), TransportError> {
        self.send(self.request(reqwest::Method::GET, path)?).await
    }

    /// GET `path`; a non-2xx status is an error.
    pub async fn get_text(&self, path: &str) -> Result<String, TransportError> {
        let (status, body) = self.get_any(path).await?;
        self.ok(status, body)
    }

    /// GET `path` with an `Accept` header, reading at most `max_bytes` of
    /// the body: a larger answer is refused without being kept, so a
    /// misconfigured or hostile endpoint cannot make the agent buffer
    /// without bound. A non-2xx status is an error.
    pub async fn get_text_bounded(
        &self,
        path: &str,
        accept: &str,
        max_bytes: usize,
    ) -> Result<String, TransportError> {
        let r = self
            .request(reqwest::Method::GET, path)?
            .header(reqwest::header::ACCEPT, accept);
        let unreachable = |e: reqwest::Error| TransportError::Unreachable {
            endpoint: self.base.clone(),
            reason: error_chain(&e),
        };
        let too_large = || TransportError::Protocol {
            endpoint: self.base.clone(),
            reason: format!("body larger than {max_bytes} octets"),
        };
        let mut resp = r.send().await.map_err(unreachable)?;
        let status = resp.status().as_u16();
        if resp.content_length().is_some_and(|n| n > max_bytes as u64) {
            return Err(too_large());
        }
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > max_bytes {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let text = String::from_utf8(body).map_err(|_| TransportError::Protocol {
            endpoint: self.base.clone(),
            reason: "body is not UTF-8".into(),
        })?;
        self.ok(status, text)
    }

    pub async fn get_json(&self, path: &str) -> Result<Value, TransportError> {
        let body = self.get_text(path).await?;
        self.parse(&body)
    }

    /// Send `body` as JSON with `method` (POST for JSON-RPC, PUT for
    /// Fabric's /logspec) and return the response body.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<(u16, String), TransportError> {
        let r = self.request(method, path)?.json(body);
        self.send(r).await
    }

    fn ok(&self, status: u16, body: String) -> Result<String, TransportError> {
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(TransportError::Status {
                endpoint: self.base.clone(),
                status,
                body: body.chars().take(200).collect(),
            })
        }
    }

    pub fn parse(&self, body: &str) -> Result<Value, TransportError> {
        serde_json::from_str(body).map_err(|e| TransportError::Protocol {
            endpoint: self.base.clone(),
            reason: format!("not JSON: {e}"),
        })
    }
}

/// reqwest's top-level message ("error sending request") hides the cause;
/// operators need "connection refused" or "timed out".
fn error_chain(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
