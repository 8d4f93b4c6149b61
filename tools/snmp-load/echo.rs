//! A UDP server that does no work: each datagram goes back unchanged. Its
//! round-trip rate, measured with the same generator settings as the
//! agents, is what a server could reach if answering cost nothing — the
//! ceiling the benchmark compares against.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};

/// Threads block in recv on clones of one socket; the kernel hands each
/// datagram to one of them.
pub fn serve(listen: SocketAddr, threads: usize, lifetime: Duration) -> std::io::Result<()> {
    let socket = UdpSocket::bind(listen)?;
    // Wake up now and then so the server stops by itself at `lifetime`.
    socket.set_read_timeout(Some(Duration::from_millis(200)))?;
    eprintln!(
        "snmp-load echo-server: {} with {threads} thread(s), for at most {} s",
        socket.local_addr()?,
        lifetime.as_secs()
    );
    let deadline = Instant::now() + lifetime;
    let handles = (0..threads.max(1))
        .map(|_| {
            let socket = socket.try_clone()?;
            Ok(thread::spawn(move || echo_until(&socket, deadline)))
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    for handle in handles {
        handle
            .join()
            .map_err(|_| std::io::Error::other("echo thread panicked"))??;
    }
    Ok(())
}

fn echo_until(socket: &UdpSocket, deadline: Instant) -> std::io::Result<()> {
    let mut datagram = vec![0u8; 65536];
    while Instant::now() < deadline {
        match socket.recv_from(&mut datagram) {
            Ok((length, peer)) => {
                let bytes = datagram.get(..length).unwrap_or_default();
                match socket.send_to(bytes, peer) {
                    // A generator that has exited: nothing to answer.
                    Err(error) if error.kind() == ErrorKind::ConnectionRefused => {}
                    other => {
                        other?;
                    }
                }
            }
            Err(error)
                if matches!(
                    error.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::ConnectionRefused
                ) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
