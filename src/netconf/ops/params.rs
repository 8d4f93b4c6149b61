//! Parameters shared by several operations: source, target, filter and
//! with-defaults.

use crate::config::Config;
use crate::core::datastore::Target;
use crate::netconf::NC_NS;
use crate::netconf::datastore::data::{self, WithDefaults};
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::session::capabilities::WITH_DEFAULTS_NS;
use crate::netconf::shared::Server;
use crate::netconf::transport::xml::Element;

pub enum Source {
    Datastore(Target),
    /// Inline `<config>`: its children.
    Config(Vec<Element>),
}

fn missing(op: &Element, what: &str) -> RpcError {
    RpcError::protocol(Tag::MissingElement, format!("<{}> needs <{what}>", op.name))
        .bad_element(what)
}

fn datastore_of(container: &Element) -> Result<Target, RpcError> {
    let mut children = container.children.iter();
    let (Some(c), None) = (children.next(), children.next()) else {
        return Err(RpcError::protocol(
            Tag::MissingElement,
            format!("<{}> names exactly one datastore", container.name),
        )
        .bad_element(&container.name));
    };
    if c.ns != NC_NS {
        return Err(RpcError::protocol(
            Tag::UnknownNamespace,
            format!("'{}' is not a datastore", c.name),
        )
        .with_info("bad-element", &c.name)
        .with_info("bad-namespace", &c.ns));
    }
    match c.name.as_str() {
        "running" => Ok(Target::Running),
        "candidate" => Ok(Target::Candidate),
        "startup" => Ok(Target::Startup),
        "url" => Err(RpcError::protocol(
            Tag::OperationNotSupported,
            "the :url capability is not supported",
        )
        .bad_element("url")),
        other => Err(
            RpcError::protocol(Tag::BadElement, format!("'{other}' is not a datastore"))
                .bad_element(other),
        ),
    }
}

/// `<target>` (a datastore).
pub fn target(op: &Element) -> Result<Target, RpcError> {
    let t = op
        .child(NC_NS, "target")
        .ok_or_else(|| missing(op, "target"))?;
    datastore_of(t)
}

/// `<source>` (a datastore, or `<config>` where the operation allows it).
pub fn source(op: &Element) -> Result<Source, RpcError> {
    let s = op
        .child(NC_NS, "source")
        .ok_or_else(|| missing(op, "source"))?;
    if let Some(c) = config_child(s) {
        return Ok(Source::Config(c.children.clone()));
    }
    datastore_of(s).map(Source::Datastore)
}

/// `<config>`: in the base namespace, or in none, as ncclient sends it
/// when the caller's config string declares no namespace for it.
pub fn config_child(parent: &Element) -> Option<&Element> {
    parent
        .child(NC_NS, "config")
        .or_else(|| parent.child("", "config"))
}

/// The configuration a source names.
pub fn source_config(server: &Server, source: &Source) -> Result<Config, RpcError> {
    match source {
        Source::Datastore(Target::Running) => Ok((*server.running()).clone()),
        Source::Datastore(Target::Candidate) => Ok(server.candidate()),
        Source::Datastore(Target::Startup) => server
            .agent
            .datastore
            .startup()
            .map_err(|e| RpcError::application(Tag::OperationFailed, e.to_string())),
        Source::Config(nodes) => data::config_from_elements(&server.schema, nodes),
    }
}

pub enum Filter {
    All,
    Subtree(Vec<Element>),
    XPath(Element),
}

/// `<filter>` of get, get-config and create-subscription (`ns` is the
/// namespace the filter element lives in).
pub fn filter(op: &Element, ns: &str) -> Result<Filter, RpcError> {
    let Some(f) = op.child(ns, "filter") else {
        return Ok(Filter::All);
    };
    match f.attr("", "type").unwrap_or("subtree") {
        "subtree" => Ok(Filter::Subtree(f.children.clone())),
        "xpath" => {
            if f.attr("", "select").is_none() {
                return Err(RpcError::protocol(
                    Tag::MissingAttribute,
                    "an xpath filter needs select",
                )
                .with_info("bad-attribute", "select")
                .with_info("bad-element", "filter"));
            }
            Ok(Filter::XPath(f.clone()))
        }
        other => Err(RpcError::protocol(
            Tag::BadAttribute,
            format!("unknown filter type '{other}'"),
        )
        .with_info("bad-attribute", "type")
        .with_info("bad-element", "filter")),
    }
}

/// `<with-defaults>` (RFC 6243); trim, the basic mode, when absent.
pub fn with_defaults(op: &Element) -> Result<WithDefaults, RpcError> {
    match op.child(WITH_DEFAULTS_NS, "with-defaults") {
        None => Ok(WithDefaults::Trim),
        Some(e) => with_defaults_mode(e.value()).ok_or_else(|| {
            RpcError::application(
                Tag::InvalidValue,
                format!("'{}' is not a with-defaults mode", e.value()),
            )
            .bad_element("with-defaults")
        }),
    }
}

fn with_defaults_mode(s: &str) -> Option<WithDefaults> {
    Some(match s {
        "explicit" => WithDefaults::Explicit,
        "trim" => WithDefaults::Trim,
        "report-all" => WithDefaults::ReportAll,
        "report-all-tagged" => WithDefaults::ReportAllTagged,
        _ => return None,
    })
}
