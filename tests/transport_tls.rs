//! The southbound HTTP transport against a real TLS peer: a throwaway CA,
//! server and client certificates made with the `openssl` CLI, served by
//! tests/data/tls_server.py (Python's http.server + ssl), which echoes the
//! Authorization header and client certificate it received.

#[path = "common/tls.rs"]
mod tls;

use chain_agent::collect::transport::{HttpEndpoint, JsonRpc, RpcError, TransportError};
use chain_agent::config::{AuthConfig, TlsConfig};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tls::{CertServer, make_certificates, openssl, self_signed};

const TIMEOUT: Duration = Duration::from_secs(5);

/// tls_server.py with its four ports, and the certificates it uses;
/// the server is killed on drop, also when a test panics.
struct Peer {
    child: Child,
    ports: Value,
    dir: tempfile::TempDir,
}

impl Peer {
    fn start() -> Peer {
        let dir = tempfile::tempdir().expect("tempdir");
        make_certificates(dir.path());
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["ca.crt", "server.crt", "server.key"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 is needed for the TLS peer: run `bash tools/setup`");
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        let read = BufReader::new(out).read_line(&mut line);
        let ports = match (read, serde_json::from_str::<Value>(&line)) {
            (Ok(_), Ok(v)) => v,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("tls_server.py printed {line:?} instead of its ports")
            }
        };
        Peer { child, ports, dir }
    }

    fn port(&self, mode: &str) -> u64 {
        self.ports[mode].as_u64().expect("port of mode")
    }

