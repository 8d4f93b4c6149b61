//! `/net_info`: the node's peers with direction and byte counters from
//! their connection monitors.

use super::rpc::{num, text};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub id: String,
    pub moniker: String,
    pub remote_ip: String,
    pub outbound: bool,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// How long the connection has been up.
    pub duration_ms: u64,
}

pub fn parse(r: &Value) -> Vec<Peer> {
    let Some(peers) = r.get("peers").and_then(Value::as_array) else {
        return Vec::new();
    };
    peers
        .iter()
        .filter_map(|p| {
            let ni = p.get("node_info")?;
            let cs = p.get("connection_status").cloned().unwrap_or_default();
            let monitor = |k: &str| cs.get(k).map_or(0, |m| num(m, "Bytes"));
            Some(Peer {
                id: text(ni, "id"),
                moniker: text(ni, "moniker"),
                remote_ip: text(p, "remote_ip"),
                outbound: p
                    .get("is_outbound")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                bytes_sent: monitor("SendMonitor"),
                bytes_received: monitor("RecvMonitor"),
                // Duration is Go's time.Duration: nanoseconds.
                duration_ms: num(&cs, "Duration") / 1_000_000,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn peers_with_monitors() {
        let r = json!({"listening": true, "listeners": ["Listener(@)"], "n_peers": "1", "peers": [
            {"node_info": {"id": "a1b2", "moniker": "node1", "network": "test"},
             "is_outbound": true,
             "connection_status": {"Duration": "168901057956119",
                "SendMonitor": {"Active": true, "Bytes": "5000", "Samples": "10"},
                "RecvMonitor": {"Active": true, "Bytes": "7000"}, "Channels": []},
             "remote_ip": "10.0.0.2"},
            {"is_outbound": false}]});
        let p = parse(&r);
        assert_eq!(p.len(), 1);
        assert_eq!(
            (
                p[0].id.as_str(),
                p[0].moniker.as_str(),
                p[0].remote_ip.as_str()
            ),
            ("a1b2", "node1", "10.0.0.2")
        );
        assert!(p[0].outbound);
        assert_eq!((p[0].bytes_sent, p[0].bytes_received), (5000, 7000));
        assert_eq!(p[0].duration_ms, 168_901_057);
        assert!(parse(&json!({})).is_empty());
    }
}
