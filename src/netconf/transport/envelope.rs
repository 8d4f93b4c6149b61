//! The message envelope: `<hello>` and `<rpc>` in, `<hello>`, `<rpc-reply>`
//! and `<notification>` out (RFC 6241 sections 4 and 8.1).

use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::transport::xml::{Element, escape};
use crate::netconf::{NC_NS, NOTIF_NS};
use std::fmt::Write as _;

pub const BASE_1_0: &str = "urn:ietf:params:netconf:base:1.0";
pub const BASE_1_1: &str = "urn:ietf:params:netconf:base:1.1";

#[derive(Debug)]
pub struct Hello {
    pub capabilities: Vec<String>,
    /// Whether the hello carries a `<session-id>`: only the server assigns
    /// one, so a client's that does is refused (RFC 6241 8.1).
    pub has_session_id: bool,
}

#[derive(Debug)]
pub struct Rpc {
    /// The attributes of `<rpc>`, serialised for echoing on the reply
    /// (RFC 6241 4.2: all of them, unchanged).
    pub attrs: String,
    pub message_id: String,
    /// The operation element, the only child of `<rpc>`.
    pub op: Element,
}

/// A message that could not be taken as an rpc; `attrs` is what can still
/// be echoed.
#[derive(Debug)]
pub struct BadRpc {
    pub attrs: String,
    pub error: RpcError,
}

#[derive(Debug)]
pub enum Incoming {
    Hello(Hello),
    Rpc(Rpc),
    Bad(BadRpc),
}

/// Parse one framed message.
pub fn parse(message: &[u8]) -> Incoming {
    let bad = |error: RpcError| {
        Incoming::Bad(BadRpc {
            attrs: String::new(),
            error,
        })
    };
    // XML forbids NUL, and libyang takes C strings.
    if message.contains(&0) {
        return bad(RpcError::rpc(
            Tag::MalformedMessage,
            "the message contains a NUL byte",
        ));
    }
    let Ok(text) = std::str::from_utf8(message) else {
        return bad(RpcError::rpc(
            Tag::MalformedMessage,
            "the message is not UTF-8",
        ));
    };
    let root = match Element::parse(text) {
        Ok(r) => r,
        Err(e) => return bad(RpcError::rpc(Tag::MalformedMessage, e.to_string())),
    };
    if root.is(NC_NS, "hello") {
        let capabilities = root
            .child(NC_NS, "capabilities")
            .map(|c| {
                c.children
                    .iter()
                    .filter(|e| e.is(NC_NS, "capability"))
                    .map(|e| e.value().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let has_session_id = root.child(NC_NS, "session-id").is_some();
        return Incoming::Hello(Hello {
            capabilities,
            has_session_id,
        });
    }
    if !root.is(NC_NS, "rpc") {
        let error = if root.ns != NC_NS {
            RpcError::protocol(
                Tag::UnknownNamespace,
                format!("'{}' is not in the NETCONF base namespace", root.name),
            )
            .with_info("bad-element", &root.name)
            .with_info("bad-namespace", &root.ns)
        } else {
            RpcError::protocol(Tag::UnknownElement, format!("unexpected <{}>", root.name))
                .bad_element(&root.name)
        };
        return bad(error);
    }
    let attrs = echo_attrs(&root);
    let Some(message_id) = root.attr("", "message-id").map(str::to_string) else {
        return Incoming::Bad(BadRpc {
            attrs,
            error: RpcError::rpc(Tag::MissingAttribute, "the rpc has no message-id")
                .with_info("bad-attribute", "message-id")
                .with_info("bad-element", "rpc"),
        });
    };
    let mut ops = root.children.into_iter();
    let (Some(op), None) = (ops.next(), ops.next()) else {
        return Incoming::Bad(BadRpc {
            attrs,
            error: RpcError::rpc(Tag::MissingElement, "an rpc holds exactly one operation")
                .bad_element("rpc"),
        });
    };
    Incoming::Rpc(Rpc {
        attrs,
        message_id,
        op,
    })
}

/// The attributes to echo of the `<rpc>` a message begins with, read
/// from its first bytes alone (the rest was discarded); empty if they do
/// not hold a whole `<rpc>` start tag.
pub fn start_tag_attrs(prefix: &[u8]) -> String {
    use quick_xml::events::Event;
    let Ok(text) = std::str::from_utf8(prefix) else {
        return String::new();
    };
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                let Ok(end) = usize::try_from(reader.buffer_position()) else {
                    return String::new();
                };
                let name = start.name().as_ref().to_string();
                let Some(head) = text.get(..end) else {
                    return String::new();
                };
                return match Element::parse(&format!("{head}</{name}>")) {
                    Ok(root) if root.is(NC_NS, "rpc") => echo_attrs(&root),
                    _ => String::new(),
                };
            }
            Ok(Event::Empty(_)) | Ok(Event::Eof) | Err(_) => return String::new(),
            Ok(_) => {}
        }
    }
}

