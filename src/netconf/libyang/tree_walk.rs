//! Tree navigation yang5 lacks: the first top-level node of a tree whose
//! handle may point at any of its top-level siblings (after a merge, for
//! one).

use yang5::data::{DataNodeRef, DataTree};
use yang5::utils::Binding;

/// The first top-level node of `tree`.
pub fn first_top<'a>(tree: &'a DataTree<'a>) -> Option<DataNodeRef<'a>> {
    let mut raw = tree.reference()?.as_raw();
    // SAFETY: `raw` is a live node of `tree`; libyang links siblings in a
    // ring through `prev` (the first one's `prev` is the last one, whose
    // `next` is null), so the walk ends at the first sibling and every
    // pointer it follows belongs to the same tree.
    unsafe {
        loop {
            let prev = (*raw).prev;
            if prev.is_null() || (*prev).next.is_null() {
                break;
            }
            raw = prev;
        }
        Some(DataNodeRef::from_raw(tree, raw))
    }
}
