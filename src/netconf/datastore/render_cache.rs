//! Rendered datastore contents, kept while the data they come from is
//! unchanged. Building a full `<get>` through libyang costs milliseconds
//! (configuration and state to RFC 7951 JSON, parsed, merged, printed),
//! yet the data only changes when a collector publishes a snapshot or a
//! commit lands: sessions reading in between share one rendering.
//!
//! Readers do not wait for a new snapshot's rendering: a background
//! refresher (`super::refresher`) builds the renderings readers asked for
//! recently as soon as a snapshot or a configuration is published, and
//! until it has, readers are served the rendering of the snapshot before
//! (state at most one publication old). The configuration part is never
//! old: a rendering is only served for the running configuration it was
//! built from, so a `<get>` after a commit, in any session, shows the
//! commit; a session also never reads state older than what was published
//! when its own last change returned ([`Session::reads_from`]). A reader
//! the cache cannot serve builds the rendering itself, one build at a time
//! per slot: a reader arriving during a build waits for it.
//!
//! The key is the identity of the published `Arc`s, not their contents:
//! the core publishes a new `Arc` for every change, and the cache holds
//! the `Arc`s it was built from, so an address cannot be reused while an
//! entry names it. Every rendering is installed under the slot's build
//! lock from data loaded under it, so an entry is only ever replaced by
//! newer data.
//!
//! [`Session::reads_from`]: crate::netconf::session::table::Session

use crate::config::Config;
use crate::model::snapshot::Snapshot;
use crate::netconf::datastore::data::{self, WithDefaults};
use crate::netconf::rpc_error::RpcError;
use crate::netconf::transport::xml::Element;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A view not asked for in this long is no longer refreshed in the
/// background; its next reader builds it.
pub const WANTED_FOR: Duration = Duration::from_secs(10);

/// Which rendering of the data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct View {
    /// With state (`<get>`) or configuration only (`<get-config>`).
    pub state: bool,
    pub with_defaults: WithDefaults,
    /// Who reads: renderings differ by what their reader may see.
    pub reader: Reader,
}

/// Whose rights a rendering was pruned with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reader {
    /// Someone who may read every node: nothing pruned.
    All,
    /// A member of exactly these NACM groups (sorted): the rules, part of
    /// the configuration the entry is keyed by, decide by group.
    Groups(Vec<String>),
}

/// One rendering: the XML of the top-level nodes, and those nodes as
/// element trees once a subtree filter has needed them.
pub struct Rendered {
    pub xml: String,
    elements: Mutex<Option<Arc<Vec<Element>>>>,
}

impl Rendered {
    pub fn new(xml: String) -> Rendered {
        Rendered {
            xml,
            elements: Mutex::new(None),
        }
    }

    /// The top-level nodes as element trees, parsed once per rendering.
    pub fn elements(&self) -> Result<Arc<Vec<Element>>, RpcError> {
        let mut slot = self.elements.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = &*slot {
            return Ok(e.clone());
        }
        let parsed = Arc::new(data::elements(&self.xml)?);
        *slot = Some(parsed.clone());
        Ok(parsed)
    }
}

/// The data a rendering is built from.
#[derive(Clone)]
pub struct Source {
    pub config: Arc<Config>,
    /// `None` for configuration-only renderings.
    pub snapshot: Option<Arc<Snapshot>>,
    /// The count of snapshot publications, loaded before `snapshot`: the
    /// snapshot is at least this new (0 without a snapshot).
    pub publication: u64,
    /// Anything else the rendering shows that changes on its own, such as
    /// counters, as a number that changes with it.
    pub stamp: u64,
}

impl Source {
    fn same(&self, other: &Source) -> bool {
        self.stamp == other.stamp
            && Arc::ptr_eq(&self.config, &other.config)
            && match (&self.snapshot, &other.snapshot) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }

