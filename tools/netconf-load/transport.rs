//! One SSH connection carrying one `netconf` subsystem channel (RFC 6242),
//! through russh's client. Every session of the generator has its own
//! connection, as separate NETCONF clients would.

use std::borrow::Cow;
use std::sync::Arc;

use russh::client::{self, Handle, Msg};
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh::{Channel, ChannelMsg, Preferred, cipher};

use chain_agent::netconf::transport::framing::Decoder;

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("ssh: {0}")]
    Ssh(#[from] russh::Error),
    #[error("unknown SSH cipher {0:?}")]
    UnknownCipher(String),
    #[error("authentication as {0:?} refused")]
    AuthRefused(String),
    #[error("the server refused the netconf subsystem")]
    SubsystemRefused,
    #[error("the server closed the channel")]
    Closed,
}

#[derive(Clone)]
pub enum Auth {
    Password(String),
    Key(Arc<PrivateKey>),
}

/// Where and how to connect; shared by all sessions of a run.
#[derive(Clone)]
pub struct Endpoint {
    pub address: String,
    pub user: String,
    pub auth: Auth,
    /// The one cipher offered, so every server measured uses the same.
    pub cipher: cipher::Name,
}

impl Endpoint {
    pub fn cipher_by_name(name: &str) -> Result<cipher::Name, TransportError> {
        cipher::Name::try_from(name).map_err(|_| TransportError::UnknownCipher(name.to_string()))
    }
}

/// Accepts any host key: the generator talks to servers it started itself
/// on loopback, each with a key made for the run.
struct AnyHostKey;

impl client::Handler for AnyHostKey {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub struct Transport {
    channel: Channel<Msg>,
    handle: Handle<AnyHostKey>,
    /// Data that arrived before the reply to the subsystem request.
    early: Vec<u8>,
}

impl Transport {
    pub async fn connect(endpoint: &Endpoint) -> Result<Transport, TransportError> {
        let config = client::Config {
            preferred: Preferred {
                cipher: Cow::Owned(vec![endpoint.cipher]),
                ..Preferred::default()
            },
            // One request in flight: Nagle's algorithm would hold back the
            // last segment of each request until the previous ACK.
            nodelay: true,
            ..client::Config::default()
        };
        let mut handle =
            client::connect(Arc::new(config), endpoint.address.as_str(), AnyHostKey).await?;
        let result = match &endpoint.auth {
            Auth::Password(password) => {
                handle
                    .authenticate_password(endpoint.user.as_str(), password.as_str())
                    .await?
            }
            Auth::Key(key) => {
                handle
                    .authenticate_publickey(
                        endpoint.user.as_str(),
                        PrivateKeyWithHashAlg::new(key.clone(), None),
                    )
                    .await?
            }
        };
        if !result.success() {
            return Err(TransportError::AuthRefused(endpoint.user.clone()));
        }
        let mut channel = handle.channel_open_session().await?;
        channel.request_subsystem(true, "netconf").await?;
        let mut early = Vec::new();
        loop {
            match channel.wait().await {
                Some(ChannelMsg::Success) => break,
                Some(ChannelMsg::Failure) => return Err(TransportError::SubsystemRefused),
                Some(ChannelMsg::Data { data }) => early.extend_from_slice(&data),
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => {
                    return Err(TransportError::Closed);
                }
                Some(_) => {}
            }
        }
        Ok(Transport {
            channel,
            handle,
            early,
        })
    }

    pub async fn send(&self, bytes: Vec<u8>) -> Result<(), TransportError> {
        self.channel.data_bytes(bytes).await?;
        Ok(())
    }

    /// Waits for the server's next bytes on the channel and hands them to
    /// `decoder`. Standard error (extended data) and channel requests are
    /// not NETCONF and are skipped.
    pub async fn receive_into(&mut self, decoder: &mut Decoder) -> Result<(), TransportError> {
        if !self.early.is_empty() {
            decoder.push(&self.early);
            self.early.clear();
            return Ok(());
        }
        loop {
            match self.channel.wait().await {
                Some(ChannelMsg::Data { data }) => {
                    decoder.push(&data);
                    return Ok(());
                }
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => {
                    return Err(TransportError::Closed);
                }
                Some(_) => {}
            }
        }
    }

    pub async fn disconnect(self) {
        let _ = self.channel.close().await;
        let _ = self
            .handle
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
    }
}
