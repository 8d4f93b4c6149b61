//! Contract monitoring against a real anvil node: a contract compiled at
//! test time with solc-js, deployed and called through anvil's unlocked
//! accounts, then read back by `ContractMonitor` through the library API
//! and by the agent itself (`chain-agent snapshot --json --config`).

mod common;

use chain_agent::collect::ethereum::contracts::ContractMonitor;
use chain_agent::collect::transport::{HttpEndpoint, JsonRpc};
use chain_agent::config::ContractConfig;
use chain_agent::model::contract::{ContractExecution, ContractState, ExecutionStatus};
use serde_json::{Value, json};
use sha3::{Digest, Keccak256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `Owned` is a minimal multisig-like contract: owners fixed at deployment
/// and a setter that reverts on zero. `Relay` calls it from another
/// contract, so the call is internal and visible only through `Owned`'s
/// logs.
const SOURCE: &str = r#"
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Owned {
    address[] private owners;
    uint256 public value;

    event ValueSet(address indexed by, uint256 value);

    constructor(address first, address second) {
        owners.push(first);
        owners.push(second);
    }

    function getOwners() external view returns (address[] memory) {
        return owners;
    }

    function setValue(uint256 v) external {
        require(v != 0, "zero");
        value = v;
        emit ValueSet(msg.sender, v);
    }
}

contract Relay {
    function relay(Owned target, uint256 v) external {
        target.setValue(v);
    }
}
"#;

/// A tool from `bash tools/setup`: on PATH after `source .deps/env.sh`, or
/// in the checkout's .deps directly.
fn tool(name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".deps/npm/node_modules/.bin")
        .join(name);
    assert!(
        local.exists(),
        "{name} not found on PATH nor in .deps: run `bash tools/setup` and `source .deps/env.sh`"
    );
    local
}

struct Compiled {
    owned: String,
    relay: String,
}

/// Compiles SOURCE with solc-js's standard-JSON interface.
fn compile() -> Compiled {
    let input = json!({
        "language": "Solidity",
        "sources": {"Owned.sol": {"content": SOURCE}},
        "settings": {"outputSelection": {"*": {"*": ["evm.bytecode.object"]}}}
    });
    let mut child = Command::new(tool("solcjs"))
        .arg("--standard-json")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("solcjs starts (install with `bash tools/setup`)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write solc input");
    let out = child.wait_with_output().expect("solcjs runs");
    assert!(out.status.success(), "solcjs failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    // solc-js prints a notice about SMT solvers before the JSON.
    let json_start = text.find('{').expect("solcjs printed JSON");
    let output: Value = serde_json::from_str(&text[json_start..]).expect("solcjs JSON");
    let errors: Vec<&Value> = output["errors"]
        .as_array()
        .map(|e| e.iter().filter(|e| e["severity"] == "error").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "compilation errors: {errors:?}");
    let bytecode = |name: &str| {
        output["contracts"]["Owned.sol"][name]["evm"]["bytecode"]["object"]
            .as_str()
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| panic!("no bytecode for {name}: {output}"))
            .to_string()
    };
    Compiled {
        owned: bytecode("Owned"),
        relay: bytecode("Relay"),
    }
}

/// anvil on a free loopback port, killed when dropped (also on panic).
struct Anvil {
    child: Child,
    port: u16,
}

