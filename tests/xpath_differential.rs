//! The agent's bounded XPath evaluator against libyang's, on the real
//! schema and a full data tree (configuration and the simulated chain's
//! state): for each expression both must select the same nodes in the
//! same order, or both refuse it. libyang is the oracle here only.

mod yang_fixture;

use chain_agent::netconf::datastore::data::full_tree;
use chain_agent::netconf::xpath::{Budget, XPathError, evaluate_bounded};
use yang_fixture::*;
use yang5::data::Data;

const N: &str = "chain-agent-nodes";
const S: &str = "chain-agent-system";

fn expressions() -> Vec<String> {
    let raw = [
        // Paths, absolute and relative, with and without module names.
        "/",
        "/*",
        "//*",
        "/N:chains",
        "/N:chains/chain",
        "/N:chains/N:chain/N:nodes/N:node",
        "/N:chains/chain/nodes/node/id",
        "//node",
        "//N:node",
        "//chain/id",
        "/chains",
        "/chains/chain/name",
        "/S:*",
        "/N:*/*",
        "//chain-agent-consensus:*",
        "//chain-agent-consensus:validator/id",
        "/ietf-alarms:alarms//alarm",
        "/ietf-netconf-acm:nacm/rule-list/rule/name",
        "id",
        "*",
        ".",
        "..",
        "./*",
        // Predicates on values, keys and positions.
        "//node[id='besu-1']",
        "/N:chains/chain[id='lab']/nodes/node[admin-state='up']/id",
        "//record[level='warning']",
        "//record[level='error']",
        "/chain-agent-logs:logs/recent/record[id=3]",
        "/chain-agent-logs:logs/recent/record[id > 25]/id",
        "//record[id >= 10 and id < 13]",
        "//record[id = 1 or id = 30]/message",
        "//record[3]",
        "//record[last()]",
        "//record[position() > 28]",
        "//record[position() = last() - 1]/id",
        "/N:chains/chain[2]/nodes/node[1]",
        "(//record)[3]",
        "(//node)[last()]/id",
        "//validator[active='true'][2]",
        "//validator[voting-power = 1][proposed-blocks > 1]/id",
        "//node[not(role)]",
        "//node[role and admin-state]",
        "//chain[count(nodes/node) > 3]/id",
        "//chain[nodes/node/id = 'besu-2']/name",
        "//node[id != 'besu-1']",
        "//interface[mtu < 2000]/name",
        "//interface[speed-mbps >= 1000]",
        "//*[name() = 'chain-agent-nodes:chain']/id",
        "//*[local-name() = 'record'][1]",
        "//*[namespace-uri() = 'urn:chain-agent:yang:chain-agent-logs']",
        // Axes.
        "//node/parent::*",
        "//node/ancestor::*",
        "//record[3]/ancestor-or-self::*",
        "//record[3]/following-sibling::record",
        "//record[3]/preceding-sibling::record",
        "//record[3]/preceding-sibling::record[1]",
        "//record[3]/preceding-sibling::*[2]/id",
        "//record[5]/ancestor::*[1]",
        "//record[28]/following::*",
        "//validator[2]/preceding::id",
        "//validator[2]/preceding::*[3]",
        "//node/self::node",
        "//node/descendant::*",
        "//node/descendant-or-self::node()",
        "/N:chains/child::chain/child::id",
        "//alarm/@*",
        // Functions of the core library.
        "//record[starts-with(message, 'fault injected')]/id",
        "//record[contains(message, 'node-2')]",
        "//node[substring(id, 1, 4) = 'besu']",
        "//node[substring-before(id, '-') = 'node']",
        "//node[substring-after(id, '-') = '2']",
        "//node[string-length(id) > 6]",
        "//node[concat(id, '/', admin-state) = 'besu-1/up']",
        "//node[translate(id, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') = 'BESU-3']",
        "//node[normalize-space(concat('  ', id, '  ')) = id]",
        "//record[floor(id div 10) = 2]/id",
        "//record[ceiling(id div 10) = 1]/id",
        "//record[round(id div 4) = 2]/id",
        "//record[id mod 7 = 0]/id",
        "//record[-id < -28]/id",
        "//record[number(id) * 2 = 20]",
        "//*[sum(voting-power) > 2]",
        "//consensus[sum(validator/voting-power) >= 5]",
        "//record[boolean(source)]/id",
        "//record[string(id) = '7']",
        "//*[true()][false()]",
        "//record[id = '4.0']",
        "//record[id = 4.0]",
        "//alarm[is-cleared = 'false']/resource",
        "//alarm[is-cleared = false()]/resource",
        "//alarm[perceived-severity = 'major' or perceived-severity = 'critical']",
        // Node-set comparisons.
        "//chain[nodes/node/id = ../chain/nodes/node/id]/id",
        "//validator[id = //node/id]/id",
        "//validator[address != //node/id]",
        "//record[id < //validator/proposed-blocks]/id",
        "//record[id > //validator/missed-rounds]/id",
        // Unions.
        "//node/id | //validator/id",
        "/N:chains | /S:agent | /N:chains",
        "(//record[1] | //record[2])/id",
        "//record[id = 2] | //record[id = 1]",
        // YANG 1.1 functions.
        "//alarm[derived-from(alarm-type-id, 'ietf-alarms:alarm-type-id')]",
        "//alarm[derived-from(alarm-type-id, 'chain-agent-alarms:chain-agent-alarm')]/resource",
        "//alarm[derived-from-or-self(alarm-type-id, 'chain-agent-alarms:cross-chain-timeout')]",
        "//alarm[derived-from(alarm-type-id, 'chain-agent-alarms:cross-chain-timeout')]",
        "//alarm-type[derived-from-or-self(alarm-type-id, 'chain-agent-alarms:node-unreachable')]",
        "//alarm[enum-value(perceived-severity) = 4]",
        "//alarm[enum-value(perceived-severity) > 3]/resource",
        "//record[re-match(message, '.*node-[0-9].*')]/id",
        "//node[re-match(id, 'besu-[12]')]",
        "//rule[current()/nacm]",
        "current()",
        // Literals against typed leaves.
        "//record[id='01']",
        "//record[id=' 1']",
        "//record[id='+1']",
        "//alarm[alarm-type-id='chain-agent-alarms:cross-chain-timeout']/resource",
        "//alarm[alarm-type-id='cross-chain-timeout']",
        "//validator[active='1']",
        "//validator[active=true()]",
        "//node[admin-state='up ']",
        "//interface[mtu='1500.0']",
        "//interface[mtu != '01500']/name",
        "//performance[memory-percent >= '0']",
        "//validator[voting-power = '0001']/id",
        "//validator[active = 'TRUE']",
        "//alarm[perceived-severity != 'major']/resource",
        // Errors on both sides.
        "//record[",
        "count(//*)",
        "/nosuchmodule:chains",
    ];
    raw.iter()
        .map(|e| {
            e.replace("/N:", &format!("/{N}:"))
                .replace("/S:", &format!("/{S}:"))
        })
        .collect()
}

