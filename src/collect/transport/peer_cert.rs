//! The certificate a node's TLS endpoint presents, read by a handshake of
//! its own: connect, take the end-entity certificate the server sends,
//! close. Nothing is sent over the connection, so the certificate is not
//! checked against any trust anchor here: what matters is the date of the
//! one presented, also when it has expired or is not trusted (the
//! endpoint's own requests, through [`super::HttpEndpoint`], check trust;
//! an expired certificate fails them, which is exactly when its date must
//! still be read). The handshake's signature is still verified, with the
//! same rustls provider reqwest uses.
//!
//! The date is read with RustCrypto's `x509-cert`: it decodes with the
//! `der` crate already in the tree for the agent's other crypto, and it
//! is maintained with the rest of RustCrypto's formats; only the
//! `notAfter` of the TBS certificate is needed.

use crate::model::UnixMillis;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use x509_cert::der::Decode;

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// Not an https:// URL with a host: nothing to read.
    #[error("{0}: not an https URL")]
    NotTls(String),
    /// No TCP connection, or no certificate before the timeout.
    #[error("{endpoint}: unreachable: {reason}")]
    Unreachable { endpoint: String, reason: String },
    /// The server sent a certificate the agent cannot read.
    #[error("{endpoint}: certificate unreadable: {reason}")]
    Unreadable { endpoint: String, reason: String },
}

/// `(host, port)` of an `https://` URL (port 443 when none is given);
/// None for any other URL, which presents no certificate.
pub fn tls_target(url: &str) -> Option<(String, u16)> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    // user:password@host is not for a node endpoint, but is no host.
    let authority = authority.rsplit('@').next()?;
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => 443,
    };
    Some((host.to_string(), port))
}

/// The `notAfter` of a DER certificate, in Unix milliseconds (0 for a
/// date before 1970, which RFC 5280's UTCTime cannot hold anyway).
pub fn not_after(der: &[u8]) -> Result<UnixMillis, String> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|e| e.to_string())?;
    let d = cert
        .tbs_certificate()
        .validity()
        .not_after
        .to_unix_duration();
    Ok(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The `notAfter` of the certificate `url` presents now, within
/// `timeout`.
pub async fn read_not_after(url: &str, timeout: Duration) -> Result<UnixMillis, CertError> {
    let (host, port) = tls_target(url).ok_or_else(|| CertError::NotTls(url.to_string()))?;
    let unreachable = |reason: String| CertError::Unreachable {
        endpoint: url.to_string(),
        reason,
    };
    let der = tokio::time::timeout(timeout, presented(&host, port))
        .await
        .map_err(|_| unreachable("timed out".into()))?
        .map_err(unreachable)?;
    not_after(&der).map_err(|reason| CertError::Unreadable {
        endpoint: url.to_string(),
        reason,
    })
}

/// The end-entity certificate `host:port` presents in a handshake.
async fn presented(host: &str, port: u16) -> Result<Vec<u8>, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let seen = Arc::new(Mutex::new(None));
    let verifier = Arc::new(Capture {
        seen: seen.clone(),
        algorithms: provider.signature_verification_algorithms,
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    let tcp = TcpStream::connect((host, port))
        .await
        .map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    // A server that wants a client certificate refuses the handshake
    // after it sent its own: what was seen counts, whatever the outcome.
    let outcome = connector.connect(name, tcp).await;
    let taken = seen.lock().ok().and_then(|mut s| s.take());
    match (taken, outcome) {
        (Some(der), Ok(mut tls)) => {
            // close_notify; the server's answer is not needed.
            let _ = tls.shutdown().await;
            Ok(der)
        }
        (Some(der), Err(_)) => Ok(der),
        (None, Err(e)) => Err(format!("TLS handshake: {e}")),
        (None, Ok(_)) => Err("the server presented no certificate".into()),
    }
}

/// Keeps the end-entity certificate the server presents and accepts it:
/// see the module's documentation for why no trust anchor is checked.
#[derive(Debug)]
struct Capture {
    seen: Arc<Mutex<Option<Vec<u8>>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Capture {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut s) = self.seen.lock() {
            *s = Some(end_entity.to_vec());
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_urls_have_a_target() {
        assert_eq!(
            tls_target("https://127.0.0.1:8545"),
            Some(("127.0.0.1".into(), 8545))
        );
        assert_eq!(
            tls_target("https://node.example/metrics"),
            Some(("node.example".into(), 443))
        );
        assert_eq!(
            tls_target("https://[::1]:9100/metrics"),
            Some(("::1".into(), 9100))
        );
        assert_eq!(tls_target("http://127.0.0.1:8545"), None);
        assert_eq!(tls_target("127.0.0.1:8545"), None);
        assert_eq!(tls_target("https://:1"), None);
        assert_eq!(tls_target("https://h:port"), None);
    }

    #[test]
    fn a_certificate_that_is_not_der_is_unreadable() {
        assert!(not_after(b"not a certificate").is_err());
    }
}
