//! What the simulated chain is used for: members joining and leaving,
//! contracts with signatories being called (some calls failing), and value
//! moving over cross-chain channels (some transfers timing out).

use super::chain::SimBlock;
use super::network::{FaultSet, SimNode};
use super::params::Params;
use super::rng::{Rng, digest};
use crate::collect::observation::ChainEvent;
use crate::model::contract::{
    Contract, ContractExecution, ContractState, ExecutionStatus, Signatory,
};
use crate::model::crosschain::{
    ChannelState, CrossChainChannel, CrossChainTransfer, TransferDirection, TransferState,
};
use crate::model::ledger::LedgerMember;
use crate::model::log::{LogKind, LogLevel};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// Executions and transfers the simulator remembers; the core keeps its own window.
const KEEP: usize = 400;

const CONTRACTS: [(&str, &str, &[&str]); 3] = [
    (
        "asset-registry",
        "1.0.0",
        &["register", "transfer", "freeze"],
    ),
    ("escrow", "2.1.0", &["deposit", "release", "refund"]),
    ("settlement", "1.3.2", &["submit", "net", "settle"]),
];

/// Members listed at most, departed ones dropped first.
const MAX_MEMBERS: usize = 200;

const FAILURES: [&str; 3] = [
    "insufficient balance",
    "caller not authorised",
    "asset frozen",
];

pub struct Business {
    pub members: Vec<LedgerMember>,
    pub contracts: Vec<Contract>,
    /// Shared rows: the observation hands these very rows to the engine.
    pub executions: VecDeque<Arc<ContractExecution>>,
    pub channels: BTreeMap<String, CrossChainChannel>,
    /// Shared rows; a transfer that settles becomes a new row
    /// (`Arc::make_mut`), so the engine's copy of the old state stays.
    pub transfers: VecDeque<Arc<CrossChainTransfer>>,
    /// Sampled latency of each pending transfer, by id.
    pending: BTreeMap<String, u64>,
    next_member: u32,
    next_transfer: u64,
}

impl Business {
    pub fn new(
        chain: &str,
        nodes: &[SimNode],
        params: &Params,
        rng: &mut Rng,
        start: u64,
    ) -> Business {
        let founders = nodes
            .iter()
            .filter(|n| n.role == crate::model::node::NodeRole::Validator)
            .count() as u32;
        let members: Vec<LedgerMember> =
            (1..=founders).map(|i| member(chain, i, 0, start)).collect();
        let contracts = CONTRACTS
            .iter()
            .enumerate()
            .map(|(i, (name, version, _))| {
                let signers: Vec<Signatory> = members
                    .iter()
                    .filter(|_| rng.chance(0.7))
                    .take(3)
                    .map(|m| Signatory {
                        id: m.id.clone(),
                        address: m.address.clone(),
                        signed_at: start,
                    })
                    .collect();
                Contract {
                    chain: chain.to_string(),
                    id: digest(&[chain.as_bytes(), name.as_bytes()])[..42].to_string(),
                    name: name.to_string(),
                    version: version.to_string(),
                    code_hash: digest(&[name.as_bytes(), version.as_bytes()]),
                    deployer: members[i % members.len()].address.clone(),
                    deployed_at: start,
                    deploy_height: 0,
                    state: ContractState::Active,
                    signatories: signers,
                    calls: 0,
                    failed_calls: 0,
                }
            })
            .collect();
        let mut b = Business {
            members,
            contracts,
            executions: VecDeque::new(),
            channels: BTreeMap::new(),
            transfers: VecDeque::new(),
            pending: BTreeMap::new(),
            next_member: founders + 1,
            next_transfer: 1,
        };
        b.configure_channels(chain, params);
        b
    }

    /// Open channels named in the configuration, close the others, and take
    /// their new parameters.
    pub fn configure_channels(&mut self, chain: &str, params: &Params) {
        for (id, c) in &params.channels {
            let ch = self
                .channels
                .entry(id.clone())
                .or_insert_with(|| CrossChainChannel {
                    chain: chain.to_string(),
                    id: id.clone(),
                    local_chain: chain.to_string(),
                    remote_chain: c.remote_chain.clone(),
                    relay_endpoint: c.relay_endpoint.clone(),
                    timeout_ms: c.timeout_ms,
                    fee: c.fee,
                    capacity: c.capacity,
                    state: ChannelState::Open,
                    pending: 0,
                    completed: 0,
                    timed_out: 0,
                    failed: 0,
                    oldest_pending_sequence: 0,
                    oldest_pending_age_ms: 0,
                    client_expiry: None,
                    client_id: String::new(),
                    parameters: Vec::new(),
                });
            ch.remote_chain = c.remote_chain.clone();
            ch.relay_endpoint = c.relay_endpoint.clone();
            ch.timeout_ms = c.timeout_ms;
            ch.fee = c.fee;
            ch.capacity = c.capacity;
            if ch.state == ChannelState::Closed {
                ch.state = ChannelState::Open;
            }
        }
        for (id, ch) in self.channels.iter_mut() {
            if !params.channels.contains_key(id) {
                ch.state = ChannelState::Closed;
            }
        }
    }

