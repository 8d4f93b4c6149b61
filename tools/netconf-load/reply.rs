//! Reading what a server sends: its `<hello>`, and whether each
//! `<rpc-reply>` answers the request with `<ok/>`, `<data>` or
//! `<rpc-error>`. Namespace-aware (quick-xml's NsReader), so any prefixes a
//! server chooses are understood.
//!
//! Checking a reply reads only up to its first child element, so that the
//! generator's cost per reply stays small next to the server's. The full
//! walk of `<data>` (counting nodes, extracting subtrees) is done once per
//! session and by `fetch`.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

pub const BASE_NS: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";
pub const BASE_1_0: &str = "urn:ietf:params:netconf:base:1.0";
pub const BASE_1_1: &str = "urn:ietf:params:netconf:base:1.1";

#[derive(Debug, thiserror::Error)]
pub enum ReplyError {
    #[error("not UTF-8")]
    NotUtf8,
    #[error("XML: {0}")]
    Xml(#[from] quick_xml::Error),
    #[error("expected <{expected}> in the NETCONF base namespace, got <{got}>")]
    WrongRoot { expected: &'static str, got: String },
    #[error("message-id {got:?} answers no request (expected {expected:?})")]
    MessageId {
        expected: String,
        got: Option<String>,
    },
    #[error("the message ended early")]
    Truncated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    pub capabilities: Vec<String>,
    pub session_id: Option<String>,
}

impl Hello {
    pub fn has(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }
}

/// What an `<rpc-reply>` carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Data,
    /// error-tag and error-message of the first `<rpc-error>`.
    Error(String),
}

/// The size of a `<data>` tree: its elements, and the leaves among them
/// (elements without element children).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataSize {
    pub elements: u64,
    pub leaves: u64,
}

fn utf8(message: &[u8]) -> Result<&str, ReplyError> {
    std::str::from_utf8(message).map_err(|_| ReplyError::NotUtf8)
}

fn in_base(ns: &ResolveResult<'_>) -> bool {
    matches!(ns, ResolveResult::Bound(namespace) if namespace.as_ref() == BASE_NS)
}

fn local_name(start: &BytesStart<'_>) -> String {
    start.local_name().as_ref().to_string()
}

/// Text content with the five predefined entities and character
/// references resolved (quick-xml reports them as separate events).
#[derive(Default)]
struct Text(String);

impl Text {
    fn add(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(text) => self.0.push_str(text),
            Event::CData(data) => self.0.push_str(data),
            Event::GeneralRef(reference) => {
                let resolved = match &**reference {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => reference.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = resolved {
                    self.0.push(c);
                }
            }
            _ => {}
        }
    }
}

/// Reads the root element, which must be `<name>` in the base namespace;
/// also says whether it was written empty (`<name/>`).
fn root<'a>(
    reader: &mut NsReader<&'a [u8]>,
    name: &'static str,
) -> Result<(BytesStart<'a>, bool), ReplyError> {
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        let (start, empty) = match event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::Eof => return Err(ReplyError::Truncated),
            _ => continue,
        };
        if in_base(&ns) && start.local_name().as_ref() == name {
            return Ok((start, empty));
        }
        return Err(ReplyError::WrongRoot {
            expected: name,
            got: local_name(&start),
        });
    }
}

pub fn parse_hello(message: &[u8]) -> Result<Hello, ReplyError> {
    let text = utf8(message)?;
    let mut reader = NsReader::from_str(text);
    let (_, empty) = root(&mut reader, "hello")?;
    let mut hello = Hello {
        capabilities: Vec::new(),
        session_id: None,
    };
    if empty {
        return Ok(hello);
    }
    let mut depth = 1usize;
    let mut current: Option<(String, Text)> = None;
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        match &event {
            Event::Start(start) => {
                depth += 1;
                if in_base(&ns) {
                    current = Some((local_name(start), Text::default()));
                }
            }
            Event::End(_) => {
                depth -= 1;
                if let Some((name, text)) = current.take() {
                    let value = text.0.trim().to_string();
                    match name.as_str() {
                        "capability" => hello.capabilities.push(value),
                        "session-id" => hello.session_id = Some(value),
                        _ => {}
                    }
                }
                if depth == 0 {
                    return Ok(hello);
                }
            }
            Event::Eof => return Err(ReplyError::Truncated),
            other => {
                if let Some((_, text)) = current.as_mut() {
                    text.add(other);
                }
            }
        }
    }
}