    /// Whether a rendering of `self` may answer a reader who loaded `now`:
    /// the same configuration and stamp, and the same snapshot or one at
    /// most a publication older than `now`'s and not older than
    /// `reads_from`.
    fn serves(&self, now: &Source, reads_from: u64) -> bool {
        if self.stamp != now.stamp || !Arc::ptr_eq(&self.config, &now.config) {
            return false;
        }
        match (&self.snapshot, &now.snapshot) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                Arc::ptr_eq(a, b)
                    || (self.publication + 1 >= now.publication && self.publication >= reads_from)
            }
            _ => false,
        }
    }
}

/// Who asked for a view lately: the refresher builds it with that user's
/// rights, while they still give the same reader.
#[derive(Clone)]
pub struct Wanted {
    pub user: String,
    last: Instant,
    /// Read since the refresher last built it: a view nobody read since
    /// (one only edits, say) is not built again for every commit.
    read: bool,
}

#[derive(Default)]
struct Entry {
    source: Option<Source>,
    views: HashMap<View, Arc<Rendered>>,
    wanted: HashMap<View, Wanted>,
}

#[derive(Default)]
struct Slot {
    entry: Mutex<Entry>,
    /// Held while a rendering is built and installed.
    build: Mutex<()>,
}

impl Slot {
    fn entry(&self) -> MutexGuard<'_, Entry> {
        self.entry.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn build_lock(&self) -> MutexGuard<'_, ()> {
        self.build.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Renderings of the running configuration alone and of configuration
/// plus state, each for the newest data built.
#[derive(Default)]
pub struct RenderCache {
    config: Slot,
    full: Slot,
}

/// A reader's request: the view, who reads, the data as the reader found
/// it, and the oldest publication it may be shown.
pub struct Request<'a> {
    pub view: View,
    pub user: &'a str,
    pub now: Source,
    pub reads_from: u64,
}

impl RenderCache {
    fn slot(&self, state: bool) -> &Slot {
        if state { &self.full } else { &self.config }
    }

    /// The rendering for `request`: the cached one when it serves the
    /// reader, else one built by `build` from the data `load` gives at the
    /// time (at least as new as the reader's), which is then cached. The
    /// configuration `build` is given is always the reader's.
    pub fn get(
        &self,
        request: Request<'_>,
        load: impl FnOnce() -> Source,
        build: impl FnOnce(&View, &Source) -> Result<String, RpcError>,
    ) -> Result<Arc<Rendered>, RpcError> {
        let Request {
            view,
            user,
            now,
            reads_from,
        } = request;
        let slot = self.slot(view.state);
        {
            let mut entry = slot.entry();
            entry.wanted.insert(
                view.clone(),
                Wanted {
                    user: user.to_string(),
                    last: Instant::now(),
                    read: true,
                },
            );
            if let Some(r) = entry.serving(&view, &now, reads_from) {
                return Ok(r);
            }
        }
        let _building = slot.build_lock();
        // What was built while this reader waited may serve it.
        if let Some(r) = slot.entry().serving(&view, &now, reads_from) {
            return Ok(r);
        }
        let current = load();
        if !Arc::ptr_eq(&current.config, &now.config) {
            // A commit landed since the reader loaded its data, and the
            // reader's rights are those of the configuration before it:
            // built for this reader alone, from its own data.
            drop(_building);
            return Ok(Arc::new(Rendered::new(build(&view, &now)?)));
        }
        let rendered = Arc::new(Rendered::new(build(&view, &current)?));
        let mut entry = slot.entry();
        if !entry.source.as_ref().is_some_and(|s| s.same(&current)) {
            entry.source = Some(current);
            entry.views.clear();
        }
        entry.views.insert(view, rendered.clone());
        Ok(rendered)
    }

