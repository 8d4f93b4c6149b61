//! One table's rows sorted by instance suffix, as the MIB view searches
//! them, held in shared chunks so that the next publication's index can
//! reuse this one's.
//!
//! Why chunks: a publication typically changes a long table at its ends
//! only (the block window drops its oldest block and appends its
//! newest). A flat sorted `Vec` would have to be copied whole each time,
//! and each reused row cloned (its index reallocated, its shared object's
//! count touched), which is the per-row work the reuse is for avoiding.
//! Here the rows lie in sorted chunks of at most [`MAX_CHUNK`] rows,
//! each behind an `Arc`: an update copies only the chunks it edits and
//! shares every other one with the previous view (one pointer each), and
//! a search is still two binary searches over contiguous memory, as fast
//! as over one array (a persistent tree such as `imbl::Vector` would make
//! every probe of the walk's binary search a walk down the tree).
//! Readers never wait: each view owns its index, and the old view's chunks
//! stay valid for the requests still using it.

use super::mib::Row;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Rows per chunk when a chunk is cut.
const CHUNK: usize = 512;
/// A chunk that grows past this is cut into chunks of [`CHUNK`].
const MAX_CHUNK: usize = 2 * CHUNK;

/// A table's rows, sorted by index, no two with the same index.
#[derive(Debug, Clone, Default)]
pub struct RowIndex {
    /// Non-empty, each sorted, every index in a chunk below those of the
    /// next.
    chunks: Vec<Arc<[Row]>>,
    /// Whether listing the rows found two with one index (the first was
    /// kept): such an index is never updated, only rebuilt, since
    /// removing the kept row would have to bring back the other.
    had_duplicates: bool,
}

/// Where a row is in a [`RowIndex`]: its chunk and its offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowPos(usize, usize);

impl RowPos {
    /// The position after this one (which may be past its chunk's end).
    pub fn next(self) -> RowPos {
        RowPos(self.0, self.1 + 1)
    }
}

/// Where an index is, or would be inserted: chunk and offset in it.
type Place = (usize, Result<usize, usize>);

impl RowIndex {
    /// The index of a table's rows, in any order; of rows with one index,
    /// the first is kept.
    pub fn new(mut rows: Vec<Row>) -> RowIndex {
        rows.sort_by(|a, b| a.index.cmp(&b.index));
        let before = rows.len();
        rows.dedup_by(|later, first| later.index == first.index);
        RowIndex {
            had_duplicates: rows.len() != before,
            chunks: cut(rows),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// The number of rows.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.len()).sum()
    }

    /// The chunk that holds `index` or would, and the row's place in it.
    fn place(&self, index: &[u32]) -> Place {
        let c = self
            .chunks
            .partition_point(|ch| ch[0].index.as_slice() <= index)
            .saturating_sub(1);
        let at = self.chunks.get(c).map_or(Err(0), |ch| {
            ch.binary_search_by(|r| r.index.as_slice().cmp(index))
        });
        (c, at)
    }

    /// The row with this index.
    pub fn find(&self, index: &[u32]) -> Option<&Row> {
        match self.place(index) {
            (c, Ok(i)) => self.chunks.get(c)?.get(i),
            (_, Err(_)) => None,
        }
    }

    /// The rows whose index is above `index` (all rows for None), in order.
    #[cfg(test)]
    pub fn after<'a>(&'a self, index: Option<&[u32]>) -> impl Iterator<Item = &'a Row> + 'a {
        self.from(self.first_after(index)).map(|(_, r)| r)
    }

    /// Where the first row whose index is above `index` is (the first
    /// row for None).
    pub fn first_after(&self, index: Option<&[u32]>) -> RowPos {
        match index.map(|index| self.place(index)) {
            None => RowPos(0, 0),
            Some((c, Ok(i))) => RowPos(c, i + 1),
            Some((c, Err(i))) => RowPos(c, i),
        }
    }

    /// The row at a position.
    pub fn get(&self, at: RowPos) -> Option<&Row> {
        self.chunks.get(at.0)?.get(at.1)
    }

