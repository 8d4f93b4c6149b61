//! Startup reconciliation: what the running configuration becomes when the
//! agent starts.
//!
//! The running configuration is persisted, and changes made at run time
//! (SNMP SET, NETCONF commit, `ctl set`) live only in it. The startup
//! configuration (the configuration file, or what NETCONF copied to
//! `startup`) can have changed too while the agent was down. Replacing
//! running with startup would drop the run-time changes without a word;
//! ignoring startup would break the promise of NETCONF's `:startup`.
//!
//! So the start is a three-way merge on the configurations' JSON forms:
//! `base` is the startup configuration running last took in (at the last
//! start, or when running was copied to startup), `running` the persisted
//! running configuration, `startup` the startup configuration now. Each
//! leaf startup changed since `base` is applied to running; each leaf only
//! running changed is kept. A leaf both changed to different values is a
//! conflict: the operator must choose ([`Prefer`]), the agent never
//! chooses for them.

use super::diff::ConfigDiff;
use super::path::ConfigPath;
use serde_json::Value;

/// The operator's choice for the leaves both startup and run-time changes
/// changed (the `--prefer-startup` and `--prefer-running` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    /// The startup configuration's value wins.
    Startup,
    /// The value set at run time is kept.
    Running,
}

/// The merged running configuration and what each side contributed.
#[derive(Debug, Clone, PartialEq)]
pub struct Reconciled {
    pub value: Value,
    /// Startup changes taken in with no run-time change in their way.
    pub applied: Vec<ConfigPath>,
    /// Run-time changes kept.
    pub kept: Vec<ConfigPath>,
    /// Conflicts where startup's value replaced a run-time change
    /// ([`Prefer::Startup`]).
    pub overridden: Vec<ConfigPath>,
    /// Conflicts where a startup change was not taken in
    /// ([`Prefer::Running`]).
    pub ignored: Vec<ConfigPath>,
}

/// Startup and run-time changes disagree at these paths, and no
/// [`Prefer`] was given.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub paths: Vec<ConfigPath>,
}

/// Merge the changes `startup` made since `base` into `running`.
pub fn reconcile(
    base: &Value,
    running: &Value,
    startup: &Value,
    prefer: Option<Prefer>,
) -> Result<Reconciled, Conflict> {
    let from_startup = ConfigDiff::between_values(base, startup).changed;
    let at_run_time = ConfigDiff::between_values(base, running).changed;
    let mut out = Reconciled {
        value: running.clone(),
        applied: Vec::new(),
        kept: Vec::new(),
        overridden: Vec::new(),
        ignored: Vec::new(),
    };
    let mut conflicts = Vec::new();
    for path in from_startup {
        let wanted = get(startup, &path);
        // Both sides made the same change, or running never touched it.
        let clash = get(running, &path) != wanted && at_run_time.iter().any(|r| r.overlaps(&path));
        match (clash, prefer) {
            (false, _) => {
                put(&mut out.value, startup, &path);
                out.applied.push(path);
            }
            (true, Some(Prefer::Startup)) => {
                put(&mut out.value, startup, &path);
                out.overridden.push(path);
            }
            (true, Some(Prefer::Running)) => out.ignored.push(path),
            (true, None) => conflicts.push(path),
        }
    }
    if !conflicts.is_empty() {
        return Err(Conflict { paths: conflicts });
    }
    out.kept = at_run_time
        .into_iter()
        .filter(|r| !out.overridden.iter().any(|o| o.overlaps(r)))
        .collect();
    Ok(out)
}

/// The value at `path`, if every step on the way is an object member.
fn get<'a>(doc: &'a Value, path: &ConfigPath) -> Option<&'a Value> {
    path.segments()
        .iter()
        .try_fold(doc, |node, s| node.as_object()?.get(&s.text()))
}

