//! YANG 1.1 `<action>` (RFC 7950 7.15.2): the request names a data node
//! (with the keys of every list on the way) and, inside it, the action
//! with its input. libyang parses the request against the schema and
//! validates the input (types, ranges, mandatory leaves, defaults); the
//! node the action is invoked on must exist in the operational data.
//! Each family of actions runs in its own module; the reply carries the
//! output nodes, in the action's namespace, directly in `<rpc-reply>`, or
//! `<ok/>` when the action has no output.

use super::{OpResult, SessionState, alarm_actions, log_actions};
use crate::netconf::NC_NS;
use crate::netconf::datastore::data;
use crate::netconf::libyang::validate::{self, ValidationCode};
use crate::netconf::nacm;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::transport::envelope;
use crate::netconf::transport::xml::Element;
use crate::netconf::yang::Schema;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use yang5::data::{
    Data, DataFormat, DataNodeRef, DataParserFlags, DataPrinterFlags, DataTree, DataTreeOwningRef,
};
use yang5::schema::{SchemaNodeKind, SchemaPathFormat};

/// The namespace of `<action>` (RFC 7950 7.15.2).
pub const YANG_NS: &str = "urn:ietf:params:xml:ns:yang:1";

/// A validated action request.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The action's schema path, `/module:top/child/.../action`.
    pub action: String,
    /// The data path of the node the action is invoked on, as libyang
    /// writes it (module-qualified, with key predicates).
    pub target: String,
    /// Key values of the innermost list on the way, by key name.
    pub keys: Map<String, Value>,
    /// The input, defaults included: leaves as their canonical text,
    /// containers as objects.
    pub input: Map<String, Value>,
}

impl Invocation {
    /// An input leaf's text.
    pub fn leaf(&self, name: &str) -> Option<&str> {
        self.input.get(name).and_then(Value::as_str)
    }

    /// The data path of the action itself: the target and the action's name.
    pub fn action_path(&self) -> String {
        let name = self.action.rsplit('/').next().unwrap_or_default();
        format!("{}/{name}", self.target)
    }

    pub fn key(&self, name: &str) -> Option<&str> {
        self.keys.get(name).and_then(Value::as_str)
    }
}

/// An action's result: output leaves and lists to put in the reply.
#[derive(Debug, Default)]
pub struct Output {
    /// (path below the action node, value) pairs, as libyang's
    /// `new_path` takes them, e.g. `record[id='4']/message`.
    pub nodes: Vec<(String, Option<String>)>,
}

impl Output {
    pub fn leaf(mut self, path: impl Into<String>, value: impl Into<String>) -> Output {
        self.nodes.push((path.into(), Some(value.into())));
        self
    }

    pub fn push(&mut self, path: impl Into<String>, value: impl Into<String>) {
        self.nodes.push((path.into(), Some(value.into())));
    }
}

pub fn action(server: &Server, state: &mut SessionState, attrs: &str, op: &Element) -> OpResult {
    // RFC 8341 exec access to the action node, before its input is
    // looked at (the defaults keep the state-changing actions for the
    // admin group).
    if let Some(top) = op.children.first() {
        nacm::check_action(server, &state.session, top)?;
    }
    let invocation = parse(&server.schema, op)?;
    target_exists(server, &invocation)?;
    let output = match invocation.action.as_str() {
        log_actions::QUERY | log_actions::DELETE | log_actions::BACKUP => {
            log_actions::run(server, state, &invocation)?
        }
        alarm_actions::SET_OPERATOR_STATE
        | alarm_actions::PURGE_ALARMS
        | alarm_actions::PURGE_SHELVED_ALARMS => alarm_actions::run(server, state, &invocation)?,
        other => {
            return Err(RpcError::application(
                Tag::OperationNotSupported,
                format!("the action {other} is not implemented by this server"),
            )
            .with_path(&invocation.target)
            .into());
        }
    };
    reply(&server.schema, attrs, &invocation, output)
}

