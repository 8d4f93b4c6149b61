//! get-schema (RFC 6022 3.1): the text of a module or submodule the
//! `schemas` list names. Only the YANG format is served: the server does
//! not print YIN, XSD or RelaxNG, so asking for them is an invalid value.

use super::OpResult;
use crate::netconf::NC_NS;
use crate::netconf::monitoring::netconf_state::MONITORING_NS;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::transport::xml::{Element, escape};

/// The identity of the one format served.
const YANG_FORMAT: &str = "yang";

pub fn get_schema(server: &Server, attrs: &str, op: &Element) -> OpResult {
    let identifier = op
        .child(MONITORING_NS, "identifier")
        .map(Element::value)
        .ok_or_else(|| {
            RpcError::protocol(Tag::MissingElement, "<get-schema> needs <identifier>")
                .bad_element("identifier")
        })?;
    let version = op.child(MONITORING_NS, "version").map(Element::value);
    if let Some(format) = op.child(MONITORING_NS, "format") {
        check_format(format)?;
    }
    let text = find(server, identifier, version)?;
    Ok(format!(
        "<rpc-reply xmlns=\"{NC_NS}\"{attrs}><data xmlns=\"{MONITORING_NS}\">{}</data></rpc-reply>",
        escape(text)
    ))
}

/// The schema text for an identifier and optional version (`""` names a
/// module without a revision statement, as the `schemas` list shows it).
fn find<'s>(
    server: &'s Server,
    identifier: &str,
    version: Option<&str>,
) -> Result<&'s str, RpcError> {
    let schema = &server.schema;
    let revision = match version {
        Some(v) => v,
        None => only_revision(identifier, &schema.schema_revisions(identifier))?,
    };
    schema
        .module_text(identifier, Some(revision))
        .ok_or_else(|| no_such_schema(identifier, version))
}

/// Without `<version>`, the identifier must name one schema (RFC 6022 3.1).
fn only_revision<'r>(identifier: &str, revisions: &[&'r str]) -> Result<&'r str, RpcError> {
    match revisions {
        [] => Err(no_such_schema(identifier, None)),
        [one] => Ok(one),
        several => Err(RpcError::application(
            Tag::OperationFailed,
            format!(
                "schema '{identifier}' exists in revisions {}: give <version>",
                several.join(", ")
            ),
        )
        .with_app_tag("data-not-unique")),
    }
}

fn no_such_schema(identifier: &str, version: Option<&str>) -> RpcError {
    let what = match version {
        Some(v) => format!("'{identifier}' revision '{v}'"),
        None => format!("'{identifier}'"),
    };
    RpcError::application(
        Tag::InvalidValue,
        format!("no schema {what}: see /netconf-state/schemas"),
    )
    .bad_element("identifier")
}

/// `<format>` is an identityref: `yang`, or `prefix:yang` with the prefix
/// bound to the monitoring namespace.
fn check_format(format: &Element) -> Result<(), RpcError> {
    let value = format.value();
    let (ns, name) = match value.split_once(':') {
        Some((prefix, name)) => (format.scope.get(prefix).map(String::as_str), name),
        None => (Some(format.ns.as_str()), value),
    };
    if ns == Some(MONITORING_NS) && name == YANG_FORMAT {
        return Ok(());
    }
    Err(RpcError::application(
        Tag::InvalidValue,
        format!("schema format '{value}' is not served; only 'yang' is"),
    )
    .bad_element("format"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(xml: &str) -> Element {
        Element::parse(xml)
            .unwrap()
            .child(MONITORING_NS, "format")
            .unwrap()
            .clone()
    }

    #[test]
    fn an_identifier_without_version_must_name_one_revision() {
        assert_eq!(only_revision("m", &["2020-01-01"]).unwrap(), "2020-01-01");
        assert_eq!(only_revision("m", &[""]).unwrap(), "");
        let e = only_revision("m", &[]).unwrap_err();
        assert_eq!(e.tag, Tag::InvalidValue);
        let e = only_revision("m", &["2019-01-01", "2020-01-01"]).unwrap_err();
        assert_eq!(e.tag, Tag::OperationFailed);
        assert_eq!(e.app_tag.as_deref(), Some("data-not-unique"));
    }

    #[test]
    fn format_must_be_the_yang_identity() {
        let ok = [
            format!(r#"<g xmlns="{MONITORING_NS}"><format>yang</format></g>"#),
            format!(r#"<g xmlns:m="{MONITORING_NS}"><m:format>m:yang</m:format></g>"#),
            format!(
                r#"<g xmlns="{MONITORING_NS}" xmlns:x="{MONITORING_NS}"><format>x:yang</format></g>"#
            ),
        ];
        for x in ok {
            assert!(check_format(&format(&x)).is_ok(), "{x}");
        }
        let bad = [
            format!(r#"<g xmlns="{MONITORING_NS}"><format>yin</format></g>"#),
            format!(
                r#"<g xmlns="{MONITORING_NS}" xmlns:o="urn:other"><format>o:yang</format></g>"#
            ),
            format!(r#"<g xmlns="{MONITORING_NS}"><format>nope:yang</format></g>"#),
        ];
        for x in bad {
            let e = check_format(&format(&x)).unwrap_err();
            assert_eq!(e.tag, Tag::InvalidValue, "{x}");
        }
    }
}
