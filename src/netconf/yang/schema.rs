//! The libyang context the NETCONF server works with: chain-agent's own
//! modules, compiled into the binary so the schema served always matches
//! the code that fills it, and the standard modules, read at start from a
//! search path because they are not ours to commit (docs/yang.md).

use crate::netconf::libyang;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use yang5::context::{Context, ContextFlags, EmbeddedModuleKey, EmbeddedModules};
use yang5::schema::{SchemaModule, SchemaOutputFormat, SchemaPrinterFlags};

/// Environment variable holding extra search directories, colon-separated.
pub const YANG_PATH_ENV: &str = "CHAIN_AGENT_YANG_PATH";

/// Revision of every chain-agent module.
pub const OWN_REVISION: &str = "2026-11-21";

/// chain-agent's modules, in import order.
pub const OWN_MODULES: [(&str, &str); 9] = [
    (
        "chain-agent-types",
        include_str!("../../../yang/chain-agent-types.yang"),
    ),
    (
        "chain-agent-nodes",
        include_str!("../../../yang/chain-agent-nodes.yang"),
    ),
    (
        "chain-agent-alarms",
        include_str!("../../../yang/chain-agent-alarms.yang"),
    ),
    (
        "chain-agent-logs",
        include_str!("../../../yang/chain-agent-logs.yang"),
    ),
    (
        "chain-agent-ledger",
        include_str!("../../../yang/chain-agent-ledger.yang"),
    ),
    (
        "chain-agent-consensus",
        include_str!("../../../yang/chain-agent-consensus.yang"),
    ),
    (
        "chain-agent-contracts",
        include_str!("../../../yang/chain-agent-contracts.yang"),
    ),
    (
        "chain-agent-crosschain",
        include_str!("../../../yang/chain-agent-crosschain.yang"),
    ),
    (
        "chain-agent-system",
        include_str!("../../../yang/chain-agent-system.yang"),
    ),
];

/// Standard modules the server implements, with the features it supports.
/// ietf-alarms-x733 carries the X.733 fields (event type, probable cause,
/// proposed repair) that the model and the MIB have for every alarm.
pub const STANDARD_MODULES: [(&str, &[&str]); 7] = [
    (
        "ietf-netconf",
        &[
            "writable-running",
            "candidate",
            "confirmed-commit",
            "rollback-on-error",
            "validate",
            "startup",
            "xpath",
        ],
    ),
    ("ietf-netconf-with-defaults", &[]),
    ("ietf-netconf-monitoring", &[]),
    ("ietf-netconf-notifications", &[]),
    ("ietf-netconf-acm", &[]),
    (
        "ietf-alarms",
        &[
            "operator-actions",
            "alarm-history",
            "alarm-summary",
            "alarm-shelving",
        ],
    ),
    ("ietf-alarms-x733", &[]),
];

/// Modules libyang carries itself; they must be in the context but are
/// never read from the search path.
const LIBYANG_INTERNAL: [&str; 3] = ["ietf-yang-types", "ietf-inet-types", "ietf-yang-library"];

/// libyang keeps a pointer to this map for the context's lifetime, hence static.
static EMBEDDED: LazyLock<EmbeddedModules> = LazyLock::new(|| {
    OWN_MODULES
        .iter()
        .map(|(name, text)| {
            (
                EmbeddedModuleKey::new(name, Some(OWN_REVISION), None, None),
                *text,
            )
        })
        .collect()
});

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error(
        "YANG module {module} not found (searched {searched}); run `bash tools/setup` \
         or set {YANG_PATH_ENV} to the directory holding the standard modules"
    )]
    MissingModule { module: String, searched: String },
    #[error("YANG search directory {0} is not valid UTF-8")]
    BadSearchDir(PathBuf),
    #[error("libyang context: {0}")]
    Context(String),
    #[error("loading YANG modules: {0}")]
    Load(String),
    #[error("YANG module {module} lacks feature {feature}")]
    Feature { module: String, feature: String },
}

/// One module of the context, as ietf-yang-library and the `schemas` list
/// of ietf-netconf-monitoring describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    pub name: String,
    pub revision: Option<String>,
    pub namespace: String,
    pub prefix: String,
    /// Enabled features.
    pub features: Vec<String>,
    /// False for modules present only for their imports (typedefs, groupings).
    pub implemented: bool,
    /// The submodules the module includes.
    pub submodules: Vec<SubmoduleInfo>,
}

/// A submodule, listed under its module by ietf-yang-library and on its
/// own in the `schemas` list of ietf-netconf-monitoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmoduleInfo {
    pub name: String,
    pub revision: Option<String>,
}

