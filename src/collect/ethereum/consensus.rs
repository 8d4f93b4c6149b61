//! Which consensus engine a node runs and who may seal: the engine's own
//! RPC where the client has one (clique_* in geth, qbft_*/ibft_* in Besu,
//! istanbul_* in Quorum), else what the chain itself shows (clique keeps
//! its signer list in checkpoint blocks' extraData), else what the client
//! is known to do (anvil seals instantly, alone).

use super::blocks;
use super::quantity::{address, data};
use crate::collect::transport::{JsonRpc, RpcError};
use crate::model::chain::ConsensusType;
use crate::model::consensus::PendingVote;
use serde_json::{Value, json};

/// Clique's default epoch: signer lists are written every this many blocks.
pub const CLIQUE_EPOCH: u64 = 30_000;
const VANITY: usize = 32;
const SEAL: usize = 65;
const ADDRESS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// geth's clique RPC.
    Clique,
    /// Besu QBFT.
    Qbft,
    /// Besu IBFT 2.0.
    Ibft,
    /// Quorum's Istanbul family (IBFT, QBFT).
    Istanbul,
    /// Clique seen only through extraData: signers, no votes.
    CliqueExtraData,
    /// anvil: every transaction (or anvil_mine) seals a block at once.
    InstantSeal,
    Unknown,
}

impl Engine {
    pub fn algorithm(self) -> &'static str {
        match self {
            Engine::Clique | Engine::CliqueExtraData => "clique",
            Engine::Qbft => "qbft",
            Engine::Ibft => "ibft2",
            Engine::Istanbul => "istanbul",
            Engine::InstantSeal => "instant-seal",
            Engine::Unknown => "unknown",
        }
    }

    pub fn consensus_type(self) -> ConsensusType {
        match self {
            Engine::Clique | Engine::CliqueExtraData => ConsensusType::ProofOfAuthority,
            Engine::Qbft | Engine::Ibft | Engine::Istanbul => ConsensusType::Bft,
            Engine::InstantSeal => ConsensusType::Instant,
            Engine::Unknown => ConsensusType::Unknown,
        }
    }

    /// The getter that lists validators or signers at the head.
    fn validators_call(self) -> Option<(&'static str, Value)> {
        match self {
            Engine::Clique => Some(("clique_getSigners", json!([]))),
            Engine::Qbft => Some(("qbft_getValidatorsByBlockNumber", json!(["latest"]))),
            Engine::Ibft => Some(("ibft_getValidatorsByBlockNumber", json!(["latest"]))),
            Engine::Istanbul => Some(("istanbul_getValidators", json!([]))),
            _ => None,
        }
    }

    fn votes_method(self) -> Option<&'static str> {
        match self {
            Engine::Clique => Some("clique_proposals"),
            Engine::Qbft => Some("qbft_getPendingVotes"),
            Engine::Ibft => Some("ibft_getPendingVotes"),
            Engine::Istanbul => Some("istanbul_candidates"),
            _ => None,
        }
    }

    /// (propose, discard) methods for validator votes.
    pub fn vote_methods(self) -> Option<(&'static str, &'static str)> {
        match self {
            Engine::Clique => Some(("clique_propose", "clique_discard")),
            Engine::Qbft => Some(("qbft_proposeValidatorVote", "qbft_discardValidatorVote")),
            Engine::Ibft => Some(("ibft_proposeValidatorVote", "ibft_discardValidatorVote")),
            Engine::Istanbul => Some(("istanbul_propose", "istanbul_discard")),
            _ => None,
        }
    }

    pub fn has_signers(self) -> bool {
        !matches!(self, Engine::InstantSeal | Engine::Unknown)
    }
}

/// Ask each engine's getter in turn; the first namespace the node serves
/// names the engine. Otherwise decide from the client and the chain.
pub async fn detect(rpc: &JsonRpc, client: &str, head: u64) -> Result<Engine, RpcError> {
    for engine in [Engine::Clique, Engine::Qbft, Engine::Ibft, Engine::Istanbul] {
        let Some((method, params)) = engine.validators_call() else {
            continue;
        };
        match rpc.call(method, params).await {
            Ok(_) => return Ok(engine),
            Err(e) if e.is_method_not_found() => {}
            Err(e) if e.is_unreachable() => return Err(e),
            // The namespace exists but this call failed (a node still at
            // genesis, a bad block tag): the engine is still this one.
            Err(_) => return Ok(engine),
        }
    }
    if client.eq_ignore_ascii_case("anvil") {
        return Ok(Engine::InstantSeal);
    }
    Ok(match signers_from_chain(rpc, head).await? {
        Some(s) if !s.is_empty() => Engine::CliqueExtraData,
        _ => Engine::Unknown,
    })
}