    /// The rows from a position on, in order, each with its position.
    pub fn from(&self, at: RowPos) -> impl Iterator<Item = (RowPos, &Row)> {
        let RowPos(c, i) = at;
        self.chunks
            .iter()
            .enumerate()
            .skip(c)
            .flat_map(move |(k, ch)| {
                let first = if k == c { i.min(ch.len()) } else { 0 };
                (first..ch.len()).map(move |j| (RowPos(k, j), &ch[j]))
            })
    }

    /// This index without the `removed` rows and with the `added` ones,
    /// sharing every chunk neither touches. None when the change is not
    /// one this index can take in place: a removed row it does not hold
    /// (by index and object), an added index it already holds or that two
    /// added rows share, or an index that kept one of duplicates; the
    /// caller then builds the index anew from all rows.
    pub fn update(&self, removed: &[Row], mut added: Vec<Row>) -> Option<RowIndex> {
        if self.had_duplicates {
            return None;
        }
        if removed.is_empty() && added.is_empty() {
            return Some(self.clone());
        }
        if self.chunks.is_empty() {
            return removed
                .is_empty()
                .then(|| RowIndex::new(added))
                .filter(|i| !i.had_duplicates);
        }
        // Per edited chunk: offsets of the rows to drop, rows to insert.
        let mut edits: BTreeMap<usize, (Vec<usize>, Vec<Row>)> = BTreeMap::new();
        for r in removed {
            let (c, Ok(i)) = self.place(&r.index) else {
                return None;
            };
            if self.chunks[c][i] != *r {
                return None;
            }
            edits.entry(c).or_default().0.push(i);
        }
        added.sort_by(|a, b| a.index.cmp(&b.index));
        if added.windows(2).any(|w| w[0].index == w[1].index) {
            return None;
        }
        for r in added {
            let (c, Err(_)) = self.place(&r.index) else {
                return None;
            };
            edits.entry(c).or_default().1.push(r);
        }
        let mut chunks = Vec::with_capacity(self.chunks.len() + 1);
        for (c, chunk) in self.chunks.iter().enumerate() {
            let Some((mut drop, add)) = edits.remove(&c) else {
                chunks.push(chunk.clone());
                continue;
            };
            drop.sort_unstable();
            let kept = chunk
                .iter()
                .enumerate()
                .filter(|(i, _)| drop.binary_search(i).is_err())
                .map(|(_, r)| r.clone());
            chunks.extend(cut(merge(kept, add)));
        }
        Some(RowIndex {
            chunks,
            had_duplicates: false,
        })
    }
}

/// Two sorted runs of rows, with no index in both, as one sorted run.
fn merge(a: impl Iterator<Item = Row>, b: Vec<Row>) -> Vec<Row> {
    let mut out = Vec::with_capacity(b.len() + CHUNK);
    let mut b = b.into_iter().peekable();
    for r in a {
        while let Some(next) = b.next_if(|n| n.index.cmp(&r.index) == Ordering::Less) {
            out.push(next);
        }
        out.push(r);
    }
    out.extend(b);
    out
}

