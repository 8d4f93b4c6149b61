//! Which socket inode listens on an endpoint, from /proc/net/tcp and
//! /proc/net/tcp6.
//!
//! The kernel prints each address as the in-memory (network order) bytes
//! read as native-endian 32-bit words with `%08X`, and the port in host order
//! with `%04X`; only state `0A` (TCP_LISTEN) matters here. These files show
//! the sockets of the reader's network namespace: a node in another
//! namespace (a container with its own network) is not found this way, and
//! needs a pid-file.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;

use super::error::{ProcessError, read_text};

/// TCP_LISTEN in the `st` column.
const LISTEN: &str = "0A";

/// One listening socket: its local address and its inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    pub addr: SocketAddr,
    pub inode: u64,
}

/// The listening sockets in the text of /proc/net/tcp or /proc/net/tcp6.
/// Lines that do not parse (the header, junk) are skipped; inode 0 (a socket
/// being torn down) is never an answer.
pub fn parse_listeners(text: &str) -> Vec<Listener> {
    text.lines().filter_map(listener_line).collect()
}

fn listener_line(line: &str) -> Option<Listener> {
    let f: Vec<&str> = line.split_whitespace().collect();
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    if f.len() < 10 || f[3] != LISTEN {
        return None;
    }
    let addr = parse_socket_addr(f[1])?;
    let inode = f[9].parse::<u64>().ok().filter(|&i| i != 0)?;
    Some(Listener { addr, inode })
}

