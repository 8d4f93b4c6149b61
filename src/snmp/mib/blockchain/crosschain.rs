//! bcmCrossChain: channels (CrossChainChannel), whose relay endpoint,
//! timeout, fee and capacity are configuration, the parameters the relayer
//! states for them (ChannelParameter), and recent transfers
//! (CrossChainTransfer).

use super::chains::CHAIN_NAME;
use super::edit;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, ro, row, rw};
use crate::config::ChannelConfig;
use crate::model::crosschain::{ChannelParameter, CrossChainChannel, CrossChainTransfer};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{
    channel_state_number, saturate_u32, transfer_direction_number, transfer_state_number,
};
use crate::snmp::mib::{Ctx, Row, SetAction, SetError, TableDef};
use crate::snmp::value::Value;
use serde_json::json;

pub static CHANNEL_NAME: IndexPart = IndexPart {
    name: "bcmChannelName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub static CHANNEL_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &CHANNEL_NAME];

pub const RELAY_ENDPOINT: u32 = 4;
pub const TIMEOUT: u32 = 5;
pub const FEE: u32 = 6;
pub const CAPACITY: u32 = 7;

pub static CHANNEL_TABLE: TableDef = TableDef {
    name: "bcmChannelEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 1, 1],
    index: CHANNEL_INDEX,
    columns: &[
        ro(2, "bcmChannelLocalChain", OctetString),
        ro(3, "bcmChannelRemoteChain", OctetString),
        rw(RELAY_ENDPOINT, "bcmChannelRelayEndpoint", OctetString),
        rw(TIMEOUT, "bcmChannelTimeout", Unsigned32),
        rw(FEE, "bcmChannelFee", Unsigned32),
        rw(CAPACITY, "bcmChannelCapacity", Unsigned32),
        ro(8, "bcmChannelState", Integer32),
        ro(9, "bcmChannelPending", Gauge32),
        ro(10, "bcmChannelCompleted", Counter64),
        ro(11, "bcmChannelTimedOut", Counter64),
        ro(12, "bcmChannelFailed", Counter64),
        ro(13, "bcmChannelOldestPendingSeq", Unsigned32),
        ro(14, "bcmChannelOldestPendingAge", Gauge32),
        ro(15, "bcmChannelClientExpiry", OctetString),
    ],
    rows: channel_rows,
    get: channel_get,
    set: Some(channel_set),
};

fn channel_rows(ctx: &Ctx) -> Vec<Row> {
    let channels = &ctx.snapshot.cross_chain.channels;
    channels
        .iter()
        .enumerate()
        .filter_map(|(pos, c)| {
            let keys = [Key::text(&c.chain), Key::text(&c.id)];
            row(index::encode(CHANNEL_INDEX, &keys), pos, 0)
        })
        .collect()
}

fn channel_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    channel_cell(ctx, ctx.snapshot.cross_chain.channels.get(row.pos)?, col)
}

fn channel_config<'a>(ctx: &Ctx<'a>, chain: &str, channel: &str) -> Option<&'a ChannelConfig> {
    ctx.config.chains.get(chain)?.channels.get(channel)
}

/// The parameters come from the running configuration while the channel
/// is configured (a GET after a SET shows the new value), else from the
/// snapshot (a channel removed from the configuration, shown closed).
fn channel_cell(ctx: &Ctx, c: &CrossChainChannel, col: u32) -> Option<Value> {
    let config = channel_config(ctx, &c.chain, &c.id);
    Some(match col {
        2 => cell::text(&c.local_chain),
        3 => cell::text(&c.remote_chain),
        RELAY_ENDPOINT => cell::text(config.map_or(&c.relay_endpoint, |k| &k.relay_endpoint)),
        TIMEOUT => cell::saturated(config.map_or(c.timeout_ms, |k| k.timeout_ms)),
        FEE => cell::saturated(config.map_or(c.fee, |k| k.fee)),
        CAPACITY => cell::unsigned(config.map_or(c.capacity, |k| k.capacity)),
        8 => cell::int(channel_state_number(c.state)),
        9 => cell::unsigned(c.pending),
        10 => cell::counter64(c.completed),
        11 => cell::counter64(c.timed_out),
        12 => cell::counter64(c.failed),
        13 => cell::saturated(c.oldest_pending_sequence),
        14 => cell::saturated(c.oldest_pending_age_ms),
        15 => cell::date(c.client_expiry?),
        _ => return None,
    })
}

