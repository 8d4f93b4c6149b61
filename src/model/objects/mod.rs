//! The object map: each managed object declared once, as data, and read
//! by both front ends. A declaration names the model field (a getter from
//! the model row to a neutral [`Datum`]), the MIB object (descriptor and
//! column number, or the INDEX object), its SMI syntax, access and unit,
//! and the YANG leaf that carries the same information (or why there is
//! none); a writable column also declares what its SET edits ([`Write`]:
//! the configuration leaf, the values the MIB's syntax allows). Scalars
//! are declared alike, in groups ([`Scalars`]) over one model value. SNMP
//! builds its table definitions, column lists, cells and SETs from it;
//! NETCONF renders the same leaves from it; tests/yang_model_map.rs
//! checks it against the MIB file and the YANG modules, and a SET's
//! configuration leaf against the YANG leaf the map names.
//!
//! Why here: SNMP and NETCONF may not import each other, so the one map
//! both read must sit on a floor below both. It names only model types
//! and neutral descriptors (no SNMP value, no JSON), so it belongs with
//! the model it describes and imports nothing above it.
//!
//! Why plain statics of structs with fn pointers: a declaration is a
//! struct literal that rustfmt formats, the compiler checks and grep
//! finds; non-capturing closures coerce to the getter fn pointers, and the
//! front ends derive their own `static` tables from it with `const fn`s,
//! so nothing is built at run time. A `macro_rules!` DSL would hide the
//! same data behind a syntax of its own; build-time generation from the
//! YANG (Holo's path constants) would add a build step and a libyang
//! dependency to the build for a few dozen leaf names, and the YANG does
//! not know the model fields or the MIB columns anyway.

pub mod apply;
pub mod chain;
pub mod consensus;
pub mod contracts;
pub mod crosschain;
pub mod enums;
pub mod faults;
pub mod host;
pub mod ledger;
pub mod logs;
pub mod node;
pub mod performance;
pub mod write;

pub use write::{Clear, Input, Step, Target, Write, config};

use super::UnixMillis;

/// A value of the model, in no protocol's encoding. The width of an
/// integer is the model's: YANG shows `U32` as uint32 and `U64` as uint64,
/// SNMP either as its syntax says (saturated to Unsigned32, or Counter64).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Datum<'a> {
    U32(u32),
    U64(u64),
    /// Text; the model's "" (none) is absent in YANG.
    Text(&'a str),
    Time(UnixMillis),
    Bool(bool),
    /// An enumeration: the MIB's number and the YANG enum name.
    Enum(i32, &'static str),
    /// A list of texts: a YANG leaf-list (absent when empty), in the MIB
    /// one text of the entries separated by commas.
    List(&'a [String]),
    /// A measurement: YANG's decimal64 rounded to `digits` fraction
    /// digits (absent when not finite); the MIB's integer is the value
    /// in its column's [`Scale`], rounded.
    Float(f64, usize),
    /// A MAC address as the host reports it (`aa:bb:cc:dd:ee:ff`): YANG's
    /// mac-address when it is one, the MIB's octets when they read.
    Mac(&'a str),
    /// A signed count (days left, negative once past): YANG's int32, the
    /// MIB's Integer32.
    I32(i32),
}

impl Datum<'_> {
    /// The MIB's number of an enumeration.
    pub fn number(self) -> Option<i32> {
        match self {
            Datum::Enum(n, _) => Some(n),
            _ => None,
        }
    }
}

/// How the MIB shows a number the model and YANG hold in another unit
/// (the MIB's UNITS then differ from the map's unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// As the model holds it.
    One,
    /// Bytes as KiB (1024), rounded down.
    Kibi,
    /// Bytes as MiB (1048576), rounded down.
    Mebi,
    /// Times 100, rounded (BcmHundredths, BcmPercentHundredths).
    Hundred,
    /// Times 1000, rounded (milliseconds as microseconds).
    Thousand,
}

/// The SMI syntax of a MIB object, as the map declares it. SNMP derives
/// its wire syntax from it; it also says how a [`Datum`] is encoded
/// (DateAndTime and TruthValue are conventions over the base types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Unsigned32: integers saturate at 4294967295.
    Unsigned32,
    /// Gauge32: integers saturate at 4294967295.
    Gauge32,
    Counter64,
    /// Integer32: an enumeration's number, or a signed count.
    Integer32,
    /// SnmpAdminString-style text (BcmAdminString), cut to 255 octets.
    AdminString,
    /// BcmDecimal: an unsigned integer in decimal digits.
    Decimal,
    /// DateAndTime (RFC 2579) of a model timestamp, or of an integer of
    /// whole seconds since 1970 (what YANG shows as that number).
    DateAndTime,
    /// TruthValue.
    TruthValue,
    /// INTEGER { up(1), down(2) } of a boolean.
    UpDown,
    /// PhysAddress (RFC 2579): a MAC address's octets.
    PhysAddress,
    /// RowStatus (RFC 2579): an enumeration's number; the row's creation
    /// and deletion (see [`Target::Row`]).
    RowStatus,
}

