//! get and get-config (RFC 6241 7.1, 7.7).

use super::OpResult;
use super::params::{self, Filter, Source};
use crate::netconf::NC_NS;
use crate::netconf::data::{self, WithDefaults};
use crate::netconf::envelope;
use crate::netconf::nacm;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::server::Server;
use crate::netconf::sessions::Session;
use crate::netconf::subtree;
use crate::netconf::xml::Element;
use yang5::data::DataTree;

pub fn get_config(server: &Server, session: &Session, attrs: &str, op: &Element) -> OpResult {
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
    let config = params::source_config(server, &source)?;
    let tree = data::config_tree(&server.schema, &config)?;
    let body = nacm::readable(server, session, render(server, &tree, &filter, wd)?)?;
    Ok(envelope::data(attrs, &body))
}

pub fn get(server: &Server, session: &Session, attrs: &str, op: &Element) -> OpResult {
    let wd = params::with_defaults(op)?;
    let filter = params::filter(op, NC_NS)?;
    let config = server.running();
    let snapshot = server.agent.snapshot.load();
    let mut tree = data::full_tree(&server.schema, &config, &snapshot)?;
    nacm::merge_state(server, &mut tree)?;
    let body = nacm::readable(server, session, render(server, &tree, &filter, wd)?)?;
    Ok(envelope::data(attrs, &body))
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
