//! A NETCONF session as a client sees it (RFC 6241, RFC 6242): the
//! `<hello>` exchange, which picks the framing, then one `<rpc>` at a time.

use std::time::Duration;

use crate::reply::{self, BASE_1_0, BASE_1_1, BASE_NS, Hello, Outcome, ReplyError};
use crate::transport::{Endpoint, Transport, TransportError};
use chain_agent::netconf::transport::framing::{Decoder, Framing, FramingError, encode};

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("framing: {0}")]
    Framing(#[from] FramingError),
    #[error("server <hello>: {0}")]
    Hello(ReplyError),
    #[error("the server's <hello> offers neither base:1.0 nor base:1.1")]
    NoCommonBase,
    #[error("rpc-reply: {0}")]
    Reply(#[from] ReplyError),
    #[error("no answer within {} s", .0.as_secs_f64())]
    Timeout(Duration),
}

/// Which framings the client offers in its `<hello>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FramingChoice {
    /// Offer base:1.0 and base:1.1; chunked framing when the server has
    /// base:1.1 too (RFC 6242 §4.1).
    Auto,
    /// Offer only base:1.0: end-of-message framing.
    EndOfMessage,
}

#[derive(Clone)]
pub struct SessionSettings {
    pub endpoint: Endpoint,
    pub framing: FramingChoice,
    /// Pause between the `<hello>` exchange and the first `<rpc>`. Some
    /// servers read a `<hello>` and an `<rpc>` that arrive together as one
    /// message; a pause keeps them apart without touching the measurement.
    pub hello_pause: Duration,
    pub max_message: usize,
}

pub struct Session {
    transport: Transport,
    decoder: Decoder,
    framing: Framing,
    next_id: u64,
    pub server_hello: Hello,
}

/// A reply and the size of its message.
pub struct Answer {
    pub outcome: Outcome,
    pub message: Vec<u8>,
    pub message_id: String,
}

impl Session {
    pub async fn open(settings: &SessionSettings) -> Result<Session, SessionError> {
        let mut transport = Transport::connect(&settings.endpoint).await?;
        let mut hello = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hello xmlns=\"{BASE_NS}\"><capabilities><capability>{BASE_1_0}</capability>"
        );
        if settings.framing == FramingChoice::Auto {
            hello.push_str(&format!("<capability>{BASE_1_1}</capability>"));
        }
        hello.push_str("</capabilities></hello>");
        transport
            .send(encode(Framing::EndOfMessage, hello.as_bytes()))
            .await?;

        let mut decoder = Decoder::new(settings.max_message);
        let message = loop {
            if let Some(message) = decoder.next_message()? {
                break message;
            }
            transport.receive_into(&mut decoder).await?;
        };
        let server_hello = reply::parse_hello(&message).map_err(SessionError::Hello)?;
        let framing = if settings.framing == FramingChoice::Auto && server_hello.has(BASE_1_1) {
            Framing::Chunked
        } else if server_hello.has(BASE_1_0) {
            Framing::EndOfMessage
        } else {
            return Err(SessionError::NoCommonBase);
        };
        decoder.set_mode(framing);
        if !settings.hello_pause.is_zero() {
            tokio::time::sleep(settings.hello_pause).await;
        }
        Ok(Session {
            transport,
            decoder,
            framing,
            next_id: 1,
            server_hello,
        })
    }

    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// Sends `<rpc>` around `operation` and waits for its reply.
    pub async fn call(&mut self, operation: &str) -> Result<Answer, SessionError> {
        let message_id = self.next_id.to_string();
        self.next_id += 1;
        let rpc = format!("<rpc message-id=\"{message_id}\" xmlns=\"{BASE_NS}\">{operation}</rpc>");
        self.transport
            .send(encode(self.framing, rpc.as_bytes()))
            .await?;
        let message = loop {
            if let Some(message) = self.decoder.next_message()? {
                break message;
            }
            self.transport.receive_into(&mut self.decoder).await?;
        };
        let outcome = reply::check_reply(&message, &message_id)?;
        Ok(Answer {
            outcome,
            message,
            message_id,
        })
    }

    /// Ends the session politely; errors no longer matter here.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.call("<close-session/>")).await;
        self.transport.disconnect().await;
    }
}