/// Make `doc` hold `from`'s value at `path` (none: remove it). Where an
/// object on the way is missing in `doc`, the shallowest missing one is
/// copied whole from `from`, so that an entry is never half made.
fn put(doc: &mut Value, from: &Value, path: &ConfigPath) {
    let segments = path.segments();
    let mut node = doc;
    for (depth, s) in segments.iter().enumerate() {
        let key = s.text();
        let Some(obj) = node.as_object_mut() else {
            return;
        };
        let last = depth + 1 == segments.len();
        if last || !obj.contains_key(&key) {
            let upto = ConfigPath::from_segments(segments[..=depth].to_vec());
            match get(from, &upto) {
                Some(v) => {
                    obj.insert(key, v.clone());
                }
                None => {
                    obj.remove(&key);
                }
            }
            return;
        }
        let Some(next) = obj.get_mut(&key) else {
            return;
        };
        node = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(paths: &[ConfigPath]) -> Vec<String> {
        paths.iter().map(ConfigPath::pointer).collect()
    }

    #[test]
    fn startup_changes_apply_and_run_time_changes_stay() {
        let base = json!({"t": {"cpu": 90, "mem": 90}, "chains": {"a": {"x": 1}}});
        let running = json!({"t": {"cpu": 50, "mem": 90}, "chains": {"a": {"x": 1}}});
        let startup =
            json!({"t": {"cpu": 90, "mem": 80}, "chains": {"a": {"x": 1}, "b": {"x": 2}}});
        let r = reconcile(&base, &running, &startup, None).unwrap();
        assert_eq!(
            r.value,
            json!({"t": {"cpu": 50, "mem": 80}, "chains": {"a": {"x": 1}, "b": {"x": 2}}})
        );
        assert_eq!(pointers(&r.applied), ["/chains/b", "/t/mem"]);
        assert_eq!(pointers(&r.kept), ["/t/cpu"]);
        assert!(r.overridden.is_empty() && r.ignored.is_empty());
    }

    #[test]
    fn nothing_changed_at_start_keeps_running_as_it_is() {
        let base = json!({"t": {"cpu": 90}});
        let running = json!({"t": {"cpu": 40}, "n": {"k": "v"}});
        let r = reconcile(&base, &running, &base, None).unwrap();
        assert_eq!(r.value, running);
        assert!(r.applied.is_empty());
        assert_eq!(pointers(&r.kept), ["/n", "/t/cpu"]);
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = json!({"t": {"cpu": 90}});
        let both = json!({"t": {"cpu": 70}});
        let r = reconcile(&base, &both, &both, None).unwrap();
        assert_eq!(r.value, both);
    }

    #[test]
    fn a_conflict_needs_a_choice_and_each_choice_is_reported() {
        let base = json!({"t": {"cpu": 90, "mem": 90}});
        let running = json!({"t": {"cpu": 50, "mem": 90}});
        let startup = json!({"t": {"cpu": 60, "mem": 70}});
        let e = reconcile(&base, &running, &startup, None).unwrap_err();
        assert_eq!(pointers(&e.paths), ["/t/cpu"]);

        let s = reconcile(&base, &running, &startup, Some(Prefer::Startup)).unwrap();
        assert_eq!(s.value, json!({"t": {"cpu": 60, "mem": 70}}));
        assert_eq!(pointers(&s.overridden), ["/t/cpu"]);
        assert_eq!(pointers(&s.applied), ["/t/mem"]);
        assert!(s.kept.is_empty(), "the run-time change was overridden");

        let r = reconcile(&base, &running, &startup, Some(Prefer::Running)).unwrap();
        assert_eq!(r.value, json!({"t": {"cpu": 50, "mem": 70}}));
        assert_eq!(pointers(&r.ignored), ["/t/cpu"]);
        assert_eq!(pointers(&r.kept), ["/t/cpu"]);
    }

    /// An entry removed at run time while startup changed a leaf in it
    /// (and the reverse) is a conflict, and the startup choice brings the
    /// whole entry back, never a fragment of it.
    #[test]
    fn removed_entries_conflict_with_changes_inside_them() {
        let base = json!({"chains": {"a": {"x": 1, "y": 1}}});
        let removed = json!({"chains": {}});
        let changed = json!({"chains": {"a": {"x": 2, "y": 1}}});
        let e = reconcile(&base, &removed, &changed, None).unwrap_err();
        assert_eq!(pointers(&e.paths), ["/chains/a/x"]);
        let s = reconcile(&base, &removed, &changed, Some(Prefer::Startup)).unwrap();
        assert_eq!(s.value, changed, "the whole entry, not {{x: 2}} alone");

        let e = reconcile(&base, &changed, &removed, None).unwrap_err();
        assert_eq!(pointers(&e.paths), ["/chains/a"]);
        let s = reconcile(&base, &changed, &removed, Some(Prefer::Startup)).unwrap();
        assert_eq!(s.value, removed);
        let r = reconcile(&base, &changed, &removed, Some(Prefer::Running)).unwrap();
        assert_eq!(r.value, changed);
    }
}