/// Checks that `message` is the `<rpc-reply>` to `expected_id` and says
/// what it carries, reading no further than its first child element.
pub fn check_reply(message: &[u8], expected_id: &str) -> Result<Outcome, ReplyError> {
    let text = utf8(message)?;
    let mut reader = NsReader::from_str(text);
    let (start, empty) = root(&mut reader, "rpc-reply")?;
    let id = start
        .try_get_attribute("message-id")
        .ok()
        .flatten()
        .map(|attribute| attribute.value.into_owned());
    if id.as_deref() != Some(expected_id) {
        return Err(ReplyError::MessageId {
            expected: expected_id.to_string(),
            got: id,
        });
    }
    if empty {
        return Err(ReplyError::Truncated);
    }
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        match event {
            Event::Start(child) | Event::Empty(child) if in_base(&ns) => {
                return match child.local_name().as_ref() {
                    "ok" => Ok(Outcome::Ok),
                    "data" => Ok(Outcome::Data),
                    "rpc-error" => Ok(Outcome::Error(rpc_error(&mut reader)?)),
                    _ => Ok(Outcome::Error(format!(
                        "unexpected <{}> in rpc-reply",
                        local_name(&child)
                    ))),
                };
            }
            Event::Start(child) | Event::Empty(child) => {
                return Ok(Outcome::Error(format!(
                    "unexpected <{}> in rpc-reply",
                    local_name(&child)
                )));
            }
            Event::End(_) => return Ok(Outcome::Error("empty rpc-reply".into())),
            Event::Eof => return Err(ReplyError::Truncated),
            _ => {}
        }
    }
}

/// "error-tag: error-message" of the `<rpc-error>` just opened.
fn rpc_error(reader: &mut NsReader<&[u8]>) -> Result<String, ReplyError> {
    let mut depth = 1usize;
    let mut current: Option<(String, Text)> = None;
    let mut tag = String::new();
    let mut message = String::new();
    loop {
        let (_, event) = reader.read_resolved_event()?;
        match &event {
            Event::Start(start) => {
                depth += 1;
                if depth == 2 {
                    current = Some((local_name(start), Text::default()));
                }
            }
            Event::End(_) => {
                if depth == 2
                    && let Some((name, text)) = current.take()
                {
                    match name.as_str() {
                        "error-tag" => tag = text.0.trim().to_string(),
                        "error-message" => message = text.0.trim().to_string(),
                        _ => {}
                    }
                }
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Eof => return Err(ReplyError::Truncated),
            other => {
                if let Some((_, text)) = current.as_mut() {
                    text.add(other);
                }
            }
        }
    }
    Ok(if message.is_empty() {
        tag
    } else {
        format!("{tag}: {message}")
    })
}

/// The `<data>` of a reply, walked in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extract {
    /// Size of the whole `<data>` tree, before any filtering.
    pub size: DataSize,
    /// Size of the kept top-level subtrees.
    pub kept: DataSize,
    /// The kept subtrees as one document: `<config>` in the base namespace,
    /// carrying the namespace declarations in scope at `<data>`, around the
    /// subtrees' original text.
    pub document: String,
}

