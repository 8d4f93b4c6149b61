//! A throwaway CA, a server certificate for IP 127.0.0.1 and a client
//! certificate made with the `openssl` CLI, for the tests that talk TLS to a
//! real peer (tests/transport_tls.rs, tests/metrics_node_exporter.rs).

use std::path::Path;
use std::process::Command;

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
