//! Subtree filtering (RFC 6241 section 6) on element trees.

use crate::netconf::transport::xml::Element;

/// The parts of `data` (top-level nodes) that `filter` (the children of
/// `<filter type="subtree">`) selects.
pub fn filter(data: &[Element], filter: &[Element]) -> Vec<Element> {
    let mut out = Vec::new();
    for d in data {
        if let Some(kept) = select_any(d, filter) {
            out.push(kept);
        }
    }
    out
}

/// A filter node without a namespace matches a node of any namespace
/// (section 6.2.1).
fn same_node(d: &Element, f: &Element) -> bool {
    d.name == f.name && (f.ns.is_empty() || f.ns == d.ns)
}

fn is_content_match(f: &Element) -> bool {
    f.children.is_empty() && !f.value().is_empty()
}

/// Attribute match expressions (section 6.2.2): every unqualified attribute
/// of the filter node must be on the data node with the same value.
fn attributes_match(d: &Element, f: &Element) -> bool {
    f.attrs
        .iter()
        .filter(|a| !a.ns.is_empty() || a.name != "type")
        .all(|a| d.attr(&a.ns, &a.name) == Some(a.value.as_str()))
}

/// What a selection keeps of one data node: all of it, or some of its
/// children (by position, each kept whole or in part). Selections are
/// kept as masks over the data, not as copies, so that two filter nodes
/// selecting parts of the same data node give that node once, with the
/// union of the parts (copies merged afterwards held the same child twice,
/// found by fuzzing).
#[derive(Debug, Clone)]
enum Keep {
    All,
    Some(Vec<Option<Keep>>),
}

impl Keep {
    fn union(self, other: Keep) -> Keep {
        match (self, other) {
            (Keep::Some(a), Keep::Some(b)) => Keep::Some(
                a.into_iter()
                    .zip(b)
                    .map(|(x, y)| match (x, y) {
                        (Some(x), Some(y)) => Some(x.union(y)),
                        (x, y) => x.or(y),
                    })
                    .collect(),
            ),
            _ => Keep::All,
        }
    }
}

/// The copy of `d` that `keep` describes.
fn build(d: &Element, keep: &Keep) -> Element {
    match keep {
        Keep::All => d.clone(),
        Keep::Some(children) => {
            let mut kept = Element::new(&d.ns, &d.name);
            kept.attrs = d.attrs.clone();
            kept.scope = d.scope.clone();
            kept.children = d
                .children
                .iter()
                .zip(children)
                .filter_map(|(c, k)| k.as_ref().map(|k| build(c, k)))
                .collect();
            kept
        }
    }
}

fn select_any(d: &Element, filters: &[Element]) -> Option<Element> {
    select_any_keep(d, filters).map(|k| build(d, &k))
}

fn select_any_keep(d: &Element, filters: &[Element]) -> Option<Keep> {
    filters
        .iter()
        .filter(|f| same_node(d, f))
        .filter_map(|f| select(d, f))
        .reduce(Keep::union)
}

fn select(d: &Element, f: &Element) -> Option<Keep> {
    if !attributes_match(d, f) {
        return None;
    }
    if f.children.is_empty() {
        if f.value().is_empty() || d.value() == f.value() {
            return Some(Keep::All);
        }
        return None;
    }
    let (content, others): (Vec<&Element>, Vec<&Element>) =
        f.children.iter().partition(|c| is_content_match(c));
    for cm in &content {
        let hit = d
            .children
            .iter()
            .any(|c| same_node(c, cm) && c.value() == cm.value());
        if !hit {
            return None;
        }
    }
    if others.is_empty() {
        // Only content match nodes: the whole entry is selected.
        return Some(Keep::All);
    }
    let others: Vec<Element> = others.into_iter().cloned().collect();
    let mut selected_any = false;
    let children = d
        .children
        .iter()
        .map(|c| {
            if content.iter().any(|cm| same_node(c, cm)) {
                return Some(Keep::All);
            }
            let k = select_any_keep(c, &others);
            selected_any |= k.is_some();
            k
        })
        .collect();
    if !selected_any && content.is_empty() {
        return None;
    }
    Some(Keep::Some(children))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Vec<Element> {
        Element::parse(&format!("<r xmlns='urn:t'>{s}</r>"))
            .unwrap()
            .children
    }

    fn show(v: &[Element]) -> String {
        v.iter().map(|e| e.to_xml()).collect()
    }

    const DATA: &str = "<users><user><name>root</name><type>superuser</type><full-name>Charlie Root</full-name></user>\
        <user><name>fred</name><type>admin</type><full-name>Fred Flintstone</full-name></user></users><other>x</other>";

    /// Fuzzing regression: two filter nodes selecting different parts of
    /// one data node gave that node's child twice.
    #[test]
    fn two_selections_of_one_node_give_it_once_with_both_parts() {
        let data = parse("<top><a><b><p>1</p><q>2</q></b></a></top>");
        let f = parse("<top><a><b><p/></b></a><a><b><q/></b></a></top>");
        assert_eq!(
            show(&filter(&data, &f)),
            "<top xmlns=\"urn:t\"><a><b><p>1</p><q>2</q></b></a></top>"
        );
        let f = parse("<top><a><b><p/></b></a></top><top><a/></top>");
        assert_eq!(show(&filter(&data, &f)), show(&data));
    }

    #[test]
    fn selection_node_selects_the_subtree() {
        let got = filter(&parse(DATA), &parse("<users/>"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].children.len(), 2);
    }

    #[test]
    fn content_match_selects_one_entry_with_siblings() {
        // RFC 6241 6.4.5-like: one user, all its fields.
        let got = filter(
            &parse(DATA),
            &parse("<users><user><name>fred</name></user></users>"),
        );
        let s = show(&got);
        assert!(
            s.contains("Fred Flintstone") && !s.contains("Charlie"),
            "{s}"
        );
    }

    #[test]
    fn content_match_with_selection_keeps_only_selected_fields() {
        let got = filter(
            &parse(DATA),
            &parse("<users><user><name>fred</name><type/></user></users>"),
        );
        let s = show(&got);
        assert!(
            s.contains("<type>admin</type>") && s.contains("<name>fred</name>"),
            "{s}"
        );
        assert!(!s.contains("full-name"), "{s}");
    }

    #[test]
    fn no_match_selects_nothing() {
        assert!(
            filter(
                &parse(DATA),
                &parse("<users><user><name>nobody</name></user></users>")
            )
            .is_empty()
        );
        assert!(filter(&parse(DATA), &parse("<nothing/>")).is_empty());
    }

    #[test]
    fn namespaces_must_match_when_given() {
        let f = Element::parse("<r><users xmlns='urn:other'/></r>")
            .unwrap()
            .children;
        assert!(filter(&parse(DATA), &f).is_empty());
        let f = Element::parse("<r><users/></r>").unwrap().children;
        assert_eq!(filter(&parse(DATA), &f).len(), 1);
    }
}
