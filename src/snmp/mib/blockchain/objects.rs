//! SNMP's reading of the object map (`model::objects`): the column lists
//! and INDEX of a table definition, derived at compile time, and its rows
//! and cells, read through the map's getters. A converted table states
//! each column once, in the map.

use super::Row;
use super::index::{self, IndexPart, Key};
use crate::model::objects::{
    Access as MapAccess, Datum, Object, Scale, Syntax as MapSyntax, Table,
};
use crate::snmp::mib::convert::{self, saturate_u32};
use crate::snmp::mib::{Access, Column, Syntax};
use crate::snmp::value::Value;
use std::borrow::Borrow;

/// The SNMP column list of a map table (`N`: its number of columns).
pub const fn columns<R, const N: usize>(t: &Table<R>) -> [Column; N] {
    assert!(t.columns.len() == N, "column count");
    let mut out = [const {
        Column {
            id: 0,
            name: "",
            syntax: Syntax::Integer32,
            access: Access::ReadOnly,
        }
    }; N];
    let mut i = 0;
    while i < N {
        let o = &t.columns[i].object;
        out[i] = Column {
            id: o.column,
            name: o.name,
            syntax: syntax(o.syntax),
            access: match o.access {
                MapAccess::ReadOnly => Access::ReadOnly,
                MapAccess::ReadWrite => Access::ReadWrite,
            },
        };
        i += 1;
    }
    out
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
        MapSyntax::Integer32 | MapSyntax::TruthValue => Syntax::Integer32,
        MapSyntax::AdminString | MapSyntax::DateAndTime | MapSyntax::Decimal => Syntax::OctetString,
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
        (MapSyntax::Integer32, Datum::Enum(n, _)) => Value::Integer(n),
        (MapSyntax::TruthValue, Datum::Bool(b)) => Value::Integer(convert::truth_value(b)),
        (MapSyntax::Decimal, Datum::U32(n)) => Value::OctetString(convert::decimal(n.into())),
        (MapSyntax::Decimal, Datum::U64(n)) => Value::OctetString(convert::decimal(n)),
        (MapSyntax::AdminString, Datum::Text(t)) => Value::OctetString(convert::admin_string(t)),
        (MapSyntax::AdminString, Datum::List(l)) => {
            Value::OctetString(convert::admin_string(&l.join(",")))
        }
        (MapSyntax::DateAndTime, Datum::Time(ms)) => Value::OctetString(convert::date_and_time(ms)),
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
    let mut from_parent = parent.iter();
    // Most keys are a chain name and a number or a short name: one
    // allocation that rarely grows.
    let mut arcs = Vec::with_capacity(24);
    for k in t.keys {
        let d = match k.get {
            Some(get) => get(row)?,
            None => *from_parent.next()?,
        };
        let key = match d {
            Datum::Text(s) => Key::text(s),
            Datum::U32(n) => Key::Number(n),
            Datum::U64(n) => Key::Number(convert::unsigned_index(n)?),
            Datum::Enum(n, _) => Key::Number(u32::try_from(n).ok()?),
            Datum::Time(_) | Datum::Bool(_) | Datum::List(_) | Datum::Float(..) => {
                return None;
            }
        };
        index::push(k.part, key, &mut arcs)?;
    }
    Some(arcs)
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
