//! bcmNodeName: the index object of the node table, which the per-node
//! tables' INDEX continues with after the chain.

use super::{IndexPart, IndexSyntax};

pub static NODE_NAME: IndexPart = IndexPart {
    name: "bcmNodeName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};
