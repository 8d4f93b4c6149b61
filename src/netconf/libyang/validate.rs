//! Validation yang5 does not offer: an action's operation tree
//! (`lyd_validate_op`), validation without adding defaults, and the
//! validation code of libyang's last error, which tells an unknown node
//! from a bad value where yang5 keeps only the message.

use yang5::data::{Data, DataValidationFlags};
use yang5::ffi;
use yang5::schema::SchemaModule;

/// libyang's LYD_VALIDATE_NO_DEFAULTS, which yang5 has no name for:
/// validate without adding default nodes.
pub const NO_DEFAULTS: DataValidationFlags =
    DataValidationFlags::from_bits_retain(ffi::LYD_VALIDATE_NO_DEFAULTS);

/// What kind of validation error libyang reported last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationCode {
    /// LYVE_REFERENCE: a node or reference that does not exist.
    Reference,
    /// LYVE_SYNTAX_XML: the XML itself is malformed.
    SyntaxXml,
    /// Any other code.
    Other,
}

/// Validate a YANG 1.1 action's operation tree in place (libyang restores
/// the tree's shape); the error is the context's last.
pub fn validate_action<'a>(tree: &impl Data<'a>) -> Result<(), yang5::Error> {
    // SAFETY: the op tree is owned by `tree`, alive for the call; libyang
    // validates in place and restores the tree's shape.
    let rc = unsafe {
        ffi::lyd_validate_op(
            tree.raw(),
            std::ptr::null(),
            ffi::lyd_type::LYD_TYPE_RPC_YANG,
            std::ptr::null_mut(),
        )
    };
    if rc == ffi::LY_ERR::LY_SUCCESS {
        Ok(())
    } else {
        Err(yang5::Error::new(tree.context()))
    }
}

/// The validation code of the calling thread's last libyang error in the
/// context of `module` (any module of it), when there is one.
pub fn last_validation_code(module: &SchemaModule<'_>) -> Option<ValidationCode> {
    // SAFETY: the module belongs to a live context; ly_err_last only reads
    // the calling thread's error list of that context.
    let code = unsafe {
        let ctx = (*module.as_raw()).ctx;
        let err = ffi::ly_err_last(ctx);
        if err.is_null() {
            return None;
        }
        (*err).vecode
    };
    Some(match code {
        ffi::LY_VECODE::LYVE_REFERENCE => ValidationCode::Reference,
        ffi::LY_VECODE::LYVE_SYNTAX_XML => ValidationCode::SyntaxXml,
        _ => ValidationCode::Other,
    })
}
