//! Contracts under monitoring on an Ethereum-family chain, read with plain
//! `eth_*` calls so that every client (geth, Besu, Quorum, anvil,
//! EthereumJS) serves them: code hash and state, deployer and deploy height,
//! signatories, and the executions recorded in new blocks.
//!
//! What plain JSON-RPC cannot tell, and is therefore left empty rather than
//! guessed: the deployer of a contract created by another contract (a
//! factory; only traces name it), the method of an internal call (the
//! transaction's input is the outer contract's), internal calls that
//! reverted (their logs are discarded with them), and the date a signatory
//! signed (`signed_at` is 0). An address that has never had code is
//! reported Active with the empty-code hash and no deployment (the model has
//! no "not yet deployed" state); Destroyed needs the code to have been seen.
//! Executions are scanned forward by height: a block replaced by a
//! reorganisation after it was scanned is not scanned again.

use crate::collect::transport::{JsonRpc, RpcError, TransportError};
use crate::config::ContractConfig;
use crate::model::UnixMillis;
use crate::model::contract::{
    Contract, ContractExecution, ContractState, ExecutionStatus, Signatory,
};
use serde_json::{Value, json};
use sha3::{Digest, Keccak256};
use std::collections::{BTreeMap, BTreeSet};

/// How far back the first collection looks for executions, and the most
/// blocks one collection scans: after a long outage the monitor skips ahead
/// instead of spending minutes on history.
pub const EXECUTION_WINDOW: u64 = 256;

/// `getOwners()`, the Safe-style multisig accessor for the owner list.
pub const GET_OWNERS_SIGNATURE: &str = "getOwners()";