/// Whether a manager may write the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
    /// Writable, and a SET may create the row (RFC 2579 RowStatus).
    ReadCreate,
}

impl Access {
    /// Whether a manager may write the object.
    pub const fn writable(self) -> bool {
        matches!(self, Access::ReadWrite | Access::ReadCreate)
    }
}

/// Where the object's information is in YANG, relative to its table's
/// YANG node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Yang {
    /// The leaf (a path below the table's node) with the same information.
    Leaf(&'static str),
    /// As `Leaf`, for a leaf written even when the text is empty (a
    /// mandatory leaf, or a value the source states as empty).
    Mandatory(&'static str),
    /// A writable object whose value in force is shown at one leaf and
    /// configured at another (`..` steps up from the table's node).
    ReadWrite {
        read: &'static str,
        write: &'static str,
    },
    /// No YANG node, and why.
    Nothing(&'static str),
}

/// The syntax of one INDEX object, as far as the encoding needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexSyntax {
    /// A variable-length OCTET STRING of `min..=max` octets (length-prefixed).
    Octets { min: usize, max: usize },
    /// One sub-identifier: an Unsigned32 or enumerated INTEGER of at least `min`.
    Number { min: u32 },
}

/// One object of an INDEX clause (a not-accessible column of the MIB).
#[derive(Debug)]
pub struct IndexPart {
    pub name: &'static str,
    /// Absolute OID of the index object (its column under its own entry).
    pub oid: &'static [u32],
    pub syntax: IndexSyntax,
}

/// Reads one value of a model row.
pub type Getter<R> = for<'a> fn(&'a R) -> Option<Datum<'a>>;

/// One part of a table's index, in INDEX-clause order.
pub struct Key<R: 'static> {
    pub part: &'static IndexPart,
    /// The key leaf of the table's YANG list; None when the part is an
    /// ancestor's key (the chain of a per-chain table).
    pub leaf: Option<&'static str>,
    /// Why an INDEX object of the row's own entry has no key leaf (a
    /// position, a sequence number); None for one that has, or that is an
    /// ancestor's key.
    pub why: Option<&'static str>,
    /// The value: [`Datum::Text`] or an integer. None for a key the row
    /// does not hold, its parent's (the chain of a validator, kept in
    /// the chain's consensus): the reader supplies it.
    pub get: Option<Getter<R>>,
}

impl<R> Key<R> {
    /// A key held by the parent of the row, with no leaf of its own.
    pub const fn parent(part: &'static IndexPart) -> Key<R> {
        Key {
            part,
            leaf: None,
            why: None,
            get: None,
        }
    }

    /// A position in the agent's list (1-based), which the reader
    /// supplies; YANG keys the entry otherwise, as `why` says.
    pub const fn position(part: &'static IndexPart, why: &'static str) -> Key<R> {
        Key {
            why: Some(why),
            ..Key::parent(part)
        }
    }
}