fn echo_attrs(rpc: &Element) -> String {
    let mut out = String::new();
    for (i, a) in rpc.attrs.iter().enumerate() {
        if a.ns.is_empty() {
            let _ = write!(out, " {}=\"{}\"", a.name, escape(&a.value));
        } else {
            // Keep the client's prefix when it declared one for this namespace.
            let prefix = rpc
                .scope
                .iter()
                .find(|(p, ns)| !p.is_empty() && **ns == a.ns)
                .map(|(p, _)| p.clone())
                .unwrap_or_else(|| format!("a{i}"));
            let _ = write!(
                out,
                " xmlns:{prefix}=\"{}\" {prefix}:{}=\"{}\"",
                escape(&a.ns),
                a.name,
                escape(&a.value)
            );
        }
    }
    out
}

/// The server's `<hello>`.
pub fn hello(capabilities: &[String], session_id: u32) -> String {
    let mut out = String::with_capacity(2048);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><hello xmlns=\"{NC_NS}\"><capabilities>"
    );
    for c in capabilities {
        let _ = write!(out, "<capability>{}</capability>", escape(c));
    }
    let _ = write!(
        out,
        "</capabilities><session-id>{session_id}</session-id></hello>"
    );
    out
}

/// A reply carrying `<ok/>`.
pub fn ok(attrs: &str) -> String {
    format!("<rpc-reply xmlns=\"{NC_NS}\"{attrs}><ok/></rpc-reply>")
}

/// A `<data>` reply (get, get-config, get-schema).
pub fn data(attrs: &str, content: &str) -> String {
    data_of(attrs, &[content])
}

/// A `<data>` reply whose content comes in parts, copied once.
pub fn data_of(attrs: &str, parts: &[&str]) -> String {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = String::with_capacity(len + attrs.len() + 128);
    let _ = write!(out, "<rpc-reply xmlns=\"{NC_NS}\"{attrs}><data>");
    for part in parts {
        out.push_str(part);
    }
    out.push_str("</data></rpc-reply>");
    out
}

/// An RFC 5277 `<notification>`.
pub fn notification(event_time: &str, content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 160);
    let _ = write!(
        out,
        "<notification xmlns=\"{NOTIF_NS}\"><eventTime>{event_time}</eventTime>"
    );
    out.push_str(content);
    out.push_str("</notification>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpc_attributes_are_echoed_with_their_namespaces() {
        let msg = format!(
            r#"<nc:rpc xmlns:nc="{NC_NS}" xmlns:ex="urn:ex" message-id="urn:uuid:1" ex:user="x &amp; y"><nc:get/></nc:rpc>"#
        );
        let Incoming::Rpc(rpc) = parse(msg.as_bytes()) else {
            panic!("not an rpc")
        };
        assert_eq!(rpc.message_id, "urn:uuid:1");
        assert!(rpc.op.is(NC_NS, "get"));
        let reply = ok(&rpc.attrs);
        let back = Element::parse(&reply).unwrap();
        assert_eq!(back.attr("", "message-id"), Some("urn:uuid:1"));
        assert_eq!(back.attr("urn:ex", "user"), Some("x & y"));
    }

    #[test]
    fn missing_message_id_and_bad_roots_are_errors() {
        let msg = format!(r#"<rpc xmlns="{NC_NS}"><get/></rpc>"#);
        let Incoming::Bad(b) = parse(msg.as_bytes()) else {
            panic!()
        };
        assert_eq!(b.error.tag, Tag::MissingAttribute);
        let Incoming::Bad(b) = parse(b"<rpc xmlns=\"urn:other\" message-id=\"1\"/>") else {
            panic!()
        };
        assert_eq!(b.error.tag, Tag::UnknownNamespace);
        let Incoming::Bad(b) = parse(b"<rpc") else {
            panic!()
        };
        assert_eq!(b.error.tag, Tag::MalformedMessage);
        let msg = format!(r#"<rpc xmlns="{NC_NS}" message-id="1"/>"#);
        let Incoming::Bad(b) = parse(msg.as_bytes()) else {
            panic!()
        };
        assert_eq!(b.error.tag, Tag::MissingElement);
    }

    #[test]
    fn the_rpc_start_tag_of_a_cut_message_gives_its_attributes() {
        let msg = format!(
            r#"<?xml version="1.0"?><nc:rpc xmlns:nc="{NC_NS}" message-id="42"><nc:edit-config><nc:config>AAAA"#
        );
        let back = Element::parse(&ok(&start_tag_attrs(msg.as_bytes()))).unwrap();
        assert_eq!(back.attr("", "message-id"), Some("42"));
        assert_eq!(
            start_tag_attrs(b"<rpc xmlns=\"urn:other\" message-id=\"1\">"),
            ""
        );
        assert_eq!(start_tag_attrs(b"<rpc message-id=\"1"), "");
    }

    #[test]
    fn hello_capabilities_are_read() {
        let msg = format!(
            r#"<hello xmlns="{NC_NS}"><capabilities><capability> {BASE_1_1} </capability></capabilities></hello>"#
        );
        let Incoming::Hello(h) = parse(msg.as_bytes()) else {
            panic!()
        };
        assert_eq!(h.capabilities, vec![BASE_1_1.to_string()]);
        assert!(!h.has_session_id);
        let msg = format!(
            r#"<nc:hello xmlns:nc="{NC_NS}"><nc:capabilities><nc:capability>{BASE_1_1}</nc:capability></nc:capabilities><nc:session-id>4</nc:session-id></nc:hello>"#
        );
        let Incoming::Hello(h) = parse(msg.as_bytes()) else {
            panic!()
        };
        assert!(h.has_session_id);
    }
}
