//! bcmChainName: the index object of the chain table, which every
//! per-chain table's INDEX begins with.

use super::{IndexPart, IndexSyntax};

pub static CHAIN_NAME: IndexPart = IndexPart {
    name: "bcmChainName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 1, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};
