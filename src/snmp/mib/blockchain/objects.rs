//! SNMP's reading of the object map (`model::objects`): the column lists
//! and INDEX of a table definition, derived at compile time, its rows and
//! cells, read through the map's getters, and its SETs, the edits the
//! map declares. A converted table states each column once, in the map.

use super::Row;
use super::edit;
use super::index::{self, IndexPart, IndexValue, Key};
use crate::config::{ConfigPath, Segment};
use crate::core::datastore::Edit;
use crate::model::objects::enums::{ROW_ACTIVE, ROW_CREATE_AND_GO, ROW_DESTROY};
use crate::model::objects::{
    Access as MapAccess, Clear, Datum, Input, Object, Scalars, Scale, Step, Syntax as MapSyntax,
    Table, Target,
};
use crate::model::rows::{self as shared, Rows};
use crate::snmp::mib::convert::{self, saturate_u32};
use crate::snmp::mib::{Access, Column, Ctx, RowChanges, SetAction, SetError, Syntax, TableDef};
use crate::snmp::value::Value;
use std::borrow::Borrow;
use std::sync::Arc;

/// A slot of a column list not yet filled (every slot is, before the
/// list is returned).
const UNSET: Column = Column {
    id: 0,
    name: "",
    syntax: Syntax::Integer32,
    access: Access::ReadOnly,
};

/// The SNMP column list of a map table (`N`: its number of columns).
pub const fn columns<R, const N: usize>(t: &Table<R>) -> [Column; N] {
    assert!(t.columns.len() == N, "column count");
    let mut out = [UNSET; N];
    let mut i = 0;
    while i < N {
        out[i] = column(&t.columns[i].object);
        i += 1;
    }
    out
}

/// The SNMP column list of a MIB entry the map declares in two parts
/// (`N`: their columns together), in the parts' order.
pub const fn joined_columns<A, B, const N: usize>(a: &Table<A>, b: &Table<B>) -> [Column; N] {
    assert!(a.columns.len() + b.columns.len() == N, "column count");
    let mut out = [UNSET; N];
    let mut i = 0;
    while i < N {
        let o = if i < a.columns.len() {
            &a.columns[i].object
        } else {
            &b.columns[i - a.columns.len()].object
        };
        out[i] = column(o);
        i += 1;
    }
    out
}

/// The SNMP column of a declared object.
const fn column(o: &Object) -> Column {
    Column {
        id: o.column,
        name: o.name,
        syntax: syntax(o.syntax),
        access: match o.access {
            MapAccess::ReadOnly => Access::ReadOnly,
            MapAccess::ReadWrite => Access::ReadWrite,
            MapAccess::ReadCreate => Access::ReadCreate,
        },
    }
}