/// The protocol-neutral description of one accessible column.
#[derive(Debug, Clone, Copy)]
pub struct Object {
    /// Sub-identifier under the MIB entry.
    pub column: u32,
    /// MIB descriptor.
    pub name: &'static str,
    pub syntax: Syntax,
    pub access: Access,
    pub yang: Yang,
    /// The unit of the value, if it has one: YANG's, and the MIB's
    /// unless `mib_unit` says otherwise.
    pub unit: Option<&'static str>,
    /// How the MIB shows the number.
    pub scale: Scale,
    /// The MIB's unit when its scale differs from the model's.
    pub mib_unit: Option<&'static str>,
    /// What a SET does: present exactly when the access is read-write.
    pub write: Option<Write>,
}

/// One accessible column: what it is and how to read it.
pub struct Column<R: 'static> {
    pub object: Object,
    /// None when the row has no value (the platform does not report it).
    pub get: Getter<R>,
}

/// One conceptual table: a MIB entry and the YANG node of one row.
pub struct Table<R: 'static> {
    /// The MIB entry's descriptor, e.g. `bcmBlockEntry`.
    pub entry: &'static str,
    /// Absolute OID of the entry (`...Table.1`).
    pub oid: &'static [u32],
    /// Schema path of the YANG node one row is shown as.
    pub yang: &'static str,
    /// The INDEX, in clause order.
    pub keys: &'static [Key<R>],
    /// Accessible columns, in ascending column number.
    pub columns: &'static [Column<R>],
}

impl<R> Table<R> {
    /// The value of a column of a row; None for an unknown column or a
    /// value the row does not have.
    pub fn cell<'a>(&self, row: &'a R, column: u32) -> Option<Datum<'a>> {
        let c = self.columns.iter().find(|c| c.object.column == column)?;
        (c.get)(row)
    }
}

/// A table without its row type: what tests and listings need.
pub trait AnyTable: Sync {
    fn entry(&self) -> &'static str;
    fn oid(&self) -> &'static [u32];
    fn yang(&self) -> &'static str;
    /// Each INDEX object with its key leaf, in clause order.
    fn index(&self) -> Vec<(&'static IndexPart, Option<&'static str>)>;
    /// Each INDEX object without a key leaf that says why it has none.
    fn unkeyed(&self) -> Vec<(&'static IndexPart, &'static str)>;
    fn objects(&self) -> Vec<Object>;
}

impl<R> AnyTable for Table<R> {
    fn entry(&self) -> &'static str {
        self.entry
    }
    fn oid(&self) -> &'static [u32] {
        self.oid
    }
    fn yang(&self) -> &'static str {
        self.yang
    }
    fn index(&self) -> Vec<(&'static IndexPart, Option<&'static str>)> {
        self.keys.iter().map(|k| (k.part, k.leaf)).collect()
    }
    fn unkeyed(&self) -> Vec<(&'static IndexPart, &'static str)> {
        self.keys
            .iter()
            .filter_map(|k| Some((k.part, k.why?)))
            .collect()
    }
    fn objects(&self) -> Vec<Object> {
        self.columns.iter().map(|c| c.object).collect()
    }
}

static TABLES: &[&dyn AnyTable] = &[
    &chain::CHAIN,
    &node::NODE,
    &node::LINK,
    &host::HOST_DISK,
    &host::HOST_DISK_USAGE,
    &host::HOST_IF,
    &host::HOST_IF_COUNTERS,
    &performance::NODE_PERF,
    &faults::ALARM_TYPE,
    &faults::ALARM_ACTIVE,
    &faults::ALARM_HISTORY,
    &logs::LOG_TYPE,
    &logs::LOG_RECORD,
    &ledger::LEDGER,
    &ledger::BLOCK,
    &ledger::MEMBER,
    &consensus::CONSENSUS,
    &consensus::CONS_PARAM,
    &consensus::VALIDATOR,
    &consensus::CONSISTENCY,
    &consensus::NODE_HEAD,
    &consensus::PENDING_VOTE,
    &contracts::CONTRACT,
    &contracts::SIGNATORY,
    &contracts::EXECUTION,
    &crosschain::CHANNEL,
    &crosschain::TRANSFER,
    &crosschain::CHANNEL_PARAM,
    &apply::CONFIG_APPLY,
];

