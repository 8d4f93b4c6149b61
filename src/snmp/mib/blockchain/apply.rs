//! bcmConfigApply: intended versus applied configuration, one row per
//! configuration item a chain's nodes must take, as the object map
//! declares it (`model::objects::apply`).

use super::objects;
use crate::model::objects::apply::CONFIG_APPLY;
use crate::snmp::mib::TableDef;

pub static CONFIG_APPLY_TABLE: TableDef = TableDef {
    name: CONFIG_APPLY.entry,
    entry: CONFIG_APPLY.oid,
    index: &objects::index::<_, { CONFIG_APPLY.keys.len() }>(&CONFIG_APPLY),
    columns: &objects::columns::<_, { CONFIG_APPLY.columns.len() }>(&CONFIG_APPLY),
    rows: |ctx| objects::rows(&CONFIG_APPLY, &ctx.snapshot.nodes.config_apply),
    get: |ctx, row, col| {
        objects::cell(
            &CONFIG_APPLY,
            ctx.snapshot.nodes.config_apply.get(row.pos)?,
            col,
        )
    },
    set: None,
    update: None,
};