fn libyang<'a>(tree: &'a yang5::data::DataTree<'a>, e: &str) -> Result<Vec<String>, String> {
    tree.find_xpath(e)
        .map(|s| s.map(|n| n.path()).collect())
        .map_err(|err| err.to_string())
}

fn ours<'a>(tree: &'a yang5::data::DataTree<'a>, e: &str) -> Result<Vec<String>, XPathError> {
    let mut budget = Budget::new(10_000_000, None, None);
    evaluate_bounded(tree, e, &mut budget).map(|v| v.iter().map(|n| n.path()).collect())
}

#[test]
fn same_nodes_as_libyang() {
    let (config, snapshot) = full_snapshot();
    let tree = full_tree(schema(), &config, &snapshot).expect("tree");
    let mut differences = Vec::new();
    let mut selected = 0;
    for e in expressions() {
        let theirs = libyang(&tree, &e);
        let mine = ours(&tree, &e);
        match (&theirs, &mine) {
            (Ok(a), Ok(b)) if a == b => selected += usize::from(!a.is_empty()),
            (Err(_), Err(_)) => {}
            _ => differences.push(format!("{e}\n  libyang: {theirs:?}\n  ours:    {mine:?}")),
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // The list would prove little if most expressions selected nothing.
    assert!(selected > 90, "only {selected} expressions select anything");
}

/// Where libyang departs from XPath 1.0 the evaluator keeps to the
/// standard: a position in a step's predicate counts among the children
/// of each parent (libyang numbers `//node[2]` across the whole
/// document), and `text()` of a leaf stands for the leaf (libyang drops
/// text nodes from a result).
#[test]
fn standard_where_libyang_is_not() {
    let (config, snapshot) = full_snapshot();
    let tree = full_tree(schema(), &config, &snapshot).expect("tree");
    let second: Vec<String> = ours(&tree, "//node[2]").unwrap();
    let per_parent: Vec<String> = ours(&tree, "//*[node][count(node) >= 2]/node[2]").unwrap();
    assert!(second.len() > 1, "{second:?}");
    assert_eq!(second, per_parent);
    assert_eq!(
        libyang(&tree, "//node[2]").unwrap(),
        ours(&tree, "(//node)[2]").unwrap()
    );
    assert_eq!(
        ours(&tree, "//record/id/text()").unwrap(),
        ours(&tree, "//record/id").unwrap()
    );
}
