//! The client and packet-filter settings of one chain in Hermes'
//! config.toml (`[[chains]]` with `id = chain_id`), as channel parameters.
//! Values are kept in Hermes' own words ('14days', '5s', '2/3').

use crate::model::crosschain::ChannelParameter;
use std::collections::BTreeMap;
use toml::Value;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RelayerConfigError {
    #[error("{0}: {1}")]
    Read(String, String),
    #[error("{0}: not TOML: {1}")]
    Syntax(String, String),
    #[error("{0}: no [[chains]] entry with id = {1:?}")]
    NoChain(String, String),
    #[error("{0}: trusting_period {2:?} of chain {1:?} is not a duration")]
    Duration(String, String, String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChainSettings {
    pub parameters: Vec<ChannelParameter>,
    /// The packet filter's (port, channel) patterns.
    pub filter: Vec<(String, String)>,
    pub policy: String,
    /// Chain id → `trusting_period` in ms, for every `[[chains]]` entry
    /// that sets one. A client tracking chain X has X's trusting period:
    /// Hermes builds a client state on the tracked (source) chain's handle,
    /// whose `build_client_state` defaults to that chain's own
    /// `config.trusting_period` (ibc-relayer `chain/cosmos.rs`; `hermes
    /// create client --reference-chain X` "Override the trusting period
    /// specified in the config"). Entries without one use 2/3 of the
    /// unbonding period, which the config does not give: left out.
    pub trusting_periods: BTreeMap<String, u64>,
}

pub fn load(path: &std::path::Path, chain_id: &str) -> Result<ChainSettings, RelayerConfigError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| RelayerConfigError::Read(name.clone(), e.to_string()))?;
    parse(&text, chain_id).map_err(|e| match e {
        RelayerConfigError::Syntax(_, m) => RelayerConfigError::Syntax(name.clone(), m),
        RelayerConfigError::NoChain(_, c) => RelayerConfigError::NoChain(name.clone(), c),
        RelayerConfigError::Duration(_, c, v) => RelayerConfigError::Duration(name.clone(), c, v),
        other => other,
    })
}

pub fn parse(text: &str, chain_id: &str) -> Result<ChainSettings, RelayerConfigError> {
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| RelayerConfigError::Syntax(String::new(), e.to_string()))?;
    let chains = doc
        .get("chains")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let trusting_periods = trusting_periods(chains)?;
    let chain = chains
        .iter()
        .find(|c| c.get("id").and_then(Value::as_str) == Some(chain_id))
        .ok_or_else(|| RelayerConfigError::NoChain(String::new(), chain_id.to_string()))?;
    let mut parameters = Vec::new();
    for key in ["trusting_period", "clock_drift", "max_block_time"] {
        if let Some(v) = chain.get(key) {
            parameters.push(param(key, plain(v)));
        }
    }
    if let Some(t) = chain.get("trust_threshold") {
        // A table {numerator, denominator} (strings or numbers) or "2/3".
        let value = match (t.get("numerator"), t.get("denominator")) {
            (Some(n), Some(d)) => format!("{}/{}", plain(n), plain(d)),
            _ => plain(t),
        };
        parameters.push(param("trust_threshold", value));
    }
    let mut filter = Vec::new();
    let mut policy = String::new();
    if let Some(pf) = chain.get("packet_filter") {
        policy = pf
            .get("policy")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        for entry in pf
            .get("list")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some([port, channel]) = entry.as_array().map(Vec::as_slice)
                && let (Some(p), Some(c)) = (port.as_str(), channel.as_str())
            {
                filter.push((p.to_string(), c.to_string()));
            }
        }
        parameters.push(param("packet_filter.policy", policy.clone()));
        parameters.push(param(
            "packet_filter.list",
            filter
                .iter()
                .map(|(p, c)| format!("{p}/{c}"))
                .collect::<Vec<_>>()
                .join(","),
        ));
    }
    Ok(ChainSettings {
        parameters,
        filter,
        policy,
        trusting_periods,
    })
}

fn trusting_periods(chains: &[Value]) -> Result<BTreeMap<String, u64>, RelayerConfigError> {
    let mut out = BTreeMap::new();
    for c in chains {
        let (Some(id), Some(period)) = (
            c.get("id").and_then(Value::as_str),
            c.get("trusting_period"),
        ) else {
            continue;
        };
        let text = plain(period);
        let ms = super::duration::millis(&text).ok_or_else(|| {
            RelayerConfigError::Duration(String::new(), id.to_string(), text.clone())
        })?;
        out.insert(id.to_string(), ms);
    }
    Ok(out)
}

fn param(name: &str, value: String) -> ChannelParameter {
    ChannelParameter {
        name: name.replace('_', "-"),
        value,
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"
[global]
log_level = 'info'

[telemetry]
enabled = true
host = '127.0.0.1'
port = 3001

[[chains]]
id = 'ibc-1'
trusting_period = '1days'

[[chains]]
id = 'ibc-0'
type = 'CosmosSdk'
rpc_addr = 'http://127.0.0.1:26657'
clock_drift = '5s'
max_block_time = '30s'
trusting_period = '14days'
trust_threshold = { numerator = '2', denominator = '3' }

[chains.packet_filter]
policy = 'allow'
list = [
  ['transfer', 'channel-0'],
  ['ica*', '*'],
]
"#;

    #[test]
    fn chain_entry_by_id() {
        let s = parse(CONFIG, "ibc-0").unwrap();
        let get = |n: &str| {
            s.parameters
                .iter()
                .find(|p| p.name == n)
                .map(|p| p.value.as_str())
        };
        assert_eq!(get("trusting-period"), Some("14days"));
        assert_eq!(get("clock-drift"), Some("5s"));
        assert_eq!(get("max-block-time"), Some("30s"));
        assert_eq!(get("trust-threshold"), Some("2/3"));
        assert_eq!(get("packet-filter.policy"), Some("allow"));
        assert_eq!(get("packet-filter.list"), Some("transfer/channel-0,ica*/*"));
        assert_eq!(s.policy, "allow");
        assert_eq!(s.filter.len(), 2);
        assert_eq!(s.trusting_periods["ibc-0"], 14 * 86_400_000);
        assert_eq!(s.trusting_periods["ibc-1"], 86_400_000);
        assert!(matches!(
            parse("[[chains]]\nid='a'\ntrusting_period='soon'\n", "a"),
            Err(RelayerConfigError::Duration(_, c, v)) if c == "a" && v == "soon"
        ));
        let other = parse(CONFIG, "ibc-1").unwrap();
        assert_eq!(other.parameters.len(), 1);
        assert!(matches!(
            parse(CONFIG, "nope"),
            Err(RelayerConfigError::NoChain(_, _))
        ));
        assert!(matches!(
            parse("[[chains", "x"),
            Err(RelayerConfigError::Syntax(_, _))
        ));
        assert_eq!(
            parse("[[chains]]\nid='a'\ntrust_threshold='1/3'\n", "a")
                .unwrap()
                .parameters[0]
                .value,
            "1/3"
        );
    }
}
