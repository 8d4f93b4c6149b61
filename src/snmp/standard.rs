//! Standard objects every mature agent serves: SNMPv2-MIB's system group
//! and sysORTable, the snmp counter group and snmpEnableAuthenTraps
//! (RFC 3418), SNMP-FRAMEWORK-MIB's snmpEngine group (RFC 3411),
//! SNMP-MPD-MIB's snmpMPDStats (RFC 3412) and SNMP-USER-BASED-SM-MIB's
//! usmStats (RFC 3414). Counters and engine facts come from the
//! responder through `AgentState::standard`.

use super::mib::blockchain::index::{IndexPart, IndexSyntax};
use super::mib::{Access, Column, Ctx, Row, ScalarDef, SetAction, SetError, Syntax, TableDef};
use super::value::Value;
use crate::config::ConfigPath;
use crate::core::datastore::Edit;

pub const SYS_UPTIME_0: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 3, 0];
pub const USM_STATS: &[u32] = &[1, 3, 6, 1, 6, 3, 15, 1, 1];
/// snmpTrapOID.0 and snmpTrapEnterprise.0 (RFC 3418), for notifications.
pub const SNMP_TRAP_OID_0: &[u32] = &[1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];
/// coldStart and authenticationFailure (RFC 3418 snmpTraps).
pub const COLD_START: &[u32] = &[1, 3, 6, 1, 6, 3, 1, 1, 5, 1];
pub const AUTHENTICATION_FAILURE: &[u32] = &[1, 3, 6, 1, 6, 3, 1, 1, 5, 5];
/// usmStatsUnknownEngineIDs.0 etc., for Report PDUs.
pub fn usm_stat(n: u32) -> Vec<u32> {
    let mut v = USM_STATS.to_vec();
    v.extend([n, 0]);
    v
}

/// The capabilities the agent lists in sysORTable: (sysORID, sysORDescr).
pub const SYS_OR: &[(&[u32], &str)] = &[
    (
        super::mib::ROOT,
        "BLOCKCHAIN-MGMT-MIB: management of blockchain systems (ITU-T draft information model)",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 1],
        "SNMPv2-MIB: the MIB module for SNMP entities (RFC 3418)",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 10, 3, 1, 1],
        "SNMP-FRAMEWORK-MIB: the SNMP management architecture (RFC 3411)",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 11, 3, 1, 1],
        "SNMP-MPD-MIB: message processing and dispatching (RFC 3412)",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 15, 2, 1, 1],
        "SNMP-USER-BASED-SM-MIB: the User-based Security Model (RFC 3414)",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 16, 2, 1, 1],
        "SNMP-VIEW-BASED-ACM-MIB: the View-based Access Control Model (RFC 3415)",
    ),
];

/// sysServices: applications (7) and end-to-end (4): 2^6 + 2^3.
const SYS_SERVICES: i32 = 72;

fn state(c: &Ctx, oid: &[u32]) -> Option<Value> {
    c.agent.standard(oid)
}

fn sys_descr(c: &Ctx) -> Option<Value> {
    let os = c
        .snapshot
        .nodes
        .host
        .as_ref()
        .map(|h| format!(" on {} {} {}", h.os_name, h.kernel, h.arch))
        .unwrap_or_default();
    Some(Value::string(&format!(
        "chain-agent {}: SNMP and NETCONF management of blockchain systems{os}",
        env!("CARGO_PKG_VERSION")
    )))
}

fn sys_name(c: &Ctx) -> Option<Value> {
    let name = if c.config.system.name.is_empty() {
        c.snapshot
            .nodes
            .host
            .as_ref()
            .map(|h| h.hostname.clone())
            .unwrap_or_default()
    } else {
        c.config.system.name.clone()
    };
    Some(display_string(&name))
}

/// A DisplayString value: configuration holds at most 255 octets, but a
/// store from before that rule could hold more, which would not fit a
/// response; it is cut as BcmAdminString text is.
fn display_string(text: &str) -> Value {
    Value::OctetString(super::mib::convert::admin_string(text))
}

