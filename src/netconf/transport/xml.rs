//! A small namespace-aware XML element tree for NETCONF messages.
//!
//! NETCONF clients prefix freely (`<nc:rpc>`, ncclient) or use default
//! namespaces (netconf-console2), and values such as identityrefs or XPath
//! `select` expressions carry prefixes that only mean something with the
//! declarations in scope. So each element keeps its resolved namespace and
//! the whole prefix scope it was read in, and the writer re-declares what a
//! detached subtree needs.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Prefix → namespace bindings in scope; `""` is the default namespace.
pub type Scope = Arc<BTreeMap<String, String>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    /// Empty for an unqualified attribute.
    pub ns: String,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub ns: String,
    pub name: String,
    pub attrs: Vec<Attr>,
    pub children: Vec<Element>,
    /// Character data directly inside the element (concatenated).
    pub text: String,
    pub scope: Scope,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum XmlError {
    #[error("not well-formed XML: {0}")]
    Syntax(String),
    #[error("undeclared namespace prefix '{0}'")]
    UnknownPrefix(String),
    #[error("no root element")]
    Empty,
    #[error("more than one root element")]
    TrailingContent,
    #[error("XML nested deeper than {0} elements")]
    TooDeep(usize),
}

/// The namespace the `xml` prefix is bound to by definition.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Deep enough for any YANG tree we serve, shallow enough that a hostile
/// message cannot exhaust the stack of the recursive walkers.
const MAX_DEPTH: usize = 128;

impl Element {
    pub fn new(ns: &str, name: &str) -> Element {
        Element {
            ns: ns.to_string(),
            name: name.to_string(),
            attrs: Vec::new(),
            children: Vec::new(),
            text: String::new(),
            scope: Arc::default(),
        }
    }

    pub fn with_text(mut self, text: impl Into<String>) -> Element {
        self.text = text.into();
        self
    }

    pub fn with_child(mut self, child: Element) -> Element {
        self.children.push(child);
        self
    }

    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    /// An attribute by namespace (`""` for unqualified) and local name.
    pub fn attr(&self, ns: &str, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns == ns && a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The element's text with surrounding whitespace removed.
    pub fn value(&self) -> &str {
        self.text.trim()
    }

    /// Parse one XML document into its root element.
    pub fn parse(input: &str) -> Result<Element, XmlError> {
        // XML 1.0 has no NUL character, and names and namespaces reach
        // libyang as C strings (a namespace with NUL panicked in yang5,
        // found by fuzzing edit-config).
        if input.contains('\0') {
            return Err(XmlError::Syntax(
                "the document contains a NUL character".into(),
            ));
        }
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        let top_scope: Scope = Arc::default();
        loop {
            let event = reader
                .read_event()
                .map_err(|e| XmlError::Syntax(e.to_string()))?;
            match event {
                Event::Start(_) | Event::Empty(_) if root.is_some() => {
                    return Err(XmlError::TrailingContent);
                }
                Event::Start(start) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(XmlError::TooDeep(MAX_DEPTH));
                    }
                    let parent = stack.last().map_or(&top_scope, |p| &p.scope);
                    stack.push(open(&start, parent)?);
                }
                Event::Empty(start) => {
                    let parent = stack.last().map_or(&top_scope, |p| &p.scope);
                    let element = open(&start, parent)?;
                    close(&mut stack, &mut root, element);
                }
                Event::End(_) => {
                    let element = stack
                        .pop()
                        .ok_or_else(|| XmlError::Syntax("unexpected end tag".into()))?;
                    close(&mut stack, &mut root, element);
                }
                Event::Text(t) => {
                    let text = t.xml10_content();
                    match stack.last_mut() {
                        Some(e) => e.text.push_str(&text),
                        None if text.trim().is_empty() => {}
                        None => return Err(XmlError::Syntax("text outside the root".into())),
                    }
                }
                Event::CData(c) => match stack.last_mut() {
                    Some(e) => e.text.push_str(&c),
                    None => return Err(XmlError::Syntax("CDATA outside the root".into())),
                },
                Event::GeneralRef(r) => {
                    let ch = match r.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => match &*r {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "quot" => '"',
                            "apos" => '\'',
                            other => {
                                return Err(XmlError::Syntax(format!("unknown entity &{other};")));
                            }
                        },
                        Err(e) => return Err(XmlError::Syntax(e.to_string())),
                    };
                    match stack.last_mut() {
                        Some(e) => e.text.push(ch),
                        None => return Err(XmlError::Syntax("reference outside the root".into())),
                    }
                }
                Event::DocType(_) => {
                    // No DTDs: they bring entity expansion, which NETCONF never needs.
                    return Err(XmlError::Syntax("a DOCTYPE is not allowed".into()));
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if !stack.is_empty() {
            return Err(XmlError::Syntax("unclosed element".into()));
        }
        root.ok_or(XmlError::Empty)
    }

    /// Serialise, declaring namespaces as needed. Prefix bindings of the
    /// element's scope that its text may use are declared too.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, "", &BTreeMap::new());
        out
    }

