//! `admin_peers` and `admin_nodeInfo`: who a node is connected to, and how
//! a peer is recognised as another managed node (by enode id, or by its
//! address matching that node's listening address).

use serde_json::Value;

/// One entry of `admin_peers`.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerInfo {
    /// The peer's node id (enode public key, hex, without 0x).
    pub id: String,
    pub remote_address: String,
    pub local_address: Option<String>,
    /// geth and Besu say; EthereumJS does not.
    pub inbound: Option<bool>,
}

/// Parse `admin_peers`; entries without an id or remote address are skipped.
pub fn parse_peers(v: &Value) -> Vec<PeerInfo> {
    let Some(list) = v.as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|p| {
            let id = p
                .get("id")
                .and_then(Value::as_str)
                .map(normalise_id)
                .or_else(|| p.get("enode").and_then(Value::as_str).and_then(enode_id))
                .filter(|id| !id.is_empty())?;
            let net = p.get("network");
            let text = |k: &str| {
                net.and_then(|n| n.get(k))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            Some(PeerInfo {
                id,
                remote_address: text("remoteAddress")?,
                local_address: text("localAddress"),
                inbound: net.and_then(|n| n.get("inbound")).and_then(Value::as_bool),
            })
        })
        .collect()
}

/// What `admin_nodeInfo` tells about the node itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeInfo {
    pub id: String,
    pub enode: String,
    /// host:port the node listens on for peers.
    pub listen_address: String,
    /// Sub-protocols it runs ("eth", "snap").
    pub protocols: Vec<String>,
}

pub fn parse_node_info(v: &Value) -> Option<NodeInfo> {
    let enode = v.get("enode").and_then(Value::as_str).unwrap_or("");
    let id = v
        .get("id")
        .and_then(Value::as_str)
        .map(normalise_id)
        .or_else(|| enode_id(enode))?;
    let listen_address = v
        .get("listenAddr")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| enode_address(enode))
        .unwrap_or_default();
    let protocols = v
        .get("protocols")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    Some(NodeInfo {
        id,
        enode: enode.to_string(),
        listen_address,
        protocols,
    })
}

/// Node ids are 128 hex digits; geth sometimes shows a 64-digit hash of
/// it as `id`, so ids are compared as given, lower-cased and without 0x.
fn normalise_id(s: &str) -> String {
    s.trim_start_matches("0x").to_ascii_lowercase()
}

/// The id part of `enode://ID@host:port?discport=N`.
pub fn enode_id(enode: &str) -> Option<String> {
    let rest = enode.strip_prefix("enode://")?;
    let (id, _) = rest.split_once('@')?;
    (!id.is_empty()).then(|| normalise_id(id))
}

/// The host:port part of an enode URL.
pub fn enode_address(enode: &str) -> Option<String> {
    let rest = enode.strip_prefix("enode://")?;
    let (_, addr) = rest.split_once('@')?;
    let addr = addr.split('?').next()?;
    (!addr.is_empty()).then(|| addr.to_string())
}

/// A managed node a peer can be matched with.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownNode {
    pub name: String,
    pub id: String,
    pub listen_address: String,
}

/// The managed node behind `peer`, if any.
pub fn match_peer<'a>(peer: &PeerInfo, known: &'a [KnownNode]) -> Option<&'a KnownNode> {
    known
        .iter()
        .find(|k| !k.id.is_empty() && (k.id == peer.id || k.id.ends_with(&peer.id)))
        .or_else(|| {
            known
                .iter()
                .find(|k| !k.listen_address.is_empty() && k.listen_address == peer.remote_address)
        })
}