    /// Transactions of a committed block: contract calls, and now and then
    /// a member joining or leaving.
    pub fn on_block(
        &mut self,
        chain: &str,
        block: &SimBlock,
        _nodes: &[SimNode],
        // The percent of calls a contract-fail fault makes revert.
        forced_failures: Option<f64>,
        rng: &mut Rng,
        events: &mut Vec<ChainEvent>,
    ) {
        let calls = block.tx_count / 3;
        for i in 0..calls {
            let ci = rng.below(self.contracts.len() as u64) as usize;
            let methods = CONTRACTS[ci].2;
            let method = methods[rng.below(methods.len() as u64) as usize];
            let active: Vec<&LedgerMember> =
                self.members.iter().filter(|m| m.is_active()).collect();
            let caller = active[rng.below(active.len() as u64) as usize]
                .address
                .clone();
            let roll = rng.unit();
            // A contract-fail decides on the same draw, so the rest of the
            // seeded sequence stays as it was.
            let (status, error) = if forced_failures.is_some_and(|p| roll * 100.0 < p) {
                (
                    ExecutionStatus::Reverted,
                    "execution reverted (fault contract-fail)".to_string(),
                )
            } else if roll < 0.07 {
                (
                    ExecutionStatus::Reverted,
                    FAILURES[rng.below(3) as usize].to_string(),
                )
            } else if roll < 0.09 {
                (ExecutionStatus::Failed, "out of gas".to_string())
            } else {
                (ExecutionStatus::Success, String::new())
            };
            let c = &mut self.contracts[ci];
            c.calls += 1;
            if status != ExecutionStatus::Success {
                c.failed_calls += 1;
                let src = format!("/chains/{chain}/contracts/{}", c.name);
                events.push(ChainEvent::new(
                    LogKind::Contract,
                    LogLevel::Warning,
                    src,
                    format!("{method} at height {} {:?}: {error}", block.height, status)
                        .to_lowercase(),
                ));
            }
            self.executions.push_back(Arc::new(ContractExecution {
                chain: chain.to_string(),
                contract: c.id.clone(),
                tx: digest(&[block.hash.as_bytes(), &i.to_be_bytes()]),
                height: block.height,
                caller,
                method: method.to_string(),
                status,
                cost: 21_000 + rng.below(180_000),
                time: block.time,
                error,
            }));
        }
        while self.executions.len() > KEEP {
            self.executions.pop_front();
        }
        self.churn_members(chain, block, rng, events);
    }

    fn churn_members(
        &mut self,
        chain: &str,
        block: &SimBlock,
        rng: &mut Rng,
        events: &mut Vec<ChainEvent>,
    ) {
        if !rng.chance(0.02) {
            return;
        }
        let leavers: Vec<usize> = (0..self.members.len())
            .filter(|&i| self.members[i].is_active() && self.members[i].role == "member")
            .collect();
        let src = format!("/chains/{chain}/ledger");
        if !leavers.is_empty() && rng.chance(0.4) {
            let i = leavers[rng.below(leavers.len() as u64) as usize];
            let m = &mut self.members[i];
            m.left_height = Some(block.height);
            m.left_at = Some(block.time);
            events.push(ChainEvent::new(
                LogKind::Operation,
                LogLevel::Info,
                src,
                format!("member {} left at height {}", m.id, block.height),
            ));
        } else {
            let mut m = member(chain, self.next_member, block.height, block.time);
            m.role = "member".into();
            self.next_member += 1;
            events.push(ChainEvent::new(
                LogKind::Operation,
                LogLevel::Info,
                src,
                format!("member {} joined at height {}", m.id, block.height),
            ));
            self.members.push(m);
        }
        // Departed members are history; keep only the most recent ones.
        while self.members.len() > MAX_MEMBERS {
            match self.members.iter().position(|m| !m.is_active()) {
                Some(i) => {
                    self.members.remove(i);
                }
                None => break,
            }
        }
    }