/// The compiled schema. Built once at start; libyang contexts are safe to
/// share between threads once no module is loaded any more.
pub struct Schema {
    context: Context,
    modules: Vec<ModuleInfo>,
    /// YANG text of every module by (name, revision), for get-schema.
    texts: BTreeMap<(String, String), String>,
}

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("modules", &self.modules)
            .finish_non_exhaustive()
    }
}

impl Schema {
    /// Load the schema, looking for the standard modules in `search_dirs`,
    /// then in `$CHAIN_AGENT_YANG_PATH`, then in `.deps/yang` of the
    /// checkout the executable was built in (so `cargo run` needs no setup
    /// beyond `bash tools/setup`).
    pub fn load(search_dirs: &[PathBuf]) -> Result<Schema, SchemaError> {
        let env = std::env::var(YANG_PATH_ENV).ok();
        let exe = std::env::current_exe().ok();
        Schema::load_from(&search_path(search_dirs, env.as_deref(), exe.as_deref()))
    }

    /// Load the schema from exactly these directories.
    pub fn load_from(dirs: &[PathBuf]) -> Result<Schema, SchemaError> {
        // The same directory reached twice (the environment and the
        // checkout) would make libyang refuse the second search dir.
        let mut unique: Vec<PathBuf> = Vec::new();
        for d in dirs.iter().filter(|d| d.is_dir()) {
            let c = d.canonicalize().unwrap_or_else(|_| d.clone());
            if !unique.contains(&c) {
                unique.push(c);
            }
        }
        let dirs: Vec<&PathBuf> = unique.iter().collect();
        for (module, _) in STANDARD_MODULES {
            if !dirs.iter().any(|d| holds_module(d, module)) {
                return Err(SchemaError::MissingModule {
                    module: module.to_string(),
                    searched: describe(&dirs),
                });
            }
        }
        let flags = ContextFlags::DISABLE_SEARCHDIR_CWD | ContextFlags::REF_IMPLEMENTED;
        let mut context = Context::new(flags).map_err(|e| SchemaError::Context(e.to_string()))?;
        for dir in &dirs {
            if dir.to_str().is_none() {
                return Err(SchemaError::BadSearchDir(dir.to_path_buf()));
            }
            context
                .set_searchdir(dir)
                .map_err(|e| SchemaError::Context(format!("{}: {e}", dir.display())))?;
        }
        context.set_embedded_modules(&EMBEDDED);

        let mut wanted: Vec<(&str, Option<&str>, &[&str])> = STANDARD_MODULES
            .iter()
            .map(|(name, features)| (*name, None, *features))
            .collect();
        wanted.extend(
            OWN_MODULES
                .iter()
                .map(|(name, _)| (*name, Some(OWN_REVISION), &[] as &[&str])),
        );
        context
            .load_modules(&wanted)
            .map_err(|e| SchemaError::Load(libyang_message(&e)))?;

        for (module, features) in STANDARD_MODULES {
            let m = context
                .get_module_implemented(module)
                .ok_or_else(|| SchemaError::Load(format!("{module} is not implemented")))?;
            for feature in features {
                if m.feature_value(feature) != Ok(true) {
                    return Err(SchemaError::Feature {
                        module: module.to_string(),
                        feature: feature.to_string(),
                    });
                }
            }
        }
        for module in LIBYANG_INTERNAL {
            if context.get_module_latest(module).is_none() {
                return Err(SchemaError::Load(format!("libyang lacks {module}")));
            }
        }

        let mut modules = Vec::new();
        let mut texts = BTreeMap::new();
        for m in context.modules(false) {
            let info = module_info(&m);
            let text = module_text(&m)?;
            texts.insert(
                (info.name.clone(), info.revision.clone().unwrap_or_default()),
                text,
            );
            for sub in &info.submodules {
                let text = submodule_text(&m, sub)?;
                texts.insert(
                    (sub.name.clone(), sub.revision.clone().unwrap_or_default()),
                    text,
                );
            }
            modules.push(info);
        }
        modules.sort_by(|a, b| (&a.name, &a.revision).cmp(&(&b.name, &b.revision)));
        Ok(Schema {
            context,
            modules,
            texts,
        })
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Every module of the context, by name then revision.
    pub fn modules(&self) -> &[ModuleInfo] {
        &self.modules
    }

    /// The revisions of a module or submodule the schema holds ("" for
    /// one without a revision statement), oldest first.
    pub fn schema_revisions(&self, name: &str) -> Vec<&str> {
        self.texts
            .range((name.to_string(), String::new())..)
            .take_while(|((n, _), _)| n == name)
            .map(|((_, rev), _)| rev.as_str())
            .collect()
    }

    /// The YANG text of a module or submodule for get-schema. Without a revision, the
    /// latest one the context has.
    pub fn module_text(&self, name: &str, revision: Option<&str>) -> Option<&str> {
        let found = match revision {
            Some(rev) => self.texts.get(&(name.to_string(), rev.to_string())),
            None => self
                .texts
                .range((name.to_string(), String::new())..)
                .take_while(|((n, _), _)| n == name)
                .last()
                .map(|(_, text)| text),
        };
        found.map(String::as_str)
    }
}

/// The directories searched, in order: the caller's, those of
/// `$CHAIN_AGENT_YANG_PATH`, then `<exe dir>/../../.deps/yang`.
pub fn search_path(given: &[PathBuf], env: Option<&str>, exe: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = given.to_vec();
    dirs.extend(
        env.unwrap_or("")
            .split(':')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from),
    );
    if let Some(dir) = exe.and_then(Path::parent) {
        dirs.push(dir.join("../../.deps/yang"));
    }
    dirs
}

