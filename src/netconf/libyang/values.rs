//! What the YANG 1.1 XPath functions need from libyang's compiled schema
//! and stored values, none of which yang5 exposes: a term node's base type
//! (through unions), an enum's value, identity derivation, a literal's
//! canonical form in a leaf's type, and whether a node has a schema node.

use super::{c_string, sized_array_count};
use std::collections::HashSet;
use yang5::data::DataNodeRef;
use yang5::ffi;
use yang5::schema::SchemaModule;

/// The built-in base types the XPath functions tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseType {
    Identityref,
    Bits,
    Enumeration,
    Other,
}

/// Does the node have a schema node? Opaque nodes (unknown elements kept
/// by a lenient parse) have none, and `schema()` must not be read on them.
pub fn has_schema(n: &DataNodeRef<'_>) -> bool {
    // SAFETY: `as_raw` points at a live lyd_node of a tree borrowed for
    // the lifetime of `n`; reading its `schema` field reads no further.
    unsafe { !(*n.as_raw()).schema.is_null() }
}

/// The stored value of a leaf or leaf-list node, through a union to the
/// member type that holds it.
///
/// # Safety
/// `term` is a term node (its schema is a leaf or leaf-list); the pointer
/// is valid while the node's tree is.
unsafe fn stored_value(term: &DataNodeRef<'_>) -> Option<*const ffi::lyd_value> {
    // SAFETY: per the contract the lyd_node is a lyd_node_term whose
    // `value` libyang keeps valid for the life of the tree. A union value's
    // `subvalue` points to its own lyd_value_union, equally owned by the node.
    unsafe {
        let term = term.as_raw() as *const ffi::lyd_node_term;
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

/// The base type of a term node's value (the member type's, for a union).
/// The caller has checked that `term` is a leaf or leaf-list node.
pub fn base_type(term: &DataNodeRef<'_>) -> Option<BaseType> {
    if !has_schema(term) {
        return None;
    }
    // SAFETY: a node with a schema that the caller knows is a term node;
    // see `stored_value`.
    let t = unsafe {
        let v = stored_value(term)?;
        let real = (*v).realtype;
        if real.is_null() {
            return None;
        }
        (*real).basetype
    };
    Some(match t {
        ffi::LY_DATA_TYPE::LY_TYPE_IDENT => BaseType::Identityref,
        ffi::LY_DATA_TYPE::LY_TYPE_BITS => BaseType::Bits,
        ffi::LY_DATA_TYPE::LY_TYPE_ENUM => BaseType::Enumeration,
        _ => BaseType::Other,
    })
}

/// The value of an enumeration term node's current enum.
pub fn enum_value(term: &DataNodeRef<'_>) -> Option<i32> {
    if base_type(term)? != BaseType::Enumeration {
        return None;
    }
    // SAFETY: an enum value stores a pointer to its schema enum item, which
    // the compiled schema keeps.
    unsafe {
        let v = stored_value(term)?;
        let item = (*v).__bindgen_anon_1.enum_item;
        (!item.is_null()).then(|| (*item).__bindgen_anon_1.value)
    }
}

/// Every identity derived from identity `name` of `module`, as the
/// `module:name` strings identityref values print as; with `or_self`,
/// `name` itself too. `step` is called once per identity visited and may
/// stop the walk with its error. `Ok(None)`: the module has no such identity.
pub fn derived_identities<E>(
    module: &SchemaModule<'_>,
    name: &str,
    or_self: bool,
    mut step: impl FnMut() -> Result<(), E>,
) -> Result<Option<HashSet<String>>, E> {
    let mut out = HashSet::new();
    // SAFETY: the module belongs to a live context, which outlives this
    // call; `identities` and each `derived` are libyang sized arrays of the
    // compiled schema, which is never changed while data trees exist.
    unsafe {
        let raw = module.as_raw();
        let idents = (*raw).identities;
        let mut start: *const ffi::lysc_ident = std::ptr::null();
        for i in 0..sized_array_count(idents) {
            let id = idents.add(i);
            if c_string((*id).name) == name {
                start = id;
                break;
            }
        }
        if start.is_null() {
            return Ok(None);
        }
        let mut seen: HashSet<*const ffi::lysc_ident> = HashSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            step()?;
            if !seen.insert(id) {
                continue;
            }
            if id != start || or_self {
                let module = (*id).module;
                let mname = if module.is_null() {
                    String::new()
                } else {
                    c_string((*module).name)
                };
                out.insert(format!("{mname}:{}", c_string((*id).name)));
            }
            let derived = (*id).derived;
            for i in 0..sized_array_count(derived) {
                let d = *derived.add(i);
                if !d.is_null() {
                    stack.push(d);
                }
            }
        }
    }
    Ok(Some(out))
}

/// `literal` as a value of the term node's type, in canonical form, as
/// libyang compares it (`'01'` equals an int 1, `'::0:1'` equals `::1`);
/// None when it is not a valid value of that type.
pub fn canonical_as(term: &DataNodeRef<'_>, literal: &str) -> Option<String> {
    let len = u32::try_from(literal.len()).ok()?;
    let c_literal = std::ffi::CString::new(literal).ok()?;
    // SAFETY: the node is a live node of a borrowed tree; its schema node
    // and module belong to the context, which outlives it.
    // lyd_value_validate reads the string (with its length) and hands back
    // a dictionary string that is released here after copying.
    unsafe {
        let schema = (*term.as_raw()).schema;
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
        let out = c_string(canonical);
        ffi::lydict_remove(ctx, canonical);
        (rc == ffi::LY_ERR::LY_SUCCESS || rc == ffi::LY_ERR::LY_EINCOMPLETE).then_some(out)
    }
}