    /// Build every view read within [`WANTED_FOR`] and since its last
    /// build here for the data `load` gives, unless built already, and
    /// install them together.
    /// `build` gives `None` for a view it no longer builds (its user's
    /// rights changed); a view that fails is left to its next reader.
    pub fn refresh(
        &self,
        state: bool,
        load: impl FnOnce() -> Source,
        mut build: impl FnMut(&View, &Wanted, &Source) -> Option<Result<String, RpcError>>,
    ) {
        let slot = self.slot(state);
        let _building = slot.build_lock();
        let current = load();
        let wanted: Vec<(View, Wanted)> = {
            let mut entry = slot.entry();
            entry.wanted.retain(|_, w| w.last.elapsed() < WANTED_FOR);
            let fresh = entry.source.as_ref().is_some_and(|s| s.same(&current));
            let Entry { views, wanted, .. } = &mut *entry;
            wanted
                .iter_mut()
                .filter(|(v, w)| w.read && (!fresh || !views.contains_key(*v)))
                .map(|(v, w)| {
                    w.read = false;
                    (v.clone(), w.clone())
                })
                .collect()
        };
        if wanted.is_empty() {
            return;
        }
        let mut built = Vec::with_capacity(wanted.len());
        for (view, who) in wanted {
            match build(&view, &who, &current) {
                Some(Ok(xml)) => built.push((view, Arc::new(Rendered::new(xml)))),
                Some(Err(e)) => tracing::debug!("rendering {view:?} in the background: {e}"),
                None => {}
            }
        }
        let mut entry = slot.entry();
        if !entry.source.as_ref().is_some_and(|s| s.same(&current)) {
            entry.source = Some(current);
            entry.views.clear();
        }
        entry.views.extend(built);
    }
}

impl Entry {
    fn serving(&self, view: &View, now: &Source, reads_from: u64) -> Option<Arc<Rendered>> {
        let source = self.source.as_ref()?;
        if !source.serves(now, reads_from) {
            return None;
        }
        self.views.get(view).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn view(state: bool) -> View {
        View {
            state,
            with_defaults: WithDefaults::Trim,
            reader: Reader::All,
        }
    }

    fn source(config: &Arc<Config>, snapshot: Option<(&Arc<Snapshot>, u64)>) -> Source {
        Source {
            config: config.clone(),
            snapshot: snapshot.map(|(s, _)| s.clone()),
            publication: snapshot.map_or(0, |(_, n)| n),
            stamp: 0,
        }
    }

    fn request(view: View, now: &Source, reads_from: u64) -> Request<'static> {
        Request {
            view,
            user: "u",
            now: now.clone(),
            reads_from,
        }
    }

    #[test]
    fn builds_once_per_data_and_view() {
        let cache = RenderCache::default();
        let config = Arc::new(Config::default());
        let snap = Arc::new(Snapshot::default());
        let builds = Cell::new(0);
        let build = |_: &View, _: &Source| {
            builds.set(builds.get() + 1);
            Ok(format!("<x>{}</x>", builds.get()))
        };
        let full = source(&config, Some((&snap, 1)));
        let get = |v: View, s: &Source| {
            let load = || s.clone();
            cache.get(request(v, s, 0), load, build).unwrap()
        };
        let a = get(view(true), &full);
        let b = get(view(true), &full);
        assert_eq!((a.xml.as_str(), b.xml.as_str()), ("<x>1</x>", "<x>1</x>"));
        // Another view, another rendering; the state slot is separate.
        get(view(false), &source(&config, None));
        assert_eq!(builds.get(), 2);
        // A new configuration invalidates the configuration slot.
        let config2 = Arc::new(Config::default());
        let d = get(view(false), &source(&config2, None));
        assert_eq!(d.xml, "<x>3</x>");
        // So does a new stamp, and another reader is another rendering.
        let mut stamped = source(&config2, None);
        stamped.stamp = 1;
        assert_eq!(get(view(false), &stamped).xml, "<x>4</x>");
        let mut reader = view(false);
        reader.reader = Reader::Groups(vec!["readers".into()]);
        assert_eq!(get(reader, &stamped).xml, "<x>5</x>");
    }

