//! Rendered datastore contents, kept while the data they come from is
//! unchanged. Building a full `<get>` through libyang costs milliseconds
//! (configuration and state to RFC 7951 JSON, parsed, merged, printed),
//! yet the data only changes when a collector publishes a snapshot or a
//! commit lands: sessions reading in between share one rendering, and the
//! first reader after a change builds it while the others wait for it
//! rather than building the same thing again.
//!
//! The key is the identity of the published `Arc`s, not their contents:
//! the core publishes a new `Arc` for every change, and the cache holds
//! the `Arc`s it was built from, so an address cannot be reused while an
//! entry names it.

use crate::config::Config;
use crate::model::snapshot::Snapshot;
use crate::netconf::datastore::data::{self, WithDefaults};
use crate::netconf::rpc_error::RpcError;
use crate::netconf::transport::xml::Element;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

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

/// The data a rendering was built from.
struct Source {
    config: Arc<Config>,
    /// `None` for configuration-only renderings.
    snapshot: Option<Arc<Snapshot>>,
    /// Anything else the rendering shows that changes on its own, such as
    /// counters, as a number that changes with it.
    stamp: u64,
}

impl Source {
    fn is(&self, config: &Arc<Config>, snapshot: Option<&Arc<Snapshot>>, stamp: u64) -> bool {
        self.stamp == stamp
            && Arc::ptr_eq(&self.config, config)
            && match (&self.snapshot, snapshot) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

#[derive(Default)]
struct Slot {
    source: Option<Source>,
    views: HashMap<View, Arc<Rendered>>,
}

/// Renderings of the running configuration alone and of configuration
/// plus state, each for the last data it was asked about.
#[derive(Default)]
pub struct RenderCache {
    config: Mutex<Slot>,
    full: Mutex<Slot>,
}

impl RenderCache {
    /// The rendering of `view` for this configuration (and snapshot, for a
    /// view with state, and `stamp`), built by `build` when it is not
    /// cached. Builds run one at a time per slot: a reader arriving during
    /// a build waits for its result.
    pub fn get(
        &self,
        view: View,
        config: &Arc<Config>,
        snapshot: Option<&Arc<Snapshot>>,
        stamp: u64,
        build: impl FnOnce() -> Result<String, RpcError>,
    ) -> Result<Arc<Rendered>, RpcError> {
        let mut slot = lock(if view.state { &self.full } else { &self.config });
        let fresh = slot
            .source
            .as_ref()
            .is_some_and(|s| s.is(config, snapshot, stamp));
        if !fresh {
            slot.source = Some(Source {
                config: config.clone(),
                snapshot: snapshot.cloned(),
                stamp,
            });
            slot.views.clear();
        }
        if let Some(r) = slot.views.get(&view) {
            return Ok(r.clone());
        }
        let rendered = Arc::new(Rendered::new(build()?));
        slot.views.insert(view, rendered.clone());
        Ok(rendered)
    }
}

fn lock(m: &Mutex<Slot>) -> MutexGuard<'_, Slot> {
    m.lock().unwrap_or_else(|p| p.into_inner())
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

    #[test]
    fn builds_once_per_data_and_view() {
        let cache = RenderCache::default();
        let config = Arc::new(Config::default());
        let snap = Arc::new(Snapshot::default());
        let builds = Cell::new(0);
        let build = || {
            builds.set(builds.get() + 1);
            Ok(format!("<x>{}</x>", builds.get()))
        };
        let a = cache
            .get(view(true), &config, Some(&snap), 0, build)
            .unwrap();
        let b = cache
            .get(view(true), &config, Some(&snap), 0, build)
            .unwrap();
        assert_eq!((a.xml.as_str(), b.xml.as_str()), ("<x>1</x>", "<x>1</x>"));
        // Another view, another rendering; the state slot is separate.
        cache.get(view(false), &config, None, 0, build).unwrap();
        assert_eq!(builds.get(), 2);
        // A new snapshot (equal contents, new Arc) is new data.
        let snap2 = Arc::new(Snapshot::default());
        let c = cache
            .get(view(true), &config, Some(&snap2), 0, build)
            .unwrap();
        assert_eq!(c.xml, "<x>3</x>");
        // A new configuration invalidates the configuration slot too.
        let config2 = Arc::new(Config::default());
        let d = cache.get(view(false), &config2, None, 0, build).unwrap();
        assert_eq!(d.xml, "<x>4</x>");
        // So does a new stamp, and another reader is another rendering.
        let e = cache.get(view(false), &config2, None, 1, build).unwrap();
        assert_eq!(e.xml, "<x>5</x>");
        let mut reader = view(false);
        reader.reader = Reader::Groups(vec!["readers".into()]);
        let f = cache.get(reader, &config2, None, 1, build).unwrap();
        assert_eq!(f.xml, "<x>6</x>");
    }

    #[test]
    fn a_failed_build_is_not_kept() {
        let cache = RenderCache::default();
        let config = Arc::new(Config::default());
        let err = cache.get(view(false), &config, None, 0, || {
            Err(RpcError::application(
                crate::netconf::rpc_error::Tag::OperationFailed,
                "boom",
            ))
        });
        assert!(err.is_err());
        let ok = cache
            .get(view(false), &config, None, 0, || Ok("<y/>".into()))
            .unwrap();
        assert_eq!(ok.xml, "<y/>");
        assert_eq!(ok.elements().unwrap().len(), 1);
    }
}
