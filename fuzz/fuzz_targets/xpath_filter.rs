//! XPath filter evaluation under its step bound: an arbitrary expression
//! (module names as prefixes, as the server hands them over) is evaluated
//! over the full `<get>` tree of the simulated chain (configuration and
//! state) by the agent's own evaluator. It never panics, and it stops
//! within the bound: the steps spent stay at the limit (plus one charge),
//! and a run that took libFuzzer's `-timeout` would be reported as a hang.
//! Needs `CHAIN_AGENT_YANG_PATH` (from `.deps/env.sh`).

#![no_main]

use chain_agent::config::{self, Config};
use chain_agent::core::runtime::snapshot_once;
use chain_agent::netconf::datastore::data::full_tree;
use chain_agent::netconf::xpath::{Budget, evaluate_bounded};
use chain_agent::netconf::yang::Schema;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use yang5::data::DataTree;

/// Small enough that every input ends quickly, large enough for real
/// filters on this tree (a few thousand nodes).
const MAX_STEPS: u64 = 200_000;
/// The largest single charge: string work is paid after the string is
/// made, one step per 64 characters, and the string-value of the root is
/// the whole tree's text (a few hundred KiB here; an overshoot of 3249
/// steps is what the campaign found).
const SLACK: u64 = 50_000;

struct Fixture {
    tree: DataTree<'static>,
}

// SAFETY: libFuzzer runs this target on one thread, so the libyang tree is
// never touched from two threads at once.
unsafe impl Sync for Fixture {}
// SAFETY: as above, one thread only.
unsafe impl Send for Fixture {}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let schema: &'static Schema = Box::leak(Box::new(
            Schema::load(&[]).expect("the YANG modules load: source .deps/env.sh"),
        ));
        let mut c = Config::default();
        config::normalise(&mut c);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let snapshot = rt.block_on(snapshot_once(c.clone())).expect("snapshot");
        let tree = full_tree(schema, &c, &snapshot).expect("the full tree");
        Fixture { tree }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixture();
    let mut budget = Budget::new(MAX_STEPS, None, None);
    let _ = evaluate_bounded(&f.tree, expr, &mut budget);
    assert!(
        budget.used() <= MAX_STEPS + SLACK,
        "{} steps spent past a bound of {MAX_STEPS}",
        budget.used()
    );
});
