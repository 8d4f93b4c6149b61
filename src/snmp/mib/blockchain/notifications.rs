//! The notifications of BLOCKCHAIN-MGMT-MIB (under `blockchainMgmtMIB.0`)
//! and how each is built from an event of the core's bus. The varbinds
//! are the instances of the notification's OBJECTS in the affected row,
//! with values from the event itself (the row may have left the snapshot
//! by the time the event is sent, as a cleared alarm leaves the active
//! table). The originator prepends sysUpTime.0 and snmpTrapOID.0.

use super::cell;
use super::consensus::{
    self, BRANCH_COUNT, COMMON_HEIGHT, CONSENSUS_TABLE, CONSISTENCY_TABLE, DIVERGENT_HEIGHT,
    chain_index,
};
use super::crosschain::{
    TRANSFER_AMOUNT, TRANSFER_FAILURE_REASON, TRANSFER_STATE, TRANSFER_TABLE, transfer_cell,
    transfer_index,
};
use super::faults::{
    ALARM_ACTIVE_TABLE, ALARM_HISTORY_TABLE, active_cell, alarm_index, history_cell,
};
use super::ledger::{MEMBER_TABLE, member_cell, member_index};
use super::nodes::{ADMIN_STATE, NODE_TABLE, OPER_STATE, node_index};
use super::performance::NODE_PERF_TABLE;
use crate::core::events::Event;
use crate::model::objects::enums::{admin_state_number, oper_state_number};
use crate::snmp::mib::{Ctx, TableDef, convert, instance};
use crate::snmp::oid::Oid;
use crate::snmp::value::{Value, VarBind};

/// A NOTIFICATION-TYPE: its OID (the snmpTrapOID.0 value) and OBJECTS, as
/// (table, column) pairs.
pub struct NotificationDef {
    pub name: &'static str,
    pub oid: &'static [u32],
    pub objects: &'static [(&'static TableDef, u32)],
}

const ALARM_OBJECTS: &[(&TableDef, u32)] = &[
    (&ALARM_ACTIVE_TABLE, 2),
    (&ALARM_ACTIVE_TABLE, 4),
    (&ALARM_ACTIVE_TABLE, 5),
    (&ALARM_ACTIVE_TABLE, 6),
    (&ALARM_ACTIVE_TABLE, 7),
    (&ALARM_ACTIVE_TABLE, 8),
    (&ALARM_ACTIVE_TABLE, 9),
];

pub static ALARM_RAISED: NotificationDef = NotificationDef {
    name: "bcmAlarmRaised",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 1],
    objects: ALARM_OBJECTS,
};

pub static ALARM_CHANGED: NotificationDef = NotificationDef {
    name: "bcmAlarmChanged",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 2],
    objects: ALARM_OBJECTS,
};

pub static ALARM_CLEARED: NotificationDef = NotificationDef {
    name: "bcmAlarmCleared",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 3],
    objects: &[
        (&ALARM_HISTORY_TABLE, 2),
        (&ALARM_HISTORY_TABLE, 4),
        (&ALARM_HISTORY_TABLE, 5),
        (&ALARM_HISTORY_TABLE, 6),
        (&ALARM_HISTORY_TABLE, 8),
        (&ALARM_HISTORY_TABLE, 11),
    ],
};

pub static MEMBER_JOINED: NotificationDef = NotificationDef {
    name: "bcmMemberJoined",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 4],
    objects: &[
        (&MEMBER_TABLE, 2),
        (&MEMBER_TABLE, 3),
        (&MEMBER_TABLE, 4),
        (&MEMBER_TABLE, 5),
    ],
};

pub static MEMBER_LEFT: NotificationDef = NotificationDef {
    name: "bcmMemberLeft",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 5],
    objects: &[(&MEMBER_TABLE, 2), (&MEMBER_TABLE, 3), (&MEMBER_TABLE, 8)],
};

pub static NODE_STATE_CHANGED: NotificationDef = NotificationDef {
    name: "bcmNodeStateChanged",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 6],
    objects: &[(&NODE_TABLE, ADMIN_STATE), (&NODE_TABLE, OPER_STATE)],
};

/// bcmPerfProcessId, bcmPerfProcessStartedAt, bcmPerfProcessRestarts.
const PROCESS_ID: u32 = 17;
const PROCESS_STARTED_AT: u32 = 18;
const PROCESS_RESTARTS: u32 = 19;

pub static NODE_RESTARTED: NotificationDef = NotificationDef {
    name: "bcmNodeRestarted",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 10],
    objects: &[
        (&NODE_PERF_TABLE, PROCESS_ID),
        (&NODE_PERF_TABLE, PROCESS_STARTED_AT),
        (&NODE_PERF_TABLE, PROCESS_RESTARTS),
    ],
};

pub static FORK_DETECTED: NotificationDef = NotificationDef {
    name: "bcmForkDetected",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 7],
    objects: &[
        (&CONSISTENCY_TABLE, COMMON_HEIGHT),
        (&CONSISTENCY_TABLE, DIVERGENT_HEIGHT),
        (&CONSISTENCY_TABLE, BRANCH_COUNT),
    ],
};