/// Sorted rows as chunks: one chunk up to [`MAX_CHUNK`] rows, else
/// chunks of [`CHUNK`]; none for no rows.
fn cut(rows: Vec<Row>) -> Vec<Arc<[Row]>> {
    if rows.is_empty() {
        return Vec::new();
    }
    if rows.len() <= MAX_CHUNK {
        return vec![rows.into()];
    }
    rows.chunks(CHUNK).map(Arc::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: &[u32], pos: usize) -> Row {
        Row {
            index: index.to_vec(),
            pos,
            sub: 0,
            shared: None,
        }
    }

    fn indexes<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<u32> {
        rows.map(|r| r.index[0]).collect()
    }

    #[test]
    fn new_sorts_keeps_the_first_of_an_index_and_finds_every_row() {
        let i = RowIndex::new(vec![row(&[3], 0), row(&[1], 1), row(&[3], 2)]);
        assert_eq!(indexes(i.after(None)), [1, 3]);
        assert_eq!(i.find(&[3]).map(|r| r.pos), Some(0));
        assert_eq!(i.find(&[2]), None);
        assert!(
            i.update(&[], vec![row(&[5], 3)]).is_none(),
            "had duplicates"
        );

        let big = RowIndex::new((0..5000).rev().map(|n| row(&[n * 2], 0)).collect());
        assert!(big.chunks.len() > 1);
        assert_eq!(big.len(), 5000);
        for n in [0, 511, 512, 513, 2047, 4999] {
            assert_eq!(big.find(&[n * 2]).map(|r| r.index[0]), Some(n * 2));
            assert_eq!(big.find(&[n * 2 + 1]), None);
            let next: Vec<u32> = indexes(big.after(Some(&[n * 2])))
                .into_iter()
                .take(2)
                .collect();
            let want: Vec<u32> = [n * 2 + 2, n * 2 + 4]
                .into_iter()
                .filter(|&x| x < 10000)
                .collect();
            assert_eq!(next, want, "after {n}");
            assert_eq!(indexes(big.after(Some(&[n * 2 + 1]))).first(), want.first());
        }
        assert_eq!(big.after(Some(&[9998])).count(), 0);
        assert_eq!(
            big.after(Some(&[])).count(),
            5000,
            "a shorter index is below"
        );
    }

    #[test]
    fn update_drops_and_adds_and_shares_the_chunks_it_does_not_touch() {
        // A window of 3,000 rows that drops its first two and appends two.
        let old = RowIndex::new((0..3000).map(|n| row(&[n], 0)).collect());
        let new = old
            .update(
                &[row(&[0], 0), row(&[1], 0)],
                vec![row(&[3001], 0), row(&[3000], 0)],
            )
            .unwrap();
        assert_eq!(indexes(new.after(None)), (2..3002).collect::<Vec<u32>>());
        let shared = new
            .chunks
            .iter()
            .filter(|c| old.chunks.iter().any(|o| Arc::ptr_eq(o, c)))
            .count();
        assert_eq!(
            shared,
            old.chunks.len() - 2,
            "only the two end chunks copied"
        );

        // Rows inside a chunk, and a chunk that empties.
        let mid = new
            .update(&[row(&[100], 0)], vec![row(&[100_000], 0)])
            .unwrap();
        assert_eq!(mid.find(&[100]), None);
        assert_eq!(mid.len(), 3000);
        let drained: Vec<Row> = (2..600).map(|n| row(&[n], 0)).collect();
        let rest = new.update(&drained, Vec::new()).unwrap();
        assert_eq!(indexes(rest.after(None)).first(), Some(&600));
        assert!(rest.chunks.iter().all(|c| !c.is_empty()));

        // Growth past a chunk's size cuts it.
        let grown = old
            .update(&[], (3000..6000).map(|n| row(&[n], 0)).collect())
            .unwrap();
        assert!(grown.chunks.iter().all(|c| c.len() <= MAX_CHUNK));
        assert_eq!(indexes(grown.after(None)), (0..6000).collect::<Vec<u32>>());
    }

    #[test]
    fn update_refuses_what_it_cannot_take_in_place() {
        let old = RowIndex::new((0..10).map(|n| row(&[n], n as usize)).collect());
        assert!(
            old.update(&[row(&[42], 0)], Vec::new()).is_none(),
            "not held"
        );
        assert!(
            old.update(&[row(&[4], 0)], Vec::new()).is_none(),
            "another row"
        );
        assert!(old.update(&[], vec![row(&[4], 9)]).is_none(), "index held");
        assert!(
            old.update(&[], vec![row(&[20], 0), row(&[20], 1)])
                .is_none(),
            "added twice"
        );
        let empty = RowIndex::default();
        assert_eq!(
            empty.update(&[], vec![row(&[1], 0)]).map(|i| i.len()),
            Some(1)
        );
        assert!(empty.update(&[row(&[1], 0)], Vec::new()).is_none());
    }
}
