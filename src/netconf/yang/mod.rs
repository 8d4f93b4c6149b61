//! The libyang layer of the NETCONF server: the schema, the mapping between
//! the typed configuration and state and their RFC 7951 JSON form, and
//! parsing and printing data trees.

pub mod config_map;
pub mod json;
pub mod objects;
pub mod schema;
pub mod state_alarms;
pub mod state_map;
pub mod time;
pub mod tree;

pub use config_map::{config_to_yang, yang_to_config};
pub use json::MapError;
pub use schema::{ModuleInfo, Schema, SchemaError, SubmoduleInfo};
pub use state_map::state_to_yang;
pub use tree::{
    Content, DataError, TreeError, WithDefaults, config_from_xml, parse_json, parse_xml,
    print_json, print_xml,
};
