//! bcmCrossChain / chain-agent-crosschain: channels (CrossChainChannel),
//! the parameters the relayer states for them (ChannelParameter), and
//! recent transfers (CrossChainTransfer).
//!
//! A channel's relay endpoint, timeout, fee and capacity are
//! configuration: the map declares their columns, the values the
//! channel reports and the leaves a SET edits; the SNMP reading of the
//! configured value stays with SNMP's channel table.

use super::Datum::*;
use super::Syntax::*;
use super::Yang::{Leaf, Mandatory};
use super::chain::CHAIN_NAME;
use super::enums::{channel_state, transfer_direction, transfer_state};
use super::{Column, IndexPart, IndexSyntax, Input, Key, Step, Table, config, ro, rw};
use crate::model::crosschain::{ChannelParameter, CrossChainChannel, CrossChainTransfer};
use crate::model::text::cut_utf8;

/// The most octets of the channel's configured texts, as of the MIB's.
const TEXT_MAX: usize = 255;

/// A number the MIB shows as an Unsigned32, clamped alike in YANG.
fn clamped<'a>(v: u64) -> super::Datum<'a> {
    U64(v.min(u64::from(u32::MAX)))
}

pub static CHANNEL_NAME: IndexPart = IndexPart {
    name: "bcmChannelName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub const RELAY_ENDPOINT: u32 = 4;
pub const TIMEOUT: u32 = 5;
pub const FEE: u32 = 6;
pub const CAPACITY: u32 = 7;

/// `chains/<chain>/channels/<channel>/<leaf>`: a channel's setting,
/// which a SET edits for a configured channel (the first 4 steps).
const fn channel_leaf(leaf: &'static str) -> [Step; 5] {
    [
        Step::Name("chains"),
        Step::Key(0),
        Step::Name("channels"),
        Step::Key(1),
        Step::Name(leaf),
    ]
}
const RELAY_ENDPOINT_AT: &[Step] = &channel_leaf("relay-endpoint");
const TIMEOUT_AT: &[Step] = &channel_leaf("timeout-ms");
const FEE_AT: &[Step] = &channel_leaf("fee");
const CAPACITY_AT: &[Step] = &channel_leaf("capacity");

pub static CHANNEL: Table<CrossChainChannel> = Table {
    entry: "bcmChannelEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 1, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|c| Some(Text(&c.chain))),
        },
        Key {
            part: &CHANNEL_NAME,
            leaf: Some("id"),
            why: None,
            get: Some(|c| Some(Text(&c.id))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmChannelLocalChain", AdminString, Leaf("local-chain")),
            get: |c| Some(Text(&c.local_chain)),
        },
        Column {
            object: ro(
                3,
                "bcmChannelRemoteChain",
                AdminString,
                Mandatory("remote-chain"),
            ),
            get: |c| Some(Text(cut_utf8(&c.remote_chain, TEXT_MAX))),
        },
        Column {
            object: rw(
                RELAY_ENDPOINT,
                "bcmChannelRelayEndpoint",
                AdminString,
                Leaf("relay-endpoint"),
                config(RELAY_ENDPOINT_AT, 4, Input::Text),
            ),
            get: |c| Some(Text(cut_utf8(&c.relay_endpoint, TEXT_MAX))),
        },
        Column {
            object: rw(
                TIMEOUT,
                "bcmChannelTimeout",
                Unsigned32,
                Leaf("timeout-ms"),
                config(TIMEOUT_AT, 4, Input::Unsigned),
            )
            .unit("milliseconds"),
            get: |c| Some(clamped(c.timeout_ms)),
        },
        Column {
            object: rw(
                FEE,
                "bcmChannelFee",
                Unsigned32,
                Leaf("fee"),
                config(FEE_AT, 4, Input::Unsigned),
            )
            .unit("the chain's smallest unit"),
            get: |c| Some(clamped(c.fee)),
        },
        Column {
            object: rw(
                CAPACITY,
                "bcmChannelCapacity",
                Unsigned32,
                Leaf("capacity"),
                config(CAPACITY_AT, 4, Input::Unsigned),
            )
            .unit("transfers"),
            get: |c| Some(U32(c.capacity)),
        },
        Column {
            object: ro(8, "bcmChannelState", Integer32, Leaf("state")),
            get: |c| Some(channel_state(c.state)),
        },
        Column {
            object: ro(9, "bcmChannelPending", Gauge32, Leaf("pending")).unit("transfers"),
            get: |c| Some(U32(c.pending)),
        },
        Column {
            object: ro(10, "bcmChannelCompleted", Counter64, Leaf("completed")).unit("transfers"),
            get: |c| Some(U64(c.completed)),
        },
        Column {
            object: ro(11, "bcmChannelTimedOut", Counter64, Leaf("timed-out")).unit("transfers"),
            get: |c| Some(U64(c.timed_out)),
        },
        Column {
            object: ro(12, "bcmChannelFailed", Counter64, Leaf("failed")).unit("transfers"),
            get: |c| Some(U64(c.failed)),
        },
        Column {
            object: ro(
                13,
                "bcmChannelOldestPendingSeq",
                Unsigned32,
                Leaf("oldest-pending-sequence"),
            ),
            get: |c| Some(U64(c.oldest_pending_sequence)),
        },
        Column {
            object: ro(
                14,
                "bcmChannelOldestPendingAge",
                Gauge32,
                Leaf("oldest-pending-age-ms"),
            )
            .unit("milliseconds"),
            get: |c| Some(U64(c.oldest_pending_age_ms)),
        },
        Column {
            object: ro(
                15,
                "bcmChannelClientExpiry",
                DateAndTime,
                Leaf("client-expiry"),
            ),
            get: |c| Some(Time(c.client_expiry?)),
        },
        Column {
            object: ro(16, "bcmChannelClientId", AdminString, Leaf("client-id")),
            get: |c| Some(Text(&c.client_id)),
        },
    ],
};

