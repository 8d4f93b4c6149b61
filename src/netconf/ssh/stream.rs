//! The byte stream a `netconf` subsystem hands to the session layer: the
//! SSH channel's data, plus the `max-sessions` slot it holds until dropped.

use super::limit::SessionSlot;
use russh::ChannelStream;
use russh::server::Msg;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

pub(super) struct SessionStream {
    channel: ChannelStream<Msg>,
    _slot: SessionSlot,
}

impl SessionStream {
    pub fn new(channel: ChannelStream<Msg>, slot: SessionSlot) -> SessionStream {
        SessionStream {
            channel,
            _slot: slot,
        }
    }
}

impl AsyncRead for SessionStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.channel).poll_read(cx, buf)
    }
}

impl AsyncWrite for SessionStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.channel).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.channel).poll_flush(cx)
    }

    /// Sends EOF on the channel: the client sees the end of the session's
    /// output. The channel itself closes when the stream is dropped.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.channel).poll_shutdown(cx)
    }
}