/// A DisplayString SET (RFC 2579: SIZE (0..255)) to a configuration key.
fn display_string_set(path: &[&str], v: &Value) -> Result<SetAction, SetError> {
    let Value::OctetString(bytes) = v else {
        return Err(SetError::WrongType);
    };
    if bytes.len() > 255 {
        return Err(SetError::WrongLength);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| SetError::WrongValue)?;
    if text
        .chars()
        .any(|c| c.is_control() && c != '\r' && c != '\n')
    {
        return Err(SetError::WrongValue);
    }
    Ok(SetAction::Config(vec![Edit::Set {
        path: ConfigPath::of(path),
        value: serde_json::Value::String(text.into()),
    }]))
}

macro_rules! scalar {
    ($name:ident, $desc:literal, [$($arc:literal),*], $syntax:ident, $get:expr) => {
        pub static $name: ScalarDef = ScalarDef {
            name: $desc,
            oid: &[$($arc),*],
            syntax: Syntax::$syntax,
            access: Access::ReadOnly,
            get: $get,
            set: None,
        };
    };
}

macro_rules! counter {
    ($name:ident, $desc:literal, [$($arc:literal),*]) => {
        scalar!($name, $desc, [$($arc),*], Counter32, |c| state(c, &[$($arc),*, 0]));
    };
}

scalar!(
    SYS_DESCR,
    "sysDescr",
    [1, 3, 6, 1, 2, 1, 1, 1],
    OctetString,
    sys_descr
);
scalar!(
    SYS_OBJECT_ID,
    "sysObjectID",
    [1, 3, 6, 1, 2, 1, 1, 2],
    ObjectId,
    |_| {
        let mut id = super::mib::ROOT.to_vec();
        id.push(3);
        Some(Value::ObjectId(super::oid::Oid(id)))
    }
);
scalar!(
    SYS_UPTIME,
    "sysUpTime",
    [1, 3, 6, 1, 2, 1, 1, 3],
    TimeTicks,
    |c| Some(Value::TimeTicks(c.agent.uptime_ticks()))
);
pub static SYS_CONTACT: ScalarDef = ScalarDef {
    name: "sysContact",
    oid: &[1, 3, 6, 1, 2, 1, 1, 4],
    syntax: Syntax::OctetString,
    access: Access::ReadWrite,
    get: |c| Some(display_string(&c.config.system.contact)),
    set: Some(|_, v| display_string_set(&["system", "contact"], v)),
};
pub static SYS_NAME: ScalarDef = ScalarDef {
    name: "sysName",
    oid: &[1, 3, 6, 1, 2, 1, 1, 5],
    syntax: Syntax::OctetString,
    access: Access::ReadWrite,
    get: sys_name,
    set: Some(|_, v| display_string_set(&["system", "name"], v)),
};
pub static SYS_LOCATION: ScalarDef = ScalarDef {
    name: "sysLocation",
    oid: &[1, 3, 6, 1, 2, 1, 1, 6],
    syntax: Syntax::OctetString,
    access: Access::ReadWrite,
    get: |c| Some(display_string(&c.config.system.location)),
    set: Some(|_, v| display_string_set(&["system", "location"], v)),
};
scalar!(
    SYS_SERVICES_DEF,
    "sysServices",
    [1, 3, 6, 1, 2, 1, 1, 7],
    Integer32,
    |_| { Some(Value::Integer(SYS_SERVICES)) }
);
// sysORTable is fixed at start, so it last changed at sysUpTime 0.
scalar!(
    SYS_OR_LAST_CHANGE,
    "sysORLastChange",
    [1, 3, 6, 1, 2, 1, 1, 8],
    TimeTicks,
    |_| { Some(Value::TimeTicks(0)) }
);