/// Whether the peer dialled us. When the client does not say, a peer seen
/// at a managed node's listening address was dialled by us, and one seen
/// at our own listening port (local side) dialled us; otherwise a peer at
/// an address nobody listens on (an ephemeral port) is inbound.
pub fn is_inbound(peer: &PeerInfo, our_listen: &str, known: &[KnownNode]) -> bool {
    if let Some(i) = peer.inbound {
        return i;
    }
    if known
        .iter()
        .any(|k| k.listen_address == peer.remote_address)
    {
        return false;
    }
    let port = |a: &str| a.rsplit_once(':').map(|(_, p)| p.to_string());
    match (&peer.local_address, port(our_listen)) {
        (Some(local), Some(p)) => port(local).as_ref() == Some(&p),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "9aca3fe9cec8157711342e3b0330440ca1f093372068e412f2d4de3be234a2fea91cfbeac9ddf6771f84a0c46fece0a41d15be2396709ffeb90c92cd9576122a";
    const B: &str = "1aabe90fba4173358674b8d3a23c4055d77d773f6bb20f8fc063b65587b3b298a7b915e90858172934bbf0d21b0a743cc16bb491d9970696a2ccf8f706016fed";

    fn known() -> Vec<KnownNode> {
        vec![
            KnownNode {
                name: "n1".into(),
                id: A.into(),
                listen_address: "127.0.0.1:30401".into(),
            },
            KnownNode {
                name: "n2".into(),
                id: B.into(),
                listen_address: "127.0.0.1:30402".into(),
            },
        ]
    }

    #[test]
    fn geth_shape_with_local_address_and_inbound_flag() {
        let v = json!([{
            "enode": format!("enode://{B}@10.0.0.2:30303"),
            "id": "hash-form-id",
            "name": "Geth/v1.13.5",
            "network": {"localAddress": "10.0.0.1:30303", "remoteAddress": "10.0.0.2:40000",
                        "inbound": true, "trusted": false, "static": false},
            "protocols": {"eth": {"version": 68}}
        }, {"network": {"remoteAddress": "1.2.3.4:1"}}]);
        let peers = parse_peers(&v);
        assert_eq!(peers.len(), 1, "an entry without id is skipped");
        assert_eq!(peers[0].id, "hash-form-id");
        assert_eq!(peers[0].inbound, Some(true));
        assert_eq!(peers[0].local_address.as_deref(), Some("10.0.0.1:30303"));
        assert!(is_inbound(&peers[0], "10.0.0.1:30303", &known()));
        assert_eq!(match_peer(&peers[0], &known()), None);
    }

    #[test]
    fn ethereumjs_shape_without_local_address() {
        let v = json!([
            {"id": B, "name": "EthereumJS/0.10.5", "caps": ["eth/68"],
             "network": {"remoteAddress": "127.0.0.1:47056"}},
            {"id": A, "network": {"remoteAddress": "127.0.0.1:30401"}}
        ]);
        let peers = parse_peers(&v);
        assert_eq!(peers.len(), 2);
        let k = known();
        assert_eq!(
            match_peer(&peers[0], &k).map(|n| n.name.as_str()),
            Some("n2")
        );
        assert!(
            is_inbound(&peers[0], "127.0.0.1:30401", &k),
            "ephemeral port"
        );
        assert_eq!(
            match_peer(&peers[1], &k).map(|n| n.name.as_str()),
            Some("n1")
        );
        assert!(
            !is_inbound(&peers[1], "127.0.0.1:30402", &k),
            "we dialled n1"
        );
        assert!(parse_peers(&json!({"not": "a list"})).is_empty());
    }

    #[test]
    fn matches_by_address_when_ids_differ() {
        let p = PeerInfo {
            id: "other".into(),
            remote_address: "127.0.0.1:30402".into(),
            local_address: None,
            inbound: None,
        };
        assert_eq!(
            match_peer(&p, &known()).map(|n| n.name.as_str()),
            Some("n2")
        );
    }

    #[test]
    fn node_info_and_enode_urls() {
        let v = json!({"enode": format!("enode://{A}@127.0.0.1:30401?discport=0"),
                       "id": A, "listenAddr": "127.0.0.1:30401",
                       "protocols": {"eth": {"network": "123456"}}});
        let n = parse_node_info(&v).expect("node info");
        assert_eq!(n.id, A);
        assert_eq!(n.listen_address, "127.0.0.1:30401");
        assert_eq!(n.protocols, vec!["eth".to_string()]);
        assert_eq!(
            enode_address(&format!("enode://{A}@127.0.0.1:30401?discport=0")).as_deref(),
            Some("127.0.0.1:30401")
        );
        assert_eq!(enode_id("enode://@x:1"), None);
        assert_eq!(enode_id("http://x"), None);
    }
}