/// The INDEX of a map table (`N`: its number of parts).
pub const fn index<R, const N: usize>(t: &Table<R>) -> [&'static IndexPart; N] {
    assert!(t.keys.len() == N, "index length");
    let mut out: [&'static IndexPart; N] = [t.keys[0].part; N];
    let mut i = 0;
    while i < N {
        out[i] = t.keys[i].part;
        i += 1;
    }
    out
}

/// The wire syntax of a declared syntax.
const fn syntax(s: MapSyntax) -> Syntax {
    match s {
        MapSyntax::Unsigned32 => Syntax::Unsigned32,
        MapSyntax::Gauge32 => Syntax::Gauge32,
        MapSyntax::Counter64 => Syntax::Counter64,
        MapSyntax::Integer32 | MapSyntax::TruthValue | MapSyntax::UpDown => Syntax::Integer32,
        MapSyntax::RowStatus => Syntax::RowStatus,
        MapSyntax::AdminString
        | MapSyntax::DateAndTime
        | MapSyntax::Decimal
        | MapSyntax::PhysAddress => Syntax::OctetString,
    }
}

/// A value in its column's syntax and scale; None when the two do not
/// match.
pub fn value(o: &Object, d: Datum) -> Option<Value> {
    let d = match (o.scale, d) {
        (Scale::One, d) => d,
        (Scale::Kibi, Datum::U64(n)) => Datum::U64(n / 1024),
        (Scale::Mebi, Datum::U64(n)) => Datum::U64(n / (1024 * 1024)),
        (Scale::Hundred, Datum::Float(v, _)) => Datum::Float(v * 100.0, 0),
        (Scale::Thousand, Datum::Float(v, _)) => Datum::Float(v * 1000.0, 0),
        _ => return None,
    };
    Some(match (o.syntax, d) {
        (MapSyntax::Unsigned32 | MapSyntax::Gauge32, Datum::U32(n)) => Value::Gauge32(n),
        (MapSyntax::Unsigned32 | MapSyntax::Gauge32, Datum::U64(n)) => {
            Value::Gauge32(saturate_u32(n))
        }
        (MapSyntax::Unsigned32 | MapSyntax::Gauge32, Datum::Float(v, _)) => {
            Value::Gauge32(convert::round_u32(v))
        }
        (MapSyntax::Counter64, Datum::U32(n)) => Value::Counter64(n.into()),
        (MapSyntax::Counter64, Datum::U64(n)) => Value::Counter64(n),
        (MapSyntax::Integer32 | MapSyntax::RowStatus, Datum::Enum(n, _)) => Value::Integer(n),
        (MapSyntax::Integer32, Datum::I32(n)) => Value::Integer(n),
        (MapSyntax::TruthValue, Datum::Bool(b)) => Value::Integer(convert::truth_value(b)),
        (MapSyntax::UpDown, Datum::Bool(b)) => Value::Integer(if b { 1 } else { 2 }),
        (MapSyntax::PhysAddress, Datum::Mac(m)) => Value::OctetString(convert::mac_octets(m)?),
        (MapSyntax::Decimal, Datum::U32(n)) => Value::OctetString(convert::decimal(n.into())),
        (MapSyntax::Decimal, Datum::U64(n)) => Value::OctetString(convert::decimal(n)),
        (MapSyntax::AdminString, Datum::Text(t)) => Value::OctetString(convert::admin_string(t)),
        (MapSyntax::AdminString, Datum::List(l)) => {
            Value::OctetString(convert::admin_string(&l.join(",")))
        }
        (MapSyntax::DateAndTime, Datum::Time(ms)) => Value::OctetString(convert::date_and_time(ms)),
        (MapSyntax::DateAndTime, Datum::U64(secs)) => {
            Value::OctetString(convert::date_and_time_secs(secs))
        }
        _ => return None,
    })
}

/// A cell of a row of a map table.
pub fn cell<R>(t: &Table<R>, row: &R, col: u32) -> Option<Value> {
    let c = t.columns.iter().find(|c| c.object.column == col)?;
    value(&c.object, (c.get)(row)?)
}

/// The instance suffix of a row; None when a key does not fit its index
/// object (an integer above 2^32-1, text too long or empty). `parent`
/// holds, in order, the keys the row's parent supplies.
pub fn instance<R>(t: &Table<R>, parent: &[Datum], row: &R) -> Option<Vec<u32>> {
    // The keys are read into a small array first, so that the index is
    // one allocation of its exact size: the MIB view holds one per row
    // (100,000 block rows and more) and rebuilds them on each publication.
    const MAX_KEYS: usize = 8;
    let mut keys = [Key::Number(0); MAX_KEYS];
    let mut parts: [&IndexPart; MAX_KEYS] = [t.keys.first()?.part; MAX_KEYS];
    if t.keys.len() > MAX_KEYS {
        return None;
    }
    let mut from_parent = parent.iter();
    for (i, k) in t.keys.iter().enumerate() {
        let d = match k.get {
            Some(get) => get(row)?,
            None => *from_parent.next()?,
        };
        keys[i] = match d {
            Datum::Text(s) => Key::text(s),
            Datum::U32(n) => Key::Number(n),
            Datum::U64(n) => Key::Number(convert::unsigned_index(n)?),
            Datum::Enum(n, _) => Key::Number(u32::try_from(n).ok()?),
            Datum::Time(_)
            | Datum::Bool(_)
            | Datum::List(_)
            | Datum::Float(..)
            | Datum::Mac(_)
            | Datum::I32(_) => {
                return None;
            }
        };
        parts[i] = k.part;
    }
    let n = t.keys.len();
    index::encode(&parts[..n], &keys[..n])
}

/// The rows of a map table over a snapshot list, in list order (the list
/// may hold the rows or shared pointers to them, in a Vec or a shared
/// persistent vector).
pub fn rows<'a, R, T: Borrow<R> + 'a>(
    t: &Table<R>,
    items: impl IntoIterator<Item = &'a T>,
) -> Vec<Row> {
    items
        .into_iter()
        .enumerate()
        .filter_map(|(pos, r)| super::row(instance(t, &[], r.borrow()), pos, 0))
        .collect()
}

/// The row of a shared model row: it holds the row itself (`Row::item`),
/// so the view can keep it while later snapshots still hold that row.
pub fn shared_row<R: Send + Sync + 'static>(t: &Table<R>, r: &Arc<R>) -> Option<Row> {
    Some(Row {
        index: instance(t, &[], r)?,
        pos: 0,
        sub: 0,
        shared: Some(r.clone()),
    })
}