    #[test]
    fn state_may_be_one_publication_old_but_configuration_never() {
        let cache = RenderCache::default();
        let config = Arc::new(Config::default());
        let snaps: Vec<Arc<Snapshot>> = (0..6).map(|_| Arc::new(Snapshot::default())).collect();
        let builds = Cell::new(0);
        let build = |_: &View, s: &Source| {
            builds.set(builds.get() + 1);
            Ok(format!("<p>{}</p>", s.publication))
        };
        let at = |c: &Arc<Config>, n: usize| source(c, Some((&snaps[n], n as u64)));
        let read = |now: Source, reads_from: u64| {
            let load = || now.clone();
            cache
                .get(request(view(true), &now, reads_from), load, build)
                .unwrap()
                .xml
                .clone()
        };
        assert_eq!(read(at(&config, 1), 0), "<p>1</p>");
        // Publication 2 is out: publication 1's rendering still serves.
        assert_eq!(read(at(&config, 2), 0), "<p>1</p>");
        assert_eq!(builds.get(), 1);
        // Not to a session whose own change came with publication 2.
        assert_eq!(read(at(&config, 2), 2), "<p>2</p>");
        assert_eq!(read(at(&config, 3), 0), "<p>2</p>");
        assert_eq!(builds.get(), 2);
        // A new configuration is never served an old rendering.
        let config2 = Arc::new(Config::default());
        assert_eq!(read(at(&config2, 3), 0), "<p>3</p>");
        // Two publications old is too old.
        assert_eq!(read(at(&config2, 5), 0), "<p>5</p>");
        assert_eq!(builds.get(), 4);
    }

    #[test]
    fn the_refresher_builds_what_readers_asked_for() {
        let cache = RenderCache::default();
        let config = Arc::new(Config::default());
        let snaps: Vec<Arc<Snapshot>> = (0..5).map(|_| Arc::new(Snapshot::default())).collect();
        let at = |n: usize| source(&config, Some((&snaps[n], n as u64)));
        let build = |_: &View, s: &Source| Ok(format!("<p>{}</p>", s.publication));
        // Nothing asked for yet: nothing built.
        let mut built = 0;
        cache.refresh(
            true,
            || at(1),
            |_, _, _| {
                built += 1;
                None
            },
        );
        assert_eq!(built, 0);
        let now = at(1);
        cache
            .get(request(view(true), &now, 0), || now.clone(), build)
            .unwrap();
        cache.refresh(
            true,
            || at(2),
            |v, w, s| Some(build(v, s)).filter(|_| w.user == "u"),
        );
        // The reader at publication 2 finds it built, without building.
        let now = at(2);
        let r = cache
            .get(
                request(view(true), &now, 2),
                || now.clone(),
                |_, _| {
                    Err(RpcError::application(
                        crate::netconf::rpc_error::Tag::OperationFailed,
                        "not built by the reader",
                    ))
                },
            )
            .unwrap();
        assert_eq!(r.xml, "<p>2</p>");
        // Read since: built again for the next publication; not read
        // since: not built for the one after.
        let mut built = 0;
        for n in [3, 4] {
            cache.refresh(
                true,
                || at(n),
                |v, _, s| {
                    built += 1;
                    Some(build(v, s))
                },
            );
        }
        assert_eq!(built, 1);
    }

    #[test]
    fn a_failed_build_is_not_kept() {
        let cache = RenderCache::default();
        let config = Arc::new(Config::default());
        let now = source(&config, None);
        let err = cache.get(
            request(view(false), &now, 0),
            || now.clone(),
            |_, _| {
                Err(RpcError::application(
                    crate::netconf::rpc_error::Tag::OperationFailed,
                    "boom",
                ))
            },
        );
        assert!(err.is_err());
        let ok = cache
            .get(
                request(view(false), &now, 0),
                || now.clone(),
                |_, _| Ok("<y/>".into()),
            )
            .unwrap();
        assert_eq!(ok.xml, "<y/>");
        assert_eq!(ok.elements().unwrap().len(), 1);
    }
}