    /// One interval of cross-chain traffic: settle due transfers, start new ones.
    pub fn tick(
        &mut self,
        chain: &str,
        faults: &FaultSet,
        _params: &Params,
        rng: &mut Rng,
        now: u64,
        events: &mut Vec<ChainEvent>,
    ) {
        for row in self
            .transfers
            .iter_mut()
            .filter(|t| t.state == TransferState::Pending)
        {
            let Some(ch) = self.channels.get_mut(&row.channel) else {
                continue;
            };
            let latency = self.pending.get(&row.id).copied().unwrap_or(u64::MAX);
            let elapsed = now.saturating_sub(row.started);
            let relay_down = faults.relay_down(&row.channel);
            if !relay_down && latency <= ch.timeout_ms && elapsed >= latency {
                let t = Arc::make_mut(row);
                t.state = TransferState::Completed;
                t.finished = Some(t.started + latency);
                t.latency_ms = Some(latency);
                ch.completed += 1;
            } else if elapsed >= ch.timeout_ms {
                let t = Arc::make_mut(row);
                t.state = TransferState::TimedOut;
                t.finished = Some(t.started + ch.timeout_ms);
                t.failure_reason = if relay_down {
                    "relayer not relaying".into()
                } else {
                    format!("no acknowledgement within {} ms", ch.timeout_ms)
                };
                ch.timed_out += 1;
                let src = format!("/chains/{chain}/channels/{}", t.channel);
                events.push(ChainEvent::new(
                    LogKind::CrossChain,
                    LogLevel::Warning,
                    src,
                    format!("transfer {} timed out: {}", t.id, t.failure_reason),
                ));
            } else {
                continue;
            }
            self.pending.remove(&row.id);
        }
        for (id, ch) in self.channels.iter_mut() {
            ch.pending = self
                .transfers
                .iter()
                .filter(|t| t.channel == *id && t.state == TransferState::Pending)
                .count() as u32;
            relayer_faults(id, ch, faults, now);
            if ch.state == ChannelState::Closed {
                continue;
            }
            let starts = rng.below(3);
            for _ in 0..starts {
                if ch.pending >= ch.capacity {
                    break;
                }
                // Mostly quick, with a slow tail that the timeout catches.
                let latency = if rng.chance(0.06) {
                    rng.range_f(3000.0, 9000.0)
                } else {
                    rng.range_f(300.0, 2500.0)
                } as u64;
                let tid = format!("{id}-{}", self.next_transfer);
                self.next_transfer += 1;
                self.pending.insert(tid.clone(), latency);
                ch.pending += 1;
                self.transfers.push_back(Arc::new(CrossChainTransfer {
                    chain: chain.to_string(),
                    channel: id.clone(),
                    id: tid,
                    direction: if rng.chance(0.5) {
                        TransferDirection::Outgoing
                    } else {
                        TransferDirection::Incoming
                    },
                    state: TransferState::Pending,
                    amount: 1 + rng.below(10_000),
                    started: now,
                    finished: None,
                    latency_ms: None,
                    failure_reason: String::new(),
                }));
            }
        }
        while self.transfers.len() > KEEP {
            if let Some(t) = self.transfers.pop_front() {
                self.pending.remove(&t.id);
            }
        }
    }
}

/// What the relayer faults do to a channel: `relay-stall` leaves a packet
/// pending for `value` seconds; `client-expiry` gives the channel a light
/// client that expires `value` hours after the fault is first seen (then
/// fixed, as a real client's expiry is until it is updated).
fn relayer_faults(id: &str, ch: &mut CrossChainChannel, faults: &FaultSet, now: u64) {
    match faults.relay_stall(id) {
        Some(secs) => {
            ch.pending = ch.pending.max(1);
            ch.oldest_pending_sequence = ch.completed + ch.timed_out + 1;
            ch.oldest_pending_age_ms = secs.saturating_mul(1000);
        }
        None => {
            ch.oldest_pending_sequence = 0;
            ch.oldest_pending_age_ms = 0;
        }
    }
    match faults.client_expiry(id) {
        Some(hours) => {
            if ch.client_expiry.is_none() {
                ch.client_expiry = Some(now.saturating_add((hours * 3_600_000.0) as u64));
                ch.client_id = format!("{id}-client");
            }
        }
        None => {
            ch.client_expiry = None;
            ch.client_id = String::new();
        }
    }
}

fn member(chain: &str, i: u32, height: u64, time: u64) -> LedgerMember {
    LedgerMember {
        chain: chain.to_string(),
        id: format!("org-{i}"),
        name: format!("Organisation {i}"),
        address: digest(&[chain.as_bytes(), b"member", &i.to_be_bytes()])[..42].to_string(),
        role: "founder".into(),
        joined_height: height,
        joined_at: time,
        left_height: None,
        left_at: None,
    }
}