/// Parse and validate the request with libyang.
pub fn parse(schema: &Schema, op: &Element) -> Result<Invocation, RpcError> {
    if op.children.len() != 1 {
        return Err(RpcError::protocol(
            Tag::MissingElement,
            "<action> holds exactly one data node, the path to the action",
        )
        .bad_element("action"));
    }
    let xml = format!(
        "<rpc xmlns=\"{NC_NS}\" message-id=\"0\">{}</rpc>",
        op.to_xml()
    );
    if xml.contains('\0') {
        return Err(RpcError::rpc(Tag::MalformedMessage, "NUL in the request"));
    }
    let ctx = schema.context();
    let tree = DataTreeOwningRef::parse_netconf_rpc_op(ctx, &xml, DataParserFlags::STRICT)
        .map_err(|e| match e.msg.as_deref() {
            // The data path parsed, but no action was at its end.
            Some(m) if m.contains("Missing the operation node") => no_action(schema, op),
            _ => libyang_error(schema, e),
        })?;
    let node = DataNodeRef::from(&tree);
    if node.schema().kind() != SchemaNodeKind::Action {
        return Err(RpcError::protocol(
            Tag::UnknownElement,
            format!("{} is not an action", node.path()),
        )
        .with_path(node.path()));
    }
    validate::validate_action(&tree).map_err(|e| libyang_error(schema, e))?;
    let parent = node.ancestors().next().ok_or_else(|| {
        RpcError::protocol(Tag::UnknownElement, "an action must be inside a data node")
    })?;
    let keys = std::iter::once(parent.clone())
        .chain(parent.ancestors())
        .find(|n| n.schema().kind() == SchemaNodeKind::List)
        .map(|list| {
            list.list_keys()
                .map(|k| {
                    (
                        k.schema().name().to_string(),
                        Value::String(k.value_canonical().unwrap_or_default()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Invocation {
        action: node.schema().path(SchemaPathFormat::DATA),
        target: parent.path(),
        keys,
        input: children_json(&node),
    })
}

fn children_json(node: &DataNodeRef<'_>) -> Map<String, Value> {
    let mut out = Map::new();
    for c in node.children() {
        let name = c.schema().name().to_string();
        let v = match c.schema().kind() {
            SchemaNodeKind::Container | SchemaNodeKind::List => Value::Object(children_json(&c)),
            _ => Value::String(c.value_canonical().unwrap_or_default()),
        };
        out.insert(name, v);
    }
    out
}

/// unknown-element for a request whose path names no action, with the
/// path as the client wrote it (module-qualified at namespace changes).
fn no_action(schema: &Schema, op: &Element) -> RpcError {
    let mut path = String::new();
    let mut ns = "";
    let mut node = op.children.first();
    let mut last = "";
    while let Some(e) = node {
        path.push('/');
        if e.ns != ns {
            let module = schema
                .context()
                .get_module_latest_ns(&e.ns)
                .map(|m| m.name().to_string())
                .unwrap_or_else(|| e.ns.clone());
            path.push_str(&module);
            path.push(':');
            ns = &e.ns;
        }
        path.push_str(&e.name);
        last = &e.name;
        // Follow the element that is not a key leaf: the one with children
        // or, at the end, the last one.
        node = e
            .children
            .iter()
            .find(|c| !c.children.is_empty())
            .or_else(|| e.children.iter().find(|c| c.value().is_empty()));
    }
    RpcError::protocol(
        Tag::UnknownElement,
        format!("{path} names no action this server knows"),
    )
    .with_path(path)
    .bad_element(last)
}

/// The node the action is invoked on must exist (RFC 7950 7.15.2:
/// data-missing otherwise).
fn target_exists(server: &Server, inv: &Invocation) -> Result<(), RpcError> {
    let snapshot = server.agent.snapshot.load_full();
    let tree = data::full_tree(&server.schema, &server.running(), &snapshot)?;
    let found = tree
        .find_xpath(&inv.target)
        .is_ok_and(|mut s| s.next().is_some());
    if found {
        return Ok(());
    }
    Err(RpcError::application(
        Tag::DataMissing,
        format!("there is no {} to invoke the action on", inv.target),
    )
    .with_path(&inv.target))
}

/// The rpc-reply: output nodes built and type-checked by libyang, or ok.
fn reply(schema: &Schema, attrs: &str, inv: &Invocation, output: Output) -> OpResult {
    if output.nodes.is_empty() {
        return Ok(envelope::ok(attrs));
    }
    fn internal(what: &str, e: impl std::fmt::Display) -> RpcError {
        RpcError::application(Tag::OperationFailed, format!("{what}: {e}"))
    }
    let action_path = inv.action_path();
    let mut tree = DataTree::new(schema.context());
    for (path, value) in &output.nodes {
        tree.new_path(&format!("{action_path}/{path}"), value.as_deref(), true)
            .map_err(|e| internal("building the action output", e))?;
    }
    let action_node = tree
        .find_output_path(&action_path)
        .map_err(|e| internal("finding the action output", e))?;
    let mut out = String::with_capacity(256);
    let _ = write!(out, "<rpc-reply xmlns=\"{NC_NS}\"{attrs}>");
    for child in action_node.children() {
        let single = child
            .duplicate(false)
            .map_err(|e| internal("copying the action output", e))?;
        let xml = crate::netconf::yang::tree::print_with(
            &single,
            DataFormat::XML,
            DataPrinterFlags::SHRINK,
        )
        .map_err(|e| internal("printing the action output", e))?;
        out.push_str(&xml);
    }
    out.push_str("</rpc-reply>");
    Ok(out)
}

/// A libyang refusal of the request as the rpc-error RFC 6241 Appendix A
/// names for it.
fn libyang_error(schema: &Schema, e: yang5::Error) -> RpcError {
    let vecode = last_vecode(schema);
    let message = e.msg.clone().unwrap_or_else(|| e.to_string());
    let tag = if message.contains("Mandatory node") {
        Tag::MissingElement
    } else {
        match vecode {
            Some(ValidationCode::Reference) => Tag::UnknownElement,
            Some(ValidationCode::SyntaxXml) => Tag::MalformedMessage,
            _ => Tag::InvalidValue,
        }
    };
    // libyang names the unknown node in quotes: `Node "x" not found ...`.
    let unknown = (tag == Tag::UnknownElement)
        .then(|| message.split('"').nth(1).map(str::to_string))
        .flatten();
    let mut err = RpcError::application(tag, message);
    if let Some(name) = unknown {
        err = err.bad_element(&name);
    }
    if let Some(p) = e.path {
        err = err.with_path(p);
    }
    if let Some(t) = e.apptag {
        err = err.with_app_tag(t);
    }
    err
}

/// The validation code of libyang's last error; yang5 keeps only the
/// message, and the code tells an unknown node from a bad value.
fn last_vecode(schema: &Schema) -> Option<ValidationCode> {
    let module = schema.context().get_module_latest("ietf-netconf")?;
    validate::last_validation_code(&module)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::netconf::yang::schema::test_schema as schema;

    fn action_element(body: &str) -> Element {
        Element::parse(&format!("<action xmlns=\"{YANG_NS}\">{body}</action>")).unwrap()
    }

    const LOGS: &str = "urn:chain-agent:yang:chain-agent-logs";
    const ALARMS: &str = "urn:ietf:params:xml:ns:yang:ietf-alarms";

    #[test]
    fn a_log_query_is_parsed_with_its_defaults() {
        let s = schema();
        let inv = parse(
            &s,
            &action_element(&format!(
                "<logs xmlns=\"{LOGS}\"><query><kind>operation</kind></query></logs>"
            )),
        )
        .unwrap();
        assert_eq!(inv.action, "/chain-agent-logs:logs/query");
        assert_eq!(inv.target, "/chain-agent-logs:logs");
        assert_eq!(inv.leaf("kind"), Some("operation"));
        assert_eq!(inv.leaf("limit"), Some("100"), "{inv:?}");
    }

    #[test]
    fn an_alarm_action_carries_its_list_keys() {
        let s = schema();
        let inv = parse(
            &s,
            &action_element(&format!(
                "<alarms xmlns=\"{ALARMS}\"><alarm-list><alarm><resource>/host</resource>\
                 <alarm-type-id xmlns:ca=\"urn:chain-agent:yang:chain-agent-alarms\">ca:cpu-high</alarm-type-id>\
                 <alarm-type-qualifier/><set-operator-state><state>ack</state><text>mine</text>\
                 </set-operator-state></alarm></alarm-list></alarms>"
            )),
        )
        .unwrap();
        assert_eq!(inv.action, alarm_actions::SET_OPERATOR_STATE);
        assert_eq!(inv.key("resource"), Some("/host"));
        assert_eq!(
            inv.key("alarm-type-id"),
            Some("chain-agent-alarms:cpu-high")
        );
        assert_eq!(inv.key("alarm-type-qualifier"), Some(""));
        assert_eq!(inv.leaf("state"), Some("ack"));
        assert_eq!(inv.leaf("text"), Some("mine"));
    }

    #[test]
    fn bad_requests_get_the_appendix_a_tag_and_a_path() {
        let s = schema();
        let err = |body: &str| parse(&s, &action_element(body)).unwrap_err();
        let e = err(&format!(
            "<logs xmlns=\"{LOGS}\"><query><kind>nonsense</kind></query></logs>"
        ));
        assert_eq!(e.tag, Tag::InvalidValue, "{e}");
        assert!(e.path.as_deref().unwrap_or("").contains("kind"), "{e:?}");
        let e = err(&format!(
            "<logs xmlns=\"{LOGS}\"><query><limit>0</limit></query></logs>"
        ));
        assert_eq!(e.tag, Tag::InvalidValue, "{e}");
        let e = err(&format!("<logs xmlns=\"{LOGS}\"><frobnicate/></logs>"));
        assert_eq!(e.tag, Tag::UnknownElement, "{e:?}");
        assert_eq!(e.path.as_deref(), Some("/chain-agent-logs:logs"), "{e:?}");
        assert!(
            e.info
                .iter()
                .any(|i| i.name == "bad-element" && i.value == "frobnicate"),
            "{e:?}"
        );
        let e = err(&format!("<logs xmlns=\"{LOGS}\"><backup/></logs>"));
        assert_eq!(e.tag, Tag::MissingElement, "{e:?}");
        let e = err(&format!(
            "<logs xmlns=\"{LOGS}\"><type><kind>system</kind></type></logs>"
        ));
        assert_eq!(e.tag, Tag::UnknownElement, "{e:?}");
    }
}