/// A group of MIB scalars (`oid.N.0`, N each object's `column`) whose
/// values are fields of one model value, and the YANG container holding
/// the same leaves.
pub struct Scalars<R: 'static> {
    /// The MIB node the scalars are under, e.g. `bcmThresholds`.
    pub group: &'static str,
    /// Absolute OID of that node.
    pub oid: &'static [u32],
    /// Schema path of the YANG container.
    pub yang: &'static str,
    /// The scalars, in ascending sub-identifier.
    pub objects: &'static [Column<R>],
}

impl<R> Scalars<R> {
    /// The declaration of the scalar with sub-identifier `column`.
    pub fn object(&self, column: u32) -> Option<&Column<R>> {
        self.objects.iter().find(|c| c.object.column == column)
    }
}

/// A scalar group without its model type: what tests and listings need.
pub trait AnyScalars: Sync {
    fn group(&self) -> &'static str;
    fn oid(&self) -> &'static [u32];
    fn yang(&self) -> &'static str;
    fn objects(&self) -> Vec<Object>;
}

impl<R> AnyScalars for Scalars<R> {
    fn group(&self) -> &'static str {
        self.group
    }
    fn oid(&self) -> &'static [u32] {
        self.oid
    }
    fn yang(&self) -> &'static str {
        self.yang
    }
    fn objects(&self) -> Vec<Object> {
        self.objects.iter().map(|c| c.object).collect()
    }
}

static SCALARS: &[&dyn AnyScalars] = &[&host::HOST, &performance::THRESHOLDS, &host::HOST_PERF];

/// Every scalar group of the map, in ascending OID order. The MIB's
/// other scalars (the alarm count, the agent's own counters) are counts
/// of no model value, defined by SNMP.
pub fn scalar_groups() -> &'static [&'static dyn AnyScalars] {
    SCALARS
}

/// Every table of the map, in ascending OID order; a MIB entry whose
/// columns come from two YANG lists is declared in two parts, one after
/// the other (`host`).
pub fn tables() -> &'static [&'static dyn AnyTable] {
    TABLES
}

/// A read-only column.
pub const fn ro(column: u32, name: &'static str, syntax: Syntax, yang: Yang) -> Object {
    Object {
        column,
        name,
        syntax,
        access: Access::ReadOnly,
        yang,
        unit: None,
        scale: Scale::One,
        mib_unit: None,
        write: None,
    }
}

/// A writable column and what its SET does.
/// A read-create column: writable, also in a row the same SET creates.
pub const fn rc(
    column: u32,
    name: &'static str,
    syntax: Syntax,
    yang: Yang,
    write: Write,
) -> Object {
    Object {
        access: Access::ReadCreate,
        ..rw(column, name, syntax, yang, write)
    }
}

pub const fn rw(
    column: u32,
    name: &'static str,
    syntax: Syntax,
    yang: Yang,
    write: Write,
) -> Object {
    Object {
        access: Access::ReadWrite,
        write: Some(write),
        ..ro(column, name, syntax, yang)
    }
}

impl Object {
    /// The same object with a unit.
    pub const fn unit(self, unit: &'static str) -> Object {
        Object {
            unit: Some(unit),
            ..self
        }
    }

    /// The same object, shown by the MIB in another scale and unit.
    pub const fn mib_scale(self, scale: Scale, mib_unit: &'static str) -> Object {
        Object {
            scale,
            mib_unit: Some(mib_unit),
            ..self
        }
    }

    /// The same object, whose unit the MIB names otherwise (`octets`
    /// for bytes), in the same scale.
    pub const fn mib_names(self, mib_unit: &'static str) -> Object {
        Object {
            mib_unit: Some(mib_unit),
            ..self
        }
    }

    /// The unit the MIB states.
    pub const fn mib_unit(&self) -> Option<&'static str> {
        match self.mib_unit {
            Some(u) => Some(u),
            None => self.unit,
        }
    }
}
