//! The MIB view: every object the agent serves, as scalar and table
//! definitions evaluated against one published snapshot and the running
//! configuration. Definitions are data (names, OIDs, syntax, access) plus
//! plain functions, so the MIB cross-check test can list them and the
//! responder can walk them in OID order without knowing any area.

pub mod blockchain;
pub mod convert;

use super::oid::Oid;
use super::value::Value;
use crate::config::Config;
use crate::core::datastore::Edit;
use crate::model::snapshot::Snapshot;
use std::any::Any;
use std::sync::Arc;

/// `blockchainMgmtMIB`: the one place that names our enterprise subtree.
/// RFC 5612 reserves 32473 for documentation; an operator with an assigned
/// enterprise number changes this line and the MIB's MODULE-IDENTITY.
pub const ROOT: &[u32] = &[1, 3, 6, 1, 4, 1, 32473];

/// The syntax an object is declared with in its MIB. Gauge32 and
/// Unsigned32 share a tag on the wire but are distinct for the cross-check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Integer32,
    OctetString,
    ObjectId,
    IpAddress,
    Counter32,
    Gauge32,
    Unsigned32,
    TimeTicks,
    Counter64,
    /// RowStatus (RFC 2579): an INTEGER on the wire; a SET of
    /// createAndGo(4) creates the row the other varbinds then fill.
    RowStatus,
}

impl Syntax {
    /// Whether a value of this type may be assigned to the object (SET).
    pub fn accepts(self, v: &Value) -> bool {
        matches!(
            (self, v),
            (Syntax::Integer32 | Syntax::RowStatus, Value::Integer(_))
                | (Syntax::OctetString, Value::OctetString(_))
                | (Syntax::ObjectId, Value::ObjectId(_))
                | (Syntax::IpAddress, Value::IpAddress(_))
                | (Syntax::Counter32, Value::Counter32(_))
                | (Syntax::Gauge32 | Syntax::Unsigned32, Value::Gauge32(_))
                | (Syntax::TimeTicks, Value::TimeTicks(_))
                | (Syntax::Counter64, Value::Counter64(_))
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Syntax::Integer32 => "Integer32",
            Syntax::OctetString => "OCTET STRING",
            Syntax::ObjectId => "OBJECT IDENTIFIER",
            Syntax::IpAddress => "IpAddress",
            Syntax::Counter32 => "Counter32",
            Syntax::Gauge32 => "Gauge32",
            Syntax::Unsigned32 => "Unsigned32",
            Syntax::TimeTicks => "TimeTicks",
            Syntax::Counter64 => "Counter64",
            Syntax::RowStatus => "RowStatus",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
    /// Writable, also in a row the same SET creates (RowStatus).
    ReadCreate,
}

impl Access {
    pub fn name(self) -> &'static str {
        match self {
            Access::ReadOnly => "read-only",
            Access::ReadWrite => "read-write",
            Access::ReadCreate => "read-create",
        }
    }

    /// Whether a manager may write the object.
    pub fn writable(self) -> bool {
        matches!(self, Access::ReadWrite | Access::ReadCreate)
    }
}

/// Agent-local facts the standard MIBs need (engine, counters, uptime).
pub trait AgentState: Send + Sync {
    /// Hundredths of a second since the agent (re)initialised.
    fn uptime_ticks(&self) -> u32;
    /// Value of a standard object the responder owns (snmp group,
    /// snmpEngine, usmStats, MPD stats), by its full instance OID.
    fn standard(&self, oid: &[u32]) -> Option<Value>;
}

/// What one request evaluates against: one snapshot, one configuration.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub snapshot: &'a Snapshot,
    pub config: &'a Config,
    pub agent: &'a dyn AgentState,
    /// The rows a SET creates (RowStatus createAndGo), each as its
    /// table's entry OID followed by its index: their read-create
    /// columns take values although the row does not exist yet.
    pub creating: &'a [Vec<u32>],
}

impl Ctx<'_> {
    /// Whether this request creates the row `index` of the table `entry`.
    pub fn creates(&self, entry: &[u32], index: &[u32]) -> bool {
        self.creating.iter().any(|c| {
            c.len() == entry.len() + index.len() && c.starts_with(entry) && c.ends_with(index)
        })
    }
}

/// Validates a SET of a scalar and says what it changes.
pub type ScalarSetter = fn(&Ctx, &Value) -> Result<SetAction, SetError>;
/// Validates a SET of column `col` of the row with instance suffix
/// `index` (the row may not exist) and says what it changes.
pub type ColumnSetter = fn(&Ctx, &[u32], u32, &Value) -> Result<SetAction, SetError>;

/// A scalar object; its instance is `oid.0`.
pub struct ScalarDef {
    pub name: &'static str,
    /// The object's OID, without the `.0` instance suffix.
    pub oid: &'static [u32],
    pub syntax: Syntax,
    pub access: Access,
    /// None: the instance does not exist now (noSuchInstance, skipped by GetNext).
    pub get: fn(&Ctx) -> Option<Value>,
    pub set: Option<ScalarSetter>,
}

