//! Outgoing notifications (RFC 8341 3.4.6): the notification type must be
//! readable (notification-name rules, the type's default-deny-all mark,
//! read-default), and its content is pruned like data. A
//! netconf-config-change also loses the `edit` entries whose target the
//! user may not read, so that a change of a secret does not show where
//! the secret is.

use super::marks::MarkCursor;
use super::path;
use super::read;
use super::rules::Access;
use crate::config::AccessOperation;
use crate::netconf::datastore::data;
use crate::netconf::events::notify::print_content;
use crate::netconf::shared::Server;
use crate::netconf::transport::xml::Element;
use yang5::data::DataTree;

const NOTIFICATIONS_NS: &str = "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Send it as it is.
    Unchanged,
    /// Not for this user.
    Drop,
    /// Send this content (the child of `<notification>`) instead.
    Pruned(String),
}

pub(super) fn verdict(access: &Access, server: &Server, tree: &DataTree<'_>) -> Verdict {
    if access.notifications_everything() && access.reads_everything() {
        return Verdict::Unchanged;
    }
    let Some(mut nodes) = print_content(tree).and_then(|x| data::elements(&x).ok()) else {
        return Verdict::Unchanged;
    };
    let Some(top) = nodes.first() else {
        return Verdict::Unchanged;
    };
    let marks = &server.nacm.info.marks;
    let mark = MarkCursor::root()
        .step(marks, true, &top.ns, &top.name)
        .mark();
    if !access.notification(&top.ns, &top.name, mark).permit {
        return Verdict::Drop;
    }
    if access.reads_everything() {
        return Verdict::Unchanged;
    }
    let mut changed = read::prune(access, server, &mut nodes);
    if nodes.is_empty() {
        return Verdict::Drop;
    }
    if let Some(change) = nodes
        .iter_mut()
        .find(|n| n.ns == NOTIFICATIONS_NS && n.name == "netconf-config-change")
    {
        changed |= drop_unreadable_edits(access, server, change);
    }
    if changed {
        Verdict::Pruned(nodes.iter().map(Element::to_xml).collect())
    } else {
        Verdict::Unchanged
    }
}

fn drop_unreadable_edits(access: &Access, server: &Server, change: &mut Element) -> bool {
    let before = change.children.len();
    change.children.retain(|edit| {
        if edit.name != "edit" {
            return true;
        }
        let Some(target) = edit.children.iter().find(|c| c.name == "target") else {
            return true;
        };
        // An instance-identifier in XML: prefixes bound in its scope.
        let steps = match path::parse(target.value(), |p| target.scope.get(p).cloned()) {
            Ok(s) => s,
            Err(_) => return false,
        };
        let marks = &server.nacm.info.marks;
        let mut at = MarkCursor::root();
        for (i, s) in steps.iter().enumerate() {
            at = at.step(marks, i == 0, &s.ns, &s.name);
        }
        access.data(AccessOperation::Read, &steps, at.mark()).permit
    });
    change.children.len() != before
}
