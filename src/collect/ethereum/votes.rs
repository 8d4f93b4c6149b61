//! Validator and signer votes. Each sealer casts its own votes (clique
//! signers put them in the blocks they seal, IBFT/QBFT validators in their
//! proposals), so a vote is sent to every node whose engine takes votes.

use super::consensus::Engine;
use super::log_level::rpc_error;
use super::node::{NodeProbe, client_name};
use crate::collect::adapter::AdapterError;
use serde_json::json;

/// Propose (`Some(authorize)`) or discard (`None`) a vote on `address`.
pub async fn apply(
    probes: &[NodeProbe],
    address: &str,
    authorize: Option<bool>,
) -> Result<(), AdapterError> {
    let mut accepted = 0;
    let mut unsupported = Vec::new();
    let mut failures = Vec::new();
    let mut unreachable = Vec::new();
    for p in probes {
        let Some(rpc) = p.rpc() else { continue };
        let candidates: Vec<Engine> = match p.engine {
            Some(e) if e.vote_methods().is_some() => vec![e],
            Some(_) => Vec::new(),
            // Not collected yet: whichever family the node serves.
            None => vec![Engine::Clique, Engine::Qbft, Engine::Ibft, Engine::Istanbul],
        };
        let mut done = false;
        for engine in candidates {
            let Some((propose, discard)) = engine.vote_methods() else {
                continue;
            };
            let call = match authorize {
                Some(a) => rpc.call(propose, json!([address, a])).await,
                None => rpc.call(discard, json!([address])).await,
            };
            match call {
                Ok(_) => {
                    accepted += 1;
                    done = true;
                    break;
                }
                Err(e) if e.is_method_not_found() => {}
                Err(e) if e.is_unreachable() => {
                    unreachable.push(p.name.clone());
                    done = true;
                    break;
                }
                Err(e) => {
                    failures.push(format!("{}: {}", p.name, rpc_error(rpc, e)));
                    done = true;
                    break;
                }
            }
        }
        if !done {
            let client = match client_name(rpc, p.client()).await {
                Ok(c) if !c.is_empty() => c,
                _ => p.name.clone(),
            };
            if !unsupported.contains(&client) {
                unsupported.push(client);
            }
        }
    }
    if accepted > 0 && failures.is_empty() {
        Ok(())
    } else if !failures.is_empty() {
        Err(AdapterError::Rejected(failures.join("; ")))
    } else if accepted > 0 || !unreachable.is_empty() && unsupported.is_empty() {
        // Cast where possible; the others cannot be asked now.
        Err(AdapterError::Unreachable {
            endpoint: unreachable.join(", "),
            reason: format!("the vote reached {accepted} node(s) only"),
        })
    } else {
        Err(AdapterError::NotSupported(format!(
            "validator votes on {}",
            if unsupported.is_empty() {
                "any reachable node".to_string()
            } else {
                unsupported.join(", ")
            }
        )))
    }
}