/// The rows of a map table over a shared list (`model::rows`), each
/// holding its model row.
pub fn shared_rows<R: Send + Sync + 'static>(t: &Table<R>, items: &Rows<R>) -> Vec<Row> {
    items.iter().filter_map(|r| shared_row(t, r)).collect()
}

/// The rows of a map table over a shared list that `new` dropped from
/// and added to `old` (by pointer); None when more than 1,024 rows plus
/// an eighth of the list changed, where listing them all anew costs no
/// more. Only the changed rows are read and encoded.
pub fn shared_changes<R: Send + Sync + 'static>(
    t: &Table<R>,
    old: &Rows<R>,
    new: &Rows<R>,
) -> Option<RowChanges> {
    let c = shared::changes(old, new, 1024 + new.len() / 8)?;
    Some(RowChanges {
        removed: c.removed.iter().filter_map(|r| shared_row(t, r)).collect(),
        added: c.added.iter().filter_map(|r| shared_row(t, r)).collect(),
    })
}

/// The rows of a map table whose rows are held by parents (a chain's
/// validators): `pos` is the parent's position, `sub` the row's in it;
/// `parent_keys` gives the keys the parent holds, in INDEX order.
pub fn nested_rows<'a, P, R: 'a, const K: usize>(
    t: &Table<R>,
    parents: &'a [P],
    parent_keys: impl Fn(&'a P) -> [Datum<'a>; K],
    children: impl Fn(&'a P) -> &'a [R],
) -> Vec<Row> {
    let mut out = Vec::new();
    for (pos, p) in parents.iter().enumerate() {
        let keys = parent_keys(p);
        for (sub, r) in children(p).iter().enumerate() {
            if let Some(row) = super::row(instance(t, &keys, r), pos, sub) {
                out.push(row);
            }
        }
    }
    out
}

/// A SET of a column of a map table, as the map declares it (`def` is
/// SNMP's table built from `t`: its INDEX, rows and cells). The checks
/// come in RFC 3416's order: the value's type, length and range, then
/// the row (noCreation: rows are never created by SET), then whether the
/// configuration holds what the SET edits (inconsistentValue).
pub fn set<R>(
    t: &Table<R>,
    def: &TableDef,
    ctx: &Ctx,
    index: &[u32],
    col: u32,
    v: &Value,
) -> Result<SetAction, SetError> {
    let write = t
        .columns
        .iter()
        .find(|c| c.object.column == col)
        .and_then(|c| c.object.write)
        .ok_or(SetError::NotWritable)?;
    let given = given(write.input, v)?;
    let keys = index::decode(def.index, index).ok_or(SetError::NoCreation)?;
    if let Input::UnsignedByKey(key, range) = write.input {
        let name = keys.get(key).and_then(IndexValue::text);
        let (lo, hi) = range(name.ok_or(SetError::NoCreation)?);
        if !given
            .number()
            .is_some_and(|n| (lo..=hi).contains(&u64::from(n)))
        {
            return Err(SetError::WrongValue);
        }
    }
    let rows = (def.rows)(ctx);
    let row = rows.iter().find(|r| r.index == index);
    if let Target::Row { entry, within } = write.target {
        return row_status(ctx, entry, within, &keys, row.is_some(), given);
    }
    let read_create = t
        .columns
        .iter()
        .any(|c| c.object.column == col && c.object.access == MapAccess::ReadCreate);
    let row = match row {
        Some(row) => row,
        // A read-create column of a row this SET creates.
        None if read_create && ctx.creates(def.entry, index) => {
            return match write.target {
                Target::Config {
                    path,
                    within,
                    clear,
                } => config_edit(ctx, path, within, clear, &keys, given, write.input),
                _ => Err(SetError::NoCreation),
            };
        }
        None => return Err(SetError::NoCreation),
    };
    if let Some(flag) = write.only_if
        && (def.get)(ctx, row, flag) != Some(Value::Integer(convert::truth_value(true)))
    {
        return Err(SetError::NotWritable);
    }
    match write.target {
        Target::Config {
            path,
            within,
            clear,
        } => config_edit(ctx, path, within, clear, &keys, given, write.input),
        Target::AckAlarm { acknowledged } => {
            let id = keys
                .first()
                .and_then(IndexValue::number)
                .ok_or(SetError::NoCreation)?;
            Ok(SetAction::AckAlarm {
                id: u64::from(id),
                acknowledged: given.enum_number() == Some(acknowledged),
            })
        }
        Target::Row { .. } => Err(SetError::NotWritable),
    }
}

/// A SET of a row's RowStatus (RFC 2579), for a row whose configuration
/// entry is at `entry`: createAndGo creates the entry (the row must not
/// exist), destroy removes it (nothing to do for a row that does not
/// exist; inconsistentValue for one the configuration does not hold, a
/// row the agent found but was not told of), active keeps an existing
/// row. createAndWait, notInService and notReady are not supported
/// (wrongValue, as RFC 2579 allows): a row is whole or absent.
fn row_status(
    ctx: &Ctx,
    entry: &[Step],
    within: usize,
    keys: &[IndexValue],
    shown: bool,
    given: Given,
) -> Result<SetAction, SetError> {
    let path = config_path(entry, keys).ok_or(SetError::NoCreation)?;
    let config = serde_json::to_value(ctx.config).map_err(|_| SetError::ResourceUnavailable)?;
    let segments = path.segments();
    if !holds(&config, &segments[..within.min(segments.len())]) {
        return Err(SetError::NoCreation);
    }
    let configured = holds(&config, segments);
    match given.enum_number() {
        Some(ROW_CREATE_AND_GO) if shown || configured => Err(SetError::InconsistentValue),
        Some(ROW_CREATE_AND_GO) => Ok(SetAction::CreateRow(Edit::Set {
            path,
            value: serde_json::Value::Object(Default::default()),
        })),
        Some(ROW_DESTROY) if configured => Ok(SetAction::Config(vec![Edit::Delete { path }])),
        Some(ROW_DESTROY) if shown => Err(SetError::InconsistentValue),
        Some(ROW_DESTROY) => Ok(SetAction::Config(Vec::new())),
        Some(ROW_ACTIVE) if shown || configured => Ok(SetAction::Config(Vec::new())),
        Some(ROW_ACTIVE) => Err(SetError::InconsistentValue),
        _ => Err(SetError::WrongValue),
    }
}

/// The edit of a configuration target, the row's INDEX values `keys` in
/// place of its keys.
fn config_edit(
    ctx: &Ctx,
    steps: &[Step],
    within: usize,
    clear: Clear,
    keys: &[IndexValue],
    given: Given,
    input: Input,
) -> Result<SetAction, SetError> {
    let path = config_path(steps, keys).ok_or(SetError::NoCreation)?;
    let config = serde_json::to_value(ctx.config).map_err(|_| SetError::ResourceUnavailable)?;
    let segments = path.segments();
    if !holds(&config, &segments[..within.min(segments.len())]) {
        return Err(SetError::InconsistentValue);
    }
    if given.clears(clear) {
        // Removing what is not configured changes nothing (and a
        // delete of a missing leaf would fail the commit).
        return Ok(if holds(&config, segments) {
            SetAction::Config(vec![Edit::Delete { path }])
        } else {
            SetAction::Config(Vec::new())
        });
    }
    Ok(SetAction::Config(vec![Edit::Set {
        path,
        value: given.json(input),
    }]))
}

/// The SNMP column (name, syntax, access) of a map scalar.
pub const fn scalar_column<R>(g: &Scalars<R>, column: u32) -> Column {
    let mut i = 0;
    while i < g.objects.len() && g.objects[i].object.column != column {
        i += 1;
    }
    assert!(i < g.objects.len(), "no such scalar in the group");
    self::column(&g.objects[i].object)
}

/// The OID of a map scalar (`N`: the group's OID's length plus one).
pub const fn scalar_oid<R, const N: usize>(g: &Scalars<R>, column: u32) -> [u32; N] {
    assert!(g.oid.len() + 1 == N, "OID length");
    let mut out = [column; N];
    let mut i = 0;
    while i < g.oid.len() {
        out[i] = g.oid[i];
        i += 1;
    }
    out
}

/// The value of a map scalar, from the model value its group reads.
pub fn scalar_cell<R>(g: &Scalars<R>, source: &R, column: u32) -> Option<Value> {
    let c = g.object(column)?;
    value(&c.object, (c.get)(source)?)
}

/// A SET of a map scalar, as the map declares it.
pub fn scalar_set<R>(
    g: &Scalars<R>,
    ctx: &Ctx,
    column: u32,
    v: &Value,
) -> Result<SetAction, SetError> {
    let write = g
        .object(column)
        .and_then(|c| c.object.write)
        .ok_or(SetError::NotWritable)?;
    let given = given(write.input, v)?;
    match write.target {
        Target::Config {
            path,
            within,
            clear,
        } => config_edit(ctx, path, within, clear, &[], given, write.input),
        Target::AckAlarm { .. } | Target::Row { .. } => Err(SetError::NotWritable),
    }
}

/// A SET's value, checked against its declared input.
enum Given {
    Text(String),
    Number(u32),
    /// An enumeration's number and YANG name.
    Enum(i32, &'static str),
}

impl Given {
    fn enum_number(&self) -> Option<i32> {
        match self {
            Given::Enum(n, _) => Some(*n),
            _ => None,
        }
    }

    fn number(&self) -> Option<u32> {
        match self {
            Given::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn clears(&self, clear: Clear) -> bool {
        match (clear, self) {
            (Clear::Empty, Given::Text(t)) => t.is_empty(),
            (Clear::Zero, Given::Number(n)) => *n == 0,
            _ => false,
        }
    }

    /// The value as the configuration holds it.
    fn json(self, input: Input) -> serde_json::Value {
        match (self, input) {
            (Given::Number(n), Input::PercentHundredths) => edit::hundredths_json(n),
            (Given::Number(n), Input::UnsignedAsFloat) => serde_json::Value::from(f64::from(n)),
            (Given::Number(n), _) => serde_json::Value::from(n),
            (Given::Text(t), _) => serde_json::Value::String(t),
            (Given::Enum(_, name), _) => serde_json::Value::String(name.to_string()),
        }
    }
}

/// The value of a varbind as the input takes it: wrongType for another
/// type, wrongLength or wrongValue for one its syntax does not allow.
fn given(input: Input, v: &Value) -> Result<Given, SetError> {
    Ok(match input {
        Input::Enum(named) => match named(edit::integer(v)?) {
            Some(Datum::Enum(n, name)) => Given::Enum(n, name),
            _ => return Err(SetError::WrongValue),
        },
        Input::Text => Given::Text(edit::admin_string(v)?),
        Input::Unsigned | Input::UnsignedByKey(..) | Input::UnsignedAsFloat => {
            Given::Number(edit::unsigned(v)?)
        }
        Input::PercentHundredths => Given::Number(edit::percent_hundredths(v)?),
    })
}

/// The configuration path of a declared target, the row's INDEX values
/// in place of its keys; None when an INDEX value cannot be a key (not
/// UTF-8, a number the enumeration does not define).
fn config_path(steps: &[Step], keys: &[IndexValue]) -> Option<ConfigPath> {
    let mut path = ConfigPath::root();
    for step in steps {
        match *step {
            Step::Name(n) => path.push(n),
            Step::Key(i) => path.push(keys.get(i)?.text()?),
            Step::EnumKey(i, named) => match named(i32::try_from(keys.get(i)?.number()?).ok()?)? {
                Datum::Enum(_, name) => path.push(name),
                _ => return None,
            },
        }
    }
    Some(path)
}

/// Whether the configuration's JSON form holds a value (not null) at the
/// path's segments.
fn holds(config: &serde_json::Value, segments: &[Segment]) -> bool {
    let mut node = config;
    for s in segments {
        match node.get(s.text()) {
            Some(next) => node = next,
            None => return false,
        }
    }
    !node.is_null()
}