/// What libyang's search would find: `name.yang` or `name@revision.yang`.
fn holds_module(dir: &Path, module: &str) -> bool {
    if dir.join(format!("{module}.yang")).is_file() {
        return true;
    }
    let prefix = format!("{module}@");
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with(&prefix) && name.ends_with(".yang")
            })
        })
        .unwrap_or(false)
}

fn describe(dirs: &[&PathBuf]) -> String {
    if dirs.is_empty() {
        return "no existing directory".into();
    }
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn libyang_message(e: &yang5::Error) -> String {
    match &e.path {
        Some(path) => format!("{e} ({path})"),
        None => e.to_string(),
    }
}

fn module_info(m: &SchemaModule<'_>) -> ModuleInfo {
    ModuleInfo {
        name: m.name().to_string(),
        revision: m.revision().map(str::to_string),
        namespace: m.namespace().to_string(),
        prefix: m.prefix().to_string(),
        features: libyang::schema_info::enabled_features(m),
        implemented: m.is_implemented(),
        submodules: libyang::schema_info::submodules(m)
            .into_iter()
            .map(|(name, revision)| SubmoduleInfo { name, revision })
            .collect(),
    }
}

/// The text a client gets from get-schema: ours as written, the standard
/// ones as their file, libyang's internal ones as libyang prints them.
fn module_text(m: &SchemaModule<'_>) -> Result<String, SchemaError> {
    if let Some((_, text)) = OWN_MODULES.iter().find(|(name, _)| *name == m.name()) {
        return Ok(text.to_string());
    }
    if let Some(path) = m.filepath()
        && let Ok(text) = std::fs::read_to_string(path)
    {
        return Ok(text);
    }
    m.print_string(SchemaOutputFormat::YANG, SchemaPrinterFlags::empty())
        .map_err(|e| SchemaError::Load(format!("printing {}: {e}", m.name())))
}

/// A submodule's text: its file, or as libyang prints it.
fn submodule_text(m: &SchemaModule<'_>, sub: &SubmoduleInfo) -> Result<String, SchemaError> {
    let found = m
        .get_submodule(&sub.name, sub.revision.as_deref())
        .ok_or_else(|| SchemaError::Load(format!("submodule {} not found", sub.name)))?;
    let path = libyang::schema_info::submodule_filepath(&found);
    if let Some(path) = path
        && let Ok(text) = std::fs::read_to_string(path)
    {
        return Ok(text);
    }
    found
        .print_string(SchemaOutputFormat::YANG, SchemaPrinterFlags::empty())
        .map_err(|e| SchemaError::Load(format!("printing {}: {e}", sub.name)))
}

/// The standard modules as `tools/setup` installs them, for unit tests.
#[cfg(test)]
pub(crate) fn deps_yang() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".deps/yang")
}

