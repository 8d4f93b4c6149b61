//! Start and stop the NETCONF server: load the schema, build the shared
//! server state and listen for SSH.

use super::session::live_config::Live;
use super::session::rpc_loop::Starter;
use super::shared::Server;
use super::ssh::{self, SshError, SshServer, UserDirectory};
use super::yang::{Schema, SchemaError};
use crate::config::NetconfConfig;
use crate::core::runtime::Agent;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum NetconfError {
    #[error(transparent)]
    Schema(#[from] SchemaError),
    #[error(transparent)]
    Ssh(#[from] SshError),
    #[error(transparent)]
    Users(#[from] super::ssh::UserError),
}

pub struct NetconfHandle {
    pub server: Arc<Server>,
    ssh: SshServer,
    /// Applies committed `[netconf]` changes (see [`super::session::live_config`]).
    live: tokio::task::JoinHandle<()>,
    /// Rebuilds the renderings readers use after each publication
    /// (see [`super::ops::renderings::follow`]).
    refresher: tokio::task::JoinHandle<()>,
}

impl NetconfHandle {
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.ssh.local_addr()
    }

    pub async fn stop(self) {
        self.live.abort();
        self.refresher.abort();
        self.ssh.shutdown().await;
    }
}

/// Bind `netconf.listen` (nothing when NETCONF is disabled): done before
/// the agent opens its store, so that a port in use stops the start
/// before anything is written.
pub fn bind(n: &NetconfConfig) -> Result<Option<std::net::TcpListener>, NetconfError> {
    if !n.enabled {
        return Ok(None);
    }
    Ok(Some(ssh::bind(n)?))
}

/// Serve NETCONF on the listener [`bind`] made from the same configuration.
pub async fn start(
    agent: Arc<Agent>,
    listener: Option<std::net::TcpListener>,
) -> Result<Option<NetconfHandle>, NetconfError> {
    let config = agent.datastore.running();
    let n = &config.netconf;
    let Some(listener) = listener.filter(|_| n.enabled) else {
        return Ok(None);
    };
    let schema = Arc::new(Schema::load(&[])?);
    let server = Server::new(agent.clone(), schema);
    let users = Arc::new(UserDirectory::from_config(n)?);
    let starter = Arc::new(Starter {
        server: server.clone(),
    });
    let ssh = ssh::serve_on(listener, n, &config.agent.data_dir, users.clone(), starter).await?;
    // /netconf-state shows what the transport refused.
    let _ = server.sessions.statistics.transport.set(ssh.statistics());
    let live = Live {
        server: server.clone(),
        users,
        limit: ssh.session_limit(),
        admission: ssh.admission(),
    }
    .follow(&config);
    tracing::info!(
        "NETCONF server listening on {} ({} YANG modules)",
        ssh.local_addr(),
        server.schema.modules().len()
    );
    let refresher = super::ops::renderings::follow(&server);
    Ok(Some(NetconfHandle {
        server,
        ssh,
        live,
        refresher,
    }))
}