pub static CONSENSUS_STALLED: NotificationDef = NotificationDef {
    name: "bcmConsensusStalled",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 8],
    objects: &[
        (&CONSENSUS_TABLE, consensus::HEIGHT),
        (&CONSENSUS_TABLE, consensus::LEADER),
    ],
};

pub static CROSS_CHAIN_TRANSFER_FAILED: NotificationDef = NotificationDef {
    name: "bcmCrossChainTransferFailed",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 0, 9],
    objects: &[
        (&TRANSFER_TABLE, TRANSFER_STATE),
        (&TRANSFER_TABLE, TRANSFER_AMOUNT),
        (&TRANSFER_TABLE, TRANSFER_FAILURE_REASON),
    ],
};

static NOTIFICATIONS: &[&NotificationDef] = &[
    &ALARM_RAISED,
    &ALARM_CHANGED,
    &ALARM_CLEARED,
    &MEMBER_JOINED,
    &MEMBER_LEFT,
    &NODE_STATE_CHANGED,
    &FORK_DETECTED,
    &CONSENSUS_STALLED,
    &CROSS_CHAIN_TRANSFER_FAILED,
    &NODE_RESTARTED,
];

/// Every notification of the MIB, in OID order.
pub fn notifications() -> &'static [&'static NotificationDef] {
    NOTIFICATIONS
}

/// The notification an event is announced with: the snmpTrapOID.0 value
/// and the varbinds of its OBJECTS. None for events without a
/// notification (ConfigChanged, and an operator's state change, which the
/// MIB shows in bcmAlarmAckState without a trap), for alarms on a shelf,
/// and for rows that cannot be indexed (an
/// alarm id above 2^32-1, a name longer than its index allows). An object
/// the event has no value for (a fork whose divergent height is unknown)
/// is left out.
pub fn notification(event: &Event, ctx: &Ctx) -> Option<(Oid, Vec<VarBind>)> {
    match event {
        Event::AlarmRaised { alarm }
        | Event::AlarmChanged { alarm }
        | Event::AlarmCleared { alarm }
            if !super::faults::unshelved(alarm) =>
        {
            None
        }
        Event::AlarmRaised { alarm } => build(&ALARM_RAISED, &alarm_index(alarm)?, |c| {
            active_cell(alarm, c)
        }),
        Event::AlarmChanged { alarm } => build(&ALARM_CHANGED, &alarm_index(alarm)?, |c| {
            active_cell(alarm, c)
        }),
        Event::AlarmCleared { alarm } => build(&ALARM_CLEARED, &alarm_index(alarm)?, |c| {
            history_cell(alarm, c)
        }),
        Event::MemberJoined { member } => build(&MEMBER_JOINED, &member_index(member)?, |c| {
            member_cell(member, c)
        }),
        Event::MemberLeft { member } => build(&MEMBER_LEFT, &member_index(member)?, |c| {
            member_cell(member, c)
        }),
        Event::NodeStateChanged {
            chain, node, to, ..
        } => build(
            &NODE_STATE_CHANGED,
            &node_index(chain, node)?,
            |c| match c {
                ADMIN_STATE => Some(cell::int(admin_state_number(
                    ctx.config.admin_state(chain, node),
                ))),
                OPER_STATE => Some(cell::int(oper_state_number(*to))),
                _ => None,
            },
        ),
        Event::NodeRestarted {
            chain,
            node,
            process_id,
            started_at,
            restarts,
        } => build(&NODE_RESTARTED, &node_index(chain, node)?, |c| match c {
            PROCESS_ID => Some(cell::unsigned(*process_id)),
            PROCESS_STARTED_AT => Some(Value::OctetString(convert::date_and_time((*started_at)?))),
            PROCESS_RESTARTS => Some(Value::Counter64(*restarts)),
            _ => None,
        }),
        Event::ForkDetected { report } => {
            build(&FORK_DETECTED, &chain_index(&report.chain)?, |c| {
                consensus::consistency_cell(report, c)
            })
        }
        Event::ConsensusStalled { chain, height, .. } => {
            let leader = ctx
                .snapshot
                .consensus
                .chains
                .iter()
                .find(|c| &c.chain == chain)
                .map(|c| c.leader.as_str())
                .unwrap_or_default();
            build(&CONSENSUS_STALLED, &chain_index(chain)?, |c| match c {
                consensus::HEIGHT => Some(cell::saturated(*height)),
                consensus::LEADER => Some(cell::text(leader)),
                _ => None,
            })
        }
        Event::CrossChainTransferFailed { transfer } => build(
            &CROSS_CHAIN_TRANSFER_FAILED,
            &transfer_index(transfer)?,
            |c| transfer_cell(transfer, c),
        ),
        Event::ConfigChanged { .. } | Event::AlarmOperatorAction { .. } => None,
    }
}

fn build(
    def: &NotificationDef,
    index: &[u32],
    value: impl Fn(u32) -> Option<Value>,
) -> Option<(Oid, Vec<VarBind>)> {
    let varbinds = def
        .objects
        .iter()
        .filter_map(|&(table, col)| {
            let v = value(col)?;
            Some(VarBind::new(instance(table.entry, &[col]).join(index), v))
        })
        .collect();
    Some((Oid::new(def.oid), varbinds))
}
