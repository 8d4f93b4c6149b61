//! NACM data paths as the NETCONF server uses them: the grammar lives in
//! [`crate::config::nacm_path`]; here XML elements become nodes a path can
//! cover.

pub use crate::config::nacm_path::*;

use crate::netconf::transport::xml::Element;

impl NodeView for Element {
    fn ns(&self) -> &str {
        &self.ns
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.name == name && c.ns == self.ns)
            .map(Element::value)
    }
}

impl NodeView for &Element {
    fn ns(&self) -> &str {
        &self.ns
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn key(&self, name: &str) -> Option<&str> {
        (*self).key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(p: &str) -> Option<String> {
        match p {
            "m" | "n" => Some(format!("urn:{p}")),
            _ => None,
        }
    }

    fn el(xml: &str) -> Element {
        Element::parse(xml).unwrap()
    }

    #[test]
    fn a_path_covers_its_node_and_what_is_below() {
        let top = el("<a xmlns='urn:m'><b><id>x</id><c>1</c></b></a>");
        let b = &top.children[0];
        let c = &b.children[1];
        let p = parse("/m:a/b[id='x']", ns).unwrap();
        assert!(covers(&p, &[&top, b]));
        assert!(covers(&p, &[&top, b, c]));
        assert!(!covers(&p, &[&top]));
        assert!(leads_to(&p, &[&top]));
        let other = parse("/m:a/b[id='y']", ns).unwrap();
        assert!(!covers(&other, &[&top, b, c]));
        let wild = parse("/m:a/b", ns).unwrap();
        assert!(covers(&wild, &[&top, b]));
        let foreign = parse("/n:a", ns).unwrap();
        assert!(!covers(&foreign, &[&top]));
        assert!(covers(&parse("/", ns).unwrap(), &[&top]));
    }
}
