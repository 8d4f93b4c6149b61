//! The MIB view over one snapshot: every scalar and table the agent serves,
//! in OID order, with each table's rows indexed for binary search. Built
//! once per published snapshot, off the request path; a request only
//! searches it. Get answers one instance; `next` finds the first instance
//! after an OID that a predicate (the VACM read view) admits, which gives
//! GetNext and GetBulk strict lexicographic order over the whole tree.

use super::mib::{Ctx, Row, ScalarDef, TableDef};
use super::oid::Oid;
use super::value::{Value, VarBind};
use crate::model::snapshot::Snapshot;
use std::sync::Arc;

#[derive(Clone, Copy)]
pub enum Def {
    Scalar(&'static ScalarDef),
    Table(&'static TableDef),
}

impl Def {
    pub fn base(&self) -> &'static [u32] {
        match self {
            Def::Scalar(s) => s.oid,
            Def::Table(t) => t.entry,
        }
    }
}

/// Every definition the agent serves, sorted by OID.
pub struct Registry {
    defs: Vec<Def>,
}

impl Registry {
    pub fn new(mut defs: Vec<Def>) -> Registry {
        defs.sort_by(|a, b| a.base().cmp(b.base()));
        Registry { defs }
    }

    /// The definition whose subtree contains `oid`, if any.
    fn containing(&self, oid: &[u32]) -> Option<usize> {
        let p = self.defs.partition_point(|d| d.base() <= oid);
        (p > 0 && oid.starts_with(self.defs[p - 1].base())).then(|| p - 1)
    }
}

/// One snapshot's rows for every table of the registry.
pub struct MibView {
    pub registry: Arc<Registry>,
    pub snapshot: Arc<Snapshot>,
    /// Rows per definition (empty for scalars), sorted by index.
    rows: Vec<Vec<Row>>,
}

impl MibView {
    /// A view with no rows and an empty snapshot, until the first build.
    pub fn empty(registry: Arc<Registry>) -> MibView {
        let rows = registry.defs.iter().map(|_| Vec::new()).collect();
        MibView {
            registry,
            snapshot: Arc::new(Snapshot::default()),
            rows,
        }
    }

    pub fn build(registry: Arc<Registry>, snapshot: Arc<Snapshot>, ctx: &Ctx) -> MibView {
        let rows = registry
            .defs
            .iter()
            .map(|d| match d {
                Def::Scalar(_) => Vec::new(),
                Def::Table(t) => {
                    let mut rows = (t.rows)(ctx);
                    rows.sort_by(|a, b| a.index.cmp(&b.index));
                    rows.dedup_by(|later, first| later.index == first.index);
                    rows
                }
            })
            .collect();
        MibView {
            registry,
            snapshot,
            rows,
        }
    }

    /// The value of one instance, or the v2 exception that says why not.
    pub fn get(&self, ctx: &Ctx, oid: &[u32]) -> Value {
        let Some(i) = self.registry.containing(oid) else {
            return Value::NoSuchObject;
        };
        match self.registry.defs[i] {
            Def::Scalar(s) => {
                if oid.len() == s.oid.len() + 1 && oid[s.oid.len()] == 0 {
                    (s.get)(ctx).unwrap_or(Value::NoSuchInstance)
                } else {
                    Value::NoSuchInstance
                }
            }
            Def::Table(t) => {
                let Some(&col) = oid.get(t.entry.len()) else {
                    return Value::NoSuchObject;
                };
                if !t.columns.iter().any(|c| c.id == col) {
                    return Value::NoSuchObject;
                }
                let index = &oid[t.entry.len() + 1..];
                let rows = &self.rows[i];
                match rows.binary_search_by(|r| r.index.as_slice().cmp(index)) {
                    Ok(r) => (t.get)(ctx, &rows[r], col).unwrap_or(Value::NoSuchInstance),
                    Err(_) => Value::NoSuchInstance,
                }
            }
        }
    }

    /// The first instance after `oid` (in OID order) that `admit` accepts
    /// and that has a value; None at the end of the MIB view.
    pub fn next(&self, ctx: &Ctx, oid: &[u32], admit: &dyn Fn(&[u32]) -> bool) -> Option<VarBind> {
        let defs = &self.registry.defs;
        let start = self
            .registry
            .containing(oid)
            .unwrap_or_else(|| defs.partition_point(|d| d.base() <= oid));
        let mut buf = Vec::with_capacity(32);
        for (i, def) in defs.iter().enumerate().skip(start) {
            let found = match *def {
                Def::Scalar(s) => {
                    buf.clear();
                    buf.extend_from_slice(s.oid);
                    buf.push(0);
                    if buf.as_slice() > oid && admit(&buf) {
                        (s.get)(ctx).map(|v| VarBind::new(Oid(buf.clone()), v))
                    } else {
                        None
                    }
                }
                Def::Table(t) => self.next_in_table(ctx, t, &self.rows[i], oid, admit, &mut buf),
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn next_in_table(
        &self,
        ctx: &Ctx,
        t: &TableDef,
        rows: &[Row],
        oid: &[u32],
        admit: &dyn Fn(&[u32]) -> bool,
        buf: &mut Vec<u32>,
    ) -> Option<VarBind> {
        if rows.is_empty() {
            return None;
        }
        for c in t.columns {
            buf.clear();
            buf.extend_from_slice(t.entry);
            buf.push(c.id);
            let col_len = buf.len();
            let first = if oid.starts_with(buf) {
                let rest = &oid[col_len..];
                rows.partition_point(|r| r.index.as_slice() <= rest)
            } else if oid < buf.as_slice() {
                0
            } else {
                continue;
            };
            for row in &rows[first..] {
                buf.truncate(col_len);
                buf.extend_from_slice(&row.index);
                if !admit(buf) {
                    continue;
                }
                if let Some(v) = (t.get)(ctx, row, c.id) {
                    return Some(VarBind::new(Oid(buf.clone()), v));
                }
            }
        }
        None
    }

    /// The writable definition and row index an instance OID names, for SET.
    pub fn target(&self, oid: &[u32]) -> Option<(Def, Vec<u32>)> {
        let i = self.registry.containing(oid)?;
        let d = self.registry.defs[i];
        let rest = &oid[d.base().len()..];
        Some((d, rest.to_vec()))
    }
}