impl Anvil {
    fn start() -> Anvil {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(tool("anvil"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil starts (install with `bash tools/setup`)");
        Anvil { child, port }
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keccak(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

fn hex_of(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// An ABI word holding an address.
fn address_word(address: &str) -> String {
    format!(
        "{:0>64}",
        address.trim_start_matches("0x").to_ascii_lowercase()
    )
}

fn uint_word(v: u64) -> String {
    format!("{v:064x}")
}

fn quantity(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().expect("quantity").trim_start_matches("0x"), 16)
        .expect("hex quantity")
}

async fn wait_ready(rpc: &JsonRpc) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match rpc.call("eth_blockNumber", json!([])).await {
            Ok(_) => return,
            Err(e) if Instant::now() > deadline => panic!("anvil never answered: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Sends a transaction from an unlocked account and returns its receipt;
/// anvil mines each transaction into its own block at once.
async fn send(rpc: &JsonRpc, tx: Value) -> Value {
    let hash = rpc
        .call("eth_sendTransaction", json!([tx]))
        .await
        .expect("eth_sendTransaction");
    for _ in 0..100 {
        let receipt = rpc
            .call("eth_getTransactionReceipt", json!([hash]))
            .await
            .expect("receipt");
        if !receipt.is_null() {
            return receipt;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("transaction {hash} never mined");
}

/// Deploys the `Owned` contract from `deployer` with its two owners;
/// returns the receipt and the contract's address in lower case.
async fn deploy_owned(
    rpc: &JsonRpc,
    compiled: &Compiled,
    deployer: &str,
    owners: (&str, &str),
) -> (Value, String) {
    let deploy = send(
        rpc,
        json!({
            "from": deployer,
            "data": format!("0x{}{}{}", compiled.owned, address_word(owners.0), address_word(owners.1)),
        }),
    )
    .await;
    let address = deploy["contractAddress"]
        .as_str()
        .expect("contractAddress")
        .to_ascii_lowercase();
    (deploy, address)
}

async fn head(rpc: &JsonRpc) -> u64 {
    quantity(&rpc.call("eth_blockNumber", json!([])).await.expect("head"))
}

/// anvil started and answering, a JSON-RPC client to it, and its
/// unlocked accounts in lower case.
async fn started() -> (Anvil, JsonRpc, Vec<String>) {
    let anvil = Anvil::start();
    let rpc = JsonRpc::new(
        HttpEndpoint::new(
            &format!("127.0.0.1:{}", anvil.port),
            None,
            None,
            Duration::from_secs(10),
        )
        .expect("endpoint"),
    );
    wait_ready(&rpc).await;
    let accounts: Vec<String> = rpc
        .call("eth_accounts", json!([]))
        .await
        .expect("eth_accounts")
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a.as_str().expect("account").to_ascii_lowercase())
        .collect();
    (anvil, rpc, accounts)
}

fn by_tx<'a>(executions: &'a [ContractExecution], tx: &Value) -> &'a ContractExecution {
    let tx = tx.as_str().expect("tx hash");
    executions
        .iter()
        .find(|e| e.tx.eq_ignore_ascii_case(tx))
        .unwrap_or_else(|| panic!("no execution for {tx} in {executions:#?}"))
}

#[tokio::test]
async fn monitors_a_contract_on_anvil() {
    let compiled = compile();
    let (_anvil, rpc, accounts) = started().await;
    assert!(accounts.len() >= 4, "anvil has unlocked accounts");
    let (deployer, owner1, owner2, relayer) =
        (&accounts[0], &accounts[1], &accounts[2], &accounts[3]);

    // Some empty blocks first, so that the deployment is not at height 1
    // and the binary search has work to do.
    rpc.call("anvil_mine", json!(["0x5"]))
        .await
        .expect("anvil_mine");

    let (deploy, address) = deploy_owned(&rpc, &compiled, deployer, (owner1, owner2)).await;
    assert_eq!(deploy["status"], "0x1", "deployment succeeded: {deploy}");
    let deploy_height = quantity(&deploy["blockNumber"]);
    assert!(deploy_height > 5);

    let set_value = hex_of(&keccak(b"setValue(uint256)")[..4]);
    let ok = send(
        &rpc,
        json!({"from": owner1, "to": address, "data": format!("{set_value}{}", uint_word(7))}),
    )
    .await;
    assert_eq!(ok["status"], "0x1");
    // An explicit gas limit: anvil would otherwise refuse the call at
    // estimation instead of mining the revert.
    let reverted = send(
        &rpc,
        json!({"from": owner2, "to": address, "gas": "0x30000",
               "data": format!("{set_value}{}", uint_word(0))}),
    )
    .await;
    assert_eq!(reverted["status"], "0x0", "mined as reverted: {reverted}");

    // The operator's spelling of the address (checksummed or not) must not
    // matter, nor a signatory also returned by the contract.
    let mut contracts = BTreeMap::new();
    contracts.insert(
        address.to_ascii_uppercase().replacen("0X", "0x", 1),
        ContractConfig {
            name: "owned".into(),
            signatories: vec![owner1.to_ascii_uppercase().replacen("0X", "0x", 1)],
            owners_from_contract: true,
        },
    );
    let mut monitor = ContractMonitor::new("anvil", &contracts);

    let (found, executions) = monitor
        .collect(&rpc, head(&rpc).await)
        .await
        .expect("first collect");
    assert_eq!(found.len(), 1);
    let contract = &found[0];
    let code = rpc
        .call("eth_getCode", json!([address, "latest"]))
        .await
        .expect("eth_getCode");
    let code = hex::decode(code.as_str().expect("code").trim_start_matches("0x")).expect("hex");
    assert!(!code.is_empty());
    assert_eq!(contract.code_hash, hex_of(&keccak(&code)));
    assert_eq!(contract.name, "owned");
    assert_eq!(contract.state, ContractState::Active);
    assert_eq!(&contract.deployer, deployer);
    assert_eq!(contract.deploy_height, deploy_height);
    let deploy_block = rpc
        .call(
            "eth_getBlockByNumber",
            json!([deploy["blockNumber"], false]),
        )
        .await
        .expect("deploy block");
    assert_eq!(
        contract.deployed_at,
        quantity(&deploy_block["timestamp"]) * 1000
    );
    let signatories: Vec<&str> = contract
        .signatories
        .iter()
        .map(|s| s.address.as_str())
        .collect();
    assert_eq!(signatories, vec![owner1.as_str(), owner2.as_str()]);

    assert_eq!(executions.len(), 2, "{executions:#?}");
    let success = by_tx(&executions, &ok["transactionHash"]);
    assert_eq!(success.status, ExecutionStatus::Success);
    assert_eq!(&success.caller, owner1);
    assert_eq!(success.method, set_value);
    assert_eq!(success.height, quantity(&ok["blockNumber"]));
    assert!(success.cost > 0);
    assert_eq!(success.error, "");
    let failure = by_tx(&executions, &reverted["transactionHash"]);
    assert_eq!(failure.status, ExecutionStatus::Reverted);
    assert_eq!(&failure.caller, owner2);
    assert_eq!(failure.method, set_value);
    assert_eq!(failure.height, quantity(&reverted["blockNumber"]));
    assert!(failure.cost > 0);
    assert_eq!(failure.error, "reverted");
    assert!(executions.iter().all(|e| e.time > 0 && e.chain == "anvil"));
    assert_eq!((contract.calls, contract.failed_calls), (2, 1));

    // Nothing new: no executions, counters unchanged.
    let (found, executions) = monitor
        .collect(&rpc, head(&rpc).await)
        .await
        .expect("idle collect");
    assert!(executions.is_empty(), "{executions:#?}");
    assert_eq!((found[0].calls, found[0].failed_calls), (2, 1));

    // A call from another contract shows only through the logs; a second
    // direct revert keeps accumulating.
    let relay = send(
        &rpc,
        json!({"from": relayer, "data": format!("0x{}", compiled.relay)}),
    )
    .await;
    let relay_address = relay["contractAddress"].as_str().expect("relay address");
    let relay_call = hex_of(&keccak(b"relay(address,uint256)")[..4]);
    let internal = send(
        &rpc,
        json!({"from": relayer, "to": relay_address,
               "data": format!("{relay_call}{}{}", address_word(&address), uint_word(5))}),
    )
    .await;
    assert_eq!(internal["status"], "0x1");
    let reverted_again = send(
        &rpc,
        json!({"from": owner1, "to": address, "gas": "0x30000",
               "data": format!("{set_value}{}", uint_word(0))}),
    )
    .await;
    assert_eq!(reverted_again["status"], "0x0");

    let (found, executions) = monitor
        .collect(&rpc, head(&rpc).await)
        .await
        .expect("second collect");
    assert_eq!(executions.len(), 2, "{executions:#?}");
    let via_relay = by_tx(&executions, &internal["transactionHash"]);
    assert_eq!(via_relay.status, ExecutionStatus::Success);
    assert_eq!(&via_relay.caller, relayer);
    // The transaction's selector is Relay's, not a method of this contract.
    assert_eq!(via_relay.method, "");
    assert!(via_relay.cost > 0);
    let again = by_tx(&executions, &reverted_again["transactionHash"]);
    assert_eq!(again.status, ExecutionStatus::Reverted);
    assert_eq!((found[0].calls, found[0].failed_calls), (4, 2));
    // The deployment is cached, not searched again, and unchanged.
    assert_eq!(found[0].deploy_height, deploy_height);

    // Code gone (anvil can remove it, which SELFDESTRUCT no longer does
    // since Cancun): the contract is reported destroyed.
    rpc.call("anvil_setCode", json!([address, "0x"]))
        .await
        .expect("anvil_setCode");
    rpc.call("anvil_mine", json!(["0x1"]))
        .await
        .expect("anvil_mine");
    let (found, _) = monitor
        .collect(&rpc, head(&rpc).await)
        .await
        .expect("collect after removal");
    assert_eq!(found[0].state, ContractState::Destroyed);
    assert_eq!(found[0].code_hash, hex_of(&keccak(b"")));
}

/// The agent end to end: `snapshot --json --config` on an anvil
/// configuration shows anvil's chain id, its blocks and the monitored
/// contract with its executions.
#[tokio::test]
async fn the_snapshot_of_an_anvil_config_shows_chain_blocks_and_contract() {
    let compiled = compile();
    let (anvil, rpc, accounts) = started().await;
    let (deployer, owner1, owner2) = (&accounts[0], &accounts[1], &accounts[2]);
    let (deploy, address) = deploy_owned(&rpc, &compiled, deployer, (owner1, owner2)).await;
    let set_value = hex_of(&keccak(b"setValue(uint256)")[..4]);
    let ok = send(
        &rpc,
        json!({"from": owner1, "to": address, "data": format!("{set_value}{}", uint_word(3))}),
    )
    .await;
    let reverted = send(
        &rpc,
        json!({"from": owner2, "to": address, "gas": "0x30000",
               "data": format!("{set_value}{}", uint_word(0))}),
    )
    .await;
    let top = head(&rpc).await;

    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("anvil.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n\
             [chains.anvil]\nplatform = \"ethereum\"\n\
             [chains.anvil.nodes.a1]\nendpoint = \"http://127.0.0.1:{}\"\n\
             [chains.anvil.contracts.\"{address}\"]\nname = \"owned\"\nowners-from-contract = true\n",
            dir.path().join("data").display(),
            anvil.port
        ),
    )
    .expect("config");
    let snap = tokio::task::spawn_blocking(move || {
        common::snapshot_json(dir.path(), &["--config".as_ref(), config.as_os_str()])
    })
    .await
    .expect("snapshot");

    assert_eq!(snap["nodes"]["chains"][0]["chain-id"], "31337", "{snap}");
    let blocks = snap["ledger"]["blocks"].as_array().expect("blocks");
    let heights: Vec<u64> = blocks.iter().filter_map(|b| b["height"].as_u64()).collect();
    assert_eq!(
        heights,
        (0..=top).collect::<Vec<_>>(),
        "every block of a short chain"
    );
    let at_top = rpc
        .call("eth_getBlockByNumber", json!([format!("0x{top:x}"), false]))
        .await
        .expect("head block");
    assert_eq!(blocks.last().expect("head")["hash"], at_top["hash"]);

    let contracts = snap["contracts"]["contracts"]
        .as_array()
        .expect("contracts");
    assert_eq!(contracts.len(), 1, "{contracts:?}");
    let c = &contracts[0];
    assert_eq!(
        c["id"].as_str().map(str::to_ascii_lowercase),
        Some(address.clone())
    );
    assert_eq!(c["name"], "owned");
    assert_eq!(c["deployer"], deployer.as_str());
    assert_eq!(c["deploy-height"], quantity(&deploy["blockNumber"]));
    let signatories: Vec<&str> = c["signatories"]
        .as_array()
        .expect("signatories")
        .iter()
        .filter_map(|s| s["address"].as_str())
        .collect();
    assert_eq!(signatories, vec![owner1.as_str(), owner2.as_str()]);
    assert_eq!(
        (c["calls"].as_u64(), c["failed-calls"].as_u64()),
        (Some(2), Some(1))
    );
    let executions = snap["contracts"]["executions"]
        .as_array()
        .expect("executions");
    let status_of = |tx: &Value| {
        executions
            .iter()
            .find(|e| {
                e["tx"].as_str().map(str::to_ascii_lowercase)
                    == tx.as_str().map(str::to_ascii_lowercase)
            })
            .map(|e| e["status"].clone())
    };
    assert_eq!(status_of(&ok["transactionHash"]), Some(json!("success")));
    assert_eq!(
        status_of(&reverted["transactionHash"]),
        Some(json!("reverted"))
    );
}

/// contract-failure-rate on a real chain (issue 14 §2): the agent watches
/// the contract on anvil; one reverted call of one raises nothing (the
/// chain's minimum of calls), reverted calls above the chain's threshold
/// raise it on the contract, and successful calls that bring the share
/// in the window back to the threshold clear it.
#[tokio::test]
async fn reverting_calls_raise_contract_failure_rate_and_good_calls_clear_it() {
    let compiled = compile();
    let (anvil, rpc, accounts) = started().await;
    let (deployer, owner1, owner2) = (&accounts[0], &accounts[1], &accounts[2]);
    let (_, address) = deploy_owned(&rpc, &compiled, deployer, (owner1, owner2)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let agent = common::AgentProcess::start(
        dir.path(),
        &format!(
            "[thresholds]\nhold-off-seconds = 1\n\
             [chains.anvil]\nplatform = \"ethereum\"\n\
             [chains.anvil.thresholds]\ncontract-failure-percent = 50.0\n\
             contract-failure-window-seconds = 600\ncontract-failure-min-calls = 4\n\
             [chains.anvil.nodes.a1]\nendpoint = \"http://127.0.0.1:{}\"\n\
             [chains.anvil.contracts.\"{address}\"]\nname = \"owned\"\n",
            anvil.port
        ),
    );
    let resource = format!("/chains/anvil/contracts/{address}");
    // The agent has seen the contract before any call: its window starts
    // there.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
        let seen = snap["contracts"]["contracts"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["id"] == address.as_str()));
        if seen {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the agent never saw the contract"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let set_value = hex_of(&keccak(b"setValue(uint256)")[..4]);
    let call = |from: &String, v: u64| {
        json!({"from": from, "to": address, "gas": "0x30000",
               "data": format!("{set_value}{}", uint_word(v))})
    };
    let failed_calls = |agent: &common::AgentProcess| {
        let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
        snap["contracts"]["contracts"][0]["failed-calls"].as_u64()
    };

    let r = send(&rpc, call(owner2, 0)).await;
    assert_eq!(r["status"], "0x0", "setValue(0) reverts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while failed_calls(&agent) != Some(1) {
        assert!(Instant::now() < deadline, "the revert was never counted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A few more collections: one failure of one call pages nobody.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !common::has(&agent.active_alarms(), "contract-failure-rate", &resource),
        "raised on 1 call"
    );

    for _ in 0..4 {
        send(&rpc, call(owner2, 0)).await;
    }
    let alarms = agent.wait_alarms("contract-failure-rate", 30, |a| {
        common::has(a, "contract-failure-rate", &resource)
    });
    let alarm = alarms
        .iter()
        .find(|a| a["alarm-type"] == "contract-failure-rate")
        .expect("alarm");
    assert_eq!(alarm["event-type"], "processingErrorAlarm", "{alarm}");
    assert_eq!(
        alarm["probable-cause"], "applicationSubsystemFailure",
        "{alarm}"
    );
    assert_eq!(alarm["perceived-severity"], "major", "{alarm}");
    let problem = alarm["specific-problem"].as_str().expect("problem");
    assert!(
        problem.contains("calls failed in the last 600 s (100.0% above 50.0%)"),
        "{problem}"
    );

    // 5 failed of 11 is 45 %: at or below the threshold, it clears after
    // the hold-off.
    for v in 1..=6 {
        let r = send(&rpc, call(owner1, v)).await;
        assert_eq!(r["status"], "0x1", "setValue({v}) succeeds");
    }
    agent.wait_alarms("contract-failure-rate to clear", 30, |a| {
        !common::has(a, "contract-failure-rate", &resource)
    });
    let snap = agent.call(json!({"op": "snapshot"})).expect("snapshot");
    let c = &snap["contracts"]["contracts"][0];
    assert_eq!(
        (c["calls"].as_u64(), c["failed-calls"].as_u64()),
        (Some(11), Some(5)),
        "{c}"
    );
}