/// Walks the `<data>` of `message` (the reply to `expected_id`), counting
/// its nodes and keeping the top-level subtrees whose namespace starts
/// with one of `keep` (all when `keep` is empty).
pub fn extract_data(
    message: &[u8],
    expected_id: &str,
    keep: &[String],
) -> Result<Extract, ReplyError> {
    let text = utf8(message)?;
    let mut reader = NsReader::from_str(text);
    let (start, empty) = root(&mut reader, "rpc-reply")?;
    let id = start
        .try_get_attribute("message-id")
        .ok()
        .flatten()
        .map(|attribute| attribute.value.into_owned());
    if id.as_deref() != Some(expected_id) {
        return Err(ReplyError::MessageId {
            expected: expected_id.to_string(),
            got: id,
        });
    }
    let mut declarations = namespace_declarations(&start);
    let mut extract = Extract {
        size: DataSize::default(),
        kept: DataSize::default(),
        document: String::new(),
    };
    if empty {
        return Err(ReplyError::Truncated);
    }
    // Find <data>.
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        match event {
            Event::Start(data) if in_base(&ns) && data.local_name().as_ref() == "data" => {
                declarations.extend(namespace_declarations(&data));
                break;
            }
            Event::Empty(data) if in_base(&ns) && data.local_name().as_ref() == "data" => {
                extract.document = wrap(&declarations, "");
                return Ok(extract);
            }
            Event::Start(other) | Event::Empty(other) => {
                return Err(ReplyError::WrongRoot {
                    expected: "data",
                    got: local_name(&other),
                });
            }
            Event::Eof => return Err(ReplyError::Truncated),
            _ => {}
        }
    }
    let mut body = String::new();
    // depth 0: inside <data>; a top-level subtree starts at depth 1.
    let mut depth = 0usize;
    let mut subtree_start = 0usize;
    let mut keeping = false;
    // Whether the element at each open depth has element children yet.
    let mut has_children: Vec<bool> = Vec::new();
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (ns, event) = reader.read_resolved_event()?;
        match event {
            Event::Start(_) | Event::Empty(_) => {
                if let Some(parent) = has_children.last_mut() {
                    *parent = true;
                }
                if depth == 0 {
                    subtree_start = before;
                    keeping = keep.is_empty()
                        || matches!(&ns, ResolveResult::Bound(namespace)
                            if keep.iter().any(|prefix| namespace.as_ref().starts_with(prefix.as_str())));
                }
                extract.size.elements += 1;
                if keeping {
                    extract.kept.elements += 1;
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                    has_children.push(false);
                } else {
                    extract.size.leaves += 1;
                    if keeping {
                        extract.kept.leaves += 1;
                    }
                    if depth == 0 && keeping {
                        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                        body.push_str(text.get(subtree_start..end).ok_or(ReplyError::Truncated)?);
                    }
                }
            }
            Event::End(_) => {
                if depth == 0 {
                    break; // </data>
                }
                if has_children.pop() == Some(false) {
                    extract.size.leaves += 1;
                    if keeping {
                        extract.kept.leaves += 1;
                    }
                }
                depth -= 1;
                if depth == 0 && keeping {
                    let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                    body.push_str(text.get(subtree_start..end).ok_or(ReplyError::Truncated)?);
                }
            }
            Event::Eof => return Err(ReplyError::Truncated),
            _ => {}
        }
    }
    extract.document = wrap(&declarations, &body);
    Ok(extract)
}

/// The `xmlns` and `xmlns:p` attributes of an element, as written.
fn namespace_declarations(start: &BytesStart<'_>) -> Vec<(String, String)> {
    start
        .attributes()
        .flatten()
        .filter(|attribute| attribute.key.as_namespace_binding().is_some())
        .map(|attribute| {
            (
                attribute.key.as_ref().to_string(),
                attribute.value.into_owned(),
            )
        })
        .collect()
}

