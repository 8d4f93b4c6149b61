//! The parts of Bitcoin Core's RPC answers the adapter reads, typed.
//! Every field is defaulted: forks (Litecoin, Dogecoin) and older releases
//! drop or add fields, and a missing figure must not lose the whole answer.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BlockchainInfo {
    /// "main", "test", "regtest", "signet".
    pub chain: String,
    pub blocks: u64,
    pub headers: u64,
    pub bestblockhash: String,
    pub verificationprogress: f64,
    pub initialblockdownload: bool,
    pub size_on_disk: Option<u64>,
    pub difficulty: f64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NetworkInfo {
    pub version: u64,
    pub subversion: String,
    pub protocolversion: u64,
    pub networkactive: Option<bool>,
    pub localaddresses: Vec<LocalAddress>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LocalAddress {
    pub address: String,
    pub port: u16,
}

impl LocalAddress {
    /// In getpeerinfo's spelling, so the two can be compared.
    pub fn socket(&self) -> String {
        if self.address.contains(':') {
            format!("[{}]:{}", self.address, self.port)
        } else {
            format!("{}:{}", self.address, self.port)
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PeerInfo {
    pub addr: String,
    /// Our end of the connection: the listening socket for an inbound
    /// peer, the ephemeral source socket for an outbound one.
    pub addrbind: Option<String>,
    pub inbound: bool,
    /// Seconds; absent until the first pong.
    pub pingtime: Option<f64>,
    pub bytesrecv: u64,
    pub bytessent: u64,
    /// Unix seconds.
    pub conntime: u64,
    pub subver: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChainTip {
    pub height: u64,
    pub hash: String,
    pub branchlen: u64,
    /// "active", "valid-fork", "valid-headers", "headers-only", "invalid".
    pub status: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MempoolInfo {
    pub size: u64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NetTotals {
    pub totalbytesrecv: u64,
    pub totalbytessent: u64,
    pub timemillis: u64,
}

/// `getblock HASH 1`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BlockInfo {
    pub hash: String,
    pub height: u64,
    /// Unix seconds.
    pub time: u64,
    #[serde(rename = "nTx")]
    pub n_tx: u32,
    pub size: u64,
    /// Absent for the genesis block.
    pub previousblockhash: Option<String>,
}