/// SET of a channel parameter -> chains/<chain>/channels/<channel>/<key>.
/// Channels are created by configuration, never by SET.
fn channel_set(ctx: &Ctx, index: &[u32], col: u32, v: &Value) -> Result<SetAction, SetError> {
    let (key, value) = match col {
        RELAY_ENDPOINT => ("relay-endpoint", json!(edit::admin_string(v)?)),
        TIMEOUT => ("timeout-ms", json!(edit::unsigned(v)?)),
        FEE => ("fee", json!(edit::unsigned(v)?)),
        CAPACITY => ("capacity", json!(edit::unsigned(v)?)),
        _ => return Err(SetError::NotWritable),
    };
    let [chain, channel]: [String; 2] = index::decode_texts(CHANNEL_INDEX, index)
        .and_then(|v| v.try_into().ok())
        .ok_or(SetError::NoCreation)?;
    let channels = &ctx.snapshot.cross_chain.channels;
    if !channels.iter().any(|c| c.chain == chain && c.id == channel) {
        return Err(SetError::NoCreation);
    }
    if channel_config(ctx, &chain, &channel).is_none() {
        return Err(SetError::InconsistentValue);
    }
    Ok(edit::set(
        &["chains", &chain, "channels", &channel, key],
        value,
    ))
}

pub static TRANSFER_ID: IndexPart = IndexPart {
    name: "bcmTransferId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 2, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub static TRANSFER_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &CHANNEL_NAME, &TRANSFER_ID];

/// The objects of bcmCrossChainTransferFailed.
pub const TRANSFER_STATE: u32 = 3;
pub const TRANSFER_AMOUNT: u32 = 4;
pub const TRANSFER_FAILURE_REASON: u32 = 8;

pub static TRANSFER_TABLE: TableDef = TableDef {
    name: "bcmTransferEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 2, 1],
    index: TRANSFER_INDEX,
    columns: &[
        ro(2, "bcmTransferDirection", Integer32),
        ro(TRANSFER_STATE, "bcmTransferState", Integer32),
        ro(TRANSFER_AMOUNT, "bcmTransferAmount", OctetString),
        ro(5, "bcmTransferStarted", OctetString),
        ro(6, "bcmTransferFinished", OctetString),
        ro(7, "bcmTransferLatency", Unsigned32),
        ro(
            TRANSFER_FAILURE_REASON,
            "bcmTransferFailureReason",
            OctetString,
        ),
    ],
    rows: transfer_rows,
    get: transfer_get,
    set: None,
};

/// The instance suffix of a transfer.
pub fn transfer_index(t: &CrossChainTransfer) -> Option<Vec<u32>> {
    let keys = [Key::text(&t.chain), Key::text(&t.channel), Key::text(&t.id)];
    index::encode(TRANSFER_INDEX, &keys)
}

fn transfer_rows(ctx: &Ctx) -> Vec<Row> {
    let transfers = &ctx.snapshot.cross_chain.transfers;
    transfers
        .iter()
        .enumerate()
        .filter_map(|(pos, t)| row(transfer_index(t), pos, 0))
        .collect()
}

fn transfer_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    transfer_cell(ctx.snapshot.cross_chain.transfers.get(row.pos)?, col)
}

/// A cell of a transfer's row (also the varbinds of
/// bcmCrossChainTransferFailed).
pub fn transfer_cell(t: &CrossChainTransfer, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::int(transfer_direction_number(t.direction)),
        TRANSFER_STATE => cell::int(transfer_state_number(t.state)),
        TRANSFER_AMOUNT => cell::decimal(t.amount),
        5 => cell::date(t.started),
        6 => cell::date(t.finished?),
        7 => cell::unsigned(saturate_u32(t.latency_ms?)),
        TRANSFER_FAILURE_REASON => cell::text(&t.failure_reason),
        _ => return None,
    })
}

pub static CHANNEL_PARAM_NAME: IndexPart = IndexPart {
    name: "bcmChannelParamName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub static CHANNEL_PARAM_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &CHANNEL_NAME, &CHANNEL_PARAM_NAME];

pub static CHANNEL_PARAM_TABLE: TableDef = TableDef {
    name: "bcmChannelParamEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 3, 1],
    index: CHANNEL_PARAM_INDEX,
    columns: &[ro(2, "bcmChannelParamValue", OctetString)],
    rows: channel_param_rows,
    get: channel_param_get,
    set: None,
};

/// `pos` is the channel's position, `sub` the parameter's.
fn channel_param_rows(ctx: &Ctx) -> Vec<Row> {
    let channels = &ctx.snapshot.cross_chain.channels;
    channels
        .iter()
        .enumerate()
        .flat_map(|(pos, c)| {
            c.parameters.iter().enumerate().filter_map(move |(sub, p)| {
                let keys = [Key::text(&c.chain), Key::text(&c.id), Key::text(&p.name)];
                row(index::encode(CHANNEL_PARAM_INDEX, &keys), pos, sub)
            })
        })
        .collect()
}

fn channel_param_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let c = ctx.snapshot.cross_chain.channels.get(row.pos)?;
    channel_param_cell(c.parameters.get(row.sub)?, col)
}

fn channel_param_cell(p: &ChannelParameter, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&p.value),
        _ => return None,
    })
}
