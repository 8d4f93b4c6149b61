//! The extension instances of a compiled schema node: yang5 has no
//! accessor for them, and the raw compiled node has them (NACM's
//! `default-deny-write` and `default-deny-all` marks are read from here).

use super::{c_string, sized_array_count};
use yang5::schema::SchemaNode;

/// The (module, extension name) of every extension instance on `node`.
pub fn extension_instances(node: &SchemaNode<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // SAFETY: the node belongs to a live context that is no longer
    // modified; every compiled node type starts with the `lysc_node`
    // header (rpcs and actions through their union), so `exts` is there,
    // a libyang sized array. Extension definitions and their modules live
    // as long as the context.
    unsafe {
        let raw = node.as_raw();
        if raw.is_null() {
            return out;
        }
        let exts = (*raw).exts;
        for i in 0..sized_array_count(exts) {
            let def = (*exts.add(i)).def;
            if def.is_null() || (*def).name.is_null() || (*def).module.is_null() {
                continue;
            }
            let module = (*(*def).module).name;
            if module.is_null() {
                continue;
            }
            out.push((c_string(module), c_string((*def).name)));
        }
    }
    out
}
