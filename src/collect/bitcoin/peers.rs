//! Which configured node is at the other end of a P2P connection.
//!
//! The RPC endpoint says nothing about a node's P2P address (RPC port ≠
//! P2P port), and `getnetworkinfo.localaddresses` is empty for a node bound
//! to loopback or behind NAT. What always works is the socket pair: every
//! connection appears at both ends, and one end's `addrbind` is the other
//! end's `addr`:
//! - an inbound peer's `addrbind` is the node's own listening socket, which
//!   is what the other side's outbound entry shows as `addr`;
//! - an outbound peer's `addrbind` is the node's ephemeral source socket,
//!   which the other side's inbound entry shows as `addr`.
//!
//! So the sockets every node reports as its own end (plus its advertised
//! `localaddresses`) name the node, and each peer's `addr` is looked up
//! there. A peer that is not a configured node keeps its address.

use super::rpc_types::PeerInfo;
use crate::model::UnixMillis;
use crate::model::link::{LinkDirection, LinkState, PeerLink};
use std::collections::BTreeMap;

/// What one node tells about its own sockets.
pub struct OwnSockets<'a> {
    pub node: &'a str,
    pub peers: &'a [PeerInfo],
    /// `localaddresses`, already as "host:port".
    pub advertised: &'a [String],
}

/// Socket address → configured node id, from every node's own ends.
pub fn socket_owners(nodes: &[OwnSockets]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for n in nodes {
        for s in n
            .peers
            .iter()
            .filter_map(|p| p.addrbind.as_ref())
            .chain(n.advertised.iter())
        {
            out.insert(s.clone(), n.node.to_string());
        }
    }
    out
}

/// The node's P2P listening socket as its inbound peers reached it, else
/// the first address it advertises.
pub fn listen_address(peers: &[PeerInfo], advertised: &[String]) -> Option<String> {
    peers
        .iter()
        .filter(|p| p.inbound)
        .find_map(|p| p.addrbind.clone())
        .or_else(|| advertised.first().cloned())
}

/// `getpeerinfo` as links of `node`, remote ends resolved through `owners`.
pub fn links(
    chain: &str,
    node: &str,
    peers: &[PeerInfo],
    owners: &BTreeMap<String, String>,
) -> Vec<PeerLink> {
    peers
        .iter()
        .map(|p| PeerLink {
            chain: chain.to_string(),
            local_node: node.to_string(),
            remote_node: owners
                .get(&p.addr)
                .filter(|owner| owner.as_str() != node)
                .cloned()
                .unwrap_or_else(|| p.addr.clone()),
            remote_address: p.addr.clone(),
            direction: if p.inbound {
                LinkDirection::Inbound
            } else {
                LinkDirection::Outbound
            },
            // getpeerinfo lists established connections only.
            state: LinkState::Up,
            // No ping answered yet: no latency.
            latency_ms: p.pingtime.map(|s| s * 1000.0),
            bytes_in: Some(p.bytesrecv),
            bytes_out: Some(p.bytessent),
            since: p.conntime.saturating_mul(1000) as UnixMillis,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(addr: &str, bind: &str, inbound: bool) -> PeerInfo {
        PeerInfo {
            addr: addr.into(),
            addrbind: Some(bind.into()),
            inbound,
            pingtime: Some(0.002),
            bytesrecv: 10,
            bytessent: 20,
            conntime: 1_700_000_000,
            subver: "/x/".into(),
        }
    }

    /// a listens on :1001, b on :1002; b dialled a (b:5000 → a:1001), and
    /// an outsider 10.0.0.9 dialled b.
    #[test]
    fn both_ends_of_a_loopback_connection_are_resolved_by_socket_pair() {
        let a_peers = [peer("127.0.0.1:5000", "127.0.0.1:1001", true)];
        let b_peers = [
            peer("127.0.0.1:1001", "127.0.0.1:5000", false),
            peer("10.0.0.9:6000", "127.0.0.1:1002", true),
        ];
        let owners = socket_owners(&[
            OwnSockets {
                node: "a",
                peers: &a_peers,
                advertised: &[],
            },
            OwnSockets {
                node: "b",
                peers: &b_peers,
                advertised: &[],
            },
        ]);
        let la = links("c", "a", &a_peers, &owners);
        assert_eq!(la[0].remote_node, "b");
        assert_eq!(la[0].direction, LinkDirection::Inbound);
        assert_eq!(la[0].latency_ms, Some(2.0));
        assert_eq!(la[0].since, 1_700_000_000_000);
        let lb = links("c", "b", &b_peers, &owners);
        assert_eq!(lb[0].remote_node, "a");
        assert_eq!(
            lb[1].remote_node, "10.0.0.9:6000",
            "an outsider keeps its address"
        );
        assert_eq!(
            listen_address(&b_peers, &[]),
            Some("127.0.0.1:1002".to_string())
        );
        assert_eq!(
            listen_address(&[], &["1.2.3.4:9".into()]),
            Some("1.2.3.4:9".into())
        );
    }
}
