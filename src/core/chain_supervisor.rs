//! One collector task per configured chain, started, stopped and rebuilt
//! as the running configuration changes: chains and nodes are provisioned
//! at run time (over NETCONF, SNMP or `ctl`) without a restart.
//!
//! A chain's collector is rebuilt when what its adapter was built with
//! changes ([`AdapterShape`]): the platform, the nodes it connects to and
//! how (endpoint, credentials, TLS, the node's process and metrics
//! sources), the RPC timeout, the relayer. The
//! rest of a chain's configuration is pushed to the running adapter or
//! read at each collection (see [`super::runtime::chain_changes`]).

use super::engine::Engine;
use super::logs::LogSink;
use super::runtime::{chain_task, lock_engine};
use crate::collect::factory;
use crate::config::{ChainConfig, Config};
use crate::model::log::{LogKind, LogLevel};
use crate::model::now_millis;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

/// What a chain's adapter is built from. Two chains with equal shapes
/// are collected by the same adapter.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterShape(serde_json::Value);

/// A node's settings the running collector applies by itself (read at
/// each collection, or pushed to the platform): every other setting of a
/// node (endpoint, credentials, TLS, role, process and metrics sources) is part
/// of the adapter's shape, so that a setting added later rebuilds by
/// default rather than being silently ignored until a restart.
/// (A node's `role` is not one: the adapters take it when they are built.)
const LIVE_NODE_SETTINGS: [&str; 3] = ["admin-state", "thresholds", "log-spec"];

impl AdapterShape {
    pub fn of(c: &ChainConfig) -> AdapterShape {
        // Only nodes with a setting beyond the live ones count: adding a
        // node entry for its thresholds or admin state rebuilds nothing.
        let nodes: BTreeMap<&String, serde_json::Value> = c
            .nodes
            .iter()
            .filter_map(|(id, n)| {
                let mut shape = serde_json::to_value(n).ok()?;
                let fields = shape.as_object_mut()?;
                for live in LIVE_NODE_SETTINGS {
                    fields.remove(live);
                }
                (!fields.is_empty()).then_some((id, shape))
            })
            .collect();
        AdapterShape(serde_json::json!({
            "platform": c.platform,
            "nodes": nodes,
            "rpc-timeout-ms": c.rpc_timeout_ms,
            "relayer": c.relayer,
        }))
    }
}

struct Collector {
    shape: AdapterShape,
    task: JoinHandle<()>,
    /// The nodes it was built with, to clear the alarms of those that go.
    nodes: Vec<String>,
}

/// The collector tasks of the configured chains.
pub struct ChainSupervisor {
    datastore: Arc<super::datastore::Datastore>,
    engine: Arc<Mutex<Engine>>,
    logs: LogSink,
    running: BTreeMap<String, Collector>,
    /// Whether the configuration at start has been followed: later
    /// chains are additions, and logged as such.
    followed: bool,
}

impl ChainSupervisor {
    pub fn new(
        datastore: Arc<super::datastore::Datastore>,
        engine: Arc<Mutex<Engine>>,
        logs: LogSink,
    ) -> ChainSupervisor {
        ChainSupervisor {
            datastore,
            engine,
            logs,
            running: BTreeMap::new(),
            followed: false,
        }
    }

    /// Start, stop and rebuild collectors until running is `config`.
    pub async fn follow(&mut self, config: &Config) {
        let gone: Vec<String> = self
            .running
            .keys()
            .filter(|id| !config.chains.contains_key(*id))
            .cloned()
            .collect();
        for id in gone {
            if let Some(c) = self.running.remove(&id) {
                stop(c.task).await;
            }
            lock_engine(&self.engine).remove_chain(&id, config);
            self.note(
                &id,
                "chain removed from the configuration: its collector stopped",
            );
        }
        for (id, chain) in &config.chains {
            let shape = AdapterShape::of(chain);
            let nodes: Vec<String> = chain.nodes.keys().cloned().collect();
            match self.running.remove(id) {
                Some(c) if c.shape == shape => {
                    self.running.insert(
                        id.clone(),
                        Collector {
                            nodes: c.nodes,
                            ..c
                        },
                    );
                    continue;
                }
                Some(c) => {
                    stop(c.task).await;
                    let removed: Vec<&String> =
                        c.nodes.iter().filter(|n| !nodes.contains(n)).collect();
                    {
                        let mut engine = lock_engine(&self.engine);
                        for node in &removed {
                            engine.remove_node(id, node, config);
                        }
                    }
                    self.note(id, "node connections changed: its collector was rebuilt");
                }
                None if self.followed => {
                    self.note(
                        id,
                        "chain added to the configuration: its collector started",
                    );
                }
                None => {}
            }
            let adapter = factory::build(id, chain, config, now_millis());
            let task = tokio::spawn(chain_task(
                id.clone(),
                adapter,
                self.datastore.clone(),
                self.engine.clone(),
                self.logs.clone(),
            ));
            self.running
                .insert(id.clone(), Collector { shape, task, nodes });
        }
        self.followed = true;
    }

    fn note(&self, chain: &str, text: &str) {
        self.logs.record(
            LogKind::System,
            LogLevel::Info,
            &format!("/chains/{chain}"),
            text.to_string(),
        );
    }

    /// Follow every committed configuration until the datastore goes.
    pub async fn run(mut self) {
        let mut rx = self.datastore.subscribe();
        let first = rx.borrow_and_update().config.clone();
        self.follow(&first).await;
        while rx.changed().await.is_ok() {
            let config = rx.borrow_and_update().config.clone();
            self.follow(&config).await;
        }
    }
}

/// Stop a collector and wait until it has: a collection it was inside
/// must not merge into the engine after its chain is gone.
async fn stop(task: JoinHandle<()>) {
    task.abort();
    let _ = task.await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::NodeConfig;
    use crate::model::chain::Platform;
    use crate::model::node::AdminState;

    #[test]
    fn only_what_the_adapter_is_built_from_changes_the_shape() {
        let mut c = ChainConfig::new(Platform::Ethereum);
        c.nodes.insert(
            "a".into(),
            NodeConfig {
                endpoint: Some("http://127.0.0.1:8545".into()),
                ..Default::default()
            },
        );
        let shape = AdapterShape::of(&c);
        let mut live = c.clone();
        let a = live.nodes.get_mut("a").unwrap();
        a.admin_state = AdminState::Maintenance;
        a.log_spec = Some("debug".into());
        a.thresholds.cpu_percent = Some(50.0);
        live.nodes.insert(
            "b".into(),
            NodeConfig {
                admin_state: AdminState::Down,
                ..Default::default()
            },
        );
        assert_eq!(
            AdapterShape::of(&live),
            shape,
            "applied by the running collector"
        );
        let mut moved = c.clone();
        moved.nodes.get_mut("a").unwrap().endpoint = Some("http://127.0.0.1:8546".into());
        assert_ne!(AdapterShape::of(&moved), shape);
        let mut added = c.clone();
        added.nodes.insert(
            "b".into(),
            NodeConfig {
                endpoint: Some("http://127.0.0.1:8547".into()),
                ..Default::default()
            },
        );
        assert_ne!(AdapterShape::of(&added), shape);
        let mut validator = c.clone();
        validator.nodes.get_mut("a").unwrap().role = Some(crate::model::node::NodeRole::Validator);
        assert_ne!(
            AdapterShape::of(&validator),
            shape,
            "adapters take the role when built"
        );
        let mut slower = c;
        slower.rpc_timeout_ms += 1;
        assert_ne!(AdapterShape::of(&slower), shape);
    }
}
