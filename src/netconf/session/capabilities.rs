//! The capabilities the server announces in its `<hello>`.

use crate::netconf::transport::envelope::{BASE_1_0, BASE_1_1};
use crate::netconf::yang::Schema;

const CAP: &str = "urn:ietf:params:netconf:capability:";

pub const WITH_DEFAULTS_NS: &str = "urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults";

/// Every capability, then one URI per implemented module (RFC 6020 5.6.4
/// style, which ncclient and netconf-console2 read to list the schemas),
/// then the YANG library capability of RFC 7950 5.6.4.
pub fn server(schema: &Schema) -> Vec<String> {
    let mut caps: Vec<String> = vec![BASE_1_0.into(), BASE_1_1.into()];
    for c in [
        "writable-running:1.0",
        "candidate:1.0",
        "confirmed-commit:1.0",
        "confirmed-commit:1.1",
        "rollback-on-error:1.0",
        "validate:1.0",
        "validate:1.1",
        "startup:1.0",
        "xpath:1.0",
        "notification:1.0",
        "interleave:1.0",
        "with-defaults:1.0?basic-mode=trim&also-supported=explicit,report-all,report-all-tagged",
    ] {
        caps.push(format!("{CAP}{c}"));
    }
    for m in schema.modules().iter().filter(|m| m.implemented) {
        let mut uri = format!("{}?module={}", m.namespace, m.name);
        if let Some(r) = &m.revision {
            uri.push_str(&format!("&revision={r}"));
        }
        if !m.features.is_empty() {
            uri.push_str(&format!("&features={}", m.features.join(",")));
        }
        caps.push(uri);
    }
    if let Some(revision) = crate::netconf::monitoring::yang_library::revision(schema) {
        caps.push(format!(
            "{CAP}yang-library:1.0?revision={revision}&module-set-id={}",
            module_set_id(schema)
        ));
    }
    caps
}

/// Changes whenever the set of modules does (a digest of their names,
/// revisions, features, conformance and submodules); the hello, RFC 7895
/// `module-set-id` and RFC 8525 `content-id` all carry it.
pub fn module_set_id(schema: &Schema) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for m in schema.modules() {
        h.update(m.name.as_bytes());
        h.update(b"@");
        h.update(m.revision.as_deref().unwrap_or("").as_bytes());
        h.update(m.features.join(",").as_bytes());
        h.update(if m.implemented { b"I" } else { b"i" });
        for s in &m.submodules {
            h.update(s.name.as_bytes());
            h.update(b"@");
            h.update(s.revision.as_deref().unwrap_or("").as_bytes());
        }
        h.update(b";");
    }
    hex::encode(&h.finalize()[..8])
}

/// The client announced base:1.1, so chunked framing follows the hellos.
pub fn client_speaks_1_1(caps: &[String]) -> bool {
    caps.iter().any(|c| c == BASE_1_1)
}

/// A client must announce base:1.0 or base:1.1 (RFC 6241 8.1).
pub fn client_acceptable(caps: &[String]) -> bool {
    caps.iter().any(|c| c == BASE_1_0 || c == BASE_1_1)
}
