//! The MIB view over one snapshot: every scalar and table the agent serves,
//! in OID order, with each table's rows indexed for binary search. Built
//! once per published snapshot, off the request path; a request only
//! searches it. Get answers one instance; `next` finds the first instance
//! after an OID that a predicate (the VACM read view) admits, which gives
//! GetNext and GetBulk strict lexicographic order over the whole tree.
//! A table that says which of its rows a publication changed (the block
//! window, the transfers) has its index updated from the previous view's
//! rather than built anew (`row_index`).

use super::mib::{Ctx, ScalarDef, TableDef};
use super::oid::Oid;
use super::row_index::RowIndex;
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
    rows: Vec<RowIndex>,
}

impl MibView {
    /// A view with no rows and an empty snapshot, until the first build.
    pub fn empty(registry: Arc<Registry>) -> MibView {
        let rows = registry.defs.iter().map(|_| RowIndex::default()).collect();
        MibView {
            registry,
            snapshot: Arc::new(Snapshot::default()),
            rows,
        }
    }

    /// The view of `snapshot`. With the view of an earlier snapshot
    /// (`prev`), a table that can say which rows changed since then keeps
    /// `prev`'s index of the others.
    pub fn build(
        registry: Arc<Registry>,
        snapshot: Arc<Snapshot>,
        ctx: &Ctx,
        prev: Option<&MibView>,
    ) -> MibView {
        let prev = prev.filter(|p| Arc::ptr_eq(&p.registry, &registry));
        let rows = registry
            .defs
            .iter()
            .enumerate()
            .map(|(i, d)| match d {
                Def::Scalar(_) => RowIndex::default(),
                Def::Table(t) => prev
                    .zip(t.update)
                    .and_then(|(p, update)| {
                        let changes = update(&p.snapshot, ctx)?;
                        p.rows.get(i)?.update(&changes.removed, changes.added)
                    })
                    .unwrap_or_else(|| RowIndex::new((t.rows)(ctx))),
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
                match self.rows[i].find(index) {
                    Some(row) => (t.get)(ctx, row, col).unwrap_or(Value::NoSuchInstance),
                    None => Value::NoSuchInstance,
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
        rows: &RowIndex,
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
            let after = if oid.starts_with(buf) {
                Some(&oid[col_len..])
            } else if oid < buf.as_slice() {
                None
            } else {
                continue;
            };
            for row in rows.after(after) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::ledger::Block;
    use crate::snmp::mib::blockchain::{self, fixture, ledger::BLOCK_TABLE};

    fn registry() -> Arc<Registry> {
        let mut defs: Vec<Def> = blockchain::tables().iter().map(|t| Def::Table(t)).collect();
        defs.extend(blockchain::scalars().iter().map(|s| Def::Scalar(s)));
        Arc::new(Registry::new(defs))
    }

    fn block(chain: &str, height: u64) -> Arc<Block> {
        Arc::new(Block {
            chain: chain.into(),
            height,
            hash: format!("0x{height:x}"),
            parent_hash: format!("0x{:x}", height.saturating_sub(1)),
            time: 1_700_000_000_000,
            proposer: "node-1".into(),
            tx_count: 1,
            size_bytes: 100,
        })
    }

    /// Every instance of the view in OID order, by GetNext from the start.
    fn walk(view: &MibView, config: &Config) -> Vec<VarBind> {
        let ctx = fixture::ctx(&view.snapshot, config);
        let mut out = Vec::new();
        let mut from = vec![0];
        while let Some(vb) = view.next(&ctx, &from, &|_| true) {
            from = vb.oid.0.clone();
            out.push(vb);
        }
        out
    }

    fn build(registry: &Arc<Registry>, s: Snapshot, prev: Option<&MibView>) -> MibView {
        let (s, config) = (Arc::new(s), Config::default());
        let ctx = fixture::ctx(&s, &config);
        MibView::build(registry.clone(), s.clone(), &ctx, prev)
    }

    #[test]
    fn a_view_built_from_the_previous_one_serves_what_a_fresh_one_does() {
        let (registry, config) = (registry(), Config::default());
        let mut s = fixture::snapshot();
        // Two chains' windows of 8,000 blocks (many chunks each).
        for chain in ["sim", "b"] {
            s.ledger
                .blocks
                .extend((10_000..18_000).map(|h| block(chain, h)));
        }
        let mut view = build(&registry, s.clone(), None);
        for step in 0..4u64 {
            // Each chain's window drops its oldest block and appends one;
            // the second step also replaces a block mid-window.
            let mut next = (*view.snapshot).clone();
            let blocks = &mut next.ledger.blocks;
            let at = blocks.iter().position(|b| b.chain == "b").unwrap_or(0);
            blocks.insert(at, block("sim", 20_000 + step));
            blocks.remove(at + 1);
            blocks.push_back(block("b", 20_000 + step));
            blocks.remove(blocks.len() / 2 + 100);
            if step == 1 {
                blocks.set(1000, block("sim", 900_000));
            }
            let updated = build(&registry, next.clone(), Some(&view));
            let fresh = build(&registry, next, None);
            assert_eq!(
                walk(&updated, &config),
                walk(&fresh, &config),
                "step {step}"
            );
            let i = registry
                .defs
                .iter()
                .position(|d| matches!(d, Def::Table(t) if t.entry == BLOCK_TABLE.entry))
                .unwrap();
            let (old_rows, new_rows) = (&view.rows[i], &updated.rows[i]);
            // Rows of unchanged blocks are the previous view's (shared).
            let shared = new_rows
                .after(None)
                .filter(|r| old_rows.find(&r.index).is_some_and(|o| std::ptr::eq(o, *r)))
                .count();
            // At most one chunk (1,024 rows) copied per changed block.
            let changed = if step == 1 { 5 } else { 4 };
            let copied = new_rows.after(None).count() - shared;
            assert!(
                copied <= changed * 1024,
                "step {step}: {copied} rows copied"
            );
            view = updated;
        }
    }
}