/// An accessible column of a conceptual table.
pub struct Column {
    /// Sub-identifier under the entry.
    pub id: u32,
    pub name: &'static str,
    pub syntax: Syntax,
    pub access: Access,
}

/// One row: its instance suffix and where its data is in the snapshot.
#[derive(Debug, Clone)]
pub struct Row {
    pub index: Vec<u32>,
    /// Position of the row's object in the snapshot list it came from
    /// (0 for a row that holds its object, [`Row::item`]).
    pub pos: usize,
    /// Second-level position for nested lists (e.g. a contract's signatories).
    pub sub: usize,
    /// The row's object itself, for a table over a list of shared rows
    /// (`model::rows`): the view keeps such a row from one snapshot to the
    /// next while the list still holds the object, so the row cannot
    /// refer to it by a position that moves as the list's front is dropped.
    pub shared: Option<Arc<dyn Any + Send + Sync>>,
}

impl Row {
    /// The object a row holds, when it is a `T`.
    pub fn item<T: 'static>(&self) -> Option<&T> {
        self.shared.as_deref()?.downcast_ref()
    }
}

impl PartialEq for Row {
    /// Rows are equal when their index and position are, and they hold
    /// the same object (by pointer) or none.
    fn eq(&self, other: &Row) -> bool {
        let same_item = match (&self.shared, &other.shared) {
            (None, None) => true,
            (Some(a), Some(b)) => std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b)),
            _ => false,
        };
        self.index == other.index && self.pos == other.pos && self.sub == other.sub && same_item
    }
}

impl Eq for Row {}

/// The rows one table lost and gained from one snapshot to the next.
#[derive(Debug, Default)]
pub struct RowChanges {
    pub removed: Vec<Row>,
    pub added: Vec<Row>,
}

/// The rows a table lost and gained from the previous snapshot (first
/// argument) to this one; None when that is not known cheaply, and the
/// view then lists the table's rows anew.
pub type RowUpdate = fn(&Snapshot, &Ctx) -> Option<RowChanges>;

pub struct TableDef {
    /// The entry's descriptor, e.g. `bcmNodeEntry`.
    pub name: &'static str,
    /// Absolute OID of the entry (`...Table.1`).
    pub entry: &'static [u32],
    /// The INDEX objects, in INDEX-clause order.
    pub index: &'static [&'static blockchain::index::IndexPart],
    /// Accessible columns, in ascending `id`.
    pub columns: &'static [Column],
    /// The rows present in this snapshot, any order; duplicates of an index
    /// keep the first. Called once per snapshot, not per request, unless
    /// `update` answers.
    pub rows: fn(&Ctx) -> Vec<Row>,
    /// For a table over shared rows: which rows changed since the
    /// snapshot the view was last built from, so that the view reuses its
    /// index of the others (see `snmp::row_index`).
    pub update: Option<RowUpdate>,
    /// A cell; None when the row has no value for that column (the platform
    /// does not report it), which GetNext skips.
    pub get: fn(&Ctx, &Row, u32) -> Option<Value>,
    /// Validate a SET of column `col` of the row with instance suffix
    /// `index` (the row may not exist) and say what it changes.
    pub set: Option<ColumnSetter>,
}

/// The effect of one validated SET varbind.
#[derive(Debug, Clone, PartialEq)]
pub enum SetAction {
    /// Edits to the running configuration; all varbinds of one SET are
    /// committed in one transaction.
    Config(Vec<Edit>),
    /// The creation of a row's configuration entry (RowStatus
    /// createAndGo): applied before the SET's other edits, which fill it.
    CreateRow(Edit),
    /// Operator acknowledgement of an active alarm.
    AckAlarm { id: u64, acknowledged: bool },
}

/// RFC 3416 error-status values a SET can fail with (§4.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("noAccess")]
    NoAccess,
    #[error("wrongType")]
    WrongType,
    #[error("wrongLength")]
    WrongLength,
    #[error("wrongEncoding")]
    WrongEncoding,
    #[error("wrongValue")]
    WrongValue,
    #[error("noCreation")]
    NoCreation,
    #[error("inconsistentValue")]
    InconsistentValue,
    #[error("resourceUnavailable")]
    ResourceUnavailable,
    #[error("commitFailed")]
    CommitFailed,
    #[error("undoFailed")]
    UndoFailed,
    #[error("notWritable")]
    NotWritable,
    #[error("inconsistentName")]
    InconsistentName,
}

impl SetError {
    /// The v2 error-status code.
    pub fn status(self) -> i32 {
        match self {
            SetError::NoAccess => 6,
            SetError::WrongType => 7,
            SetError::WrongLength => 8,
            SetError::WrongEncoding => 9,
            SetError::WrongValue => 10,
            SetError::NoCreation => 11,
            SetError::InconsistentValue => 12,
            SetError::ResourceUnavailable => 13,
            SetError::CommitFailed => 14,
            SetError::UndoFailed => 15,
            SetError::NotWritable => 17,
            SetError::InconsistentName => 18,
        }
    }
}

/// Absolute OID of a scalar instance or column, for listings and tests.
pub fn instance(base: &[u32], suffix: &[u32]) -> Oid {
    Oid::new(base).join(suffix)
}
