//! The cached renderings of running and of the full data
//! ([`RenderCache`]): what each view is built from and how, for the
//! readers (get, get-config, whole-datastore edits) and for the background
//! refresher, which rebuilds the views readers use when a snapshot or a
//! configuration is published, so that readers do not pay for it.

use crate::config::Config;
use crate::netconf::datastore::data;
use crate::netconf::datastore::render_cache::{Reader, Rendered, Request, Source, View};
use crate::netconf::monitoring::netconf_state;
use crate::netconf::nacm::{self, Access};
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use std::sync::Arc;

/// The data as it is now: the running configuration and, for views with
/// state, the published snapshot and the NACM counters, which the full
/// rendering shows under `/nacm`.
pub fn now(server: &Server, state: bool) -> Source {
    let config = server.running();
    if !state {
        return Source {
            config,
            snapshot: None,
            publication: 0,
            stamp: 0,
        };
    }
    // The count first: the snapshot loaded after it is at least that new.
    let publication = *server.agent.publications.borrow();
    Source {
        config,
        snapshot: Some(server.agent.snapshot.load_full()),
        publication,
        stamp: server.nacm.counters.total(),
    }
}

/// Who reads, for the cache, and with what rights: renderings are shared
/// by sessions whose groups are the same under the same configuration,
/// since NACM decides by group. Pruning comes before any filter, so a
/// filter cannot test what a reader may not see.
pub fn reader(server: &Server, user: &str, config: &Config) -> (Reader, Access) {
    let access = server.nacm.access(config, user);
    let reader = if access.reads_everything() {
        Reader::All
    } else {
        Reader::Groups(server.nacm.groups(config, user))
    };
    (reader, access)
}

/// The rendering of `request`, from the cache when it serves the reader;
/// `access` is the reader's rights under `request.now.config` (the
/// configuration any rendering it gets was built from), needed for a
/// pruned view only.
pub fn cached(
    server: &Server,
    request: Request<'_>,
    access: Option<&Access>,
) -> Result<Arc<Rendered>, RpcError> {
    let state = request.view.state;
    let pruned = match (&request.view.reader, access) {
        (Reader::All, _) => None,
        (Reader::Groups(_), Some(access)) => Some(access),
        (Reader::Groups(_), None) => {
            return Err(RpcError::application(
                Tag::OperationFailed,
                "a pruned rendering without the reader's rights",
            ));
        }
    };
    server.renders.get(
        request,
        || now(server, state),
        |view, source| build(server, view, source, pruned),
    )
}

/// Configuration (and state, for a view with it) printed in the view's
/// with-defaults mode and pruned to what `access` may read (`None`:
/// everything, for a reader who may read every node).
fn build(
    server: &Server,
    view: &View,
    source: &Source,
    access: Option<&Access>,
) -> Result<String, RpcError> {
    let wd = view.with_defaults;
    let xml = match (&source.snapshot, view.state) {
        (Some(snapshot), true) => {
            let mut tree = data::full_tree(&server.schema, &source.config, snapshot)?;
            // The NACM counters live under /nacm with its configuration,
            // so they are part of the rendering (the source's stamp).
            nacm::merge_state(server, &mut tree)?;
            netconf_state::merge_library(server, &mut tree)?;
            data::print(&tree, wd)?
        }
        _ => data::print(
            &data::config_tree_for(&server.schema, &source.config, wd)?,
            wd,
        )?,
    };
    match access {
        Some(access) => nacm::readable_as(server, access, xml),
        None => Ok(xml),
    }
}

/// Rebuild the views read lately for the data as it is now.
pub fn refresh(server: &Server) {
    for state in [false, true] {
        server.renders.refresh(
            state,
            || now(server, state),
            |view, wanted, source| {
                // Unpruned views need no one's rights; a pruned view is
                // only rebuilt while its user's rights still give it.
                if view.reader == Reader::All {
                    return Some(build(server, view, source, None));
                }
                let (reader, access) = reader(server, &wanted.user, &source.config);
                (reader == view.reader).then(|| build(server, view, source, Some(&access)))
            },
        );
    }
}

/// Run [`refresh`] after every snapshot publication and every commit,
/// for as long as the server lives.
pub fn follow(server: &Arc<Server>) -> tokio::task::JoinHandle<()> {
    let weak = Arc::downgrade(server);
    let mut publications = server.agent.publications.clone();
    let mut commits = server.agent.datastore.subscribe();
    tokio::spawn(async move {
        loop {
            let changed = tokio::select! {
                r = publications.changed() => r.is_ok(),
                r = commits.changed() => r.is_ok(),
            };
            let Some(server) = weak.upgrade().filter(|_| changed) else {
                return;
            };
            if tokio::task::spawn_blocking(move || refresh(&server))
                .await
                .is_err()
            {
                return;
            }
        }
    })
}
