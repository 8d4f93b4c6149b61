//! What the YANG 1.1 functions need from libyang's compiled schema and
//! stored values: identity derivation (derived-from), enum values
//! (enum-value), whether a value is bits (bit-is-set), and a literal's
//! canonical form in a leaf's type. The libyang reads themselves are in
//! `netconf::libyang::values`; this maps document nodes onto them.

use super::XPathError;
use super::budget::Budget;
use super::doc::{Doc, Ix, Kind};
use crate::netconf::libyang::values::{self, BaseType};
use std::collections::HashSet;
use yang5::data::{Data, DataNodeRef};

/// The libyang node of a term (leaf or leaf-list) node of the document.
fn term<'d, 'a>(doc: &'d Doc<'a>, ix: Ix) -> Option<&'d DataNodeRef<'a>> {
    if doc.kind(ix) != Kind::Term {
        return None;
    }
    doc.node(ix).data.as_ref()
}

pub fn is_identityref(doc: &Doc<'_>, ix: Ix) -> bool {
    term(doc, ix).and_then(values::base_type) == Some(BaseType::Identityref)
}

pub fn is_bits(doc: &Doc<'_>, ix: Ix) -> bool {
    term(doc, ix).and_then(values::base_type) == Some(BaseType::Bits)
}

/// The value of an enumeration leaf's current enum.
pub fn enum_value(doc: &Doc<'_>, ix: Ix) -> Option<i32> {
    values::enum_value(term(doc, ix)?)
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
    let Some(data) = doc
        .node(current)
        .data
        .as_ref()
        .or_else(|| doc.nodes.iter().find_map(|n| n.data.as_ref()))
    else {
        return Ok(HashSet::new());
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
    values::derived_identities(&m, &name, or_self, || budget.spend(1))?
        .ok_or_else(|| XPathError::Invalid(format!("derived-from: no identity {module}:{name}")))
}

/// `literal` as a value of the leaf `ix`'s type, in canonical form, as
/// libyang compares it (`[id='01']` matches id 1, `[addr='::0:1']`
/// matches `::1`); None when it is not a valid value of that type.
pub fn canonical_as(doc: &Doc<'_>, ix: Ix, literal: &str) -> Option<String> {
    values::canonical_as(term(doc, ix)?, literal)
}
