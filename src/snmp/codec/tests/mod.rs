//! Codec tests. `fixtures` holds well-formed messages of every shape,
//! `raw` a byte-level builder for malformed ones, and `corpus` the named
//! malformed cases that are also written to tests/data/snmp-malformed.

mod corpus;
mod fixtures;
mod oracle;
mod raw;
mod roundtrip;
mod sizer;
mod strict;