    /// Serialise as the child of an element whose default namespace is
    /// `parent_ns`, with `declared` prefixes already in scope.
    pub fn write(&self, out: &mut String, parent_ns: &str, declared: &BTreeMap<String, String>) {
        out.push('<');
        out.push_str(&self.name);
        if self.ns != parent_ns {
            let _ = write!(out, " xmlns=\"{}\"", escape(&self.ns));
        }
        let mut declared_here = declared.clone();
        for (prefix, ns) in self.scope.iter() {
            if prefix.is_empty() || declared.get(prefix) == Some(ns) {
                continue;
            }
            // Only prefixes the text can refer to: `prefix:` inside it.
            let used = self.text.contains(&format!("{prefix}:"))
                || self
                    .attrs
                    .iter()
                    .any(|a| a.value.contains(&format!("{prefix}:")));
            if used {
                let _ = write!(out, " xmlns:{prefix}=\"{}\"", escape(ns));
                declared_here.insert(prefix.clone(), ns.clone());
            }
        }
        for (i, a) in self.attrs.iter().enumerate() {
            if a.ns.is_empty() {
                let _ = write!(out, " {}=\"{}\"", a.name, escape_attr(&a.value));
            } else if a.ns == XML_NS {
                // Bound by definition; declaring it is an error.
                let _ = write!(out, " xml:{}=\"{}\"", a.name, escape_attr(&a.value));
            } else if let Some(p) = declared_here
                .iter()
                .find_map(|(p, ns)| (*ns == a.ns).then_some(p))
            {
                let _ = write!(out, " {p}:{}=\"{}\"", a.name, escape_attr(&a.value));
            } else if let Some(p) = self
                .scope
                .iter()
                .find_map(|(p, ns)| (!p.is_empty() && *ns == a.ns).then_some(p.clone()))
            {
                // The prefix the document used for it.
                let _ = write!(
                    out,
                    " xmlns:{p}=\"{}\" {p}:{}=\"{}\"",
                    escape(&a.ns),
                    a.name,
                    escape_attr(&a.value)
                );
                declared_here.insert(p, a.ns.clone());
            } else {
                // A prefix of its own, clashing with no prefix in scope
                // (a clash printed one attribute twice, found by fuzzing).
                let mut prefix = format!("a{i}");
                while declared_here.contains_key(&prefix) || self.scope.contains_key(&prefix) {
                    prefix.push('_');
                }
                let _ = write!(
                    out,
                    " xmlns:{prefix}=\"{}\" {prefix}:{}=\"{}\"",
                    escape(&a.ns),
                    a.name,
                    escape_attr(&a.value)
                );
            }
        }
        if self.children.is_empty() && self.text.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        out.push_str(&escape(&self.text));
        for c in &self.children {
            c.write(out, &self.ns, &declared_here);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}

fn close(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn split(qname: &str) -> (Option<&str>, &str) {
    match qname.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qname),
    }
}

/// A QName of XML Namespaces: a local part, optionally after one prefix,
/// neither empty (`p:` or `:x` as an attribute printed back differently,
/// found by fuzzing).
fn check_qname(name: &str) -> Result<(), XmlError> {
    let mut parts = name.split(':');
    let ok = match (parts.next(), parts.next(), parts.next()) {
        (Some(local), None, _) => is_ncname(local),
        (Some(prefix), Some(local), None) => is_ncname(prefix) && is_ncname(local),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(XmlError::Syntax(format!(
            "'{name}' is not a qualified name"
        )))
    }
}

/// An NCName: an XML 1.0 Name without a colon. quick-xml does not check
/// name characters, and a name holding `"` or `=` printed back as XML no
/// parser takes (found by fuzzing).
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// XML 1.0 (fifth edition) NameStartChar, less ':'.
fn is_name_start(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0 NameChar, less ':'.
fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

fn open(start: &BytesStart<'_>, parent: &Scope) -> Result<Element, XmlError> {
    let mut decls: Vec<(String, String)> = Vec::new();
    let mut raw_attrs: Vec<(String, String)> = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| XmlError::Syntax(e.to_string()))?;
        let key = a.key.as_ref().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| XmlError::Syntax(e.to_string()))?
            .into_owned();
        if key == "xmlns" {
            decls.push((String::new(), value));
        } else if let Some(p) = key.strip_prefix("xmlns:") {
            // A declared prefix is an NCName: no colon (`xmlns:a:b`
            // printed back as an attribute no parser takes, found by
            // fuzzing).
            if p.contains(':') {
                return Err(XmlError::Syntax(format!("'{p}' is not a namespace prefix")));
            }
            check_qname(p)?;
            decls.push((p.to_string(), value));
        } else {
            check_qname(&key)?;
            raw_attrs.push((key, value));
        }
    }
    let scope = if decls.is_empty() {
        parent.clone()
    } else {
        let mut s = (**parent).clone();
        s.extend(decls);
        Arc::new(s)
    };
    let qname = start.name().as_ref().to_string();
    check_qname(&qname)?;
    let (prefix, local) = split(&qname);
    let ns = match prefix {
        Some(p) => scope
            .get(p)
            .cloned()
            .ok_or_else(|| XmlError::UnknownPrefix(p.to_string()))?,
        None => scope.get("").cloned().unwrap_or_default(),
    };
    let mut attrs = Vec::with_capacity(raw_attrs.len());
    for (key, value) in raw_attrs {
        let (prefix, local) = split(&key);
        let ns = match prefix {
            // xml:lang and friends are bound by definition.
            Some("xml") => XML_NS.to_string(),
            Some(p) => scope
                .get(p)
                .cloned()
                .ok_or_else(|| XmlError::UnknownPrefix(p.to_string()))?,
            None => String::new(),
        };
        attrs.push(Attr {
            ns,
            name: local.to_string(),
            value,
        });
    }
    Ok(Element {
        ns,
        name: local.to_string(),
        attrs,
        children: Vec::new(),
        text: String::new(),
        scope,
    })
}

