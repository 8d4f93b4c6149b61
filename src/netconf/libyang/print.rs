//! Printing a data tree: `lyd_print_mem` as yang5's `print_string` calls
//! it, but safe when nothing is printed (libyang then leaves the output
//! NULL, as for a tree whose every node is a default printed in trim mode,
//! which yang5 0.4 reads as a C string and crashes on), and the
//! with-defaults tagging mode yang5 has no name for.

use yang5::data::{Data, DataFormat, DataPrinterFlags, DataTree};
use yang5::ffi;

/// RFC 6243 report-all-tagged: libyang's LYD_PRINT_WD_ALL_TAG.
pub const WD_ALL_TAG: DataPrinterFlags =
    DataPrinterFlags::from_bits_retain(ffi::LYD_PRINT_WD_ALL_TAG);

/// The tree printed in `format`; empty when libyang prints nothing.
pub fn print_mem(
    tree: &DataTree<'_>,
    format: DataFormat,
    flags: DataPrinterFlags,
) -> Result<String, yang5::Error> {
    if tree.reference().is_none() {
        return Ok(String::new());
    }
    let mut out: *mut std::os::raw::c_char = std::ptr::null_mut();
    // SAFETY: `tree.raw()` is the live first sibling of the tree, which
    // outlives the call; libyang writes a malloc'd C string (or nothing)
    // to `out`, which is read and freed below.
    let rc = unsafe { ffi::lyd_print_mem(&mut out, tree.raw(), format as u32, flags.bits()) };
    if rc != ffi::LY_ERR::LY_SUCCESS {
        if !out.is_null() {
            // SAFETY: allocated by libyang with malloc, not used after.
            unsafe { ffi::free(out.cast()) };
        }
        return Err(yang5::Error::new(tree.context()));
    }
    if out.is_null() {
        return Ok(String::new());
    }
    // SAFETY: libyang returned a NUL-terminated string it allocated; it is
    // copied, then freed once.
    let text = unsafe { super::c_string(out) };
    // SAFETY: as above; `out` is not used after.
    unsafe { ffi::free(out.cast()) };
    Ok(text)
}