/// `0100007F:1F90` (IPv4) or 32 hex digits and a port (IPv6).
fn parse_socket_addr(field: &str) -> Option<SocketAddr> {
    let (ip, port) = field.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(ip)?)),
        32 => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_exact_mut(4).enumerate() {
                chunk.copy_from_slice(&word(ip.get(i * 8..i * 8 + 8)?)?);
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// Eight hex digits printed from a native-endian u32 holding network-order
/// bytes: back to those bytes.
fn word(hex: &str) -> Option<[u8; 4]> {
    u32::from_str_radix(hex, 16).ok().map(u32::to_ne_bytes)
}

/// How well a listener serves an endpoint, best first; `None` if it does not.
fn rank(listener: SocketAddr, endpoint: SocketAddr) -> Option<u8> {
    if listener.port() != endpoint.port() {
        return None;
    }
    let l = canonical(listener.ip());
    let e = canonical(endpoint.ip());
    if l == e {
        return Some(0);
    }
    match (l, e) {
        // 0.0.0.0 serves every IPv4 address of the host, :: every IPv6 one.
        (IpAddr::V4(l), IpAddr::V4(_)) if l.is_unspecified() => Some(1),
        (IpAddr::V6(l), IpAddr::V6(_)) if l.is_unspecified() => Some(1),
        // A dual-stack :: (not IPV6_V6ONLY, the Linux default) also takes
        // IPv4; we cannot see the flag, so it ranks after a real v4 match.
        (IpAddr::V6(l), IpAddr::V4(_)) if l.is_unspecified() => Some(2),
        _ => None,
    }
}

/// `::ffff:127.0.0.1` is 127.0.0.1.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The inode of the socket listening on `endpoint`, given the texts of
/// /proc/net/tcp and /proc/net/tcp6. An exact address wins over a wildcard
/// (0.0.0.0 or ::) listener on the same port.
pub fn listening_inode(tcp: &str, tcp6: &str, endpoint: SocketAddr) -> Option<u64> {
    parse_listeners(tcp)
        .into_iter()
        .chain(parse_listeners(tcp6))
        .filter_map(|l| rank(l.addr, endpoint).map(|r| (r, l.inode)))
        .min_by_key(|&(r, _)| r)
        .map(|(_, inode)| inode)
}

/// [`listening_inode`] over `root`/net/tcp and `root`/net/tcp6. A missing
/// file (a kernel without IPv6) counts as no listeners.
pub fn read_listening_inode(
    root: &Path,
    endpoint: SocketAddr,
) -> Result<Option<u64>, ProcessError> {
    let tcp = read_text(&root.join("net/tcp"))?.unwrap_or_default();
    let tcp6 = read_text(&root.join("net/tcp6"))?.unwrap_or_default();
    Ok(listening_inode(&tcp, &tcp6, endpoint))
}

#[cfg(test)]
// The fixtures are what a little-endian kernel prints.
#[cfg(target_endian = "little")]
mod tests {
    use super::*;

    const HEADER: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    fn tcp() -> String {
        format!(
            "{HEADER}\
   0: 0100007F:2161 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40001 1 0000000000000000 100 0 0 10 0\n\
   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 40002 1 0000000000000000 100 0 0 10 0\n\
   2: 0100007F:2161 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 40003 1 0000000000000000 20 4 30 10 -1\n\
   3: 0500000A:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40004 1 0000000000000000 100 0 0 10 0\n\
   4: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 0 1 0000000000000000 100 0 0 10 0\n"
        )
    }

    fn tcp6() -> String {
        format!(
            "{HEADER}\
   0: 00000000000000000000000001000000:2161 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 60001 1 0000000000000000 100 0 0 10 0\n\
   1: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 60002 1 0000000000000000 100 0 0 10 0\n\
   2: 0000000000000000FFFF00000100007F:1389 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 60003 1 0000000000000000 100 0 0 10 0\n\
   3: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 60004 1 0000000000000000 100 0 0 10 0\n"
        )
    }

    fn sa(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv4_listeners_skip_other_states_header_and_inode_zero() {
        let l = parse_listeners(&tcp());
        let got: Vec<(SocketAddr, u64)> = l.iter().map(|l| (l.addr, l.inode)).collect();
        assert_eq!(
            got,
            vec![
                (sa("127.0.0.1:8545"), 40001),
                (sa("0.0.0.0:8080"), 40002),
                (sa("10.0.0.5:22"), 40004),
            ]
        );
    }

    #[test]
    fn ipv6_addresses_decode_word_by_word() {
        let l = parse_listeners(&tcp6());
        let got: Vec<(SocketAddr, u64)> = l.iter().map(|l| (l.addr, l.inode)).collect();
        assert_eq!(
            got,
            vec![
                (sa("[::1]:8545"), 60001),
                (sa("[::]:8081"), 60002),
                (sa("[::ffff:127.0.0.1]:5001"), 60003),
                (sa("[2001:db8::1]:80"), 60004),
            ]
        );
    }

    #[test]
    fn exact_address_wins_and_ports_must_match() {
        let (t, t6) = (tcp(), tcp6());
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:8545")), Some(40001));
        assert_eq!(listening_inode(&t, &t6, sa("[::1]:8545")), Some(60001));
        assert_eq!(listening_inode(&t, &t6, sa("10.0.0.5:22")), Some(40004));
        assert_eq!(
            listening_inode(&t, &t6, sa("[2001:db8::1]:80")),
            Some(60004)
        );
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:9999")), None);
        // 10.0.0.5 listens on 22 only; 127.0.0.1:22 is not served.
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:22")), None);
    }

    #[test]
    fn wildcards_serve_loopback_of_their_family_and_dual_stack() {
        let (t, t6) = (tcp(), tcp6());
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:8080")), Some(40002));
        assert_eq!(listening_inode(&t, &t6, sa("[::1]:8081")), Some(60002));
        // :: without V6ONLY takes IPv4 too.
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:8081")), Some(60002));
        // 0.0.0.0 does not serve IPv6.
        assert_eq!(listening_inode(&t, &t6, sa("[::1]:8080")), None);
        // A v4-mapped listener is the IPv4 address.
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:5001")), Some(60003));
    }

    #[test]
    fn a_real_v4_wildcard_ranks_before_a_v6_wildcard() {
        let t = format!(
            "{HEADER}   0: 00000000:2161 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 71 1\n"
        );
        let t6 = format!(
            "{HEADER}   0: 00000000000000000000000000000000:2161 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  0 0 72 1\n"
        );
        assert_eq!(listening_inode(&t, &t6, sa("127.0.0.1:8545")), Some(71));
        assert_eq!(listening_inode(&t6, &t, sa("127.0.0.1:8545")), Some(71));
    }

    #[test]
    fn junk_is_skipped() {
        let text = "garbage\n 0: ZZZ:1F90 00000000:0000 0A a b c d e 5\n 1: 0100007F:XYZ 0:0 0A a b c d e 6\n";
        assert!(parse_listeners(text).is_empty());
        assert_eq!(listening_inode("", "", sa("127.0.0.1:1")), None);
    }

    #[test]
    fn reads_from_a_proc_root_and_tolerates_missing_tcp6() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("net")).unwrap();
        std::fs::write(dir.path().join("net/tcp"), tcp()).unwrap();
        assert_eq!(
            read_listening_inode(dir.path(), sa("127.0.0.1:8545")).unwrap(),
            Some(40001)
        );
        assert_eq!(
            read_listening_inode(dir.path(), sa("[::1]:8545")).unwrap(),
            None
        );
    }
}