pub static TRANSFER_ID: IndexPart = IndexPart {
    name: "bcmTransferId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 2, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

/// The objects of bcmCrossChainTransferFailed.
pub const TRANSFER_STATE: u32 = 3;
pub const TRANSFER_AMOUNT: u32 = 4;
pub const TRANSFER_FAILURE_REASON: u32 = 8;

pub static TRANSFER: Table<CrossChainTransfer> = Table {
    entry: "bcmTransferEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 2, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel/transfer",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|t| Some(Text(&t.chain))),
        },
        Key {
            part: &CHANNEL_NAME,
            leaf: None,
            why: None,
            get: Some(|t| Some(Text(&t.channel))),
        },
        Key {
            part: &TRANSFER_ID,
            leaf: Some("id"),
            why: None,
            get: Some(|t| Some(Text(&t.id))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmTransferDirection", Integer32, Leaf("direction")),
            get: |t| Some(transfer_direction(t.direction)),
        },
        Column {
            object: ro(TRANSFER_STATE, "bcmTransferState", Integer32, Leaf("state")),
            get: |t| Some(transfer_state(t.state)),
        },
        Column {
            object: ro(
                TRANSFER_AMOUNT,
                "bcmTransferAmount",
                Decimal,
                Leaf("amount"),
            ),
            get: |t| Some(U64(t.amount)),
        },
        Column {
            object: ro(5, "bcmTransferStarted", DateAndTime, Leaf("started")),
            get: |t| Some(Time(t.started)),
        },
        Column {
            object: ro(6, "bcmTransferFinished", DateAndTime, Leaf("finished")),
            get: |t| Some(Time(t.finished?)),
        },
        Column {
            object: ro(7, "bcmTransferLatency", Unsigned32, Leaf("latency-ms"))
                .unit("milliseconds"),
            get: |t| Some(U64(t.latency_ms?)),
        },
        Column {
            object: ro(
                TRANSFER_FAILURE_REASON,
                "bcmTransferFailureReason",
                AdminString,
                Leaf("failure-reason"),
            ),
            get: |t| Some(Text(&t.failure_reason)),
        },
    ],
};

pub static CHANNEL_PARAM_NAME: IndexPart = IndexPart {
    name: "bcmChannelParamName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

/// The parameters of a channel; rows of its CrossChainChannel.
pub static CHANNEL_PARAM: Table<ChannelParameter> = Table {
    entry: "bcmChannelParamEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 9, 3, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-crosschain:channels/channel/parameter",
    keys: &[
        Key::parent(&CHAIN_NAME),
        Key::parent(&CHANNEL_NAME),
        Key {
            part: &CHANNEL_PARAM_NAME,
            leaf: Some("name"),
            why: None,
            get: Some(|p| Some(Text(&p.name))),
        },
    ],
    columns: &[Column {
        object: ro(2, "bcmChannelParamValue", AdminString, Mandatory("value")),
        get: |p| Some(Text(&p.value)),
    }],
};
