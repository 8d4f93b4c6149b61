//! Whether a node's endpoint is on this host, and where its process
//! listens: the address the process sampler looks for in /proc/net/tcp.
//!
//! Only what can be decided without a name lookup: an IP literal that is
//! a loopback address or an address of this host, or `localhost`. Any
//! other host name is taken as remote (a node reached by a name of this
//! host needs a `pid-file`): resolving names here would put DNS on the
//! collection path.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

/// The host and port of an endpoint as the configuration allows it: an
/// `http://` or `https://` URL (port 80 or 443 when absent), or
/// `host:port`. IPv6 hosts are in brackets.
pub fn host_port(endpoint: &str) -> Option<(&str, u16)> {
    let (rest, default_port) = if let Some(r) = endpoint.strip_prefix("http://") {
        (r, Some(80))
    } else if let Some(r) = endpoint.strip_prefix("https://") {
        (r, Some(443))
    } else {
        (endpoint, None)
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => default_port?,
            None => return None,
        };
        return Some((host, port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => Some((host, port.parse().ok()?)),
        Some(_) => None,
        None if !authority.is_empty() => Some((authority, default_port?)),
        None => None,
    }
}

/// The address a process on this host would listen on to serve
/// `endpoint`, or `None` when the endpoint is not on this host (or is
/// named in a way this cannot tell without a lookup).
pub fn local_listener(endpoint: &str) -> Option<SocketAddr> {
    let (host, port) = host_port(endpoint)?;
    let ip = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse::<IpAddr>().ok()?
    };
    is_local(ip).then_some(SocketAddr::new(ip, port))
}

/// A loopback address, or one assigned to an interface of this host: the
/// kernel lets a socket bind to an address only in that case
/// (EADDRNOTAVAIL otherwise). Binding UDP to port 0 sends nothing.
pub fn is_local(ip: IpAddr) -> bool {
    if ip.is_loopback() {
        return true;
    }
    if ip.is_unspecified() || ip.is_multicast() {
        return false;
    }
    UdpSocket::bind(SocketAddr::new(ip, 0)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_of_every_endpoint_form() {
        for (e, want) in [
            ("http://127.0.0.1:8545", Some(("127.0.0.1", 8545))),
            (
                "https://node.example:8443/rpc",
                Some(("node.example", 8443)),
            ),
            ("http://localhost/", Some(("localhost", 80))),
            ("https://10.0.0.1", Some(("10.0.0.1", 443))),
            ("127.0.0.1:19332", Some(("127.0.0.1", 19332))),
            ("http://[::1]:8545/x", Some(("::1", 8545))),
            ("http://[::1]", Some(("::1", 80))),
            ("[::1]:26657", Some(("::1", 26657))),
            ("[::1]", None),
            ("[::1]x", None),
            ("127.0.0.1", None),
            ("http://:80", None),
            ("http://h:99999", None),
            ("", None),
        ] {
            assert_eq!(host_port(e), want, "{e}");
        }
    }

    #[test]
    fn loopback_and_own_addresses_are_local_others_not() {
        let v4: SocketAddr = "127.0.0.1:8545".parse().unwrap();
        assert_eq!(local_listener("http://127.0.0.1:8545"), Some(v4));
        assert_eq!(local_listener("localhost:8545"), Some(v4));
        assert_eq!(
            local_listener("http://[::1]:8545"),
            Some("[::1]:8545".parse().unwrap())
        );
        assert_eq!(
            local_listener("http://127.0.0.2:1"),
            Some("127.0.0.2:1".parse().unwrap())
        );
        // TEST-NET-3 (RFC 5737) is assigned to no host.
        assert_eq!(local_listener("http://203.0.113.7:8545"), None);
        assert_eq!(local_listener("http://0.0.0.0:8545"), None);
        assert_eq!(local_listener("http://node.example:8545"), None);
        // An address of this host's own interfaces: the one a UDP socket
        // towards a TEST-NET address would leave from, if there is a route.
        if let Ok(s) = UdpSocket::bind("0.0.0.0:0")
            && s.connect("192.0.2.1:9").is_ok()
            && let Ok(a) = s.local_addr()
        {
            assert!(is_local(a.ip()), "{a}");
        }
    }
}
