//! What the YANG 1.1 functions need from libyang's compiled schema and
//! stored values: identity derivation (derived-from), enum values
//! (enum-value) and whether a value is bits (bit-is-set). The yang5 crate
//! exposes none of it, so this reads libyang's structures read-only.

use super::XPathError;
use super::budget::Budget;
use super::doc::{Doc, Ix};
use std::collections::HashSet;
use std::ffi::CStr;
use yang5::data::Data;
use yang5::ffi;

/// The stored value of a leaf or leaf-list node, through a union to the
/// member type that holds it.
fn stored_value(doc: &Doc<'_>, ix: Ix) -> Option<*const ffi::lyd_value> {
    let data = doc.node(ix).data.as_ref()?;
    if doc.kind(ix) != super::doc::Kind::Term {
        return None;
    }
    // SAFETY: a Term node's schema is a leaf or leaf-list, so the lyd_node
    // is a lyd_node_term whose `value` libyang keeps valid for the life of
    // the tree, which `doc` borrows. A union value's `subvalue` points to
    // its own lyd_value_union, equally owned by the node.
    unsafe {
        let term = data.as_raw() as *const ffi::lyd_node_term;
        let mut value: *const ffi::lyd_value = &(*term).value;
        let real = (*value).realtype;
        if !real.is_null() && (*real).basetype == ffi::LY_DATA_TYPE::LY_TYPE_UNION {
            let sub = (*value).__bindgen_anon_1.subvalue;
            if sub.is_null() {
                return None;
            }
            value = &(*sub).value;
        }
        Some(value)
    }
}

fn basetype(doc: &Doc<'_>, ix: Ix) -> Option<ffi::LY_DATA_TYPE::Type> {
    let v = stored_value(doc, ix)?;
    // SAFETY: see `stored_value`.
    unsafe {
        let real = (*v).realtype;
        (!real.is_null()).then(|| (*real).basetype)
    }
}

pub fn is_identityref(doc: &Doc<'_>, ix: Ix) -> bool {
    basetype(doc, ix) == Some(ffi::LY_DATA_TYPE::LY_TYPE_IDENT)
}

pub fn is_bits(doc: &Doc<'_>, ix: Ix) -> bool {
    basetype(doc, ix) == Some(ffi::LY_DATA_TYPE::LY_TYPE_BITS)
}

/// The value of an enumeration leaf's current enum.
pub fn enum_value(doc: &Doc<'_>, ix: Ix) -> Option<i32> {
    if basetype(doc, ix)? != ffi::LY_DATA_TYPE::LY_TYPE_ENUM {
        return None;
    }
    let v = stored_value(doc, ix)?;
    // SAFETY: an enum value stores a pointer to its schema enum item.
    unsafe {
        let item = (*v).__bindgen_anon_1.enum_item;
        (!item.is_null()).then(|| (*item).__bindgen_anon_1.value)
    }
}

/// Entries of a libyang sized array.
///
/// # Safety
/// `array` is null or a libyang sized array (count stored before it).
unsafe fn array_count<T>(array: *const T) -> usize {
    if array.is_null() {
        0
    } else {
        // SAFETY: per the function's contract.
        unsafe { *(array as *const u64).sub(1) as usize }
    }
}

/// # Safety
/// `p` is null or a NUL-terminated string libyang owns.
unsafe fn c_str(p: *const std::os::raw::c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        // SAFETY: per the function's contract.
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }
}

/// Every identity derived from `base` (`module:name`; without a module,
/// that of the current node), as the `module:name` strings identityref
/// values print as; with `or_self`, `base` too. One step per identity.
pub fn derived(
    doc: &Doc<'_>,
    current: Ix,
    base: &str,
    or_self: bool,
    budget: &mut Budget,
) -> Result<HashSet<String>, XPathError> {
    let mut out = HashSet::new();
    let Some(data) = doc
        .node(current)
        .data
        .as_ref()
        .or_else(|| doc.nodes.iter().find_map(|n| n.data.as_ref()))
    else {
        return Ok(out);
    };
    let (module, name) = match base.split_once(':') {
        Some((m, n)) => (m.to_string(), n.to_string()),
        None => (doc.node(current).meta.module.to_string(), base.to_string()),
    };
    let context = data.context();
    let Some(m) = context.get_module_implemented(&module) else {
        return Err(XPathError::Invalid(format!(
            "derived-from: no implemented module {module}"
        )));
    };
    // SAFETY: the module belongs to the context the tree uses, which
    // outlives this call; `identities` and each `derived` are libyang
    // sized arrays of the compiled schema, which is never changed while
    // data trees exist.
    unsafe {
        let raw = m.as_raw();
        let idents = (*raw).identities;
        let mut start: *const ffi::lysc_ident = std::ptr::null();
        for i in 0..array_count(idents) {
            let id = idents.add(i);
            if c_str((*id).name) == name {
                start = id;
                break;
            }
        }
        if start.is_null() {
            return Err(XPathError::Invalid(format!(
                "derived-from: no identity {module}:{name}"
            )));
        }
        let mut seen: HashSet<*const ffi::lysc_ident> = HashSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            budget.spend(1)?;
            if !seen.insert(id) {
                continue;
            }
            if id != start || or_self {
                let module = (*id).module;
                let mname = if module.is_null() {
                    String::new()
                } else {
                    c_str((*module).name)
                };
                out.insert(format!("{mname}:{}", c_str((*id).name)));
            }
            let derived = (*id).derived;
            for i in 0..array_count(derived) {
                let d = *derived.add(i);
                if !d.is_null() {
                    stack.push(d);
                }
            }
        }
    }
    Ok(out)
}

/// `literal` as a value of the leaf `ix`'s type, in canonical form, as
/// libyang compares it (`[id='01']` matches id 1, `[addr='::0:1']`
/// matches `::1`); None when it is not a valid value of that type.
pub fn canonical_as(doc: &Doc<'_>, ix: Ix, literal: &str) -> Option<String> {
    if doc.kind(ix) != super::doc::Kind::Term {
        return None;
    }
    let data = doc.node(ix).data.as_ref()?;
    let len = u32::try_from(literal.len()).ok()?;
    let c_literal = std::ffi::CString::new(literal).ok()?;
    // SAFETY: the node is a live term node of the tree `doc` borrows; its
    // schema node and module belong to the context, which outlives it.
    // lyd_value_validate reads the string (with its length) and hands
    // back a dictionary string that is released here after copying.
    unsafe {
        let schema = (*data.as_raw()).schema;
        if schema.is_null() || (*schema).module.is_null() {
            return None;
        }
        let ctx = (*(*schema).module).ctx;
        let mut canonical: *const std::os::raw::c_char = std::ptr::null();
        let rc = ffi::lyd_value_validate(
            schema,
            c_literal.as_ptr(),
            len,
            std::ptr::null(),
            std::ptr::null_mut(),
            &mut canonical,
        );
        if canonical.is_null() {
            return None;
        }
        let out = c_str(canonical);
        ffi::lydict_remove(ctx, canonical);
        (rc == ffi::LY_ERR::LY_SUCCESS || rc == ffi::LY_ERR::LY_EINCOMPLETE).then_some(out)
    }
}
