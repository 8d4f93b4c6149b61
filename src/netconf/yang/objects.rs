//! NETCONF's reading of the object map (`model::objects`): the leaves of
//! one list entry (or container) in RFC 7951 JSON, from the same
//! declarations SNMP builds its columns from. Keys are always written;
//! text the model keeps as "" (none) and values the row lacks are absent.

use super::json::{dec_round, u64s};
use super::time::date_and_time;
use crate::model::objects::{Column, Datum, Scalars, Table, Yang};
use serde_json::{Map, Value};

/// The JSON value of a datum; None for what YANG leaves absent: text
/// the model keeps as "" (none), an empty leaf-list, a measurement
/// with no decimal64 form.
pub fn value(d: Datum) -> Option<Value> {
    Some(match d {
        Datum::U32(n) => Value::from(n),
        Datum::U64(n) => u64s(n),
        Datum::Text("") => return None,
        Datum::Text(s) => Value::String(s.to_string()),
        Datum::Time(ms) => Value::String(date_and_time(ms)),
        Datum::Bool(b) => Value::Bool(b),
        Datum::Enum(_, name) => Value::String(name.to_string()),
        Datum::List([]) => return None,
        Datum::List(l) => Value::from(l.to_vec()),
        Datum::Float(v, digits) => return dec_round(v, digits),
        Datum::Mac(m) if is_mac(m) => Value::String(m.to_string()),
        // Interfaces without one (tunnels) report "".
        Datum::Mac(_) => return None,
        Datum::I32(n) => Value::from(n),
    })
}

/// yang:mac-address.
fn is_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The key leaves and the column leaves of a row, in declaration order
/// (a parent's key is the parent entry's leaf, not the row's).
pub fn leaves<R>(t: &Table<R>, row: &R) -> Map<String, Value> {
    let mut o = Map::new();
    for k in t.keys {
        if let (Some(leaf), Some(d)) = (k.leaf, k.get.and_then(|get| get(row))) {
            put(&mut o, leaf, key_value(d));
        }
    }
    column_leaves(&mut o, t.columns, row);
    o
}

/// The leaves of columns, read from one model value.
fn column_leaves<R>(o: &mut Map<String, Value>, columns: &[Column<R>], row: &R) {
    for c in columns {
        let v = match c.object.yang {
            Yang::Leaf(leaf) | Yang::ReadWrite { read: leaf, .. } => {
                (leaf, (c.get)(row).and_then(value))
            }
            Yang::Mandatory(leaf) => (leaf, (c.get)(row).map(key_value)),
            Yang::Nothing(_) => continue,
        };
        if let (leaf, Some(v)) = v {
            put(o, leaf, v);
        }
    }
}

/// The leaves of a scalar group's YANG container, in declaration order.
pub fn scalar_leaves<R>(g: &Scalars<R>, source: &R) -> Map<String, Value> {
    let mut o = Map::new();
    column_leaves(&mut o, g.objects, source);
    o
}

/// A key (or a mandatory leaf) is always written, even as "".
fn key_value(d: Datum) -> Value {
    match d {
        Datum::Text(s) => Value::String(s.to_string()),
        d => value(d).unwrap_or(Value::Null),
    }
}

/// Insert at a leaf path relative to `o` (`a/b` goes into container `a`).
fn put(o: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('/') {
        None => {
            o.insert(path.to_string(), v);
        }
        Some((first, rest)) => {
            let inner = o
                .entry(first.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = inner {
                put(m, rest, v);
            }
        }
    }
}