/// Keccak-256 as Ethereum uses it (the pre-standard padding, not SHA3-256).
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// The 4-byte function selector of a canonical signature such as
/// `setValue(uint256)`.
pub fn selector(signature: &str) -> [u8; 4] {
    let hash = keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

/// A 0x-prefixed lowercase hex rendering, the form addresses, hashes and
/// selectors take everywhere in the model.
pub fn to_hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// The method of a call as its selector, "" for a call without one (a
/// plain transfer, or input shorter than a selector).
pub fn method_of(input: &[u8]) -> String {
    input.get(..4).map(to_hex).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbiError {
    #[error("ABI data too short: need {needed} bytes, have {have}")]
    Short { needed: usize, have: usize },
    #[error("ABI offset or length {0} out of range")]
    OutOfRange(String),
    #[error("ABI word is not an address: {0}")]
    NotAnAddress(String),
}

/// One 32-byte word at `at`, or why there is none.
fn abi_word(data: &[u8], at: usize) -> Result<&[u8], AbiError> {
    let end = at
        .checked_add(32)
        .ok_or_else(|| AbiError::OutOfRange(at.to_string()))?;
    data.get(at..end).ok_or(AbiError::Short {
        needed: end,
        have: data.len(),
    })
}

/// A word read as an offset or length; anything beyond usize cannot index
/// the data, so it is out of range rather than truncated.
fn abi_usize(word: &[u8]) -> Result<usize, AbiError> {
    let (high, low) = word.split_at(24);
    if high.iter().any(|b| *b != 0) {
        return Err(AbiError::OutOfRange(to_hex(word)));
    }
    let mut buf = [0u8; 8];
    buf.copy_from_slice(low);
    usize::try_from(u64::from_be_bytes(buf)).map_err(|_| AbiError::OutOfRange(to_hex(word)))
}

/// Decodes the return data of a function returning `address[]`: a head
/// word holding the offset of the array, then its length and one word per
/// element. The data comes from the node, so every offset and length is
/// checked against it before use.
pub fn decode_address_array(data: &[u8]) -> Result<Vec<String>, AbiError> {
    let offset = abi_usize(abi_word(data, 0)?)?;
    let count = abi_usize(abi_word(data, offset)?)?;
    let first = offset + 32;
    // Checked before allocating, so a forged length costs nothing.
    let available = data.len().saturating_sub(first) / 32;
    if count > available {
        return Err(AbiError::OutOfRange(format!(
            "{count} elements, room for {available}"
        )));
    }
    (0..count)
        .map(|i| {
            let word = abi_word(data, first + 32 * i)?;
            let (padding, address) = word.split_at(12);
            if padding.iter().any(|b| *b != 0) {
                return Err(AbiError::NotAnAddress(to_hex(word)));
            }
            Ok(to_hex(address))
        })
        .collect()
}

/// Deployment facts, found once and kept: a deployment never changes.
#[derive(Debug, Clone, PartialEq)]
struct Deployment {
    height: u64,
    time: UnixMillis,
    /// "" when the contract was created by another contract (or is in the
    /// genesis), which no receipt names.
    deployer: String,
}

/// The deployment search either found the creation block or learned that
/// the node cannot answer (no historic state: a pruned, non-archive node);
/// both are final, so neither is searched again.
#[derive(Debug, Clone, PartialEq)]
enum DeploymentLookup {
    Found(Deployment),
    Unavailable,
}

#[derive(Debug, Clone)]
struct Watched {
    /// The address as configured: the contract's id in the model.
    id: String,
    /// Lowercase, for comparing with what nodes return.
    address: String,
    config: ContractConfig,
    code_seen: bool,
    deployment: Option<DeploymentLookup>,
    /// The first block whose executions are not yet recorded.
    next_height: Option<u64>,
    calls: u64,
    failed_calls: u64,
}

impl Watched {
    fn new(id: &str, config: &ContractConfig) -> Watched {
        Watched {
            id: id.to_string(),
            address: id.to_ascii_lowercase(),
            config: config.clone(),
            code_seen: false,
            deployment: None,
            next_height: None,
            calls: 0,
            failed_calls: 0,
        }
    }

    fn deployment(&self) -> Option<&Deployment> {
        match &self.deployment {
            Some(DeploymentLookup::Found(d)) => Some(d),
            _ => None,
        }
    }

    /// The first height to scan for executions at `head`: where the last
    /// collection stopped, or a bounded window back (never before the
    /// deployment) the first time, and never more than the window.
    fn scan_start(&self, head: u64) -> u64 {
        let window_start = head.saturating_sub(EXECUTION_WINDOW - 1);
        match self.next_height {
            Some(next) => next.max(window_start),
            None => window_start.max(self.deployment().map_or(0, |d| d.height)),
        }
    }
}

/// Watches the configured contracts of one chain; keeps what never changes
/// (deployments) and where execution scanning stopped between collections.
#[derive(Debug)]
pub struct ContractMonitor {
    chain: String,
    watched: BTreeMap<String, Watched>,
}

/// One transaction touching a watched contract, before its receipt is read.
#[derive(Debug, Clone)]
struct Candidate {
    hash: String,
    height: u64,
    /// "" for an internal call, whose input belongs to another contract.
    method: String,
}

impl ContractMonitor {
    pub fn new(chain: &str, contracts: &BTreeMap<String, ContractConfig>) -> Self {
        let mut monitor = ContractMonitor {
            chain: chain.to_string(),
            watched: BTreeMap::new(),
        };
        monitor.configure(contracts);
        monitor
    }

    /// Applies a new contract list: contracts still listed keep their
    /// deployment, scan position and counters; removed ones are forgotten.
    pub fn configure(&mut self, contracts: &BTreeMap<String, ContractConfig>) {
        let mut next = BTreeMap::new();
        for (id, config) in contracts {
            let key = id.to_ascii_lowercase();
            let mut w = self
                .watched
                .remove(&key)
                .unwrap_or_else(|| Watched::new(id, config));
            w.id = id.clone();
            w.config = config.clone();
            next.insert(key, w);
        }
        self.watched = next;
    }

    /// Reads every watched contract at `head` and the executions in blocks
    /// added since the last call. A failed call leaves the scan position
    /// and counters as they were, so the next collection retries the same
    /// blocks instead of losing them.
    pub async fn collect(
        &mut self,
        rpc: &JsonRpc,
        head: u64,
    ) -> Result<(Vec<Contract>, Vec<ContractExecution>), RpcError> {
        let mut contracts = Vec::with_capacity(self.watched.len());
        let mut codes_seen = Vec::with_capacity(self.watched.len());
        for w in self.watched.values_mut() {
            let code = get_code(rpc, &w.address, head).await?;
            let has_code = !code.is_empty();
            if has_code && w.deployment.is_none() {
                w.deployment = Some(find_deployment(rpc, &w.address, head).await?);
            }
            let signatories = signatories(rpc, w, head, has_code).await?;
            let state = if !has_code && w.code_seen {
                ContractState::Destroyed
            } else {
                ContractState::Active
            };
            codes_seen.push(has_code || w.code_seen);
            let deployment = w.deployment().cloned();
            contracts.push(Contract {
                chain: self.chain.clone(),
                id: w.id.clone(),
                name: w.config.name.clone(),
                // Ethereum contracts carry no version.
                version: String::new(),
                code_hash: to_hex(&keccak256(&code)),
                deployer: deployment
                    .as_ref()
                    .map(|d| d.deployer.clone())
                    .unwrap_or_default(),
                deployed_at: deployment.as_ref().map_or(0, |d| d.time),
                deploy_height: deployment.as_ref().map_or(0, |d| d.height),
                state,
                signatories,
                calls: w.calls,
                failed_calls: w.failed_calls,
            });
        }

        // Only contracts whose code has been seen are scanned: transfers to
        // an address that is not (yet) a contract are not executions.
        let starts: BTreeMap<String, u64> = self
            .watched
            .iter()
            .zip(&codes_seen)
            .filter(|(_, seen)| **seen)
            .map(|((key, w), _)| (key.clone(), w.scan_start(head)))
            .filter(|(_, start)| *start <= head)
            .collect();
        let executions = match starts.values().min() {
            Some(&from) => self.scan(rpc, &starts, from, head).await?,
            None => BTreeMap::new(),
        };

        // Everything succeeded: commit positions and counters.
        for ((key, w), seen) in self.watched.iter_mut().zip(codes_seen) {
            w.code_seen = seen;
            if starts.contains_key(key) {
                w.next_height = Some(head + 1);
            }
            for e in executions.get(key).into_iter().flatten() {
                w.calls += 1;
                if e.status != ExecutionStatus::Success {
                    w.failed_calls += 1;
                }
            }
        }
        for c in &mut contracts {
            if let Some(w) = self.watched.get(&c.id.to_ascii_lowercase()) {
                c.calls = w.calls;
                c.failed_calls = w.failed_calls;
            }
        }
        Ok((contracts, executions.into_values().flatten().collect()))
    }

    /// Finds the executions in blocks `from..=head`, per watched contract
    /// (keyed like `watched`), each contract only from its own start. Each
    /// block is read once however many contracts are watched.
    async fn scan(
        &self,
        rpc: &JsonRpc,
        starts: &BTreeMap<String, u64>,
        from: u64,
        head: u64,
    ) -> Result<BTreeMap<String, Vec<ContractExecution>>, RpcError> {
        let wanted = |key: &str, height: u64| starts.get(key).is_some_and(|s| height >= *s);
        let mut times: BTreeMap<u64, UnixMillis> = BTreeMap::new();
        // (height, index in block) orders each contract's executions as the
        // chain does, and removes a call found both ways.
        let mut found: BTreeMap<String, BTreeMap<(u64, u64), Candidate>> = BTreeMap::new();
        for height in from..=head {
            let block = rpc
                .call("eth_getBlockByNumber", json!([quantity(height), true]))
                .await?;
            let time = block_time(rpc, &block)?;
            times.insert(height, time);
            let txs = block
                .get("transactions")
                .and_then(Value::as_array)
                .ok_or_else(|| protocol(rpc, format!("block {height} without transactions")))?;
            for (index, tx) in txs.iter().enumerate() {
                let Some(to) = tx.get("to").and_then(Value::as_str) else {
                    continue;
                };
                let key = to.to_ascii_lowercase();
                if wanted(&key, height) {
                    let hash = str_field(rpc, tx, "hash")?;
                    let input = data_field(rpc, tx, "input")?;
                    found.entry(key).or_default().insert(
                        (height, index as u64),
                        Candidate {
                            hash,
                            height,
                            method: method_of(&input),
                        },
                    );
                }
            }
        }

        // Calls made by other contracts show only through the logs the
        // watched contract emitted.
        let addresses: Vec<&String> = starts.keys().collect();
        let logs = rpc
            .call(
                "eth_getLogs",
                json!([{"fromBlock": quantity(from), "toBlock": quantity(head), "address": addresses}]),
            )
            .await?;
        for log in logs
            .as_array()
            .ok_or_else(|| protocol(rpc, "eth_getLogs: not an array".into()))?
        {
            if log.get("removed").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let key = str_field(rpc, log, "address")?.to_ascii_lowercase();
            let height = quantity_field(rpc, log, "blockNumber")?;
            let index = quantity_field(rpc, log, "transactionIndex")?;
            if !wanted(&key, height) {
                continue;
            }
            let hash = str_field(rpc, log, "transactionHash")?;
            found
                .entry(key)
                .or_default()
                .entry((height, index))
                .or_insert(Candidate {
                    hash,
                    height,
                    method: String::new(),
                });
        }

        let mut executions = BTreeMap::new();
        for (key, candidates) in found {
            let Some(w) = self.watched.get(&key) else {
                continue;
            };
            let mut list = Vec::with_capacity(candidates.len());
            for c in candidates.into_values() {
                let receipt = receipt(rpc, &c.hash).await?;
                let (status, error) = match receipt.get("status").and_then(Value::as_str) {
                    Some("0x1") => (ExecutionStatus::Success, String::new()),
                    Some("0x0") => (ExecutionStatus::Reverted, "reverted".to_string()),
                    // Receipts before Byzantium carry a state root instead.
                    _ => (ExecutionStatus::Failed, "receipt has no status".to_string()),
                };
                list.push(ContractExecution {
                    chain: self.chain.clone(),
                    contract: w.id.clone(),
                    tx: c.hash,
                    height: c.height,
                    caller: str_field(rpc, &receipt, "from")?.to_ascii_lowercase(),
                    method: c.method,
                    status,
                    cost: quantity_field(rpc, &receipt, "gasUsed")?,
                    time: times.get(&c.height).copied().unwrap_or_default(),
                    error,
                });
            }
            executions.insert(key, list);
        }
        Ok(executions)
    }
}

/// The configured signatories, then (when asked) the contract's own
/// owners, each address once whatever its case.
async fn signatories(
    rpc: &JsonRpc,
    w: &Watched,
    head: u64,
    has_code: bool,
) -> Result<Vec<Signatory>, RpcError> {
    let mut addresses: Vec<String> = w
        .config
        .signatories
        .iter()
        .map(|a| a.to_ascii_lowercase())
        .collect();
    if w.config.owners_from_contract && has_code {
        addresses.extend(owners(rpc, &w.address, head).await?);
    }
    let mut seen = BTreeSet::new();
    Ok(addresses
        .into_iter()
        .filter(|a| seen.insert(a.clone()))
        .map(|address| Signatory {
            id: address.clone(),
            address,
            signed_at: 0,
        })
        .collect())
}

/// The owners the contract reports. A contract without `getOwners()`
/// reverts the call, and one with a different return type gives data that
/// does not decode: both mean "no owners to report", not a failed
/// collection.
async fn owners(rpc: &JsonRpc, address: &str, head: u64) -> Result<Vec<String>, RpcError> {
    let call = json!({"to": address, "data": to_hex(&selector(GET_OWNERS_SIGNATURE))});
    let data = match rpc.call("eth_call", json!([call, quantity(head)])).await {
        Ok(v) => v,
        Err(RpcError::Call { message, .. }) => {
            tracing::debug!(contract = address, %message, "getOwners() failed");
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let bytes = data
        .as_str()
        .and_then(decode_hex)
        .ok_or_else(|| protocol(rpc, "eth_call: result is not hex data".into()))?;
    Ok(decode_address_array(&bytes).unwrap_or_else(|e| {
        tracing::debug!(contract = address, error = %e, "getOwners() result not address[]");
        Vec::new()
    }))
}

async fn get_code(rpc: &JsonRpc, address: &str, height: u64) -> Result<Vec<u8>, RpcError> {
    let code = rpc
        .call("eth_getCode", json!([address, quantity(height)]))
        .await?;
    code.as_str()
        .and_then(decode_hex)
        .ok_or_else(|| protocol(rpc, "eth_getCode: result is not hex data".into()))
}

/// The creation block is the lowest height at which the address has code
/// (code is present at `head`); a binary search costs log2(head) calls,
/// once per contract. The receipt in that block whose `contractAddress`
/// is the address names the deployer.
async fn find_deployment(
    rpc: &JsonRpc,
    address: &str,
    head: u64,
) -> Result<DeploymentLookup, RpcError> {
    let (mut low, mut high) = (0u64, head);
    while low < high {
        let mid = low + (high - low) / 2;
        match get_code(rpc, address, mid).await {
            Ok(code) if code.is_empty() => low = mid + 1,
            Ok(_) => high = mid,
            // A node without historic state refuses old heights ("missing
            // trie node", "header not found"): it will keep refusing.
            Err(RpcError::Call { message, .. }) => {
                tracing::info!(contract = address, %message, "deployment not searchable");
                return Ok(DeploymentLookup::Unavailable);
            }
            Err(e) => return Err(e),
        }
    }
    let block = rpc
        .call("eth_getBlockByNumber", json!([quantity(low), true]))
        .await?;
    let time = block_time(rpc, &block)?;
    let mut deployer = String::new();
    let txs = block
        .get("transactions")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    // Only transactions without a recipient create contracts directly.
    for tx in txs
        .iter()
        .filter(|tx| tx.get("to").is_none_or(Value::is_null))
    {
        let receipt = receipt(rpc, &str_field(rpc, tx, "hash")?).await?;
        let created = receipt.get("contractAddress").and_then(Value::as_str);
        if created.is_some_and(|c| c.eq_ignore_ascii_case(address)) {
            deployer = str_field(rpc, &receipt, "from")?.to_ascii_lowercase();
            break;
        }
    }
    Ok(DeploymentLookup::Found(Deployment {
        height: low,
        time,
        deployer,
    }))
}

async fn receipt(rpc: &JsonRpc, hash: &str) -> Result<Value, RpcError> {
    let r = rpc.call("eth_getTransactionReceipt", json!([hash])).await?;
    if r.is_null() {
        return Err(protocol(rpc, format!("no receipt for {hash}")));
    }
    Ok(r)
}

fn block_time(rpc: &JsonRpc, block: &Value) -> Result<UnixMillis, RpcError> {
    if block.is_null() {
        return Err(protocol(rpc, "eth_getBlockByNumber: no such block".into()));
    }
    Ok(quantity_field(rpc, block, "timestamp")?.saturating_mul(1000))
}

fn quantity(n: u64) -> String {
    format!("0x{n:x}")
}

/// A JSON-RPC QUANTITY ("0x1a"): hex without leading zeros, but read
/// leniently since some clients pad.
pub fn parse_quantity(s: &str) -> Option<u64> {
    let digits = s.strip_prefix("0x")?;
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// JSON-RPC DATA ("0x" + an even number of hex digits).
pub fn decode_hex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s.strip_prefix("0x")?).ok()
}

fn protocol(rpc: &JsonRpc, reason: String) -> RpcError {
    TransportError::Protocol {
        endpoint: rpc.endpoint().to_string(),
        reason,
    }
    .into()
}

fn str_field(rpc: &JsonRpc, v: &Value, name: &str) -> Result<String, RpcError> {
    v.get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| protocol(rpc, format!("missing {name}")))
}

fn quantity_field(rpc: &JsonRpc, v: &Value, name: &str) -> Result<u64, RpcError> {
    v.get(name)
        .and_then(Value::as_str)
        .and_then(parse_quantity)
        .ok_or_else(|| protocol(rpc, format!("{name} is not a quantity")))
}

fn data_field(rpc: &JsonRpc, v: &Value, name: &str) -> Result<Vec<u8>, RpcError> {
    v.get(name)
        .and_then(Value::as_str)
        .and_then(decode_hex)
        .ok_or_else(|| protocol(rpc, format!("{name} is not hex data")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(tail: &[u8]) -> Vec<u8> {
        let mut w = vec![0u8; 32 - tail.len()];
        w.extend_from_slice(tail);
        w
    }

    fn address_array(addresses: &[[u8; 20]]) -> Vec<u8> {
        let mut data = word(&[0x20]);
        data.extend(word(&[addresses.len() as u8]));
        for a in addresses {
            data.extend(word(a));
        }
        data
    }

    #[test]
    fn keccak_of_nothing_is_the_known_vector() {
        assert_eq!(
            hex::encode(keccak256(b"")),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
    }

    #[test]
    fn selectors_match_known_functions() {
        assert_eq!(to_hex(&selector("getOwners()")), "0xa0e67e2b");
        // ERC-20 transfer, the most widely published selector.
        assert_eq!(to_hex(&selector("transfer(address,uint256)")), "0xa9059cbb");
    }

    #[test]
    fn method_is_the_selector_or_empty() {
        assert_eq!(method_of(&[0xa9, 0x05, 0x9c, 0xbb, 0, 1]), "0xa9059cbb");
        assert_eq!(method_of(&[]), "");
        assert_eq!(method_of(&[1, 2, 3]), "");
    }

    #[test]
    fn decodes_an_address_array() {
        let a = [0x11u8; 20];
        let mut b = [0u8; 20];
        b[19] = 0xab;
        let got = decode_address_array(&address_array(&[a, b])).unwrap();
        assert_eq!(
            got,
            vec![
                format!("0x{}", "11".repeat(20)),
                format!("0x{}ab", "00".repeat(19))
            ]
        );
        assert_eq!(
            decode_address_array(&address_array(&[])).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn follows_a_non_standard_offset() {
        // Head word points past a padding word to the array.
        let mut data = word(&[0x40]);
        data.extend(word(&[0xff]));
        data.extend(word(&[1]));
        data.extend(word(&[0x22; 20]));
        assert_eq!(
            decode_address_array(&data).unwrap(),
            vec![format!("0x{}", "22".repeat(20))]
        );
    }

    #[test]
    fn rejects_short_and_forged_data_without_panicking() {
        assert!(matches!(
            decode_address_array(&[]),
            Err(AbiError::Short { .. })
        ));
        assert!(decode_address_array(&[0u8; 31]).is_err());
        // Offset beyond the data.
        assert!(decode_address_array(&word(&[0x40])).is_err());
        // Offset that does not fit a usize.
        assert!(decode_address_array(&[0xffu8; 64]).is_err());
        // Offset near usize::MAX must not overflow.
        let mut data = word(&u64::MAX.to_be_bytes());
        data.extend(word(&[0]));
        assert!(decode_address_array(&data).is_err());
        // Length claiming more elements than the data holds.
        let mut data = word(&[0x20]);
        data.extend(word(&[3]));
        data.extend(word(&[0x11; 20]));
        assert!(matches!(
            decode_address_array(&data),
            Err(AbiError::OutOfRange(_))
        ));
        // A huge length is refused before any allocation.
        let mut data = word(&[0x20]);
        data.extend(word(&[0xff; 8]));
        assert!(decode_address_array(&data).is_err());
        // Truncated element.
        let mut data = address_array(&[[0x11; 20]]);
        data.truncate(data.len() - 1);
        assert!(decode_address_array(&data).is_err());
    }

    #[test]
    fn rejects_words_that_are_not_addresses() {
        let mut data = word(&[0x20]);
        data.extend(word(&[1]));
        data.extend([0x01u8; 32]);
        assert!(matches!(
            decode_address_array(&data),
            Err(AbiError::NotAnAddress(_))
        ));
    }

    #[test]
    fn parses_quantities_and_data() {
        assert_eq!(parse_quantity("0x0"), Some(0));
        assert_eq!(parse_quantity("0x1a"), Some(26));
        assert_eq!(parse_quantity("0x"), None);
        assert_eq!(parse_quantity("1a"), None);
        assert_eq!(parse_quantity("0x1ffffffffffffffff"), None);
        assert_eq!(decode_hex("0x"), Some(vec![]));
        assert_eq!(decode_hex("0x0aff"), Some(vec![0x0a, 0xff]));
        assert_eq!(decode_hex("0xabc"), None);
        assert_eq!(decode_hex("abcd"), None);
    }

    #[test]
    fn configure_keeps_state_of_contracts_still_listed() {
        let mut first = BTreeMap::new();
        first.insert("0xAbC".to_string(), ContractConfig::default());
        first.insert("0xdef".to_string(), ContractConfig::default());
        let mut m = ContractMonitor::new("c", &first);
        for w in m.watched.values_mut() {
            w.calls = 5;
            w.next_height = Some(10);
        }
        let mut second = BTreeMap::new();
        second.insert(
            "0xabc".to_string(),
            ContractConfig {
                name: "renamed".into(),
                ..ContractConfig::default()
            },
        );
        second.insert("0x123".to_string(), ContractConfig::default());
        m.configure(&second);
        assert_eq!(m.watched.len(), 2);
        let kept = &m.watched["0xabc"];
        assert_eq!((kept.calls, kept.next_height), (5, Some(10)));
        assert_eq!(kept.config.name, "renamed");
        assert_eq!(kept.id, "0xabc");
        let added = &m.watched["0x123"];
        assert_eq!((added.calls, added.next_height), (0, None));
        assert!(!m.watched.contains_key("0xdef"));
    }

    #[test]
    fn scan_starts_within_the_window_and_after_deployment() {
        let mut w = Watched::new("0xa", &ContractConfig::default());
        assert_eq!(w.scan_start(1000), 1000 - EXECUTION_WINDOW + 1);
        assert_eq!(w.scan_start(10), 0);
        w.deployment = Some(DeploymentLookup::Found(Deployment {
            height: 900,
            time: 0,
            deployer: String::new(),
        }));
        assert_eq!(w.scan_start(1000), 900);
        w.next_height = Some(995);
        assert_eq!(w.scan_start(1000), 995);
        // After a long outage only the last window is scanned.
        assert_eq!(w.scan_start(5000), 5000 - EXECUTION_WINDOW + 1);
    }
}
