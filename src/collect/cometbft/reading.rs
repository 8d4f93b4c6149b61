//! One pass over one CometBFT node's RPC: status first (a node that does
//! not answer it is down), then peers, the round, the mempool and the
//! recent block headers.

use super::blocks::{self, BlockMeta};
use super::peers::{self, Peer};
use super::round_state::{self, RoundState};
use super::rpc::{CometError, get, num};
use super::status::{self, Status};
use super::validators::{self, ValidatorEntry};
use crate::collect::transport::http::{HttpEndpoint, TransportError};

/// `/blockchain` returns at most this many headers per call.
pub const RECENT: u64 = 20;

/// Validators asked per page (CometBFT caps per_page at 100).
const PER_PAGE: u64 = 100;

#[derive(Debug, Clone, PartialEq)]
pub struct NodeReading {
    pub status: Status,
    pub peers: Option<Vec<Peer>>,
    pub round: Option<RoundState>,
    pub mempool: Option<u64>,
    pub app: Option<String>,
    pub recent: Vec<BlockMeta>,
}

pub async fn read(http: &HttpEndpoint) -> Result<NodeReading, CometError> {
    let st = get(http, "/status").await?;
    let status = status::parse(&st).ok_or_else(|| TransportError::Protocol {
        endpoint: http.base().to_string(),
        reason: "/status: no node_info or sync_info".into(),
    })?;
    let peers = optional(get(http, "/net_info").await)?.map(|v| peers::parse(&v));
    let round = optional(get(http, "/consensus_state").await)?.and_then(|v| round_state::parse(&v));
    let mempool = optional(get(http, "/num_unconfirmed_txs").await)?.map(|v| num(&v, "total"));
    let app = optional(get(http, "/abci_info").await)?.and_then(|v| {
        let r = v.get("response")?;
        let data = super::rpc::text(r, "data");
        let version = super::rpc::text(r, "version");
        Some(format!("{data} {version}").trim().to_string())
    });
    let top = status.height;
    let min = top
        .saturating_sub(RECENT - 1)
        .max(status.earliest_height)
        .max(1);
    let recent = if top == 0 {
        Vec::new()
    } else {
        optional(
            get(
                http,
                &format!("/blockchain?minHeight={min}&maxHeight={top}"),
            )
            .await,
        )?
        .map(|v| blocks::parse_blockchain(&v))
        .unwrap_or_default()
    };
    Ok(NodeReading {
        status,
        peers,
        round,
        mempool,
        app,
        recent,
    })
}

/// The validator set at `height`, every page.
pub async fn validator_set(
    http: &HttpEndpoint,
    height: u64,
) -> Result<Vec<ValidatorEntry>, CometError> {
    let mut all = Vec::new();
    for page in 1.. {
        let v = get(
            http,
            &format!("/validators?height={height}&page={page}&per_page={PER_PAGE}"),
        )
        .await?;
        let (list, total) = validators::parse_page(&v);
        let empty = list.is_empty();
        all.extend(list);
        if empty || all.len() as u64 >= total || page >= 100 {
            break;
        }
    }
    Ok(all)
}

/// The hash of the block at `height`, None when the node does not have it.
pub async fn block_hash(http: &HttpEndpoint, height: u64) -> Result<Option<String>, CometError> {
    match get(http, &format!("/block?height={height}")).await {
        Ok(v) => Ok(blocks::parse_block_hash(&v)),
        Err(CometError::Call { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// An unreachable node fails the reading; an error answer leaves the
/// attribute empty.
fn optional<T>(r: Result<T, CometError>) -> Result<Option<T>, CometError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_unreachable() => Err(e),
        Err(_) => Ok(None),
    }
}
