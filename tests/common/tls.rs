//! A throwaway CA, a server certificate for IP 127.0.0.1 and a client
//! certificate made with the `openssl` CLI, for the tests that talk TLS to a
//! real peer (tests/transport_tls.rs, tests/metrics_node_exporter.rs),
//! and `openssl s_server` presenting a certificate of a chosen lifetime
//! (tests/transport_tls.rs, tests/endpoint_certificate.rs).

#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `openssl` with `args` in `dir`; a missing openssl fails the test
/// with the command that installs it.
pub fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("openssl CLI not runnable ({e}): run `bash tools/setup` to install it")
        });
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, a server certificate for IP 127.0.0.1 and a client certificate,
/// all P-256 keys in PKCS#8 PEM, valid for two days.
pub fn make_certificates(dir: &Path) {
    let p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
    let mut ca = vec!["req", "-x509"];
    ca.extend(p256);
    ca.extend([
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=chain-agent-test-ca",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(dir, &ca);
    let extensions = [
        (
            "server",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n",
        ),
        (
            "client",
            "extendedKeyUsage=clientAuth\nbasicConstraints=critical,CA:FALSE\n",
        ),
    ];
    for (name, ext) in extensions {
        std::fs::write(dir.join(format!("{name}.ext")), ext).expect("write extensions");
        let (key, csr, crt, subj) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.crt"),
            format!("/CN=chain-agent-test-{name}"),
        );
        let mut req = vec!["req"];
        req.extend(p256);
        req.extend(["-nodes", "-keyout", &key, "-out", &csr, "-subj", &subj]);
        openssl(dir, &req);
        let ext_file = format!("{name}.ext");
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                &ext_file,
                "-out",
                &crt,
            ],
        );
    }
}

/// `openssl s_server` presenting `cert` on a loopback `port`; killed on
/// drop, also when a test panics.
pub struct CertServer(Child);

impl CertServer {
    pub fn start(dir: &Path, port: u16, cert: &str, key: &str) -> CertServer {
        let child = Command::new("openssl")
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}")])
            .args(["-cert", cert, "-key", key, "-www", "-quiet"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl is needed for the TLS peer: run `bash tools/setup`");
        let server = CertServer(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "openssl s_server did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for CertServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A self-signed certificate for 127.0.0.1 valid for `days`.
pub fn self_signed(dir: &Path, name: &str, days: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            days,
            "-subj",
            &format!("/CN=chain-agent-test-{name}"),
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
    );
}