/// sysORIndex (RFC 3418).
static SYS_OR_INDEX: IndexPart = IndexPart {
    name: "sysORIndex",
    oid: &[1, 3, 6, 1, 2, 1, 1, 9, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static SYS_OR_TABLE: TableDef = TableDef {
    name: "sysOREntry",
    entry: &[1, 3, 6, 1, 2, 1, 1, 9, 1],
    index: &[&SYS_OR_INDEX],
    columns: &[
        Column {
            id: 2,
            name: "sysORID",
            syntax: Syntax::ObjectId,
            access: Access::ReadOnly,
        },
        Column {
            id: 3,
            name: "sysORDescr",
            syntax: Syntax::OctetString,
            access: Access::ReadOnly,
        },
        Column {
            id: 4,
            name: "sysORUpTime",
            syntax: Syntax::TimeTicks,
            access: Access::ReadOnly,
        },
    ],
    rows: |_| {
        (0..SYS_OR.len())
            .map(|i| Row {
                index: vec![i as u32 + 1],
                pos: i,
                sub: 0,
                shared: None,
            })
            .collect()
    },
    get: |_, row, col| {
        let (id, descr) = SYS_OR.get(row.pos)?;
        match col {
            2 => Some(Value::ObjectId(super::oid::Oid::new(id))),
            3 => Some(Value::string(descr)),
            4 => Some(Value::TimeTicks(0)),
            _ => None,
        }
    },
    set: None,
    update: None,
};

counter!(SNMP_IN_PKTS, "snmpInPkts", [1, 3, 6, 1, 2, 1, 11, 1]);
counter!(SNMP_OUT_PKTS, "snmpOutPkts", [1, 3, 6, 1, 2, 1, 11, 2]);
counter!(
    SNMP_IN_BAD_VERSIONS,
    "snmpInBadVersions",
    [1, 3, 6, 1, 2, 1, 11, 3]
);
counter!(
    SNMP_IN_BAD_COMMUNITY_NAMES,
    "snmpInBadCommunityNames",
    [1, 3, 6, 1, 2, 1, 11, 4]
);
counter!(
    SNMP_IN_BAD_COMMUNITY_USES,
    "snmpInBadCommunityUses",
    [1, 3, 6, 1, 2, 1, 11, 5]
);
counter!(
    SNMP_IN_ASN_PARSE_ERRS,
    "snmpInASNParseErrs",
    [1, 3, 6, 1, 2, 1, 11, 6]
);
counter!(SNMP_IN_TOO_BIGS, "snmpInTooBigs", [1, 3, 6, 1, 2, 1, 11, 8]);
counter!(
    SNMP_IN_NO_SUCH_NAMES,
    "snmpInNoSuchNames",
    [1, 3, 6, 1, 2, 1, 11, 9]
);
counter!(
    SNMP_IN_BAD_VALUES,
    "snmpInBadValues",
    [1, 3, 6, 1, 2, 1, 11, 10]
);
counter!(
    SNMP_IN_READ_ONLYS,
    "snmpInReadOnlys",
    [1, 3, 6, 1, 2, 1, 11, 11]
);
counter!(
    SNMP_IN_GEN_ERRS,
    "snmpInGenErrs",
    [1, 3, 6, 1, 2, 1, 11, 12]
);
counter!(
    SNMP_IN_TOTAL_REQ_VARS,
    "snmpInTotalReqVars",
    [1, 3, 6, 1, 2, 1, 11, 13]
);
counter!(
    SNMP_IN_TOTAL_SET_VARS,
    "snmpInTotalSetVars",
    [1, 3, 6, 1, 2, 1, 11, 14]
);
counter!(
    SNMP_IN_GET_REQUESTS,
    "snmpInGetRequests",
    [1, 3, 6, 1, 2, 1, 11, 15]
);
counter!(
    SNMP_IN_GET_NEXTS,
    "snmpInGetNexts",
    [1, 3, 6, 1, 2, 1, 11, 16]
);
counter!(
    SNMP_IN_SET_REQUESTS,
    "snmpInSetRequests",
    [1, 3, 6, 1, 2, 1, 11, 17]
);
counter!(
    SNMP_IN_GET_RESPONSES,
    "snmpInGetResponses",
    [1, 3, 6, 1, 2, 1, 11, 18]
);
counter!(SNMP_IN_TRAPS, "snmpInTraps", [1, 3, 6, 1, 2, 1, 11, 19]);
counter!(
    SNMP_OUT_TOO_BIGS,
    "snmpOutTooBigs",
    [1, 3, 6, 1, 2, 1, 11, 20]
);
counter!(
    SNMP_OUT_NO_SUCH_NAMES,
    "snmpOutNoSuchNames",
    [1, 3, 6, 1, 2, 1, 11, 21]
);
counter!(
    SNMP_OUT_BAD_VALUES,
    "snmpOutBadValues",
    [1, 3, 6, 1, 2, 1, 11, 22]
);
counter!(
    SNMP_OUT_GEN_ERRS,
    "snmpOutGenErrs",
    [1, 3, 6, 1, 2, 1, 11, 24]
);
counter!(
    SNMP_OUT_GET_REQUESTS,
    "snmpOutGetRequests",
    [1, 3, 6, 1, 2, 1, 11, 25]
);
counter!(
    SNMP_OUT_GET_NEXTS,
    "snmpOutGetNexts",
    [1, 3, 6, 1, 2, 1, 11, 26]
);
counter!(
    SNMP_OUT_SET_REQUESTS,
    "snmpOutSetRequests",
    [1, 3, 6, 1, 2, 1, 11, 27]
);
counter!(
    SNMP_OUT_GET_RESPONSES,
    "snmpOutGetResponses",
    [1, 3, 6, 1, 2, 1, 11, 28]
);
counter!(SNMP_OUT_TRAPS, "snmpOutTraps", [1, 3, 6, 1, 2, 1, 11, 29]);
pub static SNMP_ENABLE_AUTHEN_TRAPS: ScalarDef = ScalarDef {
    name: "snmpEnableAuthenTraps",
    oid: &[1, 3, 6, 1, 2, 1, 11, 30],
    syntax: Syntax::Integer32,
    access: Access::ReadWrite,
    get: |c| {
        Some(Value::Integer(if c.config.snmp.enable_authen_traps {
            1
        } else {
            2
        }))
    },
    set: Some(|_, v| match v {
        Value::Integer(n @ (1 | 2)) => Ok(SetAction::Config(vec![Edit::Set {
            path: ConfigPath::of(["snmp", "enable-authen-traps"]),
            value: serde_json::Value::Bool(*n == 1),
        }])),
        Value::Integer(_) => Err(SetError::WrongValue),
        _ => Err(SetError::WrongType),
    }),
};
counter!(
    SNMP_SILENT_DROPS,
    "snmpSilentDrops",
    [1, 3, 6, 1, 2, 1, 11, 31]
);
counter!(
    SNMP_PROXY_DROPS,
    "snmpProxyDrops",
    [1, 3, 6, 1, 2, 1, 11, 32]
);

scalar!(
    SNMP_ENGINE_ID,
    "snmpEngineID",
    [1, 3, 6, 1, 6, 3, 10, 2, 1, 1],
    OctetString,
    |c| { state(c, &[1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0]) }
);
scalar!(
    SNMP_ENGINE_BOOTS,
    "snmpEngineBoots",
    [1, 3, 6, 1, 6, 3, 10, 2, 1, 2],
    Integer32,
    |c| { state(c, &[1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0]) }
);
scalar!(
    SNMP_ENGINE_TIME,
    "snmpEngineTime",
    [1, 3, 6, 1, 6, 3, 10, 2, 1, 3],
    Integer32,
    |c| { state(c, &[1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0]) }
);
scalar!(
    SNMP_ENGINE_MAX_SIZE,
    "snmpEngineMaxMessageSize",
    [1, 3, 6, 1, 6, 3, 10, 2, 1, 4],
    Integer32,
    |c| Some(Value::Integer(c.config.snmp.max_message_size as i32))
);

counter!(
    SNMP_UNKNOWN_SECURITY_MODELS,
    "snmpUnknownSecurityModels",
    [1, 3, 6, 1, 6, 3, 11, 2, 1, 1]
);
counter!(
    SNMP_INVALID_MSGS,
    "snmpInvalidMsgs",
    [1, 3, 6, 1, 6, 3, 11, 2, 1, 2]
);
counter!(
    SNMP_UNKNOWN_PDU_HANDLERS,
    "snmpUnknownPDUHandlers",
    [1, 3, 6, 1, 6, 3, 11, 2, 1, 3]
);

counter!(
    USM_UNSUPPORTED_SEC_LEVELS,
    "usmStatsUnsupportedSecLevels",
    [1, 3, 6, 1, 6, 3, 15, 1, 1, 1]
);
counter!(
    USM_NOT_IN_TIME_WINDOWS,
    "usmStatsNotInTimeWindows",
    [1, 3, 6, 1, 6, 3, 15, 1, 1, 2]
);
counter!(
    USM_UNKNOWN_USER_NAMES,
    "usmStatsUnknownUserNames",
    [1, 3, 6, 1, 6, 3, 15, 1, 1, 3]
);
counter!(
    USM_UNKNOWN_ENGINE_IDS,
    "usmStatsUnknownEngineIDs",
    [1, 3, 6, 1, 6, 3, 15, 1, 1, 4]
);
counter!(
    USM_WRONG_DIGESTS,
    "usmStatsWrongDigests",
    [1, 3, 6, 1, 6, 3, 15, 1, 1, 5]
);
counter!(
    USM_DECRYPTION_ERRORS,
    "usmStatsDecryptionErrors",
    [1, 3, 6, 1, 6, 3, 15, 1, 1, 6]
);

pub fn scalars() -> Vec<&'static ScalarDef> {
    vec![
        &SYS_DESCR,
        &SYS_OBJECT_ID,
        &SYS_UPTIME,
        &SYS_CONTACT,
        &SYS_NAME,
        &SYS_LOCATION,
        &SYS_SERVICES_DEF,
        &SYS_OR_LAST_CHANGE,
        &SNMP_IN_PKTS,
        &SNMP_OUT_PKTS,
        &SNMP_IN_BAD_VERSIONS,
        &SNMP_IN_BAD_COMMUNITY_NAMES,
        &SNMP_IN_BAD_COMMUNITY_USES,
        &SNMP_IN_ASN_PARSE_ERRS,
        &SNMP_IN_TOO_BIGS,
        &SNMP_IN_NO_SUCH_NAMES,
        &SNMP_IN_BAD_VALUES,
        &SNMP_IN_READ_ONLYS,
        &SNMP_IN_GEN_ERRS,
        &SNMP_IN_TOTAL_REQ_VARS,
        &SNMP_IN_TOTAL_SET_VARS,
        &SNMP_IN_GET_REQUESTS,
        &SNMP_IN_GET_NEXTS,
        &SNMP_IN_SET_REQUESTS,
        &SNMP_IN_GET_RESPONSES,
        &SNMP_IN_TRAPS,
        &SNMP_OUT_TOO_BIGS,
        &SNMP_OUT_NO_SUCH_NAMES,
        &SNMP_OUT_BAD_VALUES,
        &SNMP_OUT_GEN_ERRS,
        &SNMP_OUT_GET_REQUESTS,
        &SNMP_OUT_GET_NEXTS,
        &SNMP_OUT_SET_REQUESTS,
        &SNMP_OUT_GET_RESPONSES,
        &SNMP_OUT_TRAPS,
        &SNMP_ENABLE_AUTHEN_TRAPS,
        &SNMP_SILENT_DROPS,
        &SNMP_PROXY_DROPS,
        &SNMP_ENGINE_ID,
        &SNMP_ENGINE_BOOTS,
        &SNMP_ENGINE_TIME,
        &SNMP_ENGINE_MAX_SIZE,
        &SNMP_UNKNOWN_SECURITY_MODELS,
        &SNMP_INVALID_MSGS,
        &SNMP_UNKNOWN_PDU_HANDLERS,
        &USM_UNSUPPORTED_SEC_LEVELS,
        &USM_NOT_IN_TIME_WINDOWS,
        &USM_UNKNOWN_USER_NAMES,
        &USM_UNKNOWN_ENGINE_IDS,
        &USM_WRONG_DIGESTS,
        &USM_DECRYPTION_ERRORS,
    ]
}

pub fn tables() -> Vec<&'static TableDef> {
    vec![&SYS_OR_TABLE]
}