/// Escape text and attribute values.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// An attribute value: escaped as text, and tab, newline and carriage
/// return as character references, which a parser's attribute-value
/// normalisation would otherwise turn into spaces (found by fuzzing).
pub fn escape_attr(s: &str) -> std::borrow::Cow<'_, str> {
    let e = escape(s);
    if !e.contains(['\t', '\n', '\r']) {
        return e;
    }
    e.replace('\t', "&#x9;")
        .replace('\n', "&#xA;")
        .replace('\r', "&#xD;")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NC: &str = "urn:ietf:params:xml:ns:netconf:base:1.0";

    /// Fuzzing regression: a newline given as a character reference in
    /// an attribute value was printed raw, and read back as a space.
    #[test]
    fn attribute_whitespace_survives_printing() {
        let e = Element::parse("<a b='x&#xA;y&#x9;z&#xD;'/>").unwrap();
        assert_eq!(e.attrs[0].value, "x\ny\tz\r");
        let again = Element::parse(&e.to_xml()).unwrap();
        assert_eq!(again.attrs[0].value, "x\ny\tz\r");
    }

    /// Fuzzing regression: an attribute `p:` (no local part) was taken,
    /// and printed back under another prefix.
    #[test]
    fn names_without_a_local_part_or_prefix_are_refused() {
        for doc in [
            "<a xmlns:p='urn:p' p:='1'/>",
            "<a :x='1'/>",
            "<p:/>",
            "<a xmlns:='urn:p'/>",
            "<a b:c:d='1' xmlns:b='urn:b'/>",
            "<a xmlns:b:c='urn:b' b:c:x='1'/>",
            "<a xmlns:g\"='6'/>",
            "<a b\"c='1'/>",
            "<1a/>",
        ] {
            assert!(
                matches!(Element::parse(doc), Err(XmlError::Syntax(_))),
                "{doc} was accepted"
            );
        }
        assert!(Element::parse("<p:a xmlns:p='urn:p' p:b='1'/>").is_ok());
        assert!(Element::parse("<é.b-1 xmlns='urn:x' _c='1'/>").is_ok());
    }

    /// Fuzzing regression: an `xml:` attribute was printed with a
    /// declaration of the XML namespace, and an attribute's prefix could
    /// clash with a prefix in scope: the output declared it twice.
    #[test]
    fn namespaced_attributes_print_as_well_formed_xml_that_reads_back() {
        for doc in [
            "<rpc xml:lang='en'>a0:x</rpc>",
            "<r xmlns:a0='urn:one' xmlns:q='urn:two' q:k='v'>a0:text</r>",
        ] {
            let once = Element::parse(doc).unwrap().to_xml();
            let twice = Element::parse(&once)
                .expect("printed XML reads back")
                .to_xml();
            assert_eq!(once, twice, "{doc}");
        }
        let e = Element::parse("<rpc xml:lang='en'/>").unwrap();
        assert_eq!(e.to_xml(), "<rpc xml:lang=\"en\"/>");
    }

    /// Fuzzing regression: a NUL in a namespace reached libyang, whose
    /// binding panics on it; XML has no NUL, so the parser refuses it.
    #[test]
    fn a_nul_character_is_refused() {
        let doc = "<config xmlns=\"urn:a\u{1}\0b\"><x/></config>";
        assert!(matches!(Element::parse(doc), Err(XmlError::Syntax(_))));
    }

    #[test]
    fn prefixed_and_default_namespaces_resolve_alike() {
        let a = Element::parse(&format!(
            r#"<nc:rpc xmlns:nc="{NC}" message-id="1"><nc:get/></nc:rpc>"#
        ))
        .unwrap();
        let b =
            Element::parse(&format!(r#"<rpc xmlns="{NC}" message-id="1"><get/></rpc>"#)).unwrap();
        assert!(a.is(NC, "rpc") && b.is(NC, "rpc"));
        assert!(a.child(NC, "get").is_some() && b.child(NC, "get").is_some());
        assert_eq!(a.attr("", "message-id"), Some("1"));
    }

    #[test]
    fn entities_and_char_refs_are_decoded() {
        let e = Element::parse("<a>x &lt; y &amp;&#x41;&#66;</a>").unwrap();
        assert_eq!(e.text, "x < y &AB");
    }

    #[test]
    fn bad_documents_are_refused() {
        assert!(matches!(
            Element::parse("<a><b></a>"),
            Err(XmlError::Syntax(_))
        ));
        assert!(matches!(
            Element::parse("<p:a/>"),
            Err(XmlError::UnknownPrefix(_))
        ));
        assert!(matches!(Element::parse(""), Err(XmlError::Empty)));
        assert!(matches!(
            Element::parse("<a/><b/>"),
            Err(XmlError::TrailingContent)
        ));
        assert!(Element::parse("<!DOCTYPE a [<!ENTITY x 'y'>]><a/>").is_err());
        let deep = "<a>".repeat(200) + &"</a>".repeat(200);
        assert_eq!(Element::parse(&deep), Err(XmlError::TooDeep(MAX_DEPTH)));
    }

    #[test]
    fn detached_subtree_keeps_prefixes_its_text_uses() {
        let doc =
            r#"<config xmlns:al="urn:al" xmlns:x="urn:x"><t xmlns="urn:t">al:cpu</t></config>"#;
        let e = Element::parse(doc).unwrap();
        let t = &e.children[0];
        let out = t.to_xml();
        assert_eq!(out, r#"<t xmlns="urn:t" xmlns:al="urn:al">al:cpu</t>"#);
        let back = Element::parse(&out).unwrap();
        assert_eq!(back.scope.get("al").map(String::as_str), Some("urn:al"));
    }

    #[test]
    fn qualified_attributes_round_trip() {
        let doc =
            format!(r#"<a xmlns="urn:a" xmlns:nc="{NC}"><b nc:operation="delete">v&amp;</b></a>"#);
        let e = Element::parse(&doc).unwrap();
        assert_eq!(e.children[0].attr(NC, "operation"), Some("delete"));
        let back = Element::parse(&e.to_xml()).unwrap();
        assert_eq!(back.children[0].attr(NC, "operation"), Some("delete"));
        assert_eq!(back.children[0].text, "v&");
    }
}
