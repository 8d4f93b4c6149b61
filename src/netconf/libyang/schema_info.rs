//! What a module's parsed form knows and yang5 does not list: its
//! submodules (with their revisions), its enabled features, and the file a
//! submodule was loaded from.

use super::{c_string, sized_array_count};
use yang5::ffi;
use yang5::schema::{SchemaModule, SchemaSubmodule};

/// A module's included submodules as (name, newest revision); yang5 finds a
/// submodule by name but cannot list a module's includes.
pub fn submodules(m: &SchemaModule<'_>) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    // SAFETY: the module belongs to a live context, which never frees
    // parsed modules; `includes` and `revs` are libyang sized arrays, null
    // when empty, and included submodules are resolved once the module is
    // parsed. Nothing is written.
    unsafe {
        let parsed = (*m.as_raw()).parsed;
        if parsed.is_null() {
            return out;
        }
        let includes = (*parsed).includes;
        for i in 0..sized_array_count(includes) {
            let sub = (*includes.add(i)).submodule;
            if sub.is_null() || (*sub).name.is_null() {
                continue;
            }
            let name = c_string((*sub).name);
            // libyang sorts revisions newest first.
            let revs = (*sub).revs;
            let revision = (sized_array_count(revs) > 0).then(|| c_string((*revs).date.as_ptr()));
            out.push((name, revision));
        }
    }
    out
}

/// The names of a module's enabled features; yang5 can test a feature by
/// name but not list them.
pub fn enabled_features(m: &SchemaModule<'_>) -> Vec<String> {
    let mut out = Vec::new();
    // SAFETY: the module belongs to a live context; parsed modules are kept
    // (the context never frees them), and lysp_feature_next only reads.
    unsafe {
        let parsed = (*m.as_raw()).parsed;
        if parsed.is_null() {
            return out;
        }
        let mut idx = 0u32;
        let mut f = ffi::lysp_feature_next(std::ptr::null(), parsed, &mut idx);
        while !f.is_null() {
            if u32::from((*f).flags) & ffi::LYS_FENABLED != 0 && !(*f).name.is_null() {
                out.push(c_string((*f).name));
            }
            f = ffi::lysp_feature_next(f, parsed, &mut idx);
        }
    }
    out
}

/// The file a submodule was loaded from, when it came from one.
pub fn submodule_filepath(sub: &SchemaSubmodule<'_>) -> Option<String> {
    // SAFETY: a parsed submodule of a live context; filepath is null or a
    // C string the context owns.
    unsafe {
        let p = (*sub.as_raw()).filepath;
        (!p.is_null()).then(|| c_string(p))
    }
}
