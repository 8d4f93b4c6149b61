//! edit-config content against the schema: an arbitrary `<config>` element
//! is applied (merge, continue-on-error) to the default configuration's
//! element tree as the NETCONF server does, and what results is read back
//! through libyang into the typed configuration and validated. None of it
//! may panic. Needs `CHAIN_AGENT_YANG_PATH` (from `.deps/env.sh`).

#![no_main]

use chain_agent::config::{self, Config};
use chain_agent::netconf::datastore::data::{self, WithDefaults};
use chain_agent::netconf::datastore::edit::{self, ErrorOption, Operation};
use chain_agent::netconf::transport::xml::Element;
use chain_agent::netconf::yang::Schema;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct Fixture {
    schema: Schema,
    base: Vec<Element>,
}

// SAFETY: libFuzzer runs this target on one thread, so the libyang
// context and the elements are never touched from two threads at once.
unsafe impl Sync for Fixture {}
// SAFETY: as above, one thread only.
unsafe impl Send for Fixture {}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let schema = Schema::load(&[]).expect("the YANG modules load: source .deps/env.sh");
        let mut c = Config::default();
        config::normalise(&mut c);
        let tree = data::config_tree_for(&schema, &c, WithDefaults::Trim).expect("default tree");
        let xml = data::print(&tree, WithDefaults::Trim).expect("printed");
        let base = data::elements(&xml).expect("elements");
        drop(tree);
        Fixture { schema, base }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config_el) = Element::parse(text) else {
        return;
    };
    let f = fixture();
    let mut top = f.base.clone();
    let outcome = edit::apply(
        f.schema.context(),
        &mut top,
        &config_el.children,
        Operation::Merge,
        ErrorOption::ContinueOnError,
    );
    if outcome.changed {
        if let Ok(c) = data::config_from_elements(&f.schema, &top) {
            let _ = config::validate(&c);
        }
    }
});
