//! get and get-config (RFC 6241 7.1, 7.7).

use super::OpResult;
use super::params::{self, Filter, Source};
use crate::core::datastore::Target;
use crate::netconf::NC_NS;
use crate::netconf::data::{self, WithDefaults};
use crate::netconf::envelope;
use crate::netconf::monitoring;
use crate::netconf::render_cache::{Reader, Rendered, View};
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::server::Server;
use crate::netconf::subtree;
use crate::netconf::xml::Element;
use yang5::data::DataTree;

/// Leaves of chain-agent-system marked nacm:default-deny-all: secrets no
/// one but an admin reads. `communities` goes whole: its key is the secret.
const SECRETS: [&str; 8] = [
    "password",
    "password-hash",
    "auth-password",
    "auth-key",
    "priv-password",
    "priv-key",
    "community",
    "communities",
];

fn strip_secrets(nodes: &mut Vec<Element>) {
    nodes.retain(|e| !(e.ns == SYSTEM_NS && SECRETS.contains(&e.name.as_str())));
    for n in nodes {
        strip_secrets(&mut n.children);
    }
}

const SYSTEM_NS: &str = "urn:chain-agent:yang:chain-agent-system";

/// What a session may read: everything for an admin, no secrets otherwise.
fn readable(body: String, admin: bool) -> Result<String, RpcError> {
    if admin || !body.contains(SYSTEM_NS) {
        return Ok(body);
    }
    let mut nodes = data::elements(&body)?;
    strip_secrets(&mut nodes);
    Ok(nodes.iter().map(Element::to_xml).collect())
}

pub fn get_config(server: &Server, admin: bool, attrs: &str, op: &Element) -> OpResult {
    let source = params::source(op)?;
    if let Source::Config(_) = source {
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
    if let Source::Datastore(Target::Running) = source
        && !matches!(filter, Filter::XPath(_))
    {
        let running = server.running();
        let rendered = server
            .renders
            .get(view(false, wd, admin), &running, None, || {
                let tree = data::config_tree(&server.schema, &running)?;
                readable(data::print(&tree, wd)?, admin)
            })?;
        return Ok(envelope::data(attrs, &from_rendering(&rendered, &filter)?));
    }
    let config = params::source_config(server, &source)?;
    let tree = data::config_tree(&server.schema, &config)?;
    let body = readable(render(server, &tree, &filter, wd)?, admin)?;
    Ok(envelope::data(attrs, &body))
}

pub fn get(server: &Server, admin: bool, attrs: &str, op: &Element) -> OpResult {
    let wd = params::with_defaults(op)?;
    let filter = params::filter(op, NC_NS)?;
    let config = server.running();
    let snapshot = server.agent.snapshot.load_full();
    if let Filter::XPath(_) = filter {
        // XPath needs the libyang tree itself.
        let mut tree = data::full_tree(&server.schema, &config, &snapshot)?;
        monitoring::merge_into(server, &mut tree)?;
        let body = readable(render(server, &tree, &filter, wd)?, admin)?;
        return Ok(envelope::data(attrs, &body));
    }
    let rendered = server
        .renders
        .get(view(true, wd, admin), &config, Some(&snapshot), || {
            let mut tree = data::full_tree(&server.schema, &config, &snapshot)?;
            monitoring::merge_library(server, &mut tree)?;
            readable(data::print(&tree, wd)?, admin)
        })?;
    // The session table and counters change with every rpc: printed for
    // each request, next to the cached rendering (they share no top-level
    // node with it).
    let live = Rendered::new(readable(
        data::print(&monitoring::live_tree(server)?, wd)?,
        admin,
    )?);
    let mut body = from_rendering(&rendered, &filter)?;
    body.push_str(&from_rendering(&live, &filter)?);
    Ok(envelope::data(attrs, &body))
}

fn view(state: bool, with_defaults: WithDefaults, admin: bool) -> View {
    View {
        state,
        with_defaults,
        reader: if admin {
            Reader::All
        } else {
            Reader::NoSecrets
        },
    }
}

/// A cached rendering through a filter other than XPath.
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
    tree: &DataTree<'_>,
    filter: &Filter,
    wd: WithDefaults,
) -> Result<String, RpcError> {
    match filter {
        Filter::All => data::print(tree, wd),
        Filter::XPath(f) => {
            let select = f.attr("", "select").unwrap_or_default();
            let picked = data::xpath_select(&server.schema, tree, select, &f.scope)?;
            data::print(&picked, wd)
        }
        // An empty filter selects nothing (RFC 6241 6.4.2).
        Filter::Subtree(f) if f.is_empty() => Ok(String::new()),
        Filter::Subtree(f) => {
            let all = data::elements(&data::print(tree, wd)?)?;
            Ok(subtree::filter(&all, f)
                .iter()
                .map(Element::to_xml)
                .collect())
        }
    }
}
