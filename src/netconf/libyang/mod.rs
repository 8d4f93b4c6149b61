//! The raw libyang calls that the yang5 crate lacks, each behind a safe
//! function, in one place: everything here is a candidate to go upstream
//! into yang5, and no other module of ours reaches into libyang's
//! structures or calls its C functions.
//!
//! Every function takes yang5's safe handles (contexts, modules, trees and
//! nodes, whose lifetimes keep the libyang objects alive) and returns owned
//! Rust values; the SAFETY comments say which libyang guarantee each
//! unsafe block relies on.

pub mod extensions;
pub mod print;
pub mod schema_info;
pub mod tree_walk;
pub mod validate;
pub mod values;

use std::ffi::CStr;
use std::os::raw::c_char;

/// LY_ARRAY_COUNT of libyang's tree.h.
///
/// # Safety
/// `array` is null or the first element of a libyang sized array (a u64
/// count stored just before the first element).
unsafe fn sized_array_count<T>(array: *const T) -> usize {
    if array.is_null() {
        return 0;
    }
    // SAFETY: the caller's promise; the count precedes the elements.
    unsafe { *(array as *const u64).sub(1) as usize }
}

/// An owned copy of a C string that libyang owns; empty for null.
///
/// # Safety
/// `p` is null or a NUL-terminated string that stays alive for the call.
unsafe fn c_string(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: per the function's contract.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}