    fn https(&self, mode: &str) -> String {
        format!("https://127.0.0.1:{}", self.port(mode))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Trust in the throwaway CA, with or without the client certificate.
    fn tls(&self, client_cert: bool) -> TlsConfig {
        TlsConfig {
            ca_file: Some(self.file("ca.crt")),
            cert_file: client_cert.then(|| self.file("client.crt")),
            key_file: client_cert.then(|| self.file("client.key")),
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn endpoint(url: &str, auth: Option<&AuthConfig>, tls: Option<&TlsConfig>) -> HttpEndpoint {
    HttpEndpoint::new(url, auth, tls, TIMEOUT).expect("endpoint set up")
}

#[tokio::test]
async fn mutual_tls_with_private_ca_succeeds_and_presents_the_client_certificate() {
    let peer = Peer::start();
    let tls = peer.tls(true);
    let http = endpoint(&peer.https("mtls"), None, Some(&tls));
    let seen = http.get_json("/healthz").await.expect("GET over mTLS");
    assert_eq!(seen["path"], "/healthz");
    assert_eq!(seen["client_cn"], "chain-agent-test-client");
    assert_eq!(seen["authorization"], Value::Null);

    let rpc = JsonRpc::new(http);
    let result = rpc
        .call("eth_blockNumber", json!([]))
        .await
        .expect("JSON-RPC over mTLS");
    assert_eq!(result["method"], "POST");
    assert_eq!(result["rpc_method"], "eth_blockNumber");
    assert_eq!(result["client_cn"], "chain-agent-test-client");
}

#[tokio::test]
async fn mutual_tls_accepts_a_sec1_ec_key() {
    let peer = Peer::start();
    // `openssl ecparam -genkey` and older tooling write "EC PRIVATE KEY".
    openssl(
        peer.dir.path(),
        &["ec", "-in", "client.key", "-out", "client-sec1.key"],
    );
    let sec1 = std::fs::read_to_string(peer.file("client-sec1.key")).expect("read key");
    assert!(sec1.contains("BEGIN EC PRIVATE KEY"), "{sec1}");
    let tls = TlsConfig {
        key_file: Some(peer.file("client-sec1.key")),
        ..peer.tls(true)
    };
    let http = endpoint(&peer.https("mtls"), None, Some(&tls));
    let seen = http.get_json("/").await.expect("GET over mTLS");
    assert_eq!(seen["client_cn"], "chain-agent-test-client");
}

#[tokio::test]
async fn without_the_private_ca_the_server_certificate_is_refused() {
    let peer = Peer::start();
    // System roots only: the throwaway CA is unknown to them.
    let http = endpoint(&peer.https("tls"), None, None);
    let err = http.get_text("/").await.expect_err("untrusted certificate");
    assert!(err.is_unreachable(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.to_lowercase().contains("certificate"),
        "error should name the certificate: {text}"
    );

    // The same server is fine once its CA is trusted.
    let tls = peer.tls(false);
    let trusted = endpoint(&peer.https("tls"), None, Some(&tls));
    let seen = trusted.get_json("/").await.expect("trusted CA");
    assert_eq!(seen["client_cn"], Value::Null);
}

#[tokio::test]
async fn mutual_tls_server_refuses_a_client_without_certificate() {
    let peer = Peer::start();
    let tls = peer.tls(false);
    let http = endpoint(&peer.https("mtls"), None, Some(&tls));
    let err = http
        .get_text("/")
        .await
        .expect_err("mTLS without client certificate");
    assert!(err.is_unreachable(), "{err:?}");
    // TLS 1.3: the server's certificate_required alert arrives after the
    // client has sent its request, so it surfaces as a connection error.
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "error should name the missing certificate: {err}"
    );
    let rpc = JsonRpc::new(http);
    let err = rpc.call("eth_chainId", json!([])).await.expect_err("rpc");
    assert!(err.is_unreachable(), "{err:?}");
}

#[tokio::test]
async fn basic_auth_sends_user_and_password() {
    let peer = Peer::start();
    let auth = AuthConfig {
        username: Some("user".into()),
        password: Some("pass".into()),
        ..AuthConfig::default()
    };
    // A bare host:port is plain HTTP.
    let http = endpoint(
        &format!("127.0.0.1:{}", peer.port("plain")),
        Some(&auth),
        None,
    );
    assert!(http.base().starts_with("http://"), "{}", http.base());
    let seen = http.get_json("/").await.expect("GET");
    // printf 'user:pass' | base64
    assert_eq!(seen["authorization"], "Basic dXNlcjpwYXNz");
    let result = JsonRpc::new(http)
        .call("getblockcount", json!([]))
        .await
        .expect("rpc");
    assert_eq!(result["authorization"], "Basic dXNlcjpwYXNz");
}

#[tokio::test]
async fn cookie_file_is_read_at_each_request() {
    let peer = Peer::start();
    let cookie = peer.file(".cookie");
    std::fs::write(&cookie, "__cookie__:first\n").expect("write cookie");
    let auth = AuthConfig {
        cookie_file: Some(cookie.clone()),
        ..AuthConfig::default()
    };
    let rpc = JsonRpc::new(endpoint(
        &format!("http://127.0.0.1:{}/", peer.port("plain")),
        Some(&auth),
        None,
    ));
    let first = rpc.call("getblockcount", json!([])).await.expect("first");
    // printf '__cookie__:first' | base64
    assert_eq!(first["authorization"], "Basic X19jb29raWVfXzpmaXJzdA==");

    // A restarted bitcoind writes a new cookie.
    std::fs::write(&cookie, "__cookie__:second").expect("rewrite cookie");
    let second = rpc.call("getblockcount", json!([])).await.expect("second");
    // printf '__cookie__:second' | base64
    assert_eq!(second["authorization"], "Basic X19jb29raWVfXzpzZWNvbmQ=");

    // A cookie that vanished (node stopped) is a setup error naming it.
    std::fs::remove_file(&cookie).expect("remove cookie");
    match rpc.call("getblockcount", json!([])).await {
        Err(RpcError::Transport(TransportError::Setup { reason, .. })) => {
            assert!(reason.contains(".cookie"), "{reason}")
        }
        other => panic!("expected a setup error, got {other:?}"),
    }
}

#[tokio::test]
async fn bearer_token_is_sent_over_tls() {
    let peer = Peer::start();
    let auth = AuthConfig {
        bearer_token: Some("s3cret-token".into()),
        ..AuthConfig::default()
    };
    let tls = peer.tls(true);
    let http = endpoint(&peer.https("mtls"), Some(&auth), Some(&tls));
    let seen = http.get_json("/metrics").await.expect("GET");
    assert_eq!(seen["authorization"], "Bearer s3cret-token");
    let (status, body) = http
        .send_json(reqwest::Method::PUT, "/logspec", &json!({"spec": "info"}))
        .await
        .expect("PUT");
    assert_eq!(status, 200);
    let seen: Value = serde_json::from_str(&body).expect("JSON body");
    assert_eq!(seen["method"], "PUT");
    assert_eq!(seen["body"], json!({"spec": "info"}));
    assert_eq!(seen["authorization"], "Bearer s3cret-token");
}

#[tokio::test]
async fn error_statuses_are_kept_by_get_any_and_refused_by_get_text() {
    let peer = Peer::start();
    let tls = peer.tls(false);
    let http = endpoint(&peer.https("tls"), None, Some(&tls));
    let (status, body) = http.get_any("/status/503").await.expect("get_any");
    assert_eq!(status, 503);
    assert!(body.contains("/status/503"), "{body}");
    match http.get_text("/status/503").await {
        Err(TransportError::Status { status: 503, .. }) => {}
        other => panic!("expected HTTP 503, got {other:?}"),
    }
}

#[test]
fn missing_tls_files_are_setup_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    make_certificates(dir.path());
    let missing = dir.path().join("no-such-client.key");
    let tls = TlsConfig {
        ca_file: Some(dir.path().join("ca.crt")),
        cert_file: Some(dir.path().join("client.crt")),
        key_file: Some(missing.clone()),
    };
    match HttpEndpoint::new("https://127.0.0.1:1", None, Some(&tls), TIMEOUT) {
        Err(TransportError::Setup { reason, .. }) => {
            assert!(reason.contains(&missing.display().to_string()), "{reason}")
        }
        other => panic!("expected a setup error, got {other:?}"),
    }

    let missing_ca = dir.path().join("no-such-ca.crt");
    let tls = TlsConfig {
        ca_file: Some(missing_ca.clone()),
        ..TlsConfig::default()
    };
    match HttpEndpoint::new("https://127.0.0.1:1", None, Some(&tls), TIMEOUT) {
        Err(TransportError::Setup { reason, .. }) => {
            assert!(
                reason.contains(&missing_ca.display().to_string()),
                "{reason}"
            )
        }
        other => panic!("expected a setup error, got {other:?}"),
    }

    // A key file that is not a key (the certificate given twice).
    let tls = TlsConfig {
        key_file: Some(dir.path().join("client.crt")),
        ..tls_with(dir.path())
    };
    match HttpEndpoint::new("https://127.0.0.1:1", None, Some(&tls), TIMEOUT) {
        Err(TransportError::Setup { .. }) => {}
        other => panic!("expected a setup error, got {other:?}"),
    }

    // Half a client identity is refused rather than silently dropped.
    let tls = TlsConfig {
        key_file: None,
        ..tls_with(dir.path())
    };
    match HttpEndpoint::new("https://127.0.0.1:1", None, Some(&tls), TIMEOUT) {
        Err(TransportError::Setup { reason, .. }) => {
            assert!(reason.contains("key-file"), "{reason}")
        }
        other => panic!("expected a setup error, got {other:?}"),
    }
}

fn tls_with(dir: &Path) -> TlsConfig {
    TlsConfig {
        ca_file: Some(dir.join("ca.crt")),
        cert_file: Some(dir.join("client.crt")),
        key_file: Some(dir.join("client.key")),
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_configured_timeout() {
    let peer = Peer::start();
    let timeout = Duration::from_millis(700);
    let url = format!("http://127.0.0.1:{}", peer.port("silent"));
    let rpc = JsonRpc::new(HttpEndpoint::new(&url, None, None, timeout).expect("endpoint"));
    let started = Instant::now();
    let err = rpc
        .call("getblockcount", json!([]))
        .await
        .expect_err("silent server");
    let took = started.elapsed();
    assert!(err.is_unreachable(), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(
        took >= Duration::from_millis(600),
        "gave up early: {took:?}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");

    // The same over TLS: a handshake that never completes.
    let tls = peer.tls(true);
    let url = format!("https://127.0.0.1:{}", peer.port("silent"));
    let http = HttpEndpoint::new(&url, None, Some(&tls), timeout).expect("endpoint");
    let started = Instant::now();
    let err = http.get_text("/").await.expect_err("silent TLS server");
    assert!(err.is_unreachable(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn json_rpc_error_objects_are_call_errors() {
    let peer = Peer::start();
    let tls = peer.tls(true);
    let rpc = JsonRpc::new(endpoint(&peer.https("mtls"), None, Some(&tls)));

    match rpc.call("missing", json!([])).await {
        Err(e @ RpcError::Call { .. }) => {
            assert!(e.is_method_not_found(), "{e}");
            assert!(!e.is_unreachable(), "{e}");
            let RpcError::Call { code, method, .. } = &e else {
                unreachable!()
            };
            assert_eq!((*code, method.as_str()), (-32601, "missing"));
        }
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
    // bitcoind: HTTP 404 with the JSON-RPC error in the body.
    match rpc.call("missing_404", json!([])).await {
        Err(e @ RpcError::Call { code: -32601, .. }) => assert!(e.is_method_not_found()),
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
    match rpc.call("bad_params", json!([1])).await {
        Err(e @ RpcError::Call { code: -32602, .. }) => {
            assert!(!e.is_method_not_found(), "{e}")
        }
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
    // Ids advance, and params reach the node.
    let r = rpc.call("echo", json!(["a", 1])).await.expect("echo");
    assert_eq!(r["params"], json!(["a", 1]));
}

/// The platform side of the node, which answers nothing of interest
/// here: the certificate is read beside it.
struct OneNode(String);

#[async_trait::async_trait]
impl chain_agent::collect::ChainAdapter for OneNode {
    fn platform(&self) -> chain_agent::model::chain::Platform {
        chain_agent::model::chain::Platform::Ethereum
    }

    fn capabilities(&self) -> chain_agent::collect::Capabilities {
        chain_agent::collect::capabilities(self.platform())
    }

    async fn collect(
        &mut self,
    ) -> Result<chain_agent::collect::ChainObservation, chain_agent::collect::AdapterError> {
        use chain_agent::model::chain::{ConsensusType, ManagedChain, Platform};
        use chain_agent::model::node::{AdminState, Node, NodeRole, OperState};
        let node = Node {
            chain: "c".into(),
            id: "n1".into(),
            identity: String::new(),
            role: NodeRole::Peer,
            endpoint: self.0.clone(),
            software: Default::default(),
            hardware: Default::default(),
            admin_state: AdminState::Up,
            oper_state: OperState::Up,
            oper_changed: 0,
            log_spec: String::new(),
            unsupported: Vec::new(),
        };
        Ok(chain_agent::collect::ChainObservation {
            chain: ManagedChain {
                id: "c".into(),
                name: "c".into(),
                platform: Platform::Ethereum,
                chain_id: String::new(),
                consensus_type: ConsensusType::ProofOfAuthority,
                genesis_hash: String::new(),
                node_count: 1,
            },
            nodes: vec![chain_agent::collect::NodeObservation {
                node,
                reachable: true,
                height: 1,
                head_hash: String::new(),
                recent_hashes: Vec::new(),
                links: Vec::new(),
                performance: chain_agent::model::performance::NodePerformance {
                    chain: "c".into(),
                    node: "n1".into(),
                    sampled_at: chain_agent::model::now_millis(),
                    ..Default::default()
                },
            }],
            blocks: Vec::new(),
            target_block_interval_ms: None,
            max_block_transactions: None,
            members: Vec::new(),
            consensus: None,
            contracts: Vec::new(),
            executions: Vec::new(),
            channels: Vec::new(),
            transfers: Vec::new(),
            events: Vec::new(),
        })
    }

    async fn block_hash(
        &mut self,
        _node: &str,
        _height: u64,
    ) -> Result<Option<String>, chain_agent::collect::AdapterError> {
        Ok(None)
    }

    async fn apply(
        &mut self,
        _change: &chain_agent::collect::AdapterChange,
    ) -> Result<(), chain_agent::collect::AdapterError> {
        Ok(())
    }
}

/// issue 14 §2: a node endpoint presenting a certificate that expires in
/// 5 days raises endpoint-certificate-expiring, naming the days, the
/// date and the threshold; the same endpoint restarted with a renewed
/// certificate clears it.
#[tokio::test]
async fn a_certificate_expiring_in_five_days_raises_the_alarm_and_its_renewal_clears_it() {
    use chain_agent::collect::certs::CertificateAdapter;
    use chain_agent::collect::transport::peer_cert;
    use chain_agent::core::detect_certs;
    use chain_agent::model::alarm::{AlarmType, Severity};

    const DAY: u64 = 86_400_000;
    let dir = tempfile::tempdir().expect("tempdir");
    self_signed(dir.path(), "expiring", "5");
    self_signed(dir.path(), "renewed", "365");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let url = format!("https://127.0.0.1:{port}");
    let server = CertServer::start(dir.path(), port, "expiring.crt", "expiring.key");

    // The transport reads the notAfter the server presents (self-signed:
    // trusted by nothing, read all the same).
    let before = chain_agent::model::now_millis();
    let not_after = peer_cert::read_not_after(&url, TIMEOUT)
        .await
        .expect("certificate read");
    assert!(
        not_after > before + 4 * DAY && not_after <= before + 5 * DAY + 60_000,
        "notAfter {not_after} is not 5 days after {before}"
    );
    // Plain HTTP presents no certificate.
    assert!(matches!(
        peer_cert::read_not_after(&format!("http://127.0.0.1:{port}"), TIMEOUT).await,
        Err(peer_cert::CertError::NotTls(_))
    ));

    // The node's collection carries the days left and the endpoint...
    let mut chain =
        chain_agent::config::ChainConfig::new(chain_agent::model::chain::Platform::Ethereum);
    chain.nodes.insert(
        "n1".into(),
        chain_agent::config::NodeConfig {
            endpoint: Some(url.clone()),
            ..Default::default()
        },
    );
    let mut adapter =
        CertificateAdapter::wrap_every("c", &chain, Box::new(OneNode(url.clone())), Duration::ZERO);
    let obs = adapter.collect().await.expect("collect");
    let perf = obs.nodes[0].performance.clone();
    // 5 days less the seconds since the certificate was made, rounded down.
    assert_eq!(perf.certificate_days_left, Some(4));
    assert_eq!(perf.certificate_not_after, Some(not_after));
    assert_eq!(perf.certificate_endpoint.as_deref(), Some(url.as_str()));

    // ...which raises the alarm under the default 30 days: major under 7.
    let alarm = detect_certs::expiring("c", &perf).expect("alarm raised");
    assert_eq!(alarm.alarm_type, AlarmType::EndpointCertificateExpiring);
    assert_eq!(alarm.resource, "/chains/c/nodes/n1");
    assert_eq!(alarm.severity, Severity::Major);
    let problem = &alarm.specific_problem;
    assert!(
        problem.starts_with(&format!(
            "certificate of {url} expires in 4 days (notAfter "
        )) && problem.ends_with("), threshold 30 days"),
        "{problem}"
    );

    // Renewed: the endpoint restarts with a year-long certificate.
    drop(server);
    let _server = CertServer::start(dir.path(), port, "renewed.crt", "renewed.key");
    let obs = adapter.collect().await.expect("collect");
    let perf = &obs.nodes[0].performance;
    assert_eq!(perf.certificate_days_left, Some(364));
    assert!(
        detect_certs::expiring("c", perf).is_none(),
        "cleared after the renewal"
    );
}
