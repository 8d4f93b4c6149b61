//! No NETCONF change may leave the agent without a NETCONF administrator:
//! a configured user who may run edit-config and create, change and
//! delete both `/nacm` and the NETCONF users. Without one, nobody could
//! repair the access rules or the users over NETCONF; only the control
//! socket (`chain-agent ctl`, the agent's own Unix user) could. So a
//! change that removes the last such user, takes their rights away, or
//! rewrites the rules so that nobody keeps them is refused with an error
//! that says so. A configuration that already had no administrator (the
//! file's choice) is not held to this: any change may try to fix it.

use super::Access;
use super::marks::MarkCursor;
use super::path::{self, Step};
use crate::config::{AccessOperation, Config, ConfigPath};
use crate::netconf::NC_NS;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;

/// What an administrator must be able to write: the rules and the users.
fn guarded() -> [ConfigPath; 2] {
    [
        ConfigPath::of(["nacm"]),
        ConfigPath::of(["netconf", "users"]),
    ]
}

const WRITES: [AccessOperation; 3] = [
    AccessOperation::Create,
    AccessOperation::Update,
    AccessOperation::Delete,
];

/// Refuses a change from `old` to `new` that leaves no administrator.
pub(super) fn check(server: &Server, old: &Config, new: &Config) -> Result<(), RpcError> {
    if old.nacm == new.nacm && old.netconf.users == new.netconf.users {
        return Ok(());
    }
    if administrators(server, new).next().is_some() || administrators(server, old).next().is_none()
    {
        return Ok(());
    }
    let [rules, users] = guarded();
    let (path, what) = if old.netconf.users != new.netconf.users {
        (users, "the NETCONF users")
    } else {
        (rules, "the NACM rules")
    };
    // Both lie in one module: every step takes its prefix.
    let module = path.yang_modules().first().copied().unwrap_or_default();
    let ns = server.nacm.info.namespace(module).unwrap_or_default();
    let prefix = server.nacm.info.prefix(&ns).unwrap_or(module).to_string();
    let qualified: String = path
        .yang_steps()
        .iter()
        .map(|s| format!("/{prefix}:{}", s.name))
        .collect();
    Err(RpcError::application(
        Tag::OperationFailed,
        format!(
            "refused: with this change of {what} no NETCONF user could edit /nacm and \
             /netconf/users any more (it needs edit-config and write access to both, \
             as users with admin = true have by default); keep or add such a user first"
        ),
    )
    .with_path(qualified)
    .with_path_ns(&prefix, &ns))
}

/// The configured users of `config` who administer it, in name order.
pub fn administrators<'c>(
    server: &'c Server,
    config: &'c Config,
) -> impl Iterator<Item = &'c String> + 'c {
    let guarded: Vec<Vec<Step>> = guarded()
        .iter()
        .filter_map(|p| path::parse(&p.yang(), |m| server.nacm.info.namespace(m)).ok())
        .collect();
    config.netconf.users.keys().filter(move |user| {
        let access = server.nacm.access(config, user);
        administers(server, &access, &guarded)
    })
}

fn administers(server: &Server, access: &Access, guarded: &[Vec<Step>]) -> bool {
    let edit_mark = super::rpc_mark(server.schema.context(), NC_NS, "edit-config");
    if !access.exec(NC_NS, "edit-config", edit_mark).permit {
        return false;
    }
    guarded.iter().all(|steps| {
        let mut at = MarkCursor::root();
        for (i, s) in steps.iter().enumerate() {
            at = at.step(&server.nacm.info.marks, i == 0, &s.ns, &s.name);
        }
        WRITES
            .iter()
            .all(|op| access.data(*op, steps, at.mark()).permit)
    })
}
