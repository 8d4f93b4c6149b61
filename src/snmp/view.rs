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
use super::row_index::{RowIndex, RowPos};
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

/// Where an instance [`MibView::next_hinted`] found lies: its table's
/// definition, column (by position) and row.
#[derive(Debug, Clone, Copy)]
pub struct Hint {
    def: usize,
    col: usize,
    pos: RowPos,
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
        self.next_hinted(ctx, oid, admit, &mut None)
    }

    /// [`MibView::next`], given where the last instance this view found
    /// lies (`hint`, which it then sets to the one it finds): when `oid`
    /// is that instance, as when a GetBulk repeater goes on from the
    /// varbind it last returned, the search starts right after it instead
    /// of from the top of the registry and the table's index. A hint
    /// whose row in this view is not `oid`'s instance is ignored, so a
    /// stale hint costs a search, never a wrong answer.
    pub fn next_hinted(
        &self,
        ctx: &Ctx,
        oid: &[u32],
        admit: &dyn Fn(&[u32]) -> bool,
        hint: &mut Option<Hint>,
    ) -> Option<VarBind> {
        let defs = &self.registry.defs;
        let resume = hint.take().filter(|h| self.is_at(h, oid));
        let start = match resume {
            Some(h) => h.def,
            None => self
                .registry
                .containing(oid)
                .unwrap_or_else(|| defs.partition_point(|d| d.base() <= oid)),
        };
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
                Def::Table(t) => {
                    let resume = resume.filter(|h| h.def == i);
                    self.next_in_table(ctx, i, t, oid, admit, &mut buf, resume, hint)
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// Whether a hint names the instance `oid`.
    fn is_at(&self, h: &Hint, oid: &[u32]) -> bool {
        let (Some(Def::Table(t)), Some(rows)) =
            (self.registry.defs.get(h.def), self.rows.get(h.def))
        else {
            return false;
        };
        let (Some(c), Some(row)) = (t.columns.get(h.col), rows.get(h.pos)) else {
            return false;
        };
        let n = t.entry.len();
        oid.len() == n + 1 + row.index.len()
            && oid[..n] == *t.entry
            && oid[n] == c.id
            && oid[n + 1..] == row.index[..]
    }

    /// The first instance of table `t` (definition `i`) after `oid`;
    /// with `resume`, `oid` is the instance it names.
    #[allow(clippy::too_many_arguments)]
    fn next_in_table(
        &self,
        ctx: &Ctx,
        i: usize,
        t: &TableDef,
        oid: &[u32],
        admit: &dyn Fn(&[u32]) -> bool,
        buf: &mut Vec<u32>,
        resume: Option<Hint>,
        hint: &mut Option<Hint>,
    ) -> Option<VarBind> {
        let rows = &self.rows[i];
        if rows.is_empty() {
            return None;
        }
        for (col, c) in t.columns.iter().enumerate() {
            buf.clear();
            buf.extend_from_slice(t.entry);
            buf.push(c.id);
            let col_len = buf.len();
            let first = match resume {
                Some(h) if col < h.col => continue,
                Some(h) if col == h.col => h.pos.next(),
                Some(_) => rows.first_after(None),
                None if oid.starts_with(buf) => rows.first_after(Some(&oid[col_len..])),
                None if oid < buf.as_slice() => rows.first_after(None),
                None => continue,
            };
            for (pos, row) in rows.from(first) {
                buf.truncate(col_len);
                buf.extend_from_slice(&row.index);
                if !admit(buf) {
                    continue;
                }
                if let Some(v) = (t.get)(ctx, row, c.id) {
                    *hint = Some(Hint { def: i, col, pos });
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

    /// The instances `admit` lets through, each found from the last with
    /// the hint the last search left (as a GetBulk repeater does).
    fn hinted_walk(
        view: &MibView,
        config: &Config,
        admit: &dyn Fn(&[u32]) -> bool,
    ) -> Vec<VarBind> {
        let ctx = fixture::ctx(&view.snapshot, config);
        let (mut out, mut hint) = (Vec::new(), None);
        let mut from = vec![0];
        while let Some(vb) = view.next_hinted(&ctx, &from, admit, &mut hint) {
            from = vb.oid.0.clone();
            out.push(vb);
        }
        out
    }

    #[test]
    fn a_hinted_walk_finds_what_searches_from_the_top_do() {
        let config = Config::default();
        let mut s = fixture::snapshot();
        s.ledger
            .blocks
            .extend((10_000..12_000).map(|h| block("sim", h)));
        let view = build(&registry(), s, None);
        let all = walk(&view, &config);
        assert_eq!(hinted_walk(&view, &config, &|_| true), all);
        // Leaving out every row of one height and one whole column.
        let admit = |o: &[u32]| {
            o.last() != Some(&10_500) && !o.starts_with(&[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1, 4])
        };
        let some: Vec<VarBind> = all.iter().filter(|vb| admit(&vb.oid.0)).cloned().collect();
        assert!(some.len() < all.len() - 2000);
        assert_eq!(hinted_walk(&view, &config, &admit), some);
        // A hint that does not name the OID searched from is not used.
        let ctx = fixture::ctx(&view.snapshot, &config);
        let mut hint = None;
        assert!(view.next_hinted(&ctx, &[0], &|_| true, &mut hint).is_some());
        assert!(hint.is_some());
        let later = &all[all.len() / 2];
        assert_eq!(
            view.next_hinted(&ctx, &later.oid.0, &|_| true, &mut hint)
                .map(|vb| vb.oid),
            Some(all[all.len() / 2 + 1].oid.clone())
        );
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
            assert_eq!(
                hinted_walk(&updated, &config, &|_| true),
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