fn wrap(declarations: &[(String, String)], body: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config");
    // Later declarations (on <data>) override earlier ones (on rpc-reply).
    let mut seen = std::collections::BTreeMap::new();
    for (key, value) in declarations {
        seen.insert(key.as_str(), value.as_str());
    }
    seen.insert("xmlns", BASE_NS);
    for (key, value) in seen {
        out.push_str(&format!(" {key}=\"{value}\""));
    }
    out.push_str(">\n");
    out.push_str(body);
    out.push_str("\n</config>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_with_prefixes_and_entities() {
        let hello = br#"<?xml version="1.0" encoding="UTF-8"?>
<nc:hello xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">
  <nc:capabilities>
    <nc:capability>urn:ietf:params:netconf:base:1.1</nc:capability>
    <nc:capability>urn:x?module=x&amp;revision=2020-01-01</nc:capability>
  </nc:capabilities>
  <nc:session-id>42</nc:session-id>
</nc:hello>"#;
        let parsed = parse_hello(hello).unwrap();
        assert!(parsed.has(BASE_1_1));
        assert!(!parsed.has(BASE_1_0));
        assert!(parsed.has("urn:x?module=x&revision=2020-01-01"));
        assert_eq!(parsed.session_id.as_deref(), Some("42"));
    }

    #[test]
    fn hello_in_another_namespace_is_refused() {
        let hello = br#"<hello xmlns="urn:other"><capabilities/></hello>"#;
        assert!(matches!(
            parse_hello(hello),
            Err(ReplyError::WrongRoot { .. })
        ));
    }

    #[test]
    fn reply_outcomes() {
        let ok = br#"<rpc-reply message-id="7" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>"#;
        assert_eq!(check_reply(ok, "7").unwrap(), Outcome::Ok);
        assert!(matches!(
            check_reply(ok, "8"),
            Err(ReplyError::MessageId { .. })
        ));
        let data = br#"<x:rpc-reply x:message-id="1" message-id="1" xmlns:x="urn:ietf:params:xml:ns:netconf:base:1.0"><x:data><a xmlns="urn:a"/></x:data></x:rpc-reply>"#;
        assert_eq!(check_reply(data, "1").unwrap(), Outcome::Data);
        let error = br#"<rpc-reply message-id="2" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <rpc-error><error-type>application</error-type><error-tag>invalid-value</error-tag>
  <error-severity>error</error-severity><error-message xml:lang="en">bad &lt;x&gt;</error-message></rpc-error>
</rpc-reply>"#;
        assert_eq!(
            check_reply(error, "2").unwrap(),
            Outcome::Error("invalid-value: bad <x>".into())
        );
        let foreign = br#"<rpc-reply message-id="3" xmlns="urn:other"><ok/></rpc-reply>"#;
        assert!(check_reply(foreign, "3").is_err());
    }

    #[test]
    fn extract_keeps_chosen_namespaces_with_their_declarations() {
        let reply = br#"<?xml version="1.0"?>
<rpc-reply message-id="5" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" xmlns:ca="urn:ca:one">
  <data>
    <ca:top><ca:leaf>1</ca:leaf><ca:list><ca:key>a</ca:key><ca:empty/></ca:list></ca:top>
    <other xmlns="urn:other"><x>2</x></other>
    <two xmlns="urn:ca:two"><y>3</y></two>
  </data>
</rpc-reply>"#;
        let all = extract_data(reply, "5", &[]).unwrap();
        // top, leaf, list, key, empty, other, x, two, y
        assert_eq!(
            all.size,
            DataSize {
                elements: 9,
                leaves: 5
            }
        );
        assert_eq!(all.kept, all.size);
        let some = extract_data(reply, "5", &["urn:ca:".to_string()]).unwrap();
        assert_eq!(some.size, all.size);
        assert_eq!(
            some.kept,
            DataSize {
                elements: 7,
                leaves: 4
            }
        );
        assert!(some.document.contains("xmlns:ca=\"urn:ca:one\""));
        assert!(some.document.contains("<ca:top><ca:leaf>1</ca:leaf>"));
        assert!(
            some.document
                .contains("<two xmlns=\"urn:ca:two\"><y>3</y></two>")
        );
        assert!(!some.document.contains("urn:other"));
        // The document reads back as data: wrap it as a reply and count again.
        let again = some
            .document
            .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
            .replacen("<config", "<rpc-reply message-id=\"1\"", 1)
            .replace("</config>", "</rpc-reply>")
            .replacen('>', "><data>", 1)
            .replace("</rpc-reply>", "</data></rpc-reply>");
        assert_eq!(
            extract_data(again.as_bytes(), "1", &[]).unwrap().size,
            some.kept
        );
    }
}