/// Validators or signers at the head, lower-cased; `None` if the engine
/// does not show them.
pub async fn validators(
    rpc: &JsonRpc,
    engine: Engine,
    head: u64,
) -> Result<Option<Vec<String>>, RpcError> {
    if engine == Engine::CliqueExtraData {
        return signers_from_chain(rpc, head).await;
    }
    let Some((method, params)) = engine.validators_call() else {
        return Ok(None);
    };
    let v = rpc.call(method, params).await?;
    Ok(Some(parse_address_list(&v)))
}

/// Pending votes; `None` if the engine has no vote RPC.
pub async fn pending_votes(
    rpc: &JsonRpc,
    engine: Engine,
) -> Result<Option<Vec<PendingVote>>, RpcError> {
    let Some(method) = engine.votes_method() else {
        return Ok(None);
    };
    let v = rpc.call(method, json!([])).await?;
    Ok(Some(parse_votes(&v)))
}

/// Signers from the latest clique checkpoint block at or below `head`, or
/// from genesis if that block carries none (a non-default epoch).
async fn signers_from_chain(rpc: &JsonRpc, head: u64) -> Result<Option<Vec<String>>, RpcError> {
    let checkpoint = head / CLIQUE_EPOCH * CLIQUE_EPOCH;
    let mut heights = vec![checkpoint];
    if checkpoint != 0 {
        heights.push(0);
    }
    for h in heights {
        if let Some(b) = blocks::fetch_height(rpc, h).await?
            && let Some(s) = clique_signers(&b.extra_data)
            && !s.is_empty()
        {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

/// Clique checkpoint extraData: 32 bytes of vanity, N 20-byte signer
/// addresses, a 65-byte seal. `None` if the length does not fit that shape.
pub fn clique_signers(extra_data: &str) -> Option<Vec<String>> {
    let bytes = data(extra_data)?;
    let body = bytes.len().checked_sub(VANITY + SEAL)?;
    if body % ADDRESS != 0 {
        return None;
    }
    Some(
        bytes[VANITY..VANITY + body]
            .chunks(ADDRESS)
            .map(|a| format!("0x{}", hex::encode(a)))
            .collect(),
    )
}

/// A JSON list of addresses (clique_getSigners, qbft_getValidators…).
pub fn parse_address_list(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(address).collect())
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// `{address: authorize}` maps, as clique_proposals, qbft_getPendingVotes
/// and istanbul_candidates all answer.
pub fn parse_votes(v: &Value) -> Vec<PendingVote> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(a, auth)| {
                    Some(PendingVote {
                        address: address(a),
                        authorize: auth.as_bool()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The signer expected to seal block `height` in clique: signers sorted
/// ascending, in turn by height.
pub fn in_turn(signers: &[String], height: u64) -> Option<&String> {
    if signers.is_empty() {
        return None;
    }
    let mut sorted: Vec<&String> = signers.iter().collect();
    sorted.sort();
    sorted
        .get((height % signers.len() as u64) as usize)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(signers: &[&str]) -> String {
        let mut s = format!("0x{}", "11".repeat(VANITY));
        for a in signers {
            s.push_str(a.trim_start_matches("0x"));
        }
        s.push_str(&"00".repeat(SEAL));
        s
    }

    #[test]
    fn signers_from_clique_extra_data() {
        let a = "58e6dfd3a31a81e6c2a7c3ce24188a3467b7a3ee";
        let b = "00000000000000000000000000000000000000ff";
        assert_eq!(
            clique_signers(&extra(&[a, b])),
            Some(vec![format!("0x{a}"), format!("0x{b}")])
        );
        assert_eq!(
            clique_signers(&extra(&[])),
            Some(vec![]),
            "a non-checkpoint block"
        );
        assert_eq!(clique_signers("0x"), None, "anvil's empty extraData");
        let mut odd = extra(&[a]);
        odd.insert_str(2, "ab");
        assert_eq!(clique_signers(&odd), None, "not vanity + 20N + seal");
        assert_eq!(clique_signers("0xnothex"), None);
    }

    #[test]
    fn votes_and_address_lists() {
        let v = json!({"0xAA": true, "0xbb": false, "0xcc": "yes"});
        let votes = parse_votes(&v);
        assert_eq!(
            votes,
            vec![
                PendingVote {
                    address: "0xaa".into(),
                    authorize: true
                },
                PendingVote {
                    address: "0xbb".into(),
                    authorize: false
                },
            ]
        );
        assert!(parse_votes(&json!([])).is_empty());
        assert_eq!(
            parse_address_list(&json!(["0xBB", "0xaa", "0xbb", 3])),
            vec!["0xaa".to_string(), "0xbb".to_string()]
        );
    }

    #[test]
    fn in_turn_signer_rotates_over_sorted_signers() {
        let s = vec!["0xbb".to_string(), "0xaa".to_string()];
        assert_eq!(in_turn(&s, 4).map(String::as_str), Some("0xaa"));
        assert_eq!(in_turn(&s, 5).map(String::as_str), Some("0xbb"));
        assert_eq!(in_turn(&[], 5), None);
    }
}
