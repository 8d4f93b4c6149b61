//! Start and stop the NETCONF server: load the schema, build the shared
//! server state and listen for SSH.

use super::server::Server;
use super::session::Starter;
use super::ssh::{self, SshError, SshServer, UserDirectory};
use super::yang::{Schema, SchemaError};
use crate::core::runtime::Agent;
use std::sync::Arc;
use std::time::Duration;

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
}

impl NetconfHandle {
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.ssh.local_addr()
    }

    pub async fn stop(self) {
        self.ssh.shutdown().await;
    }
}

pub async fn start(agent: Arc<Agent>) -> Result<Option<NetconfHandle>, NetconfError> {
    let config = agent.datastore.running();
    let n = &config.netconf;
    if !n.enabled {
        return Ok(None);
    }
    let schema = Arc::new(Schema::load(&[])?);
    let server = Server::new(agent.clone(), schema);
    let users = Arc::new(UserDirectory::from_config(n)?);
    let idle = (n.idle_timeout_seconds > 0).then(|| Duration::from_secs(n.idle_timeout_seconds));
    let starter = Arc::new(Starter {
        server: server.clone(),
        idle_timeout: idle,
    });
    let ssh = ssh::start(n, &config.agent.data_dir, users, starter).await?;
    tracing::info!(
        "NETCONF server listening on {} ({} YANG modules)",
        ssh.local_addr(),
        server.schema.modules().len()
    );
    Ok(Some(NetconfHandle { server, ssh }))
}
