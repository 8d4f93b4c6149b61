//! bcmCrossChain: channels (CrossChainChannel), whose relay endpoint,
//! timeout, fee and capacity are configuration, the parameters the relayer
//! states for them (ChannelParameter), and recent transfers
//! (CrossChainTransfer), as the object map declares them
//! (`model::objects::crosschain`).

use super::index::IndexPart;
use super::{cell, objects};
use crate::config::ChannelConfig;
use crate::model::crosschain::{CrossChainChannel, CrossChainTransfer};
use crate::model::objects::Datum;
use crate::model::objects::crosschain::{CHANNEL, CHANNEL_PARAM, TRANSFER};
use crate::snmp::mib::{Ctx, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::crosschain::{
    CAPACITY, FEE, RELAY_ENDPOINT, TIMEOUT, TRANSFER_AMOUNT, TRANSFER_FAILURE_REASON,
    TRANSFER_STATE,
};

pub static CHANNEL_INDEX: &[&IndexPart] = &objects::index::<_, { CHANNEL.keys.len() }>(&CHANNEL);

pub static CHANNEL_TABLE: TableDef = TableDef {
    name: CHANNEL.entry,
    entry: CHANNEL.oid,
    index: CHANNEL_INDEX,
    columns: &objects::columns::<_, { CHANNEL.columns.len() }>(&CHANNEL),
    rows: |ctx| objects::rows(&CHANNEL, &ctx.snapshot.cross_chain.channels),
    get: |ctx, row, col| channel_cell(ctx, ctx.snapshot.cross_chain.channels.get(row.pos)?, col),
    set: Some(|ctx, index, col, v| objects::set(&CHANNEL, &CHANNEL_TABLE, ctx, index, col, v)),
    update: None,
};

fn channel_config<'a>(ctx: &Ctx<'a>, chain: &str, channel: &str) -> Option<&'a ChannelConfig> {
    ctx.config.chains.get(chain)?.channels.get(channel)
}

/// The parameters come from the running configuration while the channel
/// is configured (a GET after a SET shows the new value), else from the
/// snapshot (a channel removed from the configuration, shown closed).
fn channel_cell(ctx: &Ctx, c: &CrossChainChannel, col: u32) -> Option<Value> {
    let Some(config) = channel_config(ctx, &c.chain, &c.id) else {
        return objects::cell(&CHANNEL, c, col);
    };
    Some(match col {
        RELAY_ENDPOINT => cell::text(&config.relay_endpoint),
        TIMEOUT => cell::saturated(config.timeout_ms),
        FEE => cell::saturated(config.fee),
        CAPACITY => cell::unsigned(config.capacity),
        _ => return objects::cell(&CHANNEL, c, col),
    })
}

pub static TRANSFER_TABLE: TableDef = TableDef {
    name: TRANSFER.entry,
    entry: TRANSFER.oid,
    index: &objects::index::<_, { TRANSFER.keys.len() }>(&TRANSFER),
    columns: &objects::columns::<_, { TRANSFER.columns.len() }>(&TRANSFER),
    rows: |ctx| objects::shared_rows(&TRANSFER, &ctx.snapshot.cross_chain.transfers),
    get: |_, row, col| transfer_cell(row.item::<CrossChainTransfer>()?, col),
    set: None,
    update: Some(|prev, ctx| {
        objects::shared_changes(
            &TRANSFER,
            &prev.cross_chain.transfers,
            &ctx.snapshot.cross_chain.transfers,
        )
    }),
};

/// The instance suffix of a transfer.
pub fn transfer_index(t: &CrossChainTransfer) -> Option<Vec<u32>> {
    objects::instance(&TRANSFER, &[], t)
}

/// A cell of a transfer's row (also the varbinds of
/// bcmCrossChainTransferFailed).
pub fn transfer_cell(t: &CrossChainTransfer, col: u32) -> Option<Value> {
    objects::cell(&TRANSFER, t, col)
}

/// `pos` is the channel's position, `sub` the parameter's.
pub static CHANNEL_PARAM_TABLE: TableDef = TableDef {
    name: CHANNEL_PARAM.entry,
    entry: CHANNEL_PARAM.oid,
    index: &objects::index::<_, { CHANNEL_PARAM.keys.len() }>(&CHANNEL_PARAM),
    columns: &objects::columns::<_, { CHANNEL_PARAM.columns.len() }>(&CHANNEL_PARAM),
    rows: |ctx| {
        objects::nested_rows(
            &CHANNEL_PARAM,
            &ctx.snapshot.cross_chain.channels,
            |c| [Datum::Text(&c.chain), Datum::Text(&c.id)],
            |c| &c.parameters,
        )
    },
    get: |ctx, row, col| {
        let c = ctx.snapshot.cross_chain.channels.get(row.pos)?;
        objects::cell(&CHANNEL_PARAM, c.parameters.get(row.sub)?, col)
    },
    set: None,
    update: None,
};