/// The schema with the standard modules of the checkout, for unit tests.
#[cfg(test)]
pub(crate) fn test_schema() -> Schema {
    Schema::load_from(&[deps_yang()]).expect("schema loads")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Schema>();
    }

    #[test]
    fn search_path_is_given_then_env_then_checkout() {
        let dirs = search_path(
            &[PathBuf::from("/a")],
            Some("/b::/c"),
            Some(Path::new("/repo/target/debug/chain-agent")),
        );
        assert_eq!(
            dirs,
            vec![
                PathBuf::from("/a"),
                PathBuf::from("/b"),
                PathBuf::from("/c"),
                PathBuf::from("/repo/target/debug/../../.deps/yang"),
            ]
        );
        assert_eq!(search_path(&[], None, None), Vec::<PathBuf>::new());
    }

    #[test]
    fn a_missing_standard_module_is_named_with_the_remedy() {
        let empty = tempfile::tempdir().unwrap();
        let err = Schema::load_from(&[empty.path().to_path_buf()]).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(&err, SchemaError::MissingModule { module, .. } if module == "ietf-netconf"),
            "{text}"
        );
        assert!(text.contains("bash tools/setup"), "{text}");
        assert!(text.contains(YANG_PATH_ENV), "{text}");
        assert!(text.contains(&empty.path().display().to_string()), "{text}");
    }

    #[test]
    fn a_partial_search_path_names_the_first_module_it_lacks() {
        let dir = tempfile::tempdir().unwrap();
        for m in ["ietf-netconf", "ietf-netconf-with-defaults"] {
            std::fs::copy(
                deps_yang().join(format!("{m}.yang")),
                dir.path().join(format!("{m}@2011-06-01.yang")),
            )
            .unwrap();
        }
        let err = Schema::load_from(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(
            matches!(&err, SchemaError::MissingModule { module, .. } if module == "ietf-netconf-monitoring"),
            "{err}"
        );
    }

    #[test]
    fn loads_own_and_standard_modules_with_their_features() {
        let schema = test_schema();
        let find = |name: &str| {
            schema
                .modules()
                .iter()
                .find(|m| m.name == name && m.implemented)
                .unwrap_or_else(|| panic!("{name} not implemented"))
        };
        for (name, _) in OWN_MODULES {
            let m = find(name);
            assert_eq!(m.revision.as_deref(), Some(OWN_REVISION));
            assert_eq!(m.namespace, format!("urn:chain-agent:yang:{name}"));
        }
        let nc = find("ietf-netconf");
        assert_eq!(nc.namespace, "urn:ietf:params:xml:ns:netconf:base:1.0");
        let mut features = nc.features.clone();
        features.sort();
        assert_eq!(
            features,
            [
                "candidate",
                "confirmed-commit",
                "rollback-on-error",
                "startup",
                "validate",
                "writable-running",
                "xpath"
            ]
        );
        let mut alarm_features = find("ietf-alarms").features.clone();
        alarm_features.sort();
        assert_eq!(
            alarm_features,
            [
                "alarm-history",
                "alarm-shelving",
                "alarm-summary",
                "operator-actions"
            ]
        );
        assert!(find("chain-agent-nodes").features.is_empty());
        find("ietf-yang-library");
        assert!(schema.modules().iter().any(|m| m.name == "ietf-yang-types"));
    }

    #[test]
    fn get_schema_text_is_the_module_source() {
        let schema = test_schema();
        assert_eq!(
            schema.module_text("chain-agent-nodes", Some(OWN_REVISION)),
            Some(OWN_MODULES[1].1)
        );
        assert_eq!(
            schema.module_text("chain-agent-nodes", None),
            Some(OWN_MODULES[1].1)
        );
        assert_eq!(
            schema.module_text("chain-agent-nodes", Some("1999-01-01")),
            None
        );
        let alarms = schema.module_text("ietf-alarms", None).unwrap();
        let on_disk = std::fs::read_to_string(deps_yang().join("ietf-alarms.yang")).unwrap();
        assert_eq!(alarms, on_disk);
        let internal = schema.module_text("ietf-yang-types", None).unwrap();
        assert!(internal.contains("module ietf-yang-types"), "{internal}");
        assert_eq!(schema.module_text("no-such-module", None), None);
    }
}

#[cfg(test)]
mod submodule_tests {
    use super::*;

    const MAIN: &str = "module sm-main {\n  yang-version 1.1;\n  namespace \"urn:sm-main\";\n  prefix m;\n  include sm-part;\n  revision 2024-01-02;\n}\n";
    const PART: &str = "submodule sm-part {\n  yang-version 1.1;\n  belongs-to sm-main { prefix m; }\n  revision 2024-01-01;\n  container part;\n}\n";

    #[test]
    fn a_modules_submodules_are_listed_with_their_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sm-main.yang"), MAIN).unwrap();
        std::fs::write(dir.path().join("sm-part.yang"), PART).unwrap();
        let mut ctx = Context::new(ContextFlags::DISABLE_SEARCHDIR_CWD).unwrap();
        ctx.set_searchdir(dir.path()).unwrap();
        ctx.load_module("sm-main", None, &[]).expect("loads");
        let m = ctx.get_module_implemented("sm-main").unwrap();
        let info = module_info(&m);
        assert_eq!(
            info.submodules,
            vec![SubmoduleInfo {
                name: "sm-part".into(),
                revision: Some("2024-01-01".into()),
            }]
        );
        assert_eq!(submodule_text(&m, &info.submodules[0]).unwrap(), PART);
        let yang_types = ctx.get_module_latest("ietf-yang-types").unwrap();
        assert!(module_info(&yang_types).submodules.is_empty());
    }
}
