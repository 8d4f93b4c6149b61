//! get and get-config (RFC 6241 7.1, 7.7).

use super::OpResult;
use super::params::{self, Filter, Source as Datastore};
use super::renderings;
use crate::core::datastore::Target;
use crate::netconf::NC_NS;
use crate::netconf::datastore::data::{self, WithDefaults};
use crate::netconf::datastore::render_cache::{Reader, Rendered, Request, Source, View};
use crate::netconf::datastore::subtree;
use crate::netconf::monitoring::netconf_state;
use crate::netconf::nacm;
use crate::netconf::nacm::Access;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::session::table::Session;
use crate::netconf::shared::Server;
use crate::netconf::transport::envelope;
use crate::netconf::transport::xml::Element;
use crate::netconf::yang::tree::{self, Content};
use std::sync::Arc;
use yang5::data::DataTree;

pub fn get_config(server: &Server, session: &Session, attrs: &str, op: &Element) -> OpResult {
    let source = params::source(op)?;
    if let Datastore::Config(_) = source {
        return Err(RpcError::protocol(
            Tag::BadElement,
            "get-config reads a datastore, not <config>",
        )
        .bad_element("config")
        .into());
    }
    let wd = params::with_defaults(op)?;
    let filter = params::filter(op, NC_NS)?;
    // Running is read far more often than it changes: its renderings are
    // cached. Candidate and startup are built for each request.
    if let Datastore::Datastore(Target::Running) = source
        && !matches!(filter, Filter::XPath(_))
    {
        let now = renderings::now(server, false);
        let (reader, access) = renderings::reader(server, &session.user, &now.config);
        let request = Request {
            view: View {
                state: false,
                with_defaults: wd,
                reader,
            },
            user: &session.user,
            now,
            reads_from: 0,
        };
        let rendered = renderings::cached(server, request, Some(&access))?;
        return Ok(envelope::data(attrs, &from_rendering(&rendered, &filter)?));
    }
    let config = params::source_config(server, &source)?;
    let (reader, access) = renderings::reader(server, &session.user, &server.running());
    let body = if reader == Reader::All {
        let tree = data::config_tree_for(&server.schema, &config, wd)?;
        render(server, session, &tree, &filter, wd)?
    } else {
        // Pruned first, then filtered: a filter cannot test what the
        // reader may not see.
        let source_wd = selection_source(wd);
        let tree = data::config_tree_for(&server.schema, &config, source_wd)?;
        let visible = nacm::readable_as(server, &access, data::print(&tree, source_wd)?)?;
        let pruned = reparse(server, &visible, Content::ConfigFragment)?;
        render(server, session, &pruned, &filter, wd)?
    };
    Ok(envelope::data(attrs, &body))
}

pub fn get(server: &Server, session: &Session, attrs: &str, op: &Element) -> OpResult {
    let wd = params::with_defaults(op)?;
    let filter = params::filter(op, NC_NS)?;
    let now = renderings::now(server, true);
    let (reader, access) = renderings::reader(server, &session.user, &now.config);
    if let Filter::XPath(_) = filter {
        // XPath needs a libyang tree.
        let tree = if reader == Reader::All {
            let snapshot = server.agent.snapshot.load_full();
            let mut tree = data::full_tree(&server.schema, &now.config, &snapshot)?;
            nacm::merge_state(server, &mut tree)?;
            netconf_state::merge_into(server, &mut tree)?;
            tree
        } else {
            // Pruned first, then selected: the expression's predicates
            // cannot test what the reader may not see.
            let source_wd = selection_source(wd);
            let data = rendering(server, session, now, source_wd, reader, &access)?;
            let live = live_rendering(server, &access, source_wd)?;
            reparse(server, &format!("{}{}", data.xml, live.xml), Content::State)?
        };
        let body = render(server, session, &tree, &filter, wd)?;
        return Ok(envelope::data(attrs, &body));
    }
    let rendered = rendering(server, session, now, wd, reader, &access)?;
    // The session table and counters change with every rpc: printed for
    // each request, next to the cached rendering (they share no top-level
    // node with it).
    let live = live_rendering(server, &access, wd)?;
    if let Filter::All = filter {
        return Ok(envelope::data_of(attrs, &[&rendered.xml, &live.xml]));
    }
    let mut body = from_rendering(&rendered, &filter)?;
    body.push_str(&from_rendering(&live, &filter)?);
    Ok(envelope::data(attrs, &body))
}

/// Configuration and state as `reader` may see them, cached per snapshot:
/// state at most one publication older than `now`'s, and not older than
/// the session's own last change.
fn rendering(
    server: &Server,
    session: &Session,
    now: Source,
    wd: WithDefaults,
    reader: Reader,
    access: &Access,
) -> Result<Arc<Rendered>, RpcError> {
    let request = Request {
        view: View {
            state: true,
            with_defaults: wd,
            reader,
        },
        user: &session.user,
        now,
        reads_from: session.reads_from(),
    };
    renderings::cached(server, request, Some(access))
}

/// `/netconf-state` as the reader may see it, built for each request.
fn live_rendering(
    server: &Server,
    access: &Access,
    wd: WithDefaults,
) -> Result<Rendered, RpcError> {
    let xml = netconf_state::live_xml(server, wd)?;
    Ok(Rendered::new(nacm::readable_as(server, access, xml)?))
}

/// The with-defaults mode of the pruned data an XPath selection runs on:
/// every node, so that the requested mode can be applied when printing
/// what is selected (explicit mode needs to know what was set).
fn selection_source(wd: WithDefaults) -> WithDefaults {
    match wd {
        WithDefaults::Explicit => WithDefaults::Explicit,
        _ => WithDefaults::ReportAll,
    }
}

/// Pruned, printed data back into a libyang tree for XPath.
fn reparse<'s>(server: &'s Server, xml: &str, content: Content) -> Result<DataTree<'s>, RpcError> {
    tree::parse_xml(&server.schema, xml, content).map_err(|e| {
        RpcError::application(Tag::OperationFailed, format!("reading pruned data: {e}"))
    })
}

/// A rendering through a filter other than XPath.
fn from_rendering(rendered: &Rendered, filter: &Filter) -> Result<String, RpcError> {
    Ok(match filter {
        Filter::All => rendered.xml.clone(),
        // An empty filter selects nothing (RFC 6241 6.4.2).
        Filter::Subtree(f) if f.is_empty() => String::new(),
        Filter::Subtree(f) => subtree::filter(&rendered.elements()?, f)
            .iter()
            .map(Element::to_xml)
            .collect(),
        Filter::XPath(_) => {
            return Err(RpcError::application(
                Tag::OperationFailed,
                "an XPath filter needs the data tree, not a rendering",
            ));
        }
    })
}

/// The tree, filtered, as XML.
pub fn render(
    server: &Server,
    session: &Session,
    tree: &DataTree<'_>,
    filter: &Filter,
    wd: WithDefaults,
) -> Result<String, RpcError> {
    match filter {
        Filter::XPath(f) => {
            let select = f.attr("", "select").unwrap_or_default();
            let mut budget =
                data::xpath_budget(&server.running().netconf, Some(session.cancel_flag()));
            let picked = data::xpath_select(&server.schema, tree, select, &f.scope, &mut budget)?;
            data::print(&picked, wd)
        }
        _ => from_rendering(&Rendered::new(data::print(tree, wd)?), filter),
    }
}
