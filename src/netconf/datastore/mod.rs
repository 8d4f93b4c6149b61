//! Operations on datastore contents: rendering configuration and state as
//! libyang trees and XML (with a cache), edit-config and the part of the
//! tree it touches, ordered-by-user inserts, and subtree filtering.

pub mod data;
pub mod edit;
pub mod edit_scope;
pub mod insert;
pub mod render_cache;
pub mod subtree;
